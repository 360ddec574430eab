//! A program in a pseudo-terminal, its screen read through a terminal emulator
//! (`vt100`): the one terminal harness of the tests and of the probe bench.
//!
//! A reader thread stamps every chunk of output when it arrives, before emulation; the
//! screen "changes" when its cells (text and attributes) or a visible cursor change, so
//! a repaint of identical content is no change. Terminal queries (cursor position,
//! device attributes) are answered, so a program that asks does not stall.
//!
//! Two ways in:
//! - the probe measures: [`Session::spawn`] with a limit for the whole session, then
//!   [`Session::pump`] and [`Session::wait_quiet`] with their per-chunk callbacks;
//! - the tests wait: [`Session::start`] (or [`Session::shell`]), then
//!   [`Session::wait_for`] and the other waits, each bounded by a [`Deadline`] (scaled by
//!   `OBEYA_TEST_TIME_SCALE`) and failing with the screen as last seen.
//!
//! [`Session::hang_up`] closes the terminal as a closed window or a dropped ssh
//! connection does: the kernel hangs it up (SIGHUP to the programs on it) and their
//! reads and writes on it fail from then on. The child is always reaped:
//! [`Session::finish`] (also run on drop) hangs up, kills what is left on the terminal
//! and waits for it.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::os::unix::io::RawFd;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use rustix::process::{Pid, Signal};

use crate::wait::{self, Deadline};

/// How long a shell may take to come back to its prompt.
const SHELL_READY: Duration = Duration::from_secs(10);

/// What to run in the terminal, and the terminal's size.
#[derive(Debug, Clone)]
pub struct Spawn {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    /// Set over the test's own environment (or over nothing, with `clear_env`).
    pub env: Vec<(OsString, OsString)>,
    /// Start from an empty environment instead of the test's own.
    pub clear_env: bool,
    pub cwd: PathBuf,
    pub cols: u16,
    pub rows: u16,
}

