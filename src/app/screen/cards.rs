//! A card on the improvement board as text: its marks, `#id`, the title wrapped to the
//! column, and the line with owner, due date and age. Drawing adds the colours; the
//! layout counts the lines, so a click hits the card that was drawn.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::format::{age_in, days, due_date, fit, on_wall, wrap};
use crate::model::Item;

/// Title lines of a full card at the default density.
pub const TITLE_LINES: usize = 3;

pub const BLOCKED: &str = "⛔";
pub const UNLINKED: &str = "⚠";
pub const MARKED: &str = "◆";

/// What a card says, fitted to a column `width` columns wide (pointer included).
#[derive(Debug, Clone, PartialEq)]
pub struct CardText {
    /// Wrapped title lines; the first starts with the marks and `#id`.
    pub title: Vec<String>,
    /// How many columns of the first line are marks and `#id` (drawn muted).
    pub head_width: usize,
    /// Lines of facts: the owner, the due date (on a line of its own when it does not
    /// fit beside the owner: it is never dropped) and the age where it fits; empty on a
    /// compact card.
    pub meta: Vec<Vec<MetaPart>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum MetaPart {
    Owner(String),
    Due { text: String, late: bool },
    Age(String),
}

impl MetaPart {
    /// Columns it takes on the card.
    pub fn width(&self) -> usize {
        let text = match self {
            MetaPart::Owner(t) | MetaPart::Age(t) | MetaPart::Due { text: t, .. } => t,
        };
        unicode_width::UnicodeWidthStr::width(text.as_str())
    }
}

/// The mark before a card's count of evidence.
pub const EVIDENCE: &str = "❝";

/// The pointer (`▸ `) or its blank before every line of a card.
pub const INDENT: usize = 2;

/// The card for `item`: one line when `compact`, else the title wrapped to at most
/// [`TITLE_LINES`] lines and a line of facts. `marked`: it serves the selection;
/// `evidence`: how many pieces of evidence support it.
pub fn card_text(
    item: &Item,
    width: usize,
    compact: bool,
    marked: bool,
    evidence: usize,
    today: Date,
    now: Timestamp,
) -> CardText {
    let room = width.saturating_sub(INDENT).max(1);
    let head = head(item, marked, evidence);
    let head_width = unicode_width::UnicodeWidthStr::width(head.as_str());
    let title = on_wall(&item.title).replace('\n', " ");
    if compact {
        // One line: the title as far as it goes, and the owner, kept.
        let owner = fit(&owner_of(item), room / 3);
        let owner_w = unicode_width::UnicodeWidthStr::width(owner.as_str());
        let text = fit(&format!("{head}{title}"), room.saturating_sub(owner_w + 1));
        let pad =
            room.saturating_sub(unicode_width::UnicodeWidthStr::width(text.as_str()) + owner_w);
        return CardText {
            title: vec![format!("{text}{}{owner}", " ".repeat(pad))],
            head_width,
            meta: Vec::new(),
        };
    }
    CardText {
        title: wrap(&format!("{head}{title}"), room, TITLE_LINES),
        head_width,
        meta: meta(item, room, today, now),
    }
}

/// Lines the card takes, as `card_text` lays it out: the wrapped title and, on a full
/// card, the lines of facts (the owner's, and the due date's when it needs its own).
pub fn card_height(
    item: &Item,
    width: usize,
    compact: bool,
    marked: bool,
    evidence: usize,
    today: Date,
) -> u16 {
    if compact {
        return 1;
    }
    let room = width.saturating_sub(INDENT).max(1);
    let title = on_wall(&item.title).replace('\n', " ");
    let head = head(item, marked, evidence);
    let lines = wrap(&format!("{head}{title}"), room, TITLE_LINES).len();
    let facts = 1 + usize::from(due_fact(item, room, today).is_some_and(|(_, own)| own));
    (lines + facts) as u16
}

/// The marks (and how much evidence it has) and `#id` that start a card's first line.
fn head(item: &Item, marked: bool, evidence: usize) -> String {
    let mut head = String::new();
    if marked {
        head.push_str(MARKED);
    }
    if item.blocked {
        head.push_str(BLOCKED);
    }
    if item.is_unlinked() {
        head.push_str(UNLINKED);
    }
    if evidence > 0 {
        head.push_str(&format!("{EVIDENCE}{evidence}"));
    }
    if !head.is_empty() {
        head.push(' ');
    }
    head.push_str(&format!("#{} ", item.id));
    head
}

fn owner_of(item: &Item) -> String {
    if item.owner.is_empty() {
        "nobody".to_owned()
    } else {
        on_wall(&item.owner).into_owned()
    }
}

/// The due date as a card says it: `due 30 Nov`, or `20 Nov late`.
fn due_text(item: &Item, due: Date, today: Date) -> String {
    if item.is_overdue(today) {
        format!("{} late", due_date(due, today))
    } else {
        format!("due {}", due_date(due, today))
    }
}

fn width_of(s: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(s)
}

/// " · " between facts.
const SEP: usize = 3;

/// The due date's words and whether they take a line of their own: beside the owner
/// when they fit (`due 10 Dec`, or the date alone, `10 Dec`, when only that does);
/// else on the next line, where a late one keeps its word (`20 Nov late`), and a line
/// too narrow for the words gets the date alone.
fn due_fact(item: &Item, room: usize, today: Date) -> Option<(String, bool)> {
    let due = item.due?;
    let owner = width_of(&fit(&owner_of(item), room));
    let beside = |text: &str| owner + SEP + width_of(text) <= room;
    let full = due_text(item, due, today);
    let date = due_date(due, today);
    let late = item.is_overdue(today);
    Some(if beside(&full) {
        (full, false)
    } else if !late && beside(&date) {
        (date, false)
    } else if width_of(&full) <= room {
        (full, true)
    } else {
        (fit(&date, room), true)
    })
}

/// Owner first (never dropped, shortened if it must be), then the due date (never
/// dropped: see [`due_fact`]), then the age where it fits whole on the last line
/// (`3 days in Do`, or `3 days`).
fn meta(item: &Item, room: usize, today: Date, now: Timestamp) -> Vec<Vec<MetaPart>> {
    let owner = fit(&owner_of(item), room);
    let mut used = width_of(&owner);
    let mut lines = vec![vec![MetaPart::Owner(owner)]];
    if let Some((text, own_line)) = due_fact(item, room, today) {
        let late = item.is_overdue(today);
        if own_line {
            used = width_of(&text);
            lines.push(vec![MetaPart::Due { text, late }]);
        } else {
            used += SEP + width_of(&text);
            lines[0].push(MetaPart::Due { text, late });
        }
    }
    // The age in words, or its days alone (under the column's name) where only they fit.
    let n = item.days_in_status(now);
    let age = [age_in(n, item.status.label()), days(n)]
        .into_iter()
        .find(|age| used + SEP + width_of(age) <= room);
    if let (Some(age), Some(last)) = (age, lines.last_mut()) {
        last.push(MetaPart::Age(age));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Status;

    fn item() -> Item {
        Item {
            id: 12,
            title: "Refund missing items in one tap".into(),
            status: Status::Do,
            owner: "bob".into(),
            due: Some("2026-11-20".parse().unwrap()),
            stage_id: Some(1),
            ..Item::default()
        }
    }

    fn today() -> Date {
        "2026-11-22".parse().unwrap()
    }

    #[test]
    fn a_card_wraps_its_title_and_says_who_when_and_how_long() {
        let now: Timestamp = "2026-11-22T10:00:00Z".parse().unwrap();
        let mut it = item();
        it.status_since = "2026-11-19T09:00:00Z".parse().unwrap();
        let c = card_text(&it, 23, false, false, 0, today(), now);
        assert_eq!(c.title, ["#12 Refund missing", "items in one tap"]);
        assert_eq!(
            c.meta,
            [vec![
                MetaPart::Owner("bob".into()),
                MetaPart::Due {
                    text: "20 Nov late".into(),
                    late: true
                },
            ]],
            "no room for the age at this width"
        );
        let c = card_text(&it, 28, false, false, 0, today(), now);
        assert_eq!(
            c.meta[0][2],
            MetaPart::Age("3 days".into()),
            "its days alone"
        );
        let wide = card_text(&it, 60, false, false, 0, today(), now);
        assert_eq!(wide.meta[0][2], MetaPart::Age("3 days in Do".into()));
    }

    #[test]
    fn a_narrow_card_keeps_its_due_date_on_a_line_of_its_own() {
        let now: Timestamp = "2026-11-22T10:00:00Z".parse().unwrap();
        let mut it = item();
        it.owner = "alice".into();
        let c = card_text(&it, 15, false, false, 0, today(), now);
        assert_eq!(c.meta[0], [MetaPart::Owner("alice".into())]);
        assert_eq!(
            c.meta[1][0],
            MetaPart::Due {
                text: "20 Nov late".into(),
                late: true
            }
        );
        let h = card_height(&it, 15, false, false, 0, today());
        assert_eq!(usize::from(h), c.title.len() + c.meta.len());
        // Too narrow for the words: the date alone, still red.
        it.due = Some("2025-11-20".parse().unwrap());
        let c = card_text(&it, 14, false, false, 0, today(), now);
        assert_eq!(c.meta.len(), 2);
        assert_eq!(
            c.meta[1][0],
            MetaPart::Due {
                text: "20 Nov 2025".into(),
                late: true
            }
        );
        // Not late: the date alone beside the owner when only that fits.
        it.due = Some("2026-12-10".parse().unwrap());
        it.owner = "chen".into();
        let c = card_text(&it, 15, false, false, 0, today(), now);
        assert_eq!(
            c.meta,
            [vec![
                MetaPart::Owner("chen".into()),
                MetaPart::Due {
                    text: "10 Dec".into(),
                    late: false
                }
            ]]
        );
    }

    #[test]
    fn the_owner_is_never_dropped() {
        let now = Timestamp::UNIX_EPOCH;
        let c = card_text(&item(), 10, false, false, 0, today(), now);
        assert!(matches!(&c.meta[0][0], MetaPart::Owner(o) if o == "bob"));
        let c = card_text(&item(), 3, false, false, 0, today(), now);
        assert!(matches!(&c.meta[0][0], MetaPart::Owner(o) if !o.is_empty()));
    }

    #[test]
    fn marks_lead_the_first_line() {
        let mut it = item();
        it.blocked = true;
        it.stage_id = None;
        let c = card_text(&it, 40, false, true, 0, today(), Timestamp::UNIX_EPOCH);
        assert!(c.title[0].starts_with("◆⛔⚠ #12 Refund"), "{:?}", c.title);
        let compact = card_text(&it, 40, true, false, 0, today(), Timestamp::UNIX_EPOCH);
        assert_eq!(compact.title.len(), 1);
        assert!(compact.meta.is_empty());
        assert!(compact.title[0].ends_with(" bob"), "{:?}", compact.title);
        assert!(
            compact.title[0].starts_with("⛔⚠ #12 Refund"),
            "{:?}",
            compact.title
        );
    }
}
