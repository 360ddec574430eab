//! Malformed cells (issue 20): random cells in every table obeya reads are made into
//! values obeya cannot read (a type the column cannot hold for it, text that is not
//! UTF-8, a value out of its range), as a teammate's `sqlite3` shell can. `check`
//! finds every one (table, row, column) and exits 1; the commands that read the board
//! all still work, never panic, name the file and the cells on stderr, and leave the
//! file byte for byte as it was; `export` rescues everything else.
//!
//! The seed is printed; `OBEYA_TEST_SEED=N` replays it, `PROPTEST_CASES=N` runs more.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Duration;

use jiff::Timestamp;
use kit::cli::texts;
use kit::seed;
use obeya::store::Store;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use rusqlite::Connection;
use rusqlite::types::Value;

/// How a column's values are read, and so what is malformed in it.
#[derive(Debug, Clone, Copy)]
enum Shape {
    Text,
    Whole,
    Number,
    Time,
    Day,
    Status,
    Better,
    Flag,
    Score,
    Limit,
}

/// Columns of each table obeya reads, with their shapes.
const COLUMNS: &[(&str, &[(&str, Shape)])] = &[
    (
        "mission",
        &[
            ("statement", Shape::Text),
            ("customer", Shape::Text),
            ("version", Shape::Whole),
            ("updated_at", Shape::Time),
        ],
    ),
    (
        "persona",
        &[
            ("role", Shape::Text),
            ("quote", Shape::Text),
            ("position", Shape::Whole),
            ("updated_by", Shape::Text),
        ],
    ),
    (
        "stage",
        &[
            ("pains", Shape::Text),
            ("metric_target", Shape::Number),
            ("metric_actual", Shape::Number),
            ("metric_better", Shape::Better),
            ("position", Shape::Whole),
        ],
    ),
    (
        "feeling",
        &[
            ("score", Shape::Score),
            ("note", Shape::Text),
            ("persona_id", Shape::Whole),
        ],
    ),
    (
        "item",
        &[
            ("title", Shape::Text),
            ("detail", Shape::Text),
            ("status", Shape::Status),
            ("due", Shape::Day),
            ("persona_id", Shape::Whole),
            ("blocked", Shape::Flag),
            ("created_at", Shape::Time),
            ("position", Shape::Whole),
        ],
    ),
    (
        "comment",
        &[
            ("item_id", Shape::Whole),
            ("text", Shape::Text),
            ("at", Shape::Time),
        ],
    ),
    (
        "board_column",
        &[("wip_limit", Shape::Limit), ("updated_at", Shape::Time)],
    ),
    (
        "parked_topic",
        &[
            ("text", Shape::Text),
            ("parked_at", Shape::Time),
            ("resolved_at", Shape::Time),
        ],
    ),
    (
        "standup",
        &[
            ("started_at", Shape::Time),
            ("ended_at", Shape::Time),
            ("facilitator", Shape::Text),
        ],
    ),
    (
        "activity",
        &[
            ("summary", Shape::Text),
            ("who", Shape::Text),
            ("entity_id", Shape::Whole),
        ],
    ),
    (
        "metric_value",
        &[("value", Shape::Number), ("at", Shape::Time)],
    ),
];

/// A value SQLite keeps as it is in a column of that shape (after its affinity), which
/// obeya cannot read there.
fn malformed(shape: Shape, pick: usize) -> Value {
    let blob = Value::Blob(vec![0, 0xff, 7]);
    let not_utf8 = Value::Blob(b"A\xffB".to_vec()); // stored as text, see `plant`
    let options: Vec<Value> = match shape {
        Shape::Text => vec![blob, not_utf8],
        Shape::Whole => vec![Value::Real(1.5), Value::Text("abc".into()), blob],
        Shape::Number => vec![Value::Text("lots".into()), blob],
        Shape::Time => vec![
            Value::Text("0000-01-01T00:00:00Z".into()),
            Value::Text("yesterday".into()),
            blob,
        ],
        Shape::Day => vec![Value::Text("2026-02-30".into()), blob],
        Shape::Status => vec![Value::Text("later".into()), Value::Integer(3)],
        Shape::Better => vec![Value::Text("sideways".into()), blob],
        Shape::Flag => vec![Value::Integer(7), Value::Real(0.5)],
        Shape::Score => vec![
            Value::Real(1.5),
            Value::Integer(9),
            Value::Text("good".into()),
        ],
        Shape::Limit => vec![Value::Integer(-3), Value::Text("x".into()), blob],
    };
    options[pick % options.len()].clone()
}

/// The board every case starts from: the starter, a finished stand-up with a parked
/// topic, and a metric reading, in a file copied for each case.
fn base_board() -> &'static Path {
    static BASE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
    &BASE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("base.db");
            let mut store = Store::create(&path, "alice").unwrap();
            obeya::exchange::import(&mut store, &obeya::exchange::starter()).unwrap();
            let at: Timestamp = "2026-11-20T09:00:00Z".parse().unwrap();
            store
                .record_standup(
                    &kit::fixture::held_at(&store, at),
                    "2026-11-20T09:12:00Z".parse().unwrap(),
                    "alice",
                    &[("Holiday rota".to_owned(), at)],
                )
                .unwrap();
            let stage = store.load_wall().unwrap().stages[0].clone();
            store.set_metric_actual(&stage, 71.0).unwrap();
            (dir, path)
        })
        .1
}

