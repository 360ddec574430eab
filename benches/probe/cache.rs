//! The page cache: how much of the board is in memory, and evicting it for a cold start.
//!
//! Eviction needs no root: fsync the file (only clean pages can be dropped), then
//! `posix_fadvise(POSIX_FADV_DONTNEED)` over the whole file. `mincore` on a mapping of
//! the file tells how many of its pages are still cached, so each cold run reports
//! whether the eviction worked. `/proc/sys/vm/drop_caches` (every file of the machine,
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
        let f = File::open(&p).map_err(|e| format!("{}: {e}", p.display()))?;
        total.add(file_residency(&f).map_err(|e| format!("mincore {}: {e}", p.display()))?);
    }
    Ok(total)
}

fn file_residency(f: &File) -> std::io::Result<Residency> {
    use std::os::fd::AsRawFd;
    let len = f.metadata()?.len() as usize;
    if len == 0 {
        return Ok(Residency::default());
    }
    // SAFETY: sysconf has no preconditions.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) }.max(4096) as usize;
    let pages = len.div_ceil(page);
    let mut vec = vec![0u8; pages];
    // SAFETY: a read-only shared mapping of a file we hold open, never dereferenced; it
    // is unmapped before returning. mincore writes one byte per page into `vec`, which
    // has exactly that many.
    unsafe {
        let p = libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ,
            libc::MAP_SHARED,
            f.as_raw_fd(),
            0,
        );
        if p == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        let r = libc::mincore(p, len, vec.as_mut_ptr());
        let err = std::io::Error::last_os_error();
        libc::munmap(p, len);
        if r != 0 {
            return Err(err);
        }
    }
    Ok(Residency {
        pages: pages as u64,
        resident: vec.iter().filter(|b| **b & 1 == 1).count() as u64,
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
    // SAFETY: sync has no preconditions.
    unsafe { libc::sync() };
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
