//! `obeya item …`: the improvement items. Times show in your zone (RFC 3339 with its
//! offset, for `--json`; exports keep UTC).

use std::io::Write;

use serde::Serialize;

use super::{ItemCommand, set};
use crate::context::{Context, Failure};
use crate::exchange::{self, json_pretty};
use crate::format::{escape_controls, local_time, rfc3339_local};
use crate::model::{Board, Item, Kind, rules};
use crate::store::Store;

/// `obeya item …`: add, show, list, edit, move, comment on and delete items.
pub fn run(ctx: &Context, cmd: &ItemCommand, out: &mut dyn Write) -> Result<(), Failure> {
    let mut store = ctx.open()?;
    match cmd {
        ItemCommand::Add {
            title,
            status,
            owner,
            due,
            persona,
            stage,
            impact,
            risk,
            detail,
        } => {
            let item = Item {
                title: title.trim().to_owned(),
                status: *status,
                // As on the wall: a new item is yours unless you say whose it is.
                owner: owner.clone().unwrap_or_else(|| ctx.user.clone()),
                due: *due,
                persona_id: super::lookup(&store, Kind::Persona, persona.as_deref())?,
                stage_id: super::lookup(&store, Kind::Stage, stage.as_deref())?,
                impact: impact.clone().unwrap_or_default(),
                risk: risk.clone().unwrap_or_default(),
                detail: detail.clone().unwrap_or_default(),
                ..Item::default()
            };
            let added = store.add_item(item)?;
            writeln!(
                out,
                "added #{} '{}' to {}",
                added.id,
                escape_controls(&added.title),
                added.status.label()
            )?;
        }
        ItemCommand::List {
            status,
            owner,
            mine,
            json,
        } => {
            let board = store.load_board()?;
            // "Mine" as the wall has it; `--owner` is the same name (`--owner ""`: nobody's).
            let keep = |i: &Item| {
                status.is_none_or(|s| i.status == s)
                    && (!*mine || rules::is_mine(&i.owner, &ctx.user))
                    && owner.as_ref().is_none_or(|o| rules::same_name(&i.owner, o))
            };
            if *json {
                // (The items alone: stand-ups are not needed for them.)
                let doc = exchange::from_board(&board, &[]);
                let items: Vec<_> = doc
                    .items
                    .iter()
                    .zip(&board.items)
                    .filter(|(_, i)| keep(i))
                    .map(|(d, _)| d)
                    .collect();
                writeln!(out, "{}", json_pretty(&items)?)?;
            } else {
                for i in board.items.iter().filter(|i| keep(i)) {
                    writeln!(out, "{}", list_line(&board, i))?;
                }
            }
        }
        ItemCommand::Edit(args) => {
            let base = find_item(&store, args.id)?;
            let mut mine = base.clone();
            set(&mut mine.title, args.title.as_deref().map(str::trim));
            set(&mut mine.detail, args.detail.as_deref());
            set(&mut mine.owner, args.owner.as_deref());
            set(&mut mine.impact, args.impact.as_deref());
            set(&mut mine.risk, args.risk.as_deref());
            if args.due.is_some() || args.no_due {
                mine.due = args.due;
            }
            if args.persona.is_some() {
                mine.persona_id = super::lookup(&store, Kind::Persona, args.persona.as_deref())?;
            }
            if args.stage.is_some() {
                mine.stage_id = super::lookup(&store, Kind::Stage, args.stage.as_deref())?;
            }
            if let Some(reason) = &args.blocked {
                mine.blocked = true;
                mine.blocked_reason = reason.clone();
            }
            if args.unblocked {
                mine.blocked = false;
                mine.blocked_reason.clear();
            }
            let saved = store.save(&base, &mine)?;
            writeln!(
                out,
                "saved #{} '{}'",
                saved.record.id,
                escape_controls(&saved.record.title)
            )?;
        }
        ItemCommand::Move { id, status } => {
            let base = find_item(&store, *id)?;
            let saved = store.move_item(&base, *status)?;
            writeln!(
                out,
                "moved #{} '{}' to {}",
                saved.record.id,
                escape_controls(&saved.record.title),
                status.label()
            )?;
        }
        ItemCommand::Comment { id, text } => {
            find_item(&store, *id)?;
            store.add_comment(*id, text)?;
            writeln!(out, "commented on #{id}")?;
        }
        ItemCommand::Show { id, json } => show(ctx, &store, *id, *json, out)?,
        ItemCommand::Link {
            id,
            evidence,
            unlink,
        } => {
            let item = find_item(&store, *id)?;
            super::evidence::link(&mut store, &item, evidence, *unlink, out)?;
        }
        ItemCommand::Delete { id, yes } => {
            let item = find_item(&store, *id)?;
            let comments = store.comments_of(item.id)?.len();
            let what = format!(
                "#{} '{}'{}",
                item.id,
                item.title,
                match comments {
                    0 => String::new(),
                    1 => " and its comment".to_owned(),
                    n => format!(" and its {n} comments"),
                }
            );
            if !*yes {
                confirm(&format!("delete {what}?"), "add --yes to delete it")?;
            }
            store.delete_item(&item)?;
            writeln!(out, "deleted {}", escape_controls(&what))?;
        }
    }
    Ok(())
}

