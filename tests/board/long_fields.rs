//! Text of any length (issue 20): a field far longer than obeya's limits (put there
//! with the sqlite3 shell) is drawn and printed in bounded time, and nothing panics.

use std::time::{Duration, Instant};

use kit::drive::*;
use kit::fixture::*;
use kit::wait;
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
    for c in [
        Command::FocusImprovements,
        Command::Right,
        Command::Zoom,
        Command::Zoom,
        Command::Open,
    ] {
        let t = Instant::now();
        cmd(&mut app, c);
        render(&mut app, 120, 40);
        eprintln!("{c:?}: {:?}", t.elapsed());
    }
    let all = start.elapsed();
    eprintln!("five frames after {all:?}");
    assert!(first < wait::scaled(Duration::from_secs(2)), "{first:?}");
}
