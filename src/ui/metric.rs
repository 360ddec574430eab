//! The metrics' marks on the wall: the customer index on the mission pane's border, and
//! an item's metric then and now on its card from Check on. Colour says better or worse;
//! the arrow (▲ ▼ =) says it too, without colour.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::theme::Styles;
use crate::app::App;
use crate::format::metric::{check_short, check_tiny, spark};
use crate::format::{number, on_wall};
use crate::model::{Item, Status, Way, item_movement};

/// ` index 84 % ▁▃▅▇ `: the customer index and its recent history, at most `room`
/// columns wide (the sparkline shortened, then dropped, to fit); None without one.
pub fn index_title<'a>(app: &App, st: &Styles, room: usize) -> Option<Line<'a>> {
    let (now, history) = app.screen().index()?;
    let words = format!(" customer index {} % ", number(now.round()));
    let short = format!(" index {} % ", number(now.round()));
    let width = |s: &str| unicode_width::UnicodeWidthStr::width(s);
    let (words, used) = if width(&words) <= room {
        let w = width(&words);
        (words, w)
    } else if width(&short) <= room {
        let w = width(&short);
        (short, w)
    } else {
        return None;
    };
    let mut spans = vec![Span::styled(words, st.title)];
    let bars = room.saturating_sub(used + 1).min(history.len()).min(16);
    if history.len() > 1 && bars > 1 {
        spans.push(Span::styled(spark(history, bars), st.accent));
        spans.push(Span::raw(" "));
    }
    Some(Line::from(spans))
}

/// The words (long, then tiny) and colour of an item's metric on its card, from Check
/// on: `62→71% ▲`, `71%▲` (None before Check, or without a stage metric or a baseline).
pub fn on_card(app: &App, item: &Item, st: &Styles) -> Option<([String; 2], Style)> {
    if !matches!(item.status, Status::Check | Status::Act | Status::Done) {
        return None;
    }
    let (stage, mv) = item_movement(item, app.screen().wall())?;
    let style = match mv.way {
        Some(Way::Better) => st.good,
        Some(Way::Worse) => st.bad,
        _ => st.muted,
    };
    // The unit is the board's text: shown escaped.
    let words = [
        on_wall(&check_short(&stage.metric, &mv)).into_owned(),
        on_wall(&check_tiny(&stage.metric, &mv)).into_owned(),
    ];
    Some((words, style))
}
