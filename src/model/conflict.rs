//! Two people changed the same field of a record at the same time.

use serde_json::Value;

/// One field both people changed: base → theirs vs base → mine.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldConflict {
    pub field: String,
    pub base: Value,
    pub theirs: Value,
    pub mine: Value,
}

/// A save found the record changed by someone else, in the same fields.
/// Nothing was written. `theirs` is the stored record (with its meta); `mine_merged` is
/// theirs with every change of mine applied (mine wins the conflicting fields).
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub entity: &'static str,
    pub id: i64,
    pub label: String,
    pub theirs_by: String,
    pub fields: Vec<FieldConflict>,
    pub theirs: Value,
    pub mine_merged: Value,
}
