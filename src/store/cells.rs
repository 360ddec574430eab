//! Rows as structs: each struct names its columns beside its fields in one `columns!`
//! table, from which the column list of the SQL, the reading of a row and the values
//! to write all follow, so a column's name and its place in the row cannot drift apart.
//!
//! [`Cell`] says how one value is stored: written as obeya always writes it, and read
//! leniently where a teammate's `sqlite3` shell writes it differently (a time as
//! `datetime('now')`, NULL for empty text). What is neither is **malformed**: a type the
//! field cannot hold (a real number as a feeling's score, a BLOB as a due date, text
//! as an item's id), text that is not UTF-8, a value out of its field's range (a status
//! that is none of the five, a time outside the years `rules::TIME_YEARS`, a day that
//! is no calendar day). A malformed cell never fails the read of the board: it reads as
//! its field's empty value (empty text, 0, no date, `plan` …; text that is not UTF-8
//! reads with each bad byte as �, keeping the rest), and is noted, with its table,
//! row and column ([`BadCell`]), for the command or the wall to report
//! ([`take_bad_cells`]). `obeya check` reads every row to find them all; saving the
//! record writes the value it was read as.

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::Row;
use rusqlite::types::{Value, ValueRef};

use crate::model::{Better, EvidenceKind, Side, Status, rules};

/// `impl Columns` for a struct: `columns!("stage", Stage { "name" => name, "metric_name"
/// => metric.name, … })`. The columns are read and written in the order listed.
macro_rules! columns {
    ($table:literal, $ty:ty { $($column:literal => $($field:ident).+),* $(,)? }) => {
        impl $crate::store::cells::Columns for $ty {
            const TABLE: &'static str = $table;
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
    /// The table they are read from (to name a malformed cell).
    const TABLE: &'static str;
    /// The columns, in the order `read_cells` reads them and `values` gives them.
    const COLUMNS: &'static [&'static str];
    /// Set the fields from the next cells of a row.
    fn read_cells(&mut self, cells: &mut Cells) -> rusqlite::Result<()>;
    fn values(&self) -> Vec<Value>;

    /// From a row of exactly `COLUMNS`.
    fn from_row(row: &Row) -> rusqlite::Result<Self> {
        let mut s = Self::default();
        s.read_cells(&mut Cells::new(Self::TABLE, row))?;
        Ok(s)
    }

    /// `COLUMNS`, as a `SELECT` lists them.
    fn column_list() -> String {
        Self::COLUMNS.join(", ")
    }
}

/// The cells of a row of `table`, read from left to right.
pub struct Cells<'a, 'r> {
    table: &'static str,
    row: &'a Row<'r>,
    at: usize,
}

impl<'a, 'r> Cells<'a, 'r> {
    pub fn new(table: &'static str, row: &'a Row<'r>) -> Self {
        Cells { table, row, at: 0 }
    }

    /// The next cell; a malformed one reads as what stands in for it, and is noted.
    pub fn take<T: Cell>(&mut self) -> rusqlite::Result<T> {
        let at = self.at;
        self.at += 1;
        let value = self.row.get_ref(at)?;
        match T::read(value) {
            Ok(v) => Ok(v),
            Err((stand_in, why)) => {
                met(BadCell {
                    table: self.table,
                    // The row's id, where the query reads it (every table has one).
                    row: self.row.get::<_, i64>("id").ok(),
                    column: self.row.as_ref().column_name(at)?.to_owned(),
                    found: found(value),
                    wanted: why.wanted,
                    read_as: why.read_as,
                });
                Ok(stand_in)
            }
        }
    }
}

/// A cell obeya cannot read as its field needs (see the module's words).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct BadCell {
    pub table: &'static str,
    /// The row's id (`None` if the query did not read it).
    pub row: Option<i64>,
    pub column: String,
    /// What the cell holds, in words: "the number 1.5", "a BLOB of 3 bytes". It may
    /// quote board text: escape it before printing.
    pub found: String,
    /// What obeya reads there: "a whole number from -2 to +2".
    pub wanted: &'static str,
    /// What the field reads as instead: "0", "empty text".
    pub read_as: &'static str,
}

