//! What the wall looks like: insta snapshots of ratatui's TestBackend at 120×40 and
//! 80×24, for every pane focused and zoomed, every form, popup and banner. The app is
//! driven only through actions (keys through the keymap), so each snapshot is a real state.

use crossterm::event::KeyCode;
use kit::drive::*;
use kit::fixture::*;
use obeya::app::App;
use obeya::keymap::Command;
use obeya::model::Item;
use obeya::store::Store;

/// Snapshot the app at both sizes.
fn snap_both(name: &str, app: &mut App) {
    let big = render(app, 120, 40);
    insta::assert_snapshot!(format!("{name}__120x40"), big);
    let small = render(app, 80, 24);
    insta::assert_snapshot!(format!("{name}__80x24"), small);
}

fn starter() -> (Board, App) {
    starter_app()
}

// ── the wall, each pane focused ─────────────────────────────────────────────────────

#[test]
fn wall_focus_mission() {
    let (_b, mut app) = starter();
    press(&mut app, ch('1'));
    snap_both("wall_focus_mission", &mut app);
}

#[test]
fn wall_focus_personas() {
    let (_b, mut app) = starter();
    press(&mut app, ch('2'));
    press(&mut app, ch('j')); // Ben: his items carry ◆
    snap_both("wall_focus_personas", &mut app);
}

#[test]
fn wall_focus_journey() {
    let (_b, mut app) = starter();
    press(&mut app, ch('3'));
    press(&mut app, ch('l')); // Choose
    snap_both("wall_focus_journey", &mut app);
}

#[test]
fn wall_focus_improvements() {
    let (_b, mut app) = starter();
    press(&mut app, ch('4'));
    press(&mut app, ch('l')); // Do: the blocked, overdue refund card
    snap_both("wall_focus_improvements", &mut app);
}

// ── zoom ────────────────────────────────────────────────────────────────────────────

#[test]
fn zoom_mission() {
    let (_b, mut app) = starter();
    keys(&mut app, "1z");
    snap_both("zoom_mission", &mut app);
}

#[test]
fn zoom_personas() {
    let (_b, mut app) = starter();
    keys(&mut app, "2z");
    snap_both("zoom_personas", &mut app);
}

#[test]
fn zoom_journey() {
    let (_b, mut app) = starter();
    keys(&mut app, "3z");
    snap_both("zoom_journey", &mut app);
}

#[test]
fn zoom_improvements() {
    let (_b, mut app) = starter();
    select_item(&mut app, "Refund missing items in one tap");
    press(&mut app, ch('z'));
    snap_both("zoom_improvements", &mut app);
}

// ── detail popup ────────────────────────────────────────────────────────────────────

#[test]
fn detail_item() {
    let (_b, mut app) = starter();
    select_item(&mut app, "Refund missing items in one tap");
    press(&mut app, key(KeyCode::Enter));
    snap_both("detail_item", &mut app);
}

#[test]
fn detail_persona() {
    let (_b, mut app) = starter();
    press(&mut app, ch('2'));
    press(&mut app, key(KeyCode::Enter));
    snap_both("detail_persona", &mut app);
}

// ── forms ───────────────────────────────────────────────────────────────────────────

#[test]
fn form_new_item() {
    let (_b, mut app) = starter();
    keys(&mut app, "4n");
    type_text(&mut app, "Café menu in 日本語 🍵");
    snap_both("form_new_item", &mut app);
}

#[test]
fn form_edit_item() {
    let (_b, mut app) = starter();
    select_item(&mut app, "Refund missing items in one tap");
    press(&mut app, ch('e'));
    snap_both("form_edit_item", &mut app);
}

#[test]
fn form_edit_item_scrolled_to_risk() {
    let (_b, mut app) = starter();
    select_item(&mut app, "Refund missing items in one tap");
    press(&mut app, ch('e'));
    for _ in 0..7 {
        press(&mut app, key(KeyCode::Tab)); // down to Risk
    }
    snap_both("form_edit_item_risk", &mut app);
}

#[test]
fn form_new_persona() {
    let (_b, mut app) = starter();
    keys(&mut app, "2n");
    snap_both("form_new_persona", &mut app);
}

#[test]
fn form_edit_persona() {
    let (_b, mut app) = starter();
    keys(&mut app, "2e");
    snap_both("form_edit_persona", &mut app);
}

#[test]
fn form_new_stage() {
    let (_b, mut app) = starter();
    keys(&mut app, "3n");
    snap_both("form_new_stage", &mut app);
}

#[test]
fn form_edit_stage() {
    let (_b, mut app) = starter();
    press(&mut app, ch('3'));
    cmd(&mut app, Command::Open);
    press(&mut app, ch('e')); // from the detail popup: e edits the stage
    snap_both("form_edit_stage", &mut app);
}

