//! Store operations the wall can ask for, as data: so a write that meets a busy board
//! can wait in a queue and be retried, and nothing the user typed is lost meanwhile.

use serde_json::Value;

use crate::model::{Feeling, Item, Persona, Stage, Status};
use crate::store::{Change, Record, Store, StoreError};

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    AddItem(Item),
    AddPersona(Persona),
    AddStage(Stage),
    /// Save an edit of any record: snapshots of the form's base and of the result.
    Save {
        entity: &'static str,
        base: Value,
        mine: Value,
    },
    /// An item edit that also changed its status.
    EditAndMove {
        base: Item,
        mine: Item,
    },
    MoveItem(Item, Status),
    DeleteItem(Item),
    DeletePersona(Persona),
    DeleteStage(Stage),
    SwapPersonas(Persona, Persona),
    SwapStages(Stage, Stage),
    SwapItems(Item, Item),
    SetFeeling {
        /// The feeling as it was read, if one was recorded.
        base: Option<Feeling>,
        persona_id: i64,
        stage_id: i64,
        score: i8,
        note: String,
    },
    AddComment {
        item_id: i64,
        text: String,
    },
    SetWip(Status, Option<u32>),
    /// Undo (or redo) a group of changes.
    Revert(Vec<Change>),
    /// Keep text that lost a conflict in the activity log.
    Discard {
        entity: &'static str,
        id: i64,
        summary: String,
        value: Value,
    },
    /// Re-create a record a teammate deleted while it was being edited.
    Recreate {
        entity: &'static str,
        value: Value,
    },
}

/// What a successful operation reports back.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Done {
    /// The record to select afterwards: (entity, id).
    pub select: Option<(&'static str, i64)>,
    /// A teammate's change that was merged with ours.
    pub merged_with: Option<String>,
}

impl Op {
    pub fn save<R: Record>(base: &R, mine: &R) -> Op {
        Op::Save {
            entity: R::TABLE,
            base: serde_json::to_value(base).unwrap_or(Value::Null),
            mine: serde_json::to_value(mine).unwrap_or(Value::Null),
        }
    }

    /// Whether the changes it makes belong on the undo stack.
    pub fn is_undoable(&self) -> bool {
        !matches!(self, Op::Revert(_) | Op::Discard { .. })
    }

    pub fn apply(&self, store: &mut Store) -> Result<Done, StoreError> {
        let select = |entity, id| Done {
            select: Some((entity, id)),
            merged_with: None,
        };
        Ok(match self {
            Op::AddItem(i) => select("item", store.add_item(i.clone())?.id),
            Op::AddPersona(p) => select("persona", store.add_persona(p.clone())?.id),
            Op::AddStage(s) => select("stage", store.add_stage(s.clone())?.id),
            Op::Save { entity, base, mine } => {
                let merged_with = store.save_json(entity, base, mine)?;
                Done {
                    select: None,
                    merged_with,
                }
            }
            Op::EditAndMove { base, mine } => {
                let saved = store.edit_and_move(base, mine)?;
                Done {
                    select: Some(("item", saved.record.id)),
                    merged_with: saved.merged_with,
                }
            }
            Op::MoveItem(i, to) => {
                let saved = store.move_item(i, *to)?;
                Done {
                    select: Some(("item", i.id)),
                    merged_with: saved.merged_with,
                }
            }
            Op::DeleteItem(i) => {
                store.delete_item(i)?;
                Done::default()
            }
            Op::DeletePersona(p) => {
                store.delete_persona(p)?;
                Done::default()
            }
            Op::DeleteStage(s) => {
                store.delete_stage(s)?;
                Done::default()
            }
            Op::SwapPersonas(a, b) => {
                store.swap_positions(a, b)?;
                select("persona", a.id)
            }
            Op::SwapStages(a, b) => {
                store.swap_positions(a, b)?;
                select("stage", a.id)
            }
            Op::SwapItems(a, b) => {
                store.swap_positions(a, b)?;
                select("item", a.id)
            }
            Op::SetFeeling {
                base,
                persona_id,
                stage_id,
                score,
                note,
            } => {
                store.save_feeling(base.as_ref(), *persona_id, *stage_id, *score, note)?;
                Done::default()
            }
            Op::AddComment { item_id, text } => {
                store.add_comment(*item_id, text)?;
                Done::default()
            }
            Op::SetWip(status, limit) => {
                store.set_wip_limit(*status, *limit)?;
                Done::default()
            }
            Op::Revert(changes) => {
                store.revert(changes)?;
                Done::default()
            }
            Op::Discard {
                entity,
                id,
                summary,
                value,
            } => {
                store.note_discarded(entity, *id, summary, value)?;
                Done::default()
            }
            Op::Recreate { entity, value } => {
                let id = store.create_json(entity, value)?;
                select(entity, id)
            }
        })
    }
}
