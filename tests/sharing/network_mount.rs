//! Issue 21, a network mount that shares no lock: two laptops mounting the team
//! server's folder with sshfs (a loopback sshd, two mounts of one folder), writers on
//! both mounts at once. obeya locks such a board with a lock folder and opens it afresh
//! for every transaction: the board stays whole, every acknowledged write is there, and
//! a refusal (a teammate held the lock too long) is in words, never a raw I/O error.
//!
//! Every deadline is scaled by `OBEYA_TEST_TIME_SCALE` (see `kit::wait`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use kit::rigs::sshfs::SshfsPair;
use kit::term::{Session, Spawn};
use kit::wait;

/// Generous: the lock folder changes hands between the two mounts about once a second.
const T: Duration = Duration::from_secs(30);

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

/// What a user must never read: SQLite's raw words for a broken or unreachable file.
const RAW: [&str; 5] = [
    "disk I/O error",
    "unable to open database file",
    "malformed",
    "database error",
    "readonly database",
];

fn integrity(db: &Path) -> String {
    let c = rusqlite::Connection::open(db).unwrap();
    obeya::store::add_name_collation(&c).unwrap();
    c.query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap()
}

/// The titles on the server's board, read as the writers lock it (a lock folder beside
/// it, SQLite's `unix-dotfile`), so a read never meets a write half done.
fn titles(db: &Path) -> Result<Vec<String>, rusqlite::Error> {
    let c = rusqlite::Connection::open_with_flags_and_vfs(
        db,
        rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        c"unix-dotfile",
    )?;
    c.busy_timeout(std::time::Duration::from_secs(20))?;
    let mut stmt = c.prepare("SELECT title FROM item ORDER BY title")?;
    stmt.query_map([], |r| r.get(0))?.collect()
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
        .size(120, 40);
    let mut s = Session::start(user, &spawn);
    s.wait_for(&format!("team.db · {user} · ● live"), T);
    s
}

#[test]
fn writers_on_two_sshfs_mounts_keep_the_board_whole_and_every_acknowledged_write() {
    let rig = SshfsPair::start();
    let home = tempfile::tempdir().unwrap();
    let [a, b]: [PathBuf; 2] = rig.mounts.clone().map(|m| m.join("team.db"));
    let out = obeya(home.path(), "alice", &a, &["init", "--empty"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A wall on laptop b names the treatment in its status bar.
    let mut bobs = wall(home.path(), "bob", &b);
    bobs.wait_for("⇄ network drive, lock folder", T);

    // Two writers on each mount, at once.
    let started = Instant::now();
    let writers: Vec<_> = [(&a, "alice"), (&b, "bob")]
        .into_iter()
        .flat_map(|(db, user)| (0..2).map(move |w| (db.clone(), user, w)))
        .map(|(db, user, w)| {
            let home = home.path().to_path_buf();
            std::thread::spawn(move || {
                let mut acked = Vec::new();
                let mut refused = Vec::new();
                for i in 0..3 {
                    let title = format!("{user}-{w}-{i}");
                    let out = obeya(&home, user, &db, &["item", "add", &title]);
                    if out.status.success() {
                        acked.push(title);
                    } else {
                        refused.push(String::from_utf8_lossy(&out.stderr).into_owned());
                    }
                }
                (acked, refused)
            })
        })
        .collect();
    let mut acked = Vec::new();
    let mut refused = Vec::new();
    for w in writers {
        let (a, r) = w.join().unwrap();
        acked.extend(a);
        refused.extend(r);
    }
    let took = started.elapsed();
    eprintln!(
        "{} adds acknowledged, {} refused, in {took:?} ({:?} per write)",
        acked.len(),
        refused.len(),
        took / 12
    );
    for r in &refused {
        eprintln!("refused: {r}");
        assert!(r.starts_with("obeya: "), "a refusal not in words: {r}");
        assert!(!RAW.iter().any(|raw| r.contains(raw)), "a raw error: {r}");
    }
    // (A writer may give up after waiting 15 s for the lock, in words: the lock folder
    // changes hands between the two mounts about once a second, as each mount's kernel
    // trusts what it last saw of the folder for that long.)
    assert!(!acked.is_empty(), "{refused:?}");

    // The board on the server is whole, and holds every acknowledged add once.
    let server = rig.server.join("team.db");
    assert_eq!(integrity(&server), "ok");
    let on_board = titles(&server).unwrap();
    for t in &acked {
        assert_eq!(
            on_board.iter().filter(|x| *x == t).count(),
            1,
            "acknowledged {t} missing or doubled: {on_board:?}"
        );
    }
    // Bob's wall counts them all (its poll on a network drive is slower than on a disk).
    let t = Instant::now();
    bobs.wait_for(&format!("Plan ({})", acked.len()), T);
    eprintln!("the last write → bob's wall: {:?}", t.elapsed());

    // The wall saves through the mount too.
    bobs.type_text("4");
    bobs.type_text("n");
    bobs.wait_for("New improvement item", T);
    bobs.type_text("from bob's wall");
    bobs.wait_for("from bob's wall", T);
    bobs.press("c-s");
    let t = Instant::now();
    // The save may wait for the lock folder: each mount's kernel trusts what it last saw
    // of the folder for a while (the README: up to 20 s without `-o dir_cache=no`), and
    // a save that found the board busy is tried again on the wall's next poll.
    wait::until("bob's item on the server", Duration::from_secs(90), || {
        let t = titles(&server).map_err(|e| e.to_string())?;
        if t.iter().any(|x| x == "from bob's wall") {
            Ok(())
        } else {
            Err(format!("{t:?}\n{}", bobs.read_screen()))
        }
    });

    eprintln!("bob's wall saved in {:?}", t.elapsed());
    bobs.type_text("q");
    bobs.wait_alternate(false, T);

    // A writer that crashed leaves its lock folder; once stale it is cleared, and the
    // next write lands.
    let lock = rig.server.join("team.db.lock");
    std::fs::create_dir(&lock).unwrap();
    let touched = Command::new("touch")
        .args(["-d", "1 hour ago"])
        .arg(&lock)
        .status()
        .unwrap();
    assert!(touched.success());
    let t = Instant::now();
    let out = obeya(home.path(), "alice", &a, &["item", "add", "after a crash"]);
    eprintln!("a write after a crash: {:?}", t.elapsed());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!lock.exists(), "the stale lock folder is cleared");
    assert_eq!(integrity(&server), "ok");
}
