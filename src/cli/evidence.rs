//! `obeya evidence …` and `obeya item link`: the voice of the customer from the command
//! line, one piece at a time or a CSV export at once. Persona and stage names match
//! ignoring case; an unknown one is refused, naming it, and nothing is written.

use std::io::Write;

use serde::Serialize;

use super::{CsvImportArgs, EvidenceCommand, EvidenceFields, lookup, set};
use crate::context::{Context, Failure};
use crate::exchange::json_pretty;
use crate::exchange::listening::{Columns, read_evidence_csv};
use crate::format::{escape_controls, local_time, rfc3339_local, signed};
use crate::model::{Evidence, EvidenceFilter, Item, Kind, Wall};
use crate::store::Store;

pub fn run(ctx: &Context, cmd: &EvidenceCommand, out: &mut dyn Write) -> Result<(), Failure> {
    let mut store = ctx.open()?;
    match cmd {
        EvidenceCommand::Add {
            text,
            fields,
            supports,
        } => {
            let mut e = Evidence {
                text: text.trim().to_owned(),
                observed: ctx.today(),
                ..Evidence::default()
            };
            apply(&store, &mut e, fields)?;
            let added = store.add_evidence(e, supports)?;
            writeln!(out, "added {}", escape_controls(&label(&added)))?;
        }
        EvidenceCommand::List {
            persona,
            stage,
            kind,
            since,
            json,
        } => {
            let filter = EvidenceFilter {
                persona: lookup(&store, Kind::Persona, persona.as_deref())?,
                stage: lookup(&store, Kind::Stage, stage.as_deref())?,
                kind: *kind,
                since: *since,
            };
            let (list, _) = store.evidence_list(&filter, usize::MAX)?;
            let wall = store.load_wall()?;
            if *json {
                let views = list
                    .iter()
                    .map(|e| view(ctx, &store, &wall, e))
                    .collect::<Result<Vec<_>, _>>()?;
                writeln!(out, "{}", json_pretty(&views)?)?;
            } else {
                for e in &list {
                    let supports = store.supports_of(e.id)?;
                    writeln!(out, "{}", list_line(&wall, e, &supports))?;
                }
            }
        }
        EvidenceCommand::Show { id, json } => {
            let e = find(&store, *id)?;
            let wall = store.load_wall()?;
            if *json {
                writeln!(out, "{}", json_pretty(&view(ctx, &store, &wall, &e)?)?)?;
            } else {
                show(ctx, &store, &wall, &e, out)?;
            }
        }
        EvidenceCommand::Edit {
            id,
            text,
            fields,
            no_sentiment,
            supports,
        } => {
            let base = find(&store, *id)?;
            let mut mine = base.clone();
            set(&mut mine.text, text.as_deref().map(str::trim));
            apply(&store, &mut mine, fields)?;
            if *no_sentiment {
                mine.sentiment = None;
            }
            let saved = store.save_evidence(&base, &mine, supports.as_deref())?;
            writeln!(out, "saved {}", escape_controls(&label(&saved.record)))?;
        }
        EvidenceCommand::Delete { id, yes } => {
            let e = find(&store, *id)?;
            let links = store.supports_of(e.id)?.len();
            let what = format!(
                "{}{}",
                label(&e),
                match links {
                    0 => String::new(),
                    1 => " and its link to an item".to_owned(),
                    n => format!(" and its links to {n} items"),
                }
            );
            if !*yes {
                super::item::confirm(&format!("delete {what}?"), "add --yes to delete it")?;
            }
            store.delete_evidence(&e)?;
            writeln!(out, "deleted {}", escape_controls(&what))?;
        }
        EvidenceCommand::Import(args) => import(ctx, &mut store, args, out)?,
    }
    Ok(())
}

/// `obeya item link ID EVIDENCE… [--unlink]`
pub fn link(
    store: &mut Store,
    item: &Item,
    evidence: &[i64],
    unlink: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    for &e in evidence {
        find(store, e)?;
    }
    let n = store.link_evidence(item.id, evidence, !unlink)?;
    let pieces = if n == 1 {
        "1 piece of evidence".to_owned()
    } else {
        format!("{n} pieces of evidence")
    };
    let line = if unlink {
        format!(
            "unlinked {pieces} from {}",
            crate::model::Labelled::label(item)
        )
    } else {
        format!("linked {pieces} to {}", crate::model::Labelled::label(item))
    };
    writeln!(out, "{}", escape_controls(&line))?;
    Ok(())
}

/// `obeya evidence import FILE.csv …`: checked whole, then written in one transaction.
fn import(
    ctx: &Context,
    store: &mut Store,
    args: &CsvImportArgs,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let cols = Columns {
        text: args.text.clone(),
        date: args.date.clone(),
        source: args.source.clone(),
        score: args.score.clone(),
        scale: args.scale,
        kind: args.kind,
        persona: args.persona.clone(),
        persona_column: args.persona_column.clone(),
        stage: args.stage.clone(),
        stage_column: args.stage_column.clone(),
        date_format: args.date_format.clone(),
    };
    let wall = store.load_wall()?;
    let heard = read_evidence_csv(&args.file, &cols, &wall, ctx.today())?;
    let rows: Vec<Evidence> = heard.rows.into_iter().map(|(_, e)| e).collect();
    let (added, already) = store.add_evidence_batch(&rows)?;
    let mut line = format!("imported {}: added {}", args.file.display(), pieces(added));
    if already > 0 {
        line += &format!("; {already} already on the board");
    }
    if heard.skipped > 0 {
        line += &format!(
            "; skipped {} without text",
            if heard.skipped == 1 {
                "1 row".to_owned()
            } else {
                format!("{} rows", heard.skipped)
            }
        );
    }
    writeln!(out, "{}", escape_controls(&line))?;
    Ok(())
}

