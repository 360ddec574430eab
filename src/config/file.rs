//! Reading a config file: TOML on top of the values in force, every error naming the
//! file, the line and the key.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use ratatui::style::Color;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use toml::Spanned;

use super::{Config, ConfigError};
use crate::keymap::Keys;

/// Applies the values present in `text` on top of `self`.
pub(super) fn overlay(cfg: &mut Config, text: &str, origin: &Path) -> Result<(), ConfigError> {
    let invalid = |span: Option<usize>, message: String| ConfigError::Invalid {
        path: origin.to_path_buf(),
        line: span.map(|offset| line_of(text, offset)),
        message,
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        let start = e.span().map(|s| s.start);
        invalid(start, describe_toml_error(text, start, e.message()))
    })?;

    if let Some(user) = raw.user {
        let name = user.get_ref().trim();
        if name.is_empty() {
            return Err(invalid(
                Some(user.span().start),
                "'user' must not be empty".into(),
            ));
        }
        cfg.user = Some(name.to_string());
    }
    if let Some(db) = raw.db {
        let s = db.get_ref().trim();
        if s.is_empty() {
            return Err(invalid(
                Some(db.span().start),
                "'db' must not be empty".into(),
            ));
        }
        cfg.db = Some(resolve_db_path(s, origin));
    }
    if let Some(standup) = raw.standup
        && let Some(t) = standup.timebox_minutes
    {
        let v = *t.get_ref();
        if !(1..=480).contains(&v) {
            return Err(invalid(
                Some(t.span().start),
                format!("'standup.timebox_minutes' must be between 1 and 480, got {v}"),
            ));
        }
        cfg.standup.timebox_minutes = v;
    }
    if let Some(sharing) = raw.sharing {
        if let Some(p) = sharing.poll_ms {
            let v = *p.get_ref();
            if !(100..=60_000).contains(&v) {
                return Err(invalid(
                    Some(p.span().start),
                    format!("'sharing.poll_ms' must be between 100 and 60000, got {v}"),
                ));
            }
            cfg.sharing.poll_ms = v;
        }
        if let Some(w) = sharing.wal {
            cfg.sharing.wal = w;
        }
    }
    if let Some(theme) = raw.theme {
        let slots = [
            ("accent", theme.accent, &mut cfg.theme.accent),
            ("muted", theme.muted, &mut cfg.theme.muted),
            ("warn", theme.warn, &mut cfg.theme.warn),
            ("bad", theme.bad, &mut cfg.theme.bad),
            ("good", theme.good, &mut cfg.theme.good),
            ("selection", theme.selection, &mut cfg.theme.selection),
        ];
        for (name, value, slot) in slots {
            let Some(value) = value else { continue };
            let s = value.get_ref().trim();
            *slot = s.parse::<Color>().map_err(|_| {
                invalid(
                    Some(value.span().start),
                    format!(
                        "'theme.{name}': bad colour '{s}' (use a name like \"cyan\", \
                         an index 0-255, or \"#rrggbb\")"
                    ),
                )
            })?;
        }
    }
    if let Some(keys) = raw.keys {
        // `[keys]` holds the board's bindings and the `[keys.SECTION]` tables. Apply them
        // in file order, so an error points at the first entry that breaks.
        let mut entries: Vec<(String, String, Spanned<Binding>)> = Vec::new();
        for (name, entry) in keys {
            match entry {
                KeyEntry::Binding(b) => {
                    // `standup = …` in [keys] is the old name of `start_standup`; the
                    // name now belongs to the [keys.standup] table.
                    let name = if name == "standup" {
                        "start_standup".to_owned()
                    } else {
                        name
                    };
                    entries.push(("board".into(), name, b))
                }
                KeyEntry::Section(table) => entries.extend(
                    table
                        .into_iter()
                        .map(|(command, b)| (name.clone(), command, b)),
                ),
            }
        }
        entries.sort_by_key(|(.., b)| b.span().start);
        let mut merged = cfg.keys.clone();
        for (section, command, binding) in entries {
            let start = binding.span().start;
            merged
                .entry(section)
                .or_default()
                .insert(command, binding.into_inner().0);
            Keys::with_overrides(&merged).map_err(|e| invalid(Some(start), e.to_string()))?;
        }
        cfg.keys = merged;
    }
    Ok(())
}

/// `~` is the home directory; a relative path is relative to the config file's directory.
fn resolve_db_path(s: &str, origin: &Path) -> PathBuf {
    let home = || directories::BaseDirs::new().map(|b| b.home_dir().to_path_buf());
    if s == "~" {
        if let Some(h) = home() {
            return h;
        }
    } else if let Some(rest) = s.strip_prefix("~/")
        && let Some(h) = home()
    {
        return h.join(rest);
    }
    let p = PathBuf::from(s);
    if p.is_absolute() {
        return p;
    }
    match origin.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join(p),
        _ => p,
    }
}

