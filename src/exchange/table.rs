//! A CSV export read as a table whose columns are found by their header names: what
//! the evidence and the metric readings imports share. The `csv` crate reads the file
//! (quoted cells holding commas and newlines, CRLF line ends); a UTF-8 byte order mark
//! before the header is not content.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use super::listening::{CsvError, RowProblem};
use crate::model::name_key;

/// The UTF-8 byte order mark some exports start with.
const BOM: &[u8] = b"\xef\xbb\xbf";

pub struct Table {
    path: PathBuf,
    /// Where the content starts (after a byte order mark).
    body_start: usize,
    /// The line breaks counted so far, up to which byte of the body (rows come in
    /// order, so each is counted once).
    counted: (usize, u64),
    headers: Vec<String>,
    reader: csv::Reader<Cursor<Vec<u8>>>,
}

impl Table {
    /// The file read whole, its header row read.
    pub fn open(path: &Path) -> Result<Table, CsvError> {
        let bytes = std::fs::read(path).map_err(|error| CsvError::Read {
            path: path.to_path_buf(),
            error,
        })?;
        let body_start = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
        let mut body = Cursor::new(bytes);
        body.set_position(body_start as u64);
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body);
        let headers = reader
            .headers()
            .map_err(|e| csv_error(path, e))?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        Ok(Table {
            path: path.to_path_buf(),
            body_start,
            counted: (0, 0),
            headers,
            reader,
        })
    }

    /// The column a flag names (it must be there), else the one called `fallback`
    /// (ignoring case and spaces around it), if any.
    pub fn column(
        &self,
        given: Option<&str>,
        fallback: &str,
        flag: &'static str,
    ) -> Result<Option<usize>, CsvError> {
        match given {
            Some(name) => self
                .find(name)
                .map(Some)
                .ok_or_else(|| self.no_column(name, flag)),
            None => Ok(self.find(fallback)),
        }
    }

    /// Like [`Table::column`], for a column every row needs.
    pub fn required(
        &self,
        given: Option<&str>,
        fallback: &str,
        flag: &'static str,
    ) -> Result<usize, CsvError> {
        self.column(given, fallback, flag)?
            .ok_or_else(|| self.no_column(given.unwrap_or(fallback), flag))
    }

    fn find(&self, name: &str) -> Option<usize> {
        self.headers
            .iter()
            .position(|h| name_key(h) == name_key(name))
    }

    fn no_column(&self, name: &str, flag: &'static str) -> CsvError {
        CsvError::NoColumn {
            path: self.path.clone(),
            name: name.to_owned(),
            columns: self.headers.clone(),
            flag,
        }
    }

    /// The next row into `record`, with the line it starts on; `None` at the end.
    pub fn next_row(&mut self, record: &mut csv::StringRecord) -> Result<Option<u64>, CsvError> {
        match self.reader.read_record(record) {
            Ok(false) => Ok(None),
            Ok(true) => Ok(Some(
                self.line_at(record.position().map_or(0, |p| p.byte())),
            )),
            Err(e) => Err(csv_error(&self.path, e)),
        }
    }

    /// The line a row starting at byte `at` (after the byte order mark) is on, counted
    /// from the file's line breaks: the `csv` crate's own count lags behind on CRLF.
    fn line_at(&mut self, at: u64) -> u64 {
        let cursor = self.reader.get_ref();
        let body = &cursor.get_ref()[self.body_start..];
        let mut start = (at as usize).min(body.len());
        // A row "starts" at the line break that ended the row before.
        while body.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            start += 1;
        }
        let (from, mut breaks) = self.counted;
        if start >= from {
            breaks += body[from..start].iter().filter(|b| **b == b'\n').count() as u64;
        } else {
            breaks = body[..start].iter().filter(|b| **b == b'\n').count() as u64;
        }
        self.counted = (start, breaks);
        1 + breaks
    }

    /// A row that breaks a rule, named by its line.
    pub fn bad_row(&self, line: u64, problem: RowProblem) -> CsvError {
        CsvError::BadRow {
            path: self.path.clone(),
            line,
            problem,
        }
    }
}

/// A cell of a row, trimmed ("" when the row has no such cell).
pub fn cell(record: &csv::StringRecord, column: Option<usize>) -> &str {
    column.and_then(|c| record.get(c)).unwrap_or("").trim()
}

fn csv_error(path: &Path, error: csv::Error) -> CsvError {
    CsvError::Csv {
        path: path.to_path_buf(),
        line: error.position().map_or(1, |p| p.line()),
        error,
    }
}
