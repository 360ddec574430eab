//! Drive the real `obeya` binary inside tmux: one private tmux server per test (its own
//! `-L` socket, no user config), shells in sessions, keys in, screen captures out.
//!
//! Waits poll the screen until the expected text shows or a deadline passes, and fail
//! with the last capture. Every timeout is a [`wait::Deadline`], so it is scaled by
//! `OBEYA_TEST_TIME_SCALE`; a plain `Duration` converts into one. Nothing here sleeps for
//! a fixed time. The server is killed when the guard drops, even on panic.
#![allow(dead_code)]

#[path = "wait.rs"]
pub mod wait;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use wait::Deadline;

/// The path of the binary under test.
pub const OBEYA: &str = env!("CARGO_BIN_EXE_obeya");

/// How long a shell may take to come back to its prompt.
const SHELL_READY: Duration = Duration::from_secs(10);

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// One private tmux server. Sessions live in it; dropping it kills the server.
pub struct Server {
    pub socket: String,
}

impl Server {
    pub fn new(tag: &str) -> Server {
        let socket = format!(
            "obeya-{tag}-{}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::SeqCst)
        );
        Server { socket }
    }

    pub fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .arg("-f")
            .arg("/dev/null")
            .args(args)
            .env_remove("TMUX")
            .env_remove("TMUX_PANE")
            .output()
            .expect("tmux runs (is it installed?)")
    }

    fn tmux_ok(&self, args: &[&str]) -> String {
        let out = self.tmux(args);
        assert!(
            out.status.success(),
            "tmux {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// A new session of `width`×`height` running a plain shell with a `$ ` prompt, in `dir`.
    pub fn session(&self, name: &str, width: u16, height: u16, dir: &Path) -> Session<'_> {
        let (w, h) = (width.to_string(), height.to_string());
        let dir = dir.to_str().expect("utf-8 temp path");
        self.tmux_ok(&[
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            &w,
            "-y",
            &h,
            "-c",
            dir,
            "env",
            "PS1=$ ",
            "LANG=C.UTF-8",
            "LC_ALL=C.UTF-8",
            "sh",
        ]);
        // (No `set -g window-size manual` here: tmux 3.3a crashes on the next
        // new-session with it. Detached sessions keep -x/-y anyway.)
        let s = Session {
            server: self,
            name: name.to_owned(),
        };
        s.wait_prompt(SHELL_READY);
        s
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let socket = self.tmux(&["display-message", "-p", "#{socket_path}"]);
        let _ = self.tmux(&["kill-server"]);
        // tmux leaves the socket file behind; tidy it away.
        let path = String::from_utf8_lossy(&socket.stdout).trim().to_owned();
        if socket.status.success() && path.ends_with(&self.socket) {
            let _ = std::fs::remove_file(path);
        }
    }
}

pub struct Session<'a> {
    server: &'a Server,
    pub name: String,
}

/// Quote for `sh`.
pub fn sh_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

impl Session<'_> {
    fn target(&self) -> String {
        format!("{}:", self.name)
    }

    /// Type a command line into the shell, once it is back at its prompt, and press Enter.
    ///
    /// A line typed earlier (say while a stopped job is still being reported) still runs,
    /// but its output lands after the prompt, on the prompt's own line, where a test that
    /// looks for it at the start of a line never finds it.
    pub fn run_line(&self, line: &str) {
        self.wait_prompt(SHELL_READY);
        self.text(line);
        self.keys(&["Enter"]);
    }

    /// Wait until the shell is idle at its prompt: the last line on the screen is `$`.
    pub fn wait_prompt(&self, timeout: impl Into<Deadline>) -> String {
        self.wait_until("the shell's prompt", timeout, |s| {
            s.lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.trim() == "$")
        })
    }

    /// Run obeya (with the given environment and arguments) from the session's shell.
    pub fn run_obeya(&self, env: &[(&str, &str)], args: &[&str]) {
        self.run_line(&obeya_line(env, args));
    }
}

