//! Long columns (issue 11): the wall reads the cards around what is in view, not the
//! whole board, so moving about a column of hundreds of cards must land exactly where
//! it would if every card were in memory. A board of 600 items on a small screen (a
//! column shows 7 or so cards; the wall reads about 20 at a time), then random keys:
//! moving, jumping to the ends, changing columns, reordering, moving cards between
//! columns, filtering, "my items", a teammate's edits. After every key the selected
//! card, its row, the counts and the cards on screen are compared with the board read
//! whole from the file.
//!
//! The seed is printed; `OBEYA_TEST_SEED=N` replays it, `PROPTEST_CASES=N` runs more.

use crossterm::event::KeyCode;
use kit::drive::*;
use kit::fixture::*;
use kit::seed;
use obeya::app::{Action, App};
use obeya::keymap::Command;
use obeya::model::{Item, Status};
use obeya::store::Store;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

const ITEMS: usize = 600;
const WIDTH: u16 = 80;
const HEIGHT: u16 = 24;

#[derive(Debug, Clone)]
enum Step {
    Command(Command),
    /// Type a filter, or clear it with an empty one.
    Filter(String),
    /// A teammate moves the `n`-th item of the board to a column.
    TheirMove(usize, usize),
}

fn step() -> impl Strategy<Value = Step> {
    use Command::*;
    prop_oneof![
        8 => prop_oneof![Just(Down), Just(Up)].prop_map(Step::Command),
        2 => prop_oneof![Just(First), Just(Last), Just(Left), Just(Right)].prop_map(Step::Command),
        1 => prop_oneof![Just(OrderDown), Just(OrderUp), Just(MoveNext), Just(MovePrev), Just(Mine)]
            .prop_map(Step::Command),
        1 => prop_oneof![Just(String::new()), "[a-z]{1,4}"].prop_map(Step::Filter),
        1 => (0..ITEMS, 0..5usize).prop_map(|(n, c)| Step::TheirMove(n, c)),
    ]
}

const WORDS: [&str; 8] = [
    "refund", "van", "label", "queue", "slot", "receipt", "driver", "basket",
];

/// The starter board and 600 more items spread over the columns, some owned by alice,
/// some sharing a position (rows from a sqlite3 shell do): the id breaks the tie.
fn long_board() -> Board {
    let b = starter_board();
    let mut store = Store::open(&b.path, "bob").unwrap();
    store
        .write(|w| {
            for n in 0..ITEMS {
                w.create(Item {
                    title: format!("{} {} {n}", WORDS[n % 8], WORDS[(n / 8) % 8]),
                    status: Status::from_index(n * 7 % 5).unwrap(),
                    owner: if n % 3 == 0 { "alice" } else { "bob" }.into(),
                    position: (n / 2) as i64,
                    ..Item::default()
                })?;
            }
            Ok(())
        })
        .unwrap();
    b
}

/// What the wall should show for its filter, from the whole board.
fn column(board: &obeya::model::Board, app: &App, c: usize) -> Vec<i64> {
    let needle = app.screen().filter().to_lowercase();
    board
        .items
        .iter()
        .filter(|i| i.status.index() == c)
        .filter(|i| {
            app.screen()
                .mine()
                .is_none_or(|me| obeya::model::rules::is_mine(&i.owner, me))
        })
        .filter(|i| {
            needle.is_empty()
                || [
                    i.title.as_str(),
                    i.owner.as_str(),
                    i.detail.as_str(),
                    i.impact.as_str(),
                    i.blocked_reason.as_str(),
                    board.persona_name(i.persona_id).unwrap_or(""),
                    board.stage_name(i.stage_id).unwrap_or(""),
                ]
                .iter()
                .any(|t| t.to_lowercase().contains(&needle))
        })
        .map(|i| i.id)
        .collect()
}

fn check(app: &mut App, path: &std::path::Path, what: &str) -> Result<(), TestCaseError> {
    let board = Store::open(path, "check").unwrap().load_board().unwrap();
    for c in 0..5 {
        let want = column(&board, app, c);
        prop_assert_eq!(
            app.screen().view().shown[c],
            want.len(),
            "count of column {} after {}",
            c,
            what
        );
        if c == app.selection().column {
            match app.selection().item {
                None => prop_assert!(
                    want.is_empty(),
                    "nothing selected in a full column after {}",
                    what
                ),
                Some(id) => {
                    prop_assert_eq!(
                        app.selected_item().map(|i| i.id),
                        Some(id),
                        "after {}",
                        what
                    );
                    prop_assert_eq!(
                        want.iter().position(|&w| w == id),
                        Some(app.selection().row),
                        "the selected card's row after {}",
                        what
                    );
                }
            }
        }
    }
    // The selected card is on screen, whole: its id starts a line of its column.
    let screen = render(app, WIDTH, HEIGHT);
    if let Some(id) = app.selection().item {
        prop_assert!(
            screen.contains(&format!("#{id} ")),
            "#{} not on screen after {}:\n{}",
            id,
            what,
            screen
        );
    }
    Ok(())
}

