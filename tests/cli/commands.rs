//! End-to-end runs of the real `obeya` binary on real temporary files.
//!
//! Every command runs with HOME, XDG_CONFIG_HOME and XDG_DATA_HOME inside a temporary
//! folder and OBEYA_USER set, so no test reads or writes the real user's files.

use std::path::{Path, PathBuf};

use obeya::exchange::{self, Document, Format};
use serde_json::Value;

use kit::cli::{exited, succeeded};
use kit::wait;

/// The kit's temporary home for the binary, with this module's expectations of a run.
struct Env(kit::cli::Env);

impl std::ops::Deref for Env {
    type Target = kit::cli::Env;

    fn deref(&self) -> &kit::cli::Env {
        &self.0
    }
}

impl Env {
    fn new() -> Env {
        Env(kit::cli::Env::new(crate::OBEYA))
    }
    /// Run `obeya ARGS --db BOARD`, expecting success; returns stdout.
    fn ok(&self, board: &Path, args: &[&str]) -> String {
        succeeded(&self.run(board, args), args)
    }

    /// Run `obeya ARGS --db BOARD`, expecting exit code `code`; returns stderr.
    fn fails(&self, board: &Path, args: &[&str], code: i32) -> String {
        exited(&self.run(board, args), args, code).1
    }

    /// A new board made by `obeya init`.
    fn board(&self, name: &str, init_args: &[&str]) -> PathBuf {
        let p = self.path(name);
        let mut args = vec!["init"];
        args.extend_from_slice(init_args);
        self.ok(&p, &args);
        p
    }

    fn export(&self, board: &Path, format: &str) -> String {
        self.ok(board, &["export", "--format", format])
    }

    fn doc(&self, board: &Path) -> Document {
        exchange::parse(&self.export(board, "json"), Format::Json).unwrap()
    }
}

fn journal_beside(path: &Path) -> PathBuf {
    let mut j = path.as_os_str().to_owned();
    j.push("-journal");
    PathBuf::from(j)
}

fn activity_count(board: &Path) -> i64 {
    rusqlite::Connection::open(board)
        .unwrap()
        .query_row("SELECT count(*) FROM activity", [], |r| r.get(0))
        .unwrap()
}

/// (who, action, entity, summary) of the activity rows after `after_id`, oldest first.
fn activity_after(board: &Path, after_id: i64) -> Vec<(String, String, String, String)> {
    let c = rusqlite::Connection::open(board).unwrap();
    let mut s = c
        .prepare("SELECT who, action, entity, summary FROM activity WHERE id > ?1 ORDER BY id")
        .unwrap();
    s.query_map([after_id], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

fn last_activity_id(board: &Path) -> i64 {
    rusqlite::Connection::open(board)
        .unwrap()
        .query_row("SELECT coalesce(max(id), 0) FROM activity", [], |r| {
            r.get(0)
        })
        .unwrap()
}

fn items_json(env: &Env, board: &Path, filter: &[&str]) -> Vec<Value> {
    let mut args = vec!["item", "list", "--json"];
    args.extend_from_slice(filter);
    let v: Value = serde_json::from_str(&env.ok(board, &args)).unwrap();
    v.as_array().expect("a JSON array").clone()
}

fn titles(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect()
}

// ---------------------------------------------------------------- refusals

/// `obeya ARGS --db path` is refused: exit 1, the message names the file, the file is
/// byte-for-byte unchanged and no journal is left beside it. Returns the message.
fn assert_refused(env: &Env, path: &Path, args: &[&str]) -> String {
    let before = std::fs::read(path).unwrap();
    let err = env.fails(path, args, 1);
    assert!(
        err.contains(&path.display().to_string()),
        "the message does not name {}: {err}",
        path.display()
    );
    assert_eq!(
        std::fs::read(path).unwrap(),
        before,
        "{args:?} changed the file"
    );
    assert!(
        !journal_beside(path).exists(),
        "journal left beside the file"
    );
    err
}

#[test]
fn a_text_file_is_refused_as_not_sqlite() {
    let env = Env::new();
    let p = env.path("notes.db");
    std::fs::write(&p, "shopping list: milk, eggs\n".repeat(40)).unwrap();
    for args in [&["item", "list"][..], &["item", "add", "x"], &["check"]] {
        let err = assert_refused(&env, &p, args);
        assert!(err.contains("not a SQLite file"), "{err}");
    }
}

#[test]
fn an_empty_file_is_refused() {
    let env = Env::new();
    let p = env.path("empty.db");
    std::fs::write(&p, b"").unwrap();
    let doc_file = env.path("doc.json");
    std::fs::write(&doc_file, exchange::to_json(&Document::default())).unwrap();
    for args in [
        &["export"][..],
        &["item", "add", "x"],
        &["import", doc_file.to_str().unwrap()],
    ] {
        let err = assert_refused(&env, &p, args);
        assert!(err.contains("is an empty file"), "{err}");
    }
    assert_eq!(std::fs::metadata(&p).unwrap().len(), 0);
}

#[test]
fn a_sqlite_file_that_is_not_a_board_is_refused() {
    let env = Env::new();
    let p = env.path("other.db");
    rusqlite::Connection::open(&p)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES ('keep me');")
        .unwrap();
    for args in [&["item", "list"][..], &["item", "add", "x"], &["check"]] {
        let err = assert_refused(&env, &p, args);
        assert!(err.contains("not an obeya board"), "{err}");
    }
    let kept: String = rusqlite::Connection::open(&p)
        .unwrap()
        .query_row("SELECT x FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, "keep me");
}

#[test]
fn a_damaged_board_is_refused() {
    let env = Env::new();
    let p = env.path("damaged.db");
    {
        let mut s = obeya::store::Store::create(&p, "alice").unwrap();
        s.write(|w| {
            for i in 0..300 {
                w.create(obeya::model::Item {
                    title: format!("item {i} with enough words to fill several pages"),
                    ..Default::default()
                })?;
            }
            Ok(())
        })
        .unwrap();
    }
    let mut bytes = std::fs::read(&p).unwrap();
    for b in bytes[4096 * 3..4096 * 6].iter_mut() {
        *b = 0xAB;
    }
    std::fs::write(&p, &bytes).unwrap();
    // Damage is found where it is read (no whole-file check on every command, so a
    // command costs the same on a large board), and always by `check`.
    for args in [&["item", "list"][..], &["export"], &["check"]] {
        let err = assert_refused(&env, &p, args);
        assert!(err.contains("is damaged"), "{err}");
    }
}

#[test]
fn a_board_from_a_newer_obeya_reads_but_refuses_writes() {
    let env = Env::new();
    let p = env.board("new.db", &[]);
    rusqlite::Connection::open(&p)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let before = std::fs::read(&p).unwrap();
    // Reading works.
    assert_eq!(items_json(&env, &p, &[]).len(), 8);
    assert!(env.export(&p, "md").contains("## Mission"));
    // Every kind of write is refused.
    let id = "1";
    for args in [
        &["item", "add", "x"][..],
        &["item", "edit", id, "--owner", "bob"],
        &["item", "move", id, "done"],
        &["item", "comment", id, "hello"],
    ] {
        let err = assert_refused(&env, &p, args);
        assert!(err.contains("upgrade obeya"), "{err}");
    }
    assert_eq!(std::fs::read(&p).unwrap(), before);
}

#[test]
fn a_file_without_write_permission_reads_but_refuses_writes() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let p = env.board("ro.db", &[]);
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o444)).unwrap();
    assert_eq!(items_json(&env, &p, &[]).len(), 8);
    let check = env.ok(&p, &["check"]);
    assert!(check.contains("read-only"), "{check}");
    let json = env.export(&p, "json");
    let doc_file = env.path("doc.json");
    std::fs::write(&doc_file, json).unwrap();
    for args in [
        &["item", "add", "x"][..],
        &["item", "move", "1", "done"],
        &["import", doc_file.to_str().unwrap()],
    ] {
        let err = assert_refused(&env, &p, args);
        assert!(err.contains("read-only"), "{err}");
    }
}

