//! The board's schema, version by version: obeya's migrations, and the latest version
//! they make. A board is backed up before it is migrated (see `open`).

use std::collections::HashSet;
use std::sync::LazyLock;

use rusqlite::Transaction;
use rusqlite_migration::{HookError, M, Migrations};

use super::StoreError;
use super::cells::ts_to_sql;
use crate::model::Kind;
use crate::model::rules::name_key;

/// Rust that runs inside a migration's transaction.
type Hook = fn(&Transaction) -> Result<(), StoreError>;

/// One migration: its SQL, with Rust that runs in the same transaction after it
/// (`Then`) or before it (`First`).
enum Step {
    Sql(&'static str),
    Then(&'static str, Hook),
    First(Hook, &'static str),
}

/// obeya's migrations, oldest first. Append only: never edit a released one.
const STEPS: &[Step] = &[
    Step::Sql(include_str!("../../assets/migrations/001_board.sql")),
    Step::Sql(include_str!("../../assets/migrations/002_sharing.sql")),
    Step::Sql(include_str!(
        "../../assets/migrations/003_metric_direction.sql"
    )),
    Step::Sql(include_str!(
        "../../assets/migrations/004_history_and_uids.sql"
    )),
    Step::Sql(include_str!("../../assets/migrations/005_wall.sql")),
    Step::Then(
        include_str!("../../assets/migrations/006_lean_activity.sql"),
        super::activity::trim_log,
    ),
    Step::Sql(include_str!(
        "../../assets/migrations/007_no_silent_replace.sql"
    )),
    Step::First(
        rename_same_names,
        include_str!("../../assets/migrations/008_names_fold_case.sql"),
    ),
    Step::Sql(include_str!(
        "../../assets/migrations/009_presence_beside.sql"
    )),
    Step::Sql(include_str!("../../assets/migrations/010_evidence.sql")),
    Step::Sql(include_str!(
        "../../assets/migrations/011_metric_readings.sql"
    )),
    Step::Sql(include_str!(
        "../../assets/migrations/012_names_checked_by_obeya.sql"
    )),
];

/// The schema version this obeya writes: one per migration.
pub const LATEST_SCHEMA: usize = STEPS.len();

static MIGRATIONS: LazyLock<Migrations<'static>> =
    LazyLock::new(|| Migrations::new(STEPS.iter().map(Step::migration).collect()));

pub fn migrations() -> &'static Migrations<'static> {
    &MIGRATIONS
}

impl Step {
    fn migration(&self) -> M<'static> {
        fn run(hook: Hook, tx: &Transaction) -> Result<(), HookError> {
            hook(tx).map_err(|e| HookError::Hook(e.to_string()))
        }
        match *self {
            Step::Sql(sql) => M::up(sql),
            Step::Then(sql, hook) => M::up_with_hook(sql, move |tx: &Transaction| run(hook, tx)),
            Step::First(hook, sql) => M::up_with_hook("", move |tx: &Transaction| {
                run(hook, tx)?;
                Ok(tx.execute_batch(sql)?)
            }),
        }
    }
}

/// Schema 8, before its unique indexes (dropped again in schema 12): a persona or stage whose name only the new
/// comparison finds taken ("ZOË" beside "Zoë": the old one folded ASCII letters only)
/// is renamed "ZOË (2)", and the activity log says so. The older record keeps its name.
fn rename_same_names(tx: &Transaction) -> Result<(), StoreError> {
    for kind in [Kind::Persona, Kind::Stage] {
        let table = kind.table();
        let names: Vec<(i64, String)> = tx
            .prepare(&format!("SELECT id, name FROM {table} ORDER BY id"))?
            .query_map([], |r| Ok((r.get("id")?, r.get("name")?)))?
            .collect::<Result<_, _>>()?;
        let mut taken: HashSet<String> = names.iter().map(|(_, n)| name_key(n)).collect();
        let mut kept: HashSet<String> = HashSet::new();
        for (id, name) in &names {
            let key = name_key(name);
            if kept.insert(key.clone()) {
                continue;
            }
            let new = (2..)
                .map(|n| format!("{name} ({n})"))
                .find(|new| !taken.contains(&name_key(new)))
                .expect("a free number");
            taken.insert(name_key(&new));
            kept.insert(name_key(&new));
            let first = names.iter().find(|(_, n)| name_key(n) == key);
            let other = first.map(|(_, n)| n.as_str()).unwrap_or_default();
            let at = ts_to_sql(super::now());
            tx.execute(
                &format!(
                    "UPDATE {table} SET name = ?1, version = version + 1, updated_at = ?2, \
                     updated_by = 'obeya' WHERE id = ?3"
                ),
                rusqlite::params![new, at, id],
            )?;
            let summary = format!(
                "renamed {kind} '{name}' to '{new}': {kind} '{other}' has the same name, \
                 now that names are compared ignoring case in every alphabet"
            );
            tx.execute(
                "INSERT INTO activity (at, who, action, entity, entity_id, summary, before, after) \
                 VALUES (?1, 'obeya', 'update', ?2, ?3, ?4, ?5, ?6)",
                rusqlite::params![
                    at,
                    table,
                    id,
                    summary,
                    serde_json::json!({ "name": name }).to_string(),
                    serde_json::json!({ "name": new }).to_string(),
                ],
            )?;
        }
    }
    Ok(())
}
