//! The hostile-board corpus, second round (issue 20): schemas. A board's schema is
//! judged by what SQLite will run, not by how its text is spelt: each planted variant
//! (a type or name in other case, comments and odd whitespace between the keywords,
//! quoted names, a view where a table was, an index on an expression, a board of a
//! newer schema, a merge copy) is refused in words naming what it holds, by every
//! command, `check` included. Each case asserts: the words, the file byte for byte as
//! it was, no hang (a deadline), no panic, and no SQL of the board's run (the planted
//! code would write a row into `pwned`).
//!
//! Also here, the smaller cases the issue lists, each in words: a forged application
//! id, schema versions 0 and -1, an upgrade that fails, `check` on an older and on a
//! newer board (never writing, never printing debug text), a year-0 time.

use std::path::{Path, PathBuf};
use std::time::Duration;

use kit::cli::{Env, texts};
use rusqlite::Connection;

/// How long any command may take here: far more than any needs, far less than a hang.
const LIMIT: Duration = Duration::from_secs(20);

/// `obeya ARGS --db BOARD`, bounded; its exit code, stdout and stderr. No panic.
fn run(env: &Env, db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = kit::cli::run_within(env.cmd().args(args).arg("--db").arg(db), LIMIT);
    let (stdout, stderr) = texts(&out);
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code != 101 && !stderr.contains("panicked"),
        "obeya {args:?} panicked: {stderr}"
    );
    (code, stdout, stderr)
}

/// `obeya ARGS` is refused (exit 1) with every one of `words` in its message.
fn refused(env: &Env, db: &Path, args: &[&str], words: &[&str]) -> String {
    let (code, stdout, stderr) = run(env, db, args);
    assert_eq!(code, 1, "obeya {args:?}: {stdout}{stderr}");
    for w in words {
        assert!(
            stderr.contains(w),
            "obeya {args:?} does not say {w:?}: {stderr}"
        );
    }
    stderr
}

/// A board made by obeya (the starter), with the table the planted code writes to.
fn board(env: &Env) -> PathBuf {
    let db = env.path("team.db");
    let mut store = obeya::store::Store::create(&db, "alice").unwrap();
    obeya::exchange::import(&mut store, &obeya::exchange::starter()).unwrap();
    drop(store);
    sql(&db, "CREATE TABLE pwned (x)");
    db
}

/// SQL on the board as a teammate's sqlite3 shell runs it (`writable_schema` allowed).
fn sql(db: &Path, batch: &str) {
    let c = Connection::open(db).unwrap();
    obeya::store::add_name_collation(&c).unwrap();
    c.execute_batch(batch).unwrap();
}

fn count(db: &Path, query: &str) -> i64 {
    let c = Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    c.query_row(query, [], |r| r.get(0)).unwrap()
}

/// The planted trigger's code: it writes a row into `pwned` and renames every item.
const PAYLOAD: &str = "BEGIN INSERT INTO pwned VALUES (1); UPDATE item SET title = 'pwned'; END";

/// Every command that opens the board refuses it with `words`, and the file, its
/// folder and the `pwned` table stay as they were; so does a copy of it given to merge.
fn refused_everywhere(env: &Env, db: &Path, words: &[&str]) {
    let before = std::fs::read(db).unwrap();
    let files = listing(db.parent().unwrap());
    for args in [
        &["item", "list"][..],
        &["item", "add", "innocent"],
        &["item", "move", "1", "do"],
        &["log"],
        &["export"],
        &["check"],
    ] {
        refused(env, db, args, words);
    }
    // The same file as a merge copy into a clean board.
    let clean = env.path("clean.db");
    if !clean.exists() {
        obeya::store::Store::create(&clean, "alice").unwrap();
    }
    let clean_before = std::fs::read(&clean).unwrap();
    refused(env, &clean, &["merge", db.to_str().unwrap()], words);
    assert_eq!(std::fs::read(&clean).unwrap(), clean_before, "merge wrote");
    assert_eq!(std::fs::read(db).unwrap(), before, "the board changed");
    assert_eq!(
        count(db, "SELECT count(*) FROM pwned"),
        0,
        "the board's SQL ran"
    );
    assert_eq!(
        count(db, "SELECT count(*) FROM item WHERE title = 'pwned'"),
        0
    );
    let mut now = listing(db.parent().unwrap());
    now.retain(|n| n != "clean.db");
    let mut was = files;
    was.retain(|n| n != "clean.db");
    assert_eq!(now, was, "files were left beside the board");
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "home")
        .collect();
    names.sort();
    names
}

