//! The improvement items as the wall has them: per column, how many cards pass the
//! filter and "my items", and the cards around the rows in view, read with an indexed
//! query (see `store::wall`). Nothing here grows with the board: a column of a million
//! cards costs what a column of ten does. The selection is the card's id and its row,
//! so it stays on its card when a teammate's change moves the rows under it, and on its
//! row when the card leaves the column.

use std::collections::HashMap;
use std::ops::Range;

use super::{NoteKind, Screen};
use crate::model::{Item, OpenWork, Status};
use crate::store::{CardFilter, Counting, PerColumn, Sieve, Store, StoreError, Walked};

/// The cards the wall has read of one column: rows `start ..` of it, as filtered.
#[derive(Debug, Clone, Default)]
pub struct Cards {
    pub start: usize,
    pub items: Vec<Item>,
}

impl Cards {
    /// The card at `row`, if it was read.
    pub fn get(&self, row: usize) -> Option<&Item> {
        self.items.get(row.checked_sub(self.start)?)
    }

    fn covers(&self, rows: &Range<usize>) -> bool {
        rows.start >= self.start && rows.end <= self.start + self.items.len()
    }

    fn row_of(&self, id: i64) -> Option<usize> {
        self.items
            .iter()
            .position(|i| i.id == id)
            .map(|i| self.start + i)
    }
}

/// Read from the board, the filter and "my items" when any of them change, and as the
/// scroll moves; never while drawing.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// The cards read of each column: those in view, and a screenful either side.
    pub columns: [Cards; 5],
    /// Items per column, whatever the filter: for the WIP limits.
    pub totals: PerColumn,
    /// Items per column that pass the filter and "my items": the column's rows. While
    /// a column is `counting`, only the rows found so far.
    pub shown: PerColumn,
    /// The columns whose count is still to come: the filter's matches are looked up
    /// after the frame that shows the cards (see `Screen::count_matches`).
    pub counting: [bool; 5],
    /// Looking the matches up failed (a teammate's lock): the counts wait for the next
    /// read of the board rather than be tried on every turn of the loop.
    pub counting_stalled: bool,
    /// The matches looked up so far, a piece per turn of the loop.
    pub matches_so_far: Counting,
    /// What the open items serve: per persona, per stage, per persona × stage.
    pub open: OpenWork,
    /// How much evidence the cards read have (those with none left out).
    pub evidence: HashMap<i64, usize>,
    /// The filter and "my items" the cards were read with.
    pub sieve: Sieve,
    /// Counts the re-reads, so what was read for one state of the board is read again
    /// for the next (see `Related`).
    pub generation: u64,
}

impl Screen {
    /// The filter and "my items", as the store reads them.
    pub fn card_filter(&self) -> CardFilter {
        CardFilter {
            text: self.filter.clone(),
            owner: self.mine.clone(),
        }
    }

    /// Read the counts and the cards in view again, after the board, the filter or
    /// "my items" changed; the selection stays on its card.
    pub(in crate::app) fn rebuild_view(&mut self, store: &Store) {
        let read = self.read_view(store);
        self.after_read(read);
    }

    fn after_read(&mut self, read: Result<(), StoreError>) {
        if let Err(e) = read {
            self.say(NoteKind::Error, e.to_string());
        }
    }

    /// After the filter's text changed: read the cards again, unless the filter lets the
    /// same cards through (a letter typed while it waits for its third, on a big board).
    pub(in crate::app) fn refilter(&mut self, store: &Store) {
        let read = match store.quick_sieve(&self.card_filter()) {
            Ok(sieve) if sieve.passes_same_as(&self.view.sieve) => {
                self.view.sieve = sieve;
                Ok(())
            }
            Ok(sieve) => self.read_view_with(store, Some(sieve)),
            Err(e) => Err(e),
        };
        self.after_read(read);
    }

