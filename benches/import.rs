//! Importing big documents (issue 8): a 100,000-item export and a 10,000-persona
//! document, each into a fresh board, against a plain SQLite bulk insert of the same
//! rows (one transaction, one prepared statement, the board's own schema and settings:
//! rollback journal, `synchronous=FULL`, foreign keys on). The target is an import
//! within 10× of the plain insert. The 100,000 items are imported twice: held in memory
//! (`exchange::import`), and from a JSON file as `obeya import` reads one (read whole,
//! checked, imported). `benches/import_memory.rs` measures the memory.
//!
//! `cargo bench --bench import`

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use kit::export_items::{self, PERSONAS, STAGES};
use obeya::exchange::{self, Document, PersonaDoc, StageDoc};
use obeya::store::Store;
use rusqlite::Connection;

const ITEMS: usize = 100_000;
const MANY_PERSONAS: usize = 10_000;

/// An export as `obeya export` writes it: 3 personas, 6 stages, `n` items with every
/// field set.
fn items_document(n: usize) -> Document {
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
        items: (0..n).map(export_items::item).collect(),
        ..Default::default()
    }
}

fn personas_document(n: usize) -> Document {
    Document {
        personas: (0..n)
            .map(|i| PersonaDoc {
                uid: String::new(),
                name: format!("Persona {i}"),
                role: "Working parent of two".into(),
                goal: "Dinner on the table by seven".into(),
                needs: "To know when the van comes".into(),
                pains: "Substitutions she did not ask for".into(),
                quote: "I don't mind waiting. I mind not knowing.".into(),
                side: Default::default(),
            })
            .collect(),
        ..Default::default()
    }
}

/// A new folder for each board (dropped, with the board, after the measurement).
fn fresh_dir() -> (tempfile::TempDir, PathBuf) {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join(format!("b{}.db", N.fetch_add(1, Ordering::Relaxed)));
    (dir, path)
}

fn empty_board() -> (tempfile::TempDir, Store) {
    let (dir, path) = fresh_dir();
    let store = Store::create(&path, "bench").unwrap();
    (dir, store)
}

/// An empty board's file, opened with the settings obeya uses.
fn raw_board() -> (tempfile::TempDir, Connection) {
    let (dir, path) = fresh_dir();
    drop(Store::create(&path, "bench").unwrap());
    let conn = Connection::open(&path).unwrap();
    // Persona and stage names are indexed by obeya's collation (schema 8).
    obeya::store::add_name_collation(&conn).unwrap();
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
        .unwrap();
    (dir, conn)
}

fn plain_items(conn: &mut Connection, doc: &Document) {
    let tx = conn.transaction().unwrap();
    {
        let mut p = tx
            .prepare("INSERT INTO persona (id, name) VALUES (?1, ?2)")
            .unwrap();
        for (k, d) in doc.personas.iter().enumerate() {
            p.execute(rusqlite::params![k as i64 + 1, d.name]).unwrap();
        }
        let mut s = tx
            .prepare("INSERT INTO stage (id, name) VALUES (?1, ?2)")
            .unwrap();
        for (k, d) in doc.stages.iter().enumerate() {
            s.execute(rusqlite::params![k as i64 + 1, d.name]).unwrap();
        }
        let mut stmt = tx
            .prepare(
                "INSERT INTO item (id, title, detail, status, owner, due, persona_id, stage_id,
                    impact, risk, blocked, blocked_reason, created_at, status_since, position,
                    version, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, 1, ?16, 'bench')",
            )
            .unwrap();
        for (k, d) in doc.items.iter().enumerate() {
            stmt.execute(rusqlite::params![
                d.id,
                d.title,
                d.detail,
                d.status.as_str(),
                d.owner,
                d.due.map(|x| x.to_string()),
                1 + (k % 3) as i64,
                1 + (k % 6) as i64,
                d.impact,
                d.risk,
                d.blocked,
                d.blocked_reason,
                d.created_at.unwrap().to_string(),
                d.status_since.unwrap().to_string(),
                k as i64 + 1,
                d.updated_at.unwrap().to_string(),
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
}

fn plain_personas(conn: &mut Connection, doc: &Document) {
    let tx = conn.transaction().unwrap();
    {
        let mut stmt = tx
            .prepare(
                "INSERT INTO persona (name, role, goal, needs, pains, quote, position, version, updated_at, updated_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 1, '2026-11-22T09:00:00Z', 'bench')",
            )
            .unwrap();
        for (k, d) in doc.personas.iter().enumerate() {
            stmt.execute(rusqlite::params![
                d.name,
                d.role,
                d.goal,
                d.needs,
                d.pains,
                d.quote,
                k as i64 + 1
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
}

fn import(c: &mut Criterion) {
    let items = items_document(ITEMS);
    exchange::validate(&items).unwrap();
    let personas = personas_document(MANY_PERSONAS);

    let mut g = c.benchmark_group("import");
    g.sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(30));

    g.bench_function("100k items: obeya import", |b| {
        b.iter_batched(
            empty_board,
            |(dir, mut store)| {
                exchange::import(&mut store, &items).unwrap();
                (dir, store)
            },
            BatchSize::PerIteration,
        )
    });
    let file_dir = tempfile::tempdir().unwrap();
    let file = file_dir.path().join("items.json");
    std::fs::write(&file, exchange::to_json(&items)).unwrap();
    g.bench_function("100k items: obeya import from a JSON file", |b| {
        b.iter_batched(
            empty_board,
            |(dir, mut store)| {
                let doc = exchange::read_file(&file).unwrap();
                exchange::import(&mut store, &doc).unwrap();
                (dir, store)
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("100k items: plain SQLite insert", |b| {
        b.iter_batched(
            raw_board,
            |(dir, mut conn)| {
                plain_items(&mut conn, &items);
                (dir, conn)
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("10k personas: obeya import", |b| {
        b.iter_batched(
            empty_board,
            |(dir, mut store)| {
                exchange::import(&mut store, &personas).unwrap();
                (dir, store)
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("10k personas: plain SQLite insert", |b| {
        b.iter_batched(
            raw_board,
            |(dir, mut conn)| {
                plain_personas(&mut conn, &personas);
                (dir, conn)
            },
            BatchSize::PerIteration,
        )
    });
    g.bench_function("100k items: validate only", |b| {
        b.iter(|| exchange::validate(&items).unwrap())
    });
    g.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
