//! Domain types of a board. They know nothing of SQL or of the terminal, so every
//! layer above (store, exchange, app, ui, cli) shares them.

mod activity;
mod any;
mod board;
mod conflict;
mod coverage;
mod file;
mod records;
mod standup;
mod status;

use jiff::civil::Date;

pub use activity::{Activity, Fact, FactChange, Field, Standup};
pub use any::{AnyRecord, Kind, Labelled};
pub use board::{Board, Wall};
pub use conflict::{Conflict, FieldConflict};
pub use coverage::OpenWork;
pub use file::{BoardFile, FsKind, ReadOnly};
pub use records::{
    Better, Column, Comment, Feeling, Item, Meta, Metric, MetricValue, Mission, ParkedTopic,
    Persona, Stage,
};
pub use standup::{ChangeCounts, Glance, ItemChange, ParkedNote, PersonChanges, StandupSummary};
pub use status::Status;

/// Parse a `YYYY-MM-DD` date, with a message naming the bad value.
pub fn parse_date(s: &str) -> Result<Date, String> {
    let s = s.trim();
    let well_formed = s.len() == 10 && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-';
    match s.parse::<Date>() {
        Ok(d) if well_formed => Ok(d),
        _ => Err(format!(
            "invalid date '{s}' (expected YYYY-MM-DD, a real calendar day)"
        )),
    }
}

/// Names of personas and stages are unique ignoring case (Unicode-aware).
pub fn same_name(a: &str, b: &str) -> bool {
    name_key(a) == name_key(b)
}

/// What `same_name` compares: two names are the same when their keys are equal, so a
/// set or map of keys finds a name in one step.
pub fn name_key(name: &str) -> String {
    name.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_must_be_real_and_iso() {
        assert!(parse_date("2026-02-28").is_ok());
        assert!(
            parse_date("2026-02-30")
                .unwrap_err()
                .contains("'2026-02-30'")
        );
        assert!(parse_date("26-2-1").is_err());
        assert!(parse_date("tomorrow").is_err());
    }

    #[test]
    fn names_compare_without_case_including_non_ascii() {
        assert!(same_name("Émile", "émile "));
        assert!(!same_name("Maria", "Mario"));
    }
}
