//! `obeya log`: the activity log, with the text a conflict lost shown under its row;
//! times in your zone (RFC 3339 with its offset, for `--json`).

use std::io::Write;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::context::{Context, Failure};
use crate::exchange::json_pretty;
use crate::format::rfc3339_local;
use crate::model::{Activity, Kind};

/// `obeya log [--since-standup | --since DAY] [--json]`: who changed what, oldest first.
pub fn log(
    ctx: &Context,
    since_standup: bool,
    since: Option<Date>,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let store = ctx.open()?;
    let board = store.load_board()?;
    // After the last stand-up: after the row that recorded it, where there is one (the
    // log's order, so a change in the same second as its end is placed right).
    let mut after_row = None;
    let from = if since_standup {
        match board.last_standup.as_ref().filter(|s| s.ended_at.is_some()) {
            Some(s) => {
                after_row = store.standup_activity_id(s)?;
                s.ended_at
            }
            None => {
                eprintln!("obeya: no stand-up has been held on this board yet; showing everything");
                None
            }
        }
    } else {
        since
            .map(|d| {
                d.to_zoned(ctx.tz().clone())
                    .map(|z| z.timestamp())
                    .map_err(|_| Failure(format!("{d} is too late a day to start from")))
            })
            .transpose()?
    };
    let rows: Vec<_> = store
        .activity_since(0)?
        .into_iter()
        .filter(|a| match after_row {
            Some(row) => a.id > row,
            None => from.is_none_or(|t| a.at >= t),
        })
        .collect();
    if json {
        let rows: Vec<_> = rows.iter().map(|a| activity_view(a, ctx.tz())).collect();
        writeln!(out, "{}", json_pretty(&rows)?)?;
    } else {
        // One line per change: the rows a reorder folds into its line are left out.
        for a in rows.iter().filter(|a| a.is_shown()) {
            writeln!(out, "{}", crate::report::log_line(a, ctx.tz()))?;
            let current = a
                .entity
                .parse::<Kind>()
                .ok()
                .and_then(|k| board.record(k, a.entity_id));
            for l in crate::report::lost_lines(&crate::report::lost_text(a, current.as_ref())) {
                writeln!(out, "{l}")?;
            }
        }
    }
    Ok(())
}

/// An activity row as `log --json` shows it.
#[derive(Debug, Serialize)]
struct ActivityView<'a> {
    id: i64,
    at: String,
    who: &'a str,
    action: &'a str,
    entity: &'a str,
    entity_id: i64,
    summary: &'a str,
    before: Option<&'a str>,
    after: Option<&'a str>,
}

fn activity_view<'a>(a: &'a Activity, tz: &TimeZone) -> ActivityView<'a> {
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
