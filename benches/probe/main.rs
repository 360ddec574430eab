//! The wall measured on the real release binary in a pseudo-terminal, as a person sees
//! it: `cargo bench --bench probe` (options: `cargo bench --bench probe -- --help`).
//!
//! For each board size (generated once and cached, see `kit::generated`) and each
//! page-cache state (warm; cold = the board evicted before every launch, see
//! `cache.rs`), the probe starts `obeya --db BOARD` in a 120×40 pseudo-terminal with a
//! private home, reads the screen through a terminal emulator (`kit::term`, on
//! `vt100`), and measures per run:
//!
//! - time to first frame: spawn → the status bar's "? help" is on screen and the
//!   screen has then been quiet for 100 ms; the time of the last change is reported;
//! - after 1 s of calm, idle CPU: utime+stime of the process over 5 s;
//! - keypress → redraw for a key sequence: write → the last change before 100 ms of
//!   quiet; a key that changes nothing visible is counted apart;
//! - a teammate's change (`teammate.rs`): `obeya item add` run as bob on the same board,
//!   from its exit to the wall's Plan count changing, with `j`/`k` pressed every 50 ms
//!   meanwhile, each timed to its redraw (every run adds one item to the run's board);
//! - peak memory: VmHWM at the end; then `q`, and a kill if it does not leave.
//!
//! It prints the machine, the date and the command, one JSON line per run and per
//! row, and a table. Cargo builds the binary with the bench profile (release
//! settings) and passes its path in `CARGO_BIN_EXE_obeya`.
//!
//! Run by `cargo test --benches` (no `--bench` argument) it does nothing.

mod cache;
mod options;
mod proc;
mod teammate;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use kit::generated as board;
use kit::term::{self as session, Res, Session, Spawn};
use options::{Cache, Group, Options};

/// The status bar's last words: on screen once the wall is drawn.
const MARKER: &str = "? help";
const SETTLE_TIMEOUT: Duration = Duration::from_secs(15);
const QUIT_WAIT: Duration = Duration::from_secs(5);
/// Where the generated boards are cached (target/tmp; Cargo sets it for benches).
const TARGET_TMP: &str = env!("CARGO_TARGET_TMPDIR");

fn main() {
    let opts = match Options::parse(std::env::args().skip(1)) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("probe: {e}");
            std::process::exit(2);
        }
    };
    if opts.help {
        print!("{}", options::USAGE);
        return;
    }
    if !opts.bench_mode {
        println!("probe: not run outside `cargo bench --bench probe` (see its --help)");
        return;
    }
    session::become_subreaper();
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
    ] {
        // The first signal ends the current run cleanly (the program is reaped); a
        // second one exits at once.
        let _ = signal_hook::flag::register_conditional_shutdown(sig, 130, Arc::clone(&stop));
        let _ = signal_hook::flag::register(sig, Arc::clone(&stop));
    }
    let result = run(&opts, &stop);
    if stop.load(std::sync::atomic::Ordering::Relaxed) {
        eprintln!("probe: interrupted");
        std::process::exit(130);
    }
    match result {
        Ok(true) => {}
        Ok(false) => std::process::exit(2),
        Err(e) => {
            eprintln!("probe: error: {e}");
            std::process::exit(1);
        }
    }
}

/// Everything measured in one run.
#[derive(Default)]
struct Run {
    startup_ms: Option<f64>,
    first_output_ms: Option<f64>,
    marker_ms: Option<f64>,
    settled_ms: Option<f64>,
    idle: Option<Idle>,
    keys: Vec<KeyResult>,
    teammate: Option<teammate::Teammate>,
    peak_rss_kb: Option<u64>,
    rss_kb: Option<u64>,
    quit_clean: Option<bool>,
    resident_at_launch_pct: Option<f64>,
    evicted: Option<cache::Evicted>,
    error: Option<String>,
    fatal: bool,
}

struct Idle {
    window_s: f64,
    cpu_ms: f64,
    cpu_pct: f64,
    cpu_exact_ms: Option<f64>,
    output_bytes: u64,
    screen_changes: u64,
}

struct KeyResult {
    name: String,
    group: Group,
    latency_ms: Option<f64>,
    first_change_ms: Option<f64>,
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e5).round() / 100.0
}

