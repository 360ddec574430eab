//! The hostile-board corpus (issue 8): a board file is shared, so its content, its schema
//! and the files planted beside it come from other people. Each test is one way a
//! hostile teammate (or a crash, or a full disk) could reach outside the file, and each
//! failed on the code as it was before issue 8 (the read-only folder case only where the
//! tests do not run as root: root may write any folder, so there it checks the recovery).
//!
//! The real binary runs with HOME and the XDG folders inside a temporary folder. Waits
//! have scaled deadlines (`OBEYA_TEST_TIME_SCALE`, see `kit::wait`); nothing here is
//! random.

use std::os::unix::fs::{PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use obeya::exchange::{self, Format};
use rusqlite::Connection;

use kit::cli::{exited, succeeded, texts};
use kit::term::{Session, Spawn, sh_quote};
use kit::wait::{self, Deadline};

/// The issue's title: sets the terminal's title and writes "rm -rf ~" to the clipboard.
const PWNED: &str = "x\u{1b}]0;PWNED\u{7}\u{1b}]52;c;cm0gLXJmIH4K\u{7}";
/// Every other kind of hazard: a bare CR that hides text, CSI as one C1 character, DEL,
/// a right-to-left override and an isolate, a tab and a NUL-free C0 (0x01).
const SPOOF: &str = "ok\rhidden\u{9b}2J\u{7f}\u{202e}txt.exe\u{2066}\t\u{1}end";

/// The visible form of `PWNED`, as every text output must show it.
const PWNED_SHOWN: &str = r"x\u{1b}]0;PWNED\u{7}\u{1b}]52;c;cm0gLXJmIH4K\u{7}";

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
    /// Expect success; returns stdout (checked for raw control characters).
    fn ok(&self, board: &Path, args: &[&str]) -> String {
        let out = self.run(board, args);
        let stdout = succeeded(&out, args);
        let (_, stderr) = texts(&out);
        assert_no_raw_controls(&format!("obeya {args:?} (stderr)"), &stderr);
        if args.contains(&"csv") {
            assert_no_raw_controls_csv(&format!("obeya {args:?}"), &stdout);
        } else {
            assert_no_raw_controls(&format!("obeya {args:?}"), &stdout);
        }
        stdout
    }

    /// Expect exit code `code`; returns stderr (checked for raw control characters).
    fn fails(&self, board: &Path, args: &[&str], code: i32) -> String {
        let (stdout, stderr) = exited(&self.run(board, args), args, code);
        assert_no_raw_controls(&format!("obeya {args:?} (stdout)"), &stdout);
        assert_no_raw_controls(&format!("obeya {args:?} (stderr)"), &stderr);
        stderr
    }

    fn board(&self, name: &str, init_args: &[&str]) -> PathBuf {
        let p = self.path(name);
        let mut args = vec!["init"];
        args.extend_from_slice(init_args);
        self.ok(&p, &args);
        p
    }
}

