//! Issue 4's "Done when", with real processes on one real file: two walls (alice and bob)
//! each in a terminal of its own, the `sqlite3` shell, and the test itself holding the
//! write lock.
//!
//! Every deadline is scaled by `OBEYA_TEST_TIME_SCALE` (see `kit::wait`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use kit::term::{Session, Spawn};
use kit::wait::{self, Deadline};
use rusqlite::Connection;

const T: Duration = Duration::from_secs(10);
/// Issue 4: a change appears on the other wall within 2 seconds.
const LIVE: Duration = Duration::from_secs(2);
/// The wall answers keys promptly, even while the board is busy.
const PROMPT: Duration = Duration::from_secs(2);
/// How long the test's own reads wait for a lock.
const READ_PATIENCE: Duration = Duration::from_secs(5);

fn starter_board(dir: &Path) -> PathBuf {
    let path = dir.join("team.db");
    let mut store = obeya::store::Store::create(&path, "setup").unwrap();
    obeya::exchange::import(&mut store, &obeya::exchange::starter()).unwrap();
    path
}

fn open_wall(dir: &Path, user: &str, db: &Path) -> Session {
    let spawn = Spawn::new(crate::OBEYA)
        .arg("--db")
        .arg(db)
        .env("HOME", dir.join("home"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("OBEYA_USER", user)
        .env("TERM", "xterm-256color")
        .env("LANG", "C.UTF-8")
        .cwd(dir)
        .size(120, 45);
    let mut s = Session::start(user, &spawn);
    s.wait_for(&format!("team.db · {user} · ● live"), T);
    s
}

fn status_of(db: &Path, title: &str) -> Option<String> {
    let conn = Connection::open(db).unwrap();
    conn.busy_timeout(wait::scaled(READ_PATIENCE)).unwrap();
    conn.query_row("SELECT status FROM item WHERE title = ?1", [title], |r| {
        r.get(0)
    })
    .ok()
}

#[test]
fn two_walls_on_one_file_see_each_other_the_shell_and_a_busy_board() {
    let dir = tempfile::tempdir().unwrap();
    let db = starter_board(dir.path());
    let mut alice = open_wall(dir.path(), "alice", &db);
    let mut bob = open_wall(dir.path(), "bob", &db);

    // Presence: each sees the other (the heartbeat is written at start).
    alice.wait_for("● live (bob here)", T);
    bob.wait_for("● live (alice here)", T);

    // An item added on alice's wall shows on bob's within 2 seconds.
    alice.type_text("4");
    alice.type_text("n");
    alice.wait_for("New improvement item", T);
    alice.type_text("Shared från alice ✓");
    alice.press("c-s");
    alice.wait_for("#9 Shared från", T);
    let live = Deadline::after(LIVE);
    bob.wait_for("#9 Shared från", live);
    eprintln!("alice → bob: {:?}", live.elapsed());
    bob.wait_for("alice added", T);

    // A row inserted with the sqlite3 shell appears on both walls.
    let out = Command::new("sqlite3")
        .arg("-cmd")
        .arg(format!(
            ".timeout {}",
            wait::scaled(READ_PATIENCE).as_millis()
        ))
        .arg(&db)
        .arg("INSERT INTO item (title) VALUES ('from the shell')")
        .output()
        .expect("sqlite3 runs (is it installed?)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // One deadline for both walls, counted from the insert.
    let live = Deadline::after(LIVE);
    alice.wait_for("from the shell", live);
    bob.wait_for("from the shell", live);
    eprintln!("sqlite3 → both walls: {:?}", live.elapsed());

    // Busy: the test holds the write lock (as another process would) until it has seen
    // everything below, so all of it happens while the lock is held, by construction.
    // (Should the test fail meanwhile, dropping `lock` rolls back and releases it.)
    let lock = Connection::open(&db).unwrap();
    lock.busy_timeout(wait::scaled(READ_PATIENCE)).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE").unwrap();

    // The selection is still on alice's new card (in Plan): L moves it to Do.
    assert_eq!(
        status_of_quick(&db, "Shared från alice ✓"),
        None,
        "the test's lock really blocks readers"
    );
    alice.type_text("L");
    alice.wait_for("board busy", T);
    // The wall still answers keys: help opens and closes.
    alice.type_text("?");
    alice.wait_for("On the board", PROMPT);
    alice.escape_closing("On the board", PROMPT);
    alice.wait_for("board busy", PROMPT);
    // Bob's wall is not frozen either.
    bob.type_text("?");
    bob.wait_for("On the board", PROMPT);
    bob.escape_closing("On the board", PROMPT);

    // Release. The queued edit lands in the file within a few seconds.
    lock.execute_batch("COMMIT").unwrap();
    drop(lock);
    let released = Deadline::after(Duration::from_secs(5));
    wait::until("the queued move to land", released, || {
        match status_of(&db, "Shared från alice ✓") {
            Some(s) if s == "do" => Ok(()),
            other => Err(format!(
                "status {other:?}; alice's screen:\n{}",
                alice.read_screen()
            )),
        }
    });
    eprintln!("landed {:?} after the release", released.elapsed());
    alice.wait_gone("board busy", T);
    // And bob sees the move.
    bob.wait_for("alice moved #9 'Shared från alice ✓' to Do", T);

    let conn = Connection::open(&db).unwrap();
    obeya::store::add_name_collation(&conn).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");

    // Quitting removes the heartbeat: bob no longer sees alice.
    alice.type_text("q");
    alice.wait_alternate(false, T);
    bob.wait_gone("alice here", T);
}

/// A read that does not wait for a lock: `None` while another process holds it.
fn status_of_quick(db: &Path, title: &str) -> Option<String> {
    let conn = Connection::open(db).ok()?;
    // rusqlite waits up to 5 s for a lock by default; this read must not wait at all.
    conn.busy_timeout(Duration::ZERO).ok()?;
    conn.query_row("SELECT status FROM item WHERE title = ?1", [title], |r| {
        r.get(0)
    })
    .ok()
}
