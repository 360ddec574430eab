//! Why a document could not be read, or imported: typed, worded for the person who
//! gave the file.

use std::io;
use std::path::{Path, PathBuf};

use super::Format;
use super::validate::Invalid;
use crate::store::StoreError;

/// Why a document could not be read or imported.
#[derive(Debug, thiserror::Error)]
pub enum ExchangeError {
    /// A file whose name ends neither in `.json` nor in `.toml`.
    #[error("{}: expected a .json or .toml file", .0.display())]
    UnknownFormat(PathBuf),
    /// The file could not be read (missing, unreadable, not UTF-8 for TOML).
    #[error("cannot read {}: {error}", .path.display())]
    Read { path: PathBuf, error: io::Error },
    /// Not a document in its format; `file` when it was read from one.
    #[error("{}{error}", in_file(.file))]
    Parse {
        file: Option<PathBuf>,
        error: ParseError,
    },
    /// A document that breaks a rule serde cannot check; `file` when it was read from one.
    #[error("{}{problem}", in_file(.file))]
    Invalid {
        file: Option<PathBuf>,
        problem: Invalid,
    },
    /// The board could not take the document.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<ParseError> for ExchangeError {
    fn from(error: ParseError) -> Self {
        ExchangeError::Parse { file: None, error }
    }
}

impl From<Invalid> for ExchangeError {
    fn from(problem: Invalid) -> Self {
        ExchangeError::Invalid {
            file: None,
            problem,
        }
    }
}

impl ExchangeError {
    /// The same error, said of the document in `path`.
    pub(super) fn in_file(self, path: &Path) -> Self {
        let file = Some(path.to_path_buf());
        match self {
            ExchangeError::Parse { error, .. } => ExchangeError::Parse { file, error },
            ExchangeError::Invalid { problem, .. } => ExchangeError::Invalid { file, problem },
            other => other,
        }
    }
}

/// "PATH: " before a message about the document in a file.
fn in_file(file: &Option<PathBuf>) -> String {
    file.as_ref()
        .map(|p| format!("{}: ", p.display()))
        .unwrap_or_default()
}

/// A document that does not parse: where, and what the parser says.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{shown}")]
pub struct ParseError {
    pub format: Format,
    /// The line and column (from 1, in characters) of the mistake, when known.
    pub location: Option<(usize, usize)>,
    /// What is wrong, in the parser's words, without the location.
    pub message: String,
    /// The whole message: `invalid JSON: …` with the line and column, or `invalid
    /// TOML: …` with the line quoted and marked.
    shown: String,
}

impl ParseError {
    pub(super) fn json(e: &serde_json::Error) -> ParseError {
        let location = (e.line() > 0).then(|| (e.line(), e.column()));
        let text = e.to_string();
        let message = match location {
            Some((line, column)) => text
                .strip_suffix(&format!(" at line {line} column {column}"))
                .unwrap_or(&text)
                .to_owned(),
            None => text.clone(),
        };
        ParseError {
            format: Format::Json,
            location,
            message,
            shown: format!("invalid JSON: {text}"),
        }
    }

    /// `text` is the document the error is about (the position is counted in it).
    pub(super) fn toml(e: &toml::de::Error, text: &str) -> ParseError {
        ParseError {
            format: Format::Toml,
            location: e.span().map(|span| line_and_column(text, span.start)),
            message: e.message().to_owned(),
            shown: short_lines(&format!("invalid TOML: {e}")),
        }
    }
}

/// The line and column (from 1, the column in characters) of byte `offset` of `text`.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |k| k + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// An error message with each line cut to a readable length (a TOML error quotes the
/// offending line, which in a hostile file can be a megabyte long).
fn short_lines(message: &str) -> String {
    const MAX: usize = 200;
    message
        .lines()
        .map(|l| match l.char_indices().nth(MAX) {
            Some((cut, _)) => format!("{}…", &l[..cut]),
            None => l.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("\n")
}
