//! Systematic listening: evidence from a CSV export (a support desk's tickets, a survey
//! tool's answers), its columns found by their header names. Read whole and checked
//! before the board is touched: a row that breaks a rule is named by its line, and
//! nothing is imported. The file is read as a [`Table`] (`exchange/table.rs`).

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use super::table::{Table, cell};
use crate::model::rules::{self, RuleError};
use crate::model::{Evidence, EvidenceKind, Wall, same_name};

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
    /// A cell every row needs is empty.
    #[error("no {0}")]
    Empty(&'static str),
}

/// Read the evidence in a CSV file. `today` is the day of a row with no date; `source`
/// of a file with no source column is its file name.
pub fn read_evidence_csv(
    path: &Path,
    cols: &Columns,
    wall: &Wall,
    today: Date,
) -> Result<Listened, CsvError> {
    let mut table = Table::open(path)?;
    let text = table.required(cols.text.as_deref(), "text", "--text")?;
    let date = table.column(cols.date.as_deref(), "date", "--date")?;
    let source = table.column(cols.source.as_deref(), "source", "--source")?;
    let score = table.column(cols.score.as_deref(), "score", "--score")?;
    let kind = match cols.kind {
        Some(_) => None,
        None => table.column(None, "kind", "--kind")?,
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
        None => table.column(
            cols.persona_column.as_deref(),
            "persona",
            "--persona-column",
        )?,
    };
    let stage_col = match &cols.stage {
        Some(_) => None,
        None => table.column(cols.stage_column.as_deref(), "stage", "--stage-column")?,
    };
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();

    let mut out = Listened::default();
    let mut record = csv::StringRecord::new();
    while let Some(line) = table.next_row(&mut record)? {
        let cell = |c: Option<usize>| cell(&record, c);
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
            Err(problem) => return Err(table.bad_row(line, problem)),
        }
    }
    Ok(out)
}
