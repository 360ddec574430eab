//! Issue 21, a synced folder: two laptops each with their own copy of the team's folder,
//! kept alike by two real Syncthing instances on loopback. One scenario, in the order a
//! team meets it:
//!
//! 1. two walls open, one per laptop, and idle: neither writes the board, so no
//!    conflict copy is made (each sees the other through the presence files, which
//!    proves the folder syncs meanwhile);
//! 2. a change on one laptop shows on the other's open wall (the sync tool renames a new
//!    version over the board: the wall reopens it), and that wall can then save;
//! 3. edits on both laptops while apart end up on both boards, with no copy left (the
//!    walls merge the conflict copy Syncthing makes);
//! 4. a burst of adds on both laptops at once converges to the same board holding every
//!    acknowledged add.
//!
//! Every deadline is scaled by `OBEYA_TEST_TIME_SCALE` (see `kit::wait`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use kit::rigs::syncthing::SyncthingPair;
use kit::term::{Session, Spawn};
use kit::wait::{self, Deadline};

const T: Duration = Duration::from_secs(20);
/// Issue 21: a change a sync tool delivers shows within 2 seconds of its arrival.
const ARRIVAL: Duration = Duration::from_secs(2);
/// How long Syncthing may take to bring the two laptops together after a conflict.
const SETTLE: Duration = Duration::from_secs(60);

fn obeya(home: &Path, user: &str, db: &Path, args: &[&str]) -> Output {
    Command::new(crate::OBEYA)
        .env_remove("OBEYA_DB")
        .env_remove("OBEYA_CONFIG")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("OBEYA_USER", user)
        .args(args)
        .arg("--db")
        .arg(db)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[track_caller]
fn obeya_ok(home: &Path, user: &str, db: &Path, args: &[&str]) -> String {
    let out = obeya(home, user, db, args);
    assert!(
        out.status.success(),
        "{user}: obeya {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn wall(home: &Path, user: &str, db: &Path) -> Session {
    let spawn = Spawn::new(crate::OBEYA)
        .arg("--db")
        .arg(db)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("OBEYA_USER", user)
        .env("TERM", "xterm-256color")
        .env("LANG", "C.UTF-8")
        .cwd(home)
        .size(160, 50);
    let mut s = Session::start(user, &spawn);
    s.wait_for(&format!("team.db · {user} · ● live"), T);
    s
}

/// The item titles on a board, sorted; `Err` while it cannot be read (being replaced).
fn titles(db: &Path) -> Result<Vec<String>, String> {
    let c = rusqlite::Connection::open_with_flags(db, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| e.to_string())?;
    c.busy_timeout(Duration::from_secs(1))
        .map_err(|e| e.to_string())?;
    let mut stmt = c
        .prepare("SELECT title FROM item ORDER BY title")
        .map_err(|e| e.to_string())?;
    let t = stmt
        .query_map([], |r| r.get(0))
        .and_then(|rows| rows.collect::<Result<Vec<String>, _>>())
        .map_err(|e| e.to_string())?;
    Ok(t)
}

/// The sync-conflict copies (any name obeya knows) beside a board.
fn copies(db: &Path) -> Vec<PathBuf> {
    obeya::store::conflict_copies(db)
        .into_iter()
        .map(|c| c.path)
        .collect()
}

fn integrity(db: &Path) -> String {
    let c = rusqlite::Connection::open(db).unwrap();
    obeya::store::add_name_collation(&c).unwrap();
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// Wait until both boards hold the same items, every one of `want` among them, and no
/// conflict copy is left on either laptop.
#[track_caller]
fn converged(rig: &SyncthingPair, boards: [&Path; 2], want: &[String], within: Duration) {
    wait::until("both laptops to hold the same board", within, || {
        let (a, b) = (titles(boards[0])?, titles(boards[1])?);
        let missing: Vec<_> = want
            .iter()
            .filter(|t| !a.contains(t) || !b.contains(t))
            .collect();
        let left: Vec<_> = boards.iter().flat_map(|d| copies(d)).collect();
        if a == b && missing.is_empty() && left.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "a: {a:?}\nb: {b:?}\nmissing: {missing:?}\ncopies: {left:?}\n{}",
                rig.logs()
            ))
        }
    });
}

