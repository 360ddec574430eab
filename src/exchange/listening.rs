//! Systematic listening: evidence from a CSV export (a support desk's tickets, a survey
//! tool's answers), its columns found by their header names. Read whole and checked
//! before the board is touched: a row that breaks a rule is named by its line, and
//! nothing is imported.
//!
//! The `csv` crate reads the file (quoted cells holding commas and newlines, CRLF line
//! ends); a UTF-8 byte order mark before the header is not content.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::model::rules::{self, RuleError};
use crate::model::{Evidence, EvidenceKind, Wall, name_key, same_name};

/// Which columns hold what, and what holds for every row. A column not named falls
/// back to one called `text`, `date`, `source`, `score`, `kind`, `persona` or `stage`.
#[derive(Debug, Clone, Default)]
pub struct Columns {
    pub text: Option<String>,
    pub date: Option<String>,
    pub source: Option<String>,
    pub score: Option<String>,
    /// The scale scores come on (`0-10`); without one, scores are −2 … +2.
    pub scale: Option<(f64, f64)>,
    /// Every row's kind (else the `kind` column's, else observation).
    pub kind: Option<EvidenceKind>,
    /// Every row's persona, or the column that names it.
    pub persona: Option<String>,
    pub persona_column: Option<String>,
    pub stage: Option<String>,
    pub stage_column: Option<String>,
    /// How dates are written, when not `YYYY-MM-DD`, RFC 3339 or `YYYY-MM-DD HH:MM:SS`.
    pub date_format: Option<String>,
}

/// The evidence a file holds, each with the line its row starts on.
#[derive(Debug, Clone, Default)]
pub struct Listened {
    pub rows: Vec<(u64, Evidence)>,
    /// Rows whose text is empty: not evidence.
    pub skipped: usize,
}

/// Why a CSV file gave no evidence; nothing was imported.
#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("cannot read {}: {error}", .path.display())]
    Read {
        path: PathBuf,
        error: std::io::Error,
    },
    #[error("{}: not a CSV file this obeya can read (line {line}): {error}", .path.display())]
    Csv {
        path: PathBuf,
        line: u64,
        error: csv::Error,
    },
    #[error("{} has no column '{name}' (its columns: {}){}", .path.display(), .columns.join(", "), hint(.flag))]
    NoColumn {
        path: PathBuf,
        name: String,
        columns: Vec<String>,
        /// The flag that names this column.
        flag: &'static str,
    },
    #[error("{} line {line}: {problem}; nothing was imported", .path.display())]
    BadRow {
        path: PathBuf,
        line: u64,
        problem: RowProblem,
    },
    #[error("unknown {kind} '{name}' (see the board's {kind}s with: obeya {kind} list)")]
    Unknown { kind: &'static str, name: String },
}

fn hint(flag: &str) -> String {
    format!("; name the column with {flag} COLUMN")
}

