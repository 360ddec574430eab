//! Stand-up mode on the screen: the walk (right to left, blocked first, changed items
//! marked) beside the highlighted item and the parked topics; the "end it?" question;
//! and the summary popup when it has ended.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::fit;
use super::popup::boxed as boxed_popup;
use super::theme::Styles;
use crate::app::App;
use crate::app::cards::{BLOCKED, UNLINKED};
use crate::app::layout::scroll_offset;
use crate::app::standup::{StandupMode, clock};
use crate::format::on_wall;
use crate::keymap::ConfirmCommand;
use crate::model::{Glance, ItemChange, Standup, StandupSummary, Status};

pub const CHANGED: &str = "● changed";

/// The countdown's text and style for the status bar: calm, then a warning in the last
/// two minutes, then the bad colour (and the words "over by") past the timebox.
pub fn countdown(m: &StandupMode, app: &App, st: &Styles) -> Span<'static> {
    let clock = app.clock();
    let left = m.remaining(clock.now());
    let style = if left < 0 {
        st.bad
    } else if left <= 120 {
        st.warn
    } else {
        st.accent
    };
    Span::styled(
        format!(" {} ", m.countdown(clock.now())),
        style.add_modifier(Modifier::BOLD | Modifier::REVERSED),
    )
}

/// The stand-up screen in `area` (everything above the banner and status bar).
pub fn draw(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    let Some(m) = app.standup() else { return };
    let [header, main, hints] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(header_line(app, m, st, header.width)),
        header,
    );

    let [walk, side] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(main);
    let parked_h = (m.parked.len() as u16 + 2).clamp(3, side.height / 2);
    let [item, parked] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(parked_h)]).areas(side);
    draw_walk(frame, app, m, st, walk);
    draw_item(frame, app, st, item);
    draw_parked(frame, m, st, parked);
    frame.render_widget(
        Paragraph::new(Line::styled(
            fit(&hints_text(app), hints.width as usize),
            st.muted,
        )),
        hints,
    );
}

fn header_line(app: &App, m: &StandupMode, st: &Styles, width: u16) -> Line<'static> {
    let progress = match m.index() {
        Some(i) => format!("{} / {}", i + 1, m.walk.len()),
        None => format!("– / {}", m.walk.len()),
    };
    let since = match m.since {
        Some(t) => format!(
            "● changed since the last stand-up {}",
            t.to_zoned(app.clock().tz().clone())
                .strftime("%a %-d %b %H:%M")
        ),
        None => "first stand-up on this board: every item counts as changed".to_owned(),
    };
    let head = format!(" STAND-UP · {} · ", app.settings().user());
    let used = head.width() + progress.width() + 3;
    Line::from(vec![
        Span::styled(head, st.title),
        Span::styled(progress, st.accent.add_modifier(Modifier::BOLD)),
        Span::raw(" · "),
        Span::styled(fit(&since, (width as usize).saturating_sub(used)), st.muted),
    ])
}

/// The keys of the walk, as bound.
fn hints_text(app: &App) -> String {
    app.settings().keys().expand(
        " {board.down}/{board.up} walk · {standup.park} park · {standup.end} end · \
         {board.move_prev}/{board.move_next} move · {board.toggle_blocked} block · \
         {board.comment} comment · {board.edit} edit/owner · {board.new} new",
    )
}

fn boxed<'a>(title: String, st: &Styles, focused: bool) -> Block<'a> {
    Block::default()
        .borders(Borders::ALL)
        .border_style(if focused {
            st.border_focused
        } else {
            st.border
        })
        .title(Span::styled(title, st.title))
}

