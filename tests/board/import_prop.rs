//! Import documents built from hostile strings and structures (issue 8): random Unicode
//! with controls and bidi overrides, huge strings, deep nesting, wrong types, duplicate
//! ids and names, impossible dates, unknown fields, truncated files, a byte order mark.
//!
//! For each, read the way `obeya import` reads a file (read whole, checked, imported
//! into a board), and check:
//! - nothing panics;
//! - a refused document is refused in words that name the file, and leaves the board
//!   byte-for-byte unchanged, with no journal;
//! - an accepted one round-trips: the board's export, imported into an empty board,
//!   exports the same, through JSON and through TOML; and imported again into the
//!   board it came from, it changes nothing.
//!
//! The seed is printed; `OBEYA_TEST_SEED=N` replays it, `PROPTEST_CASES=N` runs more.

use kit::seed;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use obeya::exchange::{self, Format};
use obeya::store::Store;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
use serde_json::{Map, Value, json};

// ------------------------------------------------------------------ strategies

/// Text as a teammate might leave it, or worse.
fn hostile_string() -> BoxedStrategy<String> {
    prop_oneof![
        6 => "[A-Za-z][a-z ]{0,10}",
        3 => proptest::collection::vec(any::<char>(), 0..16).prop_map(|v| v.into_iter().collect()),
        2 => proptest::collection::vec(
            prop_oneof![
                (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap()),
                (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).unwrap()),
                Just('\u{202e}'),
                Just('\u{2066}'),
                Just('\u{200d}'),
                Just('\u{feff}'),
                Just('\''),
                Just('"'),
                Just('\\'),
                Just('é'),
                Just('🚀'),
            ],
            0..12,
        )
        .prop_map(|v| v.into_iter().collect()),
        1 => Just(String::new()),
        1 => Just("   ".to_string()),
        // Long, up to a line's limit (`rules::TextSize`; a name's is 200): longer than
        // that is refused, and `cli/long_text.rs` holds each way in to it.
        1 => (1usize..=50, any::<char>()).prop_map(|(k, c)| c.to_string().repeat(k * 20)),
    ]
    .boxed()
}

/// A value of the wrong type: numbers out of range, nested arrays and tables (some
/// nested deeper than any parser should follow), booleans, nulls.
fn wrong_value() -> BoxedStrategy<Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        Just(json!(u64::MAX)),
        Just(json!(1.5e300)),
        Just(json!(-0.0)),
        hostile_string().prop_map(Value::String),
    ];
    prop_oneof![
        4 => leaf.clone().prop_recursive(4, 16, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map("[a-z]{1,6}", inner, 0..4)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        }),
        1 => (1usize..3000).prop_map(|depth| {
            let mut v = json!(1);
            for _ in 0..depth {
                v = Value::Array(vec![v]);
            }
            v
        }),
    ]
    .boxed()
}

/// Usually a value of the right shape, now and then anything at all.
fn or_wrong(right: BoxedStrategy<Value>) -> BoxedStrategy<Value> {
    prop_oneof![12 => right, 1 => wrong_value()].boxed()
}

fn text() -> BoxedStrategy<Value> {
    or_wrong(hostile_string().prop_map(Value::String).boxed())
}

/// Names from a small pool (so duplicates, differently cased, and references that
/// match are common), or anything.
fn name(pool: &'static [&'static str]) -> BoxedStrategy<Value> {
    or_wrong(
        prop_oneof![
            4 => proptest::sample::select(pool).prop_map(|s| json!(s)),
            1 => hostile_string().prop_map(Value::String),
        ]
        .boxed(),
    )
}

const PERSONAS: &[&str] = &["Maria", "maria ", "Ben", "Zoë 🚀", "ZOË 🚀", "Priya"];
const STAGES: &[&str] = &["Discover", "DISCOVER", "Pay", "受け取り", "Get help"];

fn date() -> BoxedStrategy<Value> {
    or_wrong(
        prop_oneof![
            Just(json!("2026-11-20")),
            Just(json!("2026-02-30")),
            Just(json!("9999-12-31")),
            Just(json!("0000-01-01")),
            Just(json!("2026-13-01")),
            Just(json!("26-1-1")),
            "[0-9]{4}-[0-9]{2}-[0-9]{2}".prop_map(|s| json!(s)),
        ]
        .boxed(),
    )
}

