//! Versioned writes inside one transaction: create, save (with a three-way merge when a
//! teammate changed the record meanwhile), delete, and revert (undo). Each appends an
//! activity row saying what changed (see `activity`), so nothing anyone typed is lost.

use jiff::Timestamp;
use rusqlite::{OptionalExtension, Transaction};
use serde_json::{Map, Value};

use super::cells::ts_to_sql;
use super::error::StoreError;
use super::record::{self, Record, fields_of};
use crate::model::rules::{self, RuleError};
use crate::model::{AnyRecord, Conflict, Feeling, FieldConflict, Kind};

/// One record's change (with meta); `None` means absent.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub kind: Kind,
    pub id: i64,
    pub before: Option<AnyRecord>,
    pub after: Option<AnyRecord>,
}

/// The result of a save.
#[derive(Debug, Clone, PartialEq)]
pub struct Saved<R> {
    pub record: R,
    /// A teammate had changed other fields; their change and ours were merged.
    pub merged_with: Option<String>,
}

pub struct Writer<'c> {
    tx: Transaction<'c>,
    who: String,
    /// Whoever opened the transaction (`who` is another author while merging a copy).
    own: String,
    /// Added to the summary of every activity row (see [`Writer::merging`]).
    marker: Option<String>,
    now: Timestamp,
    changes: Vec<Change>,
    /// Whether `changes` is kept (see [`Writer::without_undo`]).
    keep_changes: bool,
    /// The summary of the next activity row, when the caller knows better (see
    /// [`Writer::save_as`]).
    told: Option<String>,
    /// The kinds whose order this transaction changed: one reorder is one line, so
    /// every further row that only moves a record of that kind in its list is written
    /// with an empty summary (kept in the log for undo and merges, shown nowhere).
    reordered: Vec<Kind>,
}

impl<'c> Writer<'c> {
    pub(super) fn new(tx: Transaction<'c>, who: &str, now: Timestamp) -> Self {
        Writer {
            tx,
            who: who.to_owned(),
            own: who.to_owned(),
            marker: None,
            now,
            changes: Vec::new(),
            keep_changes: true,
            told: None,
            reordered: Vec::new(),
        }
    }

    /// [`Writer::save`], its activity row summarised as `summary` ("moved stage 'Buy'
    /// after stage 'Choose'") instead of in the record's own words.
    pub fn save_as<R: Record>(
        &mut self,
        base: &R,
        mine: &R,
        summary: String,
    ) -> Result<Saved<R>, StoreError> {
        self.told = Some(summary);
        let saved = self.save(base, mine);
        self.told = None;
        saved
    }

    /// Refuse a name another record of the kind has (`rules::unique_name`): the one
    /// that could, found under the name collation inside this write's (immediate)
    /// transaction, so no other writer can take the name in between.
    fn check_unique_name<R: Record>(&self, rec: &R) -> Result<(), StoreError> {
        let Some(name) = rec.unique_name() else {
            return Ok(());
        };
        let sql = format!(
            "SELECT id, name FROM {} WHERE name = ?1 COLLATE {} AND id <> ?2",
            R::KIND.table(),
            rules::NAME_COLLATION
        );
        let holder: Option<(i64, String)> = self
            .tx
            .prepare_cached(&sql)?
            .query_row(rusqlite::params![name, rec.id()], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .optional()?;
        let others = holder.as_ref().map(|(id, n)| (*id, n.as_str()));
        rules::unique_name(R::KIND, name, rec.id(), others)?;
        Ok(())
    }

    pub(super) fn finish(self) -> (Transaction<'c>, Vec<Change>) {
        (self.tx, self.changes)
    }

    /// Keep no list of this transaction's changes for undo: an import of a million
    /// items would hold a copy of each in memory. `Store::take_changes` then gives none.
    pub fn without_undo(&mut self) {
        self.keep_changes = false;
        self.changes = Vec::new();
    }

    /// Write what follows as `author`'s change merged from a conflict copy: records are
    /// stamped with the author's name, and each activity row is theirs, its summary
    /// marked with `marker` ("merged from conflict copy …"). `None` goes back to
    /// writing as oneself.
    pub fn merging(&mut self, from: Option<(&str, &str)>) {
        match from {
            Some((author, marker)) => {
                self.who = author.to_owned();
                self.marker = Some(marker.to_owned());
            }
            None => {
                self.who = self.own.clone();
                self.marker = None;
            }
        }
    }

    pub fn tx(&self) -> &Transaction<'c> {
        &self.tx
    }

