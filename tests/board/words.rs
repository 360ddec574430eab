//! Words a person reads on the wall (issue 25): the stand-up walk names each item's
//! `#id`, day counts read "today", "1 day", "3 days", an empty field prints nothing,
//! and a form's footer says what its keys do there.

use crossterm::event::KeyCode;
use kit::drive::*;
use kit::fixture::*;

#[test]
fn the_walk_shows_each_items_number() {
    let (_b, mut app) = starter_app();
    keys(&mut app, "s");
    let screen = render(&mut app, 120, 40);
    let walk = &app.standup().unwrap().walk;
    assert!(!walk.is_empty());
    for step in walk.iter().take(5) {
        let title = item_by_id(&app, step.item);
        let row = format!("#{} {}", step.item, &title[..title.len().min(12)]);
        assert!(screen.contains(&row), "{row:?} not in the walk:\n{screen}");
    }
}

fn item_by_id(app: &obeya::app::App, id: i64) -> String {
    app.standup().unwrap().items[&id].title.clone()
}

#[test]
fn day_counts_never_say_day_s() {
    let (_b, mut app) = starter_app();
    select_item(&mut app, "Refund missing items in one tap");
    press(&mut app, key(KeyCode::Enter));
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("Do for 6 days"), "{screen}");
    assert!(!screen.contains("day(s)"), "{screen}");
}

#[test]
fn a_persona_without_a_quote_shows_no_empty_quotation_marks() {
    let b = starter_board();
    rusqlite::Connection::open(&b.path)
        .unwrap()
        .execute_batch(
            "UPDATE persona SET quote = '' ; UPDATE persona SET quote = '  ' WHERE id = 2;",
        )
        .unwrap();
    let mut app = app_on(&b.path, "alice");
    keys(&mut app, "2z");
    let screen = render(&mut app, 120, 40);
    assert!(!screen.contains("In their words"), "{screen}");
    assert!(!screen.contains("“”"), "{screen}");
    keys(&mut app, "z");
    press(&mut app, key(KeyCode::Enter));
    let screen = render(&mut app, 120, 40);
    assert!(
        !screen.contains("Quote") && !screen.contains("“”"),
        "{screen}"
    );
}

/// The footer line of the form on screen (the line with its cancel key).
fn footer(screen: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains("Esc cancel"))
        .unwrap_or_else(|| panic!("no footer:\n{screen}"))
        .to_owned()
}

#[test]
fn form_footers_say_what_the_keys_do_there() {
    let (_b, mut app) = starter_app();
    // The park form: one line, and Enter parks it.
    keys(&mut app, "sp");
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("Enter parks it"), "{screen}");
    let f = footer(&screen);
    assert!(f.contains("Enter / Ctrl-s park · Esc cancel"), "{f}");
    assert!(!f.contains("next field") && !f.contains("save"), "{f}");
    press(&mut app, key(KeyCode::Esc));
    keys(&mut app, "sy");
    press(&mut app, key(KeyCode::Esc));
    assert!(app.mode().is_board());
    // A new item: Enter moves on from the title; on the last field it saves.
    keys(&mut app, "4n");
    let f = footer(&render(&mut app, 120, 40));
    assert!(f.contains("Tab / Enter next field · Ctrl-s save"), "{f}");
    let fields = app.form().unwrap().fields().len();
    for _ in 1..fields {
        press(&mut app, key(KeyCode::BackTab));
        if app.form().unwrap().focus() + 1 == fields {
            break;
        }
    }
    assert_eq!(app.form().unwrap().focus() + 1, fields);
    let f = footer(&render(&mut app, 120, 40));
    assert!(
        f.contains("Enter / Ctrl-s save") || f.contains("Enter new line"),
        "{f}"
    );
    press(&mut app, key(KeyCode::Esc));
    // A comment: one long field, where Enter is a new line.
    keys(&mut app, "c");
    let f = footer(&render(&mut app, 120, 40));
    assert!(f.contains("Enter new line · Ctrl-s save"), "{f}");
    assert!(!f.contains("next field"), "one field: {f}");
}
