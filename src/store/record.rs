//! Row mapping: how each domain type is stored. Every table shares the shape
//! `id, <columns…>, uid, version, updated_at, updated_by`, so the generic SQL lives here
//! once; each record lists its own columns in a `columns!` table.

use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, Transaction};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::StoreError;
use super::cells::{Cell, Cells, Columns};
use crate::model::rules::{self, Required};
use crate::model::{
    AnyRecord, Column, Comment, Evidence, EvidenceLink, Feeling, Item, Kind, Labelled, Meta,
    Mission, ParkedTopic, Persona, Stage,
};

/// A stored domain type. Implementations list their columns (`columns!`); loading,
/// inserting and updating are generic.
pub trait Record:
    Columns
    + Serialize
    + DeserializeOwned
    + Clone
    + PartialEq
    + Labelled
    + Into<AnyRecord>
    + TryFrom<AnyRecord, Error = Kind>
{
    /// Its kind: the table, and the `entity` of activity rows.
    const KIND: Kind;
    /// Order of `load_all`.
    const ORDER_BY: &'static str = "id";

    fn id(&self) -> i64;
    fn set_id(&mut self, id: i64);
    fn meta(&self) -> &Meta;
    fn meta_mut(&mut self) -> &mut Meta;

    /// Rules a write must satisfy, checked inside its transaction. (A unique name is
    /// checked by the `Writer`, see `unique_name`.)
    fn check(&self, _conn: &Connection) -> Result<(), StoreError> {
        Ok(())
    }

    /// The name that must be unique among records of its kind (personas and stages,
    /// see `rules::unique_name`); the `Writer` checks it against the board's names.
    fn unique_name(&self) -> Option<&str> {
        None
    }

    /// A one-line description of a change for the activity log and live notes.
    fn describe(before: Option<&Self>, after: Option<&Self>) -> String {
        describe_generic(before, after)
    }

    /// The description, with what it names from other records (a feeling's persona
    /// and stage, a comment's item) read in the writing transaction.
    fn describe_in(_conn: &Connection, before: Option<&Self>, after: Option<&Self>) -> String {
        Self::describe(before, after)
    }
}

/// "added …", "deleted …" or "edited … (fields)".
pub fn describe_generic<R: Record>(before: Option<&R>, after: Option<&R>) -> String {
    match (before, after) {
        (None, Some(a)) => format!("added {}", a.label()),
        (Some(b), None) => format!("deleted {}", b.label()),
        (Some(b), Some(a)) => match changed_fields(b, a).as_slice() {
            [only] if only == "position" => format!("moved {} in the order", a.label()),
            fields => format!("edited {} ({})", a.label(), fields.join(", ")),
        },
        (None, None) => String::new(),
    }
}

/// Names of the fields that differ between two versions of a record (meta ignored).
pub fn changed_fields<R: Record>(a: &R, b: &R) -> Vec<String> {
    let (a, b) = (fields_of(a), fields_of(b));
    a.iter()
        .filter(|(k, v)| b.get(*k) != Some(v))
        .map(|(k, _)| k.clone())
        .collect()
}

/// The names of the fields that differ between two versions of any record.
pub fn changed_fields_any(a: &AnyRecord, b: &AnyRecord) -> Vec<String> {
    match (a, b) {
        (AnyRecord::Mission(a), AnyRecord::Mission(b)) => changed_fields(a, b),
        (AnyRecord::Persona(a), AnyRecord::Persona(b)) => changed_fields(a, b),
        (AnyRecord::Stage(a), AnyRecord::Stage(b)) => changed_fields(a, b),
        (AnyRecord::Feeling(a), AnyRecord::Feeling(b)) => changed_fields(a, b),
        (AnyRecord::Item(a), AnyRecord::Item(b)) => changed_fields(a, b),
        (AnyRecord::Comment(a), AnyRecord::Comment(b)) => changed_fields(a, b),
        (AnyRecord::Column(a), AnyRecord::Column(b)) => changed_fields(a, b),
        (AnyRecord::Parked(a), AnyRecord::Parked(b)) => changed_fields(a, b),
        (AnyRecord::Evidence(a), AnyRecord::Evidence(b)) => changed_fields(a, b),
        (AnyRecord::EvidenceLink(a), AnyRecord::EvidenceLink(b)) => changed_fields(a, b),
        _ => Vec::new(),
    }
}

