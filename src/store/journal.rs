//! Which journal the board file uses. The rollback journal (`DELETE`) works everywhere,
//! network drives included; WAL is faster for readers but needs shared memory that
//! network filesystems do not provide, so it is only ever an opt-in for a local disk.

use super::{Store, StoreError};
use crate::model::FsKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JournalAction {
    Keep,
    SwitchToWal,
    /// A WAL board found on a network drive goes back to the rollback journal.
    SwitchToDelete,
    /// WAL was asked for, but the board is on a network drive.
    RefuseWal,
}

pub fn decide(fs: FsKind, want_wal: bool, is_wal: bool) -> JournalAction {
    match (fs.is_network(), want_wal, is_wal) {
        (true, _, true) => JournalAction::SwitchToDelete,
        (true, true, false) => JournalAction::RefuseWal,
        (false, true, false) => JournalAction::SwitchToWal,
        _ => JournalAction::Keep,
    }
}

impl Store {
    pub fn journal_mode(&self) -> Result<String, StoreError> {
        self.conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(|e| self.classify(e))
    }

    /// Apply the `[sharing] wal` setting. Returns a note for the user when the board
    /// keeps (or goes back to) the rollback journal against the setting.
    pub fn apply_journal_setting(&mut self, want_wal: bool) -> Result<Option<String>, StoreError> {
        if self.read_only().is_some() {
            return Ok(None);
        }
        let is_wal = self.journal_mode()?.eq_ignore_ascii_case("wal");
        let set = |store: &Store, mode: &str| -> Result<(), StoreError> {
            store
                .conn
                .query_row(&format!("PRAGMA journal_mode = {mode}"), [], |_| Ok(()))?;
            Ok(())
        };
        Ok(match decide(self.fs(), want_wal, is_wal) {
            JournalAction::Keep => None,
            JournalAction::SwitchToWal => {
                set(self, "WAL")?;
                None
            }
            JournalAction::SwitchToDelete => {
                set(self, "DELETE")?;
                Some("board is on a network drive: switched it back from WAL to the rollback journal".into())
            }
            JournalAction::RefuseWal => {
                Some("WAL refused: the board is on a network drive, where only the rollback journal is safe".into())
            }
        })
    }
}
