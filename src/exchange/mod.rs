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
//! - `safe`: JSON and TOML with no raw control characters, losslessly.

mod csv;
mod document;
mod error;
pub mod import;
mod markdown;
mod read;
mod safe;
mod validate;

use std::path::Path;

pub use csv::{CSV_HEADER, items_csv};
pub use document::{
    CommentDoc, Document, FeelingDoc, ItemDoc, MetricDoc, MetricValueDoc, MissionDoc, ParkedDoc,
    PersonaDoc, StageDoc, StandupDoc, WipLimitsDoc, from_board,
};
pub use error::{ExchangeError, ParseError};
pub use import::{ImportReport, import};
pub use markdown::to_markdown;
pub use read::read_file;
pub use safe::json_pretty;
pub use validate::{Invalid, validate};

/// The value of the top-level `format` key.
pub const FORMAT_NAME: &str = "obeya";
/// The exchange format version this build writes. It reads this one and every earlier
/// one (version 1 had no uids, WIP limits, metric history, stand-ups or parked topics:
/// a subset).
pub const FORMAT_VERSION: i64 = 2;

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

/// The starter board a newcomer sees on first run, as an exchange document (TOML).
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

/// The starter board as a document (parsed from [`STARTER`]).
pub fn starter() -> Document {
    parse(STARTER, Format::Toml).expect("assets/starter.toml is a valid exchange document")
}

#[cfg(test)]
pub(crate) mod fixtures {
    use jiff::Timestamp;

    use super::*;
    use crate::model::{self, Board, Status};
    use crate::store::Store;

    pub fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    /// A small, fully specified board (every timestamp set), Unicode included.
    pub fn sample_doc() -> Document {
        Document {
            mission: MissionDoc {
                statement: "Zoë 🚀 顧客: we deliver, «vite» et bien.".into(),
                customer: "Households in Zürich, 東京 and Łódź".into(),
            },
            personas: vec![
                PersonaDoc {
                    name: "Zoë 🚀".into(),
                    role: "顧客 (customer)".into(),
                    goal: "Dîner à l'heure".into(),
                    quote: "Ça marche \"bien\"\nsecond line".into(),
                    ..Default::default()
                },
                PersonaDoc {
                    name: "Ben".into(),
                    ..Default::default()
                },
            ],
            stages: vec![
                StageDoc {
                    name: "Découvrir".into(),
                    pains: "fee | hidden".into(),
                    metric: Some(MetricDoc {
                        name: "conversion".into(),
                        target: Some(30.0),
                        actual: Some(34.5),
                        unit: "%".into(),
                        ..Default::default()
                    }),
                    ..Default::default()
                },
                StageDoc {
                    name: "受け取り".into(),
                    ..Default::default()
                },
            ],
            feelings: vec![
                FeelingDoc {
                    uid: String::new(),
                    persona: "Zoë 🚀".into(),
                    stage: "Découvrir".into(),
                    score: 2,
                    note: "très bien 👍".into(),
                },
                FeelingDoc {
                    uid: String::new(),
                    persona: "Ben".into(),
                    stage: "受け取り".into(),
                    score: -2,
                    note: String::new(),
                },
            ],
            items: vec![
                ItemDoc {
                    uid: String::new(),
                    id: Some(7),
                    title: "Fix refunds, \"fast\" 🚀".into(),
                    detail: "line one\nline two".into(),
                    status: Status::Do,
                    owner: "zoë".into(),
                    due: Some(model::parse_date("2026-11-20").unwrap()),
                    persona: Some("Zoë 🚀".into()),
                    stage: Some("受け取り".into()),
                    impact: "顧客 get money back".into(),
                    risk: "wrong refunds".into(),
                    blocked: true,
                    blocked_reason: "provider".into(),
                    created_at: Some(ts("2026-11-01T08:00:00Z")),
                    updated_at: Some(ts("2026-11-21T10:30:00Z")),
                    status_since: Some(ts("2026-11-10T12:00:00Z")),
                    comments: vec![CommentDoc {
                        uid: String::new(),
                        author: "bob".into(),
                        at: Some(ts("2026-11-18T09:12:00Z")),
                        text: "asked, «wait»".into(),
                    }],
                },
                ItemDoc {
                    id: Some(3),
                    title: "Printers".into(),
                    status: Status::Plan,
                    created_at: Some(ts("2026-11-02T08:00:00Z")),
                    updated_at: Some(ts("2026-11-02T08:00:00Z")),
                    status_since: Some(ts("2026-11-02T08:00:00Z")),
                    ..Default::default()
                },
            ],
            ..Default::default()
        }
    }

    /// The document with every uid left out (as a hand-written one has none).
    pub fn without_uids(mut d: Document) -> Document {
        d.personas.iter_mut().for_each(|p| p.uid.clear());
        d.stages.iter_mut().for_each(|s| {
            s.uid.clear();
            s.history.iter_mut().for_each(|v| v.uid.clear());
        });
        d.feelings.iter_mut().for_each(|f| f.uid.clear());
        d.items.iter_mut().for_each(|i| {
            i.uid.clear();
            i.comments.iter_mut().for_each(|c| c.uid.clear());
        });
        d.standups.iter_mut().for_each(|s| s.uid.clear());
        d.parked.iter_mut().for_each(|t| t.uid.clear());
        d
    }