#[test]
fn moving_about_long_columns_lands_where_the_whole_board_says() {
    let b = long_board();
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(6);
    let mut runner = TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(seed::seed("long_columns")),
        failure_persistence: None,
        max_shrink_iters: 50,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(step(), 1..60), |steps| {
            // Each case on its own copy of the board.
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("team.db");
            std::fs::copy(&b.path, &path).unwrap();
            let mut app = app_on(&path, "alice");
            app.update(Action::Resize {
                width: WIDTH,
                height: HEIGHT,
            });
            cmd(&mut app, Command::FocusImprovements);
            let mut teammate = Store::open(&path, "bob").unwrap();
            for (n, step) in steps.iter().enumerate() {
                match step {
                    Step::Command(c) => {
                        cmd(&mut app, *c);
                    }
                    Step::Filter(text) => {
                        cmd(&mut app, Command::Filter);
                        // Clear what is there, type the new text, and keep it.
                        for _ in 0..app.screen().filter().chars().count() + 8 {
                            press(&mut app, key(KeyCode::Backspace));
                        }
                        type_text(&mut app, text);
                        press(&mut app, key(KeyCode::Enter));
                    }
                    Step::TheirMove(k, to) => {
                        let board = teammate.load_board().unwrap();
                        let it = board.items[k % board.items.len()].clone();
                        teammate
                            .move_item(&it, Status::from_index(*to).unwrap())
                            .unwrap();
                        app.update(Action::Tick);
                    }
                }
                check(&mut app, &path, &format!("step {n} {step:?}"))?;
            }
            Ok(())
        })
        .unwrap();
}

/// The wall on the long board at 80×24, on the last card of the first column.
fn at_the_last_card(b: &Board) -> App {
    let mut app = app_on(&b.path, "alice");
    app.update(Action::Resize {
        width: WIDTH,
        height: HEIGHT,
    });
    cmd(&mut app, Command::FocusImprovements);
    cmd(&mut app, Command::Last);
    app
}

#[test]
fn the_last_card_of_a_long_column_is_one_key_away_and_counted() {
    let b = long_board();
    let mut app = at_the_last_card(&b);
    let board = Store::open(&b.path, "check").unwrap().load_board().unwrap();
    let plan = column(&board, &app, 0);
    assert_eq!(app.selection().item, plan.last().copied());
    let screen = render(&mut app, WIDTH, HEIGHT);
    assert!(
        screen.contains(&format!("↑ {} more", plan.len() - 1))
            || screen.contains(&format!("↑ {} more", plan.len() - 2)),
        "{screen}"
    );
    assert!(
        screen.contains(&format!("Plan ({})", plan.len())),
        "{screen}"
    );
    cmd(&mut app, Command::First);
    assert_eq!(app.selection().item, plan.first().copied());
}

#[test]
fn on_a_big_board_a_filter_starts_at_three_letters_and_says_so() {
    let b = starter_board();
    let conn = rusqlite::Connection::open(&b.path).unwrap();
    conn.execute_batch(&format!(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {})
         INSERT INTO item (title, status, position) SELECT 'bulk ' || i, 'plan', i FROM n;",
        obeya::store::SHORT_TEXT_ITEMS
    ))
    .unwrap();
    drop(conn);
    let mut app = app_on(&b.path, "alice");
    let all = app.screen().view().shown;
    cmd(&mut app, Command::Filter);
    type_text(&mut app, "ca");
    assert_eq!(
        app.screen().view().shown,
        all,
        "two letters filter nothing yet"
    );
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains("filter “ca” (filters from 3 letters on"),
        "{screen}"
    );
    type_text(&mut app, "f");
    let cafes = item_titled(&app, "Standing weekly order for cafés");
    assert_eq!(
        app.screen().view().shown.iter().sum::<usize>(),
        1,
        "{:?}",
        app.screen().view().shown
    );
    let screen = render(&mut app, 120, 40);
    assert!(
        screen.contains(&format!("#{} Standing", cafes.id)),
        "{screen}"
    );
    assert!(!screen.contains("filters from 3 letters"), "{screen}");
}

