//! The wall in a real terminal (tmux) lays text out by the width the terminal uses:
//! control characters and stray zero-width characters in a teammate's title cannot
//! shift the screen or leave stale cells behind.

#[path = "common/tmux.rs"]
mod tmux;

use std::time::Duration;

use tmux::{OBEYA, Server};
use unicode_width::UnicodeWidthStr;

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
    let server = Server::new("wall");
    let s = server.session("wall", 120, 35, dir.path());
    s.run_obeya(
        &[
            ("OBEYA_USER", "alice"),
            ("TERM", "xterm-256color"),
            ("LANG", "C.UTF-8"),
        ],
        &["--db", db_s],
    );
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
    s.text("q");
    s.wait_format("#{alternate_on}", "0", T);
}
