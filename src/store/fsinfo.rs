//! What kind of filesystem the board is on, and sync-conflict copies beside it.

use std::path::{Path, PathBuf};

use crate::model::FsKind;

/// Linux `statfs` magic numbers of filesystems where file locks and shared memory
/// cannot be trusted across machines.
const NETWORK_MAGIC: &[i64] = &[
    0x6969,      // NFS
    0xFF53_4D42, // CIFS
    0xFE53_4D42, // SMB2
    0x517B,      // SMB
    0x6573_5546, // FUSE
    0x0102_1997, // 9P
    0x5346_414F, // AFS
    0x00C3_6400, // Ceph
];

pub fn fs_kind(path: &Path) -> FsKind {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    match rustix::fs::statfs(dir) {
        #[allow(clippy::unnecessary_cast)]
        Ok(st) if NETWORK_MAGIC.contains(&(st.f_type as i64)) => FsKind::Network,
        _ => FsKind::Local,
    }
}

/// Sync-conflict copies of the board beside it: Dropbox's "… (conflicted copy …)",
/// Syncthing's ".sync-conflict-…", and OneDrive/Nextcloud's "… (conflict …)" names.
pub fn conflict_copies(path: &Path) -> Vec<PathBuf> {
    let Some(stem) = path.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
        return Vec::new();
    };
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().to_lowercase())
                .unwrap_or_default();
            p != path
                && name.starts_with(&stem.to_lowercase())
                && (name.contains("conflicted copy")
                    || name.contains(".sync-conflict-")
                    || name.contains("(conflict"))
        })
        .collect();
    found.sort();
    found
}
