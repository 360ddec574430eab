//! The mission banner: the promise and who the customer is, wrapped, whole when there
//! is room and always on zoom.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::pane_block;
use super::theme::Styles;
use crate::app::layout::{mission_lines_max, mission_text};
use crate::app::{App, Pane};
use crate::format::{fit, on_wall};

pub fn draw(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    let (screen, keys) = (app.screen(), app.settings().keys());
    let m = &screen.wall().mission;
    let (width, height) = screen.size();
    let inner_w = area.width.saturating_sub(2) as usize;
    let lines = mission_text(&on_wall(&m.statement), &on_wall(&m.customer), inner_w);
    let room = if screen.zoomed() {
        usize::from(area.height.saturating_sub(2))
    } else {
        mission_lines_max(Rect::new(0, 0, width, height))
    };
    let cut = lines.len() > room;
    let mut title = vec![Span::raw("Mission")];
    if cut {
        title.push(Span::styled(
            keys.expand(" · {board.zoom} shows all"),
            st.muted,
        ));
    }
    let title = Line::from(title);
    // The customer index on the border's right, where the title leaves room.
    let border_room = (area.width as usize).saturating_sub(title.width() + 12);
    let mut block = pane_block(app, st, Pane::Mission, title);
    if let Some(index) = super::metric::index_title(app, st, border_room) {
        block = block.title_top(index.right_aligned());
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if m.statement.is_empty() && m.customer.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                keys.expand("No mission yet: press {board.edit} to write it"),
                st.muted,
            )),
            inner,
        );
        return;
    }
    let statement_lines = mission_text(&on_wall(&m.statement), "", inner_w).len();
    let shown: Vec<Line> = lines
        .iter()
        .take(room)
        .enumerate()
        .map(|(n, l)| {
            let text = if cut && n + 1 == room {
                fit(&format!("{l} …"), inner_w)
            } else {
                l.clone()
            };
            if n < statement_lines {
                Line::styled(text, st.title)
            } else {
                match text.strip_prefix("Customer:") {
                    Some(rest) => Line::from(vec![
                        Span::styled("Customer:", st.muted),
                        Span::raw(rest.to_owned()),
                    ]),
                    None => Line::raw(text),
                }
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(shown), inner);
}
