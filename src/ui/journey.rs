//! The journey as a picture, both its sides: stages left to right, every customer
//! persona's feeling curve across them (−2 … +2, in braille, with a marker per persona),
//! what customers were heard to say beside it (`○`), lanes for the customer goal,
//! touchpoints, pains, the evidence heard and the open work; then the employees' curves
//! with the backstage lane, and each stage's metric with its history. Pains nobody is
//! working on are marked `!`, pains nobody has heard `?`, and a team's feeling a point
//! or more from what was heard `≠`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{self, Canvas};
use ratatui::widgets::{Paragraph, Sparkline};

use super::band as band_rect;
use super::pane_block;
use super::theme::Styles;
use crate::app::layout::{JOURNEY_GUTTER, journey_stages};
use crate::app::{App, Pane};
use crate::format::{Verdict, fit, metric_short, metric_tiny, on_wall, signed_mean, wrap};
use crate::model::{Metric, Side, Stage};

/// The mark of a pain with no open item on it.
pub const NO_ACTION: &str = "!";
/// The mark of a pain no evidence backs.
pub const UNHEARD: &str = "?";
/// What was heard, drawn beside what the team believes.
pub const HEARD: &str = "○";
/// Heard and believed a point or more apart.
pub const GAP: &str = "≠";
/// How much evidence (on cards, in the heard lane).
pub use crate::app::cards::EVIDENCE;

/// The lanes under the curves: the customer's side, then ours.
#[derive(Clone, Copy, PartialEq)]
enum Lane {
    Goal,
    Touchpoints,
    Pains,
    /// The evidence heard at the stage.
    Heard,
    Backstage,
    /// The open items at the stage.
    Work,
}

impl Lane {
    fn label(self) -> &'static str {
        match self {
            Lane::Goal => "goal",
            Lane::Touchpoints => "touch",
            Lane::Pains => "pains",
            Lane::Heard => "heard",
            Lane::Backstage => "back",
            Lane::Work => "work",
        }
    }

    /// The stage's text in this lane (the heard and work lanes' are not the stage's own).
    fn text(self, s: &Stage) -> &str {
        match self {
            Lane::Goal => &s.customer_goal,
            Lane::Touchpoints => &s.touchpoints,
            Lane::Pains => &s.pains,
            Lane::Backstage => &s.backstage,
            Lane::Heard | Lane::Work => "",
        }
    }
}

/// One band of the pane, top to bottom, with its rows.
#[derive(Clone, Copy, PartialEq)]
enum Band {
    /// One side's feeling curves.
    Curves(Side, u16),
    Lane(Lane, u16),
    Metric,
    Spark,
}

