//! Terminal set-up, the event loop and restoring the terminal.

use crate::cli::{Context, Failure};

/// Open the wall. (Being built in this same change series.)
pub fn run(_ctx: &Context) -> Result<(), Failure> {
    Err(Failure(
        "the board view is not built yet; use the subcommands (obeya --help)".into(),
    ))
}
