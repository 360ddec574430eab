//! `obeya merge OTHER.db`: fold a sync-conflict copy of the board back into it.
//!
//! Both files share their history up to the moment they diverged, and the activity log
//! says what each side did since. For every record the copy changed after that point,
//! the change is replayed here (on the record with its uid: SQLite gives a deleted row's
//! number to the next one) as a three-way merge against the record as it was at the
//! divergence: fields only the copy changed are taken, fields both sides changed keep
//! the newer change, and both values go to the activity log. Records the copy added are
//! added (with new ids if the id is taken here). Nothing from either side is dropped
//! silently.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use serde_json::{Map, Value};

use super::record::{self, Record};
use super::write::Writer;
use super::{CopyProblem, Store, StoreError};
use crate::model::{
    Activity, Column, Comment, Feeling, Item, Kind, Mission, ParkedTopic, Persona, Stage,
};

/// Parents before children, so references can be re-pointed as records are added.
const ORDER: [Kind; 10] = [
    Kind::Mission,
    Kind::Column,
    Kind::Persona,
    Kind::Stage,
    Kind::Item,
    Kind::Feeling,
    Kind::Comment,
    Kind::Parked,
    Kind::Evidence,
    Kind::EvidenceLink,
];

#[derive(Debug, Default)]
pub struct MergeReport {
    pub lines: Vec<String>,
    /// The merged copy, which can go once the result looks right.
    pub copy: String,
    /// Whether the merge wrote anything (one that brings nothing new writes nothing).
    pub wrote: bool,
    /// Who made the changes merged, each once.
    pub authors: Vec<String>,
}

impl fmt::Display for MergeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.lines.is_empty() {
            return f.write_str("nothing to merge: the copy has no changes this board lacks");
        }
        writeln!(
            f,
            "merged {}:",
            crate::format::count(self.lines.len(), "change", "changes")
        )?;
        for l in &self.lines {
            writeln!(f, "  {l}")?;
        }
        writeln!(
            f,
            "The copy {} is unchanged; delete it once the board looks right (the banner goes with it).",
            self.copy
        )?;
        Ok(())
    }
}

