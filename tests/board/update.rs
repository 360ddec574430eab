//! `App::update` without a terminal: every command, form input, paste, mouse, Esc, quit,
//! undo / redo, and sharing (teammates' changes, a busy board, conflicts, read-only).
//! Writes are checked by reading the board file again with a second connection.

use crossterm::event::{KeyCode, KeyModifiers};
use kit::drive::*;
use kit::fixture::*;
use obeya::app::layout;
use obeya::app::{Action, App, Effect, FieldId, Mode, NoteKind, Pane, Question};
use obeya::keymap::{Command, CommandSet};
use obeya::model::{Item, Status};
use obeya::store::Store;
use ratatui::layout::Rect;

fn note(app: &App) -> String {
    app.note().map(|n| n.text.clone()).unwrap_or_default()
}

fn item_by_title<'a>(board: &'a obeya::model::Board, title: &str) -> &'a Item {
    board
        .items
        .iter()
        .find(|i| i.title == title)
        .unwrap_or_else(|| panic!("no item '{title}'"))
}

/// Titles of a column in board order, read from the file.
fn column_in_file(b: &Board, status: Status) -> Vec<String> {
    let board = reopen(&b.path);
    let mut items: Vec<&Item> = board.items.iter().filter(|i| i.status == status).collect();
    items.sort_by_key(|i| i.position);
    items.iter().map(|i| i.title.clone()).collect()
}

fn activity_count(b: &Board) -> i64 {
    Store::open(&b.path, "checker")
        .unwrap()
        .last_activity_id()
        .unwrap()
}

fn form_title(app: &App) -> String {
    app.form().map(|f| f.title().to_owned()).unwrap_or_default()
}

const REFUND: &str = "Refund missing items in one tap";
const LARGE_TEXT: &str = "Large-text mode in the app";
const GUEST: &str = "Guest checkout without an account";
const SUBSTITUTIONS: &str = "Show substitutions before the van leaves";
const PRINTERS: &str = "New label printers for the packing line";

// ── every command ───────────────────────────────────────────────────────────────────

