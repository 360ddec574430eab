//! A stand-up's summary as Markdown, ready to paste into chat.

use jiff::tz::TimeZone;

use crate::format::escape_controls;
use crate::model::StandupSummary;

/// The summary as Markdown, ready to paste into chat. Times in `tz`. Text from the
/// board shows control characters escaped, each entry on its one line.
pub fn standup_markdown(s: &StandupSummary, tz: &TimeZone) -> String {
    use std::fmt::Write;
    let start = s.started_at.to_zoned(tz.clone());
    let end = s.ended_at.to_zoned(tz.clone());
    let mut md = format!(
        "# Stand-up {} {}–{} ({})\n\nFacilitator: {} · {} min\n",
        start.strftime("%Y-%m-%d"),
        start.strftime("%H:%M"),
        end.strftime("%H:%M"),
        end.strftime("%Z"),
        if s.facilitator.is_empty() {
            "nobody".into()
        } else {
            escape_controls(&s.facilitator)
        },
        s.minutes()
    );
    let mut section = |title: &str, lines: Vec<String>| {
        let _ = write!(md, "\n## {title} ({})\n\n", lines.len());
        if lines.is_empty() {
            md.push_str("- none\n");
        }
        for l in lines {
            let _ = writeln!(md, "- {}", escape_controls(&l));
        }
    };
    section(
        "Items moved",
        s.moved
            .iter()
            .map(|m| {
                format!(
                    "#{} {}: {} → {} ({})",
                    m.id,
                    m.title,
                    m.from.label(),
                    m.to.label(),
                    m.by
                )
            })
            .collect(),
    );
    section(
        "New blockers",
        s.new_blockers
            .iter()
            .map(|b| format!("#{} {}: {} ({})", b.id, b.title, b.reason, b.by))
            .collect(),
    );
    section(
        "New items",
        s.new_items
            .iter()
            .map(|n| {
                let owner = if n.owner.is_empty() {
                    "nobody"
                } else {
                    &n.owner
                };
                format!(
                    "#{} {} in {}, owner {owner} ({})",
                    n.id,
                    n.title,
                    n.status.label(),
                    n.by
                )
            })
            .collect(),
    );
    section(
        "Comments",
        s.comments
            .iter()
            .map(|c| {
                format!(
                    "#{} {}: {}: “{}”",
                    c.item_id,
                    c.item,
                    c.author,
                    c.text.replace("\r\n", " ").replace('\n', " ")
                )
            })
            .collect(),
    );
    section("Parked topics", s.parked.clone());
    md
}
