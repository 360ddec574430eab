//! Stand-up mode: the walk's order, the countdown, parking topics, ending with `s` `y`
//! (the row in the file and the summary from the activity log, teammates included),
//! `s` `n`, `obeya standup report`, and snapshots of the stand-up view and summary.

use std::path::Path;

use crossterm::event::KeyCode;
use jiff::{SignedDuration, Timestamp};
use kit::drive::*;
use kit::fixture::*;
use obeya::app::{Action, App, Effect, Mode};

use obeya::model::{Item, StandupSummary, Status};
use obeya::store::Store;

const REFUND: &str = "Refund missing items in one tap";
const LARGE_TEXT: &str = "Large-text mode in the app";
const SUBSTITUTIONS: &str = "Show substitutions before the van leaves";
const PRINTERS: &str = "New label printers for the packing line";
const VAN: &str = "Live van tracking with a 10-minute window";
const SEARCH: &str = "Search that understands plurals and typos";
const CAFES: &str = "Standing weekly order for cafés";

/// A previous stand-up that ended 2026-11-20 09:15 UTC; three items have not changed
/// since, and "Search …" (second in Check) is blocked.
fn with_history(path: &Path) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch(&format!(
        "INSERT INTO standup (started_at, ended_at, facilitator, parked)
              VALUES ('2026-11-20T09:00:00Z', '2026-11-20T09:15:00Z', 'bob', '[]');
         UPDATE item SET updated_at = '2026-11-19T09:00:00Z'
          WHERE title IN ('{VAN}', '{LARGE_TEXT}', '{SUBSTITUTIONS}');
         UPDATE item SET blocked = 1, blocked_reason = 'Needs the new search index'
          WHERE title = '{SEARCH}';"
    ))
    .unwrap();
}

fn history_app() -> (Board, App) {
    let b = starter_board();
    with_history(&b.path);
    let app = app_on(&b.path, "alice");
    (b, app)
}

fn walk_titles(app: &App) -> Vec<String> {
    let m = app.standup().expect("in stand-up");
    m.walk
        .iter()
        .map(|s| m.items[&s.item].title.clone())
        .collect()
}

fn status_bar(app: &mut App) -> String {
    render(app, 120, 40).lines().last().unwrap().to_owned()
}

fn item<'a>(board: &'a obeya::model::Board, title: &str) -> &'a Item {
    board.items.iter().find(|i| i.title == title).unwrap()
}

fn standup_rows(path: &Path) -> Vec<(String, Option<String>, String, String)> {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut s = c
        .prepare("SELECT started_at, ended_at, facilitator, parked FROM standup ORDER BY id")
        .unwrap();
    s.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn summary(app: &App) -> &StandupSummary {
    match app.mode() {
        Mode::Summary { summary, .. } => summary,
        _ => panic!("no summary popup"),
    }
}

// ── the walk ────────────────────────────────────────────────────────────────────────

#[test]
fn the_walk_goes_right_to_left_blocked_first_then_changed_then_unchanged() {
    let (_b, mut app) = history_app();
    keys(&mut app, "s");
    assert!(app.in_standup());
    assert_eq!(
        walk_titles(&app),
        [
            CAFES,         // Act
            SEARCH,        // Check: blocked, though second in the column
            VAN,           //        unchanged since the last stand-up
            REFUND,        // Do: blocked
            LARGE_TEXT,    //     unchanged
            PRINTERS,      // Plan: changed, though second in the column
            SUBSTITUTIONS, //       unchanged
        ],
        "Done is skipped"
    );
    // The first item is highlighted and is the wall's selection.
    assert_eq!(app.selected_item().unwrap().title, CAFES);
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("1 / 7"), "{screen}");
    // The walk is the left half of the screen.
    let walk: Vec<String> = screen
        .lines()
        .map(|l| l.chars().take(60).collect())
        .collect();
    let changed_line = |title: &str| {
        walk.iter()
            .find(|l| l.contains(&title[..20]))
            .unwrap_or_else(|| panic!("{title} not on screen:\n{screen}"))
            .contains("● changed")
    };
    assert!(changed_line(CAFES));
    assert!(changed_line(PRINTERS));
    assert!(!changed_line(VAN));
    assert!(!changed_line(SUBSTITUTIONS));
}