impl fmt::Display for BadCell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.row {
            Some(id) => write!(f, "table {} row {id}", self.table)?,
            None => write!(f, "table {}", self.table)?,
        }
        write!(
            f,
            ", column {}: {}, where obeya reads {}; read as {}",
            self.column, self.found, self.wanted, self.read_as
        )
    }
}

/// The malformed cells met, as [`take_bad_cells`] hands them over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BadCells {
    pub cells: BTreeSet<BadCell>,
    /// Cells met beyond the `BAD_CELLS_KEPT` listed (some may be met twice).
    pub more: usize,
}

impl BadCells {
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// How many there are, at least.
    pub fn count(&self) -> usize {
        self.cells.len() + self.more
    }
}

/// At most this many malformed cells are listed; the rest are counted.
const BAD_CELLS_KEPT: usize = 10_000;

thread_local! {
    /// The malformed cells met on this thread since they were last taken (every read of
    /// a board is on the thread that opened it).
    static MET: RefCell<BadCells> = RefCell::default();
}

fn met(cell: BadCell) {
    MET.with_borrow_mut(|m| {
        if m.cells.len() < BAD_CELLS_KEPT {
            m.cells.insert(cell);
        } else if !m.cells.contains(&cell) {
            m.more += 1;
        }
    });
}

/// The malformed cells read on this thread since the last call, by table and row.
pub fn take_bad_cells() -> BadCells {
    MET.with_borrow_mut(std::mem::take)
}

/// Note again cells taken with [`take_bad_cells`] (a look at another file in between).
pub(crate) fn put_back(taken: BadCells) {
    MET.with_borrow_mut(|m| {
        m.more += taken.more;
        for cell in taken.cells {
            if m.cells.len() < BAD_CELLS_KEPT {
                m.cells.insert(cell);
            } else {
                m.more += 1;
            }
        }
    });
}

/// What a cell holds, in words, for a message.
fn found(v: ValueRef<'_>) -> String {
    match v {
        ValueRef::Null => "nothing (NULL)".to_owned(),
        ValueRef::Integer(n) => format!("the whole number {n}"),
        ValueRef::Real(r) => format!("the number {r}"),
        ValueRef::Text(t) => match std::str::from_utf8(t) {
            Ok(s) => {
                let shown: String = s.chars().take(40).collect();
                let cut = if shown.len() < s.len() { "…" } else { "" };
                format!("the text '{shown}{cut}'")
            }
            Err(_) => format!("{} bytes of text that is not UTF-8", t.len()),
        },
        ValueRef::Blob(b) => format!("a BLOB of {} bytes", b.len()),
    }
}

/// Why a cell is malformed: what obeya reads there, and what it reads as instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Malformed {
    pub wanted: &'static str,
    pub read_as: &'static str,
}

/// A cell that is malformed: the value that stands in for it, and why.
pub type Unread<T> = (T, Malformed);

fn malformed<T>(stand_in: T, wanted: &'static str, read_as: &'static str) -> Unread<T> {
    (stand_in, Malformed { wanted, read_as })
}

