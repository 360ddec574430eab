//! The board's operations, each one transaction: what the wall and the command line do.

use super::record::Record;
use super::write::{Change, Saved, Writer};
use super::{Store, StoreError};
use crate::model::rules::{self, Required};
use crate::model::{
    AnyRecord, Column, Comment, Evidence, Feeling, Item, Kind, Labelled, Mission, ParkedTopic,
    Persona, Stage, Status,
};

impl Store {
    /// Save an edit of `base`, merging with a teammate's change to other fields.
    pub fn save<R: Record>(&mut self, base: &R, mine: &R) -> Result<Saved<R>, StoreError> {
        self.write(|w| w.save(base, mine))
    }

    /// Add an item at the end of its column; times default to now.
    pub fn add_item(&mut self, item: Item) -> Result<Item, StoreError> {
        self.write(|w| insert_item(w, item.clone()))
    }

    /// Turn a parked topic into an item: the item added, the topic closed pointing at
    /// it, in one transaction.
    pub fn add_item_from_topic(
        &mut self,
        item: Item,
        topic: &ParkedTopic,
    ) -> Result<Item, StoreError> {
        self.write(|w| {
            let added = insert_item(w, item.clone())?;
            let closed = ParkedTopic {
                resolved_at: Some(w.now()),
                resolved_by: w.who().to_owned(),
                item_id: Some(added.id),
                ..topic.clone()
            };
            w.save(topic, &closed)?;
            Ok(added)
        })
    }

    /// Move an item to another status: to the end of that column, its age restarting.
    pub fn move_item(&mut self, item: &Item, to: Status) -> Result<Saved<Item>, StoreError> {
        self.write(|w| {
            let mut moved = item.clone();
            if moved.status != to {
                moved.status = to;
                moved.status_since = w.now();
                moved.position = next_position(w, "item", Some(to))?;
                if to == Status::Do {
                    w.take_baseline(&mut moved)?;
                }
            }
            w.save(item, &moved)
        })
    }

    /// Save an item edit that also changes its status (end of the new column).
    pub fn edit_and_move(&mut self, base: &Item, mine: &Item) -> Result<Saved<Item>, StoreError> {
        self.write(|w| {
            let mut mine = mine.clone();
            if mine.status != base.status {
                mine.status_since = w.now();
                mine.position = next_position(w, "item", Some(mine.status))?;
                if mine.status == Status::Do {
                    w.take_baseline(&mut mine)?;
                }
            }
            w.save(base, &mine)
        })
    }

    pub fn add_persona(&mut self, mut p: Persona) -> Result<Persona, StoreError> {
        self.write(|w| {
            p.position = next_position(w, "persona", None)?;
            w.create(p.clone())
        })
    }

    pub fn add_stage(&mut self, s: Stage) -> Result<Stage, StoreError> {
        self.add_stage_after(s, None)
    }

    /// Add a stage at the end of the journey, or right after the stage `after`.
    pub fn add_stage_after(
        &mut self,
        mut s: Stage,
        after: Option<i64>,
    ) -> Result<Stage, StoreError> {
        self.write(|w| {
            s.position = next_position(w, "stage", None)?;
            let added = w.create(s.clone())?;
            match after {
                Some(after) => place_after(w, added.id, after),
                None => Ok(added),
            }
        })
    }

    /// Save an edit of a stage and, with `after`, move it right after that stage; one
    /// transaction.
    pub fn edit_stage(
        &mut self,
        base: &Stage,
        mine: &Stage,
        after: Option<i64>,
    ) -> Result<Stage, StoreError> {
        self.write(|w| {
            let saved = w.save(base, mine)?.record;
            match after {
                Some(after) => place_after(w, saved.id, after),
                None => Ok(saved),
            }
        })
    }

    /// Delete an item with its comments and its links to evidence (the evidence stays).
    pub fn delete_item(&mut self, item: &Item) -> Result<(), StoreError> {
        self.write(|w| {
            for c in w.children::<Comment>("item_id", item.id)? {
                w.delete(&c)?;
            }
            w.unlink_item(item.id)?;
            w.delete(item)
        })
    }

    /// Delete a persona: its feelings go, its items and evidence stay but no longer
    /// point at it.
    pub fn delete_persona(&mut self, p: &Persona) -> Result<(), StoreError> {
        self.write(|w| {
            detach(w, "persona_id", p.id, |i| i.persona_id = None)?;
            for e in w.children::<Evidence>("persona_id", p.id)? {
                w.save(
                    &e,
                    &Evidence {
                        persona_id: None,
                        ..e.clone()
                    },
                )?;
            }
            w.delete(p)
        })
    }

