//! The mission banner: the promise, and who the customer is.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::theme::Styles;
use super::{fit, pane_block};
use crate::app::{App, Pane};

pub fn draw(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    let m = &app.board.mission;
    let block = pane_block(app, st, Pane::Mission, "Mission");
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.zoom {
        let text = vec![
            Line::styled(m.statement.clone(), st.title),
            Line::raw(""),
            Line::from(vec![
                Span::styled("Customer: ", st.muted),
                Span::raw(m.customer.clone()),
            ]),
        ];
        frame.render_widget(Paragraph::new(text).wrap(Wrap { trim: false }), inner);
        return;
    }
    if m.statement.is_empty() && m.customer.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                app.keys
                    .expand("No mission yet: press {board.edit} to write it"),
                st.muted,
            )),
            inner,
        );
        return;
    }
    let width = inner.width as usize;
    let customer = format!("   Customer: {}", super::first_line(&m.customer));
    let customer_w = (customer.chars().count()).min(width / 2);
    let statement = fit(
        super::first_line(&m.statement),
        width.saturating_sub(customer_w),
    );
    let used = unicode_width::UnicodeWidthStr::width(statement.as_str());
    let line = Line::from(vec![
        Span::styled(statement, st.title),
        Span::styled(fit(&customer, width.saturating_sub(used)), st.muted),
    ]);
    frame.render_widget(Paragraph::new(line), inner);
}