/// What is wrong with one row.
#[derive(Debug, thiserror::Error)]
pub enum RowProblem {
    #[error(transparent)]
    Rule(#[from] RuleError),
    #[error("{0} (a score on another scale needs --scale LOW-HIGH)")]
    Score(RuleError),
    #[error("unknown {kind} '{name}'")]
    Unknown { kind: &'static str, name: String },
}

/// The UTF-8 byte order mark some exports start with.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// The column called `name` (ignoring case and spaces around it).
fn column(headers: &[String], name: &str) -> Option<usize> {
    headers.iter().position(|h| name_key(h) == name_key(name))
}

/// Read the evidence in a CSV file. `today` is the day of a row with no date; `source`
/// of a file with no source column is its file name.
pub fn read_evidence_csv(
    path: &Path,
    cols: &Columns,
    wall: &Wall,
    today: Date,
) -> Result<Listened, CsvError> {
    let bytes = std::fs::read(path).map_err(|error| CsvError::Read {
        path: path.to_path_buf(),
        error,
    })?;
    let body = bytes.strip_prefix(BOM).unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(body);
    let csv_error = |error: csv::Error| CsvError::Csv {
        path: path.to_path_buf(),
        line: error.position().map_or(1, |p| p.line()),
        error,
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(csv_error)?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    // A column the flags name must be there; one they do not falls back to its name.
    let find = |given: &Option<String>, fallback: &str, flag: &'static str| match given {
        Some(name) => column(&headers, name)
            .map(Some)
            .ok_or_else(|| CsvError::NoColumn {
                path: path.to_path_buf(),
                name: name.clone(),
                columns: headers.clone(),
                flag,
            }),
        None => Ok(column(&headers, fallback)),
    };
    let text = find(&cols.text, "text", "--text")?.ok_or_else(|| CsvError::NoColumn {
        path: path.to_path_buf(),
        name: "text".into(),
        columns: headers.clone(),
        flag: "--text",
    })?;
    let date = find(&cols.date, "date", "--date")?;
    let source = find(&cols.source, "source", "--source")?;
    let score = find(&cols.score, "score", "--score")?;
    let kind = match cols.kind {
        Some(_) => None,
        None => column(&headers, "kind"),
    };
    let named = |kind: &'static str, name: &str| -> Result<i64, RowProblem> {
        let list: Vec<(i64, &str)> = match kind {
            "persona" => wall
                .personas
                .iter()
                .map(|p| (p.id, p.name.as_str()))
                .collect(),
            _ => wall
                .stages
                .iter()
                .map(|s| (s.id, s.name.as_str()))
                .collect(),
        };
        list.into_iter()
            .find(|(_, n)| same_name(n, name))
            .map(|(id, _)| id)
            .ok_or_else(|| RowProblem::Unknown {
                kind,
                name: name.trim().to_owned(),
            })
    };
    // Every row's persona and stage, when the flags give one.
    let fixed = |kind: &'static str, name: &Option<String>| -> Result<Option<i64>, CsvError> {
        match name.as_deref().map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => named(kind, n).map(Some).map_err(|_| CsvError::Unknown {
                kind,
                name: n.to_owned(),
            }),
            None => Ok(None),
        }
    };
    let (persona, stage) = (
        fixed("persona", &cols.persona)?,
        fixed("stage", &cols.stage)?,
    );
    let persona_col = match &cols.persona {
        Some(_) => None,
        None => find(&cols.persona_column, "persona", "--persona-column")?,
    };
    let stage_col = match &cols.stage {
        Some(_) => None,
        None => find(&cols.stage_column, "stage", "--stage-column")?,
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();

    let mut out = Listened::default();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(e)),
        }
        let line = record.position().map_or(0, |p| p.line());
        let cell = |c: Option<usize>| c.and_then(|c| record.get(c)).unwrap_or("").trim();
        let body = cell(Some(text));
        if body.is_empty() {
            out.skipped += 1;
            continue;
        }
        let row = || -> Result<Evidence, RowProblem> {
            let observed = match cell(date) {
                "" => today,
                d => rules::parse_day(d, cols.date_format.as_deref())?,
            };
            let sentiment = match (cell(score), cols.scale) {
                ("", _) => None,
                (s, Some(scale)) => Some(rules::scale_sentiment(s, scale)?),
                (s, None) => rules::parse_sentiment(s).map_err(RowProblem::Score)?,
            };
            let kind = match (cols.kind, cell(kind)) {
                (Some(k), _) => k,
                (None, "") => EvidenceKind::default(),
                (None, k) => k
                    .parse()
                    .map_err(|_| RuleError::UnknownKind(k.to_owned()))?,
            };
            let lookup = |kind, c: Option<usize>| match cell(c) {
                "" => Ok(None),
                n => named(kind, n).map(Some),
            };
            Ok(Evidence {
                kind,
                // One line per line, whatever the export used.
                text: body.replace("\r\n", "\n"),
                source: match source {
                    Some(_) => cell(source).to_owned(),
                    None => file_name.clone(),
                },
                observed,
                persona_id: match persona {
                    Some(p) => Some(p),
                    None => lookup("persona", persona_col)?,
                },
                stage_id: match stage {
                    Some(s) => Some(s),
                    None => lookup("stage", stage_col)?,
                },
                sentiment,
                ..Evidence::default()
            })
        };
        match row() {
            Ok(e) => out.rows.push((line, e)),
            Err(problem) => {
                return Err(CsvError::BadRow {
                    path: path.to_path_buf(),
                    line,
                    problem,
                });
            }
        }
    }
    Ok(out)
}
