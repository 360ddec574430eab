//! The improvement items on the PDCA board: five columns with counts and WIP limits,
//! and cards that show their id, the whole title, owner, due date, age in the column
//! and marks. Only the cards in view are built.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::band;
use super::theme::Styles;
use super::{fit, pane_block};
use crate::app::cards::{BLOCKED, EVIDENCE, INDENT, MARKED, MetaPart, UNLINKED, card_text};
use crate::app::{App, Pane};
use crate::model::Status;

pub fn draw(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    let screen = app.screen();
    let sieve = &screen.view().sieve;
    let total: usize = screen.view().totals.iter().sum();
    let mut title = vec![Span::raw(format!("Improvements ({total})"))];
    if let Some(who) = screen.mine() {
        title.push(Span::styled(format!(" · only {who}'s"), st.accent));
    }
    if !screen.filter().is_empty() {
        let filter = crate::format::on_wall(screen.filter());
        title.push(Span::styled(format!(" · filter “{filter}”"), st.accent));
        if sieve.waiting {
            let letters = sieve.letters_needed();
            let why = format!(" (filters from {letters} letters on {total} items)");
            title.push(Span::styled(why, st.muted));
        }
    }
    let cols = screen.card_columns(area);
    let shown: Vec<usize> = (0..cols.len()).filter(|&c| cols[c].area() > 0).collect();
    if let (Some(first), Some(last)) = (shown.first(), shown.last())
        && shown.len() < cols.len()
    {
        let keys = app.settings().keys().expand("{board.left}/{board.right}");
        let page = format!(" · columns {}–{} of 5 ({keys})", first + 1, last + 1);
        title.push(Span::styled(page, st.muted));
    }
    let block = pane_block(app, st, Pane::Improvements, Line::from(title));
    frame.render_widget(block, area);
    for c in shown {
        let status = Status::from_index(c).unwrap_or(Status::Plan);
        draw_column(frame, app, st, status, cols[c]);
    }
}

fn draw_column(frame: &mut Frame, app: &App, st: &Styles, status: Status, rect: Rect) {
    let (screen, c) = (app.screen(), status.index());
    let (shown, total) = (screen.view().shown[c], screen.view().totals[c]);
    let counting = screen.view().counting[c];
    let limit = screen.wall().wip_limit(status);
    // A filter's count still to come (a big board) reads "…".
    let (header, style) = header(status, total, (!counting).then_some(shown), limit, st);
    let in_column = screen.selection().column == c;
    let header_style = if in_column && screen.focus() == Pane::Improvements {
        style.add_modifier(Modifier::UNDERLINED)
    } else {
        style
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            // A blank column after it: the columns may stand without a gap.
            fit(&header, rect.width.saturating_sub(1) as usize),
            header_style,
        )),
        Rect { height: 1, ..rect },
    );

    let (first, count) = screen.cards_in_view(c, rect);
    let selected_row = in_column.then(|| screen.selected_row()).flatten();
    let mut lines: Vec<Line> = Vec::with_capacity(rect.height as usize);
    if first > 0 {
        lines.push(Line::styled(format!("  ↑ {first} more"), st.muted));
    }
    for row in first..first + count {
        let Some(item) = screen.view().columns[c].get(row) else {
            continue;
        };
        let selected = Some(row) == selected_row;
        lines.extend(card(app, st, item, selected, rect.width as usize));
    }
    let below = shown - first - count;
    if counting {
        lines.push(Line::styled("  ↓ more", st.muted));
    } else if below > 0 {
        lines.push(Line::styled(format!("  ↓ {below} more"), st.muted));
    }
    frame.render_widget(
        Paragraph::new(lines),
        band(rect, rect.y + 1, rect.height.saturating_sub(1)),
    );
}

/// "Do (3/3 WIP)"; over the limit it says so in words too. `shown`: how many pass the
/// filter ("… of 12" while that is still being counted).
pub fn header(
    status: Status,
    total: usize,
    shown: Option<usize>,
    limit: Option<u32>,
    st: &Styles,
) -> (String, Style) {
    let count = match shown {
        Some(shown) if shown == total => format!("{total}"),
        Some(shown) => format!("{shown} of {total}"),
        None => format!("… of {total}"),
    };
    match limit {
        Some(l) if total > l as usize => (
            format!("{} ({count}/{l} WIP ▲ over)", status.label()),
            st.bad.add_modifier(Modifier::BOLD),
        ),
        Some(l) => (format!("{} ({count}/{l} WIP)", status.label()), st.title),
        None => (format!("{} ({count})", status.label()), st.title),
    }
}

