//! File-change notifications for the wall: a teammate's commit, a new version a sync
//! tool renamed over the board, a conflict copy, someone opening the board (a presence
//! file) wake the wall at once instead of at its next poll. Only the board's folder is
//! watched, not what is below it, and only names that belong to the board count, so a
//! busy folder (a home folder, a synced folder) does not keep the wall awake.
//!
//! A notification says "look now"; the poll stays the way changes are found, and the
//! only way on a network drive, whose other machines' changes raise no notification
//! here.

use std::path::{Path, PathBuf};

use notify::{RecommendedWatcher, RecursiveMode, Watcher};

pub struct Watch {
    watcher: RecommendedWatcher,
    presence: PathBuf,
    watching_presence: bool,
}

impl Watch {
    /// Watch the folder of the board at `board`, calling `wake` on each change of the
    /// board's; `None` where the system gives no notifications (the poll then does it
    /// all). Dropped, it stops.
    pub fn board(board: &Path, wake: impl Fn() + Send + 'static) -> Option<Watch> {
        let name = board.file_name()?.to_string_lossy().to_lowercase();
        let stem = match name.rfind('.') {
            Some(dot) if dot > 0 => name[..dot].to_owned(),
            _ => name.clone(),
        };
        let presence = crate::store::presence::presence_dir(board);
        let presence_name = presence.file_name()?.to_os_string();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let Ok(event) = event else { return };
                // Reading a file is no change (and the wall's own reads would wake it
                // again and again).
                if matches!(event.kind, notify::EventKind::Access(_)) {
                    return;
                }
                let ours = event.paths.iter().any(|p| {
                    let in_presence = p
                        .parent()
                        .and_then(Path::file_name)
                        .is_some_and(|n| n == presence_name);
                    in_presence
                        || p.file_name()
                            .is_some_and(|n| n.to_string_lossy().to_lowercase().starts_with(&stem))
                });
                if ours {
                    wake();
                }
            })
            .ok()?;
        let dir = match board.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        watcher.watch(dir, RecursiveMode::NonRecursive).ok()?;
        let mut watch = Watch {
            watcher,
            presence,
            watching_presence: false,
        };
        watch.watch_presence();
        Some(watch)
    }

    /// The presence folder appears with the first wall on the board: watch it too, once
    /// it is there (called on every tick).
    pub fn watch_presence(&mut self) {
        if !self.watching_presence && self.presence.is_dir() {
            self.watching_presence = self
                .watcher
                .watch(&self.presence, RecursiveMode::NonRecursive)
                .is_ok();
        }
    }
}
