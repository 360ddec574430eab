//! The items as CSV.

use crate::format::escape_controls_keep_newlines;
use crate::model::{Board, Item};

/// The header of [`items_csv`].
pub const CSV_HEADER: &str = "id,title,status,owner,due,persona,stage,blocked,blocked_reason,impact,risk,created_at,updated_at,status_since";

/// One CSV field, quoted per RFC 4180 when it holds a comma, quote or line break.
///
/// A cell a spreadsheet would run as a formula (one starting with `=`, `+`, `-`, `@`,
/// a tab or a carriage return) gets a leading `'`, as OWASP's CSV-injection advice has
/// it: the spreadsheet shows the text instead of running it. Control characters other
/// than a line break are shown escaped (`\u{1b}`), so the file is safe to `cat` too.
fn csv_field(s: &str) -> String {
    let neutral;
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        neutral = format!("'{s}");
        neutral.as_str()
    } else {
        s
    };
    let s = escape_controls_keep_newlines(s);
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The items as CSV (RFC 4180: CRLF line ends, fields quoted where needed), in board
/// order, with persona and stage by name.
pub fn items_csv(board: &Board) -> String {
    let mut items: Vec<&Item> = board.items.iter().collect();
    items.sort_by_key(|i| (i.status, i.position, i.id));
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for i in items {
        let fields = [
            i.id.to_string(),
            i.title.clone(),
            i.status.as_str().to_string(),
            i.owner.clone(),
            i.due.map(|d| d.to_string()).unwrap_or_default(),
            board
                .persona_name(i.persona_id)
                .unwrap_or_default()
                .to_string(),
            board.stage_name(i.stage_id).unwrap_or_default().to_string(),
            i.blocked.to_string(),
            i.blocked_reason.clone(),
            i.impact.clone(),
            i.risk.clone(),
            i.created_at.to_string(),
            i.meta.updated_at.to_string(),
            i.status_since.to_string(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}