fn timestamp() -> BoxedStrategy<Value> {
    or_wrong(
        prop_oneof![
            Just(json!("2026-11-22T09:00:00Z")),
            Just(json!("9999-12-31T23:59:59Z")),
            // The earliest a board keeps (`rules::TIME_YEARS`; earlier is refused, see
            // `cli/long_text.rs`).
            Just(json!("1900-01-01T00:00:00Z")),
            Just(json!("2026-02-30T00:00:00Z")),
            Just(json!("2026-11-22 09:00")),
            "20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-6][0-9]Z"
                .prop_map(|s| json!(s)),
        ]
        .boxed(),
    )
}

/// An object with some of `fields` (each present or not).
fn object(fields: Vec<(&'static str, BoxedStrategy<Value>)>) -> BoxedStrategy<Value> {
    let parts: Vec<_> = fields
        .into_iter()
        .map(|(k, v)| proptest::option::weighted(0.7, v).prop_map(move |v| (k, v)))
        .collect();
    (parts, proptest::option::weighted(0.03, wrong_value()))
        .prop_map(|(parts, unknown)| {
            let mut m = Map::new();
            for (k, v) in parts {
                if let Some(v) = v {
                    m.insert(k.to_string(), v);
                }
            }
            if let Some(v) = unknown {
                m.insert("unknown_field".into(), v);
            }
            Value::Object(m)
        })
        .boxed()
}

fn persona() -> BoxedStrategy<Value> {
    or_wrong(object(vec![
        ("name", name(PERSONAS)),
        ("role", text()),
        ("goal", text()),
        ("needs", text()),
        ("pains", text()),
        ("quote", text()),
    ]))
}

fn number() -> BoxedStrategy<Value> {
    or_wrong(
        prop_oneof![
            any::<i32>().prop_map(|n| json!(n)),
            (-1e6f64..1e6).prop_map(|f| json!(f)),
        ]
        .boxed(),
    )
}

fn stage() -> BoxedStrategy<Value> {
    or_wrong(object(vec![
        ("name", name(STAGES)),
        ("customer_goal", text()),
        ("touchpoints", text()),
        ("pains", text()),
        ("backstage", text()),
        (
            "metric",
            or_wrong(object(vec![
                ("name", text()),
                ("target", number()),
                ("actual", number()),
                ("unit", text()),
            ])),
        ),
    ]))
}

fn feeling() -> BoxedStrategy<Value> {
    or_wrong(object(vec![
        ("persona", name(PERSONAS)),
        ("stage", name(STAGES)),
        (
            "score",
            or_wrong((-3i64..=3).prop_map(|n| json!(n)).boxed()),
        ),
        ("note", text()),
    ]))
}

fn comment() -> BoxedStrategy<Value> {
    or_wrong(object(vec![
        ("author", text()),
        ("at", timestamp()),
        ("text", text()),
    ]))
}

fn item() -> BoxedStrategy<Value> {
    let status = prop_oneof![
        Just(json!("plan")),
        Just(json!("Do")),
        Just(json!("CHECK")),
        Just(json!("act")),
        Just(json!("done")),
        Just(json!("doing")),
    ]
    .boxed();
    // Ids from a small range: duplicates are common; some not positive.
    let id = prop_oneof![(-1i64..6).prop_map(|n| json!(n)), Just(json!(i64::MAX))].boxed();
    or_wrong(object(vec![
        ("id", or_wrong(id)),
        ("title", text()),
        ("detail", text()),
        ("status", or_wrong(status)),
        ("owner", text()),
        ("due", date()),
        ("persona", name(PERSONAS)),
        ("stage", name(STAGES)),
        ("impact", text()),
        ("risk", text()),
        (
            "blocked",
            or_wrong(any::<bool>().prop_map(Value::Bool).boxed()),
        ),
        ("blocked_reason", text()),
        ("created_at", timestamp()),
        ("updated_at", timestamp()),
        ("status_since", timestamp()),
        (
            "comments",
            or_wrong(
                proptest::collection::vec(comment(), 0..3)
                    .prop_map(Value::Array)
                    .boxed(),
            ),
        ),
    ]))
}

fn list(of: BoxedStrategy<Value>, max: usize) -> BoxedStrategy<Value> {
    or_wrong(
        proptest::collection::vec(of, 0..max)
            .prop_map(Value::Array)
            .boxed(),
    )
}

fn document() -> BoxedStrategy<Value> {
    let format = prop_oneof![20 => Just(json!("obeya")), 1 => text()].boxed();
    let version = prop_oneof![20 => Just(json!(1)), 1 => number()].boxed();
    (
        format,
        version,
        or_wrong(object(vec![("statement", text()), ("customer", text())])),
        list(persona(), 5),
        list(stage(), 5),
        list(feeling(), 6),
        list(item(), 8),
    )
        .prop_map(
            |(format, version, mission, personas, stages, feelings, items)| {
                json!({
                    "format": format, "version": version, "mission": mission,
                    "personas": personas, "stages": stages, "feelings": feelings,
                    "items": items,
                })
            },
        )
        .boxed()
}

/// Text that is not blank: hostile, with something visible after it.
fn some_text() -> BoxedStrategy<String> {
    hostile_string().prop_map(|s| format!("{s} x")).boxed()
}

/// A document whose structure is right (unique names, references that exist, real
/// days, unique ids), with hostile text everywhere text goes.
fn sound_document() -> BoxedStrategy<Value> {
    let named = |n: usize| {
        proptest::collection::vec((some_text(), text_or_empty(), text_or_empty()), 0..n).prop_map(
            |v| {
                v.into_iter()
                    .enumerate()
                    .map(|(i, (name, a, b))| (format!("{name} #{i}"), a, b))
                    .collect::<Vec<_>>()
            },
        )
    };
    let feelings =
        proptest::collection::vec((0usize..4, 0usize..4, -2i64..=2, text_or_empty()), 0..8);
    let items = proptest::collection::vec(
        (
            proptest::option::of(Just(())),
            some_text(),
            text_or_empty(),
            prop_oneof![
                Just("plan"),
                Just("do"),
                Just("Check"),
                Just("act"),
                Just("done")
            ],
            proptest::option::of(prop_oneof![
                Just("2026-11-20"),
                Just("9999-12-31"),
                Just("0001-01-01"),
                Just("2024-02-29"),
            ]),
            (0usize..5, 0usize..5, any::<bool>()),
            proptest::option::of(prop_oneof![
                Just("2026-11-22T09:00:00Z"),
                Just("9999-12-30T00:00:00Z"),
                Just("1970-01-01T00:00:00Z"),
            ]),
            proptest::collection::vec((text_or_empty(), some_text()), 0..3),
        ),
        0..8,
    );
    (named(5), named(5), feelings, items, text_or_empty(), text_or_empty())
        .prop_map(|(personas, stages, feelings, items, statement, customer)| {
            let mut seen = std::collections::HashSet::new();
            let feelings: Vec<Value> = feelings
                .into_iter()
                .filter(|(p, s, ..)| *p < personas.len() && *s < stages.len() && seen.insert((*p, *s)))
                .map(|(p, s, score, note)| {
                    json!({"persona": personas[p].0, "stage": stages[s].0, "score": score, "note": note})
                })
                .collect();
            let items: Vec<Value> = items
                .into_iter()
                .enumerate()
                .map(|(k, (id, title, detail, status, due, (p, s, blocked), at, comments))| {
                    let mut m = json!({
                        "title": title, "detail": detail, "status": status, "blocked": blocked,
                        "blocked_reason": if blocked { "waiting" } else { "" },
                        "comments": comments.iter().map(|(author, text)| json!({"author": author, "text": text, "at": at})).collect::<Vec<_>>(),
                    });
                    if id.is_some() {
                        m["id"] = json!(k + 1);
                    }
                    if let Some(d) = due {
                        m["due"] = json!(d);
                    }
                    if let Some(t) = at {
                        for f in ["created_at", "updated_at", "status_since"] {
                            m[f] = json!(t);
                        }
                    }
                    if p < personas.len() {
                        m["persona"] = json!(personas[p].0);
                    }
                    if s < stages.len() {
                        m["stage"] = json!(stages[s].0);
                    }
                    m
                })
                .collect();
            json!({
                "format": "obeya", "version": 1,
                "mission": {"statement": statement, "customer": customer},
                "personas": personas.iter().map(|(n, role, quote)| json!({"name": n, "role": role, "quote": quote})).collect::<Vec<_>>(),
                "stages": stages.iter().map(|(n, pains, goal)| json!({"name": n, "pains": pains, "customer_goal": goal, "metric": {"name": goal, "target": 90.5, "actual": -3, "unit": "%"}})).collect::<Vec<_>>(),
                "feelings": feelings,
                "items": items,
            })
        })
        .boxed()
}

fn text_or_empty() -> BoxedStrategy<String> {
    hostile_string()
}

/// How the document reaches the file.
#[derive(Debug, Clone)]
enum Writing {
    Json,
    /// TOML (nulls dropped, as TOML has none), metric numbers now and then infinite.
    Toml {
        infinite_metrics: bool,
    },
}

fn file_text() -> BoxedStrategy<(Writing, String)> {
    (
        prop_oneof![document(), sound_document()],
        prop_oneof![
            Just(Writing::Json),
            any::<bool>().prop_map(|i| Writing::Toml {
                infinite_metrics: i
            })
        ],
        any::<bool>(),
        proptest::option::weighted(0.1, any::<proptest::sample::Index>()),
    )
        .prop_map(|(doc, writing, bom, cut)| {
            let mut text = match &writing {
                Writing::Json => serde_json::to_string_pretty(&doc).unwrap(),
                Writing::Toml { infinite_metrics } => {
                    to_toml(&doc, *infinite_metrics).unwrap_or_else(|| doc.to_string())
                }
            };
            if let Some(at) = cut {
                // A file cut short (a full disk, a half-finished copy).
                let mut n = at.index(text.len() + 1);
                while !text.is_char_boundary(n) {
                    n -= 1;
                }
                text.truncate(n);
            }
            if bom {
                text.insert(0, '\u{feff}');
            }
            (writing, text)
        })
        .boxed()
}

/// The JSON value as TOML, if TOML can hold it (a table at the top, no nulls).
fn to_toml(v: &Value, infinite_metrics: bool) -> Option<String> {
    fn conv(v: &Value, key: &str, inf: bool) -> Option<toml::Value> {
        Some(match v {
            Value::Null => return None,
            Value::Bool(b) => toml::Value::Boolean(*b),
            Value::Number(n) if inf && (key == "target" || key == "actual") => {
                let _ = n;
                toml::Value::Float(f64::INFINITY)
            }
            Value::Number(n) => match n.as_i64() {
                Some(i) => toml::Value::Integer(i),
                None => toml::Value::Float(n.as_f64()?),
            },
            Value::String(s) => toml::Value::String(s.clone()),
            Value::Array(a) => {
                toml::Value::Array(a.iter().filter_map(|x| conv(x, key, inf)).collect())
            }
            Value::Object(m) => toml::Value::Table(
                m.iter()
                    .filter_map(|(k, x)| Some((k.clone(), conv(x, k, inf)?)))
                    .collect(),
            ),
        })
    }
    match conv(v, "", infinite_metrics)? {
        toml::Value::Table(t) => toml::to_string(&t).ok(),
        _ => None,
    }
}

// ------------------------------------------------------------------ the property

/// The starter board's file, made once; each case works on a copy.
fn starter_file() -> &'static [u8] {
    static FILE: OnceLock<Vec<u8>> = OnceLock::new();
    FILE.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("starter.db");
        let mut store = Store::create(&path, "alice").unwrap();
        exchange::import(&mut store, &exchange::starter()).unwrap();
        drop(store);
        std::fs::read(&path).unwrap()
    })
}