#[test]
fn form_mission() {
    let (_b, mut app) = starter();
    keys(&mut app, "1e");
    snap_both("form_mission", &mut app);
}

#[test]
fn form_feeling_note() {
    let (_b, mut app) = starter();
    keys(&mut app, "3le");
    snap_both("form_feeling_note", &mut app);
}

#[test]
fn form_comment() {
    let (_b, mut app) = starter();
    select_item(&mut app, "Refund missing items in one tap");
    press(&mut app, ch('c'));
    type_text(&mut app, "Finance called back.");
    press(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "Contract change next week.");
    snap_both("form_comment", &mut app);
}

#[test]
fn form_block_reason() {
    let (_b, mut app) = starter();
    select_item(&mut app, "Large-text mode in the app");
    press(&mut app, ch('b'));
    snap_both("form_block_reason", &mut app);
}

#[test]
fn form_wip_limit() {
    let (_b, mut app) = starter();
    keys(&mut app, "4lw");
    type_text(&mut app, "3");
    snap_both("form_wip_limit", &mut app);
}

#[test]
fn form_error_empty_title() {
    let (_b, mut app) = starter();
    keys(&mut app, "4n");
    press(&mut app, ctrl('s'));
    assert!(app.form().is_some_and(|f| f.error().is_some()));
    snap_both("form_error_empty_title", &mut app);
}

#[test]
fn form_error_bad_date() {
    let (_b, mut app) = starter();
    keys(&mut app, "4n");
    type_text(&mut app, "Leap day party");
    for _ in 0..3 {
        press(&mut app, key(KeyCode::Tab));
    }
    type_text(&mut app, "2026-02-30");
    press(&mut app, ctrl('s'));
    assert!(app.form().is_some_and(|f| f.error().is_some()));
    snap_both("form_error_bad_date", &mut app);
}

#[test]
fn form_asks_before_discarding() {
    let (_b, mut app) = starter();
    keys(&mut app, "4n");
    type_text(&mut app, "half a thought");
    press(&mut app, key(KeyCode::Esc));
    snap_both("form_confirm_discard", &mut app);
}

// ── questions and popups ────────────────────────────────────────────────────────────

#[test]
fn confirm_delete() {
    let (_b, mut app) = starter();
    select_item(&mut app, "Guest checkout without an account");
    press(&mut app, ch('d'));
    snap_both("confirm_delete", &mut app);
}

#[test]
fn help_overlay() {
    let (_b, mut app) = starter();
    press(&mut app, ch('?'));
    snap_both("help", &mut app);
}

#[test]
fn activity_popup() {
    let (_b, mut app) = starter();
    select_item(&mut app, "Large-text mode in the app");
    press(&mut app, ch('L'));
    // The move is stamped with the real clock: pin it like the import's rows.
    rusqlite::Connection::open(&app.sharing().file().path)
        .unwrap()
        .execute(
            "UPDATE activity SET at = '2026-11-22T09:30:00Z' WHERE at > '2026-11-02'",
            [],
        )
        .unwrap();
    press(&mut app, ch('a'));
    // Times are shown in local time; show them as UTC so the snapshot fits every zone.
    let fix = |s: String| {
        let mut s = s;
        for (utc, shown) in [
            ("2026-11-01T09:00:00Z", "11-01 09:00"),
            ("2026-11-22T09:30:00Z", "11-22 09:30"),
        ] {
            let t: jiff::Timestamp = utc.parse().unwrap();
            let local = t
                .to_zoned(jiff::tz::TimeZone::system())
                .strftime("%m-%d %H:%M")
                .to_string();
            s = s.replace(&local, shown);
        }
        s
    };
    let big = fix(render(&mut app, 120, 40));
    insta::assert_snapshot!("activity__120x40", big);
    let small = fix(render(&mut app, 80, 24));
    insta::assert_snapshot!("activity__80x24", small);
}

#[test]
fn conflict_view() {
    let (b, mut app) = starter();
    select_item(&mut app, "Large-text mode in the app");
    press(&mut app, ch('e'));
    // alice retitles it in the form…
    for _ in 0..3 {
        press(&mut app, obeya_word_back()); // "app", "the", "in"
    }
    type_text(&mut app, "everywhere");
    // …while bob saves another title from his own connection.
    let mut bob = Store::open(&b.path, "bob").unwrap();
    let board = bob.load_board().unwrap();
    let it = board
        .items
        .iter()
        .find(|i| i.title == "Large-text mode in the app")
        .unwrap()
        .clone();
    bob.save(
        &it,
        &Item {
            title: "Large-text mode on phones".into(),
            ..it.clone()
        },
    )
    .unwrap();
    press(&mut app, ctrl('s'));
    assert!(matches!(app.mode(), obeya::app::Mode::Conflict(_)));
    snap_both("conflict", &mut app);
}

