//! Read-only views for the command line, as pure functions of loaded data: the coverage
//! of personas and stages, the activity log, and a stand-up's summary.

mod coverage;
mod log;
mod standup;

pub use coverage::{Cell, Coverage, coverage, coverage_text};
pub use log::log_line;
pub use standup::standup_markdown;