/// One planted cell: which table, row and column, and which malformed value.
#[derive(Debug, Clone)]
struct Plant {
    table: usize,
    row: usize,
    column: usize,
    value: usize,
}

fn plant() -> impl Strategy<Value = Plant> {
    (0..COLUMNS.len(), 0usize..50, 0usize..10, 0usize..3).prop_map(|(table, row, column, value)| {
        Plant {
            table,
            row,
            column,
            value,
        }
    })
}

/// Write the value into the board as a shell would (CHECK constraints off, as
/// `PRAGMA ignore_check_constraints` allows); returns "table T row N, column C".
fn write(c: &Connection, p: &Plant) -> String {
    let (table, columns) = COLUMNS[p.table];
    let (column, shape) = columns[p.column % columns.len()];
    let ids: Vec<i64> = c
        .prepare(&format!("SELECT id FROM {table} ORDER BY id"))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!ids.is_empty(), "the base board has no {table} rows");
    let id = ids[p.row % ids.len()];
    let value = malformed(shape, p.value);
    // Text that is not UTF-8 is a BLOB cast to text.
    let sql = if value == Value::Blob(b"A\xffB".to_vec()) {
        format!("UPDATE {table} SET {column} = CAST(?1 AS TEXT) WHERE id = ?2")
    } else {
        format!("UPDATE {table} SET {column} = ?1 WHERE id = ?2")
    };
    c.execute(&sql, rusqlite::params![value, id]).unwrap();
    format!("table {table} row {id}, column {column}:")
}

/// `obeya ARGS --db BOARD`, bounded: it must end within the deadline.
fn run(env: &kit::cli::Env, db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = kit::cli::run_within(
        env.cmd().args(args).arg("--db").arg(db),
        Duration::from_secs(20),
    );
    let (stdout, stderr) = texts(&out);
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code != 101 && !stderr.contains("panicked"),
        "obeya {args:?} panicked: {stderr}"
    );
    (code, stdout, stderr)
}

fn case(plants: &[Plant]) -> Result<(), TestCaseError> {
    let env = kit::cli::Env::new(crate::OBEYA);
    let db = env.path("team.db");
    std::fs::copy(base_board(), &db).unwrap();
    let titles_before: Vec<(i64, String)>;
    let mut planted = Vec::new();
    {
        let c = Connection::open(&db).unwrap();
        obeya::store::add_name_collation(&c).unwrap();
        c.execute_batch("PRAGMA ignore_check_constraints = ON; PRAGMA foreign_keys = OFF")
            .unwrap();
        for p in plants {
            planted.push(write(&c, p));
        }
        // The titles obeya can read (text, UTF-8).
        titles_before = c
            .prepare("SELECT id, CAST(title AS BLOB) FROM item WHERE typeof(title) = 'text'")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get::<_, Vec<u8>>(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .filter_map(|(id, t)| Some((id, String::from_utf8(t).ok()?)))
            .collect();
    }
    let before = std::fs::read(&db).unwrap();

    let (code, stdout, stderr) = run(&env, &db, &["check"]);
    prop_assert_eq!(code, 1, "check: {}{}", stdout, stderr);
    for cell in &planted {
        prop_assert!(
            stdout.contains(cell.as_str()),
            "check misses {}:\n{}",
            cell,
            stdout
        );
    }
    prop_assert!(stderr.contains("cannot read"), "{}", stderr);

    for args in [
        &["item", "list"][..],
        &["log"],
        &["coverage"],
        &["standup", "report"],
        &["export", "--format", "md"],
    ] {
        let (code, stdout, stderr) = run(&env, &db, args);
        prop_assert_eq!(code, 0, "obeya {:?}: {}{}", args, stdout, stderr);
    }

    let (code, json, stderr) = run(&env, &db, &["export"]);
    prop_assert_eq!(code, 0, "export: {}", stderr);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    // Everything else is in the document: every item, each readable title as it was.
    let items = doc["items"].as_array().unwrap();
    let board_items: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM item", [], |r| r.get(0))
        .unwrap();
    prop_assert_eq!(items.len() as i64, board_items);
    for (id, title) in &titles_before {
        prop_assert!(
            items.iter().any(|i| i["id"] == *id && i["title"] == *title),
            "item #{} '{}' was not rescued",
            id,
            title
        );
    }
    // The bad cells are listed on stderr, with the file; not in the document.
    prop_assert!(!json.contains("cannot read"));
    for cell in planted.iter().filter(|c| !c.starts_with("table activity")) {
        prop_assert!(
            stderr.contains(cell.as_str()),
            "export does not name {}:\n{}",
            cell,
            stderr
        );
        prop_assert!(stderr.contains("team.db"), "{}", stderr);
    }
    prop_assert!(
        std::fs::read(&db).unwrap() == before,
        "a read changed the file"
    );
    Ok(())
}

#[test]
fn malformed_cells_are_found_by_check_named_by_every_command_and_rescued_by_export() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    let mut runner = TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(seed::seed("bad_cells")),
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&proptest::collection::vec(plant(), 1..5), |plants| {
            case(&plants)
        })
        .unwrap();
}

/// Every table and shape once, in one board: each cell found, nothing fatal.
#[test]
fn one_malformed_cell_in_every_table_is_found_and_nothing_fails() {
    let plants: Vec<Plant> = (0..COLUMNS.len())
        .map(|table| Plant {
            table,
            row: table,
            column: table,
            value: table,
        })
        .collect();
    case(&plants).unwrap();
}
