//! A form's fields turned into what they describe, by the rules of `model::rules` (the
//! same the command line and the import keep). What breaks one names its field, and the
//! form focuses it.

use super::{FieldId, FieldKind, Form, Target};
use crate::app::ops::Op;
use crate::model::rules::{self, Required, RuleError};
use crate::model::{
    Better, Evidence, EvidenceKind, Item, Kind, Metric, Mission, Persona, Side, Stage, Status, Wall,
};
use crate::store::StoreError;

/// What to fix, and in which field: shown as `Title: an item needs a title`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{}: {error}", .field.label())]
pub struct FormError {
    pub field: FieldId,
    pub error: FieldError,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FieldError {
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// A WIP limit is a whole number.
    #[error("'{0}' is not a whole number")]
    NotWhole(String),
    /// An item the evidence supports is named by its number.
    #[error("'{0}' is not an item's number (write them as #3 #7)")]
    NotItem(String),
}

/// What a form's fields make.
#[derive(Debug, Clone, PartialEq)]
#[allow(clippy::large_enum_variant)] // made and taken apart at once, never stored
pub enum Submission {
    /// A change to the board.
    Op(Op),
    /// A topic parked during the stand-up (kept with it, not a board change).
    Topic(String),
}

/// `field`'s value as a rule took it, or the error that names the field.
fn check<T>(field: FieldId, read: Result<T, RuleError>) -> Result<T, FormError> {
    read.map_err(|e| FormError {
        field,
        error: e.into(),
    })
}

impl Form {
    /// Say what to fix, with the field it is about focused.
    pub(crate) fn failed(&mut self, e: FormError) {
        if let Some(i) = self.fields.iter().position(|f| f.id == e.field) {
            self.focus = i;
            self.style_focus();
        }
        self.error = Some(e.to_string());
    }

    /// The store refused the change: say why (after `lead`), with the field a broken
    /// rule is about focused; everything typed stays.
    pub(crate) fn refused(&mut self, why: &StoreError, lead: &str) {
        let field = match why {
            StoreError::Rule(RuleError::DuplicateName { .. }) => Some(FieldId::Name),
            StoreError::Rule(RuleError::Required(what)) => Some(match what {
                Required::Title => FieldId::Title,
                Required::PersonaName | Required::StageName => FieldId::Name,
                Required::CommentText => FieldId::Comment,
                Required::TopicText => FieldId::Topic,
                Required::BlockedReason => FieldId::Reason,
                Required::EvidenceText => FieldId::Text,
            }),
            _ => None,
        };
        if let Some(i) = field.and_then(|id| self.fields.iter().position(|f| f.id == id)) {
            self.focus = i;
            self.style_focus();
        }
        self.error = Some(format!("{lead}{why}"));
    }

