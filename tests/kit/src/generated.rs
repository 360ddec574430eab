//! Boards of N items for the benches, made once and cached in target/tmp/obeya-probe/
//! by size, schema and generator version: the starter imported with the library, then
//! the extra items inserted with plain SQL in one transaction.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::{Connection, params};

/// Raise when the generated content (or the schema's SQL at the same version) changes,
/// so cached boards are made again.
pub const GENERATOR: u32 = 2;

pub struct Board {
    pub path: PathBuf,
    pub items: usize,
    pub bytes: u64,
    /// How long making it took; `None` when it came from the cache.
    pub generated_in: Option<Duration>,
}

/// Where the boards are kept: `obeya-probe` in `target_tmp`, the bench's
/// `env!("CARGO_TARGET_TMPDIR")` (target/tmp; Cargo sets it for the package's own
/// benches and tests only).
pub fn cache_dir(target_tmp: &Path) -> PathBuf {
    target_tmp.join("obeya-probe")
}

fn file_name(items: usize) -> String {
    let what = if items == 0 {
        "starter".to_string()
    } else {
        format!("{items}-items")
    };
    format!(
        "board-{what}-schema{}-gen{GENERATOR}.db",
        obeya::store::LATEST_SCHEMA
    )
}

/// The cached board of `items` items (0: the starter alone) in [`cache_dir`], made
/// first if missing (or if `regenerate`).
pub fn cached(target_tmp: &Path, items: usize, regenerate: bool) -> Result<Board, String> {
    let dir = cache_dir(target_tmp);
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let path = dir.join(file_name(items));
    if !regenerate && path.exists() {
        match count_items(&path) {
            Ok(n) if n == items || (items == 0 && n > 0) => {
                return Ok(Board {
                    bytes: file_len(&path),
                    path,
                    items: n,
                    generated_in: None,
                });
            }
            _ => eprintln!(
                "probe: {} is not as expected; making it again",
                path.display()
            ),
        }
    }
    let started = Instant::now();
    let tmp = dir.join(format!("{}.tmp{}", file_name(items), std::process::id()));
    for p in [tmp.clone(), journal(&tmp)] {
        let _ = std::fs::remove_file(p);
    }
    let made = generate(&tmp, items);
    if let Err(e) = made {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, &path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Board {
        bytes: file_len(&path),
        items: count_items(&path).map_err(|e| format!("{}: {e}", path.display()))?,
        path,
        generated_in: Some(started.elapsed()),
    })
}

fn journal(p: &Path) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push("-journal");
    PathBuf::from(s)
}

