//! How board values read as text, shared by the wall, the command line, the reports and
//! the exchange formats. No terminal types here: the wall adds colour to these words.

pub mod metric;

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use unicode_width::UnicodeWidthChar;

use crate::model::rules::LONGEST_TEXT;
use crate::model::{Better, Metric};

/// A feeling score as `+2`, `0`, `−1` (a real minus sign).
pub fn signed(score: i8) -> String {
    crate::model::signed_score(score)
}

/// A mean of scores to a tenth, signed as a score is: `+1.5`, `0`, `−0.3`, `−2`.
pub fn signed_mean(v: f64) -> String {
    let tenths = (v * 10.0).round() as i64;
    let whole = format!("{}.{}", tenths.abs() / 10, tenths.abs() % 10);
    let whole = whole.strip_suffix(".0").unwrap_or(&whole);
    match tenths {
        t if t > 0 => format!("+{whole}"),
        t if t < 0 => format!("−{whole}"),
        _ => "0".to_owned(),
    }
}

/// A number without a pointless `.0`: `90`, `97.5`.
pub fn number(v: f64) -> String {
    format!("{v}")
}

/// Whether a metric's actual value meets its target, as far as is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    /// Short of the target, within its warning band.
    Near,
    Missed,
    /// An actual value but no target to judge it by.
    Unjudged,
    /// No actual value yet.
    NoValue,
}

impl Verdict {
    pub fn of(m: &Metric) -> Verdict {
        match (m.actual, m.band()) {
            (None, _) => Verdict::NoValue,
            (Some(_), Some(crate::model::Band::Met)) => Verdict::Met,
            (Some(_), Some(crate::model::Band::Near)) => Verdict::Near,
            (Some(_), Some(crate::model::Band::Missed)) => Verdict::Missed,
            (Some(_), None) => Verdict::Unjudged,
        }
    }
}

/// The actual value against the target: `62/90%`, `?/90%`, `34%`.
fn metric_values(m: &Metric) -> String {
    match (m.actual, m.target) {
        (Some(a), Some(t)) => format!("{}/{}{}", number(a), number(t), m.unit),
        (Some(a), None) => format!("{}{}", number(a), m.unit),
        (None, Some(t)) => format!("?/{}{}", number(t), m.unit),
        (None, None) => String::new(),
    }
}

/// The gap to the target in words, whichever way is better: `4 over`, `28 under`.
fn gap_words(m: &Metric) -> Option<String> {
    let (a, t) = (m.actual?, m.target?);
    let side = if a > t {
        "over"
    } else if a < t {
        "under"
    } else {
        "on target"
    };
    Some(if a == t {
        side.to_owned()
    } else {
        format!("{} {side}", number((a - t).abs()))
    })
}

/// The wall's short form: `34/30% ✓ 4 over`, `62/90% ✗ 28 under`, `52/20min ✗ 32 over`
/// (when lower is better), `?/90%`.
pub fn metric_short(m: &Metric) -> String {
    let values = metric_values(m);
    match (m.band(), gap_words(m)) {
        (Some(band), Some(gap)) => format!("{values} {} {gap}", band.glyph()),
        _ => values,
    }
}

/// The shortest form, for a narrow column: `62/90% ✗`.
pub fn metric_tiny(m: &Metric) -> String {
    let values = metric_values(m);
    match m.band() {
        Some(band) => format!("{values} {}", band.glyph()),
        None => values,
    }
}

/// The reports' long form: `refunds paid within 24 h: 62 % / 90 % — missed by 28 %`;
/// a lower-is-better metric says so.
pub fn metric_long(m: &Metric) -> String {
    if m.is_empty() {
        return String::new();
    }
    let unit = if m.unit.is_empty() {
        String::new()
    } else {
        format!(" {}", m.unit)
    };
    let value = match (m.actual, m.target) {
        (Some(a), Some(t)) => format!("{}{unit} / {}{unit}", number(a), number(t)),
        (Some(a), None) => format!("{}{unit} (no target)", number(a)),
        (None, Some(t)) => format!("? / {}{unit}", number(t)),
        (None, None) => String::new(),
    };
    let direction = match m.better {
        Better::Higher => "",
        Better::Lower => " (lower is better)",
    };
    let verdict = match m.gap() {
        Some(0.0) => " — met".to_owned(),
        Some(g) if g > 0.0 => format!(" — met by {}{unit}", number(g)),
        Some(g) if m.band() == Some(crate::model::Band::Near) => {
            format!(" — near, short by {}{unit}", number(-g))
        }
        Some(g) => format!(" — missed by {}{unit}", number(-g)),
        None => String::new(),
    };
    let band = match m.warn {
        Some(w) => format!(" (amber within {}{unit})", number(w)),
        None => String::new(),
    };
    let name = if m.name.is_empty() {
        String::new()
    } else {
        format!("{}: ", m.name)
    };
    format!("{name}{value}{direction}{verdict}{band}")
}

