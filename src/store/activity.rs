//! The activity log's snapshots: the one place that knows how a row keeps them.
//!
//! Since schema 6 a row keeps what changed, not whole records ([`snapshots`]): a create
//! keeps nothing (the record is in its table), an update the fields it changed, before
//! and after, and a delete the whole record it removed. A conflict's row keeps the
//! whole version that lost. Older rows kept whole records; schema 6 trims them
//! ([`trim_row`]). From the record as it is now and its rows, newest first, any earlier
//! state obeya wrote comes back ([`rewind`]). (An edit made in the `sqlite3` shell
//! leaves no row: what it overwrote is in no log, trimmed or not.)
//!
//! Readers never look at snapshots: [`fact`] turns a row into a typed [`Fact`] that
//! says only what the stand-up summary and the activity view need: the record's kind
//! and id, who, when, the action, the fields an update changed (before → after), the
//! whole record a delete removed, and the text that lost a conflict.

use rusqlite::Connection;
use serde_json::{Map, Value};

use super::StoreError;
use super::cells::Columns;
use super::record::{Record, fields_of};
use crate::model::{
    Activity, AnyRecord, Column, Comment, Fact, FactChange, Feeling, Field, Item, Kind, Mission,
    ParkedTopic, Persona, Stage, Status,
};

columns!("activity", Activity {
    "id" => id,
    "at" => at,
    "who" => who,
    "action" => action,
    "entity" => entity,
    "entity_id" => entity_id,
    "summary" => summary,
    "before" => before,
    "after" => after,
});

