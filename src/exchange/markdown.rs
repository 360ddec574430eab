//! The board as a Markdown report: mission, personas, the journey as a table (one
//! feeling column per persona), what was heard, and the improvement items by PDCA
//! column.

use std::fmt::Write as _;

use jiff::tz::TimeZone;

use crate::format::{escape_controls, local_time, metric_long, signed};
use crate::model::{Board, Evidence, EvidenceNote, Item, Persona, Stage, Status};

/// Text safe inside a Markdown table cell (and on a terminal: control characters are
/// shown escaped).
fn cell(s: &str) -> String {
    let s = s
        .trim()
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>");
    escape_controls(&s).into_owned()
}

/// Text safe on one Markdown line (and on a terminal).
fn inline(s: &str) -> String {
    escape_controls(&s.split_whitespace().collect::<Vec<_>>().join(" ")).into_owned()
}

/// A readable report of the whole board: mission, personas, the journey as a table
/// (with one feeling column per persona), the improvement items by PDCA column with
/// every field and their comments, and the parked topics still open. Times in `tz`,
/// labelled.
pub fn to_markdown(board: &Board, tz: &TimeZone) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "# Obeya board\n");

    let _ = writeln!(w, "## Mission\n");
    if board.mission.statement.trim().is_empty() {
        let _ = writeln!(w, "_No mission statement yet._\n");
    } else {
        for line in board.mission.statement.trim().lines() {
            let _ = writeln!(w, "> {}", escape_controls(line));
        }
        let _ = writeln!(w);
    }
    if !board.mission.customer.trim().is_empty() {
        let _ = writeln!(w, "**Customer:** {}\n", inline(&board.mission.customer));
    }

    let mut personas: Vec<&Persona> = board.personas.iter().collect();
    personas.sort_by_key(|p| (p.position, p.id));
    let mut stages: Vec<&Stage> = board.stages.iter().collect();
    stages.sort_by_key(|s| (s.position, s.id));

    let _ = writeln!(w, "## Personas\n");
    if personas.is_empty() {
        let _ = writeln!(w, "_No personas yet._\n");
    }
    for p in &personas {
        let staff = if p.side.is_customer() {
            ""
        } else {
            " (employee)"
        };
        if p.role.trim().is_empty() {
            let _ = writeln!(w, "### {}{staff}\n", inline(&p.name));
        } else {
            let _ = writeln!(w, "### {} — {}{staff}\n", inline(&p.name), inline(&p.role));
        }
        for (label, text) in [("Goal", &p.goal), ("Needs", &p.needs), ("Pains", &p.pains)] {
            if !text.trim().is_empty() {
                let _ = writeln!(w, "- **{label}:** {}", inline(text));
            }
        }
        if !p.quote.trim().is_empty() {
            let _ = writeln!(w, "\n> “{}”", inline(&p.quote));
        }
        let _ = writeln!(w);
    }

    let _ = writeln!(w, "## Customer journey\n");
    if stages.is_empty() {
        let _ = writeln!(w, "_No journey stages yet._\n");
    } else {
        let mut header = String::from("| Stage | Customer goal | Touchpoints | Pains | Metric |");
        let mut rule = String::from("|---|---|---|---|---|");
        for p in &personas {
            let _ = write!(header, " {} |", cell(&p.name));
            rule.push_str("---|");
        }
        let _ = writeln!(w, "{header}\n{rule}");
        for s in &stages {
            let _ = write!(
                w,
                "| {} | {} | {} | {} | {} |",
                cell(&s.name),
                cell(&s.customer_goal),
                cell(&s.touchpoints),
                cell(&s.pains),
                cell(&metric_long(&s.metric)),
            );
            for p in &personas {
                match board.feeling(p.id, s.id) {
                    Some(f) if f.note.trim().is_empty() => {
                        let _ = write!(w, " {} |", signed(f.score));
                    }
                    Some(f) => {
                        let _ = write!(w, " {} {} |", signed(f.score), cell(&f.note));
                    }
                    None => w.push_str("  |"),
                }
            }
            let _ = writeln!(w);
        }
        let _ = writeln!(w);
    }

    if crate::format::metric::index_of(board).is_some() {
        // The index, its one sentence, and its history as a sparkline (a hard break
        // between the two lines).
        let _ = writeln!(w, "## Customer index\n");
        let detail = crate::format::metric::index_detail(board);
        let _ = writeln!(w, "{}\n", detail.replace('\n', "  \n"));
    }

    heard(w, board);

    let _ = writeln!(w, "## Improvements\n");
    for &status in Status::ALL {
        let mut items: Vec<&Item> = board.items.iter().filter(|i| i.status == status).collect();
        items.sort_by_key(|i| (i.position, i.id));
        match board.wip_limit(status) {
            Some(limit) => {
                let _ = writeln!(
                    w,
                    "### {} ({} of WIP limit {limit})\n",
                    status.label(),
                    items.len()
                );
            }
            None => {
                let _ = writeln!(w, "### {} ({})\n", status.label(), items.len());
            }
        }
        if items.is_empty() {
            let _ = writeln!(w, "_Nothing here._\n");
            continue;
        }
        for i in items {
            let blocked = if i.blocked { " ⛔ blocked" } else { "" };
            let _ = writeln!(w, "- **{}** (#{}){blocked}", inline(&i.title), i.id);
            let mut facts = Vec::new();
            if !i.owner.is_empty() {
                facts.push(format!("owner: {}", inline(&i.owner)));
            }
            if let Some(due) = i.due {
                facts.push(format!("due: {due}"));
            }
            if !facts.is_empty() {
                let _ = writeln!(w, "  - {}", facts.join(" · "));
            }
            match (
                board.persona_name(i.persona_id),
                board.stage_name(i.stage_id),
            ) {
                (None, None) => {
                    let _ = writeln!(w, "  - ⚠ serves no persona or stage");
                }
                (Some(p), None) => {
                    let _ = writeln!(w, "  - serves: {}", inline(p));
                }
                (None, Some(s)) => {
                    let _ = writeln!(w, "  - serves: stage {}", inline(s));
                }
                (Some(p), Some(s)) => {
                    let _ = writeln!(w, "  - serves: {} at {}", inline(p), inline(s));
                }
            }
            if i.blocked && !i.blocked_reason.trim().is_empty() {
                let _ = writeln!(w, "  - blocked because: {}", inline(&i.blocked_reason));
            }
            if !i.impact.trim().is_empty() {
                let _ = writeln!(w, "  - impact: {}", inline(&i.impact));
            }
            if !i.risk.trim().is_empty() {
                let _ = writeln!(w, "  - risk: {}", inline(&i.risk));
            }
            if !i.detail.trim().is_empty() {
                let _ = writeln!(w, "  - detail: {}", inline(&i.detail));
            }
            let evidence = board
                .evidence_links
                .iter()
                .filter(|l| l.item_id == i.id)
                .count();
            if evidence > 0 {
                let pieces = crate::format::count(evidence, "piece", "pieces");
                let _ = writeln!(w, "  - evidence: {pieces}");
            }
            for c in board.comments_of(i.id) {
                let _ = writeln!(
                    w,
                    "  - comment by {}, {}: {}",
                    inline(&c.author),
                    local_time(c.at, tz),
                    inline(&c.text)
                );
            }
        }
        let _ = writeln!(w);
    }
    let open: Vec<_> = board.open_topics().collect();
    if !open.is_empty() {
        let _ = writeln!(w, "## Parked topics still open ({})\n", open.len());
        for t in open {
            let _ = writeln!(
                w,
                "- {} (parked by {}, {})",
                inline(&t.text),
                inline(&t.parked_by),
                local_time(t.parked_at, tz)
            );
        }
        let _ = writeln!(w);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// What customers and employees were heard to say, newest first, each on one line
/// with the items it supports (nothing when the board holds no evidence).
fn heard(w: &mut String, board: &Board) {
    if board.evidence.is_empty() {
        return;
    }
    let _ = writeln!(w, "## What we heard ({})\n", board.evidence.len());
    let mut list: Vec<&Evidence> = board.evidence.iter().collect();
    list.sort_by_key(|e| std::cmp::Reverse((e.observed, e.id)));
    for e in list {
        let note = EvidenceNote {
            kind: e.kind,
            text: e.text.clone(),
            source: e.source.clone(),
            observed: e.observed,
            persona: board.persona_name(e.persona_id).map(str::to_owned),
            stage: board.stage_name(e.stage_id).map(str::to_owned),
            sentiment: e.sentiment,
            by: String::new(),
        };
        let supports: Vec<String> = board
            .supported_by(e.id)
            .iter()
            .map(|i| format!("#{i}"))
            .collect();
        let supports = if supports.is_empty() {
            String::new()
        } else {
            format!(" → {}", supports.join(" "))
        };
        let _ = writeln!(w, "- {}{supports}", inline(&note.line()));
    }
    let _ = writeln!(w);
}
