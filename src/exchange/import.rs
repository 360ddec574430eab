//! Reading an exchange document into a board, in one transaction: personas and stages
//! are matched by name and updated, items with a known id updated, everything else added.
//!
//! The document is validated before the write lock is taken, and the work under the
//! lock is linear: names are looked up in maps built once, statements are prepared
//! once, and nothing scans a whole table per record.

use std::collections::{HashMap, HashSet};
use std::fmt;

use super::{Document, ItemDoc, validate};
use crate::model::{Comment, Feeling, Item, Metric, Mission, Persona, Stage, name_key};
use crate::store::{Positioned, Record, Store, StoreError, Writer, same_content};

/// What an import did, for the message the command prints.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub added: Counts,
    pub updated: Counts,
}

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Counts {
    pub personas: usize,
    pub stages: usize,
    pub feelings: usize,
    pub items: usize,
    pub comments: usize,
    pub mission: usize,
}

impl fmt::Display for Counts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = [
            (self.mission, "mission", "mission"),
            (self.personas, "persona", "personas"),
            (self.stages, "stage", "stages"),
            (self.feelings, "feeling", "feelings"),
            (self.items, "item", "items"),
            (self.comments, "comment", "comments"),
        ]
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
        if parts.is_empty() {
            f.write_str("nothing")
        } else {
            f.write_str(&parts.join(", "))
        }
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "added {}; updated {}", self.added, self.updated)
    }
}

/// Import a document (it is validated first); nothing is written if it is refused.
pub fn import(store: &mut Store, doc: &Document) -> Result<ImportReport, StoreError> {
    validate(doc).map_err(StoreError::Invalid)?;
    store.write(|w| {
        let mut report = ImportReport::default();
        mission(w, doc, &mut report)?;
        let personas = personas(w, doc, &mut report)?;
        let stages = stages(w, doc, &mut report)?;
        for f in &doc.feelings {
            let (Some(p), Some(s)) = (find(&personas, &f.persona), find(&stages, &f.stage)) else {
                continue;
            };
            feeling(w, p, s, f.score as i8, &f.note, &mut report)?;
        }
        for (n, d) in doc.items.iter().enumerate() {
            item(w, d, n as i64 + 1, &personas, &stages, &mut report)?;
        }
        Ok(report)
    })
}

/// The ids of the personas (or stages) by the key of their name (see `name_key`).
type Ids = HashMap<String, i64>;

fn find(named: &Ids, name: &str) -> Option<i64> {
    named.get(&name_key(name)).copied()
}

fn mission(w: &mut Writer, doc: &Document, report: &mut ImportReport) -> Result<(), StoreError> {
    let base: Mission = w.load(1)?.unwrap_or_default();
    let mine = Mission {
        statement: doc.mission.statement.clone(),
        customer: doc.mission.customer.clone(),
        ..base.clone()
    };
    if mine != base && !(mine.statement.is_empty() && mine.customer.is_empty()) {
        w.save(&base, &mine)?;
        report.updated.mission += 1;
    }
    Ok(())
}

