//! What the board's commands do: moving about (on the screen), opening forms and views,
//! and the changes they ask the store for. What a command asks for is made from what
//! the screen shows (`&Screen`); only the `App` opens modes and runs writes.

use ratatui_textarea::TextArea;

use super::form::Form;
use super::mode::{Mode, Question};
use super::{App, Effect, NoteKind, Op, Outcome, Pane, Screen, Then};
use crate::keymap::{Command, CommandSet};
use crate::model::{AnyRecord, Feeling, Item, Kind, Labelled, Status};
use crate::store::{Change, Store};

impl App {
    /// A command of the board. Every command is handled here (the compiler checks).
    pub(super) fn command(&mut self, c: Command) -> Effect {
        if self.read_only_refusal(c) || (self.in_standup() && self.walk_command(c)) {
            return Effect::Continue;
        }
        let (screen, store) = (&mut self.screen, &self.store);
        match c {
            // Changes still waiting for a busy board: ask before leaving.
            Command::Quit if self.sharing.has_pending() => self.ask_quit(),
            Command::Quit => return Effect::Quit,
            Command::Suspend => return Effect::Suspend,
            Command::Help => self.modes.open(Mode::Help { scroll: 0 }),
            Command::NextPane => screen.cycle_focus(1),
            Command::PrevPane => screen.cycle_focus(-1),
            Command::FocusMission => screen.set_focus(Pane::Mission),
            Command::FocusPersonas => screen.set_focus(Pane::Personas),
            Command::FocusJourney => screen.set_focus(Pane::Journey),
            Command::FocusImprovements => screen.set_focus(Pane::Improvements),
            Command::Down => screen.step(store, 1),
            Command::Up => screen.step(store, -1),
            Command::Left => screen.sideways(store, -1),
            Command::Right => screen.sideways(store, 1),
            Command::First => screen.step(store, isize::MIN / 2),
            Command::Last => screen.step(store, isize::MAX / 2),
            Command::Open => {
                let pane = screen.focus();
                if screen.has_selection(pane) {
                    self.modes.open(Mode::Detail { pane, scroll: 0 });
                }
            }
            Command::New => {
                let form = new_record(screen, self.settings.user());
                self.open_form(Some(form));
            }
            Command::Edit => {
                let form = match screen.focus() {
                    Pane::Journey => feeling_note(screen),
                    pane => edit_record(screen, pane),
                };
                self.open_form(form);
            }
            Command::Delete => {
                if let Some(q) = delete_question(screen) {
                    self.modes.open(Mode::ask(q));
                }
            }
            Command::MovePrev | Command::MoveNext => {
                let op = move_selected(screen, store, if c == Command::MovePrev { -1 } else { 1 });
                self.run_some(op);
            }
            Command::OrderDown | Command::OrderUp => {
                let op = swap(screen, store, if c == Command::OrderUp { -1 } else { 1 });
                self.run_some(op);
            }
            Command::ToggleBlocked => match screen.selected_item().cloned() {
                Some(item) if item.blocked => {
                    let mine = Item {
                        blocked: false,
                        blocked_reason: String::new(),
                        ..item.clone()
                    };
                    self.run(Op::save(item, mine));
                }
                Some(item) => self.open_form(Some(Form::block(&item))),
                None => {}
            },
            Command::Comment => {
                let form = screen.selected_item().map(Form::comment);
                self.open_form(form);
            }
            Command::Mine => screen.toggle_mine(store, self.settings.user()),
            Command::Filter => {
                let mut ed = TextArea::new(vec![screen.filter().to_owned()]);
                ed.move_cursor(ratatui_textarea::CursorMove::End);
                self.modes.open(Mode::Filter(Box::new(ed)));
            }
            Command::Zoom => screen.toggle_zoom(),
            Command::Compact => screen.toggle_compact(),
            Command::Back => screen.back(store),
            Command::Standup => self.start_standup(),
            Command::Activity => self.open_activity(),
            Command::Standups => self.open_standups(),
            Command::Parked => self.open_parked(),
            Command::ShowEvidence => self.open_evidence(),
            Command::Undo => self.undo_redo(true),
            Command::Redo => self.undo_redo(false),
            Command::FeelingUp | Command::FeelingDown => {
                let op = nudge_feeling(screen, if c == Command::FeelingUp { 1 } else { -1 });
                self.run_some(op);
            }
            Command::WipLimit => {
                let status = Status::from_index(screen.selection().column).unwrap_or(Status::Plan);
                screen.set_focus(Pane::Improvements);
                let limit = screen.wall().wip_limit(status);
                self.open_form(Some(Form::wip_limit(status, limit)));
            }
        }
        Effect::Continue
    }

    fn open_form(&mut self, form: Option<Form>) {
        if let Some(form) = form {
            self.modes.open(Mode::Form(Box::new(form)));
        }
    }

    fn run_some(&mut self, op: Option<Op>) {
        if let Some(op) = op {
            self.run(op);
        }
    }

    /// Quit only after a yes: changes still wait for a busy board, or a stand-up runs.
    pub(super) fn ask_quit(&mut self) {
        self.modes.open(Mode::ask(Question::Quit));
    }

    /// The mouse wheel: the walk during the stand-up; else the list under the pointer.
    pub(super) fn wheel(&mut self, column: u16, row: u16, down: bool) {
        let step = if down { Command::Down } else { Command::Up };
        if self.in_standup() || self.screen.point_wheel(&self.store, column, row) {
            self.command(step);
        }
    }