#[test]
fn a_missing_board_is_not_created_by_a_subcommand() {
    let env = Env::new();
    let p = env.path("typo.db");
    for args in [
        &["item", "list"][..],
        &["item", "add", "x"],
        &["export"],
        &["check"],
    ] {
        let err = env.fails(&p, args, 1);
        assert!(
            err.contains(&format!(
                "no board at {0} (create one with: obeya init --db {0})",
                p.display()
            )),
            "{err}"
        );
        assert!(!p.exists(), "{args:?} created the file");
        assert!(!journal_beside(&p).exists());
    }
    // The same through OBEYA_DB.
    let out = env
        .cmd()
        .args(["item", "list"])
        .env("OBEYA_DB", &p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no board at"));
    assert!(!p.exists());
}

// ---------------------------------------------------------------- init

#[test]
fn init_makes_the_starter_board() {
    let env = Env::new();
    let p = env.path("team.db");
    let out = env.ok(&p, &["init"]);
    assert_eq!(out, format!("created a board at {}\n", p.display()));
    let doc = env.doc(&p);
    assert_eq!(doc.format, "obeya");
    assert_eq!(doc.version, 4);
    assert!(!doc.mission.statement.is_empty());
    assert_eq!(doc.personas.len(), 4, "three customers and an employee");
    assert!((5..=6).contains(&doc.stages.len()), "{}", doc.stages.len());
    assert_eq!(doc.items.len(), 8);
    // Items spread over the PDCA columns.
    for s in ["plan", "do", "check", "act", "done"] {
        assert!(
            doc.items.iter().any(|i| i.status.as_str() == s),
            "no item in {s}"
        );
    }
    // The starter's items, as the user sees them: title and column.
    let starter = exchange::starter();
    let seen = |d: &Document| -> Vec<(String, String)> {
        d.items
            .iter()
            .map(|i| (i.title.clone(), i.status.as_str().to_owned()))
            .collect()
    };
    assert_eq!(seen(&doc), seen(&starter));
    // The same personas, each given its own uid.
    let mut personas = doc.personas.clone();
    assert!(personas.iter().all(|p| p.uid.len() == 36));
    personas.iter_mut().for_each(|p| p.uid.clear());
    assert_eq!(personas, starter.personas);
}

#[test]
fn init_empty_makes_a_board_with_nothing_on_it() {
    let env = Env::new();
    let p = env.path("empty-board.db");
    let out = env.ok(&p, &["init", "--empty"]);
    assert!(out.contains("created an empty board"), "{out}");
    let doc = env.doc(&p);
    assert!(doc.personas.is_empty() && doc.stages.is_empty() && doc.items.is_empty());
    assert!(doc.mission.statement.is_empty());
    assert_eq!(env.ok(&p, &["item", "list"]), "");
    assert!(env.ok(&p, &["check"]).contains(": ok"));
}

#[test]
fn init_from_a_template() {
    let env = Env::new();
    let t = env.path("tpl.toml");
    std::fs::write(
        &t,
        r#"format = "obeya"
version = 1
[mission]
statement = "Fahrräder, die nie stehen bleiben"
customer = "Pendler in Köln"
[[personas]]
name = "Jörg"
[[stages]]
name = "Reparatur"
[[items]]
title = "Ersatzrad-Service"
status = "do"
owner = "anna"
persona = "Jörg"
stage = "Reparatur"
"#,
    )
    .unwrap();
    let p = env.path("bikes.db");
    env.ok(&p, &["init", "--template", t.to_str().unwrap()]);
    let doc = env.doc(&p);
    assert_eq!(doc.mission.customer, "Pendler in Köln");
    assert_eq!(doc.personas[0].name, "Jörg");
    assert_eq!(doc.items.len(), 1);
    assert_eq!(doc.items[0].persona.as_deref(), Some("Jörg"));
    assert_eq!(doc.items[0].stage.as_deref(), Some("Reparatur"));

    // A template that does not validate leaves no board behind.
    let bad = env.path("bad.json");
    std::fs::write(
        &bad,
        r#"{"format":"obeya","version":1,"items":[{"title":"x","persona":"Nobody"}]}"#,
    )
    .unwrap();
    let q = env.path("never.db");
    let err = env.fails(&q, &["init", "--template", bad.to_str().unwrap()], 1);
    assert!(err.contains("Nobody"), "{err}");
    assert!(!q.exists());
}

#[test]
fn init_refuses_to_overwrite() {
    let env = Env::new();
    let p = env.board("team.db", &[]);
    env.ok(&p, &["item", "add", "precious"]);
    let before = std::fs::read(&p).unwrap();
    for args in [&["init"][..], &["init", "--empty"]] {
        let err = env.fails(&p, args, 1);
        assert!(err.contains("already exists"), "{err}");
        assert!(err.contains(&p.display().to_string()), "{err}");
        assert_eq!(std::fs::read(&p).unwrap(), before);
    }
    // Not even a text file is overwritten.
    let txt = env.path("notes.txt");
    std::fs::write(&txt, "mine").unwrap();
    env.fails(&txt, &["init"], 1);
    assert_eq!(std::fs::read_to_string(&txt).unwrap(), "mine");
}

// ---------------------------------------------------------------- exchange

/// Text that trips up encoders: accents, a combining accent, CJK, emoji.
const UNICODE_TITLE: &str = "Crème brûlée für Zoë — 顧客の声を聞く 🚀🍰 e\u{301}";
const UNICODE_OWNER: &str = "Łukasz 李";

#[test]
fn export_import_export_gives_the_same_document() {
    let env = Env::new();
    let a = env.board("a.db", &[]);
    env.ok(
        &a,
        &["item", "comment", "3", "Waiting on the provider — again 😩"],
    );
    env.ok(
        &a,
        &["item", "add", "Schnellere Rückerstattung", "--owner", "Zoë"],
    );
    env.ok(
        &a,
        &[
            "item",
            "add",
            UNICODE_TITLE,
            "--owner",
            UNICODE_OWNER,
            "--impact",
            "Ça aide 👍",
        ],
    ); // #10
    env.ok(&a, &["item", "comment", "10", "日本語のコメント ✅"]);
    for format in ["json", "toml"] {
        let first = env.export(&a, format);
        let file = env.path(&format!("a.{format}"));
        std::fs::write(&file, &first).unwrap();
        let b = env.board(&format!("b-{format}.db"), &["--empty"]);
        env.ok(&b, &["import", file.to_str().unwrap()]);
        let second = env.export(&b, format);
        assert_eq!(first, second, "{format} export → import → export differs");
        // The text itself came through, not only something the same both ways.
        let tricky = items_json(&env, &b, &["--owner", UNICODE_OWNER]);
        assert_eq!(titles(&tricky), [UNICODE_TITLE], "{format}");
        assert_eq!(tricky[0]["impact"], "Ça aide 👍", "{format}");
        assert_eq!(
            tricky[0]["comments"][0]["text"], "日本語のコメント ✅",
            "{format}"
        );
        // And importing it again changes nothing.
        let out = env.ok(&b, &["import", file.to_str().unwrap()]);
        assert!(out.contains("added nothing; updated nothing"), "{out}");
        assert_eq!(env.export(&b, format), first);
    }
}

#[test]
fn json_and_toml_exports_hold_the_same_data() {
    let env = Env::new();
    let p = env.board("team.db", &[]);
    env.ok(
        &p,
        &[
            "item",
            "comment",
            "1",
            "a \"quoted\" comment\nwith two lines",
        ],
    );
    env.ok(
        &p,
        &["item", "edit", "2", "--no-due", "--blocked", "no budget"],
    );
    let json = exchange::parse(&env.export(&p, "json"), Format::Json).unwrap();
    let toml = exchange::parse(&env.export(&p, "toml"), Format::Toml).unwrap();
    assert_eq!(json, toml);
    assert_eq!(json.items.len(), 8);
    assert!(json.items.iter().any(|i| i.blocked_reason == "no budget"));
}

/// Through files (export and import) in `export_import_export_gives_the_same_document`.
#[test]
fn unicode_round_trips_through_add_list_and_json() {
    let env = Env::new();
    let a = env.board("a.db", &["--empty"]);
    let (title, owner) = (UNICODE_TITLE, UNICODE_OWNER);
    let out = env.ok(
        &a,
        &[
            "item",
            "add",
            title,
            "--owner",
            owner,
            "--impact",
            "Ça aide 👍",
        ],
    );
    assert!(out.contains(title), "{out}");
    let list = env.ok(&a, &["item", "list", "--owner", owner]);
    assert!(list.contains(title) && list.contains(owner), "{list}");
    let items = items_json(&env, &a, &[]);
    assert_eq!(items[0]["title"], title);
    assert_eq!(items[0]["owner"], owner);
    assert_eq!(items[0]["impact"], "Ça aide 👍");
}

#[test]
fn import_prints_what_it_added_and_updated() {
    let env = Env::new();
    let p = env.board("team.db", &[]);
    let mut doc = env.doc(&p);
    doc.items[0].title = "Renamed by import".into();
    doc.items.push(exchange::ItemDoc {
        title: "Brand new from a file".into(),
        ..doc.items[1].clone()
    });
    doc.items.last_mut().unwrap().id = None;
    doc.items.last_mut().unwrap().uid.clear();
    doc.items.last_mut().unwrap().comments.clear();
    doc.personas[0].goal = "A new goal".into();
    let file = env.path("changes.json");
    std::fs::write(&file, exchange::to_json(&doc)).unwrap();
    let out = env.ok(&p, &["import", file.to_str().unwrap()]);
    assert_eq!(
        out,
        format!(
            "imported {}: added 1 item; updated 1 persona, 1 item\n",
            file.display()
        )
    );
    let after = env.doc(&p);
    assert_eq!(after.items.len(), 9);
    assert_eq!(after.items[0].title, "Renamed by import");
    assert_eq!(after.personas[0].goal, "A new goal");
}

#[test]
fn import_refuses_a_bad_document_and_writes_nothing() {
    let env = Env::new();
    let p = env.board("team.db", &[]);
    let before = env.export(&p, "json");
    let n = activity_count(&p);
    let cases = [
        (
            "bad-date.json",
            r#"{"format":"obeya","version":1,"items":[{"title":"x","due":"2026-02-30"}]}"#,
            "2026-02-30",
        ),
        (
            "bad-persona.json",
            r#"{"format":"obeya","version":1,"items":[{"title":"x","persona":"Gertrud"}]}"#,
            "Gertrud",
        ),
        (
            "bad-status.toml",
            "format = \"obeya\"\nversion = 1\n[[items]]\ntitle = \"x\"\nstatus = \"doing\"\n",
            "doing",
        ),
        (
            "bad-field.json",
            r#"{"format":"obeya","version":1,"itemz":[]}"#,
            "itemz",
        ),
    ];
    for (name, text, bad) in cases {
        let f = env.path(name);
        std::fs::write(&f, text).unwrap();
        let err = env.fails(&p, &["import", f.to_str().unwrap()], 1);
        assert!(err.contains(bad), "{name}: {err}");
        assert!(
            err.contains(name),
            "{name}: the message should name the file: {err}"
        );
    }
    let txt = env.path("notes.txt");
    std::fs::write(&txt, "hello").unwrap();
    let err = env.fails(&p, &["import", txt.to_str().unwrap()], 1);
    assert!(err.contains(".json or .toml"), "{err}");
    assert_eq!(env.export(&p, "json"), before);
    assert_eq!(activity_count(&p), n);
}

#[test]
fn export_writes_markdown_and_csv() {
    let env = Env::new();
    let p = env.board("team.db", &[]);
    env.ok(
        &p,
        &[
            "item",
            "add",
            "Fix \"slot\" booking, fast",
            "--owner",
            "dana",
        ],
    );
    let md = env.export(&p, "md");
    let doc = env.doc(&p);
    assert!(md.starts_with("# "), "{md}");
    assert!(md.contains(&doc.mission.statement));
    for persona in &doc.personas {
        assert!(md.contains(&persona.name), "{} missing", persona.name);
    }
    assert!(md.contains("Fix \"slot\" booking, fast"));

    let csv = env.export(&p, "csv");
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,title,status,owner,due,persona,stage,blocked,blocked_reason,impact,risk,created_at,updated_at,status_since"
    );
    assert_eq!(csv.lines().count(), 1 + 9);
    let added = csv.lines().find(|l| l.starts_with("9,")).unwrap();
    assert!(
        added.starts_with("9,\"Fix \"\"slot\"\" booking, fast\",plan,dana,"),
        "{added}"
    );

    // --output writes the file instead of stdout.
    let out = env.path("out.csv");
    let stdout = env.ok(
        &p,
        &[
            "export",
            "--format",
            "csv",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(stdout, "");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), csv);
}

