//! A stage metric's readings, kept in `metric_value` with the time each was taken; the
//! stage's actual value is its latest reading by that time.

use std::collections::HashSet;

use jiff::Timestamp;
use rusqlite::OptionalExtension;

use super::cells::{Columns, ts_to_sql};
use super::{Store, StoreError, Writer};
use crate::model::{Item, MetricValue, Stage};

/// What a batch of readings did: how many were new, how many the board had already.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadingsAdded {
    pub added: usize,
    pub already: usize,
}

impl Store {
    /// Record `value` as the stage's metric now: see [`Store::record_reading`].
    pub fn set_metric_actual(&mut self, stage: &Stage, value: f64) -> Result<Stage, StoreError> {
        self.record_reading(stage, value, None)
    }

    /// Record a reading of the stage's metric, dated `at` (now when `None`), in one
    /// transaction: the reading joins the history, and the stage's actual value becomes
    /// its latest reading by date (a backdated one leaves a newer one standing). The
    /// stage is saved (versioned, logged) when its actual value changes.
    pub fn record_reading(
        &mut self,
        stage: &Stage,
        value: f64,
        at: Option<Timestamp>,
    ) -> Result<Stage, StoreError> {
        if !value.is_finite() {
            return Err(StoreError::NotANumber(value));
        }
        self.write(|w| {
            let entry = MetricValue {
                uid: String::new(),
                stage_id: stage.id,
                at: at.unwrap_or(w.now()),
                value,
                who: w.who().to_owned(),
            };
            w.add_metric_value(&entry)?;
            w.follow_latest_reading(stage)
        })
    }

    /// Record many readings `(stage, at, value)` in one transaction: a reading the board
    /// has already (same stage, time and value) is not added again; each stage whose
    /// history grew takes its latest reading as its actual value.
    pub fn import_readings(
        &mut self,
        readings: &[(i64, Timestamp, f64)],
    ) -> Result<ReadingsAdded, StoreError> {
        if let Some((_, _, v)) = readings.iter().find(|(_, _, v)| !v.is_finite()) {
            return Err(StoreError::NotANumber(*v));
        }
        self.write(|w| {
            let mut have: HashSet<(i64, Timestamp, u64)> = w
                .metric_values()?
                .iter()
                .map(|v| (v.stage_id, v.at, v.value.to_bits()))
                .collect();
            let mut done = ReadingsAdded::default();
            let mut grown: Vec<i64> = Vec::new();
            for &(stage_id, at, value) in readings {
                if !have.insert((stage_id, at, value.to_bits())) {
                    done.already += 1;
                    continue;
                }
                w.add_metric_value(&MetricValue {
                    uid: String::new(),
                    stage_id,
                    at,
                    value,
                    who: w.who().to_owned(),
                })?;
                done.added += 1;
                if !grown.contains(&stage_id) {
                    grown.push(stage_id);
                }
            }
            for id in grown {
                let stage = w.load::<Stage>(id)?.ok_or(StoreError::Missing {
                    kind: crate::model::Kind::Stage,
                    id,
                })?;
                w.follow_latest_reading(&stage)?;
            }
            Ok(done)
        })
    }
}

