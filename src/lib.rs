//! obeya: a terminal Obeya board that keeps a team's work pointed at its customers.
//!
//! The library holds everything; `main.rs` only parses the command line and dispatches.

pub mod app;
pub mod cli;
pub mod config;
pub mod context;
pub mod exchange;
pub mod format;
pub mod keymap;
pub mod model;
pub mod report;
pub mod store;
pub mod tui;
pub mod ui;
