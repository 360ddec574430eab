//! What the wall and the command line cost as the board grows, in process: opening the
//! wall, a teammate's change reaching it, typing a filter, and the write path, at 1k, 10k
//! and 100k items (the write path on an empty board too, its yardstick). `cargo bench --bench board` (boards are made once and cached by the
//! benches' generator, `kit::generated`).

use std::cell::RefCell;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use obeya::app::{Action, App};
use obeya::config::Config;
use obeya::keymap::{Command, FilterCommand};
use obeya::model::{Item, Status};
use obeya::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

/// A private copy of the cached board of `items` items, so writes do not grow the cache.
fn copy_of(items: usize, dir: &std::path::Path) -> std::path::PathBuf {
    let cached = kit::generated::cached(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")),
        items,
        false,
    )
    .expect("a board to measure");
    let path = dir.join(format!("board-{items}.db"));
    std::fs::copy(&cached.path, &path).unwrap();
    path
}

fn wall_on(path: &std::path::Path) -> App {
    let mut app = App::new(
        Store::open(path, "bench").unwrap(),
        &Config::default(),
        "bench",
    )
    .unwrap();
    app.update(Action::Resize {
        width: 120,
        height: 40,
    });
    app
}

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

fn items_in(path: &std::path::Path) -> i64 {
    rusqlite::Connection::open(path)
        .unwrap()
        .query_row("SELECT count(*) FROM item", [], |r| r.get(0))
        .unwrap()
}

/// A key as the event loop reads it (through the keymap of the current mode).
fn press(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    let event = crossterm::event::Event::Key(KeyEvent::new(code, modifiers));
    if let Some(action) = app.action_for(event) {
        app.update(action);
    }
}

fn add_item(store: &mut Store) -> Item {
    store
        .add_item(Item {
            title: "Measure the write path on a big board".into(),
            ..Item::default()
        })
        .unwrap()
}

fn sizes(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let mut g = c.benchmark_group("board");
    g.sample_size(10);
    let mut empty = Store::create(&dir.path().join("empty.db"), "bench").unwrap();
    g.bench_function(BenchmarkId::new("add an item", 0), |b| {
        b.iter(|| add_item(&mut empty))
    });
    for items in SIZES {
        let path = copy_of(items, dir.path());
        g.bench_with_input(BenchmarkId::new("open the wall", items), &path, |b, p| {
            b.iter(|| wall_on(p))
        });

        let mut app = wall_on(&path);
        let mut teammate = Store::open(&path, "teammate").unwrap();
        g.bench_with_input(
            BenchmarkId::new("a teammate's move reaches the wall", items),
            &items,
            |b, _| {
                b.iter_batched(
                    || {
                        let it: Item = teammate.load(1).unwrap().unwrap();
                        let to = if it.status == Status::Do {
                            Status::Plan
                        } else {
                            Status::Do
                        };
                        teammate.move_item(&it, to).unwrap();
                    },
                    |()| app.update(Action::Tick),
                    BatchSize::PerIteration,
                )
            },
        );

        let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
        // Both closures need the app; criterion runs them one after the other.
        let app = RefCell::new(app);
        g.bench_with_input(
            BenchmarkId::new("type a filter letter and redraw", items),
            &items,
            |b, _| {
                b.iter_batched(
                    || {
                        let mut app = app.borrow_mut();
                        // Esc, as the keymap reads it in the filter line: clear it.
                        app.update(Action::Filter(FilterCommand::Clear));
                        app.update(Action::Command(Command::Filter));
                        app.update(key('r'));
                        app.update(key('e'));
                    },
                    |()| {
                        let mut app = app.borrow_mut();
                        app.update(key('f'));
                        term.draw(|f| obeya::ui::draw(f, &app)).unwrap();
                    },
                    BatchSize::PerIteration,
                )
            },
        );

        // As a person adds one: `n`, the title, Ctrl-s, and the wall drawn with it
        // (the filter line the bench above left open closed first).
        let mut app = app.into_inner();
        app.update(Action::Filter(FilterCommand::Clear));
        let before = items_in(&path);
        // Zero when a filter on the command line skips this bench.
        let mut pressed: i64 = 0;
        g.bench_with_input(
            BenchmarkId::new("add an item on the wall and redraw", items),
            &items,
            |b, _| {
                b.iter(|| {
                    pressed += 1;
                    press(&mut app, KeyCode::Char('n'), KeyModifiers::NONE);
                    for c in "Measure the write path".chars() {
                        press(&mut app, KeyCode::Char(c), KeyModifiers::NONE);
                    }
                    press(&mut app, KeyCode::Char('s'), KeyModifiers::CONTROL);
                    term.draw(|f| obeya::ui::draw(f, &app)).unwrap();
                })
            },
        );
        assert_eq!(
            items_in(&path),
            before + pressed,
            "each press of the keys adds one item"
        );

        let mut store = Store::open(&path, "bench").unwrap();
        g.bench_with_input(BenchmarkId::new("add an item", items), &items, |b, _| {
            b.iter(|| add_item(&mut store))
        });
    }
    g.finish();
}

criterion_group!(benches, sizes);
criterion_main!(benches);