    pub fn now(&self) -> Timestamp {
        self.now
    }

    pub fn who(&self) -> &str {
        &self.who
    }

    pub fn load<R: Record>(&self, id: i64) -> Result<Option<R>, StoreError> {
        Ok(record::load(&self.tx, id)?)
    }

    pub fn load_all<R: Record>(&self) -> Result<Vec<R>, StoreError> {
        Ok(record::load_all(&self.tx)?)
    }

    /// The id of the record of `R` with this uid, if there is one.
    pub fn id_of_uid<R: Record>(&self, uid: &str) -> Result<Option<i64>, StoreError> {
        if uid.is_empty() {
            return Ok(None);
        }
        Ok(self
            .tx
            .prepare_cached(&format!(
                "SELECT id FROM {} WHERE uid = ?1",
                R::KIND.table()
            ))?
            .query_row([uid], |r| r.get(0))
            .optional()?)
    }

    /// Whether a record of `R` already has this uid.
    pub fn uid_taken<R: Record>(&self, uid: &str) -> Result<bool, StoreError> {
        Ok(self.id_of_uid::<R>(uid)?.is_some())
    }

    /// Each item's id and title, lowest id first, read one at a time.
    pub fn for_each_item_title(
        &self,
        mut f: impl FnMut(i64, &str) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let mut stmt = self
            .tx
            .prepare_cached("SELECT id, title FROM item ORDER BY id")?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            let mut cells = super::cells::Cells::new("item", row);
            f(cells.take()?, &cells.take::<String>()?)?;
        }
        Ok(())
    }

    /// Records of `R` whose `column` (a reference to their parent) is `id`.
    pub fn children<R: Record>(&self, column: &str, id: i64) -> Result<Vec<R>, StoreError> {
        let ids: Vec<i64> = self
            .tx
            .prepare_cached(&format!(
                "SELECT id FROM {} WHERE {column} = ?1",
                R::KIND.table()
            ))?
            .query_map([id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        ids.into_iter()
            .filter_map(|id| self.load::<R>(id).transpose())
            .collect()
    }

    /// The feeling of a persona at a stage, if one was recorded.
    pub fn feeling_at(
        &self,
        persona_id: i64,
        stage_id: i64,
    ) -> Result<Option<Feeling>, StoreError> {
        let id: Option<i64> = self
            .tx
            .prepare_cached("SELECT id FROM feeling WHERE persona_id = ?1 AND stage_id = ?2")?
            .query_row([persona_id, stage_id], |r| r.get(0))
            .optional()?;
        Ok(id.map(|id| self.load::<Feeling>(id)).transpose()?.flatten())
    }

    /// Save `wanted` over `base` (versioned, merged), or create it when there is no base.
    pub fn put_feeling(
        &mut self,
        base: Option<Feeling>,
        wanted: Feeling,
    ) -> Result<Feeling, StoreError> {
        match base {
            Some(base) => {
                let mine = Feeling {
                    id: base.id,
                    meta: base.meta.clone(),
                    ..wanted
                };
                Ok(self.save(&base, &mine)?.record)
            }
            None => self.create(wanted),
        }
    }

    /// Set a record's last-change time, e.g. to the one an imported document gives.
    pub fn restamp<R: Record>(&self, id: i64, at: Timestamp) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(&format!(
                "UPDATE {} SET updated_at = ?1 WHERE id = ?2",
                R::KIND.table()
            ))?
            .execute(rusqlite::params![ts_to_sql(at), id])?;
        Ok(())
    }

    /// Insert a new record (its id may be preset, e.g. by an import); returns it as stored.
    pub fn create<R: Record>(&mut self, mut rec: R) -> Result<R, StoreError> {
        check_lengths(&rec, None)?;
        rec.check(&self.tx)?;
        self.check_unique_name(&rec)?;
        self.stamp(&mut rec, 1);
        let id = record::insert(&self.tx, &rec)?;
        rec.set_id(id);
        self.log(None, Some(&rec))?;
        Ok(rec)
    }

    /// Save `mine`, an edit of `base`. If the stored record moved on since `base`:
    /// changes to other fields are merged; changes to the same field are a conflict
    /// (nothing written). Saving an unchanged record writes nothing.
    pub fn save<R: Record>(&mut self, base: &R, mine: &R) -> Result<Saved<R>, StoreError> {
        let current: R = self.load(base.id())?.ok_or_else(|| StoreError::Gone {
            label: base.label(),
        })?;
        let (mut target, merged_with) = if current.meta().version == base.meta().version {
            (mine.clone(), None)
        } else {
            (
                merge3(base, &current, mine)?,
                Some(current.meta().updated_by.clone()),
            )
        };
        if fields_of(&target) == fields_of(&current) {
            return Ok(Saved {
                record: current,
                merged_with: None,
            });
        }
        check_lengths(&target, Some(&current))?;
        target.check(&self.tx)?;
        self.check_unique_name(&target)?;
        // A record's uid is its identity: no edit changes it.
        target.meta_mut().uid = current.meta().uid.clone();
        self.stamp(&mut target, current.meta().version + 1);
        record::update(&self.tx, &target)?;
        self.log(Some(&current), Some(&target))?;
        Ok(Saved {
            record: target,
            merged_with,
        })
    }

    /// Delete a record; the activity log keeps its last content. Deleting what is
    /// already gone is not an error.
    pub fn delete<R: Record>(&mut self, rec: &R) -> Result<(), StoreError> {
        let Some(current) = self.load::<R>(rec.id())? else {
            return Ok(());
        };
        // Deleting what a teammate changed after we looked would drop their change unseen.
        if rec.meta().version != 0 && current.meta().version != rec.meta().version {
            return Err(StoreError::ChangedSinceChosen {
                by: current.meta().updated_by.clone(),
                label: current.label(),
            });
        }
        record::delete::<R>(&self.tx, current.id()).map_err(|e| still_referenced(e, &current))?;
        self.log(Some(&current), None)
    }

    /// Put a record back to `change.before`, provided nobody changed it since `change.after`.
    pub fn revert<R: Record>(&mut self, change: &Change) -> Result<(), StoreError> {
        let current: Option<R> = self.load(change.id)?;
        let expected = typed::<R>(change.after.clone())?;
        let untouched = match (&current, &expected) {
            (Some(c), Some(e)) => record::fields_of(c) == record::fields_of(e),
            (None, None) => true,
            _ => false,
        };
        if !untouched {
            let label = current
                .as_ref()
                .or(expected.as_ref())
                .map(|r| r.label())
                .unwrap_or_default();
            let by = current
                .as_ref()
                .map(|c| c.meta().updated_by.clone())
                .filter(|by| !by.is_empty())
                .unwrap_or_else(|| "a teammate".into());
            return Err(StoreError::UndoChanged { by, label });
        }
        let target = typed::<R>(change.before.clone())?;
        match (current, target) {
            (Some(c), None) => {
                record::delete::<R>(&self.tx, c.id()).map_err(|e| still_referenced(e, &c))?;
                self.log(Some(&c), None)?;
            }
            (None, Some(mut t)) => {
                // Brought back meanwhile (an import or a merge keeps a record's uid):
                // a second copy would be refused by the board anyway.
                if let Some(id) = self.id_of_uid::<R>(&t.meta().uid)? {
                    return Err(StoreError::UndoBack {
                        label: t.label(),
                        id,
                    });
                }
                let version = t.meta().version + 1;
                self.stamp(&mut t, version);
                record::insert(&self.tx, &t)?;
                self.log(None, Some(&t))?;
            }
            (Some(c), Some(mut t)) => {
                t.meta_mut().uid = c.meta().uid.clone();
                self.stamp(&mut t, c.meta().version + 1);
                record::update(&self.tx, &t)?;
                self.log(Some(&c), Some(&t))?;
            }
            (None, None) => {}
        }
        Ok(())
    }

    /// Append a free-form activity row (e.g. the losing side of a conflict).
    pub fn note(
        &mut self,
        action: &str,
        entity: &str,
        id: i64,
        summary: &str,
        before: Option<&Value>,
        after: Option<&Value>,
    ) -> Result<(), StoreError> {
        self.tx
            .prepare_cached(
                "INSERT INTO activity (at, who, action, entity, entity_id, summary, before, after) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?
            .execute(rusqlite::params![
                ts_to_sql(self.now),
                self.who,
                action,
                entity,
                id,
                match &self.marker {
                    Some(m) if !summary.is_empty() => format!("{summary} ({m})"),
                    _ => summary.to_owned(),
                },
                before.map(Value::to_string),
                after.map(Value::to_string),
            ])?;
        Ok(())
    }

    fn stamp<R: Record>(&self, rec: &mut R, version: i64) {
        let m = rec.meta_mut();
        if m.uid.is_empty() {
            m.uid = record::new_uid();
        }
        m.version = version;
        m.updated_at = self.now;
        m.updated_by = self.who.clone();
    }

    fn log<R: Record>(&mut self, before: Option<&R>, after: Option<&R>) -> Result<(), StoreError> {
        let action = match (before, after) {
            (None, _) => "create",
            (_, None) => "delete",
            _ => "update",
        };
        let id = after.or(before).map(|r| r.id()).unwrap_or(0);
        let (b, a) = super::activity::snapshots(before, after)?;
        let reorder = matches!((before, after), (Some(b), Some(a))
            if record::changed_fields(b, a) == ["position"]);
        let summary = if reorder && self.reordered.contains(&R::KIND) {
            String::new()
        } else {
            if reorder {
                self.reordered.push(R::KIND);
            }
            match self.told.take() {
                Some(told) => told,
                None => R::describe_in(&self.tx, before, after),
            }
        };
        self.note(
            action,
            R::KIND.table(),
            id,
            &summary,
            b.as_ref(),
            a.as_ref(),
        )?;
        if self.keep_changes {
            self.changes.push(Change {
                kind: R::KIND,
                id,
                before: before.cloned().map(Into::into),
                after: after.cloned().map(Into::into),
            });
        }
        Ok(())
    }
}

/// Every text `rec` sets fits its field (`rules::within_limit`); on a save only those it
/// changes from `before` are looked at, so a record holding a longer text put there by
/// other means (the sqlite3 shell) can still be moved or edited elsewhere.
fn check_lengths<R: Record>(rec: &R, before: Option<&R>) -> Result<(), RuleError> {
    fn fits(field: &str, v: &Value) -> Result<(), RuleError> {
        match v {
            Value::String(s) => rules::within_limit(field, s),
            Value::Object(fields) => fields.iter().try_for_each(|(k, v)| fits(k, v)),
            _ => Ok(()),
        }
    }
    let before = before.map(fields_of);
    fields_of(rec)
        .iter()
        .filter(|(k, v)| before.as_ref().and_then(|b| b.get(*k)) != Some(*v))
        .try_for_each(|(k, v)| fits(k, v))
}

/// A foreign-key refusal, in words: other records (e.g. a teammate's comment) still
/// point at the one being removed.
fn still_referenced<R: Record>(e: rusqlite::Error, rec: &R) -> StoreError {
    if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) {
        StoreError::InUse { label: rec.label() }
    } else {
        e.into()
    }
}