fn run(o: &Options, stop: &Arc<AtomicBool>) -> Result<bool, String> {
    let machine = machine(o);
    let mut json = serde_json::Map::new();
    json.insert("type".into(), "machine".into());
    for (k, v) in &machine {
        println!("# {k}: {v}");
        json.insert(k.replace(' ', "_"), v.clone().into());
    }
    println!("{}", Value::Object(json));
    if !o.bin.is_file() {
        return Err(format!(
            "the binary {} does not exist: `cargo bench --bench probe` builds it; with --bin, \
             give the path of a built obeya",
            o.bin.display()
        ));
    }
    let root = board::cache_dir(Path::new(TARGET_TMP));
    std::fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    let work = tempfile::Builder::new()
        .prefix("run-")
        .tempdir_in(&root)
        .map_err(|e| format!("a folder in {}: {e}", root.display()))?;
    let home = work.path().join("home");
    for d in [".config", ".local/share"] {
        std::fs::create_dir_all(home.join(d)).map_err(|e| e.to_string())?;
    }

    let mut rows = Vec::new();
    let mut all_ok = true;
    for &size in &o.sizes {
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            break;
        }
        let label = if size == 0 {
            "starter".into()
        } else {
            thousands(size as u64)
        };
        eprintln!("probe: board of {label} items …");
        let b = board::cached(Path::new(TARGET_TMP), size, o.regenerate)?;
        let how = match b.generated_in {
            Some(d) => format!("generated in {:.1} s", d.as_secs_f64()),
            None => "from the cache".into(),
        };
        println!(
            "# board: {} items, {:.1} MB, {how}: {}",
            thousands(b.items as u64),
            b.bytes as f64 / 1e6,
            b.path.display()
        );
        println!(
            "{}",
            json!({"type": "board", "items": b.items, "bytes": b.bytes,
                   "generated_s": b.generated_in.map(|d| (d.as_secs_f64() * 100.0).round() / 100.0),
                   "path": b.path})
        );
        let db = work.path().join(format!("board-{}.db", b.items));
        for p in cache::board_files(&db) {
            let _ = std::fs::remove_file(p);
        }
        std::fs::copy(&b.path, &db).map_err(|e| format!("copying the board: {e}"))?;

        for &c in &o.caches {
            if stop.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            let mut runs = Vec::new();
            for i in 0..o.warmup + o.runs {
                let measured = i >= o.warmup;
                let what = if measured {
                    format!("run {}/{}", i - o.warmup + 1, o.runs)
                } else {
                    format!("warm-up {}/{}", i + 1, o.warmup)
                };
                eprint!("probe: {} items, {} cache, {what} … ", b.items, c.name());
                let r = measure(o, &db, &home, c, i, stop);
                eprintln!("{}", brief(&r));
                if let Some(e) = &r.error {
                    all_ok = false;
                    eprintln!("probe: error: {e}");
                }
                let fatal = r.fatal;
                if measured {
                    println!("{}", run_json(&r, b.items, c, i - o.warmup + 1, &db));
                    runs.push(r);
                }
                if fatal || stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
            }
            let row = Row::new(b.items, c, runs, o);
            println!("{}", row.json());
            rows.push(row);
        }
    }
    print_table(o, &rows);
    Ok(all_ok)
}

fn child_env(home: &Path, user: &str) -> Vec<(String, String)> {
    let s = |p: PathBuf| p.to_string_lossy().into_owned();
    vec![
        ("HOME".into(), s(home.to_path_buf())),
        ("XDG_DATA_HOME".into(), s(home.join(".local/share"))),
        ("XDG_CONFIG_HOME".into(), s(home.join(".config"))),
        ("TERM".into(), "xterm-256color".into()),
        ("LANG".into(), "C.UTF-8".into()),
        ("OBEYA_USER".into(), user.into()),
        ("PATH".into(), "/usr/local/bin:/usr/bin:/bin".into()),
    ]
}

