//! The rules a value must keep, one place each. The form, the command line, the import
//! and the store all call these, so a name, a title, a number or a date is accepted or
//! refused the same way, in the same words, whichever way it came in.

use jiff::civil::Date;
use unicase::UniCase;

use super::Kind;

/// A value that breaks a rule, in words that name it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RuleError {
    /// A field that must say something is empty ("an item needs a title").
    #[error("{0}")]
    Required(Required),
    /// A persona or stage name that another one already has, ignoring case.
    #[error("a {kind} named '{existing}' already exists")]
    DuplicateName {
        kind: Kind,
        name: String,
        existing: String,
    },
    #[error("invalid date '{0}' (expected YYYY-MM-DD, a real calendar day)")]
    InvalidDate(String),
    #[error("invalid number '{0}' (expected a number, e.g. 71, 71.5, 71,5 or 71 %)")]
    InvalidNumber(String),
    #[error("invalid score '{0}' (expected a whole number from -2 to +2)")]
    InvalidScore(String),
    #[error("unknown status '{0}' (expected plan, do, check, act or done)")]
    UnknownStatus(String),
    /// A text longer than its field keeps (see [`TextSize`]).
    #[error("{field} is {chars} characters long; obeya keeps at most {max} there (shorten it)")]
    TooLong {
        field: String,
        chars: usize,
        max: usize,
    },
    #[error("invalid sentiment '{0}' (expected a whole number from -2 to +2)")]
    InvalidSentiment(String),
    #[error(
        "invalid date '{0}' (expected YYYY-MM-DD, RFC 3339 or YYYY-MM-DD HH:MM:SS, a real day)"
    )]
    InvalidDay(String),
    #[error(
        "invalid date '{0}' (expected YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339, a real day in the years 1900 to 9999)"
    )]
    InvalidMoment(String),
    #[error("invalid warning band '{0}' (expected a number of the metric's unit, 0 or more)")]
    InvalidBand(String),
    #[error("invalid date '{text}' (expected the format '{format}')")]
    DayNotInFormat { text: String, format: String },
    #[error("invalid scale '{0}' (expected LOW-HIGH, e.g. 0-10, the low end below the high)")]
    InvalidScale(String),
    #[error("score '{text}' is off the scale {low}–{high}")]
    OffScale { text: String, low: f64, high: f64 },
    #[error(
        "unknown kind '{0}' (expected quote, observation, complaint, survey, interview, test or data)"
    )]
    UnknownKind(String),
    #[error("unknown side '{0}' (expected customer or employee)")]
    UnknownSide(String),
}

/// What a record cannot do without.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Required {
    #[error("an item needs a title")]
    Title,
    #[error("a persona needs a name")]
    PersonaName,
    #[error("a stage needs a name")]
    StageName,
    #[error("a comment needs some text")]
    CommentText,
    #[error("a parked topic needs some text")]
    TopicText,
    #[error("a blocked item needs a reason")]
    BlockedReason,
    #[error("evidence needs some text")]
    EvidenceText,
}

/// What two names are compared by: trimmed, then Unicode case folding ("Zoë", "ZOË"
/// and " zoë " are one name; so are "Straße" and "STRASSE"). The store registers the
/// same comparison as the SQL collation [`NAME_COLLATION`].
pub fn name_key(name: &str) -> String {
    UniCase::new(name.trim()).to_folded_case()
}

/// Whether two names are the same name (see [`name_key`]).
pub fn same_name(a: &str, b: &str) -> bool {
    a.trim() == b.trim() || name_key(a) == name_key(b)
}

/// The SQL collation that compares as [`same_name`] does.
pub const NAME_COLLATION: &str = "obeya_name";

/// Order for [`NAME_COLLATION`]: by key, so that equal keys compare equal.
pub fn compare_names(a: &str, b: &str) -> std::cmp::Ordering {
    name_key(a).cmp(&name_key(b))
}

/// A persona or stage name: present, and not the name of another record of its kind
/// (`others` gives each existing record's id and name; `id` is this record's, 0 when
/// new). Returns the name trimmed.
pub fn unique_name<'a>(
    kind: Kind,
    name: &str,
    id: i64,
    others: impl IntoIterator<Item = (i64, &'a str)>,
) -> Result<String, RuleError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(RuleError::Required(match kind {
            Kind::Stage => Required::StageName,
            _ => Required::PersonaName,
        }));
    }
    let key = name_key(name);
    match others
        .into_iter()
        .find(|(other, n)| *other != id && name_key(n) == key)
    {
        Some((_, existing)) => Err(RuleError::DuplicateName {
            kind,
            name: name.to_owned(),
            existing: existing.to_owned(),
        }),
        None => Ok(name.to_owned()),
    }
}

