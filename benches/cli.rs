//! The command line on a board of 10,000 items, measured on the real binary, process
//! start to exit: `obeya item add` (target < 30 ms) and `obeya export --format json`
//! (target < 200 ms).
//!
//! `cargo bench --bench cli` builds the binary with the bench profile (release settings)
//! and Cargo passes its path in `CARGO_BIN_EXE_obeya`, as it does for integration tests.

use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use kit::bench_cmd;
use obeya::model::{Item, Status};
use obeya::store::Store;

/// `obeya --db DB` on the bench-built binary, at home in `home`.
fn obeya(home: &Path, db: &Path) -> std::process::Command {
    bench_cmd::obeya(Path::new(env!("CARGO_BIN_EXE_obeya")), home, db)
}

const ITEMS: usize = 10_000;

/// A board with `ITEMS` items spread over the columns, written in one transaction.
fn big_board(path: &Path) {
    let mut store = Store::create(path, "bench").unwrap();
    store
        .write(|w| {
            for n in 0..ITEMS {
                w.create(Item {
                    title: format!("Improvement number {n}: make checkout faster for Maria"),
                    status: Status::from_index(n % 5).unwrap(),
                    owner: ["alice", "bob", "chen", "dana"][n % 4].into(),
                    impact: "Customers finish their order sooner and come back.".into(),
                    position: n as i64,
                    ..Item::default()
                })?;
            }
            Ok(())
        })
        .unwrap();
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("big.db");
    big_board(&db);
    let home = dir.path();

    let mut g = c.benchmark_group("cli_10k_items");
    g.sample_size(50).measurement_time(Duration::from_secs(10));
    g.bench_function("item_add", |b| {
        b.iter(|| {
            let out = obeya(home, &db)
                .args(["item", "add", "Shorter FAQ for Ben"])
                .output()
                .unwrap();
            assert!(out.status.success());
        })
    });
    g.bench_function("export_json", |b| {
        b.iter(|| {
            let out = obeya(home, &db)
                .args(["export", "--format", "json"])
                .output()
                .unwrap();
            assert!(out.status.success());
            assert!(out.stdout.len() > ITEMS * 100);
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
