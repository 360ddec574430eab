//! Persona × stage: feelings, open items, and the pains nobody is working on.

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
    Coverage {
        cells,
        pains_without_action,
        unlinked_items,
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