/// The walk: one line per column heading and per item; the highlighted item in view.
fn draw_walk(frame: &mut Frame, app: &App, m: &StandupMode, st: &Styles, area: Rect) {
    let block = boxed(" Walk: right to left, blocked first ".into(), st, true);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let width = inner.width as usize;
    let current = m.index();
    // Lay out the rows (column headings and steps) without touching the items, then
    // build only the rows in view: the frame costs the same with 100 or 10,000 items.
    enum Row {
        Heading(Status),
        Step(usize),
    }
    let mut rows: Vec<Row> = Vec::with_capacity(m.walk.len() + 4);
    let mut per_column = [0usize; 5];
    for (i, step) in m.walk.iter().enumerate() {
        per_column[step.column.index()] += 1;
        if i == 0 || m.walk[i - 1].column != step.column {
            rows.push(Row::Heading(step.column));
        }
        rows.push(Row::Step(i));
    }
    let highlighted_line = current.and_then(|c| {
        rows.iter()
            .position(|r| matches!(r, Row::Step(i) if *i == c))
    });
    let offset = scroll_offset(highlighted_line, inner.height as usize);
    let mut lines: Vec<Line> = Vec::with_capacity(inner.height as usize);
    for row in rows.iter().skip(offset).take(inner.height as usize) {
        match row {
            Row::Heading(column) => lines.push(Line::styled(
                format!("{} ({})", column.label(), per_column[column.index()]),
                st.title.add_modifier(Modifier::UNDERLINED),
            )),
            Row::Step(i) => {
                let step = m.walk[*i];
                if let Some(item) = m.items.get(&step.item) {
                    let on = Some(*i) == current;
                    lines.push(walk_row(m, st, item, step.column, on, width));
                }
            }
        }
    }
    if m.walk.is_empty() {
        lines.push(Line::styled(
            app.settings().keys().expand(
                "No open items: nothing to walk. {standup.park} parks a topic, \
                 {standup.end} ends the stand-up.",
            ),
            st.muted,
        ));
    }
    frame.render_widget(Paragraph::new(lines), inner);
}

fn walk_row(
    m: &StandupMode,
    st: &Styles,
    item: &Glance,
    walked_in: Status,
    highlighted: bool,
    width: usize,
) -> Line<'static> {
    let base = if highlighted { st.selected } else { st.text };
    let mut marks: Vec<Span> = Vec::new();
    if item.blocked {
        marks.push(Span::styled(format!(" {BLOCKED}"), st.bad));
    }
    if item.status != walked_in {
        marks.push(Span::styled(format!(" → {}", item.status.label()), st.good));
    }
    if item.changed_since(m.since) {
        marks.push(Span::styled(format!(" {CHANGED}"), st.accent));
    }
    let owner = if item.owner.is_empty() {
        "nobody"
    } else {
        item.owner.as_str()
    };
    marks.push(Span::styled(format!("  {owner}"), st.muted));
    let marks_w: usize = marks.iter().map(|s| s.width()).sum();
    let pointer = if highlighted { "▸ " } else { "  " };
    let id = format!("#{} ", item.id);
    let lead = 2 + id.len();
    let title = fit(
        &on_wall(&item.title),
        width.saturating_sub(lead + marks_w).max(8),
    );
    let pad = width.saturating_sub(lead + title.width() + marks_w);
    let mut spans = vec![
        Span::styled(pointer, base),
        Span::styled(id, if highlighted { base } else { st.muted }),
        Span::styled(title, base),
        Span::styled(" ".repeat(pad), base),
    ];
    spans.extend(marks);
    Line::from(spans)
}

