//! A document's items on their way into a board, kept on disk rather than in memory, so
//! that importing a million items takes no more memory than importing ten.
//!
//! The items wait in a private temporary SQLite database, not in the board: SQLite makes
//! its file in its temporary folder (`SQLITE_TMPDIR`, else `TMPDIR`, else `/var/tmp` or
//! `/tmp`), creates it exclusively and readable by this user only (mode 0600, no
//! symlink followed), unlinks it at once, and it is gone when the staging is
//! dropped. A temporary database lives in the page cache until that is full, then spills
//! to its file — unless the SQLite build keeps temporary databases in memory, which is
//! decided when the database is opened: a build with `SQLITE_TEMP_STORE=2` or `3` (on
//! Android, 3) would. The bundled SQLite is built with `SQLITE_TEMP_STORE=1` (a file;
//! a test checks), and `PRAGMA temp_store = FILE` keeps the connection's TEMP schema on
//! disk too, so memory stays at the cache's size (see [`CACHE_KIB`]).
//!
//! Everything the document says is bound as a value; none of it becomes SQL or a path.
//! The staging knows nothing of the exchange format: an item is its place in the
//! document, its id, the names it refers to, and its JSON text.

use rusqlite::types::{FromSqlError, ValueRef};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::StoreError;

/// The staging database's page cache, in KiB: the memory it uses however many items
/// wait in it.
pub const CACHE_KIB: i64 = 8 * 1024;

const SCHEMA: &str = "
    CREATE TABLE item (
        n INTEGER PRIMARY KEY,         -- its place in the document, from 1
        id INTEGER UNIQUE,             -- the document's id for it, if any
        persona TEXT,                  -- the names it refers to, as written
        stage TEXT,
        doc BLOB NOT NULL              -- the item itself, as JSON
    );
    -- Uids seen so far, by kind ('item', 'comment'), to find one given twice.
    CREATE TABLE uid (kind TEXT NOT NULL, uid TEXT NOT NULL, PRIMARY KEY (kind, uid))
        WITHOUT ROWID;
    -- Under the board's write lock: the board item each document item became.
    CREATE TABLE matched (n INTEGER PRIMARY KEY, board_id INTEGER NOT NULL UNIQUE);
    -- Under the lock, when a document item has neither uid nor id: the board's items by
    -- title, each taken once, lowest id first.
    CREATE TABLE board_title (title TEXT NOT NULL, id INTEGER NOT NULL,
        PRIMARY KEY (title, id)) WITHOUT ROWID;
";

/// Items waiting on disk, in document order (see the module's docs).
pub struct Staging {
    conn: Connection,
}

impl Staging {
    /// A new, empty staging database: private, temporary, deleted when dropped.
    pub fn new() -> Result<Staging, StoreError> {
        // An empty file name: SQLite's private temporary database.
        let conn = Connection::open("")?;
        conn.pragma_update(None, "temp_store", "FILE")?;
        conn.pragma_update(None, "cache_size", -CACHE_KIB)?;
        // Nothing here outlives the process, or is ever rolled back.
        conn.pragma_update(None, "journal_mode", "OFF")?;
        conn.pragma_update(None, "synchronous", "OFF")?;
        conn.execute_batch(SCHEMA)?;
        // One transaction for the staging's whole life: no commit per item, and none at
        // the end either, since nothing here is kept once the import is done.
        conn.execute_batch("BEGIN")?;
        Ok(Staging { conn })
    }

    /// Keep item `n`. Returns false, keeping nothing, if an item with the same `id` is
    /// kept already.
    pub fn add_item(
        &self,
        n: i64,
        id: Option<i64>,
        persona: Option<&str>,
        stage: Option<&str>,
        doc: &[u8],
    ) -> Result<bool, StoreError> {
        let added = self
            .conn
            .prepare_cached(
                "INSERT INTO item (n, id, persona, stage, doc) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (id) DO NOTHING",
            )?
            .execute(params![n, id, persona, stage, doc])?;
        Ok(added == 1)
    }

