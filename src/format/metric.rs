//! A metric's readings in words: its band, how it moved since a moment ("62 → 71 %
//! since Tue"), an item's metric then and now, and a sparkline as text.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use super::number;
use crate::model::{Band, Metric, Movement, Way};

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