fn file_len(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

fn count_items(path: &Path) -> rusqlite::Result<usize> {
    let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    conn.query_row("SELECT count(*) FROM item", [], |r| r.get::<_, i64>(0))
        .map(|n| n as usize)
}

fn generate(path: &Path, items: usize) -> Result<(), String> {
    let sql = |e: rusqlite::Error| format!("generating {}: {e}", path.display());
    {
        let mut store = obeya::store::Store::create(path, "alice")
            .map_err(|e| format!("creating {}: {e}", path.display()))?;
        obeya::exchange::import(&mut store, &obeya::exchange::starter())
            .map_err(|e| format!("importing the starter: {e}"))?;
    }
    let mut conn = Connection::open(path).map_err(sql)?;
    let have = count_items(path).map_err(sql)?;
    let items = if items == 0 { have } else { items };
    if items < have {
        return Err(format!(
            "a board of {items} items is smaller than the starter ({have} items); use `starter` or at least {have}"
        ));
    }
    let ids = |table: &str| -> rusqlite::Result<Vec<i64>> {
        let mut st = conn.prepare(&format!("SELECT id FROM {table} ORDER BY position, id"))?;
        st.query_map([], |r| r.get(0))?.collect()
    };
    let personas = ids("persona").map_err(sql)?;
    let stages = ids("stage").map_err(sql)?;
    let mut next_position = [0i64; 5];
    for (i, status) in STATUSES.iter().enumerate() {
        next_position[i] = conn
            .query_row(
                "SELECT coalesce(max(position), -1) + 1 FROM item WHERE status = ?1",
                [status],
                |r| r.get(0),
            )
            .map_err(sql)?;
    }
    let titles = titles();
    let mut rng = Rng(0x0b5e_7a00 ^ items as u64);
    // A fixed "now", so a cached board does not depend on the day it was made.
    let base = jiff::Timestamp::from_second(1_793_523_600).unwrap(); // 2026-11-01T09:00:00Z
    let due_base = jiff::civil::date(2026, 10, 1);
    let fmt = |t: jiff::Timestamp| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();

    let tx = conn.transaction().map_err(sql)?;
    {
        let mut insert = tx
            .prepare(
                "INSERT INTO item (title, detail, status, owner, due, persona_id, stage_id,
                                   impact, risk, blocked, blocked_reason, created_at,
                                   status_since, position, version, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, 1, ?13, ?15)",
            )
            .map_err(sql)?;
        for n in 0..items - have {
            // More items wait in Plan and are done than are in progress, as on a real wall.
            let s = match rng.below(100) {
                0..=29 => 0,
                30..=44 => 1,
                45..=54 => 2,
                55..=61 => 3,
                _ => 4,
            };
            let position = next_position[s];
            next_position[s] += 1;
            let title = &titles[rng.below(titles.len() as u64) as usize];
            let owner = OWNERS[rng.below(OWNERS.len() as u64) as usize];
            let due = (rng.below(3) == 0)
                .then(|| due_base.saturating_add(jiff::Span::new().days(rng.below(180) as i64)))
                .map(|d| d.to_string());
            let persona = (rng.below(5) != 0 && !personas.is_empty())
                .then(|| personas[rng.below(personas.len() as u64) as usize]);
            let stage = (rng.below(5) != 0 && !stages.is_empty())
                .then(|| stages[rng.below(stages.len() as u64) as usize]);
            let detail = if rng.below(4) == 0 {
                DETAILS[n % DETAILS.len()]
            } else {
                ""
            };
            let impact = if rng.below(2) == 0 {
                IMPACTS[n % IMPACTS.len()]
            } else {
                ""
            };
            let risk = if rng.below(5) == 0 {
                RISKS[n % RISKS.len()]
            } else {
                ""
            };
            let blocked = s != 4 && rng.below(40) == 0;
            let reason = if blocked {
                "waiting for the payment provider"
            } else {
                ""
            };
            let age = rng.below(400 * 86_400) as i64;
            let created = base - jiff::SignedDuration::from_secs(age);
            let since = created + jiff::SignedDuration::from_secs(rng.below(age as u64 + 1) as i64);
            insert
                .execute(params![
                    title,
                    detail,
                    STATUSES[s],
                    owner,
                    due,
                    persona,
                    stage,
                    impact,
                    risk,
                    blocked as i64,
                    reason,
                    fmt(created),
                    fmt(since),
                    position,
                    if owner.is_empty() { "alice" } else { owner },
                ])
                .map_err(sql)?;
        }
    }
    tx.commit().map_err(sql)?;
    Ok(())
}

const STATUSES: [&str; 5] = ["plan", "do", "check", "act", "done"];
const OWNERS: [&str; 8] = ["alice", "bob", "chen", "dana", "emeka", "fatima", "bob", ""];

const VERBS: [&str; 15] = [
    "Fix",
    "Shorten",
    "Simplify",
    "Speed up",
    "Clarify",
    "Automate",
    "Redesign",
    "Test",
    "Measure",
    "Remove",
    "Translate",
    "Document",
    "Explain",
    "Streamline",
    "Improve",
];
const OBJECTS: [&str; 16] = [
    "the checkout form",
    "refund requests",
    "delivery tracking",
    "password reset mails",
    "the onboarding list",
    "invoice downloads",
    "the mobile search",
    "order confirmations",
    "the returns label",
    "ticket triage",
    "the pricing page",
    "address checks",
    "gift card balance",
    "the loyalty signup",
    "late delivery alerts",
    "the size guide",
];
const ENDINGS: [&str; 10] = [
    "for Maria",
    "for first-time buyers",
    "for night shifts",
    "for small shops",
    "before the holidays",
    "on slow phones",
    "in the app",
    "for Ben",
    "in three languages",
    "for Priya",
];
const DETAILS: [&str; 3] = [
    "Customers told support they gave up here; see the March interviews.",
    "Start with the two most common cases and measure before the rest.",
    "Pair with the support team for a day to see where it goes wrong.",
];
const IMPACTS: [&str; 3] = [
    "Customers finish their order sooner and come back.",
    "Fewer calls to support about the same question.",
    "People trust the dates we promise.",
];
const RISKS: [&str; 2] = [
    "Regulars may miss the old layout.",
    "Needs a change at the payment provider.",
];

/// Every "verb object ending" of 30 to 45 characters.
fn titles() -> Vec<String> {
    let mut out = Vec::new();
    for v in VERBS {
        for o in OBJECTS {
            for e in ENDINGS {
                let t = format!("{v} {o} {e}");
                if (30..=45).contains(&t.chars().count()) {
                    out.push(t);
                }
            }
        }
    }
    out
}

/// splitmix64: the same boards on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}
