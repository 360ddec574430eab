//! The evidence view: one line per piece, newest first (the day, the kind, what it
//! expressed, whom and which stage it is about, its words), the selected piece whole
//! with its source and the items it supports, and the filters and keys in force.

use ratatui::Frame;
use ratatui::layout::{Constraint::Length, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::theme::Styles;
use crate::app::App;
use crate::app::evidence::EvidenceView;
use crate::app::layout::scroll_offset;
use crate::format::{fit, on_wall, signed, wrap};
use crate::keymap::EvidenceCommand;
use crate::model::{Evidence, Wall};
use crate::ui::journey::EVIDENCE;

pub fn draw(frame: &mut Frame, app: &App, st: &Styles, area: Rect, view: &EvidenceView) {
    let width = area.width.saturating_sub(2).min(120);
    let rect = area.centered(Length(width), Length(area.height.saturating_sub(1)));
    frame.render_widget(Clear, rect);
    let wall = app.screen().wall();
    let keys = app.settings().keys();
    let shown = if view.total > view.list.len() {
        format!("{} of {}", view.list.len(), view.total)
    } else {
        view.total.to_string()
    };
    // The selected piece takes its whole text, its source and what it supports; the
    // list scrolls around it, and the title then says which piece it is.
    let inner = crate::app::layout::inner(rect);
    let w = usize::from(inner.width);
    let selected = view.selected().cloned();
    let whole = selected
        .as_ref()
        .map(|e| whole_lines(wall, view, e, w, st))
        .unwrap_or_default();
    let room = usize::from(inner.height)
        .saturating_sub(2 + whole.len())
        .max(1);
    let place = if view.list.len() > room {
        format!(" · {}/{}", view.selected + 1, view.list.len())
    } else {
        String::new()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(st.border_focused)
        .title(Span::styled(
            format!(" {EVIDENCE} Evidence ({shown}), newest first{place} "),
            st.title,
        ))
        .title_bottom(Span::styled(keys.expand(&hint(view)), st.muted));
    frame.render_widget(block, rect);
    let mut lines = vec![filters(app, st, view, w), Line::raw("")];
    if view.list.is_empty() {
        lines.push(Line::styled(
            keys.expand(
                "Nothing heard here yet. {evidence.new} adds what a customer said or did; \
                 obeya evidence import FILE.csv brings a support desk's or a survey's export.",
            ),
            st.muted,
        ));
        frame.render_widget(Paragraph::new(lines), inner);
        return;
    }

    let offset = scroll_offset(Some(view.selected), room + 1);
    for (i, e) in view.list.iter().enumerate().skip(offset) {
        if lines.len() >= usize::from(inner.height) {
            break;
        }
        let on = i == view.selected;
        lines.push(row(wall, e, on, w, st));
        if on {
            lines.extend(whole.iter().cloned());
        }
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

/// The keys, with the link key naming the item it links to.
fn hint(view: &EvidenceView) -> String {
    let link = match &view.item {
        Some((id, _)) => format!(" · {{evidence.link}} link to #{id}"),
        None => String::new(),
    };
    format!(
        " {{evidence.new}} add · {{evidence.edit}} edit · {{evidence.delete}} delete{link} · \
         {{evidence.persona}}/{{evidence.stage}}/{{evidence.kind}} filter · {{evidence.close}} close "
    )
}

/// The filters in force, each with its key.
fn filters<'a>(app: &App, st: &Styles, view: &EvidenceView, width: usize) -> Line<'a> {
    let wall = app.screen().wall();
    let keys = &app.settings().keys().evidence;
    let f = &view.filter;
    let persona = wall.persona_name(f.persona).unwrap_or("all");
    let stage = wall.stage_name(f.stage).unwrap_or("all");
    let kind = f.kind.map_or("all", |k| k.as_str());
    let mut spans = Vec::new();
    for (key, label, value) in [
        (EvidenceCommand::Persona, "persona", persona),
        (EvidenceCommand::Stage, "stage", stage),
        (EvidenceCommand::Kind, "kind", kind),
    ] {
        spans.push(Span::styled(format!("{} ", keys.label(key)), st.accent));
        spans.push(Span::styled(format!("{label}: "), st.muted));
        let style = if value == "all" { st.text } else { st.title };
        spans.push(Span::styled(
            format!("{}   ", fit(&on_wall(value), 24)),
            style,
        ));
    }
    spans.push(Span::styled(
        format!("{} clear", keys.label(EvidenceCommand::Clear)),
        st.muted,
    ));
    let used: usize = spans.iter().map(|s| s.width()).sum();
    if used > width {
        spans.truncate(9);
    }
    Line::from(spans)
}

/// What a sentiment looks like: its sign and number, coloured by its side of zero.
fn sentiment<'a>(s: Option<i8>, st: &Styles) -> Span<'a> {
    match s {
        None => Span::styled("  ·", st.muted),
        Some(s) => {
            let style: Style = match s {
                s if s < 0 => st.bad,
                s if s > 0 => st.good,
                _ => st.text,
            };
            Span::styled(format!("{:>3}", signed(s)), style)
        }
    }
}

/// Columns for whom and which stage a piece is about: a quarter of the width, 10 to 28.
fn about_width(width: usize) -> usize {
    (width / 4).clamp(10, 28)
}

/// Columns left for a row's text: after the pointer, the day, the kind, the sentiment
/// and whom it is about.
fn text_room(width: usize) -> usize {
    width.saturating_sub(2 + 11 + 2 + 11 + 3 + 2 + about_width(width) + 2)
}

/// `14 Nov 2026  complaint   −2  Maria · Get help  “Refund took four days”`.
fn row<'a>(wall: &Wall, e: &Evidence, on: bool, width: usize, st: &Styles) -> Line<'a> {
    let base = if on { st.selected } else { st.text };
    let about: Vec<&str> = [wall.persona_name(e.persona_id), wall.stage_name(e.stage_id)]
        .into_iter()
        .flatten()
        .collect();
    let head = format!(
        "{}{:>11}  {:<11}",
        if on { "▸ " } else { "  " },
        e.observed.strftime("%-d %b %Y").to_string(),
        e.kind.as_str()
    );
    let about_w = about_width(width);
    let about = fit(&on_wall(&about.join(" · ")), about_w);
    let about = format!("  {about:<about_w$}  ");
    let text = on_wall(e.first_line()).into_owned();
    let text = fit(&format!("“{text}”"), text_room(width));
    Line::from(vec![
        Span::styled(head, base),
        sentiment(e.sentiment, st).patch_style(if on { st.selected } else { Style::default() }),
        Span::styled(about, st.muted.patch(base)),
        Span::styled(text, base),
    ])
}

/// The selected piece whole: its text, its source, the items it supports.
fn whole_lines<'a>(
    wall: &Wall,
    view: &EvidenceView,
    e: &Evidence,
    width: usize,
    st: &Styles,
) -> Vec<Line<'a>> {
    let indent = "      ";
    let w = width.saturating_sub(indent.len());
    let mut lines: Vec<Line> = Vec::new();
    let quoted = unicode_width::UnicodeWidthStr::width(e.text.as_str()) + 2;
    if e.text.lines().count() > 1 || quoted > text_room(width) {
        for l in wrap(&on_wall(&e.text), w, 6) {
            lines.push(Line::raw(format!("{indent}{l}")));
        }
    }
    let mut facts = Vec::new();
    if !e.source.is_empty() {
        facts.push(format!("source: {}", on_wall(&e.source).replace('\n', " ")));
    }
    if !wall.side_of(e.persona_id).is_customer() {
        facts.push("employee side".to_owned());
    }
    match view.supports.get(&e.id) {
        Some(ids) if !ids.is_empty() => {
            let ids: Vec<String> = ids.iter().map(|i| format!("#{i}")).collect();
            facts.push(format!("supports {}", ids.join(" ")));
        }
        _ => facts.push("supports no item yet".to_owned()),
    }
    lines.push(Line::styled(
        fit(&format!("{indent}{}", facts.join(" · ")), width),
        st.muted,
    ));
    lines
}