pub fn draw(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    let screen = app.screen();
    let stages = &screen.wall().stages;
    let shown = screen.stage_columns(area);
    let mut title = format!("Journey ({} stages)", stages.len());
    if let (Some((first, _)), Some((last, _))) = (shown.first(), shown.last())
        && shown.len() < stages.len()
    {
        title += &format!(
            " · stages {}–{} of {} ({})",
            first + 1,
            last + 1,
            stages.len(),
            app.settings().keys().expand("{board.left}/{board.right}")
        );
    }
    let block = pane_block(app, st, Pane::Journey, title).title_bottom(legend(app, st));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if stages.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                app.settings()
                    .keys()
                    .expand("No stages: {board.new} adds one"),
                st.muted,
            )),
            inner,
        );
        return;
    }
    let stage_area = journey_stages(area);
    let gutter = Rect {
        width: JOURNEY_GUTTER.min(inner.width),
        ..inner
    };
    let mut y = inner.y;
    // Stage names.
    draw_names(frame, app, st, &shown, y);
    y += 1;
    for band in share_rows(app, inner.height, &shown) {
        match band {
            Band::Curves(side, rows) => {
                draw_scale(frame, st, side, band_rect(gutter, y, rows));
                draw_curves(frame, app, st, side, &shown, band_rect(stage_area, y, rows));
                y += rows;
            }
            Band::Lane(lane, lines) => {
                let row = band_rect(gutter, y, lines);
                frame.render_widget(Paragraph::new(Line::styled(lane.label(), st.muted)), row);
                for (i, col) in &shown {
                    let stage = &stages[*i];
                    let w = col.width.saturating_sub(1) as usize;
                    let (text, style) = lane_text(app, st, stage, lane);
                    let text: Vec<Line> = wrap(&text, w, usize::from(lines))
                        .into_iter()
                        .map(|l| Line::styled(l, style))
                        .collect();
                    frame.render_widget(Paragraph::new(text), band_rect(*col, y, lines));
                }
                y += lines;
            }
            Band::Metric => {
                let row = band_rect(gutter, y, 1);
                frame.render_widget(Paragraph::new(Line::styled("metric", st.muted)), row);
                for (i, col) in &shown {
                    let m = &stages[*i].metric;
                    let w = col.width.saturating_sub(1) as usize;
                    let mut text = metric_short(m);
                    if unicode_width::UnicodeWidthStr::width(text.as_str()) > w {
                        text = metric_tiny(m);
                    }
                    frame.render_widget(
                        Paragraph::new(Line::styled(fit(&text, w), metric_style(m, st))),
                        band_rect(*col, y, 1),
                    );
                }
                y += 1;
            }
            Band::Spark => {
                for (i, col) in &shown {
                    let values: Vec<f64> = screen
                        .wall()
                        .metric_history(stages[*i].id)
                        .map(|v| v.value)
                        .collect();
                    let w = col.width.saturating_sub(1);
                    // The change since the last stand-up after the sparkline, if it fits.
                    let stage = &stages[*i];
                    let trend = crate::format::metric::stage_trend_short(screen.wall(), stage)
                        .filter(|t| {
                            unicode_width::UnicodeWidthStr::width(t.as_str()) + 3 <= w as usize
                        });
                    let trend_w = trend.as_ref().map_or(0, |t| {
                        unicode_width::UnicodeWidthStr::width(t.as_str()) as u16 + 1
                    });
                    let bars = w.saturating_sub(trend_w).min(values.len() as u16);
                    let cell = Rect {
                        y,
                        height: 1,
                        width: bars,
                        ..*col
                    };
                    frame.render_widget(sparkline(&values, bars as usize, st), cell);
                    if let Some(t) = trend {
                        let style = if t.ends_with('▲') {
                            st.good
                        } else if t.ends_with('▼') {
                            st.bad
                        } else {
                            st.text
                        };
                        let rest = Rect {
                            x: col.x + bars + 1,
                            y,
                            height: 1,
                            width: trend_w.saturating_sub(1),
                        };
                        frame.render_widget(Paragraph::new(Line::styled(t, style)), rest);
                    }
                }
                y += 1;
            }
        }
    }
}

/// Who is who on the curves (the employees apart), and what the marks mean; the
/// selected persona stands out.
fn legend<'a>(app: &App, st: &Styles) -> Line<'a> {
    let screen = app.screen();
    let wall = screen.wall();
    let selected = screen.persona_index();
    let mut spans = vec![Span::raw(" ")];
    for side in [Side::Customer, Side::Employee] {
        let mut first = true;
        for (i, p) in wall.personas_on(side) {
            if first && side == Side::Employee {
                spans.push(Span::styled("│ staff ", st.muted));
            }
            first = false;
            let (marker, color) = st.persona(i);
            let mut name_style = st.text;
            if Some(i) == selected {
                name_style = name_style.add_modifier(Modifier::BOLD | Modifier::REVERSED);
            }
            spans.push(Span::styled(format!("{marker} "), color));
            spans.push(Span::styled(on_wall(&p.name).into_owned(), name_style));
            spans.push(Span::raw("  "));
        }
    }
    if wall.heard.is_empty() {
        spans.push(Span::styled(
            format!("{NO_ACTION} hurts, no open item "),
            st.bad,
        ));
    } else {
        spans.push(Span::styled(format!("{NO_ACTION} no open item "), st.bad));
        spans.push(Span::styled(
            format!("{UNHEARD} unheard {HEARD} heard {GAP} 1+ off "),
            st.warn,
        ));
    }
    Line::from(spans)
}

