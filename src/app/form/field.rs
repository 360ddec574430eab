//! A form's fields: a line, several lines or a pick-list, each on a ratatui-textarea
//! editor (real cursor movement, word delete, paste), addressed by its [`FieldId`].

use crossterm::event::{KeyCode, KeyEvent};
use ratatui::style::{Modifier, Style};
use ratatui_textarea::TextArea;

use crate::format::first_chars;
use crate::model::rules::TextSize;

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
    #[strum(serialize = "Amber within")]
    Warn,
    Statement,
    Customer,
    Note,
    Comment,
    Reason,
    Limit,
    Topic,
    Side,
    Kind,
    Text,
    Source,
    Observed,
    Sentiment,
    Supports,
}

impl FieldId {
    pub fn label(self) -> &'static str {
        self.into()
    }

    /// The most characters it holds: its record field's (`rules::TextSize`).
    pub fn max_chars(self) -> usize {
        use FieldId::*;
        let field = match self {
            Title => "title",
            Owner => "owner",
            Name | Metric => "name",
            Role => "role",
            Quote => "quote",
            Unit => "unit",
            Customer => "customer",
            Note => "note",
            Reason => "blocked_reason",
            Due | Target | Actual | Warn | Limit => "title",
            _ => "text",
        };
        TextSize::of(field).max_chars()
    }
}

/// A choice field's options: each value (`None`: none) and its label.
pub type Choices = Vec<(Option<i64>, String)>;

pub struct Field {
    pub id: FieldId,
    /// A question shown under the label (the customer-first prompts).
    pub prompt: &'static str,
    pub kind: FieldKind,
    pub editor: TextArea<'static>,
    /// For `Choice`: (value, label) options and the chosen index.
    pub options: Choices,
    pub chosen: usize,
    initial: (String, usize),
    /// How many characters the value had when it was more than the field holds (put on
    /// the board by other means): it shows cut to the limit.
    pub cut_from: Option<usize>,
}

impl Field {
    fn text(id: FieldId, kind: FieldKind, value: &str) -> Field {
        let (shown, cut) = first_chars(value, id.max_chars());
        let cut_from = cut.then(|| value.chars().count());
        let mut editor = TextArea::new(shown.split('\n').map(str::to_owned).collect());
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
            // A cut value counts as changed: leaving asks first.
            initial: (value.to_owned(), 0),
            cut_from,
        }
    }

    pub fn line(id: FieldId, value: &str) -> Field {
        Field::text(id, FieldKind::Line, value)
    }

    pub fn multi(id: FieldId, value: &str) -> Field {
        Field::text(id, FieldKind::Multi, value)
    }

    pub fn choice(id: FieldId, options: Choices, value: Option<i64>) -> Field {
        let chosen = options.iter().position(|(v, _)| *v == value).unwrap_or(0);
        // A name the sqlite3 shell made longer than any name is: shown cut.
        let options = options
            .into_iter()
            .map(
                |(v, label)| match first_chars(&label, TextSize::Name.max_chars()) {
                    (_, false) => (v, label),
                    (part, true) => (v, format!("{part}…")),
                },
            )
            .collect();
        Field {
            id,
            prompt: "",
            kind: FieldKind::Choice,
            editor: TextArea::default(),
            options,
            chosen,
            initial: (String::new(), chosen),
            cut_from: None,
        }
    }

    pub(super) fn with_prompt(mut self, prompt: &'static str) -> Field {
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

pub(super) fn single_line_editor(text: &str) -> TextArea<'static> {
    let mut editor = TextArea::new(vec![text.to_owned()]);
    editor.set_cursor_line_style(Style::default());
    editor.set_cursor_style(Style::default().add_modifier(Modifier::REVERSED));
    editor.move_cursor(ratatui_textarea::CursorMove::End);
    editor
}

pub(super) fn choose(field: &mut Field, key: KeyEvent) {
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
