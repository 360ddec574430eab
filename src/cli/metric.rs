//! `obeya metric set|import|list|summary`: a stage metric's readings, dated, from the
//! command line or a CSV export, and the customer index they make.

use std::io::Write;

use crate::context::{Context, Failure};
use crate::exchange::json_pretty;
use crate::exchange::readings::{ReadingColumns, read_readings_csv};
use crate::format::metric::with_unit;
use crate::format::{escape_controls, local_time, metric_long};
use crate::model::{Kind, Stage, readings_of, rules};
use crate::report::{metric_summary, stage_metrics, summary_text};

use super::MetricCommand;

pub fn run(ctx: &Context, cmd: &MetricCommand, out: &mut dyn Write) -> Result<(), Failure> {
    match cmd {
        MetricCommand::Set { stage, value, at } => set(ctx, stage, *value, at.as_deref(), out),
        MetricCommand::Import {
            file,
            stage,
            date,
            value,
        } => {
            let cols = ReadingColumns {
                stage: stage.clone(),
                date: date.clone(),
                value: value.clone(),
            };
            import(ctx, file, &cols, out)
        }
        MetricCommand::List { stage, json } => list(ctx, stage.as_deref(), *json, out),
        MetricCommand::Summary { json } => summary(ctx, *json, out),
    }
}

/// `obeya metric set STAGE VALUE [--at DATE]`: a reading, dated now or backdated.
fn set(
    ctx: &Context,
    stage: &str,
    value: f64,
    at: Option<&str>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let at = at
        .map(|a| rules::parse_moment(a, ctx.tz()))
        .transpose()
        .map_err(|e| Failure(escape_controls(&e.to_string()).into_owned()))?;
    let mut store = ctx.open()?;
    let id = super::lookup(&store, Kind::Stage, Some(stage))?
        .ok_or_else(|| Failure("a stage name is needed".into()))?;
    let base = store
        .load::<Stage>(id)?
        .ok_or_else(|| Failure(format!("unknown stage '{}'", escape_controls(stage))))?;
    let saved = store.record_reading(&base, value, at)?;
    if let Some(at) = at {
        let line = format!(
            "recorded {} for {}",
            with_unit(value, &saved.metric.unit),
            local_time(at, ctx.tz())
        );
        writeln!(out, "{}", escape_controls(&line))?;
    }
    let line = format!("{}: {}", saved.name, metric_long(&saved.metric));
    writeln!(out, "{}", escape_controls(&line))?;
    Ok(())
}

/// `obeya metric import FILE.csv`: every row checked first; one transaction.
fn import(
    ctx: &Context,
    file: &std::path::Path,
    cols: &ReadingColumns,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let mut store = ctx.open()?;
    let wall = store.load_wall()?;
    let rows = read_readings_csv(file, cols, &wall, ctx.tz())?;
    let readings: Vec<_> = rows.iter().map(|r| (r.stage_id, r.at, r.value)).collect();
    let done = store.import_readings(&readings)?;
    let mut line = format!(
        "imported {}: added {} reading{}",
        file.display(),
        done.added,
        if done.added == 1 { "" } else { "s" }
    );
    if done.already > 0 {
        line += &format!("; {} already on the board", done.already);
    }
    writeln!(out, "{}", escape_controls(&line))?;
    Ok(())
}

/// `obeya metric list [STAGE] [--json]`: each stage's readings, oldest first.
fn list(
    ctx: &Context,
    stage: Option<&str>,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let store = ctx.open()?;
    let only = super::lookup(&store, Kind::Stage, stage)?;
    let wall = store.load_wall()?;
    let metrics = stage_metrics(&wall, only, ctx.tz());
    if json {
        writeln!(out, "{}", json_pretty(&metrics)?)?;
        return Ok(());
    }
    let listed = wall
        .stages
        .iter()
        .filter(|s| metrics.iter().any(|m| m.stage == s.name));
    for s in listed {
        let readings = readings_of(&wall.metric_values, s.id);
        let head = match metric_long(&s.metric) {
            t if t.is_empty() => s.name.clone(),
            t => format!("{} — {t}", s.name),
        };
        let count = match readings.len() {
            1 => "1 reading".to_owned(),
            n => format!("{n} readings"),
        };
        writeln!(out, "{} ({count})", escape_controls(&head))?;
        for v in readings {
            let line = format!(
                "  {}  {}  {}",
                local_time(v.at, ctx.tz()),
                with_unit(v.value, &s.metric.unit),
                v.who
            );
            writeln!(out, "{}", escape_controls(line.trim_end()))?;
        }
    }
    Ok(())
}

/// `obeya metric summary [--json]`: the customer index, its history, each stage.
fn summary(ctx: &Context, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let wall = ctx.open()?.load_wall()?;
    let s = metric_summary(&wall, ctx.tz());
    if json {
        writeln!(out, "{}", json_pretty(&s)?)?;
    } else {
        let text = summary_text(&s, jiff::Timestamp::now(), ctx.tz());
        for line in text.lines() {
            writeln!(out, "{}", escape_controls(line))?;
        }
    }
    Ok(())
}
