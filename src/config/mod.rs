//! The configuration file and the standard paths.
//!
//! The defaults are the documented file `assets/config.toml`, embedded in the binary and
//! parsed like any user file; a user's file overlays them key by key. The key bindings'
//! defaults come from the command tables in [`crate::keymap`]. Every unknown key and
//! every bad value is an error that names the file, the line and the key.
//!
//! - `file`: parsing and overlaying a TOML file;
//! - `errors`: what can go wrong, naming the file;
//! - `user`: who is at the keyboard.

mod errors;
mod file;
mod user;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

use ratatui::style::Color;

pub use errors::ConfigError;
pub use user::{UserNameError, check_user_name, login_name, resolve_user};

use crate::keymap::Keys;

/// The default configuration file, with comments explaining every key.
pub const DEFAULT_CONFIG: &str = include_str!("../../assets/config.toml");

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
    /// `[keys]` and `[keys.SECTION]`: section (`board` for `[keys]`) → command name →
    /// keys, validated by [`Keys::with_overrides`].
    pub keys: BTreeMap<String, BTreeMap<String, Vec<String>>>,
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
        file::overlay(
            &mut cfg,
            DEFAULT_CONFIG,
            Path::new("<built-in config.toml>"),
        )
        .expect("the built-in config is valid");
        cfg
    }
}

impl Config {
    /// The defaults overlaid with the TOML text `text`; `origin` names it in errors and
    /// anchors a relative `db` path.
    pub fn parse(text: &str, origin: &Path) -> Result<Config, ConfigError> {
        let mut cfg = Config::default();
        file::overlay(&mut cfg, text, origin)?;
        Ok(cfg)
    }

    /// The key bindings: the defaults with the `[keys]` sections applied. `load` has
    /// validated them; should a hand-built `Config` hold bad ones, the defaults are used.
    pub fn keys(&self) -> Keys {
        Keys::with_overrides(&self.keys).unwrap_or_default()
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

/// Whether colour is turned off by `NO_COLOR` (set and non-empty; see no-color.org).
pub fn no_color() -> bool {
    no_color_in(std::env::var_os("NO_COLOR"))
}

fn no_color_in(value: Option<OsString>) -> bool {
    value.is_some_and(|v| !v.is_empty())
}
