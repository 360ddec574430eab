//! The exchange document: one serde model for JSON and TOML, and a board as a document.

use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::evidence::{EvidenceDoc, evidence_docs};
use super::{FORMAT_NAME, FORMAT_VERSION};
use crate::model::{
    self, Better, Board, Comment, Feeling, Item, Persona, Side, Stage, Standup, StandupSummary,
    Status,
};

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
    /// The columns' WIP limits (a column not named keeps its limit on import).
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "WipLimitsDoc::is_empty"
    )]
    pub wip_limits: WipLimitsDoc,
    /// The stand-ups held, oldest first, each with its summary.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub standups: Vec<StandupDoc>,
    /// Topics parked in stand-ups, open and closed, oldest first.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub parked: Vec<ParkedDoc>,
    /// What customers and employees said or did, oldest observed first.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub evidence: Vec<EvidenceDoc>,
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
            wip_limits: WipLimitsDoc::default(),
            standups: Vec::new(),
            parked: Vec::new(),
            evidence: Vec::new(),
        }
    }
}

/// The WIP limit of each column that has one.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WipLimitsDoc {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plan: Option<u32>,
    #[serde(rename = "do", skip_serializing_if = "Option::is_none")]
    pub do_: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub check: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub act: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done: Option<u32>,
}

impl WipLimitsDoc {
    pub fn is_empty(&self) -> bool {
        Status::ALL.iter().all(|s| self.get(*s).is_none())
    }

    pub fn get(&self, s: Status) -> Option<u32> {
        match s {
            Status::Plan => self.plan,
            Status::Do => self.do_,
            Status::Check => self.check,
            Status::Act => self.act,
            Status::Done => self.done,
        }
    }

    pub fn set(&mut self, s: Status, limit: Option<u32>) {
        *match s {
            Status::Plan => &mut self.plan,
            Status::Do => &mut self.do_,
            Status::Check => &mut self.check,
            Status::Act => &mut self.act,
            Status::Done => &mut self.done,
        } = limit;
    }
}

/// One recorded value of a stage's metric.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricValueDoc {
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub uid: String,
    /// RFC 3339.
    #[serde(deserialize_with = "de_timestamp")]
    pub at: Timestamp,
    pub value: f64,
    #[serde(default, deserialize_with = "null_default")]
    pub who: String,
}

/// A stand-up held on the board, with what it achieved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StandupDoc {
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub uid: String,
    /// Its number on the board it came from (kept on import when free).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    #[serde(deserialize_with = "de_timestamp")]
    pub started_at: Timestamp,
    #[serde(deserialize_with = "de_timestamp")]
    pub ended_at: Timestamp,
    #[serde(default, deserialize_with = "null_default")]
    pub facilitator: String,
    #[serde(default, deserialize_with = "null_default")]
    pub summary: StandupSummary,
}

/// A topic parked in a stand-up: open, resolved, or turned into an item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParkedDoc {
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub uid: String,
    pub text: String,
    #[serde(default, deserialize_with = "null_default")]
    pub parked_by: String,
    #[serde(deserialize_with = "de_timestamp")]
    pub parked_at: Timestamp,
    /// The uid of the stand-up it was parked in (one of `standups`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standup: Option<String>,
    /// When it was resolved or turned into an item; absent while open.
    #[serde(
        default,
        deserialize_with = "de_opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub resolved_at: Option<Timestamp>,
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub resolved_by: String,
    /// The id of the item it became (one of `items`, or one deleted since).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<i64>,
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
    /// Stable identity across boards: import matches it first.
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub uid: String,
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
    /// `"customer"` (the default) or `"employee"`.
    #[serde(
        deserialize_with = "super::evidence::de_side",
        skip_serializing_if = "Side::is_customer"
    )]
    pub side: Side,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StageDoc {
    /// Stable identity across boards: import matches it first.
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub uid: String,
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
    /// The metric's recorded values, oldest first.
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub history: Vec<MetricValueDoc>,
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
    /// The warning band in the metric's unit: amber within it short of the target.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warn: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FeelingDoc {
    /// Stable identity across boards: import matches it first.
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub uid: String,
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

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ItemDoc {
    /// Stable identity across boards: import matches it first.
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub uid: String,
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
    /// Its stage metric's reading when it last entered Do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<f64>,
    /// When it last entered Do.
    #[serde(
        deserialize_with = "de_opt_timestamp",
        skip_serializing_if = "Option::is_none"
    )]
    pub baseline_at: Option<Timestamp>,
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub comments: Vec<CommentDoc>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CommentDoc {
    /// Stable identity across boards: import matches it first.
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub uid: String,
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

pub(super) fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
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

pub(super) fn de_opt_date<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Date>, D::Error> {
    match Option::<DateText>::deserialize(d)? {
        None => Ok(None),
        Some(DateText(s)) => model::parse_date(&s).map(Some).map_err(de::Error::custom),
    }
}

fn de_timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Timestamp, D::Error> {
    de_opt_timestamp(d)?.ok_or_else(|| de::Error::custom("a time is needed"))
}

fn de_opt_timestamp<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    match Option::<DateText>::deserialize(d)? {
        None => Ok(None),
        Some(DateText(s)) => match s.trim().parse::<Timestamp>() {
            Ok(t) if model::rules::plausible_time(t) => Ok(Some(t)),
            Ok(_) => Err(de::Error::custom(format!(
                "timestamp '{s}' is outside the years 1900 to 9999"
            ))),
            Err(_) => Err(de::Error::custom(format!(
                "invalid timestamp '{s}' (expected RFC 3339, e.g. 2026-11-22T09:00:00Z)"
            ))),
        },
    }
}

