//! Metrics that live, from the command line (issue 24): backdated readings typed out of
//! order; a realistic CSV export imported twice; bands on a lower-is-better metric
//! around its target; an item taken from Do to Check that reports how its metric moved;
//! the customer index with its history.

use serde_json::Value;

use super::evidence::{Env, json};

fn values(list: &Value) -> Vec<(String, f64)> {
    list[0]["readings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["at"].as_str().unwrap()[..10].to_owned(),
                r["value"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn backdated_readings_typed_out_of_order_are_kept_in_date_order() {
    let env = Env::new();
    let b = env.board();
    env.ok(
        &b,
        &["metric", "set", "Get help", "71", "--at", "2026-11-20"],
    );
    let out = env.ok(
        &b,
        &["metric", "set", "Get help", "55", "--at", "2026-11-01"],
    );
    // The backdated reading is recorded, but the newer one stands as the actual value.
    assert!(out.contains("recorded 55 % for 2026-11-01"), "{out}");
    assert!(out.contains("71 % / 90 %"), "{out}");
    env.ok(
        &b,
        &[
            "metric",
            "set",
            "get HELP",
            "64,5",
            "--at",
            "2026-11-10 09:30",
        ],
    );
    let list = json(&env.ok(&b, &["metric", "list", "Get help", "--json"]));
    assert_eq!(
        values(&list),
        [
            ("2026-11-01".to_owned(), 55.0),
            ("2026-11-10".to_owned(), 64.5),
            ("2026-11-20".to_owned(), 71.0)
        ]
    );
    assert_eq!(list[0]["actual"], 71.0);
    let text = env.ok(&b, &["metric", "list", "Get help"]);
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s} in {text}"));
    assert!(at("2026-11-01 00:00") < at("2026-11-10 09:30"));
    assert!(at("2026-11-10 09:30") < at("2026-11-20 00:00"));
    // A reading dated now is newer than all of them, and becomes the actual value.
    env.ok(&b, &["metric", "set", "Get help", "80"]);
    let list = json(&env.ok(&b, &["metric", "list", "Get help", "--json"]));
    assert_eq!(list[0]["actual"], 80.0);
    // A date that is not one is refused, and nothing is recorded.
    let err = env.fails(
        &b,
        &["metric", "set", "Get help", "1", "--at", "2026-02-30"],
        1,
    );
    assert!(err.contains("invalid date '2026-02-30'"), "{err}");
    let list = json(&env.ok(&b, &["metric", "list", "Get help", "--json"]));
    assert_eq!(list[0]["readings"].as_array().unwrap().len(), 4);
}

/// An analytics tool's export as Windows writes it: a byte order mark, CRLF, quoted
/// cells (a name with a comma, a decimal comma), columns named otherwise, a blank row.
const EXPORT: &[u8] = b"\xef\xbb\xbfWeek,Journey step,Score,Comment\r\n\
2026-11-02,\"Get help\",\"58,5\",\"slow, still\"\r\n\
2026-11-09T08:00:00Z,get help,61,\r\n\
,,,\r\n\
2026-11-16 08:00,Receive,2.25,\"two lines\r\nin one cell\"\r\n";

#[test]
fn a_realistic_export_imported_twice_adds_its_readings_once() {
    let env = Env::new();
    let b = env.board();
    let file = env.0.path("export.csv");
    std::fs::write(&file, EXPORT).unwrap();
    let args = [
        "metric",
        "import",
        file.to_str().unwrap(),
        "--stage",
        "Journey step",
        "--date",
        "week",
        "--value",
        "Score",
    ];
    let out = env.ok(&b, &args);
    assert!(out.contains("added 3 readings"), "{out}");
    let again = env.ok(&b, &args);
    assert!(
        again.contains("added 0 readings; 3 already on the board"),
        "{again}"
    );
    let list = json(&env.ok(&b, &["metric", "list", "Get help", "--json"]));
    assert_eq!(
        values(&list),
        [
            ("2026-11-02".to_owned(), 58.5),
            ("2026-11-09".to_owned(), 61.0)
        ]
    );
    let receive = json(&env.ok(&b, &["metric", "list", "Receive", "--json"]));
    assert_eq!(receive[0]["actual"], 2.25);

    // A bad row is named by its line, and nothing of the file is written.
    let before = std::fs::read(&b).unwrap();
    let bad = env.0.path("bad.csv");
    std::fs::write(
        &bad,
        "stage,date,value\r\nReceive,2026-11-20,2\r\nGet help,2026-11-21,lots\r\n",
    )
    .unwrap();
    let err = env.fails(&b, &["metric", "import", bad.to_str().unwrap()], 1);
    assert!(err.contains("bad.csv line 3"), "{err}");
    assert!(err.contains("nothing was imported"), "{err}");
    assert_eq!(std::fs::read(&b).unwrap(), before, "the board is unchanged");
    // A column the flags name must be there.
    let mut named = args.to_vec();
    named[8] = "Nope";
    let err = env.fails(&b, &named, 1);
    assert!(err.contains("no column 'Nope'"), "{err}");
    assert!(err.contains("--value COLUMN"), "{err}");
}

#[test]
fn bands_on_a_lower_is_better_metric_around_its_target() {
    let env = Env::new();
    let b = env.board();
    // Receive: missing items per 100 orders, lower is better, target 2.
    env.ok(&b, &["stage", "edit", "Receive", "--warn", "0.5"]);
    let band = |value: &str| {
        env.ok(&b, &["metric", "set", "Receive", value]);
        let s = json(&env.ok(&b, &["metric", "summary", "--json"]));
        let stage = s["stages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["stage"] == "Receive")
            .unwrap()
            .clone();
        stage["band"].as_str().unwrap().to_owned()
    };
    assert_eq!(band("1.5"), "met");
    assert_eq!(band("2"), "met");
    assert_eq!(band("2.4"), "near");
    assert_eq!(band("2.5"), "near");
    assert_eq!(band("2.6"), "missed");
    let text = env.ok(&b, &["metric", "summary"]);
    assert!(text.contains("✗ Receive"), "{text}");
    env.ok(&b, &["metric", "set", "Receive", "2.2"]);
    let text = env.ok(&b, &["metric", "summary"]);
    assert!(text.contains("~ Receive"), "{text}");
    assert!(text.contains("~ near target"), "{text}");
    let shown = env.ok(&b, &["stage", "list"]);
    assert!(shown.contains("(amber within 0.5)"), "{shown}");
    // The band goes out and comes back with the board.
    let doc = json(&env.ok(&b, &["export", "--format", "json"]));
    let receive = doc["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Receive")
        .unwrap()
        .clone();
    assert_eq!(receive["metric"]["warn"], 0.5);
    assert_eq!(receive["metric"]["better"], "lower");
    // A band below zero is a usage error; --no-warn removes it.
    env.fails(&b, &["stage", "edit", "Receive", "--warn", "-1"], 2);
    env.ok(&b, &["stage", "edit", "Receive", "--no-warn"]);
    env.ok(&b, &["metric", "set", "Receive", "2.3"]);
    let text = env.ok(&b, &["metric", "summary"]);
    assert!(text.contains("✗ Receive"), "{text}");
}

#[test]
fn an_item_taken_from_do_to_check_reports_how_its_metric_moved() {
    let env = Env::new();
    let b = env.board();
    env.ok(&b, &["metric", "set", "Get help", "62"]);
    let added = env.ok(
        &b,
        &[
            "item",
            "add",
            "Refund missing items in one tap",
            "--stage",
            "Get help",
        ],
    );
    let id = added
        .split('#')
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("the new item's id")
        .to_owned();
    env.ok(&b, &["item", "move", &id, "do"]);
    let shown = json(&env.ok(&b, &["item", "show", &id, "--json"]));
    assert_eq!(shown["baseline"], 62.0);
    env.ok(&b, &["item", "move", &id, "check"]);
    let text = env.ok(&b, &["item", "show", &id]);
    assert!(text.contains("62 % at Do"), "{text}");
    assert!(text.contains("no reading since Do"), "{text}");
    // A reading comes in, dated after the move (a minute on: the move and a reading
    // typed now can share a second).
    let later = (jiff::Timestamp::now() + jiff::SignedDuration::from_mins(1)).to_string();
    env.ok(&b, &["metric", "set", "Get help", "71", "--at", &later]);
    let text = env.ok(&b, &["item", "show", &id]);
    assert!(
        text.contains("refunds paid within 24 h: 62 → 71 % since Do · target 90 % · ▲ better"),
        "{text}"
    );
    let shown = json(&env.ok(&b, &["item", "show", &id, "--json"]));
    assert_eq!(shown["baseline"], 62.0);
    assert_eq!(shown["latest"]["value"], 71.0);
    assert_eq!(shown["moved"], "better");
    let listed = json(&env.ok(&b, &["item", "list", "--json"]));
    let mine = listed
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"].as_i64() == id.parse().ok())
        .unwrap()
        .clone();
    assert_eq!(mine["baseline"], 62.0);
    // Export → import → export keeps the baseline, the readings and a band, byte for
    // byte, in both formats.
    env.ok(&b, &["stage", "edit", "Get help", "--warn", "5"]);
    for format in ["toml", "json"] {
        let doc = env.ok(&b, &["export", "--format", format]);
        assert!(
            doc.contains("baseline = 62") || doc.contains("\"baseline\": 62"),
            "{doc}"
        );
        assert!(doc.contains("baseline_at"), "{doc}");
        assert!(
            doc.contains("warn = 5") || doc.contains("\"warn\": 5"),
            "{doc}"
        );
        let file = env.0.path(&format!("board.{format}"));
        std::fs::write(&file, &doc).unwrap();
        let other = env.0.path(&format!("other-{format}.db"));
        env.ok(&other, &["init", "--empty"]);
        env.ok(&other, &["import", file.to_str().unwrap()]);
        assert_eq!(env.ok(&other, &["export", "--format", format]), doc);
    }
}

#[test]
fn the_customer_index_has_a_history() {
    let env = Env::new();
    let b = env.board();
    env.ok(
        &b,
        &["metric", "set", "Get help", "45", "--at", "2026-11-01"],
    );
    env.ok(
        &b,
        &["metric", "set", "Get help", "90", "--at", "2026-11-15"],
    );
    let s = json(&env.ok(&b, &["metric", "summary", "--json"]));
    let history = s["history"].as_array().unwrap();
    assert_eq!(history.len(), 2);
    let (first, last) = (
        history[0]["index"].as_f64().unwrap(),
        history[1]["index"].as_f64().unwrap(),
    );
    assert!(first < last, "{first} → {last}");
    // Get help went from half its target to all of it: one stage of six, 50 points.
    assert!(
        ((last - first) - 50.0 / 6.0).abs() < 0.1,
        "{first} → {last}"
    );
    assert!((s["index"].as_f64().unwrap() - last).abs() < 0.1);
    let text = env.ok(&b, &["metric", "summary"]);
    assert!(text.starts_with("Customer index: "), "{text}");
    assert!(text.contains("History: "), "{text}");
    let report = env.ok(&b, &["export", "--format", "md"]);
    assert!(report.contains("## Customer index\n\n"), "{report}");
    assert!(
        report.contains("the mean attainment of the stages with a target and a reading"),
        "{report}"
    );
}

#[test]
fn the_standup_report_lists_the_metrics_that_moved_since_the_last_standup() {
    let env = Env::new();
    let b = env.board();
    let t = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    env.ok(
        &b,
        &["metric", "set", "Get help", "62", "--at", "2026-11-19"],
    );
    env.ok(
        &b,
        &["metric", "set", "Receive", "2.5", "--at", "2026-11-19"],
    );
    env.ok(&b, &["metric", "set", "Choose", "88", "--at", "2026-11-19"]);
    let mut store = obeya::store::Store::open(&b, "alice").unwrap();
    store
        .record_standup(
            &kit::fixture::held_at(&store, t("2026-11-20T09:00:00Z")),
            t("2026-11-20T09:12:00Z"),
            "alice",
            &[],
        )
        .unwrap();
    drop(store);
    // Between the two stand-ups: refunds got better, missing items (lower is better)
    // got worse, and Choose was read again at the same value.
    env.ok(
        &b,
        &["metric", "set", "Get help", "71", "--at", "2026-11-21"],
    );
    env.ok(
        &b,
        &["metric", "set", "Receive", "3", "--at", "2026-11-21 08:00"],
    );
    env.ok(&b, &["metric", "set", "Choose", "88", "--at", "2026-11-21"]);
    let mut store = obeya::store::Store::open(&b, "bob").unwrap();
    store
        .record_standup(
            &kit::fixture::held_at(&store, t("2026-11-22T09:00:00Z")),
            t("2026-11-22T09:10:00Z"),
            "bob",
            &[],
        )
        .unwrap();
    drop(store);
    let report = env.ok(&b, &["standup", "report"]);
    assert!(
        report.contains(
            "## Metrics that moved since the last stand-up (2)\n\n\
             - Receive · missing items per 100 orders: 2.5 → 3 ▼ worse\n\
             - Get help · refunds paid within 24 h: 62 → 71 % ▲ better\n"
        ),
        "{report}"
    );
    assert!(!report.contains("Choose ·"), "{report}");
    let v = json(&env.ok(&b, &["standup", "report", "--format", "json"]));
    assert_eq!(v["metrics"][1]["stage"], "Get help");
    assert_eq!(v["metrics"][1]["way"], "better");
    // The first stand-up's report says what moved in the week before it.
    let first = env.ok(&b, &["standup", "report", "--id", "1"]);
    assert!(
        first.contains("- Get help · refunds paid within 24 h: 62 % (first reading)"),
        "{first}"
    );
}

/// A metric can go below zero (a net promoter score): a negative target and reading
/// are numbers, not flags.
#[test]
fn negative_targets_and_readings_are_taken_as_numbers() {
    let env = Env::new();
    let b = env.board();
    env.ok(
        &b,
        &[
            "stage",
            "add",
            "Recommend",
            "--metric-name",
            "net promoter score",
            "--target",
            "-10",
        ],
    );
    env.ok(
        &b,
        &["metric", "set", "Recommend", "-25", "--at", "2026-11-02"],
    );
    let list = json(&env.ok(&b, &["metric", "list", "Recommend", "--json"]));
    assert_eq!(values(&list), [("2026-11-02".to_owned(), -25.0)]);
    let shown = env.ok(&b, &["stage", "list"]);
    assert!(shown.contains("-10") || shown.contains("−10"), "{shown}");
}