#[test]
fn without_a_previous_standup_every_item_counts_as_changed() {
    let (_b, mut app) = starter_app();
    keys(&mut app, "s");
    let titles = walk_titles(&app);
    assert_eq!(titles.len(), 7);
    assert_eq!(titles[0], CAFES);
    assert_eq!(titles[3], REFUND, "blocked first in Do");
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("first stand-up on this board"), "{screen}");
    assert_eq!(screen.matches("● changed").count(), 7, "{screen}");
}

#[test]
fn j_and_k_walk_and_the_usual_keys_act_on_the_highlighted_item() {
    let (b, mut app) = history_app();
    keys(&mut app, "s");
    keys(&mut app, "jjj");
    assert_eq!(app.selected_item().unwrap().title, REFUND);
    assert!(render(&mut app, 120, 40).contains("4 / 7"));
    press(&mut app, key(KeyCode::Up));
    assert_eq!(app.selected_item().unwrap().title, VAN);
    press(&mut app, key(KeyCode::Down));
    keys(&mut app, "j"); // Large-text, in Do
    assert_eq!(app.selected_item().unwrap().title, LARGE_TEXT);
    keys(&mut app, "L"); // to Check: written at once, and keeps its place in the walk
    assert_eq!(item(&reopen(&b.path), LARGE_TEXT).status, Status::Check);
    assert_eq!(app.selected_item().unwrap().title, LARGE_TEXT);
    assert_eq!(app.standup().unwrap().index(), Some(4));
    assert!(render(&mut app, 120, 40).contains("→ Check"));
    keys(&mut app, "j");
    assert_eq!(app.selected_item().unwrap().title, PRINTERS);
    keys(&mut app, "G");
    assert_eq!(app.selected_item().unwrap().title, SUBSTITUTIONS);
    keys(&mut app, "jg");
    assert_eq!(app.selected_item().unwrap().title, CAFES);
    // Pane keys stay put during the walk.
    keys(&mut app, "2");
    assert_eq!(app.screen().focus(), obeya::app::Pane::Improvements);
    // e opens the item form on the highlighted item (owner is a field: reassign).
    keys(&mut app, "e");
    assert_eq!(
        app.form().unwrap().title(),
        format!("Edit item #{}", item_titled(&app, CAFES).id)
    );
}

#[test]
fn a_teammates_changes_keep_the_walk_and_highlight_consistent() {
    let (b, mut app) = history_app();
    keys(&mut app, "s");
    keys(&mut app, "jjj"); // Refund
    let mut bob = Store::open(&b.path, "bob").unwrap();
    let board = bob.load_board().unwrap();
    // Bob deletes the highlighted item, and adds a new one.
    bob.delete_item(item(&board, REFUND)).unwrap();
    bob.add_item(Item {
        title: "Bob's new idea".into(),
        owner: "bob".into(),
        ..Item::default()
    })
    .unwrap();
    assert!(app.tick());
    let titles = walk_titles(&app);
    assert!(!titles.iter().any(|t| t == REFUND));
    assert_eq!(
        titles.last().unwrap(),
        "Bob's new idea",
        "new items join at the end"
    );
    assert_eq!(
        app.selected_item().unwrap().title,
        LARGE_TEXT,
        "the highlight goes on to the next item"
    );
    assert!(render(&mut app, 120, 40).contains("4 / 7"));
}

// ── the countdown ───────────────────────────────────────────────────────────────────

#[test]
fn the_countdown_shows_time_left_then_over_by_in_words() {
    let (_b, mut app) = starter_app();
    keys(&mut app, "s");
    assert!(status_bar(&mut app).starts_with(" STAND-UP 15:00 left "));
    app.set_clock(now() + SignedDuration::from_secs(2 * 60 + 26));
    assert!(status_bar(&mut app).starts_with(" STAND-UP 12:34 left "));
    app.set_clock(now() + SignedDuration::from_secs(15 * 60));
    assert!(status_bar(&mut app).starts_with(" STAND-UP 0:00 left "));
    app.set_clock(now() + SignedDuration::from_secs(16 * 60 + 5));
    let bar = status_bar(&mut app);
    assert!(bar.starts_with(" STAND-UP over by 1:05 "), "{bar}");
    assert!(bar.contains("team.db"));
}

