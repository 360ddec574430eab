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
