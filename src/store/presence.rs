//! Who else has the board open, kept beside the board, never in it: each running
//! instance writes one small file of its own in the folder `BOARD.presence/` (its user,
//! host, process and the time it last said "still here"), and reads the others'.
//!
//! One writer per file: a sync tool never has two versions of one to reconcile, and a
//! network mount needs no lock for it. Opening, reading or leaving a wall idle never
//! writes the board file itself. A file is stale when its instance has not written it
//! for [`STALE_AFTER_SECONDS`], or when it names a process of this host that is gone
//! (killed); whoever reads the folder removes stale ones.
//!
//! The files are anyone's to write: each is read only if it is a small regular file
//! (never through a link), and the names in it are shown escaped by the status bar.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// A presence file older than this is from an instance that died without saying goodbye.
pub const STALE_AFTER_SECONDS: i64 = 120;
/// Longer than any presence file obeya writes: anything bigger is not read.
const MAX_FILE: u64 = 4096;
/// How much of a user name is shown.
const MAX_NAME: usize = 64;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Beat {
    user: String,
    host: String,
    pid: u32,
    started_at: Timestamp,
    seen_at: Timestamp,
}

/// This instance's presence beside one board.
#[derive(Debug, Clone)]
pub struct Presence {
    dir: PathBuf,
    /// Our own file's name in `dir`.
    name: String,
    user: String,
    host: String,
    started_at: Timestamp,
}

/// The folder beside `board` that holds the presence files: `team.db.presence`.
pub fn presence_dir(board: &Path) -> PathBuf {
    let mut name = board.file_name().unwrap_or_default().to_owned();
    name.push(".presence");
    board.with_file_name(name)
}

impl Presence {
    pub fn new(board: &Path, user: &str) -> Presence {
        let host = whoami::hostname().unwrap_or_default();
        let started_at = Timestamp::now();
        let safe = |s: &str| -> String {
            s.chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                .take(40)
                .collect()
        };
        // Two in one process (tests, a merge) get names of their own.
        static MADE: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = MADE.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Presence {
            dir: presence_dir(board),
            name: format!(
                "{}-{}-{}-{n}.json",
                safe(&host),
                std::process::id(),
                started_at.as_millisecond()
            ),
            user: user.to_owned(),
            host,
            started_at,
        }
    }

    /// The presence folder, if it is a real folder (never one reached through a link,
    /// which someone could point anywhere).
    fn folder(&self, create: bool) -> Option<&Path> {
        match std::fs::symlink_metadata(&self.dir) {
            Ok(m) if m.is_dir() => Some(&self.dir),
            Err(e) if create && e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir(&self.dir).ok()?;
                Some(&self.dir)
            }
            _ => None,
        }
    }

    /// Say "still here": write our file whole (a temporary file renamed over it).
    /// Quietly skipped where the folder may not be written (a read-only board).
    pub fn beat(&self) {
        let Some(dir) = self.folder(true) else {
            return;
        };
        let beat = Beat {
            user: self.user.clone(),
            host: self.host.clone(),
            pid: std::process::id(),
            started_at: self.started_at,
            seen_at: Timestamp::now(),
        };
        let Ok(text) = serde_json::to_vec(&beat) else {
            return;
        };
        let dest = dir.join(&self.name);
        let Ok(mut tmp) = super::files::temp_beside(&dest) else {
            return;
        };
        if tmp.write_all(&text).is_ok() {
            let _ = tmp.persist(&dest);
        }
    }

    /// Remove our file on the way out (and the folder, if nobody else is in it).
    pub fn leave(&self) {
        if let Some(dir) = self.folder(false) {
            let _ = std::fs::remove_file(dir.join(&self.name));
            let _ = std::fs::remove_dir(dir);
        }
    }

    /// The names of the others who have the board open now, sorted, each once. Stale
    /// files are removed on the way.
    pub fn others(&self) -> Vec<String> {
        let Some(dir) = self.folder(false) else {
            return Vec::new();
        };
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let now = Timestamp::now();
        let mut names = Vec::new();
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name == self.name || !name.ends_with(".json") || name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            match read_beat(&path) {
                Some(beat) if self.is_stale(&beat, now) => {
                    let _ = std::fs::remove_file(&path);
                }
                Some(beat) => names.push(beat.user.chars().take(MAX_NAME).collect::<String>()),
                // A half-made file is renamed in whole, so one unreadable for long is
                // no instance's.
                None if is_old(&path, now) => {
                    let _ = std::fs::remove_file(&path);
                }
                None => {}
            }
        }
        names.sort();
        names.dedup();
        names
    }

    fn is_stale(&self, beat: &Beat, now: Timestamp) -> bool {
        let silent = now.as_second() - beat.seen_at.as_second();
        silent > STALE_AFTER_SECONDS || (beat.host == self.host && !process_alive(beat.pid))
    }
}

/// A presence file, if it is a small regular file holding one.
fn read_beat(path: &Path) -> Option<Beat> {
    let file = super::files::open_no_follow(path).ok()?;
    let meta = file.metadata().ok()?;
    if !meta.is_file() || meta.len() > MAX_FILE {
        return None;
    }
    let mut text = Vec::new();
    file.take(MAX_FILE).read_to_end(&mut text).ok()?;
    serde_json::from_slice(&text).ok()
}

/// Whether a file was last changed longer ago than a presence file stays fresh.
fn is_old(path: &Path, now: Timestamp) -> bool {
    std::fs::symlink_metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| Timestamp::try_from(t).ok())
        .is_some_and(|t| now.as_second() - t.as_second() > STALE_AFTER_SECONDS)
}

/// Whether a process of this host with this id is still there.
fn process_alive(pid: u32) -> bool {
    let Some(pid) = i32::try_from(pid)
        .ok()
        .and_then(rustix::process::Pid::from_raw)
    else {
        return false;
    };
    match rustix::process::test_kill_process(pid) {
        Ok(()) => true,
        // It exists, but belongs to someone else.
        Err(e) => e == rustix::io::Errno::PERM,
    }
}