/// One run; `i` counts the warm-ups first.
fn measure(o: &Options, db: &Path, home: &Path, c: Cache, i: usize, stop: &Arc<AtomicBool>) -> Run {
    let measured = i >= o.warmup;
    let mut run = Run::default();
    if c == Cache::Cold {
        match cache::evict(db, o.drop_caches) {
            Ok(e) => run.evicted = Some(e),
            Err(e) => {
                run.error = Some(format!("evicting the board: {e}"));
                run.fatal = true;
                return run;
            }
        }
    }
    run.resident_at_launch_pct = cache::residency(db).ok().map(|r| r.pct());
    let spawn = Spawn::new(&o.bin)
        .arg("--db")
        .arg(db)
        .clear_env()
        .envs(child_env(home, "alice"))
        .cwd(home)
        .size(o.cols, o.rows);
    let mut s = match Session::spawn(&spawn, o.run_timeout, Arc::clone(stop)) {
        Ok(s) => s,
        Err(e) => {
            run.error = Some(e);
            run.fatal = true;
            return run;
        }
    };
    let mut done = steps(o, &mut s, &mut run, measured);
    if done.is_ok() && o.teammate {
        let cli = teammate::Cli {
            program: &o.bin,
            db,
            env: child_env(home, "bob"),
            cwd: home,
        };
        let title = if measured {
            format!("Teammate probe {}", i - o.warmup + 1)
        } else {
            format!("Teammate probe warm-up {}", i + 1)
        };
        // Golden-ratio steps: any number of runs spread evenly over the poll period.
        let phase = (i as f64 * 0.618_034).fract();
        done = teammate::measure(o, &mut s, &cli, &title, phase).map(|t| run.teammate = Some(t));
    }
    if let Err(e) = done {
        let screen = s.text();
        let shown: Vec<&str> = screen.lines().filter(|l| !l.trim().is_empty()).collect();
        run.error = Some(format!(
            "{e}\n--- the screen ({} bytes of output) ---\n{}\n---",
            s.bytes,
            shown.join("\n")
        ));
        run.fatal = run.startup_ms.is_none() || e == "interrupted";
    }
    if s.alive() {
        run.peak_rss_kb = proc::status_kb(s.pid, "VmHWM");
        run.rss_kb = proc::status_kb(s.pid, "VmRSS");
        // A failed run may have left obeya somewhere `q` does not quit: wait less.
        let wait = if run.error.is_some() {
            QUIT_WAIT / 5
        } else {
            QUIT_WAIT
        };
        let quit = s.write(b"q").ok().and_then(|_| s.wait_exit(wait));
        run.quit_clean = Some(quit.is_some_and(|st| st.success()));
    }
    // Kills the program if it is still there, and reaps it.
    s.finish();
    run
}

