//! The customer journey: stages left to right, how the selected persona feels at each
//! (score and curve), each stage's metric against its target, and its open items.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Styles;
use super::{fit, pane_block};
use crate::app::{App, Pane};
use crate::format::{Verdict, metric_short, signed};
use crate::model::Metric;

/// The emotion curve: one block per stage, higher is happier.
const CURVE: [&str; 5] = ["▁", "▂", "▄", "▆", "█"];

pub fn draw(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    let persona = app.selected_persona();
    let title = match persona {
        Some(p) => format!("Journey · how {} feels", p.name),
        None => "Journey".to_owned(),
    };
    let shown = app.stage_columns(area);
    let title = match (shown.first(), shown.last()) {
        (Some((first, _)), Some((last, _))) if shown.len() < app.board.stages.len() => format!(
            "{title} · stages {}–{} of {} ({})",
            first + 1,
            last + 1,
            app.board.stages.len(),
            app.keys.expand("{board.left}/{board.right}")
        ),
        _ => title,
    };
    let block = pane_block(app, st, Pane::Journey, title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if app.board.stages.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                app.keys.expand("No stages: {board.new} adds one"),
                st.muted,
            )),
            inner,
        );
        return;
    }
    let selected = app.stage_index();
    for (i, rect) in shown {
        let stage = &app.board.stages[i];
        let w = rect.width.saturating_sub(1) as usize;
        let is_sel = Some(i) == selected;
        let name_style = if is_sel && app.focus == Pane::Journey {
            st.selected
        } else if is_sel {
            st.title.add_modifier(ratatui::style::Modifier::UNDERLINED)
        } else {
            st.title
        };
        let score = persona
            .and_then(|p| app.board.feeling(p.id, stage.id))
            .map(|f| f.score);
        let (score_text, score_style) = match score {
            Some(s) => (signed(s), score_style(st, s)),
            None => ("·".to_owned(), st.muted),
        };
        let curve = score.map(|s| CURVE[(s + 2) as usize]).unwrap_or(" ");
        let open = app.view.open_per_stage.get(&stage.id).copied().unwrap_or(0);
        let (mut metric_text, metric_style) = metric(&stage.metric, st);
        if unicode_width::UnicodeWidthStr::width(metric_text.as_str()) > w {
            // Narrow: keep the ✓ / ✗ mark, drop the word.
            metric_text = metric_text.replace(" met", "").replace(" missed", "");
        }
        let lines = vec![
            Line::styled(format!("{:w$}", fit(&stage.name, w)), name_style),
            Line::from(vec![
                Span::styled(format!("{curve} "), score_style),
                Span::styled(score_text, score_style),
            ]),
            Line::styled(fit(&metric_text, w), metric_style),
            Line::styled(fit(&format!("{open} open"), w), st.muted),
        ];
        frame.render_widget(Paragraph::new(lines), rect);
    }
    // Below the stage columns: the selected stage's pains and the persona's note there.
    let rows_left = inner.height.saturating_sub(4);
    if rows_left > 0
        && let Some(stage) = app.selected_stage()
    {
        let width = inner.width as usize;
        let mut lines = Vec::new();
        if let Some(p) = persona
            && let Some(f) = app
                .board
                .feeling(p.id, stage.id)
                .filter(|f| !f.note.is_empty())
        {
            lines.push(Line::styled(
                fit(
                    &format!("{} at {}: “{}”", p.name, stage.name, f.note),
                    width,
                ),
                st.text,
            ));
        }
        if !stage.pains.is_empty() {
            lines.push(Line::styled(
                fit(
                    &format!("Pains: {}", super::first_line(&stage.pains)),
                    width,
                ),
                st.muted,
            ));
        }
        if !stage.touchpoints.is_empty() {
            lines.push(Line::styled(
                fit(
                    &format!("Touchpoints: {}", super::first_line(&stage.touchpoints)),
                    width,
                ),
                st.muted,
            ));
        }
        let area = Rect {
            y: inner.y + 4,
            height: rows_left,
            ..inner
        };
        frame.render_widget(Paragraph::new(lines), area);
    }
}

fn score_style(st: &Styles, s: i8) -> Style {
    match s {
        s if s > 0 => st.good,
        s if s < 0 => st.bad,
        _ => st.text,
    }
}

/// The metric's words, coloured by its verdict (the words say it too: ✓ met, ✗ missed).
pub fn metric(m: &Metric, st: &Styles) -> (String, Style) {
    let style = match Verdict::of(m) {
        Verdict::Met => st.good,
        Verdict::Missed => st.bad,
        Verdict::Unjudged => st.text,
        Verdict::NoValue => st.muted,
    };
    (metric_short(m), style)
}