// ---------------------------------------------------------------- items

#[test]
fn item_add_edit_move_list_with_filters() {
    let env = Env::new();
    let p = env.board("team.db", &["--empty"]);
    assert_eq!(
        env.ok(&p, &["item", "add", "Shorter FAQ"]),
        "added #1 'Shorter FAQ' to Plan\n"
    );
    env.ok(
        &p,
        &[
            "item",
            "add",
            "Fix refunds",
            "--status",
            "do",
            "--owner",
            "bob",
        ],
    );
    env.ok(
        &p,
        &[
            "item",
            "add",
            "Chat pilot",
            "--status",
            "check",
            "--owner",
            "alice",
            "--due",
            "2026-12-24",
        ],
    );
    env.ok(&p, &["item", "add", "Bob's other", "--owner", "bob"]);

    let all = items_json(&env, &p, &[]);
    assert_eq!(all.len(), 4);
    assert_eq!(
        titles(&items_json(&env, &p, &["--status", "do"])),
        ["Fix refunds"]
    );
    assert_eq!(
        titles(&items_json(&env, &p, &["--owner", "bob"])),
        ["Bob's other", "Fix refunds"]
    );
    assert_eq!(
        titles(&items_json(
            &env,
            &p,
            &["--owner", "bob", "--status", "plan"]
        )),
        ["Bob's other"]
    );
    // --mine is the user from OBEYA_USER (alice) or --user; an item added without
    // --owner is yours, as on the wall.
    assert_eq!(
        titles(&items_json(&env, &p, &["--mine"])),
        ["Shorter FAQ", "Chat pilot"]
    );
    assert_eq!(
        titles(&items_json(&env, &p, &["--mine", "--user", "bob"])),
        ["Bob's other", "Fix refunds"]
    );
    let out = env
        .cmd()
        .args(["item", "list", "--mine", "--json", "--db"])
        .arg(&p)
        .env("OBEYA_USER", "bob")
        .output()
        .unwrap();
    let v: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(titles(&v), ["Bob's other", "Fix refunds"]);

    // Edit: several fields at once; the rest stays.
    let out = env.ok(
        &p,
        &[
            "item",
            "edit",
            "1",
            "--title",
            "Shorter, clearer FAQ",
            "--owner",
            "carol",
            "--due",
            "2027-01-15",
            "--risk",
            "Fewer answers",
            "--blocked",
            "needs legal",
        ],
    );
    assert_eq!(out, "saved #1 'Shorter, clearer FAQ'\n");
    let one = &items_json(&env, &p, &["--owner", "carol"])[0];
    assert_eq!(one["title"], "Shorter, clearer FAQ");
    assert_eq!(one["due"], "2027-01-15");
    assert_eq!(one["risk"], "Fewer answers");
    assert_eq!(one["blocked"], true);
    assert_eq!(one["blocked_reason"], "needs legal");
    assert_eq!(one["status"], "plan");
    env.ok(&p, &["item", "edit", "1", "--no-due", "--unblocked"]);
    let one = &items_json(&env, &p, &["--owner", "carol"])[0];
    assert!(one.get("due").is_none_or(Value::is_null), "{one}");
    assert_eq!(one["blocked"], false);
    let line = env.ok(&p, &["item", "list", "--owner", "carol"]);
    assert!(line.starts_with("#1") && line.contains("@carol"), "{line}");
    assert!(!line.contains("BLOCKED"), "{line}");

    // Move.
    assert_eq!(
        env.ok(&p, &["item", "move", "1", "act"]),
        "moved #1 'Shorter, clearer FAQ' to Act\n"
    );
    assert_eq!(
        titles(&items_json(&env, &p, &["--status", "act"])),
        ["Shorter, clearer FAQ"]
    );
    assert!(items_json(&env, &p, &["--status", "plan"]).len() == 1);
}

