//! Row mapping: how each domain type is stored. Every table shares the shape
//! `id, <columns…>, uid, version, updated_at, updated_by`, so the generic SQL lives here
//! once.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, Transaction};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::model::{
    AnyRecord, Column, Comment, Feeling, Item, Kind, Labelled, Meta, Metric, Mission, ParkedTopic,
    Persona, Stage, Status,
};

/// A stored domain type. Implementations only list their columns and map values;
/// loading, inserting and updating are generic.
pub trait Record:
    Serialize
    + DeserializeOwned
    + Clone
    + PartialEq
    + Labelled
    + Into<AnyRecord>
    + TryFrom<AnyRecord, Error = Kind>
{
    /// Its kind: the table, and the `entity` of activity rows.
    const KIND: Kind;
    /// Columns besides `id` and the meta columns, in `values()` order.
    const COLUMNS: &'static [&'static str];
    /// Order of `load_all`.
    const ORDER_BY: &'static str = "id";

    fn id(&self) -> i64;
    fn set_id(&mut self, id: i64);
    fn meta(&self) -> &Meta;
    fn meta_mut(&mut self) -> &mut Meta;
    /// Build from a row whose column 0 is `id` and columns 1.. are `COLUMNS`.
    fn from_row(row: &Row) -> rusqlite::Result<Self>;
    fn values(&self) -> Vec<Value>;

    /// Rules a write must satisfy, checked inside its transaction; the message names
    /// the bad value. (A unique name is checked by the `Writer`, see `unique_name`.)
    fn check(&self, _conn: &rusqlite::Connection) -> Result<(), String> {
        Ok(())
    }

    /// The name that must be unique among records of its kind, ignoring case (personas
    /// and stages); the `Writer` checks it against the names it has seen once.
    fn unique_name(&self) -> Option<&str> {
        None
    }

    /// A one-line description of a change for the activity log and live notes.
    fn describe(before: Option<&Self>, after: Option<&Self>) -> String {
        describe_generic(before, after)
    }
}

/// "added …", "deleted …" or "edited … (fields)".
pub fn describe_generic<R: Record>(before: Option<&R>, after: Option<&R>) -> String {
    match (before, after) {
        (None, Some(a)) => format!("added {}", a.label()),
        (Some(b), None) => format!("deleted {}", b.label()),
        (Some(b), Some(a)) => format!("edited {} ({})", a.label(), changed_fields(b, a).join(", ")),
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

pub(super) fn select_sql<R: Record>() -> String {
    format!(
        "SELECT id, {}, uid, version, updated_at, updated_by FROM {}",
        R::COLUMNS.join(", "),
        R::KIND.table()
    )
}

fn meta_from_row(row: &Row, first: usize) -> rusqlite::Result<Meta> {
    Ok(Meta {
        uid: row.get::<_, Option<String>>(first)?.unwrap_or_default(),
        version: row.get(first + 1)?,
        updated_at: ts_from_sql(&row.get::<_, String>(first + 2)?),
        updated_by: row.get(first + 3)?,
    })
}

pub(super) fn read<R: Record>(row: &Row) -> rusqlite::Result<R> {
    let mut r = R::from_row(row)?;
    *r.meta_mut() = meta_from_row(row, R::COLUMNS.len() + 1)?;
    Ok(r)
}

pub fn load<R: Record>(tx: &rusqlite::Connection, id: i64) -> rusqlite::Result<Option<R>> {
    tx.prepare_cached(&format!("{} WHERE id = ?1", select_sql::<R>()))?
        .query_row([id], read::<R>)
        .optional()
}

pub fn load_all<R: Record>(conn: &rusqlite::Connection) -> rusqlite::Result<Vec<R>> {
    let mut stmt =
        conn.prepare_cached(&format!("{} ORDER BY {}", select_sql::<R>(), R::ORDER_BY))?;
    stmt.query_map([], read::<R>)?.collect()
}

/// Insert with the record's own id (if non-zero) and meta; returns the id.
pub fn insert<R: Record>(tx: &Transaction, r: &R) -> rusqlite::Result<i64> {
    let cols = R::COLUMNS.join(", ");
    let marks = (0..R::COLUMNS.len() + 5)
        .map(|i| format!("?{}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "INSERT INTO {} (id, {cols}, uid, version, updated_at, updated_by) VALUES ({marks})",
        R::KIND.table()
    );
    let id = if r.id() == 0 {
        Value::Null
    } else {
        Value::Integer(r.id())
    };
    let mut params = vec![id];
    params.extend(r.values());
    params.extend(meta_values(r.meta()));
    tx.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(params))?;
    Ok(tx.last_insert_rowid())
}

/// Overwrite every column of the row with the record's values and meta.
pub fn update<R: Record>(tx: &Transaction, r: &R) -> rusqlite::Result<()> {
    let n = R::COLUMNS.len();
    let sets = R::COLUMNS
        .iter()
        .chain(["uid", "version", "updated_at", "updated_by"].iter())
        .enumerate()
        .map(|(i, c)| format!("{c} = ?{}", i + 1))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE {} SET {sets} WHERE id = ?{}",
        R::KIND.table(),
        n + 5
    );
    let mut params = r.values();
    params.extend(meta_values(r.meta()));
    params.push(Value::Integer(r.id()));
    tx.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(params))?;
    Ok(())
}