/// A value as one SQLite cell.
pub trait Cell: Sized {
    /// The value in the cell; a malformed one gives what stands in for it, and why.
    fn read(v: ValueRef<'_>) -> Result<Self, Unread<Self>>;
    fn value(&self) -> Value;
}

const WHOLE: &str = "a whole number";
const NUMBER: &str = "a number";
const TEXT: &str = "text (UTF-8)";

/// Text as it is, or with each byte that is not UTF-8 as � (the rest kept).
fn text(t: &[u8]) -> Result<String, Unread<String>> {
    match std::str::from_utf8(t) {
        Ok(s) => Ok(s.to_owned()),
        Err(_) => Err(malformed(
            String::from_utf8_lossy(t).into_owned(),
            TEXT,
            "its text, each byte that is not UTF-8 as \u{fffd}",
        )),
    }
}

impl Cell for i64 {
    fn read(v: ValueRef<'_>) -> Result<Self, Unread<Self>> {
        match v {
            ValueRef::Integer(n) => Ok(n),
            _ => Err(malformed(0, WHOLE, "0")),
        }
    }
    fn value(&self) -> Value {
        Value::Integer(*self)
    }
}

impl Cell for Option<i64> {
    fn read(v: ValueRef<'_>) -> Result<Self, Unread<Self>> {
        match v {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(n) => Ok(Some(n)),
            _ => Err(malformed(None, "a whole number or nothing", "nothing")),
        }
    }
    fn value(&self) -> Value {
        self.map_or(Value::Null, Value::Integer)
    }
}

impl Cell for f64 {
    fn read(v: ValueRef<'_>) -> Result<Self, Unread<Self>> {
        match v {
            ValueRef::Integer(n) => Ok(n as f64),
            ValueRef::Real(r) => Ok(r),
            _ => Err(malformed(0.0, NUMBER, "0")),
        }
    }
    fn value(&self) -> Value {
        Value::Real(*self)
    }
}

impl Cell for Option<f64> {
    fn read(v: ValueRef<'_>) -> Result<Self, Unread<Self>> {
        match v {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(n) => Ok(Some(n as f64)),
            ValueRef::Real(r) => Ok(Some(r)),
            _ => Err(malformed(None, "a number or nothing", "nothing")),
        }
    }
    fn value(&self) -> Value {
        self.map_or(Value::Null, Value::Real)
    }
}

/// 0 or 1.
impl Cell for bool {
    fn read(v: ValueRef<'_>) -> Result<Self, Unread<Self>> {
        match v {
            ValueRef::Integer(0) => Ok(false),
            ValueRef::Integer(1) => Ok(true),
            _ => Err(malformed(false, "0 or 1 (no or yes)", "0 (no)")),
        }
    }
    fn value(&self) -> Value {
        Value::Integer((*self).into())
    }
}

/// Text; NULL (an uid not given yet) reads as empty.
impl Cell for String {
    fn read(v: ValueRef<'_>) -> Result<Self, Unread<Self>> {
        match v {
            ValueRef::Null => Ok(String::new()),
            ValueRef::Text(t) => text(t),
            _ => Err(malformed(String::new(), TEXT, "empty text")),
        }
    }
    fn value(&self) -> Value {
        Value::Text(self.clone())
    }
}

impl Cell for Option<String> {
    fn read(v: ValueRef<'_>) -> Result<Self, Unread<Self>> {
        match v {
            ValueRef::Null => Ok(None),
            ValueRef::Text(t) => text(t).map(Some).map_err(|(s, why)| (Some(s), why)),
            _ => Err(malformed(None, "text (UTF-8) or nothing", "nothing")),
        }
    }
    fn value(&self) -> Value {
        self.clone().map_or(Value::Null, Value::Text)
    }
}

/// Words stored as text, read with `parse`: what does not parse is malformed.
macro_rules! parsed_cells {
    ($($t:ty => $default:expr, $wanted:literal, $read_as:literal),* $(,)?) => {$(
        impl Cell for $t {
            fn read(v: ValueRef<'_>) -> Result<Self, Unread<Self>> {
                match v {
                    ValueRef::Text(t) => std::str::from_utf8(t).ok().and_then(|s| s.parse().ok()),
                    _ => None,
                }
                .ok_or(malformed($default, $wanted, $read_as))
            }
            fn value(&self) -> Value {
                Value::Text(<&str>::from(*self).to_owned())
            }
        }
    )*};
}

parsed_cells! {
    Status => Status::Plan, "plan, do, check, act or done", "plan",
    Better => Better::default(), "higher or lower", "higher",
    EvidenceKind => EvidenceKind::default(),
        "quote, observation, complaint, survey, interview, test or data", "observation",
    Side => Side::default(), "customer or employee", "customer",
}

const TIME: &str = "a time (RFC 3339, e.g. 2026-11-20T09:00:00Z) in the years 1900 to 9999";

/// A time as text (see [`ts_from_sql`]), in the years `rules::TIME_YEARS`.
fn time(v: ValueRef<'_>) -> Option<Timestamp> {
    match v {
        ValueRef::Text(t) => std::str::from_utf8(t)
            .ok()
            .and_then(ts_from_sql)
            .filter(|t| rules::plausible_time(*t)),
        _ => None,
    }
}

impl Cell for Timestamp {
    fn read(v: ValueRef<'_>) -> Result<Self, Unread<Self>> {
        time(v).ok_or(malformed(
            Timestamp::UNIX_EPOCH,
            TIME,
            "1970-01-01T00:00:00Z",
        ))
    }
    fn value(&self) -> Value {
        Value::Text(ts_to_sql(*self))
    }
}

impl Cell for Option<Timestamp> {
    fn read(v: ValueRef<'_>) -> Result<Self, Unread<Self>> {
        match v {
            ValueRef::Null => Ok(None),
            v => time(v)
                .map(Some)
                .ok_or(malformed(None, "a time or nothing", "nothing")),
        }
    }
    fn value(&self) -> Value {
        self.map_or(Value::Null, |t| t.value())
    }
}

/// A day, `YYYY-MM-DD` (`rules::parse_date`), or none.
impl Cell for Option<Date> {
    fn read(v: ValueRef<'_>) -> Result<Self, Unread<Self>> {
        match v {
            ValueRef::Null => Ok(None),
            ValueRef::Text(t) => std::str::from_utf8(t)
                .ok()
                .and_then(|s| rules::parse_date(s).ok())
                .map(Some)
                .ok_or(malformed(None, "a day (YYYY-MM-DD) or nothing", "no date")),
            _ => Err(malformed(None, "a day (YYYY-MM-DD) or nothing", "no date")),
        }
    }
    fn value(&self) -> Value {
        self.map_or(Value::Null, |d| Value::Text(d.to_string()))
    }
}

/// A day that is always there (evidence's observed day).
impl Cell for Date {
    fn read(v: ValueRef<'_>) -> Result<Self, Unread<Self>> {
        const EPOCH: Date = Date::constant(1970, 1, 1);
        match Option::<Date>::read(v) {
            Ok(Some(d)) => Ok(d),
            _ => Err(malformed(EPOCH, "a day (YYYY-MM-DD)", "1970-01-01")),
        }
    }
    fn value(&self) -> Value {
        Value::Text(self.to_string())
    }
}

/// A sentiment, −2 … +2, or none.
impl Cell for Option<i8> {
    fn read(v: ValueRef<'_>) -> Result<Self, Unread<Self>> {
        match v {
            ValueRef::Null => Ok(None),
            v => i8::read(v).map(Some).map_err(|_| {
                malformed(None, "a whole number from -2 to +2, or nothing", "nothing")
            }),
        }
    }
    fn value(&self) -> Value {
        self.map_or(Value::Null, |n| Value::Integer(n.into()))
    }
}

/// A feeling's score, in its range.
impl Cell for i8 {
    fn read(v: ValueRef<'_>) -> Result<Self, Unread<Self>> {
        match v {
            ValueRef::Integer(n) => i8::try_from(n)
                .ok()
                .filter(|n| rules::SCORE_RANGE.contains(n)),
            _ => None,
        }
        .ok_or(malformed(0, "a whole number from -2 to +2", "0"))
    }
    fn value(&self) -> Value {
        Value::Integer((*self).into())
    }
}

/// A WIP limit: a count from 1, or none.
impl Cell for Option<u32> {
    fn read(v: ValueRef<'_>) -> Result<Self, Unread<Self>> {
        match v {
            ValueRef::Null => Ok(None),
            ValueRef::Integer(n) => {
                u32::try_from(n)
                    .ok()
                    .filter(|n| *n > 0)
                    .map(Some)
                    .ok_or(malformed(
                        None,
                        "a whole number from 1, or nothing",
                        "no limit",
                    ))
            }
            _ => Err(malformed(
                None,
                "a whole number from 1, or nothing",
                "no limit",
            )),
        }
    }
    fn value(&self) -> Value {
        self.map_or(Value::Null, |n| Value::Integer(n.into()))
    }
}

/// Timestamps are stored as RFC 3339 text, readable in the sqlite3 shell.
pub fn ts_to_sql(t: Timestamp) -> String {
    t.to_string()
}

/// A stored time: RFC 3339, or what the sqlite3 shell writes (`YYYY-MM-DD HH:MM:SS`
/// from `datetime('now')`, a bare `YYYY-MM-DD`), read as UTC.
pub fn ts_from_sql(s: &str) -> Option<Timestamp> {
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
}
