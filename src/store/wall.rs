//! What the wall reads of the improvement items: counts, and the cards in view, never
//! the whole board. Counts come from `item_tally` and the `item_text` trigram index
//! (schema 5, kept up to date by triggers); a window of cards is an indexed
//! `ORDER BY … LIMIT`. A filter's text is looked up in the index once per keystroke
//! ([`Matches`]); counts and windows then test rows against that set.

use std::sync::{Arc, Mutex, PoisonError};

use rusqlite::Connection;
use rusqlite::types::Value;

use super::record;
use super::{Store, StoreError};
use crate::model::{Item, OpenWork, Status, rules};

/// Which cards the wall shows: those whose text, persona or stage name contains `text`
/// (ignoring case), and only `owner`'s when set ("my items": `rules::is_mine`, as on
/// the command line).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CardFilter {
    pub text: String,
    pub owner: Option<String>,
}

/// A filter with what it needs looked up once: the personas and stages whose name
/// contains its text (their items pass too), the spellings of the owner's name. Made by
/// [`Store::sieve`]; good until a persona or stage is renamed, and (for its matches and
/// spellings) until an item changes: the wall makes a new one whenever it reads the
/// board again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sieve {
    pub filter: CardFilter,
    /// The text is shorter than three characters and the board too big to look for it
    /// item by item on every key: it filters nothing until a third character comes.
    pub waiting: bool,
    personas: Vec<i64>,
    stages: Vec<i64>,
    /// With an owner: how the items' owners spell that name (`rules::is_mine`).
    owners: Option<Vec<String>>,
    /// The items whose text contains a text of three characters or more.
    matches: Option<Arc<Matches>>,
    /// Items per column when it was made: the wall's totals, and what decides how
    /// cards are found (see `look_up_is_cheaper`).
    totals: PerColumn,
    /// Made by [`Store::quick_sieve`] on a big board: the text's matches (and so the
    /// counts) are not looked up yet, and cards are found by testing the rows in board
    /// order, a bounded walk (`store::walk`). [`Store::sieve`] makes the whole one.
    pending: bool,
}

/// The items whose own text contains the filter's, from one read of the trigram
/// index: their `item_text` rowids (id * 8 + column) in order, and how many per column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Matches {
    pub(super) rowids: Vec<i64>,
    pub(super) per_column: PerColumn,
}

impl Matches {
    pub(super) fn contains(&self, id: i64) -> bool {
        // Rowids ascend with the ids (one per item), so the ids are sorted too.
        self.rowids.binary_search_by_key(&id, |r| r >> 3).is_ok()
    }

    /// The ids of the matches in column `c`.
    fn in_column(&self, c: usize) -> impl Iterator<Item = i64> + '_ {
        self.rowids
            .iter()
            .filter(move |&&r| column_of_rowid(r) == Some(c))
            .map(|r| r >> 3)
    }
}

/// The matches `obeya_matched(id)` answers from: those of the sieve in use, put here
/// before each query that calls it.
pub(super) type MatchSlot = Arc<Mutex<Option<Arc<Matches>>>>;

/// Up to this many matches in a column are named in the query (`id IN (…)`) when few
/// match a long column; more are found by walking the column.
const LISTED_MATCHES: usize = 5_000;

/// Cards that pass a filter are found either by looking up each match (a whole row,
/// from anywhere in the table) or by walking their column's index in board order, which
/// reads the next index entry and the row only if it matches (SQLite defers the seek).
/// Measured on the probe's boards, a look-up costs what 10 (its page cached) to 100
/// (not cached) steps of a walk do.
pub(super) const STEPS_PER_LOOK_UP: usize = 32;

/// Whether looking up `matches` rows costs less than walking `steps` index entries.
fn look_up_is_cheaper(matches: usize, steps: usize) -> bool {
    matches.saturating_mul(STEPS_PER_LOOK_UP) < steps
}

impl Sieve {
    /// The text cards are filtered by (none while it waits for more).
    fn text(&self) -> &str {
        if self.waiting { "" } else { &self.filter.text }
    }

    /// How many letters the text needs before a waiting filter filters.
    pub fn letters_needed(&self) -> usize {
        TRIGRAM
    }

