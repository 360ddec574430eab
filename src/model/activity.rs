//! What happened on the board: the activity log and the stand-ups.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{AnyRecord, Kind, Status};

/// One line of the activity log: who changed what, before → after (JSON snapshots).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
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

impl Activity {
    /// Whether the row is a line of its own. A reorder saves every record it moves, but
    /// is one line: the other rows have no summary (kept for undo and merges).
    pub fn is_shown(&self) -> bool {
        !self.summary.is_empty()
    }
}

/// A finished stand-up (its summary is read separately: `Store::summary_of`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Standup {
    pub id: i64,
    /// Stable identity across boards.
    #[serde(default)]
    pub uid: String,
    pub started_at: Timestamp,
    pub ended_at: Option<Timestamp>,
    pub facilitator: String,
}

impl Standup {
    /// When it ended (its start, for a row someone left without an end).
    pub fn end(&self) -> Timestamp {
        self.ended_at.unwrap_or(self.started_at)
    }

    /// Minutes from start to end, rounded down.
    pub fn minutes(&self) -> i64 {
        (self.end().as_second() - self.started_at.as_second()).max(0) / 60
    }
}

/// What one activity row says happened to one record, as typed facts: all a reader of
/// the log (the stand-up summary, the activity view) needs. Read from a row by
/// `store::fact`; `store::activity` is the one place that knows how rows keep their
/// snapshots.
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    /// The activity row's id: the order things happened in.
    pub activity: i64,
    pub at: Timestamp,
    pub who: String,
    pub kind: Kind,
    pub id: i64,
    pub change: FactChange,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FactChange {
    /// The record was added; what it holds is in its table.
    Created,
    /// These fields changed, before → after.
    Updated(Vec<Field>),
    /// The record was deleted; this is what it held.
    Deleted(Box<AnyRecord>),
    /// Someone's version of the record lost a conflict (or an edit of a record a
    /// teammate deleted was dropped): the text that was not saved.
    Discarded(Box<AnyRecord>),
}

/// One changed field, before → after: typed for the item fields a stand-up reports,
/// by name for everything else.
#[derive(Debug, Clone, PartialEq)]
pub enum Field {
    Title(String, String),
    Status(Status, Status),
    Owner(String, String),
    Due(Option<Date>, Option<Date>),
    Blocked(bool, bool),
    BlockedReason(String, String),
    Other(String),
}