/// The bands top to bottom and their rows. The customers' curves get at least three
/// rows, then the metric, the lanes (pains, what was heard and the work on them
/// first), the employees' curves and the backstage lane, the goal, touchpoints, the
/// history; what is left goes to the customers' curves. Zoomed, the lanes show their
/// whole text.
fn share_rows(app: &App, height: u16, shown: &[(usize, Rect)]) -> Vec<Band> {
    let screen = app.screen();
    let wall = screen.wall();
    let stages = &wall.stages;
    let has_metric = stages.iter().any(|s| !s.metric.is_empty());
    let has_history = !wall.metric_values.is_empty();
    let staff = wall.has_employees();
    let heard = !wall.heard.is_empty();
    let mut left = height.saturating_sub(1); // the stage names
    // Four rows for the customers' curves, three when the employees' need room too.
    let chart_min = (if height >= 10 && !staff { 4 } else { 3 }).min(left);
    left -= chart_min;
    let take = |left: &mut u16, want: u16| {
        let got = want.min(*left);
        *left -= got;
        got
    };
    let metric = if has_metric { take(&mut left, 1) } else { 0 };
    let spark = if has_history { take(&mut left, 1) } else { 0 };
    let needed = |lane: Lane| -> u16 {
        match lane {
            Lane::Work => return 1,
            Lane::Heard => return u16::from(heard),
            _ => {}
        }
        if !screen.zoomed() {
            return u16::from(stages.iter().any(|s| !lane.text(s).trim().is_empty()));
        }
        shown
            .iter()
            .map(|(i, col)| {
                wrap(
                    lane.text(&stages[*i]),
                    col.width.saturating_sub(1) as usize,
                    usize::MAX,
                )
                .len() as u16
            })
            .max()
            .unwrap_or(0)
    };
    let most = if screen.zoomed() { 6 } else { 1 };
    // Lanes by priority: the pains, what was heard, (the employees' side,) the work,
    // the goal and the touchpoints. Each first gets a row, so that zoomed every lane
    // shows; then a row more each in turn, up to its whole text, as rows are left.
    let mut order = vec![Lane::Pains, Lane::Heard];
    // The employees' curves: two rows (four zoomed) if two are left after a row each
    // for the pains and what was heard; the backstage lane goes with them.
    let first_rows = u16::from(needed(Lane::Pains) > 0) + u16::from(needed(Lane::Heard) > 0);
    let staff_rows = if staff && left >= 2 + first_rows {
        2
    } else {
        0
    };
    if staff_rows > 0 {
        order.extend([Lane::Backstage, Lane::Work]);
    } else {
        order.extend([Lane::Work, Lane::Backstage]);
    }
    order.extend([Lane::Goal, Lane::Touchpoints]);
    let wants: Vec<u16> = order.iter().map(|&l| needed(l).min(most)).collect();
    let mut rows = vec![0u16; order.len()];
    let mut staff_rows = take(&mut left, staff_rows);
    for (r, want) in rows.iter_mut().zip(&wants) {
        *r = take(&mut left, (*want).min(1));
    }
    if staff_rows > 0 && screen.zoomed() {
        staff_rows += take(&mut left, 2);
    }
    // A row more to each lane in turn, so that a long lane does not starve the others.
    while left > 0 && rows.iter().zip(&wants).any(|(r, w)| r < w) {
        for (r, want) in rows.iter_mut().zip(&wants) {
            if *r < *want {
                *r += take(&mut left, 1);
            }
        }
    }
    let rows_of = |l: Lane| order.iter().position(|&o| o == l).map_or(0, |k| rows[k]);
    let (pains, heard_rows, back, work) = (
        rows_of(Lane::Pains),
        rows_of(Lane::Heard),
        rows_of(Lane::Backstage),
        rows_of(Lane::Work),
    );
    let (goal, touch) = (rows_of(Lane::Goal), rows_of(Lane::Touchpoints));
    let chart = chart_min + take(&mut left, if screen.zoomed() { 12 } else { 8 });
    let mut bands = vec![Band::Curves(Side::Customer, chart)];
    let add_lane = |bands: &mut Vec<Band>, l: Lane, rows: u16| {
        if rows > 0 {
            bands.push(Band::Lane(l, rows));
        }
    };
    add_lane(&mut bands, Lane::Goal, goal);
    add_lane(&mut bands, Lane::Touchpoints, touch);
    add_lane(&mut bands, Lane::Pains, pains);
    add_lane(&mut bands, Lane::Heard, heard_rows);
    if staff_rows > 0 {
        add_lane(&mut bands, Lane::Work, work);
        bands.push(Band::Curves(Side::Employee, staff_rows));
        add_lane(&mut bands, Lane::Backstage, back);
    } else {
        add_lane(&mut bands, Lane::Backstage, back);
        add_lane(&mut bands, Lane::Work, work);
    }
    if metric > 0 {
        bands.push(Band::Metric);
    }
    if spark > 0 {
        bands.push(Band::Spark);
    }
    bands
}

