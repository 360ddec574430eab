//! Sync-conflict copies of the board beside it: how each sync tool names them, and
//! whether one is finished (the sync tool has stopped writing it).
//!
//! The names, as each tool documents or shows them, for a board `team.db`:
//!
//! - Syncthing: `team.sync-conflict-20261207-094338-ETRZXPS.db` (date, time and the
//!   short id of the device that made the change; docs.syncthing.net, "Understanding
//!   Synchronization: conflicting changes"; seen here with syncthing 1.19).
//! - Dropbox: `team (Bob's conflicted copy 2026-12-07).db` (the person or computer and
//!   the date; help.dropbox.com, "What's a conflicted copy?").
//! - Nextcloud desktop: `team (conflicted copy 2026-12-07 094338).db`; before 2.5, as
//!   ownCloud's client still does, `team_conflict-20261207-094338.db`
//!   (docs.nextcloud.com, user manual, "Conflicts").
//! - Google Drive for desktop: a "conflicted copy" of the file, with the user's name and
//!   the date, or a numbered duplicate `team (1).db`.
//! - OneDrive: the computer's name added to the name, `team-LAPTOP7.db`, or
//!   `team (LAPTOP7 Conflict 2026-12-07).db` (support.microsoft.com, "OneDrive: fix
//!   file sync conflicts"), or a numbered duplicate `team (2).db`.
//! - iCloud Drive: a number added, `team 2.db`.
//! - obeya itself: `team.obeya-conflict-20261207-094338-4242.db`, the board as it was
//!   when a sync tool replaced it in the middle of a save (see `reopen`).
//!
//! The first kinds say "conflict" in the name: [`Certainty::Named`]. A name with only a
//! number or a computer's name added is also what a person gets by copying the file
//! (a backup, a fork to try something out): [`Certainty::Likely`], merged only when
//! it shares the board's history and has changes the board lacks (see `autos`).

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How long a copy must be left alone (not written, not renamed) before it counts as
/// finished.
pub const SETTLE: Duration = Duration::from_millis(1000);

/// How sure a name is to be a sync tool's conflict copy of the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Certainty {
    /// Only a number or a computer's name added: a person's copy looks the same.
    Likely,
    /// The name says "conflict".
    Named,
}

/// A file beside the board whose name a sync tool gives a conflict copy of it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ConflictCopy {
    pub path: PathBuf,
    pub certainty: Certainty,
}

/// How sure `name` is to be a conflict copy of the board `board_name`; `None` if it is
/// none (case is ignored: the tools keep the board's own).
pub fn certainty(board_name: &str, name: &str) -> Option<Certainty> {
    let (board, name) = (board_name.to_lowercase(), name.to_lowercase());
    if name == board || name.starts_with('.') || name.starts_with('~') {
        return None;
    }
    let (stem, ext) = match board.rfind('.') {
        Some(dot) if dot > 0 => board.split_at(dot),
        _ => (board.as_str(), ""),
    };
    let middle = name.strip_prefix(stem)?.strip_suffix(ext)?;
    if middle.is_empty() {
        return None;
    }
    let named = middle.starts_with(".sync-conflict-")
        || middle.starts_with(".obeya-conflict-")
        || middle.starts_with("_conflict-")
        || (middle.starts_with(" (") && middle.ends_with(')') && middle.contains("conflict"));
    if named {
        return Some(Certainty::Named);
    }
    let digits = |s: &str| !s.is_empty() && s.len() <= 3 && s.chars().all(|c| c.is_ascii_digit());
    let numbered = middle.strip_prefix(' ').is_some_and(digits)
        || middle
            .strip_prefix(" (")
            .and_then(|m| m.strip_suffix(')'))
            .is_some_and(digits);
    // A Windows computer's name: up to 15 letters, digits and hyphens.
    let computer = middle.strip_prefix('-').is_some_and(|m| {
        !m.is_empty() && m.len() <= 15 && m.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    (numbered || computer).then_some(Certainty::Likely)
}

/// The conflict copies beside the board, sorted by name.
pub fn conflict_copies(board: &Path) -> Vec<ConflictCopy> {
    let Some(board_name) = board.file_name().map(|n| n.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let dir = match board.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<ConflictCopy> = entries
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let certainty = certainty(&board_name, &name)?;
            Some(ConflictCopy {
                path: e.path(),
                certainty,
            })
        })
        .collect();
    found.sort();
    found
}

/// Whether a copy is complete and left alone: a regular file (not a link), untouched
/// for [`SETTLE`] (neither written nor renamed), a whole SQLite file by its header's
/// page count, with no rollback journal of an unfinished write beside it.
pub fn settled(copy: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    let Ok(meta) = std::fs::symlink_metadata(copy) else {
        return false;
    };
    let changed =
        |secs: i64| SystemTime::UNIX_EPOCH + Duration::from_secs(u64::try_from(secs).unwrap_or(0));
    let last_touch = meta.modified().ok().max(Some(changed(meta.ctime())));
    let quiet = last_touch
        .and_then(|t| SystemTime::now().duration_since(t).ok())
        .is_some_and(|d| d >= SETTLE);
    let mut journal = copy.as_os_str().to_owned();
    journal.push("-journal");
    meta.is_file() && quiet && !Path::new(&journal).exists() && whole_sqlite_file(copy, meta.len())
}

/// Whether the file's header says it is a SQLite file of exactly `len` bytes.
fn whole_sqlite_file(path: &Path, len: u64) -> bool {
    use std::io::Read;
    let mut header = [0u8; 100];
    let read = super::files::open_no_follow(path).and_then(|mut f| f.read_exact(&mut header));
    if read.is_err() || &header[..16] != b"SQLite format 3\0" {
        return false;
    }
    let page_size = match u16::from_be_bytes([header[16], header[17]]) {
        1 => 65536,
        n => u64::from(n),
    };
    let pages = u64::from(u32::from_be_bytes([
        header[28], header[29], header[30], header[31],
    ]));
    // The page count is valid only when the two change counters agree.
    let valid = header[24..28] == header[92..96];
    !valid || pages * page_size == len
}
