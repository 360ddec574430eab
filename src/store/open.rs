//! Opening and creating board files. Every check that can refuse a file runs on a
//! read-only connection first, so a refused file is never written and no journal is left.

use std::io::Read;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};
use tempfile::TempPath;

use super::error::OpenError;
use super::files::{self, FileError};
use super::migrations::{LATEST_SCHEMA, migrations};
use super::schema::{self, harden};
use super::{Patience, Store, fsinfo};
use crate::model::ReadOnly;

/// `PRAGMA application_id` of an obeya board: "OBYA".
pub const APPLICATION_ID: i32 = 0x4F42_5941;

/// What a board is opened for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Purpose {
    /// To read and write it: a crashed writer's journal is rolled back, an older schema
    /// upgraded (after a backup).
    Use,
    /// To look at it (`obeya check`): the same refusals, on a read-only connection,
    /// and nothing written: no roll-back, no upgrade.
    Inspect,
}

/// Open an existing board. The whole file is checked for damage only when there is a
/// reason: a crashed writer's journal was rolled back, or the schema is about to be
/// upgraded. Otherwise SQLite reports damage on any page it reads, which the store
/// turns into the same refusal (see `Store::classify`); a board opens at a cost that
/// does not grow with its size.
pub(super) fn open_existing(path: &Path, user: &str, purpose: Purpose) -> Result<Store, OpenError> {
    check_file(path)?;
    check_header(path)?;
    let rolled_back = purpose == Purpose::Use && recover_hot_journal(path)?;

    // The checks run on the connection we keep: opening read-write writes nothing by
    // itself (only a write transaction would), so a refused file stays untouched, and
    // the board's pages are read once, not twice.
    let may_write = writable(path);
    let mut conn = connect(path, may_write && purpose == Purpose::Use)?;
    let version = checked_version(&conn, path, may_write)?;
    let read_only = if version > LATEST_SCHEMA {
        Some(ReadOnly::NewerSchema {
            found: version,
            known: LATEST_SCHEMA,
        })
    } else if !may_write {
        Some(ReadOnly::NoPermission)
    } else {
        None
    };
    if purpose == Purpose::Inspect {
        return Ok(finish(conn, path, user, read_only));
    }
    // A rolled-back journal, or an upgrade ahead: check the whole file first.
    if rolled_back || version < LATEST_SCHEMA {
        quick_check(path)?;
    }
    if read_only.is_some() && may_write {
        // A newer schema: read it, never write it.
        conn = connect(path, false)?;
    }
    if read_only.is_none() {
        configure(&conn).map_err(|e| io_error(path, e))?;
        if version < LATEST_SCHEMA {
            upgrade(&mut conn, path, version)?;
        }
    }
    Ok(finish(conn, path, user, read_only))
}

/// The board's schema version, once everything that would refuse it was looked at:
/// obeya's application id, a version obeya makes, obeya's tables all there, and
/// nothing in the schema that runs code obeya did not write (whatever the version:
/// a newer board is only read, but a view or a virtual table runs on a read).
pub(super) fn checked_version(
    conn: &Connection,
    path: &Path,
    may_write: bool,
) -> Result<usize, OpenError> {
    let damaged = |e: rusqlite::Error| refusal(path, e, may_write);
    let app_id: i32 = conn
        .query_row("PRAGMA application_id", [], |r| r.get(0))
        .map_err(damaged)?;
    if app_id != APPLICATION_ID {
        return Err(OpenError::NotBoard(path.to_path_buf()));
    }
    let version: i64 = conn
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .map_err(damaged)?;
    let version = match usize::try_from(version) {
        Ok(0) => return Err(OpenError::NoSchema(path.to_path_buf())),
        Ok(v) => v,
        Err(_) => return Err(OpenError::BadVersion(path.to_path_buf(), version)),
    };
    let report = schema::compare(conn, version).map_err(damaged)?;
    if report.runs_code() {
        return Err(OpenError::UnsafeSchema(
            path.to_path_buf(),
            report.running_code,
        ));
    }
    if !report.missing_tables.is_empty() {
        return Err(OpenError::MissingTables(
            path.to_path_buf(),
            report.missing_tables,
        ));
    }
    Ok(version)
}