    /// The document imported into a board file, and read back.
    pub fn board_of(doc: &Document) -> Board {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("b.db"), "test").unwrap();
        import(&mut store, doc).unwrap();
        store.load_board().unwrap()
    }

    pub fn starter_board() -> Board {
        board_of(&starter())
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;
    use crate::model::{self, Status};

    #[test]
    fn json_to_document_to_json_is_identical() {
        let json = to_json(&sample_doc());
        let again = to_json(&parse(&json, Format::Json).unwrap());
        assert_eq!(json, again);
        assert!(json.ends_with("}\n"));
        let starter_json = to_json(&starter());
        assert_eq!(
            to_json(&parse(&starter_json, Format::Json).unwrap()),
            starter_json
        );
    }

    #[test]
    fn json_and_toml_carry_the_same_document() {
        for doc in [sample_doc(), starter()] {
            let from_json = parse(&to_json(&doc), Format::Json).unwrap();
            let toml_text = to_toml(&doc);
            let from_toml =
                parse(&toml_text, Format::Toml).unwrap_or_else(|e| panic!("{e}\n{toml_text}"));
            assert_eq!(from_json, doc);
            assert_eq!(from_toml, doc);
        }
    }

    #[test]
    fn unicode_round_trips_through_both_formats() {
        let doc = sample_doc();
        for format in [Format::Json, Format::Toml] {
            let text = if format == Format::Json {
                to_json(&doc)
            } else {
                to_toml(&doc)
            };
            assert!(
                text.contains("Zoë 🚀"),
                "{format:?} escaped the text:\n{text}"
            );
            let back = parse(&text, format).unwrap();
            assert_eq!(back.personas[0].name, "Zoë 🚀");
            assert_eq!(back.personas[0].role, "顧客 (customer)");
            assert_eq!(
                back.mission.statement,
                "Zoë 🚀 顧客: we deliver, «vite» et bien."
            );
            assert_eq!(back.personas[0].quote, "Ça marche \"bien\"\nsecond line");
            assert_eq!(back.items[0].stage.as_deref(), Some("受け取り"));
        }
    }

    #[test]
    fn output_has_contract_key_order_and_omits_empty_values() {
        let json = to_json(&sample_doc());
        let pos = |k: &str| {
            json.find(&format!("\"{k}\""))
                .unwrap_or_else(|| panic!("no {k}"))
        };
        let keys = [
            "format", "version", "mission", "personas", "stages", "feelings", "items",
        ];
        assert!(keys.windows(2).all(|w| pos(w[0]) < pos(w[1])), "{json}");
        assert!(!json.contains("null"), "{json}");
        assert!(json.contains("\"due\": \"2026-11-20\""), "{json}");
        assert!(
            json.contains("\"created_at\": \"2026-11-01T08:00:00Z\""),
            "{json}"
        );
        assert!(json.contains("\"status\": \"do\""));
        let toml_text = to_toml(&sample_doc());
        assert!(
            toml_text.starts_with("format = \"obeya\"\nversion = 2\n"),
            "{toml_text}"
        );
    }

    #[test]
    fn minimal_hand_written_files_parse_with_defaults() {
        let toml_text = "format = \"obeya\"\nversion = 1\n[[items]]\ntitle = \"Just a title\"\n";
        let doc = parse(toml_text, Format::Toml).unwrap();
        validate(&doc).unwrap();
        assert_eq!(doc.items.len(), 1);
        assert_eq!(doc.items[0].title, "Just a title");
        assert_eq!(doc.items[0].status, Status::Plan);
        assert_eq!(doc.items[0].id, None);

        let json = r#"{"format":"obeya","version":1,"mission":null,
            "items":[{"title":"A","status":"Check","owner":null,"due":null,"persona":null,
                      "blocked":null,"created_at":null,"comments":null}]}"#;
        let doc = parse(json, Format::Json).unwrap();
        validate(&doc).unwrap();
        assert_eq!(doc.items[0].status, Status::Check);
        assert_eq!(doc.items[0].owner, "");
        assert!(!doc.items[0].blocked);
    }

    #[test]
    fn toml_native_dates_are_accepted() {
        let toml_text = "format = \"obeya\"\nversion = 1\n[[items]]\ntitle = \"T\"\n\
                         due = 2026-12-01\ncreated_at = 2026-11-01T08:00:00Z\n";
        let doc = parse(toml_text, Format::Toml).unwrap();
        assert_eq!(
            doc.items[0].due,
            Some(model::parse_date("2026-12-01").unwrap())
        );
        assert_eq!(doc.items[0].created_at, Some(ts("2026-11-01T08:00:00Z")));
    }

    #[test]
    fn a_byte_order_mark_is_not_content_and_long_lines_are_cut_in_errors() {
        let doc = parse("\u{feff}format = \"obeya\"\nversion = 1\n", Format::Toml).unwrap();
        assert_eq!(doc.version, 1);
        let doc = parse("\u{feff}{\"format\":\"obeya\",\"version\":1}", Format::Json).unwrap();
        assert_eq!(doc.format, "obeya");
        let long = format!(
            "format = \"obeya\"\nversion = 1\nbogus = \"{}\"\n",
            "x".repeat(100_000)
        );
        let err = parse(&long, Format::Toml).unwrap_err().to_string();
        assert!(
            err.contains("bogus") && err.len() < 2_000,
            "{} bytes",
            err.len()
        );
    }

    #[test]
    fn parse_errors_are_readable() {
        let err = parse("{\"format\": \"obeya\", \"verison\": 1}", Format::Json)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("invalid JSON") && err.contains("verison") && err.contains("line 1"),
            "{err}"
        );
        let err = parse(
            "format = \"obeya\"\nversion = 1\n[[items]]\ntitel = \"x\"\n",
            Format::Toml,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("invalid TOML") && err.contains("titel") && err.contains("line 4"),
            "{err}"
        );
        let err = parse(
            "[[items]]\ntitle = \"x\"\ndue = \"2026-02-30\"\n",
            Format::Toml,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("invalid date '2026-02-30' (expected YYYY-MM-DD, a real calendar day)"),
            "{err}"
        );
        let err = parse(
            "{\"items\":[{\"title\":\"x\",\"status\":\"doing\"}]}",
            Format::Json,
        )
        .unwrap_err()
        .to_string();
        assert!(err.contains("'doing'") && err.contains("column"), "{err}");
    }

    #[test]
    fn format_is_chosen_by_extension() {
        assert_eq!(format_for_path(Path::new("board.json")), Some(Format::Json));
        assert_eq!(
            format_for_path(Path::new("/tmp/x/Board.TOML")),
            Some(Format::Toml)
        );
        assert_eq!(format_for_path(Path::new("board.md")), None);
        assert_eq!(format_for_path(Path::new("board")), None);
    }

    #[test]
    fn starter_parses_validates_and_teaches() {
        let doc = starter();
        validate(&doc).unwrap();
        assert_eq!(doc.personas.len(), 3);
        assert!(
            (5..=6).contains(&doc.stages.len()),
            "{} stages",
            doc.stages.len()
        );
        for p in &doc.personas {
            assert!(
                !p.goal.is_empty()
                    && !p.needs.is_empty()
                    && !p.pains.is_empty()
                    && !p.quote.is_empty()
            );
            for s in &doc.stages {
                let n = doc
                    .feelings
                    .iter()
                    .filter(|f| f.persona == p.name && f.stage == s.name)
                    .count();
                assert_eq!(n, 1, "feeling of {} at {}", p.name, s.name);
            }
        }
        assert_eq!(doc.feelings.len(), doc.personas.len() * doc.stages.len());
        let scores: Vec<i64> = doc.feelings.iter().map(|f| f.score).collect();
        assert!(scores.contains(&-2) && scores.contains(&2) && scores.contains(&0));
        for s in &doc.stages {
            let m = s.metric.as_ref().unwrap();
            assert!(
                !m.name.is_empty()
                    && m.target.is_some()
                    && m.actual.is_some()
                    && !s.backstage.is_empty()
            );
        }
        let met = doc.stages.iter().filter(|s| {
            let m = s.metric.as_ref().unwrap();
            m.actual >= m.target
        });
        assert!(
            (1..doc.stages.len()).contains(&met.count()),
            "some metrics met, some missed"
        );

        assert!((7..=10).contains(&doc.items.len()));
        for &status in Status::ALL {
            assert!(
                doc.items.iter().any(|i| i.status == status),
                "no item in {status}"
            );
        }
        assert!(
            doc.items
                .iter()
                .all(|i| !i.impact.is_empty() && !i.owner.is_empty())
        );
        assert!(doc.items.iter().any(|i| !i.risk.is_empty()));
        assert!(doc.items.iter().filter(|i| !i.comments.is_empty()).count() >= 2);
        let blocked: Vec<_> = doc.items.iter().filter(|i| i.blocked).collect();
        assert_eq!(blocked.len(), 1);
        assert!(!blocked[0].blocked_reason.is_empty());
        let unlinked = doc
            .items
            .iter()
            .filter(|i| i.persona.is_none() && i.stage.is_none())
            .count();
        assert_eq!(unlinked, 1);

        let board = starter_board();
        let today = model::parse_date("2026-11-22").unwrap();
        let overdue: Vec<&str> = board
            .items
            .iter()
            .filter(|i| i.is_overdue(today))
            .map(|i| i.title.as_str())
            .collect();
        assert_eq!(overdue.len(), 1, "{overdue:?}");
    }
}
