//! The page cache: how much of the board is in memory, and evicting it for a cold start.
//!
//! Eviction needs no root: fsync the file (only clean pages can be dropped), then
//! `posix_fadvise(POSIX_FADV_DONTNEED)` over the whole file. `fincore` (util-linux) tells
//! how many of its pages are still cached, so each cold run reports whether the eviction
//! worked. `/proc/sys/vm/drop_caches` (every file of the machine,
//! root only) is used in addition only when asked.

use std::fs::File;
use std::path::{Path, PathBuf};

pub const METHOD: &str = "posix_fadvise(POSIX_FADV_DONTNEED) after fsync on the board file \
                          (and its -journal/-wal/-shm); the binary and libraries stay cached";

/// The board and the side files SQLite may have next to it.
pub fn board_files(db: &Path) -> Vec<PathBuf> {
    let mut out = vec![db.to_path_buf()];
    for suffix in ["-journal", "-wal", "-shm"] {
        let mut s = db.as_os_str().to_owned();
        s.push(suffix);
        let p = PathBuf::from(s);
        if p.exists() {
            out.push(p);
        }
    }
    out
}

#[derive(Debug, Clone, Copy, Default)]
pub struct Residency {
    pub pages: u64,
    pub resident: u64,
}

impl Residency {
    pub fn pct(&self) -> f64 {
        if self.pages == 0 {
            0.0
        } else {
            100.0 * self.resident as f64 / self.pages as f64
        }
    }

    fn add(&mut self, o: Residency) {
        self.pages += o.pages;
        self.resident += o.resident;
    }
}

/// How much of the board's files is in the page cache.
pub fn residency(db: &Path) -> Result<Residency, String> {
    let mut total = Residency::default();
    for p in board_files(db) {
        total.add(file_residency(&p).map_err(|e| format!("{}: {e}", p.display()))?);
    }
    Ok(total)
}

/// What `fincore` (util-linux) says of one file: its size and how much of it is cached.
fn file_residency(p: &Path) -> Result<Residency, String> {
    let out = std::process::Command::new("fincore")
        .args(["--bytes", "--raw", "--noheadings", "--output", "RES,SIZE"])
        .arg(p)
        .output()
        .map_err(|e| format!("fincore: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    let numbers: Vec<u64> = text
        .split_whitespace()
        .map(|n| n.parse().map_err(|_| format!("fincore said '{text}'")))
        .collect::<Result<_, _>>()?;
    let [resident, size] = numbers[..] else {
        return Err(format!("fincore said '{text}'"));
    };
    let page = rustix::param::page_size() as u64;
    Ok(Residency {
        pages: size.div_ceil(page),
        resident: resident.div_ceil(page),
    })
}

#[derive(Debug, Clone)]
pub struct Evicted {
    pub before: Residency,
    pub after: Residency,
    /// `Some` when drop_caches was asked for: whether writing it worked.
    pub drop_caches: Option<Result<(), String>>,
}

/// Evict the board's files from the page cache (and drop all caches if asked).
pub fn evict(db: &Path, drop_caches: bool) -> Result<Evicted, String> {
    let before = residency(db)?;
    for p in board_files(db) {
        let f = File::open(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        rustix::fs::fsync(&f).map_err(|e| format!("fsync {}: {e}", p.display()))?;
        rustix::fs::fadvise(&f, 0, None, rustix::fs::Advice::DontNeed)
            .map_err(|e| format!("posix_fadvise {}: {e}", p.display()))?;
    }
    let dropped = drop_caches.then(drop_all_caches);
    Ok(Evicted {
        before,
        after: residency(db)?,
        drop_caches: dropped,
    })
}

const DROP_CACHES: &str = "/proc/sys/vm/drop_caches";

/// `sync; echo 1 > /proc/sys/vm/drop_caches`: every clean page of the machine.
fn drop_all_caches() -> Result<(), String> {
    use std::io::Write;
    rustix::fs::sync();
    std::fs::OpenOptions::new()
        .write(true)
        .open(DROP_CACHES)
        .and_then(|mut f| f.write_all(b"1\n"))
        .map_err(|e| format!("{DROP_CACHES}: {e}"))
}

/// Whether drop_caches could be written here (opening it for writing drops nothing).
pub fn drop_caches_permitted() -> Result<(), String> {
    std::fs::OpenOptions::new()
        .write(true)
        .open(DROP_CACHES)
        .map(|_| ())
        .map_err(|e| e.to_string())
}