    /// [`Self::rebuild_view`], saying whether the board could be read. A read that
    /// failed half-way (a teammate's lock) forgets the cards read, so they are read
    /// again rather than shown out of step with the counts.
    pub(in crate::app) fn read_view(&mut self, store: &Store) -> Result<(), StoreError> {
        self.read_view_with(store, None)
    }

    /// Read the view with `sieve` (made now if `None`), in one read transaction.
    fn read_view_with(&mut self, store: &Store, sieve: Option<Sieve>) -> Result<(), StoreError> {
        let began = store.begin_reading()?;
        let read = self.read_view_now(store, sieve);
        store.end_reading(began);
        if read.is_err() {
            self.view.columns = Default::default();
        }
        read
    }

    /// Whether the counts of a filter's matches are still to come (see
    /// [`Self::count_matches`]).
    pub(in crate::app) fn counts_to_come(&self) -> bool {
        self.view.sieve.pending() && !self.view.counting_stalled
    }

    /// Counts whose look-up failed (a teammate's lock) are tried again (each tick).
    pub(in crate::app) fn retry_counts(&mut self) {
        self.view.counting_stalled = false;
    }

    /// Look up the next piece of the filter's matches; with the last, read the view
    /// with them, and so the exact counts per column (the selection stays on its card).
    /// The event loop calls it once the frame with the cards is drawn, while no key
    /// waits. Returns whether the counts came (or the look-up failed, which says so).
    pub(in crate::app) fn count_matches(&mut self, store: &Store) -> bool {
        if !self.counts_to_come() {
            return false;
        }
        let read = match store.count_more(&self.view.sieve, &mut self.view.matches_so_far) {
            Ok(None) => return false,
            Ok(Some(sieve)) => self.read_view_with(store, Some(sieve)),
            Err(e) => Err(e),
        };
        if read.is_err() {
            self.view.counting_stalled = true;
        }
        self.after_read(read);
        true
    }

    fn read_view_now(&mut self, store: &Store, sieve: Option<Sieve>) -> Result<(), StoreError> {
        self.view.sieve = match sieve {
            // Only the filter changed: what the open items serve did not.
            Some(sieve) => sieve,
            None => {
                self.view.open = store.open_work()?;
                store.quick_sieve(&self.card_filter())?
            }
        };
        self.view.counting_stalled = false;
        self.view.matches_so_far = Counting::default();
        if self.view.sieve.pending() && !self.walk_view(store)? {
            // Too few matches near the top to find the cards by walking: look them up.
            self.view.sieve = store.sieve(&self.card_filter())?;
        }
        if self.view.sieve.pending() {
            return self.after_cards_read(store);
        }
        self.view.counting = [false; 5];
        let totals = self.view.sieve.totals();
        self.view.shown = if self.view.sieve.is_empty() {
            totals
        } else {
            store.column_counts(&self.view.sieve)?
        };
        self.view.totals = totals;
        self.view.generation += 1;
        // The cards in view, and no more: moving on reads the next ones. Their evidence
        // is counted for all five columns at once.
        let rows = self.column_rows();
        for c in 0..5 {
            self.card_scroll[c] = self.card_scroll[c].min(self.view.shown[c].saturating_sub(1));
            let first = self.card_scroll[c];
            self.read_column(store, c, first..first + rows + 1)?;
        }
        self.after_cards_read(store)
    }

    /// With a pending sieve: the cards in view of every column, found by a bounded walk
    /// (`store::walk`); the counts are those found so far. Returns false, having read
    /// nothing, if a walk ran out of steps.
    fn walk_view(&mut self, store: &Store) -> Result<bool, StoreError> {
        let rows = self.column_rows() + 1;
        let mut found: [Option<(Vec<Item>, bool)>; 5] = Default::default();
        for (c, slot) in found.iter_mut().enumerate() {
            let status = Status::from_index(c).unwrap_or(Status::Plan);
            let first = self.card_scroll[c];
            match store.walk_cards(status, &self.view.sieve, first, rows)? {
                Walked::Cards { items, end } => *slot = Some((items, end)),
                Walked::TooFew => return Ok(false),
            }
        }
        self.view.totals = self.view.sieve.totals();
        self.view.generation += 1;
        for (c, slot) in found.into_iter().enumerate() {
            let (items, end) = slot.unwrap_or_default();
            let start = self.card_scroll[c];
            self.view.shown[c] = start + items.len();
            self.view.counting[c] = !end;
            self.view.columns[c] = Cards { start, items };
        }
        Ok(true)
    }

