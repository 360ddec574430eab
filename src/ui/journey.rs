//! The customer journey as a picture: stages left to right, every persona's feeling
//! curve across them (−2 … +2, in braille, with a marker per persona), lanes for the
//! customer goal, touchpoints, pains and backstage, and each stage's metric with its
//! history. Pains nobody is working on are marked `!`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::canvas::{self, Canvas};
use ratatui::widgets::{Paragraph, Sparkline};

use super::band;
use super::pane_block;
use super::theme::Styles;
use crate::app::layout::{JOURNEY_GUTTER, journey_stages};
use crate::app::{App, Pane};
use crate::format::{Verdict, fit, metric_short, metric_tiny, on_wall, wrap};
use crate::model::{Metric, Stage};

/// The mark of a pain with no open item on it.
pub const NO_ACTION: &str = "!";

/// The lanes under the curves: the customer's side, then ours.
const LANES: [(&str, Lane); 5] = [
    ("goal", Lane::Goal),
    ("touch", Lane::Touchpoints),
    ("pains", Lane::Pains),
    ("back", Lane::Backstage),
    ("work", Lane::Work),
];

#[derive(Clone, Copy, PartialEq)]
enum Lane {
    Goal,
    Touchpoints,
    Pains,
    Backstage,
    /// The open items at the stage.
    Work,
}

impl Lane {
    /// The stage's text in this lane (the work lane's is not the stage's own).
    fn text(self, s: &Stage) -> &str {
        match self {
            Lane::Goal => &s.customer_goal,
            Lane::Touchpoints => &s.touchpoints,
            Lane::Pains => &s.pains,
            Lane::Backstage => &s.backstage,
            Lane::Work => "",
        }
    }
}

/// How the pane's inner height is shared: rows of each part, top to bottom.
struct Rows {
    chart: u16,
    /// Lines per lane (0: not shown), in `LANES` order.
    lanes: [u16; 5],
    metric: u16,
    spark: u16,
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
    let rows = share_rows(app, inner.height, &shown);
    let stage_area = journey_stages(area);
    let gutter = Rect {
        width: JOURNEY_GUTTER.min(inner.width),
        ..inner
    };
    let mut y = inner.y;
    // Stage names.
    draw_names(frame, app, st, &shown, y);
    y += 1;
    // The curves, with the feeling scale in the gutter.
    let chart = band(stage_area, y, rows.chart);
    draw_scale(frame, st, band(gutter, y, rows.chart));
    draw_curves(frame, app, st, &shown, chart);
    y += rows.chart;
    for ((label, lane), lines) in LANES.iter().zip(rows.lanes) {
        if lines == 0 {
            continue;
        }
        let row = band(gutter, y, lines);
        frame.render_widget(Paragraph::new(Line::styled(*label, st.muted)), row);
        for (i, col) in &shown {
            let stage = &stages[*i];
            let w = col.width.saturating_sub(1) as usize;
            let (text, style) = lane_text(app, st, stage, *lane);
            let text: Vec<Line> = wrap(&text, w, usize::from(lines))
                .into_iter()
                .map(|l| Line::styled(l, style))
                .collect();
            let cell = band(*col, y, lines);
            frame.render_widget(Paragraph::new(text), cell);
        }
        y += lines;
    }
    if rows.metric > 0 {
        let row = band(gutter, y, 1);
        frame.render_widget(Paragraph::new(Line::styled("metric", st.muted)), row);
        for (i, col) in &shown {
            let m = &stages[*i].metric;
            let w = col.width.saturating_sub(1) as usize;
            let mut text = metric_short(m);
            if unicode_width::UnicodeWidthStr::width(text.as_str()) > w {
                text = metric_tiny(m);
            }
            let cell = band(*col, y, 1);
            frame.render_widget(
                Paragraph::new(Line::styled(fit(&text, w), metric_style(m, st))),
                cell,
            );
        }
        y += 1;
    }
    if rows.spark > 0 {
        for (i, col) in &shown {
            let values: Vec<f64> = screen
                .wall()
                .metric_history(stages[*i].id)
                .map(|v| v.value)
                .collect();
            let w = col.width.saturating_sub(1);
            let cell = Rect {
                y,
                height: 1,
                width: w.min(values.len() as u16),
                ..*col
            };
            frame.render_widget(sparkline(&values, w as usize, st), cell);
        }
    }
}

/// Who is who on the curves, and what `!` means; the selected persona stands out.
fn legend<'a>(app: &App, st: &Styles) -> Line<'a> {
    let screen = app.screen();
    let selected = screen.persona_index();
    let mut spans = vec![Span::raw(" ")];
    for (i, p) in screen.wall().personas.iter().enumerate() {
        let (marker, color) = st.persona(i);
        let mut name_style = st.text;
        if Some(i) == selected {
            name_style = name_style.add_modifier(Modifier::BOLD | Modifier::REVERSED);
        }
        spans.push(Span::styled(format!("{marker} "), color));
        spans.push(Span::styled(on_wall(&p.name).into_owned(), name_style));
        spans.push(Span::raw("  "));
    }
    spans.push(Span::styled(
        format!("{NO_ACTION} hurts, no open item "),
        st.bad,
    ));
    Line::from(spans)
}

