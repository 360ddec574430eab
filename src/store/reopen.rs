//! A board replaced under an open connection. A sync tool delivers a teammate's version
//! by writing a new file and renaming it over the board: the connection still reads the
//! old file (now nameless), and SQLite refuses to write it ("database moved"). The store
//! notices either way, opens the file now at the path, and says so
//! ([`Store::take_reopened`]); a write that met the moved file is tried again on the new
//! one. Should the file be replaced in the very middle of a save, after SQLite's own
//! check, the save lands in the old file: the old file's whole content is then kept
//! beside the board as a conflict copy (`BOARD.obeya-conflict-…`), which is merged
//! record by record like any other (see `autos`), so the save is not lost.

use std::path::PathBuf;

use super::{OpenError, Store, StoreError, file_id, open};

impl Store {
    /// Open `path`, and note which file the connection reads. Should a sync tool
    /// replace the file while it is being opened, open it again.
    pub(super) fn open_noting_file(path: &std::path::Path, user: &str) -> Result<Store, OpenError> {
        let mut tries = 0;
        let mut cleared = false;
        // A lock folder a crashed writer left would have this open wait its whole
        // patience first.
        if super::fsinfo::fs_kind(path) == crate::model::FsKind::NoSharedLocks {
            super::lockless::clear_stale_lock(path);
        }
        loop {
            let before = file_id(path);
            let mut store = match open::open_existing(path, user, open::Purpose::Use) {
                // A lock folder a crashed writer left (see `lockless`).
                Err(e) if e.is_busy() && !cleared && super::lockless::clear_stale_lock(path) => {
                    cleared = true;
                    continue;
                }
                other => other?,
            };
            let after = file_id(path);
            tries += 1;
            if before == after || tries == 3 {
                store.file_id = after;
                return Ok(store);
            }
        }
    }

    /// Whether the file at the board's path is no longer the one the connection reads
    /// (a sync tool renamed a new version over it).
    pub fn replaced(&self) -> bool {
        // A board locked with a folder is opened afresh for every transaction anyway, and
        // a network filesystem may number a file anew without anything replacing it.
        if self.locks_with_folder() {
            return false;
        }
        match (self.file_id, file_id(&self.path)) {
            (Some(ours), Some(now)) => ours != now,
            // Gone for a moment (between a sync tool's steps) is not replaced yet.
            _ => false,
        }
    }

    /// Open the file now at the board's path in place of the old one, keeping the
    /// patience; [`Store::take_reopened`] says it happened.
    pub fn reopen(&mut self) -> Result<(), StoreError> {
        let patience = self.patience;
        let refused = std::mem::take(&mut self.refused_copies);
        let fresh = Store::open_noting_file(&self.path, &self.user)
            .map_err(|e| StoreError::Refused(Box::new(e)))?;
        *self = fresh;
        self.set_patience(patience);
        self.refused_copies = refused;
        self.reopened = true;
        // The new file's changes are all news to whoever shows the board.
        self.forget_data_version();
        Ok(())
    }

    /// Whether the board was reopened (replaced under us) since the last call.
    pub fn take_reopened(&mut self) -> bool {
        std::mem::take(&mut self.reopened)
    }

    /// After a commit: if the file was replaced meanwhile, the commit may have gone to
    /// the old file. Keep that file's whole content beside the board as a conflict
    /// copy, to be merged into the new one, and reopen.
    pub(super) fn rescue_if_replaced(&mut self) -> Result<(), StoreError> {
        if !self.replaced() {
            return Ok(());
        }
        let image = self.conn.serialize(rusqlite::MAIN_DB)?;
        let copy = self.rescue_name();
        super::files::create_new(&copy, &image).map_err(|e| StoreError::BadCopy {
            path: copy.clone(),
            problem: super::CopyProblem::NotWritten(e.to_string()),
        })?;
        self.reopen()
    }

    /// `team.obeya-conflict-20261207-094338-4242.db` beside `team.db`.
    fn rescue_name(&self) -> PathBuf {
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let (stem, ext) = match name.rfind('.') {
            Some(dot) if dot > 0 => name.split_at(dot),
            _ => (name.as_str(), ""),
        };
        let when = jiff::Zoned::now().strftime("%Y%m%d-%H%M%S");
        self.path.with_file_name(format!(
            "{stem}.obeya-conflict-{when}-{}{ext}",
            std::process::id()
        ))
    }
}
