//! Forms: labelled fields (`field.rs`) on ratatui-textarea editors or pick-lists. A form
//! knows what it edits and turns its fields into one store operation (`submit.rs`);
//! what breaks a rule stays in the form, its field focused, and nothing is saved until
//! it is fixed.

mod again;
mod field;
mod submit;

use crossterm::event::KeyEvent;
use ratatui::style::{Modifier, Style};

use super::ops::Op;
use crate::keymap::FormCommand;
use crate::model::{
    Better, Evidence, EvidenceKind, Feeling, Item, Mission, ParkedTopic, Persona, Stage, Status,
    Wall,
};
pub use field::{Field, FieldId, FieldKind};
use field::{choose, single_line_editor};
pub use submit::{FieldError, FormError, Submission};

/// What a form edits, with the record as it was when the form opened (the merge base).
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    NewItem,
    EditItem(Item),
    NewPersona,
    EditPersona(Persona),
    NewStage,
    EditStage(Stage),
    Mission(Mission),
    FeelingNote {
        /// The feeling as it was when the form opened (the merge base).
        base: Option<Feeling>,
        persona_id: i64,
        stage_id: i64,
        score: i8,
    },
    Comment {
        item_id: i64,
    },
    Block(Item),
    WipLimit(Status),
    /// A topic parked during the stand-up (kept with it, not a board change).
    ParkTopic,
    /// A new item from a parked topic (the topic closes when it is saved).
    ItemFromTopic(ParkedTopic),
    /// New evidence (its defaults: the day, the filters' persona and stage).
    NewEvidence(Evidence),
    EditEvidence(Evidence),
}

pub struct Form {
    title: String,
    target: Target,
    fields: Vec<Field>,
    focus: usize,
    /// What to fix, or why the store refused the change.
    error: Option<String>,
    /// Run when the form is discarded (keeps text that lost a conflict); also makes the
    /// form count as unsaved from the start.
    on_discard: Option<Op>,
}

/// What a key did to a form.
#[derive(Debug, PartialEq, Eq)]
pub enum FormInput {
    Edited,
    Submit,
    Cancel,
}

const NONE: &str = "— none —";

/// The most columns a form's title takes (it is drawn on the form's border).
const TITLE_WIDTH: usize = 200;

impl Form {
    fn new(title: impl Into<String>, target: Target, fields: Vec<Field>) -> Form {
        let title: String = title.into();
        let mut f = Form {
            // A title quotes a name or a title: a line's worth of it is plenty.
            title: crate::format::fit(&title, TITLE_WIDTH),
            target,
            fields,
            focus: 0,
            error: None,
            on_discard: None,
        };
        if let Some(field) = f.fields.iter().find(|x| x.cut_from.is_some()) {
            f.error = Some(format!(
                "{} held {} characters, more than obeya keeps there ({}): it shows cut, and saving keeps it cut",
                field.id.label(),
                field.cut_from.unwrap_or_default(),
                field.id.max_chars()
            ));
        }
        f.style_focus();
        f
    }

    pub fn item(board: &Wall, existing: Option<&Item>, defaults: Item) -> Form {
        let it = existing.unwrap_or(&defaults);
        let (personas, stages) = persona_and_stage_choices(board);
        let statuses = Status::ALL
            .iter()
            .map(|s| (Some(s.index() as i64), s.label().to_owned()))
            .collect();
        let fields = vec![
            Field::line(FieldId::Title, &it.title),
            Field::choice(FieldId::Status, statuses, Some(it.status.index() as i64)),
            Field::line(FieldId::Owner, &it.owner),
            Field::line(
                FieldId::Due,
                &it.due.map(|d| d.to_string()).unwrap_or_default(),
            )
            .with_prompt("YYYY-MM-DD, empty for none"),
            Field::choice(FieldId::Persona, personas, it.persona_id)
                .with_prompt("Which customer does this serve?"),
            Field::choice(FieldId::Stage, stages, it.stage_id)
                .with_prompt("At which stage of their journey?"),
            Field::multi(FieldId::Impact, &it.impact)
                .with_prompt("How will this help our customers meet their goals?"),
            Field::multi(FieldId::Risk, &it.risk)
                .with_prompt("How might this adversely affect customers?"),
            Field::multi(FieldId::Detail, &it.detail),
        ];
        let (title, target) = match existing {
            Some(i) => (format!("Edit item #{}", i.id), Target::EditItem(i.clone())),
            None => ("New improvement item".to_owned(), Target::NewItem),
        };
        Form::new(title, target, fields)
    }

