//! Every field of the selected record, as labelled text: what the detail view and the
//! zoom show, and how long it is (so scrolling stops at its end).

use super::{NoteKind, Pane, Screen};
use crate::app::Clock;
use crate::format::{local_time, metric_long, number, signed, signed_mean};
use crate::model::rules::{LONGEST_TEXT, TextSize};
use crate::model::{Comment, Evidence, Item, Labelled, Side};

/// A record's fields: (label, value) pairs, empty values left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Detail {
    pub title: String,
    pub fields: Vec<(String, String)>,
}

/// Width of the detail popup.
pub const DETAIL_WIDTH: u16 = 76;

/// What the detail view and the stand-up show that the wall does not keep in memory:
/// the items serving the selected persona, the open items at the selected stage, and
/// the selected item's comments. Read when they are about to show (see
/// `Screen::read_related`), never while drawing.
#[derive(Debug, Clone, Default)]
pub struct Related {
    /// What it was read for (`None`: nothing yet).
    key: Option<RelatedKey>,
    /// The first items serving the persona, and how many there are.
    pub persona_items: (Vec<Item>, usize),
    /// The first open items at the stage, and how many there are.
    pub stage_items: (Vec<Item>, usize),
    pub comments: Vec<Comment>,
    /// The selected item's evidence, newest observed first.
    pub evidence: Vec<Evidence>,
}

/// The selected persona, stage and item, and the view's generation (every re-read of
/// the board makes a new one).
type RelatedKey = (Option<i64>, Option<i64>, Option<i64>, u64);

/// The detail view lists this many items serving a persona or at a stage, then says
/// how many more there are.
const LISTED: usize = 100;

/// "#3 'Fix refunds' (Do)" lines, and "… and 12 more" after them.
fn listing(items: &(Vec<Item>, usize), line: impl Fn(&Item) -> String) -> String {
    let (shown, total) = items;
    let mut lines: Vec<String> = shown.iter().map(line).collect();
    if *total > shown.len() {
        lines.push(format!("… and {} more", total - shown.len()));
    }
    lines.join("\n")
}

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

