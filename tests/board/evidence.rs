//! The voice of the customer on the wall (issue 23): evidence on the persona cards and
//! the journey (heard beside believed, unheard pains), the employees' side, the evidence
//! view, an item's detail with its evidence; and evidence in round trips, merges and
//! undo.

use kit::drive::*;
use kit::fixture::*;
use obeya::app::{App, Mode};
use obeya::exchange::{Format, import, parse, to_json, to_toml};
use obeya::keymap::Command;
use obeya::model::{Evidence, EvidenceKind, Side};
use obeya::store::Store;
use obeya::store::merge::merge_file;

const SIZES: [(u16, u16); 3] = [(80, 24), (120, 35), (200, 50)];

fn snap_sizes(name: &str, app: &mut App) {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("{name}__{w}x{h}"), render(app, w, h));
    }
}

fn wall_app() -> (Board, App) {
    let b = wall_board();
    let app = app_on(&b.path, "alice");
    (b, app)
}

#[test]
fn snapshot_the_personas_with_what_was_heard() {
    let (_b, mut app) = wall_app();
    keys(&mut app, "2");
    snap_sizes("heard_on_the_personas", &mut app);
}

#[test]
fn snapshot_heard_beside_believed_on_the_zoomed_journey() {
    let (_b, mut app) = wall_app();
    keys(&mut app, "3z");
    snap_sizes("heard_beside_believed", &mut app);
}

#[test]
fn snapshot_the_employee_side() {
    let (_b, mut app) = wall_app();
    // Sam, the employee, selected: his curve and the backstage lane.
    keys(&mut app, "2G3");
    assert_eq!(
        app.screen().selected_persona().unwrap().side,
        Side::Employee
    );
    snap_sizes("employee_side", &mut app);
}

#[test]
fn snapshot_the_evidence_view() {
    let (_b, mut app) = wall_app();
    // From the journey with "Get help" selected: what was heard there.
    keys(&mut app, "3G");
    cmd(&mut app, Command::ShowEvidence);
    assert!(matches!(app.mode(), Mode::Evidence(_)));
    snap_sizes("evidence_view", &mut app);
}

#[test]
fn snapshot_an_items_detail_with_its_evidence() {
    let (_b, mut app) = wall_app();
    keys(&mut app, "4l"); // Do: #3 Refund missing items in one tap
    assert_eq!(app.selected_item().unwrap().id, 3);
    cmd(&mut app, Command::Open);
    snap_sizes("item_detail_with_evidence", &mut app);
    let screen = render(&mut app, 120, 35);
    assert!(screen.contains("Evidence (2), newest first"), "{screen}");
    assert!(screen.contains("2026-11-09  quote −2"), "{screen}");
    assert!(screen.contains("support ticket 4312"), "{screen}");
}

#[test]
fn heard_and_believed_a_point_apart_are_marked_and_unheard_pains_too() {
    let (_b, mut app) = wall_app();
    let wall = app.screen().wall().clone();
    let id = |name: &str| wall.personas.iter().find(|p| p.name == name).unwrap().id;
    let stage = |name: &str| wall.stages.iter().find(|s| s.name == name).unwrap().id;
    // The team believes Priya feels −1 at "Order & pay"; she was heard at +1.
    assert_eq!(
        wall.feeling(id("Priya"), stage("Order & pay"))
            .unwrap()
            .score,
        -1
    );
    assert_eq!(
        wall.heard_of(id("Priya"), stage("Order & pay")).mean(),
        Some(1.0)
    );
    assert!(wall.heard_gap(id("Priya"), stage("Order & pay")));
    // Maria's −2 at "Get help" is what she said: no gap.
    assert!(!wall.heard_gap(id("Maria"), stage("Get help")));
    // Ben feels bad at "Order & pay" and nobody heard him there; Discover's pains are
    // unheard too.
    assert!(wall.pain_unheard(id("Ben"), stage("Order & pay")));
    assert!(wall.stage_pains_unheard(stage("Discover")));
    let screen = render(&mut app, 200, 50);
    assert!(screen.contains("≠"), "the gap is marked:\n{screen}");
    assert!(
        screen.contains("?▲"),
        "Ben's unheard pain is marked:\n{screen}"
    );
    assert!(
        screen.contains("!? Delivery fee"),
        "Discover: no action, unheard:\n{screen}"
    );
    // The heard lane counts the evidence and says what customers expressed.
    assert!(screen.contains("heard  none heard"), "{screen}");
    assert!(
        screen.contains("❝3 ○−0.7"),
        "Choose: three pieces, −0.7:\n{screen}"
    );
    // The personas' cards lead with the newest quote and count their evidence.
    assert!(screen.contains("5 open ❝2"), "{screen}");
    assert!(screen.contains("❝ “Repeating last week's ba"), "{screen}");
    // The employees' side, apart, with the backstage lane under it.
    let staff = screen.lines().position(|l| l.contains("staff ")).unwrap();
    let back = screen.lines().position(|l| l.contains("│back ")).unwrap();
    let work = screen.lines().position(|l| l.contains("│work ")).unwrap();
    assert!(work < staff && staff < back, "{screen}");
}