impl Spawn {
    /// `program` in a 120×40 terminal, in the current folder, with the test's own
    /// environment less `OBEYA_DB` and `OBEYA_CONFIG` (a developer's board and config
    /// stay out of the tests).
    pub fn new(program: impl Into<PathBuf>) -> Spawn {
        Spawn {
            program: program.into(),
            args: Vec::new(),
            env: Vec::new(),
            clear_env: false,
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
            cols: 120,
            rows: 40,
        }
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Spawn {
        self.args.push(arg.into());
        self
    }

    pub fn args<S: Into<OsString>>(mut self, args: impl IntoIterator<Item = S>) -> Spawn {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Spawn {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn envs<K: Into<OsString>, V: Into<OsString>>(
        mut self,
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Spawn {
        self.env
            .extend(vars.into_iter().map(|(k, v)| (k.into(), v.into())));
        self
    }

    pub fn clear_env(mut self) -> Spawn {
        self.clear_env = true;
        self
    }

    pub fn cwd(mut self, dir: impl Into<PathBuf>) -> Spawn {
        self.cwd = dir.into();
        self
    }

    pub fn size(mut self, cols: u16, rows: u16) -> Spawn {
        self.cols = cols;
        self.rows = rows;
        self
    }
}

enum Chunk {
    Data(Instant, Vec<u8>),
    End,
}

/// Answers the terminal queries a program may send (cursor position, device
/// attributes), so a program that asks does not stall.
#[derive(Default)]
pub struct Replies {
    pending: Vec<u8>,
}

impl vt100::Callbacks for Replies {
    fn unhandled_csi(
        &mut self,
        screen: &mut vt100::Screen,
        i1: Option<u8>,
        _i2: Option<u8>,
        params: &[&[u16]],
        c: char,
    ) {
        match (i1, c, params) {
            (None, 'n', [[6]]) => {
                let (row, col) = screen.cursor_position();
                self.pending
                    .extend(format!("\x1b[{};{}R", row + 1, col + 1).as_bytes());
            }
            (None, 'n', [[5]]) => self.pending.extend(b"\x1b[0n"),
            (None, 'c', [] | [[0]]) => self.pending.extend(b"\x1b[?62;22c"),
            _ => {}
        }
    }
}

pub struct Session {
    /// Who or what runs here, for messages (`alice`, `wall`).
    pub name: String,
    child: Box<dyn Child + Send + Sync>,
    /// The program's process id; it leads the terminal's session and process group.
    pub pid: i32,
    master: Option<Box<dyn MasterPty + Send>>,
    writer: Option<Box<dyn Write + Send>>,
    rx: Receiver<Chunk>,
    reader: Option<JoinHandle<()>>,
    /// Cleared to end the reader thread.
    reading: Arc<AtomicBool>,
    pub eof: bool,
    exited: Option<ExitStatus>,
    parser: vt100::Parser<Replies>,
    screen_state: (String, Option<(u16, u16)>),
    pub t0: Instant,
    /// Past it every read fails: the bound of a whole probe run.
    pub deadline: Instant,
    pub first_byte: Option<Instant>,
    pub last_change: Option<Instant>,
    pub changes: u64,
    pub bytes: u64,
    stop: Arc<AtomicBool>,
}

pub type Res<T> = Result<T, String>;

/// Whether this process reaps the orphans of its children ([`become_subreaper`]).
static SUBREAPER: AtomicBool = AtomicBool::new(false);

impl Session {
    /// Start the program; `limit` bounds the whole session (every read checks it), and
    /// `stop` set ends it early.
    pub fn spawn(s: &Spawn, limit: Duration, stop: Arc<AtomicBool>) -> Res<Session> {
        if s.program.components().count() > 1 && !s.program.is_file() {
            return Err(format!(
                "the binary {} does not exist (run `cargo build --release`, or give --bin)",
                s.program.display()
            ));
        }
        let pair = native_pty_system()
            .openpty(PtySize {
                rows: s.rows,
                cols: s.cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(|e| format!("opening a pseudo-terminal: {e:#}"))?;
        let mut cmd = CommandBuilder::new(&s.program);
        cmd.args(&s.args);
        if s.clear_env {
            cmd.env_clear();
        } else {
            cmd.env_remove("OBEYA_DB");
            cmd.env_remove("OBEYA_CONFIG");
        }
        for (k, v) in &s.env {
            cmd.env(k, v);
        }
        cmd.cwd(&s.cwd);
        let reader = pair
            .master
            .try_clone_reader()
            .map_err(|e| format!("pty reader: {e:#}"))?;
        let fd = pair
            .master
            .as_raw_fd()
            .ok_or("the pseudo-terminal has no file descriptor")?;
        let writer = pair
            .master
            .take_writer()
            .map_err(|e| format!("pty writer: {e:#}"))?;
        let (tx, rx) = channel();
        let t0 = Instant::now();
        let child = pair
            .slave
            .spawn_command(cmd)
            .map_err(|e| format!("starting {}: {e:#}", s.program.display()))?;
        // Our copy of the slave side must go, or the reader never sees the end.
        drop(pair.slave);
        let pid = child.process_id().map(|p| p as i32).unwrap_or(0);
        let reading = Arc::new(AtomicBool::new(true));
        let go_on = Arc::clone(&reading);
        let handle = std::thread::Builder::new()
            .name("pty-reader".into())
            .spawn(move || read_loop(reader, fd, tx, &go_on))
            .map_err(|e| format!("reader thread: {e}"))?;
        let mut parser = vt100::Parser::new_with_callbacks(
            std::num::NonZeroU16::new(s.rows).ok_or("a terminal needs rows")?,
            std::num::NonZeroU16::new(s.cols).ok_or("a terminal needs columns")?,
            0,
            Replies::default(),
        );
        parser.process(b"");
        let screen_state = state_of(parser.screen());
        Ok(Session {
            name: s
                .program
                .file_name()
                .map_or("terminal".into(), |n| n.to_string_lossy().into_owned()),
            child,
            pid,
            master: Some(pair.master),
            writer: Some(writer),
            rx,
            reader: Some(handle),
            reading,
            eof: false,
            exited: None,
            parser,
            screen_state,
            t0,
            deadline: t0 + limit,
            first_byte: None,
            last_change: None,
            changes: 0,
            bytes: 0,
            stop,
        })
    }

    pub fn screen(&self) -> &vt100::Screen {
        self.parser.screen()
    }

    /// The screen's text: a line per row (rows the program wrapped joined), trailing
    /// blanks trimmed.
    pub fn text(&self) -> String {
        self.screen().contents()
    }

    fn check(&self) -> Res<()> {
        if self.stop.load(Ordering::Relaxed) {
            return Err("interrupted".into());
        }
        if Instant::now() > self.deadline {
            return Err("the run took longer than --run-timeout".into());
        }
        Ok(())
    }

    fn take(&mut self, chunk: Chunk, on_chunk: &mut dyn FnMut(Instant, bool, &vt100::Screen)) {
        match chunk {
            Chunk::End => self.eof = true,
            Chunk::Data(at, bytes) => {
                self.bytes += bytes.len() as u64;
                self.first_byte.get_or_insert(at);
                self.parser.process(&bytes);
                let replies = std::mem::take(&mut self.parser.callbacks_mut().pending);
                if !replies.is_empty() {
                    let _ = self.write(&replies);
                }
                let state = state_of(self.parser.screen());
                let changed = state != self.screen_state;
                if changed {
                    self.screen_state = state;
                    self.last_change = Some(at);
                    self.changes += 1;
                }
                on_chunk(at, changed, self.parser.screen());
            }
        }
    }

    /// Read output until `until` (then whatever has already arrived), or the end.
    pub fn pump(
        &mut self,
        until: Instant,
        on_chunk: &mut dyn FnMut(Instant, bool, &vt100::Screen),
    ) -> Res<()> {
        loop {
            self.check()?;
            if self.eof {
                return Ok(());
            }
            let now = Instant::now();
            let wait = until
                .saturating_duration_since(now)
                .min(Duration::from_millis(20));
            match self.rx.recv_timeout(wait) {
                Ok(chunk) => self.take(chunk, on_chunk),
                Err(RecvTimeoutError::Timeout) => {
                    if Instant::now() >= until {
                        return Ok(());
                    }
                }
                Err(RecvTimeoutError::Disconnected) => self.eof = true,
            }
        }
    }

    /// Take what has already arrived, without waiting.
    fn drain(&mut self, on_chunk: &mut dyn FnMut(Instant, bool, &vt100::Screen)) -> Res<()> {
        self.pump(Instant::now(), on_chunk)
    }

    /// Wait until the screen has not changed for `quiet` and `ready` holds. Returns the
    /// time of the last change before the quiet window (or `since` if nothing changed),
    /// or `None` if that did not happen by `limit` or the program closed the terminal.
    pub fn wait_quiet(
        &mut self,
        limit: Instant,
        quiet: Duration,
        since: Option<Instant>,
        ready: &mut dyn FnMut(&vt100::Screen) -> bool,
        on_chunk: &mut dyn FnMut(Instant, bool, &vt100::Screen),
    ) -> Res<Option<Instant>> {
        loop {
            self.drain(on_chunk)?;
            let now = Instant::now();
            let reference = self.last_change.or(since);
            if let Some(r) = reference
                && now.saturating_duration_since(r) >= quiet
                && ready(self.parser.screen())
            {
                return Ok(Some(r));
            }
            if self.eof {
                let ok = reference.is_some() && ready(self.parser.screen());
                return Ok(if ok { reference } else { None });
            }
            if now >= limit {
                return Ok(None);
            }
            let wait = match reference {
                Some(r) if now.saturating_duration_since(r) < quiet => r + quiet - now,
                _ => quiet,
            };
            self.pump((now + wait).min(limit), on_chunk)?;
        }
    }

    pub fn write(&mut self, bytes: &[u8]) -> Res<()> {
        let w = self.writer.as_mut().ok_or("the terminal is closed")?;
        w.write_all(bytes)
            .and_then(|_| w.flush())
            .map_err(|e| format!("writing to the terminal: {e}"))
    }

    pub fn application_cursor(&self) -> bool {
        self.screen().application_cursor()
    }

    pub fn alive(&mut self) -> bool {
        if self.exited.is_none()
            && let Ok(Some(status)) = self.child.try_wait()
        {
            self.exited = Some(status);
        }
        self.exited.is_none()
    }

    /// Wait up to `within` for the program to leave by itself (reading its output).
    pub fn wait_exit(&mut self, within: Duration) -> Option<ExitStatus> {
        let end = Instant::now() + within;
        while self.alive() && Instant::now() < end {
            let until = (Instant::now() + Duration::from_millis(10)).min(end);
            if self.eof {
                std::thread::sleep(Duration::from_millis(5));
            } else if self.pump(until, &mut |_, _, _| {}).is_err() {
                break;
            }
        }
        self.alive();
        self.exited.clone()
    }

    /// Make the terminal `cols`×`rows`: the program gets SIGWINCH, as from a window
    /// resized by hand.
    pub fn resize(&mut self, cols: u16, rows: u16) -> Res<()> {
        let master = self.master.as_ref().ok_or("the terminal is closed")?;
        master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .map_err(|e| format!("resizing the terminal: {e:#}"))?;
        let (Some(r), Some(c)) = (
            std::num::NonZeroU16::new(rows),
            std::num::NonZeroU16::new(cols),
        ) else {
            return Err("a terminal needs rows and columns".into());
        };
        self.parser.set_size(r, c);
        Ok(())
    }

    /// Close the terminal, as a closed window or a dropped connection does: once the
    /// last descriptor of its master side is closed, the kernel hangs it up. What was
    /// on the screen stays readable here.
    ///
    /// (portable-pty's writer types a newline and the end-of-file character as it
    /// closes: to a program in raw mode, Ctrl-J and Ctrl-D just before the hang-up.)
    pub fn hang_up(&mut self) {
        self.reading.store(false, Ordering::Relaxed);
        if let Some(h) = self.reader.take() {
            // The reader looks at `reading` at least every 20 ms.
            let _ = h.join();
        }
        // Output read but not yet taken is still on the screen's way.
        while let Ok(chunk) = self.rx.try_recv() {
            self.take(chunk, &mut |_, _, _| {});
        }
        self.eof = true;
        self.writer.take();
        self.master.take();
    }

    /// Hang up, kill what is left on the terminal, and reap the program; orphans too
    /// where this process reaps them ([`become_subreaper`]).
    pub fn finish(&mut self) {
        self.hang_up();
        if self.pid > 0 && self.exited.is_none() && self.alive() {
            // The hang-up sent SIGHUP (obeya saves and leaves); then SIGKILL.
            let end = Instant::now() + Duration::from_secs(3);
            while self.alive() && Instant::now() < end {
                std::thread::sleep(Duration::from_millis(10));
            }
            if self.alive() {
                signal_group(self.pid, Signal::KILL);
                if let Ok(status) = self.child.wait() {
                    self.exited = Some(status);
                }
            }
        }
        // What it left behind on the terminal (a shell's jobs).
        if self.pid > 0 {
            for p in processes().iter().filter(|p| p.session == self.pid) {
                signal_process(p.pid, Signal::KILL);
            }
        }
        if SUBREAPER.load(Ordering::Relaxed) {
            reap_adopted(Instant::now() + Duration::from_secs(1));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.finish();
    }
}

// ------------------------------------------------------------------ the tests' side

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
        processes()
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

// ------------------------------------------------------------------ keys

/// A key as a terminal sends it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    Raw(Vec<u8>),
    /// Arrow and home/end keys: CSI or SS3 depending on the terminal's cursor key mode.
    Cursor(u8),
}

impl Key {
    /// `enter` (`ret`), `esc`, `tab`, `backtab`, `space`, `backspace` (`bs`), `comma`,
    /// `pgup`, `pgdn`, `up`, `down`, `right`, `left`, `home`, `end`, `c-x` (Ctrl+letter),
    /// or a single character.
    pub fn named(name: &str) -> Result<Key, String> {
        let raw = |b: &[u8]| Key::Raw(b.to_vec());
        Ok(match name.to_ascii_lowercase().as_str() {
            "enter" | "ret" => raw(b"\r"),
            "esc" => raw(b"\x1b"),
            "tab" => raw(b"\t"),
            "backtab" => raw(b"\x1b[Z"),
            "space" => raw(b" "),
            "backspace" | "bs" => raw(b"\x7f"),
            "comma" => raw(b","),
            "pgup" => raw(b"\x1b[5~"),
            "pgdn" => raw(b"\x1b[6~"),
            "up" => Key::Cursor(b'A'),
            "down" => Key::Cursor(b'B'),
            "right" => Key::Cursor(b'C'),
            "left" => Key::Cursor(b'D'),
            "home" => Key::Cursor(b'H'),
            "end" => Key::Cursor(b'F'),
            _ => {
                let chars: Vec<char> = name.chars().collect();
                match chars.as_slice() {
                    [c] => Key::Raw(c.to_string().into_bytes()),
                    ['C' | 'c', '-', c] if c.is_ascii_alphabetic() => {
                        Key::Raw(vec![c.to_ascii_lowercase() as u8 & 0x1f])
                    }
                    _ => return Err(format!("unknown key {name:?}")),
                }
            }
        })
    }

    pub fn encode(&self, application_cursor: bool) -> Vec<u8> {
        match self {
            Key::Raw(b) => b.clone(),
            Key::Cursor(c) => {
                let lead: &[u8] = if application_cursor {
                    b"\x1bO"
                } else {
                    b"\x1b["
                };
                let mut v = lead.to_vec();
                v.push(*c);
                v
            }
        }
    }
}

// ------------------------------------------------------------------ processes

fn signal_group(pgid: i32, sig: Signal) {
    if let Some(pid) = Pid::from_raw(pgid) {
        let _ = rustix::process::kill_process_group(pid, sig);
    }
}

fn signal_process(pid: i32, sig: Signal) {
    if let Some(pid) = Pid::from_raw(pid) {
        let _ = rustix::process::kill_process(pid, sig);
    }
}

/// One line of `/proc/PID/stat`, the fields used here.
struct Process {
    pid: i32,
    state: char,
    parent: i32,
    session: i32,
}

/// Every process.
fn processes() -> Vec<Process> {
    let mut out = Vec::new();
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return out;
    };
    for e in dir.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|n| n.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        let Some(close) = stat.rfind(')') else {
            continue;
        };
        // After the name: state, ppid, pgrp, session.
        let f: Vec<&str> = stat[close + 2..].split_whitespace().collect();
        if let (Some(state), Some(Ok(parent)), Some(Ok(session))) = (
            f.first().and_then(|s| s.chars().next()),
            f.get(1).map(|s| s.parse()),
            f.get(3).map(|s| s.parse()),
        ) {
            out.push(Process {
                pid,
                state,
                parent,
                session,
            });
        }
    }
    out
}

/// Make this process the reaper of its children's orphans (instead of init, which in
/// a container may never reap them), so that nothing is left as a zombie. For a
/// program that runs nothing else meanwhile (the probe): [`Session::finish`] then reaps
/// every child of this process that has become a zombie.
pub fn become_subreaper() {
    if rustix::process::set_child_subreaper(Some(rustix::process::getpid())).is_ok() {
        SUBREAPER.store(true, Ordering::Relaxed);
    }
}

/// Reap the orphans this process adopted (its children that are no session's program).
fn reap_adopted(until: Instant) {
    let me = std::process::id() as i32;
    loop {
        let children: Vec<_> = processes().into_iter().filter(|p| p.parent == me).collect();
        // Other threads' children (a running `git`, a session's program) are not ours to
        // reap: only zombies are taken, which a program being waited for never is for long.
        let zombies: Vec<i32> = children
            .iter()
            .filter(|p| p.state == 'Z')
            .map(|p| p.pid)
            .collect();
        for pid in zombies.iter().filter_map(|&p| Pid::from_raw(p)) {
            let _ = rustix::process::waitpid(Some(pid), rustix::process::WaitOptions::NOHANG);
        }
        if children.len() == zombies.len() || Instant::now() >= until {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Read the terminal until it ends or `reading` is cleared. The master's descriptor
/// `fd` (the same terminal as `reader`'s) is polled first, so no read blocks for long;
/// the session keeps it open until this thread has ended.
fn read_loop(
    mut reader: Box<dyn Read + Send>,
    fd: RawFd,
    tx: std::sync::mpsc::Sender<Chunk>,
    reading: &AtomicBool,
) {
    let mut buf = vec![0u8; 1 << 16];
    while reading.load(Ordering::Relaxed) {
        let mut pfd = [filedescriptor::pollfd {
            fd,
            events: filedescriptor::POLLIN,
            revents: 0,
        }];
        match filedescriptor::poll(&mut pfd, Some(Duration::from_millis(20))) {
            Ok(0) => continue,
            Ok(_) => {}
            Err(filedescriptor::Error::Poll(e)) if e.kind() == std::io::ErrorKind::Interrupted => {
                continue;
            }
            Err(_) => break,
        }
        match reader.read(&mut buf) {
            // EOF, or EIO (portable-pty reads it as EOF): the program closed the terminal.
            Ok(0) => break,
            Ok(n) => {
                let at = Instant::now();
                if tx.send(Chunk::Data(at, buf[..n].to_vec())).is_err() {
                    return;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
    }
    let _ = tx.send(Chunk::End);
}

/// What the eye sees: the text and attributes of every cell, and the cursor if shown.
fn state_of(screen: &vt100::Screen) -> (String, Option<(u16, u16)>) {
    let cursor = (!screen.hide_cursor()).then(|| screen.cursor_position());
    (screen.contents_formatted_basic(), cursor)
}