#[test]
fn the_countdown_is_over_in_the_bad_colour() {
    let (_b, mut app) = starter_app();
    app.set_color(true);
    keys(&mut app, "s");
    let style_at = |app: &mut App| {
        app.update(Action::Resize {
            width: 120,
            height: 40,
        });
        let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        t.draw(|f| obeya::ui::draw(f, app)).unwrap();
        t.backend().buffer()[(2, 39)].fg
    };
    let calm = style_at(&mut app);
    app.set_clock(now() + SignedDuration::from_secs(20 * 60));
    let over = style_at(&mut app);
    assert_eq!(over, obeya::config::Config::default().theme.bad);
    assert_ne!(calm, over);
}

#[test]
fn the_tick_redraws_every_second_only_during_the_standup() {
    let (_b, mut app) = starter_app();
    app.tick(); // the first tick: presence, heartbeat
    app.clear_note();
    assert!(!app.tick(), "idle: nothing to redraw");
    keys(&mut app, "s");
    assert!(app.tick(), "the countdown moves");
    assert!(app.tick());
}

#[test]
fn the_timebox_comes_from_the_config() {
    let b = starter_board();
    let store = Store::open(&b.path, "alice").unwrap();
    let mut config = obeya::config::Config::default();
    config.standup.timebox_minutes = 5;
    let mut app = App::new(store, &config, "alice").unwrap();
    app.set_clock(now());
    app.set_color(false);
    keys(&mut app, "s");
    assert!(status_bar(&mut app).starts_with(" STAND-UP 5:00 left "));
}

// ── parking, ending ─────────────────────────────────────────────────────────────────

#[test]
fn p_parks_a_topic_and_an_empty_one_is_refused() {
    let (_b, mut app) = starter_app();
    keys(&mut app, "p");
    assert!(app.mode().is_board(), "p does nothing outside the stand-up");
    keys(&mut app, "s");
    keys(&mut app, "p");
    assert_eq!(
        app.form().unwrap().title(),
        "Park a topic for after the stand-up"
    );
    press(&mut app, key(KeyCode::Enter));
    assert!(app.form().unwrap().error().is_some(), "a topic needs text");
    type_text(&mut app, "Café pricing — who decides? 💶");
    press(&mut app, key(KeyCode::Enter));
    assert!(app.mode().is_board());
    let parked: Vec<&str> = app
        .standup()
        .unwrap()
        .parked
        .iter()
        .map(|(t, _)| t.as_str())
        .collect();
    assert_eq!(parked, ["Café pricing — who decides? 💶"]);
    assert!(render(&mut app, 120, 40).contains("• Café pricing — who decides? 💶"));
}

#[test]
fn s_n_keeps_the_standup_going_and_stores_nothing() {
    let (b, mut app) = starter_app();
    keys(&mut app, "s");
    keys(&mut app, "j");
    keys(&mut app, "s");
    assert!(matches!(app.mode(), Mode::EndStandup));
    assert!(render(&mut app, 120, 40).contains("End the stand-up and record it?"));
    keys(&mut app, "n");
    assert!(app.in_standup());
    assert!(!matches!(app.mode(), Mode::EndStandup));
    assert!(
        app.mode().is_board(),
        "n answered the question, it made no new item"
    );
    assert_eq!(app.standup().unwrap().index(), Some(1));
    assert!(standup_rows(&b.path).is_empty());
}

#[test]
fn q_during_the_standup_asks_first() {
    let (b, mut app) = starter_app();
    keys(&mut app, "s");
    assert_eq!(keys(&mut app, "q"), Effect::Continue);
    assert!(status_bar(&mut app).contains("drop the running stand-up"));
    assert_eq!(keys(&mut app, "n"), Effect::Continue);
    assert!(app.in_standup());
    assert_eq!(keys(&mut app, "qy"), Effect::Quit);
    assert!(standup_rows(&b.path).is_empty());
}

