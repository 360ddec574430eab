//! Activity lines that name their record by what it belongs to: a feeling by its
//! persona and stage ("set Ben at Choose to −1 (was 0)"), a comment by its item
//! ("commented on #3 'Refund in one tap'"). The names are read in the transaction that
//! writes the row, so they are the names of that moment.

use rusqlite::Connection;

use super::record::{self, describe_generic};
use crate::model::{Comment, Feeling, Item, Labelled, Persona, Stage, signed_score};

/// "set Ben at Choose to −1 (was 0)", "cleared Ben at Choose (was −1)".
pub(super) fn feeling(
    conn: &Connection,
    before: Option<&Feeling>,
    after: Option<&Feeling>,
) -> String {
    let Some(f) = after.or(before) else {
        return String::new();
    };
    let persona = record::load::<Persona>(conn, f.persona_id)
        .ok()
        .flatten()
        .map_or_else(|| format!("persona #{}", f.persona_id), |p| p.name);
    let stage = record::load::<Stage>(conn, f.stage_id)
        .ok()
        .flatten()
        .map_or_else(|| format!("stage #{}", f.stage_id), |s| s.name);
    let at = format!("{persona} at {stage}");
    match (before, after) {
        (None, Some(a)) => format!("set {at} to {}", signed_score(a.score)),
        (Some(b), None) => format!("cleared {at} (was {})", signed_score(b.score)),
        (Some(b), Some(a)) if b.score != a.score => format!(
            "set {at} to {} (was {}){}",
            signed_score(a.score),
            signed_score(b.score),
            if b.note != a.note {
                ", with a new note"
            } else {
                ""
            }
        ),
        (Some(b), Some(a)) if b.note != a.note => format!("edited the note of {at}"),
        _ => describe_generic(before, after),
    }
}

/// "commented on #3 'Refund in one tap'", "deleted a comment on #3 …".
pub(super) fn comment(
    conn: &Connection,
    before: Option<&Comment>,
    after: Option<&Comment>,
) -> String {
    let Some(c) = after.or(before) else {
        return String::new();
    };
    let item = record::load::<Item>(conn, c.item_id)
        .ok()
        .flatten()
        .map_or_else(|| format!("#{}", c.item_id), |i| i.label());
    match (before, after) {
        (None, Some(_)) => format!("commented on {item}"),
        (Some(_), None) => format!("deleted a comment on {item}"),
        _ => format!("edited a comment on {item}"),
    }
}