/// A due date as a person reads it: `20 Nov` this year, `31 Jan 2027` otherwise.
pub fn due_date(due: Date, today: Date) -> String {
    if due.year() == today.year() {
        due.strftime("%-d %b").to_string()
    } else {
        due.strftime("%-d %b %Y").to_string()
    }
}

/// A moment as a person reads it, in their zone and labelled with its offset (never
/// ambiguous, across a change of summer time too): `2026-11-22 14:30 +05:30`.
pub fn local_time(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M %:z")
        .to_string()
}

/// The same moment for JSON: RFC 3339 with the local offset, `2026-11-22T14:30:00+05:30`.
pub fn rfc3339_local(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// The zone's offset at a moment, as a label: `UTC+05:30`, `UTC−05:00`, `UTC`.
pub fn zone_label(t: Timestamp, tz: &TimeZone) -> String {
    let offset = t.to_zoned(tz.clone()).strftime("%:z").to_string();
    match offset.as_str() {
        "+00:00" => "UTC".to_owned(),
        o => format!("UTC{}", o.replacen('-', "−", 1)),
    }
}

/// A count and its noun, singular or plural: `1 piece`, `3 pieces`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// A count of days as a person says it: `today`, `1 day`, `3 days`. The one wording
/// of every day count, on the wall and the command line alike.
pub fn days(n: i64) -> String {
    match n {
        ..=0 => "today".to_owned(),
        1 => "1 day".to_owned(),
        n => format!("{n} days"),
    }
}

/// How long an item has been in its column: `today in Do`, `3 days in Do`.
pub fn age_in(n: i64, column: &str) -> String {
    format!("{} in {column}", days(n))
}

/// How long an item has been in its status: `Do since today`, `Do for 3 days`.
pub fn in_status_for(n: i64, status: &str) -> String {
    if n <= 0 {
        format!("{status} since today")
    } else {
        format!("{status} for {}", days(n))
    }
}

/// Where a scrolled text is, when it does not show whole: `1–20 of 45 · ↓ 25 more`,
/// or `26–45 of 45 · end`. `first` counts from 0.
pub fn scroll_hint(first: usize, shown: usize, total: usize) -> Option<String> {
    if total <= shown {
        return None;
    }
    let first = first.min(total.saturating_sub(1));
    let last = (first + shown).min(total);
    let below = total - last;
    let at = format!("{}–{last} of {total}", first + 1);
    Some(if below > 0 {
        format!("{at} · ↓ {below} more")
    } else {
        format!("{at} · end")
    })
}

/// Wrap `text` into lines of at most `width` columns, words kept whole where they fit.
/// At most `max_lines` lines: when cut, the last one ends with an ellipsis.
pub fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    if width == 0 || max_lines == 0 {
        return Vec::new();
    }
    // Only what can show is wrapped (a 30 MB title costs what a screenful does): more
    // than `max_lines` full lines' worth, cut with an ellipsis, which a cut text then
    // ends with as a text too long for its lines does.
    let shown = width
        .saturating_add(1)
        .saturating_mul(max_lines.saturating_add(1))
        .min(LONGEST_TEXT);
    let cut;
    let text = match first_chars(text, shown) {
        (all, false) => all,
        (part, true) => {
            cut = format!("{part}…");
            cut.as_str()
        }
    };
    WRAPPED.with_borrow_mut(|memo| {
        if memo.len() >= SIZES_KEPT && !memo.contains_key(&(width, max_lines)) {
            memo.clear();
        }
        let at_size = memo.entry((width, max_lines)).or_default();
        if let Some(lines) = at_size.get(text) {
            return lines.clone();
        }
        let lines = wrap_afresh(text, width, max_lines);
        if at_size.len() >= WRAPS_KEPT {
            at_size.clear();
        }
        at_size.insert(text.to_owned(), lines.clone());
        lines
    })
}

/// Texts wrapped at one size that are kept for the next frame: far more than a screen
/// holds, so that the cards in view are wrapped once, not in every frame (layout, scroll
/// and draw each need a card's lines, and line breaking is the costliest step of a frame).
const WRAPS_KEPT: usize = 4096;
/// Sizes kept at once: a terminal resized through many widths starts the memo again.
const SIZES_KEPT: usize = 32;

/// Wrapped lines by (width, max_lines), then by text.
type WrapMemo = HashMap<(usize, usize), HashMap<String, Vec<String>>>;

