//! Domain types of a board. They know nothing of SQL or of the terminal.

use std::fmt;
use std::str::FromStr;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Bookkeeping every editable row carries: optimistic-locking version and last author.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// 0 for a record that is not stored yet; bumped by every write.
    pub version: i64,
    pub updated_at: Timestamp,
    pub updated_by: String,
}

impl Default for Meta {
    fn default() -> Self {
        Meta {
            version: 0,
            updated_at: Timestamp::UNIX_EPOCH,
            updated_by: String::new(),
        }
    }
}

/// The PDCA columns of the improvement board, in board order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Plan,
    Do,
    Check,
    Act,
    Done,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Plan,
        Status::Do,
        Status::Check,
        Status::Act,
        Status::Done,
    ];

    /// The stored and command-line spelling: `plan`, `do`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Plan => "plan",
            Status::Do => "do",
            Status::Check => "check",
            Status::Act => "act",
            Status::Done => "done",
        }
    }

    /// The column heading: `Plan`, `Do`, …
    pub fn label(self) -> &'static str {
        match self {
            Status::Plan => "Plan",
            Status::Do => "Do",
            Status::Check => "Check",
            Status::Act => "Act",
            Status::Done => "Done",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(i: usize) -> Option<Status> {
        Status::ALL.get(i).copied()
    }

    pub fn next(self) -> Option<Status> {
        Status::from_index(self.index() + 1)
    }

    pub fn prev(self) -> Option<Status> {
        self.index().checked_sub(1).and_then(Status::from_index)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Status {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .into_iter()
            .find(|st| st.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| format!("unknown status '{s}' (expected plan, do, check, act or done)"))
    }
}

/// Parse a `YYYY-MM-DD` date, with a message naming the bad value.
pub fn parse_date(s: &str) -> Result<Date, String> {
    let s = s.trim();
    let well_formed = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    match s.parse::<Date>() {
        Ok(d) if well_formed => Ok(d),
        _ => Err(format!(
            "invalid date '{s}' (expected YYYY-MM-DD, a real calendar day)"
        )),
    }
}

/// Names of personas and stages are unique ignoring case (Unicode-aware).
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim().to_lowercase() == b.trim().to_lowercase()
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Mission {
    pub statement: String,
    pub customer: String,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Persona {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub goal: String,
    pub needs: String,
    pub pains: String,
    pub quote: String,
    /// Order on the wall, ascending.
    pub position: i64,
    pub meta: Meta,
}

/// A customer-side metric of a journey stage, e.g. "refund within 3 days: 82 % of 90 %".
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Metric {
    /// Empty when the stage has no metric.
    pub name: String,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    pub unit: String,
}

impl Metric {
    pub fn is_empty(&self) -> bool {
        self.name.is_empty()
            && self.target.is_none()
            && self.actual.is_none()
            && self.unit.is_empty()
    }

    /// Whether the actual value meets the target (None if either is missing).
    /// A higher value is taken as better.
    pub fn met(&self) -> Option<bool> {
        Some(self.actual? >= self.target?)
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Stage {
    pub id: i64,
    pub name: String,
    pub customer_goal: String,
    pub touchpoints: String,
    pub pains: String,
    pub backstage: String,
    pub metric: Metric,
    /// Order along the journey, ascending.
    pub position: i64,
    pub meta: Meta,
}

/// How a persona feels at a stage: −2 … +2, with a note.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Feeling {
    pub id: i64,
    pub persona_id: i64,
    pub stage_id: i64,
    pub score: i8,
    pub note: String,
    pub meta: Meta,
}

impl Feeling {
    pub const MIN: i8 = -2;
    pub const MAX: i8 = 2;

    /// A feeling not stored yet.
    pub fn new(persona_id: i64, stage_id: i64, score: i8, note: &str) -> Feeling {
        Feeling {
            persona_id,
            stage_id,
            score,
            note: note.to_owned(),
            ..Feeling::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: i64,
    pub title: String,
    pub detail: String,
    pub status: Status,
    pub owner: String,
    pub due: Option<Date>,
    pub persona_id: Option<i64>,
    pub stage_id: Option<i64>,
    /// "How will this help our customers meet their goals?"
    pub impact: String,
    /// "How might this adversely affect customers?"
    pub risk: String,
    pub blocked: bool,
    pub blocked_reason: String,
    pub created_at: Timestamp,
    /// When the item last changed status (its age in the column counts from here).
    pub status_since: Timestamp,
    /// Order within its column, ascending.
    pub position: i64,
    pub meta: Meta,
}

impl Default for Item {
    fn default() -> Self {
        Item {
            id: 0,
            title: String::new(),
            detail: String::new(),
            status: Status::Plan,
            owner: String::new(),
            due: None,
            persona_id: None,
            stage_id: None,
            impact: String::new(),
            risk: String::new(),
            blocked: false,
            blocked_reason: String::new(),
            created_at: Timestamp::UNIX_EPOCH,
            status_since: Timestamp::UNIX_EPOCH,
            position: 0,
            meta: Meta::default(),
        }
    }
}

impl Item {
    /// An item that serves no persona and no stage gets a warning mark.
    pub fn is_unlinked(&self) -> bool {
        self.persona_id.is_none() && self.stage_id.is_none()
    }

    pub fn is_overdue(&self, today: Date) -> bool {
        self.status != Status::Done && self.due.is_some_and(|d| d < today)
    }

    /// Whole days since the last status change.
    pub fn days_in_status(&self, now: Timestamp) -> i64 {
        (now.as_second() - self.status_since.as_second()).max(0) / 86_400
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comment {
    pub id: i64,
    pub item_id: i64,
    pub author: String,
    pub at: Timestamp,
    pub text: String,
    pub meta: Meta,
}

/// A PDCA column's shared settings (the WIP limit).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    /// `status.index() + 1`.
    pub id: i64,
    pub status: Status,
    pub wip_limit: Option<u32>,
    pub meta: Meta,
}

/// One line of the activity log: who changed what, before → after (JSON snapshots).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub id: i64,
    pub at: Timestamp,
    pub who: String,
    /// `create`, `update`, `delete`, `conflict`, `merge`, `import`, …
    pub action: String,
    /// Table name of the record: `item`, `persona`, …
    pub entity: String,
    pub entity_id: i64,
    /// Human sentence without the author: "moved 'Fix refunds' to Check".
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// A finished or running stand-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Standup {
    pub id: i64,
    pub started_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub facilitator: String,
    pub parked: Vec<String>,
}

/// Everything on the wall, as loaded from one board file.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Board {
    pub mission: Mission,
    /// Sorted by position.
    pub personas: Vec<Persona>,
    /// Sorted by position.
    pub stages: Vec<Stage>,
    pub feelings: Vec<Feeling>,
    /// Sorted by status, then position.
    pub items: Vec<Item>,
    /// Sorted by item, then time.
    pub comments: Vec<Comment>,
    /// One per status, in board order.
    pub columns: Vec<Column>,
    pub last_standup: Option<Standup>,
}

impl Board {
    pub fn persona(&self, id: i64) -> Option<&Persona> {
        self.personas.iter().find(|p| p.id == id)
    }

    pub fn stage(&self, id: i64) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    pub fn item(&self, id: i64) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn persona_named(&self, name: &str) -> Option<&Persona> {
        self.personas.iter().find(|p| same_name(&p.name, name))
    }

    pub fn stage_named(&self, name: &str) -> Option<&Stage> {
        self.stages.iter().find(|s| same_name(&s.name, name))
    }

    pub fn feeling(&self, persona_id: i64, stage_id: i64) -> Option<&Feeling> {
        self.feelings
            .iter()
            .find(|f| f.persona_id == persona_id && f.stage_id == stage_id)
    }

    pub fn comments_of(&self, item_id: i64) -> impl Iterator<Item = &Comment> {
        self.comments.iter().filter(move |c| c.item_id == item_id)
    }

    pub fn wip_limit(&self, status: Status) -> Option<u32> {
        self.columns
            .iter()
            .find(|c| c.status == status)
            .and_then(|c| c.wip_limit)
    }

    pub fn persona_name(&self, id: Option<i64>) -> Option<&str> {
        id.and_then(|id| self.persona(id)).map(|p| p.name.as_str())
    }

    pub fn stage_name(&self, id: Option<i64>) -> Option<&str> {
        id.and_then(|id| self.stage(id)).map(|s| s.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_parses_case_insensitively_and_names_bad_values() {
        assert_eq!("Check".parse::<Status>(), Ok(Status::Check));
        let err = "doing".parse::<Status>().unwrap_err();
        assert!(err.contains("'doing'"), "{err}");
        assert_eq!(Status::Plan.prev(), None);
        assert_eq!(Status::Act.next(), Some(Status::Done));
    }

    #[test]
    fn dates_must_be_real_and_iso() {
        assert!(parse_date("2026-02-28").is_ok());
        assert!(
            parse_date("2026-02-30")
                .unwrap_err()
                .contains("'2026-02-30'")
        );
        assert!(parse_date("26-2-1").is_err());
        assert!(parse_date("tomorrow").is_err());
    }

    #[test]
    fn names_compare_without_case_including_non_ascii() {
        assert!(same_name("Émile", "émile "));
        assert!(!same_name("Maria", "Mario"));
    }
}