/// What must never reach a terminal raw: C0 and C1 controls and DEL (a newline aside),
/// and the bidi overrides and isolates.
fn hazard(c: char) -> bool {
    (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn assert_no_raw_controls(what: &str, text: &str) {
    let found: Vec<char> = text.chars().filter(|c| hazard(*c)).collect();
    assert!(
        found.is_empty(),
        "{what} printed raw control characters {found:?}:\n{}",
        text.escape_debug()
    );
}

/// `assert_no_raw_controls` for CSV, whose rows end in CRLF by the RFC.
fn assert_no_raw_controls_csv(what: &str, csv: &str) {
    assert_no_raw_controls(what, &csv.replace("\r\n", "\n"));
}

fn count(db: &Path, query: &str) -> i64 {
    Connection::open(db)
        .unwrap()
        .query_row(query, [], |r| r.get(0))
        .unwrap()
}

/// A JSON document with hostile names and texts everywhere (written with JSON's own
/// escapes, so the file itself is plain text).
fn hostile_document() -> String {
    let doc = serde_json::json!({
        "format": "obeya",
        "version": 1,
        "mission": { "statement": format!("Serve {PWNED}"), "customer": SPOOF },
        "personas": [ { "name": PWNED, "role": SPOOF, "quote": SPOOF } ],
        "stages": [ { "name": SPOOF, "pains": PWNED, "metric": { "name": PWNED, "target": 90, "unit": SPOOF } } ],
        "feelings": [ { "persona": PWNED, "stage": SPOOF, "score": -2, "note": PWNED } ],
        "items": [
            { "title": PWNED, "status": "do", "owner": SPOOF, "persona": PWNED, "stage": SPOOF,
              "impact": PWNED, "risk": SPOOF, "blocked": true, "blocked_reason": PWNED,
              "detail": format!("{PWNED}\nsecond line {SPOOF}"),
              "comments": [ { "author": SPOOF, "text": PWNED } ] },
            { "title": SPOOF, "status": "plan" }
        ]
    });
    serde_json::to_string_pretty(&doc).unwrap()
}

/// A board holding `hostile_document`, and a finished stand-up whose summary shows it.
fn hostile_board(env: &Env) -> PathBuf {
    let db = env.board("team.db", &["--empty"]);
    let file = env.path("hostile.json");
    std::fs::write(&file, hostile_document()).unwrap();
    env.ok(&db, &["import", file.to_str().unwrap()]);
    let c = Connection::open(&db).unwrap();
    c.execute(
        "INSERT INTO standup (started_at, ended_at, facilitator, parked) VALUES ('2000-01-01T00:00:00Z', '2999-01-01T00:00:00Z', ?1, json_array(?2, ?3))",
        [SPOOF, PWNED, SPOOF],
    )
    .unwrap();
    db
}

// ------------------------------------------------------------ 1. control characters

#[test]
fn item_add_list_edit_move_print_a_hostile_title_visibly() {
    let env = Env::new();
    let db = env.board("team.db", &[]);
    let added = env.ok(&db, &["item", "add", PWNED, "--owner", SPOOF]);
    assert!(added.contains(PWNED_SHOWN), "{added}");
    assert_no_raw_controls("item add", &added);
    let list = env.ok(&db, &["item", "list"]);
    assert_no_raw_controls("item list", &list);
    assert!(list.contains(PWNED_SHOWN), "{list}");
    assert!(
        list.contains(r"ok\u{d}hidden\u{9b}2J\u{7f}\u{202e}txt.exe\u{2066}\u{9}\u{1}end"),
        "{list}"
    );
    let edited = env.ok(&db, &["item", "edit", "9", "--blocked", PWNED]);
    assert_no_raw_controls("item edit", &edited);
    let list = env.ok(&db, &["item", "list", "--status", "plan"]);
    assert!(list.contains(&format!("BLOCKED: {PWNED_SHOWN}")), "{list}");
    let moved = env.ok(&db, &["item", "move", "9", "do"]);
    assert!(moved.contains(PWNED_SHOWN), "{moved}");
    env.ok(&db, &["item", "comment", "9", PWNED]);
    let log = env.ok(&db, &["log"]);
    assert!(log.contains(PWNED_SHOWN), "{log}");
}

#[test]
fn reports_and_text_exports_show_hostile_board_data_visibly() {
    let env = Env::new();
    let db = hostile_board(&env);
    for args in [
        &["item", "list"][..],
        &["log"],
        &["coverage"],
        &["export", "--format", "md"],
        &["standup", "report"],
        &["metric", "set", SPOOF, "71"],
    ] {
        let out = env.ok(&db, args);
        assert!(
            out.contains(PWNED_SHOWN) || out.contains(r"\u{d}hidden"),
            "obeya {args:?} does not show the hostile text visibly:\n{out}"
        );
    }
    let csv = env.ok(&db, &["export", "--format", "csv"]);
    assert_no_raw_controls_csv("export csv", &csv);
    assert!(csv.contains(PWNED_SHOWN), "{csv}");
}

#[test]
fn json_and_toml_exports_keep_the_exact_text_escaped_by_the_format() {
    let env = Env::new();
    let db = hostile_board(&env);
    let original = exchange::parse(&hostile_document(), Format::Json).unwrap();
    for (format, parse_as) in [("json", Format::Json), ("toml", Format::Toml)] {
        let text = env.ok(&db, &["export", "--format", format]);
        // Raw newlines are TOML's own multi-line strings; nothing else may be raw.
        assert_no_raw_controls(&format!("export {format}"), &text);
        let back = exchange::parse(&text, parse_as).unwrap_or_else(|e| panic!("{e}\n{text}"));
        assert_eq!(back.mission, original.mission, "{format}");
        let mut personas = back.personas.clone();
        personas.iter_mut().for_each(|p| p.uid.clear());
        assert_eq!(personas, original.personas, "{format}");
        assert_eq!(back.stages[0].name, original.stages[0].name, "{format}");
        assert_eq!(
            back.items[0].title, SPOOF,
            "{format}: board order puts plan first"
        );
        assert_eq!(back.items[1].title, PWNED, "{format}");
        assert_eq!(back.items[1].detail, original.items[0].detail, "{format}");
        assert_eq!(back.items[1].comments[0].text, PWNED, "{format}");
        assert_eq!(back.feelings[0].note, PWNED, "{format}");
    }
    for args in [
        &["item", "list", "--json"][..],
        &["log", "--json"],
        &["coverage", "--json"],
        &["standup", "report", "--format", "json"],
    ] {
        let text = env.ok(&db, args);
        assert_no_raw_controls(&format!("{args:?}"), &text);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert!(v.to_string().contains("cm0gLXJmIH4K"), "{args:?}: {text}");
    }
}

#[test]
fn error_messages_show_hostile_names_and_paths_visibly() {
    let env = Env::new();
    let db = env.board("team.db", &[]);
    let err = env.fails(&db, &["item", "add", "x", "--persona", PWNED], 1);
    assert!(err.contains(PWNED_SHOWN), "{err}");
    let missing = env.path(&format!("{PWNED}.db"));
    let err = env.fails(&missing, &["item", "list"], 1);
    assert!(err.contains("no board at"), "{err}");
    assert!(err.contains(PWNED_SHOWN), "{err}");
    // A document's bad value is named in the message, visibly.
    let file = env.path("bad.json");
    std::fs::write(
        &file,
        serde_json::json!({"format": "obeya", "version": 1, "items": [{"title": "x", "persona": PWNED}]}).to_string(),
    )
    .unwrap();
    let err = env.fails(&db, &["import", file.to_str().unwrap()], 1);
    assert!(err.contains(PWNED_SHOWN), "{err}");
}

#[test]
fn check_import_and_merge_show_hostile_file_names_visibly() {
    let env = Env::new();
    let db = env.board("team.db", &[]);
    let copy = env.path(&format!("team (conflicted copy {PWNED}).db"));
    std::fs::copy(&db, &copy).unwrap();
    env.ok(&copy, &["item", "add", SPOOF]);
    let check = env.ok(&db, &["check"]);
    assert!(check.contains("conflict copy"), "{check}");
    assert!(check.contains(PWNED_SHOWN), "{check}");
    let merged = env.ok(&db, &["merge", copy.to_str().unwrap()]);
    assert!(merged.contains(r"\u{d}hidden"), "{merged}");
    assert!(merged.contains(PWNED_SHOWN), "{merged}");
    let file = env.path(&format!("{PWNED}.json"));
    std::fs::write(&file, env.ok(&db, &["export"])).unwrap();
    let imported = env.ok(&db, &["import", file.to_str().unwrap()]);
    assert!(imported.contains(PWNED_SHOWN), "{imported}");
}

// ------------------------------------------------------------ 7. CSV

#[test]
fn csv_cells_that_a_spreadsheet_would_run_are_neutralised() {
    let env = Env::new();
    let db = env.board("team.db", &["--empty"]);
    let cells = [
        (
            "=HYPERLINK(\"http://x\")",
            "\"'=HYPERLINK(\"\"http://x\"\")\"",
        ),
        ("+1+1", "'+1+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tTAB", r"'\u{9}TAB"),
        ("\rCR", r"'\u{d}CR"),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("plain", "plain"),
    ];
    for (k, (owner, _)) in cells.iter().enumerate() {
        // (`--owner=…`: a value may start with a minus sign.)
        env.ok(
            &db,
            &["item", "add", &format!("t{k}"), &format!("--owner={owner}")],
        );
    }
    let csv = env.ok(&db, &["export", "--format", "csv"]);
    assert_no_raw_controls_csv("export csv", &csv);
    let rows: Vec<&str> = csv
        .split("\r\n")
        .skip(1)
        .filter(|r| !r.is_empty())
        .collect();
    assert_eq!(rows.len(), cells.len(), "{csv}");
    for (k, (_, want)) in cells.iter().enumerate() {
        let prefix = format!("{},t{k},plan,{want},", k + 1);
        assert!(
            rows[k].starts_with(&prefix),
            "{} should start with {prefix}",
            rows[k]
        );
    }
}

// ------------------------------------------------------------ 8. linear time

#[test]
fn validating_100k_items_and_10k_personas_takes_linear_time() {
    let mut doc = obeya::exchange::Document::default();
    for p in 0..10_000 {
        doc.personas.push(obeya::exchange::PersonaDoc {
            name: format!("Persona {p}"),
            ..Default::default()
        });
    }
    for i in 0..100_000 {
        doc.items.push(obeya::exchange::ItemDoc {
            id: Some(i + 1),
            title: format!("item {i}"),
            persona: Some(format!("persona {}", i % 10_000)),
            ..Default::default()
        });
    }
    // Quadratic checks take minutes here; linear ones a fraction of a second.
    let limit = wait::scaled(Duration::from_secs(3));
    let start = std::time::Instant::now();
    obeya::exchange::validate(&doc).unwrap();
    let took = start.elapsed();
    assert!(took < limit, "validating took {took:?} (limit {limit:?})");
}

// ------------------------------------------------------------ 9. input checks

#[test]
fn an_empty_or_multi_line_user_name_is_a_usage_error() {
    let env = Env::new();
    let db = env.board("team.db", &["--empty"]);
    let err = env.fails(&db, &["item", "add", "x", "--user", ""], 2);
    assert!(err.contains("--user") && err.contains("empty"), "{err}");
    let err = env.fails(
        &db,
        &["item", "add", "x", "--user", "alice\nbob: approved"],
        2,
    );
    assert!(err.contains("--user") && err.contains("newline"), "{err}");
    let err = env.fails(&db, &["item", "add", "x", "--user", "   "], 2);
    assert!(err.contains("empty"), "{err}");
    assert_eq!(count(&db, "SELECT count(*) FROM item"), 0);
}

#[test]
fn log_since_the_end_of_time_is_a_usage_error() {
    let env = Env::new();
    let db = env.board("team.db", &["--empty"]);
    let err = env.fails(&db, &["log", "--since", "9999-12-31"], 2);
    assert!(err.contains("9999-12-31"), "{err}");
    assert!(!err.contains("overflow"), "{err}");
}

#[test]
fn an_import_file_may_start_with_a_byte_order_mark() {
    let env = Env::new();
    let db = env.board("team.db", &["--empty"]);
    let json = env.path("bom.json");
    std::fs::write(
        &json,
        "\u{feff}{\"format\":\"obeya\",\"version\":1,\"items\":[{\"title\":\"from a BOM file\"}]}",
    )
    .unwrap();
    env.ok(&db, &["import", json.to_str().unwrap()]);
    let toml_file = env.path("bom.toml");
    std::fs::write(
        &toml_file,
        "\u{feff}format = \"obeya\"\nversion = 1\n[[items]]\ntitle = \"from a BOM toml\"\n",
    )
    .unwrap();
    env.ok(&db, &["import", toml_file.to_str().unwrap()]);
    assert_eq!(count(&db, "SELECT count(*) FROM item"), 2);
}

#[test]
fn an_empty_comment_is_refused_by_import_as_by_the_command_line() {
    let env = Env::new();
    let db = env.board("team.db", &["--empty"]);
    env.ok(&db, &["item", "add", "x"]);
    let err = env.fails(&db, &["item", "comment", "1", "  "], 1);
    assert!(err.contains("comment"), "{err}");
    let before = std::fs::read(&db).unwrap();
    let file = env.path("c.json");
    std::fs::write(
        &file,
        r#"{"format":"obeya","version":1,"items":[{"id":1,"title":"x","comments":[{"author":"bob","text":" "}]}]}"#,
    )
    .unwrap();
    let err = env.fails(&db, &["import", file.to_str().unwrap()], 1);
    assert!(err.contains("comment") && err.contains("empty"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
}

// ------------------------------------------------------------ 2. planted links

/// The files in a folder, sorted, the test's home aside (to see that nothing stray was
/// left).
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "home")
        .collect();
    names.sort();
    names
}

/// A board at schema 1, as an older obeya left it.
fn old_board(dir: &Path) -> PathBuf {
    let path = dir.join("old.db");
    let mut c = Connection::open(&path).unwrap();
    c.pragma_update(None, "application_id", obeya::store::APPLICATION_ID)
        .unwrap();
    obeya::store::migrations().to_version(&mut c, 1).unwrap();
    c.execute("INSERT INTO item (title) VALUES ('from schema 1')", [])
        .unwrap();
    path
}

#[test]
fn a_backup_link_planted_to_my_own_board_is_refused_and_my_board_is_untouched() {
    let env = Env::new();
    let mine = env.board("mine.db", &[]);
    let mine_before = std::fs::read(&mine).unwrap();
    let old = old_board(env.dir.path());
    let old_before = std::fs::read(&old).unwrap();
    let bak = env.path("old.db.v1.bak");
    symlink(&mine, &bak).unwrap();
    let err = env.fails(&old, &["item", "list"], 1);
    assert!(err.contains("old.db.v1.bak"), "{err}");
    assert!(err.contains("link"), "{err}");
    assert_eq!(
        std::fs::read(&mine).unwrap(),
        mine_before,
        "my board was written"
    );
    assert_eq!(
        std::fs::read(&old).unwrap(),
        old_before,
        "the old board was changed"
    );
    assert!(std::fs::symlink_metadata(&bak).unwrap().is_symlink());
}

#[test]
fn a_dangling_backup_link_is_refused_and_creates_nothing() {
    let env = Env::new();
    let old = old_board(env.dir.path());
    let target = env.path("elsewhere").join("created.db");
    std::fs::create_dir(env.path("elsewhere")).unwrap();
    symlink(&target, env.path("old.db.v1.bak")).unwrap();
    let err = env.fails(&old, &["item", "list"], 1);
    assert!(err.contains("old.db.v1.bak"), "{err}");
    assert!(
        !target.exists(),
        "a file was created through the dangling link"
    );
    // A regular file in the way is not overwritten either.
    std::fs::remove_file(env.path("old.db.v1.bak")).unwrap();
    std::fs::write(env.path("old.db.v1.bak"), "keep me").unwrap();
    let err = env.fails(&old, &["item", "list"], 1);
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(
        std::fs::read_to_string(env.path("old.db.v1.bak")).unwrap(),
        "keep me"
    );
    // Once it is out of the way the upgrade goes ahead, with its backup.
    std::fs::remove_file(env.path("old.db.v1.bak")).unwrap();
    let list = env.ok(&old, &["item", "list"]);
    assert!(list.contains("from schema 1"), "{list}");
    assert_eq!(
        count(&env.path("old.db.v1.bak"), "SELECT count(*) FROM item"),
        1
    );
}

#[test]
fn export_refuses_to_write_through_a_link_and_replaces_a_file_whole() {
    let env = Env::new();
    let db = env.board("team.db", &[]);
    let mine = env.path("mine.txt");
    std::fs::write(&mine, "precious").unwrap();
    let out = env.path("export.md");
    symlink(&mine, &out).unwrap();
    let err = env.fails(
        &db,
        &[
            "export",
            "--format",
            "md",
            "--output",
            out.to_str().unwrap(),
        ],
        1,
    );
    assert!(err.contains("export.md") && err.contains("link"), "{err}");
    assert_eq!(std::fs::read_to_string(&mine).unwrap(), "precious");
    let dangling = env.path("dangling.md");
    symlink(env.path("nowhere.md"), &dangling).unwrap();
    env.fails(&db, &["export", "--output", dangling.to_str().unwrap()], 1);
    assert!(!env.path("nowhere.md").exists());
    // A regular file is replaced by the whole new export, and nothing else is left.
    std::fs::remove_file(&out).unwrap();
    std::fs::write(&out, "old export").unwrap();
    env.ok(
        &db,
        &[
            "export",
            "--format",
            "md",
            "--output",
            out.to_str().unwrap(),
        ],
    );
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("# Obeya board")
    );
    assert_eq!(
        listing(env.dir.path()),
        ["dangling.md", "export.md", "mine.txt", "team.db"]
    );
}

#[test]
fn init_refuses_a_planted_link_and_creates_nothing_through_it() {
    let env = Env::new();
    let target = env.path("victim.db");
    let db = env.path("team.db");
    symlink(&target, &db).unwrap();
    let err = env.fails(&db, &["init"], 1);
    assert!(err.contains("team.db") && err.contains("link"), "{err}");
    assert!(!target.exists(), "init created a board through the link");
    assert!(std::fs::symlink_metadata(&db).unwrap().is_symlink());
}

/// `obeya ARGS` with files limited to `kib` KiB, as on a nearly full disk: writes past
/// the limit fail with EFBIG (SIGXFSZ is ignored, so the process is not killed).
fn with_small_disk(env: &Env, kib: u32, args: &[&str]) -> Output {
    let mut line = format!(
        "trap '' XFSZ; ulimit -f {kib}; exec {}",
        sh_quote(crate::OBEYA)
    );
    for a in args {
        line.push(' ');
        line.push_str(&sh_quote(a));
    }
    env.cmd_for("sh").arg("-c").arg(line).output().unwrap()
}

#[test]
fn a_full_disk_leaves_no_stray_board_and_no_half_written_export() {
    let env = Env::new();
    let db = env.path("team.db");
    let out = with_small_disk(&env, 16, &["init", "--db", db.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{:?}", texts(&out));
    assert!(
        listing(env.dir.path()).is_empty(),
        "init left {:?} behind",
        listing(env.dir.path())
    );
    // A good export is not replaced by half of one.
    let db = env.board("team.db", &[]);
    let export = env.path("board.json");
    env.ok(&db, &["export", "--output", export.to_str().unwrap()]);
    let good = std::fs::read(&export).unwrap();
    sql(
        &db,
        &format!("UPDATE item SET detail = '{}'", "x".repeat(40_000)),
    );
    let out = with_small_disk(
        &env,
        64,
        &[
            "export",
            "--db",
            db.to_str().unwrap(),
            "--output",
            export.to_str().unwrap(),
        ],
    );
    assert_eq!(out.status.code(), Some(1), "{:?}", texts(&out));
    assert_eq!(
        std::fs::read(&export).unwrap(),
        good,
        "the good export was damaged"
    );
    assert_eq!(listing(env.dir.path()), ["board.json", "team.db"]);
}

// ------------------------------------------------------------ 3. the schema

fn sql(db: &Path, batch: &str) {
    let c = Connection::open(db).unwrap();
    c.busy_timeout(wait::scaled(Duration::from_secs(5)))
        .unwrap();
    c.execute_batch(batch).unwrap();
}

fn journal_beside(path: &Path) -> PathBuf {
    let mut j = path.as_os_str().to_owned();
    j.push("-journal");
    PathBuf::from(j)
}

#[test]
fn a_planted_trigger_or_view_is_refused_by_name_and_the_file_is_untouched() {
    let env = Env::new();
    let db = env.board("team.db", &[]);
    sql(
        &db,
        "CREATE TRIGGER rewrite AFTER INSERT ON item BEGIN
             UPDATE item SET title = 'pwned';
             DELETE FROM activity;
         END;
         CREATE VIEW peek AS SELECT title FROM item;",
    );
    let before = std::fs::read(&db).unwrap();
    let err = env.fails(&db, &["item", "add", "innocent"], 1);
    assert!(err.contains("trigger 'rewrite'"), "{err}");
    assert!(err.contains("view 'peek'"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "the file changed");
    assert!(!journal_beside(&db).exists());
    let err = env.fails(&db, &["check"], 1);
    assert!(
        err.contains("trigger 'rewrite'") && err.contains("view 'peek'"),
        "{err}"
    );
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "check changed the file"
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM item WHERE title = 'pwned'"),
        0
    );
}

#[test]
fn check_reports_tables_and_indexes_that_differ_and_exits_1() {
    let env = Env::new();
    let db = env.board("team.db", &[]);
    sql(
        &db,
        "CREATE INDEX extra ON item (title);
         CREATE TABLE notes (x TEXT);",
    );
    // They run no code: the board still opens.
    env.ok(&db, &["item", "list"]);
    let out = env.run(&db, &["check"]);
    let (stdout, stderr) = texts(&out);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    let all = format!("{stdout}{stderr}");
    assert!(all.contains("index 'extra'"), "{all}");
    assert!(all.contains("table 'notes'"), "{all}");
}

#[test]
fn every_connection_is_defensive_and_distrusts_the_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let created = obeya::store::Store::create(&path, "alice").unwrap();
    drop(created);
    let store = obeya::store::Store::open(&path, "alice").unwrap();
    let c = store.conn();
    assert!(
        c.db_config(rusqlite::config::DbConfig::SQLITE_DBCONFIG_DEFENSIVE)
            .unwrap()
    );
    let trusted: i64 = c
        .query_row("PRAGMA trusted_schema", [], |r| r.get(0))
        .unwrap();
    assert_eq!(trusted, 0);
    // Defensive mode: even a raw connection cannot rewrite the schema table.
    let err = c
        .execute_batch("PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = sql;")
        .unwrap_err();
    assert!(
        err.to_string().contains("sqlite_master") || err.to_string().contains("read"),
        "{err}"
    );
}

// ------------------------------------------------------------ 5. no false alarms

/// A board with a hot journal beside it: the snapshot of a writer's files taken in the
/// middle of its transaction, after SQLite had to spill changed pages into the board
/// (its cache holds one page; the log is grown first so there are pages enough to
/// spill), as a writer killed at that moment leaves them.
fn board_with_hot_journal(dir: &Path) -> PathBuf {
    let live = dir.join("live.db");
    let mut store = obeya::store::Store::create(&live, "setup").unwrap();
    obeya::exchange::import(&mut store, &obeya::exchange::starter()).unwrap();
    drop(store);
    let writer = Connection::open(&live).unwrap();
    writer
        .execute_batch(
            "PRAGMA cache_size = 1; PRAGMA cache_spill = 1;
             BEGIN IMMEDIATE;
             UPDATE item SET title = title || ' (half saved)', detail = hex(zeroblob(2000));
             UPDATE activity SET summary = summary || hex(zeroblob(3000));
             DELETE FROM activity;",
        )
        .unwrap();
    let db = dir.join("team.db");
    std::fs::copy(&live, &db).unwrap();
    std::fs::copy(journal_beside(&live), journal_beside(&db)).unwrap();
    writer.execute_batch("ROLLBACK").unwrap();
    // Without its journal the copy holds the half-saved change: the journal is needed.
    let alone = dir.join("alone.db");
    std::fs::copy(&db, &alone).unwrap();
    assert!(
        count(
            &alone,
            "SELECT count(*) FROM item WHERE title LIKE '%(half saved)'"
        ) > 0,
        "the writer's changes did not reach the board file before the snapshot"
    );
    std::fs::remove_file(&alone).unwrap();
    db
}

#[test]
fn a_hot_journal_on_a_read_only_board_is_not_called_damage() {
    let env = Env::new();
    let db = board_with_hot_journal(env.dir.path());
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&db).unwrap();
    let journal_before = std::fs::read(journal_beside(&db)).unwrap();
    let err = env.fails(&db, &["item", "list"], 1);
    assert!(!err.contains("is damaged"), "{err}");
    assert!(!err.contains("restore a backup"), "{err}");
    assert!(err.contains("crashed"), "{err}");
    assert!(err.contains("write access"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert_eq!(std::fs::read(journal_beside(&db)).unwrap(), journal_before);
    // Someone with write access opens it once: the unfinished save is rolled back.
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let list = env.ok(&db, &["item", "list"]);
    assert!(!list.contains("half saved"), "{list}");
    assert!(
        !journal_beside(&db).exists() || std::fs::metadata(journal_beside(&db)).unwrap().len() == 0
    );
}

#[test]
fn check_neither_rolls_back_a_hot_journal_nor_calls_it_damage() {
    let env = Env::new();
    let db = board_with_hot_journal(env.dir.path());
    let before = std::fs::read(&db).unwrap();
    let journal_before = std::fs::read(journal_beside(&db)).unwrap();
    let err = env.fails(&db, &["check"], 1);
    assert!(
        err.contains("crashed") && err.contains("a check only reads"),
        "{err}"
    );
    assert!(!err.contains("is damaged"), "{err}");
    assert_eq!(std::fs::read(&db).unwrap(), before, "check wrote the board");
    assert_eq!(std::fs::read(journal_beside(&db)).unwrap(), journal_before);
    // Any other command rolls it back; then check finds the board sound.
    env.ok(&db, &["item", "list"]);
    assert!(env.ok(&db, &["check"]).contains(": ok"));
}

/// Passes as root on the old code too (root writes the folder whatever its mode); fails
/// there only for other users.
#[test]
fn a_hot_journal_in_a_read_only_folder_is_not_called_damage() {
    let env = Env::new();
    let folder = env.path("shared");
    std::fs::create_dir(&folder).unwrap();
    let db = board_with_hot_journal(&folder);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
    let writable = rustix::fs::access(&folder, rustix::fs::Access::WRITE_OK).is_ok();
    let out = env.run(&db, &["item", "list"]);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (stdout, stderr) = texts(&out);
    if writable {
        // root may write a folder whatever its mode: the journal is rolled back.
        eprintln!("running as root: the folder stays writable; checking the recovery instead");
        assert!(out.status.success(), "{stderr}");
        assert!(!stdout.contains("half saved"), "{stdout}");
    } else {
        assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
        assert!(
            !stderr.contains("is damaged") && stderr.contains("crashed"),
            "{stderr}"
        );
    }
}

// ------------------------------------------------------------ 4. SIGTERM / SIGHUP

const T: Duration = Duration::from_secs(10);

/// The starter board, a wall on it in a terminal (stderr to `stderr_to`, if given), and
/// the write lock held by the test: a new item and a comment typed in the wall are
/// queued.
fn wall_with_queued_changes(dir: &Path, stderr_to: Option<&Path>) -> (Session, Connection) {
    let db = dir.join("team.db");
    let mut store = obeya::store::Store::create(&db, "setup").unwrap();
    obeya::exchange::import(&mut store, &obeya::exchange::starter()).unwrap();
    drop(store);
    // With stderr to a file, a shell opens it and then becomes the wall (`exec`), so
    // the wall is still the program that leads the terminal.
    let spawn = match stderr_to {
        None => Spawn::new(crate::OBEYA).arg("--db").arg(&db),
        Some(f) => Spawn::new("sh").arg("-c").arg(format!(
            "exec {} --db {} 2>{}",
            sh_quote(crate::OBEYA),
            sh_quote(db.to_str().unwrap()),
            sh_quote(f.to_str().unwrap())
        )),
    };
    let p = |x: &str| dir.join(x);
    let spawn = spawn
        .env("HOME", p("home"))
        .env("XDG_DATA_HOME", p("data"))
        .env("XDG_CONFIG_HOME", p("config"))
        .env("OBEYA_USER", "alice")
        .env("TERM", "xterm-256color")
        .env("LANG", "C.UTF-8")
        .cwd(dir)
        .size(120, 40);
    let mut s = Session::start("wall", &spawn);
    s.wait_for("team.db · alice · ● live", T);

    let lock = Connection::open(&db).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE").unwrap();
    s.type_text("4");
    s.type_text("n");
    s.wait_for("New improvement item", T);
    s.type_text("Refund ✓ typed while busy");
    // Title, status, owner, due, persona, stage: the impact is the seventh field.
    s.press_n("tab", 6);
    s.type_text("first line of the impact");
    s.press("enter");
    s.type_text("second line, kept too");
    s.press("c-s");
    s.wait_for("board busy", T);
    s.type_text("c");
    s.wait_for("Comment", T);
    s.type_text("a comment nobody may lose");
    s.press("c-s");
    s.wait_for("2 waiting: board busy", T);
    (s, lock)
}

const TYPED: [&str; 4] = [
    "Refund ✓ typed while busy",
    "first line of the impact",
    "second line, kept too",
    "a comment nobody may lose",
];

#[test]
fn sigterm_with_changes_queued_behind_a_lock_prints_every_change_in_full() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, lock) = wall_with_queued_changes(dir.path(), None);
    let signalled = Deadline::after(Duration::from_secs(4));
    rustix::process::kill_process(
        rustix::process::Pid::from_raw(s.pid).unwrap(),
        rustix::process::Signal::TERM,
    )
    .unwrap();
    s.wait_for_exit(signalled);
    eprintln!("the wall exited {:?} after TERM", signalled.elapsed());
    // What it printed on its way out is on the normal screen it left behind.
    s.wait_alternate(false, T);
    let screen = s.text();
    eprintln!("{screen}");
    for text in TYPED {
        assert!(
            screen.contains(text),
            "{text:?} is not on the screen:\n{screen}"
        );
    }
    assert!(screen.contains("not saved"), "{screen}");
    drop(lock);
}

#[test]
fn a_hang_up_with_changes_queued_behind_a_lock_writes_every_change_to_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let err_file = dir.path().join("stderr.txt");
    let (mut s, lock) = wall_with_queued_changes(dir.path(), Some(&err_file));
    // The signal reaches the wall a moment after the hang-up; it ends within two
    // seconds of the signal (terminal/signals.rs holds it to that; six in all here).
    let hung_up = Deadline::after(Duration::from_secs(6));
    s.hang_up();
    s.wait_for_exit(hung_up);
    eprintln!("the wall exited {:?} after the hang-up", hung_up.elapsed());
    let err = std::fs::read_to_string(&err_file).unwrap();
    for text in TYPED {
        assert!(err.contains(text), "{text:?} is not in stderr:\n{err}");
    }
    assert_no_raw_controls("stderr after a hang-up", &err);
    drop(lock);
}

#[test]
fn an_unsaved_edit_is_described_with_every_changed_field_in_full() {
    use obeya::app::Op;
    use obeya::model::Item;
    let base = Item {
        id: 9,
        title: "Refund in one tap".into(),
        owner: "bob".into(),
        ..Item::default()
    };
    let mine = Item {
        title: "Refund in one tap, today".into(),
        detail: "line one\nline two".into(),
        ..base.clone()
    };
    let text = Op::save(base, mine).describe();
    assert_eq!(
        text,
        "save #9 'Refund in one tap, today'\n    title: Refund in one tap, today\n    detail: line one\n            line two"
    );
}
