//! A teammate's change (issue 11: on screen ≤ 1 s, no key waiting more than 16 ms behind
//! it). While the wall runs, the same binary adds an item from the command line as `bob`,
//! as a teammate would; the probe times the command's exit → the wall's Plan header
//! showing one more item, and meanwhile presses `j` and `k` at a steady pace, each timed
//! from its write to the selection marker moving, so keys around the reload are measured.
//!
//! Both are told apart on screen by what they change: the reload changes the Plan
//! column's header (its count), a key moves the selected card's `▸`; neither does the
//! other's.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::mpsc::{Receiver, TryRecvError, channel};
use std::time::{Duration, Instant};

use crate::options::Options;
use kit::term::{Res, Session};

/// The column an item added with no status lands in; its header carries the count.
pub const COLUMN: &str = "Plan (";
/// Marks the selected card of the focused column.
const SELECTED: &str = "▸";
/// The paced keys, alternately: down and back up keep the selection in view.
const KEYS: [&str; 2] = ["j", "k"];
/// Keys go on this long after the change is on screen, to catch a late redraw.
pub const KEYS_AFTER: Duration = Duration::from_millis(250);
/// How often the wall looks for other writers (`poll_ms` in the built-in config).
const POLL: Duration = Duration::from_secs(1);
/// The wall polls about once a second; three seconds on a network drive.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How often a wait looks at the clock; chunks carry their own arrival time.
const SLICE: Duration = Duration::from_millis(5);

pub struct Teammate {
    pub title: String,
    /// When the command started, as a share of the wall's poll period.
    pub phase: f64,
    /// The command, start to exit.
    pub cli_ms: f64,
    /// The command's exit → the Plan header changed on the wall; negative when the wall
    /// showed the change before the command had finished leaving.
    pub on_screen_ms: f64,
    pub keys: Vec<PacedKey>,
}

pub struct PacedKey {
    pub name: &'static str,
    /// Written this long after the command's exit (negative: before it).
    pub at_ms: f64,
    /// Write → the selection moved; `None`: not within --key-timeout.
    pub latency_ms: Option<f64>,
    /// Written before the change was on screen and redrawn after it: the key waited
    /// behind the reload, if the reload was slow.
    pub behind: bool,
}

impl Teammate {
    pub fn latencies(&self) -> Vec<f64> {
        self.keys.iter().filter_map(|k| k.latency_ms).collect()
    }

    pub fn behind(&self) -> usize {
        self.keys.iter().filter(|k| k.behind).count()
    }
}

/// The teammate's command: the binary, the board, and bob's environment.
pub struct Cli<'a> {
    pub program: &'a Path,
    pub db: &'a Path,
    pub env: Vec<(String, String)>,
    pub cwd: &'a Path,
}

fn signed_ms(later: Instant, earlier: Instant) -> f64 {
    match later.checked_duration_since(earlier) {
        Some(d) => crate::ms(d),
        None => -crate::ms(earlier - later),
    }
}

/// The Plan column's header, "Plan (313)" or "Plan (313/20 WIP)".
fn column_header(screen: &vt100::Screen) -> Option<String> {
    let text = screen.contents();
    let start = text.find(COLUMN)?;
    let end = start + text[start..].find(')')?;
    Some(text[start..=end].to_string())
}

/// Where the selected card's marker is.
fn selection(screen: &vt100::Screen) -> Option<(u16, u16)> {
    let (rows, cols) = screen.size();
    (0..rows.get())
        .flat_map(|r| (0..cols.get()).map(move |c| (r, c)))
        .find(|&(r, c)| screen.cell(r, c).is_some_and(|x| x.contents() == SELECTED))
}

/// Runs the command on a thread, which stamps its exit the moment `output` returns.
fn spawn(cli: &Cli, title: &str) -> Receiver<(Instant, std::io::Result<Output>)> {
    let mut cmd = Command::new(cli.program);
    cmd.args(["item", "add", title, "--db"])
        .arg(cli.db)
        .env_clear()
        .envs(cli.env.iter().map(|(k, v)| (k, v)))
        .current_dir(cli.cwd)
        .stdin(Stdio::null());
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let out = cmd.output();
        let _ = tx.send((Instant::now(), out));
    });
    rx
}

/// Press `key` unmeasured and wait for the screen to be quiet again.
fn press_quietly(o: &Options, s: &mut Session, key: &str) -> Res<()> {
    s.write(key.as_bytes())?;
    let now = Instant::now();
    s.wait_quiet(
        now + o.key_timeout,
        o.quiet,
        Some(now),
        &mut |_| true,
        &mut |_, _, _| {},
    )?;
    Ok(())
}

/// Looks at every chunk for the change, whatever the probe is waiting for.
struct Watch {
    header: String,
    landed: Option<Instant>,
}