    /// Whether this sieve lets the same cards through as `other` (so a letter typed
    /// while the filter waits for its third changes no card).
    pub fn passes_same_as(&self, other: &Sieve) -> bool {
        self.text() == other.text()
            && self.owners == other.owners
            && self.personas == other.personas
            && self.stages == other.stages
    }

    /// Items per column, whatever the filter, when the sieve was made.
    pub fn totals(&self) -> PerColumn {
        self.totals
    }

    /// Whether the matches, and so the counts per column, are still to be looked up
    /// (see [`Store::quick_sieve`]).
    pub fn pending(&self) -> bool {
        self.pending
    }

    /// Whether every card passes.
    pub fn is_empty(&self) -> bool {
        self.text().is_empty() && self.filter.owner.is_none()
    }
}

/// Up to this many items, text shorter than three characters is looked for item by item
/// (a few milliseconds); on a bigger board it waits for a third character, which the
/// trigram index finds at once.
pub const SHORT_TEXT_ITEMS: usize = 5_000;

/// Cards per column, in board order.
pub type PerColumn = [usize; 5];

/// A filter as SQL: a condition on `item` and its parameters.
#[derive(Clone)]
pub(super) struct Condition {
    pub(super) sql: String,
    pub(super) params: Vec<Value>,
    /// The SQL names matches by id: a statement not worth keeping in the cache.
    names_ids: bool,
}

impl Condition {
    fn new() -> Self {
        Condition {
            sql: "1".to_owned(),
            params: Vec::new(),
            names_ids: false,
        }
    }

    /// Prepare `sql` (built from this condition), cached unless it names ids.
    pub(super) fn run<T>(
        &self,
        conn: &Connection,
        sql: &str,
        read: impl FnOnce(&mut rusqlite::Statement) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        if self.names_ids {
            read(&mut conn.prepare(sql)?)
        } else {
            read(&mut *conn.prepare_cached(sql)?)
        }
    }

    fn and(&mut self, sql: &str, params: impl IntoIterator<Item = Value>) {
        self.sql.push_str(" AND ");
        self.sql.push_str(sql);
        self.params.extend(params);
    }

    /// `?N` for the next parameter.
    pub(super) fn next(&self, k: usize) -> String {
        format!("?{}", self.params.len() + k)
    }
}

/// The trigram index finds substrings of three or more characters; shorter ones are
/// looked for item by item.
const TRIGRAM: usize = 3;

/// `"text"` as an FTS5 phrase: the trigram tokenizer matches it as a substring.
pub(super) fn phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

/// `item_text`'s rowid is the item's id * 8 + its column's `board_column.id` (1 ..= 5).
pub(super) fn column_of_rowid(rowid: i64) -> Option<usize> {
    usize::try_from(rowid & 7).ok()?.checked_sub(1)
}

impl Store {
    /// Items per column, whatever the filter.
    pub fn column_totals(&self) -> Result<PerColumn, StoreError> {
        self.per_column(
            "SELECT status, sum(n) FROM item_tally GROUP BY status",
            Vec::new(),
        )
    }

    /// The filter, ready to read cards with: its counts, names and matches from one
    /// read transaction.
    pub fn sieve(&self, filter: &CardFilter) -> Result<Sieve, StoreError> {
        self.reading(|| self.sieve_now(filter, false, None))
    }

    /// [`Store::sieve`] with the text's matches looked up already (`store::walk`).
    pub(super) fn sieve_with(
        &self,
        filter: &CardFilter,
        matches: Matches,
    ) -> Result<Sieve, StoreError> {
        self.reading(|| self.sieve_now(filter, false, Some(matches)))
    }

    /// The filter, ready to read the cards in view with at once: on a board of more
    /// than [`SHORT_TEXT_ITEMS`] items its text's matches are not looked up (that costs
    /// what their number does, 100,000 on a big board where every item matches), so it
    /// has no counts yet ([`Sieve::pending`]); [`Store::sieve`] makes the whole one.
    pub fn quick_sieve(&self, filter: &CardFilter) -> Result<Sieve, StoreError> {
        self.reading(|| self.sieve_now(filter, true, None))
    }

