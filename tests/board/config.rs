//! The configuration file: its defaults come from the documented asset, a user's file
//! overlays them, and every unknown key or bad value is refused naming the file, the
//! line and the key; who the user is; the standard paths.

use std::path::{Path, PathBuf};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use obeya::config::*;
use obeya::keymap::{Command, Keys};
use ratatui::style::Color;

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
    assert_eq!(c.keys(), Keys::default());
}

#[test]
fn asset_sets_every_value() {
    // The Rust side has no defaults of its own: the asset must give every value.
    let raw: toml::Table = toml::from_str(DEFAULT_CONFIG).unwrap();
    let table = |name: &str| raw[name].as_table().unwrap_or_else(|| panic!("[{name}]"));
    assert!(table("standup").contains_key("timebox_minutes"));
    assert!(table("sharing").contains_key("poll_ms"));
    let theme = table("theme");
    for c in ["accent", "muted", "warn", "bad", "good", "selection"] {
        assert!(theme.contains_key(c), "theme.{c}");
    }
}

#[test]
fn the_keys_examples_are_valid() {
    // The examples in the asset are valid too.
    let keys_part = DEFAULT_CONFIG.split("\n[keys]\n").nth(1).unwrap();
    let examples: String = keys_part
        .lines()
        .filter_map(|l| l.strip_prefix("# "))
        .filter(|l| l.contains(" = ") || (l.starts_with("[keys.") && l.ends_with(']')))
        .map(|l| format!("{l}\n"))
        .collect();
    Config::parse(&format!("[keys]\n{examples}"), Path::new("x.toml")).unwrap();
}

#[test]
fn the_user_and_db_examples_are_valid() {
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
    assert_eq!(c.keys["board"]["quit"], vec!["x".to_string()]);
    let km = c.keys().board;
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
fn paths_are_consistent() {
    let p = paths();
    assert_eq!(p.default_db, p.data_dir.join("obeya.db"));
    assert!(p.config_file.ends_with("config.toml"));
}
