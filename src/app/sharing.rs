//! What sharing a board file tracks: the undo and redo stacks, writes waiting for a
//! busy board, who else is here, sync-conflict copies beside the file, the newest
//! activity row seen, and the presence heartbeat. Also the periodic check that brings
//! teammates' changes in (`App::tick`).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::{App, Form, Mode, NoteKind, Op, Outcome, Question};
use crate::model::{Activity, BoardFile, ReadOnly};
use crate::store::{Change, Patience, Presence, Store, StoreError};

const HEARTBEAT_EVERY: Duration = Duration::from_secs(30);

/// A queued change that could not be saved on the way out, and why.
#[derive(Debug)]
pub struct Unsaved {
    pub op: Op,
    pub why: StoreError,
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

pub struct Sharing {
    /// The board file: its path, read-only state and filesystem.
    file: BoardFile,
    /// This wall's presence file beside the board.
    presence: Presence,
    undo: Vec<Vec<Change>>,
    redo: Vec<Vec<Change>>,
    /// Writes that met a busy board, retried on every tick, in order.
    pending: VecDeque<(Op, Then)>,
    others: Vec<String>,
    /// Conflict copies beside the board that could not be merged, and why.
    kept_copies: Vec<String>,
    last_activity: i64,
    last_heartbeat: Option<Instant>,
}

impl Sharing {
    pub(super) fn new(store: &Store, user: &str) -> Result<Sharing, StoreError> {
        Ok(Sharing {
            file: store.file(),
            presence: Presence::new(store.path(), user),
            undo: Vec::new(),
            redo: Vec::new(),
            pending: VecDeque::new(),
            others: Vec::new(),
            kept_copies: Vec::new(),
            last_activity: store.last_activity_id()?,
            last_heartbeat: None,
        })
    }

    pub fn file(&self) -> &BoardFile {
        &self.file
    }

    /// The writes waiting for a busy board, oldest first.
    pub fn pending(&self) -> impl ExactSizeIterator<Item = &Op> {
        self.pending.iter().map(|(op, _)| op)
    }

    pub fn has_pending(&self) -> bool {
        !self.pending.is_empty()
    }

    /// Teammates with the board open.
    pub fn others(&self) -> &[String] {
        &self.others
    }

    /// How many changes undo can take back.
    pub fn undo_depth(&self) -> usize {
        self.undo.len()
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
        self.kept_copies.first().map(|why| format!("⚠ {why}"))
    }

    /// A write's changes, onto the stack `then` says.
    pub(super) fn record(&mut self, changes: Vec<Change>, then: Then) {
        if changes.is_empty() {
            return;
        }
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

    /// The undo stack, or the redo stack.
    pub(super) fn stack(&mut self, undo: bool) -> &mut Vec<Vec<Change>> {
        if undo { &mut self.undo } else { &mut self.redo }
    }

    /// Queue a write that met a busy board. Returns how many wait.
    pub(super) fn queue(&mut self, op: Op, then: Then) -> usize {
        self.pending.push_back((op, then));
        self.pending.len()
    }

    pub(super) fn last_activity(&self) -> i64 {
        self.last_activity
    }

    pub(super) fn saw_activity(&mut self, id: i64) {
        self.last_activity = id;
    }

    /// The presence heartbeat, and who else is here. Returns whether that changed.
    fn beat(&mut self) -> bool {
        if self
            .last_heartbeat
            .is_none_or(|t| t.elapsed() >= HEARTBEAT_EVERY)
        {
            self.presence.beat();
            self.last_heartbeat = Some(Instant::now());
        }
        let others = self.presence.others();
        let changed = others != self.others;
        self.others = others;
        changed
    }
}

impl App {
    /// The periodic check, and the cards and details that came into view with what it
    /// read. Returns whether anything visible changed.
    pub fn tick(&mut self) -> bool {
        self.screen.retry_counts();
        let changed = self.poll();
        if changed {
            self.settle_view(false);
        }
        self.warn_bad_cells() || changed
    }

