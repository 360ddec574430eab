//! A card on the improvement board as text: its marks, `#id`, the title wrapped to the
//! column, and the line with owner, due date and age. Drawing adds the colours; the
//! layout counts the lines, so a click hits the card that was drawn.

use jiff::Timestamp;
use jiff::civil::Date;

use crate::format::{age_in, due_date, fit, on_wall, wrap};
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
    /// Owner, due date and age, as far as they fit (the owner always does); empty on a
    /// compact card.
    pub meta: Vec<MetaPart>,
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
/// card, the line of facts (which always holds at least the owner).
pub fn card_height(item: &Item, width: usize, compact: bool, marked: bool, evidence: usize) -> u16 {
    if compact {
        return 1;
    }
    let room = width.saturating_sub(INDENT).max(1);
    let title = on_wall(&item.title).replace('\n', " ");
    let head = head(item, marked, evidence);
    let lines = wrap(&format!("{head}{title}"), room, TITLE_LINES).len();
    lines as u16 + 1
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

/// Owner first (never dropped, shortened if it must be), then the due date, then the
/// age, each only if it fits whole.
fn meta(item: &Item, room: usize, today: Date, now: Timestamp) -> Vec<MetaPart> {
    let owner = fit(&owner_of(item), room);
    let mut used = unicode_width::UnicodeWidthStr::width(owner.as_str());
    let mut parts = vec![MetaPart::Owner(owner)];
    const SEP: usize = 3; // " · "
    if let Some(due) = item.due {
        let late = item.is_overdue(today);
        let text = if late {
            format!("{} late", due_date(due, today))
        } else {
            format!("due {}", due_date(due, today))
        };
        let w = unicode_width::UnicodeWidthStr::width(text.as_str());
        if used + SEP + w <= room {
            used += SEP + w;
            parts.push(MetaPart::Due { text, late });
        } else if late && used + SEP + 4 <= room {
            used += SEP + 4;
            parts.push(MetaPart::Due {
                text: "late".to_owned(),
                late,
            });
        }
    }
    let age = age_in(item.days_in_status(now), item.status.label());
    if used + SEP + unicode_width::UnicodeWidthStr::width(age.as_str()) <= room {
        parts.push(MetaPart::Age(age));
    }
    parts
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
            [
                MetaPart::Owner("bob".into()),
                MetaPart::Due {
                    text: "20 Nov late".into(),
                    late: true
                },
            ],
            "no room for the age at this width"
        );
        let wide = card_text(&it, 60, false, false, 0, today(), now);
        assert_eq!(wide.meta[2], MetaPart::Age("3d in Do".into()));
    }

    #[test]
    fn the_owner_is_never_dropped() {
        let now = Timestamp::UNIX_EPOCH;
        let c = card_text(&item(), 10, false, false, 0, today(), now);
        assert!(matches!(&c.meta[0], MetaPart::Owner(o) if o == "bob"));
        let c = card_text(&item(), 3, false, false, 0, today(), now);
        assert!(matches!(&c.meta[0], MetaPart::Owner(o) if !o.is_empty()));
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
