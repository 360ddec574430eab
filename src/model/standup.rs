//! What a stand-up achieved: every change to the improvement items made while it ran,
//! by anyone (on the wall or from the command line), grouped by person. Computed from
//! the activity log when the stand-up ends and stored with it, so a past report reads
//! exactly as it did that day. And what the walk shows of an open item.

use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Item, Status};

/// What changed during a stand-up, by person, and the topics parked in it. Its serde
/// form is stored with the stand-up and is part of the exchange format.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StandupSummary {
    /// Everyone who changed something, by name.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub people: Vec<PersonChanges>,
    /// The topics parked during the stand-up, in the order they were parked.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parked: Vec<ParkedNote>,
    /// The evidence added since the stand-up before it ended (in the week before it,
    /// for the first), in the order it was added.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceNote>,
    /// The stage metrics that moved since the stand-up before (in the week before it,
    /// for the first), along the journey.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub metrics: Vec<super::MetricNote>,
}

/// A piece of evidence as a stand-up reports it: what it said, as it was then.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceNote {
    pub kind: super::EvidenceKind,
    pub text: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub source: String,
    pub observed: Date,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub persona: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<i8>,
    /// Who added it.
    #[serde(default)]
    pub by: String,
}

impl EvidenceNote {
    /// `2026-11-14 complaint [Maria · Get help] −2 “Refund took four days” (ticket 4312)`.
    pub fn line(&self) -> String {
        let mut line = format!("{} {}", self.observed, self.kind);
        let about: Vec<&str> = [self.persona.as_deref(), self.stage.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        if !about.is_empty() {
            line += &format!(" [{}]", about.join(" · "));
        }
        if let Some(s) = self.sentiment {
            line += &format!(" {}", crate::format::signed(s));
        }
        let text = self.text.replace("\r\n", " ").replace('\n', " ");
        line += &format!(" “{text}”");
        if !self.source.is_empty() {
            line += &format!(" ({})", self.source.replace('\n', " "));
        }
        line
    }
}

/// One person's changes during a stand-up, in the order they made them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PersonChanges {
    pub who: String,
    pub changes: Vec<ItemChange>,
}

/// A topic parked during the stand-up, as it was parked.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ParkedNote {
    pub text: String,
    pub by: String,
}

/// One net change to an item during a stand-up (a move undone before the end is none).
/// `id` and `title` are the item's (its title at the end of the stand-up, or when it
/// was deleted).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case", deny_unknown_fields)]
pub enum ItemChange {
    /// A new item (and where it stood at the end).
    Added {
        id: i64,
        title: String,
        status: Status,
        owner: String,
    },
    Moved {
        id: i64,
        title: String,
        from: Status,
        to: Status,
    },
    /// A new blocker.
    Blocked {
        id: i64,
        title: String,
        reason: String,
    },
    /// A resolved blocker.
    Unblocked {
        id: i64,
        title: String,
    },
    Owner {
        id: i64,
        title: String,
        from: String,
        to: String,
    },
    Due {
        id: i64,
        title: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<Date>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        to: Option<Date>,
    },
    Deleted {
        id: i64,
        title: String,
    },
    /// A comment on the item.
    Comment {
        id: i64,
        title: String,
        text: String,
    },
}

impl ItemChange {
    /// The item's id and title.
    pub fn item(&self) -> (i64, &str) {
        match self {
            ItemChange::Added { id, title, .. }
            | ItemChange::Moved { id, title, .. }
            | ItemChange::Blocked { id, title, .. }
            | ItemChange::Unblocked { id, title }
            | ItemChange::Owner { id, title, .. }
            | ItemChange::Due { id, title, .. }
            | ItemChange::Deleted { id, title }
            | ItemChange::Comment { id, title, .. } => (*id, title),
        }
    }

