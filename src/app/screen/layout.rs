//! Where everything goes on the screen: pure functions of plain data (the terminal's
//! size, what is zoomed, how long the texts and lists are), used by drawing and by
//! mouse clicks alike, so a click hits what was drawn.

use ratatui::layout::{Constraint, Layout, Rect};

use super::cards::card_height;
use super::{Pane, Screen};
use crate::format::wrap;

/// Below this the wall is replaced by a one-line message.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// From this size on, the roomy layout; below it the compact one.
pub const ROOMY_WIDTH: u16 = 100;
pub const ROOMY_HEIGHT: u16 = 30;
/// Narrowest journey stage column.
const STAGE_MIN_WIDTH: u16 = 12;
/// Columns left of the journey's stages for lane names and the feeling scale.
pub const JOURNEY_GUTTER: u16 = 7;
/// Lines of mission text the wall shows before "z shows all".
const MISSION_LINES: [usize; 2] = [2, 4];

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    pub mission: Rect,
    pub personas: Rect,
    pub journey: Rect,
    pub improvements: Rect,
    /// The zoomed selection's fields (the improvements' zoom).
    pub detail: Rect,
    /// One line of the parked topics still open (empty when there are none).
    pub parked: Rect,
    /// Read-only, network drive or conflict-copy notice (may be empty).
    pub banner: Rect,
    pub status: Rect,
}

pub fn too_small(area: Rect) -> bool {
    area.width < MIN_WIDTH || area.height < MIN_HEIGHT
}

pub fn compact(area: Rect) -> bool {
    area.width < ROOMY_WIDTH || area.height < ROOMY_HEIGHT
}

/// Lines of mission text the wall shows at this size.
pub fn mission_lines_max(area: Rect) -> usize {
    MISSION_LINES[usize::from(!compact(area))]
}

/// The mission's lines at `width`: the statement, then "Customer: …".
pub fn mission_text(statement: &str, customer: &str, width: usize) -> Vec<String> {
    let mut lines = wrap(statement, width, usize::MAX);
    if !customer.trim().is_empty() {
        lines.extend(wrap(&format!("Customer: {customer}"), width, usize::MAX));
    }
    lines
}

/// The panes of the wall in `area`, with the focused one filling it when zoomed.
/// `mission_lines`: lines the mission's text needs at the pane's inner width. `parked`:
/// whether a line of open parked topics goes above the banner and the status bar.
/// `journey_extra`: rows the journey needs beyond its usual share (the employees'
/// curves, the evidence heard), taken from the improvements in the roomy layout.
pub fn areas(
    area: Rect,
    zoom: bool,
    focus: Pane,
    banner: bool,
    parked: bool,
    mission_lines: usize,
    journey_extra: u16,
) -> Areas {
    let [body, parked, banner, status] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(u16::from(parked)),
        Constraint::Length(u16::from(banner)),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut a = Areas {
        parked,
        banner,
        status,
        ..Areas::default()
    };
    if zoom {
        match focus {
            Pane::Mission => a.mission = body,
            Pane::Personas => a.personas = body,
            Pane::Journey => a.journey = body,
            // The selection's fields beside the cards where there is room for both;
            // on a narrow screen the cards take it all (Enter shows the fields).
            Pane::Improvements if body.width >= ROOMY_WIDTH => {
                let detail = (body.width / 3).clamp(30, 60);
                let [l, d] = Layout::horizontal([Constraint::Min(1), Constraint::Length(detail)])
                    .areas(body);
                (a.improvements, a.detail) = (l, d);
            }
            Pane::Improvements => a.improvements = body,
        }
        return a;
    }
    let small = compact(area);
    let mission_h = mission_lines.clamp(1, mission_lines_max(area)) as u16 + 2;
    let rest = body.height.saturating_sub(mission_h);
    let middle_h = if small {
        7
    } else {
        (rest / 2 + journey_extra).clamp(9, 18 + journey_extra)
    };
    let [mission, middle, improvements] = Layout::vertical([
        Constraint::Length(mission_h),
        Constraint::Length(middle_h),
        Constraint::Min(4),
    ])
    .areas(body);
    let personas_w = if small { 22 } else { 32 };
    let [personas, journey] =
        Layout::horizontal([Constraint::Length(personas_w), Constraint::Min(10)]).areas(middle);
    Areas {
        mission,
        personas,
        journey,
        improvements,
        ..a
    }
}