fn journal(path: &Path) -> PathBuf {
    let mut j = path.as_os_str().to_owned();
    j.push("-journal");
    PathBuf::from(j)
}

/// What `obeya import FILE` does: read and check the file, import it. A refusal is
/// the message `obeya import` prints (after "obeya: "), which names the file.
fn import_text(
    store: &mut Store,
    text: &str,
    format: Format,
) -> Result<exchange::ImportReport, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(match format {
        Format::Json => "doc.json",
        Format::Toml => "doc.toml",
    });
    std::fs::write(&path, text).unwrap();
    let doc = exchange::read_file(&path).map_err(|e| {
        let shown = e.to_string();
        let named = format!("{}: ", path.display());
        assert!(shown.starts_with(&named), "the file is not named: {shown}");
        shown
    })?;
    exchange::import(store, &doc).map_err(|e| e.to_string())
}

/// The board's export, imported into an empty board, exports the same (as JSON).
fn round_trips(export: &str, via: Format, dir: &Path, name: &str) -> Result<(), TestCaseError> {
    let doc = exchange::parse(export, Format::Json).unwrap();
    let text = match via {
        Format::Json => exchange::to_json(&doc),
        Format::Toml => exchange::to_toml(&doc),
    };
    let mut fresh = Store::create(&dir.join(name), "alice").unwrap();
    import_text(&mut fresh, &text, via).map(drop).map_err(|e| {
        TestCaseError::fail(format!("the export was refused ({via:?}): {e}\n{text}"))
    })?;
    let again = exchange::to_json(&exchange::export(&fresh).unwrap());
    if export != again {
        let (a, b) = export
            .lines()
            .zip(again.lines())
            .find(|(a, b)| a != b)
            .unwrap_or(("(shorter)", "(longer)"));
        return Err(TestCaseError::fail(format!(
            "the export does not round-trip through {via:?}: first difference\n  export: {a}\n  again:  {b}"
        )));
    }
    Ok(())
}