/// One check per command; the match has no wildcard, so a new command must get a test.
fn check_command(c: Command, b: &Board, app: &mut App) {
    use Command::*;
    match c {
        Quit => {
            assert_eq!(cmd(app, Quit), Effect::Quit);
        }
        Help => {
            cmd(app, Help);
            assert!(matches!(app.mode(), Mode::Help { .. }));
            press(app, ch('z')); // any other key closes it, and does nothing else
            assert!(app.mode().is_board());
            assert!(!app.screen().zoomed());
        }
        NextPane => {
            assert_eq!(app.screen().focus(), Pane::Improvements);
            cmd(app, NextPane);
            assert_eq!(app.screen().focus(), Pane::Mission, "wraps around");
            cmd(app, NextPane);
            assert_eq!(app.screen().focus(), Pane::Personas);
        }
        PrevPane => {
            cmd(app, PrevPane);
            assert_eq!(app.screen().focus(), Pane::Journey);
        }
        FocusMission => {
            cmd(app, FocusMission);
            assert_eq!(app.screen().focus(), Pane::Mission);
        }
        FocusPersonas => {
            cmd(app, FocusPersonas);
            assert_eq!(app.screen().focus(), Pane::Personas);
        }
        FocusJourney => {
            cmd(app, FocusJourney);
            assert_eq!(app.screen().focus(), Pane::Journey);
        }
        FocusImprovements => {
            cmd(app, FocusMission);
            cmd(app, FocusImprovements);
            assert_eq!(app.screen().focus(), Pane::Improvements);
        }
        Down => {
            cmd(app, FocusPersonas);
            cmd(app, Down);
            assert_eq!(app.screen().selected_persona().unwrap().name, "Ben");
            cmd(app, FocusImprovements);
            cmd(app, Down);
            assert_eq!(app.selected_item().unwrap().title, PRINTERS);
        }
        Up => {
            cmd(app, FocusPersonas);
            cmd(app, Up);
            assert_eq!(
                app.screen().selected_persona().unwrap().name,
                "Maria",
                "stops at the top"
            );
            cmd(app, Down);
            cmd(app, Down);
            cmd(app, Up);
            assert_eq!(app.screen().selected_persona().unwrap().name, "Ben");
        }
        Left => {
            cmd(app, Right);
            cmd(app, Right);
            cmd(app, Left);
            assert_eq!(app.selection().column, 1);
            assert_eq!(app.selected_item().unwrap().title, REFUND);
            cmd(app, FocusJourney);
            cmd(app, Right);
            cmd(app, Left);
            assert_eq!(app.screen().selected_stage().unwrap().name, "Discover");
        }
        Right => {
            cmd(app, Right);
            assert_eq!(app.selection().column, 1);
            assert_eq!(app.selected_item().unwrap().title, REFUND);
            cmd(app, FocusJourney);
            cmd(app, Right);
            assert_eq!(app.screen().selected_stage().unwrap().name, "Choose");
        }
        First => {
            cmd(app, Down);
            cmd(app, First);
            assert_eq!(app.selected_item().unwrap().title, SUBSTITUTIONS);
            cmd(app, FocusJourney);
            cmd(app, Last);
            cmd(app, First);
            assert_eq!(app.screen().selected_stage().unwrap().name, "Discover");
        }
        Last => {
            cmd(app, Last);
            assert_eq!(app.selected_item().unwrap().title, PRINTERS);
            cmd(app, FocusPersonas);
            cmd(app, Last);
            assert_eq!(app.screen().selected_persona().unwrap().name, "Sam");
            cmd(app, FocusJourney);
            cmd(app, Last);
            assert_eq!(app.screen().selected_stage().unwrap().name, "Get help");
        }
        Open => {
            cmd(app, Open);
            assert!(matches!(
                app.mode(),
                Mode::Detail {
                    pane: Pane::Improvements,
                    ..
                }
            ));
        }
        New => {
            cmd(app, New);
            assert_eq!(form_title(app), "New improvement item");
            let f = app.form().unwrap();
            assert_eq!(
                f.field(FieldId::Owner).value(),
                "alice",
                "owner defaults to me"
            );
            assert_eq!(
                f.field(FieldId::Status).value(),
                "Plan",
                "status of the column"
            );
        }
        Edit => {
            cmd(app, Edit);
            assert_eq!(form_title(app), "Edit item #1");
            assert_eq!(
                app.form().unwrap().field(FieldId::Title).value(),
                SUBSTITUTIONS
            );
        }
        Delete => {
            cmd(app, Delete);
            match app.mode() {
                Mode::Ask(q) => match q.as_ref() {
                    Question::Confirm { text, .. } => {
                        assert!(text.contains(SUBSTITUTIONS), "{text}")
                    }
                    _ => panic!("not a yes/no question"),
                },
                _ => panic!("no question"),
            }
        }
        MovePrev => {
            select_item(app, REFUND);
            cmd(app, MovePrev);
            assert_eq!(item_by_title(&reopen(&b.path), REFUND).status, Status::Plan);
            // Personas: H moves the selected one earlier.
            cmd(app, FocusPersonas);
            cmd(app, Down);
            cmd(app, MovePrev);
            assert_eq!(reopen(&b.path).personas[0].name, "Ben");
        }
        MoveNext => {
            cmd(app, MoveNext);
            assert_eq!(
                item_by_title(&reopen(&b.path), SUBSTITUTIONS).status,
                Status::Do
            );
            assert_eq!(app.selected_item().unwrap().title, SUBSTITUTIONS, "follows");
            assert_eq!(app.selection().column, 1);
            cmd(app, FocusJourney);
            cmd(app, MoveNext);
            let stages: Vec<String> = reopen(&b.path)
                .wall
                .stages
                .into_iter()
                .map(|s| s.name)
                .collect();
            assert_eq!(stages[..2], ["Choose".to_string(), "Discover".to_string()]);
        }
        OrderDown => {
            cmd(app, OrderDown);
            assert_eq!(column_in_file(b, Status::Plan), [PRINTERS, SUBSTITUTIONS]);
            assert_eq!(app.selected_item().unwrap().title, SUBSTITUTIONS);
        }
        OrderUp => {
            cmd(app, Down);
            cmd(app, OrderUp);
            assert_eq!(column_in_file(b, Status::Plan), [PRINTERS, SUBSTITUTIONS]);
        }
        ToggleBlocked => {
            cmd(app, ToggleBlocked);
            assert!(form_title(app).starts_with("Block '"));
        }
        Comment => {
            cmd(app, Comment);
            assert_eq!(form_title(app), format!("Comment on '{SUBSTITUTIONS}'"));
        }
        Mine => {
            cmd(app, Mine);
            assert!(app.screen().mine().is_some());
            let shown: Vec<&str> = cards(app).map(|i| i.owner.as_str()).collect();
            assert_eq!(shown, ["alice", "alice", "alice"]);
            assert!(note(app).contains("only alice's items"));
            cmd(app, Mine);
            assert_eq!(cards(app).count(), 8);
        }
        Filter => {
            cmd(app, Filter);
            assert!(matches!(app.mode(), Mode::Filter(_)));
            type_text(app, "Typos");
            assert_eq!(app.screen().filter(), "Typos");
            assert_eq!(cards(app).count(), 1, "case-insensitive match on the title");
        }
        Zoom => {
            cmd(app, Zoom);
            assert!(app.screen().zoomed());
            cmd(app, Zoom);
            assert!(!app.screen().zoomed());
        }
        Back => {
            cmd(app, Zoom);
            cmd(app, Back);
            assert!(!app.screen().zoomed(), "Esc leaves the zoom");
            cmd(app, Filter);
            type_text(app, "van");
            press(app, key(KeyCode::Enter));
            assert_eq!(app.screen().filter(), "van");
            cmd(app, Back);
            assert!(app.screen().filter().is_empty(), "then clears the filter");
        }
        Compact => {
            // Full cards show the owner under the title; compact ones only the title.
            assert!(render(app, 120, 40).contains("chen · due 10 Dec"));
            cmd(app, Compact);
            let screen = render(app, 120, 40);
            assert!(!screen.contains("chen · due 10 Dec"), "{screen}");
            assert!(screen.contains("❝2 #1 Show subs… chen"), "{screen}");
            cmd(app, Compact);
            assert!(render(app, 120, 40).contains("chen · due 10 Dec"));
        }
        Standup => {
            cmd(app, Standup);
            let m = app.standup().expect("s starts the stand-up");
            assert_eq!(m.walk.len(), 7, "every item not done");
            assert_eq!(
                app.selected_item().unwrap().title,
                "Standing weekly order for cafés"
            );
            assert!(note(app).starts_with("stand-up started"), "{}", note(app));
            cmd(app, Standup); // again: asks before ending
            assert!(matches!(app.mode(), Mode::EndStandup));
            press(app, ch('y'));
            assert!(app.standup().is_none());
            assert!(matches!(app.mode(), Mode::Summary { .. }));
            assert_eq!(
                reopen(&b.path).wall.last_standup.unwrap().facilitator,
                "alice",
                "stored in the file"
            );
        }
        Activity => {
            cmd(app, Activity);
            match app.mode() {
                Mode::Activity { rows, .. } => assert!(rows.len() > 8),
                _ => panic!("no activity popup"),
            }
        }
        Standups => {
            cmd(app, Standups);
            assert!(app.mode().is_board(), "none held yet: a note, no list");
            assert!(app.note().unwrap().text.contains("no stand-up"));
            let t: jiff::Timestamp = "2026-11-20T09:00:00Z".parse().unwrap();
            let mut bob = Store::open(&b.path, "bob").unwrap();
            bob.record_standup(&kit::fixture::held_at(&bob, t), t, "bob", &[])
                .unwrap();
            bob.record_standup(
                &kit::fixture::held_at(&bob, t),
                t + jiff::SignedDuration::from_mins(9),
                "bob",
                &[],
            )
            .unwrap();
            cmd(app, Standups);
            let Mode::Standups { list, selected } = app.mode() else {
                panic!("no stand-up list")
            };
            assert_eq!(
                (list.len(), *selected, list[0].0.id),
                (2, 0, 2),
                "newest first"
            );
            press(app, ch('j'));
            press(app, key(KeyCode::Enter));
            let Mode::Summary { standup, .. } = app.mode() else {
                panic!("Enter shows the summary")
            };
            assert_eq!(standup.id, 1);
            press(app, ch('x'));
            assert!(
                matches!(app.mode(), Mode::Standups { selected: 1, .. }),
                "back to the list"
            );
            press(app, key(KeyCode::Esc));
            assert!(app.mode().is_board());
        }
        ShowEvidence => {
            // From the personas pane: the selected persona's evidence, newest first.
            cmd(app, FocusPersonas);
            cmd(app, ShowEvidence);
            let view = |app: &App| match app.mode() {
                Mode::Evidence(v) => (**v).clone(),
                _ => panic!("the evidence view is open"),
            };
            let maria = app.screen().selected_persona().unwrap().id;
            let v = view(app);
            assert_eq!(v.filter.persona, Some(maria));
            assert_eq!(v.list.len(), 2, "Maria's two pieces");
            assert!(v.list.windows(2).all(|w| w[0].observed >= w[1].observed));
            press(app, ch('p')); // the next persona: Ben
            assert!(
                view(app)
                    .list
                    .iter()
                    .all(|e| e.text.contains("daughter") || e.text.contains("search"))
            );
            press(app, ch('x')); // every piece
            assert_eq!(view(app).list.len(), 11);
            press(app, ch('t')); // quotes only
            assert!(
                view(app)
                    .list
                    .iter()
                    .all(|e| e.kind == obeya::model::EvidenceKind::Quote)
            );
            press(app, ch('x'));
            press(app, ch('p')); // from all, the first persona
            assert_eq!(view(app).filter.persona, Some(maria));
            // `n` adds a piece from the keyboard; it is today's, so the newest.
            press(app, ch('n'));
            assert_eq!(form_title(app), "New evidence");
            type_text(app, "Evening slots were gone by noon again");
            press(app, ctrl('s'));
            assert!(matches!(app.mode(), Mode::Evidence(_)), "back to the view");
            press(app, ch('g'));
            assert_eq!(
                view(app).selected().unwrap().text,
                "Evening slots were gone by noon again"
            );
            // The form offered the item selected on the wall (#1); `l` unlinks it from
            // that item, and links it again.
            let board = reopen(&b.path);
            let added = board
                .evidence
                .iter()
                .find(|e| e.text.starts_with("Evening"))
                .unwrap();
            assert_eq!(board.supported_by(added.id), [1]);
            assert_eq!(added.observed.to_string(), "2026-11-22");
            assert_eq!(added.persona_id, Some(maria), "the filter's persona");
            press(app, ch('l'));
            assert!(reopen(&b.path).supported_by(added.id).is_empty());
            press(app, ch('l'));
            assert_eq!(reopen(&b.path).supported_by(added.id), [1]);
            // `e` edits it: a sentiment; `d` deletes it after a yes.
            press(app, ch('e'));
            assert_eq!(form_title(app), format!("Edit evidence #{}", added.id));
            press(app, ctrl('s'));
            press(app, ch('d'));
            press(app, ch('y'));
            assert!(!reopen(&b.path).evidence.iter().any(|e| e.id == added.id));
            press(app, key(KeyCode::Esc));
            assert!(app.mode().is_board());
        }
        Parked => {
            cmd(app, Parked);
            assert!(app.mode().is_board(), "nothing parked: a note");
            let t: jiff::Timestamp = "2026-11-20T09:00:00Z".parse().unwrap();
            let mut bob = Store::open(&b.path, "bob").unwrap();
            let topics = [
                ("Holiday rota".to_owned(), t),
                ("Café pricing".to_owned(), t),
            ];
            bob.record_standup(&kit::fixture::held_at(&bob, t), t, "bob", &topics)
                .unwrap();
            app.tick();
            assert!(render(app, 120, 40).contains("⚑ Parked (2): Holiday rota · Café pricing"));
            cmd(app, Parked);
            assert_eq!(app.selected_topic().unwrap().text, "Holiday rota");
            press(app, ch('r'));
            assert_eq!(app.selected_topic().unwrap().text, "Café pricing");
            press(app, ch('n'));
            assert_eq!(form_title(app), "New item from a parked topic");
            press(app, ctrl('s'));
            assert!(app.mode().is_board());
            let board = reopen(&b.path);
            assert_eq!(board.open_topics().count(), 0);
            let made = item_by_title(&board, "Café pricing");
            assert_eq!(made.owner, "alice");
            assert_eq!(board.parked[1].item_id, Some(made.id));
            assert!(!render(app, 120, 40).contains("⚑ Parked"));
        }
        Undo => {
            cmd(app, MoveNext);
            cmd(app, Undo);
            assert_eq!(
                item_by_title(&reopen(&b.path), SUBSTITUTIONS).status,
                Status::Plan
            );
            assert_eq!(
                note(app),
                format!("undone: moved #1 '{SUBSTITUTIONS}' back to Plan")
            );
            cmd(app, Undo);
            assert_eq!(note(app), "nothing to undo");
        }
        Redo => {
            cmd(app, MoveNext);
            cmd(app, Undo);
            cmd(app, Redo);
            assert_eq!(
                item_by_title(&reopen(&b.path), SUBSTITUTIONS).status,
                Status::Do
            );
            assert_eq!(
                note(app),
                format!("redone: moved #1 '{SUBSTITUTIONS}' to Do")
            );
        }
        FeelingUp => {
            cmd(app, FocusJourney);
            cmd(app, FeelingUp); // Maria at Discover: +1 → +2
            let board = reopen(&b.path);
            let (p, s) = (board.personas[0].id, board.stages[0].id);
            assert_eq!(board.feeling(p, s).unwrap().score, 2);
        }
        FeelingDown => {
            cmd(app, FocusJourney);
            cmd(app, FeelingDown); // +1 → 0
            let board = reopen(&b.path);
            let (p, s) = (board.personas[0].id, board.stages[0].id);
            assert_eq!(board.feeling(p, s).unwrap().score, 0);
        }
        WipLimit => {
            cmd(app, WipLimit);
            assert_eq!(form_title(app), "WIP limit of Plan");
        }
        Suspend => {
            assert_eq!(cmd(app, Suspend), Effect::Suspend);
        }
    }
}

