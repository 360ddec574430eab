//! The activity log as text lines.

use crate::format::escape_controls;
use crate::model::Activity;

/// "2026-11-22 09:15  bob  moved 'Fix refunds' to Check" (UTC), control characters from
/// the board shown escaped.
pub fn log_line(a: &Activity) -> String {
    format!(
        "{}  {}  {}",
        a.at.strftime("%Y-%m-%d %H:%M"),
        escape_controls(&a.who),
        escape_controls(&a.summary)
    )
}
