//! What the screen shows: the board's small tables and the cards in view, the focus and
//! the selection, the zoom and the density, the filter and "my items", the terminal's
//! size, the status line's note and the banner. Its reads take the store by shared
//! reference: nothing here writes. Selections are kept as record ids, so they stay on
//! the same record when a teammate's change reloads the board.

pub mod cards;
pub mod detail;
pub mod layout;
mod navigate;
mod view;

use std::time::{Duration, Instant};

use crate::model::{Item, Persona, Stage, Wall};
use detail::Related;
pub use view::{Cards, View};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pane {
    Mission,
    Personas,
    Journey,
    #[default]
    Improvements,
}

impl Pane {
    pub const ALL: [Pane; 4] = [
        Pane::Mission,
        Pane::Personas,
        Pane::Journey,
        Pane::Improvements,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    Info,
    Warn,
    Error,
}

/// The status line's message.
#[derive(Debug, Clone)]
pub struct Note {
    pub text: String,
    pub kind: NoteKind,
    pub at: Instant,
}

/// Notes stay this long on the status line.
const NOTE_LIFETIME: Duration = Duration::from_secs(6);

/// What is selected, by id.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub persona: Option<i64>,
    pub stage: Option<i64>,
    pub column: usize,
    pub item: Option<i64>,
    /// The selected card's row in its column when last seen: where the selection stays
    /// when the card leaves the column under it (a teammate moved or deleted it).
    pub row: usize,
}

#[derive(Default)]
pub struct Screen {
    /// The board's tables but the items, which are read a screenful at a time (`view`).
    wall: Wall,
    /// The customer index now and its history, worked out when the wall is read (not on
    /// every frame: the history goes through every dated reading).
    index: Option<(f64, Vec<f64>)>,
    view: View,
    /// What the detail view and the stand-up show beyond the wall's cards.
    related: Related,
    focus: Pane,
    sel: Selection,
    zoom: bool,
    /// One line per card instead of the wrapped title and its facts.
    compact: bool,
    /// The first card shown in each column (see `layout::visible_cards`).
    card_scroll: [usize; 5],
    filter: String,
    /// Whose items only ("my items"), or everyone's.
    mine: Option<String>,
    size: (u16, u16),
    /// The clock's day: how a card says its due date, and so how tall it is.
    today: jiff::civil::Date,
    note: Option<Note>,
    /// Read-only, or a sync-conflict copy beside the board (see `Sharing::banner`).
    banner: Option<String>,
}

impl Screen {
    pub(super) fn new(wall: Wall) -> Screen {
        let sel = Selection {
            persona: wall.personas.first().map(|p| p.id),
            stage: wall.stages.first().map(|s| s.id),
            ..Selection::default()
        };
        Screen {
            index: crate::format::metric::index_of(&wall),
            wall,
            sel,
            ..Screen::default()
        }
    }

    pub fn wall(&self) -> &Wall {
        &self.wall
    }

    /// The customer index now and its history's values, oldest first.
    pub fn index(&self) -> Option<&(f64, Vec<f64>)> {
        self.index.as_ref()
    }

    /// The counts and the cards read.
    pub fn view(&self) -> &View {
        &self.view
    }

    pub fn related(&self) -> &Related {
        &self.related
    }

    pub fn focus(&self) -> Pane {
        self.focus
    }

    pub fn selection(&self) -> &Selection {
        &self.sel
    }

    pub fn zoomed(&self) -> bool {
        self.zoom
    }

    pub fn compact(&self) -> bool {
        self.compact
    }

    pub fn filter(&self) -> &str {
        &self.filter
    }

    /// Whose items only, when "my items" is on.
    pub fn mine(&self) -> Option<&str> {
        self.mine.as_deref()
    }

    /// The terminal's width and height.
    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    pub fn note(&self) -> Option<&Note> {
        self.note.as_ref()
    }

    pub fn banner(&self) -> Option<&str> {
        self.banner.as_deref()
    }

    pub fn selected_persona(&self) -> Option<&Persona> {
        self.sel.persona.and_then(|id| self.wall.persona(id))
    }

    pub fn selected_stage(&self) -> Option<&Stage> {
        self.sel.stage.and_then(|id| self.wall.stage(id))
    }

    pub fn persona_index(&self) -> Option<usize> {
        let id = self.sel.persona?;
        self.wall.personas.iter().position(|p| p.id == id)
    }

    pub fn stage_index(&self) -> Option<usize> {
        let id = self.sel.stage?;
        self.wall.stages.iter().position(|s| s.id == id)
    }

    /// Whether a card is marked as serving the selected persona or stage.
    pub fn is_marked(&self, item: &Item) -> bool {
        match self.focus {
            Pane::Personas => item.persona_id.is_some() && item.persona_id == self.sel.persona,
            Pane::Journey => item.stage_id.is_some() && item.stage_id == self.sel.stage,
            _ => false,
        }
    }

    pub(crate) fn say(&mut self, kind: NoteKind, text: impl Into<String>) {
        self.note = Some(Note {
            text: text.into(),
            kind,
            at: Instant::now(),
        });
    }

    pub(super) fn clear_note(&mut self) {
        self.note = None;
    }

    /// Forget a note that has been up long enough. Returns whether one went.
    pub(super) fn expire_note(&mut self) -> bool {
        let old = self
            .note
            .as_ref()
            .is_some_and(|n| n.at.elapsed() > NOTE_LIFETIME);
        if old {
            self.note = None;
        }
        old
    }

    pub(super) fn set_banner(&mut self, banner: Option<String>) {
        self.banner = banner;
    }

    pub(super) fn set_wall(&mut self, wall: Wall) {
        self.index = crate::format::metric::index_of(&wall);
        self.wall = wall;
    }

    /// The clock's day changed (or was set).
    pub(super) fn set_today(&mut self, today: jiff::civil::Date) {
        self.today = today;
    }

    pub(super) fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
    }

    /// Keep the persona and stage selected on existing ones; fall back to the first.
    fn fix_selection(&mut self) {
        if self
            .sel
            .persona
            .is_none_or(|id| self.wall.persona(id).is_none())
        {
            self.sel.persona = self.wall.personas.first().map(|p| p.id);
        }
        if self
            .sel
            .stage
            .is_none_or(|id| self.wall.stage(id).is_none())
        {
            self.sel.stage = self.wall.stages.first().map(|s| s.id);
        }
    }
}