impl Writer<'_> {
    /// An item entering Do keeps its stage metric's reading of this moment (the
    /// latest dated now or before, else the stage's actual value) as its baseline.
    pub fn take_baseline(&self, item: &mut Item) -> Result<(), StoreError> {
        let now = self.now();
        item.baseline_at = Some(now);
        item.baseline = match item.stage_id {
            None => None,
            Some(id) => {
                let read: Option<f64> = self
                    .tx()
                    .prepare_cached(
                        "SELECT value FROM metric_value WHERE stage_id = ?1 AND at <= ?2 ORDER BY at DESC, id DESC LIMIT 1",
                    )?
                    .query_row(rusqlite::params![id, ts_to_sql(now)], |r| r.get(0))
                    .optional()?;
                match read {
                    Some(v) => Some(v),
                    None => self.load::<Stage>(id)?.and_then(|s| s.metric.actual),
                }
            }
        };
        Ok(())
    }

    /// Make the stage's actual value its latest reading by date (saved only if it
    /// changes).
    pub fn follow_latest_reading(&mut self, stage: &Stage) -> Result<Stage, StoreError> {
        let latest: Option<f64> = self
            .tx()
            .prepare_cached(
                "SELECT value FROM metric_value WHERE stage_id = ?1 ORDER BY at DESC, id DESC LIMIT 1",
            )?
            .query_row([stage.id], |r| r.get(0))
            .optional()?;
        let Some(latest) = latest.filter(|v| Some(*v) != stage.metric.actual) else {
            return Ok(stage.clone());
        };
        let mut mine = stage.clone();
        mine.metric.actual = Some(latest);
        Ok(self.save(stage, &mine)?.record)
    }

    /// Every recorded metric value, by stage, oldest first.
    pub fn metric_values(&self) -> Result<Vec<MetricValue>, StoreError> {
        Ok(metric_values(self.tx(), None)?)
    }

    /// Append a value to a stage's metric history (its uid kept, or a new one given).
    /// History is not an edit of the stage: no activity row (the stage's own change,
    /// if any, has one).
    pub fn add_metric_value(&mut self, v: &MetricValue) -> Result<(), StoreError> {
        if !v.value.is_finite() {
            return Err(StoreError::NotANumber(v.value));
        }
        let uid = if v.uid.is_empty() {
            super::record::new_uid()
        } else {
            v.uid.clone()
        };
        self.tx()
            .prepare_cached(
                "INSERT INTO metric_value (uid, stage_id, at, value, who) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(rusqlite::params![
                uid,
                v.stage_id,
                ts_to_sql(v.at),
                v.value,
                v.who
            ])?;
        Ok(())
    }
}

/// The metric readings of a sync-conflict copy that this board lacks (by uid), each on
/// the stage with the same uid here (a stage that is not here takes none); a stage that
/// gained one takes its latest reading as its actual value. Returns how many came in.
pub(super) fn readings_from(
    w: &mut Writer,
    copy: &rusqlite::Connection,
) -> Result<usize, StoreError> {
    let have: HashSet<String> = w.metric_values()?.into_iter().map(|v| v.uid).collect();
    let mut stage_uid = copy.prepare("SELECT uid FROM stage WHERE id = ?1")?;
    let mut grown: Vec<i64> = Vec::new();
    let mut added = 0;
    for v in metric_values(copy, None)? {
        if v.uid.is_empty() || have.contains(&v.uid) {
            continue;
        }
        let uid: Option<String> = stage_uid
            .query_row([v.stage_id], |r| r.get(0))
            .optional()?
            .flatten();
        let here: Option<i64> = match uid {
            Some(uid) => w
                .tx()
                .prepare_cached("SELECT id FROM stage WHERE uid = ?1")?
                .query_row([uid], |r| r.get(0))
                .optional()?,
            None => None,
        };
        let Some(stage_id) = here else { continue };
        w.add_metric_value(&MetricValue { stage_id, ..v })?;
        added += 1;
        if !grown.contains(&stage_id) {
            grown.push(stage_id);
        }
    }
    for id in grown {
        if let Some(stage) = w.load::<Stage>(id)? {
            w.follow_latest_reading(&stage)?;
        }
    }
    Ok(added)
}

columns!("metric_value", MetricValue {
    "uid" => uid,
    "stage_id" => stage_id,
    "at" => at,
    "value" => value,
    "who" => who,
});

/// The recorded values of a stage's metric (or of every stage), oldest first.
pub(super) fn metric_values(
    conn: &rusqlite::Connection,
    stage_id: Option<i64>,
) -> rusqlite::Result<Vec<MetricValue>> {
    let mut stmt = conn.prepare_cached(&format!(
        // `id` last, read only to name a malformed cell's row.
        "SELECT {}, id FROM metric_value WHERE ?1 IS NULL OR stage_id = ?1 ORDER BY stage_id, at, id",
        MetricValue::column_list()
    ))?;
    let rows = stmt.query_map([stage_id], MetricValue::from_row)?;
    rows.collect()
}
