//! The exchange document: one serde model for JSON and TOML, and a board as a document.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::{FORMAT_NAME, FORMAT_VERSION};
use crate::model::{self, Better, Board, Comment, Feeling, Item, Persona, Stage, Status};

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
    /// `"higher"` (the default) or `"lower"`: which way the metric gets better.
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "Better::is_higher"
    )]
    pub better: Better,
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
    /// −2 … +2 (checked by [`super::validate`]).
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
                    better: s.metric.better,
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
