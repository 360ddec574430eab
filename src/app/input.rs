//! Modal input, in one place: a key becomes an [`Action`] through the keymap of the
//! [`Mode`] that has the keyboard, and [`App::update`] hands each action to that mode.

use crossterm::event::{Event, KeyEvent, KeyEventKind, MouseEvent};

use super::form::FormInput;
use super::mode::{Mode, Question};
use super::{App, NoteKind, Outcome};
use crate::keymap::{
    Command, ConfirmCommand, ConflictCommand, FilterCommand, FormCommand, PopupCommand,
    StandupCommand,
};
use crate::model::Conflict;

/// What a key, paste, click or timer asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A command of the board.
    Command(Command),
    Standup(StandupCommand),
    /// A form command, with its key (the pick-list keys type in a text field).
    Form(FormCommand, KeyEvent),
    Confirm(ConfirmCommand),
    Conflict(ConflictCommand),
    Popup(PopupCommand),
    Filter(FilterCommand),
    /// A key that is no command of the current mode: text for an editor, or "any other
    /// key".
    Key(KeyEvent),
    Paste(String),
    Click {
        column: u16,
        row: u16,
    },
    Scroll {
        column: u16,
        row: u16,
        down: bool,
    },
    Resize {
        width: u16,
        height: u16,
    },
    /// About once a second: teammates' changes, presence, retrying a busy write.
    Tick,
}

impl App {
    /// Turn a terminal event into an action, given who has the keyboard.
    pub fn action_for(&self, event: Event) -> Option<Action> {
        match event {
            Event::Key(k) if k.kind == KeyEventKind::Release => None,
            Event::Key(k) => Some(self.key_action(k)),
            Event::Paste(s) => Some(Action::Paste(s)),
            Event::Mouse(m) => mouse_action(m),
            Event::Resize(w, h) => Some(Action::Resize {
                width: w,
                height: h,
            }),
            _ => None,
        }
    }

    fn key_action(&self, k: KeyEvent) -> Action {
        let keys = &self.keys;
        let action = match &self.mode {
            Mode::Board => self
                .standup
                .as_ref()
                .and_then(|_| keys.standup.command_for(&k).map(Action::Standup))
                .or_else(|| keys.board.command_for(&k).map(Action::Command)),
            Mode::Filter(_) => keys.filter.command_for(&k).map(Action::Filter),
            Mode::Help { .. }
            | Mode::Detail { .. }
            | Mode::Activity { .. }
            | Mode::Summary { .. }
            | Mode::Standups { .. }
            | Mode::Parked { .. } => keys.popup.command_for(&k).map(Action::Popup),
            Mode::Form(_) => keys.form.command_for(&k).map(|c| Action::Form(c, k)),
            Mode::Ask(_) | Mode::EndStandup => keys.confirm.command_for(&k).map(Action::Confirm),
            Mode::Conflict(_) => keys.conflict.command_for(&k).map(Action::Conflict),
        };
        action.unwrap_or(Action::Key(k))
    }

    pub fn update(&mut self, action: Action) {
        // Moving about the board changes only the selected column's scroll.
        let moving = matches!(
            action,
            Action::Command(
                Command::Down
                    | Command::Up
                    | Command::First
                    | Command::Last
                    | Command::Left
                    | Command::Right
            )
        );
        self.apply(action);
        self.settle_view(moving);
        // A mode that waited for the one that just closed opens now.
        if self.mode.is_board()
            && let Some(next) = self.queue.pop_front()
        {
            self.mode = next;
        }
    }

    /// After an action or a tick: the scroll keeps the selected card (`moving`) or the
    /// cards in view, those are read, and so is what an open detail shows.
    pub(super) fn settle_view(&mut self, moving: bool) {
        if moving {
            self.keep_selected_card_in_view();
        } else {
            self.keep_cards_in_view();
        }
        // Cards that scrolled into view are read; their real heights may scroll once more.
        if self.read_cards_in_view() {
            self.keep_cards_in_view();
            self.read_cards_in_view();
        }
        if self.shows_related() {
            self.read_related();
        }
    }

    fn apply(&mut self, action: Action) {
        match action {
            Action::Tick => {
                self.poll();
            }
            Action::Resize { width, height } => self.size = (width, height),
            Action::Paste(text) => self.paste(&text),
            Action::Click { column, row } => {
                if matches!(self.mode, Mode::Board | Mode::Filter(_)) && !self.in_standup() {
                    self.click(column, row);
                }
            }
            Action::Scroll { column, row, down } => {
                if self.mode.is_board() {
                    self.scroll(column, row, down);
                }
            }
            Action::Command(c) => {
                if self.mode.is_board() {
                    self.command(c);
                }
            }
            Action::Standup(c) => {
                if self.mode.is_board() && self.in_standup() {
                    self.standup_command(c);
                }
            }
            Action::Form(c, key) => self.form_command(c, key),
            Action::Confirm(c) => self.answer(Some(c)),
            Action::Conflict(c) => self.resolve(c),
            Action::Popup(c) => self.popup_command(c),
            Action::Filter(c) => self.filter_command(c),
            Action::Key(key) => self.other_key(key),
        }
    }