/// A stand-up with one of each: alice moves Large-text (L), blocks Printers (b), adds
/// an item (n), comments on Refund (c) and parks a topic; bob moves Cafés to Done.
fn hold_a_standup(b: &Board, app: &mut App) {
    keys(app, "s");
    let m = app.standup().unwrap();
    assert!(m.start.at <= obeya::store::now());
    // Walk to Large-text (5th) and move it to Check.
    keys(app, "jjjj");
    assert_eq!(app.selected_item().unwrap().title, LARGE_TEXT);
    keys(app, "L");
    keys(app, "j");
    assert_eq!(app.selected_item().unwrap().title, PRINTERS);
    keys(app, "b");
    type_text(app, "Supplier is late");
    press(app, key(KeyCode::Enter));
    keys(app, "n");
    type_text(app, "Call the supplier");
    press(app, ctrl('s'));
    assert!(
        app.mode().is_board(),
        "{:?}",
        app.form().map(|f| f.error().map(str::to_owned))
    );
    keys(app, "g");
    keys(app, "jjj");
    assert_eq!(app.selected_item().unwrap().title, REFUND);
    keys(app, "c");
    type_text(app, "Provider says Friday");
    press(app, ctrl('s'));
    keys(app, "p");
    type_text(app, "Holiday rota");
    press(app, key(KeyCode::Enter));
    // A teammate's change during the stand-up counts too.
    let mut bob = Store::open(&b.path, "bob").unwrap();
    let cafes = item(&bob.load_board().unwrap(), CAFES).clone();
    bob.move_item(&cafes, Status::Done).unwrap();
    app.tick();
    keys(app, "sy");
}

#[test]
fn s_y_stores_the_standup_and_shows_the_summary() {
    let (b, mut app) = history_app();
    let before = Timestamp::now().as_second() - 1;
    hold_a_standup(&b, &mut app);
    assert!(!app.in_standup());

    // The row in the file, and its parked topic in the parking lot.
    let rows = standup_rows(&b.path);
    assert_eq!(rows.len(), 2, "the earlier one and this one");
    let (started, ended, facilitator, _) = rows[1].clone();
    assert_eq!(facilitator, "alice");
    let started: Timestamp = started.parse().unwrap();
    let ended: Timestamp = ended.unwrap().parse().unwrap();
    assert!(started.as_second() >= before && started <= ended);
    assert!(ended.as_second() <= Timestamp::now().as_second());
    let topics: Vec<(String, String, Option<String>)> = rusqlite::Connection::open(&b.path)
        .unwrap()
        .prepare("SELECT text, parked_by, resolved_at FROM parked_topic")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(topics, [("Holiday rota".into(), "alice".into(), None)]);

    // The status bar knows the new last stand-up.
    assert_eq!(
        app.screen().wall().last_standup.as_ref().unwrap().ended_at,
        Some(ended)
    );

    // The summary: by person, each one's changes in the order made.
    let s = summary(&app);
    let whats = |who: &str| -> Vec<String> {
        s.of(who)
            .unwrap_or_else(|| panic!("nothing by {who}: {s:?}"))
            .changes
            .iter()
            .map(obeya::report::change_line)
            .collect()
    };
    let id = |title: &str| item_titled(&app, title).id;
    assert_eq!(
        whats("alice"),
        [
            format!("#{} {LARGE_TEXT}: moved Do → Check", id(LARGE_TEXT)),
            format!(
                "#{} {PRINTERS}: new blocker: Supplier is late",
                id(PRINTERS)
            ),
            format!(
                "#{} Call the supplier: new in Plan, owner alice",
                id("Call the supplier")
            ),
            format!("#{} {REFUND}: comment: “Provider says Friday”", id(REFUND)),
        ]
    );
    assert_eq!(
        whats("bob"),
        [format!("#{} {CAFES}: moved Act → Done", id(CAFES))]
    );
    assert_eq!(s.people.len(), 2);
    assert_eq!(
        s.parked,
        [obeya::model::ParkedNote {
            text: "Holiday rota".into(),
            by: "alice".into()
        }]
    );

    // Any key closes it.
    keys(&mut app, "j");
    assert!(!app.mode().is_board(), "j scrolls");
    keys(&mut app, "x");
    press(&mut app, key(KeyCode::Esc));
    assert!(app.mode().is_board());
}

