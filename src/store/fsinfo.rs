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

/// What kind of filesystem holds the board, and so how it is locked: by the mount
/// table where there is one (`/proc/self/mountinfo` names the filesystem and its
/// options), else by `statfs`.
pub fn fs_kind(path: &Path) -> FsKind {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if let Some((fstype, options)) = std::fs::canonicalize(dir)
        .ok()
        .and_then(|dir| mount_of(&dir))
    {
        return kind_of_mount(&fstype, &options);
    }
    match rustix::fs::statfs(dir) {
        #[allow(clippy::unnecessary_cast)]
        Ok(st) if st.f_type as i64 == FUSE => FsKind::NoSharedLocks,
        #[allow(clippy::unnecessary_cast)]
        Ok(st) if NETWORK_MAGIC.contains(&(st.f_type as i64)) => FsKind::Network,
        _ => FsKind::Local,
    }
}

/// `statfs` magic of FUSE.
const FUSE: i64 = 0x6573_5546;

/// The kind of a mount, from its filesystem type and options (the super block's and
/// the mount's, comma-separated).
pub fn kind_of_mount(fstype: &str, options: &str) -> FsKind {
    let has = |o: &str| {
        options
            .split(',')
            .any(|x| x == o || x.starts_with(&format!("{o}=")))
    };
    let local_locks = options
        .split(',')
        .any(|x| x == "local_lock=all" || x == "local_lock=posix");
    match fstype {
        // A block device through FUSE (ntfs-3g): a local disk.
        "fuseblk" => FsKind::Local,
        // GlusterFS passes locks to its servers.
        "fuse.glusterfs" => FsKind::Network,
        t if t.starts_with("fuse.") || t == "fuse" => FsKind::NoSharedLocks,
        "9p" | "afs" | "davfs" | "sshfs" => FsKind::NoSharedLocks,
        "nfs" | "nfs4" if has("nolock") || local_locks => FsKind::NoSharedLocks,
        "cifs" | "smb3" if has("nobrl") => FsKind::NoSharedLocks,
        "nfs" | "nfs4" | "cifs" | "smb3" | "smbfs" | "ceph" | "lustre" | "gpfs" | "ocfs2"
        | "gfs2" | "beegfs" => FsKind::Network,
        _ => FsKind::Local,
    }
}

/// The filesystem type and options of the mount holding `dir` (canonical).
fn mount_of(dir: &Path) -> Option<(String, String)> {
    let table = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let mut best: Option<(usize, String, String)> = None;
    for line in table.lines() {
        let (left, right) = line.split_once(" - ")?;
        let fields: Vec<&str> = left.split(' ').collect();
        let right: Vec<&str> = right.split(' ').collect();
        let (Some(point), Some(fstype)) = (fields.get(4), right.first()) else {
            continue;
        };
        let point = unescape(point);
        let depth = Path::new(&point).components().count();
        if dir.starts_with(&point) && best.as_ref().is_none_or(|(d, _, _)| depth >= *d) {
            let options = format!(
                "{},{}",
                fields.get(5).unwrap_or(&""),
                right.get(2).unwrap_or(&"")
            );
            best = Some((depth, (*fstype).to_owned(), options));
        }
    }
    best.map(|(_, t, o)| (t, o))
}

/// A mount point as the table writes it: space, tab, newline and backslash as `\ooo`.
fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let code = rest
            .get(i + 1..i + 4)
            .and_then(|o| u8::from_str_radix(o, 8).ok());
        match code {
            Some(c) => {
                out.push(char::from(c));
                rest = &rest[i + 4..];
            }
            None => {
                out.push('\\');
                rest = &rest[i + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}
