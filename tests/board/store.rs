//! Store round-trips and refusals on real temporary files; the journal mode a board
//! gets; names kept unique across one transaction's writes; whole-file writes beside a
//! board.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};

use obeya::model::{FsKind, Item, Persona, ReadOnly, RuleError, Stage, Status};
use obeya::store::journal::{JournalAction, decide};
use obeya::store::{CardFilter, OpenError, Presence, Store, StoreError, files};

fn temp_board() -> (tempfile::TempDir, PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("team.db");
    let store = Store::create(&path, "alice").unwrap();
    (dir, path, store)
}

fn item(title: &str) -> Item {
    Item {
        title: title.into(),
        ..Item::default()
    }
}

/// A new board at `path` as an obeya of schema `version` made it.
fn board_at_schema(path: &Path, version: usize) -> rusqlite::Connection {
    let mut c = rusqlite::Connection::open(path).unwrap();
    obeya::store::add_name_collation(&c).unwrap();
    c.pragma_update(None, "application_id", obeya::store::APPLICATION_ID)
        .unwrap();
    obeya::store::migrations()
        .to_version(&mut c, version)
        .unwrap();
    c
}

fn journal_beside(path: &Path) -> bool {
    let mut j = path.as_os_str().to_owned();
    j.push("-journal");
    Path::new(&j).exists()
}

#[test]
fn a_new_board_opens_again_with_the_same_rows() {
    let (_d, path, mut store) = temp_board();
    let added = store.add_item(item("Shorter FAQ")).unwrap();
    assert_eq!(added.meta.version, 1);
    assert_eq!(added.meta.updated_by, "alice");
    drop(store);
    let store = Store::open(&path, "bob").unwrap();
    let board = store.load_board().unwrap();
    assert_eq!(board.items.len(), 1);
    assert_eq!(board.items[0].title, "Shorter FAQ");
    assert_eq!(board.columns.len(), 5);
    assert!(store.read_only().is_none());
}

#[test]
fn unicode_round_trips() {
    let (_d, _p, mut store) = temp_board();
    let title = "Zoë's café ☕ 顧客の声 🚀 — e\u{301}";
    store.add_item(item(title)).unwrap();
    assert_eq!(store.load_board().unwrap().items[0].title, title);
}

#[test]
fn every_change_writes_an_activity_row_with_its_author() {
    let (_d, _p, mut store) = temp_board();
    let it = store.add_item(item("Fix refunds")).unwrap();
    store.move_item(&it, Status::Check).unwrap();
    let log = store.recent_activity(10).unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].summary, "moved #1 'Fix refunds' to Check");
    assert_eq!(log[1].summary, "added #1 'Fix refunds' to Plan");
    assert!(log.iter().all(|a| a.who == "alice" && a.entity == "item"));
    assert!(log[0].before.as_deref().unwrap().contains("\"plan\""));
}

