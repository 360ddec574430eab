//! App state, actions and the one place that writes to the store.
//!
//! Keys become [`Action`]s before anything changes (`input.rs`, through the keymap of
//! the current [`Mode`]); [`App::update`] applies them, and every write goes through
//! [`App::run`] as an [`Op`]. `ui::draw` only reads the state, and never the store,
//! which is private here. Selections are kept as record ids, so they stay on the same
//! record when a teammate's change reloads the board.

mod board;
pub mod cards;
pub mod detail;
pub mod form;
pub mod help;
mod history;
mod input;
pub mod layout;
pub mod mode;
pub mod ops;
pub mod standup;
mod view;

use std::collections::VecDeque;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

use crate::config::{Config, Theme};
use crate::keymap::Keys;
use crate::model::{BoardFile, FsKind, Item, Kind, Persona, ReadOnly, Stage, Wall};
use crate::store::{Change, Patience, Store, StoreError};
pub use detail::{Detail, Related};
pub use form::{FieldId, Form};
pub use input::Action;
pub use mode::{ActivityRow, Mode, Question};
pub use ops::Op;
pub use view::{Cards, View};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Mission,
    Personas,
    Journey,
    Improvements,
}

impl Pane {
    pub const ALL: [Pane; 4] = [
        Pane::Mission,
        Pane::Personas,
        Pane::Journey,
        Pane::Improvements,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    Info,
    Warn,
    Error,
}

#[derive(Debug, Clone)]
pub struct Note {
    pub text: String,
    pub kind: NoteKind,
    pub at: Instant,
}

/// What is selected, by id.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub persona: Option<i64>,
    pub stage: Option<i64>,
    pub column: usize,
    pub item: Option<i64>,
    /// The selected card's row in its column when last seen: where the selection stays
    /// when the card leaves the column under it (a teammate moved or deleted it).
    pub row: usize,
}

pub struct App {
    store: Store,
    /// The board file: its path, read-only state and filesystem.
    pub file: BoardFile,
    /// The board's tables but the items, which are read a screenful at a time (`view`).
    pub board: Wall,
    pub view: View,
    /// What the detail view and the stand-up show beyond the wall's cards.
    pub related: Related,
    pub keys: Keys,
    pub theme: Theme,
    pub color: bool,
    /// The zone times are shown in (the system's; tests pin it).
    pub tz: TimeZone,
    pub user: String,
    pub instance: String,
    pub focus: Pane,
    pub sel: Selection,
    pub zoom: bool,
    /// One line per card instead of the wrapped title and its facts.
    pub compact: bool,
    /// The first card shown in each column (see `layout::visible_cards`).
    pub card_scroll: [usize; 5],
    pub filter: String,
    pub mine_only: bool,
    /// What has the keyboard.
    pub mode: Mode,
    /// Modes that wait until the current one closes (a conflict while typing).
    pub queue: VecDeque<Mode>,
    /// The status line's message, cleared after a few seconds.
    pub note: Option<Note>,
    pub undo: Vec<Vec<Change>>,
    pub redo: Vec<Vec<Change>>,
    /// Writes that met a busy board, retried on every tick, in order.
    pub pending: VecDeque<(Op, Then)>,
    pub others: Vec<String>,
    pub conflict_copies: Vec<PathBuf>,
    pub last_activity: i64,
    pub now: Timestamp,
    pub today: Date,
    pub size: (u16, u16),
    pub quit: bool,
    pub suspend: bool,
    /// The running stand-up, if any.
    pub standup: Option<standup::StandupMode>,
    /// The stand-up timebox from the config.
    pub timebox_minutes: u32,
    last_heartbeat: Option<Instant>,
    last_copies_check: Option<Instant>,
}

/// What became of an operation.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Done,
    /// The board was busy; it waits in `pending` and is retried on every tick.
    Queued,
    /// A teammate changed the same field: the conflict view decides.
    Conflict,
    /// A teammate deleted the record: re-create it is offered.
    Gone,
    /// Refused (bad input, read-only board …); nothing was written.
    Failed(String),
}

/// Where the changes of a successful operation go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Then {
    /// A new change: onto the undo stack (and the redo stack is cleared).
    Undoable,
    /// An undo: its reversal goes onto the redo stack.
    Redoable,
    /// A redo: back onto the undo stack, keeping the rest of the redo stack.
    UndoableAgain,
    Nothing,
}

/// Notes stay this long on the status line.
const NOTE_LIFETIME: Duration = Duration::from_secs(6);
const HEARTBEAT_EVERY: Duration = Duration::from_secs(30);

