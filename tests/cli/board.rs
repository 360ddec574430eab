//! Issue 10: the command line for the whole board (items, mission, personas, stages,
//! feelings, stand-ups), a lossless exchange (round trip, double import), and one clock
//! (the same local time in the log, the detail view and the report, in two zones).
//!
//! Every command runs the real binary with HOME and XDG folders in a temporary folder.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use obeya::exchange::{self, Format};
use obeya::model::{Item, Status};
use obeya::store::Store;
use serde_json::Value;

use kit::cli::{exited, succeeded};

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
    fn run_in(&self, board: &Path, args: &[&str], tz: &str) -> std::process::Output {
        self.cmd()
            .env("TZ", tz)
            .args(args)
            .arg("--db")
            .arg(board)
            .output()
            .unwrap()
    }

    /// `obeya ARGS --db BOARD` in UTC, expecting success; stdout.
    fn ok(&self, board: &Path, args: &[&str]) -> String {
        self.ok_in(board, args, "UTC")
    }

    fn ok_in(&self, board: &Path, args: &[&str], tz: &str) -> String {
        succeeded(&self.run_in(board, args, tz), args)
    }

    /// Expecting exit code `code` and nothing on stdout; stderr.
    fn fails(&self, board: &Path, args: &[&str], code: i32) -> String {
        let (stdout, stderr) = exited(&self.run_in(board, args, "UTC"), args, code);
        assert!(stdout.is_empty(), "{args:?}");
        stderr
    }

    fn board(&self) -> PathBuf {
        let p = self.path("team.db");
        self.ok(&p, &["init"]);
        p
    }
}

fn activity_count(board: &Path) -> i64 {
    rusqlite::Connection::open(board)
        .unwrap()
        .query_row("SELECT count(*) FROM activity", [], |r| r.get(0))
        .unwrap()
}

fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

// ---------------------------------------------------------------- items

#[test]
fn item_add_is_yours_with_detail_and_risk_and_show_prints_every_field() {
    let env = Env::new();
    let p = env.board();
    let out = env.ok(
        &p,
        &[
            "item",
            "add",
            "Call the supplier",
            "--detail",
            "Ask for\nFriday",
            "--risk",
            "Annoying them",
            "--stage",
            "receive",
        ],
    );
    assert_eq!(out, "added #9 'Call the supplier' to Plan\n");
    env.ok(&p, &["item", "comment", "9", "Rang, no answer"]);
    let shown = env.ok(&p, &["item", "show", "9"]);
    for line in [
        "#9 Call the supplier\n",
        // How long in its column, in the wall's words.
        " (today)\n",
        "  owner    alice\n",
        "  stage    Receive\n",
        "  risk     Annoying them\n",
        "  detail\n    Ask for\n    Friday\n",
        "  comments (1)\n",
        "alice: Rang, no answer\n",
    ] {
        assert!(shown.contains(line), "{line:?} missing:\n{shown}");
    }
    let v = json(&env.ok(&p, &["item", "show", "9", "--json"]));
    assert_eq!(v["owner"], "alice");
    assert_eq!(v["detail"], "Ask for\nFriday");
    assert_eq!(v["risk"], "Annoying them");
    assert_eq!(v["stage"], "Receive");
    assert_eq!(v["uid"].as_str().unwrap().len(), 36);
    assert_eq!(v["comments"][0]["text"], "Rang, no answer");
    // Times carry their offset (UTC here: +00:00).
    assert!(v["created_at"].as_str().unwrap().ends_with("+00:00"), "{v}");
    // --owner "" still says nobody.
    env.ok(&p, &["item", "add", "Nobody's", "--owner", ""]);
    assert_eq!(
        json(&env.ok(&p, &["item", "show", "10", "--json"]))["owner"],
        ""
    );
    // Refusals name the value; nothing is written.
    let before = activity_count(&p);
    let err = env.fails(&p, &["item", "show", "99"], 1);
    assert!(err.contains("no item with id 99"), "{err}");
    let err = env.fails(&p, &["item", "add", "X", "--stage", "Nowhere"], 1);
    assert!(err.contains("unknown stage 'Nowhere'"), "{err}");
    assert_eq!(activity_count(&p), before);
}

