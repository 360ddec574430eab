//! The real binary through its command line, on real temporary files: every command,
//! the exchange formats, the reports, the hostile-board corpus (with the wall in a
//! pseudo-terminal where a signal or a hang-up meets queued changes), the README's key
//! tables checked against the command tables, and the README's examples run.
//!
//! Helpers come from the test kit (`tests/kit`): `kit::cli` runs the binary in a
//! temporary home; `kit::term` is the terminal harness; `kit::wait` the deadlines.

/// The binary under test.
const OBEYA: &str = env!("CARGO_BIN_EXE_obeya");

mod bad_cells;
mod board;
mod commands;
mod config_file;
mod evidence;
mod hostile;
mod hostile_files;
mod hostile_schema;
mod log_lines;
mod long_text;
mod metric;
mod readme;
mod readme_examples;
mod reports;
