//! Overlays: help (built from the keymap), the selection's detail, questions,
//! the conflict view and the activity log.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::theme::Styles;
use super::{centered, fit};
use crate::app::{App, Popup};
use crate::model::Conflict;

pub fn draw(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    match &app.popup {
        None => {}
        Some(Popup::Help) => help(frame, app, st, area),
        Some(Popup::Detail(pane)) => {
            let rect = centered(area, 76, area.height.saturating_sub(4));
            frame.render_widget(Clear, rect);
            super::detail::draw_pane(frame, app, st, *pane, rect, Some(app.popup_scroll));
        }
        Some(Popup::Form(form)) => super::form::draw(frame, st, form, area),
        Some(Popup::Confirm { question, .. }) => {
            let lines = vec![
                Line::raw(question.clone()),
                Line::raw(""),
                Line::from(vec![
                    Span::styled("y", st.title),
                    Span::raw(" yes   "),
                    Span::styled("n", st.title),
                    Span::raw(" no"),
                ]),
            ];
            boxed(frame, st, area, "Are you sure?", lines, 60, 0);
        }
        Some(Popup::Conflict(c)) => conflict(frame, st, area, c),
        Some(Popup::StandupSummary(s)) => super::standup::summary(frame, app, st, area, s),
        Some(Popup::Activity(rows)) => {
            let width = area.width.saturating_sub(8) as usize;
            let lines: Vec<Line> = rows
                .iter()
                .map(|a| {
                    let when =
                        a.at.to_zoned(jiff::tz::TimeZone::system())
                            .strftime("%m-%d %H:%M")
                            .to_string();
                    Line::from(vec![
                        Span::styled(format!("{when} "), st.muted),
                        Span::styled(format!("{} ", a.who), st.accent),
                        Span::raw(fit(&a.summary, width.saturating_sub(20))),
                    ])
                })
                .collect();
            let lines = if lines.is_empty() {
                vec![Line::styled(
                    "Nothing has happened on this board yet.",
                    st.muted,
                )]
            } else {
                lines
            };
            boxed(
                frame,
                st,
                area,
                "Activity, newest first · j/k scroll",
                lines,
                area.width.saturating_sub(4),
                app.popup_scroll,
            );
        }
    }
}

fn boxed(
    frame: &mut Frame,
    st: &Styles,
    area: Rect,
    title: &str,
    lines: Vec<Line>,
    width: u16,
    scroll: u16,
) {
    let scroll = scroll.min(lines.len().saturating_sub(1) as u16);
    let inner_w = width.saturating_sub(2).max(10);
    let wrapped: u16 = lines
        .iter()
        .map(|l| (l.width() as u16).div_ceil(inner_w).max(1))
        .sum();
    let rect = centered(area, width, wrapped + 2);
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(st.border_focused)
        .title(Span::styled(format!(" {title} "), st.title));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(block),
        rect,
    );
}

fn help(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    let rows = app.keymap.help_rows();
    let key_w = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(4)
        + 2;
    let mut lines: Vec<Line> = rows
        .into_iter()
        .map(|(keys, what)| {
            Line::from(vec![
                Span::styled(format!("{keys:key_w$}"), st.accent),
                Span::raw(what),
            ])
        })
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        "In forms: Tab / Shift-Tab next / previous field · Ctrl-s save · Esc cancel",
        st.muted,
    ));
    lines.push(Line::styled("Marks: ⛔ blocked · ⚠ serves no persona or stage · ◆ serves the selection · late = overdue", st.muted));
    lines.push(Line::styled(
        "j / k scroll · any other key closes this help",
        st.muted,
    ));
    // Two columns when the list is taller than the screen.
    let height = area.height.saturating_sub(2);
    if lines.len() as u16 + 2 > height && area.width >= 100 {
        let half = lines.len().div_ceil(2);
        let right = lines.split_off(half);
        let rect = centered(area, area.width.saturating_sub(4).min(120), half as u16 + 2);
        frame.render_widget(Clear, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(st.border_focused)
            .title(Span::styled(" Keys · j/k scroll ", st.title));
        let inner = block.inner(rect);
        frame.render_widget(block, rect);
        let [l, r] =
            ratatui::layout::Layout::horizontal([ratatui::layout::Constraint::Percentage(50); 2])
                .spacing(2)
                .areas(inner);
        frame.render_widget(Paragraph::new(lines), l);
        frame.render_widget(Paragraph::new(right), r);
    } else {
        let rect = centered(area, 90, height);
        frame.render_widget(Clear, rect);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(st.border_focused)
            .title(Span::styled(" Keys · j/k scroll ", st.title));
        let scroll = app.popup_scroll.min(lines.len().saturating_sub(1) as u16);
        frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)).block(block), rect);
    }
}

fn conflict(frame: &mut Frame, st: &Styles, area: Rect, c: &Conflict) {
    let show = |v: &serde_json::Value| match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "(empty)".to_owned(),
        other => other.to_string(),
    };
    let mut lines = vec![
        Line::raw(format!(
            "{} changed {} while you were editing it.",
            c.theirs_by, c.label
        )),
        Line::raw(""),
    ];
    for f in &c.fields {
        lines.push(Line::styled(f.field.clone(), st.title));
        lines.push(Line::from(vec![
            Span::styled("  base   ", st.muted),
            Span::raw(show(&f.base)),
        ]));
        lines.push(Line::from(vec![
            Span::styled("  theirs ", st.accent),
            Span::raw(show(&f.theirs)),
        ]));
        lines.push(Line::from(vec![
            Span::styled("  yours  ", st.warn),
            Span::raw(show(&f.mine)),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled("m", st.title),
        Span::raw(" keep mine   "),
        Span::styled("t", st.title),
        Span::raw(" keep theirs   "),
        Span::styled("e", st.title),
        Span::raw(" edit"),
    ]));
    lines.push(Line::styled(
        "Whichever loses is kept in the activity log (a).",
        st.muted,
    ));
    boxed(frame, st, area, "Conflict", lines, 76, 0);
}
