//! Every screen size is a layout, not a cut (issue 25): at 80×24 and 120×35 the wall,
//! the zoomed journey, the zoomed improvements and the activity view show every stage,
//! lane and due date, and zoomed cards are wider than the wall's.

use kit::drive::*;
use kit::fixture::*;
use obeya::app::App;
use obeya::app::layout::{self, Areas};
use obeya::format::due_date;
use ratatui::layout::Rect;

fn wall_app() -> (Board, App) {
    let b = wall_board();
    let app = app_on(&b.path, "alice");
    (b, app)
}

fn areas(app: &App, w: u16, h: u16) -> Areas {
    app.screen().areas(Rect::new(0, 0, w, h))
}

/// The screen's text in the cells of `r` (wide characters take two), rows joined by
/// spaces, runs of blanks made one.
fn text_in(screen: &str, r: Rect) -> String {
    let band = |line: &str| {
        let (mut cell, mut out) = (0, String::new());
        for c in line.chars() {
            if cell >= usize::from(r.x) && cell < usize::from(r.right()) {
                out.push(c);
            }
            cell += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        }
        out
    };
    let rows: Vec<String> = screen
        .lines()
        .skip(usize::from(r.y))
        .take(usize::from(r.height))
        .map(band)
        .collect();
    rows.join(" ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Every card in view in the card columns drawn at `w`×`h` shows its due date, and
/// each column shown is at least `min` wide. Returns how many columns showed.
fn cards_keep_their_due_dates(app: &mut App, w: u16, h: u16, min: u16) -> usize {
    let screen = render(app, w, h);
    let a = areas(app, w, h);
    let today = app.clock().today();
    let cols = app.screen().card_columns(a.improvements);
    let mut shown = 0;
    for (c, rect) in cols.iter().enumerate().filter(|(_, r)| r.area() > 0) {
        shown += 1;
        assert!(
            rect.width >= min,
            "column {c} is {} wide at {w}×{h}, less than {min}:\n{screen}",
            rect.width
        );
        let text = text_in(&screen, *rect);
        let (first, count) = app.screen().cards_in_view(c, *rect);
        assert!(count > 0 || app.screen().view().shown[c] == 0, "{screen}");
        let cards = &app.screen().view().columns[c];
        for item in (first..first + count).filter_map(|row| cards.get(row)) {
            if let Some(due) = item.due {
                let day = due_date(due, today);
                assert!(
                    text.contains(&day),
                    "#{} loses its due date {day} at {w}×{h}:\n{screen}",
                    item.id
                );
            }
        }
    }
    shown
}

#[test]
fn at_80x24_the_wall_keeps_every_due_date_on_cards_15_wide() {
    let (_b, mut app) = wall_app();
    assert_eq!(cards_keep_their_due_dates(&mut app, 80, 24, 15), 5);
    // The late card says so in words.
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("20 Nov late"), "{screen}");
    // The picture is `wall__wall__80x24` (wall.rs).
}

#[test]
fn zoomed_cards_are_wider_than_the_walls_and_page_through_every_column() {
    for (w, h, min) in [(80, 24, 15), (120, 35, 24)] {
        let (_b, mut app) = wall_app();
        let wall = layout::columns(areas(&app, w, h).improvements)
            .iter()
            .map(|r| r.width)
            .min()
            .unwrap();
        keys(&mut app, "4z");
        let zoomed = areas(&app, w, h);
        let mut seen = [false; 5];
        // h/l walks the columns; the page follows, and its title says which it is.
        for step in 0..5 {
            if step > 0 {
                keys(&mut app, "l");
            }
            let cols = app.screen().card_columns(zoomed.improvements);
            for (c, r) in cols.iter().enumerate() {
                if r.area() > 0 {
                    seen[c] = true;
                    assert!(r.width > wall, "zoomed {} ≤ the wall's {wall}", r.width);
                }
            }
            let shown = cards_keep_their_due_dates(&mut app, w, h, min);
            let screen = render(&mut app, w, h);
            if shown < 5 {
                let first = cols.iter().position(|r| r.area() > 0).unwrap() + 1;
                let page = format!("columns {first}–{} of 5 (h/l)", first + shown - 1);
                assert!(screen.contains(&page), "{page:?} not in:\n{screen}");
            }
            if step == 0 || step == 4 {
                let name = format!("zoomed_improvements_column_{step}__{w}x{h}");
                insta::assert_snapshot!(name, screen);
            }
        }
        assert_eq!(seen, [true; 5], "every column shows at {w}×{h}");
    }
}

#[test]
fn the_zoomed_journey_shows_every_lane_and_every_stage_at_80x24() {
    let (_b, mut app) = wall_app();
    keys(&mut app, "3z");
    let mut names = Vec::new();
    let stages: Vec<String> = app
        .screen()
        .wall()
        .stages
        .iter()
        .map(|s| s.name.clone())
        .collect();
    for step in 0..stages.len() {
        if step > 0 {
            keys(&mut app, "l");
        }
        let screen = render(&mut app, 80, 24);
        for lane in [
            "goal", "touch", "pains", "heard", "work", "staff", "back", "metric",
        ] {
            assert!(
                screen.lines().any(|l| l.starts_with(&format!("│{lane} "))),
                "no {lane} lane:\n{screen}"
            );
        }
        let a = areas(&app, 80, 24);
        for (i, _) in app.screen().stage_columns(a.journey) {
            names.push(i);
        }
    }
    names.sort();
    names.dedup();
    assert_eq!(names.len(), stages.len(), "h/l reaches every stage");
    // The picture is `wall__zoomed_journey__80x24` (wall.rs).
}

#[test]
fn at_80x24_the_wall_pages_the_journey_through_every_stage() {
    let (_b, mut app) = wall_app();
    keys(&mut app, "3");
    let n = app.screen().wall().stages.len();
    let mut seen = Vec::new();
    for step in 0..n {
        if step > 0 {
            keys(&mut app, "l");
        }
        let screen = render(&mut app, 80, 24);
        let a = areas(&app, 80, 24);
        let shown = app.screen().stage_columns(a.journey);
        assert!(shown.len() < n, "at 80×24 the stages page");
        let (first, last) = (shown[0].0 + 1, shown[shown.len() - 1].0 + 1);
        let title = format!("stages {first}–{last} of {n} (h/l)");
        assert!(screen.contains(&title), "{title:?} not in:\n{screen}");
        let selected = &app.screen().selected_stage().unwrap().name;
        let name: String = selected.chars().take(8).collect();
        assert!(screen.contains(&name), "{selected} not in view:\n{screen}");
        seen.extend(shown.iter().map(|(i, _)| *i));
    }
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), n);
}

