//! Store operations the wall can ask for, as data: so a write that meets a busy board
//! can wait in a queue and be retried, and nothing the user typed is lost meanwhile.

use crate::model::{
    AnyRecord, Evidence, Feeling, Item, Kind, Labelled, ParkedTopic, Persona, Stage, Status,
};
use crate::store::{Change, Store, StoreError};

use crate::report::changed_field_texts as changed_fields;

#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    AddItem(Item),
    AddPersona(Persona),
    AddStage(Stage),
    /// Save an edit of any record: the record as the form found it, and the result.
    Save {
        base: AnyRecord,
        mine: AnyRecord,
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
    /// Keep text that lost a conflict (my version of the record) in the activity log.
    Discard {
        mine: AnyRecord,
        summary: String,
    },
    /// Re-create a record a teammate deleted while it was being edited.
    Recreate(AnyRecord),
    /// Close a parked topic: resolved.
    ResolveTopic(ParkedTopic),
    /// Turn a parked topic into this new item (and close the topic).
    AddItemFromTopic {
        item: Item,
        topic: ParkedTopic,
    },
    /// New evidence, supporting these items.
    AddEvidence {
        evidence: Evidence,
        supports: Vec<i64>,
    },
    /// An edit of evidence, and the items it supports now.
    SaveEvidence {
        base: Evidence,
        mine: Evidence,
        supports: Vec<i64>,
    },
    DeleteEvidence(Evidence),
    /// Link evidence to an item (or unlink it).
    LinkEvidence {
        evidence_id: i64,
        item_id: i64,
        link: bool,
    },
}

/// What a successful operation reports back.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Done {
    /// The record to select afterwards.
    pub select: Option<(Kind, i64)>,
    /// A teammate's change that was merged with ours.
    pub merged_with: Option<String>,
}

impl Op {
    pub fn save(base: impl Into<AnyRecord>, mine: impl Into<AnyRecord>) -> Op {
        Op::Save {
            base: base.into(),
            mine: mine.into(),
        }
    }

    /// Whether the changes it makes belong on the undo stack.
    pub fn is_undoable(&self) -> bool {
        !matches!(self, Op::Revert(_) | Op::Discard { .. })
    }

    /// The record an edit was about, if it is one (to offer re-creating it).
    pub fn edited(&self) -> Option<AnyRecord> {
        match self {
            Op::Save { mine, .. } => Some(mine.clone()),
            Op::EditAndMove { mine, .. } => Some(mine.clone().into()),
            Op::SaveEvidence { mine, .. } => Some(mine.clone().into()),
            _ => None,
        }
    }

    /// What it would change, in full: a line saying what, then every field it sets with
    /// the value typed (one `    field: value` line each, a multi-line value indented
    /// below its first line). For changes that could not be saved, so nothing typed is
    /// lost: the user can enter them again from this text. Control characters are the
    /// printer's to escape.
    pub fn describe(&self) -> String {
        let mut out = self.summary();
        for (field, value) in self.typed_fields() {
            let indent = " ".repeat(4 + field.len() + 2);
            let value = value.replace('\n', &format!("\n{indent}"));
            out.push_str(&format!("\n    {field}: {value}"));
        }
        out
    }

    /// The fields it sets and their new values: for an edit, the fields that differ
    /// from the record as the form found it; for a new record, those not left empty.
    fn typed_fields(&self) -> Vec<(String, String)> {
        let set = |r: AnyRecord| changed_fields(None, &r);
        match self {
            Op::AddItem(i) | Op::AddItemFromTopic { item: i, .. } => set(i.clone().into()),
            Op::AddPersona(p) => set(p.clone().into()),
            Op::AddStage(s) => set(s.clone().into()),
            Op::Save { base, mine } => changed_fields(Some(base), mine),
            Op::EditAndMove { base, mine } => {
                changed_fields(Some(&base.clone().into()), &mine.clone().into())
            }
            Op::SetFeeling { note, .. } if !note.is_empty() => {
                vec![("note".into(), note.clone())]
            }
            Op::AddComment { text, .. } => vec![("text".into(), text.clone())],
            Op::Discard { mine, .. } => set(mine.clone()),
            Op::AddEvidence { evidence, .. } => set(evidence.clone().into()),
            Op::SaveEvidence { base, mine, .. } => {
                changed_fields(Some(&base.clone().into()), &mine.clone().into())
            }
            Op::Recreate(r) => set(r.clone()),
            _ => Vec::new(),
        }
    }

