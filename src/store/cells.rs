//! Rows as structs: each struct names its columns beside its fields in one `columns!`
//! table, from which the column list of the SQL, the reading of a row and the values
//! to write all follow, so a column's name and its place in the row cannot drift apart.
//! [`Cell`] says how one value is stored: leniently read (what a shell wrote that does
//! not parse reads as the default), written as obeya always writes it.

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::Row;
use rusqlite::types::Value;

use crate::model::{Better, EvidenceKind, Side, Status, rules};

/// `impl Columns` for a struct: `columns!(Stage { "name" => name, "metric_name" =>
/// metric.name, … })`. The columns are read and written in the order listed.
macro_rules! columns {
    ($ty:ty { $($column:literal => $($field:ident).+),* $(,)? }) => {
        impl $crate::store::cells::Columns for $ty {
            const COLUMNS: &'static [&'static str] = &[$($column),*];
            fn read_cells(&mut self, cells: &mut $crate::store::cells::Cells) -> rusqlite::Result<()> {
                $(self.$($field).+ = cells.take()?;)*
                Ok(())
            }
            fn values(&self) -> Vec<rusqlite::types::Value> {
                use $crate::store::cells::Cell;
                vec![$(self.$($field).+.value()),*]
            }
        }
    };
}

/// A struct kept in a list of columns (see `columns!`).
pub trait Columns: Default {
    /// The columns, in the order `read_cells` reads them and `values` gives them.
    const COLUMNS: &'static [&'static str];
    /// Set the fields from the next cells of a row.
    fn read_cells(&mut self, cells: &mut Cells) -> rusqlite::Result<()>;
    fn values(&self) -> Vec<Value>;

    /// From a row of exactly `COLUMNS`.
    fn from_row(row: &Row) -> rusqlite::Result<Self> {
        let mut s = Self::default();
        s.read_cells(&mut Cells::new(row))?;
        Ok(s)
    }

    /// `COLUMNS`, as a `SELECT` lists them.
    fn column_list() -> String {
        Self::COLUMNS.join(", ")
    }
}

/// The cells of a row, read from left to right.
pub struct Cells<'a, 'r> {
    row: &'a Row<'r>,
    at: usize,
}

impl<'a, 'r> Cells<'a, 'r> {
    pub fn new(row: &'a Row<'r>) -> Self {
        Cells { row, at: 0 }
    }

    /// The next cell.
    pub fn take<T: Cell>(&mut self) -> rusqlite::Result<T> {
        self.at += 1;
        T::read(self.row, self.at - 1)
    }
}

/// A value as one SQLite cell.
pub trait Cell: Sized {
    fn read(row: &Row, at: usize) -> rusqlite::Result<Self>;
    fn value(&self) -> Value;
}

/// Values SQLite holds as they are.
macro_rules! plain_cells {
    ($($t:ty => |$v:ident| $value:expr),* $(,)?) => {$(
        impl Cell for $t {
            fn read(row: &Row, at: usize) -> rusqlite::Result<Self> {
                row.get(at)
            }
            fn value(&self) -> Value {
                let $v = self;
                $value
            }
        }
    )*};
}

plain_cells! {
    i64 => |v| Value::Integer(*v),
    f64 => |v| Value::Real(*v),
    bool => |v| Value::Integer((*v).into()),
    Option<i64> => |v| v.map_or(Value::Null, Value::Integer),
    Option<f64> => |v| v.map_or(Value::Null, Value::Real),
    Option<String> => |v| v.clone().map_or(Value::Null, Value::Text),
}

/// Text; NULL (an uid not given yet) reads as empty.
impl Cell for String {
    fn read(row: &Row, at: usize) -> rusqlite::Result<Self> {
        Ok(row.get::<_, Option<String>>(at)?.unwrap_or_default())
    }
    fn value(&self) -> Value {
        Value::Text(self.clone())
    }
}

/// Values stored as text, read with `parse`: what does not parse reads as `default`.
macro_rules! parsed_cells {
    ($($t:ty => $default:expr),* $(,)?) => {$(
        impl Cell for $t {
            fn read(row: &Row, at: usize) -> rusqlite::Result<Self> {
                Ok(String::read(row, at)?.parse().unwrap_or($default))
            }
            fn value(&self) -> Value {
                Value::Text(<&str>::from(*self).to_owned())
            }
        }
    )*};
}

parsed_cells! {
    Status => Status::Plan,
    Better => Better::default(),
    EvidenceKind => EvidenceKind::default(),
    Side => Side::default(),
}

/// A day that is always there (evidence's): one that does not parse reads as 1970-01-01.
impl Cell for Date {
    fn read(row: &Row, at: usize) -> rusqlite::Result<Self> {
        Ok(Option::<Date>::read(row, at)?.unwrap_or(Date::constant(1970, 1, 1)))
    }
    fn value(&self) -> Value {
        Value::Text(self.to_string())
    }
}

/// A sentiment, −2 … +2 or none; a value out of range reads as none.
impl Cell for Option<i8> {
    fn read(row: &Row, at: usize) -> rusqlite::Result<Self> {
        Ok(row
            .get::<_, Option<i64>>(at)?
            .and_then(|n| i8::try_from(n).ok())
            .filter(|n| rules::SCORE_RANGE.contains(n)))
    }
    fn value(&self) -> Value {
        self.map_or(Value::Null, |n| Value::Integer(n.into()))
    }
}

impl Cell for Timestamp {
    fn read(row: &Row, at: usize) -> rusqlite::Result<Self> {
        Ok(ts_from_sql(&String::read(row, at)?))
    }
    fn value(&self) -> Value {
        Value::Text(ts_to_sql(*self))
    }
}

impl Cell for Option<Timestamp> {
    fn read(row: &Row, at: usize) -> rusqlite::Result<Self> {
        Ok(row.get::<_, Option<String>>(at)?.map(|t| ts_from_sql(&t)))
    }
    fn value(&self) -> Value {
        self.map_or(Value::Null, |t| t.value())
    }
}

/// A day, `YYYY-MM-DD`; one that does not parse reads as none.
impl Cell for Option<Date> {
    fn read(row: &Row, at: usize) -> rusqlite::Result<Self> {
        Ok(row
            .get::<_, Option<String>>(at)?
            .and_then(|d| d.parse().ok()))
    }
    fn value(&self) -> Value {
        self.map_or(Value::Null, |d| Value::Text(d.to_string()))
    }
}

/// A feeling's score (the only `i8` stored), held to its range.
impl Cell for i8 {
    fn read(row: &Row, at: usize) -> rusqlite::Result<Self> {
        let range = rules::SCORE_RANGE;
        let n = row.get::<_, i64>(at)?;
        Ok(n.clamp((*range.start()).into(), (*range.end()).into()) as i8)
    }
    fn value(&self) -> Value {
        Value::Integer((*self).into())
    }
}

/// A WIP limit: none when not a count.
impl Cell for Option<u32> {
    fn read(row: &Row, at: usize) -> rusqlite::Result<Self> {
        Ok(row
            .get::<_, Option<i64>>(at)?
            .and_then(|n| u32::try_from(n).ok()))
    }
    fn value(&self) -> Value {
        self.map_or(Value::Null, |n| Value::Integer(n.into()))
    }
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
