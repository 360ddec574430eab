//! Cards for a filter whose matches are not looked up yet ([`Sieve::pending`]): the
//! column is walked in board order and each row's text tested, for at most a bounded
//! number of rows. Where many items match, as when every item does, the cards in view
//! are found in a few dozen steps, whatever the board's size; where few do, the walk
//! gives up and the wall looks the matches up (their number is then small, so that is
//! quick too).

use rusqlite::types::Value;

use super::record;
use super::wall::{STEPS_PER_LOOK_UP, condition};
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
