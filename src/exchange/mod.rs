//! JSON / TOML / Markdown / CSV exchange of a whole board.
//!
//! One serde model ([`Document`]) serves both JSON and TOML, so the two formats carry
//! the same data; its field names are the exchange format's contract. Optional fields
//! may be absent or `null` on input; on output empty values are omitted (TOML has no
//! null). Unknown fields are refused so typos are caught.
//!
//! One way in: a document is read whole ([`read_file`]; the starter board is parsed
//! from its text), checked ([`validate()`]), and imported in one transaction
//! ([`import()`]).
//!
//! - `document`: the serde model, and the board as a document;
//! - `read`: a `.json` or `.toml` file into a checked [`Document`];
//! - `validate`: what serde cannot check (names, references, ranges);
//! - `import`: a document into a board, in one transaction;
//! - `error`: why a document was refused ([`ExchangeError`]);
//! - `markdown`, `csv`: the report and the items table;
//! - `safe`: JSON and TOML with no raw control characters, losslessly;
//! - `starter`: the starter board, its dates moved to the day it is made.

mod csv;
mod document;
mod error;
mod evidence;
pub mod import;
pub mod listening;
mod markdown;
mod read;
pub mod readings;
mod safe;
mod starter;
mod table;
mod validate;

use std::path::Path;

pub use csv::{CSV_HEADER, items_csv};
pub use document::{
    CommentDoc, Document, FeelingDoc, ItemDoc, MetricDoc, MetricValueDoc, MissionDoc, ParkedDoc,
    PersonaDoc, StageDoc, StandupDoc, WipLimitsDoc, from_board,
};
pub use error::{ExchangeError, ParseError};
pub use evidence::EvidenceDoc;
pub use import::{ImportReport, import};
pub use markdown::to_markdown;
pub use read::read_file;
pub use safe::json_pretty;
pub use starter::{STARTER_DAY, starter, starter_on};
pub use validate::{Invalid, validate};

/// The value of the top-level `format` key.
pub const FORMAT_NAME: &str = "obeya";
/// The exchange format version this build writes. It reads this one and every earlier
/// one, each a subset of the next (version 1 had no uids, WIP limits, metric history,
/// stand-ups or parked topics; version 2 no evidence and no persona sides; version 3 no
/// metric warning bands and no item baselines).
pub const FORMAT_VERSION: i64 = 4;

/// The whole board from its file, as an exchange document: the board, and every
/// stand-up with its summary.
pub fn export(store: &crate::store::Store) -> Result<Document, crate::store::StoreError> {
    let board = store.load_board()?;
    let mut standups = Vec::new();
    for s in store.standups()? {
        let summary = store.summary_of(&s)?;
        standups.push((s, summary));
    }
    Ok(from_board(&board, &standups))
}

/// The starter board a newcomer sees on first run, as an exchange document (TOML),
/// dated for [`STARTER_DAY`] (see [`starter_on`]).
pub const STARTER: &str = include_str!("../../assets/starter.toml");

/// The two structured exchange formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Toml,
}

/// The format of a file by its extension (`.json`, `.toml`, any case).
pub fn format_for_path(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "json" => Some(Format::Json),
        "toml" => Some(Format::Toml),
        _ => None,
    }
}

/// Pretty JSON with a trailing newline. The text is exact; control characters, DEL and
/// bidi overrides are written as JSON escapes, never raw.
pub fn to_json(doc: &Document) -> String {
    let mut s = json_pretty(doc).expect("a Document always serializes to JSON");
    s.push('\n');
    s
}

/// TOML (arrays of tables for personas, stages, feelings, items). The text is exact;
/// control characters, DEL and bidi overrides are written as TOML escapes, never raw.
pub fn to_toml(doc: &Document) -> String {
    let s = toml::to_string_pretty(doc).expect("a Document always serializes to TOML");
    let mut s = safe::toml_without_raw_hazards(&s);
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// Parse a document; errors name the format and, where known, the line and column.
/// A UTF-8 byte order mark at the start (Windows editors write one) is not content.
/// The document is not validated here: call [`validate()`].
pub fn parse(text: &str, format: Format) -> Result<Document, ParseError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        Format::Json => serde_json::from_str(text).map_err(|e| ParseError::json(&e)),
        Format::Toml => toml::from_str(text).map_err(|e| ParseError::toml(&e, text)),
    }
}