#[test]
fn every_command_has_an_effect_a_user_would_notice() {
    for &c in Command::ALL {
        let (b, mut app) = starter_app();
        check_command(c, &b, &mut app);
    }
}

#[test]
fn every_command_has_a_default_key_that_reaches_it() {
    // The keymap turns each bound key into its command (keys through action_for).
    let (_b, app) = starter_app();
    for &c in Command::ALL {
        let specs = app.settings().keys().board.keys_for(c);
        assert!(!specs.is_empty(), "{c} has no key");
        for k in specs {
            let ev = key_with(k.code(), k.modifiers());
            assert_eq!(
                app.action_for(crossterm::event::Event::Key(ev)),
                Some(Action::Command(c)),
                "{k} should run {c}"
            );
        }
    }
}

// ── forms: input, paste, errors ──────────────────────────────────────────────────────

#[test]
fn a_new_item_typed_in_the_form_lands_in_the_file_with_its_unicode() {
    let (b, mut app) = starter_app();
    keys(&mut app, "n");
    let title = "Zoë's café ☕ 顧客の声 🚀";
    type_text(&mut app, title);
    press(&mut app, key(KeyCode::Tab));
    press(&mut app, key(KeyCode::Right)); // Status: Plan → Do
    press(&mut app, key(KeyCode::Tab));
    press(&mut app, ctrl('j')); // textarea: delete to the line's start
    type_text(&mut app, "zoë");
    press(&mut app, key(KeyCode::Tab));
    type_text(&mut app, "2026-12-24");
    press(&mut app, ctrl('s'));
    assert!(app.mode().is_board(), "saved and closed");
    let board = reopen(&b.path);
    let it = item_by_title(&board, title);
    assert_eq!(it.status, Status::Do);
    assert_eq!(it.owner, "zoë");
    assert_eq!(it.due.unwrap().to_string(), "2026-12-24");
    assert_eq!(it.meta.updated_by, "alice");
    assert_eq!(
        app.selected_item().unwrap().title,
        title,
        "the new card is selected"
    );
}

#[test]
fn n_in_each_pane_creates_its_record_with_unicode() {
    let (b, mut app) = starter_app();
    // Personas
    keys(&mut app, "2n");
    type_text(&mut app, "Zoë 🚀 顧客");
    press(&mut app, ctrl('s'));
    // Journey
    keys(&mut app, "3n");
    type_text(&mut app, "Ödeme 支払い ✨");
    press(&mut app, ctrl('s'));
    // Mission: n (like e) edits the one mission
    keys(&mut app, "1n");
    press(&mut app, ctrl('j'));
    type_text(&mut app, "Wir liefern frisch — 新鮮 🥦");
    press(&mut app, ctrl('s'));
    assert!(app.mode().is_board());
    let board = reopen(&b.path);
    assert_eq!(board.personas.last().unwrap().name, "Zoë 🚀 顧客");
    assert_eq!(board.stages.last().unwrap().name, "Ödeme 支払い ✨");
    assert!(
        board
            .mission
            .statement
            .ends_with("Wir liefern frisch — 新鮮 🥦"),
        "{}",
        board.mission.statement
    );
    assert_eq!(app.screen().selected_persona().unwrap().name, "Zoë 🚀 顧客");
    assert_eq!(
        app.screen().selected_stage().unwrap().name,
        "Ödeme 支払い ✨"
    );
}

