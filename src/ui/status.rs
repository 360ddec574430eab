//! The status bar (board, user, live state, who else is here, last stand-up, help) and
//! the banner for read-only boards, network drives and sync-conflict copies.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::fit;
use super::theme::Styles;
use crate::app::{App, NoteKind};
use crate::model::{FsKind, ReadOnly};

pub fn draw(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    if let Some(ed) = &app.filter_editor {
        let [label, field] = ratatui::layout::Layout::horizontal([
            ratatui::layout::Constraint::Length(8),
            ratatui::layout::Constraint::Min(1),
        ])
        .areas(area);
        frame.render_widget(Paragraph::new(Span::styled("filter: ", st.accent)), label);
        frame.render_widget(ed, field);
        return;
    }
    if app.confirm_quit {
        let waiting = format!(
            "{} change(s) still wait for the busy board: quit anyway (tried 5 s more, then printed)? y / n",
            app.pending.len()
        );
        let question = if app.form().is_none() && !app.pending.is_empty() {
            waiting.as_str()
        } else if app.in_standup() && app.form().is_none() {
            "Quit and drop the running stand-up (it is not recorded)? y / n"
        } else {
            "Quit and lose the unsaved form? y / n"
        };
        frame.render_widget(Paragraph::new(Span::styled(question, st.warn)), area);
        return;
    }
    let file = app
        .store
        .path()
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let live = match app.store.read_only() {
        Some(_) => Span::styled("read-only", st.warn),
        None if app.others.is_empty() => Span::styled("● live", st.good),
        None => Span::styled(format!("● live ({} here)", app.others.join(", ")), st.good),
    };
    let mut spans = Vec::new();
    if let Some(m) = &app.standup {
        spans.push(super::standup::countdown(m, app, st));
        spans.push(Span::raw(" "));
    }
    spans.extend([
        Span::styled(file, st.title),
        Span::raw(" · "),
        Span::styled(app.user.clone(), st.accent),
        Span::raw(" · "),
        live,
    ]);
    if app.store.fs() == FsKind::Network {
        spans.push(Span::styled(" · ⇄ network drive", st.warn));
    }
    if !app.pending.is_empty() {
        spans.push(Span::styled(
            format!(" · ⏳ {} waiting: board busy", app.pending.len()),
            st.warn,
        ));
    }
    if let Some(s) = &app.board.last_standup
        && let Some(end) = s.ended_at
    {
        let local = end.to_zoned(jiff::tz::TimeZone::system());
        spans.push(Span::styled(
            format!(" · last stand-up {}", local.strftime("%a %H:%M")),
            st.muted,
        ));
    }
    spans.push(Span::styled(" · ? help", st.muted));
    if let Some(note) = &app.note {
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
            fit(&note.text, (area.width as usize).saturating_sub(used)),
            style,
        ));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The one-line notice above the status bar, if there is something to warn about.
pub fn banner(app: &App) -> Option<String> {
    let path = app.store.path().display();
    if let Some(ro) = app.store.read_only() {
        return Some(match ro {
            ReadOnly::NoPermission => {
                format!("READ-ONLY: no write permission for {path}; changes are not saved")
            }
            ReadOnly::NewerSchema { found, known } => {
                format!(
                    "READ-ONLY: {path} is from a newer obeya (schema {found} > {known}); upgrade obeya to edit it"
                )
            }
        });
    }
    if let Some(copy) = app.conflict_copies.first() {
        return Some(format!(
            "⚠ sync-conflict copy beside the board: {} (merge it with: obeya merge \"{}\")",
            copy.file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            copy.display()
        ));
    }
    None
}

pub fn draw_banner(frame: &mut Frame, app: &App, st: &Styles, area: Rect) {
    if area.height == 0 {
        return;
    }
    if let Some(text) = banner(app) {
        frame.render_widget(
            Paragraph::new(Line::styled(
                fit(&text, area.width as usize),
                st.warn.add_modifier(ratatui::style::Modifier::BOLD),
            )),
            area,
        );
    }
}
