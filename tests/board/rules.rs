//! The rules every door into the board shares (`model::rules`): names under one
//! Unicode case folding, "mine", dates and numbers as people write them, scores; and
//! the statuses.

use obeya::model::rules::*;
use obeya::model::{Kind, Status};

#[test]
fn names_fold_case_beyond_ascii() {
    assert!(same_name("Zoë", "ZOË"));
    assert!(same_name("Émile", " émile "));
    assert!(same_name("Straße", "STRASSE"));
    assert!(!same_name("Maria", "Mario"));
    assert_eq!(
        compare_names("zoë", "ZOË"),
        std::cmp::Ordering::Equal,
        "the collation agrees with same_name"
    );
}

#[test]
fn a_unique_name_is_present_and_not_taken_by_another_record() {
    let others = [(1, "Maria"), (2, "Zoë")];
    assert_eq!(
        unique_name(Kind::Persona, " Ben ", 0, others),
        Ok("Ben".into())
    );
    assert_eq!(
        unique_name(Kind::Persona, "ZOË", 0, others),
        Err(RuleError::DuplicateName {
            kind: Kind::Persona,
            name: "ZOË".into(),
            existing: "Zoë".into()
        })
    );
    // Renaming a record to its own name in another case is no clash.
    assert_eq!(
        unique_name(Kind::Persona, "ZOË", 2, others),
        Ok("ZOË".into())
    );
    assert_eq!(
        unique_name(Kind::Stage, "  ", 0, others)
            .unwrap_err()
            .to_string(),
        "a stage needs a name"
    );
}

#[test]
fn mine_is_the_same_name_and_never_nobody() {
    assert!(is_mine("ZOË", "Zoë"));
    assert!(!is_mine("", "Zoë"));
    assert!(!is_mine("bob", "alice"));
}

#[test]
fn dates_must_be_real_and_iso() {
    assert!(parse_date("2026-02-28").is_ok());
    assert_eq!(
        parse_date("2026-02-30").unwrap_err().to_string(),
        "invalid date '2026-02-30' (expected YYYY-MM-DD, a real calendar day)"
    );
    assert!(parse_date("26-2-1").is_err());
    assert!(parse_date("tomorrow").is_err());
}

#[test]
fn numbers_read_as_people_write_them() {
    assert_eq!(parse_number("71"), Ok(71.0));
    assert_eq!(parse_number(" 71,5 "), Ok(71.5));
    assert_eq!(parse_number("71.5 %"), Ok(71.5));
    assert_eq!(parse_number("-3"), Ok(-3.0));
    assert_eq!(
        parse_number("inf"),
        Err(RuleError::InvalidNumber("inf".into()))
    );
    assert!(
        parse_number("1,000.5").is_err(),
        "a thousands separator is no decimal comma"
    );
    assert!(parse_number("seventy").is_err());
    assert_eq!(parse_optional_number("  "), Ok(None));
}

#[test]
fn scores_are_whole_and_in_range() {
    assert_eq!(parse_score("−2"), Ok(-2));
    assert_eq!(parse_score("+1"), Ok(1));
    assert!(parse_score("3").is_err());
    assert!(parse_score("1.5").is_err());
}

#[test]
fn status_parses_case_insensitively_and_names_bad_values() {
    assert_eq!("Check".parse::<Status>(), Ok(Status::Check));
    let err = "doing".parse::<Status>().unwrap_err().to_string();
    assert!(err.contains("'doing'"), "{err}");
    assert_eq!(Status::Plan.prev(), None);
    assert_eq!(Status::Act.next(), Some(Status::Done));
}

/// Issue 22: a name rule is one rule. The same pairs of names are the same name, or
/// not, whether they arrive on the command line, in the wall's form, or in an imported
/// document; a refusal writes nothing on any of the three ways in.
#[test]
fn the_same_non_ascii_names_are_judged_alike_by_the_cli_the_form_and_the_import() {
    use crossterm::event::{KeyCode, KeyModifiers};
    use kit::drive::{app_on, key_with, keys, type_text};
    use obeya::exchange::{self, Document, PersonaDoc};
    use obeya::store::Store;

    // (first, second, the same name?)
    let pairs = [
        ("Zoë", "ZOË", true),
        ("Straße", "STRASSE", true),
        ("Émile", " émile ", true),
        ("ΣΊΣΥΦΟΣ", "σίσυφος", true),
        ("Zoë", "Zoe", false),
        ("Ana", "Aña", false),
    ];
    let env = kit::cli::Env::new(crate::OBEYA);
    for (n, (first, second, same)) in pairs.into_iter().enumerate() {
        let board = env.path(&format!("names{n}.db"));
        drop(Store::create(&board, "alice").unwrap());
        let personas = |path: &std::path::Path| {
            Store::open(path, "alice")
                .unwrap()
                .load_wall()
                .unwrap()
                .personas
                .len()
        };

        // The command line.
        kit::cli::succeeded(
            &env.run(&board, &["persona", "add", first]),
            &["persona", "add"],
        );
        let out = env.run(&board, &["persona", "add", second]);
        assert_eq!(
            out.status.success(),
            !same,
            "CLI: {first:?} then {second:?}: {out:?}"
        );
        assert_eq!(
            personas(&board),
            if same { 1 } else { 2 },
            "CLI: {first:?} / {second:?}"
        );

        // The wall's form, on a board that holds only the first name.
        let board = env.path(&format!("form{n}.db"));
        drop(Store::create(&board, "alice").unwrap());
        kit::cli::succeeded(
            &env.run(&board, &["persona", "add", first]),
            &["persona", "add"],
        );
        let mut app = app_on(&board, "alice");
        keys(&mut app, "2n");
        type_text(&mut app, second);
        kit::drive::press(
            &mut app,
            key_with(KeyCode::Char('s'), KeyModifiers::CONTROL),
        );
        let refused = app.form().and_then(|f| f.error()).map(str::to_owned);
        assert_eq!(
            refused.is_some(),
            same,
            "form: {first:?} then {second:?}: {refused:?}"
        );
        if let Some(why) = refused {
            assert!(
                why.contains(&format!("a persona named '{first}' already exists")),
                "{why}"
            );
        }
        drop(app);
        assert_eq!(
            personas(&board),
            if same { 1 } else { 2 },
            "form: {first:?} / {second:?}"
        );

        // An imported document that names both.
        let board = env.path(&format!("import{n}.db"));
        let mut store = Store::create(&board, "alice").unwrap();
        let doc = Document {
            personas: [first, second]
                .map(|name| PersonaDoc {
                    name: name.into(),
                    ..PersonaDoc::default()
                })
                .into(),
            ..Document::default()
        };
        let imported = exchange::import(&mut store, &doc);
        assert_eq!(
            imported.is_err(),
            same,
            "import: {first:?} and {second:?}: {imported:?}"
        );
        if let Err(why) = imported {
            assert!(why.to_string().contains("duplicate persona name"), "{why}");
        }
        drop(store);
        assert_eq!(
            personas(&board),
            if same { 0 } else { 2 },
            "import: {first:?} / {second:?}"
        );
    }
}
