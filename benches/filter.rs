//! A filter letter on a board of 100,000 items where every item matches: the letter
//! typed and the wall drawn (120×40), as the event loop does between reading a key and
//! the next frame. `cargo bench --bench filter`.
//!
//! The board is the benches' cached 100k board (`kit::generated`) with one sentence
//! added to every item's detail, so the word typed, "everyone", is in all of them.
//! Criterion times the third letter (the first the filter looks up on a big board) and
//! the sixth; after it, one line gives the median, p95 and maximum over 200 letters,
//! third to eighth, each followed by the work the loop does while no key waits (the
//! exact counts), timed apart and given on the same line.

use std::time::{Duration, Instant};

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use obeya::app::{Action, App};
use obeya::config::Config;
use obeya::keymap::{Command, FilterCommand};
use obeya::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const ITEMS: usize = 100_000;
const WORD: &str = "everyone";

/// A copy of the cached board where every item's detail says `WORD`.
fn board_where_all_match(dir: &std::path::Path) -> std::path::PathBuf {
    let cached = kit::generated::cached(
        std::path::Path::new(env!("CARGO_TARGET_TMPDIR")),
        ITEMS,
        false,
    )
    .expect("a board to measure");
    let path = dir.join("all-match.db");
    std::fs::copy(&cached.path, &path).unwrap();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute(
        "UPDATE item SET detail = trim(detail || ' Asked for by everyone.')",
        [],
    )
    .unwrap();
    path
}

fn key(c: char) -> Action {
    Action::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// The filter line open with the first `n` letters of `WORD` typed, and its counts in.
fn typed(app: &mut App, n: usize) {
    app.update(Action::Filter(FilterCommand::Clear));
    app.update(Action::Command(Command::Filter));
    for c in WORD.chars().take(n) {
        app.update(key(c));
    }
    while app.has_work() {
        app.work();
    }
}

fn letters(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = board_where_all_match(dir.path());
    let mut app = App::new(
        Store::open(&path, "bench").unwrap(),
        &Config::default(),
        "bench",
    )
    .unwrap();
    app.update(Action::Resize {
        width: 120,
        height: 40,
    });
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();

    let mut g = c.benchmark_group("filter, every item matching");
    g.sample_size(30);
    for n in [3, 6] {
        let letter = WORD.chars().nth(n - 1).unwrap();
        let app = std::cell::RefCell::new(&mut app);
        g.bench_with_input(
            BenchmarkId::new(
                "type a letter and redraw",
                format!("{ITEMS} items, letter {n}"),
            ),
            &n,
            |b, &n| {
                b.iter_batched(
                    || typed(&mut app.borrow_mut(), n - 1),
                    |()| {
                        let mut app = app.borrow_mut();
                        app.update(key(letter));
                        term.draw(|f| obeya::ui::draw(f, &app)).unwrap();
                    },
                    BatchSize::PerIteration,
                )
            },
        );
    }
    g.finish();

    // Every letter from the third on, each timed alone; the counts that follow each
    // (the loop's idle work) are not.
    let mut times: Vec<Duration> = Vec::new();
    let mut counts: Vec<Duration> = Vec::new();
    while times.len() < 200 {
        typed(&mut app, 2);
        for c in WORD.chars().skip(2) {
            let began = Instant::now();
            app.update(key(c));
            term.draw(|f| obeya::ui::draw(f, &app)).unwrap();
            times.push(began.elapsed());
            let began = Instant::now();
            while app.has_work() {
                app.work();
            }
            term.draw(|f| obeya::ui::draw(f, &app)).unwrap();
            counts.push(began.elapsed());
        }
    }
    println!(
        "filter letters, {ITEMS} items all matching: {} letters {}; the exact counts then {}",
        times.len(),
        spread(&mut times),
        spread(&mut counts),
    );
}

/// "median 1.20 ms, p95 2.00 ms, max 3.10 ms".
fn spread(times: &mut [Duration]) -> String {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    format!(
        "median {:.2} ms, p95 {:.2} ms, max {:.2} ms",
        ms(at(0.5)),
        ms(at(0.95)),
        ms(times[times.len() - 1]),
    )
}

criterion_group!(benches, letters);
criterion_main!(benches);