    /// Take the last change back (`undo`), or make it again.
    fn undo_redo(&mut self, undo: bool) {
        let Some(changes) = self.sharing.stack(undo).pop() else {
            let nothing = if undo {
                "nothing to undo"
            } else {
                "nothing to redo"
            };
            self.say(NoteKind::Info, nothing);
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
            // Refused (someone changed it since): keep it on its stack.
            _ => self.sharing.stack(undo).push(changes),
        }
    }

    /// On a read-only board, commands that would write say why instead.
    pub(super) fn read_only_refusal(&mut self, c: Command) -> bool {
        if !c.writes() {
            return false;
        }
        let file = self.sharing.file();
        let Some(why) = file.read_only.clone() else {
            return false;
        };
        let e = crate::store::StoreError::ReadOnly {
            path: file.path.clone(),
            why,
        };
        self.say(NoteKind::Warn, e.to_string());
        true
    }
}

/// `n`: a new record of the focused pane (the mission's `n` edits the one mission).
fn new_record(screen: &Screen, user: &str) -> Form {
    let wall = screen.wall();
    match screen.focus() {
        Pane::Mission => Form::mission(&wall.mission),
        Pane::Personas => Form::persona(None),
        Pane::Journey => Form::stage(None),
        Pane::Improvements => {
            let defaults = Item {
                status: Status::from_index(screen.selection().column).unwrap_or(Status::Plan),
                owner: user.to_owned(),
                // Which customer it serves is asked in the form, never assumed.
                persona_id: None,
                stage_id: None,
                ..Item::default()
            };
            Form::item(wall, None, defaults)
        }
    }
}

/// `e`: the form of the selection of `pane`.
pub(super) fn edit_record(screen: &Screen, pane: Pane) -> Option<Form> {
    match pane {
        Pane::Mission => Some(Form::mission(&screen.wall().mission)),
        Pane::Personas => screen.selected_persona().map(|p| Form::persona(Some(p))),
        Pane::Journey => screen.selected_stage().map(|s| Form::stage(Some(s))),
        Pane::Improvements => screen
            .selected_item()
            .map(|i| Form::item(screen.wall(), Some(i), Item::default())),
    }
}

/// `e` on the journey: the note of the selected persona's feeling at the selected stage.
fn feeling_note(screen: &Screen) -> Option<Form> {
    let (p, s) = (screen.selected_persona()?, screen.selected_stage()?);
    Some(Form::feeling_note(p, s, screen.wall().feeling(p.id, s.id)))
}

/// `+` / `-`: the selected persona's feeling at the selected stage, one step.
fn nudge_feeling(screen: &Screen, by: i8) -> Option<Op> {
    let sel = screen.selection();
    let (p, s) = (sel.persona?, sel.stage?);
    let base = screen.wall().feeling(p, s);
    let (score, note) = base
        .map(|f| (f.score, f.note.clone()))
        .unwrap_or((0, String::new()));
    let new = (score + by).clamp(Feeling::MIN, Feeling::MAX);
    (new != score || base.is_none()).then(|| Op::SetFeeling {
        base: base.cloned(),
        persona_id: p,
        stage_id: s,
        score: new,
        note,
    })
}

fn delete_question(screen: &Screen) -> Option<Question> {
    let (text, op) = match screen.focus() {
        Pane::Personas => {
            let p = screen.selected_persona()?;
            (
                format!(
                    "Delete persona '{}' and its feelings? Its items stay, unlinked.",
                    p.name
                ),
                Op::DeletePersona(p.clone()),
            )
        }
        Pane::Journey => {
            let s = screen.selected_stage()?;
            (
                format!(
                    "Delete stage '{}' and its feelings? Its items stay, unlinked.",
                    s.name
                ),
                Op::DeleteStage(s.clone()),
            )
        }
        Pane::Improvements => {
            let i = screen.selected_item()?;
            (
                format!("Delete item '{}' and its comments?", i.title),
                Op::DeleteItem(i.clone()),
            )
        }
        Pane::Mission => return None,
    };
    Some(Question::Confirm {
        text,
        op,
        otherwise: None,
    })
}

/// H / L: an item to the previous / next status; a persona or stage earlier / later.
fn move_selected(screen: &mut Screen, store: &Store, by: isize) -> Option<Op> {
    if screen.focus() != Pane::Improvements {
        return swap(screen, store, by);
    }
    let item = screen.selected_item()?;
    let to = if by < 0 {
        item.status.prev()
    } else {
        item.status.next()
    };
    Some(Op::MoveItem(item.clone(), to?))
}

/// J / K: swap with the neighbour in the focused list.
fn swap(screen: &mut Screen, store: &Store, by: isize) -> Option<Op> {
    let wall = screen.wall();
    let neighbour = |i: usize, len: usize| i.checked_add_signed(by).filter(|j| *j < len);
    match screen.focus() {
        Pane::Personas => {
            let i = screen.persona_index()?;
            let j = neighbour(i, wall.personas.len())?;
            let (a, b) = (&wall.personas[i], &wall.personas[j]);
            Some(Op::SwapPersonas(a.clone(), b.clone()))
        }
        Pane::Journey => {
            let i = screen.stage_index()?;
            let j = neighbour(i, wall.stages.len())?;
            let (a, b) = (&wall.stages[i], &wall.stages[j]);
            Some(Op::SwapStages(a.clone(), b.clone()))
        }
        Pane::Improvements => {
            let c = screen.selection().column;
            let a = screen.selected_item()?.clone();
            let j = neighbour(screen.selection().row, screen.view().shown[c])?;
            // The neighbour may be just above the cards read.
            let b = screen.card(store, c, j)?;
            Some(Op::SwapItems(a, b))
        }
        Pane::Mission => None,
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
