//! Stand-up mode: a timeboxed walk of the improvement board, right to left (Act, Check,
//! Do, Plan), blocked items first in each column, then items changed since the last
//! stand-up, then the rest. One item is highlighted at a time and is the wall's selected
//! item, so the usual keys move, block, comment on and edit it.
//!
//! The walk's order is fixed when the stand-up starts, so a card moved with `H`/`L` keeps
//! its place; when the board reloads, deleted items leave the walk and new ones join at
//! its end.

use std::collections::HashSet;

use jiff::Timestamp;

use super::form::Form;
use super::keymap::Command;
use super::{App, NoteKind, Pane, Popup};
use crate::model::{Board, Item, Status};
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
    /// When it started, by the board's clock (the activity log's): stored and used for
    /// the summary.
    pub started_at: Timestamp,
    /// When it started by the wall's clock (`App::now`): the countdown runs on this.
    pub clock_start: Timestamp,
    /// The timebox, in seconds.
    pub timebox: i64,
    /// "Changed" means changed after this: the end of the last finished stand-up.
    pub since: Option<Timestamp>,
    pub walk: Vec<Step>,
    /// The highlighted item, and its place in the walk (kept for when it disappears).
    pub current: Option<i64>,
    pub pos: usize,
    pub parked: Vec<String>,
    /// `s` was pressed: asking "end the stand-up? y/n".
    pub confirm_end: bool,
}

/// The order columns are walked in: right to left, Done skipped.
pub const WALK_COLUMNS: [Status; 4] = [Status::Act, Status::Check, Status::Do, Status::Plan];

/// Whether an item changed after `since` (every item does when there was no stand-up).
pub fn changed_since(item: &Item, since: Option<Timestamp>) -> bool {
    since.is_none_or(|t| item.meta.updated_at > t || item.status_since > t)
}

pub fn group(item: &Item, since: Option<Timestamp>) -> Group {
    if item.blocked {
        Group::Blocked
    } else if changed_since(item, since) {
        Group::Changed
    } else {
        Group::Unchanged
    }
}

