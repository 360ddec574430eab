//! The records of a board: what each table holds, as plain data.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::Status;

/// Bookkeeping every editable row carries: its stable uid, optimistic-locking version
/// and last author.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    /// The record's stable identity across boards (a UUID v4 as text): kept by every
    /// edit, by undo and by export → import. Empty for a record not stored yet (the
    /// store gives it one) and in snapshots written before schema 4.
    #[serde(default)]
    pub uid: String,
    /// 0 for a record that is not stored yet; bumped by every write.
    pub version: i64,
    pub updated_at: Timestamp,
    pub updated_by: String,
}

impl Default for Meta {
    fn default() -> Self {
        Meta {
            uid: String::new(),
            version: 0,
            updated_at: Timestamp::UNIX_EPOCH,
            updated_by: String::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Mission {
    pub statement: String,
    pub customer: String,
    pub meta: Meta,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Persona {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub goal: String,
    pub needs: String,
    pub pains: String,
    pub quote: String,
    /// A customer, or an employee (the other side of the journey).
    pub side: super::Side,
    /// Order on the wall, ascending.
    pub position: i64,
    pub meta: Meta,
}

/// Which way a metric gets better: "orders on time" is higher, "minutes to be seen"
/// is lower.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::Display,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Better {
    #[default]
    Higher,
    Lower,
}

impl Better {
    pub fn is_higher(&self) -> bool {
        *self == Better::Higher
    }
}

/// A customer-side metric of a journey stage, e.g. "refund within 3 days: 82 % of 90 %".
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Metric {
    /// Empty when the stage has no metric.
    pub name: String,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    pub unit: String,
    pub better: Better,
    /// The warning band, in the metric's unit: within this much short of the target
    /// (in its direction) the metric is amber, not red. `None`: met or missed only.
    #[serde(default)]
    pub warn: Option<f64>,
}

impl Metric {
    pub fn is_empty(&self) -> bool {
        self.name.is_empty()
            && self.target.is_none()
            && self.actual.is_none()
            && self.unit.is_empty()
            && self.warn.is_none()
    }

    /// Whether the actual value meets the target, in the metric's direction (None if
    /// either is missing).
    pub fn met(&self) -> Option<bool> {
        self.gap().map(|g| g >= 0.0)
    }

    /// How far the actual value is on the good side of the target: positive when met,
    /// negative when missed (None if either is missing).
    pub fn gap(&self) -> Option<f64> {
        let (actual, target) = (self.actual?, self.target?);
        Some(match self.better {
            Better::Higher => actual - target,
            Better::Lower => target - actual,
        })
    }
}

/// One recorded actual value of a stage's metric (its history).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct MetricValue {
    /// Stable identity across boards (empty in snapshots written before schema 4).
    #[serde(default)]
    pub uid: String,
    pub stage_id: i64,
    pub at: Timestamp,
    pub value: f64,
    pub who: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Stage {
    pub id: i64,
    pub name: String,
    pub customer_goal: String,
    pub touchpoints: String,
    pub pains: String,
    pub backstage: String,
    pub metric: Metric,
    /// Order along the journey, ascending.
    pub position: i64,
    pub meta: Meta,
}

/// How a persona feels at a stage: −2 … +2, with a note.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Feeling {
    pub id: i64,
    pub persona_id: i64,
    pub stage_id: i64,
    pub score: i8,
    pub note: String,
    pub meta: Meta,
}

impl Feeling {
    pub const MIN: i8 = -2;
    pub const MAX: i8 = 2;

    /// A feeling not stored yet.
    pub fn new(persona_id: i64, stage_id: i64, score: i8, note: &str) -> Feeling {
        Feeling {
            persona_id,
            stage_id,
            score,
            note: note.to_owned(),
            ..Feeling::default()
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: i64,
    pub title: String,
    pub detail: String,
    pub status: Status,
    pub owner: String,
    pub due: Option<Date>,
    pub persona_id: Option<i64>,
    pub stage_id: Option<i64>,
    /// "How will this help our customers meet their goals?"
    pub impact: String,
    /// "How might this adversely affect customers?"
    pub risk: String,
    pub blocked: bool,
    pub blocked_reason: String,
    pub created_at: Timestamp,
    /// When the item last changed status (its age in the column counts from here).
    pub status_since: Timestamp,
    /// Order within its column, ascending.
    pub position: i64,
    /// Its stage metric's reading when it last entered Do (`None`: no reading then).
    #[serde(default)]
    pub baseline: Option<f64>,
    /// When it last entered Do (`None`: it never has, or it came from before schema 11).
    #[serde(default)]
    pub baseline_at: Option<Timestamp>,
    pub meta: Meta,
}

impl Default for Item {
    fn default() -> Self {
        Item {
            id: 0,
            title: String::new(),
            detail: String::new(),
            status: Status::Plan,
            owner: String::new(),
            due: None,
            persona_id: None,
            stage_id: None,
            impact: String::new(),
            risk: String::new(),
            blocked: false,
            blocked_reason: String::new(),
            created_at: Timestamp::UNIX_EPOCH,
            status_since: Timestamp::UNIX_EPOCH,
            position: 0,
            baseline: None,
            baseline_at: None,
            meta: Meta::default(),
        }
    }
}

impl Item {
    /// An item that serves no persona and no stage gets a warning mark.
    pub fn is_unlinked(&self) -> bool {
        self.persona_id.is_none() && self.stage_id.is_none()
    }

    pub fn is_overdue(&self, today: Date) -> bool {
        self.status != Status::Done && self.due.is_some_and(|d| d < today)
    }

    /// Whole days since the last status change.
    pub fn days_in_status(&self, now: Timestamp) -> i64 {
        (now.as_second() - self.status_since.as_second()).max(0) / 86_400
    }
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Comment {
    pub id: i64,
    pub item_id: i64,
    pub author: String,
    pub at: Timestamp,
    pub text: String,
    pub meta: Meta,
}

/// A PDCA column's shared settings (the WIP limit).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Column {
    /// `status.index() + 1`.
    pub id: i64,
    pub status: Status,
    pub wip_limit: Option<u32>,
    pub meta: Meta,
}

/// A topic parked during a stand-up, for after it: open until someone resolves it or
/// turns it into an improvement item.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ParkedTopic {
    pub id: i64,
    /// The stand-up it was parked in (none for one imported without it).
    pub standup_id: Option<i64>,
    pub text: String,
    pub parked_by: String,
    pub parked_at: Timestamp,
    /// When it was resolved or turned into an item; `None` while it is open.
    pub resolved_at: Option<Timestamp>,
    pub resolved_by: String,
    /// The item it became, if it was turned into one (the id it had then; the item may
    /// have gone since).
    pub item_id: Option<i64>,
    pub meta: Meta,
}

impl ParkedTopic {
    pub fn is_open(&self) -> bool {
        self.resolved_at.is_none()
    }
}