#[test]
fn item_delete_needs_yes_without_a_terminal() {
    let env = Env::new();
    let p = env.board();
    let before = activity_count(&p);
    let err = env.fails(&p, &["item", "delete", "3"], 1);
    assert!(
        err.contains("#3 'Refund missing items in one tap' and its 2 comments")
            && err.contains("nothing was deleted")
            && err.contains("--yes"),
        "{err}"
    );
    assert_eq!(activity_count(&p), before, "nothing written");
    let out = env.ok(&p, &["item", "delete", "3", "--yes"]);
    assert_eq!(
        out,
        "deleted #3 'Refund missing items in one tap' and its 2 comments\n"
    );
    let err = env.fails(&p, &["item", "delete", "3", "--yes"], 1);
    assert!(err.contains("no item with id 3"), "{err}");
}

// ---------------------------------------------------------------- mission, personas, stages, feelings

#[test]
fn mission_set_changes_what_it_is_given() {
    let env = Env::new();
    let p = env.board();
    env.ok(&p, &["mission", "set", "--customer", "Everyone nearby"]);
    let doc = exchange::parse(&env.ok(&p, &["export"]), Format::Json).unwrap();
    assert_eq!(doc.mission.customer, "Everyone nearby");
    assert!(
        doc.mission
            .statement
            .starts_with("We bring fresh groceries")
    );
    env.ok(&p, &["mission", "set", "--statement", "Food, fast"]);
    let doc = exchange::parse(&env.ok(&p, &["export"]), Format::Json).unwrap();
    assert_eq!(doc.mission.statement, "Food, fast");
    assert_eq!(doc.mission.customer, "Everyone nearby");
    let err = env.fails(&p, &["mission", "set"], 2);
    assert!(
        err.contains("--statement") && err.contains("--customer"),
        "{err}"
    );
}

#[test]
fn personas_are_added_edited_listed_and_deleted_with_the_walls_rules() {
    let env = Env::new();
    let p = env.board();
    let out = env.ok(
        &p,
        &[
            "persona",
            "add",
            "Zoë",
            "--role",
            "Student",
            "--quote",
            "Cheap, please",
        ],
    );
    assert_eq!(out, "added persona 'Zoë'\n");
    let err = env.fails(&p, &["persona", "add", "MARIA"], 1);
    assert!(
        err.contains("a persona named 'Maria' already exists"),
        "{err}"
    );
    let err = env.fails(&p, &["persona", "add", "  "], 1);
    assert!(err.contains("needs a name"), "{err}");
    env.ok(
        &p,
        &[
            "persona", "edit", "zoë", "--goal", "Eat well", "--name", "Zoe",
        ],
    );
    let err = env.fails(&p, &["persona", "edit", "Marla", "--goal", "x"], 1);
    assert!(err.contains("unknown persona 'Marla'"), "{err}");
    let err = env.fails(&p, &["persona", "edit", "Zoe", "--name", "ben"], 1);
    assert!(
        err.contains("a persona named 'Ben' already exists"),
        "{err}"
    );
    let list = env.ok(&p, &["persona", "list"]);
    assert_eq!(
        list.lines().collect::<Vec<_>>(),
        [
            "Maria — Working parent of two  (3 items open)",
            "Ben — Retired teacher, new to shopping apps  (1 item open)",
            "Priya — Owner of a small café  (2 items open)",
            "Sam — Picker on the early shift (employee)  (0 items open)",
            "Zoe — Student  (0 items open)",
        ]
    );
    let v = json(&env.ok(&p, &["persona", "list", "--json"]));
    assert_eq!(v[3]["side"], "employee");
    assert_eq!(v[4]["name"], "Zoe");
    assert_eq!(v[4]["goal"], "Eat well");
    assert_eq!(v[4]["quote"], "Cheap, please");
    assert_eq!(v[4]["side"], "customer");
    assert_eq!(v[0]["evidence"], 2, "Maria's evidence");
    // Maria has items: only with --yes, and they stay, unlinked.
    let before = activity_count(&p);
    let err = env.fails(&p, &["persona", "delete", "maria"], 1);
    assert!(
        err.contains("persona 'Maria' is served by 3 items")
            && err.contains("nothing was deleted")
            && err.contains("--yes"),
        "{err}"
    );
    assert_eq!(activity_count(&p), before);
    let out = env.ok(&p, &["persona", "delete", "maria", "--yes"]);
    assert_eq!(out, "deleted persona 'Maria' (3 items stay, unlinked)\n");
    assert_eq!(
        env.ok(&p, &["persona", "delete", "Zoe"]),
        "deleted persona 'Zoe'\n"
    );
    let err = env.fails(&p, &["persona", "delete", "Zoe"], 1);
    assert!(err.contains("unknown persona 'Zoe'"), "{err}");
    let items = json(&env.ok(&p, &["item", "list", "--json"]));
    assert_eq!(items.as_array().unwrap().len(), 8, "items stay");
}