    fn sieve_now(
        &self,
        filter: &CardFilter,
        quick: bool,
        given: Option<Matches>,
    ) -> Result<Sieve, StoreError> {
        let totals = self.column_totals()?;
        let big = totals.iter().sum::<usize>() > SHORT_TEXT_ITEMS;
        let short = !filter.text.is_empty() && filter.text.chars().count() < TRIGRAM;
        let waiting = short && big;
        let pending = quick && big && !waiting && filter.text.chars().count() >= TRIGRAM;
        let (personas, stages) = if waiting {
            Default::default()
        } else {
            self.names_containing(&filter.text)?
        };
        let matches = if !waiting && !pending && filter.text.chars().count() >= TRIGRAM {
            Some(Arc::new(match given {
                Some(m) => m,
                None => self.matches_of(&filter.text)?,
            }))
        } else {
            None
        };
        let owners = match &filter.owner {
            Some(user) => Some(self.spellings_of(user)?),
            None => None,
        };
        Ok(Sieve {
            filter: filter.clone(),
            waiting,
            personas,
            stages,
            owners,
            matches,
            totals,
            pending,
        })
    }

    /// How the items' owners spell `user`'s name (`rules::is_mine`), from the tally: the
    /// condition names them, so the index on owners still finds the cards.
    fn spellings_of(&self, user: &str) -> Result<Vec<String>, StoreError> {
        self.counted(|| {
            let mut stmt = self
                .conn
                .prepare_cached("SELECT DISTINCT owner FROM item_tally")?;
            let owners = stmt.query_map([], |r| r.get::<_, String>(0))?;
            owners
                .filter(|o| o.as_ref().is_ok_and(|o| rules::is_mine(o, user)))
                .collect()
        })
    }

    /// The items whose text contains `text` (three characters or more), from the index.
    fn matches_of(&self, text: &str) -> Result<Matches, StoreError> {
        self.counted(|| {
            let mut stmt = self.conn.prepare_cached(
                "SELECT rowid FROM item_text WHERE item_text MATCH ?1 ORDER BY rowid",
            )?;
            let mut rows = stmt.query([phrase(&text.to_lowercase())])?;
            let mut m = Matches::default();
            while let Some(r) = rows.next()? {
                let rowid: i64 = r.get(0)?;
                if let Some(c) = column_of_rowid(rowid).filter(|&c| c < 5) {
                    m.per_column[c] += 1;
                    m.rowids.push(rowid);
                }
            }
            Ok(m)
        })
    }

    /// Let `obeya_matched` answer from this sieve's matches.
    fn use_matches(&self, sieve: &Sieve) {
        *self.matches.lock().unwrap_or_else(PoisonError::into_inner) = sieve.matches.clone();
    }

    /// Items per column that pass the filter.
    pub fn column_counts(&self, sieve: &Sieve) -> Result<PerColumn, StoreError> {
        let text = sieve.text();
        if text.is_empty() {
            return match &sieve.owners {
                None => Ok(sieve.totals),
                Some(owners) => {
                    let mut cond = Condition::new();
                    owned_by(&mut cond, owners);
                    self.per_column(
                        &format!(
                            "SELECT status, sum(n) FROM item_tally WHERE {} GROUP BY status",
                            cond.sql
                        ),
                        cond.params,
                    )
                }
            };
        }
        if let Some(m) = &sieve.matches
            && sieve.owners.is_none()
            && sieve.personas.is_empty()
            && sieve.stages.is_empty()
        {
            return Ok(m.per_column);
        }
        self.use_matches(sieve);
        let cond = condition(sieve, None, false);
        self.per_column(
            &format!(
                "SELECT status, count(*) FROM item WHERE {} GROUP BY status",
                cond.sql
            ),
            cond.params,
        )
    }

