//! Stand-ups: recording a finished one with its parked topics and its summary (one
//! short transaction), reading past ones back, and the parking lot after them.
//!
//! The summary is what changed to the improvement items between the stand-up's start
//! and end, by anyone (so teammates' changes from the wall or the command line count),
//! read from the activity log through [`super::fact`] and grouped by person. It is
//! stored with the stand-up when it ends, so a past report reads exactly as it did that
//! day; a stand-up held before schema 4 has its summary read from the log instead.

use std::collections::{BTreeMap, HashMap};

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{Connection, OptionalExtension};

use super::cells::{Cells, Columns, ts_to_sql};
use super::record::{self, new_uid};
use super::write::Writer;
use super::{Store, StoreError, activity_rows, fact};
use crate::model::{
    AnyRecord, Comment, Fact, FactChange, Field, Item, ItemChange, Kind, ParkedNote, ParkedTopic,
    PersonChanges, Standup, StandupSummary, Status,
};

columns!("standup", Standup {
    "id" => id,
    "uid" => uid,
    "started_at" => started_at,
    "ended_at" => ended_at,
    "facilitator" => facilitator,
});

/// Stand-up rows matching `clause`.
pub(super) fn standup_rows(
    c: &Connection,
    clause: &str,
    args: impl rusqlite::Params,
) -> rusqlite::Result<Vec<Standup>> {
    let sql = format!(
        "SELECT {} FROM standup WHERE {clause}",
        Standup::column_list()
    );
    let mut stmt = c.prepare_cached(&sql)?;
    let rows = stmt.query_map(args, Standup::from_row)?;
    rows.collect()
}

/// The summary's JSON stored with stand-up `id`, if any (a malformed cell reads as none).
fn stored_summary(c: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    c.prepare_cached("SELECT id, summary FROM standup WHERE id = ?1")?
        .query_row([id], |r| {
            let mut cells = Cells::new("standup", r);
            cells.take::<i64>()?;
            cells.take::<Option<String>>()
        })
        .optional()
        .map(Option::flatten)
}

impl Store {
    /// Store a finished stand-up with the topics parked in it (text, when parked) and
    /// its summary, with activity rows saying so; one transaction. Returns both.
    pub fn record_standup(
        &mut self,
        started_at: Timestamp,
        ended_at: Timestamp,
        facilitator: &str,
        parked: &[(String, Timestamp)],
    ) -> Result<(Standup, StandupSummary), StoreError> {
        self.write(|w| {
            // The evidence heard since the last stand-up (the week before, for the first).
            let since = match super::last_standup(w.tx())? {
                Some(last) => last.end(),
                None => started_at
                    .checked_sub(jiff::SignedDuration::from_hours(7 * 24))
                    .unwrap_or(started_at),
            };
            let evidence = super::evidence::added_between(w.tx(), since, ended_at)?;
            let metrics = crate::model::moved_between(
                &record::load_all::<crate::model::Stage>(w.tx())?,
                &w.metric_values()?,
                since,
                ended_at,
            );
            let standup = Standup {
                id: 0,
                uid: String::new(),
                started_at,
                ended_at: Some(ended_at),
                facilitator: facilitator.to_owned(),
            };
            let standup = insert_standup(w, standup)?;
            let mut notes = Vec::with_capacity(parked.len());
            for (text, at) in parked {
                let topic = w.create(ParkedTopic {
                    standup_id: Some(standup.id),
                    text: text.clone(),
                    parked_by: w.who().to_owned(),
                    parked_at: *at,
                    ..ParkedTopic::default()
                })?;
                notes.push(ParkedNote {
                    text: topic.text,
                    by: topic.parked_by,
                });
            }
            let summary = StandupSummary {
                people: summarize(w.tx(), started_at, ended_at)?,
                parked: notes,
                evidence,
                metrics,
            };
            let counts = summary.counts();
            let people = summary.people.len();
            let what = format!(
                "held a stand-up ({} min: {}{}; {} parked topic{})",
                standup.minutes(),
                counts.words(),
                match people {
                    0 => String::new(),
                    1 => " by 1 person".to_owned(),
                    n => format!(" by {n} people"),
                },
                counts.parked,
                if counts.parked == 1 { "" } else { "s" }
            );
            store_summary(w, &standup, &summary, &what)?;
            Ok((standup, summary))
        })
    }

    /// The stand-up that ended last, if any.
    pub fn last_finished_standup(&self) -> Result<Option<Standup>, StoreError> {
        Ok(super::last_standup(&self.conn)?)
    }

