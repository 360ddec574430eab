//! The starter board, dated for the day it is made.
//!
//! `assets/starter.toml` is written as if the board were made on [`STARTER_DAY`]: due
//! dates around that day (one of them just past, to show the red "late" mark), items
//! created and moved, comments written and evidence heard in the weeks before it. A
//! board made on another day gets every date of the file moved by the same number of
//! days, so on the day it is made it reads the same: nothing is late but the one card
//! meant to be, and nothing happened after the day it was made. Every date of the file
//! moves, whatever field holds it (a `YYYY-MM-DD` day or an RFC 3339 time).

use jiff::civil::{Date, date};
use jiff::{SignedDuration, Timestamp};

use super::{Document, STARTER};

/// The day the dates in `assets/starter.toml` are written for.
pub const STARTER_DAY: Date = date(2026, 11, 22);

/// The starter board as written, dated for [`STARTER_DAY`].
pub fn starter() -> Document {
    starter_on(STARTER_DAY)
}

/// The starter board made on `day` (the user's today): every date of the file moved by
/// the days from [`STARTER_DAY`] to `day`.
pub fn starter_on(day: Date) -> Document {
    let mut value: toml::Value = toml::from_str(STARTER).expect("assets/starter.toml is TOML");
    let days = (day - STARTER_DAY).get_days() as i64;
    if days != 0 {
        shift_dates(&mut value, days);
    }
    value
        .try_into()
        .expect("assets/starter.toml is a valid exchange document")
}

/// Move every date and time in `value` by `days`.
fn shift_dates(value: &mut toml::Value, days: i64) {
    match value {
        toml::Value::String(s) => {
            if let Some(moved) = shifted(s, days) {
                *s = moved;
            }
        }
        toml::Value::Datetime(d) => {
            if let Some(moved) = shifted(&d.to_string(), days) {
                *value = toml::Value::String(moved);
            }
        }
        toml::Value::Array(list) => list.iter_mut().for_each(|v| shift_dates(v, days)),
        toml::Value::Table(t) => t.iter_mut().for_each(|(_, v)| shift_dates(v, days)),
        _ => {}
    }
}

/// A `YYYY-MM-DD` day or an RFC 3339 time moved by `days`, in the same shape; `None`
/// for any other text.
fn shifted(text: &str, days: i64) -> Option<String> {
    let looks_dated = text.len() >= 10
        && text.as_bytes()[..10].iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !looks_dated {
        return None;
    }
    if text.len() == 10 {
        let d: Date = text.parse().ok()?;
        return Some(
            d.checked_add(jiff::Span::new().days(days))
                .ok()?
                .to_string(),
        );
    }
    let t: Timestamp = text.parse().ok()?;
    let moved = t.checked_add(SignedDuration::from_hours(24 * days)).ok()?;
    Some(moved.strftime("%Y-%m-%dT%H:%M:%SZ").to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_times_move_and_other_text_does_not() {
        assert_eq!(shifted("2026-11-20", 3).as_deref(), Some("2026-11-23"));
        assert_eq!(shifted("2026-11-20", -30).as_deref(), Some("2026-10-21"));
        assert_eq!(
            shifted("2026-11-18T09:12:00Z", 365).as_deref(),
            Some("2027-11-18T09:12:00Z")
        );
        assert_eq!(shifted("interview, 3 Nov", 3), None);
        assert_eq!(shifted("2026 was a good year", 3), None);
        assert_eq!(shifted("17 % of deliveries", 3), None);
    }

    #[test]
    fn the_starter_as_written_is_the_starter_on_its_day() {
        assert_eq!(starter_on(STARTER_DAY), starter());
        assert_eq!(
            starter_on(STARTER_DAY.checked_add(jiff::Span::new().days(10)).unwrap()).items[0].due,
            starter().items[0]
                .due
                .map(|d| d.checked_add(jiff::Span::new().days(10)).unwrap())
        );
    }
}
