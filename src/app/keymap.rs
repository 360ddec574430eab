//! Keys to commands; rebindable from the config.
//!
//! The wall's keys are data: a [`Keymap`] maps [`KeySpec`]s to [`Command`]s. The defaults
//! live here; the `[keys]` table of the config replaces a command's keys with
//! [`Keymap::with_overrides`]. The help overlay is built from [`Keymap::help_rows`], so a
//! rebound key shows correctly there.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// Every bindable action of the wall.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Command {
    Quit,
    Help,
    NextPane,
    PrevPane,
    FocusMission,
    FocusPersonas,
    FocusJourney,
    FocusImprovements,
    Down,
    Up,
    Left,
    Right,
    First,
    Last,
    Open,
    New,
    Edit,
    Delete,
    MovePrev,
    MoveNext,
    OrderDown,
    OrderUp,
    ToggleBlocked,
    Comment,
    Mine,
    Filter,
    Zoom,
    Standup,
    Activity,
    Undo,
    Redo,
    FeelingUp,
    FeelingDown,
    WipLimit,
    Suspend,
}

impl Command {
    /// Every command, in the order of the help overlay.
    pub const ALL: &[Command] = &[
        Command::Quit,
        Command::Help,
        Command::NextPane,
        Command::PrevPane,
        Command::FocusMission,
        Command::FocusPersonas,
        Command::FocusJourney,
        Command::FocusImprovements,
        Command::Down,
        Command::Up,
        Command::Left,
        Command::Right,
        Command::First,
        Command::Last,
        Command::Open,
        Command::New,
        Command::Edit,
        Command::Delete,
        Command::MovePrev,
        Command::MoveNext,
        Command::OrderDown,
        Command::OrderUp,
        Command::ToggleBlocked,
        Command::Comment,
        Command::Mine,
        Command::Filter,
        Command::Zoom,
        Command::Standup,
        Command::Activity,
        Command::Undo,
        Command::Redo,
        Command::FeelingUp,
        Command::FeelingDown,
        Command::WipLimit,
        Command::Suspend,
    ];

