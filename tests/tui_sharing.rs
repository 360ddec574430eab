//! Issue 4's "Done when", with real processes on one real file: two walls (alice and bob)
//! in tmux, the `sqlite3` shell, and a test thread that holds the write lock.

#[path = "common/tmux.rs"]
mod tmux;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use rusqlite::Connection;
use tmux::{Server, Session};

const T: Duration = Duration::from_secs(10);
/// Issue 4: a change appears on the other wall within 2 seconds.
const LIVE: Duration = Duration::from_secs(2);

fn starter_board(dir: &Path) -> PathBuf {
    let path = dir.join("team.db");
    let mut store = obeya::store::Store::create(&path, "setup").unwrap();
    obeya::exchange::import(&mut store, &obeya::exchange::starter()).unwrap();
    path
}

fn open_wall<'a>(server: &'a Server, dir: &Path, user: &str, db: &Path) -> Session<'a> {
    let s = server.session(user, 120, 40, dir);
    let p = |x: &str| dir.join(x).to_str().unwrap().to_owned();
    let (home, data, config) = (p("home"), p("data"), p("config"));
    s.run_obeya(
        &[
            ("HOME", &home),
            ("XDG_DATA_HOME", &data),
            ("XDG_CONFIG_HOME", &config),
            ("OBEYA_USER", user),
            ("TERM", "xterm-256color"),
            ("LANG", "C.UTF-8"),
        ],
        &["--db", db.to_str().unwrap()],
    );
    s.wait_for(&format!("team.db · {user} · ● live"), T);
    s
}

fn status_of(db: &Path, title: &str) -> Option<String> {
    let conn = Connection::open(db).unwrap();
    conn.busy_timeout(Duration::from_secs(5)).unwrap();
    conn.query_row("SELECT status FROM item WHERE title = ?1", [title], |r| {
        r.get(0)
    })
    .ok()
}

#[test]
fn two_walls_on_one_file_see_each_other_the_shell_and_a_busy_board() {
    let dir = tempfile::tempdir().unwrap();
    let db = starter_board(dir.path());
    let server = Server::new("sharing");
    let alice = open_wall(&server, dir.path(), "alice", &db);
    let bob = open_wall(&server, dir.path(), "bob", &db);

    // Presence: each sees the other (the heartbeat is written at start).
    alice.wait_for("● live (bob here)", T);
    bob.wait_for("● live (alice here)", T);

    // An item added on alice's wall shows on bob's within 2 seconds.
    alice.text("4");
    alice.text("n");
    alice.wait_for("New improvement item", T);
    alice.text("Shared från alice ✓");
    alice.keys(&["C-s"]);
    alice.wait_for("Shared från alice", T);
    let t0 = Instant::now();
    bob.wait_for("Shared från alice", LIVE);
    eprintln!("alice → bob: {:?}", t0.elapsed());
    bob.wait_for("alice added", T);

    // A row inserted with the sqlite3 shell appears on both walls.
    let out = Command::new("sqlite3")
        .arg("-cmd")
        .arg(".timeout 5000")
        .arg(&db)
        .arg("INSERT INTO item (title) VALUES ('from the shell')")
        .output()
        .expect("sqlite3 runs (is it installed?)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let t0 = Instant::now();
    alice.wait_for("from the shell", LIVE);
    bob.wait_for(
        "from the shell",
        LIVE.saturating_sub(t0.elapsed()) + Duration::from_millis(1),
    );
    eprintln!("sqlite3 → both walls: {:?}", t0.elapsed());

    // Busy: another process holds the write lock for 10 seconds.
    let (locked_tx, locked_rx) = mpsc::channel();
    let lock_db = db.clone();
    let holder = std::thread::spawn(move || {
        let conn = Connection::open(&lock_db).unwrap();
        conn.busy_timeout(Duration::from_secs(5)).unwrap();
        conn.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let since = Instant::now();
        locked_tx.send(()).unwrap();
        std::thread::sleep(Duration::from_secs(10));
        conn.execute_batch("COMMIT").unwrap();
        since.elapsed()
    });
    locked_rx.recv().unwrap();
    let locked_at = Instant::now();

    // The selection is still on alice's new card (in Plan): L moves it to Do.
    assert_eq!(
        status_of_quick(&db, "Shared från alice ✓"),
        None,
        "the test's lock really blocks readers"
    );
    alice.text("L");
    alice.wait_for("board busy", T);
    // The wall still answers keys: help opens and closes.
    alice.text("?");
    alice.wait_for("suspend to the shell", Duration::from_secs(2));
    alice.escape();
    alice.wait_gone("suspend to the shell", Duration::from_secs(2));
    alice.wait_for("board busy", Duration::from_secs(2));
    assert!(
        locked_at.elapsed() < Duration::from_secs(9),
        "all of that happened while the lock was held ({:?})",
        locked_at.elapsed()
    );
    // Bob's wall is not frozen either.
    bob.text("?");
    bob.wait_for("suspend to the shell", Duration::from_secs(2));
    bob.escape();
    bob.wait_gone("suspend to the shell", Duration::from_secs(2));

    let held = holder.join().unwrap();
    assert!(held >= Duration::from_secs(10));
    let released = Instant::now();

    // After the release the edit lands in the file within a few seconds.
    loop {
        if status_of(&db, "Shared från alice ✓").as_deref() == Some("do") {
            break;
        }
        assert!(
            released.elapsed() < Duration::from_secs(5),
            "the queued move never landed: {:?}\n{}",
            status_of(&db, "Shared från alice ✓"),
            alice.capture()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!("landed {:?} after the release", released.elapsed());
    alice.wait_gone("board busy", T);
    // And bob sees the move.
    bob.wait_for("alice moved 'Shared från alice ✓' to Do", T);

    let conn = Connection::open(&db).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");

    // Quitting removes the heartbeat: bob no longer sees alice.
    alice.text("q");
    alice.wait_format("#{alternate_on}", "0", T);
    bob.wait_gone("alice here", T);
}

/// A read that does not wait for a lock: `None` while another process holds it.
fn status_of_quick(db: &Path, title: &str) -> Option<String> {
    let conn = Connection::open(db).ok()?;
    conn.query_row("SELECT status FROM item WHERE title = ?1", [title], |r| {
        r.get(0)
    })
    .ok()
}