    fn paste(&mut self, text: &str) {
        match &mut self.mode {
            Mode::Form(f) => f.paste(text),
            Mode::Filter(ed) => {
                ed.insert_str(text.replace(['\n', '\r'], " "));
                self.filter = ed.lines().join("");
                self.refilter();
            }
            _ => {}
        }
    }

    /// A key that is no command of the current mode.
    fn other_key(&mut self, key: KeyEvent) {
        match &mut self.mode {
            Mode::Board => {}
            Mode::Filter(ed) => {
                ed.input(key);
                let text = ed.lines().join("");
                // A key that only moves the cursor filters nothing new.
                if text != self.filter {
                    self.filter = text;
                    self.refilter();
                }
            }
            Mode::Form(f) => f.edit(key),
            // Any other key closes a view.
            Mode::Help { .. }
            | Mode::Detail { .. }
            | Mode::Activity { .. }
            | Mode::Summary { .. }
            | Mode::Standups { .. }
            | Mode::Parked { .. } => self.close_view(),
            // A question that only asks about leaving something: any other key is no.
            Mode::Ask(q) if !matches!(q.as_ref(), Question::Confirm { .. }) => self.answer(None),
            Mode::EndStandup => self.answer(None),
            Mode::Ask(_) | Mode::Conflict(_) => {}
        }
    }

    fn filter_command(&mut self, c: FilterCommand) {
        if c == FilterCommand::Clear {
            self.filter.clear();
            self.refilter();
        }
        self.close();
    }

    /// Close a view: a summary opened from the stand-up list goes back to the list.
    fn close_view(&mut self) {
        match std::mem::replace(&mut self.mode, Mode::Board) {
            Mode::Summary {
                back: Some(back), ..
            } => self.mode = *back,
            _ => self.close(),
        }
    }

    fn popup_command(&mut self, c: PopupCommand) {
        if matches!(self.mode, Mode::Standups { .. } | Mode::Parked { .. }) {
            match c {
                PopupCommand::Quit => self.close(),
                c if !self.list_command(c) => self.close_view(),
                _ => {}
            }
            return;
        }
        match c {
            PopupCommand::ScrollDown | PopupCommand::ScrollUp => {
                let last = self.popup_last_line();
                if let Some(scroll) = self.mode.scroll_mut() {
                    *scroll = match c {
                        PopupCommand::ScrollDown => scroll.saturating_add(1).min(last),
                        _ => scroll.saturating_sub(1),
                    };
                }
            }
            PopupCommand::Edit => {
                let pane = match self.mode {
                    Mode::Detail { pane, .. } => Some(pane),
                    _ => None,
                };
                self.close_view();
                if let Some(pane) = pane
                    && !self.read_only_refusal(Command::Edit)
                {
                    self.edit_record(pane);
                }
            }
            PopupCommand::Quit => {
                // From the detail view q quits, as on the board; elsewhere it closes.
                if matches!(self.mode, Mode::Detail { .. }) {
                    self.quit = true;
                }
                self.close_view();
            }
            // Keys of the lists: elsewhere, like any other key, they close the view.
            PopupCommand::Open | PopupCommand::Resolve | PopupCommand::MakeItem => {
                self.close_view()
            }
        }
    }

    /// The last line a scrolling view can start at (its content's length, less one).
    fn popup_last_line(&self) -> u16 {
        let lines = match &self.mode {
            Mode::Help { .. } => self.help_lines(super::help::help_width(self.size.0)).len(),
            Mode::Activity { rows, .. } => rows.iter().map(|r| 1 + r.lost.len()).sum(),
            Mode::Detail { pane, .. } => {
                let width = super::detail::DETAIL_WIDTH.min(self.size.0);
                self.detail(*pane).line_count(width)
            }
            _ => usize::from(u16::MAX),
        };
        u16::try_from(lines.saturating_sub(1)).unwrap_or(u16::MAX)
    }

    fn form_command(&mut self, c: FormCommand, key: KeyEvent) {
        let Mode::Form(mut form) = std::mem::replace(&mut self.mode, Mode::Board) else {
            return;
        };
        if c == FormCommand::Quit {
            if form.is_dirty() {
                self.mode = Mode::Ask(Box::new(Question::Quit {
                    back_to: Box::new(Mode::Form(form)),
                }));
            } else {
                self.quit = true;
            }
            return;
        }
        match form.command(c, key) {
            FormInput::Edited => self.mode = Mode::Form(form),
            FormInput::Cancel if form.is_dirty() => {
                self.mode = Mode::Ask(Box::new(Question::Discard(form)));
            }
            FormInput::Cancel => {}
            FormInput::Submit => self.submit(form),
        }
    }

