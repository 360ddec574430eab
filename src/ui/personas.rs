//! The personas as cards: who we serve (and who serves them: the employees), with the
//! newest thing we heard them say, their goal and pains, how many open items serve each
//! and how much evidence we have of them. The selected one drives the journey's
//! highlight.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::pane_block;
use super::theme::Styles;
use crate::app::{App, Pane};
use crate::format::{fit, on_wall, signed, wrap};
use crate::model::Persona;
use crate::ui::journey::EVIDENCE;

pub fn draw(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    let screen = app.screen();
    let n = screen.wall().personas.len();
    let mut title = format!("Personas ({n})");
    if screen.zoomed() {
        let (first, count, _, _) = zoomed_page(app, crate::app::layout::inner(area));
        if count < n {
            let keys = app.settings().keys().expand("{board.down}/{board.up}");
            title += &format!(" · {}–{} of {n} ({keys})", first + 1, first + count);
        }
    } else {
        let shown = screen.persona_cards(crate::app::layout::inner(area));
        if let (Some((first, _)), Some((last, _))) = (shown.first(), shown.last())
            && shown.len() < n
        {
            // Short: the pane is narrow where this happens.
            title = format!("Personas {}–{}/{n}", first + 1, last + 1);
        }
    }
    let block = pane_block(app, st, Pane::Personas, title);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if screen.wall().personas.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                app.settings()
                    .keys()
                    .expand("No personas: {board.new} adds one"),
                st.muted,
            )),
            inner,
        );
        return;
    }
    if screen.zoomed() {
        draw_zoomed(frame, app, st, inner);
        return;
    }
    let selected = screen.persona_index();
    for (i, rect) in screen.persona_cards(inner) {
        let p = &screen.wall().personas[i];
        let lines = card(app, st, i, p, Some(i) == selected, rect);
        frame.render_widget(Paragraph::new(lines), rect);
    }
}

/// The first line: marker, name, role, and the open items serving them.
fn heading<'a>(
    app: &App,
    st: &Styles,
    i: usize,
    p: &Persona,
    selected: bool,
    width: usize,
) -> Line<'a> {
    let screen = app.screen();
    let base = if selected && screen.focus() == Pane::Personas {
        st.selected
    } else if selected {
        st.title
    } else {
        st.text
    };
    let (marker, color) = st.persona(i);
    let pointer = if selected { "▶" } else { " " };
    let mut open = format!(" {} open", screen.view().open.for_persona(p.id));
    let heard = screen.wall().heard.of_persona(p.id).count;
    if heard > 0 {
        open += &format!(" {EVIDENCE}{heard}");
    }
    let staff = if p.side.is_customer() { "" } else { "staff: " };
    let role = if p.role.is_empty() {
        String::new()
    } else {
        format!(", {staff}{}", on_wall(&p.role))
    };
    let name_w = width.saturating_sub(4 + open.chars().count());
    let name = fit(&format!("{}{role}", on_wall(&p.name)), name_w);
    let pad = name_w.saturating_sub(unicode_width::UnicodeWidthStr::width(name.as_str()));
    Line::from(vec![
        Span::styled(format!("{pointer} "), base),
        Span::styled(format!("{marker} "), color.patch(base)),
        Span::styled(name, base.add_modifier(ratatui::style::Modifier::BOLD)),
        Span::styled(" ".repeat(pad), base),
        Span::styled(open, st.muted.patch(base)),
    ])
}

/// A persona's card in `rect`: the heading, then goal, pains and quote as room allows.
fn card<'a>(
    app: &App,
    st: &Styles,
    i: usize,
    p: &Persona,
    selected: bool,
    rect: Rect,
) -> Vec<Line<'a>> {
    let width = rect.width as usize;
    let mut lines = vec![heading(app, st, i, p, selected, width)];
    // What we last heard them say comes first; their quote as written, without it.
    let heard = app.screen().wall().heard.quotes.get(&p.id);
    let (quote, quote_style) = match heard {
        Some((_, heard)) => (format!("{EVIDENCE} “{heard}”"), st.accent),
        None => (format!("“{}”", p.quote.trim()), st.muted),
    };
    // (Without colour every style is alike: ask what was heard, not the style.)
    let said = if heard.is_some() || !p.quote.trim().is_empty() {
        quote.as_str()
    } else {
        ""
    };
    let fields: Vec<(String, Style)> = [
        (quote.clone(), said, quote_style),
        (format!("Goal: {}", p.goal), &p.goal, st.text),
        (format!("Pains: {}", p.pains), &p.pains, st.bad),
    ]
    .into_iter()
    .filter(|(_, v, _)| !v.trim().is_empty())
    .map(|(t, _, s)| (on_wall(&t).replace('\n', " "), s))
    .collect();
    let room = (rect.height as usize).saturating_sub(1);
    if room == 0 || fields.is_empty() {
        return lines;
    }
    // Every field gets a line; lines to spare go to the first fields that need them.
    let wrapped: Vec<Vec<String>> = fields
        .iter()
        .map(|(t, _)| wrap(t, width.saturating_sub(2), usize::MAX))
        .collect();
    let mut share: Vec<usize> = vec![0; fields.len()];
    let mut left = room;
    for s in share.iter_mut() {
        if left > 0 {
            *s = 1;
            left -= 1;
        }
    }
    for (k, w) in wrapped.iter().enumerate() {
        let extra = (w.len().saturating_sub(1)).min(left);
        share[k] += extra;
        left -= extra;
    }
    for (k, (t, style)) in fields.iter().enumerate() {
        if share[k] == 0 {
            continue;
        }
        for l in wrap(t, width.saturating_sub(2), share[k]) {
            lines.push(Line::styled(format!("  {l}"), *style));
        }
    }
    lines
}