#[test]
fn item_list_json_has_the_exchange_shape() {
    let env = Env::new();
    let p = env.board("team.db", &[]);
    env.ok(&p, &["item", "comment", "6", "Try it with 'tomatos'"]);
    let items = items_json(&env, &p, &[]);
    assert_eq!(items.len(), 8);
    let allowed = [
        "uid",
        "id",
        "title",
        "detail",
        "status",
        "owner",
        "due",
        "persona",
        "stage",
        "impact",
        "risk",
        "blocked",
        "blocked_reason",
        "created_at",
        "updated_at",
        "status_since",
        "comments",
    ];
    for i in &items {
        let obj = i.as_object().expect("each item is an object");
        for key in obj.keys() {
            assert!(allowed.contains(&key.as_str()), "unexpected field {key}");
        }
        for key in [
            "id",
            "title",
            "status",
            "blocked",
            "created_at",
            "updated_at",
            "status_since",
        ] {
            assert!(obj.contains_key(key), "{key} missing in {i}");
        }
        assert!(["plan", "do", "check", "act", "done"].contains(&i["status"].as_str().unwrap()));
    }
    let commented = items.iter().find(|i| i["id"] == 6).unwrap();
    assert_eq!(commented["comments"][0]["author"], "alice");
    assert_eq!(commented["comments"][0]["text"], "Try it with 'tomatos'");
    assert!(commented["comments"][0]["at"].is_string());
    // The same items as the export, field for field.
    let doc: Value = serde_json::from_str(&env.export(&p, "json")).unwrap();
    assert_eq!(doc["items"].as_array().unwrap(), &items);
}

