//! End to end: the real binary in tmux, as a new user would meet it (issue 3's "Done when").
//!
//! Not covered here: a panic inside the wall. Nothing a user can type triggers one (that
//! is what `keys_prop.rs` checks), and there is no test hook to force one, so the
//! "terminal restored after a panic" path is left to the panic hook's code review.

#[path = "common/tmux.rs"]
mod tmux;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use rusqlite::Connection;
use rusqlite::types::Value;
use tmux::{OBEYA, Server, wait};

const T: Duration = Duration::from_secs(10);

struct Home {
    _dir: tempfile::TempDir,
    root: PathBuf,
}

impl Home {
    fn new() -> Home {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        Home { _dir: dir, root }
    }

    fn env(&self, user: &str) -> Vec<(&'static str, String)> {
        let p = |s: &str| self.root.join(s).to_str().unwrap().to_owned();
        vec![
            ("HOME", p("home")),
            ("XDG_DATA_HOME", p("data")),
            ("XDG_CONFIG_HOME", p("config")),
            ("OBEYA_USER", user.to_owned()),
            ("TERM", "xterm-256color".to_owned()),
            ("LANG", "C.UTF-8".to_owned()),
        ]
    }

    fn default_db(&self) -> PathBuf {
        self.root.join("data").join("obeya").join("obeya.db")
    }
}

