//! `obeya import` of a JSON file reads it as a stream, its items set aside on disk: the
//! real binary on real files. A document's keys may come in any order (items before the
//! personas they name), and a document refused for its very last item is refused as it
//! was when documents were read whole, in the same words, with the board untouched.

#[path = "common/cli_env.rs"]
mod cli_env;

use std::path::{Path, PathBuf};

use obeya::exchange::{self, Format};
use serde_json::{Value, json};

use cli_env::{Env, exited, succeeded};

fn ok(env: &Env, board: &Path, args: &[&str]) -> String {
    succeeded(&env.run(board, args), args)
}

fn fails(env: &Env, board: &Path, args: &[&str]) -> String {
    exited(&env.run(board, args), args, 1).1
}

fn journal(path: &Path) -> PathBuf {
    let mut j = path.as_os_str().to_owned();
    j.push("-journal");
    PathBuf::from(j)
}

#[test]
fn a_json_document_may_list_its_items_before_the_personas_and_stages_they_name() {
    let env = Env::new();
    let board = env.path("team.db");
    ok(&env, &board, &["init", "--empty"]);
    // Written by hand, keys in no particular order: items first, format last.
    let text = r#"{
        "items": [
            {"title": "Call back within a day", "persona": "maria", "stage": "GET HELP",
             "comments": [{"author": "bob", "text": "agreed"}]},
            {"title": "Plain item"}
        ],
        "stages": [{"name": "Get help"}],
        "version": 2,
        "personas": [{"name": "Maria"}],
        "format": "obeya"
    }"#;
    let file = env.path("by-hand.json");
    std::fs::write(&file, text).unwrap();
    let out = ok(&env, &board, &["import", file.to_str().unwrap()]);
    assert!(
        out.contains("added 1 persona, 1 stage, 2 items, 1 comment"),
        "{out}"
    );
    let items: Value =
        serde_json::from_str(&ok(&env, &board, &["item", "list", "--json"])).unwrap();
    let first = &items[0];
    assert_eq!(first["title"], "Call back within a day");
    assert_eq!(first["persona"], "Maria");
    assert_eq!(first["stage"], "Get help");
    assert_eq!(items[1]["title"], "Plain item");
    // Importing it again changes nothing.
    let again = ok(&env, &board, &["import", file.to_str().unwrap()]);
    assert!(
        again.ends_with("added nothing; updated nothing\n"),
        "{again}"
    );
}

/// An export-like document of `n` items, each with an id and a uid.
fn long_document(n: usize) -> Value {
    let items: Vec<Value> = (1..=n)
        .map(|k| {
            let status = ["plan", "do", "check", "act", "done"][k % 5];
            json!({
                "uid": format!("00000000-0000-4000-8000-{k:012}"),
                "id": k,
                "title": format!("Item {k}"),
                "status": status,
                "persona": "Maria",
                "stage": "Buy",
            })
        })
        .collect();
    json!({
        "format": "obeya",
        "version": 2,
        "personas": [{"name": "Maria"}],
        "stages": [{"name": "Buy"}],
        "items": items,
    })
}

#[test]
fn a_long_document_refused_for_its_last_item_leaves_the_board_unchanged() {
    const N: usize = 20_000;
    let env = Env::new();
    let board = env.path("team.db");
    ok(&env, &board, &["init"]);
    let before = std::fs::read(&board).unwrap();

    let mut repeated_uid = long_document(N);
    repeated_uid["items"][N - 1]["uid"] = json!("00000000-0000-4000-8000-000000000001");
    let mut unknown_persona = long_document(N);
    unknown_persona["items"][N - 1]["persona"] = json!("Nobody");
    let cases = [
        (
            "repeated-uid.json",
            repeated_uid,
            "duplicate item uid '00000000-0000-4000-8000-000000000001'".to_string(),
        ),
        (
            "unknown-persona.json",
            unknown_persona,
            format!("item 'Item {N}' refers to unknown persona 'Nobody'"),
        ),
    ];
    for (name, doc, message) in cases {
        let text = serde_json::to_string_pretty(&doc).unwrap();
        // The message documents got when they were read whole and validated.
        let whole = exchange::validate(&exchange::parse(&text, Format::Json).unwrap());
        assert_eq!(whole, Err(message.clone()));
        let file = env.path(name);
        std::fs::write(&file, &text).unwrap();
        let err = fails(&env, &board, &["import", file.to_str().unwrap()]);
        assert_eq!(err, format!("obeya: {}: {message}\n", file.display()));
        assert_eq!(
            std::fs::read(&board).unwrap(),
            before,
            "{name}: the board changed"
        );
        assert!(!journal(&board).exists(), "{name}: a journal was left");
    }
    // The same document, mended, goes in whole.
    let file = env.path("mended.json");
    std::fs::write(&file, long_document(N).to_string()).unwrap();
    let out = ok(&env, &board, &["import", file.to_str().unwrap()]);
    assert!(out.contains(&format!(" {N} items;")), "{out}");
}

