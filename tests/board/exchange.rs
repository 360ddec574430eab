//! The exchange formats in process: JSON and TOML carry the same document losslessly
//! (hostile text included, never raw), a file is read whole and refused in words that
//! say where, a document is validated before any board is touched, and a board goes to
//! a document and back; the Markdown report and the CSV table.
//!
//! The seed of the round-trip property is printed; `OBEYA_TEST_SEED=N` replays it.

use std::path::Path;

use jiff::tz::TimeZone;
use kit::documents::{board_of, loaded_starter, sample_doc, ts, without_uids};
use kit::seed;
use obeya::exchange::{
    CSV_HEADER, Document, ExchangeError, Format, Invalid, ItemDoc, MissionDoc, PersonaDoc,
    format_for_path, from_board, items_csv, json_pretty, parse, read_file, starter, to_json,
    to_markdown, to_toml, validate,
};
use obeya::model::{self, Side, Status};

// ------------------------------------------------------------------ JSON and TOML

#[test]
fn json_to_document_to_json_is_identical() {
    let json = to_json(&sample_doc());
    let again = to_json(&parse(&json, Format::Json).unwrap());
    assert_eq!(json, again);
    assert!(json.ends_with("}\n"));
    let starter_json = to_json(&starter());
    assert_eq!(
        to_json(&parse(&starter_json, Format::Json).unwrap()),
        starter_json
    );
}

#[test]
fn json_and_toml_carry_the_same_document() {
    for doc in [sample_doc(), starter()] {
        let from_json = parse(&to_json(&doc), Format::Json).unwrap();
        let toml_text = to_toml(&doc);
        let from_toml =
            parse(&toml_text, Format::Toml).unwrap_or_else(|e| panic!("{e}\n{toml_text}"));
        assert_eq!(from_json, doc);
        assert_eq!(from_toml, doc);
    }
}

#[test]
fn unicode_round_trips_through_both_formats() {
    let doc = sample_doc();
    for format in [Format::Json, Format::Toml] {
        let text = if format == Format::Json {
            to_json(&doc)
        } else {
            to_toml(&doc)
        };
        assert!(
            text.contains("Zoë 🚀"),
            "{format:?} escaped the text:\n{text}"
        );
        let back = parse(&text, format).unwrap();
        assert_eq!(back.personas[0].name, "Zoë 🚀");
        assert_eq!(back.personas[0].role, "顧客 (customer)");
        assert_eq!(
            back.mission.statement,
            "Zoë 🚀 顧客: we deliver, «vite» et bien."
        );
        assert_eq!(back.personas[0].quote, "Ça marche \"bien\"\nsecond line");
        assert_eq!(back.items[0].stage.as_deref(), Some("受け取り"));
    }
}

#[test]
fn output_has_contract_key_order_and_omits_empty_values() {
    let json = to_json(&sample_doc());
    let pos = |k: &str| {
        json.find(&format!("\"{k}\""))
            .unwrap_or_else(|| panic!("no {k}"))
    };
    let keys = [
        "format", "version", "mission", "personas", "stages", "feelings", "items",
    ];
    assert!(keys.windows(2).all(|w| pos(w[0]) < pos(w[1])), "{json}");
    assert!(!json.contains("null"), "{json}");
    assert!(json.contains("\"due\": \"2026-11-20\""), "{json}");
    assert!(
        json.contains("\"created_at\": \"2026-11-01T08:00:00Z\""),
        "{json}"
    );
    assert!(json.contains("\"status\": \"do\""));
    let toml_text = to_toml(&sample_doc());
    assert!(
        toml_text.starts_with("format = \"obeya\"\nversion = 4\n"),
        "{toml_text}"
    );
}