pub fn delete<R: Record>(tx: &Transaction, id: i64) -> rusqlite::Result<()> {
    tx.prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", R::KIND.table()))?
        .execute([id])?;
    Ok(())
}

fn meta_values(m: &Meta) -> [Value; 4] {
    [
        opt_text(&m.uid),
        Value::Integer(m.version),
        Value::Text(ts_to_sql(m.updated_at)),
        Value::Text(m.updated_by.clone()),
    ]
}

/// Timestamps are stored as RFC 3339 text, readable in the sqlite3 shell.
pub fn ts_to_sql(t: Timestamp) -> String {
    t.to_string()
}

/// Lenient: also accepts `YYYY-MM-DD HH:MM:SS` (sqlite's `datetime('now')`), read as UTC.
pub fn ts_from_sql(s: &str) -> Timestamp {
    s.parse::<Timestamp>()
        .ok()
        .or_else(|| {
            s.parse::<jiff::civil::DateTime>()
                .ok()
                .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
                .map(|z| z.timestamp())
        })
        .or_else(|| {
            s.parse::<Date>()
                .ok()
                .and_then(|d| d.to_zoned(jiff::tz::TimeZone::UTC).ok())
                .map(|z| z.timestamp())
        })
        .unwrap_or(Timestamp::UNIX_EPOCH)
}

/// Persona and stage names: present. (Unique ignoring case: see `Writer`.)
fn check_name(kind: &str, name: &str) -> Result<(), String> {
    if name.trim().is_empty() {
        return Err(format!("a {kind} needs a name"));
    }
    Ok(())
}

fn exists(conn: &rusqlite::Connection, table: &str, id: i64) -> bool {
    conn.prepare_cached(&format!("SELECT 1 FROM {table} WHERE id = ?1"))
        .and_then(|mut s| s.exists([id]))
        .unwrap_or(false)
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}

/// Text, or NULL when empty (a uid not given yet).
fn opt_text(s: &str) -> Value {
    if s.is_empty() { Value::Null } else { text(s) }
}

fn opt_ts(t: Option<Timestamp>) -> Value {
    t.map_or(Value::Null, |t| Value::Text(ts_to_sql(t)))
}

/// A new uid: a random UUID (version 4), as lowercase text.
pub fn new_uid() -> String {
    uuid::Uuid::new_v4().to_string()
}

fn opt_int(v: Option<i64>) -> Value {
    v.map_or(Value::Null, Value::Integer)
}

fn opt_real(v: Option<f64>) -> Value {
    v.map_or(Value::Null, Value::Real)
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

impl Record for Mission {
    const KIND: Kind = Kind::Mission;
    const COLUMNS: &'static [&'static str] = &["statement", "customer"];
    fn id(&self) -> i64 {
        1
    }
    fn set_id(&mut self, _: i64) {}
    meta_accessors!();
    fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Mission {
            statement: row.get(1)?,
            customer: row.get(2)?,
            meta: Meta::default(),
        })
    }
    fn values(&self) -> Vec<Value> {
        vec![text(&self.statement), text(&self.customer)]
    }
}

