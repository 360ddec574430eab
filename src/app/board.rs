//! What the board's commands do: moving around, opening forms and views, and the
//! changes they ask the store for.

use ratatui_textarea::TextArea;

use super::form::Form;
use super::mode::{Mode, Question};
use super::{App, NoteKind, Op, Outcome, Pane, Then};
use crate::keymap::Command;
use crate::model::{AnyRecord, Feeling, Item, Kind, Labelled, Status};
use crate::store::Change;

impl App {
    /// A command of the board. Every command is handled here (the compiler checks).
    pub(super) fn command(&mut self, c: Command) {
        if self.read_only_refusal(c) || (self.in_standup() && self.walk_command(c)) {
            return;
        }
        match c {
            // Changes still waiting for a busy board: ask before leaving.
            Command::Quit if !self.pending.is_empty() => self.ask_quit(),
            Command::Quit => self.quit = true,
            Command::Help => self.mode = Mode::Help { scroll: 0 },
            Command::NextPane => self.cycle_focus(1),
            Command::PrevPane => self.cycle_focus(-1),
            Command::FocusMission => self.focus = Pane::Mission,
            Command::FocusPersonas => self.focus = Pane::Personas,
            Command::FocusJourney => self.focus = Pane::Journey,
            Command::FocusImprovements => self.focus = Pane::Improvements,
            Command::Down => self.step(1),
            Command::Up => self.step(-1),
            Command::Left => self.sideways(-1),
            Command::Right => self.sideways(1),
            Command::First => self.step(isize::MIN / 2),
            Command::Last => self.step(isize::MAX / 2),
            Command::Open => {
                if self.has_selection(self.focus) {
                    self.mode = Mode::Detail {
                        pane: self.focus,
                        scroll: 0,
                    };
                }
            }
            Command::New => self.new_record(),
            Command::Edit => match self.focus {
                Pane::Journey => self.edit_feeling_note(),
                pane => self.edit_record(pane),
            },
            Command::Delete => self.ask_delete(),
            Command::MovePrev => self.move_selected(-1),
            Command::MoveNext => self.move_selected(1),
            Command::OrderDown => self.reorder(1),
            Command::OrderUp => self.reorder(-1),
            Command::ToggleBlocked => self.toggle_blocked(),
            Command::Comment => {
                if let Some(item) = self.selected_item() {
                    self.mode = Mode::Form(Box::new(Form::comment(item)));
                }
            }
            Command::Mine => {
                self.mine_only = !self.mine_only;
                self.rebuild_view();
                let what = if self.mine_only {
                    format!("showing only {}'s items", self.user)
                } else {
                    "showing everyone's items".into()
                };
                self.say(NoteKind::Info, what);
            }
            Command::Filter => {
                let mut ed = TextArea::new(vec![self.filter.clone()]);
                ed.move_cursor(ratatui_textarea::CursorMove::End);
                self.mode = Mode::Filter(Box::new(ed));
            }
            Command::Zoom => self.zoom = !self.zoom,
            Command::Compact => self.compact = !self.compact,
            Command::Back => {
                if self.zoom {
                    self.zoom = false;
                } else if !self.filter.is_empty() {
                    self.filter.clear();
                    self.rebuild_view();
                }
            }
            Command::Standup => self.start_standup(),
            Command::Activity => self.open_activity(),
            Command::Standups => self.open_standups(),
            Command::Parked => self.open_parked(),
            Command::Undo => self.undo_redo(true),
            Command::Redo => self.undo_redo(false),
            Command::FeelingUp => self.nudge_feeling(1),
            Command::FeelingDown => self.nudge_feeling(-1),
            Command::WipLimit => {
                let status = Status::from_index(self.sel.column).unwrap_or(Status::Plan);
                self.focus = Pane::Improvements;
                self.mode = Mode::Form(Box::new(Form::wip_limit(
                    status,
                    self.board.wip_limit(status),
                )));
            }
            Command::Suspend => self.suspend = true,
        }
    }

