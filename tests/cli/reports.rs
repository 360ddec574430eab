//! `obeya log`, `obeya coverage` and `obeya metric set` on a real starter board.

use assert_cmd::Command;
use serde_json::{Value, json};

struct Board {
    dir: tempfile::TempDir,
}

impl Board {
    fn starter() -> Board {
        let b = Board {
            dir: tempfile::tempdir().unwrap(),
        };
        b.obeya(&["init"]).assert().success();
        b
    }

    fn db(&self) -> std::path::PathBuf {
        self.dir.path().join("team.db")
    }

    fn obeya(&self, args: &[&str]) -> Command {
        let mut c = Command::new(crate::OBEYA);
        c.env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("OBEYA_DB", self.db())
            .env("OBEYA_USER", "alice")
            .args(args);
        c
    }

    fn stdout(&self, args: &[&str]) -> String {
        let out = self.obeya(args).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    }

    fn sql<T: rusqlite::types::FromSql>(&self, q: &str) -> T {
        rusqlite::Connection::open(self.db())
            .unwrap()
            .query_row(q, [], |r| r.get(0))
            .unwrap()
    }
}

#[test]
fn metric_set_records_the_value_its_history_and_an_activity_row() {
    let b = Board::starter();
    let out = b.stdout(&["metric", "set", "get HELP", "71"]);
    assert!(
        out.contains("Get help: refunds paid within 24 h: 71 % / 90 % — missed by 19 %"),
        "{out}"
    );
    b.stdout(&["metric", "set", "Get help", "93.5"]);
    let actual: f64 = b.sql("SELECT metric_actual FROM stage WHERE name = 'Get help'");
    assert_eq!(actual, 93.5);
    let history: String = b.sql("SELECT group_concat(value, ',') FROM metric_value");
    assert_eq!(history, "71.0,93.5");
    let logged: i64 = b.sql("SELECT count(*) FROM activity WHERE entity = 'stage' AND action = 'update' AND who = 'alice'");
    assert_eq!(logged, 2);
}

