//! Files obeya writes beside a shared board: written whole or not at all, and never
//! through a link someone planted.
//!
//! A shared folder is anyone's to write, so the path obeya means to write may already
//! hold a symbolic link to someone's own files, or a link that dangles to where a file
//! would be created. Every file here is therefore created with create-new semantics
//! (`O_CREAT | O_EXCL`: it fails if the path exists, as a link too, and never follows
//! one), and a file is only ever put in place whole, once it is complete and synced:
//!
//! - [`replace_whole`] (an export): a temporary file in the same folder, synced, then
//!   renamed over the destination. A rename replaces a regular file in one step and
//!   never follows a link; a full disk leaves the old file as it was.
//! - `put_in_place` (a new board): like that, but it never replaces anything: the
//!   complete file is moved in with `renameat2(RENAME_NOREPLACE)`, or where the
//!   filesystem lacks that, hard-linked into place (which also fails if the name is
//!   taken) and the temporary name removed; where it lacks hard links too, the name is
//!   claimed with a new empty file and the board renamed over it.
//! - [`create_new`] (a backup): the new file itself, created new, written and synced.
//!
//! A temporary file is tempfile's `NamedTempFile`: whatever fails before it is in
//! place, it is removed, and nothing is left behind.

use std::fs::{File, OpenOptions, Permissions};
use std::io::{self, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tempfile::{NamedTempFile, TempPath};

/// Why a file was not written. Each message names the path.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error(
        "{} is a symbolic link; refusing to write through it (someone may have planted it to point at another file): remove the link or choose another name",
        .0.display()
    )]
    Link(PathBuf),
    #[error("{} already exists; it was not overwritten", .0.display())]
    Exists(PathBuf),
    /// Something other than a regular file is at the name: a folder, a FIFO, a device.
    #[error("{} is {}, not a regular file; nothing was written to it", .0.display(), .1)]
    NotAFile(PathBuf, &'static str),
    /// A file nobody may write (no write permission for you, or none at all).
    #[error("{} is read-only; it was not replaced (make it writable, or choose another name)", .0.display())]
    ReadOnly(PathBuf),
    #[error("cannot write {}: {}", .0.display(), .1)]
    Io(PathBuf, io::Error),
}

/// What stands at `path`, without following a link: refused if it is a link (or, when
/// `must_be_free`, anything at all).
pub(crate) fn check_free(path: &Path, must_be_free: bool) -> Result<(), FileError> {
    match std::fs::symlink_metadata(path) {
        Ok(m) if m.file_type().is_symlink() => Err(FileError::Link(path.to_path_buf())),
        Ok(_) if must_be_free => Err(FileError::Exists(path.to_path_buf())),
        Ok(_) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(FileError::Io(path.to_path_buf(), e)),
    }
}

/// What stands at a path, in words, unless it is a regular file: "a folder", "a FIFO
/// (named pipe)", a device, a socket or "a symbolic link" (as `symlink_metadata` sees it).
pub(crate) fn not_a_file(meta: &std::fs::Metadata) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    Some(if t.is_file() {
        return None;
    } else if t.is_dir() {
        "a folder"
    } else if t.is_symlink() {
        "a symbolic link"
    } else if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_char_device() {
        "a character device"
    } else if t.is_block_device() {
        "a block device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "not a regular file"
    })
}

/// Whether nobody may write the file: no write permission for this user, or no write
/// bit at all (someone marked it so, which root would otherwise walk past).
pub(crate) fn read_only_file(path: &Path, meta: &std::fs::Metadata) -> bool {
    meta.permissions().mode() & 0o222 == 0
        || rustix::fs::access(path, rustix::fs::Access::WRITE_OK).is_err()
}

/// Create `path` as a new file (never through a link, never over anything).
fn create_exclusive(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(path)
}

/// Open `path` for reading, never through a link.
pub(crate) fn open_no_follow(path: &Path) -> io::Result<File> {
    OpenOptions::new()
        .read(true)
        .custom_flags(rustix::fs::OFlags::NOFOLLOW.bits() as i32)
        .open(path)
}

/// A new, empty file beside `dest` (same folder, so a rename or link stays on one
/// filesystem), hidden, with a name nobody else is using: created new, so never through
/// a link, with the permissions any new file gets (tempfile's own are the owner's alone;
/// a board is shared). It is removed when dropped unless put in place.
pub(crate) fn temp_beside(dest: &Path) -> Result<NamedTempFile, FileError> {
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let dir = match dest.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".obeya-tmp")
        .permissions(Permissions::from_mode(0o666))
        .tempfile_in(dir)
        .map_err(|e| FileError::Io(dest.to_path_buf(), e))
}

/// Sync the folder holding `path`, so a rename or link into it survives a crash.
fn sync_folder(path: &Path) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    File::open(dir)?.sync_all()
}

