//! A board's schema is obeya's: what a shared file may define, and how every connection
//! to it is set up so that the file cannot run code against whoever opens it.
//!
//! A trigger runs on every write anyone makes (one planted `AFTER INSERT` can rewrite
//! every item and empty the append-only activity log), and a view runs whatever it
//! selects. obeya's migrations make neither, so on open the schema (`sqlite_master`) is
//! compared with the one the migrations make at the file's version, built once in
//! memory: a board with a trigger, a view or a virtual table obeya did not make is
//! refused, by name, before anything is written. Tables and indexes that differ run no
//! code (SQL functions in a default, a CHECK or an index are held to "innocuous" ones
//! by `trusted_schema = OFF`), so they are only reported, by `obeya check`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::LazyLock;

use rusqlite::Connection;
use rusqlite::config::DbConfig;
use serde::{Deserialize, Serialize};

/// Settings for every connection the store opens, before it reads anything: the
/// collation persona and stage names are compared with (see `functions`), SQLite's
/// defensive mode (no `writable_schema`, no writing SQLite's own tables or the file's
/// pages through SQL) and a schema that is not trusted (functions with side effects and
/// virtual tables not marked innocuous may not run from the file's triggers, views,
/// defaults, CHECKs or indexes). Also, for speed, query plans that do not depend on
/// bound values: otherwise a cached statement is compiled again whenever a bound LIMIT
/// or OFFSET changes, which the wall's every window of cards does.
pub(crate) fn harden(conn: &Connection) -> rusqlite::Result<()> {
    super::functions::add_name_collation(conn)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_DEFENSIVE, true)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_TRUSTED_SCHEMA, false)?;
    conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
    Ok(())
}

/// One row of `sqlite_master`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Object {
    kind: String,
    name: String,
    table: String,
    sql: Option<String>,
}

impl Object {
    fn describe(&self) -> String {
        match self.kind.as_str() {
            "table" | "view" => format!("{} '{}'", self.kind, self.name),
            _ => format!("{} '{}' on {}", self.kind, self.name, self.table),
        }
    }

    /// Whether it can run code when the board is read or written.
    fn runs_code(&self) -> bool {
        let virtual_table = self.kind == "table"
            && self.sql.as_deref().is_some_and(|s| {
                s.trim_start()
                    .get(..20)
                    .is_some_and(|p| p.eq_ignore_ascii_case("create virtual table"))
            });
        self.kind == "trigger" || self.kind == "view" || virtual_table
    }
}

/// How a board's schema differs from the one obeya's migrations make at its version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaReport {
    /// Objects obeya did not make, e.g. "trigger 'rewrite' on item".
    pub unexpected: Vec<String>,
    /// Objects obeya makes that are not there.
    pub missing: Vec<String>,
    /// Objects obeya makes, defined differently.
    pub changed: Vec<String>,
    /// Of the above, those that run code (triggers, views, virtual tables).
    pub running_code: Vec<String>,
}

impl SchemaReport {
    pub fn is_clean(&self) -> bool {
        self.unexpected.is_empty() && self.missing.is_empty() && self.changed.is_empty()
    }

    /// Whether the board must be refused: something in it runs code obeya did not write.
    pub fn runs_code(&self) -> bool {
        !self.running_code.is_empty()
    }

    /// Every difference, one line each.
    pub fn lines(&self) -> Vec<String> {
        let unexpected = self
            .unexpected
            .iter()
            .map(|o| format!("{o} was not made by obeya"));
        let missing = self.missing.iter().map(|o| format!("{o} is missing"));
        let changed = self
            .changed
            .iter()
            .map(|o| format!("{o} differs from obeya's"));
        unexpected.chain(missing).chain(changed).collect()
    }
}

/// SQLite's own tables and the indexes it makes for UNIQUE constraints; never triggers
/// or views, whatever their name.
fn sqlite_own(o: &Object) -> bool {
    let name = o.name.to_ascii_lowercase();
    match o.kind.as_str() {
        "table" => name.starts_with("sqlite_"),
        "index" => name.starts_with("sqlite_autoindex_") && o.sql.is_none(),
        _ => false,
    }
}

/// A schema: its objects by kind and name (in lower case).
type Schema = BTreeMap<(String, String), Object>;

fn objects(conn: &Connection) -> rusqlite::Result<Schema> {
    let mut stmt = conn.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master")?;
    let rows = stmt.query_map([], |r| {
        Ok(Object {
            kind: r.get(0)?,
            name: r.get(1)?,
            table: r.get(2)?,
            sql: r.get(3)?,
        })
    })?;
    let mut all = Vec::new();
    for o in rows {
        all.push(o?);
    }
    Ok(keyed(all))
}

fn keyed(objects: Vec<Object>) -> Schema {
    objects
        .into_iter()
        .filter(|o| !sqlite_own(o))
        .map(|o| ((o.kind.clone(), o.name.to_ascii_lowercase()), o))
        .collect()
}

/// The schema at the latest version, as `sqlite_master` lists it once the migrations
/// ran. Kept in the repository (a test checks it against the migrations), because
/// making it means running every migration, which took a third of `obeya item add`.
const LATEST_SCHEMA_JSON: &str = include_str!("../../assets/migrations/latest_schema.json");