#[test]
fn a_board_in_a_folder_two_syncthing_instances_keep_alike() {
    let rig = SyncthingPair::start();
    let home = tempfile::tempdir().unwrap();
    let (h, a, b) = (
        home.path(),
        rig.folder(0).join("team.db"),
        rig.folder(1).join("team.db"),
    );
    obeya_ok(h, "alice", &a, &["init"]);
    let starter = titles(&a).unwrap();
    wait::until("the board on the second laptop", T, || match titles(&b) {
        Ok(t) if t == starter => Ok(()),
        other => Err(format!("{other:?}")),
    });

    // 1. Two idle walls write nothing: no conflict copy, the boards untouched.
    let before = [std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap()];
    let mut alice = wall(h, "alice", &a);
    let mut bob = wall(h, "bob", &b);
    // Each sees the other: their presence files went through the sync tool.
    alice.wait_for("● live (bob here)", T);
    bob.wait_for("● live (alice here)", T);
    alice.type_text("/refund");
    alice.press("enter");
    bob.type_text("4");
    assert_eq!(
        std::fs::read(&a).unwrap(),
        before[0],
        "alice's wall wrote her board"
    );
    assert_eq!(
        std::fs::read(&b).unwrap(),
        before[1],
        "bob's wall wrote his board"
    );
    assert!(copies(&a).is_empty() && copies(&b).is_empty());
    alice.press("esc");

    // 2. A change on alice's laptop shows on bob's open wall within 2 s of arriving.
    let old = obeya::store::file_id(&b);
    obeya_ok(h, "alice", &a, &["item", "add", "From alice's laptop"]);
    wait::until("alice's change to arrive on bob's laptop", T, || {
        if obeya::store::file_id(&b) != old
            && titles(&b)?.iter().any(|t| t == "From alice's laptop")
        {
            Ok(())
        } else {
            Err(rig.logs())
        }
    });
    let shown = Deadline::after(ARRIVAL);
    bob.wait_for("From alice's laptop", shown);
    eprintln!("arrival → bob's wall: {:?}", shown.elapsed());
    // And bob's wall saves (into the new file), which reaches alice.
    bob.type_text("n");
    bob.wait_for("New improvement item", T);
    bob.type_text("From bob's wall");
    bob.press("c-s");
    bob.wait_gone("New improvement item", T);
    wait::until("bob's item on alice's laptop", T, || {
        let t = titles(&a)?;
        if t.iter().any(|x| x == "From bob's wall") {
            Ok(())
        } else {
            Err(format!("{t:?}\nbob's wall:\n{}", bob.read_screen()))
        }
    });
    alice.wait_for("From bob's wall", T);

    // 3. Apart, each laptop edits; together again, both boards hold both edits.
    rig.set_apart(true);
    obeya_ok(h, "alice", &a, &["item", "add", "Alice while apart"]);
    obeya_ok(h, "bob", &b, &["item", "add", "Bob while apart"]);
    rig.set_apart(false);
    rig.rescan();
    let apart = ["Alice while apart".to_owned(), "Bob while apart".to_owned()];
    converged(&rig, [&a, &b], &apart, SETTLE);
    // The copy's change keeps its author, marked as merged from the copy.
    let log = obeya_ok(h, "carol", &a, &["log"]);
    assert!(log.contains("merged from conflict copy"), "{log}");
    alice.wait_for("Bob while apart", T);
    bob.wait_for("Alice while apart", T);

    // 4. A burst of adds on both laptops at once.
    let burst: Vec<_> = [("alice", a.clone()), ("bob", b.clone())]
        .into_iter()
        .map(|(user, db)| {
            let home = h.to_path_buf();
            std::thread::spawn(move || {
                (0..4)
                    .filter_map(|i| {
                        let title = format!("{user} burst {i}");
                        obeya(&home, user, &db, &["item", "add", &title])
                            .status
                            .success()
                            .then_some(title)
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let acknowledged: Vec<String> = burst.into_iter().flat_map(|t| t.join().unwrap()).collect();
    assert!(!acknowledged.is_empty());
    rig.rescan();
    converged(&rig, [&a, &b], &acknowledged, SETTLE);
    for db in [&a, &b] {
        assert_eq!(integrity(db), "ok");
    }
    alice.type_text("q");
    bob.type_text("q");
    alice.wait_alternate(false, T);
    bob.wait_alternate(false, T);
}
