//! Where everything goes on the screen. Pure functions of the app state and the terminal
//! size, used by drawing and by mouse clicks alike, so a click hits what was drawn.

use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::{App, Pane};

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

pub fn areas(app: &App, area: Rect) -> Areas {
    let banner_h = u16::from(crate::ui::status::banner(app).is_some());
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
    if app.zoom {
        let split = |r: Rect| -> (Rect, Rect) {
            let [l, d] =
                Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)])
                    .areas(r);
            (l, d)
        };
        match app.focus {
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

/// Lines per card: two (title; owner, due, age) when the columns are tall or every
/// shown card still fits that way; else one.
pub fn card_height(app: &App, column: Rect) -> u16 {
    let rows = column.height.saturating_sub(1) as usize;
    let longest = app.view.columns.iter().map(Vec::len).max().unwrap_or(0);
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
pub fn cards_visible(app: &App, column: Rect) -> usize {
    (column.height.saturating_sub(1) / card_height(app, column)) as usize
}

/// (stage index, rect) of the journey's stage columns in view.
pub fn stage_columns(app: &App, journey: Rect) -> Vec<(usize, Rect)> {
    let inner = inner(journey);
    let n = app.board.stages.len();
    if n == 0 || inner.width == 0 {
        return Vec::new();
    }
    let fits = (inner.width / STAGE_MIN_WIDTH).max(1) as usize;
    let shown = n.min(fits);
    let offset = scroll_offset(app.stage_index(), shown);
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

fn screen(app: &App) -> Rect {
    Rect::new(0, 0, app.size.0, app.size.1)
}

fn contains(r: Rect, x: u16, y: u16) -> bool {
    x >= r.x && x < r.right() && y >= r.y && y < r.bottom()
}

pub fn pane_at(app: &App, x: u16, y: u16) -> Option<Pane> {
    let a = areas(app, screen(app));
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

pub fn persona_at(app: &App, y: u16) -> Option<usize> {
    let inner = inner(areas(app, screen(app)).personas);
    let offset = scroll_offset(app.persona_index(), inner.height as usize);
    let i = offset + y.checked_sub(inner.y)? as usize;
    (i < app.board.personas.len()).then_some(i)
}

pub fn stage_at(app: &App, x: u16) -> Option<usize> {
    let journey = areas(app, screen(app)).journey;
    stage_columns(app, journey)
        .into_iter()
        .find(|(_, r)| x >= r.x && x < r.right())
        .map(|(i, _)| i)
}

/// (column, row in the column's view) of the card under the pointer.
pub fn card_at(app: &App, x: u16, y: u16) -> Option<(usize, usize)> {
    let cols = columns(areas(app, screen(app)).improvements);
    let (c, r) = cols.iter().enumerate().find(|(_, r)| contains(**r, x, y))?;
    let selected = (c == app.sel.column).then(|| app.selected_row()).flatten();
    let offset = scroll_offset(selected, cards_visible(app, *r));
    let line = y.checked_sub(r.y + 1)?;
    Some((c, offset + (line / card_height(app, *r)) as usize))
}