fn pieces(n: usize) -> String {
    match n {
        1 => "1 piece of evidence".to_owned(),
        n => format!("{n} pieces of evidence"),
    }
}

fn apply(store: &Store, e: &mut Evidence, f: &EvidenceFields) -> Result<(), Failure> {
    if let Some(k) = f.kind {
        e.kind = k;
    }
    set(&mut e.source, f.source.as_deref());
    if let Some(d) = f.date {
        e.observed = d;
    }
    if f.persona.is_some() {
        e.persona_id = lookup(store, Kind::Persona, f.persona.as_deref())?;
    }
    if f.stage.is_some() {
        e.stage_id = lookup(store, Kind::Stage, f.stage.as_deref())?;
    }
    if f.sentiment.is_some() {
        e.sentiment = f.sentiment;
    }
    Ok(())
}

fn find(store: &Store, id: i64) -> Result<Evidence, Failure> {
    store.load::<Evidence>(id)?.ok_or_else(|| {
        Failure(format!(
            "no evidence with id {id} in {}",
            store.path().display()
        ))
    })
}

/// `evidence #12 'Refund took four days'`
fn label(e: &Evidence) -> String {
    crate::model::Labelled::label(e)
}

/// `Maria · Get help`, as far as it names them.
fn about(wall: &Wall, e: &Evidence) -> String {
    [wall.persona_name(e.persona_id), wall.stage_name(e.stage_id)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// One piece on one line: `#12  2026-11-14  complaint  [Maria · Get help]  −2  “…”
/// (support ticket 4312)  → #3`.
fn list_line(wall: &Wall, e: &Evidence, supports: &[i64]) -> String {
    let mut line = format!("#{:<4} {}  {:<11}", e.id, e.observed, e.kind.as_str());
    let about = about(wall, e);
    if !about.is_empty() {
        line += &format!("  [{about}]");
    }
    if let Some(s) = e.sentiment {
        line += &format!("  {}", signed(s));
    }
    let more = if e.text.lines().nth(1).is_some() {
        " …"
    } else {
        ""
    };
    line += &format!("  “{}{more}”", e.first_line());
    if !e.source.is_empty() {
        line += &format!("  ({})", e.source.replace('\n', " "));
    }
    if !supports.is_empty() {
        let ids: Vec<String> = supports.iter().map(|i| format!("#{i}")).collect();
        line += &format!("  → {}", ids.join(" "));
    }
    escape_controls(&line).into_owned()
}

fn show(
    ctx: &Context,
    store: &Store,
    wall: &Wall,
    e: &Evidence,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let mut lines = vec![format!(
        "evidence #{}: {}, observed {}",
        e.id, e.kind, e.observed
    )];
    if !e.source.is_empty() {
        lines.push(format!("Source:    {}", e.source));
    }
    let side = wall.side_of(e.persona_id);
    let about = about(wall, e);
    lines.push(format!(
        "About:     {} ({} side)",
        if about.is_empty() {
            "no persona, no stage"
        } else {
            &about
        },
        side
    ));
    if let Some(s) = e.sentiment {
        lines.push(format!("Sentiment: {}", signed(s)));
    }
    for id in store.supports_of(e.id)? {
        let title = store.load::<Item>(id)?.map(|i| i.title).unwrap_or_default();
        lines.push(format!("Supports:  #{id} '{title}'"));
    }
    lines.push("Text:".to_owned());
    lines.extend(e.text.lines().map(|l| format!("  {l}")));
    lines.push(format!(
        "Last change: {} by {}",
        local_time(e.meta.updated_at, ctx.tz()),
        e.meta.updated_by
    ));
    for l in lines {
        writeln!(out, "{}", escape_controls(&l))?;
    }
    Ok(())
}

/// A piece of evidence as `--json` prints it (times with your offset).
#[derive(Debug, Serialize)]
struct EvidenceView<'a> {
    id: i64,
    uid: &'a str,
    kind: &'static str,
    text: &'a str,
    source: &'a str,
    observed: String,
    persona: Option<&'a str>,
    stage: Option<&'a str>,
    side: &'static str,
    sentiment: Option<i8>,
    supports: Vec<i64>,
    updated_at: String,
    updated_by: &'a str,
}

fn view<'a>(
    ctx: &Context,
    store: &Store,
    wall: &'a Wall,
    e: &'a Evidence,
) -> Result<EvidenceView<'a>, Failure> {
    Ok(EvidenceView {
        id: e.id,
        uid: &e.meta.uid,
        kind: e.kind.as_str(),
        text: &e.text,
        source: &e.source,
        observed: e.observed.to_string(),
        persona: wall.persona_name(e.persona_id),
        stage: wall.stage_name(e.stage_id),
        side: wall.side_of(e.persona_id).as_str(),
        sentiment: e.sentiment,
        supports: store.supports_of(e.id)?,
        updated_at: rfc3339_local(e.meta.updated_at, ctx.tz()),
        updated_by: &e.meta.updated_by,
    })
}