    /// Delete a stage: like a persona, plus its metric history.
    pub fn delete_stage(&mut self, s: &Stage) -> Result<(), StoreError> {
        self.write(|w| {
            detach(w, "stage_id", s.id, |i| i.stage_id = None)?;
            for e in w.children::<Evidence>("stage_id", s.id)? {
                w.save(
                    &e,
                    &Evidence {
                        stage_id: None,
                        ..e.clone()
                    },
                )?;
            }
            // The metric's history goes too; the activity log keeps it.
            let history = serde_json::to_value(super::metric::metric_values(w.tx(), Some(s.id))?)?;
            if history.as_array().is_some_and(|h| !h.is_empty()) {
                let summary = format!("deleted the metric history of stage '{}'", s.name);
                w.note(
                    "delete",
                    "metric_value",
                    s.id,
                    &summary,
                    Some(&history),
                    None,
                )?;
            }
            w.tx()
                .execute("DELETE FROM metric_value WHERE stage_id = ?1", [s.id])?;
            w.delete(s)
        })
    }

    /// Swap the order of two records of a list (personas, stages, items in a column):
    /// `a` moves before or after `b`, one line in the log.
    pub fn swap_positions<R: Record + Positioned>(
        &mut self,
        a: &R,
        b: &R,
    ) -> Result<(), StoreError> {
        self.write(|w| {
            let (pa, pb) = (a.position(), b.position());
            // Equal positions (e.g. rows from the sqlite3 shell) still need a real order.
            let (na, nb) = if pa == pb { (pa + 1, pb) } else { (pb, pa) };
            let side = if na < nb { "before" } else { "after" };
            let what = format!("moved {} {side} {}", a.label(), b.label());
            w.save_as(a, &a.with_position(na), what)?;
            w.save(b, &b.with_position(nb))?;
            Ok(())
        })
    }

    /// Set how a persona feels at a stage, whatever was recorded (scripts, tests).
    pub fn set_feeling(
        &mut self,
        persona_id: i64,
        stage_id: i64,
        score: i8,
        note: &str,
    ) -> Result<Feeling, StoreError> {
        self.write(|w| {
            let current = w.feeling_at(persona_id, stage_id)?;
            w.put_feeling(current, Feeling::new(persona_id, stage_id, score, note))
        })
    }

    /// Save a feeling edited from `base`, the feeling as it was read (None: none was
    /// recorded). A teammate's change in between is merged, or reported as a conflict.
    pub fn save_feeling(
        &mut self,
        base: Option<&Feeling>,
        persona_id: i64,
        stage_id: i64,
        score: i8,
        note: &str,
    ) -> Result<Feeling, StoreError> {
        self.write(|w| {
            let wanted = Feeling::new(persona_id, stage_id, score, note);
            let base = match (base, w.feeling_at(persona_id, stage_id)?) {
                (Some(b), _) => Some(b.clone()),
                // A teammate recorded one since we looked: merge against "none recorded".
                (None, Some(theirs)) => Some(Feeling {
                    id: theirs.id,
                    ..Feeling::new(persona_id, stage_id, 0, "")
                }),
                (None, None) => None,
            };
            w.put_feeling(base, wanted)
        })
    }

    pub fn add_comment(&mut self, item_id: i64, text: &str) -> Result<Comment, StoreError> {
        rules::required(text, Required::CommentText)?;
        self.write(|w| {
            if w.load::<Item>(item_id)?.is_none() {
                return Err(StoreError::Missing {
                    kind: Kind::Item,
                    id: item_id,
                });
            }
            let c = Comment {
                id: 0,
                item_id,
                author: w.who().to_owned(),
                at: w.now(),
                text: text.to_owned(),
                meta: Default::default(),
            };
            w.create(c)
        })
    }

    pub fn set_wip_limit(&mut self, status: Status, limit: Option<u32>) -> Result<(), StoreError> {
        self.write(|w| {
            let col: Column = w
                .load(status.index() as i64 + 1)?
                .ok_or(StoreError::NoColumn)?;
            w.save(
                &col,
                &Column {
                    wip_limit: limit.filter(|n| *n > 0),
                    ..col.clone()
                },
            )?;
            Ok(())
        })
    }

    /// Undo (or redo) a group of changes: revert them newest first, in one transaction.
    /// Refused, with nothing written, if someone changed one of the records since.
    pub fn revert(&mut self, changes: &[Change]) -> Result<(), StoreError> {
        self.write(|w| {
            for c in changes.iter().rev() {
                for_kind!(c.kind, R => w.revert::<R>(c))?;
            }
            Ok(())
        })
    }

    /// Save an edit of any kind of record (forms, and "keep mine" after a conflict).
    /// Returns who we merged with, if a teammate had changed other fields meanwhile.
    pub fn save_any(
        &mut self,
        base: &AnyRecord,
        mine: &AnyRecord,
    ) -> Result<Option<String>, StoreError> {
        for_kind!(base.kind(), R => {
            let (base, mine) = (typed::<R>(base)?, typed::<R>(mine)?);
            self.save(&base, &mine).map(|s| s.merged_with)
        })
    }