#[test]
fn persona_names_are_unique_ignoring_case() {
    let (_d, _p, mut store) = temp_board();
    store
        .add_persona(Persona {
            name: "Émile".into(),
            ..Default::default()
        })
        .unwrap();
    let err = store
        .add_persona(Persona {
            name: "émile".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert!(err.to_string().contains("'Émile' already exists"), "{err}");
    assert_eq!(store.load_board().unwrap().personas.len(), 1);
}

#[test]
fn edits_to_different_fields_merge() {
    // The same field edited by both is sharing::processes' conflict test.
    let (_d, path, mut alice) = temp_board();
    let base = alice.add_item(item("Chat pilot")).unwrap();
    let mut bob = Store::open(&path, "bob").unwrap();
    // bob changes the owner, alice (from the same base) the title: merged.
    bob.save(
        &base,
        &Item {
            owner: "bob".into(),
            ..base.clone()
        },
    )
    .unwrap();
    let saved = alice
        .save(
            &base,
            &Item {
                title: "Chat pilot v2".into(),
                ..base.clone()
            },
        )
        .unwrap();
    assert_eq!(saved.merged_with.as_deref(), Some("bob"));
    let now = alice.load_board().unwrap().items[0].clone();
    assert_eq!(
        (now.title.as_str(), now.owner.as_str()),
        ("Chat pilot v2", "bob")
    );
}

#[test]
fn undo_and_redo_restore_records_even_across_deletes() {
    let (_d, _p, mut store) = temp_board();
    let p = store
        .add_persona(Persona {
            name: "Maria".into(),
            ..Default::default()
        })
        .unwrap();
    let s = store
        .add_stage(Stage {
            name: "Buy".into(),
            ..Default::default()
        })
        .unwrap();
    store.set_feeling(p.id, s.id, -1, "slow").unwrap();
    store
        .add_item(Item {
            persona_id: Some(p.id),
            ..item("Faster checkout")
        })
        .unwrap();
    store.take_changes();
    store.delete_persona(&p).unwrap();
    let deleted = store.take_changes();
    let board = store.load_board().unwrap();
    assert!(board.personas.is_empty() && board.feelings.is_empty());
    assert_eq!(board.items[0].persona_id, None);

    store.revert(&deleted).unwrap();
    let undone = store.take_changes();
    let board = store.load_board().unwrap();
    assert_eq!(board.personas[0].name, "Maria");
    assert_eq!(board.feelings[0].score, -1);
    assert_eq!(board.items[0].persona_id, Some(p.id));

    store.revert(&undone).unwrap(); // redo
    assert!(store.load_board().unwrap().personas.is_empty());
}

#[test]
fn undo_is_refused_when_a_teammate_changed_the_record_since() {
    let (_d, path, mut alice) = temp_board();
    let it = alice.add_item(item("A")).unwrap();
    alice.take_changes();
    alice.move_item(&it, Status::Do).unwrap();
    let moved = alice.take_changes();
    let mut bob = Store::open(&path, "bob").unwrap();
    let now = bob.load_board().unwrap().items[0].clone();
    bob.save(
        &now,
        &Item {
            owner: "bob".into(),
            ..now.clone()
        },
    )
    .unwrap();
    let err = alice.revert(&moved).unwrap_err();
    assert!(err.to_string().contains("bob changed #1 'A'"), "{err}");
    assert_eq!(alice.load_board().unwrap().items[0].status, Status::Do);
}

fn refused(path: &Path) -> OpenError {
    let before = std::fs::read(path).unwrap();
    let err = match Store::open(path, "alice") {
        Err(e) => e,
        Ok(_) => panic!("{} should be refused", path.display()),
    };
    assert_eq!(std::fs::read(path).unwrap(), before, "file changed");
    assert!(!journal_beside(path), "journal left beside the file");
    assert!(
        err.to_string().contains(&path.display().to_string()),
        "message does not name the file: {err}"
    );
    err
}

#[test]
fn refusals_name_the_file_and_leave_it_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.db");
    std::fs::write(&empty, b"").unwrap();
    assert!(matches!(refused(&empty), OpenError::Empty(_)));

    let text = dir.path().join("notes.db");
    std::fs::write(&text, "shopping list: milk, eggs\n".repeat(50)).unwrap();
    assert!(matches!(refused(&text), OpenError::NotSqlite(_)));

    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    assert!(matches!(refused(&other), OpenError::NotBoard(_)));

    let damaged = dir.path().join("damaged.db");
    {
        let mut s = Store::create(&damaged, "alice").unwrap();
        for i in 0..300 {
            s.add_item(item(&format!("item {i} with some words to fill pages")))
                .unwrap();
        }
    }
    let mut bytes = std::fs::read(&damaged).unwrap();
    for b in bytes[4096 * 3..4096 * 6].iter_mut() {
        *b = 0xAB;
    }
    std::fs::write(&damaged, &bytes).unwrap();
    // Opening reads only the header and the schema; reading the damaged pages refuses.
    let store = Store::open(&damaged, "alice").unwrap();
    let err = store.load_board().unwrap_err();
    assert!(
        matches!(err, obeya::store::StoreError::Damaged(..)),
        "{err:?}"
    );
    assert!(err.to_string().contains("is damaged"), "{err}");
    drop(store);
    assert_eq!(std::fs::read(&damaged).unwrap(), bytes, "file changed");

    let missing = dir.path().join("nope.db");
    let err = Store::open(&missing, "alice").err().unwrap();
    assert!(err.to_string().contains("obeya init --db"), "{err}");
    assert!(!missing.exists());
}

#[test]
fn a_newer_schema_opens_read_only_and_refuses_writes() {
    let (_d, path, store) = temp_board();
    drop(store);
    rusqlite::Connection::open(&path)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut store = Store::open(&path, "alice").unwrap();
    assert!(matches!(
        store.read_only(),
        Some(ReadOnly::NewerSchema { found: 99, .. })
    ));
    assert!(store.load_board().is_ok());
    let err = store.add_item(item("x")).unwrap_err();
    assert!(err.to_string().contains("upgrade obeya"), "{err}");
    drop(store);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn a_file_without_write_permission_opens_read_only() {
    use std::os::unix::fs::PermissionsExt;
    let (_d, path, store) = temp_board();
    drop(store);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let mut store = Store::open(&path, "alice").unwrap();
    assert_eq!(store.read_only(), Some(&ReadOnly::NoPermission));
    let err = store.add_item(item("x")).unwrap_err();
    assert!(err.to_string().contains("read-only"), "{err}");
    drop(store);
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn what_a_replace_left_before_schema_7_is_built_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("six.db");
    {
        let c = board_at_schema(&path, 6);
        // What a shell's INSERT OR REPLACE left behind on a schema 6 board.
        c.execute_batch(
            "INSERT INTO item (id, title, status) VALUES (1, 'Kept', 'do');
             INSERT OR REPLACE INTO item (id, title, status) VALUES (1, 'Replaced', 'do');",
        )
        .unwrap();
        let n: i64 = c
            .query_row("SELECT sum(n) FROM item_tally", [], |r| r.get(0))
            .unwrap();
        assert_eq!(n, 2, "schema 6 let the replace skip the delete trigger");
    }
    let store = Store::open(&path, "alice").unwrap();
    assert_eq!(store.column_totals().unwrap(), [0, 1, 0, 0, 0]);
    // The filter's index forgot the replaced item's words too.
    let finds = |text: &str| {
        let sieve = store
            .sieve(&CardFilter {
                text: text.into(),
                owner: None,
            })
            .unwrap();
        store.column_counts(&sieve).unwrap()
    };
    assert_eq!(finds("kept"), [0; 5]);
    assert_eq!(finds("replaced"), [0, 1, 0, 0, 0]);
    assert!(store.health().unwrap().kept.unwrap().agrees());
}

#[test]
fn migrations_validate_and_an_old_board_is_backed_up_before_upgrade() {
    // (`Migrations::validate` cannot be used: its connection lacks the name collation.)
    let mut c = rusqlite::Connection::open_in_memory().unwrap();
    obeya::store::add_name_collation(&c).unwrap();
    obeya::store::migrations().to_latest(&mut c).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let c = board_at_schema(&path, 1);
        c.execute("INSERT INTO item (title) VALUES ('from schema 1')", [])
            .unwrap();
    }
    let store = Store::open(&path, "alice").unwrap();
    let v: i64 = store
        .conn()
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(v as usize, obeya::store::LATEST_SCHEMA);
    let backup = dir.path().join("old.db.v1.bak");
    let copy = rusqlite::Connection::open(&backup).unwrap();
    let title: String = copy
        .query_row("SELECT title FROM item", [], |r| r.get(0))
        .unwrap();
    assert_eq!(title, "from schema 1");
    assert_eq!(store.load_board().unwrap().items[0].title, "from schema 1");
}

#[test]
fn rows_inserted_from_the_sqlite_shell_load_like_any_other() {
    let (_d, path, mut store) = temp_board();
    // The real sqlite3 shell (.ci/run installs it), as a teammate would use it.
    let out = std::process::Command::new("sqlite3")
        .arg(&path)
        .arg("INSERT INTO item (title, owner, status) VALUES ('From the shell', 'carol', 'do');")
        .output()
        .expect("the sqlite3 shell is needed for this test");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(store.changed_by_others().unwrap());
    let board = store.load_board().unwrap();
    assert_eq!(board.items[0].title, "From the shell");
    assert_eq!(board.items[0].status, Status::Do);
    assert!(!store.changed_by_others().unwrap());

    // The wall's counts and its filter follow the shell's edits and deletes too.
    let shell = |sql: &str| {
        let out = std::process::Command::new("sqlite3")
            .arg(&path)
            .arg(sql)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{sql}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let shelly = CardFilter {
        text: "shelly".into(),
        owner: None,
    };
    assert_eq!(
        store.column_counts(&store.sieve(&shelly).unwrap()).unwrap(),
        [0; 5]
    );
    shell("UPDATE item SET title = 'From the Shelly', status = 'check' WHERE owner = 'carol';");
    assert_eq!(
        store.column_counts(&store.sieve(&shelly).unwrap()).unwrap(),
        [0, 0, 1, 0, 0]
    );
    assert_eq!(store.column_totals().unwrap(), [0, 0, 1, 0, 0]);
    shell("DELETE FROM item WHERE owner = 'carol';");
    assert_eq!(
        store.column_counts(&store.sieve(&shelly).unwrap()).unwrap(),
        [0; 5]
    );
    assert_eq!(store.column_totals().unwrap(), [0; 5]);
}

#[test]
fn the_sqlite_shell_cannot_replace_an_item_behind_the_walls_back() {
    let (_d, path, mut store) = temp_board();
    let one = store.add_item(item("One")).unwrap().id;
    let two = store
        .add_item(Item {
            status: Status::Do,
            ..item("Two")
        })
        .unwrap()
        .id;
    let uid: String = store
        .conn()
        .query_row("SELECT uid FROM item WHERE id = ?1", [one], |r| r.get(0))
        .unwrap();
    // Each of these would delete an item without its delete triggers (the shell does
    // not turn recursive triggers on): the counts would stay one too high.
    for sql in [
        format!(
            "INSERT OR REPLACE INTO item (id, title, status) VALUES ({one}, 'Replaced', 'done');"
        ),
        format!(
            "INSERT OR REPLACE INTO item (title, status, uid) VALUES ('Replaced', 'done', '{uid}');"
        ),
        format!("UPDATE OR REPLACE item SET id = {one} WHERE id = {two};"),
        format!("UPDATE OR REPLACE item SET uid = '{uid}' WHERE id = {two};"),
        // The trigger runs before SQLite reads the conflict clause: these are refused
        // too, though they would not have harmed the counts.
        format!("INSERT OR IGNORE INTO item (id, title) VALUES ({one}, 'Ignored');"),
        format!(
            "INSERT INTO item (id, title) VALUES ({one}, 'Upsert')
             ON CONFLICT (id) DO UPDATE SET title = excluded.title;"
        ),
    ] {
        let out = std::process::Command::new("sqlite3")
            .arg(&path)
            .arg(&sql)
            .output()
            .expect("the sqlite3 shell is needed for this test");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{sql} was let through");
        assert!(stderr.contains("obeya:"), "{sql}: {stderr}");
    }
    assert_eq!(store.column_totals().unwrap(), [1, 1, 0, 0, 0]);
    let board = store.load_board().unwrap();
    let titles: Vec<_> = board.items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, ["One", "Two"]);
    assert!(store.health().unwrap().kept.unwrap().agrees());
    // Changing an item in place, and replacing it by deleting it first, still work.
    store
        .conn()
        .execute_batch(&format!(
            "UPDATE item SET status = 'done' WHERE id = {two};
             DELETE FROM item WHERE id = {one};
             INSERT INTO item (id, title, status, uid) VALUES ({one}, 'Again', 'plan', '{uid}');"
        ))
        .unwrap();
    assert_eq!(store.column_totals().unwrap(), [1, 0, 0, 0, 1]);
    assert!(store.health().unwrap().kept.unwrap().agrees());
    // An id SQLite is about to choose reads as -1 in the trigger: an item numbered -1
    // (from the shell) does not block new items.
    store
        .conn()
        .execute("INSERT INTO item (id, title) VALUES (-1, 'Minus one')", [])
        .unwrap();
    store.add_item(item("After minus one")).unwrap();
    assert_eq!(store.column_totals().unwrap(), [3, 0, 0, 0, 1]);
}

#[test]
fn presence_lists_other_live_instances_only_and_never_writes_the_board() {
    let (d, path, _alice) = temp_board();
    let before = std::fs::read(&path).unwrap();
    let alice = Presence::new(&path, "alice");
    let bob = Presence::new(&path, "bob");
    alice.beat();
    bob.beat();
    assert_eq!(alice.others(), vec!["bob".to_string()]);
    assert_eq!(bob.others(), vec!["alice".to_string()]);
    assert_eq!(
        std::fs::read(&path).unwrap(),
        before,
        "the board file is untouched"
    );
    // An instance of this host that is gone (killed) is not here, and its file goes.
    let dir = obeya::store::presence::presence_dir(&path);
    let alices = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .find(|t| t.contains("alice"))
        .unwrap();
    let mut beat: serde_json::Value = serde_json::from_str(&alices).unwrap();
    beat["user"] = "ghost".into();
    beat["pid"] = 2_147_483_000u32.into();
    let ghost = dir.join("ghost-1.json");
    std::fs::write(&ghost, beat.to_string()).unwrap();
    // One that has not said "still here" for long is stale wherever it runs.
    let silent = dir.join("elsewhere-7.json");
    std::fs::write(
        &silent,
        r#"{"user":"carol","host":"elsewhere","pid":7,"started_at":"2020-01-01T00:00:00Z","seen_at":"2020-01-01T00:00:00Z"}"#,
    )
    .unwrap();
    assert_eq!(alice.others(), vec!["bob".to_string()]);
    assert!(
        !ghost.exists() && !silent.exists(),
        "stale files are cleaned up"
    );
    // Leaving removes one's own file; the last one out removes the folder.
    bob.leave();
    assert!(alice.others().is_empty());
    alice.leave();
    assert!(!dir.exists());
    drop(d);
}

/// A board as obeya 3 left it, with two stand-ups (one with parked topics, one whose
/// parked value someone broke in the sqlite3 shell) and items changed during the first.
fn schema_3_board(dir: &Path) -> PathBuf {
    let path = dir.join("old.db");
    let mut conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "application_id", obeya::store::APPLICATION_ID)
        .unwrap();
    obeya::store::migrations().to_version(&mut conn, 3).unwrap();
    conn.execute_batch(
        "INSERT INTO item (id, title, status, owner, blocked, blocked_reason) VALUES
            (1, 'Fix refunds', 'check', 'dana', 0, ''), (2, 'Printers', 'plan', '', 0, '');
         INSERT INTO standup (started_at, ended_at, facilitator, parked) VALUES
            ('2026-11-20T09:00:00Z', '2026-11-20T09:15:00Z', 'bob', '[\"Holiday rota\", \"Café pricing\", \"\"]'),
            ('2026-11-21T09:00:00Z', '2026-11-21T09:10:00Z', 'bob', 'oops');
         INSERT INTO activity (at, who, action, entity, entity_id, summary, before, after) VALUES
            ('2026-11-20T09:05:00Z', 'chen', 'update', 'item', 1, 'moved',
             '{\"id\":1,\"title\":\"Fix refunds\",\"status\":\"do\",\"owner\":\"chen\",\"blocked\":true,\"blocked_reason\":\"x\"}',
             '{\"id\":1,\"title\":\"Fix refunds\",\"status\":\"check\",\"owner\":\"dana\",\"blocked\":false,\"blocked_reason\":\"\"}');",
    )
    .unwrap();
    path
}