#[test]
fn minimal_hand_written_files_parse_with_defaults() {
    let toml_text = "format = \"obeya\"\nversion = 1\n[[items]]\ntitle = \"Just a title\"\n";
    let doc = parse(toml_text, Format::Toml).unwrap();
    validate(&doc).unwrap();
    assert_eq!(doc.items.len(), 1);
    assert_eq!(doc.items[0].title, "Just a title");
    assert_eq!(doc.items[0].status, Status::Plan);
    assert_eq!(doc.items[0].id, None);

    let json = r#"{"format":"obeya","version":1,"mission":null,
        "items":[{"title":"A","status":"Check","owner":null,"due":null,"persona":null,
                  "blocked":null,"created_at":null,"comments":null}]}"#;
    let doc = parse(json, Format::Json).unwrap();
    validate(&doc).unwrap();
    assert_eq!(doc.items[0].status, Status::Check);
    assert_eq!(doc.items[0].owner, "");
    assert!(!doc.items[0].blocked);
}

/// JSON keys in any order: items listed before the personas and stages they name are
/// linked to them on import.
#[test]
fn json_items_before_the_personas_they_name_import_linked() {
    let json = r#"{"items":[{"title":"Call back","persona":"Ann","stage":"Buy"}],
        "stages":[{"name":"Buy"}],"personas":[{"name":"Ann"}],
        "version":1,"format":"obeya"}"#;
    let doc = parse(json, Format::Json).unwrap();
    validate(&doc).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut store = obeya::store::Store::create(&dir.path().join("b.db"), "bob").unwrap();
    obeya::exchange::import(&mut store, &doc).unwrap();
    let board = store.load_board().unwrap();
    let item = &board.items[0];
    assert_eq!(item.title, "Call back");
    assert_eq!(item.persona_id, Some(board.personas[0].id));
    assert_eq!(item.stage_id, Some(board.stages[0].id));
}

#[test]
fn toml_native_dates_are_accepted() {
    let toml_text = "format = \"obeya\"\nversion = 1\n[[items]]\ntitle = \"T\"\n\
                     due = 2026-12-01\ncreated_at = 2026-11-01T08:00:00Z\n";
    let doc = parse(toml_text, Format::Toml).unwrap();
    assert_eq!(
        doc.items[0].due,
        Some(model::parse_date("2026-12-01").unwrap())
    );
    assert_eq!(doc.items[0].created_at, Some(ts("2026-11-01T08:00:00Z")));
}

#[test]
fn a_byte_order_mark_is_not_content_and_long_lines_are_cut_in_errors() {
    let doc = parse("\u{feff}format = \"obeya\"\nversion = 1\n", Format::Toml).unwrap();
    assert_eq!(doc.version, 1);
    let doc = parse("\u{feff}{\"format\":\"obeya\",\"version\":1}", Format::Json).unwrap();
    assert_eq!(doc.format, "obeya");
    let long = format!(
        "format = \"obeya\"\nversion = 1\nbogus = \"{}\"\n",
        "x".repeat(100_000)
    );
    let err = parse(&long, Format::Toml).unwrap_err().to_string();
    assert!(
        err.contains("bogus") && err.len() < 2_000,
        "{} bytes",
        err.len()
    );
}

#[test]
fn parse_errors_are_readable() {
    let err = parse("{\"format\": \"obeya\", \"verison\": 1}", Format::Json)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("invalid JSON") && err.contains("verison") && err.contains("line 1"),
        "{err}"
    );
    let err = parse(
        "format = \"obeya\"\nversion = 1\n[[items]]\ntitel = \"x\"\n",
        Format::Toml,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("invalid TOML") && err.contains("titel") && err.contains("line 4"),
        "{err}"
    );
    let err = parse(
        "[[items]]\ntitle = \"x\"\ndue = \"2026-02-30\"\n",
        Format::Toml,
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("invalid date '2026-02-30' (expected YYYY-MM-DD, a real calendar day)"),
        "{err}"
    );
    let err = parse(
        "{\"items\":[{\"title\":\"x\",\"status\":\"doing\"}]}",
        Format::Json,
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("'doing'") && err.contains("column"), "{err}");
}

