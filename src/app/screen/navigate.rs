//! Moving about the wall: focus, selection, zoom, density, the filter and "my items".
//! All of it changes only what the screen shows; the store is read for the cards that
//! come into view.

use super::{NoteKind, Pane, Screen};
use crate::model::Kind;
use crate::store::Store;

impl Screen {
    pub(in crate::app) fn set_focus(&mut self, pane: Pane) {
        self.focus = pane;
    }

    pub(in crate::app) fn cycle_focus(&mut self, by: isize) {
        let i = Pane::ALL.iter().position(|p| *p == self.focus).unwrap_or(0) as isize;
        self.focus = Pane::ALL[(i + by).rem_euclid(Pane::ALL.len() as isize) as usize];
    }

    pub(in crate::app) fn toggle_zoom(&mut self) {
        self.zoom = !self.zoom;
    }

    pub(in crate::app) fn toggle_compact(&mut self) {
        self.compact = !self.compact;
    }

    /// For the stand-up: the whole team's board, unzoomed, the improvements in focus.
    pub(in crate::app) fn about_the_whole_board(&mut self) {
        self.filter.clear();
        self.mine = None;
        self.zoom = false;
        self.focus = Pane::Improvements;
    }

    /// Esc on the board: out of the zoom, else the filter cleared.
    pub(in crate::app) fn back(&mut self, store: &Store) {
        if self.zoom {
            self.zoom = false;
        } else if !self.filter.is_empty() {
            self.filter.clear();
            self.rebuild_view(store);
        }
    }

    /// "My items" on or off: `user`'s items only, or everyone's.
    pub(in crate::app) fn toggle_mine(&mut self, store: &Store, user: &str) {
        self.mine = match self.mine {
            Some(_) => None,
            None => Some(user.to_owned()),
        };
        self.rebuild_view(store);
        let what = if self.mine.is_some() {
            format!("showing only {user}'s items")
        } else {
            "showing everyone's items".into()
        };
        self.say(NoteKind::Info, what);
    }

    /// The filter's text as typed; the cards are read again if it lets others through.
    pub(in crate::app) fn set_filter(&mut self, store: &Store, text: String) {
        if text != self.filter {
            self.filter = text;
            self.refilter(store);
        }
    }

    /// Whether the pane has something selected to open.
    pub(in crate::app) fn has_selection(&self, pane: Pane) -> bool {
        match pane {
            Pane::Mission => true,
            Pane::Personas => self.selected_persona().is_some(),
            Pane::Journey => self.selected_stage().is_some(),
            Pane::Improvements => self.selected_item().is_some(),
        }
    }

    /// Move the selection within the focused list by `by` (clamped; g / G pass huge steps).
    pub(in crate::app) fn step(&mut self, store: &Store, by: isize) {
        fn clamp(i: Option<usize>, by: isize, len: usize) -> Option<usize> {
            let last = len.checked_sub(1)? as isize;
            Some((i.unwrap_or(0) as isize).saturating_add(by).clamp(0, last) as usize)
        }
        let first_or_last = !matches!(by, -1 | 1);
        match self.focus {
            // g / G on the journey: first / last stage.
            Pane::Journey if first_or_last => {
                let i = clamp(self.stage_index(), by, self.wall.stages.len());
                self.sel.stage = i.map(|i| self.wall.stages[i].id);
            }
            // j / k on the journey pick the persona whose feelings it shows.
            Pane::Personas | Pane::Journey => {
                let i = clamp(self.persona_index(), by, self.wall.personas.len());
                self.sel.persona = i.map(|i| self.wall.personas[i].id);
            }
            Pane::Improvements => {
                let c = self.sel.column;
                if let Some(row) = clamp(Some(self.sel.row), by, self.view.shown[c]) {
                    self.select_row(store, c, row);
                }
            }
            Pane::Mission => {}
        }
    }

    pub(in crate::app) fn sideways(&mut self, store: &Store, by: isize) {
        match self.focus {
            Pane::Improvements => {
                let col = (self.sel.column as isize + by).clamp(0, 4) as usize;
                self.select_row(store, col, self.sel.row);
            }
            Pane::Journey | Pane::Personas => {
                let n = self.wall.stages.len();
                if n > 0 {
                    let i = (self.stage_index().unwrap_or(0) as isize + by).clamp(0, n as isize - 1)
                        as usize;
                    self.sel.stage = Some(self.wall.stages[i].id);
                }
            }
            Pane::Mission => {}
        }
    }

    pub(in crate::app) fn click(&mut self, store: &Store, column: u16, row: u16) {
        let Some(pane) = self.pane_at(column, row) else {
            return;
        };
        self.focus = pane;
        match pane {
            Pane::Personas => {
                if let Some(i) = self.persona_at(row) {
                    self.sel.persona = Some(self.wall.personas[i].id);
                }
            }
            Pane::Journey => {
                if let Some(i) = self.stage_at(column) {
                    self.sel.stage = Some(self.wall.stages[i].id);
                }
            }
            Pane::Improvements => {
                if let Some((col, row)) = self.card_at(column, row) {
                    self.select_row(store, col, row);
                }
            }
            Pane::Mission => {}
        }
    }

    /// The mouse wheel: the pane under the pointer gets the focus, and the column under
    /// it the selection. Returns whether the pointer is over a pane (to scroll it).
    pub(in crate::app) fn point_wheel(&mut self, store: &Store, column: u16, row: u16) -> bool {
        let Some(pane) = self.pane_at(column, row) else {
            return false;
        };
        self.focus = pane;
        if let Some((col, _)) = self.card_at(column, row)
            && col != self.sel.column
        {
            self.select_row(store, col, self.sel.row);
        }
        true
    }

    /// Select a record after it was added or moved.
    pub(in crate::app) fn select_record(&mut self, store: &Store, kind: Kind, id: i64) {
        match kind {
            Kind::Persona => self.sel.persona = Some(id),
            Kind::Stage => self.sel.stage = Some(id),
            Kind::Item => self.select_item(store, id),
            _ => {}
        }
    }
}
