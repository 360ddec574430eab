//! What has the keyboard: one stack of modes, and the rules for opening and closing
//! them, in one place.
//!
//! The board is at the bottom and never closes; a running stand-up sits on it (the
//! board then reads keys through the stand-up's keymap first). Opening pushes, closing
//! pops back to what it opened over: a question about a form sits above the form, a
//! summary opened from the stand-up list above the list. A mode that needs an answer
//! and arrives while something else is open (a teammate's conflicting change while a
//! form is typed) waits just above the board, beneath everything open, so it opens
//! when they have closed. Each mode reads keys through its own section of the keymap
//! (see `input.rs`).

use ratatui_textarea::TextArea;

use super::Pane;
use super::form::Form;
use super::ops::Op;
use super::standup::StandupMode;
use crate::model::{Activity, Conflict, Standup, StandupSummary};

/// One line of the activity view: the row, and the text that lost a conflict (field,
/// value) when it is one.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityRow {
    pub activity: Activity,
    pub lost: Vec<(String, String)>,
}

pub enum Mode {
    /// The wall.
    Board,
    /// A running stand-up: the wall, walked (see `standup.rs`).
    Standup(Box<StandupMode>),
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
    /// The evidence, filtered, newest first; one piece is selected.
    Evidence(Box<super::evidence::EvidenceView>),
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
    /// Quit with unsaved input beneath, changes waiting for a busy board, or a running
    /// stand-up? Any answer but yes goes back.
    Quit,
    /// Cancel the form beneath with its unsaved input? Any answer but yes goes back to it.
    Discard,
}

impl Mode {
    pub fn ask(question: Question) -> Mode {
        Mode::Ask(Box::new(question))
    }

    /// Whether the board has the keyboard (the wall, or the stand-up's walk on it).
    pub fn is_board(&self) -> bool {
        matches!(self, Mode::Board | Mode::Standup(_))
    }

    /// Whether any key that is not one of its commands closes it.
    pub(super) fn is_view(&self) -> bool {
        matches!(
            self,
            Mode::Help { .. }
                | Mode::Detail { .. }
                | Mode::Activity { .. }
                | Mode::Summary { .. }
                | Mode::Standups { .. }
                | Mode::Parked { .. }
        )
    }

    /// Where a scrolling view is, if this is one.
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

/// The open modes, the board first. Never empty.
pub struct Modes {
    stack: Vec<Mode>,
}

impl Default for Modes {
    fn default() -> Modes {
        Modes {
            stack: vec![Mode::Board],
        }
    }
}

impl Modes {
    /// What has the keyboard.
    pub fn top(&self) -> &Mode {
        &self.stack[self.stack.len() - 1]
    }

    /// Every open mode, the board first.
    pub fn all(&self) -> &[Mode] {
        &self.stack
    }

    /// The form being typed in, also beneath a question about it.
    pub fn form(&self) -> Option<&Form> {
        let mut open = self.stack.iter().rev();
        match open.next()? {
            Mode::Form(f) => Some(f),
            Mode::Ask(q) if !matches!(**q, Question::Confirm { .. }) => match open.next()? {
                Mode::Form(f) => Some(f),
                _ => None,
            },
            _ => None,
        }
    }

    /// The running stand-up, if any.
    pub fn standup(&self) -> Option<&StandupMode> {
        self.stack.iter().find_map(|m| match m {
            Mode::Standup(s) => Some(s.as_ref()),
            _ => None,
        })
    }

    pub(super) fn standup_mut(&mut self) -> Option<&mut StandupMode> {
        self.stack.iter_mut().find_map(|m| match m {
            Mode::Standup(s) => Some(s.as_mut()),
            _ => None,
        })
    }

    pub(super) fn top_mut(&mut self) -> &mut Mode {
        let last = self.stack.len() - 1;
        &mut self.stack[last]
    }

    pub(super) fn open(&mut self, mode: Mode) {
        self.stack.push(mode);
    }

    /// Close what has the keyboard and hand it back; the board (and a running stand-up)
    /// is not closed this way.
    pub(super) fn close(&mut self) -> Option<Mode> {
        if self.top().is_board() {
            return None;
        }
        self.stack.pop()
    }

    /// Open a mode that needs an answer at once if the board has the keyboard; else it
    /// waits beneath everything open (after the others waiting), and `true` is returned.
    pub(super) fn open_or_wait(&mut self, mode: Mode) -> bool {
        if self.top().is_board() {
            self.open(mode);
            return false;
        }
        let above_board = self
            .stack
            .iter()
            .rposition(Mode::is_board)
            .map_or(0, |i| i + 1);
        self.stack.insert(above_board, mode);
        true
    }

    /// Put `mode` in the place of the mode at `at` (a view read again).
    pub(super) fn replace(&mut self, at: usize, mode: Mode) {
        if at > 0 && at < self.stack.len() {
            self.stack[at] = mode;
        }
    }

    /// The stand-up has ended: it leaves the stack, whatever is open above it stays.
    pub(super) fn end_standup(&mut self) {
        self.stack.retain(|m| !matches!(m, Mode::Standup(_)));
    }
}
