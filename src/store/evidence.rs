//! Evidence: what the wall counts of it ([`heard`], read with the small tables), the
//! lists the evidence view, an item's detail and the command line read, and the writes
//! that keep an evidence's links to the items it supports with it (one transaction,
//! every change logged, so undo and merges see them as any other record).

use std::collections::{HashMap, HashSet};

use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension};

use super::cells::ts_to_sql;
use super::record;
use super::write::{Saved, Writer};
use super::{Store, StoreError};
use crate::model::{
    Evidence, EvidenceFilter, EvidenceLink, EvidenceNote, Heard, Item, Kind, Tally,
};

/// The evidence counted by persona and stage, and each persona's newest quote: a
/// handful of rows whatever how much evidence there is.
pub(super) fn heard(c: &Connection) -> rusqlite::Result<Heard> {
    let mut heard = Heard::default();
    let mut stmt = c.prepare_cached(
        "SELECT persona_id, stage_id, count(*), count(sentiment), coalesce(sum(sentiment), 0)
           FROM evidence GROUP BY persona_id, stage_id",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let tally = Tally {
            count: r.get::<_, i64>(2)?.max(0) as usize,
            rated: r.get::<_, i64>(3)?.max(0) as usize,
            sentiment_sum: r.get(4)?,
        };
        heard.cells.insert((r.get(0)?, r.get(1)?), tally);
    }
    if heard.is_empty() {
        return Ok(heard);
    }
    let mut stmt = c.prepare_cached(
        "SELECT persona_id, observed, text FROM (
             SELECT persona_id, observed, text,
                    row_number() OVER (PARTITION BY persona_id ORDER BY observed DESC, id DESC) AS n
               FROM evidence WHERE kind = 'quote' AND persona_id IS NOT NULL)
          WHERE n = 1",
    )?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let day: String = r.get(1)?;
        if let Ok(day) = day.parse::<Date>() {
            heard.quotes.insert(r.get(0)?, (day, r.get(2)?));
        }
    }
    Ok(heard)
}

/// The condition and parameters of a filter.
fn filter_sql(f: &EvidenceFilter) -> (String, Vec<Value>) {
    let mut sql = vec!["1".to_owned()];
    let mut params = Vec::new();
    let mut add = |cond: &str, v: Value| {
        params.push(v);
        sql.push(format!("{cond} ?{}", params.len()));
    };
    if let Some(p) = f.persona {
        add("persona_id =", Value::Integer(p));
    }
    if let Some(s) = f.stage {
        add("stage_id =", Value::Integer(s));
    }
    if let Some(k) = f.kind {
        add("kind =", Value::Text(k.as_str().to_owned()));
    }
    if let Some(d) = f.since {
        add("observed >=", Value::Text(d.to_string()));
    }
    (sql.join(" AND "), params)
}

impl Store {
    /// Up to `limit` pieces of evidence that pass `filter`, newest observed first, and
    /// how many pass in all.
    pub fn evidence_list(
        &self,
        filter: &EvidenceFilter,
        limit: usize,
    ) -> Result<(Vec<Evidence>, usize), StoreError> {
        let (cond, params) = filter_sql(filter);
        self.reading(|| {
            self.counted(|| {
                let total: i64 = self
                    .conn
                    .prepare_cached(&format!("SELECT count(*) FROM evidence WHERE {cond}"))?
                    .query_row(rusqlite::params_from_iter(params.iter()), |r| r.get(0))?;
                let mut params = params.clone();
                params.push(Value::Integer(limit.min(i64::MAX as usize) as i64));
                let sql = format!(
                    "{} WHERE {cond} ORDER BY observed DESC, id DESC LIMIT ?{}",
                    record::select_sql::<Evidence>(),
                    params.len()
                );
                let mut stmt = self.conn.prepare_cached(&sql)?;
                let list = stmt
                    .query_map(
                        rusqlite::params_from_iter(params.iter()),
                        record::read::<Evidence>,
                    )?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok((list, total.max(0) as usize))
            })
        })
    }

    /// The evidence an item has, newest observed first.
    pub fn evidence_of_item(&self, item_id: i64) -> Result<Vec<Evidence>, StoreError> {
        let sql = format!(
            "{} WHERE id IN (SELECT evidence_id FROM evidence_link WHERE item_id = ?1)
              ORDER BY observed DESC, id DESC",
            record::select_sql::<Evidence>()
        );
        self.counted(|| {
            let mut stmt = self.conn.prepare_cached(&sql)?;
            let rows = stmt.query_map([item_id], record::read::<Evidence>)?;
            rows.collect()
        })
    }

