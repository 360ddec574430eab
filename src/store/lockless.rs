//! A board on a network filesystem whose file locks do not reach the other machines
//! (sshfs and the like; see `FsKind::NoSharedLocks`). Measured with two sshfs mounts of
//! one folder: SQLite's usual locks let writers on the two mounts damage the board
//! within seconds; locking with a lock folder (SQLite's `unix-dotfile` locking: the lock
//! is `BOARD.lock`, a folder the server creates atomically or refuses), the rollback
//! journal and `synchronous=FULL`, with the file opened afresh for every transaction,
//! kept every write and the board whole.
//!
//! - Writes: every transaction runs on a connection opened just before it, so it reads
//!   no page the kernel cached before another machine's commit.
//! - Reads: the wall opens the file afresh before it reads for a key or a look for
//!   teammates' changes; measured, a connection kept open read pages cached before
//!   another machine's commit and showed a stale board.
//! - Change detection: the header's change counter, read from a fresh open, says
//!   whether another machine committed (`PRAGMA data_version` only knows this
//!   connection).
//! - Hand-over: a mount may trust for a while what it last saw of the lock folder (sshfs
//!   caches it for 20 s unless mounted `-o dir_cache=no`); until then a writer there
//!   waits, and after its patience is told "board busy". Never wrong, only slow.
//! - A writer that crashed leaves its lock folder behind, and everyone would wait for
//!   it forever: a lock folder untouched for [`STALE_LOCK`] (no obeya transaction takes
//!   that long) is cleared, and the crashed writer's unfinished save is rolled back by
//!   the next one, as on a local disk.

use std::io::Read;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use super::{OpenError, Store, StoreError, open};
use crate::model::FsKind;

/// A lock folder older than this was left by a writer that crashed.
pub const STALE_LOCK: Duration = Duration::from_secs(30);

/// How often a connection looks again for a teammate's lock folder to go, give or take
/// a few milliseconds so that two who wait do not look in step. SQLite's own wait backs
/// off to 100 ms between looks, and a lock folder is free only for a moment between two
/// teammates' saves: one who looks that seldom waits for long. Looking much more often
/// floods the mount's one connection to the server, which slows the save it waits for.
const LOOK_EVERY: Duration = Duration::from_millis(12);

/// The pause before look number `tries`.
fn pause(tries: i32) {
    let spread = u64::try_from(tries.wrapping_mul(7919).rem_euclid(9)).unwrap_or(0);
    std::thread::sleep(LOOK_EVERY + Duration::from_millis(spread));
}

/// Wait for a lock folder about as long as `patience` (at least the command line's:
/// over the network a save takes a while, and a few teammates' saves come first).
pub(super) fn wait_for_folder_lock(conn: &rusqlite::Connection, patience: super::Patience) {
    fn briefly(tries: i32) -> bool {
        pause(tries);
        tries < 150 / 16
    }
    fn long(tries: i32) -> bool {
        pause(tries);
        tries < 15_000 / 16
    }
    let handler: fn(i32) -> bool = if patience.0 >= Duration::from_secs(1) {
        long
    } else {
        briefly
    };
    let _ = conn.busy_handler(Some(handler));
}

impl Store {
    /// Whether the board is locked with a lock folder (see the module's doc).
    pub fn locks_with_folder(&self) -> bool {
        self.fs == FsKind::NoSharedLocks
    }

    /// Before a write transaction: a connection opened just now.
    pub(super) fn renew(&mut self) -> Result<(), StoreError> {
        if !self.locks_with_folder() {
            return Ok(());
        }
        let refused = |e: OpenError| StoreError::Refused(Box::new(e));
        let conn = open::connect(&self.path, self.read_only.is_none()).map_err(refused)?;
        if self.read_only.is_none() {
            open::configure(&conn).map_err(|e| self.classify(e))?;
        }
        let _ = super::functions::add_functions(&conn, &self.matches);
        self.conn = conn;
        self.set_patience(self.patience);
        Ok(())
    }

    /// Before reads that follow a while after the last (a key, a tick): on a board
    /// locked with a folder, a connection opened just now (a failure shows in the reads
    /// that follow); elsewhere nothing.
    pub fn refresh(&mut self) {
        let _ = self.renew();
    }

    /// The header's file change counter (bytes 24..28), read from a fresh open.
    pub(super) fn change_counter(&self) -> Result<i64, StoreError> {
        let mut header = [0u8; 28];
        std::fs::File::open(&self.path)
            .and_then(|mut f| f.read_exact(&mut header))
            .map_err(|e| StoreError::Unreadable(self.path.clone(), e.to_string()))?;
        Ok(i64::from(u32::from_be_bytes([
            header[24], header[25], header[26], header[27],
        ])))
    }

    /// Clear a lock folder a crashed writer left, if there is one (see
    /// [`clear_stale_lock`]).
    pub(super) fn clear_stale_lock(&self) -> bool {
        self.locks_with_folder() && clear_stale_lock(&self.path)
    }
}

/// Clear the lock folder of the board at `board` if a crashed writer left it. Returns
/// whether it did. The folder is first renamed to a name of our own, so two who clear
/// it at once cannot both take it; one renamed that turns out to be new (taken by a
/// live writer in between) is put back.
pub(super) fn clear_stale_lock(board: &std::path::Path) -> bool {
    let mut lock = board.as_os_str().to_owned();
    lock.push(".lock");
    let lock = PathBuf::from(lock);
    let age = |p: &PathBuf| {
        std::fs::symlink_metadata(p)
            .and_then(|m| m.modified())
            .ok()
            .map(|t| (t, SystemTime::now().duration_since(t).unwrap_or_default()))
    };
    let Some((seen, old)) = age(&lock) else {
        return false;
    };
    if old < STALE_LOCK {
        return false;
    }
    let mut aside = lock.as_os_str().to_owned();
    aside.push(format!(
        ".stale-{}-{}",
        std::process::id(),
        jiff::Timestamp::now().as_nanosecond()
    ));
    let aside = PathBuf::from(aside);
    if std::fs::rename(&lock, &aside).is_err() {
        return false;
    }
    if age(&aside).is_some_and(|(t, _)| t == seen) {
        std::fs::remove_dir(&aside).is_ok()
    } else {
        let _ = std::fs::rename(&aside, &lock);
        false
    }
}