/// Whether two versions of a record hold the same content (meta ignored).
pub fn same_content<R: Record>(a: &R, b: &R) -> bool {
    fields_of(a) == fields_of(b)
}

/// The record as a JSON object without its meta, for diffs and merges.
pub fn fields_of<R: Record>(r: &R) -> serde_json::Map<String, serde_json::Value> {
    match serde_json::to_value(r) {
        Ok(serde_json::Value::Object(mut m)) => {
            m.remove("meta");
            m
        }
        _ => serde_json::Map::new(),
    }
}

/// The meta columns every table ends with.
const META_COLUMNS: [&str; 4] = ["uid", "version", "updated_at", "updated_by"];

/// `id`, `COLUMNS`, then the meta columns: every column of the table, in row order.
fn all_columns<R: Record>() -> impl Iterator<Item = &'static str> {
    std::iter::once("id")
        .chain(R::COLUMNS.iter().copied())
        .chain(META_COLUMNS)
}

pub(super) fn select_sql<R: Record>() -> String {
    select_sql_from::<R>(R::KIND.table())
}

/// `select_sql`, reading the record's columns from `from` (a subquery named as the table).
pub(super) fn select_sql_from<R: Record>(from: &str) -> String {
    let columns: Vec<&str> = all_columns::<R>().collect();
    format!("SELECT {} FROM {from}", columns.join(", "))
}

/// A record from a row of `select_sql`.
pub(super) fn read<R: Record>(row: &Row) -> rusqlite::Result<R> {
    let mut cells = Cells::new(R::TABLE, row);
    let mut r = R::default();
    r.set_id(cells.take()?);
    r.read_cells(&mut cells)?;
    *r.meta_mut() = Meta {
        uid: cells.take()?,
        version: cells.take()?,
        updated_at: cells.take()?,
        updated_by: cells.take()?,
    };
    Ok(r)
}

pub fn load<R: Record>(tx: &Connection, id: i64) -> rusqlite::Result<Option<R>> {
    tx.prepare_cached(&format!("{} WHERE id = ?1", select_sql::<R>()))?
        .query_row([id], read::<R>)
        .optional()
}

pub fn load_all<R: Record>(conn: &Connection) -> rusqlite::Result<Vec<R>> {
    let mut stmt =
        conn.prepare_cached(&format!("{} ORDER BY {}", select_sql::<R>(), R::ORDER_BY))?;
    stmt.query_map([], read::<R>)?.collect()
}

/// Every value of the row, in the order of `all_columns`.
fn row_values<R: Record>(r: &R) -> Vec<Value> {
    let id = if r.id() == 0 {
        Value::Null
    } else {
        Value::Integer(r.id())
    };
    let m = r.meta();
    // No uid yet is NULL: the column is unique.
    let uid = if m.uid.is_empty() {
        Value::Null
    } else {
        m.uid.value()
    };
    let mut values = vec![id];
    values.extend(r.values());
    values.extend([
        uid,
        m.version.value(),
        m.updated_at.value(),
        m.updated_by.value(),
    ]);
    values
}

/// Insert with the record's own id (if non-zero) and meta; returns the id.
pub fn insert<R: Record>(tx: &Transaction, r: &R) -> rusqlite::Result<i64> {
    let columns: Vec<&str> = all_columns::<R>().collect();
    let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        R::KIND.table(),
        columns.join(", "),
        marks.join(", ")
    );
    tx.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(row_values(r)))?;
    Ok(tx.last_insert_rowid())
}

/// Overwrite every column of the row with the record's values and meta.
pub fn update<R: Record>(tx: &Transaction, r: &R) -> rusqlite::Result<()> {
    // `id = ?1` is both the row chosen and a column set to what it is.
    let sets: Vec<String> = all_columns::<R>()
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 1))
        .collect();
    let sql = format!(
        "UPDATE {} SET {} WHERE id = ?1",
        R::KIND.table(),
        sets[1..].join(", ")
    );
    tx.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(row_values(r)))?;
    Ok(())
}

pub fn delete<R: Record>(tx: &Transaction, id: i64) -> rusqlite::Result<()> {
    tx.prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", R::KIND.table()))?
        .execute([id])?;
    Ok(())
}

/// Whether the table holds a row with this id.
pub(super) fn exists(conn: &Connection, kind: Kind, id: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached(&format!("SELECT 1 FROM {} WHERE id = ?1", kind.table()))?
        .exists([id])
}

