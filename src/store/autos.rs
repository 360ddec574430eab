//! Conflict copies merged for you: the wall and every command look beside the board for
//! the copies a sync tool made (see `copies`), and merge each finished one record by
//! record, as `obeya merge` does (see `merge`). The copy is removed only after the
//! merged board is committed and checked. A copy that brings nothing new writes nothing,
//! so two machines merging the same copy at once settle instead of making new copies.

use std::path::PathBuf;
use std::time::SystemTime;

use super::copies::{self, Certainty};
use super::merge::{self, MergeReport};
use super::{Store, StoreError};

/// What became of a conflict copy found beside the board.
#[derive(Debug)]
pub enum CopyOutcome {
    /// Merged into the board (or it had nothing new), and removed.
    Merged(MergeReport),
    /// Not merged; it stays where it is, and this is why.
    Kept { copy: PathBuf, why: StoreError },
}

/// A copy that could not be merged, as it was then: tried again only once it changes.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Refused {
    copy: PathBuf,
    modified: Option<SystemTime>,
}

fn modified(path: &std::path::Path) -> Option<SystemTime> {
    std::fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
}

impl Store {
    /// Merge the finished conflict copies beside the board, oldest name first, and
    /// remove each once merged. Nothing happens on a board that may not be written.
    /// Copies still being written, and copies whose name is only likely a conflict
    /// copy's but which are no fork of this board with changes of its own, are left
    /// alone and not reported.
    pub fn merge_conflict_copies(&mut self) -> Vec<CopyOutcome> {
        if self.read_only().is_some() {
            return Vec::new();
        }
        let mut outcomes = Vec::new();
        for found in copies::conflict_copies(self.path()) {
            let copy = found.path;
            let refused = Refused {
                modified: modified(&copy),
                copy: copy.clone(),
            };
            if self.refused_copies.contains(&refused) || !copies::settled(&copy) {
                continue;
            }
            if found.certainty == Certainty::Likely
                && !merge::is_fork_with_changes(self, &copy).unwrap_or(false)
            {
                continue;
            }
            match self.merge_and_remove(&copy) {
                Ok(report) => outcomes.push(CopyOutcome::Merged(report)),
                Err(StoreError::Busy(_)) => {}
                Err(why) => {
                    self.refused_copies.push(refused);
                    outcomes.push(CopyOutcome::Kept { copy, why });
                }
            }
        }
        outcomes
    }

    fn merge_and_remove(&mut self, copy: &std::path::Path) -> Result<MergeReport, StoreError> {
        // The copy itself is checked first: a damaged one is not merged.
        merge::check_copy(copy)?;
        let report = merge::merge_file(self, copy)?;
        if report.wrote {
            self.check_whole()?;
        }
        // Gone already: another machine merged it and its removal arrived.
        match std::fs::remove_file(copy) {
            Ok(()) => Ok(report),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(report),
            Err(e) => Err(StoreError::BadCopy {
                path: copy.to_path_buf(),
                problem: super::CopyProblem::NotRemoved(e.to_string()),
            }),
        }
    }

    /// `PRAGMA quick_check` of the whole board.
    fn check_whole(&self) -> Result<(), StoreError> {
        let check: String = self
            .conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| self.classify(e))?;
        if check == "ok" {
            Ok(())
        } else {
            Err(StoreError::Damaged(self.path().to_path_buf(), check))
        }
    }
}
