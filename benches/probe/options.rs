//! The probe's settings: command-line options, each also readable from an environment
//! variable (`--idle-s 10` or `OBEYA_PROBE_IDLE_S=10`; the option wins).

use std::path::PathBuf;
use std::time::Duration;

pub const USAGE: &str = "\
cargo bench --bench probe [-- OPTIONS]

Runs the release binary `obeya --db BOARD` in a 120x40 pseudo-terminal and measures the
first frame, keypress-to-redraw latency, a teammate's change, peak memory and idle CPU,
on generated boards, with a warm and a cold page cache. Every option can also be given as
an environment variable: --idle-s 10 is OBEYA_PROBE_IDLE_S=10 (the option wins).

  --sizes LIST          board sizes, comma-separated: starter (the 8-item starter board),
                        1k, 10k, 100k, 1M or any number of items        [10k,100k]
  --cache LIST          warm, cold or both                              [warm,cold]
  --runs N              measured runs per size and cache state          [10]
  --warmup N            unmeasured runs before them (no idle window)    [2]
  --idle-s S            idle window for CPU after the screen settled    [5]
  --keys SPEC           board keys, comma-separated, NAME*N repeats     [j*30,l,l,h,k*10,tab,4,G,g]
                        names: any single character, enter esc tab backtab space
                        backspace up down left right home end pgup pgdn, C-x (ctrl)
  --filter WORD         then `/`, the letters of WORD, enter, esc; empty: none [refund]
  --teammate on|off     then a teammate's change: `obeya item add` as bob, timed
                        from its exit to the wall's Plan count, while `j`/`k` are
                        pressed and timed                               [on]
  --teammate-pace-ms MS one of those keys every MS                      [50]
  --quiet-ms MS         quiet window that ends a frame or a key         [100]
  --settle-ms MS        calm required after the first frame, before
                        the idle window and the keys                    [1000]
  --startup-timeout S   wait for the first frame at most                [60]
  --key-timeout S       wait for a key's redraw at most                 [5]
  --run-timeout S       hard limit for one run                          [300]
  --drop-caches         cold runs also write 1 to /proc/sys/vm/drop_caches (all files
                        of the machine, needs root; the default evicts only the board)
  --regenerate          rebuild the cached boards
  --bin PATH            the binary to measure    [the one cargo built for this bench]
  --help                this text

Boards are cached in target/tmp/obeya-probe/ by size and schema; runs use a copy.
";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cache {
    Warm,
    Cold,
}

impl Cache {
    pub fn name(self) -> &'static str {
        match self {
            Cache::Warm => "warm",
            Cache::Cold => "cold",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    Board,
    Filter,
}

#[derive(Debug, Clone)]
pub struct Key {
    pub name: String,
    pub bytes: kit::term::Key,
    pub group: Group,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Whether Cargo ran us as a benchmark (`cargo bench` passes `--bench`).
    pub bench_mode: bool,
    pub help: bool,
    pub sizes: Vec<usize>,
    pub caches: Vec<Cache>,
    pub runs: usize,
    pub warmup: usize,
    pub idle: Duration,
    pub keys: Vec<Key>,
    pub teammate: bool,
    pub teammate_pace: Duration,
    pub quiet: Duration,
    pub settle: Duration,
    pub startup_timeout: Duration,
    pub key_timeout: Duration,
    pub run_timeout: Duration,
    pub drop_caches: bool,
    pub regenerate: bool,
    pub bin: PathBuf,
    pub cols: u16,
    pub rows: u16,
    /// The options as given (arguments and OBEYA_PROBE_* variables), for the report.
    pub given: Vec<String>,
    pub given_env: Vec<String>,
}

const NAMES: &[&str] = &[
    "sizes",
    "cache",
    "runs",
    "warmup",
    "idle-s",
    "keys",
    "filter",
    "teammate",
    "teammate-pace-ms",
    "quiet-ms",
    "settle-ms",
    "startup-timeout",
    "key-timeout",
    "run-timeout",
    "drop-caches",
    "regenerate",
    "bin",
];
const FLAGS: &[&str] = &["drop-caches", "regenerate"];

fn env_name(option: &str) -> String {
    format!("OBEYA_PROBE_{}", option.to_uppercase().replace('-', "_"))
}

impl Options {
    pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
        let mut values: Vec<(String, String)> = Vec::new();
        let mut given_env = Vec::new();
        for name in NAMES {
            let var = env_name(name);
            if let Ok(v) = std::env::var(&var) {
                given_env.push(format!("{var}={v}"));
                values.push((name.to_string(), v));
            }
        }
        let mut bench_mode = false;
        let mut help = false;
        let mut given = Vec::new();
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            if arg == "--bench" {
                bench_mode = true;
                continue;
            }
            if arg == "--help" || arg == "-h" {
                help = true;
                continue;
            }
            let Some(opt) = arg.strip_prefix("--") else {
                // Cargo passes a filter word through (`cargo bench -- WORD`); we have none.
                return Err(format!("unexpected argument {arg:?} (see --help)"));
            };
            let (name, value) = match opt.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None => (opt.to_string(), None),
            };
            if !NAMES.contains(&name.as_str()) {
                return Err(format!("unknown option --{name} (see --help)"));
            }
            let value = if FLAGS.contains(&name.as_str()) {
                value.unwrap_or_else(|| "1".into())
            } else {
                match value {
                    Some(v) => v,
                    None => args
                        .next()
                        .ok_or_else(|| format!("--{name} needs a value"))?,
                }
            };
            given.push(format!("--{name}={value}"));
            values.push((name, value));
        }
        let get = |name: &str| {
            values
                .iter()
                .rev()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        };
        let number = |name: &str, default: f64| -> Result<f64, String> {
            match get(name) {
                None => Ok(default),
                Some(v) => v
                    .trim()
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .ok_or_else(|| format!("--{name}: not a number: {v:?}")),
            }
        };
        let flag = |name: &str| {
            get(name).is_some_and(|v| !matches!(v.as_str(), "" | "0" | "false" | "no"))
        };
        let secs = |name: &str, default: f64| number(name, default).map(Duration::from_secs_f64);
        let millis = |name: &str, default: f64| {
            number(name, default).map(|x| Duration::from_secs_f64(x / 1e3))
        };

        let sizes = parse_sizes(&get("sizes").unwrap_or_else(|| "10k,100k".into()))?;
        let caches = parse_caches(&get("cache").unwrap_or_else(|| "warm,cold".into()))?;
        let keys_spec = get("keys").unwrap_or_else(|| "j*30,l,l,h,k*10,tab,4,G,g".into());
        let filter = get("filter").unwrap_or_else(|| "refund".into());
        let mut keys = parse_keys(&keys_spec, Group::Board)?;
        if !filter.is_empty() {
            let mut spec = vec!["/".to_string()];
            spec.extend(filter.chars().map(|c| c.to_string()));
            spec.push("enter".into());
            spec.push("esc".into());
            // Each letter is its own key, also a comma.
            for s in spec {
                keys.push(parse_key(&s, Group::Filter)?);
            }
        }
        let bin = get("bin")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_obeya")));
        Ok(Options {
            bench_mode,
            help,
            sizes,
            caches,
            runs: number("runs", 10.0)? as usize,
            warmup: number("warmup", 2.0)? as usize,
            idle: secs("idle-s", 5.0)?,
            keys,
            teammate: parse_on_off("teammate", get("teammate").as_deref().unwrap_or("on"))?,
            teammate_pace: millis("teammate-pace-ms", 50.0)?,
            quiet: millis("quiet-ms", 100.0)?,
            settle: millis("settle-ms", 1000.0)?,
            startup_timeout: secs("startup-timeout", 60.0)?,
            key_timeout: secs("key-timeout", 5.0)?,
            run_timeout: secs("run-timeout", 300.0)?,
            drop_caches: flag("drop-caches"),
            regenerate: flag("regenerate"),
            bin,
            cols: 120,
            rows: 40,
            given,
            given_env,
        })
    }
}