pub fn merge_file(store: &mut Store, other: &Path) -> Result<MergeReport, StoreError> {
    let copy = open_copy(other)?;
    let theirs_log = activity(&copy)?;
    let ours_log = activity(store.conn())?;
    let common = common_history(&theirs_log, &ours_log);
    // Per record: the rows the copy wrote about it since the two files diverged.
    let mut theirs_changed: BTreeMap<(usize, i64), Vec<&Activity>> = BTreeMap::new();
    for a in &theirs_log[common..] {
        let Some(rank) = a
            .entity
            .parse::<Kind>()
            .ok()
            .and_then(|k| ORDER.iter().position(|e| *e == k))
        else {
            continue;
        };
        theirs_changed
            .entry((rank, a.entity_id))
            .or_default()
            .push(a);
    }
    let ours_changed: Vec<(Kind, i64)> = ours_log[common..]
        .iter()
        .filter_map(|a| Some((a.entity.parse::<Kind>().ok()?, a.entity_id)))
        .collect();
    // Records added here since: the number of one may be the copy's number for another.
    let here = Here {
        created: ours_log[common..]
            .iter()
            .filter(|a| a.action == "create")
            .filter_map(|a| Some((a.entity.parse::<Kind>().ok()?, a.entity_id)))
            .collect(),
    };
    let copy_name = other.display().to_string();
    let marker = format!(
        "merged from conflict copy {}",
        other
            .file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    );

    let mut authors: Vec<String> = theirs_log[common..].iter().map(|a| a.who.clone()).collect();
    authors.sort();
    authors.dedup();
    store.write(|w| {
        let changes_before = w.tx().total_changes();
        let mut report = MergeReport {
            copy: copy_name.clone(),
            authors: authors.clone(),
            ..MergeReport::default()
        };
        let mut ids: HashMap<(Kind, i64), i64> = HashMap::new();
        // The uid a number had when the files diverged, where the copy gave it to a new
        // record since: what a base's link to that number meant.
        let mut split_uids: HashMap<(Kind, i64), String> = HashMap::new();
        let mut deletions = Vec::new();
        for ((rank, id), rows) in &theirs_changed {
            let entity = ORDER[*rank];
            // The copy's change is its author's: the newest row about the record says who.
            let author = rows.last().map_or("", |a| a.who.as_str());
            w.merging(Some((author, &marker)));
            let theirs = load_json(&copy, entity, *id)?;
            // The record as it was when the files diverged (None: added since).
            let mut base = super::activity::rewind(
                theirs.as_ref().and_then(|t| t.as_object().cloned()),
                rows.iter().rev().copied(),
            )
            .map(Value::Object);
            // The copy deleted it, and a record added since took its number (not the
            // same record given back by an undo, which keeps its uid).
            let replaced = rows.iter().any(|a| a.action == "create")
                && matches!((&base, &theirs), (Some(b), Some(t)) if uid_of(b) != uid_of(t));
            if let Some(b) = base.take_if(|_| replaced) {
                split_uids.insert((entity, *id), uid_of(&b).to_owned());
                deletions.push((entity, *id, b, author));
            }
            let Some(mut theirs) = theirs else {
                deletions.extend(base.map(|b| (entity, *id, b, author)));
                continue;
            };
            if let Some(gone) = repoint(&mut theirs, entity, &ids, None, &copy, w, &here)? {
                let summary = format!(
                    "merge of {copy_name}: {entity}{} not merged: its {gone} was deleted here",
                    describe(&theirs)
                );
                // Under no record's number: the copy's may be another record's here.
                note_once(w, entity, 0, &summary, None, Some(&theirs))?;
                report.lines.push(format!("not merged: {entity}{} (its {gone} was deleted here; kept in the activity log)", describe(&theirs)));
                continue;
            }
            // The base's links the same way, so a parent found anew is not a change.
            if let Some(base) = base.as_mut() {
                repoint(base, entity, &ids, Some(&split_uids), &copy, w, &here)?;
            }
            // Nothing the copy changed is left (a delete undone, a field set back).
            if base.as_ref().is_some_and(|b| same_fields(b, &theirs)) {
                continue;
            }
            let ours = match &base {
                Some(base) => here.record(w, entity, *id, [uid_of(&theirs), uid_of(base)])?,
                None => None,
            };
            // Personas, stages and feelings are one per name or pair: one made again
            // here since is the same.
            let ours = match ours {
                Some(ours) => Some(ours),
                None => same_record_here(w, entity, &theirs)?,
            };
            match (&base, ours) {
                (_, Some(ours)) => {
                    let ours_id = id_of(&ours);
                    ids.insert((entity, *id), ours_id);
                    let empty = Value::Object(Map::new());
                    let merged = merge_fields(base.as_ref().unwrap_or(&empty), &theirs, &ours);
                    for (field, kept, lost) in &merged.both_changed {
                        let summary = format!(
                            "merge of {copy_name}: {entity} #{ours_id} field '{field}' changed on both sides; kept the newer {kept}, the other was {lost}"
                        );
                        note_once(w, entity, ours_id, &summary, Some(&ours), Some(&theirs))?;
                    }
                    w.merging(Some((author, &marker)));
                    if merged.value != ours {
                        save_json(w, entity, &ours, &merged.value)?;
                        report.lines.push(format!("updated {entity} #{ours_id} ({})", merged.taken.join(", ")));
                    }
                }
                (None, None) => {
                    let new_id = create_json(w, entity, theirs.clone())?;
                    ids.insert((entity, *id), new_id);
                    report.lines.push(format!("added {entity} #{new_id}{}", describe(&theirs)));
                }
                (Some(_), None) => {
                    let new_id = create_json(w, entity, theirs.clone())?;
                    ids.insert((entity, *id), new_id);
                    report.lines.push(format!("re-created {entity} #{new_id}{}: deleted here, changed in the copy", describe(&theirs)));
                }
            }
        }
        // What the copy's records became here: not deleted for the copy's deletions (a
        // persona the copy deleted and made again is merged into the one here).
        let merged_into: HashSet<(Kind, i64)> = ids.iter().map(|((k, _), here)| (*k, *here)).collect();
        // Children before parents.
        deletions.sort_by_key(|(e, _, _, _)| std::cmp::Reverse(ORDER.iter().position(|x| x == e)));
        for (entity, id, base, author) in deletions {
            w.merging(Some((author, &marker)));
            let Some(ours) = here.record(w, entity, id, [uid_of(&base), ""])? else { continue };
            let id = id_of(&ours);
            if merged_into.contains(&(entity, id)) {
                continue;
            }
            if ours_changed.contains(&(entity, id)) {
                report.lines.push(format!("kept {entity} #{id}{}: deleted in the copy but changed here", describe(&ours)));
            } else if delete_json(w, entity, &ours).is_ok() {
                report.lines.push(format!("deleted {entity} #{id}{}, as in the copy", describe(&ours)));
            } else {
                report.lines.push(format!("kept {entity} #{id}{}: deleted in the copy but still in use here", describe(&ours)));
            }
        }
        w.merging(None);
        // Readings are history, not logged edits: the copy's that this board lacks.
        match super::metric::readings_from(w, &copy)? {
            0 => {}
            1 => report.lines.push("added 1 metric reading".to_owned()),
            n => report.lines.push(format!("added {n} metric readings")),
        }
        report.wrote = w.tx().total_changes() > changes_before;
        Ok(report)
    })
}