    /// Whether there is work for the event loop to do once the frame is drawn and no
    /// key waits: the counts of a filter's matches on a big board.
    pub fn has_work(&self) -> bool {
        self.screen.counts_to_come()
    }

    /// One piece of that work (see [`Self::has_work`]), a few milliseconds at most.
    /// Returns whether anything visible changed.
    pub fn work(&mut self) -> bool {
        self.screen.count_matches(&self.store)
    }

    /// Teammates' changes, queued writes, presence, notes that expire, conflict copies.
    pub(super) fn poll(&mut self) -> bool {
        self.clock.set(crate::store::now());
        self.screen.set_today(self.clock.today());
        // The stand-up's countdown moves every second; otherwise redraw only on change.
        let mut redraw = self.in_standup();
        redraw |= self.screen.expire_note();
        if !self.sharing.pending.is_empty() {
            self.retry_pending();
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
        redraw |= self.reopen_if_replaced();
        redraw |= self.merge_conflict_copies();
        if self.sharing.beat() {
            redraw = true;
        }
        if redraw {
            self.screen.set_banner(self.sharing.banner());
        }
        redraw
    }

    /// A sync tool renamed a new version over the board: read it instead, and say so.
    /// Returns whether anything shown changed.
    fn reopen_if_replaced(&mut self) -> bool {
        if self.store.replaced()
            && let Err(e) = self.store.reopen()
        {
            self.say(NoteKind::Error, e.to_string());
            return true;
        }
        self.after_reopen()
    }

    /// If the store reopened the board (here, or in a write that met the old file),
    /// show the new file's board and say so. Returns whether it did.
    pub(super) fn after_reopen(&mut self) -> bool {
        if !self.store.take_reopened() {
            return false;
        }
        self.sharing.file = self.store.file();
        if let Err(e) = self.reload() {
            self.say(NoteKind::Error, e.to_string());
            return true;
        }
        let rows = self
            .store
            .activity_since(self.sharing.last_activity)
            .unwrap_or_default();
        self.note_teammates_changes(&rows);
        let news = self.note().map(|n| n.text.clone());
        self.say(
            NoteKind::Info,
            match news {
                Some(n) if !rows.is_empty() => {
                    format!("board file replaced by a new version: reopened; {n}")
                }
                _ => "board file replaced by a new version (a sync tool?): reopened and reloaded"
                    .into(),
            },
        );
        true
    }

    /// Merge the finished conflict copies beside the board, and say what they brought.
    /// Returns whether anything shown changed.
    fn merge_conflict_copies(&mut self) -> bool {
        let outcomes = self.store.merge_conflict_copies();
        if outcomes.is_empty() {
            return false;
        }
        let mut wrote = false;
        for outcome in &outcomes {
            let line = crate::report::copy_outcome(outcome);
            match outcome {
                crate::store::CopyOutcome::Merged(report) => {
                    wrote |= report.wrote;
                    self.say(NoteKind::Info, line);
                }
                crate::store::CopyOutcome::Kept { .. } => {
                    self.say(NoteKind::Warn, line.clone());
                    self.sharing.kept_copies.push(line);
                }
            }
        }
        if wrote {
            if let Err(e) = self.reload() {
                self.say(NoteKind::Error, e.to_string());
            }
            // The merged rows are noted above; the next teammates' note starts after them.
            if let Ok(id) = self.store.last_activity_id() {
                self.sharing.last_activity = id;
            }
        }
        true
    }

    /// Retry writes that met a busy board, oldest first, until one meets it again. One
    /// that fails now comes back to the person who made it (see `give_back`).
    fn retry_pending(&mut self) {
        while let Some((op, then)) = self.sharing.pending.pop_front() {
            match self.run_op(op.clone(), then) {
                Outcome::Queued => {
                    // run_op queued it at the back; keep the original order.
                    if let Some(last) = self.sharing.pending.pop_back() {
                        self.sharing.pending.push_front(last);
                    }
                    break;
                }
                Outcome::Failed(why) => self.give_back(op, why),
                _ => {}
            }
        }
        let warned = self.screen.note().is_some_and(|n| n.kind == NoteKind::Warn);
        if self.sharing.pending.is_empty() && warned {
            self.say(NoteKind::Info, "board free again: your changes are saved");
        }
    }

    /// A queued change the board refused when it was tried again (a teammate took the
    /// name meanwhile, deleted what it links to): never dropped. A change typed in a
    /// form opens that form again, every value as typed and the reason shown; any
    /// other is asked about ("try again?").
    fn give_back(&mut self, op: Op, why: StoreError) {
        match Form::again(&op, self.screen.wall()) {
            Some(mut form) => {
                form.refused(&why, "not saved: ");
                self.show(Mode::Form(Box::new(form)));
            }
            None => {
                let what = op.describe();
                let first = what.lines().next().unwrap_or_default().to_owned();
                self.show(Mode::ask(Question::Confirm {
                    text: format!("Not saved: {first} ({why}). Try again?"),
                    op,
                    otherwise: None,
                }));
            }
        }
    }

    /// Re-read what teammates changed, named by the activity rows since the last one
    /// seen: items and comments only need the counts and cards in view; anything else,
    /// or a change no row names (the `sqlite3` shell, a presence beat), the small
    /// tables too. Then say "bob moved 'Fix refunds' to Check".
    fn reread_teammates_changes(&mut self) -> Result<(), StoreError> {
        let rows = self.store.activity_since(self.sharing.last_activity)?;
        let only_cards = !rows.is_empty()
            && rows
                .iter()
                .all(|a| matches!(a.entity.as_str(), "item" | "comment"));
        if only_cards {
            self.reread()?;
        } else {
            self.reload()?;
        }
        self.note_teammates_changes(&rows);
        Ok(())
    }

    /// "bob moved 'Fix refunds' to Check", for the newest of the rows made elsewhere.
    pub(super) fn note_teammates_changes(&mut self, rows: &[Activity]) {
        let Some(newest) = rows.last() else {
            return;
        };
        self.sharing.last_activity = newest.id;
        let theirs: Vec<_> = rows
            .iter()
            .filter(|a| a.who != self.settings.user() && a.is_shown())
            .collect();
        if let Some(last) = theirs.last() {
            let more = if theirs.len() > 1 {
                self.settings.keys().expand(&format!(
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

    /// On the way out: queued writes get a last, longer try. Returns those that still
    /// could not be saved, each with why, so they can be shown rather than lost.
    pub fn flush_pending(&mut self) -> Vec<Unsaved> {
        self.flush_pending_until(Instant::now() + Patience::SCRIPT.0)
    }

    /// `flush_pending`, done by `until` (a signal allows only so long): each queued
    /// write waits for a teammate's lock no later than that, and once it has passed the
    /// rest are not tried. Afterwards the store is back to a short patience.
    pub fn flush_pending_until(&mut self, until: Instant) -> Vec<Unsaved> {
        let mut unsaved = Vec::new();
        while let Some((op, _)) = self.sharing.pending.pop_front() {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                let why = StoreError::Busy(self.store.path().to_path_buf());
                unsaved.push(Unsaved { op, why });
                continue;
            }
            self.store.set_patience(Patience(left));
            if let Err(why) = op.apply(&mut self.store) {
                unsaved.push(Unsaved { op, why });
            }
        }
        self.store.set_patience(Patience::INTERACTIVE);
        unsaved
    }

    /// How often to look for teammates' changes: slower on a network drive.
    pub fn poll_every(&self, config: &crate::config::Config) -> Duration {
        let ms = config.sharing.poll_ms;
        Duration::from_millis(if self.sharing.file.fs.is_network() {
            ms.max(1000) * 3
        } else {
            ms
        })
    }

    /// Remove this wall's presence file.
    pub fn leave(&mut self) {
        self.sharing.presence.leave();
    }
}
