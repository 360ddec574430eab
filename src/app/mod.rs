//! App state, actions and the one place that writes to the store.
//!
//! # The parts of an `App`
//!
//! [`App`] owns the store (privately) and five parts, each with private fields and a
//! small interface:
//!
//! - [`Screen`] (`screen/`): what the screen shows — the board's small tables and the
//!   cards in view (read a screenful at a time), focus, selection, zoom, density,
//!   filter, "my items", the terminal's size, the note and the banner. It reads the
//!   store by shared reference and never writes; layout and the detail view's fields
//!   are functions of it.
//! - [`Sharing`] (`sharing.rs`): what sharing the file tracks — undo and redo, writes
//!   queued for a busy board, others here, conflict copies, the newest activity seen,
//!   the heartbeat; and the periodic check that brings teammates' changes in.
//! - [`Modes`] (`mode.rs`): what has the keyboard, as one stack with the board at the
//!   bottom. A running stand-up is a mode on the board (its walk reads keys through the
//!   stand-up's keymap first); opening pushes, closing pops, and a mode that needs an
//!   answer while something is open waits beneath it. The rules for opening and
//!   closing live there.
//! - [`Clock`] (`clock.rs`): now, today and the time zone (tests pin them).
//! - [`Settings`] (`settings.rs`): the user, keys, theme, colour, the stand-up timebox.
//!
//! A command's handler shows by its signature what it can touch: moving about is a
//! method of `Screen` that takes `&Store` (`screen/navigate.rs`); what a command asks
//! the store for is built from `&Screen` (`board.rs`); only `App` methods run writes.
//!
//! # From a key to the screen
//!
//! Keys become [`Action`]s through the keymap of the mode on top (`input.rs`);
//! [`App::update`] hands each to that mode and returns the [`Effect`] the event loop
//! must carry out (quit, suspend). Every write goes through `App::run` as an [`Op`];
//! a form's fields become one op, or a [`FormError`] that names the field, which the
//! form focuses. `ui::draw` reads the parts through their accessors, never the store.

mod board;
mod clock;
pub mod evidence;
pub mod form;
pub mod help;
pub mod history;
mod input;
pub mod mode;
pub mod ops;
mod screen;
mod settings;
mod sharing;
pub mod standup;

use crate::config::Config;
use crate::model::{Item, Kind, ParkedTopic};
use std::collections::BTreeSet;

use crate::store::{BadCell, Store, StoreError};
pub use clock::Clock;
pub use form::{FieldId, Form, FormError};
pub use input::{Action, Effect};
pub use mode::{ActivityRow, Mode, Modes, Question};
pub use ops::Op;
pub use screen::detail::{Detail, Related};
pub use screen::{Cards, Note, NoteKind, Pane, Screen, Selection, View, cards, detail, layout};
pub use settings::Settings;
use sharing::Then;
pub use sharing::{Sharing, Unsaved};
use standup::StandupMode;

pub struct App {
    store: Store,
    screen: Screen,
    sharing: Sharing,
    modes: Modes,
    clock: Clock,
    settings: Settings,
    /// The board's malformed cells the status line has named (see `warn_bad_cells`).
    bad_cells: BTreeSet<BadCell>,
}

/// What became of an operation.
#[derive(Debug)]
pub(crate) enum Outcome {
    Done,
    /// The board was busy; it waits in `pending` and is retried on every tick.
    Queued,
    /// A teammate changed the same field: the conflict view decides.
    Conflict,
    /// A teammate deleted the record: re-create it is offered.
    Gone,
    /// Refused (bad input, read-only board …); nothing was written.
    Failed(StoreError),
}

impl App {
    pub fn new(store: Store, config: &Config, user: &str) -> Result<App, StoreError> {
        let sharing = Sharing::new(&store, user)?;
        let mut screen = Screen::new(store.load_wall()?);
        screen.set_banner(sharing.banner());
        let mut app = App {
            screen,
            sharing,
            modes: Modes::default(),
            clock: Clock::system(),
            settings: Settings::new(config, user),
            store,
            bad_cells: BTreeSet::new(),
        };
        app.screen.set_today(app.clock.today());
        app.screen.rebuild_view(&app.store);
        app.warn_bad_cells();
        Ok(app)
    }

    /// Cells the last reads could not read (each shown as an empty value) are named on
    /// the status line, once each, with where to see them all. Returns whether it spoke.
    pub(crate) fn warn_bad_cells(&mut self) -> bool {
        let met = crate::store::take_bad_cells();
        let new: Vec<BadCell> = met
            .cells
            .into_iter()
            .filter(|c| !self.bad_cells.contains(c))
            .collect();
        let Some(first) = new.first() else {
            return false;
        };
        let text = format!(
            "{}: {} obeya cannot read, shown as empty values ({first}{}); see them all with obeya check",
            self.store.path().display(),
            crate::format::count(new.len() + met.more, "cell", "cells"),
            if new.len() > 1 { "; …" } else { "" }
        );
        self.bad_cells.extend(new);
        self.say(NoteKind::Warn, text);
        true
    }

    /// Set "now" (tests pin it, so snapshots do not depend on the day they run).
    pub fn set_clock(&mut self, now: jiff::Timestamp) {
        self.clock.set(now);
        self.screen.set_today(self.clock.today());
    }

