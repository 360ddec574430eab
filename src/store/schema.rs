//! A board's schema is obeya's: what a shared file may define, and how every connection
//! to it is set up so that the file cannot run code against whoever opens it.
//!
//! A trigger runs on every write anyone makes (one planted `AFTER INSERT` can rewrite
//! every item and empty the append-only activity log), a view runs whatever it selects
//! (a recursive one forever), a virtual table runs its module's code, and an index on
//! an expression evaluates it on every write. So on open the schema (`sqlite_master`)
//! is compared with the one the migrations make at the file's version: each entry is
//! judged by what its SQL makes, read the way SQLite reads it (`schema_sql`: kinds and
//! names in any case, through comments, whitespace and quotes), not by how its `type`
//! and `name` columns are spelt. A board with any of those that is not exactly obeya's
//! is refused, by name, before anything is written, whatever its schema version (a
//! newer one is compared with the newest schema this obeya knows), and so is a merge
//! copy. Tables and plain indexes that differ run no code (SQL functions in a default
//! or a CHECK are held to "innocuous" ones by `trusted_schema = OFF`), so they are only
//! reported, by `obeya check`.

use std::borrow::Cow;
use std::sync::LazyLock;

use rusqlite::Connection;
use rusqlite::config::DbConfig;
use serde::{Deserialize, Serialize};

use super::schema_sql::{self, Made};

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

/// One row of `sqlite_master`, with what its SQL makes (see `schema_sql`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Object {
    kind: String,
    name: String,
    table: String,
    sql: Option<String>,
}

/// An entry as SQLite will load it: what its SQL makes, under which name, on which
/// table. An entry without SQL (the index SQLite keeps for a UNIQUE constraint) runs
/// nothing; one whose SQL is no `CREATE` SQLite would run is `unreadable`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    object: Object,
    made: Option<Made>,
    /// The name, as SQLite compares names (ASCII case folded).
    key: (&'static str, String),
    name: String,
    table: String,
    unreadable: bool,
}

impl Entry {
    fn of(object: Object) -> Entry {
        let created = object.sql.as_deref().and_then(schema_sql::created);
        let unreadable = object.sql.is_some() && created.is_none();
        let (made, name, table) = match created {
            Some(c) => {
                let table = c.table.unwrap_or_else(|| c.name.clone());
                (Some(c.made), c.name, table)
            }
            None => (None, object.name.clone(), object.table.clone()),
        };
        let kind = match made {
            Some(m) => m.type_name(),
            None if object.kind.eq_ignore_ascii_case("index") => "index",
            None => "entry",
        };
        Entry {
            key: (kind, name.to_ascii_lowercase()),
            made,
            name,
            table,
            unreadable,
            object,
        }
    }

    fn describe(&self) -> String {
        let words = match (self.made, self.unreadable) {
            (Some(m), _) => m.words(),
            (None, true) => "entry obeya cannot read",
            (None, false) => self.key.0,
        };
        match self.made {
            Some(Made::Index { .. } | Made::Trigger) => {
                format!("{words} '{}' on {}", self.name, self.table)
            }
            _ => format!("{words} '{}'", self.name),
        }
    }

    /// Whether it can run code when the board is read or written (an entry SQLite
    /// could not load counts: it is not obeya's, and no reading of it is trusted).
    fn runs_code(&self) -> bool {
        self.unreadable || self.made.is_some_and(Made::runs_code)
    }

    /// SQLite's own tables (`sqlite_sequence`, `sqlite_stat1` …) and the indexes it
    /// makes for UNIQUE constraints; never anything that runs code, whatever its name.
    fn sqlite_own(&self) -> bool {
        match self.made {
            Some(Made::Table) => self.key.1.starts_with("sqlite_"),
            None => !self.unreadable && self.key.1.starts_with("sqlite_autoindex_"),
            _ => false,
        }
    }

    /// Whether it is exactly `expected`: the same SQL, on the same table.
    fn same_as(&self, expected: &Entry) -> bool {
        self.object.sql == expected.object.sql && self.table.eq_ignore_ascii_case(&expected.table)
    }
}

/// How a board's schema differs from the one obeya's migrations make at its version.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchemaReport {
    /// Objects obeya did not make, e.g. "trigger 'rewrite' on item".
    pub unexpected: Vec<String>,
    /// Objects obeya makes that are not there.
    pub missing: Vec<String>,
    /// Of `missing`, the tables (by name): without them obeya cannot read the board.
    pub missing_tables: Vec<String>,
    /// Objects obeya makes, defined differently.
    pub changed: Vec<String>,
    /// Of the above, those that run code (triggers, views, virtual tables, indexes on
    /// an expression).
    pub running_code: Vec<String>,
    /// The board's schema is newer than this obeya's: only what runs code was compared
    /// (with the newest schema this obeya knows).
    pub newer: bool,
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

