//! What a stand-up achieved, read back from the activity log.

use jiff::Timestamp;
use serde::Serialize;

use super::Status;

/// An item whose status changed during the stand-up (net: first before → last after).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moved {
    pub id: i64,
    pub title: String,
    pub from: Status,
    pub to: Status,
    pub by: String,
}

/// An item that became blocked during the stand-up (and still was at its end).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blocker {
    pub id: i64,
    pub title: String,
    pub reason: String,
    pub by: String,
}

/// An item created during the stand-up (and not deleted again before its end).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewItem {
    pub id: i64,
    pub title: String,
    pub status: Status,
    pub owner: String,
    pub by: String,
}

/// A comment written during the stand-up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewComment {
    pub item_id: i64,
    pub item: String,
    pub author: String,
    pub text: String,
}

/// What a stand-up achieved: the numbers a team lead pastes into chat.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandupSummary {
    pub started_at: Timestamp,
    pub ended_at: Timestamp,
    pub facilitator: String,
    pub moved: Vec<Moved>,
    pub new_blockers: Vec<Blocker>,
    pub new_items: Vec<NewItem>,
    pub comments: Vec<NewComment>,
    pub parked: Vec<String>,
}

impl StandupSummary {
    /// Minutes from start to end, rounded down.
    pub fn minutes(&self) -> i64 {
        (self.ended_at.as_second() - self.started_at.as_second()).max(0) / 60
    }

    /// The summary as Markdown, ready to paste into chat. Times in `tz`.
    pub fn to_markdown(&self, tz: &jiff::tz::TimeZone) -> String {
        use std::fmt::Write;
        let start = self.started_at.to_zoned(tz.clone());
        let end = self.ended_at.to_zoned(tz.clone());
        let mut md = format!(
            "# Stand-up {} {}–{} ({})\n\nFacilitator: {} · {} min\n",
            start.strftime("%Y-%m-%d"),
            start.strftime("%H:%M"),
            end.strftime("%H:%M"),
            end.strftime("%Z"),
            if self.facilitator.is_empty() {
                "nobody"
            } else {
                &self.facilitator
            },
            self.minutes()
        );
        let mut section = |title: &str, lines: Vec<String>| {
            let _ = write!(md, "\n## {title} ({})\n\n", lines.len());
            if lines.is_empty() {
                md.push_str("- none\n");
            }
            for l in lines {
                let _ = writeln!(md, "- {l}");
            }
        };
        section(
            "Items moved",
            self.moved
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
            self.new_blockers
                .iter()
                .map(|b| format!("#{} {}: {} ({})", b.id, b.title, b.reason, b.by))
                .collect(),
        );
        section(
            "New items",
            self.new_items
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
            self.comments
                .iter()
                .map(|c| {
                    format!(
                        "#{} {}: {}: “{}”",
                        c.item_id,
                        c.item,
                        c.author,
                        c.text.replace('\n', " ")
                    )
                })
                .collect(),
        );
        section("Parked topics", self.parked.clone());
        md
    }
}
