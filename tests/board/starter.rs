//! The starter board is alive on the day it is made: its dates move with that day, so
//! exactly one card is late (the one meant to teach the red mark), and nothing in it
//! happened after the day it was made.

use jiff::civil::Date;
use jiff::tz::{Offset, TimeZone};
use jiff::{Span, Timestamp};
use kit::documents::board_of;
use obeya::exchange::{STARTER_DAY, starter_on};
use obeya::model::Board;

/// The card the starter means to be late.
const LATE: &str = "Refund missing items in one tap";

/// The first moment of `day` anywhere on Earth (UTC+14): whatever the user's zone, a
/// time before it is in the past on the day the board is made.
fn earliest_start(day: Date) -> Timestamp {
    day.to_zoned(TimeZone::fixed(Offset::constant(14)))
        .unwrap()
        .timestamp()
}

fn days(n: i64) -> Span {
    Span::new().days(n)
}

fn today() -> Date {
    Timestamp::now().to_zoned(TimeZone::system()).date()
}

/// Everything a person would call a contradiction, on the starter made on `day`.
fn assert_alive_on(day: Date) {
    let board: Board = board_of(&starter_on(day));
    let late: Vec<&str> = board
        .items
        .iter()
        .filter(|i| i.is_overdue(day))
        .map(|i| i.title.as_str())
        .collect();
    assert_eq!(late, [LATE], "made on {day}: the late cards");

    let start = earliest_start(day);
    for i in &board.items {
        let what = format!("made on {day}: #{} {}", i.id, i.title);
        assert!(i.created_at <= i.status_since, "{what}: moved before made");
        assert!(i.status_since < start, "{what}: moved after the day");
        assert!(
            i.days_in_status(start) >= 1,
            "{what}: an age of days before the day"
        );
        if let Some(due) = i.due
            && i.status != obeya::model::Status::Done
        {
            assert!(
                due >= day.checked_sub(days(7)).unwrap()
                    && due <= day.checked_add(days(31)).unwrap(),
                "{what}: due {due}, not around the day"
            );
        }
        for c in board.comments_of(i.id) {
            assert!(
                c.at >= i.created_at && c.at < start,
                "{what}: a comment at {} outside its item's life",
                c.at
            );
        }
    }
    assert!(!board.evidence.is_empty());
    for e in &board.evidence {
        assert!(
            e.observed < day,
            "made on {day}: evidence heard on {}",
            e.observed
        );
    }
}

#[test]
fn the_starter_made_today_or_in_a_year_has_one_late_card_and_a_past_before_it() {
    let today = today();
    eprintln!("today is {today}");
    for day in [
        today,
        today.checked_add(days(365)).unwrap(),
        STARTER_DAY,
        STARTER_DAY.checked_sub(days(400)).unwrap(),
        "2028-02-29".parse().unwrap(),
    ] {
        assert_alive_on(day);
    }
}

#[test]
fn every_date_of_the_starter_moves_with_the_day_it_is_made() {
    let base = starter_on(STARTER_DAY);
    let later = starter_on(STARTER_DAY.checked_add(days(100)).unwrap());
    let moved = |a: Timestamp, b: Timestamp| b.duration_since(a).as_hours() == 2400;
    for (a, b) in base.items.iter().zip(&later.items) {
        assert_eq!(
            a.due.map(|d| d.checked_add(days(100)).unwrap()),
            b.due,
            "{}",
            a.title
        );
        assert!(moved(a.created_at.unwrap(), b.created_at.unwrap()));
        assert!(moved(a.status_since.unwrap(), b.status_since.unwrap()));
        for (ca, cb) in a.comments.iter().zip(&b.comments) {
            assert!(moved(ca.at.unwrap(), cb.at.unwrap()));
        }
    }
    for (a, b) in base.evidence.iter().zip(&later.evidence) {
        assert_eq!(
            a.observed.map(|d| d.checked_add(days(100)).unwrap()),
            b.observed
        );
    }
    // Only dates move: the words are the same.
    let words = |d: &obeya::exchange::Document| {
        d.items
            .iter()
            .map(|i| (i.title.clone(), i.impact.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(words(&base), words(&later));
}

#[test]
fn obeya_init_makes_the_starter_for_today() {
    let dir = tempfile::tempdir().unwrap();
    // A run that straddles midnight is tried again.
    for attempt in 0.. {
        let db = dir.path().join(format!("b{attempt}.db"));
        let before = today();
        let init = std::process::Command::new(crate::OBEYA)
            .args(["init", "--db"])
            .arg(&db)
            .env("OBEYA_USER", "alice")
            .output()
            .unwrap();
        assert!(init.status.success(), "{init:?}");
        let list = std::process::Command::new(crate::OBEYA)
            .args(["item", "list", "--json", "--db"])
            .arg(&db)
            .output()
            .unwrap();
        assert!(list.status.success(), "{list:?}");
        if before != today() && attempt == 0 {
            continue;
        }
        let items: Vec<serde_json::Value> = serde_json::from_slice(&list.stdout).unwrap();
        let late: Vec<&str> = items
            .iter()
            .filter(|i| i["status"] != "done")
            .filter(|i| {
                i["due"]
                    .as_str()
                    .is_some_and(|d| d.parse::<Date>().unwrap() < before)
            })
            .map(|i| i["title"].as_str().unwrap())
            .collect();
        assert_eq!(late, [LATE], "made on {before}");
        break;
    }
}