#[test]
fn a_template_is_streamed_too_and_a_bad_one_makes_no_board() {
    let env = Env::new();
    let mut doc = long_document(3);
    doc["items"][2]["persona"] = json!("Nobody");
    let bad = env.path("bad.json");
    std::fs::write(&bad, doc.to_string()).unwrap();
    let board = env.path("new.db");
    let err = fails(&env, &board, &["init", "--template", bad.to_str().unwrap()]);
    assert!(err.contains("unknown persona 'Nobody'"), "{err}");
    assert!(!board.exists());
    let good = env.path("good.json");
    std::fs::write(&good, long_document(3).to_string()).unwrap();
    ok(
        &env,
        &board,
        &["init", "--template", good.to_str().unwrap()],
    );
    let items: Value =
        serde_json::from_str(&ok(&env, &board, &["item", "list", "--json"])).unwrap();
    assert_eq!(items.as_array().unwrap().len(), 3);
}

/// A board item belongs to the document item that carries its uid, even when an earlier
/// document item would have taken it by id or by title: that one is added as new.
#[test]
fn an_item_whose_uid_is_in_the_document_is_kept_for_it_not_taken_by_id_or_title() {
    let env = Env::new();
    let board = env.path("team.db");
    ok(&env, &board, &["init", "--empty"]);
    ok(&env, &board, &["item", "add", "Refunds in one tap"]);
    ok(&env, &board, &["item", "add", "Shorter FAQ"]);
    let items: Value =
        serde_json::from_str(&ok(&env, &board, &["item", "list", "--json"])).unwrap();
    let uid_of = |title: &str| {
        let item = items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["title"] == title);
        item.unwrap()["uid"].as_str().unwrap().to_owned()
    };
    let (refunds, faq) = (uid_of("Refunds in one tap"), uid_of("Shorter FAQ"));
    let doc = json!({
        "format": "obeya",
        "version": 2,
        "items": [
            // Would take item 1 by its id, and "Shorter FAQ" by its title ...
            {"id": 1, "title": "Another idea"},
            {"title": "Shorter FAQ", "status": "check"},
            // ... but these two carry those items' uids.
            {"uid": refunds, "title": "Refunds in one tap, renamed"},
            {"uid": faq, "title": "Shorter FAQ", "status": "do"},
        ],
    });
    let file = env.path("claims.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = ok(&env, &board, &["import", file.to_str().unwrap()]);
    assert!(out.contains("2 items"), "{out}");

    let after: Value =
        serde_json::from_str(&ok(&env, &board, &["item", "list", "--json"])).unwrap();
    let after = after.as_array().unwrap();
    assert_eq!(after.len(), 4, "{after:#?}");
    let by_uid = |uid: &str| after.iter().find(|i| i["uid"] == uid).unwrap();
    assert_eq!(by_uid(&refunds)["id"], 1);
    assert_eq!(by_uid(&refunds)["title"], "Refunds in one tap, renamed");
    assert_eq!(by_uid(&faq)["status"], "do");
    let new: Vec<(&Value, &Value)> = after
        .iter()
        .filter(|i| i["uid"] != refunds.as_str() && i["uid"] != faq.as_str())
        .map(|i| (&i["title"], &i["status"]))
        .collect();
    assert_eq!(
        new,
        [
            (&json!("Another idea"), &json!("plan")),
            (&json!("Shorter FAQ"), &json!("check"))
        ]
    );
}