#[test]
fn item_comment_is_stored_with_its_author() {
    let env = Env::new();
    let p = env.board("team.db", &["--empty"]);
    env.ok(&p, &["item", "add", "Chat pilot"]);
    assert_eq!(
        env.ok(
            &p,
            &["item", "comment", "1", "Numbers look good", "--user", "bob"]
        ),
        "commented on #1\n"
    );
    env.ok(&p, &["item", "comment", "1", "Agreed"]);
    let doc = env.doc(&p);
    let c = &doc.items[0].comments;
    assert_eq!(c.len(), 2);
    assert_eq!(
        (c[0].author.as_str(), c[0].text.as_str()),
        ("bob", "Numbers look good")
    );
    assert_eq!(
        (c[1].author.as_str(), c[1].text.as_str()),
        ("alice", "Agreed")
    );
    let err = env.fails(&p, &["item", "comment", "1", "   "], 1);
    assert!(err.contains("needs some text"), "{err}");
}

#[test]
fn global_options_stand_before_or_after_the_subcommand() {
    let env = Env::new();
    let p = env.board("team.db", &["--empty"]);
    let db = p.to_str().unwrap();
    let run = |args: &[&str]| {
        let out = env.cmd().args(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["--db", db, "--user", "bob", "item", "add", "before"]);
    run(&["item", "add", "after", "--db", db, "--user", "carol"]);
    run(&["item", "--db", db, "add", "middle"]);
    let log = activity_after(&p, 0);
    let who: Vec<&str> = log.iter().map(|a| a.0.as_str()).collect();
    assert_eq!(who, ["bob", "carol", "alice"]);
    assert_eq!(run(&["--db", db, "item", "list", "--owner", "nobody"]), "");
    assert_eq!(
        titles(
            &serde_json::from_str::<Vec<Value>>(&run(&["item", "list", "--json", "--db", db]))
                .unwrap()
        ),
        ["before", "after", "middle"]
    );
    // OBEYA_DB works too, and --db wins over it.
    let out = env
        .cmd()
        .args(["item", "list"])
        .env("OBEYA_DB", &p)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("before"));
    let other = env.board("other.db", &["--empty"]);
    let out = env
        .cmd()
        .args(["item", "list", "--db"])
        .arg(&other)
        .env("OBEYA_DB", &p)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), "");
}

#[test]
fn bad_values_are_refused_by_name_and_nothing_is_written() {
    let env = Env::new();
    let p = env.board("team.db", &[]);
    let before = env.export(&p, "json");
    let bytes = std::fs::read(&p).unwrap();
    let n = activity_count(&p);
    // (args, exit code, the bad value the message must name)
    let cases: &[(&[&str], i32, &str)] = &[
        (
            &["item", "add", "x", "--due", "2026-02-30"],
            2,
            "2026-02-30",
        ),
        (
            &["item", "edit", "1", "--due", "2026-02-30"],
            2,
            "2026-02-30",
        ),
        (&["item", "add", "x", "--due", "next week"], 2, "next week"),
        (&["item", "add", "x", "--persona", "Gertrud"], 1, "Gertrud"),
        (&["item", "add", "x", "--stage", "Teleport"], 1, "Teleport"),
        (&["item", "edit", "1", "--persona", "Gertrud"], 1, "Gertrud"),
        (
            &["item", "edit", "1", "--stage", "Teleport", "--owner", "z"],
            1,
            "Teleport",
        ),
        (&["item", "edit", "4242", "--owner", "z"], 1, "4242"),
        (&["item", "move", "4242", "done"], 1, "4242"),
        (&["item", "comment", "4242", "hello"], 1, "4242"),
        (&["item", "add", "x", "--status", "doing"], 2, "doing"),
        (&["item", "move", "1", "finished"], 2, "finished"),
        (&["item", "list", "--status", "later"], 2, "later"),
        (&["item", "add", "   "], 1, "title"),
    ];
    for (args, code, bad) in cases {
        let err = env.fails(&p, args, *code);
        assert!(
            err.contains(bad),
            "{args:?}: message does not name {bad}: {err}"
        );
    }
    assert_eq!(env.export(&p, "json"), before);
    assert_eq!(activity_count(&p), n);
    assert_eq!(std::fs::read(&p).unwrap(), bytes);
    assert!(!journal_beside(&p).exists());
}

