//! The activity log as text lines.

use crate::model::Activity;

/// "2026-11-22 09:15  bob  moved 'Fix refunds' to Check" (UTC).
pub fn log_line(a: &Activity) -> String {
    format!(
        "{}  {}  {}",
        a.at.strftime("%Y-%m-%d %H:%M"),
        a.who,
        a.summary
    )
}