    /// Quit only after a yes: changes still wait for a busy board, or a stand-up runs.
    pub(super) fn ask_quit(&mut self) {
        let back_to = Box::new(std::mem::replace(&mut self.mode, Mode::Board));
        self.mode = Mode::Ask(Box::new(Question::Quit { back_to }));
    }

    /// The mouse wheel: the walk during the stand-up; else the list under the pointer.
    pub(super) fn scroll(&mut self, column: u16, row: u16, down: bool) {
        let step = if down { Command::Down } else { Command::Up };
        if self.in_standup() {
            self.command(step);
            return;
        }
        if let Some(pane) = self.pane_at(column, row) {
            self.focus = pane;
            // The wheel scrolls the column under the pointer.
            if let Some((col, _)) = self.card_at(column, row)
                && col != self.sel.column
            {
                self.select_row(col, self.sel.row);
            }
            self.command(step);
        }
    }

    fn cycle_focus(&mut self, by: isize) {
        let i = Pane::ALL.iter().position(|p| *p == self.focus).unwrap_or(0) as isize;
        self.focus = Pane::ALL[(i + by).rem_euclid(Pane::ALL.len() as isize) as usize];
    }

    /// Move the selection within the focused list by `by` (clamped; g / G pass huge steps).
    fn step(&mut self, by: isize) {
        fn clamp(i: Option<usize>, by: isize, len: usize) -> Option<usize> {
            let last = len.checked_sub(1)? as isize;
            Some((i.unwrap_or(0) as isize).saturating_add(by).clamp(0, last) as usize)
        }
        let first_or_last = !matches!(by, -1 | 1);
        match self.focus {
            // g / G on the journey: first / last stage.
            Pane::Journey if first_or_last => {
                let i = clamp(self.stage_index(), by, self.board.stages.len());
                self.sel.stage = i.map(|i| self.board.stages[i].id);
            }
            // j / k on the journey pick the persona whose feelings it shows.
            Pane::Personas | Pane::Journey => {
                let i = clamp(self.persona_index(), by, self.board.personas.len());
                self.sel.persona = i.map(|i| self.board.personas[i].id);
            }
            Pane::Improvements => {
                let c = self.sel.column;
                if let Some(row) = clamp(Some(self.sel.row), by, self.view.shown[c]) {
                    self.select_row(c, row);
                }
            }
            Pane::Mission => {}
        }
    }

    fn sideways(&mut self, by: isize) {
        match self.focus {
            Pane::Improvements => {
                let col = (self.sel.column as isize + by).clamp(0, 4) as usize;
                self.select_row(col, self.sel.row);
            }
            Pane::Journey | Pane::Personas => {
                let n = self.board.stages.len();
                if n > 0 {
                    let i = (self.stage_index().unwrap_or(0) as isize + by).clamp(0, n as isize - 1)
                        as usize;
                    self.sel.stage = Some(self.board.stages[i].id);
                }
            }
            Pane::Mission => {}
        }
    }

    fn has_selection(&self, pane: Pane) -> bool {
        match pane {
            Pane::Mission => true,
            Pane::Personas => self.selected_persona().is_some(),
            Pane::Journey => self.selected_stage().is_some(),
            Pane::Improvements => self.selected_item().is_some(),
        }
    }

    fn new_record(&mut self) {
        let form = match self.focus {
            Pane::Mission => Form::mission(&self.board.mission),
            Pane::Personas => Form::persona(None),
            Pane::Journey => Form::stage(None),
            Pane::Improvements => {
                let defaults = Item {
                    status: Status::from_index(self.sel.column).unwrap_or(Status::Plan),
                    owner: self.user.clone(),
                    // Which customer it serves is asked in the form, never assumed.
                    persona_id: None,
                    stage_id: None,
                    ..Item::default()
                };
                Form::item(&self.board, None, defaults)
            }
        };
        self.mode = Mode::Form(Box::new(form));
    }

    pub(super) fn edit_record(&mut self, pane: Pane) {
        let form = match pane {
            Pane::Mission => Some(Form::mission(&self.board.mission)),
            Pane::Personas => self.selected_persona().map(|p| Form::persona(Some(p))),
            Pane::Journey => self.selected_stage().map(|s| Form::stage(Some(s))),
            Pane::Improvements => self
                .selected_item()
                .map(|i| Form::item(&self.board, Some(i), Item::default())),
        };
        if let Some(f) = form {
            self.mode = Mode::Form(Box::new(f));
        }
    }