fn draw_names(frame: &mut Frame, app: &App, st: &Styles, shown: &[(usize, Rect)], y: u16) {
    let screen = app.screen();
    let selected = screen.stage_index();
    for (i, col) in shown {
        let stage = &screen.wall().stages[*i];
        let w = col.width.saturating_sub(1) as usize;
        let style = if Some(*i) == selected && screen.focus() == Pane::Journey {
            st.selected
        } else if Some(*i) == selected {
            st.title.add_modifier(Modifier::UNDERLINED)
        } else {
            st.title
        };
        let name = fit(&on_wall(&stage.name), w);
        let pad = w.saturating_sub(unicode_width::UnicodeWidthStr::width(name.as_str()));
        let line = Line::from(vec![
            Span::styled(name, style),
            Span::styled(" ".repeat(pad), style),
        ]);
        frame.render_widget(Paragraph::new(line), band_rect(*col, y, 1));
    }
}

/// +2 at the top of the curves, 0 in the middle, −2 at the bottom; the employees'
/// curves say whose they are on their first row.
fn draw_scale(frame: &mut Frame, st: &Styles, side: Side, area: Rect) {
    if area.height < 2 || (side.is_customer() && area.height < 3) {
        return;
    }
    let mut lines = vec![Line::raw(""); area.height as usize];
    let last = lines.len() - 1;
    lines[0] = Line::styled("  +2", st.good);
    if last >= 2 {
        lines[last / 2] = Line::styled("   0", st.muted);
    }
    lines[last] = Line::styled("  −2", st.bad);
    if !side.is_customer() {
        lines[0] = Line::styled("staff", st.title);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// One side's personas' feelings, stage to stage: a braille line in their colour, and
/// their marker at each stage (set apart from the others', so two equal scores both
/// show). Beside each: what was heard (`○` at its mean), and the marks: `!` no open
/// item, `?` no evidence for a bad feeling, `≠` heard a point or more from it.
fn draw_curves(
    frame: &mut Frame,
    app: &App,
    st: &Styles,
    side: Side,
    shown: &[(usize, Rect)],
    area: Rect,
) {
    let screen = app.screen();
    if area.height == 0 || area.width < 2 {
        return;
    }
    let board = screen.wall();
    let selected = screen.persona_index();
    // (place in the wall's list, place among this side's), the selected one drawn last.
    let mut order: Vec<(usize, usize)> = board
        .personas_on(side)
        .enumerate()
        .map(|(k, (i, _))| (i, k))
        .collect();
    let n = order.len() as f64;
    order.sort_by_key(|(i, _)| Some(*i) == selected);
    let right = f64::from(area.width - 1);
    let x_of = |col: &Rect, k: usize| -> f64 {
        let centre = f64::from(col.x - area.x) + f64::from(col.width) / 2.0;
        // Three columns apart: each marker keeps a mark on either side of it.
        (centre + (k as f64 - (n - 1.0) / 2.0) * 3.0).clamp(0.0, right)
    };
    let canvas = Canvas::default()
        .marker(Marker::Braille)
        .x_bounds([0.0, right])
        .y_bounds([-2.0, 2.0])
        .paint(|ctx| {
            for &(i, k) in &order {
                let p = &board.personas[i];
                let (_, style) = st.persona(i);
                let color = style.fg.unwrap_or(Color::Reset);
                let points: Vec<(f64, f64)> = shown
                    .iter()
                    .filter_map(|(s, col)| {
                        board
                            .feeling(p.id, board.stages[*s].id)
                            .map(|f| (x_of(col, k), f64::from(f.score)))
                    })
                    .collect();
                for w in points.windows(2) {
                    ctx.draw(&canvas::Line::new(w[0].0, w[0].1, w[1].0, w[1].1, color));
                }
                ctx.layer();
            }
            // What was heard first, so a marker at the same place stays on top.
            for &(i, k) in &order {
                let p = &board.personas[i];
                let (_, style) = st.persona(i);
                for (s, col) in shown {
                    let heard = board.heard_of(p.id, board.stages[*s].id).mean();
                    if let Some(mean) = heard {
                        ctx.print(
                            x_of(col, k),
                            mean.clamp(-2.0, 2.0),
                            Span::styled(HEARD, style),
                        );
                    }
                }
            }
            for &(i, k) in &order {
                let p = &board.personas[i];
                let (marker, style) = st.persona(i);
                let style = if Some(i) == selected {
                    style.add_modifier(Modifier::BOLD)
                } else {
                    style
                };
                for (s, col) in shown {
                    let stage = &board.stages[*s];
                    let Some(f) = board.feeling(p.id, stage.id) else {
                        continue;
                    };
                    let (x, y) = (x_of(col, k), f64::from(f.score));
                    ctx.print(x, y, Span::styled(marker, style));
                    if board.pain_without_action(&screen.view().open, p.id, stage.id) {
                        ctx.print(
                            (x + 1.0).min(right),
                            y,
                            Span::styled(NO_ACTION, st.bad.add_modifier(Modifier::BOLD)),
                        );
                    }
                    let before = if board.heard_gap(p.id, stage.id) {
                        Some(GAP)
                    } else if !board.heard.is_empty() && board.pain_unheard(p.id, stage.id) {
                        Some(UNHEARD)
                    } else {
                        None
                    };
                    if let Some(mark) = before {
                        ctx.print((x - 1.0).max(0.0), y, Span::styled(mark, st.warn));
                    }
                }
            }
        });
    frame.render_widget(canvas, area);
}

/// A lane's text at a stage; the pains lane marks pains nobody is working on (`!`)
/// and pains nobody has heard (`?`); the heard lane counts the evidence and says what
/// the customers expressed there.
fn lane_text(app: &App, st: &Styles, stage: &Stage, lane: Lane) -> (String, Style) {
    let screen = app.screen();
    let wall = screen.wall();
    let alarm = wall.stage_without_action(&screen.view().open, stage.id);
    match lane {
        Lane::Work => {
            return match screen.view().open.at_stage(stage.id) {
                0 if alarm => (format!("{NO_ACTION} none open"), st.bad),
                0 => ("none open".to_owned(), st.muted),
                n => (format!("{n} open"), st.accent),
            };
        }
        Lane::Heard => {
            let all = wall.heard.at_stage(stage.id);
            return match (all.count, wall.heard_at(Side::Customer, stage.id).mean()) {
                (0, _) => ("none heard".to_owned(), st.muted),
                (n, Some(mean)) => (
                    format!("{EVIDENCE}{n} {HEARD}{}", signed_mean(mean)),
                    st.accent,
                ),
                (n, None) => (format!("{EVIDENCE}{n}"), st.accent),
            };
        }
        _ => {}
    }
    let text = on_wall(lane.text(stage)).replace('\n', " ");
    let unheard =
        lane == Lane::Pains && !wall.heard.is_empty() && wall.stage_pains_unheard(stage.id);
    if lane == Lane::Pains && (alarm || unheard) {
        let marks = match (alarm, unheard) {
            (true, true) => format!("{NO_ACTION}{UNHEARD}"),
            (true, false) => NO_ACTION.to_owned(),
            _ => UNHEARD.to_owned(),
        };
        return (
            format!("{marks} {text}"),
            if alarm { st.bad } else { st.warn },
        );
    }
    let style = match lane {
        Lane::Pains => st.warn,
        Lane::Backstage => st.muted,
        _ => st.text,
    };
    (text, style)
}

/// The metric's words, coloured by its verdict (the words say it too: ✓, ✗).
pub fn metric_style(m: &Metric, st: &Styles) -> Style {
    match Verdict::of(m) {
        Verdict::Met => st.good,
        Verdict::Near => st.warn,
        Verdict::Missed => st.bad,
        Verdict::Unjudged => st.text,
        Verdict::NoValue => st.muted,
    }
}

/// The last `width` values of a metric's history as a sparkline, scaled between their
/// own lowest and highest.
fn sparkline<'a>(values: &[f64], width: usize, st: &Styles) -> Sparkline<'a> {
    let recent = &values[values.len().saturating_sub(width)..];
    let lo = recent.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = recent.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let data: Vec<u64> = recent
        .iter()
        .map(|v| {
            if hi > lo {
                1 + ((v - lo) / (hi - lo) * 7.0).round() as u64
            } else {
                4
            }
        })
        .collect();
    Sparkline::default().data(data).max(8).style(st.accent)
}
