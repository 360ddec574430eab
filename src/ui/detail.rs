//! Every field of the selected record: the zoom view's side panel and the Enter popup.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::theme::Styles;
use crate::app::{App, Pane};
use crate::format::{on_wall, wrap};

/// `scroll`: first line shown (the Enter popup scrolls; zoom shows the top).
pub fn draw_pane(
    frame: &mut Frame,
    app: &App,
    st: &Styles,
    pane: Pane,
    area: Rect,
    scroll: Option<u16>,
) {
    let detail = app.detail(pane);
    let width = usize::from(area.width.saturating_sub(4));
    let mut lines: Vec<Line> = Vec::new();
    for (label, value) in &detail.fields {
        lines.extend(
            wrap(label, width + 2, usize::MAX)
                .into_iter()
                .map(|l| Line::styled(l, st.muted)),
        );
        for l in wrap(&on_wall(value), width, usize::MAX) {
            lines.push(Line::raw(format!("  {l}")));
        }
    }
    let top = scroll
        .unwrap_or(0)
        .min(lines.len().saturating_sub(1) as u16);
    let hint = if scroll.is_some() {
        app.settings()
            .keys()
            .expand(" {popup.edit} edit · {popup.scroll_down}/{popup.scroll_up} scroll ")
    } else {
        " ".to_owned()
    };
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(st.border)
        .title(Line::from(vec![
            Span::raw(" "),
            Span::styled(detail.title, st.title),
            Span::styled(hint, st.muted),
        ]));
    let shown = usize::from(area.height.saturating_sub(2));
    if let Some(hint) = crate::format::scroll_hint(usize::from(top), shown, lines.len()) {
        block = block.title_bottom(Line::styled(format!(" {hint} "), st.muted).right_aligned());
    }
    frame.render_widget(Paragraph::new(lines).scroll((top, 0)).block(block), area);
}
