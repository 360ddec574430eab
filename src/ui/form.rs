//! A form as an overlay: each field's label, its customer-first prompt, and its editor.

use ratatui::Frame;
use ratatui::layout::{Constraint::Length, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::band;
use super::theme::Styles;
use crate::app::App;
use crate::app::form::{Field, FieldKind, Form};

/// Width of the form overlay and of its editors inside it.
const FORM_WIDTH: u16 = 78;
const FIELD_WIDTH: u16 = FORM_WIDTH - 4;

/// Rows a field takes: label (+ prompt) and its editor.
fn rows(f: &Field, width: u16) -> u16 {
    1 + u16::from(!f.prompt.is_empty()) + f.height(width)
}

/// `discard`: the form is asking whether to discard what was typed.
pub fn draw(frame: &mut Frame, app: &App, st: &Styles, form: &Form, area: Rect, discard: bool) {
    let keys = app.settings().keys();
    let wanted: u16 = form
        .fields()
        .iter()
        .map(|f| rows(f, FIELD_WIDTH) + 1)
        .sum::<u16>()
        + 4;
    let rect = area.centered(Length(FORM_WIDTH), Length(wanted.min(area.height)));
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(st.border_focused)
        .title(Span::styled(format!(" {} ", form.title()), st.title));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);

    let footer_h = 2;
    let body = Rect {
        height: inner.height.saturating_sub(footer_h),
        ..inner
    };
    let field_w = body.width.saturating_sub(2);
    // Scroll so the focused field is in view.
    let mut first = 0;
    while first < form.focus() {
        let needed: u16 = form.fields()[first..=form.focus()]
            .iter()
            .map(|f| rows(f, field_w) + 1)
            .sum();
        if needed <= body.height {
            break;
        }
        first += 1;
    }
    let mut y = body.y;
    for (i, f) in form.fields().iter().enumerate().skip(first) {
        let h = rows(f, field_w);
        if y + h > body.bottom() {
            break;
        }
        let focused = i == form.focus();
        let label_style = if focused {
            st.accent.add_modifier(ratatui::style::Modifier::BOLD)
        } else {
            st.title
        };
        let marker = if focused { "▸ " } else { "  " };
        frame.render_widget(
            Paragraph::new(Line::styled(
                format!("{marker}{}", f.id.label()),
                label_style,
            )),
            band(body, y, 1),
        );
        y += 1;
        if !f.prompt.is_empty() {
            frame.render_widget(
                Paragraph::new(Line::styled(
                    format!("  {}", keys.expand(f.prompt)),
                    st.muted,
                )),
                band(body, y, 1),
            );
            y += 1;
        }
        let field_area = Rect {
            x: body.x + 2,
            y,
            width: body.width.saturating_sub(2),
            height: f.height(field_w),
        };
        match f.kind {
            FieldKind::Choice => {
                let text = format!("◀ {} ▶", f.value());
                let style = if focused { st.selected } else { st.text };
                frame.render_widget(Paragraph::new(Span::styled(text, style)), field_area);
            }
            FieldKind::Line | FieldKind::Multi => frame.render_widget(&f.editor, field_area),
        }
        y += f.height(field_w) + 1;
    }
    let footer = band(inner, inner.bottom().saturating_sub(footer_h), footer_h);
    let mut lines = Vec::new();
    if discard {
        lines.push(Line::styled(
            app.settings()
                .keys()
                .expand("Discard your changes? {confirm.yes} / {confirm.no}"),
            st.warn.add_modifier(ratatui::style::Modifier::BOLD),
        ));
    } else if let Some(err) = form.error() {
        lines.push(Line::styled(
            format!("✗ {err}"),
            st.bad.add_modifier(ratatui::style::Modifier::BOLD),
        ));
    } else {
        lines.push(Line::raw(""));
    }
    let hint = footer_keys(form);
    lines.push(Line::styled(keys.expand(&hint), st.muted));
    frame.render_widget(Paragraph::new(lines), footer);
}

/// The keys the focused field answers to, as they act there: Enter moves on, makes a
/// new line, or (on the last field) saves; a topic is parked, not saved; a form of one
/// field has no next field.
fn footer_keys(form: &Form) -> String {
    let verb = if form.saves_to_board() {
        "save"
    } else {
        "park"
    };
    let many = form.fields().len() > 1;
    let last = form.focus() + 1 == form.fields().len();
    let mut parts: Vec<String> = Vec::new();
    match form.focused().kind {
        FieldKind::Multi => {
            if many {
                parts.push("{form.next_field} next field".into());
            }
            parts.push("{form.enter} new line".into());
            parts.push(format!("{{form.save}} {verb}"));
        }
        kind => {
            if kind == FieldKind::Choice {
                parts.push("{form.choose_prev}/{form.choose_next} choose".into());
            }
            if last {
                parts.push(format!("{{form.enter}} / {{form.save}} {verb}"));
                if many {
                    parts.push("{form.next_field} next field".into());
                }
            } else {
                parts.push("{form.next_field} / {form.enter} next field".into());
                parts.push(format!("{{form.save}} {verb}"));
            }
        }
    }
    parts.push("{form.cancel} cancel".into());
    parts.join(" · ")
}
