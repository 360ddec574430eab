//! Persona × stage: feelings, open items, and the pains nobody is working on; the
//! evidence heard there, and what nobody has heard or answered.

use std::collections::HashSet;

use serde::Serialize;

use unicode_width::UnicodeWidthStr;

use crate::format::{escape_controls, fit};
use crate::model::{Board, OpenWork, Status};

/// One persona at one stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cell {
    pub persona: String,
    pub stage: String,
    /// How the persona feels there (−2 … +2), if recorded.
    pub feeling: Option<i8>,
    /// Open (not done) items serving this persona at this stage.
    pub open_items: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub cells: Vec<Cell>,
    /// Stages with pains (or a persona feeling bad there) and no open item.
    pub pains_without_action: Vec<String>,
    /// Open items that serve no persona and no stage.
    pub unlinked_items: Vec<String>,
    /// Evidence per persona (none: about nobody in particular) × stage.
    pub evidence: Vec<EvidenceCell>,
    /// Stages that hurt (pains, or a persona feeling bad there) with no evidence heard.
    pub pains_without_evidence: Vec<String>,
    /// Open items no evidence supports.
    pub items_without_evidence: Vec<String>,
    /// Stages with negative evidence (sentiment below 0) and no open item there.
    pub negative_evidence_without_action: Vec<NegativeEvidence>,
}

/// The evidence about one persona (or none) at one stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EvidenceCell {
    pub persona: Option<String>,
    pub stage: String,
    pub count: usize,
    /// The mean sentiment of the pieces that carry one, to a tenth.
    pub heard: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NegativeEvidence {
    pub stage: String,
    /// How many pieces there are negative.
    pub negative: usize,
}

/// Persona × stage: feelings, open items, and the pains nobody is working on.
/// An item that names only a stage counts for every persona there, and vice versa.
pub fn coverage(board: &Board) -> Coverage {
    let open = || board.items.iter().filter(|i| i.status != Status::Done);
    let work = OpenWork::of(&board.items);
    let mut cells = Vec::new();
    for p in &board.personas {
        for s in &board.stages {
            cells.push(Cell {
                persona: p.name.clone(),
                stage: s.name.clone(),
                feeling: board.feeling(p.id, s.id).map(|f| f.score),
                open_items: work.serving(p.id, s.id),
            });
        }
    }
    let pains_without_action = board
        .stages
        .iter()
        .filter(|s| board.stage_without_action(&work, s.id))
        .map(|s| s.name.clone())
        .collect();
    let unlinked_items = open()
        .filter(|i| i.is_unlinked())
        .map(|i| format!("#{} {}", i.id, i.title))
        .collect();
    let supported: HashSet<i64> = board.evidence_links.iter().map(|l| l.item_id).collect();
    let heard = &board.heard;
    let mut evidence = Vec::new();
    let personas = board
        .personas
        .iter()
        .map(|p| (Some(p.id), Some(p.name.clone())));
    for (pid, persona) in personas.chain([(None, None)]) {
        for s in &board.stages {
            let t = heard
                .cells
                .get(&(pid, Some(s.id)))
                .copied()
                .unwrap_or_default();
            evidence.push(EvidenceCell {
                persona: persona.clone(),
                stage: s.name.clone(),
                count: t.count,
                heard: t.mean().map(|m| (m * 10.0).round() / 10.0),
            });
        }
    }
    let pains_without_evidence = board
        .stages
        .iter()
        .filter(|s| board.stage_hurts(s.id) && heard.at_stage(s.id).count == 0)
        .map(|s| s.name.clone())
        .collect();
    let items_without_evidence = open()
        .filter(|i| !supported.contains(&i.id))
        .map(|i| format!("#{} {}", i.id, i.title))
        .collect();
    let negative_evidence_without_action = board
        .stages
        .iter()
        .filter(|s| work.at_stage(s.id) == 0)
        .filter_map(|s| {
            let negative = board
                .evidence
                .iter()
                .filter(|e| e.stage_id == Some(s.id) && e.sentiment.is_some_and(|v| v < 0))
                .count();
            (negative > 0).then(|| NegativeEvidence {
                stage: s.name.clone(),
                negative,
            })
        })
        .collect();
    Coverage {
        cells,
        pains_without_action,
        unlinked_items,
        evidence,
        pains_without_evidence,
        items_without_evidence,
        negative_evidence_without_action,
    }
}

