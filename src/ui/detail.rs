//! Every field of the selected record: the zoom view's side panel and the Enter popup.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::journey::metric;
use super::theme::Styles;
use crate::app::{App, Pane};
use crate::format::signed;

/// (title, lines) describing the selection of `pane`.
pub fn lines<'a>(app: &App, st: &Styles, pane: Pane) -> (String, Vec<Line<'a>>) {
    let mut out = Vec::new();
    let mut field = |label: &str, value: &str| {
        if value.is_empty() {
            return;
        }
        out.push(Line::styled(label.to_owned(), st.muted));
        for l in value.lines() {
            out.push(Line::raw(format!("  {l}")));
        }
    };
    let b = &app.board;
    let title = match pane {
        Pane::Mission => {
            field("Statement", &b.mission.statement);
            field("Customer", &b.mission.customer);
            "Mission".to_owned()
        }
        Pane::Personas => {
            let Some(p) = app.selected_persona() else {
                return (String::new(), Vec::new());
            };
            field("Role", &p.role);
            field("Goal", &p.goal);
            field("Needs", &p.needs);
            field("Pains", &p.pains);
            field(
                "Quote",
                &p.quote
                    .lines()
                    .map(|q| format!("“{q}”"))
                    .collect::<Vec<_>>()
                    .join("\n"),
            );
            let feelings: Vec<String> = b
                .stages
                .iter()
                .filter_map(|s| {
                    b.feeling(p.id, s.id)
                        .map(|f| format!("{} {}: {}", s.name, signed(f.score), f.note))
                })
                .collect();
            field("Feelings along the journey", &feelings.join("\n"));
            let items: Vec<String> = b
                .items
                .iter()
                .filter(|i| i.persona_id == Some(p.id))
                .map(|i| format!("#{} {} ({})", i.id, i.title, i.status.label()))
                .collect();
            field("Items serving them", &items.join("\n"));
            p.name.clone()
        }
        Pane::Journey => {
            let Some(s) = app.selected_stage() else {
                return (String::new(), Vec::new());
            };
            field("Customer goal", &s.customer_goal);
            field("Touchpoints", &s.touchpoints);
            field("Pains", &s.pains);
            field("Backstage", &s.backstage);
            if !s.metric.is_empty() {
                let (m, _) = metric(&s.metric, st);
                field("Metric", &format!("{}: {m}", s.metric.name));
            }
            let feelings: Vec<String> = b
                .personas
                .iter()
                .filter_map(|p| {
                    b.feeling(p.id, s.id)
                        .map(|f| format!("{} {}: {}", p.name, signed(f.score), f.note))
                })
                .collect();
            field("How each persona feels", &feelings.join("\n"));
            s.name.clone()
        }
        Pane::Improvements => {
            let Some(i) = app.selected_item() else {
                return (String::new(), Vec::new());
            };
            field(
                "Status",
                &format!(
                    "{} for {} day(s)",
                    i.status.label(),
                    i.days_in_status(app.now)
                ),
            );
            field("Owner", &i.owner);
            field(
                "Due",
                &i.due
                    .map(|d| {
                        if i.is_overdue(app.today) {
                            format!("{d} (overdue)")
                        } else {
                            d.to_string()
                        }
                    })
                    .unwrap_or_default(),
            );
            let serves = match (b.persona_name(i.persona_id), b.stage_name(i.stage_id)) {
                (None, None) => "⚠ no persona and no stage: who is this for?".to_owned(),
                (p, s) => format!(
                    "{} at {}",
                    p.unwrap_or("any persona"),
                    s.unwrap_or("any stage")
                ),
            };
            field("Serves", &serves);
            field(
                "How will this help our customers meet their goals?",
                &i.impact,
            );
            field("How might this adversely affect customers?", &i.risk);
            if i.blocked {
                field(
                    "⛔ Blocked",
                    if i.blocked_reason.is_empty() {
                        "(no reason given)"
                    } else {
                        &i.blocked_reason
                    },
                );
            }
            field("Detail", &i.detail);
            let comments: Vec<String> = b
                .comments_of(i.id)
                .map(|c| {
                    format!(
                        "{} {}: {}",
                        c.at.strftime("%Y-%m-%d"),
                        c.author,
                        c.text.replace('\n', " ")
                    )
                })
                .collect();
            field("Comments", &comments.join("\n"));
            field(
                "Last change",
                &format!(
                    "{} by {}",
                    i.meta.updated_at.strftime("%Y-%m-%d %H:%M"),
                    i.meta.updated_by
                ),
            );
            format!("#{} {}", i.id, i.title)
        }
    };
    (title, out)
}

/// `scroll`: first line shown (the Enter popup scrolls with j / k; zoom shows the top).
pub fn draw_pane(
    frame: &mut Frame,
    app: &App,
    st: &Styles,
    pane: Pane,
    area: Rect,
    scroll: Option<u16>,
) {
    let (title, lines) = lines(app, st, pane);
    let top = scroll
        .unwrap_or(0)
        .min(lines.len().saturating_sub(1) as u16);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(st.border)
        .title(Line::from(vec![
            Span::raw(" "),
            Span::styled(title, st.title),
            Span::styled(
                if scroll.is_some() {
                    " e edit · j/k scroll "
                } else {
                    " "
                },
                st.muted,
            ),
        ]));
    frame.render_widget(
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .scroll((top, 0))
            .block(block),
        area,
    );
}