/// Ask yes/no on the terminal; without one (a script, a pipe), refuse with `how`.
pub(super) fn confirm(question: &str, how: &str) -> Result<(), Failure> {
    use std::io::IsTerminal;
    let refused = |why: &str| Failure(format!("{why}: nothing was deleted ({how})"));
    if !std::io::stdin().is_terminal() {
        return Err(refused(&format!(
            "not asking \"{}\" without a terminal",
            question.trim_end_matches('?')
        )));
    }
    eprint!("{} [y/N] ", escape_controls(question));
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    match answer.trim() {
        "y" | "Y" | "yes" | "Yes" => Ok(()),
        _ => Err(refused("not confirmed")),
    }
}

fn find_item(store: &Store, id: i64) -> Result<Item, Failure> {
    store.load::<Item>(id)?.ok_or_else(|| {
        Failure(format!(
            "no item with id {id} in {}",
            store.path().display()
        ))
    })
}

/// One item on one line; whatever the board holds, no control character gets through.
fn list_line(board: &Board, i: &Item) -> String {
    let mut line = format!("#{:<4} {:<5} {}", i.id, i.status.as_str(), i.title);
    if !i.owner.is_empty() {
        line += &format!("  @{}", i.owner);
    }
    if let Some(d) = i.due {
        line += &format!("  due {d}");
    }
    let serves: Vec<&str> = [
        board.persona_name(i.persona_id),
        board.stage_name(i.stage_id),
    ]
    .into_iter()
    .flatten()
    .collect();
    if serves.is_empty() {
        line += "  ⚠ serves no persona or stage";
    } else {
        line += &format!("  [{}]", serves.join(" · "));
    }
    if i.blocked {
        line += &format!("  BLOCKED: {}", i.blocked_reason);
    }
    escape_controls(&line).into_owned()
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
    /// Its stage metric's reading when it last entered Do.
    baseline: Option<f64>,
    baseline_at: Option<String>,
    /// Its stage metric's latest reading.
    latest: Option<LatestView>,
    /// Which way the metric went since the item entered Do (a reading after it).
    moved: Option<crate::model::Way>,
    comments: Vec<CommentView<'a>>,
}

#[derive(Debug, Serialize)]
struct LatestView {
    at: String,
    value: f64,
}

/// `obeya item show ID [--json]`: every field of the item, and its comments.
fn show(
    ctx: &Context,
    store: &Store,
    id: i64,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    // The item, its comments and the wall's names: not the whole board.
    let i = &find_item(store, id)?;
    let comments = store.comments_of(id)?;
    let wall = store.load_wall()?;
    let tz = ctx.tz();
    if json {
        let view = ItemView {
            id: i.id,
            uid: &i.meta.uid,
            title: &i.title,
            detail: &i.detail,
            status: i.status,
            owner: &i.owner,
            due: i.due,
            persona: wall.persona_name(i.persona_id),
            stage: wall.stage_name(i.stage_id),
            impact: &i.impact,
            risk: &i.risk,
            blocked: i.blocked,
            blocked_reason: &i.blocked_reason,
            created_at: rfc3339_local(i.created_at, tz),
            status_since: rfc3339_local(i.status_since, tz),
            updated_at: rfc3339_local(i.meta.updated_at, tz),
            updated_by: &i.meta.updated_by,
            version: i.meta.version,
            baseline: i.baseline,
            baseline_at: i.baseline_at.map(|t| rfc3339_local(t, tz)),
            latest: i.stage_id.and_then(|s| {
                let readings = crate::model::readings_of(&wall.metric_values, s);
                readings.last().map(|v| LatestView {
                    at: rfc3339_local(v.at, tz),
                    value: v.value,
                })
            }),
            moved: crate::model::item_movement(i, &wall).and_then(|(_, mv)| mv.way),
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
                "{} since {} ({})",
                i.status.label(),
                local_time(i.status_since, tz),
                crate::format::days(i.days_in_status(jiff::Timestamp::now()))
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
        wall.persona_name(i.persona_id).unwrap_or("none").to_owned(),
    ));
    lines.push((
        "stage",
        wall.stage_name(i.stage_id).unwrap_or("none").to_owned(),
    ));
    if i.is_unlinked() {
        lines.push(("⚠", "serves no persona and no stage".to_owned()));
    }
    if let Some((stage, mv)) = crate::model::item_movement(i, &wall) {
        lines.push((
            "metric",
            crate::format::metric::check_words(&stage.metric, &mv),
        ));
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