#[test]
fn paste_goes_into_the_focused_field_one_line_fields_get_spaces() {
    let (b, mut app) = starter_app();
    keys(&mut app, "n");
    app.update(Action::Paste("Fix\r\nrefunds 💶".into()));
    assert_eq!(
        app.form().unwrap().field(FieldId::Title).value(),
        "Fix refunds 💶"
    );
    for _ in 0..6 {
        press(&mut app, key(KeyCode::Tab)); // to Impact (multi-line)
    }
    app.update(Action::Paste("same day\nno forms".into()));
    assert_eq!(
        app.form().unwrap().field(FieldId::Impact).value(),
        "same day\nno forms"
    );
    press(&mut app, ctrl('s'));
    let board = reopen(&b.path);
    assert_eq!(
        item_by_title(&board, "Fix refunds 💶").impact,
        "same day\nno forms"
    );
}

#[test]
fn paste_into_the_filter_line() {
    let (_b, mut app) = starter_app();
    keys(&mut app, "/");
    app.update(Action::Paste("van\ntracking".into()));
    assert_eq!(app.screen().filter(), "van tracking");
    assert_eq!(cards(&app).count(), 1);
}

#[test]
fn enter_is_a_newline_in_multi_line_fields_and_next_field_in_one_line_fields() {
    let (_b, mut app) = starter_app();
    select_item(&mut app, REFUND);
    keys(&mut app, "c");
    type_text(&mut app, "one");
    press(&mut app, key(KeyCode::Enter));
    type_text(&mut app, "two");
    assert_eq!(
        app.form().unwrap().field(FieldId::Comment).value(),
        "one\ntwo"
    );
    press(&mut app, key(KeyCode::Esc));
    press(&mut app, ch('y'));
    keys(&mut app, "n");
    type_text(&mut app, "T");
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(app.form().unwrap().focus(), 1, "Enter moved to Status");
}

#[test]
fn empty_title_keeps_the_form_open_and_writes_nothing() {
    let (b, mut app) = starter_app();
    let before = activity_count(&b);
    keys(&mut app, "n");
    type_text(&mut app, "   ");
    press(&mut app, ctrl('s'));
    let f = app.form().expect("form still open");
    assert!(f.error().unwrap().contains("Title"), "{:?}", f.error());
    assert_eq!(reopen(&b.path).items.len(), 8);
    assert_eq!(activity_count(&b), before);
    // Fixing it saves.
    type_text(&mut app, "Now with a title");
    press(&mut app, ctrl('s'));
    assert!(app.mode().is_board());
    assert_eq!(reopen(&b.path).items.len(), 9);
}

#[test]
fn bad_date_keeps_the_form_open_and_writes_nothing() {
    let (b, mut app) = starter_app();
    let before = activity_count(&b);
    keys(&mut app, "n");
    type_text(&mut app, "Leap day");
    for _ in 0..3 {
        press(&mut app, key(KeyCode::Tab));
    }
    type_text(&mut app, "2026-02-30");
    press(&mut app, ctrl('s'));
    let f = app.form().expect("form still open");
    assert!(f.error().unwrap().starts_with("Due:"), "{:?}", f.error());
    assert_eq!(
        f.field(FieldId::Title).value(),
        "Leap day",
        "nothing typed is lost"
    );
    assert_eq!(reopen(&b.path).items.len(), 8);
    assert_eq!(activity_count(&b), before);
}

#[test]
fn a_refused_field_gets_the_focus_and_says_what_to_fix() {
    let (_b, mut app) = starter_app();
    keys(&mut app, "n");
    type_text(&mut app, "Leap day");
    for _ in 0..3 {
        press(&mut app, key(KeyCode::Tab));
    }
    type_text(&mut app, "2026-02-30");
    press(&mut app, key(KeyCode::Tab)); // on to Persona
    press(&mut app, ctrl('s'));
    let f = app.form().expect("form still open");
    assert_eq!(f.focused().id, FieldId::Due, "back to the date");
    assert_eq!(
        f.error(),
        Some("Due: invalid date '2026-02-30' (expected YYYY-MM-DD, a real calendar day)")
    );
}

#[test]
fn a_metric_number_is_read_as_the_command_line_reads_it() {
    let (b, mut app) = starter_app();
    keys(&mut app, "3n");
    type_text(&mut app, "Pay again");
    for _ in 0..6 {
        press(&mut app, key(KeyCode::Tab)); // to Target
    }
    type_text(&mut app, "seventy");
    press(&mut app, key(KeyCode::Tab)); // Actual
    type_text(&mut app, "71,5 %");
    press(&mut app, ctrl('s'));
    let f = app.form().expect("form still open");
    assert_eq!(f.focused().id, FieldId::Target);
    assert_eq!(
        f.error(),
        Some("Target: invalid number 'seventy' (expected a number, e.g. 71, 71.5, 71,5 or 71 %)")
    );
    press(&mut app, ctrl('w')); // the textarea's delete-word
    type_text(&mut app, "80");
    press(&mut app, ctrl('s'));
    assert!(app.mode().is_board(), "{:?}", app.form().map(|f| f.error()));
    let stage = reopen(&b.path).stages.last().unwrap().clone();
    assert_eq!(
        (
            stage.name.as_str(),
            stage.metric.target,
            stage.metric.actual
        ),
        ("Pay again", Some(80.0), Some(71.5))
    );
}

#[test]
fn duplicate_persona_name_ignoring_case_keeps_the_form_open() {
    let (b, mut app) = starter_app();
    let before = activity_count(&b);
    keys(&mut app, "2n");
    type_text(&mut app, "MARIA");
    press(&mut app, ctrl('s'));
    let f = app.form().expect("form still open");
    assert!(
        f.error().unwrap().contains("already exists"),
        "{:?}",
        f.error()
    );
    assert_eq!(reopen(&b.path).personas.len(), 4);
    assert_eq!(activity_count(&b), before);
}

/// A teammate takes the name while the form is open: the store refuses it, and the
/// form says so with the Name field focused, to be changed there.
#[test]
fn a_name_a_teammate_took_meanwhile_focuses_the_name_field() {
    let (b, mut app) = starter_app();
    keys(&mut app, "2n");
    type_text(&mut app, "Noor");
    press(&mut app, key(KeyCode::Tab)); // on to the role
    type_text(&mut app, "Florist");
    let mut teammate = obeya::store::Store::open(&b.path, "bob").unwrap();
    teammate
        .add_persona(obeya::model::Persona {
            name: "NOOR".into(),
            ..Default::default()
        })
        .unwrap();
    press(&mut app, ctrl('s'));
    let f = app.form().expect("form still open");
    assert_eq!(
        f.error(),
        Some("a persona named 'NOOR' already exists"),
        "{:?}",
        f.error()
    );
    assert_eq!(f.focused().id, FieldId::Name);
    assert_eq!(reopen(&b.path).personas.len(), 5);
}

#[test]
fn duplicate_stage_name_ignoring_case_keeps_the_form_open() {
    let (b, mut app) = starter_app();
    keys(&mut app, "3n");
    type_text(&mut app, "get HELP");
    press(&mut app, ctrl('s'));
    assert!(app.form().is_some_and(|f| f.error().is_some()));
    assert_eq!(reopen(&b.path).stages.len(), 6);
}

