//! Peak memory of `obeya import` on the real release binary: a generated export of
//! 100,000 and of 1,000,000 items (every field set, a uid each, a comment on every tenth),
//! as JSON and as TOML, into a new empty board. It prints, for each size and format, the
//! file's size, the process's peak resident memory and its run time; it asserts only
//! that every item arrived (a figure, not a test).
//!
//! `cargo bench --bench import_memory` (both sizes), or
//! `cargo bench --bench import_memory -- 100000` for the sizes given.
//!
//! The peak is the child's `VmHWM` (its resident high-water mark, which only grows),
//! read from `/proc/PID/status` every few milliseconds while it runs: the last reading
//! before it exits. Linux only.

#[path = "common/export_items.rs"]
mod export_items;
#[path = "common/obeya_cmd.rs"]
mod obeya_cmd;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use export_items::{PERSONAS, STAGES, ts};
use obeya::exchange::{CommentDoc, ItemDoc};

/// Item `i` as `obeya export` writes one: with a uid, and a comment on every tenth.
fn item(i: usize) -> ItemDoc {
    ItemDoc {
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
    }
}

/// A TOML document of `n` items, laid out as `obeya export --format toml` lays one out
/// (`[[items]]` tables at the end), written one item at a time.
fn write_toml(path: &Path, n: usize) {
    #[derive(serde::Serialize)]
    struct Items<'a> {
        items: &'a [ItemDoc],
    }
    let mut out = BufWriter::new(File::create(path).unwrap());
    write!(
        out,
        "format = \"obeya\"\nversion = 2\n\n[mission]\nstatement = \"We save people money\"\ncustomer = \"Households\"\n"
    )
    .unwrap();
    for p in PERSONAS {
        write!(out, "\n[[personas]]\nname = \"{p}\"\n").unwrap();
    }
    for s in STAGES {
        write!(out, "\n[[stages]]\nname = \"{s}\"\n").unwrap();
    }
    for i in 0..n {
        let one = toml::to_string(&Items { items: &[item(i)] }).unwrap();
        write!(out, "\n{one}").unwrap();
    }
    out.flush().unwrap();
}

/// An export of `n` items, written one item at a time (the generator's own memory
/// stays small).
fn write_document(path: &Path, n: usize) {
    let mut out = BufWriter::new(File::create(path).unwrap());
    let personas: Vec<String> = PERSONAS
        .iter()
        .map(|p| format!("{{\"name\":\"{p}\"}}"))
        .collect();
    let stages: Vec<String> = STAGES
        .iter()
        .map(|s| format!("{{\"name\":\"{s}\"}}"))
        .collect();
    write!(
        out,
        "{{\"format\":\"obeya\",\"version\":2,\"mission\":{{\"statement\":\"We save people money\",\"customer\":\"Households\"}},\"personas\":[{}],\"stages\":[{}],\"items\":[",
        personas.join(","),
        stages.join(",")
    )
    .unwrap();
    for i in 0..n {
        if i > 0 {
            out.write_all(b",\n").unwrap();
        }
        serde_json::to_writer(&mut out, &item(i)).unwrap();
    }
    out.write_all(b"]}\n").unwrap();
    out.flush().unwrap();
}

fn obeya(home: &Path, db: &Path) -> Command {
    let mut c = obeya_cmd::obeya(home, db);
    c.stdout(Stdio::null());
    c
}

/// A line of `/proc/PID/status` in kB (`VmHWM`, `VmRSS`), while the process lives.
fn status_kb(pid: u32, key: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Run `obeya import FILE` into `db`: its peak resident memory (kB) and run time.
fn import_peak(home: &Path, db: &Path, file: &Path) -> (u64, Duration) {
    let start = Instant::now();
    let mut child = obeya(home, db).arg("import").arg(file).spawn().unwrap();
    let mut peak = 0;
    loop {
        if let Some(kb) = status_kb(child.id(), "VmHWM") {
            peak = peak.max(kb);
        }
        if let Some(status) = child.try_wait().unwrap() {
            assert!(status.success(), "obeya import failed: {status}");
            return (peak, start.elapsed());
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn main() {
    let sizes: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.is_empty() {
        vec![100_000, 1_000_000]
    } else {
        sizes
    };
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("home");
    println!("| items | format | file | peak RSS | time |");
    println!("|---:|---|---:|---:|---:|");
    type Writer = fn(&Path, usize);
    let formats: [(&str, Writer); 2] = [("json", write_document), ("toml", write_toml)];
    for (n, (format, write)) in sizes
        .iter()
        .flat_map(|&n| formats.iter().map(move |f| (n, *f)))
    {
        let file = dir.path().join(format!("board-{n}.{format}"));
        write(&file, n);
        let db = dir.path().join(format!("board-{n}.db"));
        let init = obeya(&home, &db)
            .args(["init", "--empty"])
            .status()
            .unwrap();
        assert!(init.success());
        let (peak_kb, took) = import_peak(&home, &db, &file);
        let items: i64 = rusqlite::Connection::open(&db)
            .unwrap()
            .query_row("SELECT count(*) FROM item", [], |r| r.get(0))
            .unwrap();
        assert_eq!(items as usize, n, "every item arrived");
        let mib = |bytes: u64| bytes as f64 / (1024.0 * 1024.0);
        println!(
            "| {n} | {format} | {:.0} MiB | {:.1} MiB | {:.1} s |",
            mib(std::fs::metadata(&file).unwrap().len()),
            mib(peak_kb * 1024),
            took.as_secs_f64()
        );
        std::fs::remove_file(&file).unwrap();
        std::fs::remove_file(&db).unwrap();
    }
}