/// Everything the team needs about the highlighted item, to talk about it.
fn draw_item(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    let screen = app.screen();
    let clock = app.clock();
    let item = app
        .selected_item()
        .filter(|_| app.standup().is_some_and(|m| m.index().is_some()));
    let Some(item) = item else {
        frame.render_widget(boxed(" Item ".into(), st, false), area);
        return;
    };
    let block = boxed(format!(" #{} ", item.id), st, false);
    let mut lines = vec![Line::styled(item.title.clone(), st.title)];
    let owner = if item.owner.is_empty() {
        "nobody"
    } else {
        item.owner.as_str()
    };
    let days = item.days_in_status(clock.now());
    lines.push(Line::from(vec![
        Span::styled(item.status.label(), st.title),
        Span::raw(" · owner "),
        Span::styled(owner.to_owned(), st.accent),
        Span::styled(
            format!(" · {}", crate::format::age_in(days, item.status.label())),
            st.muted,
        ),
    ]));
    if let Some(due) = item.due {
        if item.is_overdue(clock.today()) {
            lines.push(Line::styled(format!("due {due} · late"), st.bad));
        } else {
            lines.push(Line::styled(format!("due {due}"), st.muted));
        }
    }
    if item.blocked {
        lines.push(Line::styled(
            format!("{BLOCKED} Blocked: {}", on_wall(&item.blocked_reason)),
            st.bad.add_modifier(Modifier::BOLD),
        ));
    }
    let serves: Vec<&str> = [
        screen.wall().persona_name(item.persona_id),
        screen.wall().stage_name(item.stage_id),
    ]
    .into_iter()
    .flatten()
    .collect();
    if serves.is_empty() {
        lines.push(Line::styled(
            format!("{UNLINKED} serves no persona and no stage"),
            st.warn,
        ));
    } else {
        lines.push(Line::from(vec![
            Span::styled("Serves ", st.muted),
            Span::raw(serves.join(" · ")),
        ]));
    }
    // From Check on: did the customer notice? The metric then and now.
    if matches!(item.status, Status::Check | Status::Act | Status::Done)
        && let Some((stage, mv)) = crate::model::item_movement(item, screen.wall())
    {
        let style = match mv.way {
            Some(crate::model::Way::Better) => st.good,
            Some(crate::model::Way::Worse) => st.bad,
            _ => st.text,
        };
        lines.push(Line::from(vec![
            Span::styled("Customer ", st.muted),
            Span::styled(
                on_wall(&crate::format::metric::check_words(&stage.metric, &mv)).into_owned(),
                style,
            ),
        ]));
    }
    let mut field = |label: &str, value: &str, style: Style| {
        if !value.is_empty() {
            lines.push(Line::from(vec![
                Span::styled(format!("{label} "), st.muted),
                Span::styled(value.replace('\n', " "), style),
            ]));
        }
    };
    field("Impact", &item.impact, st.text);
    field("Risk", &item.risk, st.text);
    let comments = &screen.related().comments;
    if !comments.is_empty() {
        lines.push(Line::styled(
            format!("Comments ({}), newest last", comments.len()),
            st.muted,
        ));
        for c in comments.iter().rev().take(3).rev() {
            lines.push(Line::from(vec![
                Span::styled(format!("  {}: ", c.author), st.accent),
                Span::raw(on_wall(&c.text).replace('\n', " ")),
            ]));
        }
    }
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(block),
        area,
    );
}

fn draw_parked(frame: &mut Frame, m: &StandupMode, st: &Styles, area: Rect) {
    let block = boxed(
        format!(" Parked for after the stand-up ({}) ", m.parked.len()),
        st,
        false,
    );
    let lines: Vec<Line> = if m.parked.is_empty() {
        vec![Line::styled("Nothing parked · p parks a topic", st.muted)]
    } else {
        m.parked
            .iter()
            .map(|(t, _)| Line::raw(format!("• {}", on_wall(t))))
            .collect()
    };
    // The newest topics stay in view.
    let inner_h = area.height.saturating_sub(2) as usize;
    let skip = lines.len().saturating_sub(inner_h);
    frame.render_widget(
        Paragraph::new(lines.into_iter().skip(skip).collect::<Vec<_>>()).block(block),
        area,
    );
}

/// The `s` question: end and record the stand-up?
pub fn draw_confirm_end(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    let keys = app.settings().keys();
    let Some(m) = app.standup() else { return };
    let used = (m.timebox - m.remaining(app.clock().now())).max(0);
    let lines = vec![
        Line::raw("End the stand-up and record it?"),
        Line::styled(
            format!(
                "{} used · {} parked topic{} · a summary follows",
                clock(used),
                m.parked.len(),
                if m.parked.len() == 1 { "" } else { "s" }
            ),
            st.muted,
        ),
        Line::raw(""),
        Line::from(vec![
            Span::styled(keys.confirm.label(ConfirmCommand::Yes), st.title),
            Span::raw(" end it   "),
            Span::styled(keys.confirm.label(ConfirmCommand::No), st.title),
            Span::raw(" keep going"),
        ]),
    ];
    boxed_popup(frame, st, area, "Stand-up", lines, 60, 0);
}

