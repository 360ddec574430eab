//! What kind of filesystem the board is on, and which file a path names.

use std::path::Path;

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

/// Which file a path names now: its device and inode. A sync tool that puts a new
/// version of the board in place (a new file renamed over it) changes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    dev: u64,
    ino: u64,
}

/// The file at `path` now, if there is one.
pub fn file_id(path: &Path) -> Option<FileId> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| FileId {
        dev: m.dev(),
        ino: m.ino(),
    })
}

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