impl App {
    pub fn new(store: Store, config: &Config, user: &str) -> Result<App, StoreError> {
        let board = store.load_wall()?;
        let last_activity = store.last_activity_id()?;
        let conflict_copies = crate::store::conflict_copies(store.path());
        let mut app = App {
            file: store.file(),
            board,
            view: View::default(),
            related: Related::default(),
            keys: config.keys(),
            theme: config.theme,
            color: !crate::config::no_color(),
            tz: TimeZone::system(),
            user: user.to_owned(),
            instance: format!(
                "{}-{}-{}",
                user,
                std::process::id(),
                Timestamp::now().as_millisecond()
            ),
            focus: Pane::Improvements,
            sel: Selection::default(),
            zoom: false,
            compact: false,
            card_scroll: [0; 5],
            filter: String::new(),
            mine_only: false,
            mode: Mode::Board,
            queue: VecDeque::new(),
            note: None,
            undo: Vec::new(),
            redo: Vec::new(),
            pending: VecDeque::new(),
            others: Vec::new(),
            conflict_copies,
            last_activity,
            now: crate::store::now(),
            today: Date::default(),
            size: (0, 0),
            quit: false,
            suspend: false,
            standup: None,
            timebox_minutes: config.standup.timebox_minutes,
            last_heartbeat: None,
            last_copies_check: None,
            store,
        };
        app.set_clock(crate::store::now());
        app.sel.persona = app.board.personas.first().map(|p| p.id);
        app.sel.stage = app.board.stages.first().map(|s| s.id);
        app.rebuild_view();
        Ok(app)
    }

    /// Set "now" (tests pin it, so snapshots do not depend on the day they run).
    pub fn set_clock(&mut self, now: Timestamp) {
        self.now = now;
        self.today = now.to_zoned(self.tz.clone()).date();
    }

    /// The form being typed in, if any (also under a question about it).
    pub fn form(&self) -> Option<&Form> {
        self.mode.form()
    }

    pub fn say(&mut self, kind: NoteKind, text: impl Into<String>) {
        self.note = Some(Note {
            text: text.into(),
            kind,
            at: Instant::now(),
        });
    }

    /// The one-line notice above the status bar, if there is something to warn about.
    pub fn banner(&self) -> Option<String> {
        let path = self.file.path.display();
        if let Some(ro) = &self.file.read_only {
            return Some(match ro {
                ReadOnly::NoPermission => {
                    format!("READ-ONLY: no write permission for {path}; changes are not saved")
                }
                ReadOnly::NewerSchema { found, known } => format!(
                    "READ-ONLY: {path} is from a newer obeya (schema {found} > {known}); upgrade obeya to edit it"
                ),
            });
        }
        if let Some(copy) = self.conflict_copies.first() {
            return Some(format!(
                "⚠ sync-conflict copy beside the board: {} (merge it with: obeya merge \"{}\")",
                copy.file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default(),
                copy.display()
            ));
        }
        None
    }

    /// Re-read the board (after our own write or a teammate's): its small tables, and
    /// the counts and cards in view.
    pub fn reload(&mut self) -> Result<(), StoreError> {
        self.board = self.store.load_wall()?;
        self.try_rebuild_view()
    }

    /// Keep the persona and stage selected on existing ones; fall back to the first.
    pub(crate) fn fix_selection(&mut self) {
        if self
            .sel
            .persona
            .is_none_or(|id| self.board.persona(id).is_none())
        {
            self.sel.persona = self.board.personas.first().map(|p| p.id);
        }
        if self
            .sel
            .stage
            .is_none_or(|id| self.board.stage(id).is_none())
        {
            self.sel.stage = self.board.stages.first().map(|s| s.id);
        }
    }

    pub fn selected_persona(&self) -> Option<&Persona> {
        self.sel.persona.and_then(|id| self.board.persona(id))
    }

    pub fn selected_stage(&self) -> Option<&Stage> {
        self.sel.stage.and_then(|id| self.board.stage(id))
    }

    pub fn persona_index(&self) -> Option<usize> {
        self.sel
            .persona
            .and_then(|id| self.board.personas.iter().position(|p| p.id == id))
    }

    pub fn stage_index(&self) -> Option<usize> {
        self.sel
            .stage
            .and_then(|id| self.board.stages.iter().position(|s| s.id == id))
    }

    /// Whether a card is marked as serving the selected persona or stage.
    pub fn is_marked(&self, item: &Item) -> bool {
        match self.focus {
            Pane::Personas => item.persona_id.is_some() && item.persona_id == self.sel.persona,
            Pane::Journey => item.stage_id.is_some() && item.stage_id == self.sel.stage,
            _ => false,
        }
    }

