//! The board file: opening (with refusals), schema migrations, reads, and versioned
//! writes that each append to the activity log.
//!
//! Every change is one short `BEGIN IMMEDIATE` transaction; none is held open while a
//! person types. The journal is the rollback journal (`DELETE`) with `synchronous=FULL`,
//! which is safe on network filesystems.

/// Run `$body` with `$R` bound to the record type of `$kind` (a [`Kind`]).
macro_rules! for_kind {
    ($kind:expr, $R:ident => $body:expr) => {
        match $kind {
            Kind::Mission => {
                type $R = Mission;
                $body
            }
            Kind::Persona => {
                type $R = Persona;
                $body
            }
            Kind::Stage => {
                type $R = Stage;
                $body
            }
            Kind::Feeling => {
                type $R = Feeling;
                $body
            }
            Kind::Item => {
                type $R = Item;
                $body
            }
            Kind::Comment => {
                type $R = Comment;
                $body
            }
            Kind::Column => {
                type $R = Column;
                $body
            }
            Kind::Parked => {
                type $R = ParkedTopic;
                $body
            }
            Kind::Evidence => {
                type $R = crate::model::Evidence;
                $body
            }
            Kind::EvidenceLink => {
                type $R = crate::model::EvidenceLink;
                $body
            }
        }
    };
}

#[macro_use]
pub mod cells;
mod activity;
pub mod autos;
pub mod copies;
mod describe;
mod error;
mod evidence;
pub mod files;
mod fsinfo;
mod functions;
pub mod journal;
mod lockless;
pub mod merge;
pub(crate) mod metric;
mod migrations;
mod open;
mod ops;
pub mod presence;
mod query;
pub mod record;
mod reopen;
mod schema;
mod schema_sql;
mod standup;
mod summary;
mod walk;
mod wall;
mod write;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use jiff::Timestamp;
use rusqlite::{Connection, TransactionBehavior};

use activity::activity_rows;
pub use activity::fact;
pub use autos::CopyOutcome;
pub use cells::{BadCell, BadCells, take_bad_cells};
pub use copies::conflict_copies;
pub use error::{CopyProblem, OpenError, StoreError};
pub use fsinfo::{FileId, file_id, fs_kind};
pub use functions::add_name_collation;
pub use migrations::{LATEST_SCHEMA, migrations};
pub use open::APPLICATION_ID;
pub use ops::Positioned;
pub use presence::Presence;
pub use query::{Health, Kept};
pub use record::{Record, changed_fields_any as changed_fields, new_uid, same_content};
pub use schema::SchemaReport;
pub use standup::StandupStart;
pub use walk::{Counting, Walked};
pub use wall::{CardFilter, PerColumn, SHORT_TEXT_ITEMS, Sieve};
pub use write::{Change, Saved, Writer};

use crate::model::{
    Activity, AnyRecord, Board, BoardFile, Column, Comment, Evidence, EvidenceLink, Feeling,
    FsKind, Item, Kind, Mission, ParkedTopic, Persona, ReadOnly, Stage, Standup, Wall,
};

/// How long a write waits for a teammate's lock before giving up with `Busy`.
#[derive(Debug, Clone, Copy)]
pub struct Patience(pub Duration);

impl Patience {
    /// The command line: a script would rather wait a few seconds than fail.
    pub const SCRIPT: Patience = Patience(Duration::from_secs(5));
    /// The wall: never freeze the screen; a busy write is queued and retried.
    pub const INTERACTIVE: Patience = Patience(Duration::from_millis(150));
}

pub struct Store {
    pub(crate) conn: Connection,
    path: PathBuf,
    user: String,
    read_only: Option<ReadOnly>,
    fs: FsKind,
    patience: Patience,
    data_version: i64,
    last_changes: Vec<Change>,
    /// What the filter's `obeya_matched` answers from (see `wall`).
    matches: wall::MatchSlot,
    /// The file the connection reads: a sync tool that renames a new version over the
    /// board changes the file at the path (see `reopen`).
    file_id: Option<FileId>,
    /// Whether the board was reopened since [`Store::take_reopened`] last asked.
    reopened: bool,
    /// Conflict copies that could not be merged, as they were then.
    refused_copies: Vec<autos::Refused>,
}

