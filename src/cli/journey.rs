//! The command line for the rest of the board: the mission, personas, stages and
//! feelings. Same rules as the wall and as items: names match ignoring case, an unknown
//! or duplicate name is refused with a message naming it (exit 1) and nothing is
//! written; a persona or stage that items serve is only deleted with `--yes`.

use std::io::Write;

use serde::Serialize;

use super::{PersonaCommand, PersonaFields, StageCommand, StageFields, lookup, set};
use crate::context::{Context, Failure};
use crate::exchange::json_pretty;
use crate::format::{escape_controls, metric_long, rfc3339_local, signed};
use crate::model::{Kind, Mission, Persona, Stage};
use crate::store::Store;

/// `obeya mission set [--statement S] [--customer C]`
pub fn mission(
    ctx: &Context,
    cmd: &super::MissionCommand,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let super::MissionCommand::Set {
        statement,
        customer,
    } = cmd;
    let mut store = ctx.open()?;
    let base: Mission = store.load(1)?.unwrap_or_default();
    let mine = Mission {
        statement: statement.clone().unwrap_or_else(|| base.statement.clone()),
        customer: customer.clone().unwrap_or_else(|| base.customer.clone()),
        ..base.clone()
    };
    store.save(&base, &mine)?;
    writeln!(out, "saved the mission")?;
    Ok(())
}

/// A persona or stage by name (ignoring case), or the refusal naming it.
fn named<R: crate::store::Record>(store: &Store, kind: Kind, name: &str) -> Result<R, Failure> {
    let id = lookup(store, kind, Some(name))?
        .ok_or_else(|| Failure(format!("a {kind} name is needed")))?;
    store
        .load::<R>(id)?
        .ok_or_else(|| Failure(format!("unknown {kind} '{name}'")))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Refuse to delete what items serve, unless `--yes`. Returns how many do.
fn check_delete(
    store: &Store,
    kind: Kind,
    id: i64,
    name: &str,
    yes: bool,
) -> Result<usize, Failure> {
    let (persona, stage) = match kind {
        Kind::Persona => (Some(id), None),
        _ => (None, Some(id)),
    };
    let (_, n) = store.items_serving(persona, stage, false, 0)?;
    if n > 0 && !yes {
        return Err(Failure(format!(
            "{kind} '{name}' is served by {}; nothing was deleted (add --yes to delete it: its items stay, unlinked)",
            plural(n, "item", "items")
        )));
    }
    Ok(n)
}

fn apply_persona(p: &mut Persona, f: &PersonaFields) {
    set(&mut p.role, f.role.as_deref());
    set(&mut p.goal, f.goal.as_deref());
    set(&mut p.needs, f.needs.as_deref());
    set(&mut p.pains, f.pains.as_deref());
    set(&mut p.quote, f.quote.as_deref());
    if let Some(side) = f.side {
        p.side = side;
    }
}

#[derive(Serialize)]
struct PersonaView<'a> {
    id: i64,
    uid: &'a str,
    name: &'a str,
    role: &'a str,
    goal: &'a str,
    needs: &'a str,
    pains: &'a str,
    quote: &'a str,
    side: &'static str,
    open_items: usize,
    evidence: usize,
}

pub fn persona(ctx: &Context, cmd: &PersonaCommand, out: &mut dyn Write) -> Result<(), Failure> {
    let mut store = ctx.open()?;
    match cmd {
        PersonaCommand::Add { name, fields } => {
            let mut p = Persona {
                name: name.trim().to_owned(),
                ..Persona::default()
            };
            apply_persona(&mut p, fields);
            let added = store.add_persona(p)?;
            writeln!(out, "added persona '{}'", escape_controls(&added.name))?;
        }
        PersonaCommand::Edit {
            name,
            rename,
            fields,
        } => {
            let base: Persona = named(&store, Kind::Persona, name)?;
            let mut mine = base.clone();
            if let Some(n) = rename {
                mine.name = n.trim().to_owned();
            }
            apply_persona(&mut mine, fields);
            let saved = store.save(&base, &mine)?;
            writeln!(
                out,
                "saved persona '{}'",
                escape_controls(&saved.record.name)
            )?;
        }
        PersonaCommand::List { json } => {
            let (board, work) = (store.load_wall()?, store.open_work()?);
            if *json {
                let views: Vec<_> = board
                    .personas
                    .iter()
                    .map(|p| PersonaView {
                        id: p.id,
                        uid: &p.meta.uid,
                        name: &p.name,
                        role: &p.role,
                        goal: &p.goal,
                        needs: &p.needs,
                        pains: &p.pains,
                        quote: &p.quote,
                        side: p.side.as_str(),
                        open_items: work.for_persona(p.id),
                        evidence: board.heard.of_persona(p.id).count,
                    })
                    .collect();
                writeln!(out, "{}", json_pretty(&views)?)?;
            } else {
                for p in &board.personas {
                    let mut role = if p.role.is_empty() {
                        String::new()
                    } else {
                        format!(" — {}", p.role)
                    };
                    if !p.side.is_customer() {
                        role += " (employee)";
                    }
                    let line = format!(
                        "{}{role}  ({} open)",
                        p.name,
                        plural(work.for_persona(p.id), "item", "items")
                    );
                    writeln!(out, "{}", escape_controls(&line))?;
                }
            }
        }
        PersonaCommand::Delete { name, yes } => {
            let p: Persona = named(&store, Kind::Persona, name)?;
            let n = check_delete(&store, Kind::Persona, p.id, &p.name, *yes)?;
            store.delete_persona(&p)?;
            let stay = if n > 0 {
                format!(" ({} stay, unlinked)", plural(n, "item", "items"))
            } else {
                String::new()
            };
            writeln!(out, "deleted persona '{}'{stay}", escape_controls(&p.name))?;
        }
    }
    Ok(())
}