#[test]
fn wip_limit_that_is_not_a_number_is_refused() {
    let (b, mut app) = starter_app();
    keys(&mut app, "w");
    type_text(&mut app, "three");
    press(&mut app, ctrl('s'));
    assert!(app.form().is_some_and(|f| f.error().is_some()));
    assert_eq!(reopen(&b.path).wip_limit(Status::Plan), None);
}

// ── Esc and quitting ────────────────────────────────────────────────────────────────

#[test]
fn esc_closes_popups_then_unzooms_then_clears_the_filter() {
    let (_b, mut app) = starter_app();
    keys(&mut app, "/");
    type_text(&mut app, "maria");
    press(&mut app, key(KeyCode::Enter));
    assert!(!matches!(app.mode(), Mode::Filter(_)));
    assert_eq!(app.screen().filter(), "maria", "Enter keeps the filter");
    keys(&mut app, "z?");
    press(&mut app, key(KeyCode::Esc));
    assert!(app.mode().is_board());
    assert!(app.screen().zoomed());
    press(&mut app, key(KeyCode::Esc));
    assert!(!app.screen().zoomed());
    assert_eq!(app.screen().filter(), "maria");
    press(&mut app, key(KeyCode::Esc));
    assert_eq!(app.screen().filter(), "");
    assert_eq!(cards(&app).count(), 8);
}

#[test]
fn esc_in_the_filter_line_clears_it() {
    let (_b, mut app) = starter_app();
    keys(&mut app, "/");
    type_text(&mut app, "zzz");
    assert_eq!(cards(&app).count(), 0);
    press(&mut app, key(KeyCode::Esc));
    assert!(!matches!(app.mode(), Mode::Filter(_)));
    assert_eq!(cards(&app).count(), 8);
}

#[test]
fn esc_on_a_clean_form_closes_it_on_a_dirty_form_asks() {
    let (b, mut app) = starter_app();
    keys(&mut app, "e");
    press(&mut app, key(KeyCode::Esc));
    assert!(app.mode().is_board(), "nothing typed: closes at once");
    keys(&mut app, "e");
    type_text(&mut app, "!");
    press(&mut app, key(KeyCode::Esc));
    assert!(asks_to_discard(&app));
    press(&mut app, ch('n'));
    let f = app.form().expect("n keeps the form");
    assert!(!asks_to_discard(&app));
    assert_eq!(f.field(FieldId::Title).value(), format!("{SUBSTITUTIONS}!"));
    press(&mut app, key(KeyCode::Esc));
    press(&mut app, ch('y'));
    assert!(app.mode().is_board());
    assert_eq!(reopen(&b.path).item(1).unwrap().title, SUBSTITUTIONS);
}

#[test]
fn q_in_a_form_is_just_a_letter() {
    let (_b, mut app) = starter_app();
    keys(&mut app, "n");
    assert_eq!(keys(&mut app, "q"), Effect::Continue);
    assert_eq!(app.form().unwrap().field(FieldId::Title).value(), "q");
}

#[test]
fn quit_with_a_dirty_form_asks_first() {
    let (_b, mut app) = starter_app();
    keys(&mut app, "n");
    type_text(&mut app, "unsaved");
    assert_eq!(press(&mut app, ctrl('c')), Effect::Continue);
    assert!(asks_to_quit(&app));
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("Quit and lose the unsaved form? y / n"));
    assert_eq!(press(&mut app, ch('n')), Effect::Continue);
    assert!(!asks_to_quit(&app));
    assert_eq!(app.form().unwrap().field(FieldId::Title).value(), "unsaved");
    press(&mut app, ctrl('c'));
    assert_eq!(press(&mut app, ch('y')), Effect::Quit);
}

#[test]
fn quit_with_a_clean_form_does_not_ask() {
    let (_b, mut app) = starter_app();
    keys(&mut app, "n");
    assert_eq!(press(&mut app, ctrl('c')), Effect::Quit);
}

// ── writes through the store ────────────────────────────────────────────────────────

#[test]
fn h_and_l_move_the_item_in_the_file_and_its_age_restarts() {
    let (b, mut app) = starter_app();
    select_item(&mut app, LARGE_TEXT);
    keys(&mut app, "LL");
    let it = item_by_title(&reopen(&b.path), LARGE_TEXT).clone();
    assert_eq!(it.status, Status::Act);
    assert!(it.status_since > now(), "status_since stamped at the move");
    keys(&mut app, "H");
    assert_eq!(
        item_by_title(&reopen(&b.path), LARGE_TEXT).status,
        Status::Check
    );
    // Done is the end of the line.
    select_item(&mut app, GUEST);
    keys(&mut app, "L");
    assert_eq!(item_by_title(&reopen(&b.path), GUEST).status, Status::Done);
}

#[test]
fn j_and_k_reorder_within_the_column_in_the_file() {
    let (b, mut app) = starter_app();
    select_item(&mut app, LARGE_TEXT);
    keys(&mut app, "K");
    assert_eq!(column_in_file(&b, Status::Do), [LARGE_TEXT, REFUND]);
    assert_eq!(
        app.screen().selected_row(),
        Some(0),
        "selection moved with the card"
    );
    keys(&mut app, "K");
    assert_eq!(
        column_in_file(&b, Status::Do),
        [LARGE_TEXT, REFUND],
        "top stays"
    );
    keys(&mut app, "J");
    assert_eq!(column_in_file(&b, Status::Do), [REFUND, LARGE_TEXT]);
}

#[test]
fn plus_and_minus_change_the_selected_personas_feeling_at_the_selected_stage() {
    let (b, mut app) = starter_app();
    keys(&mut app, "2j3ll"); // Ben, at Order & pay (−1)
    let board = reopen(&b.path);
    let ben = board.personas.iter().find(|p| p.name == "Ben").unwrap().id;
    let pay = board
        .stages
        .iter()
        .find(|s| s.name == "Order & pay")
        .unwrap()
        .id;
    let score = |b: &Board| reopen(&b.path).feeling(ben, pay).unwrap().score;
    assert_eq!(score(&b), -1);
    keys(&mut app, "+");
    assert_eq!(score(&b), 0);
    keys(&mut app, "---");
    assert_eq!(score(&b), -2, "clamped at −2");
    keys(&mut app, "+++++");
    assert_eq!(score(&b), 2, "clamped at +2");
    // Nobody else's feelings moved.
    let maria = board.personas[0].id;
    assert_eq!(reopen(&b.path).feeling(maria, pay).unwrap().score, 0);
}

#[test]
fn e_in_the_journey_edits_the_feeling_note() {
    let (b, mut app) = starter_app();
    keys(&mut app, "3e");
    assert!(form_title(&app).starts_with("How Maria feels at Discover"));
    press(&mut app, ctrl('j'));
    type_text(&mut app, "Heard of us at the café ☕");
    press(&mut app, key(KeyCode::Enter)); // one-line, last field: saves
    let board = reopen(&b.path);
    let f = board
        .feeling(board.personas[0].id, board.stages[0].id)
        .unwrap();
    assert_eq!(f.note, "Heard of us at the café ☕");
    assert_eq!(f.score, 1, "the score is untouched");
}

