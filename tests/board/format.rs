//! Board values as words: scores with a real minus sign, metrics that say met or
//! missed in either direction, moments in a given zone, text fitted and wrapped by
//! terminal columns, and control characters shown, never raw.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use obeya::format::*;
use obeya::model::{Better, Metric};

#[test]
fn scores_use_a_real_minus_sign() {
    assert_eq!(signed(2), "+2");
    assert_eq!(signed(0), "0");
    assert_eq!(signed(-2), "−2");
}

#[test]
fn fit_counts_terminal_columns() {
    assert_eq!(fit("Refund", 10), "Refund");
    assert_eq!(fit("Refund missing items", 10), "Refund mi…");
    assert_eq!(fit("顧客顧客", 5), "顧客…");
}

#[test]
fn metrics_read_short_and_long() {
    let m = Metric {
        name: "refunds paid within 24 h".into(),
        target: Some(90.0),
        actual: Some(62.0),
        unit: "%".into(),
        better: Better::Higher,
        warn: None,
    };
    assert_eq!(metric_short(&m), "62/90% ✗ 28 under");
    assert_eq!(metric_tiny(&m), "62/90% ✗");
    assert_eq!(
        metric_long(&m),
        "refunds paid within 24 h: 62 % / 90 % — missed by 28 %"
    );
    assert_eq!(Verdict::of(&m), Verdict::Missed);
}

#[test]
fn a_lower_is_better_metric_is_met_below_its_target_and_missed_above() {
    let wait = |actual| Metric {
        name: "minutes to be seen".into(),
        target: Some(20.0),
        actual: Some(actual),
        unit: "min".into(),
        better: Better::Lower,
        warn: None,
    };
    assert_eq!(wait(52.0).met(), Some(false));
    assert_eq!(metric_short(&wait(52.0)), "52/20min ✗ 32 over");
    assert_eq!(
        metric_long(&wait(52.0)),
        "minutes to be seen: 52 min / 20 min (lower is better) — missed by 32 min"
    );
    assert_eq!(wait(18.0).met(), Some(true));
    assert_eq!(metric_short(&wait(18.0)), "18/20min ✓ 2 under");
    assert_eq!(wait(20.0).met(), Some(true));
    assert_eq!(metric_short(&wait(20.0)), "20/20min ✓ on target");
}

#[test]
fn moments_read_in_the_zone_given_with_its_offset() {
    let t: Timestamp = "2026-11-22T09:00:00Z".parse().unwrap();
    let kolkata = TimeZone::get("Asia/Kolkata").unwrap();
    let new_york = TimeZone::get("America/New_York").unwrap();
    assert_eq!(local_time(t, &kolkata), "2026-11-22 14:30 +05:30");
    assert_eq!(local_time(t, &new_york), "2026-11-22 04:00 -05:00");
    assert_eq!(local_time(t, &TimeZone::UTC), "2026-11-22 09:00 +00:00");
    assert_eq!(rfc3339_local(t, &kolkata), "2026-11-22T14:30:00+05:30");
    assert_eq!(
        rfc3339_local(t, &TimeZone::UTC),
        "2026-11-22T09:00:00+00:00"
    );
    assert_eq!(zone_label(t, &kolkata), "UTC+05:30");
    assert_eq!(zone_label(t, &new_york), "UTC−05:00");
    assert_eq!(zone_label(t, &TimeZone::UTC), "UTC");
}

#[test]
fn dates_and_ages_read_as_words() {
    let d = |s: &str| s.parse::<Date>().unwrap();
    assert_eq!(due_date(d("2026-11-20"), d("2026-11-22")), "20 Nov");
    assert_eq!(due_date(d("2027-01-31"), d("2026-11-22")), "31 Jan 2027");
    assert_eq!(age_in(0, "Do"), "today in Do");
    assert_eq!(age_in(1, "Do"), "1 day in Do");
    assert_eq!(age_in(3, "Do"), "3 days in Do");
    assert_eq!(days(0), "today");
    assert_eq!(days(1), "1 day");
    assert_eq!(days(12), "12 days");
    assert_eq!(in_status_for(0, "Do"), "Do since today");
    assert_eq!(in_status_for(1, "Do"), "Do for 1 day");
    assert_eq!(in_status_for(6, "Do"), "Do for 6 days");
}

#[test]
fn wrapping_keeps_words_and_marks_a_cut() {
    assert_eq!(
        wrap("Refund missing items in one tap", 12, 3),
        ["Refund", "missing", "items in on…"]
    );
    assert_eq!(
        wrap("Refund missing items", 40, 3),
        ["Refund missing items"]
    );
    assert!(wrap("x", 0, 3).is_empty());
}

#[test]
fn a_text_wrapped_before_is_wrapped_the_same_at_its_own_size() {
    let text = "Refund missing items in one tap";
    for _ in 0..2 {
        assert_eq!(wrap(text, 12, 3), ["Refund", "missing", "items in on…"]);
        assert_eq!(wrap(text, 12, 2), ["Refund", "missing ite…"]);
        assert_eq!(wrap(text, 16, 3), ["Refund missing", "items in one tap"]);
    }
    // More texts than the memo keeps (4,096): it starts again and still answers right.
    for n in 0..=4_096 {
        assert_eq!(wrap(&format!("card {n}"), 12, 3), [format!("card {n}")]);
    }
    assert_eq!(wrap(text, 12, 3), ["Refund", "missing", "items in on…"]);
}

#[test]
fn the_wall_shows_controls_and_drops_stray_zero_width_characters() {
    assert_eq!(on_wall("plain"), "plain");
    assert_eq!(on_wall("a\u{1b}]0;x\u{7}b"), "a␛]0;x␇b");
    assert_eq!(on_wall("x\u{200D}y\u{202E}z"), "xyz");
    // A family emoji keeps its joiners.
    let family = "👨\u{200D}👩\u{200D}👧";
    assert_eq!(on_wall(family), family);
}

#[test]
fn controls_del_and_bidi_overrides_are_shown_visibly() {
    let pwned = "x\u{1b}]0;PWNED\u{7}\r\u{9b}\u{7f}\u{202e}\u{2066}\u{85}\t";
    assert_eq!(
        escape_controls(pwned),
        r"x\u{1b}]0;PWNED\u{7}\u{d}\u{9b}\u{7f}\u{202e}\u{2066}\u{85}\u{9}"
    );
    assert_eq!(escape_controls("a\nb"), r"a\u{a}b");
    assert_eq!(escape_controls_keep_newlines("a\nb\r\n"), "a\nb\\u{d}\n");
    // Everything else is left alone, emoji and joiners included (the wall lays
    // those out; a terminal shows them harmlessly).
    let fine = "Zoë 🚀 顧客 «vite» \\u{1b} 👩\u{200d}💻";
    assert!(matches!(
        escape_controls(fine),
        std::borrow::Cow::Borrowed(_)
    ));
    for c in [
        '\u{202a}', '\u{202d}', '\u{2067}', '\u{2069}', '\0', '\u{9f}',
    ] {
        assert!(is_hazard(c), "{c:?}");
    }
    for c in [
        '\u{2029}', '\u{200f}', ' ', 'a', '\u{a0}', '\u{2070}', '\u{2029}',
    ] {
        assert!(!is_hazard(c), "{c:?}");
    }
}
