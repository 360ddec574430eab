//! Modal input, in one place: a key becomes an [`Action`] through the keymap of the
//! [`Mode`] that has the keyboard, [`App::update`] hands each action to that mode, and
//! says what the event loop must do ([`Effect`]).

use crossterm::event::{Event, KeyEvent, KeyEventKind, MouseEvent};

use super::form::{Form, FormInput, Submission};
use super::mode::{Mode, Question};
use super::{App, Op, Outcome};
use crate::keymap::{
    Command, ConfirmCommand, ConflictCommand, EvidenceCommand, FilterCommand, FormCommand,
    PopupCommand, StandupCommand,
};
use crate::model::{AnyRecord, Conflict, Item};

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
    Evidence(EvidenceCommand),
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

/// What the event loop must do after an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Continue,
    /// Leave (queued writes get their last try on the way out).
    Quit,
    /// Give the terminal back and stop until `fg` (ctrl-z).
    Suspend,
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
        let keys = self.settings.keys();
        let action = match self.mode() {
            Mode::Board => keys.board.command_for(&k).map(Action::Command),
            Mode::Standup(_) => keys
                .standup
                .command_for(&k)
                .map(Action::Standup)
                .or_else(|| keys.board.command_for(&k).map(Action::Command)),
            Mode::Filter(_) => keys.filter.command_for(&k).map(Action::Filter),
            Mode::Evidence(_) => keys.evidence.command_for(&k).map(Action::Evidence),
            m if m.is_view() => keys.popup.command_for(&k).map(Action::Popup),
            Mode::Form(_) => keys.form.command_for(&k).map(|c| Action::Form(c, k)),
            Mode::Ask(_) | Mode::EndStandup => keys.confirm.command_for(&k).map(Action::Confirm),
            Mode::Conflict(_) => keys.conflict.command_for(&k).map(Action::Conflict),
            _ => None,
        };
        action.unwrap_or(Action::Key(k))
    }

    /// Apply an action, and say what the event loop must do.
    pub fn update(&mut self, action: Action) -> Effect {
        // On a board locked with a folder, what follows reads no stale cached page.
        self.store.refresh();
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
        let effect = self.apply(action);
        self.settle_view(moving);
        self.warn_bad_cells();
        effect
    }

    fn apply(&mut self, action: Action) -> Effect {
        let top = self.mode();
        let (board, walking) = (top.is_board(), matches!(top, Mode::Standup(_)));
        let clickable = matches!(top, Mode::Board | Mode::Filter(_));
        match action {
            Action::Tick => {
                self.poll();
            }
            Action::Resize { width, height } => self.screen.resize(width, height),
            Action::Paste(text) => self.paste(&text),
            Action::Click { column, row } if clickable => {
                self.screen.click(&self.store, column, row)
            }
            Action::Scroll { column, row, down } if board => self.wheel(column, row, down),
            Action::Command(c) if board => return self.command(c),
            Action::Standup(c) if walking => self.standup_command(c),
            Action::Form(c, key) => return self.form_command(c, key),
            Action::Confirm(c) => return self.answer(c == ConfirmCommand::Yes),
            Action::Conflict(c) => self.resolve(c),
            Action::Popup(c) => return self.popup_command(c),
            Action::Evidence(c) => return self.evidence_command(c),
            Action::Filter(c) => self.filter_command(c),
            Action::Key(key) => return self.other_key(key),
            Action::Click { .. }
            | Action::Scroll { .. }
            | Action::Command(_)
            | Action::Standup(_) => {}
        }
        Effect::Continue
    }

    fn paste(&mut self, text: &str) {
        let filter = match self.modes.top_mut() {
            Mode::Form(f) => {
                f.paste(text);
                return;
            }
            Mode::Filter(ed) => {
                ed.insert_str(text.replace(['\n', '\r'], " "));
                ed.lines().join("")
            }
            _ => return,
        };
        self.screen.set_filter(&self.store, filter);
    }

    /// A key that is no command of the current mode.
    fn other_key(&mut self, key: KeyEvent) -> Effect {
        match self.modes.top_mut() {
            Mode::Filter(ed) => {
                ed.input(key);
                // A key that only moves the cursor filters nothing new.
                let text = ed.lines().join("");
                self.screen.set_filter(&self.store, text);
            }
            Mode::Form(f) => f.edit(key),
            // Any other key closes a view.
            m if m.is_view() => {
                self.modes.close();
            }
            // A question that only asks about leaving something: any other key is no.
            Mode::Ask(q) if !matches!(**q, Question::Confirm { .. }) => return self.answer(false),
            Mode::EndStandup => return self.answer(false),
            _ => {}
        }
        Effect::Continue
    }

    fn filter_command(&mut self, c: FilterCommand) {
        if c == FilterCommand::Clear {
            self.screen.set_filter(&self.store, String::new());
        }
        self.modes.close();
    }

    fn popup_command(&mut self, c: PopupCommand) -> Effect {
        match c {
            PopupCommand::Close => {
                self.modes.close();
                return Effect::Continue;
            }
            PopupCommand::Quit => return self.quit_from_view(),
            _ => {}
        }
        if matches!(self.mode(), Mode::Standups { .. } | Mode::Parked { .. }) {
            if !self.list_command(c) {
                self.modes.close();
            }
            return Effect::Continue;
        }
        match c {
            PopupCommand::ScrollDown | PopupCommand::ScrollUp => {
                let last = self.popup_last_line();
                if let Some(scroll) = self.modes.top_mut().scroll_mut() {
                    *scroll = match c {
                        PopupCommand::ScrollDown => scroll.saturating_add(1).min(last),
                        _ => scroll.saturating_sub(1),
                    };
                }
            }
            PopupCommand::Edit => {
                if let Some(Mode::Detail { pane, .. }) = self.modes.close()
                    && !self.read_only_refusal(Command::Edit)
                {
                    let form = super::board::edit_record(&self.screen, pane);
                    if let Some(form) = form {
                        self.modes.open(Mode::Form(Box::new(form)));
                    }
                }
            }
            // Keys of the lists: elsewhere, like any other key, they close the view.
            PopupCommand::Open
            | PopupCommand::Resolve
            | PopupCommand::MakeItem
            | PopupCommand::Close
            | PopupCommand::Quit => {
                self.modes.close();
            }
        }
        Effect::Continue
    }

    /// Quit from a view (Ctrl-c): at once, unless changes still wait for a busy board
    /// or a stand-up runs; then the question opens above the view.
    fn quit_from_view(&mut self) -> Effect {
        if self.sharing.has_pending() || self.in_standup() {
            self.ask_quit();
            return Effect::Continue;
        }
        Effect::Quit
    }

    /// The last line a scrolling view can start at (its content's length, less one).
    /// It stops where the last page shows whole: the content's length less the rows
    /// the view shows (as `ui::popup` draws it: the help two rows inside the screen
    /// above the status bar, the detail four, the activity log its full height).
    fn popup_last_line(&self) -> u16 {
        let (width, height) = self.screen.size();
        let inside = |margin: u16| usize::from(height.saturating_sub(1 + margin + 2));
        let (lines, shown) = match self.mode() {
            Mode::Help { .. } => (
                super::help::help_lines(self.settings.keys(), super::help::help_width(width)).len(),
                inside(2),
            ),
            Mode::Activity { rows, .. } => {
                let width = super::history::activity_width(width);
                let lines = super::history::activity_lines(rows, self.clock.tz(), width);
                (lines.len(), inside(0))
            }
            Mode::Detail { pane, .. } => {
                let width = super::detail::DETAIL_WIDTH.min(width);
                (self.detail(*pane).line_count(width), inside(4))
            }
            _ => (usize::from(u16::MAX), 1),
        };
        u16::try_from(lines.saturating_sub(shown.max(1))).unwrap_or(u16::MAX)
    }

    fn form_command(&mut self, c: FormCommand, key: KeyEvent) -> Effect {
        let Mode::Form(form) = self.modes.top_mut() else {
            return Effect::Continue;
        };
        let dirty = form.is_dirty();
        if c == FormCommand::Quit {
            if !dirty {
                return Effect::Quit;
            }
            self.ask_quit();
            return Effect::Continue;
        }
        match form.command(c, key) {
            FormInput::Edited => {}
            FormInput::Cancel if form.is_dirty() => self.modes.open(Mode::ask(Question::Discard)),
            FormInput::Cancel => {
                self.modes.close();
            }
            FormInput::Submit => self.submit(),
        }
        Effect::Continue
    }

    /// The form on top turned into its change: saved, and the form closes; or it stays
    /// open, saying what to fix.
    fn submit(&mut self) {
        let Some(Mode::Form(mut form)) = self.modes.close() else {
            return;
        };
        match form.submit(self.screen.wall()) {
            Ok(Submission::Topic(topic)) => self.park(topic),
            // The form closes when the change is saved, queued for a busy board, or
            // handed to the conflict / re-create question; a refusal keeps it open.
            Ok(Submission::Op(op)) => {
                if let Outcome::Failed(why) = self.run(op) {
                    form.refused(&why, "");
                    self.modes.open(Mode::Form(form));
                }
            }
            Err(e) => {
                form.failed(e);
                self.modes.open(Mode::Form(form));
            }
        }
    }

    /// On the way out after a signal: the form being typed in, if anything was typed, is
    /// saved as Ctrl-s saves it (written, or queued behind a teammate's lock, to be
    /// tried with the queue). If it cannot be (a rule it breaks, a refusal, a conflict,
    /// a topic parked in a stand-up that is not stored), everything in it is returned,
    /// with why, to be printed.
    pub fn save_form_on_leaving(&mut self) -> Option<String> {
        if !self.modes.form().is_some_and(Form::is_dirty) {
            return None;
        }
        // A question about it (quit? discard?) is answered: keep it.
        if !matches!(self.mode(), Mode::Form(_)) {
            self.modes.close();
        }
        let Some(Mode::Form(form)) = self.modes.close() else {
            return None;
        };
        let text = form.describe();
        let why = match form.submit(self.screen.wall()) {
            Ok(Submission::Op(op)) if form.saves_to_board() => match self.run(op) {
                Outcome::Done | Outcome::Queued => return None,
                Outcome::Failed(why) => why.to_string(),
                Outcome::Conflict => "a teammate changed the same field meanwhile".into(),
                Outcome::Gone => "a teammate deleted it meanwhile".into(),
            },
            Ok(_) => "a topic is kept with its stand-up, which was not ended".into(),
            Err(e) => e.to_string(),
        };
        Some(format!("{text}\n    (not saved: {why})"))
    }

    /// An answer to the question or to "end the stand-up?": yes, or anything else.
    fn answer(&mut self, yes: bool) -> Effect {
        match self.modes.close() {
            Some(Mode::EndStandup) if yes => self.end_standup(),
            Some(Mode::Ask(q)) => match *q {
                Question::Confirm { op, otherwise, .. } => {
                    if let Some(op) = if yes { Some(op) } else { otherwise } {
                        self.run(op);
                    }
                }
                Question::Quit if yes => return Effect::Quit,
                // Discarded; text that lost a conflict still goes to the log.
                Question::Discard if yes => {
                    if let Some(Mode::Form(mut form)) = self.modes.close()
                        && let Some(op) = form.take_on_discard()
                    {
                        self.run(op);
                    }
                }
                Question::Quit | Question::Discard => {}
            },
            Some(Mode::EndStandup) | None => {}
            Some(other) => self.modes.open(other),
        }
        Effect::Continue
    }

    /// A conflict needs an answer: keep mine, keep theirs or edit.
    fn resolve(&mut self, c: ConflictCommand) {
        if !matches!(self.mode(), Mode::Conflict(_)) {
            return;
        }
        let Some(Mode::Conflict(conflict)) = self.modes.close() else {
            return;
        };
        match c {
            ConflictCommand::KeepMine => self.keep_mine(*conflict),
            ConflictCommand::KeepTheirs => self.keep_theirs(*conflict),
            ConflictCommand::Edit => self.edit_conflict(*conflict),
        }
    }

    fn keep_mine(&mut self, c: Conflict) {
        self.run(Op::Save {
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
        self.run(Op::Discard {
            summary: format!(
                "kept {}'s version of {}; discarded mine: {lost}",
                c.theirs_by, c.label
            ),
            mine: c.mine.clone(),
        });
        if !c.theirs_kept.same_content(&c.theirs) {
            self.run(Op::Save {
                base: c.theirs,
                mine: c.theirs_kept,
            });
        }
    }

    /// Open the record's form holding my values, based on theirs.
    fn edit_conflict(&mut self, c: Conflict) {
        let form = match &c.mine {
            AnyRecord::Item(i) => Form::item(self.screen.wall(), Some(i), Item::default()),
            AnyRecord::Persona(p) => Form::persona(Some(p)),
            AnyRecord::Stage(s) => Form::stage(Some(s)),
            AnyRecord::Mission(m) => Form::mission(m),
            AnyRecord::Evidence(e) => Form::evidence(self.screen.wall(), Some(e), e.clone(), &[]),
            _ => return self.keep_mine(c),
        };
        // My text is in the form: cancelling asks first, and discarding logs it.
        let form = form.on_discard(Op::Discard {
            summary: format!(
                "kept {}'s version of {} (edit abandoned); discarded mine",
                c.theirs_by, c.label
            ),
            mine: c.mine.clone(),
        });
        self.modes.open(Mode::Form(Box::new(form)));
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
