//! JSON / TOML / Markdown / CSV exchange of a whole board.
//!
//! One serde model ([`Document`]) serves both JSON and TOML, so the two formats carry
//! the same data. Field names are the contract of DESIGN.md ("Exchange formats").
//! Optional fields may be absent or `null` on input; on output empty values are
//! omitted (TOML has no null). Unknown fields are refused so typos are caught.

use std::fmt::{self, Write as _};
use std::path::Path;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use crate::format::{metric_long, signed};
use crate::model::{
    self, Board, Column, Comment, Feeling, Item, Meta, Metric, Mission, Persona, Stage, Status,
    same_name,
};

/// The value of the top-level `format` key.
pub const FORMAT_NAME: &str = "obeya";
/// The exchange format version this build reads and writes.
pub const FORMAT_VERSION: i64 = 1;

/// The starter board a newcomer sees on first run, as an exchange document (TOML).
pub const STARTER: &str = include_str!("../assets/starter.toml");

/// The whole board as an exchange document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Always `"obeya"`.
    #[serde(default, deserialize_with = "null_default")]
    pub format: String,
    /// Always [`FORMAT_VERSION`]; 0 when absent on input.
    #[serde(default, deserialize_with = "null_default")]
    pub version: i64,
    #[serde(default, deserialize_with = "null_default")]
    pub mission: MissionDoc,
    #[serde(default, deserialize_with = "null_default")]
    pub personas: Vec<PersonaDoc>,
    /// Ordered along the journey.
    #[serde(default, deserialize_with = "null_default")]
    pub stages: Vec<StageDoc>,
    #[serde(default, deserialize_with = "null_default")]
    pub feelings: Vec<FeelingDoc>,
    #[serde(default, deserialize_with = "null_default")]
    pub items: Vec<ItemDoc>,
}

