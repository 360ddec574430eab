//! What can go wrong when opening or writing a board, in words a user can act on.

use std::fmt;
use std::path::PathBuf;

use serde_json::Value;

/// Why a board opened read-only.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadOnly {
    /// The file (or its folder, which the journal needs) may not be written.
    NoPermission,
    /// The board was written by a newer obeya.
    NewerSchema { found: usize, known: usize },
}

/// The board file was refused; it was left exactly as it was.
#[derive(Debug)]
pub enum OpenError {
    Missing(PathBuf),
    Empty(PathBuf),
    NotSqlite(PathBuf),
    NotBoard(PathBuf),
    Damaged(PathBuf, String),
    Exists(PathBuf),
    Io(PathBuf, String),
}

impl fmt::Display for OpenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OpenError::Missing(p) => {
                write!(
                    f,
                    "no board at {0} (create one with: obeya init --db {0})",
                    p.display()
                )
            }
            OpenError::Empty(p) => write!(
                f,
                "{} is an empty file, not an obeya board; it was left untouched",
                p.display()
            ),
            OpenError::NotSqlite(p) => {
                write!(
                    f,
                    "{} is not an obeya board (not a SQLite file); it was left untouched",
                    p.display()
                )
            }
            OpenError::NotBoard(p) => write!(
                f,
                "{} is a SQLite database but not an obeya board (wrong application id); it was left untouched",
                p.display()
            ),
            OpenError::Damaged(p, why) => write!(
                f,
                "{} is damaged ({why}); it was left untouched: restore a backup copy of it",
                p.display()
            ),
            OpenError::Exists(p) => {
                write!(f, "{} already exists; it was not overwritten", p.display())
            }
            OpenError::Io(p, why) => write!(f, "cannot open {}: {why}", p.display()),
        }
    }
}

impl std::error::Error for OpenError {}

/// One field both people changed: base → theirs vs base → mine.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldConflict {
    pub field: String,
    pub base: Value,
    pub theirs: Value,
    pub mine: Value,
}

/// A save found the record changed by someone else, in the same fields.
/// Nothing was written. `theirs` is the stored record (with its meta); `mine_merged` is
/// theirs with every change of mine applied (mine wins the conflicting fields).
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub entity: &'static str,
    pub id: i64,
    pub label: String,
    pub theirs_by: String,
    pub fields: Vec<FieldConflict>,
    pub theirs: Value,
    pub mine_merged: Value,
}

#[derive(Debug)]
pub enum StoreError {
    ReadOnly {
        path: PathBuf,
        why: ReadOnly,
    },
    /// Another process held the write lock for longer than we were willing to wait.
    Busy(PathBuf),
    Conflict(Box<Conflict>),
    /// The record was deleted by someone else.
    Gone {
        label: String,
    },
    /// Bad input, e.g. a duplicate name; the message names the bad value.
    Invalid(String),
    Damaged(PathBuf, String),
    Sql(rusqlite::Error),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::ReadOnly {
                path,
                why: ReadOnly::NoPermission,
            } => write!(
                f,
                "{} is read-only (no write permission for you); nothing was changed",
                path.display()
            ),
            StoreError::ReadOnly {
                path,
                why: ReadOnly::NewerSchema { found, known },
            } => write!(
                f,
                "{} was made by a newer obeya (schema {found}; this one knows {known}): upgrade obeya to change it; nothing was changed",
                path.display()
            ),
            StoreError::Busy(p) => {
                write!(
                    f,
                    "board busy: a teammate is saving ({}); try again in a moment",
                    p.display()
                )
            }
            StoreError::Conflict(c) => write!(
                f,
                "{} changed {} at the same time ({})",
                c.theirs_by,
                c.label,
                c.fields
                    .iter()
                    .map(|x| x.field.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            StoreError::Gone { label } => write!(f, "{label} was deleted by a teammate"),
            StoreError::Invalid(m) => f.write_str(m),
            // The same words as refusing the file at open.
            StoreError::Damaged(p, why) => OpenError::Damaged(p.clone(), why.clone()).fmt(f),
            StoreError::Sql(e) => write!(f, "database error: {e}"),
        }
    }
}

impl std::error::Error for StoreError {}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Sql(e)
    }
}

impl From<serde_json::Error> for StoreError {
    fn from(e: serde_json::Error) -> Self {
        StoreError::Invalid(format!("bad record data: {e}"))
    }
}

pub(crate) fn is_busy(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

pub(crate) fn is_corrupt(e: &rusqlite::Error) -> bool {
    matches!(
        e.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}