#[test]
fn format_is_chosen_by_extension() {
    assert_eq!(format_for_path(Path::new("board.json")), Some(Format::Json));
    assert_eq!(
        format_for_path(Path::new("/tmp/x/Board.TOML")),
        Some(Format::Toml)
    );
    assert_eq!(format_for_path(Path::new("board.md")), None);
    assert_eq!(format_for_path(Path::new("board")), None);
}

#[test]
fn starter_parses_validates_and_teaches() {
    let doc = starter();
    validate(&doc).unwrap();
    // Three customers, and one employee on the other side of the journey.
    assert_eq!(doc.personas.len(), 4);
    let staff: Vec<_> = doc
        .personas
        .iter()
        .filter(|p| p.side == Side::Employee)
        .collect();
    assert_eq!(staff.len(), 1);
    assert!(
        doc.feelings
            .iter()
            .filter(|f| f.persona == staff[0].name)
            .count()
            >= 3
    );
    assert!(
        doc.evidence
            .iter()
            .any(|e| e.persona.as_deref() == Some(&staff[0].name))
    );
    // Evidence of every kind but one, most with a sentiment, most supporting an item.
    assert!(doc.evidence.len() >= 8);
    assert!(
        doc.evidence
            .iter()
            .filter(|e| e.sentiment.is_some())
            .count()
            >= 8
    );
    assert!(
        doc.evidence
            .iter()
            .filter(|e| !e.supports.is_empty())
            .count()
            >= 8
    );
    let customers: Vec<_> = doc
        .personas
        .iter()
        .filter(|p| p.side == Side::Customer)
        .collect();
    assert_eq!(customers.len(), 3);
    assert!(
        (5..=6).contains(&doc.stages.len()),
        "{} stages",
        doc.stages.len()
    );
    for p in &doc.personas {
        assert!(
            !p.goal.is_empty() && !p.needs.is_empty() && !p.pains.is_empty() && !p.quote.is_empty()
        );
    }
    for p in &customers {
        for s in &doc.stages {
            let n = doc
                .feelings
                .iter()
                .filter(|f| f.persona == p.name && f.stage == s.name)
                .count();
            assert_eq!(n, 1, "feeling of {} at {}", p.name, s.name);
        }
    }
    assert_eq!(
        doc.feelings
            .iter()
            .filter(|f| f.persona != staff[0].name)
            .count(),
        customers.len() * doc.stages.len()
    );
    let scores: Vec<i64> = doc.feelings.iter().map(|f| f.score).collect();
    assert!(scores.contains(&-2) && scores.contains(&2) && scores.contains(&0));
    for s in &doc.stages {
        let m = s.metric.as_ref().unwrap();
        assert!(
            !m.name.is_empty()
                && m.target.is_some()
                && m.actual.is_some()
                && !s.backstage.is_empty()
        );
    }
    let met = doc.stages.iter().filter(|s| {
        let m = s.metric.as_ref().unwrap();
        m.actual >= m.target
    });
    assert!(
        (1..doc.stages.len()).contains(&met.count()),
        "some metrics met, some missed"
    );

    assert!((7..=10).contains(&doc.items.len()));
    for &status in Status::ALL {
        assert!(
            doc.items.iter().any(|i| i.status == status),
            "no item in {status}"
        );
    }
    assert!(
        doc.items
            .iter()
            .all(|i| !i.impact.is_empty() && !i.owner.is_empty())
    );
    assert!(doc.items.iter().any(|i| !i.risk.is_empty()));
    assert!(doc.items.iter().filter(|i| !i.comments.is_empty()).count() >= 2);
    let blocked: Vec<_> = doc.items.iter().filter(|i| i.blocked).collect();
    assert_eq!(blocked.len(), 1);
    assert!(!blocked[0].blocked_reason.is_empty());
    let unlinked = doc
        .items
        .iter()
        .filter(|i| i.persona.is_none() && i.stage.is_none())
        .count();
    assert_eq!(unlinked, 1);

    let board = loaded_starter();
    let today = model::parse_date("2026-11-22").unwrap();
    let overdue: Vec<&str> = board
        .items
        .iter()
        .filter(|i| i.is_overdue(today))
        .map(|i| i.title.as_str())
        .collect();
    assert_eq!(overdue.len(), 1, "{overdue:?}");
}

