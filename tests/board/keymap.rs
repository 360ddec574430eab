//! Keys to commands: the default keymaps, overrides from the config and what they
//! refuse, help rows and hint templates that name the keys in force, key specs as
//! written and shown, and the command tables.

use std::collections::BTreeMap;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use obeya::keymap::{
    Command, CommandSet, ConfirmCommand, ConflictCommand, FilterCommand, FormCommand, KeySpec,
    Keymap, Keys, PopupCommand, StandupCommand,
};

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
fn default_lookups() {
    let km = Keymap::<Command>::default();
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
    // Every default key binds exactly one command (a conflict would be refused).
    assert!(Keymap::<Command>::with_overrides(&BTreeMap::new()).is_ok());
    assert!(Keys::with_overrides(&BTreeMap::new()).is_ok());
}

#[test]
fn overrides_replace_defaults() {
    let km = Keymap::<Command>::with_overrides(&over(&[
        ("down", &["ctrl-n", "down"]),
        ("quit", &["x"]),
    ]))
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
    let km =
        Keymap::<Command>::with_overrides(&over(&[("down", &["n"]), ("new", &["j"])])).unwrap();
    assert_eq!(km.command_for(&ch('n')), Some(Command::Down));
    assert_eq!(km.command_for(&ch('j')), Some(Command::New));
}

#[test]
fn override_errors() {
    let err = Keymap::<Command>::with_overrides(&over(&[("jump", &["x"])]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("unknown command 'jump'"), "{err}");
    assert!(
        err.contains("next_pane") && err.contains("wip_limit"),
        "{err}"
    );

    let err = Keymap::<Command>::with_overrides(&over(&[("down", &["ctrl-"])]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("down") && err.contains("'ctrl-'"), "{err}");

    let err = Keymap::<Command>::with_overrides(&over(&[("quit", &["j"])]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("'j'"), "{err}");
    assert!(err.contains("'quit'") && err.contains("'down'"), "{err}");

    let err = Keymap::<Command>::with_overrides(&over(&[("quit", &[])]))
        .unwrap_err()
        .to_string();
    assert!(err.contains("quit"), "{err}");

    // Other commands may be unbound.
    let km = Keymap::<Command>::with_overrides(&over(&[("suspend", &[])])).unwrap();
    assert!(km.keys_for(Command::Suspend).is_empty());
    assert_eq!(
        km.command_for(&key(KeyCode::Char('z'), KeyModifiers::CONTROL)),
        None
    );
}

#[test]
fn help_rows_follow_the_keymap() {
    let rows = Keys::default().help_rows();
    assert_eq!(rows.len(), Command::ALL.len());
    assert_eq!(rows[0], ("q / Ctrl-c".to_string(), "quit".to_string()));
    assert!(rows.contains(&("j / ↓".to_string(), "down".to_string())));
    assert!(rows.contains(&("Shift-Tab".to_string(), "previous pane".to_string())));
    assert!(rows.contains(&("d".to_string(), "delete (asks y/n)".to_string())));

    let mut o = BTreeMap::new();
    o.insert(
        "board".to_string(),
        over(&[("down", &["ctrl-n"]), ("suspend", &[])]),
    );
    o.insert("confirm".to_string(), over(&[("yes", &["o"])]));
    let rows = Keys::with_overrides(&o).unwrap().help_rows();
    assert!(rows.contains(&("Ctrl-n".to_string(), "down".to_string())));
    assert!(rows.contains(&("d".to_string(), "delete (asks o/n)".to_string())));
    assert!(
        !rows
            .iter()
            .any(|(_, d)| d == Command::Suspend.description())
    );
    assert_eq!(rows.len(), Command::ALL.len() - 1);
}

#[test]
fn templates_name_the_keys_in_force() {
    let keys = Keys::default();
    assert_eq!(
        keys.expand("{form.next_field} next · {form.save} save · {form.cancel} cancel"),
        "Tab next · Ctrl-s save · Esc cancel"
    );
    assert_eq!(keys.expand("{board.down}/{board.up} walk"), "j/k walk");
    assert_eq!(
        keys.expand("{nope.x} {board.nope} {"),
        "{nope.x} {board.nope} {"
    );
    let mut o = BTreeMap::new();
    o.insert("form".to_string(), over(&[("save", &["f2"])]));
    let keys = Keys::with_overrides(&o).unwrap();
    assert_eq!(keys.expand("{form.save} save"), "F2 save");
    let err = Keys::with_overrides(&BTreeMap::from([("bogus".to_string(), BTreeMap::new())]))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("[keys.bogus]") && err.contains("keys.form"),
        "{err}"
    );
    let err = Keys::with_overrides(&BTreeMap::from([(
        "form".to_string(),
        over(&[("save", &[])]),
    )]))
    .unwrap_err()
    .to_string();
    assert!(err.starts_with("[keys.form] save"), "{err}");
}

// ------------------------------------------------------------------ one key

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
        let err = bad.parse::<KeySpec>().unwrap_err().to_string();
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

// ------------------------------------------------------------------ the tables

fn check<C: CommandSet + std::fmt::Debug>() {
    let mut names: Vec<&str> = C::ALL.iter().map(|c| c.name()).collect();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), C::ALL.len(), "unique names in {}", C::SECTION);
    for &c in C::ALL {
        assert!(!c.description().is_empty(), "{c:?}");
        assert!(!c.required() || !c.default_keys().is_empty(), "{c:?}");
    }
}

#[test]
fn every_table_has_unique_names_and_help() {
    check::<Command>();
    check::<StandupCommand>();
    check::<FormCommand>();
    check::<ConfirmCommand>();
    check::<ConflictCommand>();
    check::<PopupCommand>();
    check::<FilterCommand>();
}

#[test]
fn flags_come_from_the_table() {
    assert!(Command::New.writes() && Command::New.in_standup());
    assert!(!Command::Zoom.writes() && !Command::Zoom.in_standup());
    assert!(Command::Quit.required() && !Command::Suspend.required());
}