    fn edit_feeling_note(&mut self) {
        if let (Some(p), Some(s)) = (self.selected_persona(), self.selected_stage()) {
            let f = self.board.feeling(p.id, s.id);
            self.mode = Mode::Form(Box::new(Form::feeling_note(p, s, f)));
        }
    }

    fn nudge_feeling(&mut self, by: i8) {
        let (Some(p), Some(s)) = (self.sel.persona, self.sel.stage) else {
            return;
        };
        let (score, note) = self
            .board
            .feeling(p, s)
            .map(|f| (f.score, f.note.clone()))
            .unwrap_or((0, String::new()));
        let new = (score + by).clamp(Feeling::MIN, Feeling::MAX);
        if new != score || self.board.feeling(p, s).is_none() {
            self.run(Op::SetFeeling {
                base: self.board.feeling(p, s).cloned(),
                persona_id: p,
                stage_id: s,
                score: new,
                note,
            });
        }
    }

    fn ask_delete(&mut self) {
        let (question, op) = match self.focus {
            Pane::Personas => match self.selected_persona() {
                Some(p) => (
                    format!(
                        "Delete persona '{}' and its feelings? Its items stay, unlinked.",
                        p.name
                    ),
                    Op::DeletePersona(p.clone()),
                ),
                None => return,
            },
            Pane::Journey => match self.selected_stage() {
                Some(s) => (
                    format!(
                        "Delete stage '{}' and its feelings? Its items stay, unlinked.",
                        s.name
                    ),
                    Op::DeleteStage(s.clone()),
                ),
                None => return,
            },
            Pane::Improvements => match self.selected_item() {
                Some(i) => (
                    format!("Delete item '{}' and its comments?", i.title),
                    Op::DeleteItem(i.clone()),
                ),
                None => return,
            },
            Pane::Mission => return,
        };
        self.mode = Mode::Ask(Box::new(Question::Confirm {
            text: question,
            op,
            otherwise: None,
        }));
    }

    /// H / L: an item to the previous / next status; a persona or stage earlier / later.
    fn move_selected(&mut self, by: isize) {
        match self.focus {
            Pane::Improvements => {
                let Some(item) = self.selected_item().cloned() else {
                    return;
                };
                let to = if by < 0 {
                    item.status.prev()
                } else {
                    item.status.next()
                };
                if let Some(to) = to {
                    self.run(Op::MoveItem(item, to));
                }
            }
            _ => self.reorder(by),
        }
    }

    /// J / K: swap with the neighbour in the focused list.
    fn reorder(&mut self, by: isize) {
        match self.focus {
            Pane::Personas => {
                if let Some(i) = self.persona_index()
                    && let Some(j) = i
                        .checked_add_signed(by)
                        .filter(|j| *j < self.board.personas.len())
                {
                    let (a, b) = (
                        self.board.personas[i].clone(),
                        self.board.personas[j].clone(),
                    );
                    self.run(Op::SwapPersonas(a, b));
                }
            }
            Pane::Journey => {
                if let Some(i) = self.stage_index()
                    && let Some(j) = i
                        .checked_add_signed(by)
                        .filter(|j| *j < self.board.stages.len())
                {
                    let (a, b) = (self.board.stages[i].clone(), self.board.stages[j].clone());
                    self.run(Op::SwapStages(a, b));
                }
            }
            Pane::Improvements => {
                let c = self.sel.column;
                if let Some(a) = self.selected_item().cloned()
                    && let Some(j) = self
                        .sel
                        .row
                        .checked_add_signed(by)
                        .filter(|j| *j < self.view.shown[c])
                {
                    // The neighbour may be just above the cards read.
                    if let Err(e) = self.have_cards(c, j..j + 1) {
                        self.say(NoteKind::Error, e.to_string());
                    } else if let Some(b) = self.view.columns[c].get(j).cloned() {
                        self.run(Op::SwapItems(a, b));
                    }
                }
            }
            Pane::Mission => {}
        }
    }