#[test]
fn b_with_a_reason_blocks_and_b_again_unblocks() {
    let (b, mut app) = starter_app();
    select_item(&mut app, LARGE_TEXT);
    keys(&mut app, "b");
    press(&mut app, ctrl('s'));
    assert!(
        app.form().is_some_and(|f| f.error().is_some()),
        "a reason is required"
    );
    type_text(&mut app, "Design review pending");
    press(&mut app, key(KeyCode::Enter));
    let it = item_by_title(&reopen(&b.path), LARGE_TEXT).clone();
    assert!(it.blocked);
    assert_eq!(it.blocked_reason, "Design review pending");
    keys(&mut app, "b");
    assert!(app.mode().is_board(), "unblocking asks nothing");
    let it = item_by_title(&reopen(&b.path), LARGE_TEXT).clone();
    assert!(!it.blocked);
    assert_eq!(it.blocked_reason, "");
}

#[test]
fn c_adds_a_comment_by_me() {
    let (b, mut app) = starter_app();
    select_item(&mut app, LARGE_TEXT);
    keys(&mut app, "c");
    type_text(&mut app, "Tested with Ben — 👍");
    press(&mut app, ctrl('s'));
    let board = reopen(&b.path);
    let id = item_by_title(&board, LARGE_TEXT).id;
    let comments: Vec<_> = board.comments.iter().filter(|c| c.item_id == id).collect();
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].text, "Tested with Ben — 👍");
    assert_eq!(comments[0].author, "alice");
}

#[test]
fn w_sets_the_wip_limit_in_the_board_and_the_header_says_over() {
    let (b, mut app) = starter_app();
    keys(&mut app, "lw");
    assert_eq!(form_title(&app), "WIP limit of Do");
    type_text(&mut app, "1");
    press(&mut app, key(KeyCode::Enter));
    assert_eq!(reopen(&b.path).wip_limit(Status::Do), Some(1));
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("Do (2/1 WIP ▲ over)"), "{screen}");
    // Empty clears it.
    keys(&mut app, "w");
    press(&mut app, key(KeyCode::Backspace));
    press(&mut app, ctrl('s'));
    assert_eq!(reopen(&b.path).wip_limit(Status::Do), None);
}

#[test]
fn d_then_y_deletes_d_then_n_does_not() {
    let (b, mut app) = starter_app();
    select_item(&mut app, GUEST);
    keys(&mut app, "dn");
    assert!(app.mode().is_board());
    assert_eq!(reopen(&b.path).items.len(), 8);
    keys(&mut app, "d");
    press(&mut app, key(KeyCode::Esc));
    assert_eq!(reopen(&b.path).items.len(), 8, "Esc is no");
    keys(&mut app, "dy");
    let board = reopen(&b.path);
    assert_eq!(board.items.len(), 7);
    assert!(board.items.iter().all(|i| i.title != GUEST));
    assert!(app.selected_item().is_none(), "Done is empty now");
}

#[test]
fn deleting_a_persona_keeps_its_items_unlinked() {
    let (b, mut app) = starter_app();
    keys(&mut app, "2dy");
    let board = reopen(&b.path);
    assert!(board.personas.iter().all(|p| p.name != "Maria"));
    assert_eq!(board.items.len(), 8);
    assert_eq!(item_by_title(&board, REFUND).persona_id, None);
    assert_eq!(app.screen().selected_persona().unwrap().name, "Ben");
}

#[test]
fn editing_an_item_status_in_the_form_moves_it() {
    let (b, mut app) = starter_app();
    keys(&mut app, "e");
    press(&mut app, key(KeyCode::Tab));
    press(&mut app, key(KeyCode::Right));
    press(&mut app, key(KeyCode::Right));
    press(&mut app, ctrl('s'));
    assert_eq!(
        item_by_title(&reopen(&b.path), SUBSTITUTIONS).status,
        Status::Check
    );
    assert_eq!(app.selection().column, 2, "selection follows the card");
}

#[test]
fn undo_and_redo_write_through_the_store() {
    let (b, mut app) = starter_app();
    select_item(&mut app, GUEST);
    keys(&mut app, "dy");
    assert_eq!(reopen(&b.path).items.len(), 7);
    keys(&mut app, "u");
    let board = reopen(&b.path);
    assert_eq!(board.items.len(), 8, "undo brought it back");
    assert_eq!(item_by_title(&board, GUEST).status, Status::Done);
    press(&mut app, ctrl('r'));
    assert_eq!(reopen(&b.path).items.len(), 7, "redo deleted it again");
    // Undo walks back over several changes, newest first.
    select_item(&mut app, LARGE_TEXT);
    keys(&mut app, "L");
    keys(&mut app, "b");
    type_text(&mut app, "why");
    press(&mut app, key(KeyCode::Enter));
    keys(&mut app, "u");
    let it = item_by_title(&reopen(&b.path), LARGE_TEXT).clone();
    assert!(!it.blocked);
    assert_eq!(it.status, Status::Check);
    keys(&mut app, "u");
    assert_eq!(
        item_by_title(&reopen(&b.path), LARGE_TEXT).status,
        Status::Do,
        "second undo on the same card: {}",
        note(&app)
    );
    keys(&mut app, "u");
    assert_eq!(reopen(&b.path).items.len(), 8);
    keys(&mut app, "u");
    assert_eq!(note(&app), "nothing to undo");
}

#[test]
fn a_new_change_clears_the_redo_stack() {
    let (b, mut app) = starter_app();
    keys(&mut app, "Lu");
    keys(&mut app, "J");
    press(&mut app, ctrl('r'));
    assert_eq!(note(&app), "nothing to redo");
    assert_eq!(
        item_by_title(&reopen(&b.path), SUBSTITUTIONS).status,
        Status::Plan
    );
}

// ── mouse ───────────────────────────────────────────────────────────────────────────

fn areas(app: &App) -> layout::Areas {
    app.screen().areas(Rect::new(
        0,
        0,
        app.screen().size().0,
        app.screen().size().1,
    ))
}

#[test]
fn click_focuses_the_pane_and_selects_the_row() {
    let (_b, mut app) = starter_app(); // 120×40
    let a = areas(&app);
    let inner = layout::inner(a.personas);
    let (_, priya) = app.screen().persona_cards(inner)[2];
    app.update(Action::Click {
        column: inner.x + 3,
        row: priya.y + 1,
    });
    assert_eq!(app.screen().focus(), Pane::Personas);
    assert_eq!(app.screen().selected_persona().unwrap().name, "Priya");

    let stages = app.screen().stage_columns(a.journey);
    let (_, r) = stages[4];
    app.update(Action::Click {
        column: r.x + 1,
        row: r.y,
    });
    assert_eq!(app.screen().focus(), Pane::Journey);
    assert_eq!(app.screen().selected_stage().unwrap().name, "Receive");

    let cols = layout::columns(a.improvements);
    let check = cols[2];
    let h = app.screen().card_lines(2, 0, check.width);
    app.update(Action::Click {
        column: check.x + 2,
        row: check.y + 1 + h, // the second card
    });
    assert_eq!(app.screen().focus(), Pane::Improvements);
    assert_eq!(app.selection().column, 2);
    assert_eq!(
        app.selected_item().unwrap().title,
        "Search that understands plurals and typos"
    );

    app.update(Action::Click {
        column: a.mission.x + 5,
        row: a.mission.y + 1,
    });
    assert_eq!(app.screen().focus(), Pane::Mission);
}

#[test]
fn click_below_the_cards_selects_the_column() {
    let (_b, mut app) = starter_app();
    let cols = layout::columns(areas(&app).improvements);
    let act = cols[3];
    app.update(Action::Click {
        column: act.x + 1,
        row: act.bottom() - 1,
    });
    assert_eq!(app.selection().column, 3);
    assert_eq!(
        app.selected_item().unwrap().title,
        "Standing weekly order for cafés"
    );
}

