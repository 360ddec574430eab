//! What obeya adds to SQL on every connection it opens: the collation that compares
//! persona and stage names as obeya does, and the functions the wall's filter calls.

use std::sync::{Arc, PoisonError};

use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;

use super::wall::MatchSlot;
use crate::model::rules;

/// `COLLATE obeya_name` ([`rules::NAME_COLLATION`]): names compared as
/// [`rules::same_name`] does (schema 8 keeps persona and stage names unique under it).
/// Every connection the store opens has it; a tool without it (the sqlite3 shell) can
/// read the board but not write personas or stages, nor check the file's integrity.
pub fn add_name_collation(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_collation(rules::NAME_COLLATION, rules::compare_names)
}

/// `obeya_contains(needle, text, …)`: whether any text contains `needle` (given in
/// lower case), ignoring case; `obeya_matched(id)`: whether item `id` is among the
/// matches in `slot`. Only obeya's own queries may call them: a board's schema cannot
/// (`DIRECTONLY`).
pub(super) fn add_functions(conn: &Connection, slot: &MatchSlot) -> rusqlite::Result<()> {
    let slot = Arc::clone(slot);
    conn.create_scalar_function(
        "obeya_matched",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY,
        move |ctx| {
            let id: i64 = ctx.get(0)?;
            let matches = slot.lock().unwrap_or_else(PoisonError::into_inner);
            Ok(matches.as_ref().is_some_and(|m| m.contains(id)))
        },
    )?;
    conn.create_scalar_function(
        "obeya_contains",
        -1,
        FunctionFlags::SQLITE_UTF8
            | FunctionFlags::SQLITE_DETERMINISTIC
            | FunctionFlags::SQLITE_DIRECTONLY,
        |ctx| {
            let needle = ctx.get_raw(0).as_str().unwrap_or("");
            Ok((1..ctx.len()).any(|i| match ctx.get_raw(i) {
                ValueRef::Text(t) => contains_ignoring_case(t, needle),
                _ => false,
            }))
        },
    )
}

/// Whether `hay` (UTF-8) lower-cased contains `needle` (already lower case). Text that
/// is all ASCII is compared in place, without making a lower-case copy.
fn contains_ignoring_case(hay: &[u8], needle: &str) -> bool {
    let n = needle.as_bytes();
    if n.is_empty() {
        return true;
    }
    if hay.is_ascii() {
        return n.is_ascii() && hay.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n));
    }
    std::str::from_utf8(hay).is_ok_and(|h| h.to_lowercase().contains(needle))
}
