//! An `App` on a board file, driven only through actions: keys through the keymap,
//! commands, and a TestBackend to draw on.

use std::path::Path;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use obeya::app::{Action, App, Effect, Mode, Question};
use obeya::config::Config;
use obeya::keymap::Command;
use obeya::store::{Patience, Store};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::fixture::{Board, now, starter_board};

/// An app for `user` on the board file, clock pinned, no colour, wall-sized.
pub fn app_on(path: &Path, user: &str) -> App {
    let mut store = Store::open(path, user).unwrap();
    store.set_patience(Patience::INTERACTIVE);
    let mut app = App::new(store, &Config::default(), user).unwrap();
    // Times show in UTC, whatever zone the machine is in.
    app.set_time_zone(jiff::tz::TimeZone::UTC);
    app.set_clock(now());
    app.set_color(false);
    app.update(Action::Resize {
        width: 120,
        height: 40,
    });
    app
}

/// The starter board and alice's app on it.
pub fn starter_app() -> (Board, App) {
    let b = starter_board();
    let app = app_on(&b.path, "alice");
    (b, app)
}

pub fn key_with(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
    KeyEvent {
        code,
        modifiers,
        kind: KeyEventKind::Press,
        state: KeyEventState::NONE,
    }
}

pub fn key(code: KeyCode) -> KeyEvent {
    key_with(code, KeyModifiers::NONE)
}

pub fn ch(c: char) -> KeyEvent {
    let m = if c.is_ascii_uppercase() {
        KeyModifiers::SHIFT
    } else {
        KeyModifiers::NONE
    };
    key_with(KeyCode::Char(c), m)
}

pub fn ctrl(c: char) -> KeyEvent {
    key_with(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// Send a key the way the event loop does: through the keymap, then `update`. Returns
/// what the loop would do.
pub fn press(app: &mut App, k: KeyEvent) -> Effect {
    match app.action_for(Event::Key(k)) {
        Some(a) => app.update(a),
        None => Effect::Continue,
    }
}

/// Type each character of `s` as a key press.
pub fn type_text(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, key_with(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

/// Press a sequence of keys given as characters (e.g. "4jj"). Returns what the loop
/// would do after the last.
pub fn keys(app: &mut App, s: &str) -> Effect {
    s.chars()
        .map(|c| press(app, ch(c)))
        .last()
        .unwrap_or(Effect::Continue)
}

pub fn cmd(app: &mut App, c: Command) -> Effect {
    app.update(Action::Command(c))
}

/// Select the item with this title: focus the improvements pane, go to its column, walk down.
pub fn select_item(app: &mut App, title: &str) {
    cmd(app, Command::FocusImprovements);
    let item = item_titled(app, title);
    let col = item.status.index();
    // One step per column at most: a key that does not move is a failure, not a hang.
    for _ in 0..obeya::model::Status::ALL.len() {
        match app.selection().column.cmp(&col) {
            std::cmp::Ordering::Greater => cmd(app, Command::Left),
            std::cmp::Ordering::Less => cmd(app, Command::Right),
            std::cmp::Ordering::Equal => break,
        };
    }
    assert_eq!(
        app.selection().column,
        col,
        "could not reach the column of '{title}'"
    );
    cmd(app, Command::First);
    for _ in 0..app.screen().view().shown[col] {
        if app.selection().item == Some(item.id) {
            return;
        }
        cmd(app, Command::Down);
    }
    assert_eq!(
        app.selection().item,
        Some(item.id),
        "could not select '{title}'"
    );
}

/// Every card the wall has read, column by column (on a small board, every card shown).
pub fn cards(app: &App) -> impl Iterator<Item = &obeya::model::Item> {
    app.screen().view().columns.iter().flat_map(|c| &c.items)
}

/// The item with this title among the cards the wall has read (on a small board, all).
pub fn item_titled(app: &App, title: &str) -> obeya::model::Item {
    cards(app)
        .find(|i| i.title == title)
        .unwrap_or_else(|| panic!("no item '{title}' among the cards read"))
        .clone()
}

/// Draw the wall on a `width`×`height` TestBackend and return the screen as text,
/// one line per row (trailing blanks trimmed).
pub fn render(app: &mut App, width: u16, height: u16) -> String {
    app.update(Action::Resize { width, height });
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|f| obeya::ui::draw(f, app)).unwrap();
    let buf = terminal.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..height {
        let mut line = String::new();
        let mut skip = 0usize;
        for x in 0..width {
            let cell = &buf[(x, y)];
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = cell.symbol();
            line.push_str(sym);
            let w = unicode_width::UnicodeWidthStr::width(sym);
            if w > 1 {
                skip = w - 1;
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Whether the wall is asking "quit anyway? y / n".
pub fn asks_to_quit(app: &App) -> bool {
    matches!(app.mode(), Mode::Ask(q) if matches!(**q, Question::Quit))
}

/// Whether the form is asking "discard your changes? y / n".
pub fn asks_to_discard(app: &App) -> bool {
    matches!(app.mode(), Mode::Ask(q) if matches!(**q, Question::Discard))
}
