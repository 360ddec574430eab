//! Forms: labelled fields on ratatui-textarea editors (real cursor movement, word
//! delete, paste) or pick-lists. A form knows what it edits and turns its fields into
//! one store operation; validation errors stay in the form, nothing is saved until fixed.

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::style::{Modifier, Style};
use ratatui_textarea::TextArea;

use super::ops::Op;
use crate::keymap::FormCommand;
use crate::model::{
    Better, Feeling, Item, Metric, Mission, ParkedTopic, Persona, Stage, Status, Wall, parse_date,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// One line; Enter goes to the next field (or saves on the last).
    Line,
    /// Several lines; Enter is a newline.
    Multi,
    /// A pick-list; ←/→ (or Space) choose.
    Choice,
}

/// Which field of a form: forms address their fields by this, and its name is the
/// label shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
pub enum FieldId {
    Title,
    Status,
    Owner,
    Due,
    Persona,
    Stage,
    Impact,
    Risk,
    Detail,
    Name,
    Role,
    Goal,
    Needs,
    Pains,
    Quote,
    #[strum(serialize = "Customer goal")]
    CustomerGoal,
    Touchpoints,
    Backstage,
    Metric,
    Target,
    Actual,
    Unit,
    Better,
    Statement,
    Customer,
    Note,
    Comment,
    Reason,
    Limit,
    Topic,
}

impl FieldId {
    pub fn label(self) -> &'static str {
        self.into()
    }
}

pub struct Field {
    pub id: FieldId,
    /// A question shown under the label (the customer-first prompts).
    pub prompt: &'static str,
    pub kind: FieldKind,
    pub editor: TextArea<'static>,
    /// For `Choice`: (value, label) options and the chosen index.
    pub options: Vec<(Option<i64>, String)>,
    pub chosen: usize,
    initial: (String, usize),
}

impl Field {
    fn text(id: FieldId, kind: FieldKind, value: &str) -> Field {
        let mut editor = TextArea::new(value.split('\n').map(str::to_owned).collect());
        editor.set_cursor_line_style(Style::default());
        if kind == FieldKind::Multi {
            editor.set_wrap_mode(ratatui_textarea::WrapMode::Word);
        }
        editor.move_cursor(ratatui_textarea::CursorMove::Bottom);
        editor.move_cursor(ratatui_textarea::CursorMove::End);
        Field {
            id,
            prompt: "",
            kind,
            editor,
            options: Vec::new(),
            chosen: 0,
            initial: (value.to_owned(), 0),
        }
    }

    pub fn line(id: FieldId, value: &str) -> Field {
        Field::text(id, FieldKind::Line, value)
    }

    pub fn multi(id: FieldId, value: &str) -> Field {
        Field::text(id, FieldKind::Multi, value)
    }

    pub fn choice(id: FieldId, options: Vec<(Option<i64>, String)>, value: Option<i64>) -> Field {
        let chosen = options.iter().position(|(v, _)| *v == value).unwrap_or(0);
        Field {
            id,
            prompt: "",
            kind: FieldKind::Choice,
            editor: TextArea::default(),
            options,
            chosen,
            initial: (String::new(), chosen),
        }
    }

    fn with_prompt(mut self, prompt: &'static str) -> Field {
        self.prompt = prompt;
        self
    }

    /// The field's text (lines joined with newlines), or the chosen option's label.
    pub fn value(&self) -> String {
        match self.kind {
            FieldKind::Choice => self
                .options
                .get(self.chosen)
                .map(|o| o.1.clone())
                .unwrap_or_default(),
            _ => self.editor.lines().join("\n"),
        }
    }

    pub fn chosen_value(&self) -> Option<i64> {
        self.options.get(self.chosen).and_then(|o| o.0)
    }

    pub fn is_dirty(&self) -> bool {
        match self.kind {
            FieldKind::Choice => self.chosen != self.initial.1,
            _ => self.value() != self.initial.0,
        }
    }

    /// Number of screen lines the field's editor wants at this width (words wrap).
    pub fn height(&self, width: u16) -> u16 {
        let width = usize::from(width.max(10));
        match self.kind {
            FieldKind::Multi => {
                let lines: usize = self
                    .editor
                    .lines()
                    .iter()
                    .map(|l| {
                        unicode_width::UnicodeWidthStr::width(l.as_str())
                            .div_ceil(width)
                            .max(1)
                    })
                    .sum();
                (lines as u16).clamp(2, 6)
            }
            _ => 1,
        }
    }
}

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
}