fn env_refs<'a>(env: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    env.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// Rows of a table as column → value maps, without the timestamps (which differ
/// between two boards made from the same starter at different moments).
fn rows(conn: &Connection, table: &str) -> Vec<BTreeMap<String, Value>> {
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM {table} ORDER BY id"))
        .unwrap();
    let names: Vec<String> = stmt.column_names().iter().map(|s| s.to_string()).collect();
    stmt.query_map([], |r| {
        let mut m = BTreeMap::new();
        for (i, n) in names.iter().enumerate() {
            // (uids too: each board gives its records their own.)
            if n.ends_with("_at") || n == "status_since" || n == "at" || n == "uid" {
                continue;
            }
            m.insert(n.clone(), r.get::<_, Value>(i)?);
        }
        Ok(m)
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

/// The starter board as the first run makes it, in a file of its own, for comparison.
fn reference_board(dir: &Path) -> Connection {
    let path = dir.join("reference.db");
    let mut store = obeya::store::Store::create(&path, "alice").unwrap();
    obeya::exchange::import(&mut store, &obeya::exchange::starter()).unwrap();
    drop(store);
    Connection::open(&path).unwrap()
}

fn text(v: &Value) -> &str {
    match v {
        Value::Text(s) => s,
        other => panic!("not text: {other:?}"),
    }
}

#[test]
fn a_new_user_adds_moves_edits_deletes_and_quits_and_the_file_has_exactly_that() {
    let home = Home::new();
    for d in ["home", "data", "config"] {
        std::fs::create_dir_all(home.root.join(d)).unwrap();
    }
    assert!(!home.default_db().exists());
    let env = home.env("alice");

    let server = Server::new("e2e");
    let s = server.session("wall", 120, 40, &home.root);
    s.run_obeya(&env_refs(&env), &[]);

    // First run: the starter board is created and the wall shows.
    s.wait_for("obeya.db · alice · ● live", T);
    s.wait_format("#{alternate_on}", "1", T);
    let screen = s.wait_for("Show substitutions", T);
    assert!(screen.contains("Mission"), "{screen}");
    assert!(home.default_db().exists(), "the default board was created");

    // A new item with accents and emoji, in Plan (the selected column).
    let title = "Café für Zoë 🚀";
    s.text("4");
    s.text("n");
    s.wait_for("New improvement item", T);
    s.text(title);
    s.keys(&["C-s"]);
    s.wait_gone("New improvement item", T);
    s.wait_for("Café für Zoë", T);
    s.wait_for("Plan (3)", T);

    // L moves it to Do (the selection follows the card).
    s.text("L");
    s.wait_for("Do (3)", T);
    s.wait_for("Plan (2)", T);

    // The mission: 1, e, replace the statement, Ctrl-s.
    let statement = "Groceries in the hour you pick — für alle, sans stress";
    s.text("1");
    s.text("e");
    s.wait_for("Statement", T);
    let backspaces = vec!["BSpace"; 200];
    s.keys(&backspaces);
    s.text(statement);
    s.keys(&["C-s"]);
    s.wait_gone("Statement", T);
    s.wait_for("Groceries in the hour you pick", T);

    // Delete with confirmation: `d n` keeps the first Plan item, `d y` removes the second.
    s.text("4");
    s.text("h");
    s.text("g");
    s.text("d");
    s.wait_for("Delete item 'Show substitutions", T);
    s.text("n");
    s.wait_gone("Delete item", T);
    s.wait_for("Show substitutions", T);
    s.text("j");
    s.text("d");
    s.wait_for("Delete item 'New label printers", T);
    s.text("y");
    s.wait_gone("New label printers", T);
    s.wait_for("Plan (1)", T);

    // Quit: the terminal is back to normal.
    s.text("q");
    s.wait_format("#{alternate_on}", "0", T);
    s.wait_for("created your board at", T);
    s.run_line("stty -a | grep -o -- '-icanon\\|icanon' | sed 's/^/MODE:/'");
    let screen = s.wait_until("the stty output", T, |s| {
        s.lines().any(|l| l.starts_with("MODE:"))
    });
    assert!(
        screen.lines().any(|l| l.trim() == "MODE:icanon"),
        "canonical mode is back:\n{screen}"
    );
    s.run_line("stty -a | grep -o -- '-echo \\|echo ' | head -1 | sed 's/^/ECHO:/'");
    let screen = s.wait_until("the stty output", T, |s| {
        s.lines().any(|l| l.starts_with("ECHO:"))
    });
    assert!(
        screen.lines().any(|l| l.trim() == "ECHO:echo"),
        "echo is back:\n{screen}"
    );
    // What is typed shows (echo) and the shell runs it.
    s.run_line("echo OK_$((40+2))");
    let screen = s.wait_until("the echo", T, |s| s.lines().any(|l| l == "OK_42"));
    assert!(
        screen.contains("echo OK_$((40+2))"),
        "typed text echoes:\n{screen}"
    );
    // The cursor is visible again.
    assert_eq!(s.format("#{cursor_flag}"), "1");

    // The file holds exactly those changes.
    let conn = Connection::open(home.default_db()).unwrap();
    obeya::store::add_name_collation(&conn).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");

    let (new_id, new_status, new_by): (i64, String, String) = conn
        .query_row(
            "SELECT id, status, updated_by FROM item WHERE title = ?1",
            [title],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("the new item, with its exact title");
    assert_eq!(new_status, "do");
    assert_eq!(new_by, "alice");

    let (stmt_now, customer): (String, String) = conn
        .query_row("SELECT statement, customer FROM mission", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(stmt_now, statement);

    let gone: i64 = conn
        .query_row(
            "SELECT count(*) FROM item WHERE title LIKE 'New label printers%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(gone, 0, "the deleted item is gone");

    // Everything else is as the starter made it.
    let dir = tempfile::tempdir().unwrap();
    let reference = reference_board(dir.path());
    let ref_customer: String = reference
        .query_row("SELECT customer FROM mission", [], |r| r.get(0))
        .unwrap();
    assert_eq!(customer, ref_customer);
    for table in ["persona", "stage", "feeling", "comment", "board_column"] {
        assert_eq!(rows(&conn, table), rows(&reference, table), "table {table}");
    }
    let deleted_id = rows(&reference, "item")
        .into_iter()
        .find(|r| text(&r["title"]).starts_with("New label printers"))
        .map(|r| r["id"].clone())
        .unwrap();
    let expected: Vec<_> = rows(&reference, "item")
        .into_iter()
        .filter(|r| r["id"] != deleted_id)
        .collect();
    let actual: Vec<_> = rows(&conn, "item")
        .into_iter()
        .filter(|r| r["id"] != Value::Integer(new_id))
        .collect();
    assert_eq!(actual, expected, "the other starter items are unchanged");

    // The activity log: the four changes, all by alice, after the starter's own rows.
    let starter_rows: i64 = reference
        .query_row("SELECT count(*) FROM activity", [], |r| r.get(0))
        .unwrap();
    let mut stmt = conn
        .prepare("SELECT who, action, entity, entity_id FROM activity ORDER BY id")
        .unwrap();
    let log: Vec<(String, String, String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(log.iter().all(|(who, ..)| who == "alice"), "{log:#?}");
    let mine = &log[starter_rows as usize..];
    let Value::Integer(deleted_id) = deleted_id else {
        unreachable!()
    };
    let touches = |entity: &str, id: i64| {
        mine.iter()
            .filter(|(_, _, e, i)| e == entity && (*i == id || entity == "mission"))
            .count()
    };
    assert!(
        touches("item", new_id) >= 2,
        "add + move of the new item: {mine:#?}"
    );
    assert!(touches("mission", 1) >= 1, "the mission edit: {mine:#?}");
    assert_eq!(touches("item", deleted_id), 1, "the delete: {mine:#?}");
    assert!(
        mine.iter()
            .all(|(_, _, e, i)| e == "mission"
                || (e == "item" && (*i == new_id || *i == deleted_id))),
        "nothing else was touched: {mine:#?}"
    );
}

#[test]
fn a_refused_file_is_reported_before_the_alternate_screen_and_exits_1() {
    let home = Home::new();
    let notes = home.root.join("notes.txt");
    let content = "shopping list\nmilk\n";
    std::fs::write(&notes, content).unwrap();
    let env = home.env("alice");

    // Captured: the message names the file, stdout never saw a terminal escape.
    let out = Command::new(OBEYA)
        .arg("--db")
        .arg(&notes)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(notes.to_str().unwrap()), "{err}");
    assert!(err.contains("not an obeya board"), "{err}");
    assert!(
        out.stdout.is_empty(),
        "nothing on stdout: {:?}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), content);

    // In a real terminal: the message is on the normal screen and it never switched.
    let server = Server::new("refused");
    let s = server.session("wall", 120, 40, &home.root);
    let line = tmux::obeya_line(&env_refs(&env), &["--db", notes.to_str().unwrap()]);
    s.run_line(&format!("{line}; echo EXIT=$?"));
    let screen = s.wait_until("the exit code", T, |s| {
        s.lines().any(|l| {
            l.strip_prefix("EXIT=")
                .is_some_and(|c| !c.is_empty() && c.chars().all(|c| c.is_ascii_digit()))
        })
    });
    assert!(screen.lines().any(|l| l == "EXIT=1"), "{screen}");
    assert!(screen.contains("notes.txt"), "{screen}");
    assert_eq!(s.format("#{alternate_on}"), "0");
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), content);
}

#[test]
fn a_tiny_terminal_says_so_and_resizing_shows_the_wall() {
    let home = Home::new();
    let env = home.env("alice");
    let server = Server::new("tiny");
    let s = server.session("wall", 50, 10, &home.root);
    s.run_obeya(&env_refs(&env), &[]);
    s.wait_for("terminal too small (needs 60×16)", T);
    s.resize(120, 40);
    let screen = s.wait_for("obeya.db · alice", T);
    assert!(!screen.contains("too small"), "{screen}");
    s.wait_for("Show substitutions", T);
    s.resize(50, 10);
    s.wait_for("terminal too small (needs 60×16)", T);
    s.resize(120, 40);
    s.wait_for("obeya.db · alice", T);
    s.text("q");
    s.wait_format("#{alternate_on}", "0", T);
}

#[test]
fn ctrl_z_gives_the_shell_back_and_fg_brings_the_wall_back() {
    let home = Home::new();
    let env = home.env("alice");
    let server = Server::new("suspend");
    let s = server.session("wall", 120, 40, &home.root);
    s.run_obeya(&env_refs(&env), &[]);
    s.wait_for("obeya.db · alice · ● live", T);
    s.wait_for("Show substitutions", T);

    s.keys(&["C-z"]);
    s.wait_format("#{alternate_on}", "0", T);
    s.run_line("stty -a | grep -o -- '-icanon\\|icanon' | sed 's/^/MODE:/'");
    let screen = s.wait_until("the stty output", T, |s| {
        s.lines().any(|l| l.starts_with("MODE:"))
    });
    assert!(
        screen.lines().any(|l| l.trim() == "MODE:icanon"),
        "the shell has a normal terminal while the wall is stopped:\n{screen}"
    );

    s.run_line("fg");
    s.wait_format("#{alternate_on}", "1", T);
    s.wait_for("Show substitutions", T);
    // It still takes keys: help opens and closes, then q quits.
    s.text("?");
    s.wait_for("On the board", T);
    s.escape_closing("On the board", T);
    s.text("q");
    s.wait_format("#{alternate_on}", "0", T);
    s.run_line("echo DONE_$((1+1))");
    s.wait_until("the shell", T, |s| s.lines().any(|l| l == "DONE_2"));
}

#[test]
fn sigterm_restores_the_terminal_and_removes_the_presence_row() {
    let home = Home::new();
    let env = home.env("alice");
    let server = Server::new("sigterm");
    let s = server.session("wall", 120, 40, &home.root);
    s.run_obeya(&env_refs(&env), &[]);
    s.wait_for("obeya.db · alice · ● live", T);
    s.wait_format("#{alternate_on}", "1", T);
    // The wall is the only child of this pane's shell.
    let shell = s.format("#{pane_pid}");
    let killed = std::process::Command::new("pkill")
        .args(["-TERM", "-P", shell.trim()])
        .status()
        .expect("pkill runs");
    assert!(killed.success(), "the wall process was found");
    s.wait_format("#{alternate_on}", "0", T);
    s.run_line("stty -a | grep -o -- '-icanon\\|icanon' | sed 's/^/MODE:/'");
    let screen = s.wait_until("the stty output", T, |s| {
        s.lines().any(|l| l.starts_with("MODE:"))
    });
    assert!(
        screen.lines().any(|l| l.trim() == "MODE:icanon"),
        "{screen}"
    );
    let db = home.default_db();
    let left: i64 = Connection::open(&db)
        .unwrap()
        .query_row("SELECT count(*) FROM presence", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0, "the heartbeat row is removed on the way out");
}

#[test]
fn a_hung_up_terminal_does_not_leave_the_wall_running() {
    let home = Home::new();
    let env = home.env("alice");
    let server = Server::new("hangup");
    let s = server.session("wall", 120, 40, &home.root);
    s.run_obeya(&env_refs(&env), &[]);
    s.wait_for("obeya.db · alice · ● live", T);
    let shell = s.format("#{pane_pid}");
    let out = std::process::Command::new("pgrep")
        .args(["-P", shell.trim()])
        .output()
        .unwrap();
    let wall = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(!wall.is_empty(), "the wall process was found");
    let pid = wall
        .parse()
        .ok()
        .and_then(rustix::process::Pid::from_raw)
        .unwrap_or_else(|| panic!("one wall process, found {wall:?}"));
    server.tmux(&["kill-server"]);
    // Signal 0 only asks whether the process is still there: ESRCH once it is gone.
    wait::until(
        "the wall to exit after its terminal hung up",
        Duration::from_secs(6),
        || match rustix::process::test_kill_process(pid) {
            Err(rustix::io::Errno::SRCH) => Ok(()),
            other => Err(format!("process {wall} is still there ({other:?})")),
        },
    );
}
