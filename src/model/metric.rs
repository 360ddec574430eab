//! What a stage metric's readings say: its band (green, amber, red), how it moved since
//! a moment (the last stand-up, an item's start in Do), and the board's customer index.
//!
//! The customer index is the mean attainment of the stages that have a target and a
//! reading, each capped at 100 %: `actual / target` when higher is better, `target /
//! actual` when lower is better (a stage on or past its target counts 100 %).

use jiff::Timestamp;
use serde::Serialize;

use super::{Better, Item, Metric, MetricValue, Stage, Wall};

/// Where a metric stands against its target and warning band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Band {
    /// On or past the target (green).
    Met,
    /// Short of the target by no more than the warning band (amber).
    Near,
    /// Further off (red).
    Missed,
}

impl Band {
    /// The glyph that says it without colour.
    pub fn glyph(self) -> &'static str {
        match self {
            Band::Met => "✓",
            Band::Near => "~",
            Band::Missed => "✗",
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Band::Met => "on target",
            Band::Near => "near target",
            Band::Missed => "off target",
        }
    }
}

impl Metric {
    /// The band of its actual value (None without an actual value or a target).
    pub fn band(&self) -> Option<Band> {
        self.band_of(self.actual?)
    }

    /// The band a value would be in.
    pub fn band_of(&self, value: f64) -> Option<Band> {
        let gap = gap(self.better, value, self.target?);
        Some(if gap >= 0.0 {
            Band::Met
        } else if self.warn.is_some_and(|w| -gap <= w) {
            Band::Near
        } else {
            Band::Missed
        })
    }

    /// How much of the target a value attains, 0 … 1 (None without a target).
    pub fn attainment(&self, value: f64) -> Option<f64> {
        let target = self.target?;
        let share = match self.better {
            _ if gap(self.better, value, target) >= 0.0 => 1.0,
            Better::Higher if target > 0.0 => value / target,
            Better::Lower if value > 0.0 => target / value,
            _ => 0.0,
        };
        Some(share.clamp(0.0, 1.0))
    }
}

/// How far `value` is on the good side of `target`.
fn gap(better: Better, value: f64, target: f64) -> f64 {
    match better {
        Better::Higher => value - target,
        Better::Lower => target - value,
    }
}

/// Which way a metric went, judged by its direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Way {
    Better,
    Worse,
    Same,
}

impl Way {
    pub fn of(better: Better, from: f64, to: f64) -> Way {
        let g = gap(better, to, from);
        if g > 0.0 {
            Way::Better
        } else if g < 0.0 {
            Way::Worse
        } else {
            Way::Same
        }
    }

    pub fn word(self) -> &'static str {
        match self {
            Way::Better => "better",
            Way::Worse => "worse",
            Way::Same => "unchanged",
        }
    }

    pub fn arrow(self) -> &'static str {
        match self {
            Way::Better => "▲",
            Way::Worse => "▼",
            Way::Same => "=",
        }
    }
}

/// A stage's readings, oldest first (by their date; ties in the order recorded).
pub fn readings_of(values: &[MetricValue], stage_id: i64) -> Vec<&MetricValue> {
    let mut r: Vec<&MetricValue> = values.iter().filter(|v| v.stage_id == stage_id).collect();
    r.sort_by_key(|v| v.at);
    r
}

/// The reading that stood at `t`: the latest dated at or before it.
pub fn value_at(readings: &[&MetricValue], t: Timestamp) -> Option<f64> {
    readings.iter().rev().find(|v| v.at <= t).map(|v| v.value)
}

/// A metric then and now: the reading at a moment, the latest, and which way it went.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Movement {
    /// The reading at the moment (None: none yet then).
    pub from: Option<f64>,
    /// The latest reading (None: no reading dated after the moment).
    pub to: Option<f64>,
    pub way: Option<Way>,
}

impl Movement {
    /// From the reading at `since` to the latest, when one is dated after it.
    pub fn since(readings: &[&MetricValue], better: Better, since: Timestamp) -> Movement {
        Movement::between(value_at(readings, since), readings, better, since)
    }

    /// From a kept value (an item's baseline) to the latest reading dated after `since`.
    pub fn between(
        from: Option<f64>,
        readings: &[&MetricValue],
        better: Better,
        since: Timestamp,
    ) -> Movement {
        let to = readings.last().filter(|v| v.at > since).map(|v| v.value);
        let way = match (from, to) {
            (Some(f), Some(t)) => Some(Way::of(better, f, t)),
            _ => None,
        };
        Movement { from, to, way }
    }

    /// Whether it changed value (a first reading counts).
    pub fn moved(&self) -> bool {
        self.to.is_some() && self.from != self.to
    }
}

/// An item's stage metric since it entered Do: its baseline to the latest reading
/// dated after that (None: it has not entered Do, or its stage has no metric).
pub fn item_movement<'a>(item: &Item, wall: &'a Wall) -> Option<(&'a Stage, Movement)> {
    let since = item.baseline_at?;
    let stage = wall.stage(item.stage_id?)?;
    if stage.metric.is_empty() {
        return None;
    }
    let readings = readings_of(&wall.metric_values, stage.id);
    let mv = Movement::between(item.baseline, &readings, stage.metric.better, since);
    Some((stage, mv))
}

