//! The rules every door into the board shares (`model::rules`): names under one
//! Unicode case folding, "mine", dates and numbers as people write them, scores; and
//! the statuses.

use obeya::model::Status;
use obeya::model::rules::*;

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
    assert_eq!(unique_name("persona", " Ben ", 0, others), Ok("Ben".into()));
    assert_eq!(
        unique_name("persona", "ZOË", 0, others),
        Err(RuleError::DuplicateName {
            kind: "persona",
            name: "ZOË".into(),
            existing: "Zoë".into()
        })
    );
    // Renaming a record to its own name in another case is no clash.
    assert_eq!(unique_name("persona", "ZOË", 2, others), Ok("ZOË".into()));
    assert_eq!(
        unique_name("stage", "  ", 0, others)
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
