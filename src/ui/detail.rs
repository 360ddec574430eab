//! Every field of the selected record: the zoom view's side panel and the Enter popup.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::theme::Styles;
use crate::app::{App, Pane};

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
    let mut lines: Vec<Line> = Vec::new();
    for (label, value) in &detail.fields {
        lines.push(Line::styled(label.clone(), st.muted));
        lines.extend(value.lines().map(|l| Line::raw(format!("  {l}"))));
    }
    let top = scroll
        .unwrap_or(0)
        .min(lines.len().saturating_sub(1) as u16);
    let hint = if scroll.is_some() {
        app.keys
            .expand(" {popup.edit} edit · {popup.scroll_down}/{popup.scroll_up} scroll ")
    } else {
        " ".to_owned()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(st.border)
        .title(Line::from(vec![
            Span::raw(" "),
            Span::styled(detail.title, st.title),
            Span::styled(hint, st.muted),
        ]));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((top, 0))
            .block(block),
        area,
    );
}