    /// Show times in `tz` (the system's zone by default; tests pin one).
    pub fn set_time_zone(&mut self, tz: jiff::tz::TimeZone) {
        self.clock.set_zone(tz);
        self.screen.set_today(self.clock.today());
    }

    /// Draw in colour or not (NO_COLOR decides by default).
    pub fn set_color(&mut self, color: bool) {
        self.settings.set_color(color);
    }

    pub fn screen(&self) -> &Screen {
        &self.screen
    }

    pub fn sharing(&self) -> &Sharing {
        &self.sharing
    }

    pub fn modes(&self) -> &Modes {
        &self.modes
    }

    pub fn clock(&self) -> &Clock {
        &self.clock
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// What has the keyboard.
    pub fn mode(&self) -> &Mode {
        self.modes.top()
    }

    /// The form being typed in, if any (also under a question about it).
    pub fn form(&self) -> Option<&Form> {
        self.modes.form()
    }

    /// The running stand-up, if any.
    pub fn standup(&self) -> Option<&StandupMode> {
        self.modes.standup()
    }

    pub fn in_standup(&self) -> bool {
        self.modes.standup().is_some()
    }

    pub fn selection(&self) -> &Selection {
        self.screen.selection()
    }

    pub fn selected_item(&self) -> Option<&Item> {
        self.screen.selected_item()
    }

    /// The status line's message.
    pub fn note(&self) -> Option<&Note> {
        self.screen.note()
    }

    /// The selected open parked topic, in the parked-topics view.
    pub fn selected_topic(&self) -> Option<&ParkedTopic> {
        match self.mode() {
            Mode::Parked { selected } => self.screen.wall().open_topics().nth(*selected),
            _ => None,
        }
    }

    /// Every field of the selection of `pane`, for the detail view and zoom.
    pub fn detail(&self, pane: Pane) -> Detail {
        self.screen.detail(pane, &self.clock)
    }

    pub fn say(&mut self, kind: NoteKind, text: impl Into<String>) {
        self.screen.say(kind, text);
    }

    /// Take the note off the status line.
    pub fn clear_note(&mut self) {
        self.screen.clear_note();
    }

    /// Re-read the board (after our own write or a teammate's): its small tables, and
    /// the counts and cards in view.
    pub fn reload(&mut self) -> Result<(), StoreError> {
        self.screen.set_wall(self.store.load_wall()?);
        self.reread_evidence();
        self.reread()
    }

    /// Read the counts and the cards in view again, and the stand-up's walk with them.
    fn reread(&mut self) -> Result<(), StoreError> {
        let read = self.screen.read_view(&self.store);
        self.sync_walk();
        read
    }

    /// After an action or a tick: the cards in view are read (see `Screen::settle`).
    fn settle_view(&mut self, moving: bool) {
        let related = matches!(self.mode(), Mode::Detail { .. }) || self.in_standup();
        self.screen.settle(&self.store, moving, related);
    }

    /// Select a record after it was added or moved; during the stand-up the highlight
    /// stays on the walk (a new item joins its end).
    fn select_record(&mut self, kind: Kind, id: i64) {
        self.screen.select_record(&self.store, kind, id);
        self.select_walk_item();
    }

    /// Open a mode that needs an answer; if something is open, it waits its turn.
    fn show(&mut self, mode: Mode) {
        if self.modes.open_or_wait(mode) {
            self.say(
                NoteKind::Warn,
                "a teammate's change needs your answer: it opens when you close this",
            );
        }
    }

    /// Run an operation: written at once, or queued if the board is busy.
    pub(crate) fn run(&mut self, op: Op) -> Outcome {
        let then = if op.is_undoable() {
            Then::Undoable
        } else {
            Then::Nothing
        };
        self.run_op(op, then)
    }

    fn run_op(&mut self, op: Op, then: Then) -> Outcome {
        let result = op.apply(&mut self.store);
        // A sync tool replaced the board under the write, which went to the new file.
        self.after_reopen();
        match result {
            Ok(done) => {
                self.sharing.record(self.store.take_changes(), then);
                if let Err(e) = self.reload() {
                    self.say(NoteKind::Error, e.to_string());
                }
                // Teammates' changes committed meanwhile still get their note.
                if let Ok(rows) = self.store.activity_since(self.sharing.last_activity()) {
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
                let n = self.sharing.queue(op, then);
                self.say(
                    NoteKind::Warn,
                    format!(
                        "board busy: a teammate is saving; {} will be saved when the lock is free",
                        crate::format::count(n, "change", "changes")
                    ),
                );
                Outcome::Queued
            }
            Err(StoreError::Conflict(c)) => {
                self.show(Mode::Conflict(c));
                Outcome::Conflict
            }
            Err(StoreError::Gone { label }) => {
                match op.edited() {
                    Some(mine) => self.show(Mode::ask(Question::Confirm {
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
                    })),
                    None => self.say(NoteKind::Warn, format!("{label} was deleted by a teammate")),
                }
                let _ = self.reload();
                Outcome::Gone
            }
            Err(e) => {
                self.say(NoteKind::Error, e.to_string());
                Outcome::Failed(e)
            }
        }
    }
}