/// The coverage as a text table: one row per persona, one column per stage,
/// each cell "feeling / open items". Names show control characters escaped, cut to
/// their column (a persona's name at most `NAME_COLUMN` wide).
pub fn coverage_text(board: &Board, c: &Coverage) -> String {
    let personas: Vec<String> = board
        .personas
        .iter()
        .map(|p| fit(&escape_controls(&p.name), NAME_COLUMN))
        .collect();
    let stages: Vec<String> = board
        .stages
        .iter()
        .map(|s| fit(&escape_controls(&s.name), STAGE_COLUMN))
        .collect();
    let name_w = personas.iter().map(|n| n.width()).max().unwrap_or(7).max(7);
    let col_w = stages.iter().map(|n| n.width()).max().unwrap_or(8).max(8);
    let mut out = padded("persona", name_w);
    for s in &stages {
        out += &format!("  {}", padded(s, col_w));
    }
    out.push('\n');
    for (p, shown) in board.personas.iter().zip(&personas) {
        out += &padded(shown, name_w);
        for cell in c.cells.iter().filter(|x| x.persona == p.name) {
            let feeling = cell
                .feeling
                .map(crate::format::signed)
                .unwrap_or_else(|| "·".into());
            let text = format!("{feeling} / {} open", cell.open_items);
            out += &format!("  {}", padded(&text, col_w));
        }
        out.push('\n');
    }
    out += "\n(feeling −2 … +2 / open items serving that persona at that stage)\n";
    if c.pains_without_action.is_empty() {
        out += "Every stage with pains has an open item.\n";
    } else {
        out += &format!(
            "Pains without action: {}\n",
            escape_controls(&c.pains_without_action.join(", "))
        );
    }
    if !c.unlinked_items.is_empty() {
        out += &format!(
            "⚠ Items serving no persona and no stage: {}\n",
            escape_controls(&c.unlinked_items.join("; "))
        );
    }
    out + &evidence_text(&stages, name_w, col_w, c)
}

/// The evidence part: a table of what was heard, persona × stage, and what nobody has
/// heard or answered.
fn evidence_text(stages: &[String], name_w: usize, col_w: usize, c: &Coverage) -> String {
    let name_w = name_w.max("(nobody)".len());
    if c.evidence.iter().all(|e| e.count == 0) {
        return "\nNo evidence on the board yet (obeya evidence add, or obeya evidence import FILE.csv).\n"
            .to_owned();
    }
    let mut out = format!("\n{:name_w$}", "evidence");
    for s in stages {
        out += &format!("  {:col_w$}", crate::format::fit(s, col_w));
    }
    out.push('\n');
    let mut rows: Vec<Option<String>> = Vec::new();
    for e in &c.evidence {
        if !rows.contains(&e.persona) {
            rows.push(e.persona.clone());
        }
    }
    for p in rows {
        let cells: Vec<&EvidenceCell> = c.evidence.iter().filter(|e| e.persona == p).collect();
        if p.is_none() && cells.iter().all(|e| e.count == 0) {
            continue;
        }
        let name = p.as_deref().map_or("(nobody)".into(), escape_controls);
        let name = crate::format::fit(&name, name_w);
        out += &format!("{name:name_w$}");
        for e in cells {
            let text = match (e.count, e.heard) {
                (0, _) => "·".to_owned(),
                (n, Some(h)) => format!("{n} ({})", crate::format::signed_mean(h)),
                (n, None) => n.to_string(),
            };
            out += &format!("  {text:col_w$}");
        }
        out.push('\n');
    }
    out += "\n(pieces of evidence about that persona at that stage (mean sentiment heard, −2 … +2); (nobody): about no persona)\n";
    let list = |title: &str, v: &[String], none: &str| -> String {
        if v.is_empty() {
            format!("{none}\n")
        } else {
            format!("{title}: {}\n", escape_controls(&v.join(", ")))
        }
    };
    out += &list(
        "Pains without evidence",
        &c.pains_without_evidence,
        "Every stage that hurts has evidence.",
    );
    if !c.items_without_evidence.is_empty() {
        out += &format!(
            "Items without evidence: {}\n",
            escape_controls(&c.items_without_evidence.join("; "))
        );
    }
    let negative: Vec<String> = c
        .negative_evidence_without_action
        .iter()
        .map(|n| format!("{} ({} negative)", n.stage, n.negative))
        .collect();
    if !negative.is_empty() {
        out += &list("Negative evidence with no open item", &negative, "");
    }
    out
}

/// The widest a persona's name is shown in the table.
const NAME_COLUMN: usize = 32;
/// The widest a stage's column is.
const STAGE_COLUMN: usize = 16;

/// `text` and spaces to `width` columns (as a terminal counts them).
fn padded(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(text.width())))
}