/// How many activity rows the two logs share from the start: up to there, the two
/// files are the same board.
fn common_history(theirs: &[Activity], ours: &[Activity]) -> usize {
    theirs
        .iter()
        .zip(ours)
        .take_while(|(a, b)| {
            a.id == b.id && a.at == b.at && a.who == b.who && a.summary == b.summary
        })
        .count()
}

/// Whether `other` is a fork of this board with changes of its own: the two share
/// their history from the start, and the copy's log goes on past the shared part.
/// (A copy someone made as a backup shares it, but has nothing this board lacks.)
pub fn is_fork_with_changes(store: &Store, other: &Path) -> Result<bool, StoreError> {
    let copy = open_copy(other)?;
    let (theirs, ours) = (activity(&copy)?, activity(store.conn())?);
    let common = common_history(&theirs, &ours);
    Ok(common > 0 && theirs.len() > common)
}

/// A note about the merge (a field both sides changed, a record that could not be
/// merged), written as the merger's own, and only once: merging the same copy again
/// (two machines at once, or `obeya merge` after the wall did) writes nothing new.
fn note_once(
    w: &mut Writer,
    entity: Kind,
    id: i64,
    summary: &str,
    before: Option<&Value>,
    after: Option<&Value>,
) -> Result<(), StoreError> {
    let seen = w
        .tx()
        .prepare_cached("SELECT 1 FROM activity WHERE action = 'merge' AND summary = ?1 LIMIT 1")?
        .exists([summary])?;
    if seen {
        return Ok(());
    }
    w.merging(None);
    w.note("merge", entity.table(), id, summary, before, after)
}

/// Whether the copy is whole (`PRAGMA quick_check`, read-only): a damaged copy is not
/// merged.
pub fn check_copy(path: &Path) -> Result<(), StoreError> {
    let copy = open_copy(path)?;
    let check: String = copy
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| StoreError::BadCopy {
            path: path.to_path_buf(),
            problem: CopyProblem::Damaged(e.to_string()),
        })?;
    if check == "ok" {
        Ok(())
    } else {
        Err(StoreError::BadCopy {
            path: path.to_path_buf(),
            problem: CopyProblem::Damaged(check),
        })
    }
}

/// The copy, opened to be read only, once it passed the checks a board does: a file
/// (never a FIFO, which would keep the merge waiting), a board, no code in its schema
/// (a view would run on every read), whatever its schema version.
fn open_copy(path: &Path) -> Result<Connection, StoreError> {
    let bad = |problem| StoreError::BadCopy {
        path: path.to_path_buf(),
        problem,
    };
    let refused = |e: super::OpenError| match e {
        super::OpenError::Missing(_) => bad(CopyProblem::NoFile),
        super::OpenError::NotBoard(_) => bad(CopyProblem::NotBoard),
        other => StoreError::Refused(Box::new(other)),
    };
    super::open::check_file(path).map_err(refused)?;
    super::open::check_header(path).map_err(refused)?;
    let c = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| bad(CopyProblem::Sql(e)))?;
    super::schema::harden(&c).map_err(|e| bad(CopyProblem::Sql(e)))?;
    super::open::checked_version(&c, path, false).map_err(refused)?;
    // A cell of the copy obeya cannot read would be merged as an empty value.
    let board_cells = super::take_bad_cells();
    let read = super::query::every_row(&c);
    let copy_cells = super::take_bad_cells();
    super::cells::put_back(board_cells);
    read.map_err(|e| bad(CopyProblem::Sql(e)))?;
    if !copy_cells.is_empty() {
        return Err(bad(CopyProblem::BadCells(copy_cells)));
    }
    Ok(c)
}

fn activity(c: &Connection) -> Result<Vec<Activity>, StoreError> {
    super::activity_rows(c, "id > ?1 ORDER BY id", [0])
}

fn load_json(c: &Connection, entity: Kind, id: i64) -> Result<Option<Value>, StoreError> {
    for_kind!(entity, R => {
        let r: Option<R> = record::load(c, id)?;
        r.map(serde_json::to_value).transpose().map_err(StoreError::from)
    })
}

