//! How board values read as text, shared by the wall, the command line, the reports and
//! the exchange formats. No terminal types here: the wall adds colour to these words.

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::model::Metric;

/// A feeling score as `+2`, `0`, `−1` (a real minus sign).
pub fn signed(score: i8) -> String {
    match score {
        s if s > 0 => format!("+{s}"),
        s if s < 0 => format!("−{}", -i16::from(s)),
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
    Missed,
    /// An actual value but no target to judge it by.
    Unjudged,
    /// No actual value yet.
    NoValue,
}

impl Verdict {
    pub fn of(m: &Metric) -> Verdict {
        match (m.actual, m.met()) {
            (None, _) => Verdict::NoValue,
            (Some(_), Some(true)) => Verdict::Met,
            (Some(_), Some(false)) => Verdict::Missed,
            (Some(_), None) => Verdict::Unjudged,
        }
    }
}

/// The wall's short form: `82/90% ✓ met`, `62/90% ✗ missed`, `?/90%`.
pub fn metric_short(m: &Metric) -> String {
    match (m.actual, m.target) {
        (Some(a), Some(t)) => {
            let mark = if m.met() == Some(true) {
                "✓ met"
            } else {
                "✗ missed"
            };
            format!("{}/{}{} {mark}", number(a), number(t), m.unit)
        }
        (Some(a), None) => format!("{}{}", number(a), m.unit),
        (None, Some(t)) => format!("?/{}{}", number(t), m.unit),
        (None, None) => String::new(),
    }
}

/// The reports' long form: `refunds paid within 24 h: 62 % / 90 % — missed`.
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
    let verdict = match m.met() {
        Some(true) => " — met",
        Some(false) => " — missed",
        None => "",
    };
    let name = if m.name.is_empty() {
        String::new()
    } else {
        format!("{}: ", m.name)
    };
    format!("{name}{value}{verdict}")
}

/// Cut a string to `width` terminal columns, with an ellipsis when cut.
pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_owned();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    if width > 0 {
        out.push('…');
    }
    out
}

/// The first line of a possibly multi-line text.
pub fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_use_a_real_minus_sign() {
        assert_eq!(signed(2), "+2");
        assert_eq!(signed(0), "0");
        assert_eq!(signed(-2), "−2");
    }

    #[test]
    fn fit_counts_terminal_columns() {
        assert_eq!(fit("Refund", 10), "Refund");
        assert_eq!(fit("Refund missing items", 10), "Refund mi…");
        assert_eq!(fit("顧客顧客", 5), "顧客…");
    }

    #[test]
    fn metrics_read_short_and_long() {
        let m = Metric {
            name: "refunds paid within 24 h".into(),
            target: Some(90.0),
            actual: Some(62.0),
            unit: "%".into(),
        };
        assert_eq!(metric_short(&m), "62/90% ✗ missed");
        assert_eq!(
            metric_long(&m),
            "refunds paid within 24 h: 62 % / 90 % — missed"
        );
        assert_eq!(Verdict::of(&m), Verdict::Missed);
    }
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

#[cfg(test)]
mod escape_tests {
    use super::*;

    #[test]
    fn controls_del_and_bidi_overrides_are_shown_visibly() {
        let pwned = "x\u{1b}]0;PWNED\u{7}\r\u{9b}\u{7f}\u{202e}\u{2066}\u{85}\t";
        assert_eq!(
            escape_controls(pwned),
            r"x\u{1b}]0;PWNED\u{7}\u{d}\u{9b}\u{7f}\u{202e}\u{2066}\u{85}\u{9}"
        );
        assert_eq!(escape_controls("a\nb"), r"a\u{a}b");
        assert_eq!(escape_controls_keep_newlines("a\nb\r\n"), "a\nb\\u{d}\n");
        // Everything else is left alone, emoji and joiners included (the wall lays
        // those out; a terminal shows them harmlessly).
        let fine = "Zoë 🚀 顧客 «vite» \\u{1b} 👩\u{200d}💻";
        assert!(matches!(
            escape_controls(fine),
            std::borrow::Cow::Borrowed(_)
        ));
        for c in [
            '\u{202a}', '\u{202d}', '\u{2067}', '\u{2069}', '\0', '\u{9f}',
        ] {
            assert!(is_hazard(c), "{c:?}");
        }
        for c in [
            '\u{2029}', '\u{200f}', ' ', 'a', '\u{a0}', '\u{2070}', '\u{2029}',
        ] {
            assert!(!is_hazard(c), "{c:?}");
        }
    }
}