#[test]
fn clicks_are_ignored_under_a_popup() {
    let (_b, mut app) = starter_app();
    keys(&mut app, "?");
    let inner = layout::inner(areas(&app).personas);
    app.update(Action::Click {
        column: inner.x,
        row: inner.y + 1,
    });
    assert_eq!(app.screen().focus(), Pane::Improvements);
    assert!(matches!(app.mode(), Mode::Help { .. }));
}

#[test]
fn wheel_scrolls_the_pane_under_the_pointer() {
    let (_b, mut app) = starter_app();
    let inner = layout::inner(areas(&app).personas);
    let at = |down| Action::Scroll {
        column: inner.x,
        row: inner.y,
        down,
    };
    app.update(at(true));
    app.update(at(true));
    assert_eq!(app.screen().focus(), Pane::Personas);
    assert_eq!(app.screen().selected_persona().unwrap().name, "Priya");
    app.update(at(false));
    assert_eq!(app.screen().selected_persona().unwrap().name, "Ben");
}

#[test]
fn mouse_events_become_actions() {
    use crossterm::event::{Event, MouseButton, MouseEvent, MouseEventKind};
    let (_b, app) = starter_app();
    let ev = |kind| {
        Event::Mouse(MouseEvent {
            kind,
            column: 7,
            row: 9,
            modifiers: KeyModifiers::NONE,
        })
    };
    assert_eq!(
        app.action_for(ev(MouseEventKind::Down(MouseButton::Left))),
        Some(Action::Click { column: 7, row: 9 })
    );
    assert_eq!(
        app.action_for(ev(MouseEventKind::ScrollDown)),
        Some(Action::Scroll {
            column: 7,
            row: 9,
            down: true
        })
    );
    assert_eq!(app.action_for(ev(MouseEventKind::Moved)), None);
}

// ── sharing: teammates, busy board, conflicts, read-only ─────────────────────────────

fn bob_moves(b: &Board, title: &str, to: Status) {
    let mut bob = Store::open(&b.path, "bob").unwrap();
    let board = bob.load_board().unwrap();
    let it = item_by_title(&board, title).clone();
    bob.move_item(&it, to).unwrap();
}

#[test]
fn a_teammates_change_shows_up_on_tick_with_a_note() {
    let (b, mut app) = starter_app();
    select_item(&mut app, REFUND);
    let selected = app.selection().item;
    bob_moves(&b, LARGE_TEXT, Status::Check);
    app.update(Action::Tick);
    assert_eq!(
        item_titled(&app, LARGE_TEXT).status,
        Status::Check,
        "reloaded"
    );
    let id = item_titled(&app, LARGE_TEXT).id;
    assert_eq!(
        note(&app),
        format!("bob moved #{id} '{LARGE_TEXT}' to Check")
    );
    assert_eq!(
        app.selection().item,
        selected,
        "selection stays on the same record"
    );
    assert_eq!(app.selected_item().unwrap().title, REFUND);
}

#[test]
fn when_a_teammate_moves_the_selected_card_my_selection_stays_where_i_left_it() {
    let (b, mut app) = starter_app();
    select_item(&mut app, REFUND);
    let (column, row) = (app.selection().column, app.screen().selected_row());
    let refund = app.selection().item.unwrap();
    bob_moves(&b, REFUND, Status::Check);
    app.update(Action::Tick);
    // The note says where the card went; the cursor stays in its place.
    assert_eq!(
        note(&app),
        format!("bob moved #{refund} '{REFUND}' to Check")
    );
    assert_eq!(app.selection().column, column, "still in Do");
    assert_eq!(app.screen().selected_row(), row, "on the same row");
    assert_eq!(app.selected_item().unwrap().title, LARGE_TEXT);
    // So the next L moves what is under the cursor, not the card bob moved.
    cmd(&mut app, Command::MoveNext);
    let board = reopen(&b.path);
    assert_eq!(item_by_title(&board, REFUND).status, Status::Check);
    assert_eq!(item_by_title(&board, LARGE_TEXT).status, Status::Check);
}

#[test]
fn a_teammates_new_persona_keeps_my_persona_selected() {
    let (b, mut app) = starter_app();
    keys(&mut app, "2j");
    let mut bob = Store::open(&b.path, "bob").unwrap();
    bob.add_persona(obeya::model::Persona {
        name: "Aaron".into(),
        ..Default::default()
    })
    .unwrap();
    app.update(Action::Tick);
    assert_eq!(app.screen().wall().personas.len(), 5);
    assert_eq!(app.screen().selected_persona().unwrap().name, "Ben");
    assert!(note(&app).starts_with("bob added"), "{}", note(&app));
}

#[test]
fn a_teammates_item_move_rereads_the_cards_and_a_shell_edit_everything() {
    let (b, mut app) = starter_app();
    // A move names only an item: the cards are read again.
    bob_moves(&b, LARGE_TEXT, Status::Check);
    app.update(Action::Tick);
    assert_eq!(item_titled(&app, LARGE_TEXT).status, Status::Check);
    // An edit in the sqlite3 shell leaves no activity row: the wall reads it all again.
    // (Renaming a persona needs the name collation, which the real shell lacks.)
    let shell = rusqlite::Connection::open(&b.path).unwrap();
    obeya::store::add_name_collation(&shell).unwrap();
    shell
        .execute_batch(&format!(
            "UPDATE persona SET name = 'Ben (shell)' WHERE name = 'Ben';
             UPDATE item SET status = 'act' WHERE title = '{LARGE_TEXT}';"
        ))
        .unwrap();
    app.update(Action::Tick);
    assert!(
        app.screen()
            .wall()
            .personas
            .iter()
            .any(|p| p.name == "Ben (shell)"),
        "{:?}",
        app.screen().wall().personas
    );
    assert_eq!(item_titled(&app, LARGE_TEXT).status, Status::Act);
    // A persona renamed with the log: the small tables are read again too.
    let mut bob = Store::open(&b.path, "bob").unwrap();
    let ben = bob.load_board().unwrap().personas[1].clone();
    let renamed = obeya::model::Persona {
        name: "Benjamin".into(),
        ..ben.clone()
    };
    bob.save(&ben, &renamed).unwrap();
    app.update(Action::Tick);
    assert!(
        app.screen()
            .wall()
            .personas
            .iter()
            .any(|p| p.name == "Benjamin")
    );
}

#[test]
fn a_teammates_comment_reaches_the_open_detail_on_the_loops_own_tick() {
    let (b, mut app) = starter_app();
    select_item(&mut app, REFUND);
    cmd(&mut app, Command::Open);
    let id = app.selection().item.unwrap();
    let mut bob = Store::open(&b.path, "bob").unwrap();
    bob.add_comment(id, "Pilot numbers look good").unwrap();
    // What the terminal loop calls, not `update(Action::Tick)`.
    assert!(app.tick(), "something to redraw");
    assert!(
        app.screen()
            .related()
            .comments
            .iter()
            .any(|c| c.text == "Pilot numbers look good"),
        "{:?}",
        app.screen().related().comments
    );
}