#[test]
fn hostile_import_documents_never_panic_leave_refused_boards_alone_and_round_trip() {
    // The test's own deeply nested values (built, printed, cloned, dropped) recurse;
    // obeya's parsers stop at their nesting limits long before.
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(run_cases)
        .unwrap()
        .join()
        .unwrap_or_else(|e| std::panic::resume_unwind(e));
}

fn run_cases() {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(40);
    let mut runner = TestRunner::new(Config {
        cases,
        rng_seed: RngSeed::Fixed(seed::seed("import_prop")),
        failure_persistence: None,
        max_shrink_iters: 200,
        ..Config::default()
    });
    let (accepted, refused) = (std::cell::Cell::new(0), std::cell::Cell::new(0));
    runner
        .run(&file_text(), |(writing, text)| {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("team.db");
            std::fs::write(&path, starter_file()).unwrap();
            let before = std::fs::read(&path).unwrap();
            let mut store = Store::open(&path, "alice").unwrap();
            let format = match writing {
                Writing::Json => Format::Json,
                Writing::Toml { .. } => Format::Toml,
            };
            match import_text(&mut store, &text, format) {
                Err(_) => {
                    refused.set(refused.get() + 1);
                    drop(store);
                    prop_assert!(
                        std::fs::read(&path).unwrap() == before,
                        "a refused document changed the board"
                    );
                    prop_assert!(!journal(&path).exists(), "a journal was left");
                }
                Ok(_) => {
                    accepted.set(accepted.get() + 1);
                    let export = exchange::to_json(&exchange::export(&store).unwrap());
                    round_trips(&export, Format::Json, dir.path(), "json.db")?;
                    round_trips(&export, Format::Toml, dir.path(), "toml.db")?;
                    let again = import_text(&mut store, &export, Format::Json)
                        .map_err(|e| TestCaseError::fail(format!("its export was refused: {e}")))?;
                    prop_assert_eq!(
                        again.to_string(),
                        "added nothing; updated nothing",
                        "the board's own export changed it"
                    );
                }
            }
            Ok(())
        })
        .unwrap();
    let (accepted, refused) = (accepted.get(), refused.get());
    eprintln!("import_prop: {accepted} accepted, {refused} refused");
    assert!(
        accepted > 0 && refused > 0,
        "{accepted} accepted, {refused} refused: the mix is off"
    );
}
