//! The activity log's rows read as typed facts (what the stand-up summary and the
//! activity view see): an update's changed fields from whole or partial snapshots, a
//! delete's and a conflict's record, and nothing for a note.

use jiff::Timestamp;
use obeya::model::{Activity, AnyRecord, Comment, FactChange, Field, Kind, Status};

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
        let f = obeya::store::fact(&r).unwrap();
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
    let f = obeya::store::fact(&row("create", "item", None, Some("{}"))).unwrap();
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
    let f = obeya::store::fact(&row("delete", "comment", Some(&snapshot), None)).unwrap();
    assert_eq!(
        f.change,
        FactChange::Deleted(Box::new(AnyRecord::Comment(comment.clone())))
    );
    let f = obeya::store::fact(&row("conflict", "comment", Some(&snapshot), None)).unwrap();
    assert!(matches!(f.change, FactChange::Discarded(_)));
    assert_eq!(
        obeya::store::fact(&row("create", "standup", None, Some("{}"))),
        None
    );
    assert_eq!(obeya::store::fact(&row("merge", "item", None, None)), None);
    // Kinds are all known to the reader.
    for k in [
        Kind::Mission,
        Kind::Persona,
        Kind::Stage,
        Kind::Feeling,
        Kind::Column,
        Kind::Parked,
    ] {
        assert!(
            obeya::store::fact(&row("create", k.table(), None, None)).is_some(),
            "{k}"
        );
    }
}
