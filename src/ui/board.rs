//! The improvement items on the PDCA board: five columns with counts and WIP limits,
//! and cards that show owner, due date, age in the column and marks. Only the cards in
//! view are built.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Styles;
use super::{fit, pane_block};
use crate::app::layout::{columns, scroll_offset};
use crate::app::{App, Pane};
use crate::model::{Item, Status};

pub const BLOCKED: &str = "⛔";
pub const UNLINKED: &str = "⚠";
pub const MARKED: &str = "◆";

pub fn draw(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    let mut title = vec![Span::raw("Improvements")];
    if app.mine_only {
        title.push(Span::styled(format!(" · only {}'s", app.user), st.accent));
    }
    if !app.filter.is_empty() {
        title.push(Span::styled(
            format!(" · filter “{}”", app.filter),
            st.accent,
        ));
    }
    let block = pane_block(app, st, Pane::Improvements, Line::from(title));
    frame.render_widget(block, area);
    for (c, rect) in columns(area).into_iter().enumerate() {
        let status = Status::from_index(c).unwrap_or(Status::Plan);
        draw_column(frame, app, st, status, rect);
    }
}

fn draw_column(frame: &mut Frame, app: &App, st: &Styles, status: Status, rect: Rect) {
    let c = status.index();
    let shown = &app.view.columns[c];
    let total = app.view.totals[c];
    let (header, style) = header(status, total, shown.len(), app.board.wip_limit(status), st);
    let is_sel_col = app.focus == Pane::Improvements && app.sel.column == c;
    let header_style = if is_sel_col {
        style.add_modifier(ratatui::style::Modifier::UNDERLINED)
    } else {
        style
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            fit(&header, rect.width as usize),
            header_style,
        )),
        Rect { height: 1, ..rect },
    );

    let h = app.card_height(rect);
    let visible = app.cards_visible(rect);
    let selected_row = if app.sel.column == c {
        app.selected_row()
    } else {
        None
    };
    let offset = scroll_offset(selected_row, visible);
    let mut lines: Vec<Line> = Vec::with_capacity(visible * h as usize);
    for (row, &idx) in shown.iter().enumerate().skip(offset).take(visible) {
        let item = &app.board.items[idx];
        let selected = Some(row) == selected_row;
        lines.extend(card(app, st, item, selected, rect.width as usize, h));
    }
    if offset + visible < shown.len()
        && let Some(last) = lines.last_mut()
    {
        *last = Line::styled(
            format!("  ↓ {} more", shown.len() - offset - visible),
            st.muted,
        );
    }
    frame.render_widget(
        Paragraph::new(lines),
        Rect {
            y: rect.y + 1,
            height: rect.height.saturating_sub(1),
            ..rect
        },
    );
}

/// "Do (3/3 WIP)"; over the limit it says so in words too.
pub fn header(
    status: Status,
    total: usize,
    shown: usize,
    limit: Option<u32>,
    st: &Styles,
) -> (String, Style) {
    let count = if shown == total {
        format!("{total}")
    } else {
        format!("{shown} of {total}")
    };
    match limit {
        Some(l) if total > l as usize => (
            format!("{} ({count}/{l} WIP ▲ over)", status.label()),
            st.bad.add_modifier(ratatui::style::Modifier::BOLD),
        ),
        Some(l) => (format!("{} ({count}/{l} WIP)", status.label()), st.title),
        None => (format!("{} ({count})", status.label()), st.title),
    }
}

fn card<'a>(
    app: &App,
    st: &Styles,
    item: &Item,
    selected: bool,
    width: usize,
    height: u16,
) -> Vec<Line<'a>> {
    let base = if selected && app.focus == Pane::Improvements {
        st.selected
    } else {
        st.text
    };
    let mut marks = String::new();
    if app.is_marked(item) {
        marks.push_str(MARKED);
        marks.push(' ');
    }
    if item.blocked {
        marks.push_str(BLOCKED);
    }
    if item.is_unlinked() {
        marks.push_str(UNLINKED);
    }
    let pointer = if selected { "▸ " } else { "  " };
    let overdue = item.is_overdue(app.today);
    let age = format!("{}d", item.days_in_status(app.now));
    let due = item.due.map(|d| {
        let short = format!("{:02}-{:02}", d.month(), d.day());
        if overdue {
            format!("{short} late")
        } else {
            short
        }
    });
    let due_style = if overdue { st.bad } else { st.muted };
    // One-line cards have no room for the due date: "late" still says it in a word.
    if height < 2 && overdue {
        marks.push_str(" late");
    }
    let marks = if marks.is_empty() {
        String::new()
    } else {
        format!(" {marks}")
    };
    let mark_w = unicode_width::UnicodeWidthStr::width(marks.as_str());
    let title = fit(&item.title, width.saturating_sub(2 + mark_w));
    let pad =
        width.saturating_sub(2 + unicode_width::UnicodeWidthStr::width(title.as_str()) + mark_w);
    let first = Line::from(vec![
        Span::styled(pointer, base),
        Span::styled(title, base),
        Span::styled(
            format!("{marks}{}", " ".repeat(pad)),
            if item.blocked { st.bad } else { base },
        ),
    ]);
    if height < 2 {
        return vec![first];
    }
    // Room goes first to the due date ("late" above all), then the age, then the owner.
    let room = width.saturating_sub(2);
    let mut due = due.map(|d| format!(" {d}")).unwrap_or_default();
    if due.len() > room {
        due = if overdue {
            " late".to_owned()
        } else {
            String::new()
        };
    }
    let mut age = format!(" {age}");
    if due.len() + age.len() > room {
        age.clear();
    }
    let owner_room = room.saturating_sub(due.len() + age.len());
    let owner = if item.owner.is_empty() {
        "nobody"
    } else {
        item.owner.as_str()
    };
    let owner = if owner_room >= 3 {
        fit(owner, owner_room)
    } else {
        String::new()
    };
    let second = vec![
        Span::raw("  "),
        Span::styled(owner, st.accent),
        Span::styled(due, due_style),
        Span::styled(age, st.muted),
    ];
    vec![first, Line::from(second)]
}
