//! `obeya check`: what the board file holds, and whether it is as obeya made it.

use std::io::Write;

use crate::context::{Context, Failure};
use crate::format::{escape_controls, escape_path};
use crate::model::ReadOnly;
use crate::store::{BadCells, Kept, LATEST_SCHEMA, OpenError, Store, StoreError};

/// `obeya check [--repair]`: the file's integrity, its schema, and whether the wall's
/// counts and filter index agree with the items (exit 1 if not). A check only reads:
/// it neither rolls back a crashed writer's save nor upgrades an older schema (only
/// `--repair`, which builds the counts and the index again, writes). It reports the
/// conflict copies beside the board rather than merging them.
pub fn check(ctx: &Context, repair: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let opened = if repair {
        Store::open(&ctx.db, &ctx.user)
    } else {
        Store::inspect(&ctx.db, &ctx.user)
    };
    let mut store = match opened {
        Err(OpenError::HotJournal { path, .. }) if !repair => {
            return Err(Failure(format!(
                "{}: a writer crashed in the middle of a save and left its journal beside the board; a check only reads, so it did not roll the unfinished change back: any other obeya command, run by someone who may write the board and its folder, does it",
                escape_path(&path)
            )));
        }
        other => other?,
    };
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
    // they are not what obeya made, and `check` says so (exit 1). (What runs code was
    // refused when the board was opened.)
    let differences = health.schema_differences.lines();
    let kept_agrees = health.kept.as_ref().is_none_or(|k| k.agrees());
    let bad_cells = health.bad_cells.as_ref().map_or(0, BadCells::count);
    if !differences.is_empty() {
        writeln!(
            out,
            "{}: the schema differs from obeya's",
            escape_path(&ctx.db)
        )?;
    } else if bad_cells > 0 {
        writeln!(
            out,
            "{}: {bad_cells} cell(s) obeya cannot read",
            escape_path(&ctx.db)
        )?;
    } else if kept_agrees {
        writeln!(out, "{}: ok", escape_path(&ctx.db))?;
    } else {
        writeln!(
            out,
            "{}: the wall's counts or filter index disagree with the items",
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
    if health.schema_differences.newer {
        writeln!(
            out,
            "  schema:         made by a newer obeya; nothing in it runs code this obeya did not write"
        )?;
    } else if differences.is_empty() {
        writeln!(out, "  schema:         as obeya made it")?;
    } else {
        for (n, line) in differences.iter().enumerate() {
            let label = if n == 0 {
                "  schema:         "
            } else {
                "                  "
            };
            writeln!(out, "{label}{}", escape_controls(line))?;
        }
    }
    if (health.schema as usize) < LATEST_SCHEMA && !repair {
        writeln!(
            out,
            "  upgrade:        to schema {LATEST_SCHEMA} when the board is next opened to be changed (a backup copy is made first); a check does not upgrade"
        )?;
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
    match &health.bad_cells {
        None => writeln!(
            out,
            "  cells:          not read (an older schema: they are read once it is upgraded)"
        )?,
        Some(bad) if bad.is_empty() => writeln!(out, "  cells:          every one readable")?,
        Some(bad) => {
            writeln!(
                out,
                "  cells:          {} obeya cannot read, each read as an empty value:",
                bad.count()
            )?;
            for cell in &bad.cells {
                writeln!(
                    out,
                    "                  {}",
                    escape_controls(&cell.to_string())
                )?;
            }
            if bad.more > 0 {
                writeln!(out, "                  … and {} more", bad.more)?;
            }
        }
    }
    writeln!(out, "  journal mode:   {}", health.journal)?;
    writeln!(out, "  items:          {}", health.items)?;
    if let Some(ro) = store.read_only() {
        writeln!(out, "  read-only:      {}", read_only_words(ro))?;
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
    if bad_cells > 0 {
        return Err(Failure(format!(
            "{}: {bad_cells} cell(s) obeya cannot read (listed above), each read as an empty value; everything else reads as it is (obeya export rescues it all). Set each cell right with sqlite3, or edit its record in obeya: saving writes the value shown",
            escape_path(&ctx.db),
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

fn read_only_words(ro: &ReadOnly) -> String {
    match ro {
        ReadOnly::NoPermission => "yes: you may not write the file or its folder".to_owned(),
        ReadOnly::NewerSchema { found, known } => format!(
            "yes: made by a newer obeya (schema {found}; this one knows {known}); upgrade obeya to change it"
        ),
    }
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
