//! The wall in a real terminal lays text out by the width the terminal uses:
//! control characters and stray zero-width characters in a teammate's title cannot
//! shift the screen or leave stale cells behind.

use std::time::Duration;

use kit::term::{Session, Spawn};
use unicode_width::UnicodeWidthStr;

use crate::OBEYA;

const T: Duration = Duration::from_secs(10);

#[test]
fn hostile_characters_in_titles_keep_every_row_of_the_wall_whole() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("team.db");
    let db_s = db.to_str().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(OBEYA)
            .args(args)
            .args(["--db", db_s, "--user", "mallory"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(&["init"]);
    // A stray joiner, a right-to-left override, a bell and an escape sequence.
    run(&[
        "item",
        "add",
        "Zero\u{200D}width\u{202E} joiner\u{7}\u{1b}[2J test",
    ]);
    let spawn = Spawn::new(OBEYA)
        .args(["--db", db_s])
        .env("OBEYA_USER", "alice")
        .env("TERM", "xterm-256color")
        .env("LANG", "C.UTF-8")
        .cwd(dir.path())
        .size(120, 35);
    let mut s = Session::start("wall", &spawn);
    s.wait_for("? help", T);
    // The last card of Plan: selected, so in view.
    s.type_text("G");
    let screen = s.wait_for("#9 Zerowidth", T);
    assert!(
        screen.contains("␇␛[2J"),
        "controls shown as symbols:\n{screen}"
    );
    // Every row is exactly as wide as the terminal: nothing shifted, nothing left over.
    for (n, row) in screen.lines().enumerate().take(34) {
        let trimmed = row.trim_end();
        let expected_edge = row.starts_with('┌') || row.starts_with('│') || row.starts_with('└');
        if expected_edge {
            assert_eq!(
                trimmed.width(),
                120,
                "row {n} is {} wide:\n{screen}",
                trimmed.width()
            );
        }
    }
    s.type_text("q");
    s.wait_alternate(false, T);
}

/// `NO_COLOR` set to anything turns the wall's colours off; set but empty, it does not
/// (no-color.org).
#[test]
fn no_color_turns_the_colours_off_unless_it_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("team.db");
    let out = std::process::Command::new(OBEYA)
        .args(["init", "--user", "alice", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for (no_color, coloured) in [("", true), ("1", false)] {
        let spawn = Spawn::new(OBEYA)
            .arg("--db")
            .arg(&db)
            .env("OBEYA_USER", "alice")
            .env("TERM", "xterm-256color")
            .env("NO_COLOR", no_color)
            .cwd(dir.path())
            .size(120, 40);
        let mut s = Session::start("wall", &spawn);
        s.wait_for("? help", T);
        let screen = s.screen();
        let colours = (0..40)
            .flat_map(|row| (0..120).map(move |col| (row, col)))
            .filter_map(|(row, col)| screen.cell(row, col))
            .filter(|c| {
                c.fgcolor() != vt100::Color::Default || c.bgcolor() != vt100::Color::Default
            })
            .count();
        assert_eq!(
            colours > 0,
            coloured,
            "NO_COLOR={no_color:?}: {colours} cells in colour"
        );
        s.type_text("q");
        s.wait_alternate(false, T);
    }
}
