//! A stage metric's actual value, with its history kept in `metric_value`.

use super::cells::{Columns, ts_to_sql};
use super::{Store, StoreError, Writer};
use crate::model::{MetricValue, Stage};

impl Store {
    /// Record `value` as the stage's actual metric: the stage is saved (versioned, logged)
    /// and the value appended to the history, in one transaction.
    pub fn set_metric_actual(&mut self, stage: &Stage, value: f64) -> Result<Stage, StoreError> {
        if !value.is_finite() {
            return Err(StoreError::NotANumber(value));
        }
        self.write(|w| {
            let mut mine = stage.clone();
            mine.metric.actual = Some(value);
            let saved = w.save(stage, &mine)?;
            let entry = MetricValue {
                uid: String::new(),
                stage_id: stage.id,
                at: w.now(),
                value,
                who: w.who().to_owned(),
            };
            w.add_metric_value(&entry)?;
            Ok(saved.record)
        })
    }
}

impl Writer<'_> {
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
