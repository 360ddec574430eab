//! Domain types of a board. They know nothing of SQL or of the terminal, so every
//! layer above (store, exchange, app, ui, cli) shares them.

mod activity;
mod any;
mod board;
mod conflict;
mod coverage;
mod evidence;
mod file;
mod metric;
mod records;
pub mod rules;
mod standup;
mod status;

pub use activity::{Activity, Fact, FactChange, Field, Standup};
pub use any::{AnyRecord, Kind, Labelled, signed_score};
pub use board::{Board, Wall};
pub use conflict::{Conflict, FieldConflict};
pub use coverage::OpenWork;
pub use evidence::{Evidence, EvidenceFilter, EvidenceKind, EvidenceLink, Heard, Side, Tally};
pub use file::{BoardFile, FsKind, ReadOnly};
pub use metric::{
    Band, IndexPoint, MetricNote, Movement, Way, customer_index, index_history, index_now,
    item_movement, moved_between, readings_of, value_at,
};
pub use records::{
    Better, Column, Comment, Feeling, Item, Meta, Metric, MetricValue, Mission, ParkedTopic,
    Persona, Stage,
};
pub use standup::{
    ChangeCounts, EvidenceNote, Glance, ItemChange, ParkedNote, PersonChanges, StandupSummary,
};
pub use status::Status;

pub use rules::{
    RuleError, name_key, parse_date, parse_number, parse_optional_number, parse_score, same_name,
};
