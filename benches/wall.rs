//! The wall's costs with 10,000 items: opening and loading the board (before the first
//! frame), rebuilding the view, and drawing a frame (what every keypress costs).
//! The real binary, in a pseudo-terminal, is measured by `cargo bench --bench probe`.

use criterion::{Criterion, criterion_group, criterion_main};
use obeya::app::{Action, App};
use obeya::config::Config;
use obeya::keymap::Command;
use obeya::model::{Item, Status};
use obeya::store::Store;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

fn big_board(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("big.db");
    let mut store = Store::create(&path, "bench").unwrap();
    obeya::exchange::import(&mut store, &obeya::exchange::starter()).unwrap();
    store
        .write(|w| {
            for i in 0..10_000 {
                let status = Status::ALL[i % 5];
                w.create(Item {
                    title: format!("Improvement {i} for our customers"),
                    status,
                    owner: ["alice", "bob", "chen"][i % 3].into(),
                    position: i as i64,
                    persona_id: Some(1 + (i % 3) as i64),
                    stage_id: Some(1 + (i % 6) as i64),
                    ..Item::default()
                })?;
            }
            Ok(())
        })
        .unwrap();
    path
}

fn wall(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let path = big_board(dir.path());
    let config = Config::default();

    c.bench_function("the wall's start: open + load", |b| {
        b.iter(|| {
            let store = Store::open(&path, "bench").unwrap();
            App::new(store, &config, "bench").unwrap()
        })
    });
    c.bench_function("open only (header, schema)", |b| {
        b.iter(|| Store::open(&path, "bench").unwrap())
    });
    let store = Store::open(&path, "bench").unwrap();
    c.bench_function("load_board 10k", |b| b.iter(|| store.load_board().unwrap()));
    let mut app = App::new(Store::open(&path, "bench").unwrap(), &config, "bench").unwrap();
    app.size = (120, 40);
    let mut term = Terminal::new(TestBackend::new(120, 40)).unwrap();
    c.bench_function("draw one frame, 10k items", |b| {
        b.iter(|| {
            term.draw(|f| obeya::ui::draw(f, &app)).unwrap();
        })
    });
    c.bench_function("keypress j + redraw, 10k items", |b| {
        b.iter(|| {
            app.update(Action::Command(Command::Down));
            term.draw(|f| obeya::ui::draw(f, &app)).unwrap();
        })
    });
    c.bench_function("rebuild view (filter / my items), 10k items", |b| {
        b.iter(|| app.rebuild_view())
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = wall
}
criterion_main!(benches);
