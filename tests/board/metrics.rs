//! Metrics that live, on the wall (issue 24): the map's bands and its change since the
//! last stand-up, a stage's detail, a Check card that says how its customer metric
//! moved since Do, and the customer index on the mission pane, at three sizes, each
//! with colour and without (NO_COLOR: the glyphs ✓ ~ ✗ and ▲ ▼ say the same).

use kit::drive::*;
use kit::fixture::*;
use obeya::app::App;
use obeya::keymap::Command;
use ratatui::style::Color;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 35), (200, 50)];

/// The wall's board with: an amber band on Receive (lower is better, target 2, 2.5
/// now: within 0.5), a stand-up held on Tuesday, readings since (refunds 62 → 71 %),
/// and two items in Check: one whose metric moved since it entered Do, one whose stage
/// has had no reading since.
fn metrics_board() -> Board {
    let b = wall_board();
    let conn = rusqlite::Connection::open(&b.path).unwrap();
    conn.execute_batch(
        "UPDATE stage SET metric_warn = 0.5 WHERE id = 5;
         INSERT INTO standup (started_at, ended_at, facilitator) VALUES
           ('2026-11-17T09:00:00Z', '2026-11-17T09:14:00Z', 'alice');
         INSERT INTO metric_value (stage_id, at, value, who) VALUES
           (6, '2026-11-19T09:00:00Z', 71, 'alice'),
           (2, '2026-11-01T09:00:00Z', 88, 'bob');
         UPDATE stage SET metric_actual = 71 WHERE id = 6;
         INSERT INTO item (title, status, owner, stage_id, persona_id, position, created_at,
                           status_since, updated_at, baseline, baseline_at) VALUES
           ('Instant refund at the door', 'check', 'bob', 6, 1, 0,
            '2026-11-01T09:00:00Z', '2026-11-20T09:00:00Z', '2026-11-20T09:00:00Z',
            62, '2026-11-16T09:00:00Z'),
           ('Search that forgives typos', 'check', 'chen', 2, 2, 9,
            '2026-11-01T09:00:00Z', '2026-11-21T09:00:00Z', '2026-11-21T09:00:00Z',
            88, '2026-11-10T09:00:00Z');",
    )
    .unwrap();
    b
}

fn metrics_app() -> (Board, App) {
    let b = metrics_board();
    let app = app_on(&b.path, "alice");
    (b, app)
}

/// The colour of a theme's good, warn and bad, by name.
fn colour_name(c: Color) -> Option<&'static str> {
    let t = obeya::config::Config::default().theme;
    [(t.good, "good"), (t.warn, "warn"), (t.bad, "bad")]
        .into_iter()
        .find(|(k, _)| *k == c && c != Color::Reset)
        .map(|(_, n)| n)
}

/// The screen as text and, with colour, every run of cells in the good, warn or bad
/// colour under it: `row 12, x 40–47 good: 62→71 ▲`.
fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut out = render(app, w, h);
    if !app.settings().color() {
        return out;
    }
    app.update(obeya::app::Action::Resize {
        width: w,
        height: h,
    });
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(|f| obeya::ui::draw(f, app)).unwrap();
    let buf = t.backend().buffer().clone();
    out.push_str("── in colour ──\n");
    for y in 0..h {
        let mut x = 0;
        while x < w {
            let Some(name) = colour_name(buf[(x, y)].fg) else {
                x += 1;
                continue;
            };
            let start = x;
            let mut text = String::new();
            while x < w && colour_name(buf[(x, y)].fg) == Some(name) {
                text.push_str(buf[(x, y)].symbol());
                x += 1;
            }
            if !text.trim().is_empty() {
                out.push_str(&format!(
                    "row {y}, x {start}–{}: {name}: {}\n",
                    x - 1,
                    text.trim()
                ));
            }
        }
    }
    out
}

/// Snapshots at the three sizes, without colour (`…__nocolor`) and with.
fn snap_sizes(name: &str, app: &mut App) {
    for color in [false, true] {
        app.set_color(color);
        let tag = if color { "color" } else { "nocolor" };
        for (w, h) in SIZES {
            insta::assert_snapshot!(format!("{name}__{w}x{h}__{tag}"), screen(app, w, h));
        }
    }
}

#[test]
fn snapshot_the_map_with_bands_and_the_change_since_the_last_standup() {
    let (_b, mut app) = metrics_app();
    keys(&mut app, "3lllll"); // the journey, scrolled to its last stages
    snap_sizes("map", &mut app);
    let text = render(&mut app, 200, 50);
    // Receive is amber (within its band), and refunds rose since Tuesday's stand-up.
    assert!(text.contains("2.5/2 ~ 0.5 over"), "{text}");
    assert!(text.contains("62→71 ▲"), "{text}");
}

#[test]
fn snapshot_a_stage_detail_with_its_trend() {
    let (_b, mut app) = metrics_app();
    keys(&mut app, "3lllll"); // Get help
    cmd(&mut app, Command::Open);
    snap_sizes("stage_detail", &mut app);
    let text = render(&mut app, 200, 50);
    assert!(text.contains("62 → 71 % since Tue · ▲ better"), "{text}");
}

#[test]
fn snapshot_a_check_card_and_its_detail() {
    let (_b, mut app) = metrics_app();
    keys(&mut app, "4ll"); // the Check column
    snap_sizes("check_card", &mut app);
    let text = render(&mut app, 200, 50);
    assert!(text.contains("62→71% ▲"), "{text}");
    assert!(text.contains("no reading since Do"), "{text}");
    select_item(&mut app, "Instant refund at the door");
    cmd(&mut app, Command::Open);
    snap_sizes("check_detail", &mut app);
    let text = render(&mut app, 200, 50);
    assert!(
        text.contains("refunds paid within 24 h: 62 → 71 % since Do · target 90 % · ▲ better"),
        "{text}"
    );
}

