//! Stand-ups: recording a finished one (one short transaction) and its summary, read
//! back from the activity log between its start and end, so teammates' changes made
//! during the stand-up count too.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde_json::Value;

use super::record::{self, ts_to_sql};
use super::{Store, StoreError};
use crate::model::{Blocker, Moved, NewComment, NewItem, Standup, StandupSummary, Status};

impl Store {
    /// Store a finished stand-up, with an activity row saying so; one transaction.
    pub fn record_standup(
        &mut self,
        started_at: Timestamp,
        ended_at: Timestamp,
        facilitator: &str,
        parked: &[String],
    ) -> Result<Standup, StoreError> {
        let parked_json = serde_json::to_string(parked)?;
        self.write(|w| {
            w.tx()
                .prepare_cached(
                    "INSERT INTO standup (started_at, ended_at, facilitator, parked) VALUES (?1, ?2, ?3, ?4)",
                )?
                .execute(rusqlite::params![
                    ts_to_sql(started_at),
                    ts_to_sql(ended_at),
                    facilitator,
                    parked_json,
                ])?;
            let s = Standup {
                id: w.tx().last_insert_rowid(),
                started_at,
                ended_at: Some(ended_at),
                facilitator: facilitator.to_owned(),
                parked: parked.to_vec(),
            };
            let minutes = (ended_at.as_second() - started_at.as_second()).max(0) / 60;
            let summary = format!(
                "held a stand-up ({minutes} min, {} parked topic{})",
                parked.len(),
                if parked.len() == 1 { "" } else { "s" }
            );
            w.note(
                "create",
                "standup",
                s.id,
                &summary,
                None,
                Some(&serde_json::to_value(&s)?),
            )?;
            Ok(s)
        })
    }

    /// The stand-up that ended last, if any.
    pub fn last_finished_standup(&self) -> Result<Option<Standup>, StoreError> {
        Ok(super::last_standup(&self.conn)?)
    }

    /// The summary of a stand-up from the activity log between its start and end
    /// (everyone's changes, net: a move undone before the end does not count).
    pub fn standup_summary(
        &self,
        started_at: Timestamp,
        ended_at: Timestamp,
        facilitator: &str,
        parked: &[String],
    ) -> Result<StandupSummary, StoreError> {
        let rows = self.activity_where(
            "at >= ?1 AND at <= ?2 AND entity IN ('item', 'comment') \
             AND action IN ('create', 'update', 'delete') ORDER BY id",
            [ts_to_sql(started_at), ts_to_sql(ended_at)],
        )?;
        // Per record: (before of its first change, after of its last, who changed it last).
        type Net = (Option<Value>, Option<Value>, String);
        let mut items: BTreeMap<i64, Net> = BTreeMap::new();
        let mut comments: BTreeMap<i64, Net> = BTreeMap::new();
        let mut status_by: BTreeMap<i64, String> = BTreeMap::new();
        let mut blocked_by: BTreeMap<i64, String> = BTreeMap::new();
        let parse = |s: &Option<String>| s.as_deref().and_then(|s| serde_json::from_str(s).ok());
        for a in &rows {
            let (before, after): (Option<Value>, Option<Value>) =
                (parse(&a.before), parse(&a.after));
            let map = if a.entity == "item" {
                if before.as_ref().map(|b| &b["status"]) != after.as_ref().map(|a| &a["status"]) {
                    status_by.insert(a.entity_id, a.who.clone());
                }
                if after
                    .as_ref()
                    .is_some_and(|v| v["blocked"] == Value::Bool(true))
                    && before
                        .as_ref()
                        .is_none_or(|v| v["blocked"] != Value::Bool(true))
                {
                    blocked_by.insert(a.entity_id, a.who.clone());
                }
                &mut items
            } else {
                &mut comments
            };
            let e = map
                .entry(a.entity_id)
                .or_insert_with(|| (before.clone(), None, String::new()));
            e.1 = after;
            e.2 = a.who.clone();
        }
        let text = |v: &Value, k: &str| v[k].as_str().unwrap_or_default().to_owned();
        let status = |v: &Value| {
            v["status"]
                .as_str()
                .and_then(|s| s.parse().ok())
                .unwrap_or(Status::Plan)
        };
        let mut s = StandupSummary {
            started_at,
            ended_at,
            facilitator: facilitator.to_owned(),
            moved: Vec::new(),
            new_blockers: Vec::new(),
            new_items: Vec::new(),
            comments: Vec::new(),
            parked: parked.to_vec(),
        };
        for (&id, (first, last, who)) in &items {
            let Some(last) = last else { continue };
            let title = text(last, "title");
            match first {
                None => s.new_items.push(NewItem {
                    id,
                    title: title.clone(),
                    status: status(last),
                    owner: text(last, "owner"),
                    by: who.clone(),
                }),
                Some(first) if status(first) != status(last) => s.moved.push(Moved {
                    id,
                    title: title.clone(),
                    from: status(first),
                    to: status(last),
                    by: status_by.get(&id).cloned().unwrap_or_else(|| who.clone()),
                }),
                Some(_) => {}
            }
            let was_blocked = first
                .as_ref()
                .is_some_and(|f| f["blocked"] == Value::Bool(true));
            if last["blocked"] == Value::Bool(true) && !was_blocked {
                s.new_blockers.push(Blocker {
                    id,
                    title,
                    reason: text(last, "blocked_reason"),
                    by: blocked_by.get(&id).cloned().unwrap_or_else(|| who.clone()),
                });
            }
        }
        for (first, last, _) in comments.values() {
            let (None, Some(c)) = (first, last) else {
                continue;
            };
            let item_id = c["item_id"].as_i64().unwrap_or(0);
            s.comments.push(NewComment {
                item_id,
                item: self.item_title(item_id, &items),
                author: text(c, "author"),
                text: text(c, "text"),
            });
        }
        Ok(s)
    }

    /// An item's title: as stored, else as last seen in the log, else its number.
    fn item_title(
        &self,
        id: i64,
        seen: &BTreeMap<i64, (Option<Value>, Option<Value>, String)>,
    ) -> String {
        if let Ok(Some(item)) = record::load::<crate::model::Item>(&self.conn, id) {
            return item.title;
        }
        seen.get(&id)
            .and_then(|(f, l, _)| l.as_ref().or(f.as_ref()))
            .and_then(|v| v["title"].as_str().map(str::to_owned))
            .unwrap_or_else(|| format!("#{id}"))
    }
}