    /// A new item from a parked topic: its first line the title, the whole text the
    /// detail when it has more lines.
    pub fn item_from_topic(board: &Wall, topic: &ParkedTopic, defaults: Item) -> Form {
        let mut lines = topic.text.lines();
        let title = lines.next().unwrap_or_default().trim().to_owned();
        let detail = if lines.next().is_some() {
            topic.text.clone()
        } else {
            String::new()
        };
        let mut form = Form::item(
            board,
            None,
            Item {
                title,
                detail,
                ..defaults
            },
        );
        form.title = "New item from a parked topic".to_owned();
        form.target = Target::ItemFromTopic(topic.clone());
        form
    }

    pub fn persona(existing: Option<&Persona>) -> Form {
        let p = existing.cloned().unwrap_or_default();
        let fields = vec![
            Field::line(FieldId::Name, &p.name),
            Field::line(FieldId::Role, &p.role),
            Field::multi(FieldId::Goal, &p.goal).with_prompt("What are they trying to get done?"),
            Field::multi(FieldId::Needs, &p.needs),
            Field::multi(FieldId::Pains, &p.pains),
            Field::line(FieldId::Quote, &p.quote).with_prompt("In their own words"),
            Field::choice(
                FieldId::Side,
                vec![
                    (Some(0), "a customer".to_owned()),
                    (
                        Some(1),
                        "an employee (the other side of the journey)".to_owned(),
                    ),
                ],
                Some(i64::from(!p.side.is_customer())),
            ),
        ];
        match existing {
            Some(p) => Form::new(
                format!("Edit persona {}", p.name),
                Target::EditPersona(p.clone()),
                fields,
            ),
            None => Form::new("New persona", Target::NewPersona, fields),
        }
    }

    pub fn stage(existing: Option<&Stage>) -> Form {
        let s = existing.cloned().unwrap_or_default();
        let num = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_default();
        let fields = vec![
            Field::line(FieldId::Name, &s.name),
            Field::multi(FieldId::CustomerGoal, &s.customer_goal)
                .with_prompt("What does the customer want at this stage?"),
            Field::multi(FieldId::Touchpoints, &s.touchpoints),
            Field::multi(FieldId::Pains, &s.pains),
            Field::multi(FieldId::Backstage, &s.backstage)
                .with_prompt("What happens on our side, out of the customer's sight?"),
            Field::line(FieldId::Metric, &s.metric.name)
                .with_prompt("A customer-side measure of this stage"),
            Field::line(FieldId::Target, &num(s.metric.target)),
            Field::line(FieldId::Actual, &num(s.metric.actual)),
            Field::line(FieldId::Unit, &s.metric.unit),
            Field::choice(
                FieldId::Better,
                vec![
                    (Some(0), "higher is better".to_owned()),
                    (Some(1), "lower is better".to_owned()),
                ],
                Some(i64::from(s.metric.better == Better::Lower)),
            )
            .with_prompt("Which way does this metric get better?"),
            Field::line(FieldId::Warn, &num(s.metric.warn))
                .with_prompt("Amber when this close to the target (in its unit); empty: none"),
        ];
        match existing {
            Some(s) => Form::new(
                format!("Edit stage {}", s.name),
                Target::EditStage(s.clone()),
                fields,
            ),
            None => Form::new("New journey stage", Target::NewStage, fields),
        }
    }

