//! Two people changed the same field of a record at the same time.

use super::AnyRecord;

/// One field both people changed, as a person reads it: base → theirs vs base → mine.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldConflict {
    pub field: String,
    pub base: String,
    pub theirs: String,
    pub mine: String,
}

/// A save found the record changed by someone else, in the same fields. Nothing was
/// written. Both ways out are ready: `mine` is theirs with every change of mine applied
/// (mine wins the conflicting fields); `theirs_kept` is theirs with only my changes to
/// other fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Conflict {
    pub label: String,
    pub theirs_by: String,
    pub fields: Vec<FieldConflict>,
    /// The stored record, with its meta: the base of either resolution.
    pub theirs: AnyRecord,
    pub mine: AnyRecord,
    pub theirs_kept: AnyRecord,
}