    /// Open (not done) items by the persona and stage they serve.
    pub fn open_work(&self) -> Result<OpenWork, StoreError> {
        self.counted(|| {
            let mut stmt = self.conn.prepare_cached(
                "SELECT persona_id, stage_id, sum(n) FROM item_tally
                  WHERE status <> 'done' GROUP BY persona_id, stage_id",
            )?;
            let mut work = OpenWork::default();
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let id = |i| -> rusqlite::Result<Option<i64>> {
                    Ok(Some(r.get::<_, i64>(i)?).filter(|&id| id != 0))
                };
                work.add(id(0)?, id(1)?, tally_count(r.get(2)?));
            }
            Ok(work)
        })
    }

    /// Up to `len` cards of column `status` that pass the filter, from row `start` in
    /// board order; `shown` is how many pass (from `column_counts`). Far down a long
    /// column the rows are counted from its end, so `G` costs what `g` does.
    pub fn cards(
        &self,
        status: Status,
        sieve: &Sieve,
        start: usize,
        len: usize,
        shown: usize,
    ) -> Result<Vec<Item>, StoreError> {
        let len = len.min(shown.saturating_sub(start));
        if len == 0 {
            return Ok(Vec::new());
        }
        // Walking the column until `start + len` cards matched takes about
        // `(start + len) * total / shown` steps.
        let look_up = sieve.matches.is_some() && {
            let total = sieve.totals[status.index()];
            look_up_is_cheaper(shown, (start + len).saturating_mul(total) / shown.max(1))
        };
        self.use_matches(sieve);
        let cond = condition(sieve, Some(status), look_up);
        let from_end = shown - start - len;
        let (order, skip) = if from_end < start {
            ("position DESC, id DESC", from_end)
        } else {
            ("position, id", start)
        };
        let (limit, offset) = (cond.next(1), cond.next(2));
        let mut cond = cond;
        cond.params
            .extend([Value::Integer(len as i64), Value::Integer(skip as i64)]);
        let sql = format!(
            "{} WHERE {} ORDER BY {order} LIMIT {limit} OFFSET {offset}",
            record::select_sql::<Item>(),
            cond.sql,
        );
        let mut items: Vec<Item> = self.counted(|| {
            cond.run(&self.conn, &sql, |stmt| {
                stmt.query_map(
                    rusqlite::params_from_iter(cond.params.iter()),
                    record::read::<Item>,
                )?
                .collect()
            })
        })?;
        if from_end < start {
            items.reverse();
        }
        Ok(items)
    }

    /// The row of `item` in its column among the cards that pass the filter, or `None`
    /// if it does not pass (or is gone). Without a text filter the row is counted from
    /// the nearer end of the column, its length from the tally: a card just added or
    /// moved is last in its column, and jumping to it costs what jumping to the first
    /// does.
    pub fn row_of(&self, item: &Item, sieve: &Sieve) -> Result<Option<usize>, StoreError> {
        // Walking the column up to the card takes at most its length in steps.
        let c = item.status.index();
        let look_up = sieve
            .matches
            .as_ref()
            .is_some_and(|m| look_up_is_cheaper(m.per_column[c], sieve.totals[c]));
        self.use_matches(sieve);
        let cond = condition(sieve, Some(item.status), look_up);
        self.reading(|| {
            let mut this = cond.clone();
            this.and(&format!("id = {}", this.next(1)), [Value::Integer(item.id)]);
            if self.count(&this, None)? == 0 {
                return Ok(None);
            }
            let (before, after) = (beside(&cond, item, '<'), beside(&cond, item, '>'));
            if sieve.pending() {
                // Rows are tested one by one: count only so far (see `store::walk`).
                let budget = super::walk::ROW_OF_STEPS;
                let n = self.count(&before, Some(budget))?;
                return Ok((n < budget).then_some(n));
            }
            if !sieve.text().is_empty() {
                return self.count(&before, None).map(Some);
            }
            // Both sides counted with a growing bound, until the nearer end is reached:
            // the cost is that of the shorter side.
            let length = self.column_length(item.status, sieve.owners.as_deref())?;
            let mut bound = 64;
            loop {
                let n = self.count(&before, Some(bound))?;
                if n < bound {
                    return Ok(Some(n));
                }
                let n = self.count(&after, Some(bound))?;
                if n < bound {
                    return Ok(Some(length.saturating_sub(n + 1)));
                }
                bound *= 4;
            }
        })
    }

    /// How many items column `status` holds (only those of `owners`, if given), from
    /// the tally.
    fn column_length(
        &self,
        status: Status,
        owners: Option<&[String]>,
    ) -> Result<usize, StoreError> {
        let mut cond = Condition::new();
        cond.and("status = ?1", [text(status.as_str())]);
        if let Some(owners) = owners {
            owned_by(&mut cond, owners);
        }
        let sql = format!(
            "SELECT coalesce(sum(n), 0) FROM item_tally WHERE {}",
            cond.sql
        );
        self.number(&cond, &sql).map(tally_count)
    }

    /// How many items pass `cond`; with `up_to`, counting stops there.
    fn count(&self, cond: &Condition, up_to: Option<usize>) -> Result<usize, StoreError> {
        let mut cond = cond.clone();
        let sql = match up_to {
            None => format!("SELECT count(*) FROM item WHERE {}", cond.sql),
            Some(n) => {
                let limit = cond.next(1);
                cond.params.push(Value::Integer(n as i64));
                format!(
                    "SELECT count(*) FROM (SELECT 1 FROM item WHERE {} LIMIT {limit})",
                    cond.sql
                )
            }
        };
        self.number(&cond, &sql).map(|n| n as usize)
    }

    /// The one number `sql` (built from `cond`) selects.
    fn number(&self, cond: &Condition, sql: &str) -> Result<i64, StoreError> {
        self.counted(|| {
            cond.run(&self.conn, sql, |stmt| {
                stmt.query_row(rusqlite::params_from_iter(cond.params.iter()), |r| r.get(0))
            })
        })
    }

    /// Up to `limit` items serving `persona` or at `stage` (whichever is given; not
    /// done ones if `open_only`), in board order, and how many there are in all.
    pub fn items_serving(
        &self,
        persona: Option<i64>,
        stage: Option<i64>,
        open_only: bool,
        limit: usize,
    ) -> Result<(Vec<Item>, usize), StoreError> {
        // The same condition holds on the items and on the tally.
        let mut cond = Condition::new();
        for (column, id) in [("persona_id", persona), ("stage_id", stage)] {
            if let Some(id) = id {
                cond.and(
                    &format!("{column} = {}", cond.next(1)),
                    [Value::Integer(id)],
                );
            }
        }
        let statuses = Status::ALL
            .iter()
            .copied()
            .filter(|s| !open_only || *s != Status::Done);
        // Column by column, each an indexed range (item_by_persona, item_by_stage).
        let mut items = Vec::new();
        let mut total = 0;
        for status in statuses {
            let mut this = cond.clone();
            this.and(
                &format!("status = {}", this.next(1)),
                [text(status.as_str())],
            );
            let sql = format!(
                "SELECT coalesce(sum(n), 0) FROM item_tally WHERE {}",
                this.sql
            );
            total += self.number(&this, &sql).map(tally_count)?;
            let wanted = limit.saturating_sub(items.len());
            if wanted > 0 {
                let limit = this.next(1);
                this.params.push(Value::Integer(wanted as i64));
                let sql = format!(
                    "{} WHERE {} ORDER BY position, id LIMIT {limit}",
                    record::select_sql::<Item>(),
                    this.sql,
                );
                let more: Vec<Item> = self.counted(|| {
                    let mut stmt = self.conn.prepare_cached(&sql)?;
                    let rows = stmt.query_map(
                        rusqlite::params_from_iter(this.params.iter()),
                        record::read::<Item>,
                    )?;
                    rows.collect()
                })?;
                items.extend(more);
            }
        }
        Ok((items, total))
    }

    /// The personas and stages whose name contains `text`, ignoring case: their items
    /// pass a filter on `text` too.
    fn names_containing(&self, text: &str) -> Result<(Vec<i64>, Vec<i64>), StoreError> {
        if text.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let ids = |table: &str| -> rusqlite::Result<Vec<i64>> {
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT id FROM {table} WHERE obeya_contains(?1, name)"
            ))?;
            stmt.query_map([text.to_lowercase()], |r| r.get(0))?
                .collect()
        };
        self.counted(|| Ok((ids("persona")?, ids("stage")?)))
    }

    fn per_column(&self, sql: &str, params: Vec<Value>) -> Result<PerColumn, StoreError> {
        self.counted(|| {
            let mut stmt = self.conn.prepare_cached(sql)?;
            let mut rows = stmt.query(rusqlite::params_from_iter(params.iter()))?;
            let mut counts = [0; 5];
            while let Some(r) = rows.next()? {
                let status: String = r.get(0)?;
                if let Ok(s) = status.parse::<Status>() {
                    counts[s.index()] += tally_count(r.get(1)?);
                }
            }
            Ok(counts)
        })
    }
}

