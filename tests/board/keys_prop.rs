//! Random sequences of 300 keys on the starter board (issue 3's property test): the wall
//! never panics, the file stays sound, and nothing is lost between screen and file.
//! The seed is printed; `OBEYA_TEST_SEED=N` replays it, `PROPTEST_CASES=N` runs more.

use crossterm::event::{
    Event, KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use kit::seed;
use obeya::app::{App, Effect};
use obeya::keymap::{Command, CommandSet, Keys};
use obeya::store::Store;
use proptest::prelude::*;
use proptest::test_runner::RngSeed;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const WIDTH: u16 = 100;
const HEIGHT: u16 = 30;

/// Keys of the default keymap, except quitting and suspending.
fn keymap_keys() -> Vec<KeyEvent> {
    let km = Keys::default().board;
    Command::ALL
        .iter()
        .filter(|c| !matches!(c, Command::Quit | Command::Suspend))
        .flat_map(|&c| km.keys_for(c).to_vec())
        .map(|k| KeyEvent::new(k.code(), k.modifiers()))
        .collect()
}

fn plain(c: char) -> KeyEvent {
    KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)
}

fn ev_key() -> impl Strategy<Value = Event> {
    let bound = keymap_keys();
    let named = vec![
        KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE),
        KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT),
        KeyEvent::new(KeyCode::Up, KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Down, KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Left, KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Right, KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Backspace, KeyModifiers::NONE),
        KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL),
        KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL),
        plain('y'),
        plain('n'),
        plain(' '),
    ];
    let letters: Vec<KeyEvent> = ('a'..='z')
        .chain('A'..='Z')
        .chain('0'..='9')
        // `q` quits outside a form; left out like the quit command itself.
        .filter(|&c| c != 'q')
        .map(plain)
        .collect();
    let unicode: Vec<KeyEvent> = ['é', 'ü', 'ß', 'Ø', '—', '中', '🚀', '👍']
        .into_iter()
        .map(plain)
        .collect();
    let pastes = prop_oneof![
        Just("pasted text".to_string()),
        Just("two\nlines".to_string()),
        Just("Café für Zoë 🚀\r\n".to_string()),
        Just("2026-02-30".to_string()),
        Just(String::new()),
        "[a-zA-Z0-9 éü🚀\n-]{0,40}",
    ];
    prop_oneof![
        30 => proptest::sample::select(bound).prop_map(Event::Key),
        20 => proptest::sample::select(named).prop_map(Event::Key),
        20 => proptest::sample::select(letters).prop_map(Event::Key),
        4 => proptest::sample::select(unicode).prop_map(Event::Key),
        2 => pastes.prop_map(Event::Paste),
        2 => (0..WIDTH, 0..HEIGHT, 0..3u8).prop_map(|(column, row, kind)| {
            Event::Mouse(MouseEvent {
                kind: match kind {
                    0 => MouseEventKind::Down(MouseButton::Left),
                    1 => MouseEventKind::ScrollDown,
                    _ => MouseEventKind::ScrollUp,
                },
                column,
                row,
                modifiers: KeyModifiers::NONE,
            })
        }),
    ]
}

fn starter_app(dir: &std::path::Path) -> (std::path::PathBuf, App) {
    let path = dir.join("board.db");
    let mut store = Store::create(&path, "alice").unwrap();
    obeya::exchange::import(&mut store, &obeya::exchange::starter()).unwrap();
    let mut app = App::new(store, &obeya::config::Config::default(), "alice").unwrap();
    app.update(obeya::app::Action::Resize {
        width: WIDTH,
        height: HEIGHT,
    });
    (path, app)
}

fn describe(ev: &Event) -> String {
    match ev {
        Event::Key(k) if k.modifiers.is_empty() => format!("{:?}", k.code),
        Event::Key(k) => format!("{:?}+{:?}", k.modifiers, k.code),
        other => format!("{other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        // Modest by default (a draw per key is ~4 ms in a debug build); raise it with
        // PROPTEST_CASES=… for a longer hunt.
        cases: std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(24),
        max_shrink_iters: 300,
        rng_seed: RngSeed::Fixed(seed::seed("keys_prop")),
        .. ProptestConfig::default()
    })]

    #[test]
    fn random_keys_never_panic_and_lose_nothing(
        events in proptest::collection::vec(ev_key(), 300)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let (path, mut app) = starter_app(dir.path());
        let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).unwrap();
        terminal.draw(|f| obeya::ui::draw(f, &app)).unwrap();
        for (i, ev) in events.iter().enumerate() {
            let effect = match app.action_for(ev.clone()) {
                Some(action) => app.update(action),
                None => Effect::Continue,
            };
            prop_assert!(effect != Effect::Suspend, "key {i} ({}) suspended", describe(ev));
            terminal.draw(|f| obeya::ui::draw(f, &app)).unwrap();
            if effect == Effect::Quit {
                // The real loop would end here.
                break;
            }
        }

        let conn = rusqlite::Connection::open(&path).unwrap();
        obeya::store::add_name_collation(&conn).unwrap();
        let ok: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        prop_assert_eq!(ok, "ok");
        // Nothing was left waiting for a lock in a single-process run.
        prop_assert!(!app.sharing().has_pending());

        // The screen shows what the file holds, without a reload: every write reloads.
        let store = Store::open(&path, "check").unwrap();
        let fresh = store.load_board().unwrap();
        prop_assert_eq!(app.screen().wall(), &fresh.wall);
        // The counts and every card read are the file's, for the filter in use.
        let sieve = store.sieve(&app.screen().card_filter()).unwrap();
        prop_assert_eq!(&app.screen().view().sieve, &sieve);
        prop_assert_eq!(app.screen().view().shown, store.column_counts(&sieve).unwrap());
        prop_assert_eq!(app.screen().view().totals, store.column_totals().unwrap());
        for (c, cards) in app.screen().view().columns.iter().enumerate() {
            let status = obeya::model::Status::from_index(c).unwrap();
            let now = store
                .cards(status, &sieve, cards.start, cards.items.len(), app.screen().view().shown[c])
                .unwrap();
            prop_assert_eq!(&cards.items, &now, "column {}", c);
        }

        // Every item has at least one activity row.
        let orphans: i64 = conn
            .query_row(
                "SELECT count(*) FROM item WHERE id NOT IN \
                 (SELECT entity_id FROM activity WHERE entity = 'item')",
                [],
                |r| r.get(0),
            )
            .unwrap();
        prop_assert_eq!(orphans, 0);
    }
}