/// Upgrade an older board to the latest schema, after a backup copy. The migrations run
/// in one transaction: if they fail the board is as it was, and so the copy, which
/// would only stand in the way of the next attempt, goes again.
fn upgrade(conn: &mut Connection, path: &Path, version: usize) -> Result<(), OpenError> {
    let backup = backup_before_migration(conn, path, version)?;
    if let Err(e) = migrations().to_latest(conn) {
        let _ = std::fs::remove_file(&backup);
        // The SQLite error, not the migration's SQL it quotes.
        let why = match e {
            rusqlite_migration::Error::RusqliteError { err, .. } => err.to_string(),
            other => other.to_string(),
        };
        let why: String = why
            .lines()
            .next()
            .unwrap_or_default()
            .chars()
            .take(300)
            .collect();
        return Err(OpenError::Io(
            path.to_path_buf(),
            format!(
                "upgrading the schema from version {version} failed ({why}); the board was left as it was"
            ),
        ));
    }
    quick_check(path)
}

/// What is at `path`, looked at without opening it (a FIFO opened to read would wait
/// for a writer forever): a regular file (or a link to one) that is not empty, with no
/// link or special file where SQLite keeps its journal beside it.
pub(super) fn check_file(path: &Path) -> Result<(), OpenError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => OpenError::Missing(path.to_path_buf()),
        _ => OpenError::Io(path.to_path_buf(), e.to_string()),
    })?;
    if let Some(what) = files::not_a_file(&meta) {
        return Err(OpenError::NotAFile(path.to_path_buf(), what));
    }
    if meta.len() == 0 {
        return Err(OpenError::Empty(path.to_path_buf()));
    }
    // SQLite names the journal after the board's real path (a link resolved).
    let real = std::fs::canonicalize(path).ok();
    for board in std::iter::once(path).chain(real.as_deref()) {
        for suffix in ["-journal", "-wal", "-shm"] {
            let mut beside = board.as_os_str().to_owned();
            beside.push(suffix);
            let beside = PathBuf::from(beside);
            if let Ok(m) = std::fs::symlink_metadata(&beside)
                && let Some(what) = files::not_a_file(&m)
            {
                return Err(OpenError::Beside(beside, what));
            }
        }
    }
    Ok(())
}

/// Why reading a board failed, in words a user can act on: a teammate's lock, a
/// writer's unfinished save (a hot journal) this connection may not roll back, or damage.
fn refusal(path: &Path, e: rusqlite::Error, can_write: bool) -> OpenError {
    if is_busy_here(path, &e) {
        busy(path)
    } else if super::error::is_hot_journal(&e) {
        OpenError::HotJournal {
            path: path.to_path_buf(),
            can_write,
        }
    } else {
        OpenError::Damaged(path.to_path_buf(), e.to_string())
    }
}

/// `PRAGMA quick_check` of the whole file, on its own read-only connection.
fn quick_check(path: &Path) -> Result<(), OpenError> {
    let check = || -> Result<(), OpenError> {
        let conn = connect(path, false)?;
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| refusal(path, e, writable(path)))?;
        if check == "ok" {
            Ok(())
        } else {
            Err(OpenError::Damaged(path.to_path_buf(), check))
        }
    };
    match check() {
        // A writer was killed a moment ago, after the opening recovered the board: its
        // journal is hot again, and this read-only connection may not roll it back. One
        // who may write the board does that, and checks again.
        Err(OpenError::HotJournal {
            can_write: true, ..
        }) => {
            recover_hot_journal(path)?;
            check()
        }
        other => other,
    }
}

/// A new, empty board built in a temporary file beside `path` (which must be free),
/// to be filled and then put in place whole by `Store::create_with`. The returned
/// store's path is the temporary file's, which is removed when dropped.
pub(super) fn create_aside(path: &Path, user: &str) -> Result<(Store, TempPath), OpenError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| OpenError::Io(path.to_path_buf(), e.to_string()))?;
    }
    files::check_free(path, true).map_err(file_error)?;
    let tmp = files::temp_beside(path)
        .map_err(file_error)?
        .into_temp_path();
    let built = || -> Result<Connection, OpenError> {
        let io = |e: rusqlite::Error| OpenError::Io(path.to_path_buf(), e.to_string());
        // The empty file we just made (SQLite treats it as a new database); never a
        // link, should one be planted at its name meanwhile.
        let mut conn = Connection::open_with_flags(
            &tmp,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_NOFOLLOW
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(io)?;
        harden(&conn).map_err(io)?;
        conn.pragma_update(None, "journal_mode", "DELETE")
            .map_err(io)?;
        configure(&conn).map_err(io)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)
            .map_err(io)?;
        migrations().to_latest(&mut conn).map_err(|e| {
            OpenError::Io(
                path.to_path_buf(),
                format!("creating the schema failed: {e}"),
            )
        })?;
        Ok(conn)
    };
    match built() {
        Ok(conn) => Ok((finish(conn, &tmp, user, None), tmp)),
        Err(e) => {
            remove_journal(&tmp);
            Err(e)
        }
    }
}