    /// Note a uid of a kind of record. Returns false if it was noted before.
    pub fn note_uid(&self, kind: &str, uid: &str) -> Result<bool, StoreError> {
        let added = self
            .conn
            .prepare_cached("INSERT INTO uid (kind, uid) VALUES (?1, ?2) ON CONFLICT DO NOTHING")?
            .execute([kind, uid])?;
        Ok(added == 1)
    }

    /// Whether a uid of a kind of record was noted.
    pub fn has_uid(&self, kind: &str, uid: &str) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM uid WHERE kind = ?1 AND uid = ?2")?
            .exists([kind, uid])?)
    }

    /// The first item (lowest `n`, below `before` if given) naming a persona or stage
    /// for which `unknown(persona, stage)` holds.
    pub fn first_reference(
        &self,
        before: Option<i64>,
        mut unknown: impl FnMut(Option<&str>, Option<&str>) -> bool,
    ) -> Result<Option<i64>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT n, persona, stage FROM item
             WHERE n < ?1 AND (persona IS NOT NULL OR stage IS NOT NULL) ORDER BY n",
        )?;
        let mut rows = stmt.query([before.unwrap_or(i64::MAX)])?;
        while let Some(row) = rows.next()? {
            let persona = text_or_null(row, 1)?;
            let stage = text_or_null(row, 2)?;
            if unknown(persona, stage) {
                return Ok(Some(row.get(0)?));
            }
        }
        Ok(None)
    }

    /// Item `n`'s JSON text.
    pub fn item(&self, n: i64) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT doc FROM item WHERE n = ?1")?
            .query_row([n], |r| r.get(0))
            .optional()?)
    }

    /// Each item kept, in document order: its `n` and JSON text, read with one query.
    pub fn for_each_item(
        &self,
        mut f: impl FnMut(i64, &[u8]) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT n, doc FROM item ORDER BY n")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let doc = row.get_ref(1)?;
            let doc = doc.as_blob().map_err(|e| unreadable(1, doc, e))?;
            f(row.get(0)?, doc)?;
        }
        Ok(())
    }

    /// Forget what an earlier attempt at the import matched (a write retried after the
    /// board was busy starts again).
    pub fn forget_matches(&self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("DELETE FROM matched; DELETE FROM board_title;")?;
        Ok(())
    }

    /// Item `n` became (or updated) the board's item `board_id`.
    pub fn match_item(&self, n: i64, board_id: i64) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("INSERT INTO matched (n, board_id) VALUES (?1, ?2)")?
            .execute([n, board_id])?;
        Ok(())
    }

    /// Whether an item of the document already became the board's item `board_id`.
    pub fn is_matched(&self, board_id: i64) -> Result<bool, StoreError> {
        Ok(self
            .conn
            .prepare_cached("SELECT 1 FROM matched WHERE board_id = ?1")?
            .query_row([board_id], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// The board's id of the document's item with id `doc_id`, once it is matched.
    pub fn board_id_of(&self, doc_id: i64) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT matched.board_id FROM item JOIN matched USING (n) WHERE item.id = ?1",
            )?
            .query_row([doc_id], |r| r.get(0))
            .optional()?)
    }

    /// Keep one of the board's items' titles, to match items by title without holding
    /// them in memory.
    pub fn add_board_title(&self, id: i64, title: &str) -> Result<(), StoreError> {
        self.conn
            .prepare_cached("INSERT INTO board_title (title, id) VALUES (?1, ?2)")?
            .execute(params![title, id])?;
        Ok(())
    }

    /// The lowest board id with this exact title not taken yet; taken by this call.
    pub fn take_board_title(&self, title: &str) -> Result<Option<i64>, StoreError> {
        Ok(self
            .conn
            .prepare_cached(
                "DELETE FROM board_title
                 WHERE title = ?1 AND id = (SELECT min(id) FROM board_title WHERE title = ?1)
                 RETURNING id",
            )?
            .query_row([title], |r| r.get(0))
            .optional()?)
    }
}