#[test]
fn the_top_card_in_view_of_a_scrolled_column_moves_up_past_the_one_above_it() {
    let b = long_board();
    let mut app = at_the_last_card(&b);
    // Up past the top of the view: the column scrolls with the selection, which stays
    // on the top card in view.
    for _ in 0..40 {
        cmd(&mut app, Command::Up);
    }
    // A teammate's change makes the wall read the column again from the top of the view.
    let mut bob = Store::open(&b.path, "bob").unwrap();
    bob.add_item(Item {
        title: "Bob's new item".into(),
        status: Status::Done,
        ..Item::default()
    })
    .unwrap();
    assert!(app.tick());
    let c = app.selection().column;
    let id = app.selection().item.unwrap();
    let before = column(
        &Store::open(&b.path, "check").unwrap().load_board().unwrap(),
        &app,
        c,
    );
    let row = before.iter().position(|&i| i == id).unwrap();
    assert!(row > 0, "the selected card has one above it");
    cmd(&mut app, Command::OrderUp);
    let after = column(
        &Store::open(&b.path, "check").unwrap().load_board().unwrap(),
        &app,
        c,
    );
    assert_eq!(after.iter().position(|&i| i == id), Some(row - 1));
}

#[test]
fn on_a_big_board_the_cards_come_first_and_the_exact_counts_right_after() {
    // 6,000 items more, spread over the columns (more matches than the wall looks up
    // in one piece); the even ones say "often".
    let b = starter_board();
    let conn = rusqlite::Connection::open(&b.path).unwrap();
    conn.execute_batch(
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 6000)
         INSERT INTO item (title, status, position)
         SELECT CASE i % 2 WHEN 0 THEN 'asked often ' ELSE 'asked once ' END || i,
                CASE i % 5 WHEN 0 THEN 'plan' WHEN 1 THEN 'do' WHEN 2 THEN 'check'
                           WHEN 3 THEN 'act' ELSE 'done' END,
                1000 + i
         FROM n;",
    )
    .unwrap();
    // The counts the wall must end up with, read from the file: every column's items
    // whose text holds the word (no persona's or stage's name does).
    let expected = |word: &str| -> [usize; 5] {
        let mut counts = [0; 5];
        for (c, status) in ["plan", "do", "check", "act", "done"].iter().enumerate() {
            counts[c] = conn
                .query_row(
                    "SELECT count(*) FROM item WHERE status = ?1 AND instr(lower(
                       title || ' ' || owner || ' ' || detail || ' ' || impact || ' '
                       || blocked_reason), ?2) > 0",
                    rusqlite::params![status, word],
                    |r| r.get::<_, i64>(0),
                )
                .unwrap() as usize;
        }
        counts
    };
    let mut app = app_on(&b.path, "alice");
    cmd(&mut app, Command::Filter);
    for (word, every) in [("asked", true), ("asked often", false)] {
        let typed = app.screen().filter().len();
        if typed > 0 {
            // Back to the filter line, which keeps its text.
            cmd(&mut app, Command::Filter);
        }
        type_text(&mut app, &word[typed..]);
        // The frame after the letter: the cards that match, the counts to come.
        assert!(app.has_work(), "{word}: the counts are still to come");
        assert_eq!(app.screen().view().counting, [true; 5], "{word}");
        let screen = render(&mut app, 120, 40);
        assert!(screen.contains("Plan (… of "), "{word}: {screen}");
        assert!(screen.contains(&format!("{word} ")), "{word}: {screen}");
        for col in &app.screen().view().columns {
            assert!(!col.items.is_empty(), "{word}: every column shows cards");
            assert!(col.items.iter().all(|i| i.title.contains(word)), "{word}");
        }
        // Moving among the cards found needs no count; the selection keeps its card
        // when the counts come.
        cmd(&mut app, Command::FocusImprovements);
        cmd(&mut app, Command::Down);
        cmd(&mut app, Command::Down);
        let selected = app.selection().item;
        assert!(selected.is_some(), "{word}");
        assert!(app.has_work(), "{word}");
        // Then the loop, with no key waiting, counts them, a piece at a time.
        let mut pieces = 0;
        while app.has_work() {
            pieces += 1;
            assert!(pieces < 100, "{word}: the counts never came");
            let counted = app.work();
            assert_eq!(counted, !app.has_work(), "{word}: redrawn when they come");
        }
        assert!(!app.work(), "nothing more to do");
        assert_eq!(app.selection().item, selected, "{word}");
        let counts = expected(word);
        assert_eq!(app.screen().view().shown, counts, "{word}");
        assert_eq!(app.screen().view().counting, [false; 5], "{word}");
        if every {
            assert!(counts.iter().sum::<usize>() >= 6000, "{counts:?}");
            assert!(pieces > 1, "{pieces}");
        }
        let screen = render(&mut app, 120, 40);
        assert!(
            screen.contains(&format!("Plan ({} of ", counts[0])),
            "{word}: {screen}"
        );
        assert!(!screen.contains("… of"), "{word}: {screen}");
    }
}