/// The shell command line that runs obeya with this environment and these arguments.
pub fn obeya_line(env: &[(&str, &str)], args: &[&str]) -> String {
    {
        let mut line = String::from("env");
        for (k, v) in env {
            line.push_str(&format!(" {k}={}", sh_quote(v)));
        }
        line.push(' ');
        line.push_str(&sh_quote(OBEYA));
        for a in args {
            line.push(' ');
            line.push_str(&sh_quote(a));
        }
        line
    }
}

impl Session<'_> {
    /// Named keys (tmux key names such as `Enter`, `C-s`, `BTab`, `Up`).
    pub fn keys(&self, keys: &[&str]) {
        let t = self.target();
        let mut args = vec!["send-keys", "-t", t.as_str()];
        args.extend_from_slice(keys);
        self.server.tmux_ok(&args);
    }

    /// Literal text, Unicode included.
    pub fn text(&self, text: &str) {
        let t = self.target();
        self.server
            .tmux_ok(&["send-keys", "-t", t.as_str(), "-l", "--", text]);
    }

    /// `Escape`, then wait until `needle` (what Escape closes) is gone from the screen.
    ///
    /// A lone ESC byte followed quickly by another key reaches the program as one read
    /// and is taken for Alt+key. Waiting for Escape's own effect before the caller can
    /// send anything else keeps them apart by construction, however slow the machine.
    /// (tmux's `escape-time` does not help here: it only applies to keys tmux reads from
    /// an attached terminal, and `send-keys` writes straight to the pane.)
    pub fn escape_closing(&self, needle: &str, timeout: impl Into<Deadline>) -> String {
        self.keys(&["Escape"]);
        self.wait_gone(needle, timeout)
    }

    /// The visible screen, wrapped lines joined.
    pub fn capture(&self) -> String {
        let t = self.target();
        self.server
            .tmux_ok(&["capture-pane", "-p", "-J", "-t", t.as_str()])
    }

    /// A tmux format for the pane, e.g. `#{alternate_on}`.
    pub fn format(&self, fmt: &str) -> String {
        let t = self.target();
        self.server
            .tmux_ok(&["display-message", "-p", "-t", t.as_str(), fmt])
            .trim()
            .to_owned()
    }

    pub fn resize(&self, width: u16, height: u16) {
        let t = self.target();
        let (w, h) = (width.to_string(), height.to_string());
        self.server
            .tmux_ok(&["resize-window", "-t", t.as_str(), "-x", &w, "-y", &h]);
    }

    /// Poll the screen until `pred` holds; returns that capture, or panics with the last one.
    pub fn wait_until(
        &self,
        what: &str,
        timeout: impl Into<Deadline>,
        pred: impl Fn(&str) -> bool,
    ) -> String {
        wait::until(format!("[{}] {what}", self.name), timeout, || {
            let screen = self.capture();
            if pred(&screen) {
                Ok(screen)
            } else {
                Err(format!("screen:\n{screen}"))
            }
        })
    }

    pub fn wait_for(&self, needle: &str, timeout: impl Into<Deadline>) -> String {
        self.wait_until(&format!("{needle:?}"), timeout, |s| s.contains(needle))
    }

    pub fn wait_gone(&self, needle: &str, timeout: impl Into<Deadline>) -> String {
        self.wait_until(&format!("{needle:?} to go away"), timeout, |s| {
            !s.contains(needle)
        })
    }

    /// Poll a tmux format until it has the wanted value.
    pub fn wait_format(&self, fmt: &str, want: &str, timeout: impl Into<Deadline>) {
        wait::until(
            format!("[{}] {fmt} to be {want:?}", self.name),
            timeout,
            || {
                let got = self.format(fmt);
                if got == want {
                    Ok(())
                } else {
                    Err(format!("{fmt} was {got:?}; screen:\n{}", self.capture()))
                }
            },
        )
    }
}
