//! End to end: the real binary in a terminal, as a new user would meet it (issue 3's
//! "Done when"): from a shell, where the terminal must be as it was once the wall has
//! gone, whether it quit, was suspended, was killed or lost its terminal.
//! A panic is in `panic`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use kit::term::{Session, Spawn, command_line};
use kit::wait;
use rusqlite::Connection;
use rusqlite::types::Value;

use crate::OBEYA;

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

/// `obeya ARGS` typed into the shell, with this environment.
fn run_obeya(s: &mut Session, env: &[(&'static str, String)], args: &[&str]) {
    s.run_line(&command_line(Path::new(OBEYA), &env_refs(env), args));
}

/// Whether the shell's terminal is back to normal: canonical mode and echo (asked of
/// `stty` in the shell).
fn assert_terminal_is_normal(s: &mut Session) {
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

/// The starter board as the first run makes it (dated for `day`), in a file of its
/// own, for comparison.
fn reference_board(dir: &Path, day: jiff::civil::Date) -> Connection {
    let path = dir.join("reference.db");
    let mut store = obeya::store::Store::create(&path, "alice").unwrap();
    obeya::exchange::import(&mut store, &obeya::exchange::starter_on(day)).unwrap();
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

    let mut s = Session::shell("wall", &home.root, 120, 40);
    let made_on = jiff::Zoned::now().date();
    run_obeya(&mut s, &env, &[]);

    // First run: the starter board is created and the wall shows.
    s.wait_for("obeya.db · alice · ● live", T);
    s.wait_alternate(true, T);
    let screen = s.wait_for("#1 Show", T);
    assert!(screen.contains("Mission"), "{screen}");
    // The wall itself says where the board is, not only the shell after quitting.
    let board_path = home.default_db().to_str().unwrap().to_owned();
    let screen = s.wait_for(&format!("created your board at {board_path}"), T);
    assert!(s.screen().alternate_screen(), "{screen}");
    assert!(home.default_db().exists(), "the default board was created");

    // A new item with accents and emoji, in Plan (the selected column).
    let title = "Café für Zoë 🚀";
    s.type_text("4");
    s.type_text("n");
    s.wait_for("New improvement item", T);
    s.type_text(title);
    s.press("c-s");
    s.wait_gone("New improvement item", T);
    s.wait_for("Café für Zoë", T);
    s.wait_for("Plan (3)", T);

    // L moves it to Do (the selection follows the card).
    s.type_text("L");
    s.wait_for("Do (3)", T);
    s.wait_for("Plan (2)", T);

    // The mission: 1, e, replace the statement, Ctrl-s.
    let statement = "Groceries in the hour you pick — für alle, sans stress";
    s.type_text("1");
    s.type_text("e");
    s.wait_for("Statement", T);
    s.press_n("bs", 200);
    s.type_text(statement);
    s.press("c-s");
    s.wait_gone("Statement", T);
    s.wait_for("Groceries in the hour you pick", T);

    // Delete with confirmation: `d n` keeps the first Plan item, `d y` removes the second.
    s.type_text("4");
    s.type_text("h");
    s.type_text("g");
    s.type_text("d");
    s.wait_for("Delete item 'Show substitutions", T);
    s.type_text("n");
    s.wait_gone("Delete item", T);
    s.wait_for("#1 Show", T);
    s.type_text("j");
    s.type_text("d");
    s.wait_for("Delete item 'New label printers", T);
    s.type_text("y");
    s.wait_gone("New label printers", T);
    s.wait_for("Plan (1)", T);

    // Quit: the terminal is back to normal.
    s.type_text("q");
    s.assert_restored();
    s.wait_for("created your board at", T);
    assert_terminal_is_normal(&mut s);
    // What is typed shows (echo) and the shell runs it.
    s.run_line("echo OK_$((40+2))");
    let screen = s.wait_until("the echo", T, |s| s.lines().any(|l| l == "OK_42"));
    assert!(
        screen.contains("echo OK_$((40+2))"),
        "typed text echoes:\n{screen}"
    );
    // The cursor is visible again.
    assert!(s.cursor_visible(), "the cursor is hidden");

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
    let reference = reference_board(dir.path(), made_on);
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
    // The deleted item's links to evidence go with it (the evidence stays).
    assert!(
        mine.iter().all(|(_, a, e, i)| e == "mission"
            || (e == "item" && (*i == new_id || *i == deleted_id))
            || (e == "evidence_link" && a == "delete")),
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
    let mut s = Session::shell("wall", &home.root, 120, 40);
    let line = command_line(
        Path::new(OBEYA),
        &env_refs(&env),
        &["--db", notes.to_str().unwrap()],
    );
    s.run_line(&format!("{line}; echo EXIT=$?"));
    let screen = s.wait_until("the exit code", T, |s| {
        s.lines().any(|l| {
            l.strip_prefix("EXIT=")
                .is_some_and(|c| !c.is_empty() && c.chars().all(|c| c.is_ascii_digit()))
        })
    });
    assert!(screen.lines().any(|l| l == "EXIT=1"), "{screen}");
    assert!(screen.contains("notes.txt"), "{screen}");
    assert!(!s.screen().alternate_screen());
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), content);
}

/// The wall started straight in a terminal of its own (no shell), `cols`×`rows`.
fn wall(home: &Home, cols: u16, rows: u16) -> Session {
    let spawn = Spawn::new(OBEYA)
        .envs(home.env("alice"))
        .cwd(&home.root)
        .size(cols, rows);
    Session::start("wall", &spawn)
}

#[test]
fn a_tiny_terminal_says_so_and_resizing_shows_the_wall() {
    let home = Home::new();
    let mut s = wall(&home, 50, 10);
    s.wait_for("terminal too small (needs 60×16)", T);
    s.resize(120, 40).unwrap();
    let screen = s.wait_for("obeya.db · alice", T);
    assert!(!screen.contains("too small"), "{screen}");
    s.wait_for("#1 Show", T);
    s.resize(50, 10).unwrap();
    s.wait_for("terminal too small (needs 60×16)", T);
    s.resize(120, 40).unwrap();
    s.wait_for("obeya.db · alice", T);
    s.type_text("q");
    s.wait_alternate(false, T);
    assert!(s.wait_for_exit(T).success());
}

#[test]
fn ctrl_z_gives_the_shell_back_and_fg_brings_the_wall_back() {
    let home = Home::new();
    let env = home.env("alice");
    let mut s = Session::shell("wall", &home.root, 120, 40);
    run_obeya(&mut s, &env, &[]);
    s.wait_for("obeya.db · alice · ● live", T);
    s.wait_for("#1 Show", T);

    s.press("c-z");
    s.wait_alternate(false, T);
    s.run_line("stty -a | grep -o -- '-icanon\\|icanon' | sed 's/^/MODE:/'");
    let screen = s.wait_until("the stty output", T, |s| {
        s.lines().any(|l| l.starts_with("MODE:"))
    });
    assert!(
        screen.lines().any(|l| l.trim() == "MODE:icanon"),
        "the shell has a normal terminal while the wall is stopped:\n{screen}"
    );

    s.run_line("fg");
    s.wait_alternate(true, T);
    s.wait_for("#1 Show", T);
    // It still takes keys: help opens and closes, then q quits.
    s.type_text("?");
    s.wait_for("On the board", T);
    s.escape_closing("On the board", T);
    s.type_text("q");
    s.wait_alternate(false, T);
    s.run_line("echo DONE_$((1+1))");
    s.wait_until("the shell", T, |s| s.lines().any(|l| l == "DONE_2"));
}

#[test]
fn sigterm_restores_the_terminal_and_removes_the_presence_file() {
    let home = Home::new();
    let env = home.env("alice");
    let mut s = Session::shell("wall", &home.root, 120, 40);
    run_obeya(&mut s, &env, &[]);
    s.wait_for("obeya.db · alice · ● live", T);
    s.wait_alternate(true, T);
    // The wall is the only program the shell runs.
    let wall = s.only_child(T);
    // Its presence file is beside the board (written on its first tick).
    let presence = obeya::store::presence::presence_dir(&home.default_db());
    let files = |dir: &std::path::Path| {
        std::fs::read_dir(dir).map_or(0, |d| d.filter_map(Result::ok).count())
    };
    kit::wait::until("the wall's presence file", T, || match files(&presence) {
        1 => Ok(()),
        n => Err(format!("{n} files in {}", presence.display())),
    });
    rustix::process::kill_process(
        rustix::process::Pid::from_raw(wall).unwrap(),
        rustix::process::Signal::TERM,
    )
    .expect("the wall process was found");
    s.wait_alternate(false, T);
    assert_terminal_is_normal(&mut s);
    assert_eq!(
        files(&presence),
        0,
        "the presence file is removed on the way out"
    );
}

#[test]
fn a_hung_up_terminal_does_not_leave_the_wall_running() {
    let home = Home::new();
    let mut s = wall(&home, 120, 40);
    s.wait_for("obeya.db · alice · ● live", T);
    // The signal reaches the wall a moment after the hang-up; it ends within two seconds.
    let hung_up = wait::Deadline::after(Duration::from_secs(6));
    s.hang_up();
    s.wait_for_exit(hung_up);
    eprintln!("the wall exited {:?} after the hang-up", hung_up.elapsed());
}
