//! The PDCA columns an improvement item moves through.

use std::str::FromStr;

use serde::{Deserialize, Serialize};
use strum::{EnumMessage, VariantArray};

use super::RuleError;

/// The PDCA columns of the improvement board, in board order. The lowercase name is
/// the stored and command-line spelling (`plan`, `do`, …); the message is the heading.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Default,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    strum::EnumMessage,
)]
#[serde(rename_all = "lowercase")]
#[strum(serialize_all = "lowercase")]
pub enum Status {
    #[default]
    #[strum(message = "Plan")]
    Plan,
    #[strum(message = "Do")]
    Do,
    #[strum(message = "Check")]
    Check,
    #[strum(message = "Act")]
    Act,
    #[strum(message = "Done")]
    Done,
}

impl Status {
    pub const ALL: &[Status] = <Status as VariantArray>::VARIANTS;

    /// The stored and command-line spelling: `plan`, `do`, …
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The column heading: `Plan`, `Do`, …
    pub fn label(self) -> &'static str {
        self.get_message().unwrap_or_default()
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn from_index(i: usize) -> Option<Status> {
        Status::ALL.get(i).copied()
    }

    pub fn next(self) -> Option<Status> {
        Status::from_index(self.index() + 1)
    }

    pub fn prev(self) -> Option<Status> {
        self.index().checked_sub(1).and_then(Status::from_index)
    }
}

impl FromStr for Status {
    type Err = RuleError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Status::ALL
            .iter()
            .copied()
            .find(|st| st.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| RuleError::UnknownStatus(s.to_owned()))
    }
}
