//! What the wall is set up with: who is at the keyboard, the keys, the colours and the
//! stand-up's timebox.

use crate::config::{Config, Theme};
use crate::keymap::Keys;

pub struct Settings {
    user: String,
    keys: Keys,
    theme: Theme,
    color: bool,
    timebox_minutes: u32,
}

impl Settings {
    pub(super) fn new(config: &Config, user: &str) -> Settings {
        Settings {
            user: user.to_owned(),
            keys: config.keys(),
            theme: config.theme,
            color: !crate::config::no_color(),
            timebox_minutes: config.standup.timebox_minutes,
        }
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    pub fn theme(&self) -> &Theme {
        &self.theme
    }

    /// Whether to draw in colour (not under NO_COLOR).
    pub fn color(&self) -> bool {
        self.color
    }

    pub fn timebox_minutes(&self) -> u32 {
        self.timebox_minutes
    }

    pub(super) fn set_color(&mut self, color: bool) {
        self.color = color;
    }
}