/// Inside a bordered block.
pub fn inner(r: Rect) -> Rect {
    r.inner(ratatui::layout::Margin {
        horizontal: 1,
        vertical: 1,
    })
}

/// The narrowest a card column is on a narrow screen: the gap between columns goes
/// before a card gets narrower than this.
const CARD_MIN_WIDTH: u16 = 15;
/// The narrowest a zoomed card column is (when the screen has it): the columns page
/// sideways instead.
pub const ZOOM_CARD_WIDTH: u16 = 24;

/// The five PDCA columns inside the improvements pane (header row included), with a
/// blank column between them unless that would make them narrower than
/// [`CARD_MIN_WIDTH`].
pub fn columns(improvements: Rect) -> [Rect; 5] {
    let inner = inner(improvements);
    let gap = u16::from(inner.width >= 5 * CARD_MIN_WIDTH + 4);
    Layout::horizontal([Constraint::Ratio(1, 5); 5])
        .spacing(gap)
        .areas(inner)
}

/// How many zoomed columns side by side fit in the improvements pane, each at least
/// [`ZOOM_CARD_WIDTH`] wide (one at least).
pub fn zoomed_columns_fit(improvements: Rect) -> usize {
    let width = inner(improvements).width;
    usize::from((width + 1) / (ZOOM_CARD_WIDTH + 1)).clamp(1, 5)
}

/// The first column of the page of `fit` columns that holds `selected`.
pub fn column_page(selected: usize, fit: usize) -> usize {
    let fit = fit.clamp(1, 5);
    (selected.min(4) / fit * fit).min(5 - fit)
}

/// The card columns as drawn: the five side by side; zoomed, a page of as many wide
/// columns as fit, holding the `selected` one (the columns off the page are empty).
pub fn card_columns(improvements: Rect, zoom: bool, selected: usize) -> [Rect; 5] {
    if !zoom {
        return columns(improvements);
    }
    let fit = zoomed_columns_fit(improvements);
    let first = column_page(selected, fit);
    let shown = Layout::horizontal(vec![Constraint::Ratio(1, fit as u32); fit])
        .spacing(1)
        .split(inner(improvements));
    let mut out = [Rect::default(); 5];
    for (k, r) in shown.iter().enumerate() {
        out[first + k] = *r;
    }
    out
}

/// First row shown so that `selected` is visible in `visible` rows of equal height.
pub fn scroll_offset(selected: Option<usize>, visible: usize) -> usize {
    match selected {
        Some(s) if visible > 0 && s >= visible => s + 1 - visible,
        _ => 0,
    }
}

/// The cards of a column that show, as (first, count), keeping the `selected` one in
/// view and scrolling as little as possible from `first`. `height(i)` is card i's
/// lines, `rows` the lines below the header. When not every card fits, a line goes to
/// "↑ n more" above the first card shown (if any are above) and one to "↓ n more"
/// below. Costs the cards in view, not the column's length.
pub fn visible_cards(
    n: usize,
    first: usize,
    selected: Option<usize>,
    rows: u16,
    height: impl Fn(usize) -> u16,
) -> (usize, usize) {
    let rows = usize::from(rows);
    if n == 0 || rows == 0 {
        return (0, 0);
    }
    let fits_all = n <= rows && (0..n).map(&height).map(usize::from).sum::<usize>() <= rows;
    if fits_all {
        return (0, n);
    }
    let mut first = first.min(n - 1);
    if let Some(sel) = selected.map(|s| s.min(n - 1)) {
        first = first.min(sel);
        // The earliest first card from which the selected one still shows whole.
        let below = usize::from(sel + 1 < n);
        let mut used = usize::from(height(sel)) + below;
        let mut earliest = sel;
        while earliest > 0 {
            let above = usize::from(earliest - 1 > 0);
            let h = usize::from(height(earliest - 1));
            if used + h + above > rows {
                break;
            }
            used += h;
            earliest -= 1;
        }
        first = first.max(earliest);
    }
    // No empty rows while cards hide above: the last cards fill the column's foot.
    let mut used = 0;
    let mut earliest_end = n;
    while earliest_end > 0 {
        let h = usize::from(height(earliest_end - 1));
        if used + h + usize::from(earliest_end - 1 > 0) > rows {
            break;
        }
        used += h;
        earliest_end -= 1;
    }
    first = first.min(earliest_end);
    let mut used = usize::from(first > 0);
    let mut count = 0;
    while first + count < n {
        let h = usize::from(height(first + count));
        let more_below = usize::from(first + count + 1 < n);
        if used + h + more_below > rows && count > 0 {
            break;
        }
        used += h;
        count += 1;
    }
    (first, count)
}

