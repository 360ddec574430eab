//! Issue 21 on one machine: reading writes nothing to the board file; a board replaced
//! under an open wall is reopened and a save goes to the new file; the conflict copies
//! of every sync tool obeya knows are merged for you, by any command, with their authors
//! kept, and removed; a copy merged twice writes nothing the second time.
//!
//! Every deadline is scaled by `OBEYA_TEST_TIME_SCALE` (see `kit::wait`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crossterm::event::KeyCode;
use kit::drive::*;
use kit::wait;
use obeya::keymap::Command as Cmd;
use obeya::model::Item;
use obeya::store::copies::{Certainty, certainty, settled};
use obeya::store::merge::merge_file;
use obeya::store::{CopyOutcome, Store};

const T: Duration = Duration::from_secs(10);

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
fn ok(home: &Path, user: &str, db: &Path, args: &[&str]) -> Output {
    let out = obeya(home, user, db, args);
    assert!(
        out.status.success(),
        "{user}: obeya {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn board() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("team.db");
    ok(dir.path(), "alice", &db, &["init"]);
    (dir, db)
}

/// What a sync tool leaves: a copy of the board made now, changed by `user` with
/// `args`, then left alone until it is finished (no longer being written).
fn copy_changed_by(dir: &Path, db: &Path, name: &str, user: &str, args: &[&str]) -> PathBuf {
    let copy = dir.join(name);
    std::fs::copy(db, &copy).unwrap();
    if !args.is_empty() {
        ok(dir, user, &copy, args);
    }
    wait_settled(&copy);
    copy
}

fn wait_settled(copy: &Path) {
    wait::until("the copy to be left alone", T, || {
        if settled(copy) {
            Ok(())
        } else {
            Err(copy.display().to_string())
        }
    });
}

fn titles(db: &Path) -> Vec<String> {
    let b = kit::fixture::reopen(db);
    b.items.into_iter().map(|i| i.title).collect()
}

#[test]
fn reading_opening_and_an_idle_wall_write_nothing_to_the_board() {
    let (dir, db) = board();
    let before = std::fs::read(&db).unwrap();
    let h = dir.path();
    for args in [
        &["item", "list"][..],
        &["item", "show", "1"],
        &["export"],
        &["export", "--format", "toml"],
        &["log"],
        &["coverage"],
        &["persona", "list"],
        &["stage", "list"],
        &["standup", "list"],
        &["check"],
    ] {
        ok(h, "bob", &db, args);
        assert_eq!(
            std::fs::read(&db).unwrap(),
            before,
            "obeya {args:?} wrote the board"
        );
    }
    // A wall: open, filtered, idle through ticks, quit.
    let mut app = app_on(&db, "bob");
    keys(&mut app, "/refund");
    press(&mut app, key(KeyCode::Enter));
    for _ in 0..3 {
        app.tick();
    }
    press(&mut app, key(KeyCode::Esc));
    app.leave();
    drop(app);
    assert_eq!(
        std::fs::read(&db).unwrap(),
        before,
        "the wall wrote the board"
    );
    assert!(!db.with_extension("db-journal").exists());
}

#[test]
fn the_conflict_copies_of_each_sync_tool_are_known_by_name() {
    let named = [
        "team.sync-conflict-20261207-094338-ETRZXPS.db", // Syncthing
        "team (Bob's conflicted copy 2026-12-07).db",    // Dropbox
        "team (conflicted copy 2026-12-07 094338).db",   // Nextcloud, Google Drive
        "team_conflict-20261207-094338.db",              // ownCloud, older Nextcloud
        "team (LAPTOP7 Conflict 2026-12-07).db",         // OneDrive
        "Team.Sync-Conflict-20261207-094338-ETRZXPS.DB", // case kept by the tool
        "team.obeya-conflict-20261207-094338-4242.db",   // obeya's own
    ];
    for n in named {
        assert_eq!(certainty("team.db", n), Some(Certainty::Named), "{n}");
    }
    let likely = [
        "team 2.db",       // iCloud
        "team (1).db",     // Google Drive, OneDrive
        "team-LAPTOP7.db", // OneDrive: the computer's name
    ];
    for n in likely {
        assert_eq!(certainty("team.db", n), Some(Certainty::Likely), "{n}");
    }
    let none = [
        "team.db",
        "team.db-journal",
        "team.db.presence",
        "team.db.lock",
        "team.db.v8.bak",
        ".syncthing.team.db.tmp",
        "~syncthing~team.db.tmp",
        "other.db",
        "team.sync-conflict-20261207-094338-ETRZXPS.txt",
        "teamwork.db",
    ];
    for n in none {
        assert_eq!(certainty("team.db", n), None, "{n}");
    }
}

#[test]
fn any_command_merges_a_finished_conflict_copy_with_its_authors_and_removes_it() {
    let (dir, db) = board();
    let h = dir.path();
    let copy = copy_changed_by(
        h,
        &db,
        "team.sync-conflict-20261207-094338-ETRZXPS.db",
        "bob",
        &["item", "add", "Bob's, made apart"],
    );
    // Alice's change here (through the store: a command would merge the copy first).
    Store::open(&db, "alice")
        .unwrap()
        .add_item(Item {
            title: "Alice's, made apart".into(),
            ..Item::default()
        })
        .unwrap();
    // A read-only command finds the copy, merges it, and says so on stderr.
    let out = ok(h, "carol", &db, &["item", "list"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("merged the conflict copy team.sync-conflict-20261207-094338-ETRZXPS.db")
            && err.contains("by bob"),
        "{err}"
    );
    assert!(!copy.exists(), "the merged copy is removed");
    let t = titles(&db);
    assert!(
        t.contains(&"Bob's, made apart".to_owned())
            && t.contains(&"Alice's, made apart".to_owned())
    );
    // Bob's change is his in the log, marked as merged from the copy.
    let store = Store::open(&db, "checker").unwrap();
    let row = store
        .recent_activity(50)
        .unwrap()
        .into_iter()
        .find(|a| a.summary.contains("Bob's, made apart"))
        .unwrap();
    assert_eq!(row.who, "bob");
    assert!(
        row.summary
            .ends_with("(merged from conflict copy team.sync-conflict-20261207-094338-ETRZXPS.db)"),
        "{}",
        row.summary
    );
    let item: Item = store
        .load_board()
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.title == "Bob's, made apart")
        .unwrap();
    assert_eq!(item.meta.updated_by, "bob");
}

#[test]
fn the_same_copy_merged_twice_writes_nothing_the_second_time() {
    let (dir, db) = board();
    let h = dir.path();
    let copy = copy_changed_by(
        h,
        &db,
        "theirs.db",
        "bob",
        &["item", "edit", "1", "--owner", "dana"],
    );
    // Two machines each merge the copy: the second merge brings nothing new.
    let mut store = Store::open(&db, "alice").unwrap();
    let first = merge_file(&mut store, &copy).unwrap();
    assert!(first.wrote && !first.lines.is_empty(), "{first}");
    let after_first = std::fs::read(&db).unwrap();
    let second = merge_file(&mut store, &copy).unwrap();
    assert!(!second.wrote, "{second}");
    assert_eq!(
        std::fs::read(&db).unwrap(),
        after_first,
        "the second merge wrote the board"
    );
}

#[test]
fn a_copy_still_being_written_or_a_persons_backup_is_left_alone() {
    let (dir, db) = board();
    let h = dir.path();
    // Half written: its header promises more pages than there are.
    let half = h.join("team.sync-conflict-20261207-094338-AAAAAAA.db");
    let whole = std::fs::read(&db).unwrap();
    std::fs::write(&half, &whole[..whole.len() / 2]).unwrap();
    // A backup someone made, named as iCloud would name a conflict copy: no changes of
    // its own.
    let backup = copy_changed_by(h, &db, "team 2.db", "bob", &[]);
    wait_settled(&backup);
    let mut store = Store::open(&db, "alice").unwrap();
    let outcomes = store.merge_conflict_copies();
    assert!(outcomes.is_empty(), "{outcomes:?}");
    assert!(half.exists() && backup.exists());
    // Once the iCloud-named copy has changes of its own, it is a fork: merged.
    ok(h, "bob", &backup, &["item", "add", "Bob's, in iCloud"]);
    wait_settled(&backup);
    let outcomes = store.merge_conflict_copies();
    assert!(
        matches!(&outcomes[..], [CopyOutcome::Merged(r)] if r.wrote),
        "{outcomes:?}"
    );
    assert!(!backup.exists());
    assert!(titles(&db).contains(&"Bob's, in iCloud".to_owned()));
}

/// A new version of the board put in place as a sync tool does: written beside it,
/// then renamed over it.
fn deliver_new_version(db: &Path, title: &str) {
    let tmp = db.with_file_name(".syncthing.team.db.tmp");
    std::fs::copy(db, &tmp).unwrap();
    let mut other = Store::open(&tmp, "bob").unwrap();
    other
        .add_item(Item {
            title: title.into(),
            ..Item::default()
        })
        .unwrap();
    drop(other);
    std::fs::rename(&tmp, db).unwrap();
}

#[test]
fn a_board_replaced_under_an_open_wall_is_reopened_and_its_saves_go_to_the_new_file() {
    let (dir, db) = board();
    let _keep = dir;
    let mut app = app_on(&db, "alice");
    deliver_new_version(&db, "Delivered by the sync tool");
    app.tick();
    let note = app.note().map(|n| n.text.clone()).unwrap_or_default();
    assert!(
        note.contains("board file replaced by a new version"),
        "{note}"
    );
    assert!(cards(&app).any(|i| i.title == "Delivered by the sync tool"));
    // A save now lands in the new file.
    cmd(&mut app, Cmd::FocusImprovements);
    cmd(&mut app, Cmd::New);
    type_text(&mut app, "Saved after the replacement");
    press(&mut app, ctrl('s'));
    assert!(app.form().is_none());
    assert!(titles(&db).contains(&"Saved after the replacement".to_owned()));

    // Replaced again between two ticks, a save meets the old file (SQLite: "database
    // moved"): it is saved in the new one, and the wall says so.
    deliver_new_version(&db, "Delivered again");
    cmd(&mut app, Cmd::New);
    type_text(&mut app, "Saved into the moved board");
    press(&mut app, ctrl('s'));
    assert!(
        app.form().is_none(),
        "{:?}",
        app.form().and_then(|f| f.error())
    );
    let t = titles(&db);
    assert!(
        t.contains(&"Saved into the moved board".to_owned())
            && t.contains(&"Delivered again".to_owned()),
        "{t:?}"
    );
}

#[test]
fn a_change_on_this_machine_shows_on_an_open_wall_at_once_not_at_the_next_poll() {
    use kit::term::{Session, Spawn};
    let (dir, db) = board();
    let h = dir.path();
    // The poll is set to 30 s: only a file-change notification can bring the change in
    // sooner.
    let config = h.join("slow-poll.toml");
    std::fs::write(&config, "[sharing]\npoll_ms = 30000\n").unwrap();
    let spawn = Spawn::new(crate::OBEYA)
        .arg("--db")
        .arg(&db)
        .arg("--config")
        .arg(&config)
        .env("HOME", h)
        .env("XDG_DATA_HOME", h.join("data"))
        .env("XDG_CONFIG_HOME", h.join("config"))
        .env("OBEYA_USER", "alice")
        .env("TERM", "xterm-256color")
        .env("LANG", "C.UTF-8")
        .cwd(h)
        .size(120, 40);
    let mut wall = Session::start("alice", &spawn);
    wall.wait_for("team.db · alice · ● live", T);
    let mut times = Vec::new();
    for n in 0..3 {
        let title = format!("Added beside the wall {n}");
        ok(h, "bob", &db, &["item", "add", &title]);
        // Counted from the moment the command had committed and ended.
        let shown = wait::Deadline::after(Duration::from_millis(1000));
        wall.wait_for(&title, shown);
        times.push(shown.elapsed());
    }
    eprintln!("bob's command → alice's wall: {times:?}");
    wall.type_text("q");
    wall.wait_alternate(false, T);
}

#[test]
fn a_save_that_lands_in_a_board_replaced_mid_save_is_kept_as_a_copy_and_merged() {
    let (dir, db) = board();
    let mut store = Store::open(&db, "alice").unwrap();
    store
        .write(|w| {
            // The save has begun writing (SQLite's "moved" check is behind it) when the
            // sync tool renames a new version over the board.
            w.create(Item {
                title: "Saved during the swap".into(),
                ..Item::default()
            })?;
            deliver_new_version(&db, "Delivered during the save");
            Ok(())
        })
        .unwrap();
    assert!(store.take_reopened(), "the store reads the new file");
    let kept: Vec<_> = obeya::store::conflict_copies(&db)
        .into_iter()
        .filter(|c| c.path.to_string_lossy().contains(".obeya-conflict-"))
        .collect();
    assert_eq!(
        kept.len(),
        1,
        "the old file is kept beside the board: {kept:?}"
    );
    wait_settled(&kept[0].path);
    let outcomes = store.merge_conflict_copies();
    assert!(
        matches!(&outcomes[..], [CopyOutcome::Merged(r)] if r.wrote),
        "{outcomes:?}"
    );
    let t = titles(&db);
    assert!(
        t.contains(&"Saved during the swap".to_owned())
            && t.contains(&"Delivered during the save".to_owned()),
        "{t:?}"
    );
    drop(dir);
}

#[test]
fn a_copy_that_cannot_be_merged_keeps_its_command_whole_on_the_banner() {
    // A board deep in folders: the copy's path alone is wider than the banner.
    let dir = tempfile::tempdir().unwrap();
    let deep = dir
        .path()
        .join("a shared drive of the whole team")
        .join("customer orientation 2026")
        .join("the obeya boards of every team");
    std::fs::create_dir_all(&deep).unwrap();
    let db = deep.join("team.db");
    ok(dir.path(), "alice", &db, &["init"]);
    // A copy with a cell obeya cannot read: it is refused, and stays.
    let copy = deep.join("team.sync-conflict-20261207-094338-ETRZXPS.db");
    std::fs::copy(&db, &copy).unwrap();
    rusqlite::Connection::open(&copy)
        .unwrap()
        .execute_batch("UPDATE item SET due = 'someday' WHERE id = 1;")
        .unwrap();
    wait_settled(&copy);
    let mut app = app_on(&db, "alice");
    app.tick();
    let banner = app.screen().banner().expect("a banner says so").to_owned();
    assert!(banner.contains("was not merged"), "{banner}");
    let command = format!("obeya check --db '{}'", copy.display());
    assert!(banner.ends_with(&command), "{banner}");
    let screen = render(&mut app, 120, 35);
    let line = screen
        .lines()
        .find(|l| l.contains("⚠ the conflict copy"))
        .unwrap_or_else(|| panic!("no banner:\n{screen}"));
    // Too long for the screen: the words and the middle of the path give way; the
    // command's start and the copy's name stay.
    assert!(
        line.contains("· see why: obeya check --db '")
            && line
                .trim_end()
                .ends_with("team.sync-conflict-20261207-094338-ETRZXPS.db'"),
        "the banner cuts its words, not its command:\n{line}"
    );
    let wide = render(&mut app, 250, 35);
    assert!(wide.contains(&command), "{wide}");
    assert!(copy.exists(), "the copy is kept");
}
