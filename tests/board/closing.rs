//! One rule for leaving things: `Esc` and `q` close whatever is open over the board (a
//! popup, the detail, the help, a view); only on the board does `q` quit obeya.

use crossterm::event::KeyCode;
use kit::drive::*;
use obeya::app::{App, Effect, Mode};

/// What has the keyboard, by name, for messages.
fn mode_name(app: &App) -> &'static str {
    match app.mode() {
        Mode::Board => "board",
        Mode::Standup(_) => "stand-up",
        Mode::Filter(_) => "filter",
        Mode::Help { .. } => "help",
        Mode::Detail { .. } => "detail",
        Mode::Activity { .. } => "activity",
        Mode::Standups { .. } => "stand-ups",
        Mode::Parked { .. } => "parked",
        Mode::Evidence(_) => "evidence",
        Mode::Form(_) => "form",
        Mode::Ask(_) => "question",
        Mode::Conflict(_) => "conflict",
        Mode::EndStandup => "end stand-up?",
        Mode::Summary { .. } => "summary",
    }
}

/// An app with a stand-up held (one parked topic still open), so that every view has
/// something to show.
fn app_with_history() -> (kit::fixture::Board, App) {
    let (b, mut app) = starter_app();
    keys(&mut app, "sp");
    type_text(&mut app, "Who owns the van schedule?");
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(mode_name(&app), "stand-up", "the topic is parked");
    keys(&mut app, "sy");
    assert_eq!(
        mode_name(&app),
        "summary",
        "the stand-up ended with its summary"
    );
    press(&mut app, key(KeyCode::Esc));
    assert!(app.mode().is_board());
    (b, app)
}

/// The keys (from the board) that open each view over the board, and its name.
const VIEWS: &[(&str, &str)] = &[
    ("?", "help"),
    ("4\n", "detail"),
    ("2\n", "detail"),
    ("3\n", "detail"),
    ("1\n", "detail"),
    ("a", "activity"),
    ("S", "stand-ups"),
    ("S\n", "summary"),
    ("P", "parked"),
    ("4E", "evidence"),
    ("4d", "question"),
];

fn open(app: &mut App, how: &str) {
    for c in how.chars() {
        match c {
            '\n' => press(app, key(KeyCode::Enter)),
            c => press(app, ch(c)),
        };
    }
}

#[test]
fn esc_and_q_close_every_view_and_q_does_not_quit_there() {
    let (_b, mut app) = app_with_history();
    for (how, name) in VIEWS {
        for (close, label) in [(key(KeyCode::Esc), "Esc"), (ch('q'), "q")] {
            open(&mut app, how);
            assert_eq!(mode_name(&app), *name, "{how:?} opens the {name}");
            // The stand-up list's Enter opens a summary over the list: two to close.
            let depth = app.modes().all().len();
            for _ in 1..depth {
                assert_eq!(
                    press(&mut app, close),
                    Effect::Continue,
                    "{label} in the {name} never quits"
                );
            }
            assert!(
                app.mode().is_board(),
                "{label} closes the {name} (now: {})",
                mode_name(&app)
            );
        }
    }
}

#[test]
fn q_quits_only_on_the_board_zoomed_or_not() {
    let (_b, mut app) = starter_app();
    assert_eq!(keys(&mut app, "4z"), Effect::Continue);
    assert!(app.screen().zoomed());
    assert_eq!(
        keys(&mut app, "q"),
        Effect::Quit,
        "q on the zoomed board quits"
    );
    let (_b, mut app) = starter_app();
    assert_eq!(keys(&mut app, "q"), Effect::Quit, "q on the board quits");
}

#[test]
fn ctrl_c_quits_from_a_view() {
    let (_b, mut app) = starter_app();
    open(&mut app, "4\n");
    assert_eq!(mode_name(&app), "detail");
    assert_eq!(press(&mut app, ctrl('c')), Effect::Quit);
    let (_b, mut app) = starter_app();
    open(&mut app, "?");
    assert_eq!(press(&mut app, ctrl('c')), Effect::Quit);
}

#[test]
fn the_help_says_how_it_closes() {
    let (_b, mut app) = starter_app();
    open(&mut app, "?");
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("Esc/q closes"), "{screen}");
    assert!(
        !screen.contains("quit obeya (detail)"),
        "no key quits from the detail but Ctrl-c: {screen}"
    );
}