impl Watch {
    fn see(&mut self, at: Instant, changed: bool, screen: &vt100::Screen) {
        if changed
            && self.landed.is_none()
            && column_header(screen).is_some_and(|h| h != self.header)
        {
            self.landed = Some(at);
        }
    }
}

/// The step: add an item as `cli` does, press keys until its change is on screen (and
/// `KEYS_AFTER` longer), and time both. The command starts `phase` (0 … 1) of a poll
/// period after the wall is ready.
pub fn measure(o: &Options, s: &mut Session, cli: &Cli, title: &str, phase: f64) -> Res<Teammate> {
    // The selection at the top of the improvements' column: `j` then moves it down.
    press_quietly(o, s, "4")?;
    press_quietly(o, s, "g")?;
    let header = column_header(s.screen())
        .ok_or_else(|| format!("no {COLUMN:?} column header on the wall"))?;
    if selection(s.screen()).is_none() {
        return Err(format!("no selected card ({SELECTED}) on the wall"));
    }
    let mut watch = Watch {
        header,
        landed: None,
    };
    // Every run reaches this point at nearly the same time after the wall's start, so
    // at the same point of its poll period: the phase spreads the runs over the period,
    // or every run would measure the same wait.
    s.pump(Instant::now() + POLL.mul_f64(phase), &mut |_, _, _| {})?;
    let started = Instant::now();
    let rx = spawn(cli, title);
    let mut exited: Option<Instant> = None;
    let mut keys = Vec::new();
    loop {
        if exited.is_none() {
            exited = exit_of(&rx)?;
        }
        let now = Instant::now();
        if exited.is_some() && watch.landed.is_some_and(|l| now >= l + KEYS_AFTER) {
            break;
        }
        if now >= started + TIMEOUT {
            return Err(match exited {
                None => format!("`obeya item add` as bob did not finish within {TIMEOUT:?}"),
                Some(_) => format!("the teammate's item was not on the wall within {TIMEOUT:?}"),
            });
        }
        if !s.alive() {
            return Err("obeya exited during the teammate's change".into());
        }
        let name = KEYS[keys.len() % KEYS.len()];
        let (kt, moved) = timed_key(o, s, name, &mut watch)?;
        keys.push((name, kt, moved));
        // Pacing, not waiting for something: the next key goes at its time.
        s.pump(kt + o.teammate_pace, &mut |at, changed, screen| {
            watch.see(at, changed, screen)
        })?;
    }
    let (landed, exited) = (watch.landed.unwrap(), exited.unwrap());
    Ok(Teammate {
        title: title.to_string(),
        phase: (phase * 1000.0).round() / 1000.0,
        cli_ms: signed_ms(exited, started),
        on_screen_ms: signed_ms(landed, exited),
        keys: keys
            .into_iter()
            .map(|(name, kt, moved)| PacedKey {
                name,
                at_ms: signed_ms(kt, exited),
                latency_ms: moved.map(|m| crate::ms(m.saturating_duration_since(kt))),
                behind: kt <= landed && moved.is_none_or(|m| m >= landed),
            })
            .collect(),
    })
}

/// The command's exit time once it has left (and succeeded).
fn exit_of(rx: &Receiver<(Instant, std::io::Result<Output>)>) -> Res<Option<Instant>> {
    match rx.try_recv() {
        Ok((at, out)) => check_exit(out).map(|()| Some(at)),
        Err(TryRecvError::Empty) => Ok(None),
        Err(TryRecvError::Disconnected) => Err("the teammate's command vanished".into()),
    }
}

/// Press `name` and wait for the selection to move: (write, the move), the move `None`
/// if it did not within --key-timeout.
fn timed_key(
    o: &Options,
    s: &mut Session,
    name: &str,
    watch: &mut Watch,
) -> Res<(Instant, Option<Instant>)> {
    let before = selection(s.screen());
    let kt = Instant::now();
    s.write(name.as_bytes())?;
    let mut moved = None;
    let limit = kt + o.key_timeout;
    while moved.is_none() && Instant::now() < limit && !s.eof {
        let until = (Instant::now() + SLICE).min(limit);
        s.pump(until, &mut |at, changed, screen| {
            watch.see(at, changed, screen);
            if changed && moved.is_none() && selection(screen) != before {
                moved = Some(at);
            }
        })?;
    }
    Ok((kt, moved))
}

fn check_exit(out: std::io::Result<Output>) -> Res<()> {
    let out = out.map_err(|e| format!("running `obeya item add` as bob: {e}"))?;
    if out.status.success() {
        return Ok(());
    }
    Err(format!(
        "`obeya item add` as bob failed ({}): {}",
        out.status,
        String::from_utf8_lossy(&out.stderr).trim()
    ))
}
