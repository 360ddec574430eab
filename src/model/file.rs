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
    /// NFS, SMB/CIFS, FUSE (sshfs, cloud drives) …: no WAL, slower polling.
    Network,
}

/// The board file as the wall shows it: where it is, whether it may be written, and
/// what kind of filesystem holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardFile {
    pub path: std::path::PathBuf,
    pub read_only: Option<ReadOnly>,
    pub fs: FsKind,
}
