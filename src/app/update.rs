//! `App::update`: the one place where actions change the state and write to the store.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;
use serde_json::Value;

use super::form::{Form, FormInput, Target};
use super::keymap::Command;
use super::{Action, App, NoteKind, Op, Outcome, Pane, Popup, Then};
use crate::model::{Conflict, Feeling, Item, Mission, Persona, Stage, Status};
use crate::ui::layout;

impl App {
    pub fn update(&mut self, action: Action) {
        self.apply(action);
        self.show_waiting();
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Tick => {
                self.tick();
            }
            Action::Resize { width, height } => self.size = (width, height),
            Action::Paste(text) => self.paste(&text),
            Action::Input(key) => self.input(key),
            Action::Command(c) => self.command(c),
            Action::Click { column, row } => self.click(column, row),
            Action::Scroll { down, .. } if self.in_standup() => {
                self.command(if down { Command::Down } else { Command::Up })
            }
            Action::Scroll { column, row, down } => {
                if self.popup.is_none()
                    && let Some(pane) = layout::pane_at(self, column, row)
                {
                    self.focus = pane;
                    // The wheel scrolls the column under the pointer.
                    if let Some((col, _)) = layout::card_at(self, column, row)
                        && col != self.sel.column
                    {
                        self.sel.column = col;
                        self.sel.item = None;
                        self.fix_selection();
                    }
                    self.command(if down { Command::Down } else { Command::Up });
                }
            }
        }
    }

    fn paste(&mut self, text: &str) {
        if let Some(Popup::Form(f)) = &mut self.popup {
            f.paste(text);
        } else if let Some(ed) = &mut self.filter_editor {
            ed.insert_str(text.replace(['\n', '\r'], " "));
            self.filter = ed.lines().join("");
            self.rebuild_view();
        }
    }

    /// Keys for whatever has the keyboard (see `App::action_for`).
    fn input(&mut self, key: KeyEvent) {
        let ctrl_c =
            key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL);
        if self.confirm_quit {
            match key.code {
                KeyCode::Char('y' | 'Y') => self.quit = true,
                _ => self.confirm_quit = false,
            }
            return;
        }
        if let Some(ed) = &mut self.filter_editor {
            match key.code {
                KeyCode::Enter => self.filter_editor = None,
                KeyCode::Esc => {
                    self.filter_editor = None;
                    self.filter.clear();
                }
                _ => {
                    ed.input(key);
                    self.filter = ed.lines().join("");
                }
            }
            self.rebuild_view();
            return;
        }
        if self.standup_input(key) {
            return;
        }
        match self.popup.take() {
            Some(Popup::Form(mut form)) => {
                if ctrl_c {
                    self.confirm_quit = form.is_dirty();
                    self.quit = !form.is_dirty();
                    self.popup = Some(Popup::Form(form));
                    return;
                }
                if form.confirm_discard {
                    if matches!(key.code, KeyCode::Char('y' | 'Y')) {
                        // Discarded; text that lost a conflict still goes to the log.
                        if let Some(op) = form.on_discard.take() {
                            self.run(op);
                        }
                        return;
                    }
                    form.confirm_discard = false;
                    self.popup = Some(Popup::Form(form));
                    return;
                }
                match form.input(key) {
                    FormInput::Edited => self.popup = Some(Popup::Form(form)),
                    FormInput::Cancel if form.is_dirty() => {
                        form.confirm_discard = true;
                        self.popup = Some(Popup::Form(form));
                    }
                    FormInput::Cancel => {}
                    FormInput::Submit => self.submit(form),
                }
            }
            Some(Popup::Confirm {
                question,
                op,
                otherwise,
            }) => match key.code {
                KeyCode::Char('y' | 'Y') => {
                    self.run(*op);
                }
                KeyCode::Char('n' | 'N') | KeyCode::Esc => {
                    if let Some(op) = otherwise {
                        self.run(*op);
                    }
                }
                _ if ctrl_c => self.quit = true,
                _ => {
                    self.popup = Some(Popup::Confirm {
                        question,
                        op,
                        otherwise,
                    })
                }
            },
            // A conflict needs an answer: m, t or e (Esc does not decide for you).
            Some(Popup::Conflict(c)) => match key.code {
                KeyCode::Char('m' | 'M') => self.keep_mine(*c),
                KeyCode::Char('t' | 'T') => self.keep_theirs(*c),
                KeyCode::Char('e' | 'E') => self.edit_conflict(*c),
                _ => self.popup = Some(Popup::Conflict(c)),
            },
            other => {
                self.popup = other;
                // A key no command is bound to: Esc closes and clears.
                if key.code == KeyCode::Esc {
                    if self.popup.is_some() {
                        self.popup = None;
                    } else if self.zoom {
                        self.zoom = false;
                    } else if !self.filter.is_empty() {
                        self.filter.clear();
                        self.rebuild_view();
                    }
                }
            }
        }
    }

    fn submit(&mut self, mut form: Box<Form>) {
        if form.target == Target::ParkTopic {
            match form.topic() {
                Ok(topic) => self.park(topic),
                Err(msg) => {
                    form.error = Some(msg);
                    self.popup = Some(Popup::Form(form));
                }
            }
            return;
        }
        match form.submit(&self.board) {
            Ok(op) => {
                // The form closes when the change is saved, queued for a busy board, or
                // handed to the conflict / re-create question; a refusal keeps it open.
                if let Outcome::Failed(msg) = self.run(op) {
                    form.error = Some(msg);
                    self.popup = Some(Popup::Form(form));
                }
            }
            Err(msg) => {
                form.error = Some(msg);
                self.popup = Some(Popup::Form(form));
            }
        }
    }

    fn keep_mine(&mut self, c: Conflict) {
        self.run(Op::Save {
            entity: c.entity,
            base: c.theirs.clone(),
            mine: c.mine_merged.clone(),
        });
    }

    /// Theirs wins the conflicting fields; my other changes still land; my losing
    /// text goes to the activity log.
    fn keep_theirs(&mut self, c: Conflict) {
        let mut mine = c.mine_merged.clone();
        for f in &c.fields {
            mine[f.field.as_str()] = f.theirs.clone();
        }
        let lost = c
            .fields
            .iter()
            .map(|f| format!("{} = {}", f.field, f.mine))
            .collect::<Vec<_>>()
            .join("; ");
        self.run(Op::Discard {
            entity: c.entity,
            id: c.id,
            summary: format!(
                "kept {}'s version of {}; discarded mine: {lost}",
                c.theirs_by, c.label
            ),
            value: c.mine_merged.clone(),
        });
        if strip_meta(&mine) != strip_meta(&c.theirs) {
            self.run(Op::Save {
                entity: c.entity,
                base: c.theirs.clone(),
                mine,
            });
        }
    }

    /// Open the record's form holding my values, based on theirs.
    fn edit_conflict(&mut self, c: Conflict) {
        let v = c.mine_merged.clone();
        let form = match c.entity {
            "item" => serde_json::from_value::<Item>(v)
                .ok()
                .map(|i| Form::item(&self.board, Some(&i), Item::default())),
            "persona" => serde_json::from_value::<Persona>(v)
                .ok()
                .map(|p| Form::persona(Some(&p))),
            "stage" => serde_json::from_value::<Stage>(v)
                .ok()
                .map(|s| Form::stage(Some(&s))),
            "mission" => serde_json::from_value::<Mission>(v)
                .ok()
                .map(|m| Form::mission(&m)),
            _ => None,
        };
        match form {
            Some(mut f) => {
                // My text is in the form: Esc asks first, and discarding logs it.
                f.on_discard = Some(Op::Discard {
                    entity: c.entity,
                    id: c.id,
                    summary: format!(
                        "kept {}'s version of {} (edit abandoned); discarded mine",
                        c.theirs_by, c.label
                    ),
                    value: c.mine_merged.clone(),
                });
                self.popup = Some(Popup::Form(Box::new(f)));
            }
            None => self.keep_mine(c),
        }
    }

    /// The last line a scrolling popup can start at (its content's length, less one).
    fn popup_last_line(&self) -> u16 {
        let lines = match &self.popup {
            Some(Popup::Help) => self.keymap.help_rows().len() + 4,
            Some(Popup::Activity(rows)) => rows.len(),
            Some(Popup::Detail(pane)) => {
                crate::ui::detail::lines(self, &crate::ui::theme::Styles::plain(), *pane)
                    .1
                    .len()
            }
            _ => usize::from(u16::MAX),
        };
        u16::try_from(lines.saturating_sub(1)).unwrap_or(u16::MAX)
    }

    fn command(&mut self, c: Command) {
        // Popups that only show things scroll with j / k and close on the rest.
        match &self.popup {
            Some(
                Popup::Help | Popup::Activity(_) | Popup::Detail(_) | Popup::StandupSummary(_),
            ) if matches!(c, Command::Down | Command::Up) => {
                self.popup_scroll = match c {
                    Command::Down => self
                        .popup_scroll
                        .saturating_add(1)
                        .min(self.popup_last_line()),
                    _ => self.popup_scroll.saturating_sub(1),
                };
                return;
            }
            Some(Popup::Help | Popup::Activity(_) | Popup::StandupSummary(_)) => {
                self.popup = None;
                return;
            }
            Some(Popup::Detail(pane)) => {
                let pane = *pane;
                self.popup = None;
                if c == Command::Edit {
                    self.edit_record(pane);
                } else if c == Command::Quit {
                    self.quit = true;
                }
                return;
            }
            Some(_) => return,
            None => {}
        }
        if self.read_only_refusal(c) || (self.in_standup() && self.standup_command(c)) {
            return;
        }
        self.popup_scroll = 0;
        match c {
            // Changes still waiting for a busy board: ask before leaving.
            Command::Quit if !self.pending.is_empty() => self.confirm_quit = true,
            Command::Quit => self.quit = true,
            Command::Help => self.popup = Some(Popup::Help),
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
                    self.popup = Some(Popup::Detail(self.focus));
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
                    self.popup = Some(Popup::Form(Box::new(Form::comment(item))));
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
                self.filter_editor = Some(ed);
            }
            Command::Zoom => self.zoom = !self.zoom,
            Command::Standup => self.standup_key(),
            Command::Activity => match self.store.recent_activity(200) {
                Ok(rows) => self.popup = Some(Popup::Activity(rows)),
                Err(e) => self.say(NoteKind::Error, e.to_string()),
            },
            Command::Undo => self.undo_redo(true),
            Command::Redo => self.undo_redo(false),
            Command::FeelingUp => self.nudge_feeling(1),
            Command::FeelingDown => self.nudge_feeling(-1),
            Command::WipLimit => {
                let status = Status::from_index(self.sel.column).unwrap_or(Status::Plan);
                self.focus = Pane::Improvements;
                self.popup = Some(Popup::Form(Box::new(Form::wip_limit(
                    status,
                    self.board.wip_limit(status),
                ))));
            }
            Command::Suspend => self.suspend = true,
        }
    }

    /// On a read-only board, commands that would write say why instead.
    fn read_only_refusal(&mut self, c: Command) -> bool {
        use Command::*;
        let writes = matches!(
            c,
            New | Edit
                | Delete
                | MovePrev
                | MoveNext
                | OrderDown
                | OrderUp
                | ToggleBlocked
                | Comment
                | Undo
                | Redo
                | FeelingUp
                | FeelingDown
                | WipLimit
        );
        if !writes {
            return false;
        }
        match self.store.refuse_if_read_only() {
            Ok(()) => false,
            Err(e) => {
                self.say(NoteKind::Warn, e.to_string());
                true
            }
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
                let col = &self.view.columns[self.sel.column];
                let i = clamp(self.selected_row(), by, col.len());
                self.sel.item = i.map(|i| self.board.items[col[i]].id);
            }
            Pane::Mission => {}
        }
    }

    fn sideways(&mut self, by: isize) {
        match self.focus {
            Pane::Improvements => {
                let row = self.selected_row().unwrap_or(0);
                let col = (self.sel.column as isize + by).clamp(0, 4) as usize;
                self.sel.column = col;
                let list = &self.view.columns[col];
                self.sel.item = list
                    .get(row.min(list.len().saturating_sub(1)))
                    .map(|&i| self.board.items[i].id);
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
        self.popup = Some(Popup::Form(Box::new(form)));
    }

    fn edit_record(&mut self, pane: Pane) {
        let form = match pane {
            Pane::Mission => Some(Form::mission(&self.board.mission)),
            Pane::Personas => self.selected_persona().map(|p| Form::persona(Some(p))),
            Pane::Journey => self.selected_stage().map(|s| Form::stage(Some(s))),
            Pane::Improvements => self
                .selected_item()
                .map(|i| Form::item(&self.board, Some(i), Item::default())),
        };
        if let Some(f) = form {
            self.popup = Some(Popup::Form(Box::new(f)));
        }
    }

    fn edit_feeling_note(&mut self) {
        if let (Some(p), Some(s)) = (self.selected_persona(), self.selected_stage()) {
            let f = self.board.feeling(p.id, s.id);
            self.popup = Some(Popup::Form(Box::new(Form::feeling_note(p, s, f))));
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
        self.popup = Some(Popup::Confirm {
            question,
            op: Box::new(op),
            otherwise: None,
        });
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
                let col = &self.view.columns[self.sel.column];
                if let Some(i) = self.selected_row()
                    && let Some(j) = i.checked_add_signed(by).filter(|j| *j < col.len())
                {
                    let (a, b) = (
                        self.board.items[col[i]].clone(),
                        self.board.items[col[j]].clone(),
                    );
                    self.run(Op::SwapItems(a, b));
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
            self.run(Op::save(&item, &mine));
        } else {
            self.popup = Some(Popup::Form(Box::new(Form::block(&item))));
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
            Outcome::Done => self.say(NoteKind::Info, if undo { "undone" } else { "redone" }),
            Outcome::Queued => {}
            _ => {
                // Refused (someone changed it since): keep it on its stack.
                let stack = if undo { &mut self.undo } else { &mut self.redo };
                stack.push(changes);
            }
        }
    }

    fn click(&mut self, column: u16, row: u16) {
        if self.popup.is_some() || self.in_standup() {
            return;
        }
        let Some(pane) = layout::pane_at(self, column, row) else {
            return;
        };
        self.focus = pane;
        match pane {
            Pane::Personas => {
                if let Some(i) = layout::persona_at(self, row) {
                    self.sel.persona = Some(self.board.personas[i].id);
                }
            }
            Pane::Journey => {
                if let Some(i) = layout::stage_at(self, column) {
                    self.sel.stage = Some(self.board.stages[i].id);
                }
            }
            Pane::Improvements => {
                if let Some((col, row)) = layout::card_at(self, column, row) {
                    self.sel.column = col;
                    self.sel.item = self.view.columns[col]
                        .get(row)
                        .map(|&i| self.board.items[i].id);
                    if self.sel.item.is_none() {
                        self.fix_selection();
                    }
                }
            }
            Pane::Mission => {}
        }
    }
}

fn strip_meta(v: &Value) -> Value {
    let mut v = v.clone();
    if let Some(o) = v.as_object_mut() {
        o.remove("meta");
    }
    v
}