#[test]
fn a_busy_board_queues_the_edit_and_it_lands_after_release() {
    let (b, mut app) = starter_app();
    let lock = rusqlite::Connection::open(&b.path).unwrap();
    lock.execute_batch("BEGIN EXCLUSIVE").unwrap();
    let effect = keys(&mut app, "L"); // Show substitutions → Do
    assert!(note(&app).contains("board busy"), "{}", note(&app));
    assert_eq!(app.sharing().pending().len(), 1);
    assert!(
        effect == Effect::Continue && app.mode().is_board(),
        "the wall stays usable"
    );
    let screen = render(&mut app, 120, 40);
    assert!(screen.contains("1 waiting: board busy"), "{screen}");
    app.update(Action::Tick); // still locked: still waiting
    assert_eq!(app.sharing().pending().len(), 1);
    lock.execute_batch("ROLLBACK").unwrap();
    drop(lock);
    assert_eq!(
        item_by_title(&reopen(&b.path), SUBSTITUTIONS).status,
        Status::Plan,
        "nothing written while locked"
    );
    app.update(Action::Tick);
    assert!(!app.sharing().has_pending());
    assert_eq!(
        item_by_title(&reopen(&b.path), SUBSTITUTIONS).status,
        Status::Do
    );
    assert!(note(&app).contains("saved"), "{}", note(&app));
    // And it is undoable like any change.
    keys(&mut app, "u");
    assert_eq!(
        item_by_title(&reopen(&b.path), SUBSTITUTIONS).status,
        Status::Plan
    );
}

/// alice edits LARGE_TEXT's title in a form while bob saves another title.
fn conflicting_titles(b: &Board, app: &mut App) {
    select_item(app, LARGE_TEXT);
    keys(app, "e");
    press(app, ctrl('j'));
    type_text(app, "Large-text mode everywhere");
    let mut bob = Store::open(&b.path, "bob").unwrap();
    let board = bob.load_board().unwrap();
    let it = item_by_title(&board, LARGE_TEXT).clone();
    bob.save(
        &it,
        &Item {
            title: "Large-text mode on phones".into(),
            ..it.clone()
        },
    )
    .unwrap();
    press(app, ctrl('s'));
    assert!(matches!(app.mode(), Mode::Conflict(_)), "conflict view");
}

fn activity_mentions(b: &Board, text: &str) -> bool {
    let store = Store::open(&b.path, "checker").unwrap();
    store.recent_activity(1000).unwrap().iter().any(|a| {
        a.summary.contains(text)
            || a.before.as_deref().unwrap_or("").contains(text)
            || a.after.as_deref().unwrap_or("").contains(text)
    })
}

#[test]
fn a_same_field_conflict_keep_mine() {
    let (b, mut app) = starter_app();
    conflicting_titles(&b, &mut app);
    press(&mut app, ch('m'));
    assert!(app.mode().is_board());
    let board = reopen(&b.path);
    assert!(
        board
            .items
            .iter()
            .any(|i| i.title == "Large-text mode everywhere")
    );
    assert!(
        activity_mentions(&b, "Large-text mode on phones"),
        "theirs kept"
    );
}

#[test]
fn a_same_field_conflict_keep_theirs_logs_my_losing_text() {
    let (b, mut app) = starter_app();
    conflicting_titles(&b, &mut app);
    press(&mut app, ch('t'));
    assert!(app.mode().is_board());
    let board = reopen(&b.path);
    assert!(
        board
            .items
            .iter()
            .any(|i| i.title == "Large-text mode on phones")
    );
    assert!(
        board
            .items
            .iter()
            .all(|i| i.title != "Large-text mode everywhere")
    );
    assert!(
        activity_mentions(&b, "Large-text mode everywhere"),
        "my losing text is in the activity table"
    );
}

#[test]
fn a_conflict_keep_theirs_still_saves_my_other_fields() {
    let (b, mut app) = starter_app();
    select_item(&mut app, LARGE_TEXT);
    keys(&mut app, "e");
    press(&mut app, ctrl('j'));
    type_text(&mut app, "Mine");
    press(&mut app, key(KeyCode::Tab));
    press(&mut app, key(KeyCode::Tab));
    press(&mut app, ctrl('j'));
    type_text(&mut app, "zoë");
    let mut bob = Store::open(&b.path, "bob").unwrap();
    let board = bob.load_board().unwrap();
    let it = item_by_title(&board, LARGE_TEXT).clone();
    bob.save(
        &it,
        &Item {
            title: "Theirs".into(),
            ..it.clone()
        },
    )
    .unwrap();
    press(&mut app, ctrl('s'));
    press(&mut app, ch('t'));
    let it = item_by_title(&reopen(&b.path), "Theirs").clone();
    assert_eq!(it.owner, "zoë", "my change to another field still landed");
}

#[test]
fn a_change_to_other_fields_is_merged_without_asking() {
    let (b, mut app) = starter_app();
    select_item(&mut app, LARGE_TEXT);
    keys(&mut app, "e");
    press(&mut app, ctrl('j'));
    type_text(&mut app, "Large-text mode everywhere");
    let mut bob = Store::open(&b.path, "bob").unwrap();
    let board = bob.load_board().unwrap();
    let it = item_by_title(&board, LARGE_TEXT).clone();
    bob.save(
        &it,
        &Item {
            owner: "bob".into(),
            ..it.clone()
        },
    )
    .unwrap();
    press(&mut app, ctrl('s'));
    assert!(app.mode().is_board());
    let it = item_by_title(&reopen(&b.path), "Large-text mode everywhere").clone();
    assert_eq!(it.owner, "bob");
    assert!(note(&app).contains("merged with bob"), "{}", note(&app));
}

#[test]
fn a_read_only_board_refuses_edits_with_a_note() {
    use std::os::unix::fs::PermissionsExt;
    let b = starter_board();
    std::fs::set_permissions(&b.path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let mut app = app_on(&b.path, "alice");
    for k in ["n", "e", "d", "L", "J", "b", "c", "w", "u"] {
        keys(&mut app, k);
        assert!(app.mode().is_board(), "{k} opened something");
        assert!(note(&app).contains("read-only"), "{k}: {}", note(&app));
        assert_eq!(app.note().unwrap().kind, NoteKind::Warn);
    }
    keys(&mut app, "3+");
    assert!(note(&app).contains("read-only"));
    // Looking around still works.
    keys(&mut app, "4lz");
    assert!(app.screen().zoomed());
    let board = reopen(&b.path);
    assert_eq!(item_by_title(&board, SUBSTITUTIONS).status, Status::Plan);
    assert_eq!(
        board
            .feeling(board.personas[0].id, board.stages[0].id)
            .unwrap()
            .score,
        1
    );
}

#[test]
fn a_one_line_field_never_takes_a_newline() {
    // Ctrl-m is the textarea's "insert newline"; in a one-line field it must not end up
    // in the title (a title with a line break breaks cards and exports).
    let (b, mut app) = starter_app();
    keys(&mut app, "n");
    type_text(&mut app, "two");
    press(&mut app, ctrl('m'));
    type_text(&mut app, "lines");
    press(&mut app, ctrl('s'));
    let board = reopen(&b.path);
    assert!(
        board.items.iter().all(|i| !i.title.contains('\n')),
        "saved a title with a newline: {:?}",
        board
            .items
            .iter()
            .find(|i| i.title.contains('\n'))
            .map(|i| &i.title)
    );
}
