//! Reads beyond the wall's cards: one record, a name's id, an item's comments, the
//! stand-up's glance at the open items, the file's health.

use rusqlite::{Connection, OptionalExtension};

use super::cells::{BadCells, Cells, Columns, take_bad_cells};
use super::record::{self, Record};
use super::{SchemaReport, Store, StoreError};
use crate::model::{
    Activity, Column, Comment, Evidence, EvidenceLink, Feeling, Glance, Item, Kind, MetricValue,
    Mission, ParkedTopic, Persona, Stage, Standup, rules,
};

columns!("item", Glance {
    "id" => id,
    "title" => title,
    "owner" => owner,
    "status" => status,
    "blocked" => blocked,
    "updated_at" => updated_at,
    "status_since" => status_since,
});

/// What `obeya check` reports about a board file.
#[derive(Debug, Clone, PartialEq)]
pub struct Health {
    /// `ok`, or SQLite's description of the damage.
    pub integrity: String,
    pub schema: i64,
    pub journal: String,
    pub items: i64,
    /// How the schema differs from obeya's at its version (for a newer obeya's, only
    /// what runs code is compared).
    pub schema_differences: SchemaReport,
    /// Whether what the wall keeps beside the items agrees with them (`None`: a board
    /// whose schema obeya does not know).
    pub kept: Option<Kept>,
    /// Every cell obeya cannot read (see `cells`); `None` when the rows were not read:
    /// an older schema (they are read once it is upgraded) or a damaged file.
    pub bad_cells: Option<BadCells>,
}

/// What the wall keeps beside the items, SQLite's triggers keeping it up to date
/// (schema 5), against the items themselves. Since schema 7 an `INSERT OR REPLACE`
/// onto an item, which got past them, is refused; but a file put together from pieces,
/// or a shell that writes the tally itself, can leave it out of step: the counts and
/// the filter would then be wrong while every item is fine.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Kept {
    /// Groups (column, persona, stage, owner) whose count in `item_tally` is wrong,
    /// missing or left over.
    pub tally_off: usize,
    /// Items (in their column) the filter's index has no entry for.
    pub index_missing: usize,
    /// Entries of the filter's index that are no item (in that column).
    pub index_stray: usize,
    /// What SQLite's integrity check found wrong in the index's structure (FTS5's own
    /// check), if anything: built again by `check --repair`, like the rest.
    pub index_damage: Option<String>,
}

impl Kept {
    pub fn agrees(&self) -> bool {
        self.tally_off == 0
            && self.index_missing == 0
            && self.index_stray == 0
            && self.index_damage.is_none()
    }
}

/// The tally as the items say it should be.
const TALLY_OF_ITEMS: &str = "SELECT status, coalesce(persona_id, 0) AS persona_id,
   coalesce(stage_id, 0) AS stage_id, owner, count(*) AS n FROM item GROUP BY 1, 2, 3, 4";

const TALLY_KEPT: &str = "SELECT status, persona_id, stage_id, owner, n FROM item_tally";

fn count(c: &Connection, sql: &str) -> rusqlite::Result<usize> {
    c.query_row(sql, [], |r| r.get::<_, i64>(0))
        .map(|n| usize::try_from(n).unwrap_or(0))
}

/// Compare the tally and the filter's index with the items (a few seconds for a
/// million items, like the integrity check it follows). The index keeps no text, so
/// what is compared is that each item has its entry, in its column, and nothing else;
/// an entry with the wrong words would need the index rebuilt to tell.
fn kept(c: &Connection, index_damage: Option<String>) -> rusqlite::Result<Kept> {
    let tally_off = count(
        c,
        &format!(
            // The groups on either side that the other does not hold as they are.
            "SELECT count(*) FROM (
                 SELECT status, persona_id, stage_id, owner FROM ({TALLY_OF_ITEMS} EXCEPT {TALLY_KEPT})
                 UNION
                 SELECT status, persona_id, stage_id, owner FROM ({TALLY_KEPT} EXCEPT {TALLY_OF_ITEMS}))"
        ),
    )?;
    let index_missing = count(
        c,
        "SELECT count(*) FROM (SELECT rowid FROM item_text_row EXCEPT SELECT rowid FROM item_text)",
    )?;
    let index_stray = count(
        c,
        "SELECT count(*) FROM (SELECT rowid FROM item_text EXCEPT SELECT rowid FROM item_text_row)",
    )?;
    Ok(Kept {
        tally_off,
        index_missing,
        index_stray,
        index_damage,
    })
}

/// SQLite's integrity check, every finding: those about the filter's index (FTS5 checks
/// its own structure), which `check --repair` builds again, apart from the rest.
fn integrity(c: &Connection) -> rusqlite::Result<(Vec<String>, Option<String>)> {
    let mut stmt = c.prepare("PRAGMA integrity_check")?;
    let findings: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let (index, file): (Vec<String>, Vec<String>) = findings
        .into_iter()
        .filter(|f| f != "ok")
        .partition(|f| f.starts_with("fts5:") && f.contains("\"item_text\""));
    Ok((file, (!index.is_empty()).then(|| index.join("; "))))
}