/// The same for personas and stages, matched by name: a document may rename a record by
/// its uid and give the old name to a new one.
#[test]
fn a_persona_renamed_by_its_uid_may_leave_its_old_name_to_a_new_one() {
    let env = Env::new();
    let board = env.path("team.db");
    ok(&env, &board, &["init", "--empty"]);
    ok(&env, &board, &["persona", "add", "Maria"]);
    ok(&env, &board, &["stage", "add", "Buy"]);
    let uid_of = |kind: &str| {
        let list: Value =
            serde_json::from_str(&ok(&env, &board, &[kind, "list", "--json"])).unwrap();
        list[0]["uid"].as_str().unwrap().to_owned()
    };
    let (maria, buy) = (uid_of("persona"), uid_of("stage"));
    let doc = json!({
        "format": "obeya",
        "version": 2,
        "personas": [{"name": "maria", "role": "new"}, {"uid": maria, "name": "Ben"}],
        "stages": [{"name": "BUY", "pains": "new"}, {"uid": buy, "name": "Pay"}],
    });
    let file = env.path("renames.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    let out = ok(&env, &board, &["import", file.to_str().unwrap()]);
    assert!(
        out.contains("added 1 persona, 1 stage; updated 1 persona, 1 stage"),
        "{out}"
    );
    let personas: Value =
        serde_json::from_str(&ok(&env, &board, &["persona", "list", "--json"])).unwrap();
    assert_eq!(personas[0]["uid"], maria.as_str());
    assert_eq!(personas[0]["name"], "Ben");
    assert_eq!(
        (&personas[1]["name"], &personas[1]["role"]),
        (&json!("maria"), &json!("new"))
    );
    let stages: Value =
        serde_json::from_str(&ok(&env, &board, &["stage", "list", "--json"])).unwrap();
    assert_eq!(
        (&stages[0]["uid"], &stages[0]["name"]),
        (&json!(buy), &json!("Pay"))
    );
    assert_eq!(
        (&stages[1]["name"], &stages[1]["pains"]),
        (&json!("BUY"), &json!("new"))
    );
}

/// A document whose items have neither uid nor id (matched by title), each with a new
/// detail; and how many items it has.
fn titles_only(env: &Env, board: &Path) -> (PathBuf, usize) {
    let mut doc: Value = serde_json::from_str(&ok(env, board, &["export"])).unwrap();
    for item in doc["items"].as_array_mut().unwrap() {
        let item = item.as_object_mut().unwrap();
        item.remove("uid");
        item.remove("id");
        item.insert("detail".into(), json!("Agreed at the review"));
    }
    let file = env.path("titles-only.json");
    std::fs::write(&file, doc.to_string()).unwrap();
    (file, doc["items"].as_array().unwrap().len())
}

/// A teammate in the middle of reading the board, as the sqlite3 shell or another
/// obeya would be.
fn reading(board: &Path) -> rusqlite::Connection {
    let reader = rusqlite::Connection::open(board).unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let _: i64 = reader
        .query_row("SELECT count(*) FROM item", [], |r| r.get(0))
        .unwrap();
    reader
}

fn import_in_background(env: &Env, board: &Path, file: &Path) -> std::process::Child {
    env.cmd()
        .args(["import", file.to_str().unwrap(), "--db"])
        .arg(board)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// A teammate reading the board holds the import's commit back: the import waits with
/// its changes written to the journal, and commits them once the reader is done.
#[test]
fn an_import_held_back_by_a_reader_waits_and_commits_once() {
    let env = Env::new();
    let board = env.path("team.db");
    ok(&env, &board, &["init"]);
    let (file, count) = titles_only(&env, &board);
    let reader = reading(&board);
    let mut child = import_in_background(&env, &board, &file);
    // The journal appears when the import writes; it cannot commit while we read.
    let journal = journal(&board);
    while !journal.exists() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it wrote: {:?}",
            child.wait_with_output()
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    assert!(
        child.try_wait().unwrap().is_none(),
        "committed past a reader"
    );
    reader.execute_batch("COMMIT").unwrap();

    let report = succeeded(&child.wait_with_output().unwrap(), &["import"]);
    assert!(
        report.ends_with(&format!("added nothing; updated {count} items\n")),
        "{report}"
    );
    let items: Value =
        serde_json::from_str(&ok(&env, &board, &["item", "list", "--json"])).unwrap();
    let items = items.as_array().unwrap();
    assert_eq!(items.len(), count);
    assert!(items.iter().all(|i| i["detail"] == "Agreed at the review"));
    assert!(!journal.exists());
}

/// A reader that does not finish: the import gives up after its few seconds of patience
/// with the busy message, and the board is as it was.
#[test]
fn an_import_a_reader_never_lets_commit_gives_up_and_changes_nothing() {
    let env = Env::new();
    let board = env.path("team.db");
    ok(&env, &board, &["init"]);
    let (file, _) = titles_only(&env, &board);
    let before = ok(&env, &board, &["export"]);
    let reader = reading(&board);
    let out = import_in_background(&env, &board, &file)
        .wait_with_output()
        .unwrap();
    reader.execute_batch("COMMIT").unwrap();
    let (_, err) = exited(&out, &["import"], 1);
    assert_eq!(
        err,
        format!(
            "obeya: board busy: a teammate is saving ({}); try again in a moment\n",
            board.display()
        )
    );
    assert_eq!(ok(&env, &board, &["export"]), before);
    assert!(!journal(&board).exists(), "a journal was left");
}
