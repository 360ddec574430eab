//! What has the keyboard: one [`Mode`] at a time, and a queue of what waits until it
//! closes (a conflict that arrives while a form is being typed in waits its turn).
//! Each mode reads keys through its own section of the keymap (see `input.rs`).

use ratatui_textarea::TextArea;

use super::Pane;
use super::form::Form;
use super::ops::Op;
use crate::model::{Activity, Conflict, Standup, StandupSummary};

/// One line of the activity view: the row, and the text that lost a conflict (field,
/// value) when it is one.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityRow {
    pub activity: Activity,
    pub lost: Vec<(String, String)>,
}

pub enum Mode {
    /// The wall (and the stand-up's walk, while one runs).
    Board,
    /// The filter line is being typed.
    Filter(Box<TextArea<'static>>),
    Help {
        scroll: u16,
    },
    /// Every field of the selection of a pane.
    Detail {
        pane: Pane,
        scroll: u16,
    },
    /// The activity log, newest first.
    Activity {
        rows: Vec<ActivityRow>,
        scroll: u16,
    },
    /// The past stand-ups, newest first, with their summaries; one is selected.
    Standups {
        list: Vec<(Standup, StandupSummary)>,
        selected: usize,
    },
    /// The open parked topics (`board.open_topics()`); one is selected.
    Parked {
        selected: usize,
    },
    Form(Box<Form>),
    /// A yes/no question.
    Ask(Box<Question>),
    /// A teammate changed the same field: keep mine, keep theirs, or edit.
    Conflict(Box<Conflict>),
    /// `s` during the stand-up: end it and record it?
    EndStandup,
    /// What a stand-up achieved: the one that just ended, or one from the list.
    Summary {
        standup: Standup,
        summary: Box<StandupSummary>,
        scroll: u16,
        /// Where closing it goes back to (the stand-up list it was opened from).
        back: Option<Box<Mode>>,
    },
}

/// A yes/no question, and what each answer does.
#[allow(clippy::large_enum_variant)] // boxed as a whole in `Mode::Ask`
pub enum Question {
    /// "Are you sure?": `yes` runs `op`; `no` runs `otherwise` (e.g. keeps unsaved text
    /// in the activity log). Other keys are ignored.
    Confirm {
        text: String,
        op: Op,
        otherwise: Option<Op>,
    },
    /// Quit with unsaved input, changes waiting for a busy board, or a running stand-up?
    /// Any answer but yes goes back to `back_to`.
    Quit { back_to: Box<Mode> },
    /// Cancel a form with unsaved input? Any answer but yes goes back to the form.
    Discard(Box<Form>),
}

impl Mode {
    pub fn is_board(&self) -> bool {
        matches!(self, Mode::Board)
    }

    /// The form being typed in, also under a question about it.
    pub fn form(&self) -> Option<&Form> {
        match self {
            Mode::Form(f) => Some(f),
            Mode::Ask(q) => match q.as_ref() {
                Question::Discard(f) => Some(f),
                Question::Quit { back_to } => back_to.form(),
                Question::Confirm { .. } => None,
            },
            _ => None,
        }
    }

    /// Where a scrolling view is, if this is one.
    pub fn scroll(&self) -> Option<u16> {
        match self {
            Mode::Help { scroll }
            | Mode::Detail { scroll, .. }
            | Mode::Activity { scroll, .. }
            | Mode::Summary { scroll, .. } => Some(*scroll),
            _ => None,
        }
    }

    pub(super) fn scroll_mut(&mut self) -> Option<&mut u16> {
        match self {
            Mode::Help { scroll }
            | Mode::Detail { scroll, .. }
            | Mode::Activity { scroll, .. }
            | Mode::Summary { scroll, .. } => Some(scroll),
            _ => None,
        }
    }
}