// ---------------------------------------------------------------------------------------
// Board → Document

/// The whole board as an exchange document: items in board order (status, then
/// position), persona and stage ids as names, comments nested under their item, each
/// stage's metric history under it, then the WIP limits, the stand-ups (oldest first,
/// each with its summary: `standups`, as `Store::standups` and `Store::summary_of` read
/// them) and every parked topic. Times are UTC, so the document is the same bytes
/// wherever it is made.
pub fn from_board(board: &Board, standups: &[(Standup, StandupSummary)]) -> Document {
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

    let mut wip_limits = WipLimitsDoc::default();
    for c in &board.columns {
        wip_limits.set(c.status, c.wip_limit);
    }
    let standup_uid = |id: i64| {
        standups
            .iter()
            .find(|(s, _)| s.id == id)
            .map(|(s, _)| s.uid.clone())
            .filter(|u| !u.is_empty())
    };

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
                uid: p.meta.uid.clone(),
                name: p.name.clone(),
                role: p.role.clone(),
                goal: p.goal.clone(),
                needs: p.needs.clone(),
                pains: p.pains.clone(),
                quote: p.quote.clone(),
                side: p.side,
            })
            .collect(),
        stages: stages
            .iter()
            .map(|s| StageDoc {
                uid: s.meta.uid.clone(),
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
                    warn: s.metric.warn,
                }),
                history: board
                    .metric_history(s.id)
                    .map(|v| MetricValueDoc {
                        uid: v.uid.clone(),
                        at: v.at,
                        value: v.value,
                        who: v.who.clone(),
                    })
                    .collect(),
            })
            .collect(),
        feelings: feelings
            .iter()
            .map(|(p, s, f)| FeelingDoc {
                uid: f.meta.uid.clone(),
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
                    uid: i.meta.uid.clone(),
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
                    baseline: i.baseline,
                    baseline_at: i.baseline_at,
                    comments: comments
                        .iter()
                        .map(|c| CommentDoc {
                            uid: c.meta.uid.clone(),
                            author: c.author.clone(),
                            at: Some(c.at),
                            text: c.text.clone(),
                        })
                        .collect(),
                }
            })
            .collect(),
        wip_limits,
        standups: standups
            .iter()
            .map(|(s, summary)| StandupDoc {
                uid: s.uid.clone(),
                id: Some(s.id),
                started_at: s.started_at,
                ended_at: s.end(),
                facilitator: s.facilitator.clone(),
                summary: summary.clone(),
            })
            .collect(),
        parked: board
            .parked
            .iter()
            .map(|t| ParkedDoc {
                uid: t.meta.uid.clone(),
                text: t.text.clone(),
                parked_by: t.parked_by.clone(),
                parked_at: t.parked_at,
                standup: t.standup_id.and_then(standup_uid),
                resolved_at: t.resolved_at,
                resolved_by: t.resolved_by.clone(),
                item: t.item_id,
            })
            .collect(),
        evidence: evidence_docs(board),
    }
}