    /// Insert a record again (one a teammate deleted while it was being edited),
    /// keeping its id if that is free; returns the id.
    pub fn recreate(&mut self, rec: &AnyRecord) -> Result<i64, StoreError> {
        for_kind!(rec.kind(), R => {
            let rec = typed::<R>(rec)?;
            self.write(|w| {
                let mut rec = rec.clone();
                if w.load::<R>(rec.id())?.is_some() {
                    rec.set_id(0);
                }
                if w.uid_taken::<R>(&rec.meta().uid)? {
                    rec.meta_mut().uid.clear();
                }
                w.create(rec).map(|r| r.id())
            })
        })
    }

    /// Record text that lost a conflict, so it is never lost.
    pub fn note_discarded(&mut self, rec: &AnyRecord, summary: &str) -> Result<(), StoreError> {
        let snapshot = for_kind!(rec.kind(), R => serde_json::to_value(typed::<R>(rec)?)?);
        self.write(|w| {
            w.note(
                "conflict",
                rec.kind().table(),
                rec.id(),
                summary,
                Some(&snapshot),
                None,
            )
        })
    }
}

/// The record inside `rec`, which must be an `R`.
fn typed<R: Record>(rec: &AnyRecord) -> Result<R, StoreError> {
    R::try_from(rec.clone()).map_err(|found| StoreError::WrongKind {
        found,
        expected: R::KIND,
    })
}

/// Records with an order in their list.
pub trait Positioned: Sized {
    fn position(&self) -> i64;
    fn with_position(&self, p: i64) -> Self;
}

macro_rules! positioned {
    ($($t:ty),*) => {$(
        impl Positioned for $t {
            fn position(&self) -> i64 {
                self.position
            }
            fn with_position(&self, p: i64) -> Self {
                Self { position: p, ..self.clone() }
            }
        }
    )*};
}
positioned!(Persona, Stage, Item);

/// Put stage `id` right after stage `after`, numbering the journey 1, 2, … again (each
/// stage whose place changes is a save; the log's one line is the moved stage's).
/// Returns the stage as placed.
fn place_after(w: &mut Writer, id: i64, after: i64) -> Result<Stage, StoreError> {
    if id == after {
        return Err(StoreError::AfterItself);
    }
    let missing = |id| StoreError::Missing {
        kind: Kind::Stage,
        id,
    };
    let mut stages: Vec<Stage> = w.load_all()?;
    let from = stages.iter().position(|s| s.id == id).ok_or(missing(id))?;
    let moving = stages.remove(from);
    let to = stages
        .iter()
        .position(|s| s.id == after)
        .ok_or(missing(after))?;
    let what = format!("moved {} after {}", moving.label(), stages[to].label());
    stages.insert(to + 1, moving);
    let wanted = |s: &Stage| stages.iter().position(|x| x.id == s.id).unwrap_or(0) as i64 + 1;
    // The moved stage first: its row is the one the log shows.
    let moving = &stages[to + 1];
    let placed = if moving.position == wanted(moving) {
        moving.clone()
    } else {
        w.save_as(moving, &moving.with_position(wanted(moving)), what)?
            .record
    };
    for s in &stages {
        if s.id != id && s.position != wanted(s) {
            w.save(s, &s.with_position(wanted(s)))?;
        }
    }
    Ok(placed)
}

/// A new item at the end of its column; times default to now.
fn insert_item(w: &mut Writer, mut item: Item) -> Result<Item, StoreError> {
    item.position = next_position(w, "item", Some(item.status))?;
    if item.created_at == jiff::Timestamp::UNIX_EPOCH {
        item.created_at = w.now();
    }
    if item.status_since == jiff::Timestamp::UNIX_EPOCH {
        item.status_since = item.created_at;
    }
    if item.status == Status::Do && item.baseline_at.is_none() {
        w.take_baseline(&mut item)?;
    }
    w.create(item)
}

fn next_position(w: &Writer, table: &str, status: Option<Status>) -> Result<i64, StoreError> {
    let p: i64 = match status {
        Some(s) => w.tx().query_row(
            &format!("SELECT coalesce(max(position), 0) + 1 FROM {table} WHERE status = ?1"),
            [s.as_str()],
            |r| r.get(0),
        )?,
        None => w.tx().query_row(
            &format!("SELECT coalesce(max(position), 0) + 1 FROM {table}"),
            [],
            |r| r.get(0),
        )?,
    };
    Ok(p)
}

/// Before a persona or stage goes: delete its feelings and unlink its items, each a
/// logged change (so undo can bring them back).
fn detach(
    w: &mut Writer,
    column: &str,
    id: i64,
    unlink: impl Fn(&mut Item),
) -> Result<(), StoreError> {
    for f in w.children::<Feeling>(column, id)? {
        w.delete(&f)?;
    }
    for item in w.children::<Item>(column, id)? {
        let mut mine = item.clone();
        unlink(&mut mine);
        w.save(&item, &mine)?;
    }
    Ok(())
}