#[test]
fn snapshot_the_customer_index_on_the_mission_pane() {
    let (_b, mut app) = metrics_app();
    snap_sizes("mission_index", &mut app);
    let text = render(&mut app, 120, 35);
    assert!(text.contains("customer index"), "{text}");
    keys(&mut app, "1");
    cmd(&mut app, Command::Open);
    snap_sizes("mission_detail", &mut app);
    let text = render(&mut app, 120, 35);
    assert!(
        text.contains("the mean attainment of the stages with a target and a reading"),
        "{text}"
    );
}

#[test]
fn an_item_moved_into_do_on_the_wall_keeps_its_stage_metrics_reading_and_undo_takes_it_back() {
    let (b, mut app) = metrics_app();
    const TITLE: &str = "Call back every refund request within 1 h"; // Plan, Get help
    select_item(&mut app, TITLE);
    cmd(&mut app, Command::MoveNext);
    let board = reopen(&b.path);
    let item = board.items.iter().find(|i| i.title == TITLE).unwrap();
    assert_eq!(item.status, obeya::model::Status::Do);
    assert_eq!(item.baseline, Some(71.0), "Get help's latest reading");
    assert!(item.baseline_at.is_some());
    keys(&mut app, "u");
    let board = reopen(&b.path);
    let item = board.items.iter().find(|i| i.title == TITLE).unwrap();
    assert_eq!(item.status, obeya::model::Status::Plan);
    assert_eq!((item.baseline, item.baseline_at), (None, None));
}

#[test]
fn the_stage_form_sets_and_refuses_a_warning_band() {
    let (b, mut app) = metrics_app();
    keys(&mut app, "3lllll"); // Get help
    cmd(&mut app, Command::Open);
    press(&mut app, ch('e'));
    // Name, goal, touchpoints, pains, backstage, metric, target, actual, unit, direction,
    // then the band.
    for _ in 0..10 {
        press(&mut app, key(crossterm::event::KeyCode::Tab));
    }
    type_text(&mut app, "-3");
    press(&mut app, ctrl('s'));
    let text = render(&mut app, 120, 35);
    assert!(text.contains("invalid warning band '-3'"), "{text}");
    for _ in 0..2 {
        press(&mut app, key(crossterm::event::KeyCode::Backspace));
    }
    type_text(&mut app, "5");
    press(&mut app, ctrl('s'));
    let board = reopen(&b.path);
    let stage = board.stages.iter().find(|s| s.name == "Get help").unwrap();
    assert_eq!(stage.metric.warn, Some(5.0));
    // 71 against 90, amber within 5: still red, and the map says so.
    let text = render(&mut app, 200, 50);
    assert!(text.contains("71/90% ✗"), "{text}");
}

#[test]
fn a_conflict_copys_readings_and_baselines_are_merged_once() {
    let b = metrics_board();
    let copy = b.dir.path().join("team (conflicted copy).db");
    std::fs::copy(&b.path, &copy).unwrap();
    let t = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    // The copy: a backdated reading, and an item taken into Do there.
    let mut bob = obeya::store::Store::open(&copy, "bob").unwrap();
    let stage = bob.load::<obeya::model::Stage>(6).unwrap().unwrap();
    bob.record_reading(&stage, 80.0, Some(t("2026-11-21T09:00:00Z")))
        .unwrap();
    let plan = bob
        .load_board()
        .unwrap()
        .items
        .into_iter()
        .find(|i| i.title == "Call back every refund request within 1 h")
        .unwrap();
    bob.move_item(&plan, obeya::model::Status::Do).unwrap();
    drop(bob);
    let mut alice = obeya::store::Store::open(&b.path, "alice").unwrap();
    let report = obeya::store::merge::merge_file(&mut alice, &copy).unwrap();
    assert!(
        report.lines.iter().any(|l| l == "added 1 metric reading"),
        "{:?}",
        report.lines
    );
    let board = reopen(&b.path);
    let get_help = board.stages.iter().find(|s| s.id == 6).unwrap();
    assert_eq!(get_help.metric.actual, Some(80.0));
    let item = board
        .items
        .iter()
        .find(|i| i.title == "Call back every refund request within 1 h")
        .unwrap();
    assert_eq!(item.status, obeya::model::Status::Do);
    // Taken in the copy, after its reading of the 21st: kept as the copy had it.
    assert_eq!(item.baseline, Some(80.0));
    let again = obeya::store::merge::merge_file(&mut alice, &copy).unwrap();
    assert!(again.lines.is_empty(), "{:?}", again.lines);
}

#[test]
fn the_standup_walk_shows_a_check_items_metric_then_and_now() {
    let (_b, mut app) = metrics_app();
    keys(&mut app, "s");
    // The walk goes right to left; step on until the Check item is under the cursor.
    for _ in 0..20 {
        if app
            .selected_item()
            .is_some_and(|i| i.title == "Instant refund at the door")
        {
            break;
        }
        keys(&mut app, "j");
    }
    assert_eq!(
        app.selected_item().map(|i| i.title.as_str()),
        Some("Instant refund at the door")
    );
    let text = render(&mut app, 200, 50);
    assert!(
        text.contains(
            "Customer refunds paid within 24 h: 62 → 71 % since Do · target 90 % · ▲ better"
        ),
        "{text}"
    );
}
