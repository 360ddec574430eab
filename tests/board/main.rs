//! The library in process, through its public API: the store on real board files, the
//! wall's `App` driven through actions and drawn on a TestBackend (insta snapshots in
//! `snapshots/`), the exchange documents, the rules, the words of `format`, the keymap
//! and the config, and property tests over them.
//!
//! Helpers come from the test kit (`tests/kit`): `kit::fixture` (the starter board with
//! its times pinned), `kit::drive` (keys and commands into an app), `kit::seed`.

/// The binary under test, for the few tests here that run it.
const OBEYA: &str = env!("CARGO_BIN_EXE_obeya");

mod activity;
mod any_screen;
mod cards_prop;
mod closing;
mod config;
mod evidence;
mod exchange;
mod format;
mod import_prop;
mod keymap;
mod keys_prop;
mod long_columns;
mod long_fields;
mod metrics;
mod rules;
mod standup;
mod starter;
mod store;
mod ui_snapshots;
mod update;
mod wall;
mod words;