fn steps(o: &Options, s: &mut Session, run: &mut Run, measured: bool) -> Res<()> {
    let t0 = s.t0;
    let mut marker_at = None;
    let first = s.wait_quiet(
        t0 + o.startup_timeout,
        o.quiet,
        None,
        &mut |screen| screen.contents().contains(MARKER),
        &mut |at, changed, screen| {
            if changed && marker_at.is_none() && screen.contents().contains(MARKER) {
                marker_at = Some(at);
            }
        },
    )?;
    let Some(first) = first else {
        return Err(if s.eof || !s.alive() {
            "obeya closed the terminal before its first frame".to_string()
        } else {
            format!(
                "no first frame: {MARKER:?} not on a quiet screen within {:?} (--startup-timeout)",
                o.startup_timeout
            )
        });
    };
    run.startup_ms = Some(ms(first - t0));
    run.first_output_ms = s.first_byte.map(|b| ms(b - t0));
    run.marker_ms = marker_at.map(|m| ms(m - t0));

    if !o.settle.is_zero() {
        let settled = s.wait_quiet(
            Instant::now() + SETTLE_TIMEOUT,
            o.settle,
            None,
            &mut |_| true,
            &mut |_, _, _| {},
        )?;
        run.settled_ms = settled.map(|t| ms(t - t0));
    }

    if measured && !o.idle.is_zero() {
        let ticks = proc::clock_ticks();
        let (c0, n0, b0, v0) = (
            proc::cpu_ticks(s.pid),
            proc::cpu_ns(s.pid),
            s.bytes,
            s.changes,
        );
        let i0 = Instant::now();
        s.pump(i0 + o.idle, &mut |_, _, _| {})?;
        if !s.alive() {
            return Err("obeya exited during the idle window".into());
        }
        let (c1, n1) = (proc::cpu_ticks(s.pid), proc::cpu_ns(s.pid));
        let window = i0.elapsed().as_secs_f64();
        let (Some(c0), Some(c1)) = (c0, c1) else {
            return Err(format!("cannot read /proc/{}/stat", s.pid));
        };
        let used = (c1 - c0) as f64 / ticks as f64;
        run.idle = Some(Idle {
            window_s: (window * 1000.0).round() / 1000.0,
            cpu_ms: (used * 1e4).round() / 10.0,
            cpu_pct: (100.0 * used / window * 1000.0).round() / 1000.0,
            cpu_exact_ms: n0
                .zip(n1)
                .map(|(a, b)| (b.saturating_sub(a) as f64 / 1e4).round() / 100.0),
            output_bytes: s.bytes - b0,
            screen_changes: s.changes - v0,
        });
    }

    for key in &o.keys {
        if !s.alive() {
            return Err("obeya exited during the key sequence".into());
        }
        // Let whatever is still drawing finish first.
        let now = Instant::now();
        s.wait_quiet(
            now + o.key_timeout,
            o.quiet,
            Some(now),
            &mut |_| true,
            &mut |_, _, _| {},
        )?;
        let bytes = key.bytes.encode(s.application_cursor());
        let mut first_change = None;
        s.last_change = None;
        let kt = Instant::now();
        s.write(&bytes)?;
        let limit = kt + o.key_timeout;
        let mut cpu_before = proc::cpu_ns(s.pid);
        let end = loop {
            // Some(last change) once the screen changed and was then quiet.
            let end = s.wait_quiet(
                (Instant::now() + o.quiet).min(limit),
                o.quiet,
                None,
                &mut |_| true,
                &mut |at, changed, _| {
                    if changed && first_change.is_none() {
                        first_change = Some(at);
                    }
                },
            )?;
            if end.is_some() || Instant::now() >= limit || s.eof {
                break end;
            }
            // Nothing visible yet. A program asleep that used no CPU for a whole quiet
            // window has finished with the key: it changed nothing on screen.
            let cpu = proc::cpu_ns(s.pid);
            let asleep = proc::proc_state(s.pid).is_some_and(|c| c != 'R');
            if first_change.is_none() && asleep && cpu.is_some() && cpu == cpu_before {
                break None;
            }
            cpu_before = cpu;
        };
        run.keys.push(KeyResult {
            name: key.name.clone(),
            group: key.group,
            latency_ms: end.map(|e| ms(e.saturating_duration_since(kt))),
            first_change_ms: first_change.map(|f: Instant| ms(f.saturating_duration_since(kt))),
        });
    }
    Ok(())
}

fn brief(r: &Run) -> String {
    let mut parts = Vec::new();
    if let Some(t) = r.startup_ms {
        parts.push(format!("first frame {t:.1} ms"));
    }
    let lat: Vec<f64> = r.keys.iter().filter_map(|k| k.latency_ms).collect();
    if !lat.is_empty() {
        parts.push(format!("keys median {:.2} ms", median(&lat)));
    }
    if let Some(t) = &r.teammate {
        let max = t.latencies().into_iter().fold(f64::NAN, f64::max);
        parts.push(format!(
            "teammate on screen {:.0} ms (keys max {max:.2} ms)",
            t.on_screen_ms
        ));
    }
    if let Some(i) = &r.idle {
        parts.push(format!("idle {} ms", i.cpu_ms));
    }
    if let Some(e) = &r.evicted {
        parts.push(format!("cached before launch {:.1} %", e.after.pct()));
    }
    if r.error.is_some() {
        parts.push("FAILED".into());
    }
    parts.join(", ")
}

fn group_name(g: Group) -> &'static str {
    match g {
        Group::Board => "board",
        Group::Filter => "filter",
    }
}

