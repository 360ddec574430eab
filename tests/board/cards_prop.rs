//! The wall reads counts and windows of cards from SQL (issue 11); they must say
//! exactly what the board holds. Random writes (add, move, edit, reorder, delete,
//! rename a persona) on a real board file, then random filters: every column's count,
//! every window of cards (read from the top and from the end), every card's row and the
//! open work per persona and stage are compared with the same answers worked out from
//! the whole board in memory.
//!
//! The seed is printed; `OBEYA_TEST_SEED=N` replays it, `PROPTEST_CASES=N` runs more.

use kit::seed;
use obeya::model::{Item, OpenWork, Status};
use obeya::store::{CardFilter, Store};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};

#[derive(Debug, Clone)]
enum Step {
    Add {
        title: String,
        owner: String,
        detail: String,
        status: usize,
        persona: Option<usize>,
        stage: Option<usize>,
    },
    Move(usize, usize),
    Edit(usize, String, String),
    Reorder(usize, usize),
    Delete(usize),
    RenamePersona(usize, String),
}

/// Text from a few letters, cases, an accent, a space and a quote: enough for
/// substrings to match often, and for case and quoting to matter.
fn text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[abAB éÉ\"]{{0,{max}}}")).unwrap()
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (text(8), prop_oneof![Just("bob".to_string()), Just("Bob".to_string()), Just(String::new()), text(3)],
              text(6), 0..5usize, proptest::option::of(0..3usize), proptest::option::of(0..3usize))
            .prop_map(|(title, owner, detail, status, persona, stage)| Step::Add { title, owner, detail, status, persona, stage }),
        2 => (any::<usize>(), 0..5usize).prop_map(|(k, to)| Step::Move(k, to)),
        1 => (any::<usize>(), text(8), text(3)).prop_map(|(k, t, o)| Step::Edit(k, t, o)),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Step::Reorder(a, b)),
        1 => any::<usize>().prop_map(Step::Delete),
        1 => (0..3usize, text(4)).prop_map(|(k, n)| Step::RenamePersona(k, n)),
    ]
}

fn filter() -> impl Strategy<Value = CardFilter> {
    (
        text(4),
        proptest::option::of(prop_oneof![Just("BOB".to_string()), text(2)]),
    )
        .prop_map(|(text, owner)| CardFilter { text, owner })
}

fn status(i: usize) -> Status {
    Status::from_index(i).unwrap()
}

/// Items in board order, as the whole board in memory has them.
fn items(store: &Store) -> Vec<Item> {
    store.load_board().unwrap().items
}

fn apply(store: &mut Store, personas: &[i64], stages: &[i64], step: &Step) {
    let all = items(store);
    let pick = |k: &usize| (!all.is_empty()).then(|| all[k % all.len()].clone());
    // A step may be refused (an empty title, a name taken): that is fine, as long as
    // what the board then holds is read back exactly.
    let _ = match step {
        Step::Add {
            title,
            owner,
            detail,
            status: s,
            persona,
            stage,
        } => store
            .add_item(Item {
                title: format!("t{title}"),
                owner: owner.clone(),
                detail: detail.clone(),
                status: status(*s),
                persona_id: persona.map(|p| personas[p]),
                stage_id: stage.map(|s| stages[s]),
                ..Item::default()
            })
            .map(drop),
        Step::Move(k, to) => match pick(k) {
            Some(it) => store.move_item(&it, status(*to)).map(drop),
            None => Ok(()),
        },
        Step::Edit(k, title, owner) => match pick(k) {
            Some(it) => {
                let mine = Item {
                    title: format!("e{title}"),
                    owner: owner.clone(),
                    ..it.clone()
                };
                store.save(&it, &mine).map(drop)
            }
            None => Ok(()),
        },
        Step::Reorder(a, b) => match (pick(a), pick(b)) {
            (Some(a), Some(b)) if a.status == b.status && a.id != b.id => {
                store.swap_positions(&a, &b).map(drop)
            }
            _ => Ok(()),
        },
        Step::Delete(k) => match pick(k) {
            Some(it) => store.delete_item(&it),
            None => Ok(()),
        },
        Step::RenamePersona(k, name) => {
            let board = store.load_board().unwrap();
            let p = board.personas[k % board.personas.len()].clone();
            let renamed = obeya::model::Persona {
                name: format!("P{name}"),
                ..p.clone()
            };
            store.save(&p, &renamed).map(drop)
        }
    };
}

/// The filter worked out in memory: the text in the item's title, owner, detail,
/// impact, blocked reason, persona or stage name (ignoring case); the owner's items only
/// ("mine" as the command line has it).
fn passes(board: &obeya::model::Board, it: &Item, f: &CardFilter) -> bool {
    let needle = f.text.to_lowercase();
    let text_ok = needle.is_empty()
        || [
            it.title.as_str(),
            it.owner.as_str(),
            it.detail.as_str(),
            it.impact.as_str(),
            it.blocked_reason.as_str(),
            board.persona_name(it.persona_id).unwrap_or(""),
            board.stage_name(it.stage_id).unwrap_or(""),
        ]
        .iter()
        .any(|t| t.to_lowercase().contains(&needle));
    let owner_ok = f
        .owner
        .as_ref()
        .is_none_or(|o| obeya::model::rules::is_mine(&it.owner, o));
    text_ok && owner_ok
}