thread_local! {
    static WRAPPED: RefCell<WrapMemo> = RefCell::default();
}

fn wrap_afresh(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = textwrap::wrap(text, textwrap::Options::new(width))
        .into_iter()
        .map(|l| l.into_owned())
        .collect();
    if lines.len() > max_lines {
        let rest = lines[max_lines - 1..].join(" ");
        lines.truncate(max_lines - 1);
        lines.push(fit(&rest, width));
    }
    lines
}

/// Text as the wall shows it, laid out by the width the terminal uses: control
/// characters become visible symbols (`␛`, `␍`), and zero-width format characters
/// (stray joiners, bidi marks) go, except a joiner between two emoji.
/// At most [`LONGEST_TEXT`] characters of it are drawn (a longer text, which only the
/// sqlite3 shell can have put on the board, ends in an ellipsis), so any text draws in
/// bounded time.
pub fn on_wall(s: &str) -> Cow<'_, str> {
    let clean = |c: char| !c.is_control() && !is_format(c);
    let (s, cut) = first_chars(s, LONGEST_TEXT);
    if !cut && s.chars().all(|c| clean(c) || c == '\n') {
        return Cow::Borrowed(s);
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '\n' => out.push('\n'),
            '\u{200D}' => {
                let joins_emoji = i > 0
                    && is_pictographic(chars[i - 1])
                    && chars.get(i + 1).is_some_and(|&n| is_pictographic(n));
                if joins_emoji {
                    out.push(c);
                }
            }
            c if is_format(c) => {}
            c if (c as u32) < 0x20 => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('�')),
            '\u{7F}' => out.push('␡'),
            c if c.is_control() => out.push('�'),
            c => out.push(c),
        }
    }
    if cut {
        out.push('…');
    }
    Cow::Owned(out)
}

/// The first `max` characters of `s`, and whether that cut anything; in time that
/// grows with `max`, not with `s`.
pub fn first_chars(s: &str, max: usize) -> (&str, bool) {
    match s.char_indices().nth(max) {
        Some((at, _)) => (&s[..at], true),
        None => (s, false),
    }
}

/// Zero-width format characters (Unicode category Cf) a terminal may draw differently.
fn is_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// Emoji and the variation selector that can sit before a joiner in an emoji sequence.
fn is_pictographic(c: char) -> bool {
    matches!(c as u32, 0x1F000..=0x1FAFF | 0x2600..=0x27BF | 0xFE0F)
}

/// Cut a string to `width` terminal columns, with an ellipsis when cut. Reads no more
/// of `s` than fits, so a text of any length costs what `width` does.
pub fn fit(s: &str, width: usize) -> String {
    // The end of the longest start that leaves a column for the ellipsis.
    let mut room_end = 0;
    let mut used = 0;
    for (at, c) in s.char_indices() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            let mut out = s[..room_end].to_owned();
            if width > 0 {
                out.push('…');
            }
            return out;
        }
        used += w;
        if used < width {
            room_end = at + c.len_utf8();
        }
    }
    s.to_owned()
}

/// The first line of a possibly multi-line text.
pub fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

// ---------------------------------------------------------------------------------------
// Text from a shared board on a terminal (issue 8). Appended here, below the rest, so
// the other layers' formatting above stays where it was.

/// Whether `c` must never reach a terminal raw: a C0 or C1 control character or DEL
/// (they can set the window title, write the clipboard, or hide text with a bare CR),
/// or a bidi override or isolate (U+202A–U+202E, U+2066–U+2069: they reorder what is
/// shown, so "txt.exe" can read as "exe.txt").
pub fn is_hazard(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Board text for one line of a terminal: every control character (newlines included),
/// DEL and bidi override shown visibly as an escape, `\u{1b}`-style. Text without any
/// is returned as it is.
pub fn escape_controls(s: &str) -> std::borrow::Cow<'_, str> {
    escape(s, false)
}

/// [`escape_controls`] for multi-line output (a Markdown report, an error message
/// quoting a document): newlines are kept, everything else is escaped alike.
pub fn escape_controls_keep_newlines(s: &str) -> std::borrow::Cow<'_, str> {
    escape(s, true)
}

/// A path as a message shows it: `display()`, with control characters escaped.
pub fn escape_path(p: &std::path::Path) -> String {
    escape_controls(&p.display().to_string()).into_owned()
}

fn escape(s: &str, keep_newlines: bool) -> std::borrow::Cow<'_, str> {
    let raw = |c: char| is_hazard(c) && !(keep_newlines && c == '\n');
    if !s.chars().any(raw) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if raw(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}