pub fn parse_sizes(spec: &str) -> Result<Vec<usize>, String> {
    let mut out = Vec::new();
    for part in spec.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let lower = part.to_ascii_lowercase().replace('_', "");
        let (digits, unit) = if lower == "starter" {
            ("0", 1)
        } else if let Some(d) = lower.strip_suffix('k') {
            (d, 1_000)
        } else if let Some(d) = lower.strip_suffix('m') {
            (d, 1_000_000)
        } else {
            (lower.as_str(), 1)
        };
        let n = digits.parse::<usize>().map_err(|_| {
            format!("--sizes: use starter, 1k, 10k, 100k, 1M or a number of items, not {part:?}")
        })?;
        out.push(n * unit);
    }
    if out.is_empty() {
        return Err("--sizes: no size given".into());
    }
    Ok(out)
}

fn parse_on_off(name: &str, v: &str) -> Result<bool, String> {
    match v.trim().to_ascii_lowercase().as_str() {
        "on" | "1" | "true" | "yes" => Ok(true),
        "off" | "0" | "false" | "no" => Ok(false),
        _ => Err(format!("--{name}: on or off, not {v:?}")),
    }
}

fn parse_caches(spec: &str) -> Result<Vec<Cache>, String> {
    let mut out = Vec::new();
    for part in spec.split(',').map(str::trim) {
        match part {
            "warm" => out.push(Cache::Warm),
            "cold" => out.push(Cache::Cold),
            "both" | "all" => out.extend([Cache::Warm, Cache::Cold]),
            _ => return Err(format!("--cache: warm, cold or both, not {part:?}")),
        }
    }
    Ok(out)
}

pub fn parse_keys(spec: &str, group: Group) -> Result<Vec<Key>, String> {
    let mut out = Vec::new();
    for item in spec.split(',').filter(|s| !s.is_empty()) {
        let (name, count) = match item.rsplit_once('*') {
            Some((n, c)) if !n.is_empty() && c.parse::<usize>().is_ok() => {
                (n, c.parse::<usize>().unwrap())
            }
            _ => (item, 1),
        };
        let key = parse_key(name, group)?;
        out.extend(std::iter::repeat_n(key, count));
    }
    Ok(out)
}

pub fn parse_key(name: &str, group: Group) -> Result<Key, String> {
    let bytes = kit::term::Key::named(name).map_err(|e| format!("--keys: {e}"))?;
    Ok(Key {
        name: name.to_string(),
        bytes,
        group,
    })
}