    /// Turn the fields into what they describe, or say what to fix.
    pub fn submit(&self, wall: &Wall) -> Result<Submission, FormError> {
        for f in self.fields.iter().filter(|f| f.kind != FieldKind::Choice) {
            let chars = f.value().chars().count();
            if chars > f.id.max_chars() {
                return Err(FormError {
                    field: f.id,
                    error: RuleError::TooLong {
                        field: f.id.label().to_lowercase(),
                        chars,
                        max: f.id.max_chars(),
                    }
                    .into(),
                });
            }
        }
        let text = |id| self.text(id);
        let op = match &self.target {
            Target::NewItem | Target::EditItem(_) | Target::ItemFromTopic(_) => {
                let title = check(FieldId::Title, rules::title(&text(FieldId::Title)))?;
                let due = match text(FieldId::Due) {
                    d if d.is_empty() => None,
                    d => Some(check(FieldId::Due, rules::parse_date(&d))?),
                };
                let status = self
                    .field(FieldId::Status)
                    .chosen_value()
                    .and_then(|i| Status::from_index(i as usize))
                    .unwrap_or(Status::Plan);
                let base = match &self.target {
                    Target::EditItem(i) => i.clone(),
                    _ => Item::default(),
                };
                let mine = Item {
                    title,
                    status,
                    owner: text(FieldId::Owner),
                    due,
                    persona_id: self.field(FieldId::Persona).chosen_value(),
                    stage_id: self.field(FieldId::Stage).chosen_value(),
                    impact: text(FieldId::Impact),
                    risk: text(FieldId::Risk),
                    detail: text(FieldId::Detail),
                    ..base.clone()
                };
                match &self.target {
                    Target::EditItem(_) if base.status != mine.status => {
                        // A status change moves the card: end of the new column, age restarts.
                        Op::EditAndMove { base, mine }
                    }
                    Target::EditItem(_) => Op::save(base, mine),
                    Target::ItemFromTopic(topic) => Op::AddItemFromTopic {
                        item: mine,
                        topic: topic.clone(),
                    },
                    _ => Op::AddItem(mine),
                }
            }
            Target::NewPersona | Target::EditPersona(_) => {
                let base = match &self.target {
                    Target::EditPersona(p) => p.clone(),
                    _ => Persona::default(),
                };
                let others = wall.personas.iter().map(|p| (p.id, p.name.as_str()));
                let name = rules::unique_name(Kind::Persona, &text(FieldId::Name), base.id, others);
                let mine = Persona {
                    name: check(FieldId::Name, name)?,
                    role: text(FieldId::Role),
                    goal: text(FieldId::Goal),
                    needs: text(FieldId::Needs),
                    pains: text(FieldId::Pains),
                    quote: text(FieldId::Quote),
                    side: if self.field(FieldId::Side).chosen_value() == Some(1) {
                        Side::Employee
                    } else {
                        Side::Customer
                    },
                    ..base.clone()
                };
                if base.id == 0 {
                    Op::AddPersona(mine)
                } else {
                    Op::save(base, mine)
                }
            }
            Target::NewStage | Target::EditStage(_) => {
                let base = match &self.target {
                    Target::EditStage(s) => s.clone(),
                    _ => Stage::default(),
                };
                let others = wall.stages.iter().map(|s| (s.id, s.name.as_str()));
                let name = rules::unique_name(Kind::Stage, &text(FieldId::Name), base.id, others);
                let number = |id| check(id, rules::parse_optional_number(&text(id)));
                let mine = Stage {
                    name: check(FieldId::Name, name)?,
                    customer_goal: text(FieldId::CustomerGoal),
                    touchpoints: text(FieldId::Touchpoints),
                    pains: text(FieldId::Pains),
                    backstage: text(FieldId::Backstage),
                    metric: Metric {
                        name: text(FieldId::Metric),
                        target: number(FieldId::Target)?,
                        actual: number(FieldId::Actual)?,
                        unit: text(FieldId::Unit),
                        better: if self.field(FieldId::Better).chosen_value() == Some(1) {
                            Better::Lower
                        } else {
                            Better::Higher
                        },
                        warn: check(FieldId::Warn, rules::parse_band(&text(FieldId::Warn)))?,
                    },
                    ..base.clone()
                };
                if base.id == 0 {
                    Op::AddStage(mine)
                } else {
                    Op::save(base, mine)
                }
            }
            Target::Mission(m) => {
                let mine = Mission {
                    statement: text(FieldId::Statement),
                    customer: text(FieldId::Customer),
                    meta: m.meta.clone(),
                };
                Op::save(m.clone(), mine)
            }
            Target::FeelingNote {
                base,
                persona_id,
                stage_id,
                score,
            } => Op::SetFeeling {
                base: base.clone(),
                persona_id: *persona_id,
                stage_id: *stage_id,
                score: *score,
                note: text(FieldId::Note),
            },
            Target::Comment { item_id } => Op::AddComment {
                item_id: *item_id,
                text: check(
                    FieldId::Comment,
                    rules::required(&text(FieldId::Comment), Required::CommentText),
                )?,
            },
            Target::Block(item) => {
                let reason = rules::required(&text(FieldId::Reason), Required::BlockedReason);
                let mine = Item {
                    blocked: true,
                    blocked_reason: check(FieldId::Reason, reason)?,
                    ..item.clone()
                };
                Op::save(item.clone(), mine)
            }
            Target::WipLimit(status) => {
                let limit = match text(FieldId::Limit).as_str() {
                    "" | "0" => None,
                    t => Some(t.parse::<u32>().map_err(|_| FormError {
                        field: FieldId::Limit,
                        error: FieldError::NotWhole(t.to_owned()),
                    })?),
                };
                Op::SetWip(*status, limit)
            }
            Target::NewEvidence(base) | Target::EditEvidence(base) => {
                let required = rules::required(&text(FieldId::Text), Required::EvidenceText);
                let observed = match text(FieldId::Observed) {
                    d if d.is_empty() => base.observed,
                    d => check(FieldId::Observed, rules::parse_day(&d, None))?,
                };
                let kind = self
                    .field(FieldId::Kind)
                    .chosen_value()
                    .and_then(|k| EvidenceKind::ALL.get(k as usize).copied())
                    .unwrap_or_default();
                let mut supports = Vec::new();
                for word in text(FieldId::Supports).split([' ', ',', ';']) {
                    let word = word.trim();
                    if word.is_empty() {
                        continue;
                    }
                    let id =
                        word.trim_start_matches('#')
                            .parse::<i64>()
                            .map_err(|_| FormError {
                                field: FieldId::Supports,
                                error: FieldError::NotItem(word.to_owned()),
                            })?;
                    supports.push(id);
                }
                let mine = Evidence {
                    text: check(FieldId::Text, required)?,
                    kind,
                    source: text(FieldId::Source),
                    observed,
                    persona_id: self.field(FieldId::Persona).chosen_value(),
                    stage_id: self.field(FieldId::Stage).chosen_value(),
                    sentiment: self
                        .field(FieldId::Sentiment)
                        .chosen_value()
                        .map(|s| s as i8),
                    ..base.clone()
                };
                match &self.target {
                    Target::EditEvidence(_) => Op::SaveEvidence {
                        base: base.clone(),
                        mine,
                        supports,
                    },
                    _ => Op::AddEvidence {
                        evidence: mine,
                        supports,
                    },
                }
            }
            Target::ParkTopic => {
                let topic = rules::required(&text(FieldId::Topic), Required::TopicText);
                return Ok(Submission::Topic(check(FieldId::Topic, topic)?));
            }
        };
        Ok(Submission::Op(op))
    }
}