/// Put the board built aside at `tmp` (its connection closed) in place at `path`,
/// never replacing anything there. On failure the temporary file is removed.
pub(super) fn put_in_place(tmp: TempPath, path: &Path) -> Result<(), OpenError> {
    files::put_in_place(tmp, path).map_err(file_error)
}

/// A file beside the board that could not be written: a name taken is `Exists`.
fn file_error(e: FileError) -> OpenError {
    match e {
        FileError::Exists(p) => OpenError::Exists(p),
        other => OpenError::File(other),
    }
}

/// Remove the journal of a board built aside, should one be left.
pub(super) fn remove_journal(tmp: &Path) {
    let mut journal = tmp.as_os_str().to_owned();
    journal.push("-journal");
    let _ = std::fs::remove_file(journal);
}

fn finish(conn: Connection, path: &Path, user: &str, read_only: Option<ReadOnly>) -> Store {
    // Reads outside a write (loading the record an edit starts from) wait as long as
    // writes do: a teammate's commit (fsync with synchronous=FULL) may take longer than
    // the short per-statement timeout of `configure`, and must not fail the command.
    let _ = conn.busy_timeout(Patience::SCRIPT.0);
    // Registering a function on an open connection fails only on out-of-memory; the
    // filter's queries would then report it.
    let matches = super::wall::MatchSlot::default();
    let _ = super::functions::add_functions(&conn, &matches);
    let data_version = conn
        .query_row("PRAGMA data_version", [], |r| r.get(0))
        .unwrap_or(0);
    let fs = fsinfo::fs_kind(path);
    if fs == crate::model::FsKind::NoSharedLocks {
        super::lockless::wait_for_folder_lock(&conn, Patience::SCRIPT);
    }
    Store {
        conn,
        path: path.to_path_buf(),
        user: user.to_owned(),
        read_only,
        fs,
        patience: Patience::SCRIPT,
        data_version,
        last_changes: Vec::new(),
        matches,
        file_id: None,
        reopened: false,
        refused_copies: Vec::new(),
    }
}

/// A connection for reading (and, if `write`, writing) an existing board.
/// Whether `e` means a teammate holds the board's lock. On a board locked with a folder
/// (see `lockless`), "unable to open" too: a teammate's journal vanished between
/// SQLite's look and its open, as their save ended.
fn is_busy_here(path: &Path, e: &rusqlite::Error) -> bool {
    super::error::is_busy(e)
        || (super::error::is_cantopen(e)
            && fsinfo::fs_kind(path) == crate::model::FsKind::NoSharedLocks)
}

/// A failure to open or set up the board, in words: a teammate's lock is "board busy".
fn io_error(path: &Path, e: rusqlite::Error) -> OpenError {
    if is_busy_here(path, &e) {
        busy(path)
    } else {
        OpenError::Io(path.to_path_buf(), e.to_string())
    }
}

pub(super) fn connect(path: &Path, write: bool) -> Result<Connection, OpenError> {
    let io = |e: rusqlite::Error| io_error(path, e);
    let mode = if write {
        OpenFlags::SQLITE_OPEN_READ_WRITE
    } else {
        OpenFlags::SQLITE_OPEN_READ_ONLY
    };
    let conn = open_file(path, mode | OpenFlags::SQLITE_OPEN_NO_MUTEX).map_err(io)?;
    harden(&conn).map_err(io)?;
    conn.busy_timeout(Patience::SCRIPT.0).map_err(io)?;
    if fsinfo::fs_kind(path) == crate::model::FsKind::NoSharedLocks {
        super::lockless::wait_for_folder_lock(&conn, Patience::SCRIPT);
    }
    Ok(conn)
}

