//! Stand-ups for the command line: one stand-up's summary as Markdown (ready to paste
//! into chat) or JSON, the list of past stand-ups, and the open parked topics. Times are
//! in the zone given, labelled; JSON carries them as RFC 3339 with that zone's offset.

use std::fmt::Write as _;

use jiff::tz::TimeZone;
use serde::Serialize;

use crate::format::{escape_controls, local_time, rfc3339_local, zone_label};
use crate::model::{
    ChangeCounts, EvidenceNote, ParkedNote, ParkedTopic, PersonChanges, Standup, StandupSummary,
};

fn name(s: &str) -> String {
    if s.is_empty() {
        "nobody".to_owned()
    } else {
        s.to_owned()
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "5 changes by 2 people · 1 parked topic"
pub fn standup_counts(summary: &StandupSummary) -> String {
    let c = summary.counts();
    let mut out = plural(c.changes(), "change", "changes");
    if !summary.people.is_empty() {
        out += &format!(" by {}", plural(summary.people.len(), "person", "people"));
    }
    out + &format!(" · {}", plural(c.parked, "parked topic", "parked topics"))
}

/// One change as a line: `#4 Large-text mode in the app: moved Do → Check`.
pub fn change_line(c: &crate::model::ItemChange) -> String {
    let (id, title) = c.item();
    format!("#{id} {title}: {}", c.what())
}

/// The summary as Markdown, ready to paste into chat: a heading with the stand-up's
/// day, times and zone; then each person's changes; then the parked topics. Text from
/// the board shows control characters escaped, each entry on its one line.
pub fn standup_markdown(s: &Standup, summary: &StandupSummary, tz: &TimeZone) -> String {
    let start = s.started_at.to_zoned(tz.clone());
    let end = s.end().to_zoned(tz.clone());
    let mut md = format!(
        "# Stand-up {} {}–{} ({})\n\nFacilitator: {} · {} min · {}\n\n{}\n",
        start.strftime("%Y-%m-%d"),
        start.strftime("%H:%M"),
        end.strftime("%H:%M"),
        zone_label(s.started_at, tz),
        escape_controls(&name(&s.facilitator)),
        s.minutes(),
        standup_counts(summary),
        summary.counts().words(),
    );
    let one_line = |l: String| escape_controls(&l).into_owned();
    if summary.people.is_empty() {
        md.push_str("\n## Changes (0)\n\n- none\n");
    }
    for p in &summary.people {
        let _ = write!(
            md,
            "\n## {} ({})\n\n",
            one_line(name(&p.who)),
            p.changes.len()
        );
        for c in &p.changes {
            let _ = writeln!(md, "- {}", one_line(change_line(c)));
        }
    }
    let _ = write!(md, "\n## Parked topics ({})\n\n", summary.parked.len());
    if summary.parked.is_empty() {
        md.push_str("- none\n");
    }
    for t in &summary.parked {
        let _ = writeln!(
            md,
            "- {} ({})",
            one_line(t.text.clone()),
            one_line(name(&t.by))
        );
    }
    if !summary.evidence.is_empty() {
        let _ = write!(
            md,
            "\n## Evidence heard since the last stand-up ({})\n\n",
            summary.evidence.len()
        );
        for e in &summary.evidence {
            let _ = writeln!(md, "- {}", one_line(e.line()));
        }
    }
    if !summary.metrics.is_empty() {
        let _ = write!(
            md,
            "\n## Metrics that moved since the last stand-up ({})\n\n",
            summary.metrics.len()
        );
        for m in &summary.metrics {
            let _ = writeln!(md, "- {}", one_line(m.line()));
        }
    }
    md
}

/// A stand-up as JSON shows it: times with the local offset, the counts, the summary.
#[derive(Debug, Clone, Serialize)]
pub struct StandupView<'a> {
    pub id: i64,
    pub uid: &'a str,
    pub started_at: String,
    pub ended_at: String,
    pub facilitator: &'a str,
    pub minutes: i64,
    pub counts: ChangeCounts,
    pub people: &'a [PersonChanges],
    pub parked: &'a [ParkedNote],
    pub evidence: &'a [EvidenceNote],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub metrics: &'a [crate::model::MetricNote],
}

pub fn standup_view<'a>(
    s: &'a Standup,
    summary: &'a StandupSummary,
    tz: &TimeZone,
) -> StandupView<'a> {
    StandupView {
        id: s.id,
        uid: &s.uid,
        started_at: rfc3339_local(s.started_at, tz),
        ended_at: rfc3339_local(s.end(), tz),
        facilitator: &s.facilitator,
        minutes: s.minutes(),
        counts: summary.counts(),
        people: &summary.people,
        parked: &summary.parked,
        evidence: &summary.evidence,
        metrics: &summary.metrics,
    }
}

/// One line of `obeya standup list`:
/// `#3  2026-11-22 09:00–09:14 +05:30  alice  14 min  2 moved, 1 comment · 1 parked topic`.
pub fn standup_list_line(s: &Standup, summary: &StandupSummary, tz: &TimeZone) -> String {
    let end = s.end().to_zoned(tz.clone()).strftime("%H:%M").to_string();
    let start = local_time(s.started_at, tz);
    // "2026-11-22 09:00 +05:30" → "2026-11-22 09:00–09:14 +05:30"
    let (day_time, offset) = start.rsplit_once(' ').unwrap_or((&start, ""));
    let c = summary.counts();
    let line = format!(
        "#{:<3} {day_time}–{end} {offset}  {}  {} min  {} · {}",
        s.id,
        name(&s.facilitator),
        s.minutes(),
        c.words(),
        plural(c.parked, "parked topic", "parked topics"),
    );
    escape_controls(&line).into_owned()
}

/// One parked topic as JSON shows it.
#[derive(Debug, Clone, Serialize)]
pub struct TopicView<'a> {
    pub id: i64,
    pub uid: &'a str,
    pub text: &'a str,
    pub parked_by: &'a str,
    pub parked_at: String,
    pub standup: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resolved_at: Option<String>,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub resolved_by: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub item: Option<i64>,
}

pub fn topic_view<'a>(t: &'a ParkedTopic, tz: &TimeZone) -> TopicView<'a> {
    TopicView {
        id: t.id,
        uid: &t.meta.uid,
        text: &t.text,
        parked_by: &t.parked_by,
        parked_at: rfc3339_local(t.parked_at, tz),
        standup: t.standup_id,
        resolved_at: t.resolved_at.map(|r| rfc3339_local(r, tz)),
        resolved_by: &t.resolved_by,
        item: t.item_id,
    }
}

/// One line of `obeya standup parked`: `#2  Holiday rota  (alice, 2026-11-22 09:10 +05:30)`.
pub fn topic_line(t: &ParkedTopic, tz: &TimeZone) -> String {
    let text = t.text.replace("\r\n", " ").replace('\n', " ");
    let line = format!(
        "#{:<3} {text}  ({}, {})",
        t.id,
        name(&t.parked_by),
        local_time(t.parked_at, tz)
    );
    escape_controls(&line).into_owned()
}