/// A new uid: a random UUID (version 4), as lowercase text.
pub fn new_uid() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// `id`, `set_id`, `meta` and `meta_mut` for a record with `id` and `meta` fields.
macro_rules! record_accessors {
    () => {
        fn id(&self) -> i64 {
            self.id
        }
        fn set_id(&mut self, id: i64) {
            self.id = id;
        }
        meta_accessors!();
    };
}

macro_rules! meta_accessors {
    () => {
        fn meta(&self) -> &Meta {
            &self.meta
        }
        fn meta_mut(&mut self) -> &mut Meta {
            &mut self.meta
        }
    };
}

columns!("mission", Mission {
    "statement" => statement,
    "customer" => customer,
});

impl Record for Mission {
    const KIND: Kind = Kind::Mission;
    fn id(&self) -> i64 {
        1
    }
    fn set_id(&mut self, _: i64) {}
    meta_accessors!();
}

columns!("persona", Persona {
    "name" => name,
    "role" => role,
    "goal" => goal,
    "needs" => needs,
    "pains" => pains,
    "quote" => quote,
    "position" => position,
    "side" => side,
});

impl Record for Persona {
    const KIND: Kind = Kind::Persona;
    const ORDER_BY: &'static str = "position, id";
    record_accessors!();
    fn unique_name(&self) -> Option<&str> {
        Some(&self.name)
    }
}

columns!("stage", Stage {
    "name" => name,
    "customer_goal" => customer_goal,
    "touchpoints" => touchpoints,
    "pains" => pains,
    "backstage" => backstage,
    "metric_name" => metric.name,
    "metric_target" => metric.target,
    "metric_actual" => metric.actual,
    "metric_unit" => metric.unit,
    "metric_better" => metric.better,
    "position" => position,
    "metric_warn" => metric.warn,
});

impl Record for Stage {
    const KIND: Kind = Kind::Stage;
    const ORDER_BY: &'static str = "position, id";
    record_accessors!();
    fn unique_name(&self) -> Option<&str> {
        Some(&self.name)
    }
}

columns!("feeling", Feeling {
    "persona_id" => persona_id,
    "stage_id" => stage_id,
    "score" => score,
    "note" => note,
});

impl Record for Feeling {
    const KIND: Kind = Kind::Feeling;
    record_accessors!();
    fn check(&self, _: &Connection) -> Result<(), StoreError> {
        if rules::SCORE_RANGE.contains(&self.score) {
            Ok(())
        } else {
            Err(StoreError::ScoreOutOfRange(self.score))
        }
    }
    fn describe_in(conn: &Connection, before: Option<&Self>, after: Option<&Self>) -> String {
        super::describe::feeling(conn, before, after)
    }
}

columns!("item", Item {
    "title" => title,
    "detail" => detail,
    "status" => status,
    "owner" => owner,
    "due" => due,
    "persona_id" => persona_id,
    "stage_id" => stage_id,
    "impact" => impact,
    "risk" => risk,
    "blocked" => blocked,
    "blocked_reason" => blocked_reason,
    "created_at" => created_at,
    "status_since" => status_since,
    "position" => position,
    "baseline" => baseline,
    "baseline_at" => baseline_at,
});

impl Record for Item {
    const KIND: Kind = Kind::Item;
    // Board order (status, position) is sorted in Rust: cheaper than a CASE sort.
    record_accessors!();
    fn check(&self, conn: &Connection) -> Result<(), StoreError> {
        rules::title(&self.title)?;
        serves_known(conn, self.persona_id, self.stage_id)
    }
    fn describe(before: Option<&Self>, after: Option<&Self>) -> String {
        let (Some(b), Some(a)) = (before, after) else {
            return match after {
                Some(a) => format!("added {} to {}", a.label(), a.status.label()),
                None => describe_generic(before, after),
            };
        };
        if b.status != a.status {
            format!("moved {} to {}", a.label(), a.status.label())
        } else if !b.blocked && a.blocked {
            format!("blocked {}: {}", a.label(), a.blocked_reason)
        } else if b.blocked && !a.blocked {
            format!("unblocked {}", a.label())
        } else {
            describe_generic(before, after)
        }
    }
}

