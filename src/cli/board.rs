//! The board as a whole: the coverage report, and merging a sync-conflict copy back in.

use std::io::Write;
use std::path::Path;

use crate::context::{Context, Failure};
use crate::exchange::json_pretty;
use crate::format::escape_controls;
use crate::store::merge::{MergeReport, merge_file};

/// `obeya merge OTHER`: the copy's changes, record by record.
pub fn merge(ctx: &Context, other: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    // Not `ctx.open`: it would merge the copies beside the board by itself, this one too.
    let mut store = ctx.open_without_merging()?;
    let report = merge_file(&mut store, other)?;
    // Titles and the copy's name come from the files: shown escaped.
    let shown = MergeReport {
        lines: report
            .lines
            .iter()
            .map(|l| escape_controls(l).into_owned())
            .collect(),
        copy: escape_controls(&report.copy).into_owned(),
        ..report
    };
    writeln!(out, "{shown}")?;
    Ok(())
}

/// `obeya coverage [--json]`: persona × stage.
pub fn coverage(ctx: &Context, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let board = ctx.open()?.load_board()?;
    let c = crate::report::coverage(&board);
    if json {
        writeln!(out, "{}", json_pretty(&c)?)?;
    } else {
        write!(out, "{}", crate::report::coverage_text(&board, &c))?;
    }
    Ok(())
}
