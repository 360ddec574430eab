//! Reading an exchange document into a board, in one transaction. Every record is
//! matched first by its `uid`; then personas and stages by name, feelings by persona and
//! stage, items by `id` (unless both sides have uids that differ: then they are two
//! items) and, with neither uid nor id, by exact title; comments, metric values,
//! stand-ups and parked topics by what they say and when. Matched records are updated
//! where they differ, the rest added (keeping their uid, and their id when it is free).
//! So importing a document twice changes nothing the second time, and a board's own
//! export changes nothing.
//!
//! The document is validated before the write lock is taken; a refused one never
//! reaches the board. The work under the lock is linear: items are matched by indexed
//! lookups (uid, id) with cached statements, everything else in sets and maps built
//! once (the board's titles only when an item has neither uid nor id).

use std::collections::{HashMap, HashSet, VecDeque};
use std::fmt;

use super::{Document, ExchangeError, ItemDoc, validate};
use crate::model::{
    Column, Comment, Feeling, Item, Metric, MetricValue, Mission, ParkedTopic, Persona, Stage,
    Standup, Status, name_key,
};
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
    pub wip_limits: usize,
    pub metric_values: usize,
    pub standups: usize,
    pub parked: usize,
    pub evidence: usize,
    pub evidence_links: usize,
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
            (self.wip_limits, "WIP limit", "WIP limits"),
            (self.metric_values, "metric value", "metric values"),
            (self.standups, "stand-up", "stand-ups"),
            (self.parked, "parked topic", "parked topics"),
            (self.evidence, "piece of evidence", "pieces of evidence"),
            (self.evidence_links, "evidence link", "evidence links"),
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

