//! Nothing a user typed is lost: failed saves keep the form, queued writes are not
//! dropped on quit, conflicts wait for an open form, and a teammate's change is never
//! silently overwritten. (From a review of the wall; each of these once failed.)

use crossterm::event::KeyCode;
use kit::drive::*;
use kit::fixture::*;
use obeya::app::{Effect, FieldId, Mode};
use obeya::keymap::Command;
use obeya::store::Store;

const REFUND: &str = "Refund missing items in one tap";

fn bob(b: &Board) -> Store {
    Store::open(&b.path, "bob").unwrap()
}

#[test]
fn a_refused_save_keeps_the_form_and_its_text() {
    let (b, mut app) = starter_app();
    cmd(&mut app, Command::FocusImprovements);
    cmd(&mut app, Command::New);
    type_text(&mut app, "My important item");
    // Persona field (Title, Status, Owner, Due, Persona): pick the first persona.
    for _ in 0..4 {
        press(&mut app, key(KeyCode::Tab));
    }
    press(&mut app, key(KeyCode::Right));
    let chosen = app.form().unwrap().field(FieldId::Persona).value();
    // A teammate deletes that persona before we save.
    let mut s = bob(&b);
    let p = s
        .load_wall()
        .unwrap()
        .personas
        .into_iter()
        .find(|p| p.name == chosen)
        .unwrap();
    s.delete_persona(&p).unwrap();
    press(&mut app, ctrl('s'));
    let form = app.form().expect("the form stays open");
    assert_eq!(form.field(FieldId::Title).value(), "My important item");
    assert!(
        form.error().unwrap_or("").contains("unknown persona"),
        "{:?}",
        form.error()
    );
}

#[test]
fn quitting_with_a_change_queued_for_a_busy_board_asks_first() {
    let (b, mut app) = starter_app();
    select_item(&mut app, REFUND);
    let lock = rusqlite::Connection::open(&b.path).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE").unwrap();
    press(&mut app, ch('L'));
    assert_eq!(app.sharing().pending().len(), 1);
    assert_eq!(press(&mut app, ch('q')), Effect::Continue);
    assert!(asks_to_quit(&app), "asks before leaving a queued change");
    assert_eq!(press(&mut app, ch('n')), Effect::Continue);
    lock.execute_batch("ROLLBACK").unwrap();
    // On the way out the queue gets a last try and lands.
    assert!(app.flush_pending().is_empty());
    let item = reopen(&b.path)
        .items
        .into_iter()
        .find(|i| i.title == REFUND)
        .unwrap();
    assert_eq!(item.status, obeya::model::Status::Check);
}

#[test]
fn a_refused_undo_stays_on_the_undo_stack() {
    let (b, mut app) = starter_app();
    select_item(&mut app, REFUND);
    press(&mut app, ch('L'));
    let mut s = bob(&b);
    let it = s
        .load_board()
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.title == REFUND)
        .unwrap();
    s.save(
        &it,
        &obeya::model::Item {
            owner: "carol".into(),
            ..it.clone()
        },
    )
    .unwrap();
    app.tick();
    for _ in 0..2 {
        press(&mut app, ch('u'));
        assert!(
            app.note().unwrap().text.contains("cannot undo"),
            "{:?}",
            app.note()
        );
        assert_eq!(app.sharing().undo_depth(), 1, "the refused undo is kept");
    }
}

#[test]
fn a_feeling_edit_does_not_overwrite_a_teammates_change() {
    let (b, mut app) = starter_app();
    cmd(&mut app, Command::FocusJourney);
    let (p, st) = (
        app.selection().persona.unwrap(),
        app.selection().stage.unwrap(),
    );
    press(&mut app, ch('e'));
    assert!(app.form().is_some());
    bob(&b).set_feeling(p, st, -2, "bob's note").unwrap();
    app.tick();
    type_text(&mut app, " alice");
    press(&mut app, ctrl('s'));
    // Both changed the note: a conflict, and bob's score stands.
    assert!(
        matches!(app.mode(), Mode::Conflict(_)),
        "a conflict is shown"
    );
    let f = reopen(&b.path).feeling(p, st).unwrap().clone();
    assert_eq!((f.score, f.note.as_str()), (-2, "bob's note"));
}

