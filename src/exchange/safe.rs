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