    /// What happened, without the item: "moved Do → Check", "new blocker: …".
    pub fn what(&self) -> String {
        let day = |d: &Option<Date>| d.map_or_else(|| "none".to_owned(), |d| d.to_string());
        let name = |s: &str| {
            if s.is_empty() {
                "nobody".to_owned()
            } else {
                s.to_owned()
            }
        };
        match self {
            ItemChange::Added { status, owner, .. } => {
                format!("new in {}, owner {}", status.label(), name(owner))
            }
            ItemChange::Moved { from, to, .. } => {
                format!("moved {} → {}", from.label(), to.label())
            }
            ItemChange::Blocked { reason, .. } if reason.is_empty() => "new blocker".to_owned(),
            ItemChange::Blocked { reason, .. } => format!("new blocker: {reason}"),
            ItemChange::Unblocked { .. } => "blocker resolved".to_owned(),
            ItemChange::Owner { from, to, .. } => {
                format!("owner {} → {}", name(from), name(to))
            }
            ItemChange::Due { from, to, .. } => format!("due {} → {}", day(from), day(to)),
            ItemChange::Deleted { .. } => "deleted".to_owned(),
            ItemChange::Comment { text, .. } => {
                format!(
                    "comment: “{}”",
                    text.replace("\r\n", " ").replace('\n', " ")
                )
            }
        }
    }
}

/// How many changes of each kind a summary holds (the stand-up list's counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct ChangeCounts {
    pub added: usize,
    pub moved: usize,
    pub blocked: usize,
    pub unblocked: usize,
    pub owner: usize,
    pub due: usize,
    pub deleted: usize,
    pub comments: usize,
    pub parked: usize,
    /// Pieces of evidence added since the last stand-up.
    pub evidence: usize,
}

impl ChangeCounts {
    pub fn changes(&self) -> usize {
        self.added
            + self.moved
            + self.blocked
            + self.unblocked
            + self.owner
            + self.due
            + self.deleted
            + self.comments
    }

    /// "2 moved, 1 new blocker, 1 comment" (the kinds that happened), or "no changes".
    pub fn words(&self) -> String {
        let parts: Vec<String> = [
            (self.added, "new item", "new items"),
            (self.moved, "moved", "moved"),
            (self.blocked, "new blocker", "new blockers"),
            (self.unblocked, "blocker resolved", "blockers resolved"),
            (self.owner, "owner change", "owner changes"),
            (self.due, "due-date change", "due-date changes"),
            (self.deleted, "deleted", "deleted"),
            (self.comments, "comment", "comments"),
            (
                self.evidence,
                "piece of evidence heard",
                "pieces of evidence heard",
            ),
        ]
        .iter()
        .filter(|(n, ..)| *n > 0)
        .map(|(n, one, many)| format!("{n} {}", if *n == 1 { one } else { many }))
        .collect();
        if parts.is_empty() {
            "no changes".to_owned()
        } else {
            parts.join(", ")
        }
    }
}

impl StandupSummary {
    pub fn counts(&self) -> ChangeCounts {
        let mut c = ChangeCounts {
            parked: self.parked.len(),
            evidence: self.evidence.len(),
            ..ChangeCounts::default()
        };
        for change in self.people.iter().flat_map(|p| &p.changes) {
            *match change {
                ItemChange::Added { .. } => &mut c.added,
                ItemChange::Moved { .. } => &mut c.moved,
                ItemChange::Blocked { .. } => &mut c.blocked,
                ItemChange::Unblocked { .. } => &mut c.unblocked,
                ItemChange::Owner { .. } => &mut c.owner,
                ItemChange::Due { .. } => &mut c.due,
                ItemChange::Deleted { .. } => &mut c.deleted,
                ItemChange::Comment { .. } => &mut c.comments,
            } += 1;
        }
        c
    }

    /// One person's changes, if they made any.
    pub fn of(&self, who: &str) -> Option<&PersonChanges> {
        self.people.iter().find(|p| p.who == who)
    }
}

/// An open item as the stand-up's walk lists it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Glance {
    pub id: i64,
    pub title: String,
    pub owner: String,
    pub status: Status,
    pub blocked: bool,
    pub updated_at: Timestamp,
    pub status_since: Timestamp,
}

impl Glance {
    /// Whether it changed after `since` (every item did when there was no stand-up).
    pub fn changed_since(&self, since: Option<Timestamp>) -> bool {
        since.is_none_or(|t| self.updated_at > t || self.status_since > t)
    }
}

impl From<&Item> for Glance {
    fn from(i: &Item) -> Glance {
        Glance {
            id: i.id,
            title: i.title.clone(),
            owner: i.owner.clone(),
            status: i.status,
            blocked: i.blocked,
            updated_at: i.meta.updated_at,
            status_since: i.status_since,
        }
    }
}
