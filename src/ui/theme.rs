//! Styles from the config's theme; plain (bold / reversed only) under NO_COLOR.

use ratatui::style::{Color, Modifier, Style};

use crate::app::Settings;

#[derive(Debug, Clone, Copy)]
pub struct Styles {
    pub text: Style,
    pub muted: Style,
    pub accent: Style,
    pub warn: Style,
    pub bad: Style,
    pub good: Style,
    pub selected: Style,
    pub title: Style,
    pub border: Style,
    pub border_focused: Style,
    /// One colour per persona (by position), for their curve and marker.
    pub personas: [Style; PERSONA_MARKERS.len()],
}

/// One marker per persona (by position), so their curves are told apart without colour.
pub const PERSONA_MARKERS: [&str; 6] = ["●", "▲", "■", "★", "✚", "◇"];

impl Styles {
    /// A persona's marker and colour, by its position in the list.
    pub fn persona(&self, index: usize) -> (&'static str, Style) {
        let k = index % PERSONA_MARKERS.len();
        (PERSONA_MARKERS[k], self.personas[k])
    }
}

impl Styles {
    pub fn of(settings: &Settings) -> Styles {
        if !settings.color() {
            return Styles::plain();
        }
        Styles::themed(settings.theme())
    }

    /// No colour: bold and reversed only (NO_COLOR, and text output).
    pub fn plain() -> Styles {
        let plain = Style::default();
        Styles {
            text: plain,
            muted: plain,
            accent: plain,
            warn: plain,
            bad: plain,
            good: plain,
            selected: plain.add_modifier(Modifier::REVERSED),
            title: plain.add_modifier(Modifier::BOLD),
            border: plain,
            border_focused: plain.add_modifier(Modifier::BOLD),
            personas: [plain; PERSONA_MARKERS.len()],
        }
    }

    fn themed(t: &crate::config::Theme) -> Styles {
        let fg = |c: Color| Style::default().fg(c);
        Styles {
            text: Style::default(),
            muted: fg(t.muted),
            accent: fg(t.accent),
            warn: fg(t.warn),
            bad: fg(t.bad),
            good: fg(t.good),
            selected: Style::default()
                .bg(t.selection)
                .fg(Color::White)
                .add_modifier(Modifier::BOLD),
            title: Style::default().add_modifier(Modifier::BOLD),
            border: fg(t.muted),
            border_focused: fg(t.accent).add_modifier(Modifier::BOLD),
            personas: [
                Color::Cyan,
                Color::Magenta,
                Color::Yellow,
                Color::Green,
                Color::LightBlue,
                Color::LightRed,
            ]
            .map(fg),
        }
    }
}
