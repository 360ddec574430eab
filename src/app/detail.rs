//! Every field of the selected record, as labelled text: what the detail view and the
//! zoom show, and how long it is (so scrolling stops at its end).

use super::{App, Pane};
use crate::format::{local_time, metric_long, number, signed};
use crate::model::{Labelled, Status};

/// A record's fields: (label, value) pairs, empty values left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detail {
    pub title: String,
    pub fields: Vec<(String, String)>,
}

/// Width of the detail popup.
pub const DETAIL_WIDTH: u16 = 76;

impl Detail {
    /// Lines on screen in a box `width` wide: a label, then the value wrapped.
    pub fn line_count(&self, width: u16) -> usize {
        let w = usize::from(width.saturating_sub(4));
        self.fields
            .iter()
            .map(|(l, v)| {
                crate::format::wrap(l, w + 2, usize::MAX).len()
                    + crate::format::wrap(v, w, usize::MAX).len()
            })
            .sum()
    }
}

impl App {
    /// Every field of the selection of `pane`, for the detail view and zoom.
    pub fn detail(&self, pane: Pane) -> Detail {
        let app = self;
        let mut fields = Vec::new();
        let mut field = |label: &str, value: &str| {
            if !value.is_empty() {
                fields.push((label.to_owned(), value.to_owned()));
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
                    return Detail::default();
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
                    return Detail::default();
                };
                field("Customer goal", &s.customer_goal);
                field("Touchpoints", &s.touchpoints);
                field("Pains", &s.pains);
                field("Backstage", &s.backstage);
                if !s.metric.is_empty() {
                    field("Metric", &metric_long(&s.metric));
                }
                let history: Vec<String> = b
                    .metric_history(s.id)
                    .map(|v| {
                        format!(
                            "{}  {}{}  {}",
                            local_time(v.at, &app.tz),
                            number(v.value),
                            s.metric.unit,
                            v.who
                        )
                    })
                    .collect();
                field("Metric history, oldest first", &history.join("\n"));
                let feelings: Vec<String> = b
                    .personas
                    .iter()
                    .filter_map(|p| {
                        b.feeling(p.id, s.id)
                            .map(|f| format!("{} {}: {}", p.name, signed(f.score), f.note))
                    })
                    .collect();
                field("How each persona feels", &feelings.join("\n"));
                let work: Vec<String> = b
                    .items
                    .iter()
                    .filter(|i| i.stage_id == Some(s.id) && i.status != Status::Done)
                    .map(|i| format!("{} ({})", i.label(), i.status.label()))
                    .collect();
                field("Open items at this stage", &work.join("\n"));
                s.name.clone()
            }
            Pane::Improvements => {
                let Some(i) = app.selected_item() else {
                    return Detail::default();
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
                            "{}  {}: {}",
                            local_time(c.at, &app.tz),
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
                        local_time(i.meta.updated_at, &app.tz),
                        i.meta.updated_by
                    ),
                );
                format!("#{} {}", i.id, i.title)
            }
        };
        Detail { title, fields }
    }
}
