//! Reads the command line asks for: one record, a name's id, the file's health.

use super::record::{self, Record};
use super::{SchemaReport, Store, StoreError};
use crate::model::{Kind, same_name};

/// What `obeya check` reports about a board file.
#[derive(Debug, Clone, PartialEq)]
pub struct Health {
    /// `ok`, or SQLite's description of the damage.
    pub integrity: String,
    pub schema: i64,
    pub journal: String,
    pub items: i64,
    /// How the schema differs from obeya's at its version (`None`: a newer obeya's).
    pub schema_differences: Option<SchemaReport>,
}

impl Store {
    /// One record by id.
    pub fn load<R: Record>(&self, id: i64) -> Result<Option<R>, StoreError> {
        record::load(&self.conn, id).map_err(|e| self.classify(e))
    }

    /// The id of the persona or stage called `name`, ignoring case (Unicode-aware).
    pub fn id_named(&self, kind: Kind, name: &str) -> Result<Option<i64>, StoreError> {
        let table = match kind {
            Kind::Persona | Kind::Stage => kind.table(),
            other => return Err(StoreError::Invalid(format!("a {other} has no name"))),
        };
        let mut stmt = self
            .conn
            .prepare_cached(&format!("SELECT id, name FROM {table}"))?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, n) = row?;
            if same_name(&n, name) {
                return Ok(Some(id));
            }
        }
        Ok(None)
    }

    /// The whole-file integrity check and the facts `obeya check` shows.
    pub fn health(&self) -> Result<Health, StoreError> {
        let c = &self.conn;
        let read = || -> rusqlite::Result<Health> {
            let schema: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            Ok(Health {
                integrity: c.query_row("PRAGMA integrity_check", [], |r| r.get(0))?,
                schema,
                journal: c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
                items: c.query_row("SELECT count(*) FROM item", [], |r| r.get(0))?,
                schema_differences: super::schema::compare(c, schema as usize)?,
            })
        };
        read().map_err(|e| self.classify(e))
    }
}
