//! A stage metric's actual value, with its history kept in `metric_value`.

use super::{Store, StoreError, Writer};
use crate::model::{MetricValue, Stage};

impl Store {
    /// Record `value` as the stage's actual metric: the stage is saved (versioned, logged)
    /// and the value appended to the history, in one transaction.
    pub fn set_metric_actual(&mut self, stage: &Stage, value: f64) -> Result<Stage, StoreError> {
        if !value.is_finite() {
            return Err(StoreError::Invalid(format!(
                "metric value '{value}' is not a number"
            )));
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
            return Err(StoreError::Invalid(format!(
                "metric value '{}' is not a number",
                v.value
            )));
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
                super::record::ts_to_sql(v.at),
                v.value,
                v.who
            ])?;
        Ok(())
    }
}

/// The recorded values of a stage's metric (or of every stage), oldest first.
pub(super) fn metric_values(
    conn: &rusqlite::Connection,
    stage_id: Option<i64>,
) -> rusqlite::Result<Vec<MetricValue>> {
    let mut stmt = conn.prepare_cached(
        "SELECT stage_id, at, value, who, uid FROM metric_value \
         WHERE ?1 IS NULL OR stage_id = ?1 ORDER BY stage_id, at, id",
    )?;
    let rows = stmt.query_map([stage_id], |r| {
        Ok(MetricValue {
            uid: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
            stage_id: r.get(0)?,
            at: super::record::ts_from_sql(&r.get::<_, String>(1)?),
            value: r.get(2)?,
            who: r.get(3)?,
        })
    })?;
    rows.collect()
}