/// Three-way merge by field: theirs plus my changes. A field both sides changed to
/// different values is a conflict.
fn merge3<R: Record>(base: &R, theirs: &R, mine: &R) -> Result<R, StoreError> {
    let (b, t, m) = (fields_of(base), fields_of(theirs), fields_of(mine));
    let mut merged: Map<String, Value> = t.clone();
    let mut conflicts = Vec::new();
    for (field, mv) in &m {
        let bv = b.get(field).unwrap_or(&Value::Null);
        let tv = t.get(field).unwrap_or(&Value::Null);
        if mv == bv {
            continue; // I did not touch it: theirs stands
        }
        if tv != bv && tv != mv {
            conflicts.push(FieldConflict {
                field: field.clone(),
                base: shown(bv),
                theirs: shown(tv),
                mine: shown(mv),
            });
        }
        merged.insert(field.clone(), mv.clone());
    }
    merged.insert("meta".into(), serde_json::to_value(theirs.meta())?);
    if conflicts.is_empty() {
        return Ok(serde_json::from_value(Value::Object(merged))?);
    }
    // The other resolution: theirs wins the conflicting fields, my other changes stay.
    let mut theirs_kept = merged.clone();
    for c in &conflicts {
        let field = c.field.as_str();
        theirs_kept.insert(
            field.to_owned(),
            t.get(field).cloned().unwrap_or(Value::Null),
        );
    }
    let mine: R = serde_json::from_value(Value::Object(merged))?;
    let theirs_kept: R = serde_json::from_value(Value::Object(theirs_kept))?;
    Err(StoreError::Conflict(Box::new(Conflict {
        label: theirs.label(),
        theirs_by: theirs.meta().updated_by.clone(),
        fields: conflicts,
        theirs: theirs.clone().into(),
        mine: mine.into(),
        theirs_kept: theirs_kept.into(),
    })))
}

/// A field's value as a person reads it in the conflict view.
fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "(empty)".to_owned(),
        other => other.to_string(),
    }
}

/// The typed record of a change's snapshot (`None`: absent).
fn typed<R: Record>(r: Option<AnyRecord>) -> Result<Option<R>, StoreError> {
    r.map(|r| {
        R::try_from(r).map_err(|found| StoreError::WrongKind {
            found,
            expected: R::KIND,
        })
    })
    .transpose()
}
