//! The tests' side of a session: waits bounded by a [`Deadline`] that fail the test
//! with the screen as last seen, keys typed by name, and a shell to run lines in.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use portable_pty::ExitStatus;

use super::{Key, Session, Spawn, procs};
use crate::wait::{self, Deadline};

/// How long a shell may take to come back to its prompt.
const SHELL_READY: Duration = Duration::from_secs(10);

impl Session {
    /// Start `spawn` for a test, with no limit but the test's own deadlines; fails the
    /// test if the terminal cannot be made.
    pub fn start(name: &str, spawn: &Spawn) -> Session {
        let mut s = Session::spawn(
            spawn,
            Duration::from_secs(24 * 3600),
            Arc::new(AtomicBool::new(false)),
        )
        .unwrap_or_else(|e| panic!("[{name}] {e}"));
        s.name = name.to_owned();
        s
    }

    /// A plain `sh` with a `$ ` prompt in `dir`, at its prompt.
    pub fn shell(name: &str, dir: &Path, cols: u16, rows: u16) -> Session {
        let spawn = Spawn::new("sh")
            .env("PS1", "$ ")
            .env("LANG", "C.UTF-8")
            .env("LC_ALL", "C.UTF-8")
            .cwd(dir)
            .size(cols, rows);
        let mut s = Session::start(name, &spawn);
        s.wait_prompt(SHELL_READY);
        s
    }

    /// Take what has arrived; fails the test if the session cannot be read.
    fn refresh(&mut self) {
        if let Err(e) = self.drain(&mut |_, _, _| {}) {
            panic!("[{}] {e}", self.name);
        }
    }

    /// The screen's text with everything that has arrived so far.
    pub fn read_screen(&mut self) -> String {
        self.refresh();
        self.text()
    }

    /// Read the screen until `pred` holds on it; returns it, or fails the test with the
    /// screen as last seen when the deadline passes.
    #[track_caller]
    pub fn wait_screen<T>(
        &mut self,
        what: &str,
        deadline: impl Into<Deadline>,
        mut pred: impl FnMut(&vt100::Screen) -> Option<T>,
    ) -> T {
        let name = self.name.clone();
        wait::until(format!("[{name}] {what}"), deadline, || {
            self.refresh();
            pred(self.screen()).ok_or_else(|| format!("screen:\n{}", self.text()))
        })
    }

    /// Read the screen until its text satisfies `pred`; returns that text.
    #[track_caller]
    pub fn wait_until(
        &mut self,
        what: &str,
        deadline: impl Into<Deadline>,
        pred: impl Fn(&str) -> bool,
    ) -> String {
        self.wait_screen(what, deadline, |s| {
            let text = s.contents();
            pred(&text).then_some(text)
        })
    }

    #[track_caller]
    pub fn wait_for(&mut self, needle: &str, deadline: impl Into<Deadline>) -> String {
        self.wait_until(&format!("{needle:?}"), deadline, |s| s.contains(needle))
    }

    #[track_caller]
    pub fn wait_gone(&mut self, needle: &str, deadline: impl Into<Deadline>) -> String {
        self.wait_until(&format!("{needle:?} to go away"), deadline, |s| {
            !s.contains(needle)
        })
    }

    /// Wait until the program has switched to the alternate screen (`on`) or back.
    #[track_caller]
    pub fn wait_alternate(&mut self, on: bool, deadline: impl Into<Deadline>) {
        let what = if on {
            "the alternate screen"
        } else {
            "the normal screen"
        };
        self.wait_screen(what, deadline, |s| {
            (s.alternate_screen() == on).then_some(())
        });
    }

    /// The terminal is as the program found it: the normal screen, the cursor shown,
    /// no mouse reporting and no bracketed paste left switched on.
    #[track_caller]
    pub fn assert_restored(&mut self) {
        self.wait_alternate(false, Duration::from_secs(10));
        let s = self.screen();
        let left = [
            (s.hide_cursor(), "the cursor hidden"),
            (
                s.mouse_protocol_mode() != vt100::MouseProtocolMode::None,
                "mouse reporting on",
            ),
            (s.bracketed_paste(), "bracketed paste on"),
        ];
        for (on, what) in left {
            assert!(!on, "[{}] the terminal was left with {what}", self.name);
        }
    }

