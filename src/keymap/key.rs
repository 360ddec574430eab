//! One key as written in the config (`q`, `ctrl-c`, `shift-tab`, `f5`) and as shown in
//! hints and help (`q`, `Ctrl-c`, `Shift-Tab`, `F5`).

use std::fmt;
use std::str::FromStr;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// One key with its modifiers, as written in the config (`q`, `ctrl-c`, `shift-tab`, `f5`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeySpec {
    code: KeyCode,
    modifiers: KeyModifiers,
}

/// Modifiers that take part in matching; lock keys, SUPER etc. are ignored.
const SIGNIFICANT: KeyModifiers = KeyModifiers::CONTROL
    .union(KeyModifiers::ALT)
    .union(KeyModifiers::SHIFT);

impl KeySpec {
    /// A key spec from crossterm parts, normalised like a parsed one.
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> KeySpec {
        normalise(code, modifiers)
    }

    pub fn code(&self) -> KeyCode {
        self.code
    }

    pub fn modifiers(&self) -> KeyModifiers {
        self.modifiers
    }

    /// Whether a key event from the terminal is this key.
    ///
    /// Robust to how terminals report keys: SHIFT is ignored for characters (`G` may
    /// arrive with or without it), `BackTab` may carry SHIFT, `Shift+Tab` is taken as
    /// `BackTab`, and a Ctrl-letter matches either case. Release events never match.
    pub fn matches(&self, ev: &KeyEvent) -> bool {
        if ev.kind == KeyEventKind::Release {
            return false;
        }
        let got = normalise(ev.code, ev.modifiers);
        got == *self
    }
}

/// Brings a key into the one form used for comparison.
fn normalise(code: KeyCode, modifiers: KeyModifiers) -> KeySpec {
    let mut modifiers = modifiers & SIGNIFICANT;
    let code = match code {
        KeyCode::Char(c) => {
            modifiers.remove(KeyModifiers::SHIFT);
            if modifiers.contains(KeyModifiers::CONTROL) && c.is_ascii_alphabetic() {
                KeyCode::Char(c.to_ascii_lowercase())
            } else {
                KeyCode::Char(c)
            }
        }
        KeyCode::Tab if modifiers.contains(KeyModifiers::SHIFT) => {
            modifiers.remove(KeyModifiers::SHIFT);
            KeyCode::BackTab
        }
        KeyCode::BackTab => {
            modifiers.remove(KeyModifiers::SHIFT);
            KeyCode::BackTab
        }
        other => other,
    };
    KeySpec { code, modifiers }
}

/// Named keys accepted in the config (lowercase), with their codes.
const NAMED: &[(&str, KeyCode)] = &[
    ("enter", KeyCode::Enter),
    ("return", KeyCode::Enter),
    ("esc", KeyCode::Esc),
    ("escape", KeyCode::Esc),
    ("tab", KeyCode::Tab),
    ("backtab", KeyCode::BackTab),
    ("up", KeyCode::Up),
    ("down", KeyCode::Down),
    ("left", KeyCode::Left),
    ("right", KeyCode::Right),
    ("home", KeyCode::Home),
    ("end", KeyCode::End),
    ("pgup", KeyCode::PageUp),
    ("pageup", KeyCode::PageUp),
    ("pgdown", KeyCode::PageDown),
    ("pgdn", KeyCode::PageDown),
    ("pagedown", KeyCode::PageDown),
    ("space", KeyCode::Char(' ')),
    ("backspace", KeyCode::Backspace),
    ("delete", KeyCode::Delete),
    ("del", KeyCode::Delete),
    ("insert", KeyCode::Insert),
    ("ins", KeyCode::Insert),
];

fn named_key(name: &str) -> Option<KeyCode> {
    let lower = name.to_ascii_lowercase();
    if let Some((_, code)) = NAMED.iter().find(|(n, _)| *n == lower) {
        return Some(*code);
    }
    let n: u8 = lower.strip_prefix('f')?.parse().ok()?;
    (1..=12).contains(&n).then_some(KeyCode::F(n))
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    let rest = &s[prefix.len()..];
    (head.eq_ignore_ascii_case(prefix) && !rest.is_empty()).then_some(rest)
}

/// A key the config names that cannot be bound: `bad key 'ctrl-': …`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("bad key '{key}': {why}")]
pub struct BadKey {
    pub key: String,
    pub why: KeyProblem,
}

/// What is wrong with a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum KeyProblem {
    #[error("empty")]
    Empty,
    #[error("shift- is for named keys; write the character itself (e.g. 'G')")]
    ShiftedCharacter,
    #[error("control characters cannot be bound")]
    ControlCharacter,
    #[error(
        "expected one character, or a named key (enter, esc, tab, shift-tab, up, down, left, \
         right, home, end, pgup, pgdown, space, backspace, delete, f1..f12), with optional \
         ctrl-/alt-"
    )]
    Unknown,
}

impl FromStr for KeySpec {
    type Err = BadKey;

    fn from_str(s: &str) -> Result<KeySpec, BadKey> {
        let bad = |why| BadKey {
            key: s.to_owned(),
            why,
        };
        if s.is_empty() {
            return Err(bad(KeyProblem::Empty));
        }
        let mut rest = s;
        let mut modifiers = KeyModifiers::NONE;
        loop {
            if let Some(r) = strip_prefix_ci(rest, "ctrl-") {
                modifiers |= KeyModifiers::CONTROL;
                rest = r;
            } else if let Some(r) = strip_prefix_ci(rest, "alt-") {
                modifiers |= KeyModifiers::ALT;
                rest = r;
            } else if let Some(r) = strip_prefix_ci(rest, "shift-") {
                modifiers |= KeyModifiers::SHIFT;
                rest = r;
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(_), None) if modifiers.contains(KeyModifiers::SHIFT) => {
                return Err(bad(KeyProblem::ShiftedCharacter));
            }
            (Some(c), None) if c.is_control() => return Err(bad(KeyProblem::ControlCharacter)),
            (Some(c), None) => KeyCode::Char(c),
            _ => named_key(rest).ok_or_else(|| bad(KeyProblem::Unknown))?,
        };
        Ok(normalise(code, modifiers))
    }
}

impl fmt::Display for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Del"),
            KeyCode::Insert => f.write_str("Ins"),
            KeyCode::F(n) => write!(f, "F{n}"),
            other => write!(f, "{other:?}"),
        }
    }
}
