//! The configuration file and the standard paths.
//!
//! The defaults are the documented file `assets/config.toml`, embedded in the binary and
//! parsed like any user file; a user's file overlays them key by key. Every unknown key
//! and every bad value is an error that names the file, the line and the key.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

use ratatui::style::Color;
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use toml::Spanned;

use crate::app::keymap::Keymap;

/// The default configuration file, with comments explaining every key.
pub const DEFAULT_CONFIG: &str = include_str!("../assets/config.toml");

/// The configuration in force.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Who I am on the board; `None` means the login name (see [`resolve_user`]).
    pub user: Option<String>,
    /// The board to open when none is given; `None` means [`Paths::default_db`].
    pub db: Option<PathBuf>,
    pub standup: Standup,
    pub sharing: Sharing,
    pub theme: Theme,
    /// `[keys]`: command name → keys, validated by [`Keymap::with_overrides`].
    pub keys: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standup {
    /// The stand-up timebox, 1..=480 minutes.
    pub timebox_minutes: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sharing {
    /// How often to look for teammates' changes while idle, 100..=60000 ms.
    pub poll_ms: u64,
    /// Switch a board on a local disk to SQLite's WAL journal (never on a network drive).
    pub wal: bool,
}

/// The colours of the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Titles, the focused pane's border, the selection marker.
    pub accent: Color,
    /// Secondary text: hints, ages, empty columns.
    pub muted: Color,
    /// Needs attention: items serving no customer, WIP limit reached, stand-up late.
    pub warn: Color,
    /// Something is wrong: blocked, overdue, WIP exceeded, negative feelings.
    pub bad: Color,
    /// Healthy: metrics on target, positive feelings, the live indicator.
    pub good: Color,
    /// Background of the selected row.
    pub selection: Color,
}