// ------------------------------------------------------------------ never raw

#[test]
fn json_escapes_what_serde_json_leaves_raw() {
    let s = "a\u{9b}b\u{7f}c\u{202e}d\u{1b}e\n";
    let json = json_pretty(&s).unwrap();
    assert_eq!(json, r#""a\u009bb\u007fc\u202ed\u001be\n""#);
    assert_eq!(serde_json::from_str::<String>(&json).unwrap(), s);
}

/// Whether `c` may not appear raw in TOML output (a newline may).
fn toml_hazard(c: char) -> bool {
    obeya::format::is_hazard(c) && c != '\n'
}

#[test]
fn toml_literal_and_basic_strings_lose_their_raw_hazards_not_their_text() {
    // Texts that make the TOML writer pick each kind of string.
    let texts = [
        // A backslash makes the writer pick a literal string.
        "C:\\dir\u{9b}\u{202e}",
        "tab\there",
        // Multi-line, with quotes at the end: a multi-line literal '''…'''''.
        "one\\\ntwo\u{85}''",
        "quote \" and \u{2066}",
        "multi\nline \"\"\u{9b} \\ end\"",
    ];
    let doc = Document {
        mission: MissionDoc {
            statement: texts[0].into(),
            customer: texts[1].into(),
        },
        personas: vec![PersonaDoc {
            name: texts[2].into(),
            quote: texts[3].into(),
            ..Default::default()
        }],
        items: vec![ItemDoc {
            title: texts[4].into(),
            ..Default::default()
        }],
        ..Default::default()
    };
    let safe = to_toml(&doc);
    assert!(!safe.chars().any(toml_hazard), "{safe}");
    let back = parse(&safe, Format::Toml).unwrap_or_else(|e| panic!("{e}\n{safe}"));
    assert_eq!(back, doc, "{safe}");
}

/// Text built from what trips writers up: quotes, backslashes, newlines, controls,
/// DEL, C1, bidi overrides, and ordinary text around them.
fn hostile_text() -> impl proptest::strategy::Strategy<Value = String> {
    use proptest::prelude::*;
    let piece = prop_oneof![
        Just("'".to_string()),
        Just("''".to_string()),
        Just("'''".to_string()),
        Just("\"".to_string()),
        Just("\"\"\"".to_string()),
        Just("\\".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\t".to_string()),
        Just("#".to_string()),
        Just("\\u0041".to_string()),
        Just("Zoë 🚀".to_string()),
        "[a-z ]{0,6}",
        proptest::char::any().prop_map(String::from),
        (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap().to_string()),
        (0x7fu32..0xa0).prop_map(|c| char::from_u32(c).unwrap().to_string()),
        prop_oneof![0x202au32..0x202f, 0x2066u32..0x206a]
            .prop_map(|c| char::from_u32(c).unwrap().to_string()),
    ];
    proptest::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

#[test]
fn any_text_round_trips_through_json_and_toml_without_raw_hazards() {
    use proptest::test_runner::{Config, RngSeed, TestCaseError, TestRunner};
    let config = Config {
        cases: 128,
        rng_seed: RngSeed::Fixed(seed::seed("exchange round trip")),
        failure_persistence: None,
        ..Config::default()
    };
    let mut runner = TestRunner::new(config);
    let texts = proptest::collection::vec(hostile_text(), 6);
    runner
        .run(&texts, |t| {
            let doc = Document {
                mission: MissionDoc {
                    statement: t[0].clone(),
                    customer: t[1].clone(),
                },
                personas: vec![PersonaDoc {
                    name: t[2].clone(),
                    quote: t[3].clone(),
                    ..Default::default()
                }],
                items: vec![ItemDoc {
                    title: t[4].clone(),
                    detail: t[5].clone(),
                    ..Default::default()
                }],
                ..Default::default()
            };
            for (text, format) in [(to_json(&doc), Format::Json), (to_toml(&doc), Format::Toml)] {
                let raw: Vec<char> = text.chars().filter(|c| toml_hazard(*c)).collect();
                proptest::prop_assert!(raw.is_empty(), "{format:?}: raw {raw:?} in\n{text}");
                let back = parse(&text, format)
                    .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
                proptest::prop_assert_eq!(&back, &doc, "{:?}:\n{}", format, text);
            }
            Ok(())
        })
        .unwrap();
}

// ------------------------------------------------------------------ a file read whole

/// The verdict on `text` written to a file named `name`, as shown.
fn verdict(name: &str, text: &str) -> Result<Document, String> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    read_file(&path).map_err(|e| {
        let shown = e.to_string();
        let prefix = format!("{}: ", path.display());
        shown.strip_prefix(&prefix).unwrap_or(&shown).to_owned()
    })
}

#[test]
fn a_file_is_read_whole_and_refused_in_words_that_name_it_and_the_place() {
    // Keys in any order: items before the personas and stages they name; a BOM.
    let doc = verdict(
        "doc.json",
        "\u{feff}{\"items\":[{\"title\":\"a\",\"persona\":\"maria\",\"stage\":\"Buy\"}],\
         \"version\":2,\"stages\":[{\"name\":\"buy\"}],\"personas\":[{\"name\":\"Maria\"}],\
         \"format\":\"obeya\"}",
    )
    .unwrap();
    assert_eq!(doc.items[0].title, "a");
    let doc = verdict(
        "doc.toml",
        "\u{feff}format = \"obeya\"\r\nversion = 1\r\n[[items]]\r\ntitle = \"crlf\"\r\n",
    )
    .unwrap();
    assert_eq!(doc.items[0].title, "crlf");

    let err = verdict("doc.json", "{\"format\":\"obeya\",\n\"verison\":1}").unwrap_err();
    assert!(
        err.starts_with("invalid JSON: unknown field `verison`"),
        "{err}"
    );
    assert!(err.ends_with(" at line 2 column 10"), "{err}");
    let err = verdict(
        "doc.toml",
        "format = \"obeya\"\nversion = 1\n[[items]]\ntitel = \"x\"\n",
    )
    .unwrap_err();
    assert!(
        err.starts_with("invalid TOML: TOML parse error at line 4, column 1"),
        "{err}"
    );
    assert!(err.contains("titel"), "{err}");
    assert_eq!(
        verdict(
            "doc.json",
            r#"{"format":"obeya","version":2,"items":[{"title":" "}]}"#
        )
        .unwrap_err(),
        "item 1 has an empty title"
    );
    assert_eq!(
        verdict("doc.txt", "").unwrap_err(),
        "expected a .json or .toml file"
    );
}

#[test]
fn a_parse_error_carries_its_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.toml");
    std::fs::write(&path, "format = \"obeya\"\nversion = 1\n  bogus = 1\n").unwrap();
    match read_file(&path) {
        Err(ExchangeError::Parse { file, error }) => {
            assert_eq!(file.as_deref(), Some(path.as_path()));
            assert_eq!(error.format, Format::Toml);
            assert_eq!(error.location, Some((3, 3)));
            assert!(error.message.contains("bogus"), "{}", error.message);
        }
        other => panic!("{other:?}"),
    }
    let path = dir.path().join("doc.json");
    std::fs::write(&path, "{\"format\": \"obeya\",\n  \"version\": x}").unwrap();
    match read_file(&path) {
        Err(ExchangeError::Parse { error, .. }) => {
            assert_eq!(error.format, Format::Json);
            assert_eq!(error.location, Some((2, 14)));
            assert_eq!(error.message, "expected value");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_byte_order_mark_is_skipped_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("doc.json");
    let doc = br#"{"format":"obeya","version":2}"#;
    let read = |bytes: &[u8]| {
        std::fs::write(&path, bytes).unwrap();
        read_file(&path)
    };
    assert!(read(&[&b"\xef\xbb\xbf"[..], &doc[..]].concat()).is_ok());
    assert!(read(doc).is_ok());
    // Only a whole mark, and only one at the start, is skipped: anything else is
    // content, refused as JSON (a file too short to hold a mark included).
    let half_a_mark = [&b"\xef\xbb"[..], &doc[..]].concat();
    for bytes in [
        &b"\xef\xbb"[..],
        b"\xef\xbb\xbf",
        b"\xef\xbb\xbf\xef\xbb\xbf{}",
        &half_a_mark,
        b"{",
        b"",
    ] {
        match read(bytes) {
            Err(ExchangeError::Parse { error, .. }) => {
                assert_eq!(error.format, Format::Json, "{bytes:?}")
            }
            other => panic!("{bytes:?}: {other:?}"),
        }
    }
}

// ------------------------------------------------------------------ validation

fn invalid(mutate: impl FnOnce(&mut Document)) -> String {
    let mut doc = sample_doc();
    mutate(&mut doc);
    validate(&doc).expect_err("should be refused").to_string()
}

#[test]
fn validate_names_each_bad_value() {
    validate(&sample_doc()).unwrap();
    let cases: Vec<(String, &str)> = vec![
        (invalid(|d| d.format = "trello".into()), "'trello'"),
        (invalid(|d| d.format = String::new()), "format"),
        (invalid(|d| d.version = 5), "newer obeya"),
        (invalid(|d| d.version = 0), "version"),
        (
            invalid(|d| d.stages[0].metric.as_mut().unwrap().warn = Some(-1.0)),
            "stage 'Découvrir': metric warn '-1' is below 0",
        ),
        (
            invalid(|d| d.items[0].baseline = Some(f64::NAN)),
            "item 7: baseline 'NaN' is not a number",
        ),
        (
            invalid(|d| d.personas[1].name = " ".into()),
            "persona 2 has an empty name",
        ),
        (
            invalid(|d| d.personas[1].name = "ZOË 🚀".into()),
            "duplicate persona name 'ZOË 🚀'",
        ),
        (
            invalid(|d| d.stages[1].name = String::new()),
            "stage 2 has an empty name",
        ),
        (
            invalid(|d| d.stages[1].name = "découvrir".into()),
            "duplicate stage name 'découvrir'",
        ),
        (
            invalid(|d| d.feelings[0].persona = "Marla".into()),
            "feeling for unknown persona 'Marla'",
        ),
        (
            invalid(|d| d.feelings[0].stage = "Pay".into()),
            "feeling for unknown stage 'Pay'",
        ),
        (invalid(|d| d.feelings[0].score = 3), "score 3"),
        (invalid(|d| d.feelings[1].score = -5), "score -5"),
        (
            invalid(|d| d.feelings.push(d.feelings[0].clone())),
            "duplicate feeling for persona 'Zoë 🚀' at stage 'Découvrir'",
        ),
        (
            invalid(|d| d.items[1].title = "  ".into()),
            "item 2 (#3) has an empty title",
        ),
        (
            invalid(|d| d.items[0].persona = Some("Marla".into())),
            "unknown persona 'Marla'",
        ),
        (
            invalid(|d| d.items[0].stage = Some("Nowhere".into())),
            "unknown stage 'Nowhere'",
        ),
        (invalid(|d| d.items[1].id = Some(7)), "duplicate item id 7"),
        (invalid(|d| d.items[1].id = Some(0)), "id 0"),
        (
            invalid(|d| d.stages[0].metric.as_mut().unwrap().target = Some(f64::INFINITY)),
            "metric target 'inf' is not a number",
        ),
        (
            invalid(|d| d.items[0].comments[0].text = " \n".into()),
            "item 1 (#7) has an empty comment (comment 1)",
        ),
    ];
    for (err, needle) in cases {
        assert!(err.contains(needle), "expected {needle:?} in {err:?}");
    }
    // Names match ignoring case, as on the board.
    let mut doc = sample_doc();
    doc.feelings[0].persona = "zoë 🚀".into();
    doc.items[0].stage = Some("受け取り ".into());
    validate(&doc).unwrap();
}

#[test]
fn a_refusal_carries_what_is_wrong_in_the_words_it_always_had() {
    let refused = |mutate: fn(&mut Document)| {
        let mut doc = sample_doc();
        mutate(&mut doc);
        validate(&doc).unwrap_err()
    };
    let e = refused(|d| d.personas[1].name = "ZOË 🚀".into());
    assert_eq!(
        e,
        Invalid::DuplicateName {
            kind: model::Kind::Persona,
            name: "ZOË 🚀".into(),
            first: "Zoë 🚀".into()
        }
    );
    assert_eq!(
        e.to_string(),
        "duplicate persona name 'ZOË 🚀' (same as 'Zoë 🚀', ignoring case)"
    );
    // One case folding for every name, beyond ASCII (`rules::name_key`).
    let e = refused(|d| {
        d.stages[0].name = "Straße".into();
        d.stages[1].name = "STRASSE".into();
    });
    assert!(
        matches!(
            e,
            Invalid::DuplicateName {
                kind: model::Kind::Stage,
                ..
            }
        ),
        "{e}"
    );
    assert_eq!(
        refused(|d| d.stages[1].name = " ".into()),
        Invalid::EmptyName {
            kind: "stage",
            n: 2
        }
    );
    assert_eq!(
        refused(|d| d.feelings[0].score = 3).to_string(),
        "feeling score 3 of 'Zoë 🚀' at 'Découvrir' is out of range (−2 … +2)"
    );
    assert_eq!(
        refused(|d| d.items[0].persona = Some("Marla".into())).to_string(),
        "item 'Fix refunds, \"fast\" 🚀' refers to unknown persona 'Marla'"
    );
    assert_eq!(
        refused(|d| d.items[1].title = " ".into()),
        Invalid::EmptyTitle { n: 2, id: Some(3) }
    );
    let e = refused(|d| {
        d.items[0].uid = "u".into();
        d.items[1].uid = " u ".into();
    });
    assert_eq!(e.to_string(), "duplicate item uid 'u'");
}

// ------------------------------------------------------------------ a board and back

#[test]
fn board_round_trip_keeps_the_document() {
    let doc = sample_doc();
    let board = board_of(&doc);
    assert_eq!(board.items[0].title, "Printers", "board order is by status");
    assert_eq!(board.comments.len(), 1);
    assert_eq!(board.comments[0].item_id, 7);
    let back = from_board(&board, &[]);
    // from_board writes items in board order: Plan before Do; every record got a uid.
    let mut expected = doc.clone();
    expected.items.reverse();
    assert!(back.items.iter().all(|i| i.uid.len() == 36), "{back:?}");
    assert_eq!(without_uids(back.clone()), expected);
    assert_eq!(from_board(&board_of(&back), &[]), back);
}

#[test]
fn starter_exports_stably() {
    let once = from_board(&loaded_starter(), &[]);
    let twice = from_board(
        &board_of(&parse(&to_toml(&once), Format::Toml).unwrap()),
        &[],
    );
    assert_eq!(to_json(&once), to_json(&twice));
    assert!(once.items.iter().all(|i| i.id.is_some()));
    assert_eq!(once.items[0].status, Status::Plan);
    assert_eq!(once.items.last().unwrap().status, Status::Done);
}

// ------------------------------------------------------------------ Markdown and CSV

#[test]
fn markdown_reports_the_board_and_flags_unlinked_items() {
    let board = loaded_starter();
    let md = to_markdown(&board, &TimeZone::UTC);
    assert!(md.starts_with("# Obeya board\n"));
    assert!(
        md.contains("> We bring fresh groceries to your door"),
        "{md}"
    );
    assert!(
        md.contains("**Customer:** Households and small cafés"),
        "{md}"
    );
    assert!(md.contains("### Maria — Working parent of two"), "{md}");
    assert!(
        md.contains("> “I don't mind waiting. I mind not knowing.”"),
        "{md}"
    );
    assert!(md.contains(
        "| Stage | Customer goal | Touchpoints | Pains | Metric | Maria | Ben | Priya |"
    ));
    assert!(
        md.contains("refunds paid within 24 h: 62 % / 90 % — missed"),
        "{md}"
    );
    assert!(
        md.contains("checkouts completed: 92 % / 90 % — met"),
        "{md}"
    );
    assert!(md.contains("| −2 Waited four days for a refund |"), "{md}");
    assert!(md.contains("| +2 The driver carries the bags in |"), "{md}");
    let plan = md.find("### Plan (2)").unwrap();
    let done = md.find("### Done (1)").unwrap();
    let printers = md
        .find("**New label printers for the packing line**")
        .unwrap();
    assert!(plan < printers && printers < done);
    let warning = md[printers..].find("⚠ serves no persona or stage").unwrap();
    assert!(
        warning < md[printers..].find("\n- ").unwrap(),
        "warning belongs to the printers item"
    );
    assert_eq!(md.matches("⚠ serves no persona or stage").count(), 1);
    assert!(
        md.contains("blocked because: Waiting for the payment provider"),
        "{md}"
    );
    assert!(md.contains("serves: Priya at Order & pay"), "{md}");
    assert!(md.contains("owner: bob · due: 2026-11-20"), "{md}");
    assert!(md.contains("Order & pay"));
    // Table cells stay on one row even with pipes and newlines.
    let board = board_of(&sample_doc());
    let md = to_markdown(&board, &TimeZone::UTC);
    assert!(md.contains("| fee \\| hidden |"), "{md}");
    assert!(md.contains("conversion: 34.5 % / 30 % — met"), "{md}");
}

#[test]
fn csv_quotes_commas_quotes_and_newlines() {
    let board = board_of(&sample_doc());
    let csv = items_csv(&board);
    let mut lines = csv.split("\r\n");
    assert_eq!(lines.next(), Some(CSV_HEADER));
    assert_eq!(
        lines.next(),
        Some(
            "3,Printers,plan,,,,,false,,,,2026-11-02T08:00:00Z,2026-11-02T08:00:00Z,2026-11-02T08:00:00Z"
        )
    );
    assert_eq!(
        lines.next(),
        Some(
            "7,\"Fix refunds, \"\"fast\"\" 🚀\",do,zoë,2026-11-20,Zoë 🚀,受け取り,true,provider,\
             顧客 get money back,wrong refunds,2026-11-01T08:00:00Z,2026-11-21T10:30:00Z,2026-11-10T12:00:00Z"
        )
    );
    assert_eq!(lines.next(), Some(""));
    assert_eq!(lines.next(), None);

    // A title as its cell: a formula neutralised, a control escaped, quoted per RFC 4180.
    for (title, cell) in [
        ("plain", "plain"),
        ("=1+2", "'=1+2"),
        ("-1", "'-1"),
        ("@x,y", "\"'@x,y\""),
        ("\tx", "'\\u{9}x"),
        ("a=b", "a=b"),
        ("a, \"b\"\nc", "\"a, \"\"b\"\"\nc\""),
        ("Say \"hi\",\nthen go", "\"Say \"\"hi\"\",\nthen go\""),
    ] {
        let mut board = board.clone();
        board.items[0].title = title.into();
        let csv = items_csv(&board);
        assert!(
            csv.contains(&format!("\r\n3,{cell},plan,")),
            "{title:?} should be {cell:?}: {csv}"
        );
    }
}