    /// After the cards in view were read: their evidence, and the selection.
    fn after_cards_read(&mut self, store: &Store) -> Result<(), StoreError> {
        self.view.evidence.clear();
        let ids: Vec<i64> = self
            .view
            .columns
            .iter()
            .flat_map(|col| col.items.iter().map(|i| i.id))
            .collect();
        self.count_evidence(store, &ids)?;
        self.fix_selected_card(store)
    }

    /// At most how many cards a column shows: a full card takes two lines at least (its
    /// title and its facts), a compact one takes one.
    fn column_rows(&self) -> usize {
        let rect = self.card_columns(self.areas_now().improvements)[self.sel.column];
        let lines = usize::from(rect.height.saturating_sub(1));
        let per_card = if self.compact { 1 } else { 2 };
        // Before the first resize the screen is unknown: assume a tall one.
        (lines / per_card).max(if self.size.1 == 0 { 60 } else { 1 })
    }

    /// Read column `c`'s cards at `rows`, and how much evidence they have.
    fn read_cards(
        &mut self,
        store: &Store,
        c: usize,
        rows: Range<usize>,
    ) -> Result<(), StoreError> {
        // The cards this column had read go, with their counts.
        for item in &self.view.columns[c].items {
            self.view.evidence.remove(&item.id);
        }
        self.read_column(store, c, rows)?;
        let ids: Vec<i64> = self.view.columns[c].items.iter().map(|i| i.id).collect();
        self.count_evidence(store, &ids)
    }

    /// How much evidence these cards have (nothing to count on a board without any).
    fn count_evidence(&mut self, store: &Store, ids: &[i64]) -> Result<(), StoreError> {
        if !self.wall.heard.is_empty() {
            self.view.evidence.extend(store.evidence_counts(ids)?);
        }
        Ok(())
    }

    /// Read column `c`'s cards at `rows`.
    fn read_column(
        &mut self,
        store: &Store,
        c: usize,
        rows: Range<usize>,
    ) -> Result<(), StoreError> {
        let status = Status::from_index(c).unwrap_or(Status::Plan);
        if self.view.sieve.pending() {
            // Rows past those found wait for the counts.
            let items = match store.walk_cards(status, &self.view.sieve, rows.start, rows.len())? {
                Walked::Cards { items, .. } => items,
                Walked::TooFew => Vec::new(),
            };
            self.view.columns[c] = Cards {
                start: rows.start,
                items,
            };
            return Ok(());
        }
        let items = store.cards(
            status,
            &self.view.sieve,
            rows.start,
            rows.len(),
            self.view.shown[c],
        )?;
        self.view.columns[c] = Cards {
            start: rows.start,
            items,
        };
        Ok(())
    }

    /// Make sure the cards of column `c` at `rows` have been read (rows past the
    /// column's end do not count). Returns whether it read.
    fn have_cards(
        &mut self,
        store: &Store,
        c: usize,
        rows: Range<usize>,
    ) -> Result<bool, StoreError> {
        let rows = rows.start.min(self.view.shown[c])..rows.end.min(self.view.shown[c]);
        if self.view.columns[c].covers(&rows) {
            return Ok(false);
        }
        // Half a screenful either side too, so the next few moves need no read.
        let margin = self.column_rows() / 2 + 1;
        self.read_cards(
            store,
            c,
            rows.start.saturating_sub(margin)..rows.end + margin,
        )?;
        Ok(true)
    }

