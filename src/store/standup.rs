//! Stand-ups: recording a finished one with its parked topics and its summary (one
//! short transaction), reading past ones back, and the parking lot after them.
//!
//! The summary is what changed to the improvement items while the stand-up ran, by
//! anyone (so teammates' changes from the wall or the command line count), read from
//! the activity log through [`super::fact`] and grouped by person. Its window is the
//! log's own order, not the clock: the rows after the last one there was when it
//! started ([`StandupStart`]), up to the last one when it ends, so a change made in the
//! same second as the start is inside or outside it as it came before or after. A
//! record is followed by its `uid`, never by its number alone: SQLite gives the number
//! of a deleted last item to the next one, and the two are different items. The
//! summary is stored with the stand-up when it ends, so a past report reads exactly as
//! it did that day; a stand-up held before schema 4 has its summary read from the log
//! instead (its window found from its times).

use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension};

use super::cells::{Cells, Columns, ts_to_sql};
use super::record::{self, new_uid};
use super::summary::summarize;
use super::write::Writer;
use super::{Store, StoreError};
use crate::model::{ParkedNote, ParkedTopic, Standup, StandupSummary};

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

/// Where a stand-up began: when, and the last activity row there was (what came after
/// it, up to the end, is what the stand-up changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StandupStart {
    pub at: Timestamp,
    pub after_activity: i64,
}

impl Store {
    /// A stand-up beginning now: the time, and the newest activity row on the board.
    pub fn begin_standup(&self) -> Result<StandupStart, StoreError> {
        Ok(StandupStart {
            at: super::now(),
            after_activity: self.last_activity_id()?,
        })
    }

    /// Store a finished stand-up with the topics parked in it (text, when parked) and
    /// its summary (the activity rows after `start`'s, up to the last one now), with
    /// activity rows saying so; one transaction. Returns both.
    pub fn record_standup(
        &mut self,
        start: &StandupStart,
        ended_at: Timestamp,
        facilitator: &str,
        parked: &[(String, Timestamp)],
    ) -> Result<(Standup, StandupSummary), StoreError> {
        let started_at = start.at;
        self.write(|w| {
            let upto = last_activity(w.tx())?;
            // The evidence heard since the last stand-up: after the activity row that
            // recorded it (by its end, for one recorded otherwise; the week before, for
            // the first). Metric readings carry their own dates, and are read by them.
            let last = super::last_standup(w.tx())?;
            let since = match &last {
                Some(last) => last.end(),
                None => started_at
                    .checked_sub(jiff::SignedDuration::from_hours(7 * 24))
                    .unwrap_or(started_at),
            };
            let after = match &last {
                Some(last) => recorded_by(w.tx(), last)?,
                None => None,
            };
            let window = match after {
                Some(after) => super::evidence::Window::Rows { after, upto },
                None => super::evidence::Window::Times {
                    after: since,
                    upto: ended_at,
                },
            };
            let evidence = super::evidence::added_between(w.tx(), window)?;
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
                people: summarize(w.tx(), start.after_activity, upto)?,
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

    /// The activity row that recorded stand-up `s` as it ended (`None` for one recorded
    /// otherwise: imported, or from the `sqlite3` shell). The rows after it came after
    /// the stand-up, whatever their clock says.
    pub fn standup_activity_id(&self, s: &Standup) -> Result<Option<i64>, StoreError> {
        Ok(recorded_by(&self.conn, s)?)
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
        let (after, upto) = window_of_times(&self.conn, s.started_at, s.end())?;
        Ok(StandupSummary {
            people: summarize(&self.conn, after, upto)?,
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

/// The newest activity row's id (0 for none).
/// The activity row that recorded stand-up `s` as it ended (see
/// [`Store::standup_activity_id`]).
fn recorded_by(c: &Connection, s: &Standup) -> rusqlite::Result<Option<i64>> {
    let Some(end) = s.ended_at else {
        return Ok(None);
    };
    let row: Option<(i64, String)> = c
        .query_row(
            "SELECT id, at FROM activity WHERE entity = 'standup' AND entity_id = ?1 \
             AND action = 'create' ORDER BY id DESC LIMIT 1",
            [s.id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    // Written when it ended (within a minute), not when it was imported later.
    Ok(row.and_then(|(id, at)| {
        let at: Timestamp = at.parse().ok()?;
        let late = at.duration_since(end).as_secs();
        (0..=60).contains(&late).then_some(id)
    }))
}

fn last_activity(c: &Connection) -> rusqlite::Result<i64> {
    c.query_row("SELECT coalesce(max(id), 0) FROM activity", [], |r| {
        r.get(0)
    })
}

/// The window of a stand-up known only by its times (one whose summary was not
/// stored): after the last row before `started`, up to the last one by `ended`.
fn window_of_times(
    c: &Connection,
    started: Timestamp,
    ended: Timestamp,
) -> rusqlite::Result<(i64, i64)> {
    let last_by = |clause: &str, t: Timestamp| {
        c.query_row(
            &format!("SELECT coalesce(max(id), 0) FROM activity WHERE at {clause} ?1"),
            [ts_to_sql(t)],
            |r| r.get::<_, i64>(0),
        )
    };
    Ok((last_by("<", started)?, last_by("<=", ended)?))
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