#[test]
fn metric_set_refuses_an_unknown_stage_or_a_non_number_and_writes_nothing() {
    let b = Board::starter();
    let before = std::fs::read(b.db()).unwrap();
    let out = b
        .obeya(&["metric", "set", "Checkout", "50"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown stage 'Checkout'"));
    let out = b
        .obeya(&["metric", "set", "Receive", "lots"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "a usage error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("lots"));
    assert_eq!(std::fs::read(b.db()).unwrap(), before);
}

#[test]
fn log_lists_who_did_what_and_filters_by_day() {
    let b = Board::starter();
    b.stdout(&["item", "add", "Zoë's refund 🚀", "--status", "do"]);
    b.stdout(&["item", "move", "9", "check"]);
    let log = b.stdout(&["log"]);
    let last: Vec<&str> = log.lines().rev().take(2).collect();
    assert!(
        last[0].contains("alice  moved #9 'Zoë's refund 🚀' to Check"),
        "{log}"
    );
    assert!(
        last[1].contains("alice  added #9 'Zoë's refund 🚀' to Do"),
        "{log}"
    );
    assert_eq!(b.stdout(&["log", "--since", "2999-01-01"]), "");
    let json: Value = serde_json::from_str(&b.stdout(&["log", "--json"])).unwrap();
    let rows = json.as_array().unwrap();
    assert_eq!(
        rows.last().unwrap()["summary"],
        "moved #9 'Zoë's refund 🚀' to Check"
    );
    assert_eq!(rows.last().unwrap()["who"], "alice");
    let bad = b.obeya(&["log", "--since", "2026-13-01"]).output().unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("2026-13-01"));
}

#[test]
fn coverage_shows_feelings_open_items_and_pains_nobody_works_on() {
    let b = Board::starter();
    let json: Value = serde_json::from_str(&b.stdout(&["coverage", "--json"])).unwrap();
    let cells = json["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 4 * 6, "every persona at every stage");
    let maria_help = cells
        .iter()
        .find(|c| c["persona"] == "Maria" && c["stage"] == "Get help")
        .unwrap();
    assert_eq!(maria_help["feeling"], -2);
    assert_eq!(maria_help["open_items"], 1);
    let unlinked = json["unlinked_items"].as_array().unwrap();
    assert!(unlinked[0].as_str().unwrap().contains("New label printers"));
    // Discover has pains and no open item; giving it one takes it off the list.
    assert!(
        json["pains_without_action"]
            .as_array()
            .unwrap()
            .contains(&Value::from("Discover"))
    );
    b.stdout(&[
        "item",
        "add",
        "Show the delivery fee up front",
        "--stage",
        "Discover",
    ]);
    let json: Value = serde_json::from_str(&b.stdout(&["coverage", "--json"])).unwrap();
    assert!(
        !json["pains_without_action"]
            .as_array()
            .unwrap()
            .contains(&Value::from("Discover"))
    );
    let text = b.stdout(&["coverage"]);
    assert!(
        text.contains("Maria") && text.contains("−2 / 1 open"),
        "{text}"
    );
    // What was heard: Maria's one quote at Get help, −2; the complaint there names nobody.
    let heard = |persona: Value, stage: &str| -> Value {
        json["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["persona"] == persona && c["stage"] == stage)
            .cloned()
            .unwrap()
    };
    let maria_help = heard(Value::from("Maria"), "Get help");
    assert_eq!(
        (maria_help["count"].clone(), maria_help["heard"].clone()),
        (json!(1), json!(-2.0))
    );
    assert_eq!(heard(Value::Null, "Get help")["count"], 1);
    // Discover hurts and nobody has heard it; the new item has no evidence.
    assert!(
        json["pains_without_evidence"]
            .as_array()
            .unwrap()
            .contains(&Value::from("Discover"))
    );
    let unheard_items = json["items_without_evidence"].as_array().unwrap();
    assert!(unheard_items.iter().any(|i| {
        i.as_str()
            .unwrap()
            .contains("Show the delivery fee up front")
    }));
    assert!(text.contains("Pains without evidence: Discover"), "{text}");
    // Negative evidence at a stage with no open item: none at first; closing the only
    // open item at Get help makes it one.
    assert!(
        json["negative_evidence_without_action"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    b.stdout(&["item", "move", "3", "done"]);
    let json: Value = serde_json::from_str(&b.stdout(&["coverage", "--json"])).unwrap();
    assert_eq!(
        json["negative_evidence_without_action"],
        json!([{ "stage": "Get help", "negative": 2 }])
    );
    assert!(
        b.stdout(&["coverage"])
            .contains("Negative evidence with no open item: Get help (2 negative)")
    );
}

#[test]
fn a_lower_is_better_metric_is_met_below_target_and_missed_above_in_metric_set_and_markdown() {
    let b = Board::starter();
    // Receive: "missing items per 100 orders", target 2, lower is better.
    let out = b.stdout(&["metric", "set", "Receive", "3"]);
    assert!(
        out.contains("missing items per 100 orders: 3 / 2 (lower is better) — missed by 1"),
        "{out}"
    );
    let md = b.stdout(&["export", "--format", "md"]);
    assert!(md.contains("3 / 2 (lower is better) — missed by 1"), "{md}");
    let out = b.stdout(&["metric", "set", "Receive", "1.5"]);
    assert!(
        out.contains("1.5 / 2 (lower is better) — met by 0.5"),
        "{out}"
    );
    let md = b.stdout(&["export", "--format", "md"]);
    assert!(
        md.contains("1.5 / 2 (lower is better) — met by 0.5"),
        "{md}"
    );
    // The direction travels in the exchange format.
    let json = b.stdout(&["export", "--format", "json"]);
    assert!(json.contains("\"better\": \"lower\""), "{json}");
}