/// Rewrite one `sqlite_master` entry, as `PRAGMA writable_schema` lets a shell.
fn rewrite_entry(db: &Path, name: &str, set: &str) {
    sql(
        db,
        &format!(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_master SET {set} WHERE name = '{name}';
             PRAGMA writable_schema = OFF;"
        ),
    );
}

// ------------------------------------------------------------ planted schema variants

#[test]
fn a_trigger_whose_type_is_written_in_capitals_is_refused() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env);
    sql(
        &db,
        &format!("CREATE TRIGGER rewrite AFTER INSERT ON item {PAYLOAD}"),
    );
    rewrite_entry(&db, "rewrite", "type = 'TRIGGER'");
    refused_everywhere(&env, &db, &["trigger 'rewrite' on item", "left untouched"]);
}

#[test]
fn a_trigger_spelt_with_comments_whitespace_and_quotes_is_refused() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env);
    sql(
        &db,
        &format!("CREATE TRIGGER evil AFTER UPDATE ON item {PAYLOAD}"),
    );
    // SQLite reads an entry whose SQL starts with "cr"; after that anything goes.
    let spelt =
        format!("create\t/* harmless? */\n--\n  trigger \"evil\" after update on [item] {PAYLOAD}");
    rewrite_entry(
        &db,
        "evil",
        &format!(
            "sql = '{}', name = 'EVIL', tbl_name = 'ITEM'",
            spelt.replace('\'', "''")
        ),
    );
    refused_everywhere(&env, &db, &["trigger 'evil' on item"]);
}

#[test]
fn obeyas_own_trigger_replaced_under_another_case_is_refused() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env);
    sql(
        &db,
        &format!(
            "DROP TRIGGER item_tally_insert; CREATE TRIGGER ITEM_TALLY_INSERT AFTER INSERT ON item {PAYLOAD}"
        ),
    );
    refused_everywhere(&env, &db, &["trigger 'ITEM_TALLY_INSERT' on item"]);
}

#[test]
fn a_trigger_named_like_sqlites_own_tables_is_refused() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env);
    sql(
        &db,
        &format!("CREATE TRIGGER innocent AFTER INSERT ON item {PAYLOAD}"),
    );
    let trigger = format!("CREATE TRIGGER sqlite_stat1 AFTER INSERT ON item {PAYLOAD}");
    rewrite_entry(
        &db,
        "innocent",
        &format!(
            "name = 'sqlite_stat1', sql = '{}'",
            trigger.replace('\'', "''")
        ),
    );
    refused_everywhere(&env, &db, &["trigger 'sqlite_stat1' on item"]);
}

#[test]
fn a_view_whose_type_is_written_in_capitals_is_refused() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env);
    sql(&db, "CREATE VIEW peek AS SELECT title FROM item");
    rewrite_entry(&db, "peek", "type = 'VIEW'");
    refused_everywhere(&env, &db, &["view 'peek'"]);
}

#[test]
fn a_table_replaced_by_an_endless_recursive_view_is_refused_without_hanging() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env);
    sql(
        &db,
        "DROP TABLE activity;
         CREATE VIEW activity (id, at, who, action, entity, entity_id, summary, before, after) AS
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
         SELECT i, '2026-11-20T09:00:00Z', 'x', 'create', 'item', i, 'forever', NULL, NULL FROM n;",
    );
    refused_everywhere(&env, &db, &["view 'activity'"]);
}

