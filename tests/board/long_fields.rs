//! Text of any length (issue 20): a field far longer than obeya's limits (put there
//! with the sqlite3 shell) is drawn in bounded time, and nothing panics; the form keeps
//! every field's limit (`rules::TextSize`) like every other way in. And a cell obeya
//! cannot read is named on the status line, not fatal to the wall.

use std::time::{Duration, Instant};

use kit::drive::*;
use kit::fixture::*;
use kit::wait;
use obeya::app::{Action, FieldId};
use obeya::keymap::Command;

/// 30 MB: the adversarial pass's title.
const HUGE: usize = 30_000_000;

#[test]
fn a_30_mb_title_name_and_detail_draw_the_first_frame_at_once() {
    let made = Instant::now();
    let b = starter_board();
    let c = rusqlite::Connection::open(&b.path).unwrap();
    obeya::store::add_name_collation(&c).unwrap();
    // Without the filter's index of the title, whose 30 MB would take this debug build
    // seconds to index: its triggers are made again as they were, and only the index
    // misses the new words (the wall does not read it unless filtering).
    let triggers: Vec<String> = c
        .prepare("SELECT sql FROM sqlite_master WHERE name LIKE 'item_text_update_%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(triggers.len(), 2);
    c.execute_batch(&format!(
        "DROP TRIGGER item_text_update_before; DROP TRIGGER item_text_update_after;
         UPDATE item SET title = printf('%.*c', {HUGE}, 'T'), detail = printf('%.*c', {HUGE}, 'd') WHERE id = 3;
         UPDATE persona SET name = printf('%.*c', {HUGE}, 'P') WHERE id = 1;
         {};
         {};",
        triggers[0], triggers[1]
    ))
    .unwrap();
    drop(c);
    eprintln!("made after {:?}", made.elapsed());
    let start = Instant::now();
    let mut app = app_on(&b.path, "alice");
    let screen = render(&mut app, 120, 40);
    let first = start.elapsed();
    eprintln!("first frame after {first:?}");
    assert!(screen.contains("TTTT"), "{screen}");
    // The huge item (#3) is in Do.
    cmd(&mut app, Command::FocusImprovements);
    cmd(&mut app, Command::Right);
    for _ in 0..10 {
        if app.selection().item == Some(3) {
            break;
        }
        cmd(&mut app, Command::Down);
    }
    assert_eq!(app.selection().item, Some(3));
    for c in [Command::Zoom, Command::Zoom, Command::Open] {
        let t = Instant::now();
        cmd(&mut app, c);
        render(&mut app, 120, 40);
        eprintln!("{c:?}: {:?}", t.elapsed());
    }
    let all = start.elapsed();
    eprintln!("five frames after {all:?}");
    assert!(first < wait::scaled(Duration::from_secs(2)), "{first:?}");
    // The edit form shows the title cut to what a title holds, and says so.
    let start = Instant::now();
    press(&mut app, ch('e'));
    let screen = render(&mut app, 120, 40);
    eprintln!("the edit form after {:?}", start.elapsed());
    let form = app.form().expect("the edit form is open");
    assert_eq!(form.field(FieldId::Title).value().chars().count(), 1000);
    assert!(form.is_dirty());
    let error = form.error().unwrap_or_default();
    assert!(
        error.contains("Title held 30000000 characters, more than obeya keeps there (1000)"),
        "{error}"
    );
    assert!(screen.contains("Title held"), "{screen}");
    assert!(start.elapsed() < wait::scaled(Duration::from_secs(2)));
}

#[test]
fn the_form_keeps_each_fields_limit_a_paste_cut_to_fit_and_saying_so() {
    let (_b, mut app) = starter_app();
    cmd(&mut app, Command::FocusImprovements);
    cmd(&mut app, Command::New);
    app.update(Action::Paste("p".repeat(5_000)));
    let form = app.form().unwrap();
    assert_eq!(form.field(FieldId::Title).value().chars().count(), 1000);
    assert!(
        form.error()
            .unwrap_or_default()
            .contains("the paste was cut to what Title holds (1000 characters)"),
        "{:?}",
        form.error()
    );
    // Typed past the limit, the form says which field and keeps it all.
    type_text(&mut app, "xy");
    press(&mut app, ctrl('s'));
    let form = app.form().expect("the form stays open");
    assert!(
        form.error()
            .unwrap_or_default()
            .contains("Title: title is 1002 characters long; obeya keeps at most 1000"),
        "{:?}",
        form.error()
    );
    assert_eq!(form.focused().id, FieldId::Title);
}

/// A cell obeya cannot read (issue 20) is named on the wall's status line, once: the
/// wall opens, shows the item, and says where the cell is.
#[test]
fn the_wall_names_a_cell_it_cannot_read_and_shows_the_rest() {
    let b = starter_board();
    let c = rusqlite::Connection::open(&b.path).unwrap();
    c.execute_batch("UPDATE item SET due = x'0102' WHERE id = 1")
        .unwrap();
    drop(c);
    let mut app = app_on(&b.path, "alice");
    let note = app.note().map(|n| n.text.clone()).unwrap_or_default();
    assert!(
        note.contains("1 cell obeya cannot read")
            && note.contains("table item row 1, column due: a BLOB of 2 bytes")
            && note.contains("obeya check"),
        "{note}"
    );
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("#1 Show"), "{screen}");
    // Read again on every key, it is not named again.
    app.clear_note();
    cmd(&mut app, Command::FocusImprovements);
    assert!(app.note().is_none(), "{:?}", app.note().map(|n| &n.text));
}
