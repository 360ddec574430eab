//! Where everything goes on the screen: pure functions of plain data (the terminal's
//! size, what is zoomed, how long the lists are), used by drawing and by mouse clicks
//! alike, so a click hits what was drawn.

use ratatui::layout::{Constraint, Layout, Rect};

use super::{App, Pane};

/// Below this the wall is replaced by a one-line message.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// From this size on, the roomy layout; below it the compact one.
pub const ROOMY_WIDTH: u16 = 100;
pub const ROOMY_HEIGHT: u16 = 30;
/// Narrowest journey stage column.
const STAGE_MIN_WIDTH: u16 = 12;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Areas {
    pub mission: Rect,
    pub personas: Rect,
    pub journey: Rect,
    pub improvements: Rect,
    /// The zoomed selection's fields.
    pub detail: Rect,
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

/// The panes of the wall in `area`, with the focused one filling it when zoomed.
pub fn areas(area: Rect, zoom: bool, focus: Pane, banner: bool) -> Areas {
    let banner_h = u16::from(banner);
    let [body, banner, status] = Layout::vertical([
        Constraint::Min(1),
        Constraint::Length(banner_h),
        Constraint::Length(1),
    ])
    .areas(area);
    let mut a = Areas {
        banner,
        status,
        ..Areas::default()
    };
    if zoom {
        let split = |r: Rect| -> (Rect, Rect) {
            let [l, d] =
                Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)])
                    .areas(r);
            (l, d)
        };
        match focus {
            Pane::Mission => a.mission = body,
            Pane::Personas => (a.personas, a.detail) = split(body),
            Pane::Journey => {
                let [j, d] =
                    Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)])
                        .areas(body);
                (a.journey, a.detail) = (j, d);
            }
            Pane::Improvements => (a.improvements, a.detail) = split(body),
        }
        return a;
    }
    let small = compact(area);
    let middle_h = if small { 7 } else { 9 };
    let [mission, middle, improvements] = Layout::vertical([
        Constraint::Length(3),
        Constraint::Length(middle_h),
        Constraint::Min(4),
    ])
    .areas(body);
    let personas_w = if small { 20 } else { 26 };
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

/// The five PDCA columns inside the improvements pane (header row included).
pub fn columns(improvements: Rect) -> [Rect; 5] {
    Layout::horizontal([Constraint::Ratio(1, 5); 5])
        .spacing(1)
        .areas(inner(improvements))
}

/// Lines per card: one when `compact`; else two (title; owner, due, age) when the
/// columns are tall or every shown card still fits that way, and one if not.
/// `longest`: cards in the longest column.
pub fn card_height(column: Rect, longest: usize, compact: bool) -> u16 {
    if compact {
        return 1;
    }
    let rows = column.height.saturating_sub(1) as usize;
    if rows >= 11 || longest * 2 <= rows {
        2
    } else {
        1
    }
}

/// First row shown so that `selected` is visible in `visible` rows.
pub fn scroll_offset(selected: Option<usize>, visible: usize) -> usize {
    match selected {
        Some(s) if visible > 0 && s >= visible => s + 1 - visible,
        _ => 0,
    }
}

/// Cards that fit in a column below its header.
pub fn cards_visible(column: Rect, longest: usize, compact: bool) -> usize {
    (column.height.saturating_sub(1) / card_height(column, longest, compact)) as usize
}

/// (stage index, rect) of the journey's stage columns in view, for `n` stages of which
/// the `selected` one must show.
pub fn stage_columns(journey: Rect, n: usize, selected: Option<usize>) -> Vec<(usize, Rect)> {
    let inner = inner(journey);
    if n == 0 || inner.width == 0 {
        return Vec::new();
    }
    let fits = (inner.width / STAGE_MIN_WIDTH).max(1) as usize;
    let shown = n.min(fits);
    let offset = scroll_offset(selected, shown);
    let width = inner.width / shown as u16;
    (0..shown)
        .map(|k| {
            (
                offset + k,
                Rect {
                    x: inner.x + k as u16 * width,
                    y: inner.y,
                    width,
                    height: inner.height,
                },
            )
        })
        .collect()
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

/// The row of a list of `n` in `pane` (bordered) at height `y`, scrolled so that the
/// `selected` row shows.
pub fn list_row_at(pane: Rect, n: usize, selected: Option<usize>, y: u16) -> Option<usize> {
    let inner = inner(pane);
    let offset = scroll_offset(selected, inner.height as usize);
    let i = offset + y.checked_sub(inner.y)? as usize;
    (i < n).then_some(i)
}

/// The journey stage at column `x`.
pub fn stage_at(journey: Rect, n: usize, selected: Option<usize>, x: u16) -> Option<usize> {
    stage_columns(journey, n, selected)
        .into_iter()
        .find(|(_, r)| x >= r.x && x < r.right())
        .map(|(i, _)| i)
}

/// (column, row in the column's view) of the card under the pointer; `selected` is the
/// selected card's (column, row), which keeps its column scrolled to it.
pub fn card_at(
    improvements: Rect,
    (longest, compact): (usize, bool),
    selected: (usize, Option<usize>),
    x: u16,
    y: u16,
) -> Option<(usize, usize)> {
    let cols = columns(improvements);
    let (c, r) = cols.iter().enumerate().find(|(_, r)| contains(**r, x, y))?;
    let row = (c == selected.0).then_some(selected.1).flatten();
    let offset = scroll_offset(row, cards_visible(*r, longest, compact));
    let line = y.checked_sub(r.y + 1)?;
    Some((
        c,
        offset + (line / card_height(*r, longest, compact)) as usize,
    ))
}

/// The layout of this app's wall: the data it depends on, taken from the app.
impl App {
    pub fn areas(&self, area: Rect) -> Areas {
        areas(area, self.zoom, self.focus, self.banner().is_some())
    }

    /// Cards in the longest column (the card height depends on it).
    pub fn longest_column(&self) -> usize {
        self.view.columns.iter().map(Vec::len).max().unwrap_or(0)
    }

    pub fn card_height(&self, column: Rect) -> u16 {
        card_height(column, self.longest_column(), self.compact)
    }

    pub fn cards_visible(&self, column: Rect) -> usize {
        cards_visible(column, self.longest_column(), self.compact)
    }

    pub fn stage_columns(&self, journey: Rect) -> Vec<(usize, Rect)> {
        stage_columns(journey, self.board.stages.len(), self.stage_index())
    }

    fn screen(&self) -> Areas {
        self.areas(Rect::new(0, 0, self.size.0, self.size.1))
    }

    pub(super) fn pane_at(&self, x: u16, y: u16) -> Option<Pane> {
        pane_at(&self.screen(), x, y)
    }

    pub(super) fn persona_at(&self, y: u16) -> Option<usize> {
        let n = self.board.personas.len();
        list_row_at(self.screen().personas, n, self.persona_index(), y)
    }

    pub(super) fn stage_at(&self, x: u16) -> Option<usize> {
        let n = self.board.stages.len();
        stage_at(self.screen().journey, n, self.stage_index(), x)
    }

    pub(super) fn card_at(&self, x: u16, y: u16) -> Option<(usize, usize)> {
        let selected = (self.sel.column, self.selected_row());
        let cards = (self.longest_column(), self.compact);
        card_at(self.screen().improvements, cards, selected, x, y)
    }
}
