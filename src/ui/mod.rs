//! Drawing the wall: pure functions of the app state. Nothing here touches the
//! database; every frame is built from the rows in view.

pub mod board;
pub mod detail;
pub mod evidence;
pub mod form;
pub mod journey;
pub mod metric;
pub mod mission;
pub mod personas;
pub mod popup;
pub mod standup;
pub mod status;
pub mod theme;

pub use crate::format::{first_line, fit};

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use crate::app::layout;
use crate::app::{App, Pane};
use crate::keymap::Command;
use theme::Styles;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let st = Styles::of(app.settings());
    if layout::too_small(area) {
        let msg = format!(
            "terminal too small (needs {}×{})",
            layout::MIN_WIDTH,
            layout::MIN_HEIGHT
        );
        frame.render_widget(Paragraph::new(msg), area);
        return;
    }
    let a = app.screen().areas(area);
    if app.in_standup() {
        // The walk replaces the panes; banner, status bar and popups stay.
        let body = Rect {
            height: a.parked.y.saturating_sub(area.y),
            ..area
        };
        standup::draw(frame, app, &st, body);
    } else {
        draw_panes(frame, app, &st, &a);
    }
    status::draw_parked(frame, app, &st, a.parked);
    status::draw_banner(frame, app, &st, a.banner);
    status::draw(frame, app, &st, a.status);
    // Overlays leave the status bar visible.
    let above_status = Rect {
        height: area.height - 1,
        ..area
    };
    popup::draw(frame, app, &st, above_status);
    make_safe(frame.buffer_mut());
}

/// The last line of defence for board content on its way to the terminal: no cell
/// keeps a control or zero-width format character, whatever drew it.
fn make_safe(buf: &mut ratatui::buffer::Buffer) {
    for cell in buf.content.iter_mut() {
        if let std::borrow::Cow::Owned(clean) = crate::format::on_wall(cell.symbol()) {
            let clean = clean.replace('\n', " ");
            cell.set_symbol(if clean.is_empty() { " " } else { &clean });
        }
    }
}

fn draw_panes(frame: &mut Frame, app: &App, st: &Styles, a: &layout::Areas) {
    let st = *st;
    if a.mission.area() > 0 {
        mission::draw(frame, app, &st, a.mission);
    }
    if a.personas.area() > 0 {
        personas::draw(frame, app, &st, a.personas);
    }
    if a.journey.area() > 0 {
        journey::draw(frame, app, &st, a.journey);
    }
    if a.improvements.area() > 0 {
        board::draw(frame, app, &st, a.improvements);
    }
    if a.detail.area() > 0 {
        detail::draw_pane(frame, app, &st, app.screen().focus(), a.detail, None);
    }
}

/// A pane's frame: highlighted when focused, its jump key leading the title as a key:
/// `[2] Personas (3)`.
pub fn pane_block<'a>(app: &App, st: &Styles, pane: Pane, title: impl Into<Line<'a>>) -> Block<'a> {
    let focused = app.screen().focus() == pane;
    let jump = match pane {
        Pane::Mission => Command::FocusMission,
        Pane::Personas => Command::FocusPersonas,
        Pane::Journey => Command::FocusJourney,
        Pane::Improvements => Command::FocusImprovements,
    };
    let keys = &app.settings().keys().board;
    let key = keys.keys_for(jump).first().map(ToString::to_string);
    let mut title: Line = title.into();
    let head = match key {
        Some(k) => format!(" [{k}] "),
        None => " ".to_owned(),
    };
    title.spans.insert(0, Span::styled(head, st.accent));
    title.spans.push(Span::raw(" "));
    Block::default()
        .borders(Borders::ALL)
        .border_style(if focused {
            st.border_focused
        } else {
            st.border
        })
        .title(title.style(if focused { st.border_focused } else { st.title }))
}

/// The rows `y .. y + height` of `r`, as wide as it.
pub fn band(r: Rect, y: u16, height: u16) -> Rect {
    Rect { y, height, ..r }
}
