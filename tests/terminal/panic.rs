//! A panic inside the wall still gives the terminal back. Nothing a user can type
//! panics (`board::keys_prop` checks that), so the debug build's `OBEYA_TEST_PANIC`
//! makes one once the wall has drawn.

use std::time::Duration;

use kit::term::{Session, command_line};

use crate::OBEYA;

const T: Duration = Duration::from_secs(10);

#[test]
fn a_panic_gives_the_terminal_back_and_says_what_happened() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let p = |s: &str| root.join(s).to_str().unwrap().to_owned();
    let (home, data, config) = (p("home"), p("data"), p("config"));
    let env = [
        ("HOME", home.as_str()),
        ("XDG_DATA_HOME", data.as_str()),
        ("XDG_CONFIG_HOME", config.as_str()),
        ("OBEYA_USER", "alice"),
        ("TERM", "xterm-256color"),
        ("LANG", "C.UTF-8"),
        ("OBEYA_TEST_PANIC", "1"),
        ("RUST_BACKTRACE", "0"),
    ];
    let mut s = Session::shell("panic", root, 100, 30);
    // The first run: the starter board is made, the wall draws, and panics.
    s.run_line(&command_line(OBEYA.as_ref(), &env, &[]));
    s.wait_for("a panic on purpose", T);
    s.assert_restored();
    s.run_line("echo EXIT_$?");
    let screen = s.wait_until("the exit code", T, |s| s.contains("EXIT_101"));
    // The message stays readable: the shell writes below it, not over it.
    let line = |needle: &str| screen.lines().position(|l| l.contains(needle));
    assert!(line("a panic on purpose") < line("EXIT_101"), "{screen}");
    // The shell reads lines again, with echo.
    s.run_line("echo OK_$((40+2))");
    s.wait_until("the echo", T, |s| s.lines().any(|l| l == "OK_42"));
}