/// Alt-Backspace: delete the word before the cursor (textarea's word delete).
fn obeya_word_back() -> crossterm::event::KeyEvent {
    key_with(KeyCode::Backspace, crossterm::event::KeyModifiers::ALT)
}

// ── filter, my items, read-only, too small ───────────────────────────────────────────

#[test]
fn filter_being_typed() {
    let (_b, mut app) = starter();
    press(&mut app, ch('/'));
    type_text(&mut app, "maria");
    snap_both("filter_typing", &mut app);
}

#[test]
fn filter_active() {
    let (_b, mut app) = starter();
    press(&mut app, ch('/'));
    type_text(&mut app, "refund");
    press(&mut app, key(KeyCode::Enter));
    snap_both("filter_active", &mut app);
}

#[test]
fn my_items() {
    let (_b, mut app) = starter();
    press(&mut app, ch('m'));
    snap_both("my_items", &mut app);
}

#[test]
fn read_only_banner() {
    use std::os::unix::fs::PermissionsExt;
    let b = starter_board();
    std::fs::set_permissions(&b.path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let mut app = app_on(&b.path, "alice");
    keys(&mut app, "4n"); // refused, with a note
    let dir = b.dir.path().display().to_string();
    let hidden = format!("/tmp/obeya{}", "X".repeat(dir.len() - "/tmp/obeya".len()));
    let big = render(&mut app, 120, 40).replace(&dir, &hidden);
    insta::assert_snapshot!("read_only__120x40", big);
    let small = render(&mut app, 80, 24).replace(&dir, &hidden);
    insta::assert_snapshot!("read_only__80x24", small);
}

#[test]
fn too_small() {
    let (_b, mut app) = starter();
    let s = render(&mut app, 50, 10);
    assert!(s.contains("terminal too small (needs 60×16)"), "{s}");
    insta::assert_snapshot!("too_small__50x10", s);
}

#[test]
fn smallest_wall() {
    let (_b, mut app) = starter();
    let s = render(&mut app, 60, 16);
    insta::assert_snapshot!("wall__60x16", s);
}

// ── what must stay readable in the compact layout (found while reviewing snapshots) ───

#[test]
fn the_whole_help_is_reachable_at_80x24() {
    let (_b, mut app) = starter();
    press(&mut app, ch('?'));
    let mut seen = render(&mut app, 80, 24);
    // Down / Up are the keys the help keeps open for; they should scroll it.
    for _ in 0..120 {
        press(&mut app, ch('j'));
        seen.push_str(&render(&mut app, 80, 24));
    }
    for needle in [
        "suspend to the shell",
        "set the column's WIP limit",
        "park a topic",
        "Marks",
    ] {
        assert!(
            seen.contains(needle),
            "help never shows '{needle}' at 80×24"
        );
    }
}

#[test]
fn overdue_is_shown_in_words_at_80x24() {
    let (_b, mut app) = starter();
    let s = render(&mut app, 80, 24);
    // "Refund missing items in one tap" was due 2026-11-20; colour is never the only signal.
    assert!(
        s.contains("late"),
        "no overdue mark on the wall at 80×24:\n{s}"
    );
}

#[test]
fn overdue_is_shown_in_words_when_the_board_is_zoomed() {
    let (_b, mut app) = starter();
    select_item(&mut app, "Large-text mode in the app");
    press(&mut app, ch('z'));
    let s = render(&mut app, 120, 40);
    let board: String = s
        .lines()
        .map(|l| l.chars().take(66).collect::<String>() + "\n")
        .collect();
    assert!(
        board.contains("late"),
        "card line cut before 'late':\n{board}"
    );
}

#[test]
fn an_items_comments_can_be_read_at_80x24() {
    let (_b, mut app) = starter();
    select_item(&mut app, "Refund missing items in one tap");
    let mut seen = String::new();
    press(&mut app, key(KeyCode::Enter));
    seen.push_str(&render(&mut app, 80, 24));
    // The detail popup scrolls with j.
    for _ in 0..15 {
        press(&mut app, ch('j'));
        seen.push_str(&render(&mut app, 80, 24));
    }
    press(&mut app, key(KeyCode::Esc));
    press(&mut app, ch('z'));
    seen.push_str(&render(&mut app, 80, 24));
    for _ in 0..10 {
        press(&mut app, ch('j'));
        seen.push_str(&render(&mut app, 80, 24));
    }
    assert!(
        seen.contains("Escalated to finance"),
        "the item's comments are never on screen at 80×24"
    );
}