fn apply_stage(s: &mut Stage, f: &StageFields) {
    set(&mut s.customer_goal, f.goal.as_deref());
    set(&mut s.touchpoints, f.touchpoints.as_deref());
    set(&mut s.pains, f.pains.as_deref());
    set(&mut s.backstage, f.backstage.as_deref());
    set(&mut s.metric.name, f.metric_name.as_deref());
    set(&mut s.metric.unit, f.unit.as_deref());
    if let Some(t) = f.target {
        s.metric.target = Some(t);
    }
    if let Some(b) = f.better {
        s.metric.better = b;
    }
    if f.warn.is_some() || f.no_warn {
        s.metric.warn = f.warn;
    }
}

#[derive(Serialize)]
struct HistoryView<'a> {
    at: String,
    value: f64,
    who: &'a str,
}

#[derive(Serialize)]
struct StageView<'a> {
    id: i64,
    uid: &'a str,
    name: &'a str,
    customer_goal: &'a str,
    touchpoints: &'a str,
    pains: &'a str,
    backstage: &'a str,
    metric: &'a crate::model::Metric,
    history: Vec<HistoryView<'a>>,
    open_items: usize,
}

pub fn stage(ctx: &Context, cmd: &StageCommand, out: &mut dyn Write) -> Result<(), Failure> {
    let mut store = ctx.open()?;
    let after = |store: &Store, f: &StageFields| -> Result<Option<i64>, Failure> {
        match &f.after {
            Some(name) => lookup(store, Kind::Stage, Some(name)),
            None => Ok(None),
        }
    };
    match cmd {
        StageCommand::Add { name, fields } => {
            let mut s = Stage {
                name: name.trim().to_owned(),
                ..Stage::default()
            };
            apply_stage(&mut s, fields);
            let after = after(&store, fields)?;
            let added = store.add_stage_after(s, after)?;
            writeln!(out, "added stage '{}'", escape_controls(&added.name))?;
        }
        StageCommand::Edit {
            name,
            rename,
            fields,
        } => {
            let base: Stage = named(&store, Kind::Stage, name)?;
            let mut mine = base.clone();
            if let Some(n) = rename {
                mine.name = n.trim().to_owned();
            }
            apply_stage(&mut mine, fields);
            let after = after(&store, fields)?;
            let saved = store.edit_stage(&base, &mine, after)?;
            writeln!(out, "saved stage '{}'", escape_controls(&saved.name))?;
        }
        StageCommand::List { json } => {
            let (board, work) = (store.load_wall()?, store.open_work()?);
            if *json {
                let views: Vec<_> = board
                    .stages
                    .iter()
                    .map(|s| StageView {
                        id: s.id,
                        uid: &s.meta.uid,
                        name: &s.name,
                        customer_goal: &s.customer_goal,
                        touchpoints: &s.touchpoints,
                        pains: &s.pains,
                        backstage: &s.backstage,
                        metric: &s.metric,
                        history: board
                            .metric_history(s.id)
                            .map(|v| HistoryView {
                                at: rfc3339_local(v.at, ctx.tz()),
                                value: v.value,
                                who: &v.who,
                            })
                            .collect(),
                        open_items: work.at_stage(s.id),
                    })
                    .collect();
                writeln!(out, "{}", json_pretty(&views)?)?;
            } else {
                for (n, s) in board.stages.iter().enumerate() {
                    let metric = if s.metric.is_empty() {
                        String::new()
                    } else {
                        format!("  {}", metric_long(&s.metric))
                    };
                    let line = format!(
                        "{}. {}{metric}  ({} open)",
                        n + 1,
                        s.name,
                        plural(work.at_stage(s.id), "item", "items")
                    );
                    writeln!(out, "{}", escape_controls(&line))?;
                }
            }
        }
        StageCommand::Delete { name, yes } => {
            let s: Stage = named(&store, Kind::Stage, name)?;
            let n = check_delete(&store, Kind::Stage, s.id, &s.name, *yes)?;
            store.delete_stage(&s)?;
            let stay = if n > 0 {
                format!(" ({} stay, unlinked)", plural(n, "item", "items"))
            } else {
                String::new()
            };
            writeln!(out, "deleted stage '{}'{stay}", escape_controls(&s.name))?;
        }
    }
    Ok(())
}

/// `obeya feel PERSONA STAGE SCORE [--note TEXT]`: the note is kept unless given.
pub fn feel(
    ctx: &Context,
    persona: &str,
    stage: &str,
    score: i8,
    note: Option<&str>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let mut store = ctx.open()?;
    let p: Persona = named(&store, Kind::Persona, persona)?;
    let s: Stage = named(&store, Kind::Stage, stage)?;
    let wall = store.load_wall()?;
    let current = wall.feeling(p.id, s.id);
    let note = note
        .map(str::to_owned)
        .or_else(|| current.map(|f| f.note.clone()))
        .unwrap_or_default();
    let saved = store.save_feeling(current, p.id, s.id, score, &note)?;
    let note = if saved.note.is_empty() {
        String::new()
    } else {
        format!(" ({})", saved.note.replace('\n', " "))
    };
    let line = format!("{} at {}: {}{note}", p.name, s.name, signed(saved.score));
    writeln!(out, "{}", escape_controls(&line))?;
    Ok(())
}