static LATEST: LazyLock<Schema> = LazyLock::new(|| {
    keyed(serde_json::from_str(LATEST_SCHEMA_JSON).expect("the stored schema is JSON"))
});

/// The schema obeya's migrations make at `version` (0 ..= LATEST_SCHEMA); an older one
/// is made by migrating an empty in-memory database, as only an upgrade needs it.
fn expected(version: usize) -> Option<Cow<'static, Schema>> {
    if version == super::LATEST_SCHEMA {
        return Some(Cow::Borrowed(&LATEST));
    }
    if version > super::LATEST_SCHEMA {
        return None;
    }
    Some(Cow::Owned(migrated_to(version)))
}

fn migrated_to(version: usize) -> Schema {
    let mut conn = Connection::open_in_memory().expect("an in-memory database opens");
    harden(&conn).expect("an in-memory database takes obeya's settings");
    super::migrations()
        .to_version(&mut conn, version)
        .expect("obeya's own migrations run");
    objects(&conn).expect("sqlite_master reads")
}

/// Compare the schema of `conn`'s board with the one obeya makes at `version`. A
/// version this obeya does not know yet has nothing to compare with: `None`.
pub fn compare(conn: &Connection, version: usize) -> rusqlite::Result<Option<SchemaReport>> {
    let Some(expected) = expected(version) else {
        return Ok(None);
    };
    let found = objects(conn)?;
    let mut report = SchemaReport::default();
    for (key, o) in &found {
        match expected.get(key) {
            None => {
                report.unexpected.push(o.describe());
                if o.runs_code() {
                    report.running_code.push(o.describe());
                }
            }
            Some(e) if e.sql != o.sql || !e.table.eq_ignore_ascii_case(&o.table) => {
                report.changed.push(o.describe());
                if o.runs_code() {
                    report.running_code.push(o.describe());
                }
            }
            Some(_) => {}
        }
    }
    for (key, e) in expected.iter() {
        if !found.contains_key(key) {
            report.missing.push(e.describe());
        }
    }
    Ok(Some(report))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn board_conn() -> Connection {
        let mut c = Connection::open_in_memory().unwrap();
        harden(&c).unwrap();
        super::super::migrations().to_latest(&mut c).unwrap();
        c
    }

    #[test]
    fn obeyas_own_schema_is_clean_at_every_version() {
        for version in 0..=super::super::LATEST_SCHEMA {
            let mut c = Connection::open_in_memory().unwrap();
            harden(&c).unwrap();
            super::super::migrations()
                .to_version(&mut c, version)
                .unwrap();
            let r = compare(&c, version).unwrap().unwrap();
            assert!(r.is_clean(), "version {version}: {r:?}");
        }
        let c = board_conn();
        assert_eq!(compare(&c, super::super::LATEST_SCHEMA + 1).unwrap(), None);
    }

    /// `assets/migrations/latest_schema.json` is what the migrations make; with
    /// `OBEYA_WRITE_SCHEMA=1` this test writes it anew (after adding a migration).
    #[test]
    fn the_stored_latest_schema_is_what_the_migrations_make() {
        let made = migrated_to(super::super::LATEST_SCHEMA);
        let json = serde_json::to_string_pretty(&made.values().collect::<Vec<_>>()).unwrap() + "\n";
        if std::env::var_os("OBEYA_WRITE_SCHEMA").is_some() {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/assets/migrations/latest_schema.json"
            );
            std::fs::write(path, &json).unwrap();
        }
        assert!(
            *LATEST == made,
            "assets/migrations/latest_schema.json is not what the migrations make; \
             write it anew with: OBEYA_WRITE_SCHEMA=1 cargo test --lib the_stored_latest_schema"
        );
    }

    #[test]
    fn triggers_views_and_differences_are_named() {
        let c = board_conn();
        c.execute_batch(
            "CREATE TRIGGER rewrite AFTER INSERT ON item BEGIN DELETE FROM activity; END;
             CREATE VIEW peek AS SELECT 1;
             CREATE INDEX extra ON item (title);
             DROP INDEX comment_by_item;
             ANALYZE;",
        )
        .unwrap();
        let r = compare(&c, super::super::LATEST_SCHEMA).unwrap().unwrap();
        assert!(r.runs_code());
        assert_eq!(r.running_code, ["trigger 'rewrite' on item", "view 'peek'"]);
        assert!(
            r.unexpected.contains(&"index 'extra' on item".to_string()),
            "{r:?}"
        );
        assert_eq!(r.missing, ["index 'comment_by_item' on comment"]);
        assert!(
            r.lines()
                .contains(&"view 'peek' was not made by obeya".to_string())
        );
    }

    #[test]
    fn an_index_alone_does_not_refuse_the_board() {
        let c = board_conn();
        c.execute_batch("CREATE INDEX extra ON item (title);")
            .unwrap();
        let r = compare(&c, super::super::LATEST_SCHEMA).unwrap().unwrap();
        assert!(!r.is_clean());
        assert!(!r.runs_code());
    }
}
