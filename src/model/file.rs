//! What obeya knows about the board file itself.

/// Why a board opened read-only.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadOnly {
    /// The file (or its folder, which the journal needs) may not be written.
    NoPermission,
    /// The board was written by a newer obeya.
    NewerSchema { found: usize, known: usize },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FsKind {
    Local,
    /// NFS, SMB/CIFS, Ceph …, whose file locks reach the other machines: no WAL,
    /// slower polling.
    Network,
    /// A network filesystem whose locks do not reach the other machines: sshfs and the
    /// other FUSE network filesystems, 9p, AFS, NFS mounted `nolock` or with local
    /// locks, SMB mounted `nobrl`. obeya locks the board there with a lock folder
    /// beside it (`BOARD.lock`, SQLite's `unix-dotfile` locking), and opens the file
    /// afresh for every transaction, so no stale cached page is read.
    NoSharedLocks,
}

impl FsKind {
    /// Whether the board is on another machine's disk.
    pub fn is_network(self) -> bool {
        self != FsKind::Local
    }

    /// What the status bar says about it, if anything.
    pub fn label(self) -> Option<&'static str> {
        match self {
            FsKind::Local => None,
            FsKind::Network => Some("⇄ network drive"),
            FsKind::NoSharedLocks => Some("⇄ network drive, lock folder"),
        }
    }
}

/// The board file as the wall shows it: where it is, whether it may be written, and
/// what kind of filesystem holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardFile {
    pub path: std::path::PathBuf,
    pub read_only: Option<ReadOnly>,
    pub fs: FsKind,
}
