//! The personas: who we serve. The selected one drives the journey's feelings.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Styles;
use super::{fit, pane_block};
use crate::app::layout::scroll_offset;
use crate::app::{App, Pane};

pub fn draw(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    let block = pane_block(app, st, Pane::Personas, "Personas");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.board.personas.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                app.keys.expand("No personas: {board.new} adds one"),
                st.muted,
            )),
            inner,
        );
        return;
    }
    let selected = app.persona_index();
    let offset = scroll_offset(selected, inner.height as usize);
    let width = inner.width as usize;
    let lines: Vec<Line> = app
        .board
        .personas
        .iter()
        .enumerate()
        .skip(offset)
        .take(inner.height as usize)
        .map(|(i, p)| {
            let is_sel = Some(i) == selected;
            let marker = if is_sel { "▶ " } else { "  " };
            let role = if p.role.is_empty() {
                String::new()
            } else {
                format!(", {}", p.role)
            };
            let text = fit(&format!("{marker}{}{role}", p.name), width);
            let style = if is_sel && app.focus == Pane::Personas {
                st.selected
            } else if is_sel {
                st.title
            } else {
                st.text
            };
            Line::from(Span::styled(format!("{text:width$}"), style))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), inner);
}