#[test]
fn a_virtual_table_spelt_with_a_comment_is_refused_as_a_virtual_table() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env);
    sql(&db, "CREATE VIRTUAL TABLE spy USING fts5 (body)");
    rewrite_entry(
        &db,
        "spy",
        "sql = 'CREATE/**/VIRTUAL/**/TABLE spy USING fts5 (body)'",
    );
    refused_everywhere(&env, &db, &["virtual table 'spy'"]);
}

#[test]
fn an_index_on_an_expression_or_with_a_where_clause_is_refused() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env);
    sql(
        &db,
        "CREATE INDEX heavy ON item (printf('%.*c', 1000000, title))",
    );
    refused_everywhere(&env, &db, &["index on an expression 'heavy' on item"]);
    let env = Env::new(crate::OBEYA);
    let db = board(&env);
    sql(
        &db,
        "CREATE INDEX part ON item (title) WHERE length(title) > 0",
    );
    refused_everywhere(&env, &db, &["index on an expression 'part' on item"]);
}

#[test]
fn a_newer_schema_is_refused_for_a_trigger_or_a_view_it_holds() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env);
    sql(
        &db,
        &format!("PRAGMA user_version = 99; CREATE TRIGGER later AFTER INSERT ON item {PAYLOAD}"),
    );
    refused_everywhere(&env, &db, &["trigger 'later' on item"]);
    let env = Env::new(crate::OBEYA);
    let db = board(&env);
    sql(
        &db,
        "PRAGMA user_version = 99; DROP TABLE activity;
         CREATE VIEW activity (id, at, who, action, entity, entity_id, summary, before, after) AS
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n)
         SELECT i, '2026-11-20T09:00:00Z', 'x', 'create', 'item', i, 'forever', NULL, NULL FROM n;",
    );
    refused_everywhere(&env, &db, &["view 'activity'"]);
}

#[test]
fn tables_and_plain_indexes_spelt_differently_are_reported_by_check_not_refused() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env);
    sql(
        &db,
        "DROP INDEX item_by_column; create  index \"item_by_column\" on item(status,position);",
    );
    // Runs no code: the board opens, and check names the difference (exit 1).
    assert_eq!(run(&env, &db, &["item", "list"]).0, 0);
    let (code, stdout, _) = run(&env, &db, &["check"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("index 'item_by_column' on item differs from obeya's"),
        "{stdout}"
    );
}

// ------------------------------------------------------------ smaller cases, in words

