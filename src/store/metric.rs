//! A stage metric's actual value, with its history kept in `metric_value`.

use super::{Store, StoreError};
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
            w.tx().execute(
                "INSERT INTO metric_value (stage_id, at, value, who) VALUES (?1, ?2, ?3, ?4)",
                rusqlite::params![stage.id, super::record::ts_to_sql(w.now()), value, w.who()],
            )?;
            Ok(saved.record)
        })
    }
}

/// The recorded values of a stage's metric (or of every stage), oldest first.
pub(super) fn metric_values(
    conn: &rusqlite::Connection,
    stage_id: Option<i64>,
) -> rusqlite::Result<Vec<MetricValue>> {
    let mut stmt = conn.prepare_cached(
        "SELECT stage_id, at, value, who FROM metric_value \
         WHERE ?1 IS NULL OR stage_id = ?1 ORDER BY stage_id, at, id",
    )?;
    let rows = stmt.query_map([stage_id], |r| {
        Ok(MetricValue {
            stage_id: r.get(0)?,
            at: super::record::ts_from_sql(&r.get::<_, String>(1)?),
            value: r.get(2)?,
            who: r.get(3)?,
        })
    })?;
    rows.collect()
}