    fn toggle_blocked(&mut self) {
        let Some(item) = self.selected_item().cloned() else {
            return;
        };
        if item.blocked {
            let mine = Item {
                blocked: false,
                blocked_reason: String::new(),
                ..item.clone()
            };
            self.run(Op::save(item, mine));
        } else {
            self.mode = Mode::Form(Box::new(Form::block(&item)));
        }
    }

    fn undo_redo(&mut self, undo: bool) {
        let stack = if undo { &mut self.undo } else { &mut self.redo };
        let Some(changes) = stack.pop() else {
            self.say(
                NoteKind::Info,
                if undo {
                    "nothing to undo"
                } else {
                    "nothing to redo"
                },
            );
            return;
        };
        let then = if undo {
            Then::Redoable
        } else {
            Then::UndoableAgain
        };
        match self.run_op(Op::Revert(changes.clone()), then) {
            Outcome::Done => {
                // The card goes where the undo put it, and the selection with it.
                if let Some(c) = changes.iter().find(|c| c.kind == Kind::Item) {
                    self.select_record(Kind::Item, c.id);
                }
                self.say(NoteKind::Info, undo_note(&changes, undo));
            }
            Outcome::Queued => {}
            _ => {
                // Refused (someone changed it since): keep it on its stack.
                let stack = if undo { &mut self.undo } else { &mut self.redo };
                stack.push(changes);
            }
        }
    }

    pub(super) fn click(&mut self, column: u16, row: u16) {
        let Some(pane) = self.pane_at(column, row) else {
            return;
        };
        self.focus = pane;
        match pane {
            Pane::Personas => {
                if let Some(i) = self.persona_at(row) {
                    self.sel.persona = Some(self.board.personas[i].id);
                }
            }
            Pane::Journey => {
                if let Some(i) = self.stage_at(column) {
                    self.sel.stage = Some(self.board.stages[i].id);
                }
            }
            Pane::Improvements => {
                if let Some((col, row)) = self.card_at(column, row) {
                    self.select_row(col, row);
                }
            }
            Pane::Mission => {}
        }
    }
}

/// What an undo (or redo) did, e.g. "undone: moved #12 'Refund in one tap' back to Plan".
/// Reverting a change takes its record from `after` back to `before`.
fn undo_note(changes: &[Change], undo: bool) -> String {
    let verb = if undo { "undone" } else { "redone" };
    let back = if undo { "back " } else { "" };
    // The change a person made: the item's, when the group has one (deleting a
    // persona also unlinks items; the persona is the point).
    let main = changes
        .iter()
        .find(|c| matches!(c.kind, Kind::Persona | Kind::Stage))
        .or_else(|| changes.iter().find(|c| c.kind == Kind::Item))
        .or(changes.first());
    let Some(c) = main else {
        return verb.to_owned();
    };
    let what = match (&c.after, &c.before) {
        (Some(AnyRecord::Item(now)), Some(AnyRecord::Item(then))) if now.status != then.status => {
            format!("moved {} {back}to {}", then.label(), then.status.label())
        }
        (Some(AnyRecord::Item(now)), Some(AnyRecord::Item(then)))
            if now.blocked != then.blocked =>
        {
            if then.blocked {
                format!("blocked {} again", then.label())
            } else {
                format!("unblocked {}", then.label())
            }
        }
        (Some(now), Some(then)) => {
            let fields = crate::store::changed_fields(now, then).join(", ");
            let verb = if undo { "restored" } else { "changed" };
            format!("{verb} {fields} of {}", then.label())
        }
        (Some(now), None) => format!("removed {}", now.label()),
        (None, Some(then)) => format!("{}restored {}", if undo { "" } else { "re-" }, then.label()),
        (None, None) => String::new(),
    };
    let more = match changes.len() {
        0 | 1 => String::new(),
        n => format!(
            " (and {} related change{})",
            n - 1,
            if n == 2 { "" } else { "s" }
        ),
    };
    format!("{verb}: {what}{more}")
}
