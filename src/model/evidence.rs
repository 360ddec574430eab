//! The voice of the customer (and of the employee): evidence, one thing someone said or
//! did, or one measured fact, with the items it supports; which side of the journey a
//! persona is on; and what the wall shows of the evidence without reading it all
//! ([`Heard`]).

use std::collections::HashMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Meta, Persona, Wall};

/// What kind of evidence it is.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::Display,
    strum::VariantArray,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase", ascii_case_insensitive)]
pub enum EvidenceKind {
    /// What a customer said, in their words.
    Quote,
    /// What someone saw a customer do.
    #[default]
    Observation,
    Complaint,
    /// An answer to a survey.
    Survey,
    Interview,
    /// A customer testing the product.
    Test,
    /// One measured fact.
    Data,
}

impl EvidenceKind {
    pub const ALL: &[EvidenceKind] = <EvidenceKind as strum::VariantArray>::VARIANTS;

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Every kind, as the command line spells them: "quote, observation, …".
    pub fn names() -> String {
        Self::ALL
            .iter()
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Which side of the journey a persona is on: a customer, or one of the employees who
/// serve them (the double-sided journey).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Default,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::Display,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase", ascii_case_insensitive)]
pub enum Side {
    #[default]
    Customer,
    Employee,
}

impl Side {
    pub fn is_customer(&self) -> bool {
        *self == Side::Customer
    }

    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// One piece of evidence. It serves the side of its persona (a customer's, when it
/// names none).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub id: i64,
    pub kind: EvidenceKind,
    pub text: String,
    /// Where it came from: "support ticket 4312", "interview, 3 Dec".
    pub source: String,
    /// The day it was observed.
    pub observed: Date,
    pub persona_id: Option<i64>,
    pub stage_id: Option<i64>,
    /// What it expressed, −2 … +2, when it says.
    pub sentiment: Option<i8>,
    pub meta: Meta,
}

impl Default for Evidence {
    fn default() -> Self {
        Evidence {
            id: 0,
            kind: EvidenceKind::default(),
            text: String::new(),
            source: String::new(),
            observed: Date::constant(1970, 1, 1),
            persona_id: None,
            stage_id: None,
            sentiment: None,
            meta: Meta::default(),
        }
    }
}

impl Evidence {
    /// Its first line, for lists and notes.
    pub fn first_line(&self) -> &str {
        self.text.lines().next().unwrap_or("")
    }
}

/// "This evidence supports that item."
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EvidenceLink {
    pub id: i64,
    pub evidence_id: i64,
    pub item_id: i64,
    pub meta: Meta,
}

/// Evidence counted at one persona (or none) and one stage (or none).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Tally {
    pub count: usize,
    /// Of those, how many carry a sentiment, and its sum.
    pub rated: usize,
    pub sentiment_sum: i64,
}

impl Tally {
    pub fn add(&mut self, other: Tally) {
        self.count += other.count;
        self.rated += other.rated;
        self.sentiment_sum += other.sentiment_sum;
    }

    /// The mean sentiment, when any piece carries one.
    pub fn mean(&self) -> Option<f64> {
        (self.rated > 0).then(|| self.sentiment_sum as f64 / self.rated as f64)
    }
}

/// What the wall shows of the evidence, read with the small tables whatever how much
/// there is: counts and sentiment by persona and stage, and each persona's newest quote.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Heard {
    /// By (persona, stage); `None` is "names none".
    pub cells: HashMap<(Option<i64>, Option<i64>), Tally>,
    /// Each persona's newest quote: the day and the text.
    pub quotes: HashMap<i64, (Date, String)>,
}

impl Heard {
    pub fn total(&self) -> usize {
        self.cells.values().map(|t| t.count).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.total() == 0
    }

    fn sum(&self, keep: impl Fn(Option<i64>, Option<i64>) -> bool) -> Tally {
        let mut t = Tally::default();
        for ((p, s), c) in &self.cells {
            if keep(*p, *s) {
                t.add(*c);
            }
        }
        t
    }

    /// Every piece about this persona.
    pub fn of_persona(&self, persona: i64) -> Tally {
        self.sum(|p, _| p == Some(persona))
    }

    /// Every piece at this stage, whoever it is about.
    pub fn at_stage(&self, stage: i64) -> Tally {
        self.sum(|_, s| s == Some(stage))
    }
}

impl Wall {
    /// The side a persona is on (a customer's when there is no such persona).
    pub fn side_of(&self, persona: Option<i64>) -> super::Side {
        persona
            .and_then(|id| self.persona(id))
            .map(|p| p.side)
            .unwrap_or_default()
    }

    /// The personas of one side, with their place in the wall's list.
    pub fn personas_on(&self, side: Side) -> impl Iterator<Item = (usize, &Persona)> {
        self.personas
            .iter()
            .enumerate()
            .filter(move |(_, p)| p.side == side)
    }

    pub fn has_employees(&self) -> bool {
        self.personas.iter().any(|p| p.side == Side::Employee)
    }

    /// What one side expressed at a stage: the evidence about its personas there, and
    /// (for the customers) the evidence there that names no persona.
    pub fn heard_at(&self, side: Side, stage: i64) -> Tally {
        self.heard
            .sum(|p, s| s == Some(stage) && self.side_of(p) == side)
    }

    /// What was heard of one persona at a stage: the evidence about them there, else
    /// (none naming them) what their side expressed there without naming anyone.
    pub fn heard_of(&self, persona: i64, stage: i64) -> Tally {
        let own = self.heard.cells.get(&(Some(persona), Some(stage)));
        match own {
            Some(t) if t.count > 0 => *t,
            _ if self.side_of(Some(persona)).is_customer() => self
                .heard
                .cells
                .get(&(None, Some(stage)))
                .copied()
                .unwrap_or_default(),
            _ => Tally::default(),
        }
    }

    /// The team's feeling and what was heard differ by a point or more.
    pub fn heard_gap(&self, persona: i64, stage: i64) -> bool {
        let (Some(f), Some(mean)) = (
            self.feeling(persona, stage),
            self.heard_of(persona, stage).mean(),
        ) else {
            return false;
        };
        (mean - f64::from(f.score)).abs() >= 1.0
    }

    /// A persona feels bad at a stage and no evidence backs it.
    pub fn pain_unheard(&self, persona: i64, stage: i64) -> bool {
        self.feeling(persona, stage).is_some_and(|f| f.score < 0)
            && self.heard_of(persona, stage).count == 0
    }

    /// A stage names pains and no evidence was heard there.
    pub fn stage_pains_unheard(&self, stage: i64) -> bool {
        self.stage(stage)
            .is_some_and(|s| !s.pains.trim().is_empty())
            && self.heard.at_stage(stage).count == 0
    }
}

/// Which evidence a list shows: about one persona, at one stage, of one kind, observed
/// since a day (each `None`: any).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EvidenceFilter {
    pub persona: Option<i64>,
    pub stage: Option<i64>,
    pub kind: Option<EvidenceKind>,
    pub since: Option<Date>,
}
