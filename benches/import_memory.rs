//! Peak memory of `obeya import` on the real release binary, at two sizes: a generated
//! export of 10,000 and of 100,000 items (every field set, a uid each, a comment on
//! every tenth), as JSON and as TOML, into a new empty board. An import reads the
//! document whole, so its memory grows in proportion to the document: the table shows
//! the file's size, the process's peak resident memory, what it took per 1,000 items
//! beyond importing an empty document (the same at both sizes when memory is in
//! proportion), and the run time. It asserts only that every item arrived (a figure,
//! not a test).
//!
//! `cargo bench --bench import_memory` (both sizes), or
//! `cargo bench --bench import_memory -- 50000` for the sizes given.
//!
//! The peak is the child's `VmHWM` (its resident high-water mark, which only grows),
//! read from `/proc/PID/status` every few milliseconds while it runs. Linux only.

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

use kit::export_items::{self, PERSONAS, STAGES, ts};
use obeya::exchange::{self, CommentDoc, Document, ItemDoc, PersonaDoc, StageDoc};

/// The bench-built binary.
const BIN: &str = env!("CARGO_BIN_EXE_obeya");

/// An export of `n` items as `obeya export` writes one: each with a uid, and a comment
/// on every tenth.
fn document(n: usize) -> Document {
    let item = |i: usize| ItemDoc {
        uid: format!("00000000-0000-4000-8000-{i:012}"),
        comments: if i.is_multiple_of(10) {
            vec![CommentDoc {
                uid: format!("00000000-0000-4000-9000-{i:012}"),
                author: "bob".into(),
                at: Some(ts("2026-11-18T09:12:00Z")),
                text: format!("Asked the provider about {i}"),
            }]
        } else {
            Vec::new()
        },
        ..export_items::item(i)
    };
    Document {
        personas: PERSONAS
            .iter()
            .map(|p| PersonaDoc {
                name: (*p).into(),
                ..Default::default()
            })
            .collect(),
        stages: STAGES
            .iter()
            .map(|s| StageDoc {
                name: (*s).into(),
                ..Default::default()
            })
            .collect(),
        items: (0..n).map(item).collect(),
        ..Default::default()
    }
}

/// A line of `/proc/PID/status` in kB (`VmHWM`), while the process lives.
fn status_kb(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Far beyond any import measured here (100,000 items take seconds).
const IMPORT_LIMIT: Duration = Duration::from_secs(600);

/// Run `obeya import FILE` into `db`: its peak resident memory (kB) and run time.
fn import_peak(home: &Path, db: &Path, file: &Path) -> (u64, Duration) {
    let start = Instant::now();
    let mut child = kit::bench_cmd::obeya(Path::new(BIN), home, db)
        .arg("import")
        .arg(file)
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut peak = 0;
    loop {
        if let Some(kb) = status_kb(child.id(), "VmHWM") {
            peak = peak.max(kb);
        }
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "obeya import failed: {status}");
            return (peak, start.elapsed());
        }
        if start.elapsed() > IMPORT_LIMIT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "obeya import of {} took over {IMPORT_LIMIT:?}",
                file.display()
            );
        }
        // Sampling, not waiting for something: the peak is read every 2 ms.
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![10_000, 100_000]
    } else {
        sizes
    };
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    let mib = |kb: u64| kb as f64 / 1024.0;
    // The process's own memory: an import of a document with no items, per format.
    let mut base = [0u64; 2];
    println!("| items | format | file | peak RSS | per 1,000 items | time |");
    println!("|---:|---|---:|---:|---:|---:|");
    for n in std::iter::once(0).chain(sizes) {
        let doc = document(n);
        let texts = [
            ("json", exchange::to_json(&doc)),
            ("toml", exchange::to_toml(&doc)),
        ];
        drop(doc);
        for (k, (format, text)) in texts.into_iter().enumerate() {
            let file = dir.path().join(format!("board-{n}.{format}"));
            std::fs::write(&file, text).unwrap();
            let db = dir.path().join(format!("board-{n}-{format}.db"));
            let init = kit::bench_cmd::obeya(Path::new(BIN), &home, &db)
                .args(["init", "--empty"])
                .stdout(Stdio::null())
                .status()
                .unwrap();
            assert!(init.success());
            let (peak_kb, took) = import_peak(&home, &db, &file);
            let items: i64 = rusqlite::Connection::open(&db)
                .unwrap()
                .query_row("SELECT count(*) FROM item", [], |r| r.get(0))
                .unwrap();
            assert_eq!(items as usize, n, "every item arrived");
            let per_1000 = if n == 0 {
                base[k] = peak_kb;
                "–".to_string()
            } else {
                format!(
                    "{:.2} MiB",
                    mib(peak_kb.saturating_sub(base[k])) * 1000.0 / n as f64
                )
            };
            println!(
                "| {n} | {format} | {:.1} MiB | {:.1} MiB | {per_1000} | {:.2} s |",
                mib(std::fs::metadata(&file).unwrap().len() / 1024),
                mib(peak_kb),
                took.as_secs_f64()
            );
            std::fs::remove_file(&file).unwrap();
            std::fs::remove_file(&db).unwrap();
        }
    }
}
