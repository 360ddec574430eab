//! A board in memory: the wall's small tables ([`Wall`]), and with them every item and
//! comment ([`Board`]), with lookups by id and by name. The wall keeps only the first in
//! memory and reads the items a screenful at a time; exports, reports and the command
//! line read the whole board.

use std::ops::Deref;

use super::{
    AnyRecord, Column, Comment, Evidence, EvidenceLink, Feeling, Heard, Item, Kind, MetricValue,
    Mission, ParkedTopic, Persona, Stage, Standup, Status,
};

/// Every table of a board but the items and their comments: small whatever the board's
/// size, so the wall keeps them in memory.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Wall {
    pub mission: Mission,
    /// Sorted by position.
    pub personas: Vec<Persona>,
    /// Sorted by position.
    pub stages: Vec<Stage>,
    pub feelings: Vec<Feeling>,
    /// One per status, in board order.
    pub columns: Vec<Column>,
    /// Every recorded metric value, by stage, oldest first.
    pub metric_values: Vec<MetricValue>,
    pub last_standup: Option<Standup>,
    /// Every parked topic, open and closed, oldest first.
    pub parked: Vec<ParkedTopic>,
    /// What the evidence says, counted (the evidence itself is read when shown).
    pub heard: Heard,
}

/// The whole board: the wall's tables, every item and every comment.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Board {
    pub wall: Wall,
    /// Sorted by status, then position.
    pub items: Vec<Item>,
    /// Sorted by item, then time.
    pub comments: Vec<Comment>,
    /// Oldest observed first.
    pub evidence: Vec<Evidence>,
    /// Which evidence supports which item.
    pub evidence_links: Vec<EvidenceLink>,
}

impl Deref for Board {
    type Target = Wall;
    fn deref(&self) -> &Wall {
        &self.wall
    }
}

impl Board {
    pub fn item(&self, id: i64) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    pub fn comments_of(&self, item_id: i64) -> impl Iterator<Item = &Comment> {
        self.comments.iter().filter(move |c| c.item_id == item_id)
    }

    /// The ids of the items a piece of evidence supports, lowest first.
    pub fn supported_by(&self, evidence_id: i64) -> Vec<i64> {
        let mut ids: Vec<i64> = self
            .evidence_links
            .iter()
            .filter(|l| l.evidence_id == evidence_id)
            .map(|l| l.item_id)
            .collect();
        ids.sort_unstable();
        ids
    }

    /// A record as the board holds it now, by kind and id.
    pub fn record(&self, kind: Kind, id: i64) -> Option<AnyRecord> {
        Some(match kind {
            Kind::Item => self.item(id)?.clone().into(),
            Kind::Comment => self.comments.iter().find(|c| c.id == id)?.clone().into(),
            Kind::Evidence => self.evidence.iter().find(|e| e.id == id)?.clone().into(),
            Kind::EvidenceLink => self
                .evidence_links
                .iter()
                .find(|l| l.id == id)?
                .clone()
                .into(),
            _ => self.wall.record(kind, id)?,
        })
    }
}

impl Wall {
    pub fn persona(&self, id: i64) -> Option<&Persona> {
        self.personas.iter().find(|p| p.id == id)
    }

    pub fn stage(&self, id: i64) -> Option<&Stage> {
        self.stages.iter().find(|s| s.id == id)
    }

    /// A stage's metric history, oldest first.
    pub fn metric_history(&self, stage_id: i64) -> impl Iterator<Item = &MetricValue> {
        self.metric_values
            .iter()
            .filter(move |v| v.stage_id == stage_id)
    }

    pub fn feeling(&self, persona_id: i64, stage_id: i64) -> Option<&Feeling> {
        self.feelings
            .iter()
            .find(|f| f.persona_id == persona_id && f.stage_id == stage_id)
    }

    pub fn wip_limit(&self, status: Status) -> Option<u32> {
        self.columns
            .iter()
            .find(|c| c.status == status)
            .and_then(|c| c.wip_limit)
    }

    /// A record of the wall's tables as it holds it now, by kind and id (`None` for
    /// items and comments: the wall does not keep them).
    pub fn record(&self, kind: Kind, id: i64) -> Option<AnyRecord> {
        Some(match kind {
            Kind::Mission => self.mission.clone().into(),
            Kind::Persona => self.persona(id)?.clone().into(),
            Kind::Stage => self.stage(id)?.clone().into(),
            Kind::Feeling => self.feelings.iter().find(|f| f.id == id)?.clone().into(),
            Kind::Column => self.columns.iter().find(|c| c.id == id)?.clone().into(),
            Kind::Parked => self.parked.iter().find(|t| t.id == id)?.clone().into(),
            Kind::Item | Kind::Comment | Kind::Evidence | Kind::EvidenceLink => return None,
        })
    }

    /// The parked topics nobody has resolved or turned into an item yet, oldest first.
    pub fn open_topics(&self) -> impl Iterator<Item = &ParkedTopic> {
        self.parked.iter().filter(|t| t.is_open())
    }

    pub fn persona_name(&self, id: Option<i64>) -> Option<&str> {
        id.and_then(|id| self.persona(id)).map(|p| p.name.as_str())
    }

    pub fn stage_name(&self, id: Option<i64>) -> Option<&str> {
        id.and_then(|id| self.stage(id)).map(|s| s.name.as_str())
    }
}
