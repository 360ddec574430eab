//! Reading the activity log: the one place that knows how a row keeps its snapshots.
//!
//! Today a row holds JSON snapshots of the whole record, before and after. Readers never
//! look at them: [`fact`] turns a row into a typed [`Fact`] that says only what the
//! stand-up summary and the activity view need: the record's kind and id, who, when,
//! the action, the fields an update changed (before → after), the whole record a
//! delete removed, and the text that lost a conflict. A create says nothing more: the
//! record is in its table. (So a log that keeps only the changed fields of an update,
//! and nothing for a create, is read by changing this file alone.)

use serde_json::{Map, Value};

use super::record::Record;
use crate::model::{
    Activity, AnyRecord, Column, Comment, Fact, FactChange, Feeling, Field, Item, Kind, Mission,
    ParkedTopic, Persona, Stage, Status,
};

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

/// The fields whose values differ between two snapshots, bookkeeping left out. Works
/// as well on snapshots that hold only the changed fields.
fn changed(kind: Kind, before: &Map<String, Value>, after: &Map<String, Value>) -> Vec<Field> {
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    let null = Value::Null;
    names
        .into_iter()
        .filter(|k| !matches!(k.as_str(), "meta" | "id"))
        .filter_map(|k| {
            let (b, a) = (
                before.get(k).unwrap_or(&null),
                after.get(k).unwrap_or(&null),
            );
            (b != a).then(|| field(kind, k, b, a))
        })
        .collect()
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
    fn an_update_yields_its_changed_fields_typed_from_whole_or_partial_snapshots() {
        let whole = row(
            "update",
            "item",
            Some(
                r#"{"id":3,"title":"A","status":"do","owner":"chen","blocked":true,"due":null,"meta":{"version":1}}"#,
            ),
            Some(
                r#"{"id":3,"title":"A","status":"check","owner":"dana","blocked":false,"due":"2026-12-01","meta":{"version":2}}"#,
            ),
        );
        let partial = row(
            "update",
            "item",
            Some(r#"{"status":"do","owner":"chen","blocked":true,"due":null}"#),
            Some(r#"{"status":"check","owner":"dana","blocked":false,"due":"2026-12-01"}"#),
        );
        for r in [whole, partial] {
            let f = fact(&r).unwrap();
            assert_eq!((f.kind, f.id, f.who.as_str()), (Kind::Item, 3, "bob"));
            let FactChange::Updated(fields) = f.change else {
                panic!("{f:?}")
            };
            assert_eq!(
                fields,
                [
                    Field::Blocked(true, false),
                    Field::Due(None, Some("2026-12-01".parse().unwrap())),
                    Field::Owner("chen".into(), "dana".into()),
                    Field::Status(Status::Do, Status::Check),
                ]
            );
        }
    }

    #[test]
    fn creates_say_nothing_deletes_and_conflicts_carry_the_record_and_notes_are_none() {
        let f = fact(&row("create", "item", None, Some("{}"))).unwrap();
        assert_eq!(f.change, FactChange::Created);
        let comment = Comment {
            id: 3,
            item_id: 1,
            author: "bob".into(),
            at: Timestamp::UNIX_EPOCH,
            text: "gone".into(),
            meta: Default::default(),
        };
        let snapshot = serde_json::to_string(&comment).unwrap();
        let f = fact(&row("delete", "comment", Some(&snapshot), None)).unwrap();
        assert_eq!(
            f.change,
            FactChange::Deleted(Box::new(AnyRecord::Comment(comment.clone())))
        );
        let f = fact(&row("conflict", "comment", Some(&snapshot), None)).unwrap();
        assert!(matches!(f.change, FactChange::Discarded(_)));
        assert_eq!(fact(&row("create", "standup", None, Some("{}"))), None);
        assert_eq!(fact(&row("merge", "item", None, None)), None);
        // Kinds are all known to the reader.
        for k in [
            Kind::Mission,
            Kind::Persona,
            Kind::Stage,
            Kind::Feeling,
            Kind::Column,
            Kind::Parked,
        ] {
            assert!(fact(&row("create", k.table(), None, None)).is_some(), "{k}");
        }
    }
}