/// The summary's lines: each person's changes, then the parked topics.
pub fn summary_lines(s: &StandupSummary, st: &Styles) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let heading = |text: String| Line::styled(text, st.title.add_modifier(Modifier::UNDERLINED));
    if s.people.is_empty() {
        lines.push(heading("Changes (0)".to_owned()));
        lines.push(Line::styled("  none", st.muted));
    }
    for p in &s.people {
        let who = if p.who.is_empty() { "nobody" } else { &p.who };
        lines.push(heading(format!("{} ({})", on_wall(who), p.changes.len())));
        for c in &p.changes {
            let (id, title) = c.item();
            let style = match c {
                ItemChange::Moved { .. } | ItemChange::Unblocked { .. } => st.good,
                ItemChange::Blocked { .. } | ItemChange::Deleted { .. } => st.bad,
                ItemChange::Added { .. } => st.accent,
                _ => st.text,
            };
            let mark = if matches!(c, ItemChange::Blocked { .. }) {
                format!("{BLOCKED} ")
            } else {
                String::new()
            };
            lines.push(Line::from(vec![
                Span::styled(format!("  #{id} "), st.muted),
                Span::raw(format!("{}: ", on_wall(title))),
                Span::styled(format!("{mark}{}", on_wall(&c.what())), style),
            ]));
        }
    }
    lines.push(heading(format!("Parked topics ({})", s.parked.len())));
    if s.parked.is_empty() {
        lines.push(Line::styled("  none", st.muted));
    }
    for t in &s.parked {
        lines.push(Line::from(vec![
            Span::raw(format!("  • {}", on_wall(&t.text))),
            Span::styled(format!(" ({})", on_wall(&t.by)), st.muted),
        ]));
    }
    if !s.evidence.is_empty() {
        lines.push(heading(format!(
            "Evidence heard since the last stand-up ({})",
            s.evidence.len()
        )));
        for e in &s.evidence {
            lines.push(Line::raw(format!("  ❝ {}", on_wall(&e.line()))));
        }
    }
    if !s.metrics.is_empty() {
        lines.push(heading(format!(
            "Metrics that moved since the last stand-up ({})",
            s.metrics.len()
        )));
        for m in &s.metrics {
            let style = match m.way {
                Some(crate::model::Way::Better) => st.good,
                Some(crate::model::Way::Worse) => st.bad,
                _ => st.text,
            };
            lines.push(Line::styled(format!("  {}", on_wall(&m.line())), style));
        }
    }
    lines
}

/// The summary popup: after `s` `y`, or opened from the stand-up list.
pub fn summary(
    frame: &mut Frame,
    app: &App,
    st: &Styles,
    area: Rect,
    standup: &Standup,
    s: &StandupSummary,
    scroll: u16,
) {
    let clock = app.clock();
    let mut lines = vec![Line::styled(crate::report::standup_counts(s), st.muted)];
    lines.extend(summary_lines(s, st));
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        app.settings().keys().expand(&format!(
            "obeya standup report --id {} prints this as Markdown · \
             {{popup.scroll_down}}/{{popup.scroll_up}} scroll · any other key closes",
            standup.id
        )),
        st.muted,
    ));
    let start = standup.started_at.to_zoned(clock.tz().clone());
    let end = standup.end().to_zoned(clock.tz().clone());
    let title = format!(
        "Stand-up {} {}–{} {} · {} · {} min",
        start.strftime("%a %-d %b"),
        start.strftime("%H:%M"),
        end.strftime("%H:%M"),
        crate::format::zone_label(standup.started_at, clock.tz()),
        if standup.facilitator.is_empty() {
            "nobody"
        } else {
            &standup.facilitator
        },
        standup.minutes(),
    );
    let width = area.width.saturating_sub(4).min(96);
    boxed_popup(frame, st, area, &title, lines, width, scroll);
}
