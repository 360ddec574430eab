//! A queued change that could not be saved, given back as the form it was typed in,
//! with every value as typed: the person sees why and can fix it, save again or drop it.

use super::{Field, FieldId, Form, Target};
use crate::app::ops::Op;
use crate::model::{AnyRecord, Item, Wall};

impl Form {
    /// The form `op` was made from, filled in as it was typed; `None` for a change no
    /// form made (a move, a swap, a delete).
    pub(crate) fn again(op: &Op, wall: &Wall) -> Option<Form> {
        let retarget = |mut form: Form, target: Target| {
            form.target = target;
            form
        };
        Some(match op {
            Op::AddItem(i) => Form::item(wall, None, i.clone()),
            Op::AddItemFromTopic { item, topic } => retarget(
                Form::item(wall, None, item.clone()),
                Target::ItemFromTopic(topic.clone()),
            ),
            Op::EditAndMove { base, mine } => retarget(
                Form::item(wall, Some(mine), Item::default()),
                Target::EditItem(base.clone()),
            ),
            Op::AddPersona(p) => retarget(Form::persona(Some(p)), Target::NewPersona),
            Op::AddStage(s) => retarget(Form::stage(Some(s)), Target::NewStage),
            Op::Save { base, mine } => match (base, mine) {
                (AnyRecord::Item(b), AnyRecord::Item(m)) => retarget(
                    Form::item(wall, Some(m), Item::default()),
                    Target::EditItem(b.clone()),
                ),
                (AnyRecord::Persona(b), AnyRecord::Persona(m)) => {
                    retarget(Form::persona(Some(m)), Target::EditPersona(b.clone()))
                }
                (AnyRecord::Stage(b), AnyRecord::Stage(m)) => {
                    retarget(Form::stage(Some(m)), Target::EditStage(b.clone()))
                }
                (AnyRecord::Mission(b), AnyRecord::Mission(m)) => {
                    retarget(Form::mission(m), Target::Mission(b.clone()))
                }
                _ => return None,
            },
            Op::AddComment { item_id, text } => Form::new(
                format!("Comment on item #{item_id}"),
                Target::Comment { item_id: *item_id },
                vec![Field::multi(FieldId::Comment, text)],
            ),
            Op::SetFeeling {
                base,
                persona_id,
                stage_id,
                score,
                note,
            } => Form::new(
                format!("Feeling of persona #{persona_id} at stage #{stage_id}"),
                Target::FeelingNote {
                    base: base.clone(),
                    persona_id: *persona_id,
                    stage_id: *stage_id,
                    score: *score,
                },
                vec![Field::line(FieldId::Note, note)],
            ),
            _ => return None,
        })
    }
}
