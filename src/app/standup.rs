//! Stand-up mode: a timeboxed walk of the improvement board, right to left (Act, Check,
//! Do, Plan), blocked items first in each column, then items changed since the last
//! stand-up, then the rest. One item is highlighted at a time and is the wall's selected
//! item, so the usual keys move, block, comment on and edit it.
//!
//! The walk's order is fixed when the stand-up starts, so a card moved with `H`/`L` keeps
//! its place; when the board reloads, deleted items leave the walk and new ones join at
//! its end.

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;

use super::form::Form;
use super::mode::Mode;
use super::{App, NoteKind, Pane};
use crate::keymap::{Command, CommandSet, StandupCommand};
use crate::model::{Glance, Item, Status};
use crate::store::StoreError;

/// Why an item has its place in the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Blocked,
    Changed,
    Unchanged,
}

/// One step of the walk: an item, and the column it was in when it joined the walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    pub item: i64,
    pub column: Status,
}

/// A running stand-up.
#[derive(Debug, Clone)]
pub struct StandupMode {
    /// When it started, by the board's clock (the activity log's), and the newest
    /// activity row then: the summary is what came after it.
    pub start: crate::store::StandupStart,
    /// When it started by the wall's clock (`App::clock`): the countdown runs on this.
    pub clock_start: Timestamp,
    /// The timebox, in seconds.
    pub timebox: i64,
    /// "Changed" means changed after this: the end of the last finished stand-up.
    pub since: Option<Timestamp>,
    pub walk: Vec<Step>,
    /// What the walk shows of each of its items, as the board has them now.
    pub items: HashMap<i64, Glance>,
    /// The highlighted item, and its place in the walk (kept for when it disappears).
    pub current: Option<i64>,
    pub pos: usize,
    /// Topics parked so far (text, when), stored with the stand-up when it ends.
    pub parked: Vec<(String, Timestamp)>,
}

/// The order columns are walked in: right to left, Done skipped.
pub const WALK_COLUMNS: [Status; 4] = [Status::Act, Status::Check, Status::Do, Status::Plan];

pub fn group(item: &Glance, since: Option<Timestamp>) -> Group {
    if item.blocked {
        Group::Blocked
    } else if item.changed_since(since) {
        Group::Changed
    } else {
        Group::Unchanged
    }
}

/// The walk over a board's open items (given in board order): Act, Check, Do, Plan; in
/// each, blocked, changed, unchanged, each in board order.
pub fn walk_order(open: &[Glance], since: Option<Timestamp>) -> Vec<Step> {
    let mut steps: Vec<(usize, Group, usize, Step)> = open
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            let col = WALK_COLUMNS.iter().position(|s| *s == item.status)?;
            Some((
                col,
                group(item, since),
                i,
                Step {
                    item: item.id,
                    column: item.status,
                },
            ))
        })
        .collect();
    steps.sort_by_key(|(col, g, i, _)| (*col, *g, *i));
    steps.into_iter().map(|(.., s)| s).collect()
}

/// "12:34": minutes (any number) and seconds.
pub fn clock(seconds: i64) -> String {
    let s = seconds.abs();
    format!("{}:{:02}", s / 60, s % 60)
}

impl StandupMode {
    /// Seconds left of the timebox at `now` (negative when over).
    pub fn remaining(&self, now: Timestamp) -> i64 {
        self.timebox - (now.as_second() - self.clock_start.as_second())
    }

    /// "STAND-UP 12:34 left", or "STAND-UP over by 1:05" past the timebox.
    pub fn countdown(&self, now: Timestamp) -> String {
        let left = self.remaining(now);
        if left >= 0 {
            format!("STAND-UP {} left", clock(left))
        } else {
            format!("STAND-UP over by {}", clock(left))
        }
    }

    /// Place of the highlighted item in the walk.
    pub fn index(&self) -> Option<usize> {
        let id = self.current?;
        self.walk.iter().position(|s| s.item == id)
    }
}

impl App {
    pub(super) fn start_standup(&mut self) {
        // The stand-up is about the whole team's board.
        self.screen.about_the_whole_board();
        let since = self
            .screen
            .wall()
            .last_standup
            .as_ref()
            .and_then(|s| s.ended_at);
        let read = self
            .store
            .begin_standup()
            .and_then(|start| Ok((start, self.store.open_items_at_a_glance()?)));
        let (start, open) = match read {
            Ok(read) => read,
            Err(e) => {
                self.say(NoteKind::Error, e.to_string());
                return;
            }
        };
        let walk = walk_order(&open, since);
        self.modes.open(Mode::Standup(Box::new(StandupMode {
            start,
            clock_start: self.clock.now(),
            timebox: i64::from(self.settings.timebox_minutes()) * 60,
            since,
            current: walk.first().map(|s| s.item),
            pos: 0,
            walk,
            items: open.into_iter().map(|g| (g.id, g)).collect(),
            parked: Vec::new(),
        })));
        self.screen.rebuild_view(&self.store);
        self.sync_walk();
        let n = self.modes.standup().map_or(0, |m| m.walk.len());
        let hint = self.settings.keys().expand(
            "{board.down}/{board.up} next/previous · {standup.park} park a topic · {standup.end} end",
        );
        let minutes = self.settings.timebox_minutes();
        self.say(
            NoteKind::Info,
            format!("stand-up started: {n} items, {minutes} minutes · {hint}"),
        );
    }