impl Store {
    /// Open an existing board. Refusals leave the file byte-for-byte unchanged.
    pub fn open(path: &Path, user: &str) -> Result<Store, OpenError> {
        Store::open_noting_file(path, user)
    }

    /// Open an existing board only to look at it (`obeya check`): refused as `open`
    /// refuses, but on a read-only connection that writes nothing, not even to roll
    /// back a crashed writer's save, to upgrade an older schema or to clear a lock.
    pub fn inspect(path: &Path, user: &str) -> Result<Store, OpenError> {
        open::open_existing(path, user, open::Purpose::Inspect)
    }

    /// Make a new, empty board at `path`; refuses to overwrite anything.
    pub fn create(path: &Path, user: &str) -> Result<Store, OpenError> {
        Store::create_with(path, user, |_| Ok::<(), OpenError>(()))
    }

    /// Make a new board at `path`, filled by `fill`, whole or not at all: it is built in
    /// a temporary file beside `path` and only put in place once `fill` succeeded, never
    /// replacing anything at `path` (a link included). A failure (a full disk, a bad
    /// template) leaves nothing behind.
    pub fn create_with<E: From<OpenError>>(
        path: &Path,
        user: &str,
        fill: impl FnOnce(&mut Store) -> Result<(), E>,
    ) -> Result<Store, E> {
        let (mut store, tmp) = open::create_aside(path, user)?;
        let filled = fill(&mut store);
        // Close it (every write was committed and synced): the file is complete.
        drop(store);
        if let Err(e) = filled {
            // The temporary file goes with `tmp`.
            open::remove_journal(&tmp);
            return Err(e);
        }
        open::put_in_place(tmp, path)?;
        Ok(Store::open(path, user)?)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file as the wall shows it.
    pub fn file(&self) -> BoardFile {
        BoardFile {
            path: self.path.clone(),
            read_only: self.read_only.clone(),
            fs: self.fs,
        }
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    pub fn read_only(&self) -> Option<&ReadOnly> {
        self.read_only.as_ref()
    }

    pub fn fs(&self) -> FsKind {
        self.fs
    }

    /// How long writes retry, and reads wait, while a teammate holds the lock.
    pub fn set_patience(&mut self, p: Patience) {
        self.patience = p;
        self.wait_for_locks();
    }

    /// How the connection waits for a teammate's lock: as long as the patience, on a
    /// board locked with a folder by looking again every few milliseconds.
    fn wait_for_locks(&self) {
        if self.locks_with_folder() {
            lockless::wait_for_folder_lock(&self.conn, self.patience);
        } else {
            let _ = self.conn.busy_timeout(self.patience.0);
        }
    }

    /// The raw connection, for reads the store has no helper for (tests, `check`).
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The read-only refusal for a write, if this board may not be written.
    pub fn refuse_if_read_only(&self) -> Result<(), StoreError> {
        match &self.read_only {
            Some(why) => Err(StoreError::ReadOnly {
                path: self.path.clone(),
                why: why.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Begin one read transaction for the reads that follow, until [`Self::end_reading`]:
    /// they see one state of the board (a teammate's commit lands before or after them,
    /// never between two of them), and the file is locked and checked once rather than
    /// per statement. Returns whether it began one (not when one is open already).
    pub fn begin_reading(&self) -> Result<bool, StoreError> {
        if !self.conn.is_autocommit() {
            return Ok(false);
        }
        self.conn
            .execute_batch("BEGIN")
            .map_err(|e| self.classify(e))?;
        Ok(true)
    }

    /// End the read transaction that [`Self::begin_reading`] began (if it did).
    pub fn end_reading(&self, began: bool) {
        if began {
            // Ending a read cannot lose anything; a failure leaves SQLite to end it.
            let _ = self.conn.execute_batch("COMMIT");
        }
    }

    /// `read` in one read transaction (see [`Self::begin_reading`]).
    fn reading<T>(&self, read: impl FnOnce() -> Result<T, StoreError>) -> Result<T, StoreError> {
        let began = self.begin_reading()?;
        let out = read();
        self.end_reading(began);
        out
    }

    /// The whole board: the wall's tables, every item and every comment (exports,
    /// reports and the command line; the wall reads items a screenful at a time).
    pub fn load_board(&self) -> Result<Board, StoreError> {
        self.reading(|| {
            let c = &self.conn;
            let wall = self.load_wall()?;
            let read = || -> rusqlite::Result<Board> {
                let mut items = record::load_all::<Item>(c)?;
                items.sort_by_key(|i| (i.status, i.position, i.id));
                Ok(Board {
                    wall,
                    items,
                    comments: record::load_all::<Comment>(c)?,
                    evidence: record::load_all::<Evidence>(c)?,
                    evidence_links: record::load_all::<EvidenceLink>(c)?,
                })
            };
            read().map_err(|e| self.classify(e))
        })
    }

    /// The wall's tables: everything but the items and their comments.
    pub fn load_wall(&self) -> Result<Wall, StoreError> {
        self.reading(|| self.read_wall())
    }

    fn read_wall(&self) -> Result<Wall, StoreError> {
        let c = &self.conn;
        let read = || -> rusqlite::Result<Wall> {
            Ok(Wall {
                mission: record::load::<Mission>(c, 1)?.unwrap_or_default(),
                personas: record::load_all::<Persona>(c)?,
                stages: record::load_all::<Stage>(c)?,
                feelings: record::load_all::<Feeling>(c)?,
                columns: record::load_all::<Column>(c)?,
                metric_values: metric::metric_values(c, None)?,
                last_standup: last_standup(c)?,
                parked: record::load_all::<ParkedTopic>(c)?,
                heard: evidence::heard(c)?,
            })
        };
        read().map_err(|e| self.classify(e))
    }

    /// One record of any kind, as stored now.
    pub fn load_any(&self, kind: Kind, id: i64) -> Result<Option<AnyRecord>, StoreError> {
        for_kind!(kind, R => Ok(self.load::<R>(id)?.map(Into::into)))
    }

    /// Whether another connection committed since the last call (`PRAGMA data_version`,
    /// which our own commits do not change). Cheap: no file I/O beyond the lock check.
    pub fn changed_by_others(&mut self) -> Result<bool, StoreError> {
        let v: i64 = if self.locks_with_folder() {
            // A fresh connection per transaction: the file's own change counter.
            self.change_counter()?
        } else {
            self.conn
                .query_row("PRAGMA data_version", [], |r| r.get(0))
                .map_err(|e| self.classify(e))?
        };
        let changed = v != self.data_version;
        self.data_version = v;
        if changed {
            // What is read next about the change, read afresh.
            self.refresh();
        }
        Ok(changed)
    }

    /// Make the next `changed_by_others` answer yes (a reload after it failed).
    pub fn forget_data_version(&mut self) {
        self.data_version = -1;
    }

    /// Activity rows with an id above `after_id`, oldest first.
    pub fn activity_since(&self, after_id: i64) -> Result<Vec<Activity>, StoreError> {
        self.activity_where("id > ?1 ORDER BY id", [after_id])
    }

    /// The newest `limit` activity rows, newest first.
    pub fn recent_activity(&self, limit: i64) -> Result<Vec<Activity>, StoreError> {
        self.activity_where("1 ORDER BY id DESC LIMIT ?1", [limit])
    }

    fn activity_where(
        &self,
        clause: &str,
        args: impl rusqlite::Params,
    ) -> Result<Vec<Activity>, StoreError> {
        activity_rows(&self.conn, clause, args)
    }

    pub fn last_activity_id(&self) -> Result<i64, StoreError> {
        Ok(self
            .conn
            .query_row("SELECT coalesce(max(id), 0) FROM activity", [], |r| {
                r.get(0)
            })?)
    }

    /// Run `f` in one short IMMEDIATE transaction, retrying with back-off while a
    /// teammate holds the lock (up to the store's patience), then `Busy`.
    pub fn write<T>(
        &mut self,
        mut f: impl FnMut(&mut Writer) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.refuse_if_read_only()?;
        let deadline = Instant::now() + self.patience.0;
        let mut pause = Duration::from_millis(10);
        let mut reopened = false;
        loop {
            self.renew()?;
            match self.try_write(&mut f) {
                Err(StoreError::Busy(_)) if self.clear_stale_lock() => {}
                Err(StoreError::Busy(_)) if Instant::now() + pause < deadline => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(400));
                }
                // A sync tool renamed a new version over the board: nothing was
                // written; write it there instead.
                Err(StoreError::Moved(_)) if !reopened => {
                    self.reopen()?;
                    reopened = true;
                }
                Ok(out) => {
                    // The write is committed: whatever follows must not report it as
                    // failed (it would be made again). Keeping the old file beside the
                    // board can only fail with the disk full.
                    let _ = self.rescue_if_replaced();
                    if self.locks_with_folder() {
                        // Our own commit is no teammate's change.
                        self.data_version = self.change_counter().unwrap_or(-1);
                    }
                    return Ok(out);
                }
                other => return other,
            }
        }
    }

    fn try_write<T>(
        &mut self,
        f: &mut impl FnMut(&mut Writer) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let path = self.path.clone();
        let folder = self.locks_with_folder();
        let busy_or = |e: rusqlite::Error| {
            if error::is_busy(&e) || (folder && error::is_cantopen(&e)) {
                StoreError::Busy(path.clone())
            } else if error::is_moved(&e) {
                StoreError::Moved(path.clone())
            } else {
                e.into()
            }
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(busy_or)?;
        let mut w = Writer::new(tx, &self.user, now());
        let out = f(&mut w).map_err(|e| match e {
            StoreError::Sql(e) => busy_or(e),
            other => other,
        })?;
        let (tx, changes) = w.finish();
        tx.commit().map_err(busy_or)?;
        self.last_changes = changes;
        Ok(out)
    }

    /// The changes of the last successful write, for undo.
    pub fn take_changes(&mut self) -> Vec<Change> {
        std::mem::take(&mut self.last_changes)
    }

    /// `read`, its failure in words (see `classify`).
    fn counted<T>(&self, read: impl FnOnce() -> rusqlite::Result<T>) -> Result<T, StoreError> {
        read().map_err(|e| self.classify(e))
    }

    fn classify(&self, e: rusqlite::Error) -> StoreError {
        if error::is_hot_journal(&e) {
            // A teammate's writer crashed mid-save while this read-only board was open.
            StoreError::Refused(Box::new(OpenError::HotJournal {
                path: self.path.clone(),
                can_write: false,
            }))
        } else if error::is_corrupt(&e) {
            StoreError::Damaged(self.path.clone(), e.to_string())
        } else if error::is_busy(&e) || (self.locks_with_folder() && error::is_cantopen(&e)) {
            // With a lock folder, a teammate's journal can vanish between SQLite's look
            // and its open as their save ends: busy for a moment, too.
            StoreError::Busy(self.path.clone())
        } else {
            StoreError::Sql(e)
        }
    }
}

fn last_standup(c: &Connection) -> rusqlite::Result<Option<Standup>> {
    Ok(standup::standup_rows(
        c,
        "ended_at IS NOT NULL ORDER BY ended_at DESC, id DESC LIMIT 1",
        [],
    )?
    .pop())
}

/// Now, to the second (stored times stay short and readable).
pub fn now() -> Timestamp {
    Timestamp::from_second(Timestamp::now().as_second()).unwrap_or(Timestamp::UNIX_EPOCH)
}