#[test]
fn a_forged_application_id_without_obeyas_tables_is_refused_in_words() {
    let env = Env::new(crate::OBEYA);
    let db = env.path("forged.db");
    sql(
        &db,
        &format!(
            "PRAGMA application_id = {}; PRAGMA user_version = 8; CREATE TABLE notes (x);",
            obeya::store::APPLICATION_ID
        ),
    );
    let before = std::fs::read(&db).unwrap();
    for args in [&["item", "list"][..], &["check"], &["item", "add", "x"]] {
        let err = refused(
            &env,
            &db,
            args,
            &["forged.db", "are missing", "left untouched"],
        );
        assert!(!err.contains("no such table"), "{err}");
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn schema_version_0_with_an_item_table_is_refused_and_leaves_no_backup() {
    let env = Env::new(crate::OBEYA);
    let db = env.path("zero.db");
    sql(
        &db,
        &format!(
            "PRAGMA application_id = {}; CREATE TABLE item (id INTEGER PRIMARY KEY, title TEXT);",
            obeya::store::APPLICATION_ID
        ),
    );
    let before = std::fs::read(&db).unwrap();
    for _ in 0..2 {
        let err = refused(
            &env,
            &db,
            &["item", "list"],
            &["zero.db", "schema version 0", "left untouched"],
        );
        assert!(
            err.len() < 400,
            "a short message, not the migration's SQL: {err}"
        );
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert_eq!(listing(env.dir.path()), ["zero.db"]);
}

#[test]
fn a_negative_schema_version_is_refused_as_it_is() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env);
    sql(&db, "PRAGMA user_version = -1");
    let before = std::fs::read(&db).unwrap();
    for args in [&["item", "list"][..], &["check"]] {
        let err = refused(&env, &db, args, &["schema version is -1"]);
        assert!(!err.contains("18446744073709551615"), "{err}");
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

/// A board at schema 3 (as an older obeya left it) with a table the next migration
/// makes: the upgrade fails.
fn board_whose_upgrade_fails(env: &Env) -> PathBuf {
    let db = env.path("old.db");
    let mut c = Connection::open(&db).unwrap();
    c.pragma_update(None, "application_id", obeya::store::APPLICATION_ID)
        .unwrap();
    obeya::store::migrations().to_version(&mut c, 3).unwrap();
    c.execute_batch("INSERT INTO item (title) VALUES ('kept'); CREATE TABLE parked_topic (x);")
        .unwrap();
    db
}

#[test]
fn a_failed_upgrade_says_why_in_a_line_and_takes_its_backup_back() {
    let env = Env::new(crate::OBEYA);
    let db = board_whose_upgrade_fails(&env);
    let before = std::fs::read(&db).unwrap();
    for _ in 0..2 {
        let err = refused(
            &env,
            &db,
            &["item", "list"],
            &[
                "upgrading the schema from version 3 failed",
                "parked_topic",
                "left as it was",
            ],
        );
        assert!(
            !err.contains("CREATE TABLE"),
            "the migration's SQL is quoted: {err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
    }
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert_eq!(listing(env.dir.path()), ["old.db"]);
}

#[test]
fn check_reads_an_older_board_without_upgrading_or_writing_it() {
    let env = Env::new(crate::OBEYA);
    let db = env.path("old.db");
    let mut c = Connection::open(&db).unwrap();
    c.pragma_update(None, "application_id", obeya::store::APPLICATION_ID)
        .unwrap();
    obeya::store::migrations().to_version(&mut c, 1).unwrap();
    c.execute("INSERT INTO item (title) VALUES ('from schema 1')", [])
        .unwrap();
    drop(c);
    let before = std::fs::read(&db).unwrap();
    let (code, stdout, stderr) = run(&env, &db, &["check"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(
        stdout.contains("schema version: 1 (this obeya: "),
        "{stdout}"
    );
    assert!(stdout.contains("a check does not upgrade"), "{stdout}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "check wrote the board");
    assert_eq!(listing(env.dir.path()), ["old.db"], "check left files");
}

#[test]
fn check_on_a_newer_board_speaks_words_not_debug_text() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env);
    sql(&db, "PRAGMA user_version = 99");
    let before = std::fs::read(&db).unwrap();
    let (code, stdout, stderr) = run(&env, &db, &["check"]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("made by a newer obeya"), "{stdout}");
    assert!(
        !stdout.contains("NewerSchema") && !stdout.contains('{'),
        "debug text: {stdout}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_year_0_time_is_named_as_a_cell_obeya_cannot_read_not_shown_as_year_minus_1() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env);
    sql(
        &db,
        "UPDATE activity SET at = '0000-01-01T00:00:00Z' WHERE id = 1;
         UPDATE item SET created_at = '0000-01-01T00:00:00Z' WHERE id = 1;",
    );
    let before = std::fs::read(&db).unwrap();
    let (code, stdout, stderr) = run(&env, &db, &["log"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        !stdout.contains("-001-") && !stdout.contains("0000-"),
        "{stdout}"
    );
    assert!(
        stderr.contains("table activity row 1, column at: the text '0000-01-01T00:00:00Z'"),
        "{stderr}"
    );
    let (code, stdout, _) = run(&env, &db, &["check"]);
    assert_eq!(code, 1);
    assert!(
        stdout.contains("table item row 1, column created_at"),
        "{stdout}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
    // An import refuses such a time, rather than store a cell obeya cannot read.
    let file = env.path("year0.json");
    std::fs::write(
        &file,
        r#"{"format": "obeya", "version": 1, "items": [{"title": "x", "created_at": "0000-01-01T00:00:00Z"}]}"#,
    )
    .unwrap();
    let err = refused(
        &env,
        &db,
        &["import", file.to_str().unwrap()],
        &["timestamp '0000-01-01T00:00:00Z' is outside the years 1900 to 9999"],
    );
    assert!(err.contains("year0.json"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}
