//! A stand-up's summary from the activity log: every net change to the items in a
//! window of the log (the rows after one id, up to another), each record followed by
//! its uid through the window (a number SQLite gave to a new item after deleting the
//! last one names two items), grouped by person.

use std::collections::{BTreeMap, HashMap};

use jiff::civil::Date;
use rusqlite::Connection;

use super::record;
use super::{StoreError, activity_rows, fact};
use crate::model::{
    AnyRecord, Comment, Fact, FactChange, Field, Item, ItemChange, Kind, PersonChanges, Status,
};

/// What a stand-up reports of an item: its state at one moment.
#[derive(Debug, Clone, PartialEq)]
struct ItemState {
    uid: String,
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
            uid: i.meta.uid.clone(),
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

/// Items and comments by number as they were at one moment (`None`: not there), for
/// the numbers a stand-up touched. A number may name different records at different
/// moments; the state says which (its uid).
#[derive(Debug, Clone, Default)]
struct States {
    items: HashMap<i64, Option<ItemState>>,
    comments: HashMap<i64, Option<Comment>>,
}

/// One record through time: its kind, number and uid (a record from before schema 4,
/// with no uid, is followed by its number).
type Identity = (Kind, i64, String);

impl States {
    /// The record a fact is about: the one it deleted, else the one it left behind.
    fn identity(&self, f: &Fact) -> Identity {
        let uid = match (&f.change, f.kind) {
            (FactChange::Deleted(r), _) => r.meta().uid.clone(),
            (_, Kind::Item) => self
                .items
                .get(&f.id)
                .and_then(|s| s.as_ref())
                .map(|s| s.uid.clone())
                .unwrap_or_default(),
            (_, Kind::Comment) => self
                .comments
                .get(&f.id)
                .and_then(|s| s.as_ref())
                .map(|c| c.meta.uid.clone())
                .unwrap_or_default(),
            _ => String::new(),
        };
        (f.kind, f.id, uid)
    }

    /// What the record of `f` was like just now (its number's state).
    fn snapshot(&self, f: &Fact) -> Snapshot {
        match f.kind {
            Kind::Item => Snapshot::Item(self.items.get(&f.id).cloned().flatten()),
            _ => Snapshot::Comment(self.comments.get(&f.id).cloned().flatten()),
        }
    }

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

/// An item's or a comment's state at one moment.
#[derive(Debug, Clone)]
enum Snapshot {
    Item(Option<ItemState>),
    Comment(Option<Comment>),
}

/// Each record the window touched, as it was before the window and after it.
#[derive(Debug, Default)]
struct Ends {
    start: HashMap<Identity, Snapshot>,
    end: HashMap<Identity, Snapshot>,
    /// The record of each fact of the window, in the window's order.
    of_fact: Vec<Identity>,
    /// Every number the window touched as it was when it began.
    at_start: States,
}

/// Walk back through the window from its end (`end`): which record each fact was
/// about, and each record's state before its first fact and after its last.
fn ends(window: &[Fact], end: &States) -> Ends {
    let mut states = end.clone();
    let mut ends = Ends::default();
    let mut of_fact = Vec::with_capacity(window.len());
    for f in window.iter().rev() {
        let who = states.identity(f);
        ends.end
            .entry(who.clone())
            .or_insert_with(|| states.snapshot(f));
        states.rewind(f);
        ends.start.insert(who.clone(), states.snapshot(f));
        of_fact.push(who);
    }
    of_fact.reverse();
    ends.of_fact = of_fact;
    ends.at_start = states;
    ends
}

/// Who last changed what of an item during the stand-up: (activity id, who).
#[derive(Debug, Clone, Default)]
struct Authors {
    id: i64,
    any: Option<(i64, String)>,
    created: Option<(i64, String)>,
    deleted: Option<(i64, String)>,
    status: Option<(i64, String)>,
    blocked: Option<(i64, String)>,
    owner: Option<(i64, String)>,
    due: Option<(i64, String)>,
}

/// Every net change to the items in the activity rows after `after` up to `upto`, by
/// person (sorted by name), each person's in the order they made them.
pub(crate) fn summarize(
    conn: &Connection,
    after: i64,
    upto: i64,
) -> Result<Vec<PersonChanges>, StoreError> {
    let facts = |clause: &str| -> Result<Vec<Fact>, StoreError> {
        Ok(activity_rows(conn, clause, [after, upto])?
            .iter()
            .filter_map(fact)
            .filter(|f| matches!(f.kind, Kind::Item | Kind::Comment))
            .collect())
    };
    let window = facts("id > ?1 AND id <= ?2 AND entity IN ('item', 'comment') ORDER BY id")?;
    if window.is_empty() {
        return Ok(Vec::new());
    }
    // What happened to the same numbers after the end, to go back from how they are now
    // to how they were then (nothing, for a stand-up that just ended).
    let later = facts(
        "id > ?2 AND entity IN ('item', 'comment') AND entity_id IN \
         (SELECT entity_id FROM activity WHERE id > ?1 AND id <= ?2) ORDER BY id",
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
    let ends = ends(&window, &end);

    let mut authors: BTreeMap<(i64, String), Authors> = BTreeMap::new();
    let mut new_comments: Vec<(i64, Identity, String)> = Vec::new();
    for (f, record) in window.iter().zip(&ends.of_fact) {
        let by = Some((f.activity, f.who.clone()));
        if f.kind == Kind::Comment {
            if f.change == FactChange::Created {
                new_comments.push((f.activity, record.clone(), f.who.clone()));
            }
            continue;
        }
        let a = authors.entry((f.id, record.2.clone())).or_default();
        a.id = f.id;
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
    let item_state = |map: &HashMap<Identity, Snapshot>, key: &Identity| match map.get(key) {
        Some(Snapshot::Item(s)) => s.clone(),
        _ => None,
    };
    for ((id, uid), a) in &authors {
        let key = (Kind::Item, *id, uid.clone());
        let id = a.id;
        match (item_state(&ends.start, &key), item_state(&ends.end, &key)) {
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
    for (at, record, who) in new_comments {
        // Only a comment still there at the end (not deleted again before it).
        let Some(Snapshot::Comment(Some(c))) = ends.end.get(&record) else {
            continue;
        };
        // Its item as the window ended (the number names that one then), else as it began.
        let title = match end
            .items
            .get(&c.item_id)
            .or(ends.at_start.items.get(&c.item_id))
        {
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