fn run_json(r: &Run, items: usize, c: Cache, n: usize, db: &Path) -> Value {
    let keys: Vec<Value> = r
        .keys
        .iter()
        .map(|k| {
            json!({"key": k.name, "group": group_name(k.group), "changed": k.latency_ms.is_some(),
                   "latency_ms": k.latency_ms, "first_change_ms": k.first_change_ms})
        })
        .collect();
    let mut v = json!({
        "type": "run", "items": items, "cache": c.name(), "run": n,
        "startup_ms": r.startup_ms, "first_output_ms": r.first_output_ms,
        "marker_ms": r.marker_ms, "settled_ms": r.settled_ms,
        "peak_rss_kb": r.peak_rss_kb, "rss_kb": r.rss_kb, "quit_clean": r.quit_clean,
        "board_cached_at_launch_pct": r.resident_at_launch_pct.map(round1),
        "keys": keys, "error": r.error, "board": db,
    });
    if let Some(i) = &r.idle {
        v["idle"] = json!({"window_s": i.window_s, "cpu_ms": i.cpu_ms, "cpu_pct": i.cpu_pct,
                           "cpu_exact_ms": i.cpu_exact_ms, "output_bytes": i.output_bytes,
                           "screen_changes": i.screen_changes});
    }
    if let Some(t) = &r.teammate {
        v["teammate"] = teammate_json(t);
    }
    if let Some(e) = &r.evicted {
        v["evicted"] = json!({
            "method": "posix_fadvise(POSIX_FADV_DONTNEED) after fsync",
            "pages": e.after.pages, "cached_before_pct": round1(e.before.pct()),
            "cached_after_pct": round1(e.after.pct()),
            "drop_caches": e.drop_caches.as_ref().map(|d| match d {
                Ok(()) => "ok".to_string(), Err(e) => e.clone() }),
        });
    }
    v
}

fn teammate_json(t: &teammate::Teammate) -> Value {
    let keys: Vec<Value> = t
        .keys
        .iter()
        .map(|k| {
            json!({"key": k.name, "at_ms": k.at_ms, "latency_ms": k.latency_ms,
                   "behind_change": k.behind})
        })
        .collect();
    let lat = t.latencies();
    let (p95, max) = match Stat::of(&lat) {
        Some(s) => (Some(s.p95), Some(s.max)),
        None => (None, None),
    };
    json!({"title": t.title, "phase": t.phase, "cli_ms": t.cli_ms, "on_screen_ms": t.on_screen_ms,
           "key_latency_p95_ms": p95, "key_latency_max_ms": max,
           "keys_without_redraw": t.keys.len() - lat.len(),
           "keys_behind_change": t.behind(), "keys": keys})
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

// ------------------------------------------------------------- summaries ----

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    let n = s.len();
    if n == 0 {
        f64::NAN
    } else if n % 2 == 1 {
        s[n / 2]
    } else {
        (s[n / 2 - 1] + s[n / 2]) / 2.0
    }
}

/// Nearest-rank percentile.
fn percentile(v: &[f64], p: f64) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    if s.is_empty() {
        return f64::NAN;
    }
    let rank = ((p / 100.0) * s.len() as f64).ceil() as usize;
    s[rank.clamp(1, s.len()) - 1]
}

struct Stat {
    n: usize,
    median: f64,
    p95: f64,
    min: f64,
    max: f64,
}

impl Stat {
    fn of(v: &[f64]) -> Option<Stat> {
        (!v.is_empty()).then(|| Stat {
            n: v.len(),
            median: median(v),
            p95: percentile(v, 95.0),
            min: v.iter().copied().fold(f64::INFINITY, f64::min),
            max: v.iter().copied().fold(f64::NEG_INFINITY, f64::max),
        })
    }

    fn json(&self) -> Value {
        let r = |x: f64| (x * 100.0).round() / 100.0;
        json!({"n": self.n, "median": r(self.median), "p95": r(self.p95),
               "min": r(self.min), "max": r(self.max)})
    }
}

