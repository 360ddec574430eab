//! A document checked and ready to import, its items waiting on disk (see
//! [`Staging`]) and the rest (mission, personas, stages, feelings, WIP limits, history,
//! stand-ups, parked topics: small by nature) in memory.
//!
//! Items arrive one at a time, from a file being read ([`super::read`]) or from a
//! document held whole ([`stage`]); both go through [`ItemStager`], so there is one way
//! into a board. Each item is checked as it arrives for what it alone can tell (title,
//! comments, its id's sign); ids and uids given twice are found by the staging's unique
//! keys; references to personas and stages are checked once the whole document is read
//! (JSON keys come in any order: items may come before the personas). The checks, their
//! order and their words are those of [`super::validate()`]: the first problem a document
//! has is the one reported, wherever it is.

use super::validate::{RepeatedUids, check_head, check_rest, item_problem};
use super::{Document, ItemDoc};
use crate::store::{Staging, StoreError};

/// A document that passed every check, its items staged: import it with
/// [`super::import_staged`].
pub struct StagedDocument {
    /// The document without its items.
    pub(super) head: Document,
    pub(super) items: Staging,
}

/// Why a document could not be staged.
#[derive(Debug, thiserror::Error)]
pub enum StageError {
    /// The document is refused: the message names the bad value.
    #[error("{0}")]
    Refused(String),
    /// The staging itself failed (a full temporary folder, say).
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A document held whole, checked and staged as a file would be.
pub fn stage(doc: &Document) -> Result<StagedDocument, StageError> {
    let mut stager = ItemStager::new()?;
    for item in &doc.items {
        stager.push(item)?;
    }
    stager.finish(head_of(doc))
}

/// The document without its items.
fn head_of(doc: &Document) -> Document {
    Document {
        format: doc.format.clone(),
        version: doc.version,
        mission: doc.mission.clone(),
        personas: doc.personas.clone(),
        stages: doc.stages.clone(),
        feelings: doc.feelings.clone(),
        items: Vec::new(),
        wip_limits: doc.wip_limits.clone(),
        standups: doc.standups.clone(),
        parked: doc.parked.clone(),
    }
}

/// The first item that makes the document refused for what it alone tells (its
/// references are not known yet when it arrives).
struct FirstRefused {
    n: usize,
    item: ItemDoc,
    id_repeated: bool,
}

/// Takes a document's items one at a time, in order, into a [`Staging`].
pub(super) struct ItemStager {
    staging: Staging,
    count: usize,
    refused: Option<FirstRefused>,
    repeated: RepeatedUids,
    /// The JSON of the item being staged (one buffer for all of them).
    json: Vec<u8>,
}

impl ItemStager {
    pub(super) fn new() -> Result<ItemStager, StoreError> {
        Ok(ItemStager {
            staging: Staging::new()?,
            count: 0,
            refused: None,
            repeated: RepeatedUids::default(),
            json: Vec::new(),
        })
    }

    /// The next item of the document.
    pub(super) fn push(&mut self, item: &ItemDoc) -> Result<(), StoreError> {
        self.count += 1;
        if self.refused.is_some() {
            // The document is refused: later items cannot change the first problem.
            return Ok(());
        }
        let n = self.count;
        self.json.clear();
        serde_json::to_writer(&mut self.json, item)?;
        let id_free = self.staging.add_item(
            n as i64,
            item.id,
            item.persona.as_deref(),
            item.stage.as_deref(),
            &self.json,
        )?;
        if item_problem(n, item, !id_free, |_| None).is_some() {
            self.refused = Some(FirstRefused {
                n,
                item: item.clone(),
                id_repeated: !id_free,
            });
            return Ok(());
        }
        let uid = item.uid.trim();
        if !uid.is_empty() && !self.staging.note_uid("item", uid)? {
            self.repeated.item.get_or_insert_with(|| uid.to_owned());
        }
        for c in &item.comments {
            let uid = c.uid.trim();
            if !uid.is_empty() && !self.staging.note_uid("comment", uid)? {
                self.repeated.comment.get_or_insert_with(|| uid.to_owned());
            }
        }
        Ok(())
    }

    /// The items staged so far, in order (all of them only while none was refused:
    /// the items after a refused one are not staged).
    #[cfg(test)]
    pub(super) fn items(&self) -> Result<Vec<ItemDoc>, StoreError> {
        (1..=self.count as i64)
            .map(|n| {
                let json = self.staging.item(n)?.unwrap_or_default();
                Ok(serde_json::from_slice(&json)?)
            })
            .collect()
    }