fn card<'a>(
    app: &App,
    st: &Styles,
    item: &crate::model::Item,
    selected: bool,
    width: usize,
) -> Vec<Line<'a>> {
    let (screen, clock) = (app.screen(), app.clock());
    let focused = selected && screen.focus() == Pane::Improvements;
    let paint = |s: Style| if focused { s.patch(st.selected) } else { s };
    let text = card_text(
        item,
        width,
        screen.compact(),
        screen.is_marked(item),
        screen.view().evidence.get(&item.id).copied().unwrap_or(0),
        clock.today(),
        clock.now(),
    );
    let mut lines = Vec::with_capacity(text.title.len() + 1);
    for (n, line) in text.title.iter().enumerate() {
        let pointer = if n == 0 && selected { "▸ " } else { "  " };
        let mut spans = vec![Span::styled(pointer, paint(st.text))];
        if n == 0 {
            let (head, rest) = split_at_width(line, text.head_width);
            spans.extend(head_spans(head, st).into_iter().map(|s| {
                let style = paint(s.style);
                s.style(style)
            }));
            spans.push(Span::styled(rest.to_owned(), paint(st.title)));
        } else {
            spans.push(Span::styled(line.clone(), paint(st.title)));
        }
        lines.push(pad(spans, width, paint(st.text)));
    }
    // From Check on, the item's metric then and now ends the last line of facts.
    let metric = super::metric::on_card(app, item, st);
    let last = text.meta.len().saturating_sub(1);
    for (n, facts) in text.meta.iter().enumerate() {
        let mut facts: Vec<&MetaPart> = facts.iter().collect();
        let mut extra = None;
        if let (true, Some((forms, style))) = (n == last, &metric) {
            let words;
            (facts, words) = with_metric(facts, forms, width.saturating_sub(INDENT));
            extra = words.map(|w| (w.clone(), *style));
        }
        let mut spans = vec![Span::styled(" ".repeat(INDENT), paint(st.text))];
        for (k, part) in facts.into_iter().enumerate() {
            if k > 0 {
                spans.push(Span::styled(" · ", paint(st.muted)));
            }
            spans.push(match part {
                MetaPart::Owner(o) => Span::styled(o.clone(), paint(st.accent)),
                MetaPart::Due { text, late } => {
                    Span::styled(text.clone(), paint(if *late { st.bad } else { st.muted }))
                }
                MetaPart::Age(a) => Span::styled(a.clone(), paint(st.muted)),
            });
        }
        if let Some((words, style)) = extra {
            spans.push(Span::styled(" · ", paint(st.muted)));
            spans.push(Span::styled(words, paint(style)));
        }
        lines.push(pad(spans, width, paint(st.text)));
    }
    lines
}

/// A card's last line of facts with the item's metric after them, in `room` columns:
/// the long form, else the tiny one, giving up the age for it if need be (never the
/// owner or the due date); no metric when neither fits.
fn with_metric<'p, 'w>(
    facts: Vec<&'p MetaPart>,
    forms: &'w [String; 2],
    room: usize,
) -> (Vec<&'p MetaPart>, Option<&'w String>) {
    let width = |parts: &[&MetaPart]| parts.iter().map(|p| p.width() + 3).sum::<usize>();
    let no_age: Vec<&MetaPart> = facts
        .iter()
        .copied()
        .filter(|p| !matches!(p, MetaPart::Age(_)))
        .collect();
    for words in forms {
        let needs = unicode_width::UnicodeWidthStr::width(words.as_str());
        for parts in [&facts, &no_age] {
            if width(parts) + needs <= room {
                return (parts.clone(), Some(words));
            }
        }
    }
    (facts, None)
}

/// The marks and `#id` at the start of a card, each in its colour.
fn head_spans<'a>(head: &str, st: &Styles) -> Vec<Span<'a>> {
    let mut spans = Vec::new();
    let mut rest = head;
    for (mark, style) in [(MARKED, st.accent), (BLOCKED, st.bad), (UNLINKED, st.warn)] {
        if let Some(r) = rest.strip_prefix(mark) {
            spans.push(Span::styled(mark, style));
            rest = r;
        }
    }
    // How much evidence: the mark and its count.
    if let Some(r) = rest.strip_prefix(EVIDENCE) {
        let digits = r.find(|c: char| !c.is_ascii_digit()).unwrap_or(r.len());
        spans.push(Span::styled(
            format!("{EVIDENCE}{}", &r[..digits]),
            st.accent,
        ));
        rest = &r[digits..];
    }
    spans.push(Span::styled(rest.to_owned(), st.muted));
    spans
}

/// The prefix of `s` that is `width` columns wide, and the rest.
fn split_at_width(s: &str, width: usize) -> (&str, &str) {
    let mut used = 0;
    for (i, c) in s.char_indices() {
        if used >= width {
            return s.split_at(i);
        }
        used += unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
    }
    (s, "")
}

/// A line filled to `width`, so a selected card is highlighted edge to edge.
fn pad<'a>(mut spans: Vec<Span<'a>>, width: usize, style: Style) -> Line<'a> {
    let used: usize = spans.iter().map(|s| s.width()).sum();
    if used < width {
        spans.push(Span::styled(" ".repeat(width - used), style));
    }
    Line::from(spans)
}
