//! App state, actions and the one place that writes to the store.

pub mod keymap;