    /// How much evidence each of these items has (those with none left out). One cached
    /// statement whatever how many: the ids go in as one JSON array.
    pub fn evidence_counts(&self, items: &[i64]) -> Result<HashMap<i64, usize>, StoreError> {
        if items.is_empty() {
            return Ok(HashMap::new());
        }
        let ids = serde_json::to_string(items)?;
        self.counted(|| {
            let mut stmt = self.conn.prepare_cached(
                "SELECT item_id, count(*) FROM evidence_link
                  WHERE item_id IN (SELECT value FROM json_each(?1)) GROUP BY item_id",
            )?;
            let rows = stmt.query_map([ids], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?.max(0) as usize))
            })?;
            rows.collect()
        })
    }

    /// The ids of the items a piece of evidence supports, lowest first.
    pub fn supports_of(&self, evidence_id: i64) -> Result<Vec<i64>, StoreError> {
        self.counted(|| {
            let mut stmt = self.conn.prepare_cached(
                "SELECT item_id FROM evidence_link WHERE evidence_id = ?1 ORDER BY item_id",
            )?;
            let rows = stmt.query_map([evidence_id], |r| r.get(0))?;
            rows.collect()
        })
    }

    /// Add evidence (observed today unless it says) supporting `supports`.
    pub fn add_evidence(
        &mut self,
        evidence: Evidence,
        supports: &[i64],
    ) -> Result<Evidence, StoreError> {
        self.write(|w| {
            let added = w.create(evidence.clone())?;
            set_supports(w, added.id, supports)?;
            Ok(added)
        })
    }

    /// Save an edit of evidence and, when given, the items it supports (those dropped
    /// are unlinked); one transaction.
    pub fn save_evidence(
        &mut self,
        base: &Evidence,
        mine: &Evidence,
        supports: Option<&[i64]>,
    ) -> Result<Saved<Evidence>, StoreError> {
        self.write(|w| {
            let saved = w.save(base, mine)?;
            if let Some(supports) = supports {
                set_supports(w, base.id, supports)?;
            }
            Ok(saved)
        })
    }

    /// Add many pieces of evidence in one transaction, each unless the board has it
    /// already: as many equal pieces (kind, text, source, day, persona, stage,
    /// sentiment) as the list holds, so a list imported twice adds nothing the second
    /// time. Returns how many were added, and how many were there already.
    pub fn add_evidence_batch(&mut self, list: &[Evidence]) -> Result<(usize, usize), StoreError> {
        self.write(|w| {
            w.without_undo();
            let mut there: HashMap<String, usize> = HashMap::new();
            for e in w.load_all::<Evidence>()? {
                *there.entry(content_key(&e)).or_default() += 1;
            }
            let (mut added, mut already) = (0, 0);
            for e in list {
                match there.get_mut(&content_key(e)) {
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        already += 1;
                    }
                    _ => {
                        w.create(e.clone())?;
                        added += 1;
                    }
                }
            }
            Ok((added, already))
        })
    }

    /// Delete evidence and its links.
    pub fn delete_evidence(&mut self, evidence: &Evidence) -> Result<(), StoreError> {
        self.write(|w| {
            for l in w.children::<EvidenceLink>("evidence_id", evidence.id)? {
                w.delete(&l)?;
            }
            w.delete(evidence)
        })
    }

    /// Link (or, with `link` false, unlink) evidence to an item. Returns how many links
    /// changed (one already there, or already gone, is no change).
    pub fn link_evidence(
        &mut self,
        item_id: i64,
        evidence: &[i64],
        link: bool,
    ) -> Result<usize, StoreError> {
        self.write(|w| {
            if w.load::<Item>(item_id)?.is_none() {
                return Err(StoreError::Missing {
                    kind: Kind::Item,
                    id: item_id,
                });
            }
            let mut changed = 0;
            for &e in evidence {
                changed += usize::from(if link {
                    w.link(e, item_id)?
                } else {
                    w.unlink(e, item_id)?
                });
            }
            Ok(changed)
        })
    }
}

impl Writer<'_> {
    /// The link of evidence to an item, if there is one.
    fn link_of(&self, evidence_id: i64, item_id: i64) -> Result<Option<EvidenceLink>, StoreError> {
        Ok(self
            .children::<EvidenceLink>("evidence_id", evidence_id)?
            .into_iter()
            .find(|l| l.item_id == item_id))
    }

    /// Link evidence to an item; false if it was linked already.
    pub fn link(&mut self, evidence_id: i64, item_id: i64) -> Result<bool, StoreError> {
        if self.load::<Evidence>(evidence_id)?.is_none() {
            return Err(StoreError::Missing {
                kind: Kind::Evidence,
                id: evidence_id,
            });
        }
        if self.link_of(evidence_id, item_id)?.is_some() {
            return Ok(false);
        }
        self.create(EvidenceLink {
            evidence_id,
            item_id,
            ..EvidenceLink::default()
        })?;
        Ok(true)
    }

    /// Unlink evidence from an item; false if it was not linked.
    pub fn unlink(&mut self, evidence_id: i64, item_id: i64) -> Result<bool, StoreError> {
        match self.link_of(evidence_id, item_id)? {
            Some(l) => self.delete(&l).map(|()| true),
            None => Ok(false),
        }
    }

    /// Before an item goes: its links to evidence go (each logged).
    pub fn unlink_item(&mut self, item_id: i64) -> Result<(), StoreError> {
        for l in self.children::<EvidenceLink>("item_id", item_id)? {
            self.delete(&l)?;
        }
        Ok(())
    }
}