/// Read every row obeya reads, each cell as the wall and the commands read it, so that
/// the malformed ones are met (and noted: `take_bad_cells`). Nothing is kept.
pub(super) fn every_row(c: &Connection) -> rusqlite::Result<()> {
    fn records<R: Record>(c: &Connection) -> rusqlite::Result<()> {
        let mut stmt = c.prepare(&record::select_sql::<R>())?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            record::read::<R>(row)?;
        }
        Ok(())
    }
    fn rows<T: Columns>(c: &Connection) -> rusqlite::Result<()> {
        let sql = format!("SELECT {}, id FROM {}", T::column_list(), T::TABLE);
        let mut stmt = c.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            T::from_row(row)?;
        }
        Ok(())
    }
    records::<Mission>(c)?;
    records::<Persona>(c)?;
    records::<Stage>(c)?;
    records::<Feeling>(c)?;
    records::<Item>(c)?;
    records::<Comment>(c)?;
    records::<Column>(c)?;
    records::<ParkedTopic>(c)?;
    records::<Evidence>(c)?;
    records::<EvidenceLink>(c)?;
    rows::<Activity>(c)?;
    rows::<Standup>(c)?;
    rows::<MetricValue>(c)?;
    let mut stmt = c.prepare("SELECT id, summary FROM standup")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let mut cells = Cells::new("standup", row);
        cells.take::<i64>()?;
        cells.take::<Option<String>>()?;
    }
    Ok(())
}

impl Store {
    /// One record by id.
    pub fn load<R: Record>(&self, id: i64) -> Result<Option<R>, StoreError> {
        record::load(&self.conn, id).map_err(|e| self.classify(e))
    }

    /// The id of the persona or stage called `name` (`rules::same_name`, through the
    /// collation `obeya_name`); the oldest, should the sqlite3 shell have made two.
    pub fn id_named(&self, kind: Kind, name: &str) -> Result<Option<i64>, StoreError> {
        let table = match kind {
            Kind::Persona | Kind::Stage => kind.table(),
            other => return Err(StoreError::Unnamed(other)),
        };
        let sql = format!(
            "SELECT id FROM {table} WHERE name = ?1 COLLATE {} ORDER BY id LIMIT 1",
            rules::NAME_COLLATION
        );
        self.counted(|| {
            self.conn
                .prepare_cached(&sql)?
                .query_row([name], |r| r.get(0))
                .optional()
        })
    }

    /// An item's comments, oldest first.
    pub fn comments_of(&self, item_id: i64) -> Result<Vec<Comment>, StoreError> {
        let sql = format!(
            "{} WHERE item_id = ?1 ORDER BY at, id",
            record::select_sql::<Comment>()
        );
        self.counted(|| {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([item_id], record::read::<Comment>)?;
            rows.collect()
        })
    }

    /// What the stand-up's walk shows of every open item, in board order within each
    /// column.
    pub fn open_items_at_a_glance(&self) -> Result<Vec<Glance>, StoreError> {
        self.counted(|| {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT {} FROM item WHERE status <> 'done' ORDER BY status, position, id",
                Glance::column_list()
            ))?;
            let rows = stmt.query_map([], Glance::from_row)?;
            rows.collect()
        })
    }

    /// The whole-file integrity check and the facts `obeya check` shows. Reads only.
    pub fn health(&self) -> Result<Health, StoreError> {
        let c = &self.conn;
        let read = || -> rusqlite::Result<Health> {
            let schema: i64 = c.query_row("PRAGMA user_version", [], |r| r.get(0))?;
            let (damage, index_damage) = integrity(c)?;
            let known = schema == super::LATEST_SCHEMA as i64;
            Ok(Health {
                kept: if known && damage.is_empty() {
                    Some(kept(c, index_damage)?)
                } else {
                    None
                },
                integrity: if damage.is_empty() {
                    "ok".to_owned()
                } else {
                    damage.join("\n")
                },
                bad_cells: if schema >= super::LATEST_SCHEMA as i64 && damage.is_empty() {
                    every_row(c).ok().map(|()| take_bad_cells())
                } else {
                    None
                },
                schema,
                journal: c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?,
                items: c.query_row("SELECT count(*) FROM item", [], |r| r.get(0))?,
                schema_differences: super::schema::compare(
                    c,
                    usize::try_from(schema).unwrap_or(0),
                )?,
            })
        };
        read().map_err(|e| self.classify(e))
    }

    /// Build the tally and the filter's index again from the items, in one write.
    pub fn rebuild_kept(&mut self) -> Result<(), StoreError> {
        self.write(|w| {
            w.tx().execute_batch(&format!(
                "DELETE FROM item_tally;
                 INSERT INTO item_tally (status, persona_id, stage_id, owner, n) {TALLY_OF_ITEMS};
                 INSERT INTO item_text (item_text) VALUES ('delete-all');
                 INSERT INTO item_text (rowid, body) SELECT rowid, body FROM item_text_row;"
            ))?;
            Ok(())
        })
    }
}