#[test]
fn abandoning_a_conflict_edit_asks_and_keeps_my_text_in_the_log() {
    let (b, mut app) = starter_app();
    select_item(&mut app, REFUND);
    press(&mut app, ch('e'));
    type_text(&mut app, " ALICE-TEXT");
    let mut s = bob(&b);
    let it = s
        .load_board()
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.title == REFUND)
        .unwrap();
    s.save(
        &it,
        &obeya::model::Item {
            title: "Bob title".into(),
            ..it.clone()
        },
    )
    .unwrap();
    press(&mut app, ctrl('s'));
    assert!(matches!(app.mode(), Mode::Conflict(_)));
    press(&mut app, key(KeyCode::Esc));
    assert!(
        matches!(app.mode(), Mode::Conflict(_)),
        "Esc does not decide a conflict"
    );
    press(&mut app, ch('e'));
    press(&mut app, key(KeyCode::Esc));
    assert!(asks_to_discard(&app), "asks before discarding");
    press(&mut app, ch('y'));
    let n: i64 = Store::open(&b.path, "x")
        .unwrap()
        .conn()
        .query_row("SELECT count(*) FROM activity WHERE action = 'conflict' AND before LIKE '%ALICE-TEXT%'", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1, "my text is in the activity log");
}

#[test]
fn a_zoomed_board_on_a_narrow_terminal_does_not_panic() {
    for w in 60..=66u16 {
        let (_b, mut app) = starter_app();
        select_item(&mut app, REFUND);
        cmd(&mut app, Command::Zoom);
        let screen = render(&mut app, w, 16);
        assert!(screen.contains("Improvements"), "{screen}");
    }
}

#[test]
fn a_conflict_from_a_queued_save_waits_for_the_open_form() {
    let (b, mut app) = starter_app();
    select_item(&mut app, REFUND);
    press(&mut app, ch('e'));
    type_text(&mut app, " A");
    let mut s = bob(&b);
    let it = s
        .load_board()
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.title == REFUND)
        .unwrap();
    let lock = rusqlite::Connection::open(&b.path).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE").unwrap();
    press(&mut app, ctrl('s'));
    assert_eq!(app.sharing().pending().len(), 1);
    cmd(&mut app, Command::Left);
    press(&mut app, ch('c'));
    type_text(&mut app, "a long comment I am typing");
    lock.execute_batch("ROLLBACK").unwrap();
    s.save(
        &it,
        &obeya::model::Item {
            title: "Bob title".into(),
            ..it.clone()
        },
    )
    .unwrap();
    app.tick();
    let form = app.form().expect("the comment form stays");
    assert_eq!(
        form.field(FieldId::Comment).value(),
        "a long comment I am typing"
    );
    // Closing the form brings the conflict up.
    press(&mut app, ctrl('s'));
    assert!(matches!(app.mode(), Mode::Conflict(_)));
}

#[test]
fn deleting_what_a_teammate_just_changed_is_refused() {
    let (b, mut app) = starter_app();
    select_item(&mut app, REFUND);
    press(&mut app, ch('d'));
    let mut s = bob(&b);
    let it = s
        .load_board()
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.title == REFUND)
        .unwrap();
    s.save(
        &it,
        &obeya::model::Item {
            owner: "carol".into(),
            ..it.clone()
        },
    )
    .unwrap();
    press(&mut app, ch('y'));
    assert!(
        app.note()
            .unwrap()
            .text
            .contains("after you chose to delete it"),
        "{:?}",
        app.note()
    );
    assert!(reopen(&b.path).items.iter().any(|i| i.title == REFUND));
}

#[test]
fn a_queued_change_refused_on_retry_comes_back_as_its_form_with_the_text() {
    let (b, mut app) = starter_app();
    cmd(&mut app, Command::FocusPersonas);
    cmd(&mut app, Command::New);
    type_text(&mut app, "Dana the driver");
    // The board is busy when alice saves: the new persona waits in the queue.
    let lock = rusqlite::Connection::open(&b.path).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE").unwrap();
    press(&mut app, ctrl('s'));
    assert_eq!(app.sharing().pending().len(), 1, "queued");
    assert!(
        app.form().is_none(),
        "the form closed with the change queued"
    );
    lock.execute_batch("ROLLBACK").unwrap();
    // Meanwhile bob takes the name.
    let mut s = bob(&b);
    s.add_persona(obeya::model::Persona {
        name: "DANA THE DRIVER".into(),
        ..Default::default()
    })
    .unwrap();
    // The retry is refused: the change is not dropped, it comes back as the form.
    app.tick();
    assert_eq!(app.sharing().pending().len(), 0);
    let form = app.form().expect("the persona form is back");
    assert_eq!(form.field(FieldId::Name).value(), "Dana the driver");
    let error = form.error().unwrap_or("");
    assert!(error.starts_with("not saved: "), "{error}");
    assert!(error.to_lowercase().contains("dana the driver"), "{error}");
    // Renamed, it saves.
    for _ in 0..3 {
        press(&mut app, key(KeyCode::Backspace));
    }
    type_text(&mut app, "dan");
    press(&mut app, ctrl('s'));
    assert!(
        app.form().is_none(),
        "{:?}",
        app.form().and_then(|f| f.error())
    );
    let names: Vec<String> = reopen(&b.path)
        .wall
        .personas
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert!(names.iter().any(|n| n == "Dana the dridan"), "{names:?}");
}