    /// Evidence: new (from `defaults`) or `existing`, with the items it supports.
    pub fn evidence(
        board: &Wall,
        existing: Option<&Evidence>,
        defaults: Evidence,
        supports: &[i64],
    ) -> Form {
        let e = existing.unwrap_or(&defaults);
        let (personas, stages) = persona_and_stage_choices(board);
        let kinds = EvidenceKind::ALL
            .iter()
            .enumerate()
            .map(|(i, k)| (Some(i as i64), k.as_str().to_owned()))
            .collect();
        let kind = EvidenceKind::ALL.iter().position(|k| *k == e.kind);
        let sentiments = std::iter::once((None, NONE.to_owned()))
            .chain((-2..=2).map(|s| (Some(s), crate::format::signed(s as i8))))
            .collect();
        let ids: Vec<String> = supports.iter().map(|i| format!("#{i}")).collect();
        let fields = vec![
            Field::multi(FieldId::Text, &e.text)
                .with_prompt("What did they say or do? Their words, as they said them"),
            Field::choice(FieldId::Kind, kinds, kind.map(|k| k as i64)),
            Field::line(FieldId::Source, &e.source)
                .with_prompt("Where it came from: a ticket, an interview, a survey"),
            Field::line(FieldId::Observed, &e.observed.to_string())
                .with_prompt("The day it was observed, YYYY-MM-DD"),
            Field::choice(FieldId::Persona, personas, e.persona_id)
                .with_prompt("Who said or did it?"),
            Field::choice(FieldId::Stage, stages, e.stage_id).with_prompt("At which stage?"),
            Field::choice(FieldId::Sentiment, sentiments, e.sentiment.map(i64::from))
                .with_prompt("What did it express, −2 … +2?"),
            Field::line(FieldId::Supports, &ids.join(" "))
                .with_prompt("The items it supports: #3 #7, empty for none"),
        ];
        match existing {
            Some(e) => Form::new(
                format!("Edit evidence #{}", e.id),
                Target::EditEvidence(e.clone()),
                fields,
            ),
            None => Form::new("New evidence", Target::NewEvidence(defaults), fields),
        }
    }

    pub fn mission(m: &Mission) -> Form {
        let fields = vec![
            Field::multi(FieldId::Statement, &m.statement)
                .with_prompt("The promise the company makes"),
            Field::line(FieldId::Customer, &m.customer).with_prompt("Who the customer is"),
        ];
        Form::new("Mission", Target::Mission(m.clone()), fields)
    }

    pub fn feeling_note(persona: &Persona, stage: &Stage, feeling: Option<&Feeling>) -> Form {
        let (score, note) = feeling
            .map(|f| (f.score, f.note.as_str()))
            .unwrap_or((0, ""));
        Form::new(
            format!("How {} feels at {}", persona.name, stage.name),
            Target::FeelingNote {
                base: feeling.cloned(),
                persona_id: persona.id,
                stage_id: stage.id,
                score,
            },
            vec![Field::line(FieldId::Note, note)],
        )
    }

    pub fn comment(item: &Item) -> Form {
        Form::new(
            format!("Comment on '{}'", item.title),
            Target::Comment { item_id: item.id },
            vec![Field::multi(FieldId::Comment, "")],
        )
    }

    pub fn block(item: &Item) -> Form {
        Form::new(
            format!("Block '{}'", item.title),
            Target::Block(item.clone()),
            vec![
                Field::line(FieldId::Reason, &item.blocked_reason)
                    .with_prompt("What is in the way?"),
            ],
        )
    }

    pub fn wip_limit(status: Status, current: Option<u32>) -> Form {
        Form::new(
            format!("WIP limit of {}", status.label()),
            Target::WipLimit(status),
            vec![
                Field::line(
                    FieldId::Limit,
                    &current.map(|n| n.to_string()).unwrap_or_default(),
                )
                .with_prompt("A whole number; empty for no limit"),
            ],
        )
    }

    pub fn park_topic() -> Form {
        Form::new(
            "Park a topic for after the stand-up",
            Target::ParkTopic,
            vec![Field::line(FieldId::Topic, "").with_prompt("One line; {form.enter} parks it")],
        )
    }

    /// Run `op` if the form is discarded (it keeps text that lost a conflict); the form
    /// counts as unsaved from the start.
    pub(crate) fn on_discard(mut self, op: Op) -> Form {
        self.on_discard = Some(op);
        self
    }

    pub(crate) fn take_on_discard(&mut self) -> Option<Op> {
        self.on_discard.take()
    }

    pub fn title(&self) -> &str {
        &self.title
    }

    pub fn fields(&self) -> &[Field] {
        &self.fields
    }

    /// The place of the focused field.
    pub fn focus(&self) -> usize {
        self.focus
    }

    pub fn focused(&self) -> &Field {
        &self.fields[self.focus]
    }

    /// What to fix (`Title: an item needs a title`), or why the store refused it.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Everything in it, in full, to be printed when it cannot be saved: its title, then
    /// each field that holds something, `    Label: value`, a value's later lines
    /// indented below its first (as a queued change is printed). Control characters
    /// are the printer's to escape.
    pub fn describe(&self) -> String {
        let mut out = self.title.clone();
        for f in &self.fields {
            let value = f.value();
            if value.trim().is_empty() || (f.kind == FieldKind::Choice && value == NONE) {
                continue;
            }
            let label = f.id.label();
            let indent = " ".repeat(4 + label.len() + 2);
            let value = value.replace('\n', &format!("\n{indent}"));
            out.push_str(&format!("\n    {label}: {value}"));
        }
        out
    }