/// A stage metric that moved between two moments, as a stand-up reports it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricNote {
    pub stage: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub metric: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    /// The reading at the first moment (none: the first reading came in since).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<f64>,
    pub to: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub way: Option<Way>,
}

impl MetricNote {
    /// `Get help · refunds paid within 24 h: 62 → 71 % ▲ better`.
    pub fn line(&self) -> String {
        let unit = if self.unit.is_empty() {
            String::new()
        } else {
            format!(" {}", self.unit)
        };
        let metric = if self.metric.is_empty() {
            String::new()
        } else {
            format!(" · {}", self.metric)
        };
        let values = match self.from {
            Some(f) => format!("{f} → {}{unit}", self.to),
            None => format!("{}{unit} (first reading)", self.to),
        };
        let way = self
            .way
            .map(|w| format!(" {} {}", w.arrow(), w.word()))
            .unwrap_or_default();
        format!("{}{metric}: {values}{way}", self.stage)
    }
}

/// The stage metrics whose reading at `until` differs from the one at `since`, along
/// the journey.
pub fn moved_between(
    stages: &[Stage],
    values: &[MetricValue],
    since: Timestamp,
    until: Timestamp,
) -> Vec<MetricNote> {
    stages
        .iter()
        .filter_map(|s| {
            let readings = readings_of(values, s.id);
            let (from, to) = (value_at(&readings, since), value_at(&readings, until)?);
            (from != Some(to)).then(|| MetricNote {
                stage: s.name.clone(),
                metric: s.metric.name.clone(),
                unit: s.metric.unit.clone(),
                from,
                to,
                way: from.map(|f| Way::of(s.metric.better, f, to)),
            })
        })
        .collect()
}

/// One point of the customer index: when, and how much (0 … 100 %).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct IndexPoint {
    pub at: Timestamp,
    pub index: f64,
}

/// The customer index of stages with their current values (in percent; None when no
/// stage has both a target and a value).
pub fn customer_index<'a>(
    stages: impl IntoIterator<Item = (&'a Stage, Option<f64>)>,
) -> Option<f64> {
    let shares: Vec<f64> = stages
        .into_iter()
        .filter_map(|(s, v)| s.metric.attainment(v?))
        .collect();
    (!shares.is_empty()).then(|| 100.0 * shares.iter().sum::<f64>() / shares.len() as f64)
}

/// The board's index now: each stage's actual value.
pub fn index_now(stages: &[Stage]) -> Option<f64> {
    customer_index(stages.iter().map(|s| (s, s.metric.actual)))
}

/// The index after every dated reading, oldest first: each stage counts its latest
/// reading up to then (a stage with no readings at all, its actual value), against
/// today's target.
pub fn index_history(stages: &[Stage], values: &[MetricValue]) -> Vec<IndexPoint> {
    let mut sorted: Vec<&MetricValue> = values.iter().collect();
    sorted.sort_by_key(|v| v.at);
    let mut current: Vec<Option<f64>> = stages
        .iter()
        .map(|s| {
            let read = values.iter().any(|v| v.stage_id == s.id);
            if read { None } else { s.metric.actual }
        })
        .collect();
    let mut points: Vec<IndexPoint> = Vec::new();
    for (n, v) in sorted.iter().enumerate() {
        if let Some(k) = stages.iter().position(|s| s.id == v.stage_id) {
            current[k] = Some(v.value);
        }
        // One point per moment: the last reading of a moment closes it.
        if sorted.get(n + 1).is_some_and(|next| next.at == v.at) {
            continue;
        }
        if let Some(index) = customer_index(stages.iter().zip(current.iter().copied())) {
            points.push(IndexPoint { at: v.at, index });
        }
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metric(target: f64, better: Better, warn: Option<f64>) -> Metric {
        Metric {
            name: "m".into(),
            target: Some(target),
            actual: None,
            unit: "%".into(),
            better,
            warn,
        }
    }

    #[test]
    fn bands_follow_the_direction() {
        let up = metric(90.0, Better::Higher, Some(5.0));
        assert_eq!(up.band_of(90.0), Some(Band::Met));
        assert_eq!(up.band_of(85.0), Some(Band::Near));
        assert_eq!(up.band_of(84.9), Some(Band::Missed));
        let down = metric(30.0, Better::Lower, Some(10.0));
        assert_eq!(down.band_of(25.0), Some(Band::Met));
        assert_eq!(down.band_of(40.0), Some(Band::Near));
        assert_eq!(down.band_of(41.0), Some(Band::Missed));
        assert_eq!(
            metric(30.0, Better::Lower, None).band_of(31.0),
            Some(Band::Missed)
        );
    }

    #[test]
    fn attainment_is_capped_and_follows_the_direction() {
        let up = metric(80.0, Better::Higher, None);
        assert_eq!(up.attainment(40.0), Some(0.5));
        assert_eq!(up.attainment(120.0), Some(1.0));
        let down = metric(30.0, Better::Lower, None);
        assert_eq!(down.attainment(60.0), Some(0.5));
        assert_eq!(down.attainment(10.0), Some(1.0));
    }
}