/// The SQL condition for the filter (and a column).
/// `look_up`: the column's cards are found through the matches rather than walked in
/// order (`+status` keeps SQLite off the column's index).
pub(super) fn condition(sieve: &Sieve, status: Option<Status>, look_up: bool) -> Condition {
    // Few enough matches in the column to name them all.
    let listed: Option<Vec<i64>> = match (&sieve.matches, status) {
        (Some(m), Some(s)) if look_up && m.per_column[s.index()] <= LISTED_MATCHES => {
            Some(m.in_column(s.index()).collect())
        }
        _ => None,
    };
    let mut c = Condition::new();
    if let Some(s) = status {
        let plus = if look_up && (listed.is_some() || sieve.matches.is_none()) {
            "+"
        } else {
            ""
        };
        c.and(&format!("{plus}status = {}", c.next(1)), [text(s.as_str())]);
    }
    if let Some(owners) = &sieve.owners {
        owned_by(&mut c, owners);
    }
    if sieve.text().is_empty() {
        return c;
    }
    let mut any = Vec::new();
    let mut params = Vec::new();
    let mark = |params: &Vec<Value>| format!("?{}", c.params.len() + params.len() + 1);
    match (&sieve.matches, listed) {
        (_, Some(ids)) => {
            // Whole numbers of our own, written into the query as they are.
            let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
            any.push(format!("id IN ({})", ids.join(", ")));
            c.names_ids = true;
        }
        (Some(_), None) => any.push("obeya_matched(id)".to_owned()),
        (None, None) => {
            let m = mark(&params);
            any.push(format!(
                "obeya_contains({m}, title, owner, detail, impact, blocked_reason)"
            ));
            params.push(Value::Text(sieve.text().to_lowercase()));
        }
    }
    for (column, ids) in [("persona_id", &sieve.personas), ("stage_id", &sieve.stages)] {
        if ids.is_empty() {
            continue;
        }
        let marks: Vec<String> = ids
            .iter()
            .map(|&id| {
                let m = mark(&params);
                params.push(Value::Integer(id));
                m
            })
            .collect();
        any.push(format!("{column} IN ({})", marks.join(", ")));
    }
    c.and(&format!("({})", any.join(" OR ")), params);
    c
}

/// Only the items of `owners` (spellings of one name, see `Store::spellings_of`; none
/// when empty). NOCASE, as the index on owners is: a spelling equal to one of them
/// ignoring ASCII case is the same name too.
fn owned_by(c: &mut Condition, owners: &[String]) {
    if owners.is_empty() {
        c.and("0", []);
        return;
    }
    let marks: Vec<String> = (1..=owners.len()).map(|k| c.next(k)).collect();
    c.and(
        &format!("owner COLLATE NOCASE IN ({})", marks.join(", ")),
        owners.iter().map(|o| text(o)),
    );
}

/// `cond`, and the cards before (`'<'`) or after (`'>'`) `item` in board order;
/// `position` bounds the walk by the column's index.
fn beside(cond: &Condition, item: &Item, side: char) -> Condition {
    let mut c = cond.clone();
    let (p, i) = (c.next(1), c.next(2));
    c.and(
        &format!("position {side}= {p} AND (position {side} {p} OR id {side} {i})"),
        [Value::Integer(item.position), Value::Integer(item.id)],
    );
    c
}

/// A count from `item_tally`: never below zero, whatever a shell wrote there.
fn tally_count(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

fn text(s: &str) -> Value {
    Value::Text(s.to_owned())
}
