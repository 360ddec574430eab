//! Overlays: help (built from the keymap), the selection's detail, questions,
//! the conflict view and the activity log.

use ratatui::Frame;
use ratatui::layout::{Constraint::Length, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::fit;
use super::theme::Styles;
use crate::app::detail::DETAIL_WIDTH;
use crate::app::help::{HelpLine, help_lines, help_width};
use crate::app::history::{activity_lines, activity_width};
use crate::app::layout::scroll_offset;
use crate::app::{App, Mode, Question};
use crate::format::{on_wall, scroll_hint};
use crate::keymap::{ConfirmCommand, ConflictCommand};
use crate::model::{Conflict, Standup, StandupSummary};

/// The mode on top; under a question about quitting or discarding, what it is about.
pub fn draw(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    draw_mode(frame, app, st, area, app.modes().all());
}

/// The last of `open` (the modes open, the board first).
fn draw_mode(frame: &mut Frame, app: &App, st: &Styles, area: Rect, open: &[Mode]) {
    let clock = app.clock();
    let keys = app.settings().keys();
    let [beneath @ .., mode] = open else { return };
    match mode {
        Mode::Board | Mode::Standup(_) | Mode::Filter(_) => {}
        Mode::Help { scroll } => help(frame, app, st, area, *scroll),
        Mode::Detail { pane, scroll } => {
            let rect = area.centered(Length(DETAIL_WIDTH), Length(area.height.saturating_sub(4)));
            frame.render_widget(Clear, rect);
            super::detail::draw_pane(frame, app, st, *pane, rect, Some(*scroll));
        }
        Mode::Form(form) => super::form::draw(frame, app, st, form, area, false),
        Mode::Ask(q) => match q.as_ref() {
            Question::Confirm { text, .. } => {
                let lines = vec![
                    Line::raw(on_wall(text).into_owned()),
                    Line::raw(""),
                    Line::from(vec![
                        Span::styled(keys.confirm.label(ConfirmCommand::Yes), st.title),
                        Span::raw(" yes   "),
                        Span::styled(keys.confirm.label(ConfirmCommand::No), st.title),
                        Span::raw(" no"),
                    ]),
                ];
                boxed(frame, st, area, "Are you sure?", lines, 60, 0);
            }
            // The question itself is on the status line.
            Question::Quit => draw_mode(frame, app, st, area, beneath),
            Question::Discard => {
                if let Some(Mode::Form(form)) = beneath.last() {
                    super::form::draw(frame, app, st, form, area, true);
                }
            }
        },
        Mode::Conflict(c) => conflict(frame, app, st, area, c),
        Mode::EndStandup => super::standup::draw_confirm_end(frame, app, st, area),
        Mode::Summary {
            standup,
            summary,
            scroll,
        } => super::standup::summary(frame, app, st, area, standup, summary, *scroll),
        Mode::Activity { rows, scroll } => {
            let width = activity_width(area.width);
            let mut lines: Vec<Line> = activity_lines(rows, clock.tz(), width)
                .into_iter()
                .map(|l| {
                    Line::from(vec![
                        Span::styled(l.when, st.muted),
                        Span::styled(l.who, st.accent),
                        Span::styled(l.text, if l.lost { st.warn } else { st.text }),
                    ])
                })
                .collect();
            if lines.is_empty() {
                lines.push(Line::styled(
                    "Nothing has happened on this board yet.",
                    st.muted,
                ));
            }
            let zone = crate::format::zone_label(clock.now(), clock.tz());
            let title = keys.expand(&format!(
                "Activity, newest first · times {zone} · {{popup.scroll_down}}/{{popup.scroll_up}} scroll"
            ));
            boxed(
                frame,
                st,
                area,
                &title,
                lines,
                area.width.saturating_sub(4),
                *scroll,
            );
        }
        Mode::Standups { list, selected } => standups(frame, app, st, area, list, *selected),
        Mode::Parked { selected } => parked(frame, app, st, area, *selected),
        Mode::Evidence(view) => super::evidence::draw(frame, app, st, area, view),
    }
}

/// A bordered popup `width` wide, as tall as its wrapped `lines` (room allowing),
/// centred in `area`, scrolled to `scroll`.
pub fn boxed(
    frame: &mut Frame,
    st: &Styles,
    area: Rect,
    title: &str,
    lines: Vec<Line>,
    width: u16,
    scroll: u16,
) {
    // Counted in usize: a summary after a large import can run past u16's rows.
    let scroll = scroll.min(u16::try_from(lines.len().saturating_sub(1)).unwrap_or(u16::MAX));
    let inner_w = usize::from(width.saturating_sub(2).max(10));
    let wrapped: usize = lines
        .iter()
        .map(|l| l.width().div_ceil(inner_w).max(1))
        .sum();
    let tall = u16::try_from(wrapped).unwrap_or(u16::MAX).saturating_add(2);
    let rect = area.centered(Length(width), Length(tall));
    frame.render_widget(Clear, rect);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(st.border_focused)
        .title(Span::styled(format!(" {title} "), st.title));
    let shown = usize::from(rect.height.saturating_sub(2));
    if let Some(hint) = scroll_hint(usize::from(scroll), shown, wrapped) {
        block = block.title_bottom(Line::styled(format!(" {hint} "), st.muted).right_aligned());
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((scroll, 0))
            .block(block),
        rect,
    );
}

fn help(frame: &mut Frame, app: &App, st: &Styles, area: Rect, scroll: u16) {
    let width = help_width(area.width);
    let lines: Vec<Line> = help_lines(app.settings().keys(), width)
        .into_iter()
        .map(|l| match l {
            HelpLine::Heading(h) => Line::styled(h, st.title.add_modifier(Modifier::UNDERLINED)),
            HelpLine::Key(k, t) => {
                Line::from(vec![Span::styled(format!("{k} "), st.accent), Span::raw(t)])
            }
            HelpLine::Note(n) => Line::styled(n, st.muted),
            HelpLine::Blank => Line::raw(""),
        })
        .collect();
    let keys = app.settings().keys();
    let title = format!(
        " Keys · {} · {} closes ",
        keys.expand("{popup.scroll_down}/{popup.scroll_up} scroll"),
        keys.popup.labels(crate::keymap::PopupCommand::Close)
    );
    let rect = area.centered(
        Length(width as u16 + 2),
        Length(area.height.saturating_sub(2)),
    );
    frame.render_widget(Clear, rect);
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(st.border_focused)
        .title(Span::styled(title, st.title));
    let scroll = scroll.min(lines.len().saturating_sub(1) as u16);
    let shown = usize::from(rect.height.saturating_sub(2));
    if let Some(hint) = scroll_hint(usize::from(scroll), shown, lines.len()) {
        block = block.title_bottom(Line::styled(format!(" {hint} "), st.muted).right_aligned());
    }
    frame.render_widget(Paragraph::new(lines).scroll((scroll, 0)).block(block), rect);
}

fn conflict(frame: &mut Frame, app: &App, st: &Styles, area: Rect, c: &Conflict) {
    let keys = app.settings().keys();
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
            Span::raw(on_wall(&f.base).into_owned()),
        ]));
        lines.push(Line::from(vec![
            Span::styled("  theirs ", st.accent),
            Span::raw(on_wall(&f.theirs).into_owned()),
        ]));
        lines.push(Line::from(vec![
            Span::styled("  yours  ", st.warn),
            Span::raw(on_wall(&f.mine).into_owned()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::from(vec![
        Span::styled(keys.conflict.label(ConflictCommand::KeepMine), st.title),
        Span::raw(" keep mine   "),
        Span::styled(keys.conflict.label(ConflictCommand::KeepTheirs), st.title),
        Span::raw(" keep theirs   "),
        Span::styled(keys.conflict.label(ConflictCommand::Edit), st.title),
        Span::raw(" edit"),
    ]));
    lines.push(Line::styled(
        keys.expand("Whichever loses is kept in the activity log ({board.activity})."),
        st.muted,
    ));
    boxed(frame, st, area, "Conflict", lines, 76, 0);
}

/// The past stand-ups, newest first, one selected.
fn standups(
    frame: &mut Frame,
    app: &App,
    st: &Styles,
    area: Rect,
    list: &[(Standup, StandupSummary)],
    selected: usize,
) {
    let clock = app.clock();
    let width = area.width.saturating_sub(4).min(100);
    let inner_h = usize::from(area.height.saturating_sub(4)).max(1);
    let offset = scroll_offset(Some(selected), inner_h);
    let lines: Vec<Line> = list
        .iter()
        .enumerate()
        .skip(offset)
        .take(inner_h)
        .map(|(i, (s, summary))| {
            let on = i == selected;
            let start = s.started_at.to_zoned(clock.tz().clone());
            let end = s.end().to_zoned(clock.tz().clone());
            let c = summary.counts();
            let text = format!(
                "{}#{:<3} {} {}–{}  {}  {} min  {} · {} parked",
                if on { "▸ " } else { "  " },
                s.id,
                start.strftime("%a %Y-%m-%d"),
                start.strftime("%H:%M"),
                end.strftime("%H:%M"),
                on_wall(&s.facilitator),
                s.minutes(),
                c.words(),
                c.parked,
            );
            Line::styled(
                fit(&text, usize::from(width.saturating_sub(2))),
                if on { st.selected } else { st.text },
            )
        })
        .collect();
    let zone = crate::format::zone_label(clock.now(), clock.tz());
    let mut title = app.settings().keys().expand(&format!(
        "Stand-ups, newest first · times {zone} · {{popup.scroll_down}}/{{popup.scroll_up}} choose · {{popup.open}} its summary"
    ));
    title += &place_in_list(selected, list.len(), inner_h);
    boxed(frame, st, area, &title, lines, width, 0);
}

/// The parked topics still open, one selected.
fn parked(frame: &mut Frame, app: &App, st: &Styles, area: Rect, selected: usize) {
    let width = area.width.saturating_sub(4).min(100);
    let inner_h = usize::from(area.height.saturating_sub(4)).max(1);
    let offset = scroll_offset(Some(selected), inner_h);
    let lines: Vec<Line> = app
        .screen()
        .wall()
        .open_topics()
        .enumerate()
        .skip(offset)
        .take(inner_h)
        .map(|(i, t)| {
            let on = i == selected;
            let when = t
                .parked_at
                .to_zoned(app.clock().tz().clone())
                .strftime("%a %-d %b");
            let text = on_wall(&t.text).replace('\n', " ");
            let by = format!("  {} · {when}", on_wall(&t.parked_by));
            let room = usize::from(width.saturating_sub(4)).saturating_sub(by.chars().count());
            Line::from(vec![
                Span::styled(
                    format!("{}{}", if on { "▸ " } else { "  " }, fit(&text, room)),
                    if on { st.selected } else { st.text },
                ),
                Span::styled(by, st.muted),
            ])
        })
        .collect();
    let mut title = app.settings().keys().expand(
        "Parked topics still open · {popup.scroll_down}/{popup.scroll_up} choose · \
         {popup.resolve} resolve · {popup.make_item} make an item",
    );
    let open = app.screen().wall().open_topics().count();
    title += &place_in_list(selected, open, inner_h);
    boxed(frame, st, area, &title, lines, width, 0);
}

/// ` · 3/12` after a list's title when it does not show whole: which one is chosen.
fn place_in_list(selected: usize, len: usize, shown: usize) -> String {
    if len > shown {
        format!(" · {}/{len}", selected + 1)
    } else {
        String::new()
    }
}