impl Default for Document {
    /// An empty board document with the right `format` and `version`.
    fn default() -> Self {
        Document {
            format: FORMAT_NAME.to_string(),
            version: FORMAT_VERSION,
            mission: MissionDoc::default(),
            personas: Vec::new(),
            stages: Vec::new(),
            feelings: Vec::new(),
            items: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MissionDoc {
    #[serde(deserialize_with = "null_default")]
    pub statement: String,
    #[serde(deserialize_with = "null_default")]
    pub customer: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PersonaDoc {
    /// Unique within the board, ignoring case.
    #[serde(deserialize_with = "null_default")]
    pub name: String,
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub role: String,
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub goal: String,
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub needs: String,
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub pains: String,
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub quote: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StageDoc {
    /// Unique within the board, ignoring case.
    #[serde(deserialize_with = "null_default")]
    pub name: String,
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub customer_goal: String,
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub touchpoints: String,
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub pains: String,
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub backstage: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub metric: Option<MetricDoc>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MetricDoc {
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actual: Option<f64>,
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub unit: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeelingDoc {
    /// Persona name.
    #[serde(deserialize_with = "null_default")]
    pub persona: String,
    /// Stage name.
    #[serde(deserialize_with = "null_default")]
    pub stage: String,
    /// −2 … +2 (checked by [`validate`]).
    #[serde(deserialize_with = "null_default")]
    pub score: i64,
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ItemDoc {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(deserialize_with = "null_default")]
    pub title: String,
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub detail: String,
    /// `plan` when absent; read case-insensitively.
    #[serde(deserialize_with = "de_status")]
    pub status: Status,
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub owner: String,
    /// `YYYY-MM-DD` (a TOML local date is accepted too).
    #[serde(
        deserialize_with = "de_opt_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub due: Option<Date>,
    /// Persona name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persona: Option<String>,
    /// Stage name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// "How will this help our customers meet their goals?"
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub impact: String,
    /// "How might this adversely affect customers?"
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub risk: String,
    #[serde(deserialize_with = "null_default")]
    pub blocked: bool,
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub blocked_reason: String,
    /// RFC 3339 (a TOML offset date-time is accepted too).
    #[serde(
        deserialize_with = "de_opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub created_at: Option<Timestamp>,
    #[serde(
        deserialize_with = "de_opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub updated_at: Option<Timestamp>,
    #[serde(
        deserialize_with = "de_opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub status_since: Option<Timestamp>,
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub comments: Vec<CommentDoc>,
}

impl Default for ItemDoc {
    fn default() -> Self {
        ItemDoc {
            id: None,
            title: String::new(),
            detail: String::new(),
            status: Status::Plan,
            owner: String::new(),
            due: None,
            persona: None,
            stage: None,
            impact: String::new(),
            risk: String::new(),
            blocked: false,
            blocked_reason: String::new(),
            created_at: None,
            updated_at: None,
            status_since: None,
            comments: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CommentDoc {
    #[serde(deserialize_with = "null_default")]
    pub author: String,
    #[serde(
        deserialize_with = "de_opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub at: Option<Timestamp>,
    #[serde(deserialize_with = "null_default")]
    pub text: String,
}

// ---------------------------------------------------------------------------------------
// Lenient input helpers: null means "absent"; TOML native dates are accepted.

fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

fn de_status<'de, D: Deserializer<'de>>(d: D) -> Result<Status, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(Status::Plan),
        Some(s) => s.parse().map_err(de::Error::custom),
    }
}

/// A date or time written either as a string or as a TOML date-time literal.
struct DateText(String);

impl<'de> Deserialize<'de> for DateText {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = DateText;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date or time as a string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<DateText, E> {
                Ok(DateText(v.to_string()))
            }
            // toml presents its native date-times as a one-entry map.
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<DateText, A::Error> {
                match map.next_entry::<String, String>()? {
                    Some((_, v)) if map.next_key::<String>()?.is_none() => Ok(DateText(v)),
                    _ => Err(de::Error::custom("expected a date or time")),
                }
            }
        }
        d.deserialize_any(V)
    }
}

fn de_opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    match Option::<DateText>::deserialize(d)? {
        None => Ok(None),
        Some(DateText(s)) => model::parse_date(&s).map(Some).map_err(de::Error::custom),
    }
}

fn de_opt_timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    match Option::<DateText>::deserialize(d)? {
        None => Ok(None),
        Some(DateText(s)) => s.trim().parse::<Timestamp>().map(Some).map_err(|_| {
            de::Error::custom(format!(
                "invalid timestamp '{s}' (expected RFC 3339, e.g. 2026-11-22T09:00:00Z)"
            ))
        }),
    }
}

// ---------------------------------------------------------------------------------------
// Board → Document

/// The whole board as an exchange document: items in board order (status, then
/// position), persona and stage ids as names, comments nested under their item.
pub fn from_board(board: &Board) -> Document {
    let mut personas: Vec<&Persona> = board.personas.iter().collect();
    personas.sort_by_key(|p| (p.position, p.id));
    let mut stages: Vec<&Stage> = board.stages.iter().collect();
    stages.sort_by_key(|s| (s.position, s.id));

    let persona_rank = |id: i64| personas.iter().position(|p| p.id == id);
    let stage_rank = |id: i64| stages.iter().position(|s| s.id == id);

    let mut feelings: Vec<(usize, usize, &Feeling)> = board
        .feelings
        .iter()
        .filter_map(|f| Some((persona_rank(f.persona_id)?, stage_rank(f.stage_id)?, f)))
        .collect();
    feelings.sort_by_key(|(p, s, _)| (*p, *s));

    let mut items: Vec<&Item> = board.items.iter().collect();
    items.sort_by_key(|i| (i.status, i.position, i.id));

    Document {
        format: FORMAT_NAME.to_string(),
        version: FORMAT_VERSION,
        mission: MissionDoc {
            statement: board.mission.statement.clone(),
            customer: board.mission.customer.clone(),
        },
        personas: personas
            .iter()
            .map(|p| PersonaDoc {
                name: p.name.clone(),
                role: p.role.clone(),
                goal: p.goal.clone(),
                needs: p.needs.clone(),
                pains: p.pains.clone(),
                quote: p.quote.clone(),
            })
            .collect(),
        stages: stages
            .iter()
            .map(|s| StageDoc {
                name: s.name.clone(),
                customer_goal: s.customer_goal.clone(),
                touchpoints: s.touchpoints.clone(),
                pains: s.pains.clone(),
                backstage: s.backstage.clone(),
                metric: (!s.metric.is_empty()).then(|| MetricDoc {
                    name: s.metric.name.clone(),
                    target: s.metric.target,
                    actual: s.metric.actual,
                    unit: s.metric.unit.clone(),
                }),
            })
            .collect(),
        feelings: feelings
            .iter()
            .map(|(p, s, f)| FeelingDoc {
                persona: personas[*p].name.clone(),
                stage: stages[*s].name.clone(),
                score: i64::from(f.score),
                note: f.note.clone(),
            })
            .collect(),
        items: items
            .iter()
            .map(|i| {
                let mut comments: Vec<&Comment> = board.comments_of(i.id).collect();
                comments.sort_by_key(|c| (c.at, c.id));
                ItemDoc {
                    id: Some(i.id),
                    title: i.title.clone(),
                    detail: i.detail.clone(),
                    status: i.status,
                    owner: i.owner.clone(),
                    due: i.due,
                    persona: board.persona_name(i.persona_id).map(str::to_string),
                    stage: board.stage_name(i.stage_id).map(str::to_string),
                    impact: i.impact.clone(),
                    risk: i.risk.clone(),
                    blocked: i.blocked,
                    blocked_reason: i.blocked_reason.clone(),
                    created_at: Some(i.created_at),
                    updated_at: Some(i.meta.updated_at),
                    status_since: Some(i.status_since),
                    comments: comments
                        .iter()
                        .map(|c| CommentDoc {
                            author: c.author.clone(),
                            at: Some(c.at),
                            text: c.text.clone(),
                        })
                        .collect(),
                }
            })
            .collect(),
    }
}

// ---------------------------------------------------------------------------------------
// Document → Board

/// Build an in-memory board from a validated document: ids are numbered from 1 in
/// document order (items keep their `id` when given), positions follow the document
/// order, and missing timestamps become `now` (`status_since` falls back to
/// `created_at`). Refuses a document that [`validate`] refuses.
pub fn to_board(doc: &Document, now: Timestamp) -> Result<Board, String> {
    validate(doc)?;
    let meta = |at: Timestamp| Meta {
        version: 1,
        updated_at: at,
        updated_by: String::new(),
    };
    let mut board = Board {
        mission: Mission {
            statement: doc.mission.statement.clone(),
            customer: doc.mission.customer.clone(),
            meta: meta(now),
        },
        ..Board::default()
    };
    for (n, p) in doc.personas.iter().enumerate() {
        board.personas.push(Persona {
            id: n as i64 + 1,
            name: p.name.trim().to_string(),
            role: p.role.clone(),
            goal: p.goal.clone(),
            needs: p.needs.clone(),
            pains: p.pains.clone(),
            quote: p.quote.clone(),
            position: n as i64,
            meta: meta(now),
        });
    }
    for (n, s) in doc.stages.iter().enumerate() {
        let m = s.metric.clone().unwrap_or_default();
        board.stages.push(Stage {
            id: n as i64 + 1,
            name: s.name.trim().to_string(),
            customer_goal: s.customer_goal.clone(),
            touchpoints: s.touchpoints.clone(),
            pains: s.pains.clone(),
            backstage: s.backstage.clone(),
            metric: Metric {
                name: m.name,
                target: m.target,
                actual: m.actual,
                unit: m.unit,
            },
            position: n as i64,
            meta: meta(now),
        });
    }
    let persona_id = |name: &str| board.persona_named(name).map(|p| p.id);
    let stage_id = |name: &str| board.stage_named(name).map(|s| s.id);

    let mut feelings = Vec::new();
    for (n, f) in doc.feelings.iter().enumerate() {
        feelings.push(Feeling {
            id: n as i64 + 1,
            persona_id: persona_id(&f.persona).ok_or("feeling persona vanished")?,
            stage_id: stage_id(&f.stage).ok_or("feeling stage vanished")?,
            score: f.score as i8,
            note: f.note.clone(),
            meta: meta(now),
        });
    }

    let mut next_id = doc.items.iter().filter_map(|i| i.id).max().unwrap_or(0) + 1;
    let mut positions = [0i64; 5];
    let mut items = Vec::new();
    let mut comments = Vec::new();
    for i in &doc.items {
        let id = i.id.unwrap_or_else(|| {
            next_id += 1;
            next_id - 1
        });
        let created_at = i.created_at.unwrap_or(now);
        let position = &mut positions[i.status.index()];
        items.push(Item {
            id,
            title: i.title.clone(),
            detail: i.detail.clone(),
            status: i.status,
            owner: i.owner.clone(),
            due: i.due,
            persona_id: i.persona.as_deref().and_then(persona_id),
            stage_id: i.stage.as_deref().and_then(stage_id),
            impact: i.impact.clone(),
            risk: i.risk.clone(),
            blocked: i.blocked,
            blocked_reason: i.blocked_reason.clone(),
            created_at,
            status_since: i.status_since.unwrap_or(created_at),
            position: *position,
            meta: meta(i.updated_at.unwrap_or(now)),
        });
        *position += 1;
        for c in &i.comments {
            let at = c.at.unwrap_or(now);
            comments.push(Comment {
                id: comments.len() as i64 + 1,
                item_id: id,
                author: c.author.clone(),
                at,
                text: c.text.clone(),
                meta: meta(at),
            });
        }
    }
    items.sort_by_key(|i| (i.status, i.position));
    comments.sort_by_key(|c| (c.item_id, c.at, c.id));
    board.feelings = feelings;
    board.items = items;
    board.comments = comments;
    board.columns = Status::ALL
        .iter()
        .map(|&status| Column {
            id: status.index() as i64 + 1,
            status,
            wip_limit: None,
            meta: meta(now),
        })
        .collect();
    Ok(board)
}

// ---------------------------------------------------------------------------------------
// Text formats

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

/// Pretty JSON with a trailing newline.
pub fn to_json(doc: &Document) -> String {
    let mut s = serde_json::to_string_pretty(doc).expect("a Document always serializes to JSON");
    s.push('\n');
    s
}

/// TOML (arrays of tables for personas, stages, feelings, items).
pub fn to_toml(doc: &Document) -> String {
    let mut s = toml::to_string_pretty(doc).expect("a Document always serializes to TOML");
    if !s.ends_with('\n') {
        s.push('\n');
    }
    s
}

/// Parse a document; errors name the format and, where known, the line and column.
/// The document is not validated here: call [`validate`].
pub fn parse(text: &str, format: Format) -> Result<Document, String> {
    match format {
        Format::Json => serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}")),
        Format::Toml => toml::from_str(text).map_err(|e| format!("invalid TOML: {e}")),
    }
}

/// The starter board as a document (parsed from [`STARTER`]).
pub fn starter() -> Document {
    parse(STARTER, Format::Toml).expect("assets/starter.toml is a valid exchange document")
}

// ---------------------------------------------------------------------------------------
// Validation

/// Check what serde cannot: format and version, unique non-empty names, references
/// by name, score range, item titles and ids. Each message names the bad value.
pub fn validate(doc: &Document) -> Result<(), String> {
    match doc.format.trim() {
        FORMAT_NAME => {}
        "" => {
            return Err(
                "not an obeya exchange file: format is missing (expected format = \"obeya\")"
                    .into(),
            );
        }
        other => {
            return Err(format!(
                "not an obeya exchange file: format '{other}' (expected \"obeya\")"
            ));
        }
    }
    match doc.version {
        FORMAT_VERSION => {}
        0 => return Err("version is missing (expected version = 1)".into()),
        v if v > FORMAT_VERSION => {
            return Err(format!(
                "the file is from a newer obeya (exchange version {v}; this obeya reads version {FORMAT_VERSION}): upgrade obeya"
            ));
        }
        v => {
            return Err(format!(
                "unsupported exchange version {v} (expected {FORMAT_VERSION})"
            ));
        }
    }
    unique_names("persona", doc.personas.iter().map(|p| p.name.as_str()))?;
    unique_names("stage", doc.stages.iter().map(|s| s.name.as_str()))?;
    let known_persona = |n: &str| doc.personas.iter().any(|p| same_name(&p.name, n));
    let known_stage = |n: &str| doc.stages.iter().any(|s| same_name(&s.name, n));

    for (k, f) in doc.feelings.iter().enumerate() {
        if !known_persona(&f.persona) {
            return Err(format!("feeling for unknown persona '{}'", f.persona));
        }
        if !known_stage(&f.stage) {
            return Err(format!("feeling for unknown stage '{}'", f.stage));
        }
        if !(i64::from(Feeling::MIN)..=i64::from(Feeling::MAX)).contains(&f.score) {
            return Err(format!(
                "feeling score {} of '{}' at '{}' is out of range (−2 … +2)",
                f.score, f.persona, f.stage
            ));
        }
        if doc.feelings[..k]
            .iter()
            .any(|g| same_name(&g.persona, &f.persona) && same_name(&g.stage, &f.stage))
        {
            return Err(format!(
                "duplicate feeling for persona '{}' at stage '{}'",
                f.persona, f.stage
            ));
        }
    }

    for (k, item) in doc.items.iter().enumerate() {
        let label = || match item.id {
            Some(id) => format!("item {} (#{id})", k + 1),
            None => format!("item {}", k + 1),
        };
        if item.title.trim().is_empty() {
            return Err(format!("{} has an empty title", label()));
        }
        if let Some(p) = &item.persona
            && !known_persona(p)
        {
            return Err(format!(
                "item '{}' refers to unknown persona '{p}'",
                item.title
            ));
        }
        if let Some(s) = &item.stage
            && !known_stage(s)
        {
            return Err(format!(
                "item '{}' refers to unknown stage '{s}'",
                item.title
            ));
        }
        if let Some(id) = item.id {
            if id <= 0 {
                return Err(format!(
                    "item '{}' has id {id} (ids must be positive)",
                    item.title
                ));
            }
            if doc.items[..k].iter().any(|other| other.id == Some(id)) {
                return Err(format!("duplicate item id {id} ('{}')", item.title));
            }
        }
    }
    Ok(())
}

fn unique_names<'a>(kind: &str, names: impl Iterator<Item = &'a str>) -> Result<(), String> {
    let mut seen: Vec<&str> = Vec::new();
    for (k, name) in names.enumerate() {
        if name.trim().is_empty() {
            return Err(format!("{kind} {} has an empty name", k + 1));
        }
        if let Some(first) = seen.iter().find(|s| same_name(s, name)) {
            return Err(format!(
                "duplicate {kind} name '{name}' (same as '{first}', ignoring case)"
            ));
        }
        seen.push(name);
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Markdown report

/// Text safe inside a Markdown table cell.
fn cell(s: &str) -> String {
    s.trim()
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace('\n', "<br>")
}

/// Text safe on one Markdown line.
fn inline(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A readable report of the whole board: mission, personas, the journey as a table
/// (with one feeling column per persona) and the improvement items by PDCA column.
pub fn to_markdown(board: &Board) -> String {
    let mut out = String::new();
    let w = &mut out;
    let _ = writeln!(w, "# Obeya board\n");

    let _ = writeln!(w, "## Mission\n");
    if board.mission.statement.trim().is_empty() {
        let _ = writeln!(w, "_No mission statement yet._\n");
    } else {
        for line in board.mission.statement.trim().lines() {
            let _ = writeln!(w, "> {line}");
        }
        let _ = writeln!(w);
    }
    if !board.mission.customer.trim().is_empty() {
        let _ = writeln!(w, "**Customer:** {}\n", inline(&board.mission.customer));
    }

    let mut personas: Vec<&Persona> = board.personas.iter().collect();
    personas.sort_by_key(|p| (p.position, p.id));
    let mut stages: Vec<&Stage> = board.stages.iter().collect();
    stages.sort_by_key(|s| (s.position, s.id));

    let _ = writeln!(w, "## Personas\n");
    if personas.is_empty() {
        let _ = writeln!(w, "_No personas yet._\n");
    }
    for p in &personas {
        if p.role.trim().is_empty() {
            let _ = writeln!(w, "### {}\n", inline(&p.name));
        } else {
            let _ = writeln!(w, "### {} — {}\n", inline(&p.name), inline(&p.role));
        }
        for (label, text) in [("Goal", &p.goal), ("Needs", &p.needs), ("Pains", &p.pains)] {
            if !text.trim().is_empty() {
                let _ = writeln!(w, "- **{label}:** {}", inline(text));
            }
        }
        if !p.quote.trim().is_empty() {
            let _ = writeln!(w, "\n> “{}”", inline(&p.quote));
        }
        let _ = writeln!(w);
    }

    let _ = writeln!(w, "## Customer journey\n");
    if stages.is_empty() {
        let _ = writeln!(w, "_No journey stages yet._\n");
    } else {
        let mut header = String::from("| Stage | Customer goal | Touchpoints | Pains | Metric |");
        let mut rule = String::from("|---|---|---|---|---|");
        for p in &personas {
            let _ = write!(header, " {} |", cell(&p.name));
            rule.push_str("---|");
        }
        let _ = writeln!(w, "{header}\n{rule}");
        for s in &stages {
            let _ = write!(
                w,
                "| {} | {} | {} | {} | {} |",
                cell(&s.name),
                cell(&s.customer_goal),
                cell(&s.touchpoints),
                cell(&s.pains),
                cell(&metric_long(&s.metric)),
            );
            for p in &personas {
                match board.feeling(p.id, s.id) {
                    Some(f) if f.note.trim().is_empty() => {
                        let _ = write!(w, " {} |", signed(f.score));
                    }
                    Some(f) => {
                        let _ = write!(w, " {} {} |", signed(f.score), cell(&f.note));
                    }
                    None => w.push_str("  |"),
                }
            }
            let _ = writeln!(w);
        }
        let _ = writeln!(w);
    }

    let _ = writeln!(w, "## Improvements\n");
    for &status in Status::ALL {
        let mut items: Vec<&Item> = board.items.iter().filter(|i| i.status == status).collect();
        items.sort_by_key(|i| (i.position, i.id));
        let _ = writeln!(w, "### {} ({})\n", status.label(), items.len());
        if items.is_empty() {
            let _ = writeln!(w, "_Nothing here._\n");
            continue;
        }
        for i in items {
            let blocked = if i.blocked { " ⛔ blocked" } else { "" };
            let _ = writeln!(w, "- **{}** (#{}){blocked}", inline(&i.title), i.id);
            let mut facts = Vec::new();
            if !i.owner.is_empty() {
                facts.push(format!("owner: {}", inline(&i.owner)));
            }
            if let Some(due) = i.due {
                facts.push(format!("due: {due}"));
            }
            if !facts.is_empty() {
                let _ = writeln!(w, "  - {}", facts.join(" · "));
            }
            match (
                board.persona_name(i.persona_id),
                board.stage_name(i.stage_id),
            ) {
                (None, None) => {
                    let _ = writeln!(w, "  - ⚠ serves no persona or stage");
                }
                (Some(p), None) => {
                    let _ = writeln!(w, "  - serves: {}", inline(p));
                }
                (None, Some(s)) => {
                    let _ = writeln!(w, "  - serves: stage {}", inline(s));
                }
                (Some(p), Some(s)) => {
                    let _ = writeln!(w, "  - serves: {} at {}", inline(p), inline(s));
                }
            }
            if i.blocked && !i.blocked_reason.trim().is_empty() {
                let _ = writeln!(w, "  - blocked because: {}", inline(&i.blocked_reason));
            }
            if !i.impact.trim().is_empty() {
                let _ = writeln!(w, "  - impact: {}", inline(&i.impact));
            }
            if !i.risk.trim().is_empty() {
                let _ = writeln!(w, "  - risk: {}", inline(&i.risk));
            }
        }
        let _ = writeln!(w);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

// ---------------------------------------------------------------------------------------
// CSV

/// The header of [`items_csv`].
pub const CSV_HEADER: &str = "id,title,status,owner,due,persona,stage,blocked,blocked_reason,impact,risk,created_at,updated_at,status_since";

/// One CSV field, quoted per RFC 4180 when it holds a comma, quote, CR or LF.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The items as CSV (RFC 4180: CRLF line ends, fields quoted where needed), in board
/// order, with persona and stage by name.
pub fn items_csv(board: &Board) -> String {
    let mut items: Vec<&Item> = board.items.iter().collect();
    items.sort_by_key(|i| (i.status, i.position, i.id));
    let mut out = String::from(CSV_HEADER);
    out.push_str("\r\n");
    for i in items {
        let fields = [
            i.id.to_string(),
            i.title.clone(),
            i.status.as_str().to_string(),
            i.owner.clone(),
            i.due.map(|d| d.to_string()).unwrap_or_default(),
            board
                .persona_name(i.persona_id)
                .unwrap_or_default()
                .to_string(),
            board.stage_name(i.stage_id).unwrap_or_default().to_string(),
            i.blocked.to_string(),
            i.blocked_reason.clone(),
            i.impact.clone(),
            i.risk.clone(),
            i.created_at.to_string(),
            i.meta.updated_at.to_string(),
            i.status_since.to_string(),
        ];
        let line: Vec<String> = fields.iter().map(|f| csv_field(f)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    const NOW: &str = "2026-11-22T09:00:00Z";

    /// A small, fully specified board (every timestamp set), Unicode included.
    fn sample_doc() -> Document {
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
                    persona: "Zoë 🚀".into(),
                    stage: "Découvrir".into(),
                    score: 2,
                    note: "très bien 👍".into(),
                },
                FeelingDoc {
                    persona: "Ben".into(),
                    stage: "受け取り".into(),
                    score: -2,
                    note: String::new(),
                },
            ],
            items: vec![
                ItemDoc {
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

    fn starter_board() -> Board {
        to_board(&starter(), ts(NOW)).unwrap()
    }

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
            toml_text.starts_with("format = \"obeya\"\nversion = 1\n"),
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
    fn parse_errors_are_readable() {
        let err = parse("{\"format\": \"obeya\", \"verison\": 1}", Format::Json).unwrap_err();
        assert!(
            err.contains("invalid JSON") && err.contains("verison") && err.contains("line 1"),
            "{err}"
        );
        let err = parse(
            "format = \"obeya\"\nversion = 1\n[[items]]\ntitel = \"x\"\n",
            Format::Toml,
        )
        .unwrap_err();
        assert!(
            err.contains("invalid TOML") && err.contains("titel") && err.contains("line 4"),
            "{err}"
        );
        let err = parse(
            "[[items]]\ntitle = \"x\"\ndue = \"2026-02-30\"\n",
            Format::Toml,
        )
        .unwrap_err();
        assert!(err.contains("'2026-02-30'"), "{err}");
        let err = parse(
            "{\"items\":[{\"title\":\"x\",\"status\":\"doing\"}]}",
            Format::Json,
        )
        .unwrap_err();
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

    #[test]
    fn board_round_trip_keeps_the_document() {
        let doc = sample_doc();
        let board = to_board(&doc, ts(NOW)).unwrap();
        assert_eq!(board.items[0].title, "Printers", "board order is by status");
        assert_eq!(board.comments.len(), 1);
        assert_eq!(board.comments[0].item_id, 7);
        let back = from_board(&board);
        // from_board writes items in board order: Plan before Do.
        let mut expected = doc.clone();
        expected.items.reverse();
        assert_eq!(back, expected);
        assert_eq!(from_board(&to_board(&back, ts(NOW)).unwrap()), back);
    }

    #[test]
    fn starter_exports_stably() {
        let once = from_board(&starter_board());
        let twice =
            from_board(&to_board(&parse(&to_toml(&once), Format::Toml).unwrap(), ts(NOW)).unwrap());
        assert_eq!(to_json(&once), to_json(&twice));
        assert!(once.items.iter().all(|i| i.id.is_some()));
        assert_eq!(once.items[0].status, Status::Plan);
        assert_eq!(once.items.last().unwrap().status, Status::Done);
    }

    fn invalid(mutate: impl FnOnce(&mut Document)) -> String {
        let mut doc = sample_doc();
        mutate(&mut doc);
        validate(&doc).expect_err("should be refused")
    }

    #[test]
    fn validate_names_each_bad_value() {
        validate(&sample_doc()).unwrap();
        let cases: Vec<(String, &str)> = vec![
            (invalid(|d| d.format = "trello".into()), "'trello'"),
            (invalid(|d| d.format = String::new()), "format"),
            (invalid(|d| d.version = 2), "newer obeya"),
            (invalid(|d| d.version = 0), "version"),
            (
                invalid(|d| d.personas[1].name = " ".into()),
                "persona 2 has an empty name",
            ),
            (
                invalid(|d| d.personas[1].name = "ZOË 🚀".into()),
                "duplicate persona name 'ZOË 🚀'",
            ),
            (
                invalid(|d| d.stages[1].name = String::new()),
                "stage 2 has an empty name",
            ),
            (
                invalid(|d| d.stages[1].name = "découvrir".into()),
                "duplicate stage name 'découvrir'",
            ),
            (
                invalid(|d| d.feelings[0].persona = "Marla".into()),
                "feeling for unknown persona 'Marla'",
            ),
            (
                invalid(|d| d.feelings[0].stage = "Pay".into()),
                "feeling for unknown stage 'Pay'",
            ),
            (invalid(|d| d.feelings[0].score = 3), "score 3"),
            (invalid(|d| d.feelings[1].score = -5), "score -5"),
            (
                invalid(|d| d.feelings.push(d.feelings[0].clone())),
                "duplicate feeling for persona 'Zoë 🚀' at stage 'Découvrir'",
            ),
            (
                invalid(|d| d.items[1].title = "  ".into()),
                "item 2 (#3) has an empty title",
            ),
            (
                invalid(|d| d.items[0].persona = Some("Marla".into())),
                "unknown persona 'Marla'",
            ),
            (
                invalid(|d| d.items[0].stage = Some("Nowhere".into())),
                "unknown stage 'Nowhere'",
            ),
            (invalid(|d| d.items[1].id = Some(7)), "duplicate item id 7"),
            (invalid(|d| d.items[1].id = Some(0)), "id 0"),
        ];
        for (err, needle) in cases {
            assert!(err.contains(needle), "expected {needle:?} in {err:?}");
        }
        // Names match ignoring case, as on the board.
        let mut doc = sample_doc();
        doc.feelings[0].persona = "zoë 🚀".into();
        doc.items[0].stage = Some("受け取り ".into());
        validate(&doc).unwrap();
        assert!(to_board(&sample_doc(), ts(NOW)).is_ok());
        assert!(
            to_board(
                &Document {
                    version: 9,
                    ..sample_doc()
                },
                ts(NOW)
            )
            .is_err()
        );
    }

    #[test]
    fn csv_quotes_commas_quotes_and_newlines() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, \"b\"\nc"), "\"a, \"\"b\"\"\nc\"");
        let board = to_board(&sample_doc(), ts(NOW)).unwrap();
        let csv = items_csv(&board);
        let mut lines = csv.split("\r\n");
        assert_eq!(lines.next(), Some(CSV_HEADER));
        assert_eq!(
            lines.next(),
            Some(
                "3,Printers,plan,,,,,false,,,,2026-11-02T08:00:00Z,2026-11-02T08:00:00Z,2026-11-02T08:00:00Z"
            )
        );
        assert_eq!(
            lines.next(),
            Some(
                "7,\"Fix refunds, \"\"fast\"\" 🚀\",do,zoë,2026-11-20,Zoë 🚀,受け取り,true,provider,\
                 顧客 get money back,wrong refunds,2026-11-01T08:00:00Z,2026-11-21T10:30:00Z,2026-11-10T12:00:00Z"
            )
        );
        assert_eq!(lines.next(), Some(""));
        assert_eq!(lines.next(), None);

        let mut board = board;
        board.items[0].title = "Say \"hi\",\nthen go".into();
        let csv = items_csv(&board);
        assert!(
            csv.contains("\r\n3,\"Say \"\"hi\"\",\nthen go\",plan,"),
            "{csv}"
        );
    }

    #[test]
    fn markdown_reports_the_board_and_flags_unlinked_items() {
        let board = starter_board();
        let md = to_markdown(&board);
        assert!(md.starts_with("# Obeya board\n"));
        assert!(
            md.contains("> We bring fresh groceries to your door"),
            "{md}"
        );
        assert!(
            md.contains("**Customer:** Households and small cafés"),
            "{md}"
        );
        assert!(md.contains("### Maria — Working parent of two"), "{md}");
        assert!(
            md.contains("> “I don't mind waiting. I mind not knowing.”"),
            "{md}"
        );
        assert!(md.contains(
            "| Stage | Customer goal | Touchpoints | Pains | Metric | Maria | Ben | Priya |"
        ));
        assert!(
            md.contains("refunds paid within 24 h: 62 % / 90 % — missed"),
            "{md}"
        );
        assert!(
            md.contains("checkouts completed: 92 % / 90 % — met"),
            "{md}"
        );
        assert!(md.contains("| −2 Waited four days for a refund |"), "{md}");
        assert!(md.contains("| +2 The driver carries the bags in |"), "{md}");
        let plan = md.find("### Plan (2)").unwrap();
        let done = md.find("### Done (1)").unwrap();
        let printers = md
            .find("**New label printers for the packing line**")
            .unwrap();
        assert!(plan < printers && printers < done);
        let warning = md[printers..].find("⚠ serves no persona or stage").unwrap();
        assert!(
            warning < md[printers..].find("\n- ").unwrap(),
            "warning belongs to the printers item"
        );
        assert_eq!(md.matches("⚠ serves no persona or stage").count(), 1);
        assert!(
            md.contains("blocked because: Waiting for the payment provider"),
            "{md}"
        );
        assert!(md.contains("serves: Priya at Order & pay"), "{md}");
        assert!(md.contains("owner: bob · due: 2026-11-20"), "{md}");
        assert!(md.contains("Order & pay"));
        // Table cells stay on one row even with pipes and newlines.
        let board = to_board(&sample_doc(), ts(NOW)).unwrap();
        let md = to_markdown(&board);
        assert!(md.contains("| fee \\| hidden |"), "{md}");
        assert!(md.contains("conversion: 34.5 % / 30 % — met"), "{md}");
    }
}