    /// Run an operation: written at once, or queued if the board is busy.
    pub fn run(&mut self, op: Op) -> Outcome {
        let then = if op.is_undoable() {
            Then::Undoable
        } else {
            Then::Nothing
        };
        self.run_op(op, then)
    }

    pub(crate) fn run_op(&mut self, op: Op, then: Then) -> Outcome {
        match op.apply(&mut self.store) {
            Ok(done) => {
                let changes = self.store.take_changes();
                if !changes.is_empty() {
                    match then {
                        Then::Undoable => {
                            self.undo.push(changes);
                            self.redo.clear();
                        }
                        Then::Redoable => self.redo.push(changes),
                        Then::UndoableAgain => self.undo.push(changes),
                        Then::Nothing => {}
                    }
                }
                if let Err(e) = self.reload() {
                    self.say(NoteKind::Error, e.to_string());
                }
                // Teammates' changes committed meanwhile still get their note.
                if let Ok(rows) = self.store.activity_since(self.last_activity) {
                    self.note_teammates_changes(&rows);
                }
                if let Some((kind, id)) = done.select {
                    self.select_record(kind, id);
                }
                if let Some(who) = done.merged_with {
                    self.say(
                        NoteKind::Info,
                        format!("saved, merged with {who}'s change to other fields"),
                    );
                }
                Outcome::Done
            }
            Err(StoreError::Busy(_)) => {
                self.pending.push_back((op, then));
                let n = self.pending.len();
                self.say(
                    NoteKind::Warn,
                    format!("board busy: a teammate is saving; {n} change(s) will be saved when the lock is free"),
                );
                Outcome::Queued
            }
            Err(StoreError::Conflict(c)) => {
                self.show(Mode::Conflict(c));
                Outcome::Conflict
            }
            Err(StoreError::Gone { label }) => {
                match op.edited() {
                    Some(mine) => self.show(Mode::Ask(Box::new(Question::Confirm {
                        text: format!(
                            "{label} was deleted by a teammate. Re-create it with your changes?"
                        ),
                        op: Op::Recreate(mine.clone()),
                        otherwise: Some(Op::Discard {
                            mine,
                            summary: format!(
                                "not re-created after a teammate deleted {label}; the edit was"
                            ),
                        }),
                    }))),
                    None => self.say(NoteKind::Warn, format!("{label} was deleted by a teammate")),
                }
                let _ = self.reload();
                Outcome::Gone
            }
            Err(e) => {
                let msg = e.to_string();
                self.say(NoteKind::Error, msg.clone());
                Outcome::Failed(msg)
            }
        }
    }

    /// Open a mode that needs an answer; if a form or question is open, it waits its turn.
    pub(crate) fn show(&mut self, mode: Mode) {
        if self.mode.is_board() {
            self.mode = mode;
        } else {
            self.queue.push_back(mode);
            self.say(
                NoteKind::Warn,
                "a teammate's change needs your answer: it opens when you close this",
            );
        }
    }

    /// Back to the board, or to the next mode waiting.
    pub(crate) fn close(&mut self) {
        self.mode = self.queue.pop_front().unwrap_or(Mode::Board);
    }

    /// On the way out: queued writes get a last, longer try. Returns those that still
    /// could not be saved, so they can be shown rather than lost.
    pub fn flush_pending(&mut self) -> Vec<Op> {
        self.flush_pending_until(Instant::now() + Patience::SCRIPT.0)
    }

