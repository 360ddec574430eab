//! The library in process: the store on real board files, the wall's `App` driven
//! through actions and drawn on a TestBackend (insta snapshots in `snapshots/`), the
//! exchange documents, the rules, the keymap and the config, and property tests over
//! all of them.
//!
//! Helpers come from the test kit (`tests/kit`): `kit::fixture` (the starter board with
//! its times pinned), `kit::drive` (keys and commands into an app), `kit::seed`.

/// The binary under test, for the few tests here that run it.
const OBEYA: &str = env!("CARGO_BIN_EXE_obeya");

mod cards_prop;
mod import_prop;
mod keys_prop;
mod long_columns;
mod standup;
mod store;
mod ui_snapshots;
mod update;
mod wall;
