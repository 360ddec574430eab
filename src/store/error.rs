//! What can go wrong when opening or writing a board, in words a user can act on.

use std::path::{Path, PathBuf};

use crate::model::{Conflict, Kind, ReadOnly, RuleError};

/// The board file was refused; it was left exactly as it was.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("no board at {path} (create one with: obeya init --db {path})", path = .0.display())]
    Missing(PathBuf),
    #[error("{} is an empty file, not an obeya board; it was left untouched", .0.display())]
    Empty(PathBuf),
    #[error("{} is not an obeya board (not a SQLite file); it was left untouched", .0.display())]
    NotSqlite(PathBuf),
    #[error(
        "{} is a SQLite database but not an obeya board (wrong application id); it was left untouched",
        .0.display()
    )]
    NotBoard(PathBuf),
    /// The path names something other than a file: a folder, a FIFO, a device, a socket.
    #[error("{} is {}, not a board file; it was left untouched", .0.display(), .1)]
    NotAFile(PathBuf, &'static str),
    /// A file SQLite would open beside the board (`-journal`, `-wal`, `-shm`) is a link
    /// or not a file: SQLite would read or write through it.
    #[error(
        "{} beside the board is {}, which obeya did not make: SQLite would read and write the board's unsaved changes through it (someone may have planted it); the board was left untouched: remove it, once sure nobody is using the board",
        .0.display(),
        .1
    )]
    Beside(PathBuf, &'static str),
    /// obeya's application id, but no schema obeya made (`user_version` 0).
    #[error(
        "{} carries obeya's application id but holds no board obeya made (schema version 0); it was left untouched",
        .0.display()
    )]
    NoSchema(PathBuf),
    /// A `user_version` no obeya writes.
    #[error(
        "{} says its schema version is {}, which no obeya makes: it is damaged or was not made by obeya; it was left untouched",
        .0.display(),
        .1
    )]
    BadVersion(PathBuf, i64),
    /// obeya's application id, but tables every board has are not there.
    #[error(
        "{} carries obeya's application id, but the tables {} every obeya board has are missing: it is damaged or was not made by obeya; it was left untouched",
        .0.display(),
        .1.join(", ")
    )]
    MissingTables(PathBuf, Vec<String>),
    #[error("{} is damaged ({}); it was left untouched: restore a backup copy of it", .0.display(), .1)]
    Damaged(PathBuf, String),
    /// A writer stopped in the middle of a save (crashed, killed, its machine lost
    /// power) and left its rollback journal; this connection cannot roll it back.
    #[error("{}", hot_journal_message(.path, *.can_write))]
    HotJournal { path: PathBuf, can_write: bool },
    #[error("{} already exists; it was not overwritten", .0.display())]
    Exists(PathBuf),
    /// The schema holds triggers, views, virtual tables or indexes on an expression
    /// obeya did not make.
    #[error(
        "{} was not opened: its schema holds {}, which obeya did not make and which would run whenever the board is read or saved; the file was left untouched (whoever looks after it can remove them with sqlite3, e.g. DROP TRIGGER name, once sure nobody needs them)",
        .0.display(),
        .1.join(", ")
    )]
    UnsafeSchema(PathBuf, Vec<String>),
    /// A teammate held the board's lock for longer than opening waits.
    #[error("cannot open {}: board busy: a teammate is saving; try again in a moment", .0.display())]
    Busy(PathBuf),
    #[error("cannot open {}: {}", .0.display(), .1)]
    Io(PathBuf, String),
    /// A file beside the board (a new board, a backup) could not be written safely.
    #[error(transparent)]
    File(#[from] super::files::FileError),
}