    /// One line: what it does, to what.
    fn summary(&self) -> String {
        match self {
            Op::AddItem(i) => format!("add item '{}' to {}", i.title, i.status.label()),
            Op::AddPersona(p) => format!("add {}", p.label()),
            Op::AddStage(s) => format!("add {}", s.label()),
            Op::Save { mine, .. } => format!("save {}", mine.label()),
            Op::EditAndMove { mine, .. } => {
                format!("save {} in {}", mine.label(), mine.status.label())
            }
            Op::MoveItem(i, to) => format!("move {} to {}", i.label(), to.label()),
            Op::DeleteItem(i) => format!("delete item {}", i.label()),
            Op::DeletePersona(p) => format!("delete {}", p.label()),
            Op::DeleteStage(s) => format!("delete {}", s.label()),
            Op::SwapPersonas(a, b) => format!("swap {} and {}", a.label(), b.label()),
            Op::SwapStages(a, b) => format!("swap {} and {}", a.label(), b.label()),
            Op::SwapItems(a, b) => format!("swap items {} and {}", a.label(), b.label()),
            Op::SetFeeling {
                persona_id,
                stage_id,
                score,
                ..
            } => format!(
                "set the feeling of persona #{persona_id} at stage #{stage_id} to {}",
                crate::format::signed(*score)
            ),
            Op::AddComment { item_id, .. } => format!("comment on item #{item_id}"),
            Op::SetWip(status, limit) => match limit {
                Some(n) => format!("set the WIP limit of {} to {n}", status.label()),
                None => format!("remove the WIP limit of {}", status.label()),
            },
            Op::Revert(changes) => format!(
                "undo {}",
                crate::format::count(changes.len(), "change", "changes")
            ),
            Op::Discard { mine, .. } => format!("log the discarded edit of {}", mine.label()),
            Op::Recreate(r) => format!("re-create {}", r.label()),
            Op::ResolveTopic(t) => format!("resolve {}", t.label()),
            Op::AddItemFromTopic { item, topic } => format!(
                "add item '{}' to {} from {}",
                item.title,
                item.status.label(),
                topic.label()
            ),
            Op::AddEvidence { evidence, .. } => format!("add {}", evidence.label()),
            Op::SaveEvidence { mine, .. } => format!("save {}", mine.label()),
            Op::DeleteEvidence(e) => format!("delete {}", e.label()),
            Op::LinkEvidence {
                evidence_id,
                item_id,
                link,
            } => match link {
                true => format!("link evidence #{evidence_id} to item #{item_id}"),
                false => format!("unlink evidence #{evidence_id} from item #{item_id}"),
            },
        }
    }

    pub fn apply(&self, store: &mut Store) -> Result<Done, StoreError> {
        let select = |kind, id| Done {
            select: Some((kind, id)),
            merged_with: None,
        };
        Ok(match self {
            Op::AddItem(i) => select(Kind::Item, store.add_item(i.clone())?.id),
            Op::AddPersona(p) => select(Kind::Persona, store.add_persona(p.clone())?.id),
            Op::AddStage(s) => select(Kind::Stage, store.add_stage(s.clone())?.id),
            Op::Save { base, mine } => Done {
                select: None,
                merged_with: store.save_any(base, mine)?,
            },
            Op::EditAndMove { base, mine } => {
                let saved = store.edit_and_move(base, mine)?;
                Done {
                    select: Some((Kind::Item, saved.record.id)),
                    merged_with: saved.merged_with,
                }
            }
            Op::MoveItem(i, to) => {
                let saved = store.move_item(i, *to)?;
                Done {
                    select: Some((Kind::Item, i.id)),
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
                select(Kind::Persona, a.id)
            }
            Op::SwapStages(a, b) => {
                store.swap_positions(a, b)?;
                select(Kind::Stage, a.id)
            }
            Op::SwapItems(a, b) => {
                store.swap_positions(a, b)?;
                select(Kind::Item, a.id)
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
            Op::Discard { mine, summary } => {
                store.note_discarded(mine, summary)?;
                Done::default()
            }
            Op::Recreate(r) => select(r.kind(), store.recreate(r)?),
            Op::ResolveTopic(t) => {
                store.resolve_topic(t)?;
                Done::default()
            }
            Op::AddItemFromTopic { item, topic } => select(
                Kind::Item,
                store.add_item_from_topic(item.clone(), topic)?.id,
            ),
            Op::AddEvidence { evidence, supports } => {
                store.add_evidence(evidence.clone(), supports)?;
                Done::default()
            }
            Op::SaveEvidence {
                base,
                mine,
                supports,
            } => Done {
                select: None,
                merged_with: store.save_evidence(base, mine, Some(supports))?.merged_with,
            },
            Op::DeleteEvidence(e) => {
                store.delete_evidence(e)?;
                Done::default()
            }
            Op::LinkEvidence {
                evidence_id,
                item_id,
                link,
            } => {
                store.link_evidence(*item_id, &[*evidence_id], *link)?;
                Done::default()
            }
        })
    }
}
