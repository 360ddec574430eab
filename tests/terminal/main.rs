//! The real binary in a pseudo-terminal, its screen read through a terminal emulator
//! (`kit::term`): a new user's first run from a shell, the terminal restored after a
//! quit, a suspend, a signal or a hang-up, resizing, a stand-up with a teammate, and
//! hostile text on the wall. Two walls on one file are in `sharing`.
//!
//! Every deadline is scaled by `OBEYA_TEST_TIME_SCALE` (see `kit::wait`).

/// The binary under test.
const OBEYA: &str = env!("CARGO_BIN_EXE_obeya");

mod evidence;
mod first_run;
mod panic;
mod signals;
mod standup;
mod wall;