/// Why a configuration could not be loaded. Every variant names the file.
#[derive(Debug)]
pub enum ConfigError {
    /// An explicitly given config file does not exist.
    NotFound { path: PathBuf },
    /// The file exists but could not be read.
    Read { path: PathBuf, source: io::Error },
    /// A syntax error, an unknown key or a bad value. `line` is 1-based.
    Invalid {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NotFound { path } => {
                write!(f, "config file {} not found", path.display())
            }
            ConfigError::Read { path, source } => {
                write!(f, "cannot read config file {}: {source}", path.display())
            }
            ConfigError::Invalid {
                path,
                line: Some(line),
                message,
            } => write!(f, "{} line {line}: {message}", path.display()),
            ConfigError::Invalid {
                path,
                line: None,
                message,
            } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for ConfigError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigError::Read { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl Default for Config {
    /// The built-in configuration: `assets/config.toml` as parsed.
    fn default() -> Config {
        let mut cfg = Config {
            user: None,
            db: None,
            standup: Standup { timebox_minutes: 0 },
            sharing: Sharing {
                poll_ms: 0,
                wal: false,
            },
            theme: Theme {
                accent: Color::Reset,
                muted: Color::Reset,
                warn: Color::Reset,
                bad: Color::Reset,
                good: Color::Reset,
                selection: Color::Reset,
            },
            keys: BTreeMap::new(),
        };
        cfg.overlay(DEFAULT_CONFIG, Path::new("<built-in config.toml>"))
            .expect("the built-in config is valid");
        cfg
    }
}

impl Config {
    /// The defaults overlaid with the TOML text `text`; `origin` names it in errors and
    /// anchors a relative `db` path.
    pub fn parse(text: &str, origin: &Path) -> Result<Config, ConfigError> {
        let mut cfg = Config::default();
        cfg.overlay(text, origin)?;
        Ok(cfg)
    }

    /// The key bindings: the defaults with `[keys]` applied. `load` has validated them;
    /// should a hand-built `Config` hold bad ones, the defaults are used.
    pub fn keymap(&self) -> Keymap {
        Keymap::with_overrides(&self.keys).unwrap_or_default()
    }

    /// Applies the values present in `text` on top of `self`.
    fn overlay(&mut self, text: &str, origin: &Path) -> Result<(), ConfigError> {
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
            self.user = Some(name.to_string());
        }
        if let Some(db) = raw.db {
            let s = db.get_ref().trim();
            if s.is_empty() {
                return Err(invalid(
                    Some(db.span().start),
                    "'db' must not be empty".into(),
                ));
            }
            self.db = Some(resolve_db_path(s, origin));
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
            self.standup.timebox_minutes = v;
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
                self.sharing.poll_ms = v;
            }
            if let Some(w) = sharing.wal {
                self.sharing.wal = w;
            }
        }
        if let Some(theme) = raw.theme {
            let slots = [
                ("accent", theme.accent, &mut self.theme.accent),
                ("muted", theme.muted, &mut self.theme.muted),
                ("warn", theme.warn, &mut self.theme.warn),
                ("bad", theme.bad, &mut self.theme.bad),
                ("good", theme.good, &mut self.theme.good),
                ("selection", theme.selection, &mut self.theme.selection),
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
            // Apply in file order, so an error points at the first entry that breaks.
            let mut entries: Vec<(String, Spanned<Binding>)> = keys.into_iter().collect();
            entries.sort_by_key(|(_, b)| b.span().start);
            let mut merged = self.keys.clone();
            for (name, binding) in entries {
                let start = binding.span().start;
                merged.insert(name, binding.into_inner().0);
                Keymap::with_overrides(&merged)
                    .map_err(|e| invalid(Some(start), format!("[keys] {e}")))?;
            }
            self.keys = merged;
        }
        Ok(())
    }
}

/// Loads the config file at `path` over the defaults.
///
/// A missing file gives the defaults, unless the path was given `explicit`ly (by
/// `--config` or `OBEYA_CONFIG`): then it is an error naming the file.
pub fn load(path: &Path, explicit: bool) -> Result<Config, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Config::parse(&text, path),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            if explicit {
                Err(ConfigError::NotFound {
                    path: path.to_path_buf(),
                })
            } else {
                Ok(Config::default())
            }
        }
        Err(source) => Err(ConfigError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
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
struct RawConfig {
    user: Option<Spanned<String>>,
    db: Option<Spanned<String>>,
    standup: Option<RawStandup>,
    sharing: Option<RawSharing>,
    theme: Option<RawTheme>,
    keys: Option<BTreeMap<String, Spanned<Binding>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStandup {
    timebox_minutes: Option<Spanned<u32>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSharing {
    poll_ms: Option<Spanned<u64>>,
    wal: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    accent: Option<Spanned<String>>,
    muted: Option<Spanned<String>>,
    warn: Option<Spanned<String>>,
    bad: Option<Spanned<String>>,
    good: Option<Spanned<String>>,
    selection: Option<Spanned<String>>,
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

/// Where obeya keeps its files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paths {
    pub data_dir: PathBuf,
    /// `data_dir/obeya.db`
    pub default_db: PathBuf,
    /// `config.toml` in the user's config directory.
    pub config_file: PathBuf,
}

/// The standard paths from the `directories` crate; the current directory when there is
/// no home directory to derive them from.
pub fn paths() -> Paths {
    match directories::ProjectDirs::from("", "", "obeya") {
        Some(dirs) => Paths {
            data_dir: dirs.data_dir().to_path_buf(),
            default_db: dirs.data_dir().join("obeya.db"),
            config_file: dirs.config_dir().join("config.toml"),
        },
        None => {
            let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
            Paths {
                default_db: cwd.join("obeya.db"),
                config_file: cwd.join("config.toml"),
                data_dir: cwd,
            }
        }
    }
}

/// The user's login name: `$USER`, else `$LOGNAME`, else the password database, else
/// `"someone"`.
pub fn login_name() -> String {
    ["USER", "LOGNAME"]
        .into_iter()
        .filter_map(|var| std::env::var(var).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .or_else(passwd_name)
        .unwrap_or_else(|| "someone".to_string())
}

/// The account name from the system's user database.
fn passwd_name() -> Option<String> {
    whoami::username()
        .ok()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
}

/// Who is at the keyboard: the command-line value (which includes `OBEYA_USER`), else
/// the config's `user`, else the login name. Trimmed and never empty.
pub fn resolve_user(cli: Option<&str>, config: &Config) -> String {
    cli.map(str::trim)
        .filter(|s| !s.is_empty())
        .or_else(|| {
            config
                .user
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
        })
        .map(str::to_string)
        .unwrap_or_else(|| {
            let name = login_name();
            if name.trim().is_empty() {
                "someone".to_string()
            } else {
                name.trim().to_string()
            }
        })
}

/// Whether colour is turned off by `NO_COLOR` (set and non-empty; see no-color.org).
pub fn no_color() -> bool {
    no_color_in(std::env::var_os("NO_COLOR"))
}

fn no_color_in(value: Option<OsString>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::keymap::Command;
    use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    fn write(dir: &tempfile::TempDir, text: &str) -> PathBuf {
        let path = dir.path().join("config.toml");
        std::fs::write(&path, text).unwrap();
        path
    }

    fn load_err(text: &str) -> String {
        let dir = tempfile::tempdir().unwrap();
        let path = write(&dir, text);
        let err = load(&path, true).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.starts_with(&path.display().to_string()),
            "error names the file: {msg}"
        );
        msg
    }

    #[test]
    fn defaults_come_from_the_asset() {
        let c = Config::default();
        assert_eq!(c.user, None);
        assert_eq!(c.db, None);
        assert_eq!(c.standup.timebox_minutes, 15);
        assert_eq!(c.sharing.poll_ms, 1000);
        assert_eq!(c.theme.accent, Color::Cyan);
        assert_eq!(c.theme.bad, Color::Red);
        assert!(c.keys.is_empty());
        assert_eq!(c.keymap(), Keymap::default());
    }

    #[test]
    fn asset_sets_every_value() {
        // The Rust side has no defaults of its own: the asset must give every value.
        let raw: RawConfig = toml::from_str(DEFAULT_CONFIG).unwrap();
        let s = raw.standup.unwrap();
        assert!(s.timebox_minutes.is_some());
        assert!(raw.sharing.unwrap().poll_ms.is_some());
        let t = raw.theme.unwrap();
        for c in [t.accent, t.muted, t.warn, t.bad, t.good, t.selection] {
            assert!(c.is_some());
        }
    }

    #[test]
    fn asset_documents_every_command_with_its_default_keys() {
        // Uncommenting the `[keys]` examples must give exactly the default keymap.
        let keys_part = DEFAULT_CONFIG.split("\n[keys]\n").nth(1).unwrap();
        let mut uncommented = String::from("[keys]\n");
        for line in keys_part.lines() {
            if let Some(entry) = line.strip_prefix("# ")
                && entry.contains(" = ")
            {
                uncommented.push_str(entry);
                uncommented.push('\n');
            }
        }
        let c = Config::parse(&uncommented, Path::new("x.toml")).unwrap();
        for &cmd in Command::ALL {
            assert!(c.keys.contains_key(cmd.name()), "{} documented", cmd.name());
        }
        assert_eq!(c.keys.len(), Command::ALL.len());
        assert_eq!(c.keymap(), Keymap::default());
        // The user/db examples are valid too.
        let head = DEFAULT_CONFIG.split("\n[standup]").next().unwrap();
        let uncommented: String = head
            .lines()
            .filter_map(|l| l.strip_prefix("# "))
            .filter(|l| l.starts_with("user =") || l.starts_with("db ="))
            .map(|l| format!("{l}\n"))
            .collect();
        let c = Config::parse(&uncommented, Path::new("x.toml")).unwrap();
        assert_eq!(c.user.as_deref(), Some("alice"));
        assert!(c.db.unwrap().ends_with("boards/team.db"));
    }

    #[test]
    fn missing_file_gives_defaults_unless_explicit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nope.toml");
        assert_eq!(load(&path, false).unwrap(), Config::default());
        let err = load(&path, true).unwrap_err();
        assert!(matches!(err, ConfigError::NotFound { .. }));
        assert!(err.to_string().contains("nope.toml"), "{err}");
    }

    #[test]
    fn unreadable_file_is_an_error_even_if_not_explicit() {
        let dir = tempfile::tempdir().unwrap();
        // A directory cannot be read as a file.
        let err = load(dir.path(), false).unwrap_err();
        assert!(matches!(err, ConfigError::Read { .. }), "{err}");
    }

    #[test]
    fn file_values_overlay_the_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = write(
            &dir,
            "user = \" bob \"\n\
             db = \"boards/team.db\"\n\
             [sharing]\npoll_ms = 250\n\
             [theme]\naccent = \"#ff8800\"\nmuted = \"242\"\n\
             [keys]\nquit = \"x\"\ndown = [\"ctrl-n\", \"down\"]\n",
        );
        let c = load(&path, true).unwrap();
        assert_eq!(c.user.as_deref(), Some("bob"));
        assert_eq!(c.db, Some(dir.path().join("boards/team.db")));
        assert_eq!(c.sharing.poll_ms, 250);
        assert_eq!(c.standup.timebox_minutes, 15, "untouched default kept");
        assert_eq!(c.theme.accent, Color::Rgb(0xff, 0x88, 0x00));
        assert_eq!(c.theme.muted, Color::Indexed(242));
        assert_eq!(c.theme.bad, Color::Red, "untouched default kept");
        assert_eq!(c.keys["quit"], vec!["x".to_string()]);
        let km = c.keymap();
        assert_eq!(
            km.command_for(&KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE)),
            Some(Command::Quit)
        );
        assert_eq!(
            km.command_for(&KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL)),
            Some(Command::Down)
        );
        // An empty file is fine too.
        let path = write(&dir, "");
        assert_eq!(load(&path, true).unwrap(), Config::default());
    }

