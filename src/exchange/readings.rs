//! Metric readings from a CSV export: rows of stage, date and value, the columns found
//! by their header names. Read whole and checked before the board is touched: a row
//! that breaks a rule is named by its line, and nothing is imported.

use std::path::Path;

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::listening::{CsvError, RowProblem};
use super::table::{Table, cell};
use crate::model::{Wall, rules, same_name};

/// The columns that hold each reading's stage, date and value (by default the ones
/// called `stage`, `date` and `value`).
#[derive(Debug, Clone, Default)]
pub struct ReadingColumns {
    pub stage: Option<String>,
    pub date: Option<String>,
    pub value: Option<String>,
}

/// One reading a file holds, with the line its row starts on.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub line: u64,
    pub stage_id: i64,
    pub at: Timestamp,
    pub value: f64,
}

/// Read the readings in a CSV file; a date without a time is the start of that day in
/// `tz`. A row with every cell empty is skipped.
pub fn read_readings_csv(
    path: &Path,
    cols: &ReadingColumns,
    wall: &Wall,
    tz: &TimeZone,
) -> Result<Vec<Reading>, CsvError> {
    let mut table = Table::open(path)?;
    let stage = table.required(cols.stage.as_deref(), "stage", "--stage")?;
    let date = table.required(cols.date.as_deref(), "date", "--date")?;
    let value = table.required(cols.value.as_deref(), "value", "--value")?;
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    while let Some(line) = table.next_row(&mut record)? {
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = || -> Result<Reading, RowProblem> {
            let name = match cell(&record, Some(stage)) {
                "" => return Err(RowProblem::Empty("stage")),
                n => n,
            };
            let stage_id = wall
                .stages
                .iter()
                .find(|s| same_name(&s.name, name))
                .map(|s| s.id)
                .ok_or_else(|| RowProblem::Unknown {
                    kind: "stage",
                    name: name.to_owned(),
                })?;
            let at = match cell(&record, Some(date)) {
                "" => return Err(RowProblem::Empty("date")),
                d => rules::parse_moment(d, tz)?,
            };
            let value = match cell(&record, Some(value)) {
                "" => return Err(RowProblem::Empty("value")),
                v => rules::parse_number(v)?,
            };
            Ok(Reading {
                line,
                stage_id,
                at,
                value,
            })
        };
        out.push(row().map_err(|problem| table.bad_row(line, problem))?);
    }
    Ok(out)
}
