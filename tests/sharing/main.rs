//! One board file, many at work on it: real processes of the real binary on one real
//! file (commands racing, killed mid-write, waiting for a teammate's lock, merging a
//! conflicted copy), two walls in terminals of their own with the `sqlite3` shell
//! writing beside them, and two apps in process whose edits must never be lost.
//!
//! The tests across machines (a synced folder, a network file system) belong here too.
//! Every deadline is scaled by `OBEYA_TEST_TIME_SCALE` (see `kit::wait`).

/// The binary under test.
const OBEYA: &str = env!("CARGO_BIN_EXE_obeya");

mod beside;
mod network_mount;
mod no_lost_edits;
mod processes;
mod synced_folder;
mod two_walls;