#[test]
fn stages_are_added_in_place_edited_listed_and_deleted_with_the_walls_rules() {
    let env = Env::new();
    let p = env.board();
    let out = env.ok(
        &p,
        &[
            "stage",
            "add",
            "Unpack",
            "--after",
            "receive",
            "--goal",
            "Put it away",
            "--metric-name",
            "minutes to unpack",
            "--target",
            "10",
            "--unit",
            "min",
            "--better",
            "lower",
        ],
    );
    assert_eq!(out, "added stage 'Unpack'\n");
    let names = |env: &Env| -> Vec<String> {
        json(&env.ok(&p, &["stage", "list", "--json"]))
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["name"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        names(&env),
        [
            "Discover",
            "Choose",
            "Order & pay",
            "Wait for delivery",
            "Receive",
            "Unpack",
            "Get help"
        ]
    );
    let v = json(&env.ok(&p, &["stage", "list", "--json"]));
    assert_eq!(v[5]["metric"]["better"], "lower");
    assert_eq!(v[5]["metric"]["target"], 10.0);
    assert_eq!(v[5]["customer_goal"], "Put it away");
    assert!(
        v[6]["history"].as_array().unwrap().is_empty(),
        "no history for Get help yet"
    );
    env.ok(
        &p,
        &[
            "stage", "edit", "unpack", "--after", "Discover", "--name", "Unbox",
        ],
    );
    assert_eq!(names(&env)[1], "Unbox");
    let list = env.ok(&p, &["stage", "list"]);
    assert!(
        list.contains("2. Unbox  minutes to unpack: ? / 10 min (lower is better)  (0 items open)"),
        "{list}"
    );
    // Refusals: a duplicate, an unknown name, a bad direction, after itself.
    let err = env.fails(&p, &["stage", "add", "choose"], 1);
    assert!(
        err.contains("a stage named 'Choose' already exists"),
        "{err}"
    );
    let err = env.fails(&p, &["stage", "add", "X", "--after", "Nowhere"], 1);
    assert!(err.contains("unknown stage 'Nowhere'"), "{err}");
    let err = env.fails(&p, &["stage", "add", "X", "--better", "up"], 2);
    assert!(err.contains("invalid direction 'up'"), "{err}");
    let err = env.fails(&p, &["stage", "edit", "Unbox", "--after", "unbox"], 1);
    assert!(err.contains("cannot go after itself"), "{err}");
    assert_eq!(names(&env).len(), 7, "nothing was added by the refusals");
    // A stage with items: only with --yes.
    let err = env.fails(&p, &["stage", "delete", "Get help"], 1);
    assert!(
        err.contains("stage 'Get help' is served by 1 item") && err.contains("--yes"),
        "{err}"
    );
    assert_eq!(names(&env).len(), 7);
    env.ok(&p, &["stage", "delete", "Get help", "--yes"]);
    env.ok(&p, &["stage", "delete", "Unbox"]);
    assert_eq!(names(&env).len(), 5);
    let items = json(&env.ok(&p, &["item", "list", "--json"]));
    assert_eq!(items.as_array().unwrap().len(), 8, "items stay");
}

#[test]
fn feel_sets_a_score_and_note_and_refuses_what_is_out_of_range() {
    let env = Env::new();
    let p = env.board();
    assert_eq!(
        env.ok(
            &p,
            &[
                "feel",
                "ben",
                "get help",
                "-2",
                "--note",
                "Could not find the chat"
            ]
        ),
        "Ben at Get help: −2 (Could not find the chat)\n"
    );
    // Without --note the note stays; "+1" and a real minus sign read too.
    assert_eq!(
        env.ok(&p, &["feel", "Ben", "Get help", "+1"]),
        "Ben at Get help: +1 (Could not find the chat)\n"
    );
    assert_eq!(
        env.ok(&p, &["feel", "Ben", "Get help", "−1"]),
        "Ben at Get help: −1 (Could not find the chat)\n"
    );
    let doc = exchange::parse(&env.ok(&p, &["export"]), Format::Json).unwrap();
    let f = doc
        .feelings
        .iter()
        .find(|f| f.persona == "Ben" && f.stage == "Get help")
        .unwrap();
    assert_eq!((f.score, f.note.as_str()), (-1, "Could not find the chat"));
    let err = env.fails(&p, &["feel", "Ben", "Get help", "3"], 2);
    assert!(err.contains("invalid score '3'"), "{err}");
    let err = env.fails(&p, &["feel", "Bob", "Get help", "1"], 1);
    assert!(err.contains("unknown persona 'Bob'"), "{err}");
    let err = env.fails(&p, &["feel", "Ben", "Pay", "1"], 1);
    assert!(err.contains("unknown stage 'Pay'"), "{err}");
}

// ---------------------------------------------------------------- stand-ups

/// Two stand-ups (one with two parked topics, one resolved and one made an item).
fn with_two_standups(p: &Path) {
    let t = |s: &str| s.parse::<Timestamp>().unwrap();
    let mut store = Store::open(p, "alice").unwrap();
    store
        .record_standup(
            &kit::fixture::held_at(&store, t("2026-11-20T09:00:00Z")),
            t("2026-11-20T09:12:00Z"),
            "alice",
            &[],
        )
        .unwrap();
    let topics = [
        ("Holiday rota".to_owned(), t("2026-11-22T09:03:00Z")),
        ("Café pricing".to_owned(), t("2026-11-22T09:05:00Z")),
        ("Printer budget".to_owned(), t("2026-11-22T09:06:00Z")),
    ];
    store
        .record_standup(
            &kit::fixture::held_at(&store, t("2026-11-22T09:00:00Z")),
            t("2026-11-22T09:14:00Z"),
            "bob",
            &topics,
        )
        .unwrap();
    let board = store.load_board().unwrap();
    store.resolve_topic(&board.parked[1]).unwrap();
    let item = Item {
        title: "Printer budget".into(),
        status: Status::Plan,
        ..Item::default()
    };
    store.add_item_from_topic(item, &board.parked[2]).unwrap();
}

#[test]
fn standup_list_report_by_id_and_parked() {
    let env = Env::new();
    let p = env.board();
    // No stand-up yet: nothing to report is an error; an empty list is an answer.
    let err = env.fails(&p, &["standup", "report"], 1);
    assert!(
        err.starts_with("obeya: no stand-up has been held on this board yet"),
        "{err}"
    );
    let out = env.run(&p, &["standup", "list"]);
    let (stdout, stderr) = kit::cli::texts(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert_eq!(stdout, "no stand-up has been held on this board yet\n");
    assert!(stderr.is_empty(), "{stderr}");
    assert_eq!(env.ok(&p, &["standup", "list", "--json"]), "[]\n");
    with_two_standups(&p);
    let list = env.ok(&p, &["standup", "list"]);
    assert_eq!(
        list.lines().collect::<Vec<_>>(),
        [
            "#1   2026-11-20 09:00–09:12 +00:00  alice  12 min  no changes · 0 parked topics",
            "#2   2026-11-22 09:00–09:14 +00:00  bob  14 min  no changes · 3 parked topics",
        ]
    );
    let v = json(&env.ok(&p, &["standup", "list", "--json"]));
    assert_eq!(v[1]["facilitator"], "bob");
    assert_eq!(v[1]["minutes"], 14);
    assert_eq!(v[1]["started_at"], "2026-11-22T09:00:00+00:00");
    assert_eq!(v[1]["counts"]["parked"], 3);
    let first = env.ok(&p, &["standup", "report", "--id", "1"]);
    assert!(
        first.starts_with("# Stand-up 2026-11-20 09:00–09:12 (UTC)\n"),
        "{first}"
    );
    let last = env.ok(&p, &["standup", "report"]);
    assert!(last.contains("Facilitator: bob · 14 min"), "{last}");
    assert!(
        last.contains("- Holiday rota (alice)\n- Café pricing (alice)"),
        "{last}"
    );
    assert_eq!(env.ok(&p, &["standup", "report", "--id", "2"]), last);
    let err = env.fails(&p, &["standup", "report", "--id", "7"], 1);
    assert!(err.contains("no stand-up #7"), "{err}");
    // Only the open topic is left in the parking lot.
    assert_eq!(
        env.ok(&p, &["standup", "parked"]),
        "#1   Holiday rota  (alice, 2026-11-22 09:03 +00:00)\n"
    );
    let v = json(&env.ok(&p, &["standup", "parked", "--json"]));
    assert_eq!(v.as_array().unwrap().len(), 1);
    assert_eq!(v[0]["text"], "Holiday rota");
    assert_eq!(v[0]["standup"], 2);
}

// ---------------------------------------------------------------- the exchange

/// A board with everything an export carries: comments, WIP limits, metric history,
/// two stand-ups and parked topics (open, resolved, made an item), feelings' notes.
fn full_board(env: &Env) -> PathBuf {
    let p = env.board();
    with_two_standups(&p);
    let mut store = Store::open(&p, "alice").unwrap();
    store.set_wip_limit(Status::Do, Some(3)).unwrap();
    store.set_wip_limit(Status::Check, Some(2)).unwrap();
    let board = store.load_board().unwrap();
    let stage = board.stages.iter().find(|s| s.name == "Get help").unwrap();
    let stage = store.set_metric_actual(stage, 64.5).unwrap();
    store.set_metric_actual(&stage, 71.0).unwrap();
    p
}

#[test]
fn export_import_into_an_empty_board_export_gives_identical_bytes() {
    let env = Env::new();
    let p = full_board(&env);
    for format in ["json", "toml"] {
        let once = env.ok(&p, &["export", "--format", format]);
        for needle in [
            "wip_limits",
            "history",
            "standups",
            "parked",
            "uid",
            "Holiday rota",
        ] {
            assert!(once.contains(needle), "{format}: no {needle} in\n{once}");
        }
        let file = env.path(&format!("board.{format}"));
        std::fs::write(&file, &once).unwrap();
        let empty = env.path(&format!("empty-{format}.db"));
        env.ok(&empty, &["init", "--empty"]);
        env.ok(&empty, &["import", file.to_str().unwrap()]);
        let again = env.ok(&empty, &["export", "--format", format]);
        assert_eq!(once, again, "{format} does not round-trip");
        // In another zone, the same bytes.
        assert_eq!(
            env.ok_in(&empty, &["export", "--format", format], "Asia/Kolkata"),
            once
        );
        // Re-importing a board's own export changes nothing.
        let before = activity_count(&p);
        let out = env.ok(&p, &["import", file.to_str().unwrap()]);
        assert!(out.ends_with("added nothing; updated nothing\n"), "{out}");
        assert_eq!(activity_count(&p), before);
        assert_eq!(env.ok(&p, &["export", "--format", format]), once);
    }
    // What came across: the stand-ups' summaries, the topics' states, the history.
    let empty = env.path("empty-json.db");
    assert_eq!(
        env.ok(&empty, &["standup", "report", "--id", "2"]),
        env.ok(&p, &["standup", "report", "--id", "2"])
    );
    assert_eq!(
        env.ok(&empty, &["standup", "parked"]),
        env.ok(&p, &["standup", "parked"])
    );
    let v = json(&env.ok(&empty, &["stage", "list", "--json"]));
    let help = v
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Get help")
        .unwrap();
    assert_eq!(help["history"].as_array().unwrap().len(), 2);
}

#[test]
fn importing_the_same_document_twice_changes_nothing_the_second_time() {
    let env = Env::new();
    let source = full_board(&env);
    // A document someone fixed by hand: items without ids or uids, as often happens.
    let mut doc = exchange::parse(&env.ok(&source, &["export"]), Format::Json).unwrap();
    for i in &mut doc.items {
        i.id = None;
        i.uid.clear();
        i.comments.iter_mut().for_each(|c| {
            c.uid.clear();
            c.at = None;
        });
    }
    doc.parked.iter_mut().for_each(|t| t.item = None);
    let file = env.path("fixed.json");
    std::fs::write(&file, exchange::to_json(&doc)).unwrap();
    let p = env.path("other.db");
    env.ok(&p, &["init"]);
    let first = env.ok(&p, &["import", file.to_str().unwrap()]);
    assert!(first.contains("added"), "{first}");
    let after_first = env.ok(&p, &["export"]);
    let before = activity_count(&p);
    let second = env.ok(&p, &["import", file.to_str().unwrap()]);
    assert!(
        second.ends_with("added nothing; updated nothing\n"),
        "{second}"
    );
    assert_eq!(activity_count(&p), before, "nothing written");
    assert_eq!(env.ok(&p, &["export"]), after_first);
    let items = json(&env.ok(&p, &["item", "list", "--json"]));
    assert_eq!(items.as_array().unwrap().len(), 9, "no item twice");
}

#[test]
fn import_matches_uid_first_then_id() {
    let env = Env::new();
    let p = env.board();
    let mut doc = exchange::parse(&env.ok(&p, &["export"]), Format::Json).unwrap();
    // Same uid, another id: the uid wins (the item is updated, not added).
    doc.items[0].id = Some(500);
    doc.items[0].title = "Renamed".into();
    // Same id, another uid: another item (added with a new id).
    doc.items[1].uid = "0e6c9f0e-6b8c-4c1e-9a43-000000000001".into();
    doc.items[1].title = "A stranger".into();
    let file = env.path("doc.json");
    std::fs::write(&file, exchange::to_json(&doc)).unwrap();
    let out = env.ok(&p, &["import", file.to_str().unwrap()]);
    // The stranger is the document's item #2: the evidence that supports #2 there is
    // linked to it too.
    assert!(
        out.contains("added 1 item, 1 evidence link; updated 1 item"),
        "{out}"
    );
    let after = exchange::parse(&env.ok(&p, &["export"]), Format::Json).unwrap();
    assert_eq!(after.items.len(), 9);
    assert!(
        after
            .items
            .iter()
            .any(|i| i.title == "Renamed" && i.id != Some(500))
    );
    let stranger = after
        .items
        .iter()
        .find(|i| i.title == "A stranger")
        .unwrap();
    assert_eq!(stranger.uid, "0e6c9f0e-6b8c-4c1e-9a43-000000000001");
    // Uids are unique within a document.
    doc.items[2].uid = doc.items[3].uid.clone();
    std::fs::write(&file, exchange::to_json(&doc)).unwrap();
    let err = env.fails(&p, &["import", file.to_str().unwrap()], 1);
    assert!(err.contains("duplicate item uid"), "{err}");
}

// ---------------------------------------------------------------- one clock

/// The same moments read in two zones: the log, the detail view (the wall's) and the
/// stand-up report each show them in the zone's local time, labelled.
#[test]
fn the_log_the_detail_view_and_the_report_show_the_same_local_time_in_two_zones() {
    let env = Env::new();
    let p = env.board();
    with_two_standups(&p);
    // A comment made at 09:05 UTC on 22 November, and its activity row.
    let store = Store::open(&p, "alice").unwrap();
    store
        .conn()
        .execute_batch(
            "UPDATE comment SET at = '2026-11-22T09:05:00Z' WHERE id = 1;
             UPDATE activity SET at = '2026-11-22T09:05:00Z'
              WHERE entity = 'comment' AND entity_id = 1;",
        )
        .unwrap();
    drop(store);
    for (zone, comment, standup, label) in [
        (
            "Asia/Kolkata",
            "2026-11-22 14:35 +05:30",
            "2026-11-22 14:30–14:44",
            "UTC+05:30",
        ),
        (
            "America/New_York",
            "2026-11-22 04:05 -05:00",
            "2026-11-22 04:00–04:14",
            "UTC−05:00",
        ),
    ] {
        let log = env.ok_in(&p, &["log"], zone);
        assert!(
            log.lines().any(|l| l.starts_with(&format!("{comment}  "))),
            "{zone}: {comment} not in the log:\n{log}"
        );
        let report = env.ok_in(&p, &["standup", "report"], zone);
        assert!(
            report.starts_with(&format!("# Stand-up {standup} ({label})\n")),
            "{zone}:\n{report}"
        );
        let shown = env.ok_in(&p, &["item", "show", "3"], zone);
        assert!(
            shown.contains(&format!("    {comment}  bob: ")),
            "{zone}:\n{shown}"
        );
        let v = json(&env.ok_in(&p, &["log", "--json"], zone));
        let row = v
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["entity"] == "comment" && r["entity_id"] == 1)
            .unwrap();
        let rfc = comment.replacen(' ', "T", 1).replace(' ', ":00");
        assert_eq!(row["at"], rfc, "{zone}");
        // The wall's detail view of the item, in the same zone.
        let mut app = kit::drive::app_on(&p, "alice");
        app.set_time_zone(jiff::tz::TimeZone::get(zone).unwrap());
        kit::drive::select_item(&mut app, "Refund missing items in one tap");
        kit::drive::cmd(&mut app, obeya::keymap::Command::Open);
        let detail = app.detail(obeya::app::Pane::Improvements);
        let comments = &detail
            .fields
            .iter()
            .find(|(l, _)| l == "Comments")
            .unwrap()
            .1;
        assert!(
            comments.contains(&format!("{comment}  bob: ")),
            "{zone}: {comments}"
        );
        // --since is a day in the zone: the comment counts from its local day on.
        let since = &comment[..10];
        let log = env.ok_in(&p, &["log", "--since", since], zone);
        assert!(log.contains(comment), "{zone}: --since {since}:\n{log}");
    }
}

#[test]
fn the_log_shows_the_text_that_lost_a_conflict() {
    let env = Env::new();
    let p = env.board();
    let mut store = Store::open(&p, "bob").unwrap();
    let board = store.load_board().unwrap();
    let mut mine = board.item(1).unwrap().clone();
    mine.title = "Bob's lost title".into();
    store
        .note_discarded(&mine.into(), "kept alice's version of #1; discarded mine")
        .unwrap();
    drop(store);
    let log = env.ok(&p, &["log"]);
    assert!(
        log.contains(
            "bob  kept alice's version of #1; discarded mine\n    lost title: Bob's lost title\n"
        ),
        "{log}"
    );
}

/// Issue 22: one rule each. A name is the same name under Unicode case folding on the
/// command line, in the store's SQL and on the wall's "my items"; numbers read as the
/// form reads them.
#[test]
fn non_ascii_names_numbers_and_mine_follow_the_one_rule_everywhere() {
    let env = Env::new();
    let p = env.board();
    env.ok(&p, &["persona", "add", "Zoë"]);
    let err = env.fails(&p, &["persona", "add", "ZOË"], 1);
    assert!(
        err.contains("a persona named 'Zoë' already exists"),
        "{err}"
    );
    env.ok(&p, &["stage", "add", "Straße"]);
    let err = env.fails(&p, &["stage", "add", " STRASSE "], 1);
    assert!(
        err.contains("a stage named 'Straße' already exists"),
        "{err}"
    );
    // Named in any case, found.
    env.ok(
        &p,
        &[
            "item",
            "add",
            "Bike lanes",
            "--persona",
            "zoË",
            "--stage",
            "strasse",
        ],
    );

    // "Mine": Zoë's items, whichever way her name is written on them.
    for (title, owner) in [
        ("One", "Zoë"),
        ("Two", "ZOË"),
        ("Three", " zoë "),
        ("Four", "Zoe"),
    ] {
        env.ok(&p, &["item", "add", title, "--owner", owner]);
    }
    let mine = env
        .cmd()
        .env("OBEYA_USER", "ZOË")
        .args(["item", "list", "--mine", "--json", "--db"])
        .arg(&p)
        .output()
        .unwrap();
    let mine = json(&succeeded(&mine, &["item", "list", "--mine"]));
    let titles: Vec<&str> = mine
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["One", "Two", "Three"]);
    let store = Store::open(&p, "ZOË").unwrap();
    let sieve = store
        .sieve(&obeya::store::CardFilter {
            text: String::new(),
            owner: Some("ZOË".into()),
        })
        .unwrap();
    assert_eq!(store.column_counts(&sieve).unwrap(), [3, 0, 0, 0, 0]);
    let cards = store.cards(Status::Plan, &sieve, 0, 10, 3).unwrap();
    let titles: Vec<&str> = cards.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(
        titles,
        ["One", "Two", "Three"],
        "the wall's cards are the CLI's"
    );

    // Numbers as a person writes them: a decimal comma, a percent sign.
    env.ok(&p, &["stage", "edit", "Get help", "--target", "71,5"]);
    let out = env.ok(&p, &["metric", "set", "get help", "93 %"]);
    assert!(out.contains("93 % / 71.5 %"), "{out}");
    let err = env.fails(&p, &["metric", "set", "Get help", "1.000,5"], 2);
    assert!(err.contains("invalid number '1.000,5'"), "{err}");
}