/// A zoomed persona card is at least this tall where the screen has it: on a short
/// screen the cards page (with the selection) instead of shrinking.
const ZOOM_CARD_HEIGHT: u16 = 14;

/// The zoomed cards on the page that holds the selected persona: (first, how many,
/// cards per row, card rows).
fn zoomed_page(app: &App, inner: Rect) -> (usize, usize, usize, usize) {
    let screen = app.screen();
    let n = screen.wall().personas.len().max(1);
    let per_row = usize::from(inner.width / 32).clamp(1, n);
    let rows_fit = usize::from(inner.height / ZOOM_CARD_HEIGHT).max(1);
    let rows = n.div_ceil(per_row).min(rows_fit);
    let page = per_row * rows;
    let first = screen.persona_index().unwrap_or(0) / page * page;
    (first, page.min(n - first.min(n)), per_row, rows)
}

/// Zoom: every persona as a full card, side by side, with everything about them; a
/// page of them on a short screen.
fn draw_zoomed(frame: &mut Frame, app: &App, st: &Styles, inner: Rect) {
    let screen = app.screen();
    let (first, count, per_row, rows) = zoomed_page(app, inner);
    let card_w = inner.width / per_row as u16;
    let card_h = inner.height / rows.max(1) as u16;
    let selected = screen.persona_index();
    let personas = screen.wall().personas.iter().enumerate();
    for (i, p) in personas.skip(first).take(count) {
        let k = i - first;
        let rect = Rect {
            x: inner.x + (k % per_row) as u16 * card_w,
            y: inner.y + (k / per_row) as u16 * card_h,
            width: card_w,
            height: card_h,
        };
        let is_sel = Some(i) == selected;
        let (marker, color) = st.persona(i);
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(if is_sel { st.border_focused } else { st.border })
            .title(Line::from(vec![
                Span::styled(format!(" {marker} "), color),
                Span::styled(format!("{} ", on_wall(&p.name)), st.title),
            ]))
            .title_bottom(Line::styled(
                format!(
                    " open items serving them: {} ",
                    screen.view().open.for_persona(p.id)
                ),
                st.accent,
            ));
        let body = block.inner(rect);
        frame.render_widget(block, rect);
        let w = body.width as usize;
        let mut lines: Vec<Line> = Vec::new();
        let mut field = |label: &str, value: &str, style: Style| {
            if value.trim().is_empty() {
                return;
            }
            lines.push(Line::styled(label.to_owned(), st.muted));
            for l in wrap(&on_wall(value), w.saturating_sub(2), usize::MAX) {
                lines.push(Line::styled(format!("  {l}"), style));
            }
        };
        field("Role", &p.role, st.text);
        field("Goal", &p.goal, st.text);
        field("Needs", &p.needs, st.text);
        field("Pains", &p.pains, st.bad);
        // An empty quote shows no empty quotation marks.
        if !p.quote.trim().is_empty() {
            field("In their words", &format!("“{}”", p.quote.trim()), st.text);
        }
        if !p.side.is_customer() {
            field("Side", "employee: the other side of the journey", st.text);
        }
        let heard = screen.wall().heard.of_persona(p.id);
        if heard.count > 0 {
            let mut text =
                crate::format::count(heard.count, "piece of evidence", "pieces of evidence");
            if let Some(mean) = heard.mean() {
                text += &format!(", sentiment {}", crate::format::signed_mean(mean));
            }
            if let Some((day, q)) = screen.wall().heard.quotes.get(&p.id) {
                text += &format!("\nnewest quote, {day}: “{q}”");
            }
            field("Heard", &text, st.accent);
        }
        let feelings: Vec<String> = screen
            .wall()
            .stages
            .iter()
            .filter_map(|s| {
                screen.wall().feeling(p.id, s.id).map(|f| {
                    let note = if f.note.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", f.note)
                    };
                    format!("{} {}{note}", signed(f.score), s.name)
                })
            })
            .collect();
        field("Along the journey", &feelings.join("\n"), st.text);
        // More than the card holds: it says how much, and where all of it is.
        let rows = usize::from(body.height);
        if lines.len() > rows && rows > 0 {
            let more = lines.len() - (rows - 1);
            lines.truncate(rows - 1);
            let keys = app.settings().keys();
            let hint = keys.expand(&format!("↓ {more} more · {{board.open}} shows all"));
            lines.push(Line::styled(hint, st.muted));
        }
        frame.render_widget(Paragraph::new(lines), body);
    }
}