/// Text that must say something, trimmed.
pub fn required(text: &str, what: Required) -> Result<String, RuleError> {
    match text.trim() {
        "" => Err(RuleError::Required(what)),
        t => Ok(t.to_owned()),
    }
}

/// An item's title, trimmed and present.
pub fn title(text: &str) -> Result<String, RuleError> {
    required(text, Required::Title)
}

/// Whether an item's owner is the user ("my items", on the wall and on the command
/// line alike): the same name, as persona names are compared.
pub fn is_mine(owner: &str, user: &str) -> bool {
    !owner.trim().is_empty() && same_name(owner, user)
}

/// A `YYYY-MM-DD` date that is a real day.
pub fn parse_date(text: &str) -> Result<Date, RuleError> {
    let s = text.trim();
    let well_formed = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    match s.parse::<Date>() {
        Ok(d) if well_formed => Ok(d),
        _ => Err(RuleError::InvalidDate(s.to_owned())),
    }
}

/// A finite number as a person writes it: `71`, `71.5`, `71,5` (a decimal comma) or
/// `71 %` (a trailing percent sign, which the metric's unit already says).
pub fn parse_number(text: &str) -> Result<f64, RuleError> {
    let t = text.trim();
    let t = t.strip_suffix('%').unwrap_or(t).trim_end();
    let t = if t.contains('.') {
        t.to_owned()
    } else {
        t.replacen(',', ".", 1)
    };
    match t.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(RuleError::InvalidNumber(text.trim().to_owned())),
    }
}

/// A number that may be left empty (a metric's target): `None` when blank.
pub fn parse_optional_number(text: &str) -> Result<Option<f64>, RuleError> {
    if text.trim().is_empty() {
        Ok(None)
    } else {
        parse_number(text).map(Some)
    }
}

/// The years a stored time may fall in (it is read as UTC): a board's times are when
/// someone did something, so a time before 1900 (a year 0 someone typed in the sqlite3
/// shell) is a malformed cell, not a date to show, and an import refuses it.
pub const TIME_YEARS: std::ops::RangeInclusive<i16> = 1900..=9999;

/// Whether a time falls in [`TIME_YEARS`].
pub fn plausible_time(t: jiff::Timestamp) -> bool {
    TIME_YEARS.contains(&t.to_zoned(jiff::tz::TimeZone::UTC).year())
}

/// A metric's warning band: empty for none, else a number 0 or more.
pub fn parse_band(text: &str) -> Result<Option<f64>, RuleError> {
    match parse_optional_number(text) {
        Ok(Some(w)) if w < 0.0 => Err(RuleError::InvalidBand(text.trim().to_owned())),
        Ok(w) => Ok(w),
        Err(_) => Err(RuleError::InvalidBand(text.trim().to_owned())),
    }
}

/// When a reading was taken: an RFC 3339 time, or a local `YYYY-MM-DD HH:MM[:SS]`, or a
/// local day `YYYY-MM-DD` (its start), in the zone `tz`.
pub fn parse_moment(text: &str, tz: &jiff::tz::TimeZone) -> Result<jiff::Timestamp, RuleError> {
    let t = text.trim();
    let bad = || RuleError::InvalidMoment(t.to_owned());
    let at = if let Ok(ts) = t.parse::<jiff::Timestamp>() {
        ts
    } else if let Ok(day) = parse_date(t) {
        day.to_zoned(tz.clone()).map_err(|_| bad())?.timestamp()
    } else {
        let well_formed = t.len() >= 16 && matches!(t.as_bytes().get(10), Some(b' ' | b'T'));
        match t.parse::<jiff::civil::DateTime>() {
            Ok(d) if well_formed => d.to_zoned(tz.clone()).map_err(|_| bad())?.timestamp(),
            _ => return Err(bad()),
        }
    };
    if plausible_time(at) {
        Ok(at)
    } else {
        Err(bad())
    }
}

/// The lowest and highest feeling a persona can have at a stage.
pub const SCORE_RANGE: std::ops::RangeInclusive<i8> = -2..=2;

/// A feeling score: a whole number from −2 to +2 (`+1`, `-2` and `−2` with a real minus
/// sign all read).
pub fn parse_score(text: &str) -> Result<i8, RuleError> {
    let t = text.trim().replace('−', "-");
    let t = t.strip_prefix('+').unwrap_or(&t);
    match t.parse::<i8>() {
        Ok(n) if SCORE_RANGE.contains(&n) => Ok(n),
        _ => Err(RuleError::InvalidScore(text.trim().to_owned())),
    }
}

/// How much a text field holds: every text has a limit, so that no board, import or
/// paste can make the wall or a report slow (a 30 MB title) or a format panic. Every
/// way in keeps it: the form, the command line, the import and the merge (all through
/// the store's writes, which check each text they change).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextSize {
    /// A name or a word: a persona, a stage, a person, a unit.
    Name,
    /// One line: a title, a role, a quote, a reason.
    Line,
    /// What people write at length: a detail, pains, a comment.
    Text,
}