fn save_json(w: &mut Writer, entity: Kind, base: &Value, mine: &Value) -> Result<(), StoreError> {
    for_kind!(entity, R => {
        let (b, m): (R, R) = (serde_json::from_value(base.clone())?, serde_json::from_value(mine.clone())?);
        w.save(&b, &m).map(|_| ())
    })
}

/// Insert a record from the copy, keeping its id when it is free here.
fn create_json(w: &mut Writer, entity: Kind, mut v: Value) -> Result<i64, StoreError> {
    let id = id_of(&v);
    if load_json(w.tx(), entity, id)?.is_some() {
        v["id"] = Value::from(0);
    }
    let uid = uid_of(&v).to_owned();
    if for_kind!(entity, R => w.uid_taken::<R>(&uid)?) {
        v["meta"]["uid"] = Value::from("");
    }
    for_kind!(entity, R => {
        let r: R = serde_json::from_value(v)?;
        w.create(r).map(|r| r.id())
    })
}

fn delete_json(w: &mut Writer, entity: Kind, v: &Value) -> Result<(), StoreError> {
    for_kind!(entity, R => {
        let r: R = serde_json::from_value(v.clone())?;
        w.delete(&r)
    })
}

fn uid_of(v: &Value) -> &str {
    v["meta"]["uid"].as_str().unwrap_or_default()
}

/// The id here of the record with this uid.
fn id_here(w: &Writer, entity: Kind, uid: &str) -> Result<Option<i64>, StoreError> {
    for_kind!(entity, R => w.id_of_uid::<R>(uid))
}

/// What this board did since the two files diverged that tells its records apart from
/// the copy's.
struct Here {
    /// Records added here: their numbers are not the copy's records of that number.
    created: HashSet<(Kind, i64)>,
}

impl Here {
    /// The record here that was the copy's record `id` when the files diverged: the one
    /// with its uid (either of `uids`: a row inserted with the `sqlite3` shell has none
    /// until its first save, which gives it one on each side), else the one with its
    /// number, unless a record added here since took that number.
    fn record(
        &self,
        w: &Writer,
        entity: Kind,
        id: i64,
        uids: [&str; 2],
    ) -> Result<Option<Value>, StoreError> {
        for uid in uids {
            if let Some(here) = id_here(w, entity, uid)? {
                return load_json(w.tx(), entity, here);
            }
        }
        if self.created.contains(&(entity, id)) {
            return Ok(None);
        }
        load_json(w.tx(), entity, id)
    }
}

/// A record the copy added may already be here: by its uid first; then personas and
/// stages by name, feelings by persona and stage (each unique on a board). Items,
/// comments and parked topics with a uid are here under it or not at all; without one
/// (inserted with the `sqlite3` shell, merged twice), items are matched by title and
/// creation time, comments by item, author, time and text, parked topics by text and
/// time.
fn same_record_here(w: &Writer, entity: Kind, theirs: &Value) -> Result<Option<Value>, StoreError> {
    let uid = uid_of(theirs);
    if let Some(id) = id_here(w, entity, uid)? {
        return load_json(w.tx(), entity, id);
    }
    if !uid.is_empty()
        && matches!(
            entity,
            Kind::Item | Kind::Comment | Kind::Parked | Kind::Evidence
        )
    {
        return Ok(None);
    }
    let all = |e: Kind| -> Result<Vec<Value>, StoreError> {
        for_kind!(e, R => {
            let rs: Vec<R> = record::load_all(w.tx())?;
            rs.into_iter().map(|r| serde_json::to_value(r).map_err(StoreError::from)).collect::<Result<Vec<_>, _>>()
        })
    };
    let same = |a: &Value, keys: &[&str]| keys.iter().all(|k| a[*k] == theirs[*k]);
    let found = match entity {
        Kind::Persona | Kind::Stage => all(entity)?.into_iter().find(|v| {
            crate::model::same_name(
                v["name"].as_str().unwrap_or(""),
                theirs["name"].as_str().unwrap_or(""),
            )
        }),
        Kind::Feeling => all(entity)?
            .into_iter()
            .find(|v| same(v, &["persona_id", "stage_id"])),
        // An item the copy added, merged here before: same title, made at the same time.
        Kind::Item => all(entity)?
            .into_iter()
            .find(|v| same(v, &["title", "created_at"])),
        Kind::Comment => all(entity)?
            .into_iter()
            .find(|v| same(v, &["item_id", "author", "at", "text"])),
        Kind::Parked => all(entity)?
            .into_iter()
            .find(|v| same(v, &["text", "parked_at", "parked_by"])),
        Kind::Evidence => all(entity)?
            .into_iter()
            .find(|v| same(v, &["kind", "text", "source", "observed"])),
        // Linked on both sides since: one link.
        Kind::EvidenceLink => all(entity)?
            .into_iter()
            .find(|v| same(v, &["evidence_id", "item_id"])),
        Kind::Mission | Kind::Column => load_json(w.tx(), entity, id_of(theirs))?,
    };
    Ok(found)
}

