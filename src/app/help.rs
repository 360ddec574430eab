//! The help overlay's content: every key that works, mode by mode, from the keymaps in
//! force, laid out for a width so it wraps instead of being cut.

use crate::format::wrap;
use crate::keymap::{Command, CommandSet, Keymap, Keys};

/// One line of the help as drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum HelpLine {
    Heading(String),
    /// Keys, padded to the key column (blank on a description's continuation), and text.
    Key(String, String),
    Note(String),
    Blank,
}

/// Widest key column before the keys wrap into their own line.
const KEY_COLUMN: usize = 14;

/// The help at `width` columns for the keymaps in force: headings, key rows with
/// wrapped descriptions, notes.
pub fn help_lines(keys: &Keys, width: usize) -> Vec<HelpLine> {
    let mut out = Vec::new();
    let key_w = keys
        .board
        .bound()
        .map(|(k, _)| unicode_width::UnicodeWidthStr::width(k.as_str()))
        .max()
        .unwrap_or(4)
        .min(KEY_COLUMN.min(width / 3).max(4));
    let text_w = width.saturating_sub(key_w + 1).max(10);
    let mut section = |title: &str, rows: Vec<(String, String)>, notes: Vec<String>| {
        if !out.is_empty() {
            out.push(HelpLine::Blank);
        }
        out.extend(
            wrap(title, width, usize::MAX)
                .into_iter()
                .map(HelpLine::Heading),
        );
        for (k, text) in rows {
            let lines = wrap(&text, text_w, usize::MAX);
            let mut first = true;
            if unicode_width::UnicodeWidthStr::width(k.as_str()) > key_w {
                out.push(HelpLine::Key(k.clone(), String::new()));
                first = false;
            }
            for l in lines {
                let shown = if first { k.as_str() } else { "" };
                out.push(HelpLine::Key(format!("{shown:key_w$}"), l));
                first = false;
            }
        }
        for n in notes {
            out.extend(wrap(&n, width, usize::MAX).into_iter().map(HelpLine::Note));
        }
    };
    section("On the board", rows(keys, &keys.board), Vec::new());
    let walk: Vec<String> = [Command::Down, Command::Up, Command::First, Command::Last]
        .iter()
        .map(|&c| keys.board.label(c))
        .collect();
    let mut standup = vec![(walk.join(" / "), "walk the items".to_owned())];
    standup.extend(rows(keys, &keys.standup));
    let also: Vec<String> = keys
        .board
        .bound()
        .filter(|(_, c)| {
            c.in_standup()
                && !matches!(
                    c,
                    Command::Down | Command::Up | Command::First | Command::Last | Command::Standup
                )
        })
        .map(|(k, c)| format!("{k} {}", c.name().replace('_', " ")))
        .collect();
    section(
        "During the stand-up",
        standup,
        vec![format!("These board keys work too: {}.", also.join(", "))],
    );
    section(
        "In a form",
        rows(keys, &keys.form),
        vec!["Every other key edits the field.".to_owned()],
    );
    section("Yes/no questions", rows(keys, &keys.confirm), Vec::new());
    section("A conflict", rows(keys, &keys.conflict), Vec::new());
    section(
        "Help, detail, activity, summary, stand-ups and parked topics",
        rows(keys, &keys.popup),
        vec![
            "In the stand-ups and parked-topics lists the scroll keys choose. \
             Any other key closes the view."
                .to_owned(),
        ],
    );
    section(
        "The evidence view",
        rows(keys, &keys.evidence),
        vec![
            "The link key links the selected piece to the item selected on the wall when \
             the view opened, or takes the link away."
                .to_owned(),
        ],
    );
    section(
        "The filter line",
        rows(keys, &keys.filter),
        vec!["Every other key edits the filter.".to_owned()],
    );
    section(
        "Marks",
        Vec::new(),
        vec![
            "⛔ blocked · ⚠ serves no persona or stage · ◆ serves the selection · \
             ❝3 three pieces of evidence · ! hurts, no open item · ? hurts, nobody heard it · \
             ○ what was heard · ≠ heard and believed a point or more apart · late = overdue"
                .to_owned(),
        ],
    );
    out
}

/// (keys, help text) of every bound command of a keymap.
fn rows<C: CommandSet>(keys: &Keys, map: &Keymap<C>) -> Vec<(String, String)> {
    map.bound()
        .map(|(k, c)| (k, keys.expand(c.description())))
        .collect()
}

/// The help box's inner width on a screen `screen_width` wide.
pub fn help_width(screen_width: u16) -> usize {
    usize::from(screen_width.saturating_sub(4).min(100).saturating_sub(2))
}