pub struct Form {
    pub title: String,
    pub target: Target,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub error: Option<String>,
    /// Run when the form is discarded (keeps text that lost a conflict); also makes the
    /// form count as unsaved from the start.
    pub on_discard: Option<Op>,
}

/// What a key did to a form.
#[derive(Debug, PartialEq, Eq)]
pub enum FormInput {
    Edited,
    Submit,
    Cancel,
}

const NONE: &str = "— none —";

impl Form {
    fn new(title: impl Into<String>, target: Target, fields: Vec<Field>) -> Form {
        let mut f = Form {
            title: title.into(),
            target,
            fields,
            focus: 0,
            error: None,
            on_discard: None,
        };
        f.style_focus();
        f
    }

    pub fn item(board: &Wall, existing: Option<&Item>, defaults: Item) -> Form {
        let it = existing.unwrap_or(&defaults);
        let personas = std::iter::once((None, NONE.to_owned()))
            .chain(board.personas.iter().map(|p| (Some(p.id), p.name.clone())))
            .collect();
        let stages = std::iter::once((None, NONE.to_owned()))
            .chain(board.stages.iter().map(|s| (Some(s.id), s.name.clone())))
            .collect();
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

    /// The parked topic's text, or what to fix.
    pub fn topic(&self) -> Result<String, String> {
        match self.text(FieldId::Topic) {
            t if t.is_empty() => Err("Topic: write something, or cancel".into()),
            t => Ok(t),
        }
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
    pub fn paste(&mut self, text: &str) {
        let field = &mut self.fields[self.focus];
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

    /// Turn the fields into the operation to run, or say what to fix.
    pub fn submit(&self, board: &Wall) -> Result<Op, String> {
        match &self.target {
            Target::NewItem | Target::EditItem(_) | Target::ItemFromTopic(_) => {
                let title = self.text(FieldId::Title);
                if title.is_empty() {
                    return Err("Title: an item needs a title".into());
                }
                let due = match self.text(FieldId::Due) {
                    d if d.is_empty() => None,
                    d => Some(parse_date(&d).map_err(|e| format!("Due: {e}"))?),
                };
                let status = self
                    .field(FieldId::Status)
                    .chosen_value()
                    .and_then(|i| Status::from_index(i as usize))
                    .unwrap_or(Status::Plan);
                let base = match &self.target {
                    Target::EditItem(i) => i.clone(),
                    _ => Item::default(),
                };
                let mine = Item {
                    title,
                    status,
                    owner: self.text(FieldId::Owner),
                    due,
                    persona_id: self.field(FieldId::Persona).chosen_value(),
                    stage_id: self.field(FieldId::Stage).chosen_value(),
                    impact: self.text(FieldId::Impact),
                    risk: self.text(FieldId::Risk),
                    detail: self.text(FieldId::Detail),
                    ..base.clone()
                };
                Ok(match &self.target {
                    Target::EditItem(_) if base.status != mine.status => {
                        // A status change moves the card: end of the new column, age restarts.
                        Op::EditAndMove { base, mine }
                    }
                    Target::EditItem(_) => Op::save(base.clone(), mine),
                    Target::ItemFromTopic(topic) => Op::AddItemFromTopic {
                        item: mine,
                        topic: topic.clone(),
                    },
                    _ => Op::AddItem(mine),
                })
            }
            Target::NewPersona | Target::EditPersona(_) => {
                let name = self.text(FieldId::Name);
                let id = match &self.target {
                    Target::EditPersona(p) => p.id,
                    _ => 0,
                };
                check_unique(
                    board.personas.iter().map(|p| (p.id, p.name.as_str())),
                    id,
                    &name,
                    "persona",
                )?;
                let base = match &self.target {
                    Target::EditPersona(p) => p.clone(),
                    _ => Persona::default(),
                };
                let mine = Persona {
                    name,
                    role: self.text(FieldId::Role),
                    goal: self.text(FieldId::Goal),
                    needs: self.text(FieldId::Needs),
                    pains: self.text(FieldId::Pains),
                    quote: self.text(FieldId::Quote),
                    ..base.clone()
                };
                Ok(if id == 0 {
                    Op::AddPersona(mine)
                } else {
                    Op::save(base.clone(), mine)
                })
            }
            Target::NewStage | Target::EditStage(_) => {
                let name = self.text(FieldId::Name);
                let id = match &self.target {
                    Target::EditStage(s) => s.id,
                    _ => 0,
                };
                check_unique(
                    board.stages.iter().map(|s| (s.id, s.name.as_str())),
                    id,
                    &name,
                    "stage",
                )?;
                let base = match &self.target {
                    Target::EditStage(s) => s.clone(),
                    _ => Stage::default(),
                };
                let mine = Stage {
                    name,
                    customer_goal: self.text(FieldId::CustomerGoal),
                    touchpoints: self.text(FieldId::Touchpoints),
                    pains: self.text(FieldId::Pains),
                    backstage: self.text(FieldId::Backstage),
                    metric: Metric {
                        name: self.text(FieldId::Metric),
                        target: number(&self.text(FieldId::Target), "Target")?,
                        actual: number(&self.text(FieldId::Actual), "Actual")?,
                        unit: self.text(FieldId::Unit),
                        better: if self.field(FieldId::Better).chosen_value() == Some(1) {
                            Better::Lower
                        } else {
                            Better::Higher
                        },
                    },
                    ..base.clone()
                };
                Ok(if id == 0 {
                    Op::AddStage(mine)
                } else {
                    Op::save(base.clone(), mine)
                })
            }
            Target::Mission(m) => {
                let mine = Mission {
                    statement: self.text(FieldId::Statement),
                    customer: self.text(FieldId::Customer),
                    meta: m.meta.clone(),
                };
                Ok(Op::save(m.clone(), mine))
            }
            Target::FeelingNote {
                base,
                persona_id,
                stage_id,
                score,
            } => Ok(Op::SetFeeling {
                base: base.clone(),
                persona_id: *persona_id,
                stage_id: *stage_id,
                score: *score,
                note: self.text(FieldId::Note),
            }),
            Target::Comment { item_id } => {
                let text = self.text(FieldId::Comment);
                if text.is_empty() {
                    return Err("Comment: write something, or cancel".into());
                }
                Ok(Op::AddComment {
                    item_id: *item_id,
                    text,
                })
            }
            Target::Block(item) => {
                let reason = self.text(FieldId::Reason);
                if reason.is_empty() {
                    return Err("Reason: say what blocks it, so the team can help".into());
                }
                Ok(Op::save(
                    item.clone(),
                    Item {
                        blocked: true,
                        blocked_reason: reason,
                        ..item.clone()
                    },
                ))
            }
            Target::WipLimit(status) => {
                let text = self.text(FieldId::Limit);
                let limit = match text.as_str() {
                    "" | "0" => None,
                    t => Some(
                        t.parse::<u32>()
                            .map_err(|_| format!("Limit: '{t}' is not a whole number"))?,
                    ),
                };
                Ok(Op::SetWip(*status, limit))
            }
            // The stand-up keeps parked topics itself (see `Form::topic`).
            Target::ParkTopic => Err("a parked topic is not a change to the board".into()),
        }
    }
}

fn single_line_editor(text: &str) -> TextArea<'static> {
    let mut editor = TextArea::new(vec![text.to_owned()]);
    editor.set_cursor_line_style(Style::default());
    editor.set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
    editor.move_cursor(ratatui_textarea::CursorMove::End);
    editor
}

fn choose(field: &mut Field, key: KeyEvent) {
    let n = field.options.len().max(1);
    match key.code {
        KeyCode::Home => field.chosen = 0,
        KeyCode::End => field.chosen = n - 1,
        // Typing a letter jumps to the next option that starts with it.
        KeyCode::Char(c) => {
            let c = c.to_lowercase().to_string();
            if let Some(i) = (1..=n)
                .map(|k| (field.chosen + k) % n)
                .find(|&i| field.options[i].1.to_lowercase().starts_with(&c))
            {
                field.chosen = i;
            }
        }
        _ => {}
    }
}

fn check_unique<'a>(
    mut names: impl Iterator<Item = (i64, &'a str)>,
    id: i64,
    name: &str,
    kind: &str,
) -> Result<(), String> {
    if name.is_empty() {
        return Err(format!("Name: a {kind} needs a name"));
    }
    match names.find(|(other, n)| *other != id && crate::model::same_name(n, name)) {
        Some((_, n)) => Err(format!("Name: a {kind} named '{n}' already exists")),
        None => Ok(()),
    }
}

fn number(text: &str, label: &str) -> Result<Option<f64>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    text.trim_end_matches('%')
        .replace(',', ".")
        .parse::<f64>()
        .map(Some)
        .map_err(|_| format!("{label}: '{text}' is not a number"))
}