/// Column `k` as text, or `None` for NULL, borrowed from the row.
fn text_or_null<'r>(row: &'r Row, k: usize) -> rusqlite::Result<Option<&'r str>> {
    let value = row.get_ref(k)?;
    value.as_str_or_null().map_err(|e| unreadable(k, value, e))
}

/// A column of an unexpected type, as rusqlite reports one.
fn unreadable(k: usize, value: ValueRef, e: FromSqlError) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(k, value.data_type(), Box::new(e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn staged_items_live_in_a_temporary_file_not_in_memory() {
        let s = Staging::new().unwrap();
        let store: i64 = s
            .conn
            .query_row("PRAGMA temp_store", [], |r| r.get(0))
            .unwrap();
        assert_eq!(store, 1, "temp_store = FILE");
        // A build with SQLITE_TEMP_STORE=2 or 3 would keep the staging in memory (the
        // pragma cannot move a database already open).
        let options: Vec<String> = s
            .conn
            .prepare("PRAGMA compile_options")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            !options
                .iter()
                .any(|o| o == "TEMP_STORE=2" || o == "TEMP_STORE=3"),
            "{options:?}"
        );
        let cache: i64 = s
            .conn
            .query_row("PRAGMA cache_size", [], |r| r.get(0))
            .unwrap();
        assert_eq!(cache, -CACHE_KIB);
    }

    #[test]
    fn ids_and_uids_are_kept_once_and_items_come_back_in_order() {
        let s = Staging::new().unwrap();
        assert!(s.add_item(1, Some(7), Some("Maria"), None, b"{}").unwrap());
        assert!(s.add_item(2, None, None, Some("Buy"), b"[2]").unwrap());
        assert!(s.add_item(3, None, None, None, b"[3]").unwrap());
        assert!(!s.add_item(4, Some(7), None, None, b"[4]").unwrap());
        assert!(s.note_uid("item", "a").unwrap());
        assert!(s.note_uid("comment", "a").unwrap());
        assert!(!s.note_uid("item", "a").unwrap());
        let mut seen = Vec::new();
        s.for_each_item(|n, doc| {
            seen.push((n, doc.to_vec()));
            Ok(())
        })
        .unwrap();
        assert_eq!(
            seen,
            [
                (1, b"{}".to_vec()),
                (2, b"[2]".to_vec()),
                (3, b"[3]".to_vec())
            ]
        );
        let stage_named = |_: Option<&str>, s: Option<&str>| s.is_some();
        assert_eq!(s.first_reference(None, stage_named).unwrap(), Some(2));
        assert_eq!(s.first_reference(Some(2), stage_named).unwrap(), None);
        assert_eq!(s.item(2).unwrap(), Some(b"[2]".to_vec()));
    }

    #[test]
    fn matches_and_titles_are_forgotten_for_a_retry() {
        let s = Staging::new().unwrap();
        s.add_item(1, Some(7), None, None, b"{}").unwrap();
        s.match_item(1, 70).unwrap();
        assert_eq!(s.board_id_of(7).unwrap(), Some(70));
        assert!(s.is_matched(70).unwrap());
        s.add_board_title(5, "Fix").unwrap();
        s.add_board_title(3, "Fix").unwrap();
        s.add_board_title(4, "Other").unwrap();
        assert_eq!(s.take_board_title("Fix").unwrap(), Some(3));
        assert_eq!(s.take_board_title("Fix").unwrap(), Some(5));
        assert_eq!(s.take_board_title("Fix").unwrap(), None);
        s.forget_matches().unwrap();
        assert!(!s.is_matched(70).unwrap());
        assert_eq!(s.board_id_of(7).unwrap(), None);
        assert_eq!(s.take_board_title("Other").unwrap(), None);
    }
}