/// (stage index, rect) of the journey's stage columns in view, for `n` stages of which
/// the `selected` one must show. `stages`: the area right of the gutter.
pub fn stage_columns(stages: Rect, n: usize, selected: Option<usize>) -> Vec<(usize, Rect)> {
    if n == 0 || stages.width == 0 {
        return Vec::new();
    }
    let fits = (stages.width / STAGE_MIN_WIDTH).max(1) as usize;
    let shown = n.min(fits);
    let offset = scroll_offset(selected, shown);
    let width = stages.width / shown as u16;
    (0..shown)
        .map(|k| {
            (
                offset + k,
                Rect {
                    x: stages.x + k as u16 * width,
                    y: stages.y,
                    width,
                    height: stages.height,
                },
            )
        })
        .collect()
}

/// The journey pane's inner area without its gutter: where the stages go.
pub fn journey_stages(journey: Rect) -> Rect {
    let inner = inner(journey);
    Rect {
        x: inner.x + JOURNEY_GUTTER.min(inner.width),
        width: inner.width.saturating_sub(JOURNEY_GUTTER),
        ..inner
    }
}

fn contains(r: Rect, x: u16, y: u16) -> bool {
    x >= r.x && x < r.right() && y >= r.y && y < r.bottom()
}

/// The pane under the pointer.
pub fn pane_at(a: &Areas, x: u16, y: u16) -> Option<Pane> {
    [
        (a.mission, Pane::Mission),
        (a.personas, Pane::Personas),
        (a.journey, Pane::Journey),
        (a.improvements, Pane::Improvements),
    ]
    .into_iter()
    .find(|(r, _)| contains(*r, x, y))
    .map(|(_, p)| p)
}

/// The journey stage at column `x`.
pub fn stage_at(journey: Rect, n: usize, selected: Option<usize>, x: u16) -> Option<usize> {
    stage_columns(journey_stages(journey), n, selected)
        .into_iter()
        .find(|(_, r)| x >= r.x && x < r.right())
        .map(|(i, _)| i)
}

/// The layout of this screen's wall: the data it depends on, taken from the screen.
impl Screen {
    pub fn areas(&self, area: Rect) -> Areas {
        let m = &self.wall.mission;
        let width = usize::from(area.width.saturating_sub(2));
        let lines = mission_text(&m.statement, &m.customer, width).len();
        let parked = self.wall.open_topics().next().is_some();
        // The employees' curves and the heard lane: two rows more.
        let extra = 2 * u16::from(self.wall.has_employees() || !self.wall.heard.is_empty());
        areas(
            area,
            self.zoom,
            self.focus,
            self.banner.is_some(),
            parked,
            lines,
            extra,
        )
    }

    pub fn stage_columns(&self, journey: Rect) -> Vec<(usize, Rect)> {
        stage_columns(
            journey_stages(journey),
            self.wall.stages.len(),
            self.stage_index(),
        )
    }

    /// The areas at the terminal's size.
    pub(super) fn areas_now(&self) -> Areas {
        self.areas(Rect::new(0, 0, self.size.0, self.size.1))
    }

    /// Lines of the `i`-th card of column `c` at this column width.
    pub fn card_lines(&self, c: usize, i: usize, width: u16) -> u16 {
        // A card not read yet (far from view) counts as one line until it is.
        self.view.columns[c].get(i).map_or(1, |item| {
            let evidence = self.view.evidence.get(&item.id).copied().unwrap_or(0);
            card_height(
                item,
                usize::from(width),
                self.compact,
                self.is_marked(item),
                evidence,
                self.today,
            )
        })
    }

    /// The cards of column `c` in view in a column rect (header row included).
    pub fn cards_in_view(&self, c: usize, column: Rect) -> (usize, usize) {
        let selected = (c == self.sel.column)
            .then(|| self.selected_row())
            .flatten();
        visible_cards(
            self.view.shown[c],
            self.card_scroll[c],
            selected,
            column.height.saturating_sub(1),
            |i| self.card_lines(c, i, column.width),
        )
    }

