//! A signal never loses typed text (issue 20): SIGTERM and a hang-up (SIGHUP) save the
//! form being typed in as Ctrl-s would, or, when it cannot be saved (a rule it breaks,
//! a teammate's lock held past the time there is), print it in full to stderr; and the
//! wall ends within the two seconds the README states, measured from the signal.

use std::path::{Path, PathBuf};
use std::time::Duration;

use kit::term::{Session, Spawn, sh_quote};
use kit::wait::{self, Deadline};
use rusqlite::Connection;

use crate::OBEYA;

const T: Duration = Duration::from_secs(10);

/// What the README promises: the wall ends within two seconds of the signal. The test
/// allows for its own polling and for the signal reaching the wall after a hang-up.
const EXIT_WITHIN: Duration = Duration::from_millis(2300);

const TITLE: &str = "Refund ✓ typed, never saved by hand";
const IMPACT: [&str; 2] = ["first line of the impact", "second line, kept too"];

/// The starter board and a wall on it (stderr to a file), in `dir`.
fn wall(dir: &Path) -> (Session, PathBuf, PathBuf) {
    let db = dir.join("team.db");
    let mut store = obeya::store::Store::create(&db, "setup").unwrap();
    obeya::exchange::import(&mut store, &obeya::exchange::starter()).unwrap();
    drop(store);
    let err = dir.join("stderr.txt");
    // The shell opens the file, then becomes the wall (`exec`): the wall still leads the
    // terminal, and gets its hang-up.
    let spawn = Spawn::new("sh")
        .arg("-c")
        .arg(format!(
            "exec {} --db {} 2>{}",
            sh_quote(OBEYA),
            sh_quote(db.to_str().unwrap()),
            sh_quote(err.to_str().unwrap())
        ))
        .env("HOME", dir.join("home"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("OBEYA_USER", "alice")
        .env("TERM", "xterm-256color")
        .env("LANG", "C.UTF-8")
        .cwd(dir)
        .size(120, 40);
    let mut s = Session::start("wall", &spawn);
    s.wait_for("team.db · alice · ● live", T);
    (s, db, err)
}

/// A new item typed into its form, not saved: the title, the due day, and two lines of
/// impact (the seventh field).
fn type_new_item(s: &mut Session, due: &str) {
    s.type_text("4");
    s.type_text("n");
    s.wait_for("New improvement item", T);
    s.type_text(TITLE);
    s.press_n("tab", 3);
    s.type_text(due);
    s.press_n("tab", 3);
    s.type_text(IMPACT[0]);
    s.press("enter");
    s.type_text(IMPACT[1]);
    s.wait_for(IMPACT[1], T);
}

/// Close the terminal. The harness types Ctrl-J and Ctrl-D as it closes it (see
/// `Session::hang_up`), which a field's editor takes as "delete to the start of the
/// line": the focus goes on to the next field, empty, first.
fn hang_up(s: &mut Session) {
    s.press("tab");
    s.hang_up();
}

fn term(s: &Session) {
    rustix::process::kill_process(
        rustix::process::Pid::from_raw(s.pid).unwrap(),
        rustix::process::Signal::TERM,
    )
    .unwrap();
}

/// Wait for the wall to end after a signal sent now (by `send`); how long it took.
fn ends_after(s: &mut Session, what: &str, send: impl FnOnce(&mut Session)) -> Option<i32> {
    let deadline = Deadline::after(Duration::from_secs(6));
    send(s);
    let status = s.wait_for_exit(deadline);
    let took = deadline.elapsed();
    eprintln!("the wall ended {took:?} after {what}");
    assert!(
        took <= wait::scaled(EXIT_WITHIN),
        "the wall took {took:?} to end after {what} (the README says within two seconds)"
    );
    Some(status.exit_code() as i32)
}

/// The item saved from the form, if it was: its impact.
fn saved_impact(db: &Path) -> Option<String> {
    let c = Connection::open(db).unwrap();
    c.query_row("SELECT impact FROM item WHERE title = ?1", [TITLE], |r| {
        r.get(0)
    })
    .ok()
}

#[test]
fn sigterm_saves_the_form_being_typed_in_as_ctrl_s_would() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, db, err) = wall(dir.path());
    type_new_item(&mut s, "");
    let code = ends_after(&mut s, "TERM", |s| term(s));
    let stderr = std::fs::read_to_string(err).unwrap();
    assert_eq!(code, Some(0), "{stderr}");
    s.assert_restored();
    assert_eq!(
        saved_impact(&db).as_deref(),
        Some(IMPACT.join("\n").as_str())
    );
}

#[test]
fn a_hang_up_saves_the_form_being_typed_in() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, db, err) = wall(dir.path());
    type_new_item(&mut s, "");
    ends_after(&mut s, "the hang-up", hang_up);
    let stderr = std::fs::read_to_string(err).unwrap();
    assert_eq!(
        saved_impact(&db).as_deref(),
        Some(IMPACT.join("\n").as_str()),
        "{stderr}"
    );
}

#[test]
fn a_form_that_cannot_be_saved_is_printed_in_full_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, db, err) = wall(dir.path());
    // No such day: the form would stay open on Ctrl-s, saying so.
    type_new_item(&mut s, "2026-02-30");
    let code = ends_after(&mut s, "TERM", |s| term(s));
    let stderr = std::fs::read_to_string(err).unwrap();
    assert_eq!(code, Some(1), "{stderr}");
    for text in [TITLE, IMPACT[0], IMPACT[1], "2026-02-30", "not saved"] {
        assert!(
            stderr.contains(text),
            "{text:?} is not in stderr:\n{stderr}"
        );
    }
    assert_eq!(saved_impact(&db), None);
    // The terminal was given back before it was printed.
    s.wait_alternate(false, T);
}

#[test]
fn a_hang_up_while_a_teammate_holds_the_lock_prints_the_form_within_two_seconds() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, db, err) = wall(dir.path());
    type_new_item(&mut s, "");
    let lock = Connection::open(&db).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE").unwrap();
    ends_after(&mut s, "the hang-up, the board locked", hang_up);
    drop(lock);
    let stderr = std::fs::read_to_string(err).unwrap();
    for text in [TITLE, IMPACT[0], IMPACT[1]] {
        assert!(
            stderr.contains(text),
            "{text:?} is not in stderr:\n{stderr}"
        );
    }
    assert_eq!(saved_impact(&db), None, "{stderr}");
}
