//! What happened on the board: the activity log and the stand-ups.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

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
