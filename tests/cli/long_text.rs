//! Text of any length (issue 20): every text field has a limit (`rules::TextSize`),
//! kept on every way in: the command line, the import and the merge here (the form in
//! `board/long_fields.rs`), each refusal naming the field and the limit and changing
//! nothing. A text longer than that, put on the board with the sqlite3 shell, is still
//! printed in bounded time, and no report panics on it.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use kit::cli::{Env, texts};
use rusqlite::Connection;

const LIMIT: Duration = Duration::from_secs(20);

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

fn board(env: &Env, name: &str) -> PathBuf {
    let db = env.path(name);
    let mut store = obeya::store::Store::create(&db, "alice").unwrap();
    obeya::exchange::import(&mut store, &obeya::exchange::starter()).unwrap();
    db
}

fn sql(db: &Path, batch: &str) {
    let c = Connection::open(db).unwrap();
    obeya::store::add_name_collation(&c).unwrap();
    c.execute_batch(batch).unwrap();
}

#[test]
fn the_command_line_refuses_a_text_over_its_fields_limit_in_words() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env, "team.db");
    let before = std::fs::read(&db).unwrap();
    let title = "t".repeat(1001);
    let (code, _, err) = run(&env, &db, &["item", "add", &title]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("title is 1001 characters long; obeya keeps at most 1000 there"),
        "{err}"
    );
    let (code, _, err) = run(&env, &db, &["persona", "add", &"P".repeat(201)]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("name is 201 characters long"), "{err}");
    let (code, _, err) = run(
        &env,
        &db,
        &["item", "edit", "1", "--owner", &"o".repeat(201)],
    );
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("owner is 201 characters long"), "{err}");
    let (code, _, err) = run(&env, &db, &["item", "list", "--user", &"u".repeat(201)]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("at most 200 characters"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    // At the limit is fine.
    let (code, _, err) = run(&env, &db, &["item", "add", &"t".repeat(1000)]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn an_import_refuses_a_text_over_its_fields_limit_naming_the_record() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env, "team.db");
    let before = std::fs::read(&db).unwrap();
    let file = env.path("long.json");
    let doc = serde_json::json!({
        "format": "obeya", "version": 1,
        "personas": [ { "name": "Maria" }, { "name": "x".repeat(70_000) } ],
    });
    std::fs::write(&file, doc.to_string()).unwrap();
    let (code, _, err) = run(&env, &db, &["import", file.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("persona 2: name is 70000 characters long; obeya keeps at most 200 there"),
        "{err}"
    );
    assert!(
        err.len() < 1000,
        "the message quotes the text: {} bytes",
        err.len()
    );
    let doc = serde_json::json!({
        "format": "obeya", "version": 1,
        "items": [ { "title": "ok", "comments": [ { "author": "bob", "text": "c".repeat(50_001) } ] } ],
    });
    std::fs::write(&file, doc.to_string()).unwrap();
    let (code, _, err) = run(&env, &db, &["import", file.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("item 1: text is 50001 characters long"),
        "{err}"
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn a_merge_refuses_a_copys_text_over_its_fields_limit_and_merges_nothing() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env, "team.db");
    let copy = env.path("team (conflicted copy).db");
    std::fs::copy(&db, &copy).unwrap();
    let (code, _, err) = run(&env, &copy, &["item", "add", "added in the copy"]);
    assert_eq!(code, 0, "{err}");
    sql(
        &copy,
        &format!(
            "UPDATE item SET title = '{}' WHERE title = 'added in the copy'",
            "t".repeat(1001)
        ),
    );
    let before = std::fs::read(&db).unwrap();
    let (code, _, err) = run(&env, &db, &["merge", copy.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("title is 1001 characters long"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

#[test]
fn reports_print_a_persona_name_or_title_far_over_its_limit_without_panicking() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env, "team.db");
    // 65,536 characters and more made `coverage` panic ("Formatting argument out of
    // range"); 5 MB for the title, printed whole.
    sql(
        &db,
        "UPDATE persona SET name = printf('%.*c', 70000, 'P') WHERE id = 1;
         UPDATE item SET title = printf('%.*c', 5000000, 'T') WHERE id = 1;",
    );
    let start = Instant::now();
    let (code, out, err) = run(&env, &db, &["coverage"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.lines().all(|l| l.chars().count() < 400),
        "a line of the table is not cut"
    );
    assert!(out.contains("PPPP…"), "{}", &out[..out.len().min(2000)]);
    for args in [
        &["item", "list"][..],
        &["export"],
        &["export", "--format", "md"],
    ] {
        let (code, out, err) = run(&env, &db, args);
        assert_eq!(code, 0, "obeya {args:?}: {err}");
        assert!(out.len() > 5_000_000, "obeya {args:?} cut the title");
    }
    eprintln!(
        "coverage, item list and two exports took {:?}",
        start.elapsed()
    );
}