/// Open the board file, locked the way its filesystem needs (see `FsKind`): where file
/// locks do not reach the other machines, with SQLite's `unix-dotfile` locking (a lock
/// folder beside the board, which the server makes atomically), as every obeya there.
pub(super) fn open_file(path: &Path, flags: OpenFlags) -> rusqlite::Result<Connection> {
    match fsinfo::fs_kind(path) {
        crate::model::FsKind::NoSharedLocks => {
            Connection::open_with_flags_and_vfs(path, flags, c"unix-dotfile")
        }
        _ => Connection::open_with_flags(path, flags),
    }
}

/// Per-connection settings. The journal mode is a property of the file, set at creation.
pub(super) fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // SQLite's own busy handler; Store::write adds back-off on top of it.
    conn.busy_timeout(std::time::Duration::from_millis(100))?;
    Ok(())
}

/// A teammate held the lock for longer than the command line waits.
fn busy(path: &Path) -> OpenError {
    OpenError::Busy(path.to_path_buf())
}

impl OpenError {
    /// Whether the board was refused only because a teammate held its lock.
    pub fn is_busy(&self) -> bool {
        matches!(self, OpenError::Busy(_))
    }
}

/// A writer killed mid-transaction leaves a hot journal beside the board; a read-only
/// connection cannot roll it back (SQLite reports "attempt to write a readonly database").
/// When we may write the file, let a read-write connection read the board once: SQLite
/// rolls the unfinished transaction back, restoring the last committed state. (Without a
/// hot journal, or while its writer is still alive and holding its lock, this only reads.)
/// Returns whether there was a journal to look at (a reason to check the file).
fn recover_hot_journal(path: &Path) -> Result<bool, OpenError> {
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    let has_journal = std::fs::metadata(&journal).is_ok_and(|m| m.len() > 0);
    if !has_journal || !writable(path) {
        return Ok(false);
    }
    let io = |e: rusqlite::Error| {
        if is_busy_here(path, &e) {
            busy(path)
        } else if super::error::is_hot_journal(&e) {
            OpenError::HotJournal {
                path: path.to_path_buf(),
                can_write: true,
            }
        } else {
            OpenError::Io(path.to_path_buf(), e.to_string())
        }
    };
    let rw = open_file(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(io)?;
    harden(&rw).map_err(io)?;
    rw.busy_timeout(Patience::SCRIPT.0).map_err(io)?;
    rw.query_row("PRAGMA schema_version", [], |r| r.get::<_, i64>(0))
        .map_err(io)?;
    Ok(true)
}

/// The file starts as every SQLite file does. It is opened without waiting (should a
/// FIFO have taken the board's place since it was looked at) and must be a file.
pub(super) fn check_header(path: &Path) -> Result<(), OpenError> {
    use std::os::unix::fs::OpenOptionsExt;
    let io = |e: std::io::Error| OpenError::Io(path.to_path_buf(), e.to_string());
    let mut f = std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32)
        .open(path)
        .map_err(io)?;
    if let Some(what) = files::not_a_file(&f.metadata().map_err(io)?) {
        return Err(OpenError::NotAFile(path.to_path_buf(), what));
    }
    let mut header = [0u8; 16];
    match f.read_exact(&mut header) {
        Ok(()) if &header == b"SQLite format 3\0" => Ok(()),
        _ => Err(OpenError::NotSqlite(path.to_path_buf())),
    }
}

/// Whether we may write the file and its folder (the rollback journal lives beside it).
/// A file with no write bit at all counts as read-only even for root: someone marked it so.
fn writable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    let no_write_bits = std::fs::metadata(path)
        .map(|m| m.permissions().mode() & 0o222 == 0)
        .unwrap_or(true);
    let access_ok = |p: &Path| rustix::fs::access(p, rustix::fs::Access::WRITE_OK).is_ok();
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    !no_write_bits && access_ok(path) && access_ok(&dir)
}