impl Record for Persona {
    const KIND: Kind = Kind::Persona;
    const COLUMNS: &'static [&'static str] = &[
        "name", "role", "goal", "needs", "pains", "quote", "position",
    ];
    const ORDER_BY: &'static str = "position, id";
    record_accessors!();
    fn check(&self, _: &rusqlite::Connection) -> Result<(), String> {
        check_name("persona", &self.name)
    }
    fn unique_name(&self) -> Option<&str> {
        Some(&self.name)
    }
    fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Persona {
            id: row.get(0)?,
            name: row.get(1)?,
            role: row.get(2)?,
            goal: row.get(3)?,
            needs: row.get(4)?,
            pains: row.get(5)?,
            quote: row.get(6)?,
            position: row.get(7)?,
            meta: Meta::default(),
        })
    }
    fn values(&self) -> Vec<Value> {
        vec![
            text(&self.name),
            text(&self.role),
            text(&self.goal),
            text(&self.needs),
            text(&self.pains),
            text(&self.quote),
            Value::Integer(self.position),
        ]
    }
}

impl Record for Stage {
    const KIND: Kind = Kind::Stage;
    const COLUMNS: &'static [&'static str] = &[
        "name",
        "customer_goal",
        "touchpoints",
        "pains",
        "backstage",
        "metric_name",
        "metric_target",
        "metric_actual",
        "metric_unit",
        "position",
        "metric_better",
    ];
    const ORDER_BY: &'static str = "position, id";
    record_accessors!();
    fn check(&self, _: &rusqlite::Connection) -> Result<(), String> {
        check_name("stage", &self.name)
    }
    fn unique_name(&self) -> Option<&str> {
        Some(&self.name)
    }
    fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Stage {
            id: row.get(0)?,
            name: row.get(1)?,
            customer_goal: row.get(2)?,
            touchpoints: row.get(3)?,
            pains: row.get(4)?,
            backstage: row.get(5)?,
            metric: Metric {
                name: row.get(6)?,
                target: row.get(7)?,
                actual: row.get(8)?,
                unit: row.get(9)?,
                better: row.get::<_, String>(11)?.parse().unwrap_or_default(),
            },
            position: row.get(10)?,
            meta: Meta::default(),
        })
    }
    fn values(&self) -> Vec<Value> {
        vec![
            text(&self.name),
            text(&self.customer_goal),
            text(&self.touchpoints),
            text(&self.pains),
            text(&self.backstage),
            text(&self.metric.name),
            opt_real(self.metric.target),
            opt_real(self.metric.actual),
            text(&self.metric.unit),
            Value::Integer(self.position),
            text(self.metric.better.into()),
        ]
    }
}

impl Record for Feeling {
    const KIND: Kind = Kind::Feeling;
    const COLUMNS: &'static [&'static str] = &["persona_id", "stage_id", "score", "note"];
    record_accessors!();
    fn check(&self, _: &rusqlite::Connection) -> Result<(), String> {
        if (Feeling::MIN..=Feeling::MAX).contains(&self.score) {
            Ok(())
        } else {
            Err(format!(
                "feeling score {} is out of range (-2 … +2)",
                self.score
            ))
        }
    }
    fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Feeling {
            id: row.get(0)?,
            persona_id: row.get(1)?,
            stage_id: row.get(2)?,
            score: row
                .get::<_, i64>(3)?
                .clamp(Feeling::MIN.into(), Feeling::MAX.into()) as i8,
            note: row.get(4)?,
            meta: Meta::default(),
        })
    }
    fn values(&self) -> Vec<Value> {
        vec![
            Value::Integer(self.persona_id),
            Value::Integer(self.stage_id),
            Value::Integer(self.score.into()),
            text(&self.note),
        ]
    }
}