#[test]
fn schema_4_gives_every_record_a_uid_and_moves_parked_topics_to_their_table() {
    let dir = tempfile::tempdir().unwrap();
    let path = schema_3_board(dir.path());
    let store = Store::open(&path, "alice").unwrap();
    assert!(dir.path().join("old.db.v3.bak").exists(), "backed up first");
    let c = store.conn();
    for table in ["mission", "item", "board_column", "standup"] {
        let (rows, uids, distinct): (i64, i64, i64) = c
            .query_row(
                &format!("SELECT count(*), count(uid), count(DISTINCT uid) FROM {table}"),
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!((uids, distinct), (rows, rows), "{table}");
    }
    let uid: String = c
        .query_row("SELECT uid FROM item WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    let parsed = uuid_parts(&uid);
    assert_eq!(parsed, [8, 4, 4, 4, 12], "{uid}");
    assert_eq!(&uid[14..15], "4", "version 4: {uid}");
    assert!("89ab".contains(&uid[19..20]), "RFC 4122 variant: {uid}");

    let board = store.load_board().unwrap();
    let topics: Vec<(&str, &str, Option<i64>, bool)> = board
        .parked
        .iter()
        .map(|t| {
            (
                t.text.as_str(),
                t.parked_by.as_str(),
                t.standup_id,
                t.is_open(),
            )
        })
        .collect();
    assert_eq!(
        topics,
        [
            ("Holiday rota", "bob", Some(1), true),
            ("Café pricing", "bob", Some(1), true)
        ]
    );
    let left: Vec<String> = c
        .prepare("SELECT parked FROM standup ORDER BY id")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(
        left,
        ["[]", "oops"],
        "moved; what is not JSON stays as it was"
    );

    // The stand-up held before schema 4 has its summary read from the log.
    let first = store.standup(1).unwrap().unwrap();
    let s = store.summary_of(&first).unwrap();
    let lines: Vec<String> = s.people[0]
        .changes
        .iter()
        .map(obeya::report::change_line)
        .collect();
    assert_eq!(s.people[0].who, "chen");
    assert_eq!(
        lines,
        [
            "#1 Fix refunds: moved Do → Check",
            "#1 Fix refunds: blocker resolved",
            "#1 Fix refunds: owner chen → dana",
        ]
    );
    assert_eq!(s.parked.len(), 2);
}

fn uuid_parts(uid: &str) -> Vec<usize> {
    uid.split('-').map(str::len).collect()
}

#[test]
fn a_new_record_gets_a_uid_that_edits_and_undo_keep() {
    let (_d, _p, mut store) = temp_board();
    let added = store.add_item(item("Keep me")).unwrap();
    assert_eq!(uuid_parts(&added.meta.uid), [8, 4, 4, 4, 12]);
    let saved = store
        .save(
            &added,
            &Item {
                title: "Kept".into(),
                ..added.clone()
            },
        )
        .unwrap();
    assert_eq!(saved.record.meta.uid, added.meta.uid);
    store.delete_item(&saved.record).unwrap();
    let changes = store.take_changes();
    store.revert(&changes).unwrap();
    let back: Item = store.load(added.id).unwrap().unwrap();
    assert_eq!(
        back.meta.uid, added.meta.uid,
        "undoing the delete keeps the uid"
    );
}

#[test]
fn undo_of_a_delete_is_refused_plainly_once_the_record_is_back() {
    let (_d, path, mut alice) = temp_board();
    let added = alice.add_item(item("Chat pilot")).unwrap();
    alice.delete_item(&added).unwrap();
    let deleted = alice.take_changes();
    // A teammate brings it back with its uid (as an import of an older export does).
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute(
            "INSERT INTO item (id, title, uid) VALUES (2, 'Chat pilot', ?1)",
            [&added.meta.uid],
        )
        .unwrap();
    let err = alice.revert(&deleted).unwrap_err().to_string();
    assert_eq!(
        err,
        format!(
            "cannot undo: #{} 'Chat pilot' is on the board again, as #2",
            added.id
        )
    );
    assert_eq!(alice.load_board().unwrap().items.len(), 1);

    // Its number taken by another record, written where no user is named (the shell).
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("DELETE FROM item; INSERT INTO item (id, title) VALUES (1, 'Other');")
        .unwrap();
    let err = alice.revert(&deleted).unwrap_err().to_string();
    assert_eq!(err, "cannot undo: a teammate changed #1 'Other' since");
}

/// Each activity row of a record, oldest first: (action, before, after) as JSON.
fn log_of(
    store: &Store,
    id: i64,
) -> Vec<(String, Option<serde_json::Value>, Option<serde_json::Value>)> {
    let json = |s: &Option<String>| s.as_deref().map(|s| serde_json::from_str(s).unwrap());
    store
        .activity_since(0)
        .unwrap()
        .iter()
        .filter(|a| a.entity == "item" && a.entity_id == id)
        .map(|a| (a.action.clone(), json(&a.before), json(&a.after)))
        .collect()
}

#[test]
fn the_log_keeps_what_changed_not_whole_records() {
    use serde_json::json;
    let (_d, _path, mut store) = temp_board();
    let added = store
        .add_item(Item {
            owner: "chen".into(),
            detail: "A long detail ".repeat(20),
            ..item("Refund in one tap")
        })
        .unwrap();
    let mine = Item {
        owner: "dana".into(),
        blocked: true,
        ..added.clone()
    };
    let saved = store.save(&added, &mine).unwrap().record;
    store.delete_item(&saved).unwrap();
    let rows = log_of(&store, added.id);
    assert_eq!(rows.len(), 3, "{rows:?}");
    // A create keeps nothing: the item is in its table.
    assert_eq!(rows[0], ("create".into(), None, None));
    // An update keeps the fields it changed, with their types.
    assert_eq!(
        rows[1],
        (
            "update".into(),
            Some(json!({"owner": "chen", "blocked": false})),
            Some(json!({"owner": "dana", "blocked": true}))
        )
    );
    // A delete keeps the whole item, every word of it.
    let (action, before, after) = &rows[2];
    assert_eq!((action.as_str(), after), ("delete", &None));
    let gone: Item = serde_json::from_value(before.clone().unwrap()).unwrap();
    assert_eq!(gone, saved);
}

#[test]
fn schema_6_trims_the_log_written_before_and_keeps_every_word() {
    use obeya::model::{FactChange, Field};
    use serde_json::json;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    let whole = |owner: &str, blocked: bool| {
        json!({"id": 1, "title": "Fix refunds", "detail": "Every word", "status": "do",
               "owner": owner, "blocked": blocked, "blocked_reason": "",
               "meta": {"version": 1, "uid": "u-1"}})
        .to_string()
    };
    let lost = json!({"id": 1, "title": "Fix refunds today", "meta": {"version": 2}}).to_string();
    {
        let mut c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "application_id", obeya::store::APPLICATION_ID)
            .unwrap();
        obeya::store::migrations().to_version(&mut c, 5).unwrap();
        c.execute(
            "INSERT INTO item (id, title, detail, status, owner) VALUES (1, 'Fix refunds', 'Every word', 'do', 'dana')",
            [],
        )
        .unwrap();
        let mut log = c
            .prepare(
                "INSERT INTO activity (at, who, action, entity, entity_id, summary, before, after)
                 VALUES ('2026-11-20T09:00:00Z', 'chen', ?1, ?2, ?3, 'x', ?4, ?5)",
            )
            .unwrap();
        type Row<'a> = (&'a str, &'a str, i64, Option<String>, Option<String>);
        let rows: [Row; 5] = [
            ("create", "item", 1, None, Some(whole("chen", true))),
            (
                "update",
                "item",
                1,
                Some(whole("chen", true)),
                Some(whole("dana", false)),
            ),
            ("conflict", "item", 1, Some(lost.clone()), None),
            ("delete", "item", 2, Some(whole("erin", false)), None),
            (
                "create",
                "standup",
                1,
                None,
                Some(json!({"summary": []}).to_string()),
            ),
        ];
        for r in rows {
            log.execute(rusqlite::params![r.0, r.1, r.2, r.3, r.4])
                .unwrap();
        }
    }
    let store = Store::open(&path, "alice").unwrap();
    assert!(dir.path().join("old.db.v5.bak").exists(), "backed up first");
    let rows = store.activity_since(0).unwrap();
    let snap = |i: usize| (rows[i].before.clone(), rows[i].after.clone());
    assert_eq!(snap(0), (None, None), "a create keeps nothing");
    assert_eq!(
        snap(1),
        (
            Some(json!({"blocked": true, "owner": "chen"}).to_string()),
            Some(json!({"blocked": false, "owner": "dana"}).to_string())
        ),
        "an update keeps what changed, true stays true"
    );
    assert_eq!(
        snap(2),
        (Some(lost), None),
        "the text that lost stays whole"
    );
    assert_eq!(
        snap(3).0,
        Some(whole("erin", false)),
        "a deleted item stays whole"
    );
    assert!(snap(4).1.is_some(), "a stand-up's row is not a record's");
    // What the stand-up summary and the activity view read is the same as before.
    let fact = obeya::store::fact(&rows[1]).unwrap();
    assert_eq!(
        fact.change,
        FactChange::Updated(vec![
            Field::Blocked(true, false),
            Field::Owner("chen".into(), "dana".into())
        ])
    );
    // The backup keeps the log as it was.
    let copy = rusqlite::Connection::open(dir.path().join("old.db.v5.bak")).unwrap();
    let kept: Option<String> = copy
        .query_row("SELECT after FROM activity WHERE id = 1", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, Some(whole("chen", true)));
}

/// Schema 8: persona and stage names are unique under one Unicode case folding, in
/// SQL too. A board holding two names equal only under it still upgrades: the later
/// record is renamed (to a name nobody has) and the log says so.
#[test]
fn schema_8_renames_names_equal_only_ignoring_case_beyond_ascii_and_keeps_them_unique() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let c = board_at_schema(&path, 7);
        c.execute_batch(
            "INSERT INTO persona (id, name) VALUES (1, 'Zoë'), (2, 'ZOË'), (3, 'Zoë (2)');
             INSERT INTO stage (id, name) VALUES (1, 'Straße'), (2, 'STRASSE');
             INSERT INTO item (title, persona_id, stage_id) VALUES ('Bike lanes', 2, 2);",
        )
        .unwrap();
    }
    let store = Store::open(&path, "alice").unwrap();
    assert!(dir.path().join("old.db.v7.bak").exists(), "backed up first");
    let board = store.load_board().unwrap();
    let names = |v: Vec<&str>| v.into_iter().map(str::to_owned).collect::<Vec<_>>();
    assert_eq!(
        board
            .personas
            .iter()
            .map(|p| p.name.clone())
            .collect::<Vec<_>>(),
        names(vec!["Zoë", "ZOË (3)", "Zoë (2)"])
    );
    assert_eq!(
        board
            .stages
            .iter()
            .map(|s| s.name.clone())
            .collect::<Vec<_>>(),
        names(vec!["Straße", "STRASSE (2)"])
    );
    assert_eq!(board.items[0].persona_id, Some(2), "its items stay linked");
    let renamed: Vec<String> = store
        .activity_since(0)
        .unwrap()
        .into_iter()
        .filter(|a| a.who == "obeya")
        .map(|a| a.summary)
        .collect();
    assert_eq!(renamed.len(), 2, "{renamed:?}");
    assert!(
        renamed[0]
            .starts_with("renamed persona 'ZOË' to 'ZOË (3)': persona 'Zoë' has the same name"),
        "{renamed:?}"
    );
    assert!(renamed[1].contains("'STRASSE (2)'"), "{renamed:?}");
    assert!(store.health().unwrap().schema_differences.is_clean());

    // A teammate's sqlite3 shell (no `obeya_name` collation) can still check the board
    // and add a persona (schema 12 dropped the indexes that needed the collation) …
    drop(store);
    let shell = rusqlite::Connection::open(&path).unwrap();
    let check: String = shell
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    shell
        .execute("INSERT INTO persona (name) VALUES ('Shell-made')", [])
        .unwrap();
    shell.execute_batch("VACUUM").unwrap();
    drop(shell);
    // … while obeya refuses a second Zoë in every spelling.
    let mut store = Store::open(&path, "alice").unwrap();
    let err = store
        .add_persona(Persona {
            name: "zoë (3)".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.to_string(), "a persona named 'ZOË (3)' already exists");
    assert_eq!(
        store
            .id_named(obeya::model::Kind::Stage, "strasse")
            .unwrap(),
        Some(1)
    );
}