/// Activity rows matching `clause`.
pub(crate) fn activity_rows(
    conn: &Connection,
    clause: &str,
    args: impl rusqlite::Params,
) -> Result<Vec<Activity>, StoreError> {
    let sql = format!(
        "SELECT {} FROM activity WHERE {clause}",
        Activity::column_list()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(args, Activity::from_row)?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// What a row keeps of a change: nothing for a create, the changed fields (before,
/// after) for an update, the whole record for a delete.
pub fn snapshots<R: Record>(
    before: Option<&R>,
    after: Option<&R>,
) -> Result<(Option<Value>, Option<Value>), serde_json::Error> {
    Ok(match (before, after) {
        (Some(b), Some(a)) => {
            let (b, a) = changed_only(&fields_of(b), &fields_of(a));
            (Some(Value::Object(b)), Some(Value::Object(a)))
        }
        (Some(b), None) => (Some(serde_json::to_value(b)?), None),
        _ => (None, None),
    })
}

/// The fields whose values differ, on each side; bookkeeping (`meta`, `id`) left out.
fn changed_only(
    before: &Map<String, Value>,
    after: &Map<String, Value>,
) -> (Map<String, Value>, Map<String, Value>) {
    let (mut b, mut a) = (Map::new(), Map::new());
    let null = Value::Null;
    for k in before.keys().chain(after.keys()) {
        if matches!(k.as_str(), "meta" | "id") || b.contains_key(k) {
            continue;
        }
        let (bv, av) = (
            before.get(k).unwrap_or(&null),
            after.get(k).unwrap_or(&null),
        );
        if bv != av {
            b.insert(k.clone(), bv.clone());
            a.insert(k.clone(), av.clone());
        }
    }
    (b, a)
}

/// A row written before schema 6, trimmed to what [`snapshots`] keeps today; `None`
/// if it needs no change (rows about no record, conflicts and merge notes keep theirs).
pub fn trim_row(
    action: &str,
    entity: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> Option<(Option<String>, Option<String>)> {
    entity.parse::<Kind>().ok()?;
    match action {
        "create" if before.is_some() || after.is_some() => Some((None, None)),
        "update" => {
            // A snapshot that is not a JSON object is left as it is.
            let whole = |s: Option<&str>| match s.map(serde_json::from_str::<Value>) {
                Some(Ok(Value::Object(m))) => Some(m),
                _ => None,
            };
            let (b, a) = changed_only(&whole(before)?, &whole(after)?);
            let text = |m: Map<String, Value>| Some(Value::Object(m).to_string());
            let trimmed = (text(b), text(a));
            (trimmed.0.as_deref() != before || trimmed.1.as_deref() != after).then_some(trimmed)
        }
        _ => None,
    }
}

/// Schema 6's migration: trim every row written before to what [`snapshots`] keeps,
/// a thousand rows at a time so memory stays bounded on a long log.
pub fn trim_log(tx: &rusqlite::Transaction) -> Result<(), StoreError> {
    let mut last = 0;
    loop {
        let rows = activity_rows(
            tx,
            "id > ?1 AND action IN ('create', 'update') ORDER BY id LIMIT 1000",
            [last],
        )?;
        let Some(end) = rows.last() else {
            return Ok(());
        };
        last = end.id;
        let mut set =
            tx.prepare_cached("UPDATE activity SET before = ?2, after = ?3 WHERE id = ?1")?;
        for r in &rows {
            let (before, after) = (r.before.as_deref(), r.after.as_deref());
            if let Some((b, a)) = trim_row(&r.action, &r.entity, before, after) {
                set.execute(rusqlite::params![r.id, b, a])?;
            }
        }
    }
}

/// A record's state before the rows given (newest first), from its state after them
/// (`None`: absent): a create means it did not exist, a delete gives it back whole, an
/// update puts back the fields it changed. Other rows (conflicts, notes) changed nothing.
pub fn rewind<'a>(
    mut state: Option<Map<String, Value>>,
    newest_first: impl IntoIterator<Item = &'a Activity>,
) -> Option<Map<String, Value>> {
    for a in newest_first {
        match a.action.as_str() {
            "create" => state = None,
            "delete" => state = Some(object(a.before.as_deref())),
            "update" => {
                let s = state.get_or_insert_with(Map::new);
                s.extend(object(a.before.as_deref()));
            }
            _ => {}
        }
    }
    state
}

/// What the row says happened to which record; `None` for rows about no record of a
/// known kind (a stand-up held, a merge note, a metric history dropped with its stage)
/// or whose snapshot cannot be read.
pub fn fact(a: &Activity) -> Option<Fact> {
    let kind: Kind = a.entity.parse().ok()?;
    let change = match a.action.as_str() {
        "create" => FactChange::Created,
        "update" => {
            let (before, after) = (object(a.before.as_deref()), object(a.after.as_deref()));
            FactChange::Updated(changed(kind, &before, &after))
        }
        "delete" => FactChange::Deleted(Box::new(record(kind, a.before.as_deref()?)?)),
        "conflict" => FactChange::Discarded(Box::new(record(kind, a.before.as_deref()?)?)),
        _ => return None,
    };
    Some(Fact {
        activity: a.id,
        at: a.at,
        who: a.who.clone(),
        kind,
        id: a.entity_id,
        change,
    })
}

/// A snapshot as a JSON object (empty if absent or unreadable).
fn object(s: Option<&str>) -> Map<String, Value> {
    match s.and_then(|s| serde_json::from_str(s).ok()) {
        Some(Value::Object(m)) => m,
        _ => Map::new(),
    }
}

/// The fields an update changed, by name; works on whole snapshots and on the
/// changed fields alone.
fn changed(kind: Kind, before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<Field> {
    let (b, a) = changed_only(before, after);
    // serde_json's maps keep their keys sorted.
    b.iter().map(|(k, bv)| field(kind, k, bv, &a[k])).collect()
}

fn field(kind: Kind, name: &str, b: &Value, a: &Value) -> Field {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_owned();
    let status = |v: &Value| v.as_str().and_then(|s| s.parse::<Status>().ok());
    let day = |v: &Value| v.as_str().and_then(|s| s.parse().ok());
    let flag = |v: &Value| v.as_bool().unwrap_or(false);
    if kind != Kind::Item {
        return Field::Other(name.to_owned());
    }
    match name {
        "title" => Field::Title(text(b), text(a)),
        "status" => match (status(b), status(a)) {
            (Some(b), Some(a)) => Field::Status(b, a),
            _ => Field::Other(name.to_owned()),
        },
        "owner" => Field::Owner(text(b), text(a)),
        "due" => Field::Due(day(b), day(a)),
        "blocked" => Field::Blocked(flag(b), flag(a)),
        "blocked_reason" => Field::BlockedReason(text(b), text(a)),
        other => Field::Other(other.to_owned()),
    }
}

/// A whole record from its snapshot.
fn record(kind: Kind, snapshot: &str) -> Option<AnyRecord> {
    fn typed<R: Record>(s: &str) -> Option<AnyRecord> {
        serde_json::from_str::<R>(s).ok().map(Into::into)
    }
    for_kind!(kind, R => typed::<R>(snapshot))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::Timestamp;

    fn row(action: &str, entity: &str, before: Option<&str>, after: Option<&str>) -> Activity {
        Activity {
            id: 7,
            at: Timestamp::UNIX_EPOCH,
            who: "bob".into(),
            action: action.into(),
            entity: entity.into(),
            entity_id: 3,
            summary: String::new(),
            before: before.map(str::to_owned),
            after: after.map(str::to_owned),
        }
    }

    #[test]
    fn rewinding_lean_rows_gives_back_each_earlier_state() {
        let obj = |s: &str| match serde_json::from_str(s).unwrap() {
            Value::Object(m) => m,
            _ => unreachable!(),
        };
        let now = obj(r#"{"title":"B","owner":"dana","blocked":true}"#);
        let created = row("create", "item", None, None);
        let retitled = row(
            "update",
            "item",
            Some(r#"{"title":"A"}"#),
            Some(r#"{"title":"B"}"#),
        );
        let reowned = row(
            "update",
            "item",
            Some(r#"{"owner":"chen","blocked":false}"#),
            Some(r#"{"owner":"dana","blocked":true}"#),
        );
        let lost = row("conflict", "item", Some(r#"{"title":"Mine"}"#), None);
        let deleted = row(
            "delete",
            "item",
            Some(&Value::Object(now.clone()).to_string()),
            None,
        );
        assert_eq!(
            rewind(Some(now.clone()), [&lost, &reowned]),
            Some(obj(r#"{"title":"B","owner":"chen","blocked":false}"#))
        );
        assert_eq!(
            rewind(Some(now.clone()), [&reowned, &retitled]),
            Some(obj(r#"{"title":"A","owner":"chen","blocked":false}"#))
        );
        assert_eq!(rewind(None, [&deleted]), Some(now.clone()));
        assert_eq!(rewind(Some(now), [&reowned, &retitled, &created]), None);
    }
}