#[test]
fn an_undone_move_is_not_in_the_summary() {
    let (_b, mut app) = history_app();
    keys(&mut app, "s");
    keys(&mut app, "L"); // Cafés to Done
    keys(&mut app, "u");
    keys(&mut app, "sy");
    let s = summary(&app);
    assert!(s.people.is_empty(), "{:?}", s.people);
}

/// The summary's window is the activity log's order, and its records are followed by
/// uid: changes made in the same second just before the stand-up began are not in it,
/// and a deleted item whose number a new item took is two items, not one edited.
#[test]
fn the_summary_is_exactly_what_changed_during_the_standup_even_in_one_second() {
    let b = starter_board();
    let mut alice = Store::open(&b.path, "alice").unwrap();
    let mut bob = Store::open(&b.path, "bob").unwrap();
    let board = bob.load_board().unwrap();
    let guest = board.items.iter().max_by_key(|i| i.id).unwrap().clone();
    assert_eq!(guest.title, "Guest checkout without an account");
    // Just before: bob moves Large-text and blocks the printers.
    bob.move_item(item(&board, LARGE_TEXT), Status::Check)
        .unwrap();
    let printers = item(&board, PRINTERS).clone();
    let blocked = Item {
        blocked: true,
        blocked_reason: "Supplier is late".into(),
        ..printers.clone()
    };
    bob.save(&printers, &blocked).unwrap();

    let start = alice.begin_standup().unwrap();

    // During: bob unblocks Refund and takes Van tracking over from chen; alice deletes
    // the last item and adds one, which gets its number; bob comments on the new one.
    let board = bob.load_board().unwrap();
    let refund = item(&board, REFUND).clone();
    let unblocked = Item {
        blocked: false,
        blocked_reason: String::new(),
        ..refund.clone()
    };
    bob.save(&refund, &unblocked).unwrap();
    let van = item(&board, VAN).clone();
    assert_eq!(van.owner, "chen");
    let taken = Item {
        owner: "bob".into(),
        ..van.clone()
    };
    bob.save(&van, &taken).unwrap();
    alice.delete_item(&guest).unwrap();
    let luggage = alice
        .add_item(Item {
            title: "Luggage tracking".into(),
            status: Status::Plan,
            ..Item::default()
        })
        .unwrap();
    assert_eq!(
        luggage.id, guest.id,
        "SQLite gave the new item the deleted one's number"
    );
    bob.add_comment(luggage.id, "Pilot with two airlines")
        .unwrap();

    // Everything, before and during, in one and the same second.
    let t: Timestamp = "2026-11-22T09:00:00Z".parse().unwrap();
    alice
        .conn()
        .execute("UPDATE activity SET at = ?1", [t.to_string()])
        .unwrap();
    let start = obeya::store::StandupStart { at: t, ..start };
    let (standup, summary) = alice.record_standup(&start, t, "alice", &[]).unwrap();

    use obeya::model::{ItemChange, PersonChanges};
    let expected = vec![
        PersonChanges {
            who: "alice".into(),
            changes: vec![
                ItemChange::Deleted {
                    id: guest.id,
                    title: guest.title.clone(),
                },
                ItemChange::Added {
                    id: guest.id,
                    title: "Luggage tracking".into(),
                    status: Status::Plan,
                    owner: String::new(),
                },
            ],
        },
        PersonChanges {
            who: "bob".into(),
            changes: vec![
                ItemChange::Unblocked {
                    id: refund.id,
                    title: REFUND.into(),
                },
                ItemChange::Owner {
                    id: van.id,
                    title: VAN.into(),
                    from: "chen".into(),
                    to: "bob".into(),
                },
                ItemChange::Comment {
                    id: guest.id,
                    title: "Luggage tracking".into(),
                    text: "Pilot with two airlines".into(),
                },
            ],
        },
    ];
    assert_eq!(summary.people, expected);
    // As stored, and as read back.
    assert_eq!(alice.summary_of(&standup).unwrap().people, expected);
}

// ── obeya standup report ────────────────────────────────────────────────────────────

