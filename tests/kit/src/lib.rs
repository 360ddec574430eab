//! What obeya's tests and benches share, in one place.
//!
//! - [`fixture`]: the starter board in a real file with its times pinned, a fuller wall;
//! - [`drive`]: an `App` on a board, driven through keys and commands, drawn as text;
//! - [`cli`]: the real binary run in a temporary home;
//! - [`term`]: a program in a pseudo-terminal, its screen read through a terminal
//!   emulator (the tests and the probe bench alike);
//! - [`rigs`]: real engines for the tests across machines (sshfs through a loopback
//!   sshd, a Syncthing pair), started on free ports and stopped when dropped;
//! - [`wait`]: deadlines, stretched by `OBEYA_TEST_TIME_SCALE`; [`seed`]: the printed,
//!   replayable seed of anything random;
//! - [`documents`]: exchange documents; [`export_items`], [`generated`], [`bench_cmd`]:
//!   what the benches measure on.
//!
//! `env!("CARGO_BIN_EXE_obeya")` exists only while Cargo compiles obeya's own tests and
//! benches, so they pass the binary's path in (`Env::new`, `Spawn::new`).

pub mod bench_cmd;
pub mod cli;
pub mod documents;
pub mod drive;
pub mod export_items;
pub mod fixture;
pub mod generated;
pub mod rigs;
pub mod seed;
pub mod term;
pub mod wait;