/// The walk over a board: Act, Check, Do, Plan; in each, blocked, changed, unchanged,
/// each in board order.
pub fn walk_order(board: &Board, since: Option<Timestamp>) -> Vec<Step> {
    let mut steps: Vec<(usize, Group, usize, Step)> = board
        .items
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
    pub fn in_standup(&self) -> bool {
        self.standup.is_some()
    }

    /// `s`: start the stand-up, or ask whether to end it.
    pub(crate) fn standup_key(&mut self) {
        match &mut self.standup {
            Some(m) => m.confirm_end = true,
            None => self.start_standup(),
        }
    }

    fn start_standup(&mut self) {
        // The stand-up is about the whole team's board.
        self.filter.clear();
        self.filter_editor = None;
        self.mine_only = false;
        self.zoom = false;
        self.focus = Pane::Improvements;
        let since = self.board.last_standup.as_ref().and_then(|s| s.ended_at);
        let walk = walk_order(&self.board, since);
        self.standup = Some(StandupMode {
            started_at: crate::store::now(),
            clock_start: self.now,
            timebox: i64::from(self.timebox_minutes) * 60,
            since,
            current: walk.first().map(|s| s.item),
            pos: 0,
            walk,
            parked: Vec::new(),
            confirm_end: false,
        });
        self.rebuild_view();
        let n = self.standup.as_ref().map_or(0, |m| m.walk.len());
        self.say(
            NoteKind::Info,
            format!(
                "stand-up started: {n} items, {} minutes · j/k next/previous · p park a topic · s end",
                self.timebox_minutes
            ),
        );
    }

    /// Commands while the stand-up runs. Returns true if handled here.
    pub(crate) fn standup_command(&mut self, c: Command) -> bool {
        use Command::*;
        match c {
            Standup => self.standup_key(),
            Down => self.walk_step(1),
            Up => self.walk_step(-1),
            First => self.walk_step(isize::MIN / 2),
            Last => self.walk_step(isize::MAX / 2),
            Quit => self.confirm_quit = true,
            // Panes, filters and layout stay put during the walk.
            NextPane | PrevPane | FocusMission | FocusPersonas | FocusJourney | Left | Right
            | Zoom | Mine | Filter | FeelingUp | FeelingDown | WipLimit | OrderDown | OrderUp => {
                self.say(
                    NoteKind::Info,
                    "not during the stand-up: j/k walk, H/L move, b block, c comment, e edit, p park, s end",
                )
            }
            _ => return false,
        }
        true
    }

    /// Keys no command is bound to, during the stand-up: `y`/`n` to the question, `p`.
    /// Returns true if handled here.
    pub(crate) fn standup_input(&mut self, key: crossterm::event::KeyEvent) -> bool {
        use crossterm::event::{KeyCode, KeyModifiers};
        let Some(m) = &mut self.standup else {
            return false;
        };
        if m.confirm_end {
            m.confirm_end = false;
            if matches!(key.code, KeyCode::Char('y' | 'Y')) {
                self.end_standup();
            }
            return true;
        }
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        if plain && key.code == KeyCode::Char('p') && self.popup.is_none() {
            self.popup = Some(Popup::Form(Box::new(Form::park_topic())));
            return true;
        }
        false
    }

    /// A topic parked from the form.
    pub(crate) fn park(&mut self, topic: String) {
        if let Some(m) = &mut self.standup {
            m.parked.push(topic.clone());
            let n = m.parked.len();
            self.say(
                NoteKind::Info,
                format!("parked for after the stand-up ({n}): {topic}"),
            );
        }
    }

    fn walk_step(&mut self, by: isize) {
        let Some(m) = &mut self.standup else { return };
        let Some(last) = m.walk.len().checked_sub(1) else {
            return;
        };
        let i = m.index().unwrap_or(m.pos) as isize;
        m.pos = i.saturating_add(by).clamp(0, last as isize) as usize;
        m.current = Some(m.walk[m.pos].item);
        self.select_walk_item();
    }

    /// The wall's selection follows the walk's highlighted item.
    fn select_walk_item(&mut self) {
        let Some(id) = self.standup.as_ref().and_then(|m| m.current) else {
            return;
        };
        if let Some(item) = self.board.item(id) {
            self.focus = Pane::Improvements;
            self.sel.column = item.status.index();
            self.sel.item = Some(id);
        }
    }

    /// After the board reloaded: deleted items leave the walk, new ones join at its end,
    /// and the highlight stays on its item (or the next one, if it was deleted).
    pub(crate) fn sync_walk(&mut self) {
        let Some(m) = &mut self.standup else { return };
        let ids: HashSet<i64> = self.board.items.iter().map(|i| i.id).collect();
        m.walk.retain(|s| ids.contains(&s.item));
        let known: HashSet<i64> = m.walk.iter().map(|s| s.item).collect();
        m.walk.extend(
            walk_order(&self.board, m.since)
                .into_iter()
                .filter(|s| !known.contains(&s.item)),
        );
        match m.index() {
            Some(i) => m.pos = i,
            None => {
                m.pos = m.pos.min(m.walk.len().saturating_sub(1));
                m.current = m.walk.get(m.pos).map(|s| s.item);
            }
        }
        self.select_walk_item();
    }

    /// `s` `y`: store the stand-up and show its summary.
    fn end_standup(&mut self) {
        let Some(m) = self.standup.clone() else {
            return;
        };
        let ended_at = crate::store::now().max(m.started_at);
        let stored = self
            .store
            .record_standup(m.started_at, ended_at, &self.user, &m.parked);
        match stored {
            Ok(_) => {}
            Err(StoreError::Busy(_)) => {
                self.say(
                    NoteKind::Warn,
                    "board busy: a teammate is saving; the stand-up is still running, press s to end it again",
                );
                return;
            }
            Err(e) => self.say(
                NoteKind::Error,
                format!("the stand-up could not be recorded: {e}"),
            ),
        }
        self.standup = None;
        self.last_activity = self.store.last_activity_id().unwrap_or(self.last_activity);
        if let Err(e) = self.reload() {
            self.say(NoteKind::Error, e.to_string());
        }
        match self
            .store
            .standup_summary(m.started_at, ended_at, &self.user, &m.parked)
        {
            Ok(s) => {
                self.popup_scroll = 0;
                self.popup = Some(Popup::StandupSummary(Box::new(s)));
            }
            Err(e) => self.say(NoteKind::Error, e.to_string()),
        }
    }
}