/// A schema: its entries, SQLite's own left out.
type Schema = Vec<Entry>;

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
    Ok(entries(all))
}

fn entries(objects: Vec<Object>) -> Schema {
    let mut all: Schema = objects
        .into_iter()
        .map(Entry::of)
        .filter(|e| !e.sqlite_own())
        .collect();
    all.sort_by(|a, b| a.key.cmp(&b.key));
    all
}

/// The schema at the latest version, as `sqlite_master` lists it once the migrations
/// ran. Kept in the repository (a test checks it against the migrations), because
/// making it means running every migration, which took a third of `obeya item add`.
const LATEST_SCHEMA_JSON: &str = include_str!("../../assets/migrations/latest_schema.json");

static LATEST: LazyLock<Schema> = LazyLock::new(|| {
    entries(serde_json::from_str(LATEST_SCHEMA_JSON).expect("the stored schema is JSON"))
});

/// The schema obeya's migrations make at `version` (1 ..= LATEST_SCHEMA); an older one
/// is made by migrating an empty in-memory database, as only an upgrade needs it. A
/// newer one is unknown: the latest this obeya knows stands in for it.
fn expected(version: usize) -> Cow<'static, Schema> {
    if version >= super::LATEST_SCHEMA {
        return Cow::Borrowed(&LATEST);
    }
    Cow::Owned(migrated_to(version))
}

fn migrated_to(version: usize) -> Schema {
    let mut conn = Connection::open_in_memory().expect("an in-memory database opens");
    harden(&conn).expect("an in-memory database takes obeya's settings");
    super::migrations()
        .to_version(&mut conn, version)
        .expect("obeya's own migrations run");
    objects(&conn).expect("sqlite_master reads")
}

/// Compare the schema of `conn`'s board with the one obeya makes at `version`. For a
/// version newer than this obeya's, only what runs code is compared, with the newest
/// schema it knows: anything that runs code and is not exactly obeya's is reported.
pub fn compare(conn: &Connection, version: usize) -> rusqlite::Result<SchemaReport> {
    let newer = version > super::LATEST_SCHEMA;
    let expected = expected(version);
    let found = objects(conn)?;
    let mut report = SchemaReport {
        newer,
        ..SchemaReport::default()
    };
    let mut matched = vec![false; expected.len()];
    for o in &found {
        let same_name = expected
            .iter()
            .enumerate()
            .find(|(i, e)| e.key == o.key && !matched[*i]);
        let list = match same_name {
            Some((i, e)) if o.same_as(e) => {
                matched[i] = true;
                continue;
            }
            Some((i, _)) => {
                matched[i] = true;
                &mut report.changed
            }
            None => &mut report.unexpected,
        };
        if o.runs_code() {
            report.running_code.push(o.describe());
        }
        if !newer {
            list.push(o.describe());
        }
    }
    if !newer {
        for (e, _) in expected.iter().zip(&matched).filter(|(_, m)| !**m) {
            report.missing.push(e.describe());
            if e.made == Some(Made::Table) {
                report.missing_tables.push(e.name.clone());
            }
        }
    }
    Ok(report)
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
            let r = compare(&c, version).unwrap();
            assert!(r.is_clean(), "version {version}: {r:?}");
        }
        let c = board_conn();
        let newer = compare(&c, super::super::LATEST_SCHEMA + 1).unwrap();
        assert!(
            newer.newer && newer.is_clean() && !newer.runs_code(),
            "{newer:?}"
        );
    }

    /// `assets/migrations/latest_schema.json` is what the migrations make; with
    /// `OBEYA_WRITE_SCHEMA=1` this test writes it anew (after adding a migration).
    #[test]
    fn the_stored_latest_schema_is_what_the_migrations_make() {
        let made = migrated_to(super::super::LATEST_SCHEMA);
        let objects: Vec<&Object> = made.iter().map(|e| &e.object).collect();
        let json = serde_json::to_string_pretty(&objects).unwrap() + "\n";
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
        let r = compare(&c, super::super::LATEST_SCHEMA).unwrap();
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
        let r = compare(&c, super::super::LATEST_SCHEMA).unwrap();
        assert!(!r.is_clean());
        assert!(!r.runs_code());
    }
}