    /// The card at `row` of column `c`, read if it was not yet (a neighbour just above
    /// the cards read).
    pub(in crate::app) fn card(&mut self, store: &Store, c: usize, row: usize) -> Option<Item> {
        match self.have_cards(store, c, row..row + 1) {
            Ok(_) => self.view.columns[c].get(row).cloned(),
            Err(e) => {
                self.say(NoteKind::Error, e.to_string());
                None
            }
        }
    }

    /// After the scroll moved: every column has read the cards in view. Returns whether
    /// any column read.
    fn read_cards_in_view(&mut self, store: &Store) -> bool {
        let rows = self.column_rows();
        let mut read = false;
        for c in 0..5 {
            let first = self.card_scroll[c];
            match self.have_cards(store, c, first..first + rows) {
                Ok(r) => read |= r,
                Err(e) => self.say(NoteKind::Error, e.to_string()),
            }
        }
        read
    }

    /// After an action or a tick: the scroll keeps the selected card (`moving`) or the
    /// cards in view, those are read, and so is what an open detail shows (`related`:
    /// the detail view or the stand-up is up).
    pub(in crate::app) fn settle(&mut self, store: &Store, moving: bool, related: bool) {
        if moving {
            self.keep_selected_card_in_view();
        } else {
            self.keep_cards_in_view();
        }
        // Cards that scrolled into view are read; their real heights may scroll once more.
        if self.read_cards_in_view(store) {
            self.keep_cards_in_view();
            self.read_cards_in_view(store);
        }
        if related || self.areas_now().detail.area() > 0 {
            self.read_related(store);
        }
    }

    /// The selected card, if the column has one.
    pub fn selected_item(&self) -> Option<&Item> {
        self.view.columns[self.sel.column]
            .get(self.sel.row)
            .filter(|i| Some(i.id) == self.sel.item)
    }

    /// Row of the selected card in its column.
    pub fn selected_row(&self) -> Option<usize> {
        self.selected_item().map(|_| self.sel.row)
    }

    /// Select the card at `row` of column `c` (the nearest one, past the end).
    pub(super) fn select_row(&mut self, store: &Store, c: usize, row: usize) {
        self.sel.column = c;
        self.sel.row = row.min(self.view.shown[c].saturating_sub(1));
        if let Err(e) = self.have_cards(store, c, self.sel.row..self.sel.row + 1) {
            self.say(NoteKind::Error, e.to_string());
        }
        self.sel.item = self.view.columns[c].get(self.sel.row).map(|i| i.id);
    }

    /// Select the item `id` in its column: where it is now, as read from the board.
    /// If the filter hides it, the selection stays on its row of that column.
    pub(in crate::app) fn select_item(&mut self, store: &Store, id: i64) {
        let found = store.load::<Item>(id).and_then(|item| match item {
            Some(item) => Ok(Some((
                item.status.index(),
                store.row_of(&item, &self.view.sieve)?,
            ))),
            None => Ok(None),
        });
        match found {
            Ok(Some((c, row))) => {
                self.sel.column = c;
                self.sel.item = Some(id);
                self.select_row(store, c, row.unwrap_or(self.sel.row));
            }
            Ok(None) => {}
            Err(e) => self.say(NoteKind::Error, e.to_string()),
        }
    }

    /// After a re-read: the selection follows its card within the column (a teammate
    /// reordered it); a card that left the column (moved, deleted, filtered out) leaves
    /// the selection on its row.
    fn fix_selected_card(&mut self, store: &Store) -> Result<(), StoreError> {
        self.fix_selection();
        let c = self.sel.column;
        let row = match self.sel.item {
            Some(id) => match self.view.columns[c].row_of(id) {
                Some(row) => Some(row),
                None => match store.load::<Item>(id)? {
                    Some(item) if item.status.index() == c => {
                        store.row_of(&item, &self.view.sieve)?
                    }
                    _ => None,
                },
            },
            None => None,
        };
        self.select_row(store, c, row.unwrap_or(self.sel.row));
        Ok(())
    }
}
