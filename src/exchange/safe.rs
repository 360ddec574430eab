//! JSON and TOML that keep the exact text of a board yet never carry a control
//! character, DEL or bidi override raw (see [`crate::format::is_hazard`]): whoever runs
//! `cat board.json` gets the text escaped by the format itself, and parsing it back
//! gives every character as it was.
//!
//! - JSON: serde_json escapes C0 controls itself; DEL, C1 and the bidi overrides are
//!   written here as `\u009b`-style escapes, which every JSON reader understands.
//! - TOML: the `toml` writer escapes ASCII controls in basic strings, but writes C1
//!   controls and bidi overrides raw, and picks literal strings (`'…'`, where escapes
//!   mean nothing) for text with a backslash, or holding a raw tab. So its output is
//!   read once more here: raw hazards inside basic strings become `\uXXXX` escapes, and a
//!   literal string that holds one is rewritten as the equivalent basic string.

use std::io;

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};

use crate::format::is_hazard;

/// Pretty JSON with no raw control character, DEL or bidi override (escaped instead).
pub fn json_pretty<T: Serialize + ?Sized>(value: &T) -> Result<String, serde_json::Error> {
    let mut out = Vec::with_capacity(4096);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, SafeFormatter::default());
    value.serialize(&mut ser)?;
    // serde_json writes valid UTF-8, and escapes only replace whole characters.
    Ok(String::from_utf8(out).expect("serde_json writes UTF-8"))
}

#[derive(Default)]
struct SafeFormatter(PrettyFormatter<'static>);

impl Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if is_hazard(c) {
                w.write_all(&fragment.as_bytes()[start..i])?;
                // Every hazard is in the Basic Multilingual Plane: one \uXXXX each.
                write!(w, "\\u{:04x}", u32::from(c))?;
                start = i + c.len_utf8();
            }
        }
        w.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// What may not stay raw in TOML text: the hazards, a newline aside (multi-line strings
/// hold it raw, harmlessly).
fn toml_hazard(c: char) -> bool {
    is_hazard(c) && c != '\n'
}

/// The TOML document `text` (as the `toml` writer made it) with every raw hazard in a
/// string escaped, so it parses to exactly the same values.
pub fn toml_without_raw_hazards(text: &str) -> String {
    if !text.chars().any(toml_hazard) {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 64);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("'''") {
            let (content, len) = multi_line_end(&rest[3..], '\'');
            push_literal(&mut out, content, true);
            rest = &rest[3 + len..];
        } else if rest.starts_with("\"\"\"") {
            let (content, len) = multi_line_end(&rest[3..], '"');
            out.push_str("\"\"\"");
            push_escaped_raw(&mut out, content, true);
            out.push_str("\"\"\"");
            rest = &rest[3 + len..];
        } else if c == '\'' {
            let end = rest[1..].find('\'').map_or(rest.len(), |i| i + 1);
            push_literal(&mut out, &rest[1..end], false);
            rest = &rest[(end + 1).min(rest.len())..];
        } else if c == '"' {
            let end = basic_end(&rest[1..]) + 1;
            out.push('"');
            push_escaped_raw(&mut out, &rest[1..end], false);
            out.push('"');
            rest = &rest[(end + 1).min(rest.len())..];
        } else if c == '#' {
            // A comment (the writer makes none): to the end of the line, escaped.
            let end = rest.find('\n').unwrap_or(rest.len());
            push_escaped_raw(&mut out, &rest[..end], false);
            rest = &rest[end..];
        } else {
            out.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// In the text after a `'''` or `"""`: the string's content and how far its closing
/// delimiter reaches. One or two quotes right before the closing three belong to the
/// content (`'''a'''''` is `a''`). In a basic string, `\"` does not close it.
fn multi_line_end(after: &str, quote: char) -> (&str, usize) {
    let bytes = after.as_bytes();
    let q = quote as u8;
    let mut i = 0;
    while i < bytes.len() {
        if quote == '"' && bytes[i] == b'\\' {
            i += 2;
            continue;
        }
        if bytes[i] == q {
            let run = bytes[i..].iter().take_while(|b| **b == q).count();
            if run >= 3 {
                let content_end = i + run - 3;
                return (&after[..content_end], i + run);
            }
            i += run;
            continue;
        }
        i += 1;
    }
    (after, after.len())
}

/// Where a one-line basic string's content ends (its closing `"`), escapes skipped.
fn basic_end(after: &str) -> usize {
    let bytes = after.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i,
            _ => i += 1,
        }
    }
    after.len()
}