    #[test]
    fn absolute_and_home_db_paths() {
        let c = Config::parse("db = \"/srv/team.db\"", Path::new("/etc/x.toml")).unwrap();
        assert_eq!(c.db, Some(PathBuf::from("/srv/team.db")));
        if let Some(b) = directories::BaseDirs::new() {
            let c = Config::parse("db = \"~/t.db\"", Path::new("/etc/x.toml")).unwrap();
            assert_eq!(c.db, Some(b.home_dir().join("t.db")));
        }
    }

    #[test]
    fn unknown_key_names_file_line_and_key() {
        let msg = load_err("# my config\n[standup]\ntimebox = 10\n");
        assert!(
            msg.ends_with(
                "config.toml line 3: unknown key 'timebox' in [standup] \
                 (expected 'timebox_minutes')"
            ),
            "{msg}"
        );
        let msg = load_err("usr = \"bob\"\n");
        assert!(
            msg.contains("config.toml line 1: unknown key 'usr'"),
            "{msg}"
        );
        let msg = load_err("[standup]\ntimebox_minutes = 5\n\n[colours]\naccent = \"red\"\n");
        assert!(
            msg.contains("config.toml line 4: unknown key 'colours'"),
            "{msg}"
        );
    }

    #[test]
    fn bad_colour() {
        let msg = load_err("[theme]\naccent = \"cyan\"\nbad = \"blood\"\n");
        assert!(
            msg.contains("config.toml line 3: 'theme.bad': bad colour 'blood'"),
            "{msg}"
        );
        let msg = load_err("[theme]\ngood = \"#12345\"\n");
        assert!(msg.contains("line 2: 'theme.good'"), "{msg}");
    }