    /// An answer to the question or to "end the stand-up?"; `None` is any other key.
    fn answer(&mut self, c: Option<ConfirmCommand>) {
        let yes = c == Some(ConfirmCommand::Yes);
        match std::mem::replace(&mut self.mode, Mode::Board) {
            Mode::EndStandup => {
                if yes {
                    self.end_standup();
                }
            }
            Mode::Ask(q) => match *q {
                Question::Confirm {
                    text,
                    op,
                    otherwise,
                } => match c {
                    Some(ConfirmCommand::Yes) => {
                        self.run(op);
                    }
                    Some(ConfirmCommand::No) => {
                        if let Some(op) = otherwise {
                            self.run(op);
                        }
                    }
                    None => {
                        self.mode = Mode::Ask(Box::new(Question::Confirm {
                            text,
                            op,
                            otherwise,
                        }))
                    }
                },
                Question::Quit { back_to } => {
                    if yes {
                        self.quit = true;
                    } else {
                        self.mode = *back_to;
                    }
                }
                Question::Discard(mut form) => {
                    if yes {
                        // Discarded; text that lost a conflict still goes to the log.
                        if let Some(op) = form.on_discard.take() {
                            self.run(op);
                        }
                    } else {
                        self.mode = Mode::Form(form);
                    }
                }
            },
            other => self.mode = other,
        }
    }

    /// A conflict needs an answer: keep mine, keep theirs or edit.
    fn resolve(&mut self, c: ConflictCommand) {
        let Mode::Conflict(conflict) = std::mem::replace(&mut self.mode, Mode::Board) else {
            return;
        };
        match c {
            ConflictCommand::KeepMine => self.keep_mine(*conflict),
            ConflictCommand::KeepTheirs => self.keep_theirs(*conflict),
            ConflictCommand::Edit => self.edit_conflict(*conflict),
        }
    }

    fn keep_mine(&mut self, c: Conflict) {
        self.run(super::Op::Save {
            base: c.theirs,
            mine: c.mine,
        });
    }

    /// Theirs wins the conflicting fields; my other changes still land; my losing
    /// text goes to the activity log.
    fn keep_theirs(&mut self, c: Conflict) {
        let lost = c
            .fields
            .iter()
            .map(|f| format!("{} = {:?}", f.field, f.mine))
            .collect::<Vec<_>>()
            .join("; ");
        self.run(super::Op::Discard {
            summary: format!(
                "kept {}'s version of {}; discarded mine: {lost}",
                c.theirs_by, c.label
            ),
            mine: c.mine.clone(),
        });
        if !c.theirs_kept.same_content(&c.theirs) {
            self.run(super::Op::Save {
                base: c.theirs,
                mine: c.theirs_kept,
            });
        }
    }

    /// Open the record's form holding my values, based on theirs.
    fn edit_conflict(&mut self, c: Conflict) {
        use super::form::Form;
        use crate::model::{AnyRecord, Item};
        let form = match &c.mine {
            AnyRecord::Item(i) => Some(Form::item(&self.board, Some(i), Item::default())),
            AnyRecord::Persona(p) => Some(Form::persona(Some(p))),
            AnyRecord::Stage(s) => Some(Form::stage(Some(s))),
            AnyRecord::Mission(m) => Some(Form::mission(m)),
            _ => None,
        };
        match form {
            Some(mut f) => {
                // My text is in the form: cancelling asks first, and discarding logs it.
                f.on_discard = Some(super::Op::Discard {
                    summary: format!(
                        "kept {}'s version of {} (edit abandoned); discarded mine",
                        c.theirs_by, c.label
                    ),
                    mine: c.mine.clone(),
                });
                self.mode = Mode::Form(Box::new(f));
            }
            None => self.keep_mine(c),
        }
    }

    fn submit(&mut self, mut form: Box<super::Form>) {
        if form.target == super::form::Target::ParkTopic {
            match form.topic() {
                Ok(topic) => self.park(topic),
                Err(msg) => {
                    form.error = Some(msg);
                    self.mode = Mode::Form(form);
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
                    self.mode = Mode::Form(form);
                }
            }
            Err(msg) => {
                form.error = Some(msg);
                self.mode = Mode::Form(form);
            }
        }
    }

    /// On a read-only board, commands that would write say why instead.
    pub(super) fn read_only_refusal(&mut self, c: Command) -> bool {
        use crate::keymap::CommandSet;
        if !c.writes() {
            return false;
        }
        match self.file.read_only.clone() {
            None => false,
            Some(why) => {
                let e = crate::store::StoreError::ReadOnly {
                    path: self.file.path.clone(),
                    why,
                };
                self.say(NoteKind::Warn, e.to_string());
                true
            }
        }
    }
}

fn mouse_action(m: MouseEvent) -> Option<Action> {
    use crossterm::event::{MouseButton, MouseEventKind};
    match m.kind {
        MouseEventKind::Down(MouseButton::Left) => Some(Action::Click {
            column: m.column,
            row: m.row,
        }),
        MouseEventKind::ScrollDown => Some(Action::Scroll {
            column: m.column,
            row: m.row,
            down: true,
        }),
        MouseEventKind::ScrollUp => Some(Action::Scroll {
            column: m.column,
            row: m.row,
            down: false,
        }),
        _ => None,
    }
}
