//! Any record of a board, for the code that handles them alike: undo, conflicts,
//! re-creating a deleted record, merging a sync-conflict copy.

use super::{
    Column, Comment, Evidence, EvidenceLink, Feeling, Item, Meta, Mission, ParkedTopic, Persona,
    Stage,
};

/// The kinds of records. The name is the table's and the activity log's `entity`.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::Display,
)]
#[strum(serialize_all = "snake_case")]
pub enum Kind {
    Mission,
    Persona,
    Stage,
    Feeling,
    Item,
    Comment,
    #[strum(serialize = "board_column")]
    Column,
    #[strum(serialize = "parked_topic")]
    Parked,
    Evidence,
    EvidenceLink,
}

impl Kind {
    /// The table's name.
    pub fn table(self) -> &'static str {
        self.into()
    }
}

/// How a record is named in notes and questions: "persona 'Maria'", "'Fix refunds'".
/// A name or title is cut at the longest a title may be (only the sqlite3 shell puts a
/// longer one on a board), so a label is never more than a line.
pub trait Labelled {
    fn label(&self) -> String;
}

/// One record of any kind.
#[derive(Debug, Clone, PartialEq)]
pub enum AnyRecord {
    Mission(Mission),
    Persona(Persona),
    Stage(Stage),
    Feeling(Feeling),
    Item(Item),
    Comment(Comment),
    Column(Column),
    Parked(ParkedTopic),
    Evidence(Evidence),
    EvidenceLink(EvidenceLink),
}

/// `$body` with `$r` bound to the record inside `$any`, whatever its kind.
macro_rules! each_kind {
    ($any:expr, $r:ident => $body:expr) => {
        match $any {
            AnyRecord::Mission($r) => $body,
            AnyRecord::Persona($r) => $body,
            AnyRecord::Stage($r) => $body,
            AnyRecord::Feeling($r) => $body,
            AnyRecord::Item($r) => $body,
            AnyRecord::Comment($r) => $body,
            AnyRecord::Column($r) => $body,
            AnyRecord::Parked($r) => $body,
            AnyRecord::Evidence($r) => $body,
            AnyRecord::EvidenceLink($r) => $body,
        }
    };
}

impl AnyRecord {
    pub fn kind(&self) -> Kind {
        match self {
            AnyRecord::Mission(_) => Kind::Mission,
            AnyRecord::Persona(_) => Kind::Persona,
            AnyRecord::Stage(_) => Kind::Stage,
            AnyRecord::Feeling(_) => Kind::Feeling,
            AnyRecord::Item(_) => Kind::Item,
            AnyRecord::Comment(_) => Kind::Comment,
            AnyRecord::Column(_) => Kind::Column,
            AnyRecord::Parked(_) => Kind::Parked,
            AnyRecord::Evidence(_) => Kind::Evidence,
            AnyRecord::EvidenceLink(_) => Kind::EvidenceLink,
        }
    }

    pub fn id(&self) -> i64 {
        match self {
            // The one mission row.
            AnyRecord::Mission(_) => 1,
            AnyRecord::Persona(r) => r.id,
            AnyRecord::Stage(r) => r.id,
            AnyRecord::Feeling(r) => r.id,
            AnyRecord::Item(r) => r.id,
            AnyRecord::Comment(r) => r.id,
            AnyRecord::Column(r) => r.id,
            AnyRecord::Parked(r) => r.id,
            AnyRecord::Evidence(r) => r.id,
            AnyRecord::EvidenceLink(r) => r.id,
        }
    }

    pub fn meta(&self) -> &Meta {
        each_kind!(self, r => &r.meta)
    }

    /// Whether two versions hold the same content (their meta aside).
    pub fn same_content(&self, other: &AnyRecord) -> bool {
        let (mut a, mut b) = (self.clone(), other.clone());
        each_kind!(&mut a, r => r.meta = Meta::default());
        each_kind!(&mut b, r => r.meta = Meta::default());
        a == b
    }

    pub fn label(&self) -> String {
        each_kind!(self, r => r.label())
    }
}

macro_rules! any_record_from {
    ($($t:ident => $variant:ident),*) => {$(
        impl From<$t> for AnyRecord {
            fn from(r: $t) -> AnyRecord {
                AnyRecord::$variant(r)
            }
        }

        impl TryFrom<AnyRecord> for $t {
            type Error = Kind;
            /// The record, or the kind it really is.
            fn try_from(r: AnyRecord) -> Result<$t, Kind> {
                match r {
                    AnyRecord::$variant(x) => Ok(x),
                    other => Err(other.kind()),
                }
            }
        }
    )*};
}
any_record_from!(
    Mission => Mission,
    Persona => Persona,
    Stage => Stage,
    Feeling => Feeling,
    Item => Item,
    Comment => Comment,
    Column => Column,
    ParkedTopic => Parked,
    Evidence => Evidence,
    EvidenceLink => EvidenceLink
);

/// A name or title as a label shows it: at most a line's worth (see `rules::TextSize`).
/// A feeling score as `+2`, `0`, `−1` (a real minus sign).
pub fn signed_score(score: i8) -> String {
    match score {
        s if s > 0 => format!("+{s}"),
        s if s < 0 => format!("−{}", -i16::from(s)),
        _ => "0".to_owned(),
    }
}

fn named(text: &str) -> std::borrow::Cow<'_, str> {
    let max = super::rules::TextSize::Line.max_chars();
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]).into(),
        None => text.into(),
    }
}

impl Labelled for Mission {
    fn label(&self) -> String {
        "the mission".into()
    }
}

impl Labelled for Persona {
    fn label(&self) -> String {
        format!("persona '{}'", named(&self.name))
    }
}

impl Labelled for Stage {
    fn label(&self) -> String {
        format!("stage '{}'", named(&self.name))
    }
}

impl Labelled for Feeling {
    fn label(&self) -> String {
        "a feeling".into()
    }
}

impl Labelled for Item {
    /// `#12 'Refund in one tap'` (just the title before it is stored).
    fn label(&self) -> String {
        if self.id > 0 {
            format!("#{} '{}'", self.id, named(&self.title))
        } else {
            format!("'{}'", named(&self.title))
        }
    }
}

impl Labelled for Comment {
    fn label(&self) -> String {
        "a comment".into()
    }
}

impl Labelled for Column {
    fn label(&self) -> String {
        format!("column {}", self.status.label())
    }
}

impl Labelled for ParkedTopic {
    fn label(&self) -> String {
        format!(
            "parked topic '{}'",
            named(self.text.lines().next().unwrap_or(""))
        )
    }
}

impl Labelled for Evidence {
    /// `evidence #4 'Refund took four days'`.
    fn label(&self) -> String {
        let text = self.first_line();
        if self.id > 0 {
            format!("evidence #{} '{text}'", self.id)
        } else {
            format!("evidence '{text}'")
        }
    }
}

impl Labelled for EvidenceLink {
    fn label(&self) -> String {
        format!(
            "the link of evidence #{} to #{}",
            self.evidence_id, self.item_id
        )
    }
}
