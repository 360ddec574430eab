//! Boards for the tests: the starter board in a real file with its timestamps pinned,
//! and a fuller wall made from it.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use obeya::store::Store;

/// "Now" for every test: a Sunday morning in late November 2026.
pub const NOW: &str = "2026-11-22T10:00:00Z";

pub fn now() -> Timestamp {
    NOW.parse().unwrap()
}

pub struct Board {
    pub dir: tempfile::TempDir,
    pub path: PathBuf,
}

/// The starter board (3 personas, 6 stages, 8 items) in `team.db` in a fresh folder,
/// every timestamp rewritten to a fixed value so nothing depends on the day the test runs.
pub fn starter_board() -> Board {
    let dir = tempfile::Builder::new()
        .prefix("obeya")
        .tempdir_in("/tmp")
        .unwrap();
    let path = dir.path().join("team.db");
    let mut store = Store::create(&path, "alice").unwrap();
    obeya::exchange::import(&mut store, &obeya::exchange::starter()).unwrap();
    normalise(store.conn());
    drop(store);
    Board { dir, path }
}

/// Pin the import's "now" stamps: items entered their status 2·id days before NOW.
pub fn normalise(conn: &rusqlite::Connection) {
    conn.execute_batch(
        "UPDATE item SET created_at = '2026-11-01T09:00:00Z',
                         status_since = strftime('%Y-%m-%dT%H:%M:%SZ', '2026-11-22 09:00:00', '-' || (2 * id) || ' days'),
                         updated_at = '2026-11-21T09:00:00Z';
         UPDATE mission SET updated_at = '2026-11-01T09:00:00Z';
         UPDATE persona SET updated_at = '2026-11-01T09:00:00Z';
         UPDATE stage SET updated_at = '2026-11-01T09:00:00Z';
         UPDATE feeling SET updated_at = '2026-11-01T09:00:00Z';
         UPDATE comment SET updated_at = at;
         UPDATE evidence SET updated_at = '2026-11-01T09:00:00Z';
         UPDATE evidence_link SET updated_at = '2026-11-01T09:00:00Z';
         UPDATE board_column SET updated_at = '2026-11-01T09:00:00Z';
         UPDATE activity SET at = '2026-11-01T09:00:00Z';",
    )
    .unwrap();
}

/// The board file, read again from disk by a second connection.
pub fn reopen(path: &Path) -> obeya::model::Board {
    Store::open(path, "checker").unwrap().load_board().unwrap()
}

/// The starter board made into a fuller wall for the wall's tests: every title 30–45
/// characters, more cards, and metric histories (Receive's metric is lower-is-better).
pub fn wall_board() -> Board {
    let b = starter_board();
    let conn = rusqlite::Connection::open(&b.path).unwrap();
    conn.execute_batch(
        "UPDATE item SET title = 'Large-text mode in the app and the web' WHERE id = 4;
         INSERT INTO item (title, status, owner, due, stage_id, persona_id, position, created_at, status_since, updated_at) VALUES
           ('Call back every refund request within 1 h', 'plan', 'dana', '2027-01-15', 6, 1, 3, '2026-11-01T09:00:00Z', '2026-11-20T09:00:00Z', '2026-11-21T09:00:00Z'),
           ('Photo of the bags at the door on delivery', 'do', 'chen', '2026-11-30', 5, NULL, 3, '2026-11-01T09:00:00Z', '2026-11-21T09:00:00Z', '2026-11-21T09:00:00Z'),
           ('Evening slots released one week ahead', 'check', 'bob', NULL, 3, 1, 3, '2026-11-01T09:00:00Z', '2026-11-12T09:00:00Z', '2026-11-21T09:00:00Z');
         INSERT INTO metric_value (stage_id, at, value, who) VALUES
           (5, '2026-10-25T09:00:00Z', 3.4, 'chen'),
           (5, '2026-11-01T09:00:00Z', 3.1, 'chen'),
           (5, '2026-11-08T09:00:00Z', 2.8, 'chen'),
           (5, '2026-11-15T09:00:00Z', 2.5, 'chen'),
           (6, '2026-11-01T09:00:00Z', 48, 'alice'),
           (6, '2026-11-08T09:00:00Z', 55, 'alice'),
           (6, '2026-11-15T09:00:00Z', 62, 'alice');",
    )
    .unwrap();
    b
}

/// A stand-up that began at `at`, after every change now on `store`'s board: recorded
/// after the fact, nothing changed during it.
pub fn held_at(store: &obeya::store::Store, at: Timestamp) -> obeya::store::StandupStart {
    obeya::store::StandupStart {
        at,
        after_activity: store.last_activity_id().unwrap(),
    }
}