#[test]
fn without_evidence_or_employees_the_wall_is_as_it_was() {
    let b = starter_board();
    let conn = rusqlite::Connection::open(&b.path).unwrap();
    obeya::store::add_name_collation(&conn).unwrap();
    conn.execute_batch(
        "DELETE FROM evidence_link; DELETE FROM evidence;
         DELETE FROM feeling WHERE persona_id = 4; DELETE FROM persona WHERE id = 4;",
    )
    .unwrap();
    let mut app = app_on(&b.path, "alice");
    let screen = render(&mut app, 120, 35);
    assert!(!screen.contains("heard"), "{screen}");
    assert!(!screen.contains("staff"), "{screen}");
    assert!(screen.contains("! hurts, no open item"), "{screen}");
}

#[test]
fn undo_takes_back_evidence_added_on_the_wall_with_its_link() {
    let (b, mut app) = wall_app();
    cmd(&mut app, Command::ShowEvidence);
    press(&mut app, ch('n'));
    type_text(&mut app, "Wanted the driver to call ahead");
    press(&mut app, ctrl('s'));
    let added = |path| {
        reopen(path)
            .evidence
            .into_iter()
            .find(|e: &Evidence| e.text.starts_with("Wanted"))
    };
    let e = added(&b.path).expect("added");
    assert_eq!(
        reopen(&b.path).supported_by(e.id),
        [1],
        "the wall's selected item"
    );
    press(&mut app, key(crossterm::event::KeyCode::Esc));
    cmd(&mut app, Command::Undo);
    assert!(added(&b.path).is_none(), "undone");
    assert!(
        reopen(&b.path)
            .evidence_links
            .iter()
            .all(|l| l.evidence_id != e.id)
    );
    cmd(&mut app, Command::Redo);
    assert_eq!(
        reopen(&b.path).supported_by(added(&b.path).unwrap().id),
        [1]
    );
}

#[test]
fn evidence_round_trips_through_json_and_toml_byte_for_byte() {
    let b = starter_board();
    let mut store = Store::open(&b.path, "alice").unwrap();
    // A piece with a line break and no sentiment, supporting two items.
    store
        .add_evidence(
            Evidence {
                kind: EvidenceKind::Interview,
                text: "First line\nsecond line, with a comma".into(),
                source: "interview, 3 Dec".into(),
                observed: "2026-12-03".parse().unwrap(),
                ..Evidence::default()
            },
            &[2, 5],
        )
        .unwrap();
    let doc = obeya::exchange::export(&store).unwrap();
    assert_eq!(doc.evidence.len(), 12);
    assert!(doc.personas.iter().any(|p| p.side == Side::Employee));
    for format in [Format::Json, Format::Toml] {
        let text = match format {
            Format::Json => to_json(&doc),
            Format::Toml => to_toml(&doc),
        };
        let dir = tempfile::tempdir().unwrap();
        let mut empty = Store::create(&dir.path().join("b.db"), "bob").unwrap();
        import(&mut empty, &parse(&text, format).unwrap()).unwrap();
        let again = obeya::exchange::export(&empty).unwrap();
        let again_text = match format {
            Format::Json => to_json(&again),
            Format::Toml => to_toml(&again),
        };
        assert_eq!(again_text, text, "{format:?}");
        // Importing it again changes nothing.
        let report = import(&mut empty, &parse(&text, format).unwrap()).unwrap();
        assert_eq!(report.to_string(), "added nothing; updated nothing");
    }
}

#[test]
fn a_merge_brings_the_copys_evidence_and_links_and_keeps_ours() {
    let b = starter_board();
    let copy = b.dir.path().join("team (conflicted copy).db");
    std::fs::copy(&b.path, &copy).unwrap();
    // The copy: new evidence for #5, and a link of the Discover-less complaint to #1.
    let mut bob = Store::open(&copy, "bob").unwrap();
    let theirs = bob
        .add_evidence(
            Evidence {
                kind: EvidenceKind::Complaint,
                text: "Van at 9:10 again".into(),
                observed: "2026-11-21".parse().unwrap(),
                sentiment: Some(-2),
                ..Evidence::default()
            },
            &[5],
        )
        .unwrap();
    bob.link_evidence(1, &[1], true).unwrap();
    // Here: a new item takes the number the copy's new evidence has, and evidence too.
    let mut alice = Store::open(&b.path, "alice").unwrap();
    let ours = alice
        .add_evidence(
            Evidence {
                text: "Asked for a paper invoice".into(),
                observed: "2026-11-21".parse().unwrap(),
                ..Evidence::default()
            },
            &[7],
        )
        .unwrap();
    assert_eq!(
        ours.id, theirs.id,
        "both files gave the new piece one number"
    );
    let report = merge_file(&mut alice, &copy).unwrap();
    assert!(
        report
            .lines
            .iter()
            .any(|l| l.contains("added evidence") && l.contains("Van at 9:10")),
        "{:?}",
        report.lines
    );
    let board = reopen(&b.path);
    let van = board
        .evidence
        .iter()
        .find(|e| e.text == "Van at 9:10 again")
        .unwrap();
    assert_ne!(van.id, ours.id, "a number of its own");
    assert_eq!(van.meta.uid, theirs.meta.uid, "the same record");
    assert_eq!(board.supported_by(van.id), [5]);
    assert_eq!(board.supported_by(ours.id), [7], "ours kept");
    assert!(board.supported_by(1).contains(&1), "the copy's new link");
    // Merging again brings nothing more.
    let again = merge_file(&mut alice, &copy).unwrap();
    assert!(again.lines.is_empty(), "{:?}", again.lines);
}