    #[test]
    fn bad_timebox_and_poll() {
        let msg = load_err("[standup]\ntimebox_minutes = 0\n");
        assert!(
            msg.contains(
                "config.toml line 2: 'standup.timebox_minutes' must be between 1 and 480, got 0"
            ),
            "{msg}"
        );
        let msg = load_err("[standup]\ntimebox_minutes = 481\n");
        assert!(msg.contains("line 2:") && msg.contains("got 481"), "{msg}");
        let msg = load_err("[standup]\ntimebox_minutes = \"ten\"\n");
        assert!(
            msg.contains("config.toml line 2: 'standup.timebox_minutes': invalid type"),
            "{msg}"
        );
        let msg = load_err("\n[sharing]\npoll_ms = 50\n");
        assert!(
            msg.contains("config.toml line 3: 'sharing.poll_ms' must be between 100 and 60000"),
            "{msg}"
        );
        let msg = load_err("[standup]\ntimebox_minutes = -1\n");
        assert!(msg.contains("line 2: 'standup.timebox_minutes'"), "{msg}");
    }

    #[test]
    fn bad_keys_name_file_line_and_key() {
        let msg = load_err("[keys]\nquit = \"q\"\njump = \"x\"\n");
        assert!(
            msg.contains("config.toml line 3: [keys] unknown command 'jump'"),
            "{msg}"
        );
        let msg = load_err("[keys]\ndown = [\"j\",\n  \"ctrl-\"]\n");
        assert!(
            msg.contains("config.toml line 2: [keys] down: bad key 'ctrl-'"),
            "{msg}"
        );
        let msg = load_err("[keys]\nhelp = \"?\"\nquit = \"j\"\n");
        assert!(msg.contains("config.toml line 3: [keys]"), "{msg}");
        assert!(msg.contains("'quit'") && msg.contains("'down'"), "{msg}");
        let msg = load_err("[keys]\nquit = 3\n");
        assert!(msg.contains("config.toml line 2: 'keys.quit'"), "{msg}");
        let msg = load_err("[keys]\nquit = [\"q\", 3]\n");
        assert!(msg.contains("config.toml line 2: 'keys.quit'"), "{msg}");
    }