    /// The stand-up's own keys: park a topic, end the stand-up.
    pub(super) fn standup_command(&mut self, c: StandupCommand) {
        self.modes.open(match c {
            StandupCommand::Park => Mode::Form(Box::new(Form::park_topic())),
            StandupCommand::End => Mode::EndStandup,
        });
    }

    /// The board's commands while the stand-up runs: the walk, or a word on why not.
    /// Returns whether it was handled here.
    pub(super) fn walk_command(&mut self, c: Command) -> bool {
        match c {
            Command::Standup => self.modes.open(Mode::EndStandup),
            Command::Down => self.walk_step(1),
            Command::Up => self.walk_step(-1),
            Command::First => self.walk_step(isize::MIN / 2),
            Command::Last => self.walk_step(isize::MAX / 2),
            Command::Quit => self.ask_quit(),
            // Panes, filters and layout stay put during the walk.
            c if !c.in_standup() => {
                let text = self.settings.keys().expand(
                    "not during the stand-up: {board.down}/{board.up} walk, \
                     {board.move_prev}/{board.move_next} move, {board.toggle_blocked} block, \
                     {board.comment} comment, {board.edit} edit, {standup.park} park, \
                     {standup.end} end",
                );
                self.say(NoteKind::Info, text)
            }
            _ => return false,
        }
        true
    }

    /// A topic parked from the form.
    pub(super) fn park(&mut self, topic: String) {
        if let Some(m) = self.modes.standup_mut() {
            m.parked.push((topic.clone(), crate::store::now()));
            let n = m.parked.len();
            self.say(
                NoteKind::Info,
                format!("parked for after the stand-up ({n}): {topic}"),
            );
        }
    }

    fn walk_step(&mut self, by: isize) {
        let Some(m) = self.modes.standup_mut() else {
            return;
        };
        let Some(last) = m.walk.len().checked_sub(1) else {
            return;
        };
        let i = m.index().unwrap_or(m.pos) as isize;
        m.pos = i.saturating_add(by).clamp(0, last as isize) as usize;
        m.current = Some(m.walk[m.pos].item);
        self.select_walk_item();
    }

    /// The wall's selection follows the walk's highlighted item.
    pub(super) fn select_walk_item(&mut self) {
        let Some(id) = self.modes.standup().and_then(|m| m.current) else {
            return;
        };
        self.screen.set_focus(Pane::Improvements);
        self.screen.select_item(&self.store, id);
    }

    /// After the board was re-read: deleted items leave the walk, new ones join at its
    /// end, and the highlight stays on its item (or the next one, if it was deleted).
    pub(super) fn sync_walk(&mut self) {
        if !self.in_standup() {
            return;
        }
        let open = match self.store.open_items_at_a_glance() {
            Ok(open) => open,
            Err(e) => {
                self.say(NoteKind::Error, e.to_string());
                return;
            }
        };
        let mut items: HashMap<i64, Glance> = open.iter().map(|g| (g.id, g.clone())).collect();
        let Some(m) = self.modes.standup_mut() else {
            return;
        };
        // Items walked that are no longer open (done during the stand-up) stay, if they
        // still exist.
        for step in &m.walk {
            if !items.contains_key(&step.item)
                && let Ok(Some(item)) = self.store.load::<Item>(step.item)
            {
                items.insert(item.id, Glance::from(&item));
            }
        }
        m.walk.retain(|s| items.contains_key(&s.item));
        let known: HashSet<i64> = m.walk.iter().map(|s| s.item).collect();
        m.walk.extend(
            walk_order(&open, m.since)
                .into_iter()
                .filter(|s| !known.contains(&s.item)),
        );
        m.items = items;
        match m.index() {
            Some(i) => m.pos = i,
            None => {
                m.pos = m.pos.min(m.walk.len().saturating_sub(1));
                m.current = m.walk.get(m.pos).map(|s| s.item);
            }
        }
        self.select_walk_item();
    }

    /// `s` `y`: store the stand-up (its parked topics and summary with it) and show the
    /// summary.
    pub(super) fn end_standup(&mut self) {
        let Some(m) = self.modes.standup() else {
            return;
        };
        let ended_at = crate::store::now().max(m.start.at);
        let stored = self
            .store
            .record_standup(&m.start, ended_at, self.settings.user(), &m.parked);
        let (standup, summary) = match stored {
            Ok(done) => done,
            Err(StoreError::Busy(_)) => {
                let text = self.settings.keys().expand(
                    "board busy: a teammate is saving; the stand-up is still running, \
                     press {standup.end} to end it again",
                );
                self.say(NoteKind::Warn, text);
                return;
            }
            Err(e) => {
                self.say(
                    NoteKind::Error,
                    format!("the stand-up could not be recorded: {e}"),
                );
                return;
            }
        };
        self.modes.end_standup();
        let seen = self.store.last_activity_id();
        self.sharing
            .saw_activity(seen.unwrap_or(self.sharing.last_activity()));
        if let Err(e) = self.reload() {
            self.say(NoteKind::Error, e.to_string());
        }
        self.modes.open(Mode::Summary {
            standup,
            summary: Box::new(summary),
            scroll: 0,
        });
    }
}