    /// The snake_case name used as a key in the config's `[keys]` table.
    pub fn name(self) -> &'static str {
        match self {
            Command::Quit => "quit",
            Command::Help => "help",
            Command::NextPane => "next_pane",
            Command::PrevPane => "prev_pane",
            Command::FocusMission => "focus_mission",
            Command::FocusPersonas => "focus_personas",
            Command::FocusJourney => "focus_journey",
            Command::FocusImprovements => "focus_improvements",
            Command::Down => "down",
            Command::Up => "up",
            Command::Left => "left",
            Command::Right => "right",
            Command::First => "first",
            Command::Last => "last",
            Command::Open => "open",
            Command::New => "new",
            Command::Edit => "edit",
            Command::Delete => "delete",
            Command::MovePrev => "move_prev",
            Command::MoveNext => "move_next",
            Command::OrderDown => "order_down",
            Command::OrderUp => "order_up",
            Command::ToggleBlocked => "toggle_blocked",
            Command::Comment => "comment",
            Command::Mine => "mine",
            Command::Filter => "filter",
            Command::Zoom => "zoom",
            Command::Standup => "standup",
            Command::Activity => "activity",
            Command::Undo => "undo",
            Command::Redo => "redo",
            Command::FeelingUp => "feeling_up",
            Command::FeelingDown => "feeling_down",
            Command::WipLimit => "wip_limit",
            Command::Suspend => "suspend",
        }
    }

    /// One line of help text.
    pub fn description(self) -> &'static str {
        match self {
            Command::Quit => "quit",
            Command::Help => "this help",
            Command::NextPane => "next pane",
            Command::PrevPane => "previous pane",
            Command::FocusMission => "go to the mission",
            Command::FocusPersonas => "go to the personas",
            Command::FocusJourney => "go to the journey",
            Command::FocusImprovements => "go to the improvements",
            Command::Down => "down",
            Command::Up => "up",
            Command::Left => "left (column or stage)",
            Command::Right => "right (column or stage)",
            Command::First => "first",
            Command::Last => "last",
            Command::Open => "open the selection",
            Command::New => "new",
            Command::Edit => "edit",
            Command::Delete => "delete (asks y/n)",
            Command::MovePrev => "item to previous status; stage/persona: move earlier",
            Command::MoveNext => "item to next status; stage/persona: move later",
            Command::OrderDown => "reorder: move down in column or list",
            Command::OrderUp => "reorder: move up in column or list",
            Command::ToggleBlocked => "toggle blocked (asks for a reason)",
            Command::Comment => "comment on the item",
            Command::Mine => "only my items (toggle)",
            Command::Filter => "filter by text (Esc clears)",
            Command::Zoom => "zoom the pane",
            Command::Standup => "stand-up mode",
            Command::Activity => "activity log",
            Command::Undo => "undo your last change",
            Command::Redo => "redo",
            Command::FeelingUp => "persona feels better at this stage",
            Command::FeelingDown => "persona feels worse at this stage",
            Command::WipLimit => "set the column's WIP limit",
            Command::Suspend => "suspend to the shell",
        }
    }

    /// The command with this config name, if any.
    pub fn from_name(name: &str) -> Option<Command> {
        Command::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// The default keys, as config strings.
    fn default_keys(self) -> &'static [&'static str] {
        match self {
            Command::Quit => &["q", "ctrl-c"],
            Command::Help => &["?"],
            Command::NextPane => &["tab"],
            Command::PrevPane => &["shift-tab"],
            Command::FocusMission => &["1"],
            Command::FocusPersonas => &["2"],
            Command::FocusJourney => &["3"],
            Command::FocusImprovements => &["4"],
            Command::Down => &["j", "down"],
            Command::Up => &["k", "up"],
            Command::Left => &["h", "left"],
            Command::Right => &["l", "right"],
            Command::First => &["g", "home"],
            Command::Last => &["G", "end"],
            Command::Open => &["enter"],
            Command::New => &["n"],
            Command::Edit => &["e"],
            Command::Delete => &["d"],
            Command::MovePrev => &["H"],
            Command::MoveNext => &["L"],
            Command::OrderDown => &["J"],
            Command::OrderUp => &["K"],
            Command::ToggleBlocked => &["b"],
            Command::Comment => &["c"],
            Command::Mine => &["m"],
            Command::Filter => &["/"],
            Command::Zoom => &["z"],
            Command::Standup => &["s"],
            Command::Activity => &["a"],
            Command::Undo => &["u"],
            Command::Redo => &["ctrl-r"],
            Command::FeelingUp => &["+"],
            Command::FeelingDown => &["-"],
            Command::WipLimit => &["w"],
            Command::Suspend => &["ctrl-z"],
        }
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

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

impl FromStr for KeySpec {
    type Err = String;

    fn from_str(s: &str) -> Result<KeySpec, String> {
        let bad = |why: &str| format!("bad key '{s}': {why}");
        if s.is_empty() {
            return Err("bad key '': empty".to_string());
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
            (Some(c), None) => {
                if modifiers.contains(KeyModifiers::SHIFT) {
                    return Err(bad(
                        "shift- is for named keys; write the character itself (e.g. 'G')",
                    ));
                }
                if c.is_control() {
                    return Err(bad("control characters cannot be bound"));
                }
                KeyCode::Char(c)
            }
            _ => named_key(rest).ok_or_else(|| {
                bad(
                    "expected one character, or a named key (enter, esc, tab, shift-tab, up, \
                     down, left, right, home, end, pgup, pgdown, space, backspace, delete, \
                     f1..f12), with optional ctrl-/alt-",
                )
            })?,
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

/// The wall's key bindings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    /// Keys per command, indexed like [`Command::ALL`].
    keys: Vec<(Command, Vec<KeySpec>)>,
}

impl Default for Keymap {
    fn default() -> Keymap {
        let keys = Command::ALL
            .iter()
            .map(|&c| {
                let specs = c
                    .default_keys()
                    .iter()
                    .map(|k| k.parse().expect("default keys parse"))
                    .collect();
                (c, specs)
            })
            .collect();
        Keymap { keys }
    }
}

impl Keymap {
    /// The defaults, with the keys of every listed command replaced by the given ones.
    ///
    /// Errors name the unknown command (and list the valid names), the bad key, or the
    /// two commands that would share a key. An empty list unbinds a command, except
    /// `quit`, which must keep a key.
    pub fn with_overrides(overrides: &BTreeMap<String, Vec<String>>) -> Result<Keymap, String> {
        let mut map = Keymap::default();
        for (name, keys) in overrides {
            let Some(cmd) = Command::from_name(name) else {
                let valid: Vec<&str> = Command::ALL.iter().map(|c| c.name()).collect();
                return Err(format!(
                    "unknown command '{name}' (valid: {})",
                    valid.join(", ")
                ));
            };
            let mut specs: Vec<KeySpec> = Vec::with_capacity(keys.len());
            for k in keys {
                let spec: KeySpec = k.parse().map_err(|e| format!("{name}: {e}"))?;
                if !specs.contains(&spec) {
                    specs.push(spec);
                }
            }
            if cmd == Command::Quit && specs.is_empty() {
                return Err("quit: needs at least one key".to_string());
            }
            map.slot_mut(cmd).1 = specs;
        }
        map.check_conflicts()?;
        Ok(map)
    }

    fn slot_mut(&mut self, c: Command) -> &mut (Command, Vec<KeySpec>) {
        self.keys
            .iter_mut()
            .find(|(cmd, _)| *cmd == c)
            .expect("every command has a slot")
    }

    fn check_conflicts(&self) -> Result<(), String> {
        for (i, (a, ka)) in self.keys.iter().enumerate() {
            for (b, kb) in &self.keys[i + 1..] {
                if let Some(k) = ka.iter().find(|k| kb.contains(k)) {
                    return Err(format!(
                        "key '{k}' is bound to both '{}' and '{}'",
                        a.name(),
                        b.name()
                    ));
                }
            }
        }
        Ok(())
    }

    /// The command bound to this key event, if any.
    pub fn command_for(&self, ev: &KeyEvent) -> Option<Command> {
        self.keys
            .iter()
            .find(|(_, specs)| specs.iter().any(|s| s.matches(ev)))
            .map(|(c, _)| *c)
    }

    /// The keys bound to a command (empty if unbound).
    pub fn keys_for(&self, c: Command) -> &[KeySpec] {
        self.keys
            .iter()
            .find(|(cmd, _)| *cmd == c)
            .map(|(_, k)| k.as_slice())
            .unwrap_or(&[])
    }

    /// Rows for the help overlay, in [`Command::ALL`] order: the key labels joined with
    /// `" / "` (e.g. `j / ↓`) and the description. Unbound commands are left out.
    pub fn help_rows(&self) -> Vec<(String, &'static str)> {
        self.keys
            .iter()
            .filter(|(_, specs)| !specs.is_empty())
            .map(|(c, specs)| {
                let labels: Vec<String> = specs.iter().map(ToString::to_string).collect();
                (labels.join(" / "), c.description())
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, m: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, m)
    }

    fn ch(c: char) -> KeyEvent {
        key(KeyCode::Char(c), KeyModifiers::NONE)
    }

    fn over(pairs: &[(&str, &[&str])]) -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect()
    }

    #[test]
    fn names_are_unique_and_round_trip() {
        for &c in Command::ALL {
            assert_eq!(Command::from_name(c.name()), Some(c));
            assert!(!c.description().is_empty());
        }
        let mut names: Vec<_> = Command::ALL.iter().map(|c| c.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Command::ALL.len());
        assert_eq!(Command::ALL.len(), 35);
    }

    #[test]
    fn default_lookups() {
        let km = Keymap::default();
        assert_eq!(km.command_for(&ch('q')), Some(Command::Quit));
        assert_eq!(
            km.command_for(&key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Command::Quit)
        );
        assert_eq!(km.command_for(&ch('c')), Some(Command::Comment));
        assert_eq!(km.command_for(&ch('G')), Some(Command::Last));
        assert_eq!(
            km.command_for(&key(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Command::Last)
        );
        assert_eq!(km.command_for(&ch('g')), Some(Command::First));
        assert_eq!(
            km.command_for(&key(KeyCode::BackTab, KeyModifiers::NONE)),
            Some(Command::PrevPane)
        );
        assert_eq!(
            km.command_for(&key(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Command::PrevPane)
        );
        assert_eq!(
            km.command_for(&key(KeyCode::Tab, KeyModifiers::SHIFT)),
            Some(Command::PrevPane)
        );
        assert_eq!(
            km.command_for(&key(KeyCode::Tab, KeyModifiers::NONE)),
            Some(Command::NextPane)
        );
        assert_eq!(
            km.command_for(&key(KeyCode::Down, KeyModifiers::NONE)),
            Some(Command::Down)
        );
        assert_eq!(
            km.command_for(&key(KeyCode::Char('r'), KeyModifiers::CONTROL)),
            Some(Command::Redo)
        );
        assert_eq!(km.command_for(&ch('+')), Some(Command::FeelingUp));
        assert_eq!(km.command_for(&ch('-')), Some(Command::FeelingDown));
        assert_eq!(km.command_for(&ch('?')), Some(Command::Help));
        assert_eq!(km.command_for(&ch('x')), None);
        // Ctrl changes the key: ctrl-j is not j, alt-q is not q.
        assert_eq!(
            km.command_for(&key(KeyCode::Char('j'), KeyModifiers::CONTROL)),
            None
        );
        assert_eq!(
            km.command_for(&key(KeyCode::Char('q'), KeyModifiers::ALT)),
            None
        );
        // Shift on a named key matters.
        assert_eq!(
            km.command_for(&key(KeyCode::Down, KeyModifiers::SHIFT)),
            None
        );
        // Release events never trigger a command.
        let mut rel = ch('q');
        rel.kind = KeyEventKind::Release;
        assert_eq!(km.command_for(&rel), None);
        // Every default key binds exactly one command.
        assert!(km.check_conflicts().is_ok());
    }

    #[test]
    fn parse_keys() {
        let p = |s: &str| s.parse::<KeySpec>().unwrap();
        assert_eq!(p("q"), KeySpec::new(KeyCode::Char('q'), KeyModifiers::NONE));
        assert_eq!(p("é"), KeySpec::new(KeyCode::Char('é'), KeyModifiers::NONE));
        assert_eq!(
            p("ctrl-c"),
            KeySpec::new(KeyCode::Char('c'), KeyModifiers::CONTROL)
        );
        assert_eq!(p("Ctrl-C"), p("ctrl-c"));
        assert_eq!(p("shift-tab"), p("backtab"));
        assert_eq!(p("ENTER"), KeySpec::new(KeyCode::Enter, KeyModifiers::NONE));
        assert_eq!(p("space"), p(" "));
        assert_eq!(p("f12"), KeySpec::new(KeyCode::F(12), KeyModifiers::NONE));
        assert_eq!(p("pgdown"), p("pagedown"));
        assert_eq!(
            p("alt-x"),
            KeySpec::new(KeyCode::Char('x'), KeyModifiers::ALT)
        );
        assert_eq!(
            p("ctrl--"),
            KeySpec::new(KeyCode::Char('-'), KeyModifiers::CONTROL)
        );
        assert_eq!(p("-"), KeySpec::new(KeyCode::Char('-'), KeyModifiers::NONE));
        assert_eq!(
            p("shift-up"),
            KeySpec::new(KeyCode::Up, KeyModifiers::SHIFT)
        );
        for bad in [
            "", "ctrl-", "enterr", "f13", "f0", "shift-a", "jj", "hyper-x",
        ] {
            let err = bad.parse::<KeySpec>().unwrap_err();
            assert!(err.contains(&format!("'{bad}'")), "{bad}: {err}");
        }
    }

    #[test]
    fn display_labels() {
        let d = |s: &str| s.parse::<KeySpec>().unwrap().to_string();
        assert_eq!(d("q"), "q");
        assert_eq!(d("G"), "G");
        assert_eq!(d("ctrl-c"), "Ctrl-c");
        assert_eq!(d("tab"), "Tab");
        assert_eq!(d("shift-tab"), "Shift-Tab");
        assert_eq!(d("down"), "↓");
        assert_eq!(d("enter"), "Enter");
        assert_eq!(d("space"), "Space");
        assert_eq!(d("alt-f5"), "Alt-F5");
    }

    #[test]
    fn overrides_replace_defaults() {
        let km = Keymap::with_overrides(&over(&[("down", &["ctrl-n", "down"]), ("quit", &["x"])]))
            .unwrap();
        assert_eq!(
            km.command_for(&key(KeyCode::Char('n'), KeyModifiers::CONTROL)),
            Some(Command::Down)
        );
        assert_eq!(km.command_for(&ch('j')), None, "j no longer bound");
        assert_eq!(km.command_for(&ch('x')), Some(Command::Quit));
        assert_eq!(km.command_for(&ch('q')), None);
        assert_eq!(
            km.command_for(&key(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            None
        );
        assert_eq!(km.keys_for(Command::Quit), &["x".parse().unwrap()]);
        // Untouched commands keep their defaults.
        assert_eq!(km.command_for(&ch('k')), Some(Command::Up));
        // Freed keys can be reused.
        let km = Keymap::with_overrides(&over(&[("down", &["n"]), ("new", &["j"])])).unwrap();
        assert_eq!(km.command_for(&ch('n')), Some(Command::Down));
        assert_eq!(km.command_for(&ch('j')), Some(Command::New));
    }

    #[test]
    fn override_errors() {
        let err = Keymap::with_overrides(&over(&[("jump", &["x"])])).unwrap_err();
        assert!(err.contains("unknown command 'jump'"), "{err}");
        assert!(
            err.contains("next_pane") && err.contains("wip_limit"),
            "{err}"
        );

        let err = Keymap::with_overrides(&over(&[("down", &["ctrl-"])])).unwrap_err();
        assert!(err.contains("down") && err.contains("'ctrl-'"), "{err}");

        let err = Keymap::with_overrides(&over(&[("quit", &["j"])])).unwrap_err();
        assert!(err.contains("'j'"), "{err}");
        assert!(err.contains("'quit'") && err.contains("'down'"), "{err}");

        let err = Keymap::with_overrides(&over(&[("quit", &[])])).unwrap_err();
        assert!(err.contains("quit"), "{err}");

        // Other commands may be unbound.
        let km = Keymap::with_overrides(&over(&[("suspend", &[])])).unwrap();
        assert!(km.keys_for(Command::Suspend).is_empty());
        assert_eq!(
            km.command_for(&key(KeyCode::Char('z'), KeyModifiers::CONTROL)),
            None
        );
    }

    #[test]
    fn help_rows_follow_the_keymap() {
        let rows = Keymap::default().help_rows();
        assert_eq!(rows.len(), Command::ALL.len());
        assert_eq!(rows[0], ("q / Ctrl-c".to_string(), "quit"));
        assert!(rows.contains(&("j / ↓".to_string(), Command::Down.description())));
        assert!(rows.contains(&("Shift-Tab".to_string(), Command::PrevPane.description())));

        let km = Keymap::with_overrides(&over(&[("down", &["ctrl-n"]), ("suspend", &[])])).unwrap();
        let rows = km.help_rows();
        assert!(rows.contains(&("Ctrl-n".to_string(), Command::Down.description())));
        assert!(
            !rows
                .iter()
                .any(|(_, d)| *d == Command::Suspend.description())
        );
        assert_eq!(rows.len(), Command::ALL.len() - 1);
    }
}