columns!("comment", Comment {
    "item_id" => item_id,
    "author" => author,
    "at" => at,
    "text" => text,
});

impl Record for Comment {
    const KIND: Kind = Kind::Comment;
    const ORDER_BY: &'static str = "item_id, at, id";
    record_accessors!();
    fn describe_in(conn: &Connection, before: Option<&Self>, after: Option<&Self>) -> String {
        super::describe::comment(conn, before, after)
    }
}

columns!("board_column", Column {
    "status" => status,
    "wip_limit" => wip_limit,
});

impl Record for Column {
    const KIND: Kind = Kind::Column;
    record_accessors!();
    fn describe(_: Option<&Self>, after: Option<&Self>) -> String {
        match after {
            Some(c) => match c.wip_limit {
                Some(n) => format!("set the WIP limit of {} to {n}", c.status.label()),
                None => format!("removed the WIP limit of {}", c.status.label()),
            },
            None => String::new(),
        }
    }
}

columns!("parked_topic", ParkedTopic {
    "standup_id" => standup_id,
    "text" => text,
    "parked_by" => parked_by,
    "parked_at" => parked_at,
    "resolved_at" => resolved_at,
    "resolved_by" => resolved_by,
    "item_id" => item_id,
});

impl Record for ParkedTopic {
    const KIND: Kind = Kind::Parked;
    record_accessors!();
    fn check(&self, _: &Connection) -> Result<(), StoreError> {
        rules::required(&self.text, Required::TopicText)?;
        Ok(())
    }
    fn describe(before: Option<&Self>, after: Option<&Self>) -> String {
        match (before, after) {
            (None, Some(a)) => format!("parked '{}'", first_line(&a.text)),
            (Some(b), Some(a)) if b.is_open() && !a.is_open() => match a.item_id {
                Some(id) => format!("turned parked topic '{}' into #{id}", first_line(&a.text)),
                None => format!("resolved parked topic '{}'", first_line(&a.text)),
            },
            (Some(b), Some(a)) if !b.is_open() && a.is_open() => {
                format!("reopened parked topic '{}'", first_line(&a.text))
            }
            _ => describe_generic(before, after),
        }
    }
}

/// The persona and stage a record serves, when it names them, are on the board.
fn serves_known(
    conn: &Connection,
    persona_id: Option<i64>,
    stage_id: Option<i64>,
) -> Result<(), StoreError> {
    for (kind, id) in [(Kind::Persona, persona_id), (Kind::Stage, stage_id)] {
        if let Some(id) = id
            && !exists(conn, kind, id)?
        {
            return Err(StoreError::UnknownLink { kind, id });
        }
    }
    Ok(())
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

columns!("evidence", Evidence {
    "kind" => kind,
    "text" => text,
    "source" => source,
    "observed" => observed,
    "persona_id" => persona_id,
    "stage_id" => stage_id,
    "sentiment" => sentiment,
});

impl Record for Evidence {
    const KIND: Kind = Kind::Evidence;
    const ORDER_BY: &'static str = "observed, id";
    record_accessors!();
    fn check(&self, conn: &Connection) -> Result<(), StoreError> {
        rules::required(&self.text, Required::EvidenceText)?;
        if let Some(s) = self.sentiment
            && !rules::SCORE_RANGE.contains(&s)
        {
            return Err(rules::RuleError::InvalidSentiment(s.to_string()).into());
        }
        serves_known(conn, self.persona_id, self.stage_id)
    }
}

columns!("evidence_link", EvidenceLink {
    "evidence_id" => evidence_id,
    "item_id" => item_id,
});

impl Record for EvidenceLink {
    const KIND: Kind = Kind::EvidenceLink;
    record_accessors!();
    fn check(&self, conn: &Connection) -> Result<(), StoreError> {
        for (kind, id) in [
            (Kind::Evidence, self.evidence_id),
            (Kind::Item, self.item_id),
        ] {
            if !exists(conn, kind, id)? {
                return Err(StoreError::Missing { kind, id });
            }
        }
        Ok(())
    }
    fn describe(before: Option<&Self>, after: Option<&Self>) -> String {
        match (before, after) {
            (None, Some(a)) => format!("linked evidence #{} to #{}", a.evidence_id, a.item_id),
            (Some(b), None) => format!("unlinked evidence #{} from #{}", b.evidence_id, b.item_id),
            _ => describe_generic(before, after),
        }
    }
}