struct Row {
    items: usize,
    cache: Cache,
    runs: usize,
    errors: usize,
    startup: Option<Stat>,
    settled: Option<Stat>,
    keys: Option<Stat>,
    board_keys: Option<Stat>,
    filter_keys: Option<Stat>,
    unchanged: usize,
    unchanged_names: Vec<String>,
    teammate_on_screen: Option<Stat>,
    teammate_cli: Option<Stat>,
    teammate_keys: Option<Stat>,
    teammate_keys_without_redraw: usize,
    teammate_keys_behind: usize,
    idle_ms: Option<Stat>,
    idle_pct: Option<Stat>,
    idle_exact_ms: Option<Stat>,
    idle_window_s: f64,
    peak_rss_kb: Option<Stat>,
    quit_clean: usize,
    cached_at_launch_pct: Option<Stat>,
    /// The 1-minute load average when the row ended: other work on the machine.
    load: String,
}

impl Row {
    fn new(items: usize, cache: Cache, runs: Vec<Run>, o: &Options) -> Row {
        let pick =
            |f: &dyn Fn(&Run) -> Option<f64>| -> Vec<f64> { runs.iter().filter_map(f).collect() };
        let lat = |g: Option<Group>| -> Vec<f64> {
            runs.iter()
                .flat_map(|r| &r.keys)
                .filter(|k| g.is_none_or(|g| k.group == g))
                .filter_map(|k| k.latency_ms)
                .collect()
        };
        let mut unchanged_names: Vec<String> = runs
            .iter()
            .flat_map(|r| &r.keys)
            .filter(|k| k.latency_ms.is_none())
            .map(|k| k.name.clone())
            .collect();
        let unchanged = unchanged_names.len();
        unchanged_names.sort();
        unchanged_names.dedup();
        let mates: Vec<&teammate::Teammate> =
            runs.iter().filter_map(|r| r.teammate.as_ref()).collect();
        let mate_keys: Vec<f64> = mates.iter().flat_map(|t| t.latencies()).collect();
        let mate_pressed: usize = mates.iter().map(|t| t.keys.len()).sum();
        Row {
            items,
            cache,
            runs: runs.len(),
            errors: runs.iter().filter(|r| r.error.is_some()).count(),
            startup: Stat::of(&pick(&|r| r.startup_ms)),
            settled: Stat::of(&pick(&|r| r.settled_ms)),
            keys: Stat::of(&lat(None)),
            board_keys: Stat::of(&lat(Some(Group::Board))),
            filter_keys: Stat::of(&lat(Some(Group::Filter))),
            unchanged,
            unchanged_names,
            teammate_on_screen: Stat::of(&pick(&|r| r.teammate.as_ref().map(|t| t.on_screen_ms))),
            teammate_cli: Stat::of(&pick(&|r| r.teammate.as_ref().map(|t| t.cli_ms))),
            teammate_keys: Stat::of(&mate_keys),
            teammate_keys_without_redraw: mate_pressed - mate_keys.len(),
            teammate_keys_behind: mates.iter().map(|t| t.behind()).sum(),
            idle_ms: Stat::of(&pick(&|r| r.idle.as_ref().map(|i| i.cpu_ms))),
            idle_pct: Stat::of(&pick(&|r| r.idle.as_ref().map(|i| i.cpu_pct))),
            idle_exact_ms: Stat::of(&pick(&|r| r.idle.as_ref().and_then(|i| i.cpu_exact_ms))),
            idle_window_s: o.idle.as_secs_f64(),
            peak_rss_kb: Stat::of(&pick(&|r| r.peak_rss_kb.map(|k| k as f64))),
            quit_clean: runs.iter().filter(|r| r.quit_clean == Some(true)).count(),
            cached_at_launch_pct: Stat::of(&pick(&|r| r.resident_at_launch_pct)),
            load: load_average(),
        }
    }