    /// Whether saving it changes the board (a topic parked in a stand-up is kept with
    /// the stand-up, and only stored when it ends).
    pub fn saves_to_board(&self) -> bool {
        !matches!(self.target, Target::ParkTopic)
    }

    pub fn is_dirty(&self) -> bool {
        self.on_discard.is_some() || self.fields.iter().any(Field::is_dirty)
    }

    pub fn field(&self, id: FieldId) -> &Field {
        self.fields
            .iter()
            .find(|f| f.id == id)
            .expect("form has the field")
    }

    fn text(&self, id: FieldId) -> String {
        self.field(id).value().trim().to_owned()
    }

    /// A form command. The pick-list keys edit text in a text field.
    pub fn command(&mut self, c: FormCommand, key: KeyEvent) -> FormInput {
        let kind = self.fields[self.focus].kind;
        match c {
            FormCommand::Save => return FormInput::Submit,
            FormCommand::Cancel => return FormInput::Cancel,
            FormCommand::NextField => self.move_focus(1),
            FormCommand::PrevField => self.move_focus(-1),
            FormCommand::Enter if kind == FieldKind::Multi => {
                self.fields[self.focus].editor.insert_newline();
            }
            FormCommand::Enter if self.focus + 1 == self.fields.len() => return FormInput::Submit,
            FormCommand::Enter => self.move_focus(1),
            FormCommand::ChoosePrev | FormCommand::ChooseNext if kind == FieldKind::Choice => {
                let field = &mut self.fields[self.focus];
                let n = field.options.len().max(1);
                field.chosen = match c {
                    FormCommand::ChoosePrev => (field.chosen + n - 1) % n,
                    _ => (field.chosen + 1) % n,
                };
            }
            FormCommand::ChoosePrev | FormCommand::ChooseNext | FormCommand::Quit => self.edit(key),
        }
        FormInput::Edited
    }

    /// Any other key: typed into the focused field.
    pub fn edit(&mut self, key: KeyEvent) {
        let field = &mut self.fields[self.focus];
        match field.kind {
            FieldKind::Choice => choose(field, key),
            FieldKind::Line => {
                field.editor.input(key);
                // Ctrl-m / Ctrl-j are newlines to the editor: not in a one-line field.
                if field.editor.lines().len() > 1 {
                    let joined = field.editor.lines().join(" ");
                    field.editor = single_line_editor(&joined);
                }
            }
            FieldKind::Multi => {
                field.editor.input(key);
            }
        }
    }

    /// Pasted text goes into the focused editor; one-line fields get spaces for newlines.
    /// What would take the field past its limit is left out, and the form says so.
    pub fn paste(&mut self, text: &str) {
        let field = &mut self.fields[self.focus];
        let room = field
            .id
            .max_chars()
            .saturating_sub(field.value().chars().count());
        let (text, cut) = crate::format::first_chars(text, room);
        if cut {
            self.error = Some(format!(
                "the paste was cut to what {} holds ({} characters)",
                field.id.label(),
                field.id.max_chars()
            ));
        }
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        match field.kind {
            FieldKind::Line => {
                field.editor.insert_str(text.replace('\n', " "));
            }
            FieldKind::Multi => {
                field.editor.insert_str(text);
            }
            FieldKind::Choice => {}
        }
    }

    fn move_focus(&mut self, by: isize) {
        let n = self.fields.len() as isize;
        self.focus = ((self.focus as isize + by).rem_euclid(n)) as usize;
        self.style_focus();
    }

    /// Only the focused editor shows a cursor.
    fn style_focus(&mut self) {
        for (i, f) in self.fields.iter_mut().enumerate() {
            let cursor = if i == self.focus {
                Style::default().add_modifier(Modifier::REVERSED)
            } else {
                Style::default()
            };
            f.editor.set_cursor_style(cursor);
        }
    }
}

/// The choices of a persona and a stage a record serves: "none", then the board's.
fn persona_and_stage_choices(board: &Wall) -> (field::Choices, field::Choices) {
    let personas = std::iter::once((None, NONE.to_owned()))
        .chain(board.personas.iter().map(|p| (Some(p.id), p.name.clone())))
        .collect();
    let stages = std::iter::once((None, NONE.to_owned()))
        .chain(board.stages.iter().map(|s| (Some(s.id), s.name.clone())))
        .collect();
    (personas, stages)
}