/// What a piece of evidence says, as one text (its id and bookkeeping aside).
fn content_key(e: &Evidence) -> String {
    serde_json::json!([
        e.kind,
        e.text,
        e.source,
        e.observed,
        e.persona_id,
        e.stage_id,
        e.sentiment
    ])
    .to_string()
}

/// Make evidence support exactly `supports` (each an item on the board).
fn set_supports(w: &mut Writer, evidence_id: i64, supports: &[i64]) -> Result<(), StoreError> {
    let wanted: HashSet<i64> = supports.iter().copied().collect();
    for l in w.children::<EvidenceLink>("evidence_id", evidence_id)? {
        if !wanted.contains(&l.item_id) {
            w.delete(&l)?;
        }
    }
    let mut ids: Vec<i64> = wanted.into_iter().collect();
    ids.sort_unstable();
    for item_id in ids {
        if w.load::<Item>(item_id)?.is_none() {
            return Err(StoreError::Missing {
                kind: Kind::Item,
                id: item_id,
            });
        }
        w.link(evidence_id, item_id)?;
    }
    Ok(())
}

/// A stand-up's window on the activity log: the rows after one (the row that recorded
/// the stand-up before) up to another (the last when it ends); or, for a stand-up
/// without such a row before it, the rows between two times.
pub(super) enum Window {
    Rows { after: i64, upto: i64 },
    Times { after: Timestamp, upto: Timestamp },
}

/// The evidence whose activity row says it was added within `window`, and is still on
/// the board, as a stand-up reports it, in the order it was added.
pub(super) fn added_between(
    c: &Connection,
    window: Window,
) -> Result<Vec<EvidenceNote>, StoreError> {
    let sql = format!(
        "SELECT e.*, a.who AS added_by FROM ({}) AS e JOIN activity AS a
            ON a.entity = 'evidence' AND a.action = 'create' AND a.entity_id = e.id
         WHERE a.id > ?1 AND a.id <= ?2 AND a.at > ?3 AND a.at <= ?4 ORDER BY a.id",
        record::select_sql::<Evidence>()
    );
    let (rows, times) = match window {
        Window::Rows { after, upto } => ((after, upto), (Timestamp::MIN, Timestamp::MAX)),
        Window::Times { after, upto } => ((0, i64::MAX), (after, upto)),
    };
    let mut stmt = c.prepare_cached(&sql)?;
    let params = rusqlite::params![rows.0, rows.1, ts_to_sql(times.0), ts_to_sql(times.1)];
    let rows = stmt.query_map(params, |r| {
        Ok((
            record::read::<Evidence>(r)?,
            r.get::<_, String>("added_by")?,
        ))
    })?;
    let name = |kind: Kind, id: Option<i64>| -> rusqlite::Result<Option<String>> {
        let Some(id) = id else { return Ok(None) };
        let sql = format!("SELECT name FROM {} WHERE id = ?1", kind.table());
        c.prepare_cached(&sql)?
            .query_row([id], |r| r.get(0))
            .optional()
    };
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for r in rows {
        let (e, by) = r?;
        if seen.insert(e.id) {
            out.push(EvidenceNote {
                kind: e.kind,
                text: e.text.clone(),
                source: e.source.clone(),
                observed: e.observed,
                persona: name(Kind::Persona, e.persona_id)?,
                stage: name(Kind::Stage, e.stage_id)?,
                sentiment: e.sentiment,
                by,
            });
        }
    }
    Ok(out)
}

impl Store {
    /// The items each of these pieces of evidence supports, lowest first (those with
    /// none left out).
    pub fn supports_of_many(&self, evidence: &[i64]) -> Result<HashMap<i64, Vec<i64>>, StoreError> {
        if evidence.is_empty() {
            return Ok(HashMap::new());
        }
        // Whole numbers of our own, written into the query as they are.
        let ids: Vec<String> = evidence.iter().map(i64::to_string).collect();
        let sql = format!(
            "SELECT evidence_id, item_id FROM evidence_link WHERE evidence_id IN ({})
              ORDER BY evidence_id, item_id",
            ids.join(", ")
        );
        self.counted(|| {
            let mut stmt = self.conn.prepare(&sql)?;
            let mut rows = stmt.query([])?;
            let mut out: HashMap<i64, Vec<i64>> = HashMap::new();
            while let Some(r) = rows.next()? {
                out.entry(r.get(0)?).or_default().push(r.get(1)?);
            }
            Ok(out)
        })
    }
}