    fn json(&self) -> Value {
        let j = |s: &Option<Stat>| s.as_ref().map(Stat::json);
        json!({
            "type": "summary", "items": self.items, "cache": self.cache.name(),
            "runs": self.runs, "errors": self.errors,
            "startup_ms": j(&self.startup), "settled_ms": j(&self.settled),
            "key_latency_ms": j(&self.keys), "board_key_latency_ms": j(&self.board_keys),
            "filter_key_latency_ms": j(&self.filter_keys),
            "keys_without_visible_change": self.unchanged,
            "keys_without_visible_change_names": self.unchanged_names,
            "teammate_on_screen_ms": j(&self.teammate_on_screen),
            "teammate_cli_ms": j(&self.teammate_cli),
            "teammate_key_latency_ms": j(&self.teammate_keys),
            "teammate_keys_without_redraw": self.teammate_keys_without_redraw,
            "teammate_keys_behind_change": self.teammate_keys_behind,
            "idle_window_s": self.idle_window_s, "idle_cpu_ms": j(&self.idle_ms),
            "idle_cpu_pct": j(&self.idle_pct), "idle_cpu_exact_ms": j(&self.idle_exact_ms),
            "peak_rss_kb": j(&self.peak_rss_kb), "quit_clean": self.quit_clean,
            "board_cached_at_launch_pct": j(&self.cached_at_launch_pct),
            "load_average_1min": self.load,
        })
    }
}

fn print_table(o: &Options, rows: &[Row]) {
    let lat = |s: &Option<Stat>| match s {
        Some(s) => format!("{:.2} / {:.2} ms ({})", s.median, s.p95, s.n),
        None => "–".into(),
    };
    println!();
    println!(
        "| items | cache | first frame, median (min–max) | key → redraw, median / p95 (keys) \
         | filter keys, median / p95 | no change | teammate change on screen, median (max) \
         | keys during it, p95 / max (keys) | idle CPU over {} s: utime+stime, median (max) \
         | idle CPU, schedstat | peak RSS, max | board cached at launch | load |",
        o.idle.as_secs_f64()
    );
    println!("|---:|---|---|---|---|---:|---|---|---|---|---:|---:|---:|");
    for r in rows {
        let startup = match &r.startup {
            Some(s) => format!("{:.1} ms ({:.1}–{:.1})", s.median, s.min, s.max),
            None => "–".into(),
        };
        let mate = r.teammate_on_screen.as_ref().map_or("–".into(), |s| {
            format!("{:.0} ms ({:.0})", s.median, s.max)
        });
        let mate_keys = match &r.teammate_keys {
            Some(s) => format!("{:.2} / {:.2} ms ({})", s.p95, s.max, s.n),
            None => "–".into(),
        };
        let idle = match (&r.idle_ms, &r.idle_pct) {
            (Some(m), Some(p)) => {
                format!("{:.0} ms, {:.2} % ({:.0} ms)", m.median, p.median, m.max)
            }
            _ => "–".into(),
        };
        let exact = match &r.idle_exact_ms {
            Some(m) => format!(
                "{:.2} ms, {:.3} %",
                m.median,
                m.median / 10.0 / r.idle_window_s
            ),
            None => "–".into(),
        };
        let rss = r
            .peak_rss_kb
            .as_ref()
            .map_or("–".into(), |s| format!("{:.1} MiB", s.max / 1024.0));
        let cached = r
            .cached_at_launch_pct
            .as_ref()
            .map_or("–".into(), |s| format!("{:.0} %", s.max));
        let errors = if r.errors > 0 {
            format!(" ({} failed)", r.errors)
        } else {
            String::new()
        };
        println!(
            "| {} | {}{errors} | {startup} | {} | {} | {} | {mate} | {mate_keys} | {idle} \
             | {exact} | {rss} | {cached} | {} |",
            thousands(r.items as u64),
            r.cache.name(),
            lat(&r.keys),
            lat(&r.filter_keys),
            r.unchanged,
            r.load,
        );
    }
    println!();
    println!(
        "# key → redraw: write → the last screen change before {} ms of quiet. `no change`: keys \
         after which obeya went back to sleep without changing the screen (or did not within \
         {:?}); they are not in the latencies",
        o.quiet.as_millis(),
        o.key_timeout
    );
    if o.teammate {
        println!(
            "# teammate change: `obeya item add` as bob, its exit → the wall's {:?} header \
             changed (started at a different point of the wall's 1 s poll period in each run); \
             keys during it: `j`/`k` every {} ms from its start until {} ms after the change, \
             write → the selection marker moved",
            teammate::COLUMN,
            o.teammate_pace.as_millis(),
            teammate::KEYS_AFTER.as_millis()
        );
    }
    println!(
        "# idle CPU: utime+stime from /proc/PID/stat counts whole clock ticks ({} ms); \
         schedstat is the same time in nanoseconds (/proc/PID/task/*/schedstat), median",
        1000 / proc::clock_ticks()
    );
    println!("# load: the machine's 1-minute load average when the row ended");
    println!(
        "# board cached at launch: the share of the board's pages in the page cache when obeya \
         started (max over the runs; cold: after eviction)"
    );
}

