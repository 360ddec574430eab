//! The metrics for the command line and the Markdown report: each stage's readings,
//! and the customer index with its history and each stage's movement since the last
//! stand-up. Text from the board is escaped by the caller that prints it.

use std::fmt::Write as _;

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::format::metric::{band_words, movement_words, since_label, spark, way_words, with_unit};
use crate::format::{number, rfc3339_local};
use crate::model::{Band, Better, Movement, Stage, Wall, index_history, index_now, readings_of};

/// One reading as JSON shows it.
#[derive(Debug, Clone, Serialize)]
pub struct ReadingView {
    pub at: String,
    pub value: f64,
    pub who: String,
}

/// A stage's metric with its band, readings and movement since the last stand-up.
#[derive(Debug, Clone, Serialize)]
pub struct StageMetric {
    pub stage: String,
    pub metric: String,
    pub unit: String,
    pub target: Option<f64>,
    pub actual: Option<f64>,
    pub better: Better,
    pub warn: Option<f64>,
    pub band: Option<Band>,
    /// How much of its target it attains, in percent (capped at 100).
    pub attainment: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub since_last_standup: Option<Movement>,
    pub readings: Vec<ReadingView>,
}

/// One point of the index's history as JSON shows it.
#[derive(Debug, Clone, Serialize)]
pub struct IndexPointView {
    pub at: String,
    pub index: f64,
}

/// `obeya metric summary`: the index, its history, and every stage's metric.
#[derive(Debug, Clone, Serialize)]
pub struct MetricSummary {
    /// The customer index now, in percent (None: no stage has a target and a value).
    pub index: Option<f64>,
    /// How many stages it counts.
    pub counted: usize,
    pub history: Vec<IndexPointView>,
    pub last_standup: Option<String>,
    pub stages: Vec<StageMetric>,
    #[serde(skip)]
    since: Option<Timestamp>,
    #[serde(skip)]
    history_values: Vec<f64>,
}

/// What one sentence says the index is.
pub const INDEX_MEANING: &str =
    "the mean attainment of the stages with a target and a reading, each capped at 100 %";

fn stage_metric(wall: &Wall, s: &Stage, since: Option<Timestamp>, tz: &TimeZone) -> StageMetric {
    let readings = readings_of(&wall.metric_values, s.id);
    let m = &s.metric;
    StageMetric {
        stage: s.name.clone(),
        metric: m.name.clone(),
        unit: m.unit.clone(),
        target: m.target,
        actual: m.actual,
        better: m.better,
        warn: m.warn,
        band: m.band(),
        attainment: m.actual.and_then(|a| m.attainment(a)).map(|a| a * 100.0),
        since_last_standup: since.map(|t| Movement::since(&readings, m.better, t)),
        readings: readings
            .iter()
            .map(|v| ReadingView {
                at: rfc3339_local(v.at, tz),
                value: v.value,
                who: v.who.clone(),
            })
            .collect(),
    }
}

/// Every stage with a metric (or with readings), along the journey.
pub fn stage_metrics(wall: &Wall, only: Option<i64>, tz: &TimeZone) -> Vec<StageMetric> {
    let since = wall.last_standup.as_ref().map(|s| s.end());
    wall.stages
        .iter()
        .filter(|s| only.is_none_or(|id| s.id == id))
        .filter(|s| {
            only.is_some()
                || !s.metric.is_empty()
                || wall.metric_values.iter().any(|v| v.stage_id == s.id)
        })
        .map(|s| stage_metric(wall, s, since, tz))
        .collect()
}

pub fn metric_summary(wall: &Wall, tz: &TimeZone) -> MetricSummary {
    let history = index_history(&wall.stages, &wall.metric_values);
    let since = wall.last_standup.as_ref().map(|s| s.end());
    MetricSummary {
        index: index_now(&wall.stages),
        counted: wall
            .stages
            .iter()
            .filter(|s| {
                s.metric
                    .actual
                    .and_then(|a| s.metric.attainment(a))
                    .is_some()
            })
            .count(),
        history: history
            .iter()
            .map(|p| IndexPointView {
                at: rfc3339_local(p.at, tz),
                index: round1(p.index),
            })
            .collect(),
        last_standup: since.map(|t| rfc3339_local(t, tz)),
        stages: stage_metrics(wall, None, tz),
        since,
        history_values: history.iter().map(|p| p.index).collect(),
    }
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// The index as a person reads it: `84 %`, or `no index yet`.
pub fn index_words(index: Option<f64>) -> String {
    match index {
        Some(i) => format!("{} %", number(i.round())),
        None => "no index yet".to_owned(),
    }
}

/// `metric summary` as text (and the report's section, without its heading): the
/// index with its sparkline, then each stage's band and movement.
pub fn summary_text(s: &MetricSummary, now: Timestamp, tz: &TimeZone) -> String {
    let mut out = format!(
        "Customer index: {} ({}; {} stage{})\n",
        index_words(s.index),
        INDEX_MEANING,
        s.counted,
        if s.counted == 1 { "" } else { "s" }
    );
    if s.history_values.len() > 1 {
        let first = s.history_values[0];
        let _ = writeln!(
            out,
            "History: {} {} → {} over {} points",
            spark(&s.history_values, 24),
            index_words(Some(first)),
            index_words(s.history_values.last().copied()),
            s.history_values.len()
        );
    }
    let since = s.since.map(|t| since_label(t, now, tz));
    for m in &s.stages {
        let name = if m.metric.is_empty() {
            String::new()
        } else {
            format!(" {}", m.metric)
        };
        let mut line = format!("{} {}:{name}", m.band.map_or("·", Band::glyph), m.stage);
        match m.actual {
            Some(a) => line += &format!(" {}", with_unit(a, &m.unit)),
            None => line += " no reading",
        }
        if let Some(t) = m.target {
            line += &format!(" / target {}", with_unit(t, &m.unit));
        }
        if let Some(b) = m.band {
            line += &format!(" · {}", band_words(b));
        }
        if let (Some(mv), Some(since)) = (&m.since_last_standup, &since) {
            match movement_words(mv, &m.unit, since) {
                Some(words) => {
                    line += &format!(" · {words}");
                    if let Some(way) = mv.way.filter(|_| mv.moved()) {
                        line += &format!(" {}", way_words(way));
                    }
                }
                None => line += &format!(" · no reading since {since}"),
            }
        }
        let _ = writeln!(out, "  {line}");
    }
    out
}
