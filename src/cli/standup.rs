//! `obeya standup report | list | parked`: stand-ups held on the board.

use std::io::Write;

use super::{ReportFormat, StandupCommand};
use crate::context::{Context, Failure};
use crate::exchange::json_pretty;

pub fn run(ctx: &Context, cmd: &StandupCommand, out: &mut dyn Write) -> Result<(), Failure> {
    match cmd {
        StandupCommand::Report { id, format } => report(ctx, *id, *format, out),
        StandupCommand::List { json } => list(ctx, *json, out),
        StandupCommand::Parked { json } => parked(ctx, *json, out),
    }
}

/// A stand-up's summary (the last one's unless `id`); exit 1 if there is none.
fn report(
    ctx: &Context,
    id: Option<i64>,
    format: ReportFormat,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let store = ctx.open()?;
    let s = match id {
        Some(id) => store
            .standup(id)?
            .filter(|s| s.ended_at.is_some())
            .ok_or_else(|| {
                Failure(format!(
                    "no stand-up #{id} on this board ({}; see them with: obeya standup list)",
                    ctx.db.display()
                ))
            })?,
        // Nothing to report is an error (exit 1), unlike an empty list.
        None => store.last_finished_standup()?.ok_or_else(|| {
            Failure(format!(
                "{NO_STANDUP_YET} ({}; nothing to report)",
                ctx.db.display()
            ))
        })?,
    };
    let summary = store.summary_of(&s)?;
    match format {
        ReportFormat::Md => {
            out.write_all(crate::report::standup_markdown(&s, &summary, ctx.tz()).as_bytes())?
        }
        ReportFormat::Json => writeln!(
            out,
            "{}",
            json_pretty(&crate::report::standup_view(&s, &summary, ctx.tz()))?
        )?,
    }
    Ok(())
}

/// What `standup list` answers on a board that has held none.
const NO_STANDUP_YET: &str = "no stand-up has been held on this board yet";

/// Every finished stand-up, oldest first (a plain line saying so if there is none).
fn list(ctx: &Context, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let store = ctx.open()?;
    let mut list = Vec::new();
    for s in store.standups()? {
        let summary = store.summary_of(&s)?;
        list.push((s, summary));
    }
    if json {
        let views: Vec<_> = list
            .iter()
            .map(|(s, summary)| crate::report::standup_view(s, summary, ctx.tz()))
            .collect();
        writeln!(out, "{}", json_pretty(&views)?)?;
    } else if list.is_empty() {
        // An empty list is an answer, not an error: on stdout, exit 0.
        writeln!(out, "{NO_STANDUP_YET}")?;
    } else {
        for (s, summary) in &list {
            writeln!(
                out,
                "{}",
                crate::report::standup_list_line(s, summary, ctx.tz())
            )?;
        }
    }
    Ok(())
}

/// The parked topics still open, oldest first.
fn parked(ctx: &Context, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let board = ctx.open()?.load_wall()?;
    let open: Vec<_> = board.open_topics().collect();
    if json {
        let views: Vec<_> = open
            .iter()
            .map(|t| crate::report::topic_view(t, ctx.tz()))
            .collect();
        writeln!(out, "{}", json_pretty(&views)?)?;
    } else {
        for t in open {
            writeln!(out, "{}", crate::report::topic_line(t, ctx.tz()))?;
        }
    }
    Ok(())
}