/// Point a record from the copy at its parents here: those merged above by the ids they
/// got, the others by their uid in the copy (their number may be another record's here).
/// A base's link to a number the copy has given to a new record since (`split_uids`)
/// is to the record that had it. A parent deleted here is unlinked where the link is
/// optional; where it is not (a comment's item, a feeling's persona and stage), its kind
/// is returned and the record cannot be merged.
fn repoint(
    v: &mut Value,
    entity: Kind,
    ids: &HashMap<(Kind, i64), i64>,
    split_uids: Option<&HashMap<(Kind, i64), String>>,
    copy: &Connection,
    w: &Writer,
    here: &Here,
) -> Result<Option<Kind>, StoreError> {
    for (field, parent) in [
        ("persona_id", Kind::Persona),
        ("stage_id", Kind::Stage),
        ("item_id", Kind::Item),
        ("evidence_id", Kind::Evidence),
    ] {
        let Some(old) = v.get(field).and_then(Value::as_i64) else {
            continue;
        };
        let at_split = split_uids.and_then(|u| u.get(&(parent, old)));
        let new = match (at_split, ids.get(&(parent, old))) {
            (Some(uid), _) => here
                .record(w, parent, old, [uid, ""])?
                .map(|found| id_of(&found)),
            (None, Some(new)) => Some(*new),
            (None, None) => match load_json(copy, parent, old)? {
                Some(p) => match here.record(w, parent, old, [uid_of(&p), ""])? {
                    Some(found) => Some(id_of(&found)),
                    // A persona or stage made again here since: the one of that name.
                    None => same_record_here(w, parent, &p)?.map(|found| id_of(&found)),
                },
                None => Some(old),
            },
        };
        match new {
            Some(new) => v[field] = Value::from(new),
            None if matches!(entity, Kind::Comment | Kind::Feeling | Kind::EvidenceLink) => {
                return Ok(Some(parent));
            }
            None => v[field] = Value::Null,
        }
    }
    Ok(None)
}

/// Whether two states of a record hold the same fields (their ids and meta aside).
fn same_fields(a: &Value, b: &Value) -> bool {
    let fields = |v: &Value| {
        v.as_object().map(|o| {
            o.iter()
                .filter(|(k, _)| *k != "id" && *k != "meta")
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect::<BTreeMap<_, _>>()
        })
    };
    fields(a) == fields(b)
}

fn id_of(v: &Value) -> i64 {
    v.get("id").and_then(Value::as_i64).unwrap_or(1)
}

fn describe(v: &Value) -> String {
    ["title", "name", "text"]
        .iter()
        .find_map(|k| v.get(*k).and_then(Value::as_str))
        .map(|s| format!(" '{s}'"))
        .unwrap_or_default()
}

struct Merged {
    value: Value,
    /// Fields taken from the copy.
    taken: Vec<String>,
    /// (field, kept value, lost value) where both sides changed a field differently.
    both_changed: Vec<(String, String, String)>,
}

/// Ours, plus the fields the copy changed since `base`; where both changed a field,
/// the side whose record changed last wins.
fn merge_fields(base: &Value, theirs: &Value, ours: &Value) -> Merged {
    let mut value = ours.clone();
    let (mut taken, mut both_changed) = (Vec::new(), Vec::new());
    let theirs_newer = theirs["meta"]["updated_at"].as_str() > ours["meta"]["updated_at"].as_str();
    if let Value::Object(fields) = theirs {
        for (field, t) in fields {
            if field == "meta" || field == "id" {
                continue;
            }
            let (b, o) = (base.get(field), &ours[field]);
            let copy_changed = b != Some(t);
            let here_changed = b.is_some_and(|b| b != o);
            if !copy_changed || t == o {
                continue;
            }
            if here_changed || b.is_none() {
                let (kept, lost) = if theirs_newer { (t, o) } else { (o, t) };
                both_changed.push((field.clone(), kept.to_string(), lost.to_string()));
                if !theirs_newer {
                    continue;
                }
            }
            value[field.as_str()] = t.clone();
            taken.push(field.clone());
        }
    }
    Merged {
        value,
        taken,
        both_changed,
    }
}