/// The sqlite3 shell has no `obeya_name` collation, and needs none: it checks the board,
/// vacuums it and adds a persona, which obeya then reads.
#[test]
fn the_sqlite_shell_checks_the_board_and_adds_a_persona() {
    let (_d, path, store) = temp_board();
    let out = std::process::Command::new("sqlite3")
        .arg(&path)
        .arg("INSERT INTO persona (name) VALUES ('Ann'); PRAGMA integrity_check; VACUUM;")
        .output()
        .expect("the sqlite3 shell is needed for this test");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "ok");
    let board = store.load_board().unwrap();
    let names: Vec<&str> = board.personas.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Ann"]);
}

// ------------------------------------------------------------------ the journal

#[test]
fn wal_only_on_a_local_disk_and_never_kept_on_a_network_drive() {
    assert_eq!(
        decide(FsKind::Local, true, false),
        JournalAction::SwitchToWal
    );
    assert_eq!(decide(FsKind::Local, false, false), JournalAction::Keep);
    assert_eq!(decide(FsKind::Local, true, true), JournalAction::Keep);
    assert_eq!(
        decide(FsKind::Network, true, false),
        JournalAction::RefuseWal
    );
    assert_eq!(
        decide(FsKind::Network, false, true),
        JournalAction::SwitchToDelete
    );
    assert_eq!(
        decide(FsKind::Network, true, true),
        JournalAction::SwitchToDelete
    );
    assert_eq!(decide(FsKind::Network, false, false), JournalAction::Keep);
}

