//! A metric's readings in words: its band, how it moved since a moment ("62 → 71 %
//! since Tue"), an item's metric then and now, and a sparkline as text.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::number;
use crate::model::{
    Band, Metric, Movement, Stage, Wall, Way, index_history, index_now, readings_of,
};

/// A value with its unit: `71 %`, `2.5 min`, `12`.
pub fn with_unit(v: f64, unit: &str) -> String {
    if unit.is_empty() {
        number(v)
    } else {
        format!("{} {unit}", number(v))
    }
}

/// A moment as a short label relative to now: `09:15` today, `Tue` within the week,
/// else `2026-11-20`.
pub fn since_label(t: Timestamp, now: Timestamp, tz: &TimeZone) -> String {
    let (then, today) = (t.to_zoned(tz.clone()), now.to_zoned(tz.clone()));
    let days = (today.date() - then.date()).get_days();
    match days {
        0 => then.strftime("%H:%M").to_string(),
        1..=6 => then.strftime("%a").to_string(),
        _ => then.strftime("%Y-%m-%d").to_string(),
    }
}

/// How a metric moved since a moment: `62 → 71 % since Tue`, `71 % since Tue` (a first
/// reading), `71 %, unchanged since Tue`; `None` when no reading came in since.
pub fn movement_words(mv: &Movement, unit: &str, since: &str) -> Option<String> {
    let to = mv.to?;
    Some(match mv.from {
        Some(from) if from == to => format!("{}, unchanged since {since}", with_unit(to, unit)),
        Some(from) => format!("{} → {} since {since}", number(from), with_unit(to, unit)),
        None => format!("{} since {since}", with_unit(to, unit)),
    })
}

/// The words of a movement's direction: `▲ better`, `▼ worse`.
pub fn way_words(way: Way) -> String {
    format!("{} {}", way.arrow(), way.word())
}

/// An item's metric from Do on: `refunds within 24 h: 62 → 71 % since Do · target 90 %
/// · ▲ better`, or `…: 62 % at Do · target 90 % · no reading since Do`.
pub fn check_words(m: &Metric, mv: &Movement) -> String {
    let mut out = if m.name.is_empty() {
        String::new()
    } else {
        format!("{}: ", m.name)
    };
    match (mv.from, mv.to) {
        (_, Some(_)) => out += &movement_words(mv, &m.unit, "Do").unwrap_or_default(),
        (Some(from), None) => out += &format!("{} at Do", with_unit(from, &m.unit)),
        (None, None) => out += "no reading at Do",
    }
    if let Some(t) = m.target {
        out += &format!(" · target {}", with_unit(t, &m.unit));
    }
    match (mv.to, mv.way) {
        (None, _) => out += " · no reading since Do",
        (Some(_), Some(way)) => out += &format!(" · {}", way_words(way)),
        (Some(_), None) => {}
    }
    out
}

/// The short form for a card: `62→71% ▲`, `71% ~` (with its band), `no reading`.
pub fn check_short(m: &Metric, mv: &Movement) -> String {
    match (mv.from, mv.to) {
        (Some(from), Some(to)) => format!(
            "{}→{}{} {}",
            number(from),
            number(to),
            m.unit,
            mv.way.map_or("", Way::arrow)
        ),
        (None, Some(to)) => format!("{}{}", number(to), m.unit),
        (_, None) => "no reading since Do".to_owned(),
    }
}

/// The tiniest form, for a narrow card: `71%▲`, `? since Do`.
pub fn check_tiny(m: &Metric, mv: &Movement) -> String {
    match mv.to {
        Some(to) => format!("{}{}{}", number(to), m.unit, mv.way.map_or("", Way::arrow)),
        None => "? since Do".to_owned(),
    }
}

/// A band in words with its glyph: `✓ on target`, `~ near target`, `✗ off target`.
pub fn band_words(band: Band) -> String {
    format!("{} {}", band.glyph(), band.word())
}

/// The last `width` values as a text sparkline (`▁▃▅█`), scaled between their own
/// lowest and highest.
pub fn spark(values: &[f64], width: usize) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let recent = &values[values.len().saturating_sub(width)..];
    let lo = recent.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = recent.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    recent
        .iter()
        .map(|v| {
            if hi > lo {
                BARS[((v - lo) / (hi - lo) * 7.0).round() as usize]
            } else {
                BARS[3]
            }
        })
        .collect()
}

/// A stage's movement since the wall's last stand-up: `62 → 71 % since Tue · ▲ better`,
/// `no reading since Tue` (None without a stand-up or a metric).
pub fn stage_trend(wall: &Wall, stage: &Stage, now: Timestamp, tz: &TimeZone) -> Option<String> {
    let since = wall.last_standup.as_ref()?.end();
    if stage.metric.is_empty() {
        return None;
    }
    let readings = readings_of(&wall.metric_values, stage.id);
    let mv = Movement::since(&readings, stage.metric.better, since);
    let label = since_label(since, now, tz);
    Some(match movement_words(&mv, &stage.metric.unit, &label) {
        Some(words) => match mv.way.filter(|_| mv.moved()) {
            Some(way) => format!("{words} · {}", way_words(way)),
            None => words,
        },
        None => format!("no reading since {label}"),
    })
}

/// The short trend for the map: `62→71 ▲` (None: no stand-up, or no change since).
pub fn stage_trend_short(wall: &Wall, stage: &Stage) -> Option<String> {
    let since = wall.last_standup.as_ref()?.end();
    let readings = readings_of(&wall.metric_values, stage.id);
    let mv = Movement::since(&readings, stage.metric.better, since);
    let to = mv.to.filter(|_| mv.moved())?;
    Some(match (mv.from, mv.way) {
        (Some(from), Some(way)) => format!("{}→{} {}", number(from), number(to), way.arrow()),
        _ => format!("→{}", number(to)),
    })
}

/// The customer index now and its history's values, oldest first (None: no stage has
/// a target and a value).
pub fn index_of(wall: &Wall) -> Option<(f64, Vec<f64>)> {
    let now = index_now(&wall.stages)?;
    let history = index_history(&wall.stages, &wall.metric_values)
        .iter()
        .map(|p| p.index)
        .collect();
    Some((now, history))
}

/// The index in words for the detail view: `84 %`, its meaning, its history.
pub fn index_detail(wall: &Wall) -> String {
    let Some((now, history)) = index_of(wall) else {
        return "none yet: no stage has a target and a reading".to_owned();
    };
    let mut out = format!(
        "{} %: the mean attainment of the stages with a target and a reading, each capped at 100 %",
        number(now.round())
    );
    if let (Some(first), true) = (history.first(), history.len() > 1) {
        out += &format!(
            "\n{} {} % → {} % over {} points",
            spark(&history, 40),
            number(first.round()),
            number(now.round()),
            history.len()
        );
    }
    out
}