/// Import a document into the board, in one transaction: it is validated first, and
/// nothing is written if it is refused. The transaction keeps no undo list (an import
/// is not undone change by change).
pub fn import(store: &mut Store, doc: &Document) -> Result<ImportReport, ExchangeError> {
    validate(doc)?;
    let report = store.write(|w| {
        w.without_undo();
        let mut report = ImportReport::default();
        mission(w, doc, &mut report)?;
        let personas = personas(w, doc, &mut report)?;
        let stages = stages(w, doc, &mut report)?;
        feelings(w, doc, &personas, &stages, &mut report)?;
        let items = items(w, doc, &personas, &stages, &mut report)?;
        history(w, doc, &stages, &mut report)?;
        wip_limits(w, doc, &mut report)?;
        let standups = standups(w, doc, &mut report)?;
        parked(w, doc, &standups, &items, &mut report)?;
        super::evidence::import(w, doc, &personas, &stages, &items, &mut report)?;
        Ok(report)
    })?;
    Ok(report)
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

/// Records matched by uid, then by name ignoring case: changed ones are saved, new ones
/// go to the end of the list with their uid. Those matched by uid are saved first, and a
/// record whose uid the document carries is never taken by name, so the document may
/// rename a record and give its old name to another. Returns the ids of every record of
/// the kind afterwards, by name (the document's names included).
fn upsert_by_name<R: Record + Positioned + Named + Default>(
    w: &mut Writer,
    wanted: Vec<(&str, &str, Fields<'_, R>)>,
    added: &mut usize,
    updated: &mut usize,
) -> Result<Ids, StoreError> {
    let existing: Vec<R> = w.load_all()?;
    let mut next = existing.iter().map(|r| r.position()).max().unwrap_or(0) + 1;
    let mut ids: Ids = existing
        .iter()
        .map(|r| (name_key(r.name()), r.id()))
        .collect();
    let by_uid: HashMap<&str, &R> = existing
        .iter()
        .filter(|r| !r.meta().uid.is_empty())
        .map(|r| (r.meta().uid.as_str(), r))
        .collect();
    let (by_their_uid, rest): (Vec<_>, Vec<_>) = wanted
        .into_iter()
        .partition(|(_, uid, _)| by_uid.contains_key(uid));
    let claimed: HashSet<&str> = by_their_uid.iter().map(|(_, uid, _)| *uid).collect();
    let by_key: HashMap<String, &R> = existing
        .iter()
        .filter(|r| !claimed.contains(r.meta().uid.as_str()))
        .map(|r| (name_key(r.name()), r))
        .collect();
    for (name, uid, fields) in by_their_uid.into_iter().chain(rest) {
        let key = name_key(name);
        let found = by_uid.get(uid).or_else(|| by_key.get(&key)).copied();
        match found {
            Some(r) => {
                let mine = fields(r.clone());
                if !same_content(&mine, r) {
                    w.save(r, &mine)?;
                    *updated += 1;
                }
                ids.insert(key, r.id());
            }
            None => {
                let mut fresh = fields(R::default().with_position(next));
                fresh.meta_mut().uid = uid.to_owned();
                let made = w.create(fresh)?;
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
                side: d.side,
                ..base
            };
            (
                d.name.as_str(),
                d.uid.trim(),
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
                    warn: m.warn,
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
                d.uid.trim(),
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

fn feelings(
    w: &mut Writer,
    doc: &Document,
    personas: &Ids,
    stages: &Ids,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    for f in &doc.feelings {
        let (Some(p), Some(s)) = (find(personas, &f.persona), find(stages, &f.stage)) else {
            continue;
        };
        let by_uid = match w.id_of_uid::<Feeling>(f.uid.trim())? {
            Some(id) => w
                .load::<Feeling>(id)?
                .filter(|x| x.persona_id == p && x.stage_id == s),
            None => None,
        };
        let current = match by_uid {
            Some(x) => Some(x),
            None => w.feeling_at(p, s)?,
        };
        let score = f.score as i8;
        match &current {
            Some(x) if x.score == score && x.note == f.note => continue,
            Some(_) => report.updated.feelings += 1,
            None => report.added.feelings += 1,
        }
        let mut wanted = Feeling::new(p, s, score, &f.note);
        if current.is_none() && !w.uid_taken::<Feeling>(f.uid.trim())? {
            wanted.meta.uid = f.uid.trim().to_owned();
        }
        w.put_feeling(current, wanted)?;
    }
    Ok(())
}

/// The items, in document order. Each is matched by uid, else by id, else (with
/// neither) by exact title; no board item is matched twice, and a board item whose uid
/// a document item carries is that one's, never taken by id or title. Returns the
/// board's id of each document item that has an id, by that id (for the parked topics).
fn items(
    w: &mut Writer,
    doc: &Document,
    personas: &Ids,
    stages: &Ids,
    report: &mut ImportReport,
) -> Result<HashMap<i64, i64>, StoreError> {
    let doc_uids: HashSet<&str> = doc
        .items
        .iter()
        .map(|d| d.uid.trim())
        .filter(|u| !u.is_empty())
        .collect();
    // Whether board item `i` carries the uid of a document item other than `uid`'s.
    let claimed_by_another = |i: &Item, uid: &str| {
        let theirs = i.meta.uid.as_str();
        !theirs.is_empty() && theirs != uid && doc_uids.contains(theirs)
    };
    let mut taken: HashSet<i64> = HashSet::with_capacity(doc.items.len());
    let mut became = HashMap::new();
    // The board's items by exact title, lowest id first, read when a document item
    // first needs them (hand-written documents have neither uid nor id).
    let mut by_title: Option<HashMap<String, VecDeque<i64>>> = None;
    for (n, d) in doc.items.iter().enumerate() {
        let uid = d.uid.trim();
        let mut existing: Option<Item> = None;
        if let Some(id) = w.id_of_uid::<Item>(uid)? {
            existing = w.load::<Item>(id)?;
        } else if let Some(id) = d.id {
            // The same id with another uid is another item.
            existing = w
                .load::<Item>(id)?
                .filter(|i| uid.is_empty() || i.meta.uid.is_empty() || i.meta.uid == uid);
        } else if uid.is_empty() {
            let titles = match &mut by_title {
                Some(titles) => titles,
                None => {
                    let mut titles: HashMap<String, VecDeque<i64>> = HashMap::new();
                    w.for_each_item_title(|id, title| {
                        titles.entry(title.to_owned()).or_default().push_back(id);
                        Ok(())
                    })?;
                    by_title.insert(titles)
                }
            };
            if let Some(ids) = titles.get_mut(d.title.trim()) {
                while let Some(id) = ids.pop_front() {
                    let found = w.load::<Item>(id)?;
                    if let Some(i) = &found
                        && !taken.contains(&id)
                        && !claimed_by_another(i, uid)
                    {
                        existing = found;
                        break;
                    }
                }
            }
        }
        if let Some(i) = &existing
            && (taken.contains(&i.id) || claimed_by_another(i, uid))
        {
            existing = None;
        }
        let id = item(w, d, uid, n as i64 + 1, existing, personas, stages, report)?;
        taken.insert(id);
        if let Some(doc_id) = d.id {
            became.insert(doc_id, id);
        }
        comments(w, d, id, report)?;
    }
    Ok(became)
}

#[allow(clippy::too_many_arguments)]
fn item(
    w: &mut Writer,
    d: &ItemDoc,
    uid: &str,
    position: i64,
    existing: Option<Item>,
    personas: &Ids,
    stages: &Ids,
    report: &mut ImportReport,
) -> Result<i64, StoreError> {
    let now = w.now();
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
        baseline: d.baseline,
        baseline_at: d.baseline_at,
        ..base
    };
    match existing {
        Some(base) => {
            let mine = fields(base.clone());
            if !same_content(&mine, &base) {
                w.save(&base, &mine)?;
                report.updated.items += 1;
            }
            Ok(base.id)
        }
        None => {
            let id_free = match d.id {
                Some(id) => w.load::<Item>(id)?.is_none(),
                None => false,
            };
            let mut fresh = Item {
                id: if id_free { d.id.unwrap_or(0) } else { 0 },
                created_at: now,
                status_since: now,
                position,
                ..Item::default()
            };
            fresh.meta.uid = uid.to_owned();
            let added = w.create(fields(fresh))?;
            // Keep the document's own last-change time, so export → import → export is stable.
            if let Some(t) = d.updated_at {
                w.restamp::<Item>(added.id, t)?;
            }
            report.added.items += 1;
            Ok(added.id)
        }
    }
}

/// An item's comments: by uid, else by author, text and time (any time, for one the
/// document gives none), each added once.
fn comments(
    w: &mut Writer,
    d: &ItemDoc,
    item_id: i64,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    if d.comments.is_empty() {
        return Ok(());
    }
    let now = w.now();
    let mut known: Vec<Comment> = w.children::<Comment>("item_id", item_id)?;
    let mut exact: HashSet<(String, String, jiff::Timestamp)> = known
        .iter()
        .map(|k| (k.author.clone(), k.text.clone(), k.at))
        .collect();
    for c in &d.comments {
        let uid = c.uid.trim();
        if w.uid_taken::<Comment>(uid)? {
            continue;
        }
        let seen = match c.at {
            Some(at) => exact.contains(&(c.author.clone(), c.text.clone(), at)),
            None => known
                .iter()
                .any(|k| k.author == c.author && k.text == c.text),
        };
        if seen {
            continue;
        }
        let mut comment = Comment {
            id: 0,
            item_id,
            author: c.author.clone(),
            at: c.at.unwrap_or(now),
            text: c.text.clone(),
            meta: Default::default(),
        };
        comment.meta.uid = uid.to_owned();
        let made = w.create(comment)?;
        exact.insert((made.author.clone(), made.text.clone(), made.at));
        known.push(made);
        report.added.comments += 1;
    }
    Ok(())
}

/// Each stage's metric history: a value is there already by uid, or by stage, time,
/// value and who.
fn history(
    w: &mut Writer,
    doc: &Document,
    stages: &Ids,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    if doc.stages.iter().all(|s| s.history.is_empty()) {
        return Ok(());
    }
    let existing = w.metric_values()?;
    let mut uids: HashSet<String> = existing.iter().map(|v| v.uid.clone()).collect();
    let mut same: HashSet<(i64, jiff::Timestamp, u64, String)> = existing
        .iter()
        .map(|v| (v.stage_id, v.at, v.value.to_bits(), v.who.clone()))
        .collect();
    for s in &doc.stages {
        let Some(stage_id) = find(stages, &s.name) else {
            continue;
        };
        for v in &s.history {
            let uid = v.uid.trim();
            let key = (stage_id, v.at, v.value.to_bits(), v.who.clone());
            if (!uid.is_empty() && uids.contains(uid)) || same.contains(&key) {
                continue;
            }
            w.add_metric_value(&MetricValue {
                uid: uid.to_owned(),
                stage_id,
                at: v.at,
                value: v.value,
                who: v.who.clone(),
            })?;
            uids.insert(uid.to_owned());
            same.insert(key);
            report.added.metric_values += 1;
        }
    }
    Ok(())
}

/// The WIP limits the document names (a column it does not name keeps its limit).
fn wip_limits(w: &mut Writer, doc: &Document, report: &mut ImportReport) -> Result<(), StoreError> {
    for &status in Status::ALL {
        let Some(limit) = doc.wip_limits.get(status) else {
            continue;
        };
        let Some(col) = w.load::<Column>(status.index() as i64 + 1)? else {
            continue;
        };
        if col.wip_limit != Some(limit) {
            let mine = Column {
                wip_limit: Some(limit),
                ..col.clone()
            };
            w.save(&col, &mine)?;
            report.updated.wip_limits += 1;
        }
    }
    Ok(())
}

/// The stand-ups: by uid, else by start and facilitator. Returns the board's id of each
/// document stand-up by its uid (for the parked topics).
fn standups(
    w: &mut Writer,
    doc: &Document,
    report: &mut ImportReport,
) -> Result<HashMap<String, i64>, StoreError> {
    let mut ids = HashMap::new();
    if doc.standups.is_empty() {
        return Ok(ids);
    }
    let existing = w.standups()?;
    let by_uid: HashMap<String, i64> = existing
        .iter()
        .filter(|(s, _)| !s.uid.is_empty())
        .map(|(s, _)| (s.uid.clone(), s.id))
        .collect();
    let by_start: HashMap<(jiff::Timestamp, String), i64> = existing
        .iter()
        .map(|(s, _)| ((s.started_at, s.facilitator.clone()), s.id))
        .collect();
    for d in &doc.standups {
        let uid = d.uid.trim();
        let found = by_uid
            .get(uid)
            .or_else(|| by_start.get(&(d.started_at, d.facilitator.clone())))
            .copied();
        let id = match found {
            Some(id) => id,
            None => {
                let s = Standup {
                    id: d.id.unwrap_or(0),
                    uid: uid.to_owned(),
                    started_at: d.started_at,
                    ended_at: Some(d.ended_at),
                    facilitator: d.facilitator.clone(),
                };
                report.added.standups += 1;
                w.add_standup(s, Some(&d.summary))?.id
            }
        };
        if !uid.is_empty() {
            ids.insert(uid.to_owned(), id);
        }
    }
    Ok(ids)
}

/// The parked topics: by uid, else by text, time and who parked it.
fn parked(
    w: &mut Writer,
    doc: &Document,
    standups: &HashMap<String, i64>,
    items: &HashMap<i64, i64>,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    if doc.parked.is_empty() {
        return Ok(());
    }
    let existing: Vec<ParkedTopic> = w.load_all()?;
    let by_uid: HashMap<&str, &ParkedTopic> = existing
        .iter()
        .filter(|t| !t.meta.uid.is_empty())
        .map(|t| (t.meta.uid.as_str(), t))
        .collect();
    let by_text: HashMap<(&str, jiff::Timestamp, &str), &ParkedTopic> = existing
        .iter()
        .map(|t| ((t.text.as_str(), t.parked_at, t.parked_by.as_str()), t))
        .collect();
    for d in &doc.parked {
        let uid = d.uid.trim();
        let found = by_uid
            .get(uid)
            .or_else(|| by_text.get(&(d.text.as_str(), d.parked_at, d.parked_by.as_str())))
            .copied();
        // The item it became, as imported (an id the document does not hold stays).
        let item_id = d.item.map(|i| items.get(&i).copied().unwrap_or(i));
        let fields = |base: ParkedTopic| ParkedTopic {
            standup_id: d.standup.as_ref().and_then(|u| standups.get(u).copied()),
            text: d.text.clone(),
            parked_by: d.parked_by.clone(),
            parked_at: d.parked_at,
            resolved_at: d.resolved_at,
            resolved_by: d.resolved_by.clone(),
            item_id,
            ..base
        };
        match found {
            Some(t) => {
                let mine = fields(t.clone());
                if !same_content(&mine, t) {
                    w.save(t, &mine)?;
                    report.updated.parked += 1;
                }
            }
            None => {
                let mut fresh = fields(ParkedTopic::default());
                fresh.meta.uid = uid.to_owned();
                w.create(fresh)?;
                report.added.parked += 1;
            }
        }
    }
    Ok(())
}