    /// Whether the cursor is shown.
    pub fn cursor_visible(&self) -> bool {
        !self.screen().hide_cursor()
    }

    /// Literal text, Unicode included, as typed.
    pub fn type_text(&mut self, text: &str) {
        if let Err(e) = self.write(text.as_bytes()) {
            panic!("[{}] {e}", self.name);
        }
    }

    /// A named key ([`Key::named`]: `enter`, `tab`, `backtab`, `bs`, `esc`, `c-s`, `up`…).
    pub fn press(&mut self, key: &str) {
        self.press_n(key, 1);
    }

    /// A named key `n` times, in one write.
    pub fn press_n(&mut self, key: &str, n: usize) {
        let bytes = Key::named(key)
            .unwrap_or_else(|e| panic!("{e}"))
            .encode(self.application_cursor())
            .repeat(n);
        if let Err(e) = self.write(&bytes) {
            panic!("[{}] {e}", self.name);
        }
    }

    /// `Escape`, then wait until `needle` (what Escape closes) is gone from the screen.
    ///
    /// A lone ESC byte followed quickly by another key reaches the program as one read
    /// and is taken for Alt+key. Waiting for Escape's own effect before the caller can
    /// send anything else keeps them apart by construction, however slow the machine.
    #[track_caller]
    pub fn escape_closing(&mut self, needle: &str, deadline: impl Into<Deadline>) -> String {
        self.press("esc");
        self.wait_gone(needle, deadline)
    }

    /// Wait until the program has exited and its last output is read; its exit status.
    #[track_caller]
    pub fn wait_for_exit(&mut self, deadline: impl Into<Deadline>) -> ExitStatus {
        let name = self.name.clone();
        wait::until(format!("[{name}] the program to exit"), deadline, || {
            self.refresh();
            match (self.alive(), self.eof) {
                (false, true) => Ok(self.exited.clone().expect("an exit status")),
                (false, false) => Err(format!("exited; its last output:\n{}", self.text())),
                (true, _) => Err(format!("still running; screen:\n{}", self.text())),
            }
        })
    }

    // -------------------------------------------------------------- in a shell

    /// Wait until the shell is idle at its prompt: the last line on the screen is `$`.
    #[track_caller]
    pub fn wait_prompt(&mut self, deadline: impl Into<Deadline>) -> String {
        self.wait_until("the shell's prompt", deadline, |s| {
            s.lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.trim() == "$")
        })
    }

    /// Type a command line into the shell, once it is back at its prompt, and press
    /// Enter.
    ///
    /// A line typed earlier (say while a stopped job is still being reported) still runs,
    /// but its output lands after the prompt, on the prompt's own line, where a test that
    /// looks for it at the start of a line never finds it.
    #[track_caller]
    pub fn run_line(&mut self, line: &str) {
        self.wait_prompt(SHELL_READY);
        self.type_text(line);
        self.press("enter");
    }

    /// The processes the shell (or the program) started and that are still there.
    pub fn children(&self) -> Vec<i32> {
        procs::processes()
            .iter()
            .filter(|p| p.parent == self.pid && p.state != 'Z')
            .map(|p| p.pid)
            .collect()
    }

    /// The one program the shell is running; fails the test if there is not exactly one.
    #[track_caller]
    pub fn only_child(&mut self, deadline: impl Into<Deadline>) -> i32 {
        let name = self.name.clone();
        wait::until(
            format!("[{name}] one program in the shell"),
            deadline,
            || match self.children()[..] {
                [pid] => Ok(pid),
                ref other => Err(format!("children {other:?}")),
            },
        )
    }
}

/// Quote for `sh`.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The shell command line that runs `program` with this environment and these
/// arguments.
pub fn command_line(program: &Path, env: &[(&str, &str)], args: &[&str]) -> String {
    let mut line = String::from("env");
    for (k, v) in env {
        line.push_str(&format!(" {k}={}", sh_quote(v)));
    }
    line.push(' ');
    line.push_str(&sh_quote(&program.to_string_lossy()));
    for a in args {
        line.push(' ');
        line.push_str(&sh_quote(a));
    }
    line
}