impl TextSize {
    /// The most characters (Unicode scalar values) the field holds.
    pub const fn max_chars(self) -> usize {
        match self {
            TextSize::Name => 200,
            TextSize::Line => 1_000,
            TextSize::Text => 50_000,
        }
    }

    /// The size of a record's text field, by the name the store and the exchange give it
    /// (a stage metric's `name` and `unit` included).
    pub fn of(field: &str) -> TextSize {
        match field {
            "name" | "owner" | "author" | "unit" | "user" | "who" | "updated_by" | "parked_by"
            | "resolved_by" | "facilitator" | "uid" => TextSize::Name,
            "title" | "role" | "quote" | "customer" | "note" | "blocked_reason" | "source" => {
                TextSize::Line
            }
            _ => TextSize::Text,
        }
    }
}

/// The longest text any field holds: what the wall ever draws of one text.
pub const LONGEST_TEXT: usize = TextSize::Text.max_chars();

/// `text` fits `field` (see [`TextSize::of`]).
pub fn within_limit(field: &str, text: &str) -> Result<(), RuleError> {
    let max = TextSize::of(field).max_chars();
    // Cheap for every text that fits: no more bytes than the limit is no more characters.
    if text.len() <= max {
        return Ok(());
    }
    let chars = text.chars().count();
    if chars <= max {
        return Ok(());
    }
    Err(RuleError::TooLong {
        field: field.replace('_', " "),
        chars,
        max,
    })
}

/// A sentiment: like a feeling's score, −2 … +2; `None` when left empty.
pub fn parse_sentiment(text: &str) -> Result<Option<i8>, RuleError> {
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse_score(text)
        .map(Some)
        .map_err(|_| RuleError::InvalidSentiment(text.trim().to_owned()))
}

/// The day something was observed, as exports write it: `YYYY-MM-DD`, an RFC 3339
/// time (its day as written, in its own offset) or `YYYY-MM-DD HH:MM[:SS]`. With a
/// `format` (strftime, e.g. `%d/%m/%Y` or `%m/%d/%Y %H:%M`), only that.
pub fn parse_day(text: &str, format: Option<&str>) -> Result<jiff::civil::Date, RuleError> {
    let t = text.trim();
    if let Some(format) = format {
        return jiff::civil::Date::strptime(format, t)
            .or_else(|_| jiff::civil::DateTime::strptime(format, t).map(|d| d.date()))
            .map_err(|_| RuleError::DayNotInFormat {
                text: t.to_owned(),
                format: format.to_owned(),
            });
    }
    if let Ok(d) = parse_date(t) {
        return Ok(d);
    }
    let bad = || RuleError::InvalidDay(t.to_owned());
    // An RFC 3339 time starts with its day as written.
    if t.parse::<jiff::Timestamp>().is_ok() {
        return t
            .get(..10)
            .ok_or_else(bad)
            .and_then(|d| parse_date(d).map_err(|_| bad()));
    }
    let well_formed = t.len() >= 16 && matches!(t.as_bytes()[10], b' ' | b'T');
    match t.parse::<jiff::civil::DateTime>() {
        Ok(d) if well_formed => Ok(d.date()),
        _ => Err(bad()),
    }
}

/// A scale scores come on, `LOW-HIGH` (`0-10`, `1-5`, `-100-100`, `0..10`).
pub fn parse_scale(text: &str) -> Result<(f64, f64), RuleError> {
    let t = text.trim().replace(['−', '–'], "-");
    let bad = || RuleError::InvalidScale(text.trim().to_owned());
    let (lo, hi) = match t.split_once("..") {
        Some(pair) => pair,
        // The separator is the first '-' that is not a sign.
        None => t
            .char_indices()
            .skip(1)
            .find(|&(i, c)| c == '-' && !t[..i].ends_with(['-', 'e', 'E']))
            .map(|(i, _)| (&t[..i], &t[i + 1..]))
            .ok_or_else(bad)?,
    };
    match (parse_number(lo), parse_number(hi)) {
        (Ok(lo), Ok(hi)) if lo < hi => Ok((lo, hi)),
        _ => Err(bad()),
    }
}

/// A score on a scale, mapped onto −2 … +2: the low end is −2, the middle 0, the high
/// end +2, rounded to the nearest whole number (halves away from zero).
pub fn scale_sentiment(text: &str, (low, high): (f64, f64)) -> Result<i8, RuleError> {
    let off = || RuleError::OffScale {
        text: text.trim().to_owned(),
        low,
        high,
    };
    let v = parse_number(text).map_err(|_| off())?;
    if v < low || v > high {
        return Err(off());
    }
    let scaled = (v - low) / (high - low) * 4.0 - 2.0;
    Ok(scaled.round().clamp(-2.0, 2.0) as i8)
}