/// 1-based line number of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Turns toml's message into one that names the key, e.g.
/// `unknown key 'timebox' in [standup] (expected 'timebox_minutes')`.
fn describe_toml_error(text: &str, offset: Option<usize>, message: &str) -> String {
    let message = message.trim();
    let table = offset.and_then(|o| table_at(text, o));
    let in_table = table
        .as_deref()
        .map(|t| format!(" in [{t}]"))
        .unwrap_or_default();
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((name, tail)) = rest.split_once('`')
    {
        let tail = tail.trim_start_matches(',').trim().replace('`', "'");
        let hint = if tail.is_empty() {
            String::new()
        } else {
            format!(" ({tail})")
        };
        return format!("unknown key '{name}'{in_table}{hint}");
    }
    match offset.and_then(|o| key_at(text, o)) {
        Some(key) => {
            let full = match table {
                Some(t) => format!("{t}.{key}"),
                None => key,
            };
            format!("'{full}': {message}")
        }
        None => message.to_string(),
    }
}

/// The `[table]` whose body holds the line at `offset` (not counting a header on that line).
fn table_at(text: &str, offset: usize) -> Option<String> {
    let line = line_of(text, offset) - 1;
    let lines: Vec<&str> = text.lines().take(line).collect();
    lines.into_iter().rev().find_map(|l| {
        let l = l.trim();
        let inner = l.strip_prefix('[')?;
        let end = inner.find(']')?;
        Some(inner[..end].trim().trim_matches(['[', ']']).to_string())
    })
}

/// The key of the `key = value` entry that holds the byte at `offset`, looking back over
/// the lines of a multi-line value.
fn key_at(text: &str, offset: usize) -> Option<String> {
    let line = line_of(text, offset);
    let lines: Vec<&str> = text.lines().take(line).collect();
    for l in lines.into_iter().rev() {
        let l = l.trim();
        if l.starts_with('[') {
            return None;
        }
        if l.starts_with('#') {
            continue;
        }
        if let Some((key, _)) = l.split_once('=') {
            let key = key.trim().trim_matches(['"', '\'']);
            if !key.is_empty() {
                return Some(key.to_string());
            }
        }
    }
    None
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawConfig {
    pub(super) user: Option<Spanned<String>>,
    pub(super) db: Option<Spanned<String>>,
    pub(super) standup: Option<RawStandup>,
    pub(super) sharing: Option<RawSharing>,
    pub(super) theme: Option<RawTheme>,
    keys: Option<BTreeMap<String, KeyEntry>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawStandup {
    pub(super) timebox_minutes: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSharing {
    pub(super) poll_ms: Option<Spanned<u64>>,
    pub(super) wal: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawTheme {
    pub(super) accent: Option<Spanned<String>>,
    pub(super) muted: Option<Spanned<String>>,
    pub(super) warn: Option<Spanned<String>>,
    pub(super) bad: Option<Spanned<String>>,
    pub(super) good: Option<Spanned<String>>,
    pub(super) selection: Option<Spanned<String>>,
}

/// An entry of `[keys]`: a board command's binding, or a `[keys.SECTION]` table.
enum KeyEntry {
    Binding(Spanned<Binding>),
    Section(BTreeMap<String, Spanned<Binding>>),
}

impl<'de> Deserialize<'de> for KeyEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<KeyEntry, D::Error> {
        // A table is a section; anything else is a binding, with its span kept.
        let value = Spanned::<toml::Value>::deserialize(d)?;
        let span = value.span();
        match value.into_inner() {
            toml::Value::Table(t) => t
                .into_iter()
                .map(|(k, v)| {
                    let b = Binding::deserialize(v).map_err(de::Error::custom)?;
                    Ok((k, Spanned::new(span.clone(), b)))
                })
                .collect::<Result<_, D::Error>>()
                .map(KeyEntry::Section),
            other => Binding::deserialize(other)
                .map(|b| KeyEntry::Binding(Spanned::new(span, b)))
                .map_err(de::Error::custom),
        }
    }
}

/// A key binding in `[keys]`: one string or an array of strings.
struct Binding(Vec<String>);

impl<'de> Deserialize<'de> for Binding {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Binding, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Binding;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key (\"q\") or a list of keys ([\"q\", \"ctrl-c\"])")
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Binding, E> {
                Ok(Binding(vec![s.to_string()]))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Binding, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = seq.next_element::<String>()? {
                    keys.push(k);
                }
                Ok(Binding(keys))
            }
        }
        d.deserialize_any(V)
    }
}