fn obeya(path: &Path, args: &[&str]) -> std::process::Output {
    let home = path.parent().unwrap().join("home");
    assert_cmd::Command::new(crate::OBEYA)
        .args(args)
        .arg("--db")
        .arg(path)
        .env_remove("OBEYA_DB")
        .env_remove("OBEYA_CONFIG")
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("OBEYA_USER", "carol")
        .env("NO_COLOR", "1")
        .output()
        .unwrap()
}

#[test]
fn standup_report_prints_the_last_standup_as_markdown_and_json() {
    let (b, mut app) = history_app();
    hold_a_standup(&b, &mut app);
    drop(app);

    let out = obeya(&b.path, &["standup", "report"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.starts_with("# Stand-up "), "{md}");
    assert!(md.contains("Facilitator: alice"), "{md}");
    for section in ["## alice (4)", "## bob (1)", "## Parked topics (1)"] {
        assert!(md.contains(section), "{section} missing:\n{md}");
    }
    assert!(
        md.contains(&format!("{LARGE_TEXT}: moved Do → Check\n")),
        "{md}"
    );
    assert!(md.contains(&format!("{CAFES}: moved Act → Done\n")), "{md}");
    assert!(
        md.contains(&format!("{PRINTERS}: new blocker: Supplier is late\n")),
        "{md}"
    );
    assert!(
        md.contains("Call the supplier: new in Plan, owner alice\n"),
        "{md}"
    );
    assert!(md.contains("comment: “Provider says Friday”"), "{md}");
    assert!(md.contains("- Holiday rota (alice)"), "{md}");
    let same = obeya(&b.path, &["standup", "report", "--format", "md"]);
    assert_eq!(String::from_utf8(same.stdout).unwrap(), md);

    let out = obeya(&b.path, &["standup", "report", "--format", "json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["facilitator"], "alice");
    assert_eq!(v["people"][0]["who"], "alice");
    assert_eq!(v["people"][0]["changes"][0]["change"], "moved");
    assert_eq!(v["people"][0]["changes"][0]["title"], LARGE_TEXT);
    assert_eq!(v["people"][0]["changes"][0]["from"], "do");
    assert_eq!(v["people"][0]["changes"][0]["to"], "check");
    assert_eq!(v["people"][0]["changes"][1]["reason"], "Supplier is late");
    assert_eq!(v["people"][1]["who"], "bob");
    assert_eq!(v["counts"]["moved"], 2);
    assert_eq!(v["parked"][0]["text"], "Holiday rota");
    assert!(v["started_at"].as_str().unwrap() <= v["ended_at"].as_str().unwrap());

    let bad = obeya(&b.path, &["standup", "report", "--format", "pdf"]);
    assert_eq!(bad.status.code(), Some(2), "usage error");
}

#[test]
fn standup_report_without_a_standup_says_so_and_exits_1() {
    let b = starter_board();
    let out = obeya(&b.path, &["standup", "report"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("no stand-up has been held on this board yet"),
        "{err}"
    );
    assert!(err.contains("team.db"), "{err}");
}

// ── snapshots ───────────────────────────────────────────────────────────────────────

fn snap_both(name: &str, app: &mut App) {
    let big = render(app, 120, 40);
    insta::assert_snapshot!(format!("{name}__120x40"), big);
    let small = render(app, 80, 24);
    insta::assert_snapshot!(format!("{name}__80x24"), small);
}

/// Times that come from the real clock, pinned so the snapshots do not move: the
/// stand-up just held gets fixed times in the file, and its summary opens again from
/// the list of stand-ups (newest first, selected).
fn pin_times(b: &Board, app: &mut App) {
    press(app, key(KeyCode::Esc));
    rusqlite::Connection::open(&b.path)
        .unwrap()
        .execute_batch(
            "UPDATE standup SET started_at = '2026-11-22T09:00:00Z', ended_at = '2026-11-22T09:14:00Z'
              WHERE id = (SELECT max(id) FROM standup);",
        )
        .unwrap();
    app.reload().unwrap();
    keys(app, "S");
    press(app, key(KeyCode::Enter));
    assert!(matches!(app.mode(), Mode::Summary { .. }));
    // A tick set the clock to the real time; ages on cards count from a fixed one.
    app.set_clock(now());
    app.clear_note();
}

#[test]
fn snapshot_standup_view() {
    let (_b, mut app) = history_app();
    keys(&mut app, "s");
    keys(&mut app, "jjj"); // the blocked refund, with its comments
    keys(&mut app, "p");
    type_text(&mut app, "Holiday rota");
    press(&mut app, key(KeyCode::Enter));
    app.set_clock(now() + SignedDuration::from_secs(3 * 60 + 20));
    app.clear_note();
    snap_both("standup_view", &mut app);
}

#[test]
fn snapshot_standup_over_time_and_ending() {
    let (_b, mut app) = history_app();
    keys(&mut app, "s");
    app.set_clock(now() + SignedDuration::from_secs(16 * 60 + 5));
    keys(&mut app, "s");
    app.clear_note();
    snap_both("standup_confirm_end", &mut app);
}

#[test]
fn snapshot_standup_summary() {
    let (b, mut app) = history_app();
    hold_a_standup(&b, &mut app);
    pin_times(&b, &mut app);
    snap_both("standup_summary", &mut app);
}

#[test]
fn the_summary_fits_the_small_screen_and_scrolls() {
    let (b, mut app) = history_app();
    hold_a_standup(&b, &mut app);
    pin_times(&b, &mut app);
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("alice (4)"), "{screen}");
    press(&mut app, ch('j'));
    let scrolled = render(&mut app, 80, 24);
    assert_ne!(screen, scrolled);
}

#[test]
fn a_long_walk_keeps_the_highlighted_item_in_view() {
    let b = starter_board();
    {
        let mut store = Store::open(&b.path, "alice").unwrap();
        for n in 1..=40 {
            store
                .add_item(Item {
                    title: format!("Extra item {n:02}"),
                    ..Item::default()
                })
                .unwrap();
        }
    }
    let mut app = app_on(&b.path, "alice");
    keys(&mut app, "s");
    assert_eq!(app.standup().unwrap().walk.len(), 47);
    keys(&mut app, "G");
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("47 / 47"), "{screen}");
    assert!(screen.contains("▸ #48 Extra item 40"), "{screen}");
    assert!(
        !screen.contains("Act (1)"),
        "scrolled past the top:\n{screen}"
    );
    keys(&mut app, "g");
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("Act (1)") && screen.contains("Plan (42)"),
        "{screen}"
    );
}

// ── after the stand-up: the list of stand-ups, the parking lot ──────────────────────

fn snap_35(name: &str, app: &mut App) {
    let big = render(app, 120, 35);
    insta::assert_snapshot!(format!("{name}__120x35"), big);
    let small = render(app, 80, 24);
    insta::assert_snapshot!(format!("{name}__80x24"), small);
}

/// A stand-up held as in `hold_a_standup`, its times pinned in the file, plus a second
/// parked topic; the summary closed.
fn after_a_standup() -> (Board, App) {
    let (b, mut app) = history_app();
    hold_a_standup(&b, &mut app);
    press(&mut app, key(KeyCode::Esc));
    let c = rusqlite::Connection::open(&b.path).unwrap();
    c.execute_batch(
        "UPDATE standup SET started_at = '2026-11-22T09:00:00Z', ended_at = '2026-11-22T09:14:00Z' WHERE id = 2;
         UPDATE parked_topic SET parked_at = '2026-11-22T09:10:00Z';
         INSERT INTO parked_topic (standup_id, text, parked_by, parked_at, uid)
              VALUES (2, 'Café pricing — who decides? 💶', 'bob', '2026-11-22T09:11:00Z', 'u-2');",
    )
    .unwrap();
    app.tick();
    // The tick set the clock to the real time; ages on cards count from a fixed one.
    app.set_clock(now());
    app.clear_note();
    (b, app)
}

#[test]
fn snapshot_the_standup_list_and_a_past_summary() {
    let (_b, mut app) = after_a_standup();
    keys(&mut app, "S");
    let Mode::Standups { list, .. } = app.mode() else {
        panic!("no list")
    };
    assert_eq!(list.len(), 2);
    snap_35("standup_list", &mut app);
    // Enter shows the selected one's summary (the one held before schema 4 reads its
    // summary from the log: nothing changed in it).
    keys(&mut app, "j");
    press(&mut app, key(KeyCode::Enter));
    let screen = render(&mut app, 120, 35);
    assert!(
        screen.contains("Stand-up Fri 20 Nov 09:00–09:15 UTC · bob"),
        "{screen}"
    );
    assert!(screen.contains("Changes (0)"), "{screen}");
    press(&mut app, key(KeyCode::Esc));
    assert!(matches!(app.mode(), Mode::Standups { selected: 1, .. }));
}

#[test]
fn snapshot_the_parked_topics_on_the_wall_and_in_their_list() {
    let (b, mut app) = after_a_standup();
    snap_35("wall_with_parked_topics", &mut app);
    keys(&mut app, "P");
    snap_35("parked_topics", &mut app);
    // r resolves the selected one; the list stays on the next.
    keys(&mut app, "r");
    assert_eq!(
        app.selected_topic().unwrap().text,
        "Café pricing — who decides? 💶"
    );
    let board = reopen(&b.path);
    assert_eq!(board.parked[0].resolved_by, "alice");
    assert!(board.parked[0].resolved_at.is_some());
    // n turns it into an item, its text the title; the list closes with the last.
    keys(&mut app, "n");
    assert_eq!(
        app.form()
            .unwrap()
            .field(obeya::app::FieldId::Title)
            .value(),
        "Café pricing — who decides? 💶"
    );
    press(&mut app, ctrl('s'));
    assert!(app.mode().is_board());
    let board = reopen(&b.path);
    assert_eq!(board.open_topics().count(), 0);
    let made = board
        .items
        .iter()
        .find(|i| i.title == "Café pricing — who decides? 💶")
        .unwrap();
    assert_eq!(board.parked[1].item_id, Some(made.id));
    assert!(!render(&mut app, 120, 35).contains("⚑ Parked"));
    // Undo brings the topic back, open.
    keys(&mut app, "u");
    assert_eq!(reopen(&b.path).open_topics().count(), 1);
}

#[test]
fn the_activity_view_shows_the_text_that_lost_a_conflict() {
    let (b, mut app) = history_app();
    let mut bob = Store::open(&b.path, "bob").unwrap();
    let mut mine = item(&bob.load_board().unwrap(), REFUND).clone();
    mine.title = "Refund in one tap, bob's way".into();
    mine.detail = "Bob's lost detail".into();
    bob.note_discarded(&mine.into(), "kept alice's version of #3; discarded mine")
        .unwrap();
    app.tick();
    keys(&mut app, "a");
    let screen = render(&mut app, 120, 35);
    assert!(
        screen.contains("bob kept alice's version of #3; discarded mine"),
        "{screen}"
    );
    assert!(
        screen.contains("lost title: Refund in one tap, bob's way"),
        "{screen}"
    );
    assert!(
        screen.contains("lost detail: Bob's lost detail"),
        "{screen}"
    );
    assert!(
        !screen.contains("lost status"),
        "only what differs: {screen}"
    );
}

/// The evidence a stand-up reports is what was added after the stand-up before was
/// recorded, by the activity log's order: a quote added in the very second the last
/// stand-up ended is in the next one's summary, and not in the last one's.
#[test]
fn evidence_added_in_the_second_a_standup_ended_is_in_the_next_summary() {
    let b = starter_board();
    let mut store = Store::open(&b.path, "alice").unwrap();
    let now = Timestamp::now();
    let first = store.begin_standup().unwrap();
    let (_, summary) = store.record_standup(&first, now, "alice", &[]).unwrap();
    let before = summary.evidence.len();
    store
        .add_evidence(
            obeya::model::Evidence {
                text: "Heard just after the stand-up".into(),
                ..Default::default()
            },
            &[],
        )
        .unwrap();
    // The stand-up's record and the quote, in one and the same second.
    let at = now.to_string();
    store
        .conn()
        .execute(
            "UPDATE activity SET at = ?1 WHERE id >= (SELECT max(id) - 1 FROM activity)",
            [&at],
        )
        .unwrap();
    let second = store.begin_standup().unwrap();
    let (_, summary) = store.record_standup(&second, now, "alice", &[]).unwrap();
    let texts: Vec<&str> = summary.evidence.iter().map(|e| e.text.as_str()).collect();
    assert_eq!(
        texts,
        ["Heard just after the stand-up"],
        "first had {before}"
    );
}