#[test]
fn at_80x24_a_long_activity_row_reads_whole_and_the_view_says_it_scrolls() {
    let (_b, mut app) = wall_app();
    keys(&mut app, "a");
    let screen = render(&mut app, 80, 24);
    // The popup's inside: two columns in from each side, under its top border.
    let text = text_in(&screen, Rect::new(3, 1, 74, 21));
    for whole in [
        "alice added evidence #11 'The label printer jammed twice before the 5 pm dispatch.'",
        "alice added evidence #10 '17 % of last week's deliveries arrived outside their window.'",
    ] {
        assert!(text.contains(whole), "{whole:?} not whole in:\n{screen}");
    }
    assert!(!text.contains('…'), "no row is cut:\n{screen}");
    assert!(screen.contains("1–21 of 82 · ↓ 61 more"), "{screen}");
    keys(&mut app, "j");
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("2–22 of 82 · ↓ 60 more"), "{screen}");
}

#[test]
fn help_and_detail_say_when_there_is_more_below() {
    let (_b, mut app) = wall_app();
    keys(&mut app, "?");
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("1–19 of 116 · ↓ 97 more"), "{screen}");
    for _ in 0..200 {
        keys(&mut app, "j");
    }
    let screen = render(&mut app, 80, 24);
    assert!(
        screen.contains("98–116 of 116 · end"),
        "the last page is whole: {screen}"
    );
    keys(&mut app, "q4");
    press(&mut app, key(crossterm::event::KeyCode::Enter));
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("1–17 of 23 · ↓ 6 more"), "{screen}");
    // Zoomed, the fields beside the cards say so too.
    keys(&mut app, "qz");
    let screen = render(&mut app, 120, 30);
    assert!(screen.contains("1–27 of 32 · ↓ 5 more"), "{screen}");
}

#[test]
fn the_personas_pane_says_which_it_shows_when_they_do_not_all_fit() {
    let (_b, app) = wall_app();
    let path = app.sharing().file().path.clone();
    for name in ["Ana", "Bo", "Cy", "Di"] {
        obeya::store::Store::open(&path, "alice")
            .unwrap()
            .add_persona(obeya::model::Persona {
                name: name.into(),
                ..Default::default()
            })
            .unwrap();
    }
    let mut app = app_on(&path, "alice");
    keys(&mut app, "2");
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("[2] Personas 1–5/8"), "{screen}");
    keys(&mut app, "G");
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("[2] Personas 4–8/8"), "{screen}");
}

#[test]
fn the_evidence_view_says_which_piece_when_its_list_scrolls() {
    let (_b, mut app) = wall_app();
    keys(&mut app, "4E");
    let n = match app.mode() {
        obeya::app::Mode::Evidence(v) => v.list.len(),
        _ => panic!("the evidence view opens"),
    };
    assert!(n > 4, "{n} pieces");
    let screen = render(&mut app, 80, 16);
    assert!(
        screen.contains(&format!("newest first · 1/{n}")),
        "{screen}"
    );
    keys(&mut app, "j");
    let screen = render(&mut app, 80, 16);
    assert!(
        screen.contains(&format!("newest first · 2/{n}")),
        "{screen}"
    );
}

#[test]
fn zoomed_personas_page_on_a_short_screen_instead_of_shrinking() {
    let (_b, mut app) = wall_app();
    keys(&mut app, "2z");
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("Personas (4) · 1–2 of 4 (j/k)"), "{screen}");
    assert!(
        screen.contains("Maria") && screen.contains("Ben"),
        "{screen}"
    );
    keys(&mut app, "jj");
    let screen = render(&mut app, 80, 24);
    assert!(screen.contains("Personas (4) · 3–4 of 4 (j/k)"), "{screen}");
    assert!(
        screen.contains("Priya") && !screen.contains("● Maria"),
        "{screen}"
    );
    // Tall enough, all of them at once.
    let screen = render(&mut app, 120, 35);
    assert!(!screen.contains(" of 4 (j/k)"), "{screen}");
}