    /// Every finished stand-up, oldest first.
    pub fn standups(&self) -> Result<Vec<Standup>, StoreError> {
        standup_rows(
            &self.conn,
            "ended_at IS NOT NULL ORDER BY started_at, id",
            [],
        )
        .map_err(|e| self.classify(e))
    }

    /// One stand-up by id.
    pub fn standup(&self, id: i64) -> Result<Option<Standup>, StoreError> {
        Ok(standup_rows(&self.conn, "id = ?1", [id])?.pop())
    }

    /// What a stand-up achieved: as stored when it ended, or (for one held before
    /// schema 4, or whose stored summary cannot be read) from the activity log.
    pub fn summary_of(&self, s: &Standup) -> Result<StandupSummary, StoreError> {
        let stored = stored_summary(&self.conn, s.id)?;
        if let Some(summary) = stored.and_then(|j| serde_json::from_str(&j).ok()) {
            return Ok(summary);
        }
        let parked = record::load_all::<ParkedTopic>(&self.conn)?
            .into_iter()
            .filter(|t| t.standup_id == Some(s.id))
            .map(|t| ParkedNote {
                text: t.text,
                by: t.parked_by,
            })
            .collect();
        Ok(StandupSummary {
            people: summarize(&self.conn, s.started_at, s.end())?,
            parked,
            evidence: Vec::new(),
            metrics: Vec::new(),
        })
    }

    /// Mark a parked topic resolved (by you, now).
    pub fn resolve_topic(&mut self, topic: &ParkedTopic) -> Result<ParkedTopic, StoreError> {
        self.write(|w| {
            let mine = ParkedTopic {
                resolved_at: Some(w.now()),
                resolved_by: w.who().to_owned(),
                ..topic.clone()
            };
            Ok(w.save(topic, &mine)?.record)
        })
    }
}

impl Writer<'_> {
    /// Every stand-up on the board (running ones too), with its stored summary's JSON.
    pub fn standups(&self) -> Result<Vec<(Standup, Option<String>)>, StoreError> {
        let list = standup_rows(self.tx(), "1 ORDER BY id", [])?;
        list.into_iter()
            .map(|s| {
                let json = stored_summary(self.tx(), s.id)?;
                Ok((s, json))
            })
            .collect()
    }

    /// Add a stand-up held elsewhere (an import): its id kept when free, its uid kept
    /// (a new one when it has none), its summary stored as given.
    pub fn add_standup(
        &mut self,
        s: Standup,
        summary: Option<&StandupSummary>,
    ) -> Result<Standup, StoreError> {
        let taken = s.id > 0 && !standup_rows(self.tx(), "id = ?1", [s.id])?.is_empty();
        let s = Standup {
            id: if taken { 0 } else { s.id },
            ..s
        };
        let s = insert_standup(self, s)?;
        let what = format!(
            "added the stand-up of {} held by {}",
            s.started_at.strftime("%Y-%m-%d %H:%M UTC"),
            s.facilitator
        );
        match summary {
            Some(summary) => store_summary(self, &s, summary, &what)?,
            None => self.note(
                "create",
                "standup",
                s.id,
                &what,
                None,
                Some(&serde_json::to_value(&s)?),
            )?,
        }
        Ok(s)
    }
}

fn insert_standup(w: &mut Writer, mut s: Standup) -> Result<Standup, StoreError> {
    if s.uid.is_empty() {
        s.uid = new_uid();
    }
    let id = (s.id > 0).then_some(s.id);
    w.tx()
        .prepare_cached(
            "INSERT INTO standup (id, uid, started_at, ended_at, facilitator) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(rusqlite::params![
            id,
            s.uid,
            ts_to_sql(s.started_at),
            s.ended_at.map(ts_to_sql),
            s.facilitator,
        ])?;
    s.id = w.tx().last_insert_rowid();
    Ok(s)
}

/// Keep the summary with the stand-up, and say so in the activity log (the row's
/// `after` holds the stand-up and its summary).
fn store_summary(
    w: &mut Writer,
    s: &Standup,
    summary: &StandupSummary,
    what: &str,
) -> Result<(), StoreError> {
    w.tx()
        .prepare_cached("UPDATE standup SET summary = ?1 WHERE id = ?2")?
        .execute(rusqlite::params![serde_json::to_string(summary)?, s.id])?;
    let mut after = serde_json::to_value(s)?;
    after["summary"] = serde_json::to_value(summary)?;
    w.note("create", "standup", s.id, what, None, Some(&after))
}

// ---------------------------------------------------------------------------------------
// The summary, from the activity log.