impl Record for Item {
    const KIND: Kind = Kind::Item;
    const COLUMNS: &'static [&'static str] = &[
        "title",
        "detail",
        "status",
        "owner",
        "due",
        "persona_id",
        "stage_id",
        "impact",
        "risk",
        "blocked",
        "blocked_reason",
        "created_at",
        "status_since",
        "position",
    ];
    // Board order (status, position) is sorted in Rust: cheaper than a CASE sort.
    record_accessors!();
    fn check(&self, conn: &rusqlite::Connection) -> Result<(), String> {
        if self.title.trim().is_empty() {
            return Err("an item needs a title".into());
        }
        if let Some(p) = self.persona_id.filter(|p| !exists(conn, "persona", *p)) {
            return Err(format!("unknown persona id {p}"));
        }
        if let Some(s) = self.stage_id.filter(|s| !exists(conn, "stage", *s)) {
            return Err(format!("unknown stage id {s}"));
        }
        Ok(())
    }
    fn from_row(row: &Row) -> rusqlite::Result<Self> {
        let status: String = row.get(3)?;
        let due: Option<String> = row.get(5)?;
        Ok(Item {
            id: row.get(0)?,
            title: row.get(1)?,
            detail: row.get(2)?,
            status: status.parse().unwrap_or(Status::Plan),
            owner: row.get(4)?,
            due: due.and_then(|d| d.parse().ok()),
            persona_id: row.get(6)?,
            stage_id: row.get(7)?,
            impact: row.get(8)?,
            risk: row.get(9)?,
            blocked: row.get(10)?,
            blocked_reason: row.get(11)?,
            created_at: ts_from_sql(&row.get::<_, String>(12)?),
            status_since: ts_from_sql(&row.get::<_, String>(13)?),
            position: row.get(14)?,
            meta: Meta::default(),
        })
    }
    fn values(&self) -> Vec<Value> {
        vec![
            text(&self.title),
            text(&self.detail),
            text(self.status.as_str()),
            text(&self.owner),
            self.due.map_or(Value::Null, |d| Value::Text(d.to_string())),
            opt_int(self.persona_id),
            opt_int(self.stage_id),
            text(&self.impact),
            text(&self.risk),
            Value::Integer(self.blocked.into()),
            text(&self.blocked_reason),
            text(&ts_to_sql(self.created_at)),
            text(&ts_to_sql(self.status_since)),
            Value::Integer(self.position),
        ]
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

impl Record for Comment {
    const KIND: Kind = Kind::Comment;
    const COLUMNS: &'static [&'static str] = &["item_id", "author", "at", "text"];
    const ORDER_BY: &'static str = "item_id, at, id";
    record_accessors!();
    fn from_row(row: &Row) -> rusqlite::Result<Self> {
        Ok(Comment {
            id: row.get(0)?,
            item_id: row.get(1)?,
            author: row.get(2)?,
            at: ts_from_sql(&row.get::<_, String>(3)?),
            text: row.get(4)?,
            meta: Meta::default(),
        })
    }
    fn values(&self) -> Vec<Value> {
        vec![
            Value::Integer(self.item_id),
            text(&self.author),
            text(&ts_to_sql(self.at)),
            text(&self.text),
        ]
    }
}

impl Record for Column {
    const KIND: Kind = Kind::Column;
    const COLUMNS: &'static [&'static str] = &["status", "wip_limit"];
    record_accessors!();
    fn from_row(row: &Row) -> rusqlite::Result<Self> {
        let status: String = row.get(1)?;
        let wip: Option<i64> = row.get(2)?;
        Ok(Column {
            id: row.get(0)?,
            status: status.parse().unwrap_or(Status::Plan),
            wip_limit: wip.and_then(|w| u32::try_from(w).ok()),
            meta: Meta::default(),
        })
    }
    fn values(&self) -> Vec<Value> {
        vec![
            text(self.status.as_str()),
            opt_int(self.wip_limit.map(i64::from)),
        ]
    }
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

impl Record for ParkedTopic {
    const KIND: Kind = Kind::Parked;
    const COLUMNS: &'static [&'static str] = &[
        "standup_id",
        "text",
        "parked_by",
        "parked_at",
        "resolved_at",
        "resolved_by",
        "item_id",
    ];
    record_accessors!();
    fn check(&self, _: &rusqlite::Connection) -> Result<(), String> {
        if self.text.trim().is_empty() {
            return Err("a parked topic needs some text".into());
        }
        Ok(())
    }
    fn from_row(row: &Row) -> rusqlite::Result<Self> {
        let resolved: Option<String> = row.get(5)?;
        Ok(ParkedTopic {
            id: row.get(0)?,
            standup_id: row.get(1)?,
            text: row.get(2)?,
            parked_by: row.get(3)?,
            parked_at: ts_from_sql(&row.get::<_, String>(4)?),
            resolved_at: resolved.map(|r| ts_from_sql(&r)),
            resolved_by: row.get(6)?,
            item_id: row.get(7)?,
            meta: Meta::default(),
        })
    }
    fn values(&self) -> Vec<Value> {
        vec![
            opt_int(self.standup_id),
            text(&self.text),
            text(&self.parked_by),
            text(&ts_to_sql(self.parked_at)),
            opt_ts(self.resolved_at),
            text(&self.resolved_by),
            opt_int(self.item_id),
        ]
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

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}