    #[test]
    fn other_bad_values() {
        let msg = load_err("user = \"  \"\n");
        assert!(msg.contains("line 1: 'user' must not be empty"), "{msg}");
        let msg = load_err("user = 7\n");
        assert!(msg.contains("line 1: 'user': invalid type"), "{msg}");
        let msg = load_err("[standup\n");
        assert!(msg.contains("config.toml line 1:"), "{msg}");
    }

    #[test]
    fn user_resolution() {
        let mut c = Config::default();
        assert_eq!(resolve_user(Some(" carol "), &c), "carol");
        c.user = Some("dave".into());
        assert_eq!(resolve_user(Some("carol"), &c), "carol");
        assert_eq!(resolve_user(Some("  "), &c), "dave");
        assert_eq!(resolve_user(None, &c), "dave");
        c.user = None;
        let me = resolve_user(None, &c);
        assert_eq!(me, login_name());
        assert!(!me.is_empty() && me.trim() == me);
    }

    #[test]
    fn passwd_lookup_gives_a_clean_name() {
        // Containers may run under a uid without an entry; uid 0 is always root.
        let name = passwd_name();
        if let Some(name) = &name {
            assert!(!name.is_empty() && name.trim() == name, "{name:?}");
        }
        if rustix::process::geteuid().is_root() {
            assert_eq!(name.as_deref(), Some("root"));
        }
    }

    #[test]
    fn no_color_needs_a_non_empty_value() {
        assert!(!no_color_in(None));
        assert!(!no_color_in(Some(OsString::new())));
        assert!(no_color_in(Some(OsString::from("1"))));
    }

    #[test]
    fn paths_are_consistent() {
        let p = paths();
        assert_eq!(p.default_db, p.data_dir.join("obeya.db"));
        assert!(p.config_file.ends_with("config.toml"));
    }
}