    /// The card columns as drawn in the improvements pane `improvements` (see
    /// [`card_columns`]).
    pub fn card_columns(&self, improvements: Rect) -> [Rect; 5] {
        card_columns(improvements, self.zoom, self.sel.column)
    }

    /// After the selection, the board or the screen changed: every column scrolls as
    /// little as it must to keep its selected card in view.
    pub(super) fn keep_cards_in_view(&mut self) {
        let cols = self.card_columns(self.areas_now().improvements);
        for (c, rect) in cols.into_iter().enumerate() {
            self.card_scroll[c] = self.cards_in_view(c, rect).0;
        }
    }

    /// The same for the selected column only: enough after moving within it.
    pub(super) fn keep_selected_card_in_view(&mut self) {
        let c = self.sel.column;
        let rect = self.card_columns(self.areas_now().improvements)[c];
        self.card_scroll[c] = self.cards_in_view(c, rect).0;
    }

    pub(super) fn pane_at(&self, x: u16, y: u16) -> Option<Pane> {
        pane_at(&self.areas_now(), x, y)
    }

    pub(super) fn persona_at(&self, y: u16) -> Option<usize> {
        let inner = inner(self.areas_now().personas);
        let rows = y.checked_sub(inner.y)?;
        self.persona_cards(inner)
            .into_iter()
            .find(|(_, r)| rows >= r.y - inner.y && rows < r.bottom() - inner.y)
            .map(|(i, _)| i)
    }

    pub(super) fn stage_at(&self, x: u16) -> Option<usize> {
        let n = self.wall.stages.len();
        stage_at(self.areas_now().journey, n, self.stage_index(), x)
    }

    /// (column, row in the column's view) of the card under the pointer.
    pub(super) fn card_at(&self, x: u16, y: u16) -> Option<(usize, usize)> {
        let cols = self.card_columns(self.areas_now().improvements);
        let (c, rect) = cols.iter().enumerate().find(|(_, r)| contains(**r, x, y))?;
        let (first, count) = self.cards_in_view(c, *rect);
        let mut top = rect.y + 1 + u16::from(first > 0);
        for i in first..first + count {
            let h = self.card_lines(c, i, rect.width);
            if y >= top && y < top + h {
                return Some((c, i));
            }
            top += h;
        }
        // Below the last card (or on a "more" line): the column, at its last card shown.
        Some((c, (first + count).saturating_sub(1)))
    }

    /// Each persona's card in the personas pane's inner area: every persona gets the
    /// same share of lines (at least one), scrolled to keep the selected one in view.
    pub fn persona_cards(&self, inner: Rect) -> Vec<(usize, Rect)> {
        let n = self.wall.personas.len();
        if n == 0 || inner.height == 0 {
            return Vec::new();
        }
        let each = (inner.height as usize / n).max(1) as u16;
        let shown = (inner.height / each) as usize;
        let offset = scroll_offset(self.persona_index(), shown);
        (offset..n.min(offset + shown))
            .enumerate()
            .map(|(k, i)| {
                let y = inner.y + k as u16 * each;
                (
                    i,
                    Rect {
                        y,
                        height: each,
                        ..inner
                    },
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn everything_shows_when_it_fits() {
        assert_eq!(visible_cards(3, 0, Some(2), 10, |_| 3), (0, 3));
        assert_eq!(visible_cards(0, 0, None, 10, |_| 3), (0, 0));
    }

    #[test]
    fn the_selected_card_stays_in_view_and_the_rest_scrolls_little() {
        // 10 cards of 3 lines in 10 rows: 3 fit, with the "more" lines 2 or 3.
        let v = |first, sel| visible_cards(10, first, Some(sel), 10, |_| 3);
        assert_eq!(v(0, 0), (0, 3), "three cards and ↓ more");
        assert_eq!(v(0, 2), (0, 3));
        let (first, count) = v(0, 3);
        assert!(first <= 3 && 3 < first + count, "{first} {count}");
        assert_eq!(v(5, 6), (5, 2), "↑ and ↓ lines leave room for two");
        assert_eq!(v(5, 2), (2, 2));
        assert_eq!(v(9, 9), (7, 3), "the foot is filled: no empty rows below");
        let (first, count) = v(0, 9);
        assert_eq!(first + count, 10, "the last card shows at the end");
    }

    #[test]
    fn a_tall_card_still_shows() {
        assert_eq!(visible_cards(5, 0, Some(4), 3, |_| 6), (4, 1));
    }
}
