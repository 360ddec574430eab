//! What a stand-up achieved, read back from the activity log.

use jiff::Timestamp;
use serde::Serialize;

use super::Status;

/// An item whose status changed during the stand-up (net: first before → last after).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Moved {
    pub id: i64,
    pub title: String,
    pub from: Status,
    pub to: Status,
    pub by: String,
}

/// An item that became blocked during the stand-up (and still was at its end).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Blocker {
    pub id: i64,
    pub title: String,
    pub reason: String,
    pub by: String,
}

/// An item created during the stand-up (and not deleted again before its end).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewItem {
    pub id: i64,
    pub title: String,
    pub status: Status,
    pub owner: String,
    pub by: String,
}

/// A comment written during the stand-up.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewComment {
    pub item_id: i64,
    pub item: String,
    pub author: String,
    pub text: String,
}

/// What a stand-up achieved: the numbers a team lead pastes into chat.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandupSummary {
    pub started_at: Timestamp,
    pub ended_at: Timestamp,
    pub facilitator: String,
    pub moved: Vec<Moved>,
    pub new_blockers: Vec<Blocker>,
    pub new_items: Vec<NewItem>,
    pub comments: Vec<NewComment>,
    pub parked: Vec<String>,
}

impl StandupSummary {
    /// Minutes from start to end, rounded down.
    pub fn minutes(&self) -> i64 {
        (self.ended_at.as_second() - self.started_at.as_second()).max(0) / 60
    }
}