/// Write `bytes` to `dest` whole or not at all, replacing a regular file there that
/// may be written. Anything else at `dest` is refused, in words: a symbolic link (a
/// rename would replace it, never follow it), a folder, a FIFO (whose reader would get
/// nothing), a device, a read-only file.
pub fn replace_whole(dest: &Path, bytes: &[u8]) -> Result<(), FileError> {
    check_free(dest, false)?;
    if let Ok(meta) = std::fs::symlink_metadata(dest) {
        if let Some(what) = not_a_file(&meta) {
            return Err(FileError::NotAFile(dest.to_path_buf(), what));
        }
        if read_only_file(dest, &meta) {
            return Err(FileError::ReadOnly(dest.to_path_buf()));
        }
    }
    let io = |e| FileError::Io(dest.to_path_buf(), e);
    let mut tmp = temp_beside(dest)?;
    // A failure drops the temporary file, which removes it.
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(io)?;
    tmp.persist(dest).map_err(|e| io(e.error))?;
    sync_folder(dest).map_err(io)
}

/// Create `dest` as a new file holding `bytes`, synced; refused if anything (a link
/// included) is at `dest`. A failed write removes what it created.
pub fn create_new(dest: &Path, bytes: &[u8]) -> Result<(), FileError> {
    check_free(dest, true)?;
    let mut file = create_exclusive(dest).map_err(|e| match e.kind() {
        // Planted between the look and the creation.
        io::ErrorKind::AlreadyExists => FileError::Exists(dest.to_path_buf()),
        _ => FileError::Io(dest.to_path_buf(), e),
    })?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .and_then(|()| sync_folder(dest));
    if let Err(e) = written {
        let _ = std::fs::remove_file(dest);
        return Err(FileError::Io(dest.to_path_buf(), e));
    }
    Ok(())
}

/// Move the complete file `tmp` to `dest` without ever replacing anything at `dest`
/// (a link included). On failure `tmp` is removed.
pub(crate) fn put_in_place(tmp: TempPath, dest: &Path) -> Result<(), FileError> {
    use rustix::io::Errno;
    check_free(dest, true)?;
    let taken = |dest: &Path| match std::fs::symlink_metadata(dest) {
        Ok(m) if m.file_type().is_symlink() => FileError::Link(dest.to_path_buf()),
        _ => FileError::Exists(dest.to_path_buf()),
    };
    let io = |e| FileError::Io(dest.to_path_buf(), e);
    // `renameat2(RENAME_NOREPLACE)`, or a hard link where the filesystem cannot.
    let tmp = match tmp.persist_noclobber(dest) {
        Ok(()) => return sync_folder(dest).map_err(io),
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => return Err(taken(dest)),
        // Some network and FAT filesystems have neither.
        Err(e)
            if matches!(
                Errno::from_io_error(&e.error),
                Some(Errno::PERM | Errno::NOTSUP | Errno::NOSYS | Errno::MLINK)
            ) =>
        {
            e.path
        }
        Err(e) => return Err(io(e.error)),
    };
    // Last resort: claim the name with a new empty file of our own (create-new, so
    // nothing there is replaced or followed), then rename the board over it. Only a
    // crash between the two steps could leave that empty file behind.
    drop(create_exclusive(dest).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => taken(dest),
        _ => io(e),
    })?);
    tmp.persist(dest)
        .map_err(|e| e.error)
        .and_then(|()| sync_folder(dest))
        .map_err(|e| {
            let _ = std::fs::remove_file(dest);
            io(e)
        })
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::symlink;

    use super::*;

    #[test]
    fn create_new_and_put_in_place_never_replace_or_follow() {
        let dir = tempfile::tempdir().unwrap();
        let dangling = dir.path().join("dangling");
        let target = dir.path().join("target");
        symlink(&target, &dangling).unwrap();
        assert!(matches!(
            create_new(&dangling, b"x"),
            Err(FileError::Link(_))
        ));
        assert!(!target.exists());
        let tmp = || temp_beside(&dangling).unwrap().into_temp_path();
        assert!(matches!(
            put_in_place(tmp(), &dangling),
            Err(FileError::Link(_))
        ));
        assert!(!target.exists());
        let taken = dir.path().join("taken");
        std::fs::write(&taken, "keep").unwrap();
        assert!(matches!(
            create_new(&taken, b"x"),
            Err(FileError::Exists(_))
        ));
        assert!(matches!(
            put_in_place(tmp(), &taken),
            Err(FileError::Exists(_))
        ));
        assert_eq!(std::fs::read(&taken).unwrap(), b"keep");
        let free = dir.path().join("free");
        let last = tmp();
        let was = last.to_path_buf();
        put_in_place(last, &free).unwrap();
        assert!(!was.exists() && free.exists());
        // Nothing is left behind by the refusals: the link, the files and the board.
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 3, "{names:?}");
    }
}
