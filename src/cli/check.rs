//! `obeya check`: what the board file holds, and whether it is as obeya made it.

use std::io::Write;

use crate::context::{Context, Failure};
use crate::format::{escape_controls, escape_path};
use crate::store::{Kept, LATEST_SCHEMA, StoreError};

/// `obeya check [--repair]`: the file's integrity, its schema, and whether the wall's
/// counts and filter index agree with the items (exit 1 if not).
/// It reports the conflict copies beside the board rather than merging them.
pub fn check(ctx: &Context, repair: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let mut store = ctx.open_without_merging()?;
    let mut health = store.health()?;
    let mut repaired = false;
    if repair && health.kept.as_ref().is_some_and(|k| !k.agrees()) {
        store.rebuild_kept()?;
        health = store.health()?;
        repaired = true;
    }
    if health.integrity != "ok" {
        // The same words as any other refusal of a damaged board, with SQLite's findings.
        let findings: Vec<&str> = health.integrity.lines().take(3).collect();
        return Err(StoreError::Damaged(ctx.db.clone(), findings.join("; ")).into());
    }
    // Tables and indexes that differ from obeya's run no code, so the board opens; but
    // they are not what obeya made, and `check` says so (exit 1). (Triggers and views
    // were refused when the board was opened.)
    let differences = health
        .schema_differences
        .as_ref()
        .map(|d| d.lines())
        .unwrap_or_default();
    let kept_agrees = health.kept.as_ref().is_none_or(|k| k.agrees());
    if differences.is_empty() && kept_agrees {
        writeln!(out, "{}: ok", escape_path(&ctx.db))?;
    } else if differences.is_empty() {
        writeln!(
            out,
            "{}: the wall's counts or filter index disagree with the items",
            escape_path(&ctx.db)
        )?;
    } else {
        writeln!(
            out,
            "{}: the schema differs from obeya's",
            escape_path(&ctx.db)
        )?;
    }
    writeln!(out, "  application id: obeya board")?;
    writeln!(
        out,
        "  schema version: {} (this obeya: {})",
        health.schema, LATEST_SCHEMA
    )?;
    writeln!(out, "  integrity:      ok")?;
    match &health.schema_differences {
        None => writeln!(out, "  schema:         made by a newer obeya; not compared")?,
        Some(_) if differences.is_empty() => writeln!(out, "  schema:         as obeya made it")?,
        Some(_) => {
            for (n, line) in differences.iter().enumerate() {
                let label = if n == 0 {
                    "  schema:         "
                } else {
                    "                  "
                };
                writeln!(out, "{label}{}", escape_controls(line))?;
            }
        }
    }
    if let Some(kept) = &health.kept {
        writeln!(out, "  wall counts:    {}", tally_words(kept))?;
        writeln!(out, "  filter index:   {}", index_words(kept))?;
    }
    if repaired {
        writeln!(
            out,
            "  repaired:       counts and filter index built again from the items"
        )?;
    }
    writeln!(out, "  journal mode:   {}", health.journal)?;
    writeln!(out, "  items:          {}", health.items)?;
    if let Some(ro) = store.read_only() {
        writeln!(out, "  read-only:      {ro:?}")?;
    }
    for copy in crate::store::conflict_copies(&ctx.db) {
        // A file name is anyone's to choose: shown escaped.
        let name = escape_path(&copy.path);
        writeln!(
            out,
            "  conflict copy:  {name} (merge it with: obeya merge \"{name}\")"
        )?;
    }
    if !differences.is_empty() {
        return Err(Failure(format!(
            "{}: the schema holds {} difference(s) from what obeya makes (listed above)",
            ctx.db.display(),
            differences.len()
        )));
    }
    if !kept_agrees {
        return Err(Failure(format!(
            "{0}: the wall's counts or filter index disagree with the items (listed above); every item is intact. Build them again with: obeya check --repair --db {0}",
            escape_path(&ctx.db)
        )));
    }
    Ok(())
}

fn tally_words(kept: &Kept) -> String {
    match kept.tally_off {
        0 => "agree with the items".to_owned(),
        n => format!("{n} group(s) of column, persona, stage and owner miscounted"),
    }
}

fn index_words(kept: &Kept) -> String {
    if let Some(damage) = &kept.index_damage {
        return format!("damaged ({})", escape_controls(damage));
    }
    match (kept.index_missing, kept.index_stray) {
        (0, 0) => "agrees with the items".to_owned(),
        (missing, stray) => format!("{missing} item(s) missing, {stray} entry(ies) of no item"),
    }
}