/// Why a read or a write did not happen; nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}", read_only_message(path, why))]
    ReadOnly { path: PathBuf, why: ReadOnly },
    /// Another process held the write lock for longer than we were willing to wait.
    #[error("board busy: a teammate is saving ({}); try again in a moment", .0.display())]
    Busy(PathBuf),
    /// The board file was replaced under the connection (a sync tool renamed a new
    /// version over it) and could not be opened again.
    #[error("{} was replaced by a new version (a sync tool?) while saving; nothing was saved", .0.display())]
    Moved(PathBuf),
    #[error("{} changed {} at the same time ({})", .0.theirs_by, .0.label, conflict_fields(.0))]
    Conflict(Box<Conflict>),
    /// The record was deleted by someone else.
    #[error("{label} was deleted by a teammate")]
    Gone { label: String },
    /// A value breaks one of the board's rules: a name another record has, an empty
    /// title, … (see `model::rules`).
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// The record a command names is not on the board.
    #[error("no {kind} with id {id}")]
    Missing { kind: Kind, id: i64 },
    /// A record would point at one that is not on the board.
    #[error("unknown {kind} id {id}")]
    UnknownLink { kind: Kind, id: i64 },
    /// Deleting what a teammate changed after it was chosen would drop their change.
    #[error("{by} changed {label} after you chose to delete it; nothing was deleted (look again)")]
    ChangedSinceChosen { by: String, label: String },
    /// Other records (e.g. a teammate's comment) still point at the one being removed.
    #[error("{label} is still in use (a teammate may have added to it); nothing was removed")]
    InUse { label: String },
    #[error("cannot undo: {by} changed {label} since")]
    UndoChanged { by: String, label: String },
    /// An import or a merge brought the record back meanwhile (it keeps its uid).
    #[error("cannot undo: {label} is on the board again, as #{id}")]
    UndoBack { label: String, id: i64 },
    #[error("a {found} where a {expected} was expected")]
    WrongKind { found: Kind, expected: Kind },
    #[error("feeling score {0} is out of range (-2 … +2)")]
    ScoreOutOfRange(i8),
    #[error("a stage cannot go after itself")]
    AfterItself,
    #[error("metric value '{0}' is not a number")]
    NotANumber(f64),
    #[error("a {0} has no name")]
    Unnamed(Kind),
    #[error("no such column")]
    NoColumn,
    /// A sync-conflict copy that cannot be merged.
    #[error("{}: {problem}", path.display())]
    BadCopy { path: PathBuf, problem: CopyProblem },
    /// The words of refusing the file at open: a writer's unfinished save this
    /// connection may not roll back, code planted in a copy's schema.
    #[error(transparent)]
    Refused(Box<OpenError>),
    /// The board file could not be read (a network drive that went away).
    #[error("cannot read {}: {}", .0.display(), .1)]
    Unreadable(PathBuf, String),
    #[error("bad record data: {0}")]
    Data(#[from] serde_json::Error),
    /// The same words as refusing the file at open.
    #[error("{}", OpenError::Damaged(.0.clone(), .1.clone()))]
    Damaged(PathBuf, String),
    #[error("database error: {0}")]
    Sql(#[from] rusqlite::Error),
}

/// What is wrong with a file given to merge.
#[derive(Debug, thiserror::Error)]
pub enum CopyProblem {
    #[error("no such file")]
    NoFile,
    #[error("not an obeya board")]
    NotBoard,
    /// Cells the merge could not read, which it would write as empty values.
    #[error(
        "it holds {} cell(s) obeya cannot read ({}); nothing was merged: see them with obeya check --db COPY, and set them right first",
        .0.count(),
        .0.cells.first().map(ToString::to_string).unwrap_or_default()
    )]
    BadCells(super::cells::BadCells),
    #[error("it is damaged ({0}); it was not merged")]
    Damaged(String),
    #[error("merged, but it could not be removed ({0}); remove it by hand")]
    NotRemoved(String),
    /// The board as it was when a sync tool replaced it mid-save, kept beside it.
    #[error("the board as it was could not be kept here ({0})")]
    NotWritten(String),
    #[error(transparent)]
    Sql(#[from] rusqlite::Error),
}

fn hot_journal_message(path: &Path, can_write: bool) -> String {
    let mut journal = path.as_os_str().to_owned();
    journal.push("-journal");
    let journal = PathBuf::from(journal);
    if can_write {
        format!(
            "{}: another writer crashed a moment ago in the middle of a save (it left {}); the board is not damaged: try again, and its unfinished change will be rolled back",
            path.display(),
            journal.display()
        )
    } else {
        format!(
            "{}: another writer crashed in the middle of a save and left {} beside it; the board is not damaged, but rolling the unfinished change back needs write access to the board and its folder, which you do not have: ask someone with write access to open the board once (any obeya command does it), or retry later (restoring a backup copy instead would lose the changes saved since); the file was left untouched",
            path.display(),
            journal.display()
        )
    }
}

/// The board file was renamed over or removed under the connection (a sync tool put a
/// new version in its place): SQLite refuses to write the old one.
pub(crate) fn is_moved(e: &rusqlite::Error) -> bool {
    e.sqlite_error()
        .is_some_and(|f| f.extended_code == rusqlite::ffi::SQLITE_READONLY_DBMOVED)
}

/// A read-only connection met a hot journal it may not roll back.
pub(crate) fn is_hot_journal(e: &rusqlite::Error) -> bool {
    e.sqlite_error()
        .is_some_and(|f| f.extended_code == rusqlite::ffi::SQLITE_READONLY_ROLLBACK)
}

fn read_only_message(path: &Path, why: &ReadOnly) -> String {
    match why {
        ReadOnly::NoPermission => format!(
            "{} is read-only (no write permission for you); nothing was changed",
            path.display()
        ),
        ReadOnly::NewerSchema { found, known } => format!(
            "{} was made by a newer obeya (schema {found}; this one knows {known}): upgrade obeya to change it; nothing was changed",
            path.display()
        ),
    }
}

fn conflict_fields(c: &Conflict) -> String {
    c.fields
        .iter()
        .map(|x| x.field.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

pub(crate) fn is_cantopen(e: &rusqlite::Error) -> bool {
    e.sqlite_error_code() == Some(rusqlite::ErrorCode::CannotOpen)
}

pub(crate) fn is_corrupt(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}