/// Copy the board before changing its schema, and check the copy.
///
/// The copy is a new file, `BOARD.vN.bak`, created with create-new semantics and
/// written through our own file handle (never by a path SQLite would open, follow and
/// overwrite): a link planted at that name, pointing at someone's own board or
/// dangling to where a file would appear, is refused, and so is a file already there.
fn backup_before_migration(
    conn: &Connection,
    path: &Path,
    version: usize,
) -> Result<PathBuf, OpenError> {
    let name = format!(
        "{}.v{version}.bak",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    );
    let backup = path.with_file_name(name);
    let fail = |why: String| {
        OpenError::Io(
            path.to_path_buf(),
            format!("backup before upgrade failed: {why}"),
        )
    };
    // The whole database as it would be on disk, read in one read transaction.
    let image = conn
        .serialize(rusqlite::MAIN_DB)
        .map_err(|e| fail(e.to_string()))?;
    let mut image = image.to_vec();
    // A WAL board's image says "WAL" in its header (bytes 18 and 19); the copy holds
    // every page itself, so it is a plain rollback-journal file.
    if image.len() >= 20 && image[18] == 2 && image[19] == 2 {
        image[18] = 1;
        image[19] = 1;
    }
    files::create_new(&backup, &image).map_err(|e| fail(e.to_string()))?;
    check_copy(path, &backup).inspect_err(|_| {
        // The copy is ours (created new above): a bad one would block the next attempt.
        let _ = std::fs::remove_file(&backup);
    })?;
    Ok(backup)
}

/// The upgrade's backup copy reads back as a sound SQLite file.
fn check_copy(path: &Path, backup: &Path) -> Result<(), OpenError> {
    let fail = |why: String| {
        OpenError::Io(
            path.to_path_buf(),
            format!("backup before upgrade failed: {why}"),
        )
    };
    let copy = Connection::open_with_flags(
        backup,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NOFOLLOW,
    )
    .map_err(|e| fail(e.to_string()))?;
    harden(&copy).map_err(|e| fail(e.to_string()))?;
    let ok: String = copy
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| fail(e.to_string()))?;
    if ok != "ok" {
        return Err(fail(format!(
            "the copy {} does not check out: {ok}",
            backup.display()
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal(path: &Path) -> PathBuf {
        let mut j = path.as_os_str().to_owned();
        j.push("-journal");
        PathBuf::from(j)
    }

    /// A board whose writer was killed mid-save a moment ago: its files as they were
    /// then, changed pages already spilled into the board, the journal hot.
    fn board_with_hot_journal(dir: &Path) -> PathBuf {
        let live = dir.join("live.db");
        let store = Store::create(&live, "setup").unwrap();
        store
            .conn()
            .execute_batch(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200)
                 INSERT INTO item (title) SELECT 'item ' || i FROM n;",
            )
            .unwrap();
        drop(store);
        let writer = Connection::open(&live).unwrap();
        writer
            .execute_batch(
                "PRAGMA cache_size = 1; PRAGMA cache_spill = 1; BEGIN IMMEDIATE;
                 UPDATE item SET title = 'half saved', detail = hex(zeroblob(2000));",
            )
            .unwrap();
        let db = dir.join("team.db");
        std::fs::copy(&live, &db).unwrap();
        std::fs::copy(journal(&live), journal(&db)).unwrap();
        writer.execute_batch("ROLLBACK").unwrap();
        db
    }

    #[test]
    fn a_writer_killed_after_the_board_was_opened_is_rolled_back_not_called_damage() {
        let dir = tempfile::tempdir().unwrap();
        let db = board_with_hot_journal(dir.path());
        // The damage check runs on its own read-only connection, after the opening
        // recovered the board: here the journal turns hot just before it.
        let checked = quick_check(&db);
        assert!(checked.is_ok(), "{checked:?}");
        let store = Store::open(&db, "alice").unwrap();
        let half: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM item WHERE title = 'half saved'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(half, 0, "the unfinished save was rolled back");
    }

    #[test]
    fn a_hot_journal_nobody_here_may_roll_back_is_named_for_what_it_is() {
        let e = refusal(
            Path::new("team.db"),
            rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_READONLY_ROLLBACK),
                None,
            ),
            false,
        );
        let msg = e.to_string();
        assert!(matches!(e, OpenError::HotJournal { .. }), "{msg}");
        assert!(
            msg.contains("crashed") && msg.contains("write access"),
            "{msg}"
        );
        assert!(
            !msg.contains("damaged (") && !msg.contains("restore a backup copy of"),
            "{msg}"
        );
    }
}