/// What a stand-up reports of an item: its state at one moment.
#[derive(Debug, Clone, PartialEq)]
struct ItemState {
    title: String,
    status: Status,
    owner: String,
    due: Option<Date>,
    blocked: bool,
    reason: String,
}

impl ItemState {
    fn of(i: &Item) -> ItemState {
        ItemState {
            title: i.title.clone(),
            status: i.status,
            owner: i.owner.clone(),
            due: i.due,
            blocked: i.blocked,
            reason: i.blocked_reason.clone(),
        }
    }

    /// Back to before an update.
    fn rewind(&mut self, fields: &[Field]) {
        for f in fields {
            match f {
                Field::Title(b, _) => self.title = b.clone(),
                Field::Status(b, _) => self.status = *b,
                Field::Owner(b, _) => self.owner = b.clone(),
                Field::Due(b, _) => self.due = *b,
                Field::Blocked(b, _) => self.blocked = *b,
                Field::BlockedReason(b, _) => self.reason = b.clone(),
                Field::Other(_) => {}
            }
        }
    }
}

/// Items and comments as they were at one moment (`None`: not there), for the records
/// a stand-up touched.
#[derive(Debug, Clone, Default)]
struct States {
    items: HashMap<i64, Option<ItemState>>,
    comments: HashMap<i64, Option<Comment>>,
}