/// Records matched by name, ignoring case: changed ones are saved, new ones go to the
/// end of the list. Returns the ids of every record of the kind afterwards, by name.
fn upsert_by_name<R: Record + Positioned + Named + Default>(
    w: &mut Writer,
    wanted: Vec<(&str, Fields<'_, R>)>,
    added: &mut usize,
    updated: &mut usize,
) -> Result<Ids, StoreError> {
    let existing: Vec<R> = w.load_all()?;
    let mut next = existing.iter().map(|r| r.position()).max().unwrap_or(0) + 1;
    let mut ids: Ids = existing
        .iter()
        .map(|r| (name_key(r.name()), r.id()))
        .collect();
    let by_key: HashMap<String, &R> = existing.iter().map(|r| (name_key(r.name()), r)).collect();
    for (name, fields) in wanted {
        let key = name_key(name);
        match by_key.get(&key) {
            Some(r) => {
                let mine = fields((*r).clone());
                if !same_content(&mine, *r) {
                    w.save(*r, &mine)?;
                    *updated += 1;
                }
            }
            None => {
                let made = w.create(fields(R::default().with_position(next)))?;
                ids.insert(key, made.id());
                next += 1;
                *added += 1;
            }
        }
    }
    Ok(ids)
}

/// How an imported record's fields replace a stored (or default) one's.
type Fields<'a, R> = Box<dyn Fn(R) -> R + 'a>;

trait Named {
    fn name(&self) -> &str;
}

impl Named for Persona {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for Stage {
    fn name(&self) -> &str {
        &self.name
    }
}

fn personas(w: &mut Writer, doc: &Document, report: &mut ImportReport) -> Result<Ids, StoreError> {
    let wanted = doc
        .personas
        .iter()
        .map(|d| {
            let fields = move |base: Persona| Persona {
                name: d.name.trim().to_owned(),
                role: d.role.clone(),
                goal: d.goal.clone(),
                needs: d.needs.clone(),
                pains: d.pains.clone(),
                quote: d.quote.clone(),
                ..base
            };
            (
                d.name.as_str(),
                Box::new(fields) as Box<dyn Fn(Persona) -> Persona>,
            )
        })
        .collect();
    upsert_by_name(
        w,
        wanted,
        &mut report.added.personas,
        &mut report.updated.personas,
    )
}

fn stages(w: &mut Writer, doc: &Document, report: &mut ImportReport) -> Result<Ids, StoreError> {
    let wanted = doc
        .stages
        .iter()
        .map(|d| {
            let metric = d
                .metric
                .as_ref()
                .map(|m| Metric {
                    name: m.name.clone(),
                    target: m.target,
                    actual: m.actual,
                    unit: m.unit.clone(),
                    better: m.better,
                })
                .unwrap_or_default();
            let fields = move |base: Stage| Stage {
                name: d.name.trim().to_owned(),
                customer_goal: d.customer_goal.clone(),
                touchpoints: d.touchpoints.clone(),
                pains: d.pains.clone(),
                backstage: d.backstage.clone(),
                metric: metric.clone(),
                ..base
            };
            (
                d.name.as_str(),
                Box::new(fields) as Box<dyn Fn(Stage) -> Stage>,
            )
        })
        .collect();
    upsert_by_name(
        w,
        wanted,
        &mut report.added.stages,
        &mut report.updated.stages,
    )
}

fn feeling(
    w: &mut Writer,
    persona_id: i64,
    stage_id: i64,
    score: i8,
    note: &str,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    let current = w.feeling_at(persona_id, stage_id)?;
    match &current {
        Some(f) if f.score == score && f.note == note => return Ok(()),
        Some(_) => report.updated.feelings += 1,
        None => report.added.feelings += 1,
    }
    w.put_feeling(current, Feeling::new(persona_id, stage_id, score, note))?;
    Ok(())
}

fn item(
    w: &mut Writer,
    d: &ItemDoc,
    position: i64,
    personas: &Ids,
    stages: &Ids,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    let now = w.now();
    let existing: Option<Item> = d.id.map(|id| w.load::<Item>(id)).transpose()?.flatten();
    let fields = |base: Item| Item {
        title: d.title.trim().to_owned(),
        detail: d.detail.clone(),
        status: d.status,
        owner: d.owner.clone(),
        due: d.due,
        persona_id: d.persona.as_deref().and_then(|n| find(personas, n)),
        stage_id: d.stage.as_deref().and_then(|n| find(stages, n)),
        impact: d.impact.clone(),
        risk: d.risk.clone(),
        blocked: d.blocked,
        blocked_reason: d.blocked_reason.clone(),
        created_at: d.created_at.unwrap_or(base.created_at),
        status_since: d.status_since.or(d.created_at).unwrap_or(base.status_since),
        ..base
    };
    let is_new = existing.is_none();
    let id = match existing {
        Some(base) => {
            let mine = fields(base.clone());
            if !same_content(&mine, &base) {
                w.save(&base, &mine)?;
                report.updated.items += 1;
            }
            base.id
        }
        None => {
            let fresh = Item {
                id: d.id.unwrap_or(0),
                created_at: now,
                status_since: now,
                position,
                ..Item::default()
            };
            let added = w.create(fields(fresh))?;
            // Keep the document's own last-change time, so export → import → export is stable.
            if let Some(t) = d.updated_at {
                w.restamp::<Item>(added.id, t)?;
            }
            report.added.items += 1;
            added.id
        }
    };
    // Comments the board already has are not added twice (a fresh item has none).
    let known: HashSet<(String, String, jiff::Timestamp)> = if is_new {
        HashSet::new()
    } else {
        w.children::<Comment>("item_id", id)?
            .into_iter()
            .map(|k| (k.author, k.text, k.at))
            .collect()
    };
    for c in &d.comments {
        let at = c.at.unwrap_or(now);
        if known.contains(&(c.author.clone(), c.text.clone(), at)) {
            continue;
        }
        w.create(Comment {
            id: 0,
            item_id: id,
            author: c.author.clone(),
            at,
            text: c.text.clone(),
            meta: Default::default(),
        })?;
        report.added.comments += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::super::{Format, from_board, parse, to_json, to_toml};
    use crate::model::Status;

    #[test]
    fn board_round_trip_keeps_the_document() {
        let doc = sample_doc();
        let board = board_of(&doc);
        assert_eq!(board.items[0].title, "Printers", "board order is by status");
        assert_eq!(board.comments.len(), 1);
        assert_eq!(board.comments[0].item_id, 7);
        let back = from_board(&board);
        // from_board writes items in board order: Plan before Do.
        let mut expected = doc.clone();
        expected.items.reverse();
        assert_eq!(back, expected);
        assert_eq!(from_board(&board_of(&back)), back);
    }

    #[test]
    fn starter_exports_stably() {
        let once = from_board(&starter_board());
        let twice = from_board(&board_of(&parse(&to_toml(&once), Format::Toml).unwrap()));
        assert_eq!(to_json(&once), to_json(&twice));
        assert!(once.items.iter().all(|i| i.id.is_some()));
        assert_eq!(once.items[0].status, Status::Plan);
        assert_eq!(once.items.last().unwrap().status, Status::Done);
    }
}