#[test]
fn every_change_writes_an_activity_row_with_its_author() {
    let env = Env::new();
    let p = env.board("team.db", &[]);
    let mark = last_activity_id(&p);
    env.ok(
        &p,
        &[
            "item",
            "add",
            "Faster refunds",
            "--persona",
            "maria",
            "--stage",
            "get help",
        ],
    );
    env.ok(
        &p,
        &["item", "edit", "9", "--owner", "bob", "--user", "bob"],
    );
    env.ok(&p, &["item", "move", "9", "do", "--user", "carol"]);
    env.ok(&p, &["item", "comment", "9", "on it", "--user", "dave"]);
    let out = env
        .cmd()
        .args([
            "item",
            "edit",
            "9",
            "--impact",
            "Maria gets her money back today",
            "--db",
        ])
        .arg(&p)
        .env("OBEYA_USER", "erin")
        .output()
        .unwrap();
    assert!(out.status.success());
    let log = activity_after(&p, mark);
    let got: Vec<(&str, &str, &str)> = log
        .iter()
        .map(|(who, action, entity, _)| (who.as_str(), action.as_str(), entity.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("alice", "create", "item"),
            ("bob", "update", "item"),
            ("carol", "update", "item"),
            ("dave", "create", "comment"),
            ("erin", "update", "item"),
        ]
    );
    assert_eq!(log[2].3, "moved #9 'Faster refunds' to Do");
    // The row itself carries who and when.
    let c = rusqlite::Connection::open(&p).unwrap();
    let (who, by, before, after): (String, String, String, String) = c
        .query_row(
            "SELECT a.who, i.updated_by, a.before, a.after FROM activity a JOIN item i ON i.id = a.entity_id \
             WHERE a.entity = 'item' AND a.entity_id = 9 ORDER BY a.id DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .unwrap();
    assert_eq!((who.as_str(), by.as_str()), ("erin", "erin"));
    assert!(!before.contains("Maria gets") && after.contains("Maria gets"));
    // Editing to the same value is no change and writes nothing.
    let n = activity_count(&p);
    env.ok(&p, &["item", "edit", "9", "--owner", "bob"]);
    assert_eq!(activity_count(&p), n);
}

// ---------------------------------------------------------------- the rest

#[test]
fn usage_errors_exit_2() {
    let env = Env::new();
    let p = env.board("team.db", &["--empty"]);
    for args in [
        &["bogus"][..],
        &["item"],
        &["item", "add"],
        &["item", "move", "1"],
        &["item", "move", "one", "do"],
        &["init", "--empty", "--template", "x.toml"],
        &["item", "edit", "1", "--due", "2026-01-01", "--no-due"],
        &["item", "edit", "1", "--blocked", "x", "--unblocked"],
        &["item", "list", "--mine", "--owner", "bob"],
        &["export", "--format", "xml"],
    ] {
        let err = env.fails(&p, args, 2);
        assert!(!err.is_empty(), "{args:?}: no message");
    }
    assert_eq!(activity_count(&p), 0);
}

#[test]
fn version_prints_the_default_board_and_config_paths() {
    let env = Env::new();
    let out = env.cmd().arg("--version").output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let home = env.dir.path().join("home");
    assert!(
        text.starts_with(&format!("obeya {}", env!("CARGO_PKG_VERSION"))),
        "{text}"
    );
    let board = home.join(".local/share/obeya/obeya.db");
    let config = home.join(".config/obeya/config.toml");
    assert!(
        text.contains(&format!("default board:  {}", board.display())),
        "{text}"
    );
    assert!(
        text.contains(&format!("default config: {}", config.display())),
        "{text}"
    );
    assert!(!board.exists(), "--version must not create the board");
}

#[test]
fn check_reports_ok() {
    let env = Env::new();
    let p = env.board("team.db", &[]);
    let out = env.ok(&p, &["check"]);
    assert!(out.starts_with(&format!("{}: ok\n", p.display())), "{out}");
    assert!(out.contains("application id: obeya board"), "{out}");
    assert!(
        out.contains(&format!(
            "schema version: {0} (this obeya: {0})",
            obeya::store::LATEST_SCHEMA
        )),
        "{out}"
    );
    assert!(out.contains("integrity:      ok"), "{out}");
    assert!(out.contains("journal mode:   delete"), "{out}");
    assert!(out.contains("items:          8"), "{out}");
    assert!(!out.contains("conflict copy"), "{out}");
    assert!(
        out.contains("wall counts:    agree with the items"),
        "{out}"
    );
    assert!(
        out.contains("filter index:   agrees with the items"),
        "{out}"
    );
}

/// The counts and the filter's index are kept beside the items; `check` compares them
/// with the items, and `--repair` builds them again, so the wall counts and filters
/// right once more.
#[test]
fn check_finds_counts_and_filter_index_out_of_step_and_repair_mends_them() {
    let env = Env::new();
    let p = env.board("team.db", &[]);
    {
        let c = rusqlite::Connection::open(&p).unwrap();
        c.execute_batch(
            "UPDATE item_tally SET n = n + 5 WHERE status = (SELECT status FROM item WHERE id = 2)
                 AND owner = (SELECT owner FROM item WHERE id = 2)
                 AND persona_id = (SELECT coalesce(persona_id, 0) FROM item WHERE id = 2)
                 AND stage_id = (SELECT coalesce(stage_id, 0) FROM item WHERE id = 2);
             INSERT INTO item_text (item_text, rowid, body)
                 SELECT 'delete', rowid, body FROM item_text_row WHERE item_id = 1;
             INSERT INTO item_text (rowid, body) VALUES (999 * 8 + 1, 'a ghost of an item');",
        )
        .unwrap();
    }
    let before = std::fs::read(&p).unwrap();
    let err = env.fails(&p, &["check"], 1);
    assert!(err.contains("obeya check --repair"), "{err}");
    let (out, _) = kit::cli::texts(&env.run(&p, &["check"]));
    assert!(out.contains("disagree with the items"), "{out}");
    assert!(out.contains("wall counts:    1 group(s)"), "{out}");
    assert!(
        out.contains("filter index:   1 item(s) missing, 1 entry(ies) of no item"),
        "{out}"
    );
    // Checking changes nothing.
    assert_eq!(std::fs::read(&p).unwrap(), before);

    let repaired = env.ok(&p, &["check", "--repair"]);
    assert!(repaired.contains("repaired:"), "{repaired}");
    assert!(
        repaired.starts_with(&format!("{}: ok\n", p.display())),
        "{repaired}"
    );
    let again = env.ok(&p, &["check"]);
    assert!(
        again.contains("filter index:   agrees with the items"),
        "{again}"
    );
    assert!(!again.contains("repaired"), "{again}");

    // Item 1 is found by its words again.
    let store = obeya::store::Store::open(&p, "alice").unwrap();
    let title = store.load::<obeya::model::Item>(1).unwrap().unwrap().title;
    let words: String = title.chars().take(6).collect();
    let filter = obeya::store::CardFilter {
        text: words.clone(),
        owner: None,
    };
    let sieve = store.sieve(&filter).unwrap();
    let counts = store.column_counts(&sieve).unwrap();
    assert!(
        counts.iter().sum::<usize>() >= 1,
        "'{words}' finds nothing: {counts:?}"
    );
}

#[test]
fn a_config_file_given_explicitly_must_exist() {
    let env = Env::new();
    let p = env.board("team.db", &["--empty"]);
    let missing = env.path("nope.toml");
    let err = env.fails(
        &p,
        &["item", "list", "--config", missing.to_str().unwrap()],
        1,
    );
    assert!(err.contains("nope.toml"), "{err}");
    // A config's user is the author when no --user or OBEYA_USER is given.
    let cfg = env.path("config.toml");
    std::fs::write(&cfg, "user = \"fiona\"\n").unwrap();
    let out = env
        .cmd()
        .args(["item", "add", "from config", "--db"])
        .arg(&p)
        .arg("--config")
        .arg(&cfg)
        .env_remove("OBEYA_USER")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(activity_after(&p, 0)[0].0, "fiona");
}

#[test]
fn output_cut_short_by_its_reader_ends_quietly() {
    use std::process::Stdio;
    let env = Env::new();
    let board = env.board("team.db", &[]);
    // More than a pipe holds, so the reader's going away is certain to be met (in two
    // fields, each within what a field keeps).
    let detail = "long detail ".repeat(4_000);
    let added = env.ok(
        &board,
        &[
            "item",
            "add",
            "Refund in one tap",
            "--detail",
            &detail,
            "--impact",
            &detail,
        ],
    );
    assert!(added.contains("#9"), "{added}");
    let mut child = env
        .cmd()
        .args(["item", "show", "9", "--db"])
        .arg(&board)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // as `| head -0` would
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
}

// ------------------------------------------------------------ import: refusals, matching

use serde_json::json;

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

/// A refused import names the file, and the line and column of a mistake in its
/// syntax; the board is left byte for byte as it was, with no journal beside it.
#[test]
fn a_refused_import_names_the_file_and_the_place_and_leaves_the_board_alone() {
    const N: usize = 200;
    let env = Env::new();
    let board = env.board("team.db", &[]);
    let before = std::fs::read(&board).unwrap();
    let mut repeated_uid = long_document(N);
    repeated_uid["items"][N - 1]["uid"] = json!("00000000-0000-4000-8000-000000000001");
    let mut unknown_persona = long_document(N);
    unknown_persona["items"][N - 1]["persona"] = json!("Nobody");
    let cases: [(&str, String, &str); 5] = [
        (
            "syntax.json",
            "{\"format\": \"obeya\",\n  \"verison\": 1}".into(),
            "invalid JSON: unknown field `verison`, expected one of ",
        ),
        (
            "syntax.toml",
            "format = \"obeya\"\nversion = 1\n[[items]]\ntitel = \"x\"\n".into(),
            "invalid TOML: TOML parse error at line 4, column 1\n",
        ),
        (
            "date.json",
            "{\"format\":\"obeya\",\"version\":1,\n\"items\":[{\"title\":\"x\",\"due\":\"2026-02-30\"}]}"
                .into(),
            "invalid JSON: invalid date '2026-02-30' (expected YYYY-MM-DD, a real calendar day) at line 2 column ",
        ),
        (
            "repeated-uid.json",
            serde_json::to_string_pretty(&repeated_uid).unwrap(),
            "duplicate item uid '00000000-0000-4000-8000-000000000001'\n",
        ),
        (
            "unknown-persona.json",
            serde_json::to_string_pretty(&unknown_persona).unwrap(),
            "item 'Item 200' refers to unknown persona 'Nobody'\n",
        ),
    ];
    for (name, text, words) in cases {
        let file = env.path(name);
        std::fs::write(&file, text).unwrap();
        let err = env.fails(&board, &["import", file.to_str().unwrap()], 1);
        let named = format!("obeya: {}: {words}", file.display());
        assert!(err.starts_with(&named), "{name}: {err}");
        assert_eq!(
            std::fs::read(&board).unwrap(),
            before,
            "{name}: the board changed"
        );
        assert!(
            !journal_beside(&board).exists(),
            "{name}: a journal was left"
        );
    }
    let err = env.fails(
        &board,
        &["import", env.path("syntax.json").to_str().unwrap()],
        1,
    );
    assert!(err.ends_with(" at line 2 column 12\n"), "{err}");
    // The same document, mended, goes in whole.
    let file = env.path("mended.json");
    std::fs::write(&file, long_document(N).to_string()).unwrap();
    let out = env.ok(&board, &["import", file.to_str().unwrap()]);
    assert!(out.contains(&format!(" {N} items;")), "{out}");
}

/// A JSON document's keys may come in any order (items before the personas and stages
/// they name), and a TOML file may end its lines with CRLF.
#[test]
fn an_import_takes_keys_in_any_order_and_crlf_lines() {
    let env = Env::new();
    let board = env.board("team.db", &["--empty"]);
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
    let out = env.ok(&board, &["import", file.to_str().unwrap()]);
    assert!(
        out.contains("added 1 persona, 1 stage, 2 items, 1 comment"),
        "{out}"
    );
    let items: Value = serde_json::from_str(&env.ok(&board, &["item", "list", "--json"])).unwrap();
    assert_eq!(items[0]["title"], "Call back within a day");
    assert_eq!(items[0]["persona"], "Maria");
    assert_eq!(items[0]["stage"], "Get help");
    assert_eq!(items[1]["title"], "Plain item");
    let again = env.ok(&board, &["import", file.to_str().unwrap()]);
    assert!(
        again.ends_with("added nothing; updated nothing\n"),
        "{again}"
    );

    let crlf = env.path("windows.toml");
    std::fs::write(
        &crlf,
        "format = \"obeya\"\r\nversion = 1\r\n\r\n[[items]]\r\ntitle = \"From Windows\"\r\n\
         detail = \"one line\"\r\n",
    )
    .unwrap();
    env.ok(&board, &["import", crlf.to_str().unwrap()]);
    let doc = env.doc(&board);
    let item = doc
        .items
        .iter()
        .find(|i| i.title == "From Windows")
        .unwrap();
    assert_eq!(item.detail, "one line");
}

/// A board item belongs to the document item that carries its uid, even when an earlier
/// document item would have taken it by id or by title: that one is added as new.
#[test]
fn an_item_whose_uid_is_in_the_document_is_kept_for_it_not_taken_by_id_or_title() {
    let env = Env::new();
    let board = env.board("team.db", &["--empty"]);
    env.ok(&board, &["item", "add", "Refunds in one tap"]);
    env.ok(&board, &["item", "add", "Shorter FAQ"]);
    let items: Value = serde_json::from_str(&env.ok(&board, &["item", "list", "--json"])).unwrap();
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
    let out = env.ok(&board, &["import", file.to_str().unwrap()]);
    assert!(out.contains("2 items"), "{out}");

    let after: Value = serde_json::from_str(&env.ok(&board, &["item", "list", "--json"])).unwrap();
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
    let board = env.board("team.db", &["--empty"]);
    env.ok(&board, &["persona", "add", "Maria"]);
    env.ok(&board, &["stage", "add", "Buy"]);
    let uid_of = |kind: &str| {
        let list: Value = serde_json::from_str(&env.ok(&board, &[kind, "list", "--json"])).unwrap();
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
    let out = env.ok(&board, &["import", file.to_str().unwrap()]);
    assert!(
        out.contains("added 1 persona, 1 stage; updated 1 persona, 1 stage"),
        "{out}"
    );
    let personas: Value =
        serde_json::from_str(&env.ok(&board, &["persona", "list", "--json"])).unwrap();
    assert_eq!(personas[0]["uid"], maria.as_str());
    assert_eq!(personas[0]["name"], "Ben");
    assert_eq!(
        (&personas[1]["name"], &personas[1]["role"]),
        (&json!("maria"), &json!("new"))
    );
    let stages: Value =
        serde_json::from_str(&env.ok(&board, &["stage", "list", "--json"])).unwrap();
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
    let mut doc: Value = serde_json::from_str(&env.ok(board, &["export"])).unwrap();
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
    let board = env.board("team.db", &[]);
    let (file, count) = titles_only(&env, &board);
    let reader = reading(&board);
    let mut child = import_in_background(&env, &board, &file);
    // The journal appears when the import writes; it cannot commit while we read.
    let journal = journal_beside(&board);
    wait::until(
        "the import to write its journal",
        std::time::Duration::from_secs(10),
        || {
            if journal.exists() {
                Ok(())
            } else if let Some(status) = child.try_wait().unwrap() {
                panic!("the import ended ({status}) before it wrote");
            } else {
                Err("no journal yet".to_string())
            }
        },
    );
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
    let items: Value = serde_json::from_str(&env.ok(&board, &["item", "list", "--json"])).unwrap();
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
    let board = env.board("team.db", &[]);
    let (file, _) = titles_only(&env, &board);
    let before = env.ok(&board, &["export"]);
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
    assert_eq!(env.ok(&board, &["export"]), before);
    assert!(!journal_beside(&board).exists(), "a journal was left");
}

/// With no name given anywhere (no `--user`, `OBEYA_USER`, config `user`, `USER` or
/// `LOGNAME`), a change is signed with the account's name from the system's user
/// database: a clean name, `root` for uid 0.
#[test]
fn without_a_name_anywhere_the_account_signs_a_change() {
    let env = Env::new();
    let db = env.board("team.db", &[]);
    let args = ["item", "add", "Signed by the account"];
    let out = env
        .cmd()
        .env_remove("OBEYA_USER")
        .env_remove("USER")
        .env_remove("LOGNAME")
        .args(args)
        .arg("--db")
        .arg(&db)
        .output()
        .unwrap();
    succeeded(&out, &args);
    let doc = env.doc(&db);
    let name = &doc
        .items
        .iter()
        .find(|i| i.title == "Signed by the account")
        .expect("the new item")
        .owner;
    assert!(!name.is_empty() && name.trim() == name, "{name:?}");
    if rustix::process::geteuid().is_root() {
        assert_eq!(name, "root");
    }
}