impl States {
    /// Undo one fact: the state before it happened.
    fn rewind(&mut self, f: &Fact) {
        match (f.kind, &f.change) {
            (Kind::Item, change) => {
                let Some(state) = self.items.get_mut(&f.id) else {
                    return;
                };
                match change {
                    FactChange::Created => *state = None,
                    FactChange::Deleted(r) => {
                        if let AnyRecord::Item(i) = r.as_ref() {
                            *state = Some(ItemState::of(i));
                        }
                    }
                    FactChange::Updated(fields) => {
                        if let Some(s) = state {
                            s.rewind(fields);
                        }
                    }
                    FactChange::Discarded(_) => {}
                }
            }
            (Kind::Comment, change) => {
                let Some(state) = self.comments.get_mut(&f.id) else {
                    return;
                };
                match change {
                    FactChange::Created => *state = None,
                    FactChange::Deleted(r) => {
                        if let AnyRecord::Comment(c) = r.as_ref() {
                            *state = Some(c.clone());
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
    }
}

/// Who last changed what of an item during the stand-up: (activity id, who).
#[derive(Debug, Clone, Default)]
struct Authors {
    any: Option<(i64, String)>,
    created: Option<(i64, String)>,
    deleted: Option<(i64, String)>,
    status: Option<(i64, String)>,
    blocked: Option<(i64, String)>,
    owner: Option<(i64, String)>,
    due: Option<(i64, String)>,
}

/// Every net change to the items between `started` and `ended`, by person (sorted by
/// name), each person's in the order they made them.
pub(crate) fn summarize(
    conn: &Connection,
    started: Timestamp,
    ended: Timestamp,
) -> Result<Vec<PersonChanges>, StoreError> {
    let (from, to) = (ts_to_sql(started), ts_to_sql(ended));
    let facts = |clause: &str| -> Result<Vec<Fact>, StoreError> {
        Ok(activity_rows(conn, clause, [&from, &to])?
            .iter()
            .filter_map(fact)
            .filter(|f| matches!(f.kind, Kind::Item | Kind::Comment))
            .collect())
    };
    let window = facts("at >= ?1 AND at <= ?2 AND entity IN ('item', 'comment') ORDER BY id")?;
    if window.is_empty() {
        return Ok(Vec::new());
    }
    // What happened to the same records after the end, to go back from how they are now
    // to how they were then (nothing, for a stand-up that just ended).
    let later = facts(
        "at > ?2 AND entity IN ('item', 'comment') AND entity_id IN \
         (SELECT entity_id FROM activity WHERE at >= ?1 AND at <= ?2) ORDER BY id",
    )?;

    let mut end = States::default();
    for f in &window {
        match f.kind {
            Kind::Item if !end.items.contains_key(&f.id) => {
                let now = record::load::<Item>(conn, f.id)?;
                end.items.insert(f.id, now.as_ref().map(ItemState::of));
            }
            Kind::Comment if !end.comments.contains_key(&f.id) => {
                end.comments
                    .insert(f.id, record::load::<Comment>(conn, f.id)?);
            }
            _ => {}
        }
    }
    for f in later.iter().rev() {
        end.rewind(f);
    }
    let mut start = end.clone();
    for f in window.iter().rev() {
        start.rewind(f);
    }

    let mut authors: BTreeMap<i64, Authors> = BTreeMap::new();
    let mut new_comments: Vec<(i64, i64, String)> = Vec::new();
    for f in &window {
        let by = Some((f.activity, f.who.clone()));
        if f.kind == Kind::Comment {
            if f.change == FactChange::Created {
                new_comments.push((f.activity, f.id, f.who.clone()));
            }
            continue;
        }
        let a = authors.entry(f.id).or_default();
        a.any = by.clone();
        match &f.change {
            FactChange::Created => a.created = by,
            FactChange::Deleted(_) => a.deleted = by,
            FactChange::Updated(fields) => {
                for field in fields {
                    let slot = match field {
                        Field::Status(..) => &mut a.status,
                        Field::Blocked(..) => &mut a.blocked,
                        Field::Owner(..) => &mut a.owner,
                        Field::Due(..) => &mut a.due,
                        _ => continue,
                    };
                    *slot = by.clone();
                }
            }
            FactChange::Discarded(_) => {}
        }
    }

    let mut by_person: BTreeMap<String, Vec<(i64, ItemChange)>> = BTreeMap::new();
    let mut add = |who: &Option<(i64, String)>, fallback: &Option<(i64, String)>, c| {
        if let Some((at, who)) = who.as_ref().or(fallback.as_ref()) {
            by_person.entry(who.clone()).or_default().push((*at, c));
        }
    };
    for (&id, a) in &authors {
        let (was, is) = (
            start.items.get(&id).cloned().flatten(),
            end.items.get(&id).cloned().flatten(),
        );
        match (was, is) {
            (None, Some(e)) => {
                let title = e.title.clone();
                add(
                    &a.created,
                    &a.any,
                    ItemChange::Added {
                        id,
                        title: title.clone(),
                        status: e.status,
                        owner: e.owner.clone(),
                    },
                );
                if e.blocked {
                    add(
                        &a.blocked,
                        &a.created,
                        ItemChange::Blocked {
                            id,
                            title,
                            reason: e.reason,
                        },
                    );
                }
            }
            (Some(s), None) => add(
                &a.deleted,
                &a.any,
                ItemChange::Deleted { id, title: s.title },
            ),
            (Some(s), Some(e)) => {
                let title = e.title.clone();
                if s.status != e.status {
                    let (from, to) = (s.status, e.status);
                    let title = title.clone();
                    add(
                        &a.status,
                        &a.any,
                        ItemChange::Moved {
                            id,
                            title,
                            from,
                            to,
                        },
                    );
                }
                if s.blocked != e.blocked {
                    let title = title.clone();
                    let change = if e.blocked {
                        let reason = e.reason.clone();
                        ItemChange::Blocked { id, title, reason }
                    } else {
                        ItemChange::Unblocked { id, title }
                    };
                    add(&a.blocked, &a.any, change);
                }
                if s.owner != e.owner {
                    let (from, to, title) = (s.owner, e.owner.clone(), title.clone());
                    add(
                        &a.owner,
                        &a.any,
                        ItemChange::Owner {
                            id,
                            title,
                            from,
                            to,
                        },
                    );
                }
                if s.due != e.due {
                    let (from, to) = (s.due, e.due);
                    add(
                        &a.due,
                        &a.any,
                        ItemChange::Due {
                            id,
                            title,
                            from,
                            to,
                        },
                    );
                }
            }
            (None, None) => {}
        }
    }
    for (at, comment_id, who) in new_comments {
        let Some(Some(c)) = end.comments.get(&comment_id) else {
            continue; // deleted again before the end
        };
        let title = match end.items.get(&c.item_id).or(start.items.get(&c.item_id)) {
            Some(Some(s)) => s.title.clone(),
            _ => record::load::<Item>(conn, c.item_id)?
                .map(|i| i.title)
                .unwrap_or_else(|| format!("#{}", c.item_id)),
        };
        let change = ItemChange::Comment {
            id: c.item_id,
            title,
            text: c.text.clone(),
        };
        add(&Some((at, who)), &None, change);
    }
    let mut people: Vec<PersonChanges> = by_person
        .into_iter()
        .map(|(who, mut changes)| {
            changes.sort_by_key(|(at, _)| *at);
            PersonChanges {
                who,
                changes: changes.into_iter().map(|(_, c)| c).collect(),
            }
        })
        .collect();
    people.sort_by_key(|p| (p.who.to_lowercase(), p.who.clone()));
    Ok(people)
}
