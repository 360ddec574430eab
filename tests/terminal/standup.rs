//! Issue 10's "Done when", end to end: the real binary in a terminal, a stand-up during which
//! alice unblocks an item and changes an owner on the wall while bob unblocks another
//! from the command line. The summary on the wall and `obeya standup report` list all
//! three, by person; the topic parked in it is still on the wall afterwards.
//!
//! Every deadline is scaled by `OBEYA_TEST_TIME_SCALE` (see `kit::wait`).

use std::path::Path;
use std::time::Duration;

use kit::term::{Session, command_line};
use rusqlite::Connection;

use crate::OBEYA;

const T: Duration = Duration::from_secs(10);

const REFUND: &str = "Refund missing items in one tap"; // #3, blocked in the starter
const SUBSTITUTIONS: &str = "Show substitutions before the van leaves"; // #1, chen's
const SEARCH: &str = "Search that understands plurals and typos"; // #6

fn env(dir: &Path, user: &str) -> Vec<(String, String)> {
    let p = |x: &str| dir.join(x).to_str().unwrap().to_owned();
    vec![
        ("HOME".into(), p("home")),
        ("XDG_DATA_HOME".into(), p("data")),
        ("XDG_CONFIG_HOME".into(), p("config")),
        ("OBEYA_USER".into(), user.into()),
        ("TERM".into(), "xterm-256color".into()),
        ("LANG".into(), "C.UTF-8".into()),
    ]
}

/// `obeya ARGS --db DB` as `user`, outside the terminal (a teammate's script); must
/// succeed.
fn obeya(dir: &Path, db: &Path, user: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(OBEYA)
        .args(args)
        .arg("--db")
        .arg(db)
        .envs(env(dir, user))
        .env_remove("OBEYA_DB")
        .env_remove("OBEYA_CONFIG")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "obeya {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_standup_summary_lists_an_unblock_an_owner_change_and_a_teammates_cli_edit() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("team.db");
    obeya(dir.path(), &db, "alice", &["init"]);
    // Before the stand-up: bob blocks Search. Everything so far happened yesterday.
    obeya(
        dir.path(),
        &db,
        "bob",
        &["item", "edit", "6", "--blocked", "waiting for the index"],
    );
    Connection::open(&db)
        .unwrap()
        .execute_batch("UPDATE activity SET at = '2026-11-01T09:00:00Z';")
        .unwrap();

    let mut wall = Session::shell("alice", dir.path(), 120, 40);
    let vars = env(dir.path(), "alice");
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let start_wall = command_line(Path::new(OBEYA), &vars, &["--db", db.to_str().unwrap()]);
    wall.run_line(&start_wall);
    wall.wait_for("team.db · alice · ● live", T);

    // The stand-up: Act (Cafés), Check (Search, blocked first; Van), Do (Refund,
    // blocked first; Large-text), Plan (Substitutions, Printers).
    wall.type_text("s");
    wall.wait_for("STAND-UP", T);
    wall.type_text("jjj");
    wall.wait_for("Blocked: Waiting for the payment provider", T);
    wall.type_text("b"); // Refund: unblocked
    wall.wait_gone("Blocked: Waiting for the payment provider", T);
    wall.type_text("jj");
    wall.wait_for("6 / 7", T);
    wall.type_text("e"); // Substitutions: chen → dana
    wall.wait_for("Edit item #1", T);
    wall.press_n("tab", 2);
    wall.press_n("bs", 8);
    wall.type_text("dana");
    wall.press("c-s");
    wall.wait_gone("Edit item #1", T);
    // Meanwhile bob unblocks Search from his shell.
    obeya(
        dir.path(),
        &db,
        "bob",
        &["item", "edit", "6", "--unblocked"],
    );
    wall.type_text("p");
    wall.wait_for("Park a topic", T);
    wall.type_text("Holiday rota");
    wall.press("enter");
    wall.wait_for("• Holiday rota", T);

    // End it: the summary lists all three, by person.
    wall.type_text("s");
    wall.wait_for("End the stand-up and record it?", T);
    wall.type_text("y");
    let screen = wall.wait_for("Parked topics (1)", T);
    for line in [
        "alice (2)",
        &format!("#3 {REFUND}: blocker resolved"),
        &format!("#1 {SUBSTITUTIONS}: owner chen → dana"),
        "bob (1)",
        &format!("#6 {SEARCH}: blocker resolved"),
        "• Holiday rota (alice)",
    ] {
        assert!(screen.contains(line), "{line:?} missing from:\n{screen}");
    }

    // Closed, the wall keeps the parked topic in view.
    wall.escape_closing("Parked topics (1)", T);
    wall.wait_for("⚑ Parked (1): Holiday rota", T);

    // The report says the same, from the file.
    let report = obeya(dir.path(), &db, "carol", &["standup", "report"]);
    for line in [
        "## alice (2)\n",
        &format!("- #3 {REFUND}: blocker resolved\n"),
        &format!("- #1 {SUBSTITUTIONS}: owner chen → dana\n"),
        "## bob (1)\n",
        &format!("- #6 {SEARCH}: blocker resolved\n"),
        "- Holiday rota (alice)\n",
    ] {
        assert!(report.contains(line), "{line:?} missing from:\n{report}");
    }
    let parked = obeya(dir.path(), &db, "carol", &["standup", "parked"]);
    assert!(parked.contains("Holiday rota  (alice, "), "{parked}");

    // And after a restart the topic is still on the wall.
    wall.type_text("q");
    wall.wait_prompt(T);
    wall.run_line(&start_wall);
    wall.wait_for("⚑ Parked (1): Holiday rota", T);
    wall.type_text("q");
    wall.wait_prompt(T);
}
