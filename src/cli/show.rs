//! Showing one record in full, and records as the command line's JSON shows them (times
//! in your zone, RFC 3339 with its offset; exports keep UTC).

use std::io::Write;

use jiff::tz::TimeZone;
use serde::Serialize;

use crate::context::{Context, Failure};
use crate::exchange::json_pretty;
use crate::format::{escape_controls, local_time, rfc3339_local};
use crate::model::{Activity, Item};
use crate::store::Store;

/// An activity row as `log --json` shows it.
#[derive(Debug, Serialize)]
pub struct ActivityView<'a> {
    pub id: i64,
    pub at: String,
    pub who: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: i64,
    pub summary: &'a str,
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

pub fn activity_view<'a>(a: &'a Activity, tz: &TimeZone) -> ActivityView<'a> {
    ActivityView {
        id: a.id,
        at: rfc3339_local(a.at, tz),
        who: &a.who,
        action: &a.action,
        entity: &a.entity,
        entity_id: a.entity_id,
        summary: &a.summary,
        before: a.before.as_deref(),
        after: a.after.as_deref(),
    }
}

#[derive(Debug, Serialize)]
struct CommentView<'a> {
    id: i64,
    uid: &'a str,
    author: &'a str,
    at: String,
    text: &'a str,
}

/// Every field of an item, as `item show --json` prints it.
#[derive(Debug, Serialize)]
struct ItemView<'a> {
    id: i64,
    uid: &'a str,
    title: &'a str,
    detail: &'a str,
    status: crate::model::Status,
    owner: &'a str,
    due: Option<jiff::civil::Date>,
    persona: Option<&'a str>,
    stage: Option<&'a str>,
    impact: &'a str,
    risk: &'a str,
    blocked: bool,
    blocked_reason: &'a str,
    created_at: String,
    status_since: String,
    updated_at: String,
    updated_by: &'a str,
    version: i64,
    comments: Vec<CommentView<'a>>,
}

/// `obeya item show ID [--json]`: every field of the item, and its comments.
pub fn item(
    ctx: &Context,
    store: &Store,
    id: i64,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let board = store.load_board()?;
    let i: &Item = board.item(id).ok_or_else(|| {
        Failure(format!(
            "no item with id {id} in {}",
            store.path().display()
        ))
    })?;
    let tz = ctx.tz();
    let comments: Vec<_> = board.comments_of(i.id).collect();
    if json {
        let view = ItemView {
            id: i.id,
            uid: &i.meta.uid,
            title: &i.title,
            detail: &i.detail,
            status: i.status,
            owner: &i.owner,
            due: i.due,
            persona: board.persona_name(i.persona_id),
            stage: board.stage_name(i.stage_id),
            impact: &i.impact,
            risk: &i.risk,
            blocked: i.blocked,
            blocked_reason: &i.blocked_reason,
            created_at: rfc3339_local(i.created_at, tz),
            status_since: rfc3339_local(i.status_since, tz),
            updated_at: rfc3339_local(i.meta.updated_at, tz),
            updated_by: &i.meta.updated_by,
            version: i.meta.version,
            comments: comments
                .iter()
                .map(|c| CommentView {
                    id: c.id,
                    uid: &c.meta.uid,
                    author: &c.author,
                    at: rfc3339_local(c.at, tz),
                    text: &c.text,
                })
                .collect(),
        };
        writeln!(out, "{}", json_pretty(&view)?)?;
        return Ok(());
    }
    let today = jiff::Timestamp::now().to_zoned(tz.clone()).date();
    let mut lines: Vec<(&str, String)> = vec![
        (
            "status",
            format!(
                "{} since {}",
                i.status.label(),
                local_time(i.status_since, tz)
            ),
        ),
        (
            "owner",
            if i.owner.is_empty() {
                "nobody".into()
            } else {
                i.owner.clone()
            },
        ),
    ];
    if let Some(d) = i.due {
        let late = if i.is_overdue(today) {
            " (overdue)"
        } else {
            ""
        };
        lines.push(("due", format!("{d}{late}")));
    }
    lines.push((
        "persona",
        board
            .persona_name(i.persona_id)
            .unwrap_or("none")
            .to_owned(),
    ));
    lines.push((
        "stage",
        board.stage_name(i.stage_id).unwrap_or("none").to_owned(),
    ));
    if i.is_unlinked() {
        lines.push(("⚠", "serves no persona and no stage".to_owned()));
    }
    lines.push(("impact", i.impact.clone()));
    lines.push(("risk", i.risk.clone()));
    if i.blocked {
        lines.push(("blocked", i.blocked_reason.clone()));
    }
    lines.push(("created", local_time(i.created_at, tz)));
    lines.push((
        "changed",
        format!(
            "{} by {} (version {})",
            local_time(i.meta.updated_at, tz),
            i.meta.updated_by,
            i.meta.version
        ),
    ));
    lines.push(("uid", i.meta.uid.clone()));
    writeln!(out, "#{} {}", i.id, escape_controls(&i.title))?;
    for (label, value) in lines.into_iter().filter(|(_, v)| !v.is_empty()) {
        writeln!(out, "  {label:<8} {}", escape_controls(&value))?;
    }
    if !i.detail.is_empty() {
        writeln!(out, "  detail")?;
        for l in i.detail.lines() {
            writeln!(out, "    {}", escape_controls(l))?;
        }
    }
    writeln!(out, "  comments ({})", comments.len())?;
    for c in comments {
        let text = c.text.replace("\r\n", " ").replace('\n', " ");
        writeln!(
            out,
            "    {}  {}: {}",
            local_time(c.at, tz),
            escape_controls(&c.author),
            escape_controls(&text)
        )?;
    }
    Ok(())
}
