//! Cards for a filter whose matches are not looked up yet ([`Sieve::pending`]): the
//! column is walked in board order and each row's text tested, for at most a bounded
//! number of rows. Where many items match, as when every item does, the cards in view
//! are found in a few dozen steps, whatever the board's size; where few do, the walk
//! gives up and the wall looks the matches up (their number is then small, so that is
//! quick too).
//!
//! The counts of a pending sieve's matches are then looked up a piece at a time
//! ([`Store::count_more`]), so the event loop can take a key between two pieces.

use rusqlite::types::Value;

use super::record;
use super::wall::{Matches, STEPS_PER_LOOK_UP, column_of_rowid, condition, phrase};
use super::{Sieve, Store, StoreError};
use crate::model::{Item, Status};

/// `row_of` on a pending sieve counts the cards before an item up to this many.
pub(super) const ROW_OF_STEPS: usize = 1_024;

/// The rows a walk for `cards` cards may test: beyond it, looking the matches up costs
/// less (see `wall::look_up_is_cheaper`), and it never tests more than `MAX_STEPS`.
fn budget(cards: usize) -> usize {
    cards
        .saturating_mul(STEPS_PER_LOOK_UP)
        .clamp(256, MAX_STEPS)
}

/// At most this many rows are tested in a column: about a millisecond.
const MAX_STEPS: usize = 2_048;

/// What a bounded walk found.
#[derive(Debug, PartialEq)]
pub enum Walked {
    /// The cards at the rows asked for; `end`: the column has no more that pass.
    Cards { items: Vec<Item>, end: bool },
    /// The walk used its budget before it found them.
    TooFew,
}

impl Store {
    /// Up to `len` cards of column `status` that pass the pending `sieve`, from row
    /// `start` in board order, found by testing at most a bounded number of rows.
    pub fn walk_cards(
        &self,
        status: Status,
        sieve: &Sieve,
        start: usize,
        len: usize,
    ) -> Result<Walked, StoreError> {
        if len == 0 {
            return Ok(Walked::Cards {
                items: Vec::new(),
                end: false,
            });
        }
        let wanted = start.saturating_add(len);
        let steps = budget(wanted);
        let mut cond = condition(sieve, None, false);
        let (st, lim, n, off) = (cond.next(1), cond.next(2), cond.next(3), cond.next(4));
        // The first `steps` rows of the column, in board order (its index), then the test.
        let from = format!(
            "(SELECT * FROM item WHERE status = {st} ORDER BY position, id LIMIT {lim}) AS item"
        );
        let sql = format!(
            "{} WHERE {} ORDER BY position, id LIMIT {n} OFFSET {off}",
            record::select_sql_from::<Item>(&from),
            cond.sql,
        );
        cond.params.extend([
            Value::Text(status.as_str().to_owned()),
            Value::Integer(steps as i64),
            Value::Integer(len as i64),
            Value::Integer(start as i64),
        ]);
        let items: Vec<Item> = self.counted(|| {
            cond.run(&self.conn, &sql, |stmt| {
                stmt.query_map(
                    rusqlite::params_from_iter(cond.params.iter()),
                    record::read::<Item>,
                )?
                .collect()
            })
        })?;
        if items.len() == len {
            return Ok(Walked::Cards { items, end: false });
        }
        // Fewer than asked: the column ended within the walk, or the budget ran out. A
        // walk that found nothing from a later row does not know where the column ends.
        if sieve.totals()[status.index()] <= steps && (start == 0 || !items.is_empty()) {
            Ok(Walked::Cards { items, end: true })
        } else {
            Ok(Walked::TooFew)
        }
    }
}

/// Matches looked up in one piece: about 3 ms for a phrase of several trigrams.
const MATCHES_PER_PIECE: usize = 4_096;

/// A pending sieve's matches as far as they have been looked up.
#[derive(Debug, Clone, Default)]
pub struct Counting {
    text: String,
    matches: Matches,
    /// The last `item_text` rowid looked at.
    after: i64,
}

impl Store {
    /// Look up the next piece of the pending `sieve`'s matches into `counting` (begun
    /// anew when it was for another text). Once all are in: the whole sieve, as
    /// [`Store::sieve`] makes it. A change to the board between two pieces is caught
    /// by the wall's next read of it, which starts the count again.
    pub fn count_more(
        &self,
        sieve: &Sieve,
        counting: &mut Counting,
    ) -> Result<Option<Sieve>, StoreError> {
        let text = sieve.filter.text.to_lowercase();
        if counting.text != text {
            *counting = Counting {
                text,
                ..Counting::default()
            };
        }
        let found = self.counted(|| {
            let mut stmt = self.conn.prepare_cached(
                "SELECT rowid FROM item_text WHERE item_text MATCH ?1 AND rowid > ?2
                  ORDER BY rowid LIMIT ?3",
            )?;
            let mut rows = stmt.query(rusqlite::params![
                phrase(&counting.text),
                counting.after,
                MATCHES_PER_PIECE as i64
            ])?;
            let mut found = 0;
            while let Some(r) = rows.next()? {
                let rowid: i64 = r.get(0)?;
                found += 1;
                counting.after = rowid;
                if let Some(c) = column_of_rowid(rowid).filter(|&c| c < 5) {
                    counting.matches.per_column[c] += 1;
                    counting.matches.rowids.push(rowid);
                }
            }
            Ok(found)
        })?;
        if found == MATCHES_PER_PIECE {
            return Ok(None);
        }
        let matches = std::mem::take(counting).matches;
        self.sieve_with(&sieve.filter, matches).map(Some)
    }
}