    /// All items are in: check the whole document (`head` is all of it but the items),
    /// in `validate`'s order.
    pub(super) fn finish(self, head: Document) -> Result<StagedDocument, StageError> {
        let names = check_head(&head).map_err(StageError::Refused)?;
        // The first item, before any refused one, naming an unknown persona or stage.
        let before = self.refused.as_ref().map(|r| r.n as i64);
        let unknown = self
            .staging
            .first_reference(before, |persona, stage| !names.known(persona, stage))?;
        if let Some(n) = unknown {
            let json = self.staging.item(n)?.unwrap_or_default();
            let item: ItemDoc = serde_json::from_slice(&json).map_err(StoreError::from)?;
            if let Some(problem) = names.unknown_reference(&item) {
                return Err(StageError::Refused(problem));
            }
        }
        if let Some(r) = &self.refused {
            let problem = item_problem(r.n, &r.item, r.id_repeated, |i| names.unknown_reference(i));
            return Err(StageError::Refused(
                problem.expect("a refused item has a problem"),
            ));
        }
        check_rest(&head, &self.repeated).map_err(StageError::Refused)?;
        Ok(StagedDocument {
            head,
            items: self.staging,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::{CommentDoc, validate};
    use super::*;

    /// Staging gives the same verdict, in the same words, as `validate`.
    fn same_verdict(doc: &Document) -> Option<String> {
        let whole = validate(doc).err();
        let staged = match stage(doc) {
            Ok(_) => None,
            Err(StageError::Refused(why)) => Some(why),
            Err(StageError::Store(e)) => panic!("staging failed: {e}"),
        };
        assert_eq!(staged, whole);
        staged
    }

    /// A change that spoils a document.
    type Mutation = Box<dyn Fn(&mut Document)>;

    fn item(title: &str) -> ItemDoc {
        ItemDoc {
            title: title.into(),
            ..Default::default()
        }
    }

    #[test]
    fn the_first_problem_is_reported_wherever_it_is() {
        assert_eq!(same_verdict(&sample_doc()), None);
        let mut doc = sample_doc();
        for k in 0..50 {
            let mut i = item(&format!("item {k}"));
            i.id = Some(100 + k);
            i.uid = format!("u{k}");
            doc.items.push(i);
        }
        assert_eq!(same_verdict(&doc), None);

        let cases: Vec<(&str, Mutation)> = vec![
            (
                "a reference before a duplicate id",
                Box::new(|d| {
                    d.items[5].persona = Some("Nobody".into());
                    d.items[30].id = Some(101);
                }),
            ),
            (
                "a duplicate id before a reference",
                Box::new(|d| {
                    d.items[30].persona = Some("Nobody".into());
                    d.items[5].id = Some(100);
                }),
            ),
            (
                "a reference and a duplicate id on one item",
                Box::new(|d| {
                    d.items[30].stage = Some("Nowhere".into());
                    d.items[30].id = Some(100);
                }),
            ),
            (
                "an empty title after an unknown stage on the same item",
                Box::new(|d| {
                    d.items[30].stage = Some("Nowhere".into());
                    d.items[30].title = " ".into();
                }),
            ),
            (
                "an id of 0 and a later empty comment",
                Box::new(|d| {
                    d.items[10].id = Some(0);
                    d.items[40].comments.push(CommentDoc::default());
                }),
            ),
            (
                "duplicate uids of items and comments: items first",
                Box::new(|d| {
                    d.items[3].comments.push(CommentDoc {
                        uid: "c".into(),
                        text: "one".into(),
                        ..Default::default()
                    });
                    d.items[4].comments.push(CommentDoc {
                        uid: " c ".into(),
                        text: "two".into(),
                        ..Default::default()
                    });
                    d.items[40].uid = "u7".into();
                }),
            ),
            (
                "a duplicate uid after a bad format",
                Box::new(|d| {
                    d.items[40].uid = "u7".into();
                    d.format = "trello".into();
                }),
            ),
            (
                "a duplicate item uid after a parked topic's bad stand-up",
                Box::new(|d| {
                    d.items[40].uid = "u7".into();
                    d.parked.push(super::super::ParkedDoc {
                        uid: String::new(),
                        text: "later".into(),
                        parked_by: String::new(),
                        parked_at: ts("2026-11-01T08:00:00Z"),
                        standup: Some("none".into()),
                        resolved_at: None,
                        resolved_by: String::new(),
                        item: None,
                    });
                }),
            ),
        ];
        for (what, mutate) in cases {
            let mut bad = doc.clone();
            mutate(&mut bad);
            assert!(same_verdict(&bad).is_some(), "{what}: accepted");
        }
    }
}