#[test]
fn a_local_board_switches_to_wal_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("b.db");
    let mut store = Store::create(&path, "alice").unwrap();
    assert_eq!(store.journal_mode().unwrap(), "delete");
    assert_eq!(store.apply_journal_setting(false).unwrap(), None);
    assert_eq!(store.journal_mode().unwrap(), "delete");
    assert_eq!(store.apply_journal_setting(true).unwrap(), None);
    assert_eq!(store.journal_mode().unwrap(), "wal");
    drop(store);
    // WAL is a property of the file: the next opener sees it.
    let store = Store::open(&path, "bob").unwrap();
    assert_eq!(store.journal_mode().unwrap(), "wal");
}

// ------------------------------------------------------------------ names in a transaction

fn persona(name: &str) -> Persona {
    Persona {
        name: name.into(),
        ..Persona::default()
    }
}

#[test]
fn names_stay_unique_across_the_writes_of_one_transaction() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::create(&dir.path().join("b.db"), "alice").unwrap();
    store
        .write(|w| {
            let maria = w.create(persona("Maria"))?;
            let err = w.create(persona(" MARIA ")).unwrap_err();
            assert!(err.to_string().contains("'Maria' already exists"), "{err}");
            // Renamed: the old name is free, the new one taken.
            let ben = w.save(
                &maria,
                &Persona {
                    name: "Ben".into(),
                    ..maria.clone()
                },
            )?;
            w.create(persona("maria"))?;
            assert!(matches!(
                w.create(persona("ben")),
                Err(StoreError::Rule(RuleError::DuplicateName { .. }))
            ));
            w.delete(&ben.record)?;
            w.create(persona("Ben"))?;
            Ok(())
        })
        .unwrap();
    // A later transaction reads the names afresh.
    let err = store.add_persona(persona("MARIA")).unwrap_err();
    assert!(err.to_string().contains("already exists"), "{err}");
    store.add_persona(persona("Émile")).unwrap();
    assert!(store.add_persona(persona("émile")).is_err());
}

// ------------------------------------------------------------------ files beside a board

#[test]
fn replace_whole_replaces_a_file_and_refuses_a_link() {
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("out.txt");
    files::replace_whole(&dest, b"one").unwrap();
    files::replace_whole(&dest, b"two").unwrap();
    assert_eq!(std::fs::read(&dest).unwrap(), b"two");
    let mine = dir.path().join("mine.txt");
    std::fs::write(&mine, "mine").unwrap();
    let link = dir.path().join("link.txt");
    symlink(&mine, &link).unwrap();
    assert!(matches!(
        files::replace_whole(&link, b"x"),
        Err(files::FileError::Link(_))
    ));
    assert_eq!(std::fs::read(&mine).unwrap(), b"mine");
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 3, "no temporary file is left");
}