fn check(store: &Store, f: &CardFilter) -> Result<(), TestCaseError> {
    let board = store.load_board().unwrap();
    let mut totals = [0; 5];
    for it in &board.items {
        totals[it.status.index()] += 1;
    }
    prop_assert_eq!(store.column_totals().unwrap(), totals);
    let open: OpenWork = OpenWork::of(&board.items);
    prop_assert_eq!(store.open_work().unwrap(), open);

    let sieve = store.sieve(f).unwrap();
    let counts = store.column_counts(&sieve).unwrap();
    for s in Status::ALL.iter().copied() {
        let want: Vec<i64> = board
            .items
            .iter()
            .filter(|it| it.status == s && passes(&board, it, f))
            .map(|it| it.id)
            .collect();
        prop_assert_eq!(
            counts[s.index()],
            want.len(),
            "count of {:?} for {:?}",
            s,
            f
        );
        let shown = want.len();
        let ids = |start: usize, len: usize| -> Vec<i64> {
            store
                .cards(s, &sieve, start, len, shown)
                .unwrap()
                .iter()
                .map(|c| c.id)
                .collect()
        };
        prop_assert_eq!(&ids(0, shown + 1), &want, "{:?} for {:?}", s, f);
        for start in 0..shown {
            // Near the end a window is read backwards from the end: same cards.
            let len = 2.min(shown - start);
            prop_assert_eq!(ids(start, len), want[start..start + len].to_vec());
        }
        for it in board.items.iter().filter(|it| it.status == s) {
            let row = want.iter().position(|&id| id == it.id);
            prop_assert_eq!(store.row_of(it, &sieve).unwrap(), row, "row of #{}", it.id);
        }
    }
    Ok(())
}

#[test]
fn counts_windows_and_rows_match_the_board() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let mut runner = TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(seed::seed("cards_prop")),
        failure_persistence: None,
        ..Config::default()
    });
    let case = (
        proptest::collection::vec(step(), 0..40),
        proptest::collection::vec(filter(), 1..6),
    );
    runner
        .run(&case, |(steps, filters)| {
            let dir = tempfile::tempdir().unwrap();
            let mut store = Store::create(&dir.path().join("b.db"), "alice").unwrap();
            obeya::exchange::import(&mut store, &obeya::exchange::starter()).unwrap();
            let board = store.load_board().unwrap();
            let personas: Vec<i64> = board.personas.iter().map(|p| p.id).collect();
            let stages: Vec<i64> = board.stages.iter().map(|s| s.id).collect();
            for step in &steps {
                apply(&mut store, &personas, &stages, step);
            }
            check(&store, &CardFilter::default())?;
            for f in &filters {
                check(&store, f)?;
            }
            Ok(())
        })
        .unwrap();
}

/// A long column read both ways: one match among 300 cards is looked up by id, while
/// half of them matching are found by walking the column in board order. Either way
/// the counts, every window and every row are the board's.
#[test]
fn rare_and_common_matches_in_a_long_column_agree_with_the_board() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(&dir.path().join("b.db"), "alice").unwrap();
    obeya::exchange::import(&mut store, &obeya::exchange::starter()).unwrap();
    for i in 0..300 {
        let title = match i {
            217 => "Zebra crossing at the depot".to_owned(),
            i if i % 2 == 0 => format!("Halve the wait {i}"),
            i => format!("Shorter queue {i}"),
        };
        store
            .add_item(Item {
                title,
                ..Item::default()
            })
            .unwrap();
    }
    for text in ["zebra", "halve", "queue 1"] {
        let filter = CardFilter {
            text: text.into(),
            owner: None,
        };
        check(&store, &filter).unwrap();
    }
    // No text: a card's row is counted from whichever end of the column is nearer.
    check(&store, &CardFilter::default()).unwrap();
}

/// The filter ignores case in ASCII and beyond (a capital sharp s, an accent), finds
/// any part of a text, and finds nothing where a text only looks alike.
#[test]
fn a_filter_ignores_case_in_ascii_and_beyond() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(&dir.path().join("b.db"), "alice").unwrap();
    for title in ["Refund Missing", "Große STRAẞE", "ÉCOLE", "plain ascii"] {
        store
            .add_item(Item {
                title: title.into(),
                ..Item::default()
            })
            .unwrap();
    }
    for (text, found) in [
        ("fund m", 1),
        ("refunds", 0),
        ("straße", 1),
        ("éc", 1),
        ("é", 1),
        ("ascii", 1),
        ("", 4),
    ] {
        let filter = CardFilter {
            text: text.into(),
            owner: None,
        };
        let sieve = store.sieve(&filter).unwrap();
        let counts = store.column_counts(&sieve).unwrap();
        assert_eq!(counts.iter().sum::<usize>(), found, "{text:?}: {counts:?}");
        check(&store, &filter).unwrap();
    }
}