/// Content already in basic-string form: raw hazards become `\uXXXX` (newlines stay in
/// a multi-line string); existing escapes are copied as they are.
fn push_escaped_raw(out: &mut String, content: &str, multi_line: bool) {
    for c in content.chars() {
        if toml_hazard(c) || (!multi_line && c == '\n') {
            out.push_str(&format!("\\u{:04X}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
}

/// A literal string's content, as the literal string if it holds no hazard, else as
/// the basic string with the same value.
fn push_literal(out: &mut String, content: &str, multi_line: bool) {
    let delimiter = if multi_line { "'''" } else { "'" };
    if !content.chars().any(toml_hazard) {
        out.push_str(delimiter);
        out.push_str(content);
        out.push_str(delimiter);
        return;
    }
    let delimiter = if multi_line { "\"\"\"" } else { "\"" };
    out.push_str(delimiter);
    for c in content.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            // The newline right after a multi-line opener is dropped by readers of
            // either kind of string, so it carries over as it is.
            '\n' if multi_line => out.push('\n'),
            c if toml_hazard(c) || c == '\n' => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push_str(delimiter);
}

#[cfg(test)]
pub(in crate::exchange) mod tests {
    use super::*;

    #[test]
    fn json_escapes_what_serde_json_leaves_raw() {
        let s = "a\u{9b}b\u{7f}c\u{202e}d\u{1b}e\n";
        let json = json_pretty(&s).unwrap();
        assert_eq!(json, r#""a\u009bb\u007fc\u202ed\u001be\n""#);
        assert_eq!(serde_json::from_str::<String>(&json).unwrap(), s);
    }

    #[test]
    fn toml_literal_and_basic_strings_lose_their_raw_hazards_not_their_text() {
        #[derive(Serialize, serde::Deserialize, PartialEq, Debug)]
        struct T {
            a: String,
            b: String,
            c: String,
            d: String,
            e: String,
        }
        let t = T {
            // A backslash makes the writer pick a literal string.
            a: "C:\\dir\u{9b}\u{202e}".into(),
            b: "tab\there".into(),
            // Multi-line, with quotes at the end: a multi-line literal '''…'''''.
            c: "one\\\ntwo\u{85}''".into(),
            d: "quote \" and \u{2066}".into(),
            e: "multi\nline \"\"\u{9b} \\ end\"".into(),
        };
        let raw = toml::to_string_pretty(&t).unwrap();
        let safe = toml_without_raw_hazards(&raw);
        assert!(!safe.chars().any(toml_hazard), "{safe}");
        let back: T = toml::from_str(&safe).unwrap_or_else(|e| panic!("{e}\n{safe}"));
        assert_eq!(back, t, "{raw}\n---\n{safe}");
    }

    /// The seed of a property test: `OBEYA_TEST_SEED`, else the clock; printed.
    fn seed(test: &str) -> u64 {
        let seed = match std::env::var("OBEYA_TEST_SEED") {
            Ok(s) => s.trim().parse().expect("OBEYA_TEST_SEED is a whole number"),
            Err(_) => std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64),
        };
        eprintln!("{test}: seed {seed} (replay with OBEYA_TEST_SEED={seed})");
        seed
    }

    /// Text built from what trips writers up: quotes, backslashes, newlines, controls,
    /// DEL, C1, bidi overrides, and ordinary text around them.
    fn hostile_text() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let piece = prop_oneof![
            Just("'".to_string()),
            Just("''".to_string()),
            Just("'''".to_string()),
            Just("\"".to_string()),
            Just("\"\"\"".to_string()),
            Just("\\".to_string()),
            Just("\n".to_string()),
            Just("\r\n".to_string()),
            Just("\t".to_string()),
            Just("#".to_string()),
            Just("\\u0041".to_string()),
            Just("Zoë 🚀".to_string()),
            "[a-z ]{0,6}",
            proptest::char::any().prop_map(String::from),
            (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap().to_string()),
            (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).unwrap().to_string()),
            prop_oneof![0x202au32..0x202f, 0x2066u32..0x206a]
                .prop_map(|c| char::from_u32(c).unwrap().to_string()),
        ];
        proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
    }

    #[test]
    fn any_text_round_trips_through_json_and_toml_without_raw_hazards() {
        use crate::exchange::{Document, Format, ItemDoc, MissionDoc, PersonaDoc};
        use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
        let config = Config {
            cases: 128,
            rng_seed: RngSeed::Fixed(seed("exchange::safe round trip")),
            failure_persistence: None,
            ..Config::default()
        };
        let mut runner = TestRunner::new(config);
        let texts = proptest::collection::vec(hostile_text(), 6);
        runner
            .run(&texts, |t| {
                let doc = Document {
                    mission: MissionDoc {
                        statement: t[0].clone(),
                        customer: t[1].clone(),
                    },
                    personas: vec![PersonaDoc {
                        name: t[2].clone(),
                        quote: t[3].clone(),
                        ..Default::default()
                    }],
                    items: vec![ItemDoc {
                        title: t[4].clone(),
                        detail: t[5].clone(),
                        ..Default::default()
                    }],
                    ..Default::default()
                };
                for (text, format) in [
                    (crate::exchange::to_json(&doc), Format::Json),
                    (crate::exchange::to_toml(&doc), Format::Toml),
                ] {
                    let raw: Vec<char> = text.chars().filter(|c| toml_hazard(*c)).collect();
                    proptest::prop_assert!(raw.is_empty(), "{format:?}: raw {raw:?} in\n{text}");
                    let back = crate::exchange::parse(&text, format)
                        .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
                    proptest::prop_assert_eq!(&back, &doc, "{:?}:\n{}", format, text);
                }
                Ok(())
            })
            .unwrap();
    }
}