impl Screen {
    /// Every field of the selection of `pane`, for the detail view and zoom; times in
    /// the clock's zone.
    pub fn detail(&self, pane: Pane, clock: &Clock) -> Detail {
        let app = self;
        let mut fields = Vec::new();
        let mut field = |label: &str, value: &str| {
            if !value.trim().is_empty() {
                // What can be drawn of it (see `format::on_wall`), not a copy of a text
                // the sqlite3 shell made far longer.
                let value = match crate::format::first_chars(value, LONGEST_TEXT) {
                    (all, false) => all.to_owned(),
                    (part, true) => format!("{part}…"),
                };
                fields.push((label.to_owned(), value));
            }
        };
        let b = &app.wall;
        let title = match pane {
            Pane::Mission => {
                field("Statement", &b.mission.statement);
                field("Customer", &b.mission.customer);
                field("Customer index", &crate::format::metric::index_detail(b));
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
                        .filter(|q| !q.trim().is_empty())
                        .map(|q| format!("“{}”", q.trim()))
                        .collect::<Vec<_>>()
                        .join("\n"),
                );
                let feelings: Vec<String> = b
                    .stages
                    .iter()
                    .filter_map(|s| {
                        b.feeling(p.id, s.id)
                            .map(|f| format!("{} {}: {}", short(&s.name), signed(f.score), f.note))
                    })
                    .collect();
                field("Feelings along the journey", &feelings.join("\n"));
                if !p.side.is_customer() {
                    field("Side", "employee: the other side of the journey");
                }
                let heard = b.heard.of_persona(p.id);
                if heard.count > 0 {
                    let mut text = crate::format::count(
                        heard.count,
                        "piece of evidence",
                        "pieces of evidence",
                    );
                    if let Some(mean) = heard.mean() {
                        text += &format!(", sentiment {}", signed_mean(mean));
                    }
                    if let Some((day, q)) = b.heard.quotes.get(&p.id) {
                        text += &format!("\nnewest quote, {day}: “{q}”");
                    }
                    field("Heard", &text);
                }
                field(
                    "Items serving them",
                    &listing(&app.related.persona_items, |i| {
                        format!("#{} {} ({})", i.id, short(&i.title), i.status.label())
                    }),
                );
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
                let trend = crate::format::metric::stage_trend(b, s, clock.now(), clock.tz());
                field("Since the last stand-up", &trend.unwrap_or_default());
                let history: Vec<String> = b
                    .metric_history(s.id)
                    .map(|v| {
                        format!(
                            "{}  {}{}  {}",
                            local_time(v.at, clock.tz()),
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
                            .map(|f| format!("{} {}: {}", short(&p.name), signed(f.score), f.note))
                    })
                    .collect();
                field("How each persona feels", &feelings.join("\n"));
                let heard: Vec<String> = [Side::Customer, Side::Employee]
                    .into_iter()
                    .filter_map(|side| {
                        let t = b.heard_at(side, s.id);
                        let who = if side.is_customer() {
                            "customers"
                        } else {
                            "employees"
                        };
                        let pieces = crate::format::count(t.count, "piece", "pieces");
                        (t.count > 0).then(|| match t.mean() {
                            Some(m) => format!("{who}: {pieces}, sentiment {}", signed_mean(m)),
                            None => format!("{who}: {pieces}"),
                        })
                    })
                    .collect();
                field("Heard here", &heard.join("\n"));
                field(
                    "Open items at this stage",
                    &listing(&app.related.stage_items, |i| {
                        format!("{} ({})", i.label(), i.status.label())
                    }),
                );
                s.name.clone()
            }
            Pane::Improvements => {
                let Some(i) = app.selected_item() else {
                    return Detail::default();
                };
                field(
                    "Status",
                    &crate::format::in_status_for(i.days_in_status(clock.now()), i.status.label()),
                );
                field("Owner", &i.owner);
                field(
                    "Due",
                    &i.due
                        .map(|d| {
                            if i.is_overdue(clock.today()) {
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
                        "{} at {}{}",
                        p.unwrap_or("any persona"),
                        s.unwrap_or("any stage"),
                        if b.side_of(i.persona_id).is_customer() {
                            ""
                        } else {
                            " (the employees' side)"
                        }
                    ),
                };
                field("Serves", &serves);
                if let Some((stage, mv)) = crate::model::item_movement(i, b) {
                    field(
                        "The customer, since Do",
                        &crate::format::metric::check_words(&stage.metric, &mv),
                    );
                }
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
                let comments: Vec<String> = app
                    .related
                    .comments
                    .iter()
                    .map(|c| {
                        format!(
                            "{}  {}: {}",
                            local_time(c.at, clock.tz()),
                            c.author,
                            c.text.replace('\n', " ")
                        )
                    })
                    .collect();
                field("Comments", &comments.join("\n"));
                let evidence: Vec<String> = app
                    .related
                    .evidence
                    .iter()
                    .map(|e| {
                        let mut line = format!("{}  {}", e.observed, e.kind);
                        if let Some(s) = e.sentiment {
                            line += &format!(" {}", signed(s));
                        }
                        line += &format!(": “{}”", e.text.replace('\n', " "));
                        if !e.source.is_empty() {
                            line += &format!(" — {}", e.source);
                        }
                        line
                    })
                    .collect();
                let title = format!("Evidence ({}), newest first", evidence.len());
                field(&title, &evidence.join("\n"));
                field(
                    "Last change",
                    &format!(
                        "{} by {}",
                        local_time(i.meta.updated_at, clock.tz()),
                        i.meta.updated_by
                    ),
                );
                format!("#{} {}", i.id, i.title)
            }
        };
        Detail {
            // Drawn on the border: a line's worth.
            title: crate::format::fit(&title, TextSize::Line.max_chars()),
            fields,
        }
    }
}

/// A name or title inside a field: cut at the longest a title may be (only the sqlite3
/// shell makes one longer).
fn short(text: &str) -> std::borrow::Cow<'_, str> {
    match crate::format::first_chars(text, TextSize::Line.max_chars()) {
        (all, false) => all.into(),
        (part, true) => format!("{part}…").into(),
    }
}

impl Screen {
    /// Read what the detail view or the stand-up is about to show of the selection,
    /// unless it was read for this selection and this state of the board already.
    pub(super) fn read_related(&mut self, store: &crate::store::Store) {
        let key = Some((
            self.sel.persona,
            self.sel.stage,
            self.sel.item,
            self.view.generation,
        ));
        if self.related.key == key {
            return;
        }
        let read = || -> Result<Related, crate::store::StoreError> {
            Ok(Related {
                key,
                persona_items: match self.sel.persona {
                    Some(p) => store.items_serving(Some(p), None, false, LISTED)?,
                    None => Default::default(),
                },
                stage_items: match self.sel.stage {
                    Some(s) => store.items_serving(None, Some(s), true, LISTED)?,
                    None => Default::default(),
                },
                comments: match self.sel.item {
                    Some(i) => store.comments_of(i)?,
                    None => Vec::new(),
                },
                evidence: match self.sel.item {
                    Some(i) => store.evidence_of_item(i)?,
                    None => Vec::new(),
                },
            })
        };
        match read() {
            Ok(related) => self.related = related,
            Err(e) => self.say(NoteKind::Error, e.to_string()),
        }
    }
}