/// The height shared out: the curves get at least three rows, then the metric, the
/// lanes (pains first), the history; what is left goes to the curves. Zoomed, the
/// lanes show their whole text.
fn share_rows(app: &App, height: u16, shown: &[(usize, Rect)]) -> Rows {
    let screen = app.screen();
    let stages = &screen.wall().stages;
    let has_metric = stages.iter().any(|s| !s.metric.is_empty());
    let has_history = !screen.wall().metric_values.is_empty();
    let mut left = height.saturating_sub(1); // the stage names
    let chart_min = (if height >= 10 { 4 } else { 3 }).min(left);
    left -= chart_min;
    let mut take = |want: u16| {
        let got = want.min(left);
        left -= got;
        got
    };
    let metric = if has_metric { take(1) } else { 0 };
    let spark = if has_history { take(1) } else { 0 };
    let mut lanes = [0u16; 5];
    let needed = |lane: Lane| -> u16 {
        if lane == Lane::Work {
            return 1;
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
    // Pains and the work on them first, then the goal, touchpoints and backstage.
    for k in [2, 4, 0, 1, 3] {
        lanes[k] = take(needed(LANES[k].1).min(if screen.zoomed() { 6 } else { 1 }));
    }
    let chart = chart_min + take(if screen.zoomed() { 12 } else { 8 });
    Rows {
        chart,
        lanes,
        metric,
        spark,
    }
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
        let cell = band(*col, y, 1);
        frame.render_widget(Paragraph::new(line), cell);
    }
}

/// +2 at the top of the curves, 0 in the middle, −2 at the bottom.
fn draw_scale(frame: &mut Frame, st: &Styles, area: Rect) {
    if area.height < 3 {
        return;
    }
    let mut lines = vec![Line::raw(""); area.height as usize];
    let last = lines.len() - 1;
    lines[0] = Line::styled("  +2", st.good);
    lines[last / 2] = Line::styled("   0", st.muted);
    lines[last] = Line::styled("  −2", st.bad);
    frame.render_widget(Paragraph::new(lines), area);
}

/// Every persona's feelings, stage to stage: a braille line in their colour, and their
/// marker at each stage (set apart from the others', so two equal scores both show).
fn draw_curves(frame: &mut Frame, app: &App, st: &Styles, shown: &[(usize, Rect)], area: Rect) {
    let screen = app.screen();
    if area.height == 0 || area.width < 2 {
        return;
    }
    let personas = &screen.wall().personas;
    let n = personas.len() as f64;
    let selected = screen.persona_index();
    // Draw the selected persona last, so its curve is on top.
    let mut order: Vec<usize> = (0..personas.len())
        .filter(|&k| Some(k) != selected)
        .collect();
    order.extend(selected);
    let x_of = |col: &Rect, k: usize| -> f64 {
        let centre = f64::from(col.x - area.x) + f64::from(col.width) / 2.0;
        (centre + (k as f64 - (n - 1.0) / 2.0) * 2.0).clamp(0.0, f64::from(area.width - 1))
    };
    let board = screen.wall();
    let canvas = Canvas::default()
        .marker(Marker::Braille)
        .x_bounds([0.0, f64::from(area.width - 1)])
        .y_bounds([-2.0, 2.0])
        .paint(|ctx| {
            for &k in &order {
                let p = &personas[k];
                let (_, style) = st.persona(k);
                let color = style.fg.unwrap_or(Color::Reset);
                let points: Vec<(f64, f64)> = shown
                    .iter()
                    .filter_map(|(i, col)| {
                        board
                            .feeling(p.id, board.stages[*i].id)
                            .map(|f| (x_of(col, k), f64::from(f.score)))
                    })
                    .collect();
                for w in points.windows(2) {
                    ctx.draw(&canvas::Line::new(w[0].0, w[0].1, w[1].0, w[1].1, color));
                }
                ctx.layer();
            }
            for &k in &order {
                let p = &personas[k];
                let (marker, style) = st.persona(k);
                let style = if Some(k) == selected {
                    style.add_modifier(Modifier::BOLD)
                } else {
                    style
                };
                for (i, col) in shown {
                    let stage = &board.stages[*i];
                    let Some(f) = board.feeling(p.id, stage.id) else {
                        continue;
                    };
                    let (x, y) = (x_of(col, k), f64::from(f.score));
                    ctx.print(x, y, Span::styled(marker, style));
                    if board.pain_without_action(&screen.view().open, p.id, stage.id) {
                        ctx.print(
                            (x + 1.0).min(f64::from(area.width - 1)),
                            y,
                            Span::styled(NO_ACTION, st.bad.add_modifier(Modifier::BOLD)),
                        );
                    }
                }
            }
        });
    frame.render_widget(canvas, area);
}

/// A lane's text at a stage; the pains lane marks pains nobody is working on.
fn lane_text(app: &App, st: &Styles, stage: &Stage, lane: Lane) -> (String, Style) {
    let screen = app.screen();
    let alarm = screen
        .wall()
        .stage_without_action(&screen.view().open, stage.id);
    if lane == Lane::Work {
        return match screen.view().open.at_stage(stage.id) {
            0 if alarm => (format!("{NO_ACTION} none open"), st.bad),
            0 => ("none open".to_owned(), st.muted),
            n => (format!("{n} open"), st.accent),
        };
    }
    let text = on_wall(lane.text(stage)).replace('\n', " ");
    if lane == Lane::Pains && alarm {
        return (format!("{NO_ACTION} {text}"), st.bad);
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