/// A team that shares files through a group keeps its umask 002: the board obeya makes
/// and the export it writes are group-writable, as any file the team makes there.
#[test]
fn init_and_export_follow_the_umask_so_a_group_can_share_the_board() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::new();
    let board = env.path("team.db");
    let export = env.path("team.json");
    let in_group = |args: &[&std::ffi::OsStr]| {
        let out = env
            .cmd_for("sh")
            .arg("-c")
            .arg("umask 002; exec \"$@\"")
            .arg("sh")
            .arg(&env.bin)
            .args(args)
            .output()
            .unwrap();
        succeeded(&out, &["(umask 002)"]);
    };
    in_group(&["init".as_ref(), "--db".as_ref(), board.as_os_str()]);
    in_group(&[
        "export".as_ref(),
        "--db".as_ref(),
        board.as_os_str(),
        "--output".as_ref(),
        export.as_os_str(),
    ]);
    for file in [&board, &export] {
        let mode = std::fs::metadata(file).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o664, "{}: {mode:o}", file.display());
    }
}

/// With no OBEYA_USER, no config and no USER or LOGNAME (a cron job, a bare ssh
/// command), a change is credited to the account's name from the password database.
#[test]
fn without_a_name_anywhere_the_password_database_names_the_author() {
    let env = Env::new();
    let board = env.board();
    let account = std::process::Command::new("id")
        .arg("-un")
        .output()
        .unwrap();
    let account = String::from_utf8(account.stdout).unwrap().trim().to_owned();
    let out = env
        .cmd()
        .env_remove("OBEYA_USER")
        .env_remove("USER")
        .env_remove("LOGNAME")
        .args(["item", "add", "From cron", "--db"])
        .arg(&board)
        .output()
        .unwrap();
    succeeded(&out, &["item", "add"]);
    let items = json(&env.ok(&board, &["item", "list", "--json"]));
    let item = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["title"] == "From cron")
        .unwrap();
    assert!(!account.is_empty());
    assert_eq!(item["owner"], account.as_str(), "{item}");
}
