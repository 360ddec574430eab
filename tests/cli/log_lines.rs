//! Every log line names its record ("alice set Ben at Choose to −1 (was −2)"), and one
//! reorder is one line, whatever number of records it moved.

use std::path::Path;

use kit::cli::{Env, succeeded};

use crate::OBEYA;

fn ok(env: &Env, board: &Path, args: &[&str]) -> String {
    succeeded(&env.run(board, args), args)
}

/// The log's lines after the first `from`, without their times.
fn lines_after(env: &Env, board: &Path, from: usize) -> Vec<String> {
    ok(env, board, &["log"])
        .lines()
        .skip(from)
        .map(|l| l.splitn(4, "  ").skip(1).collect::<Vec<_>>().join("  "))
        .collect()
}

fn log_len(env: &Env, board: &Path) -> usize {
    ok(env, board, &["log"]).lines().count()
}

#[test]
fn feelings_and_comments_are_named_by_what_they_belong_to() {
    let env = Env::new(OBEYA);
    let b = env.path("team.db");
    ok(&env, &b, &["init"]);
    let from = log_len(&env, &b);
    ok(&env, &b, &["feel", "Ben", "Choose", "-1"]);
    ok(
        &env,
        &b,
        &["feel", "Ben", "Choose", "-1", "--note", "Bigger text helps"],
    );
    ok(&env, &b, &["feel", "Sam", "Discover", "1"]);
    ok(&env, &b, &["item", "comment", "3", "Provider called back"]);
    assert_eq!(
        lines_after(&env, &b, from),
        [
            "alice  set Ben at Choose to −1 (was −2)",
            "alice  edited the note of Ben at Choose",
            "alice  set Sam at Discover to +1",
            "alice  commented on #3 'Refund missing items in one tap'",
        ]
    );
    // The starter's own lines name theirs too.
    let log = ok(&env, &b, &["log"]);
    assert!(log.contains("  set Maria at Discover to +1\n"), "{log}");
    assert!(!log.contains("a feeling"), "{log}");
    assert!(
        log.contains("  commented on #3 'Refund missing items in one tap'\n"),
        "{log}"
    );
}

#[test]
fn moving_a_stage_is_one_line_though_it_renumbers_the_journey() {
    let env = Env::new(OBEYA);
    let b = env.path("team.db");
    ok(&env, &b, &["init"]);
    let from = log_len(&env, &b);
    let rows = |b: &Path| -> i64 {
        rusqlite::Connection::open(b)
            .unwrap()
            .query_row("SELECT count(*) FROM activity", [], |r| r.get(0))
            .unwrap()
    };
    let rows_before = rows(&b);
    // Get help (6th) right after Discover (1st): five stages change place.
    ok(
        &env,
        &b,
        &["stage", "edit", "Get help", "--after", "Discover"],
    );
    assert_eq!(
        lines_after(&env, &b, from),
        ["alice  moved stage 'Get help' after stage 'Discover'"]
    );
    assert_eq!(
        rows(&b) - rows_before,
        5,
        "every moved stage is kept in the log"
    );
    let stages = ok(&env, &b, &["stage", "list", "--json"]);
    let names: Vec<String> = serde_json::from_str::<serde_json::Value>(&stages)
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names[..3], ["Discover", "Get help", "Choose"]);
    // The JSON log keeps every row; those folded into the line have no summary.
    let json: serde_json::Value = serde_json::from_str(&ok(&env, &b, &["log", "--json"])).unwrap();
    let summaries: Vec<&str> = json.as_array().unwrap()[from..]
        .iter()
        .map(|r| r["summary"].as_str().unwrap())
        .collect();
    assert_eq!(
        summaries[0],
        "moved stage 'Get help' after stage 'Discover'"
    );
    assert!(summaries[1..].iter().all(|s| s.is_empty()), "{summaries:?}");
}

#[test]
fn swapping_two_personas_is_one_line_and_so_is_its_undo() {
    let env = Env::new(OBEYA);
    let b = env.path("team.db");
    ok(&env, &b, &["init"]);
    let from = log_len(&env, &b);
    let mut store = obeya::store::Store::open(&b, "bob").unwrap();
    let wall = store.load_wall().unwrap();
    let (maria, ben) = (wall.personas[0].clone(), wall.personas[1].clone());
    store.swap_positions(&ben, &maria).unwrap();
    let changes = store.take_changes();
    assert_eq!(changes.len(), 2);
    store.revert(&changes).unwrap();
    drop(store);
    assert_eq!(
        lines_after(&env, &b, from),
        [
            "bob  moved persona 'Ben' before persona 'Maria'",
            "bob  moved persona 'Maria' in the order",
        ]
    );
}

#[test]
fn since_standup_is_what_came_after_it_in_the_log_even_in_the_same_second() {
    let env = Env::new(OBEYA);
    let b = env.path("team.db");
    ok(&env, &b, &["init"]);
    ok(&env, &b, &["item", "move", "4", "check"]);
    let mut store = obeya::store::Store::open(&b, "alice").unwrap();
    let start = store.begin_standup().unwrap();
    ok(&env, &b, &["item", "move", "5", "act"]);
    store
        .record_standup(&start, obeya::store::now(), "alice", &[])
        .unwrap();
    drop(store);
    ok(&env, &b, &["item", "move", "1", "do"]);
    // Before, during and after the stand-up, all in one second.
    rusqlite::Connection::open(&b)
        .unwrap()
        .execute_batch(
            "UPDATE activity SET at = '2026-11-22T09:00:00Z';
             UPDATE standup SET started_at = '2026-11-22T09:00:00Z', ended_at = '2026-11-22T09:00:00Z';",
        )
        .unwrap();
    let since = ok(&env, &b, &["log", "--since-standup"]);
    let lines: Vec<&str> = since.lines().collect();
    assert_eq!(lines.len(), 1, "{since}");
    assert!(
        lines[0].ends_with("alice  moved #1 'Show substitutions before the van leaves' to Do"),
        "{since}"
    );
}