// --------------------------------------------------------------- machine ----

fn machine(o: &Options) -> Vec<(&'static str, String)> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu = cpuinfo
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")?
                .split_once(':')
                .map(|x| x.1.trim())
        })
        .unwrap_or("unknown")
        .to_string();
    let nproc = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_kb = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("MemTotal:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        })
        .unwrap_or(0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .unwrap_or_default()
        .trim()
        .to_string();
    let load = std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    let date = jiff::Zoned::now()
        .strftime("%Y-%m-%d %H:%M:%S %Z")
        .to_string();
    let mut command = String::new();
    for e in &o.given_env {
        command.push_str(e);
        command.push(' ');
    }
    command.push_str("cargo bench --bench probe");
    if !o.given.is_empty() {
        command.push_str(" -- ");
        command.push_str(&o.given.join(" "));
    }
    let git = git_revision();
    let drop_caches = match (o.drop_caches, cache::drop_caches_permitted()) {
        (true, Ok(())) => "used before every cold launch, as well".to_string(),
        (true, Err(e)) => format!("asked for but not permitted ({e})"),
        (false, Ok(())) => "permitted here, not used (--drop-caches to use it)".to_string(),
        (false, Err(e)) => format!("not permitted ({e}), not used"),
    };
    vec![
        ("date", date),
        ("command", command),
        ("nproc", nproc.to_string()),
        ("cpu", cpu),
        ("memory", format!("{:.1} GiB", mem_kb as f64 / 1048576.0)),
        ("kernel", kernel),
        ("load average at start", load),
        ("obeya", format!("{} ({git})", o.bin.display())),
        (
            "program",
            format!(
                "obeya --db BOARD in a {}x{} pseudo-terminal; TERM=xterm-256color LANG=C.UTF-8 \
                 OBEYA_USER=alice, private HOME, XDG_DATA_HOME and XDG_CONFIG_HOME",
                o.cols, o.rows
            ),
        ),
        (
            "runs",
            format!(
                "{} measured after {} warm-up(s) per size and cache state; quiet window {} ms; \
                 settle {} ms; idle window {} s",
                o.runs,
                o.warmup,
                o.quiet.as_millis(),
                o.settle.as_millis(),
                o.idle.as_secs_f64()
            ),
        ),
        ("keys", key_list(&o.keys)),
        (
            "teammate",
            if o.teammate {
                format!(
                    "after the keys, `obeya item add TITLE --db BOARD` with OBEYA_USER=bob, \
                     `j`/`k` every {} ms meanwhile",
                    o.teammate_pace.as_millis()
                )
            } else {
                "off".into()
            },
        ),
        ("cold cache", cache::METHOD.to_string()),
        ("drop_caches", drop_caches),
    ]
}

/// `j*30 l l h …`: the keys as sent, repeats folded.
fn key_list(keys: &[options::Key]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut i = 0;
    while i < keys.len() {
        let n = keys[i..]
            .iter()
            .take_while(|k| k.name == keys[i].name)
            .count();
        out.push(if n > 1 {
            format!("{}*{n}", keys[i].name)
        } else {
            keys[i].name.clone()
        });
        i += n;
    }
    out.join(" ")
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .next()
        .unwrap_or("?")
        .to_string()
}

fn git_revision() -> String {
    let dir = env!("CARGO_MANIFEST_DIR");
    let out = |args: &[&str]| {
        std::process::Command::new("git")
            .arg("-C")
            .arg(dir)
            .args(args)
            .stderr(std::process::Stdio::null())
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    match out(&["rev-parse", "--short", "HEAD"]) {
        Some(rev) => {
            let dirty = out(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            format!(
                "git {rev}{}",
                if dirty {
                    ", with uncommitted changes"
                } else {
                    ""
                }
            )
        }
        None => "git revision unknown".into(),
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
