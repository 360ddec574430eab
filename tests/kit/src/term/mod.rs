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
//!   [`Session::wait_for`] and the other waits (`waits.rs`), each bounded by a
//!   [`Deadline`](crate::wait::Deadline) (scaled by `OBEYA_TEST_TIME_SCALE`) and
//!   failing with the screen as last seen.
//!
//! [`Session::hang_up`] closes the terminal as a closed window or a dropped ssh
//! connection does: the kernel hangs it up (SIGHUP to the programs on it) and their
//! reads and writes on it fail from then on. The child is always reaped:
//! [`Session::finish`] (also run on drop) hangs up, kills what is left on the terminal
//! and waits for it.

mod keys;
mod procs;
mod spawn;
mod waits;

use std::io::{Read, Write};
use std::os::unix::io::RawFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};
use rustix::process::Signal;

pub use keys::Key;
pub use procs::become_subreaper;
pub use spawn::Spawn;
pub use waits::{command_line, sh_quote};

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
                procs::signal_group(self.pid, Signal::KILL);
                if let Ok(status) = self.child.wait() {
                    self.exited = Some(status);
                }
            }
        }
        // What it left behind on the terminal (a shell's jobs).
        if self.pid > 0 {
            for p in procs::processes().iter().filter(|p| p.session == self.pid) {
                procs::signal_process(p.pid, Signal::KILL);
            }
        }
        if procs::reaps_orphans() {
            procs::reap_adopted(Instant::now() + Duration::from_secs(1));
        }
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.finish();
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
