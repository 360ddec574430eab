//! The status bar (board, user, live state, who else is here, last stand-up, help) and
//! the banner for read-only boards, network drives and sync-conflict copies.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::fit;
use super::theme::Styles;
use crate::app::{App, Mode, NoteKind, Question};

pub fn draw(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    if let Mode::Filter(ed) = app.mode() {
        let [label, field] = ratatui::layout::Layout::horizontal([
            ratatui::layout::Constraint::Length(8),
            ratatui::layout::Constraint::Min(1),
        ])
        .areas(area);
        frame.render_widget(Paragraph::new(Span::styled("filter: ", st.accent)), label);
        frame.render_widget(ed.as_ref(), field);
        return;
    }
    let sharing = app.sharing();
    if let Mode::Ask(q) = app.mode()
        && let Question::Quit = q.as_ref()
    {
        let form = app.form().is_some();
        let question = if !form && sharing.has_pending() {
            format!(
                "{} still wait for the busy board: quit anyway (tried 5 s more, then printed)?",
                crate::format::count(sharing.pending().len(), "change", "changes")
            )
        } else if app.in_standup() && !form {
            "Quit and drop the running stand-up (it is not recorded)?".to_owned()
        } else {
            "Quit and lose the unsaved form?".to_owned()
        };
        let answers = app
            .settings()
            .keys()
            .expand(" {confirm.yes} / {confirm.no}");
        frame.render_widget(
            Paragraph::new(Span::styled(question + &answers, st.warn)),
            area,
        );
        return;
    }
    let file = sharing
        .file()
        .path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let live = match sharing.file().read_only {
        Some(_) => Span::styled("read-only", st.warn),
        None if sharing.others().is_empty() => Span::styled("● live", st.good),
        None => Span::styled(
            // Names come from files anyone may write: shown escaped.
            format!(
                "● live ({} here)",
                crate::format::on_wall(&sharing.others().join(", "))
            ),
            st.good,
        ),
    };
    let mut spans = Vec::new();
    if let Some(m) = app.standup() {
        spans.push(super::standup::countdown(m, app, st));
        spans.push(Span::raw(" "));
    }
    spans.extend([
        Span::styled(file, st.title),
        Span::raw(" · "),
        Span::styled(app.settings().user().to_owned(), st.accent),
        Span::raw(" · "),
        live,
    ]);
    if let Some(label) = sharing.file().fs.label() {
        spans.push(Span::styled(format!(" · {label}"), st.warn));
    }
    if sharing.has_pending() {
        spans.push(Span::styled(
            format!(" · ⏳ {} waiting: board busy", sharing.pending().len()),
            st.warn,
        ));
    }
    if let Some(s) = &app.screen().wall().last_standup
        && let Some(end) = s.ended_at
    {
        let local = end.to_zoned(app.clock().tz().clone());
        spans.push(Span::styled(
            format!(" · last stand-up {}", local.strftime("%a %H:%M")),
            st.muted,
        ));
    }
    spans.push(Span::styled(" · ? help", st.muted));
    if let Some(note) = app.note() {
        let style = match note.kind {
            NoteKind::Info => st.accent,
            NoteKind::Warn => st.warn,
            NoteKind::Error => st.bad,
        };
        let used: usize = spans.iter().map(|s| s.width()).sum();
        let room = (area.width as usize).saturating_sub(used + 3);
        // A note wins the space: shorten the bar rather than the note when it is tight.
        if room < 24 {
            // Keep the countdown (and its space) and the file name.
            spans.truncate(if app.in_standup() { 3 } else { 1 });
            spans.push(Span::raw(" · "));
        } else {
            spans.push(Span::raw(" · "));
        }
        let used: usize = spans.iter().map(|s| s.width()).sum();
        spans.push(Span::styled(
            fit(
                &crate::format::on_wall(&note.text),
                (area.width as usize).saturating_sub(used),
            ),
            style,
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

pub fn draw_banner(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    if area.height == 0 {
        return;
    }
    if let Some(text) = app.screen().banner() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                fit_keeping_last(text, area.width as usize),
                st.warn.add_modifier(ratatui::style::Modifier::BOLD),
            )),
            area,
        );
    }
}

/// `text` in `width` columns; when it must be cut, its last ` · ` part (a command to
/// run) is kept whole and the words before it are shortened; if the command alone is
/// too wide, it keeps its start and its end (the file's name) and loses the middle of
/// the path.
pub fn fit_keeping_last(text: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width;
    if w(text) <= width {
        return text.to_owned();
    }
    match text.rsplit_once(" · ") {
        Some((head, last)) if w(last) + 4 <= width => {
            format!("{} · {last}", fit(head, width - w(last) - 3))
        }
        Some((head, last)) if width >= 30 => {
            let head_room = width / 3;
            let head = fit(head, head_room);
            let room = width - w(head.as_str()) - 3;
            format!("{head} · {}", cut_middle(last, room))
        }
        _ => fit(text, width),
    }
}

/// `text` in `width` columns, its middle replaced by `…`: the end from the last `/`
/// on (a file's name) is kept whole when it fits, and as much of the start as fits.
fn cut_middle(text: &str, width: usize) -> String {
    let w = unicode_width::UnicodeWidthStr::width;
    if w(text) <= width {
        return text.to_owned();
    }
    let tail = match text.rfind('/') {
        Some(at) if w(&text[at..]) + 8 <= width => &text[at..],
        _ => {
            // No name to keep whole: the last third of the room is the end.
            let keep = width / 3;
            let mut start = text.len();
            for (i, _) in text.char_indices().rev() {
                if w(&text[i..]) > keep {
                    break;
                }
                start = i;
            }
            &text[start..]
        }
    };
    let room = width.saturating_sub(w(tail) + 1);
    let mut end = 0;
    for (i, c) in text.char_indices() {
        if w(&text[..i + c.len_utf8()]) > room {
            break;
        }
        end = i + c.len_utf8();
    }
    format!("{}…{tail}", &text[..end])
}

/// The parked topics still open, on one line above the banner and the status bar:
/// `⚑ Parked (2): Holiday rota · Café pricing — who decides? · P resolve or make items`.
pub fn draw_parked(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    if area.height == 0 {
        return;
    }
    let open: Vec<String> = app
        .screen()
        .wall()
        .open_topics()
        .map(|t| crate::format::on_wall(crate::format::first_line(&t.text)).into_owned())
        .collect();
    let head = format!("⚑ Parked ({}): ", open.len());
    let hint = app
        .settings()
        .keys()
        .expand(" · {board.parked} resolve or make items");
    let room = (area.width as usize).saturating_sub(head.chars().count() + hint.chars().count());
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(head, st.warn),
            Span::raw(fit(&open.join(" · "), room)),
            Span::styled(hint, st.muted),
        ])),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_banner_keeps_its_command() {
        let text = "⚠ the conflict copy x.db was not merged: it is from a newer obeya · \
                    see why: obeya check --db /srv/team/x.db";
        let w = unicode_width::UnicodeWidthStr::width;
        let fitted = fit_keeping_last(text, 70);
        assert!(w(fitted.as_str()) <= 70, "{fitted}");
        assert!(
            fitted.ends_with(" · see why: obeya check --db /srv/team/x.db"),
            "{fitted}"
        );
        let narrow = fit_keeping_last(text, 40);
        assert!(w(narrow.as_str()) <= 40, "{narrow}");
        assert!(narrow.ends_with("/x.db"), "{narrow}");
        assert!(narrow.contains("…"), "{narrow}");
        assert_eq!(fit_keeping_last("short", 40), "short");
    }
}