    /// `flush_pending`, done by `until` (a signal allows only so long): each queued
    /// write waits for a teammate's lock no later than that, and once it has passed the
    /// rest are not tried. Afterwards the store is back to a short patience.
    pub fn flush_pending_until(&mut self, until: Instant) -> Vec<Op> {
        let mut unsaved = Vec::new();
        while let Some((op, _)) = self.pending.pop_front() {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                unsaved.push(op);
                continue;
            }
            self.store.set_patience(Patience(left));
            if op.apply(&mut self.store).is_err() {
                unsaved.push(op);
            }
        }
        self.store.set_patience(Patience::INTERACTIVE);
        unsaved
    }

    /// Select a record after it was added or moved.
    pub fn select_record(&mut self, kind: Kind, id: i64) {
        match kind {
            Kind::Persona => self.sel.persona = Some(id),
            Kind::Stage => self.sel.stage = Some(id),
            Kind::Item => self.select_item(id),
            _ => {}
        }
        // During the stand-up the highlight stays on the walk (a new item joins its end).
        self.select_walk_item();
    }

    /// The periodic check, and the cards and details that came into view with what it
    /// read. Returns whether anything visible changed.
    pub fn tick(&mut self) -> bool {
        let changed = self.poll();
        if changed {
            self.settle_view(false);
        }
        changed
    }

    /// Teammates' changes, queued writes, presence, notes that expire, conflict copies.
    pub(super) fn poll(&mut self) -> bool {
        self.set_clock(crate::store::now());
        // The stand-up's countdown moves every second; otherwise redraw only on change.
        let mut redraw = self.standup.is_some();
        if self
            .note
            .as_ref()
            .is_some_and(|n| n.at.elapsed() > NOTE_LIFETIME)
        {
            self.note = None;
            redraw = true;
        }
        // Retry writes that met a busy board, oldest first, until one meets it again.
        if !self.pending.is_empty() {
            while let Some((op, then)) = self.pending.pop_front() {
                if self.run_op(op, then) == Outcome::Queued {
                    // run_op queued it at the back; keep the original order.
                    if let Some(last) = self.pending.pop_back() {
                        self.pending.push_front(last);
                    }
                    break;
                }
            }
            if self.pending.is_empty()
                && self.note.as_ref().is_some_and(|n| n.kind == NoteKind::Warn)
            {
                self.say(NoteKind::Info, "board free again: your changes are saved");
            }
            redraw = true;
        }
        match self.store.changed_by_others() {
            Ok(true) => {
                if self.reread_teammates_changes().is_err() {
                    // Try again next tick rather than stay stale until the next change.
                    self.store.forget_data_version();
                }
                redraw = true;
            }
            Ok(false) => {}
            Err(StoreError::Busy(_)) => {}
            Err(e) => {
                self.say(NoteKind::Error, e.to_string());
                redraw = true;
            }
        }
        if self
            .last_heartbeat
            .is_none_or(|t| t.elapsed() >= HEARTBEAT_EVERY)
        {
            let _ = self.store.heartbeat(&self.instance);
            self.last_heartbeat = Some(Instant::now());
        }
        if let Ok(others) = self.store.others_here(&self.instance)
            && others != self.others
        {
            self.others = others;
            redraw = true;
        }
        if self
            .last_copies_check
            .is_none_or(|t| t.elapsed() >= Duration::from_secs(60))
        {
            self.last_copies_check = Some(Instant::now());
            let copies = crate::store::conflict_copies(&self.file.path);
            redraw |= copies != self.conflict_copies;
            self.conflict_copies = copies;
        }
        redraw
    }

    /// Re-read what teammates changed, named by the activity rows since the last one
    /// seen: items and comments only need the counts and cards in view; anything else,
    /// or a change no row names (the `sqlite3` shell, a presence beat), the small
    /// tables too. Then say "bob moved 'Fix refunds' to Check".
    fn reread_teammates_changes(&mut self) -> Result<(), StoreError> {
        let rows = self.store.activity_since(self.last_activity)?;
        let only_cards = !rows.is_empty()
            && rows
                .iter()
                .all(|a| matches!(a.entity.as_str(), "item" | "comment"));
        if only_cards {
            self.try_rebuild_view()?;
        } else {
            self.reload()?;
        }
        self.note_teammates_changes(&rows);
        Ok(())
    }

    /// "bob moved 'Fix refunds' to Check", for the newest of the rows made elsewhere.
    fn note_teammates_changes(&mut self, rows: &[crate::model::Activity]) {
        let Some(newest) = rows.last() else {
            return;
        };
        self.last_activity = newest.id;
        let theirs: Vec<_> = rows.iter().filter(|a| a.who != self.user).collect();
        if let Some(last) = theirs.last() {
            let more = if theirs.len() > 1 {
                self.keys.expand(&format!(
                    " (+{} more, {{board.activity}}: activity)",
                    theirs.len() - 1
                ))
            } else {
                String::new()
            };
            let text = format!("{} {}{more}", last.who, last.summary);
            self.say(NoteKind::Info, text);
        }
    }

    /// How often to look for teammates' changes: slower on a network drive.
    pub fn poll_every(&self, config: &Config) -> Duration {
        let ms = config.sharing.poll_ms;
        Duration::from_millis(if self.file.fs == FsKind::Network {
            ms.max(1000) * 3
        } else {
            ms
        })
    }

    /// Say goodbye to the presence table.
    pub fn leave(&mut self) {
        self.store.leave(&self.instance);
    }
}
