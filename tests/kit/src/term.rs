//! One program in a pseudo-terminal, its screen read through a terminal emulator.
//!
//! A reader thread stamps every chunk of output when it arrives, before emulation; the
//! screen "changes" when its cells (text and attributes) or a visible cursor change, so
//! a repaint of identical content is no change. The child is always reaped: `Drop`
//! hangs it up, kills it if it does not leave, and waits for it.

use std::io::{Read, Write};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub struct Spawn<'a> {
    pub program: &'a Path,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    pub cwd: &'a Path,
    pub cols: u16,
    pub rows: u16,
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
    child: Box<dyn Child + Send + Sync>,
    pub pid: i32,
    _master: Box<dyn MasterPty + Send>,
    writer: Option<Box<dyn Write + Send>>,
    rx: Receiver<Chunk>,
    reader: Option<JoinHandle<()>>,
    pub eof: bool,
    exited: Option<portable_pty::ExitStatus>,
    parser: vt100::Parser<Replies>,
    screen_state: (String, Option<(u16, u16)>),
    pub t0: Instant,
    pub deadline: Instant,
    pub first_byte: Option<Instant>,
    pub last_change: Option<Instant>,
    pub changes: u64,
    pub bytes: u64,
    stop: Arc<AtomicBool>,
}

pub type Res<T> = Result<T, String>;

impl Session {
    /// Start the program; `limit` bounds the whole session (every wait checks it).
    pub fn spawn(s: &Spawn, limit: Duration, stop: Arc<AtomicBool>) -> Res<Session> {
        if !s.program.is_file() {
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
        let mut cmd = CommandBuilder::new(s.program);
        cmd.args(&s.args);
        cmd.env_clear();
        for (k, v) in &s.env {
            cmd.env(k, v);
        }
        cmd.cwd(s.cwd);
        let reader = pair
            .master
            .try_clone_reader()
            .map_err(|e| format!("pty reader: {e:#}"))?;
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
        let handle = std::thread::Builder::new()
            .name("pty-reader".into())
            .spawn(move || read_loop(reader, tx))
            .map_err(|e| format!("reader thread: {e}"))?;
        let mut parser = vt100::Parser::new_with_callbacks(
            std::num::NonZeroU16::new(s.rows).unwrap(),
            std::num::NonZeroU16::new(s.cols).unwrap(),
            0,
            Replies::default(),
        );
        parser.process(b"");
        let screen_state = state_of(parser.screen());
        Ok(Session {
            child,
            pid,
            _master: pair.master,
            writer: Some(writer),
            rx,
            reader: Some(handle),
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
    pub fn wait_exit(&mut self, within: Duration) -> Option<portable_pty::ExitStatus> {
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

    /// Hang up, kill if needed, and reap, with anything it started; then let the reader
    /// thread finish.
    pub fn finish(&mut self) {
        if self.pid > 0 && self.exited.is_none() && self.alive() {
            // SIGHUP to its process group (obeya saves and leaves), then SIGKILL.
            signal_group(self.pid, libc::SIGHUP);
            let end = Instant::now() + Duration::from_secs(3);
            while self.alive() && Instant::now() < end {
                std::thread::sleep(Duration::from_millis(10));
            }
            if self.alive() {
                signal_group(self.pid, libc::SIGKILL);
                if let Ok(status) = self.child.wait() {
                    self.exited = Some(status);
                }
            }
        }
        // Processes it left behind in its group; the probe is their subreaper.
        if self.pid > 0 && group_has_members(self.pid) {
            signal_group(self.pid, libc::SIGKILL);
        }
        reap_adopted(Instant::now() + Duration::from_secs(1));
        // The writer sends EOF on drop: only after the program is gone.
        self.writer.take();
        if let Some(h) = self.reader.take() {
            let end = Instant::now() + Duration::from_secs(2);
            while !h.is_finished() && Instant::now() < end {
                while self.rx.try_recv().is_ok() {}
                std::thread::sleep(Duration::from_millis(5));
            }
            if h.is_finished() {
                let _ = h.join();
            }
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.finish();
    }
}

fn signal_group(pgid: i32, sig: i32) {
    // SAFETY: kill has no memory preconditions; a negative pid names a process group.
    unsafe { libc::kill(-pgid, sig) };
}

/// (pid, state, ppid, pgrp) of every process.
fn processes() -> Vec<(i32, char, i32, i32)> {
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
        let f: Vec<&str> = stat[close + 2..].split_whitespace().collect();
        if let (Some(state), Some(Ok(ppid)), Some(Ok(pgrp))) = (
            f.first().and_then(|s| s.chars().next()),
            f.get(1).map(|s| s.parse()),
            f.get(2).map(|s| s.parse()),
        ) {
            out.push((pid, state, ppid, pgrp));
        }
    }
    out
}

fn group_has_members(pgid: i32) -> bool {
    processes().iter().any(|p| p.3 == pgid)
}

/// Make the probe the reaper of its children's orphans (instead of init, which in a
/// container may never reap them), so that nothing is left as a zombie.
pub fn become_subreaper() {
    // SAFETY: prctl(PR_SET_CHILD_SUBREAPER) takes plain integers.
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) };
}

/// Reap the orphans the probe adopted (its children that are no session's program).
fn reap_adopted(until: Instant) {
    let me = std::process::id() as i32;
    loop {
        let children: Vec<_> = processes().into_iter().filter(|p| p.2 == me).collect();
        // Other threads' children (a running `git`, a session's program) are not ours to
        // reap: only zombies are taken, which a program being waited for never is for long.
        let zombies: Vec<i32> = children
            .iter()
            .filter(|p| p.1 == 'Z')
            .map(|p| p.0)
            .collect();
        for pid in &zombies {
            let mut status = 0;
            // SAFETY: waitpid on a specific child pid with WNOHANG.
            unsafe { libc::waitpid(*pid, &mut status, libc::WNOHANG) };
        }
        if children.len() == zombies.len() || Instant::now() >= until {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

fn read_loop(mut reader: Box<dyn Read + Send>, tx: std::sync::mpsc::Sender<Chunk>) {
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let at = Instant::now();
                if tx.send(Chunk::Data(at, buf[..n].to_vec())).is_err() {
                    return;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            // EIO: the program closed the terminal (exited).
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

// ---------------------------------------------------------------- /proc ----

/// utime + stime of the process (all its threads), in clock ticks.
pub fn cpu_ticks(pid: i32) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = &s[s.rfind(')')? + 2..];
    let f: Vec<&str> = rest.split_whitespace().collect();
    // rest[0] is field 3 (state); utime is field 14, stime 15.
    Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
}

/// The process state letter from /proc/PID/stat: R running, S sleeping, …
pub fn proc_state(pid: i32) -> Option<char> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    s[s.rfind(')')? + 2..].chars().next()
}

/// CPU time of the process's live threads in nanoseconds (schedstat; finer than ticks).
pub fn cpu_ns(pid: i32) -> Option<u64> {
    let mut total = 0;
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).ok()? {
        let p = task.ok()?.path().join("schedstat");
        if let Ok(s) = std::fs::read_to_string(p) {
            total += s.split_whitespace().next()?.parse::<u64>().ok()?;
        }
    }
    Some(total)
}

pub fn clock_ticks() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 { t as u64 } else { 100 }
}

pub fn status_kb(pid: i32, field: &str) -> Option<u64> {
    let s = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    s.lines()
        .find_map(|l| l.strip_prefix(field)?.strip_prefix(':'))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()
}
