//! What serde cannot check: format and version, unique non-empty names, references by
//! name, score range, item titles and ids, comments. Each refusal names the bad value.
//!
//! The rules a board keeps come from [`crate::model::rules`] (a name is present and
//! unique ignoring case, a title is required, a score is in range). Linear in the size
//! of the document: names, references and ids are looked up in sets and maps built
//! once, so 100,000 items or 10,000 personas validate in moments.

use std::collections::{HashMap, HashSet};

use super::{Document, FORMAT_NAME, FORMAT_VERSION, ItemDoc};
use crate::model::rules::{self, Required, RuleError};
use crate::model::{Kind, Status, name_key};

/// A document refused: what is wrong, and where.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Invalid {
    #[error("not an obeya exchange file: format is missing (expected format = \"obeya\")")]
    FormatMissing,
    #[error("not an obeya exchange file: format '{0}' (expected \"obeya\")")]
    NotObeya(String),
    #[error("version is missing (expected version = {FORMAT_VERSION})")]
    VersionMissing,
    #[error(
        "the file is from a newer obeya (exchange version {0}; this obeya reads version {FORMAT_VERSION}): upgrade obeya"
    )]
    NewerVersion(i64),
    #[error("unsupported exchange version {0} (expected {FORMAT_VERSION})")]
    UnsupportedVersion(i64),
    /// The `n`-th persona or stage (from 1) has no name.
    #[error("{kind} {n} has an empty name")]
    EmptyName { kind: &'static str, n: usize },
    #[error("duplicate {kind} name '{name}' (same as '{first}', ignoring case)")]
    DuplicateName {
        kind: Kind,
        name: String,
        first: String,
    },
    /// A metric's target or actual that is infinite or not a number (TOML can say so).
    #[error("stage '{stage}': metric {what} '{value}' is not a number")]
    MetricNotANumber {
        stage: String,
        what: &'static str,
        value: f64,
    },
    #[error(
        "stage '{stage}': metric warn '{value}' is below 0 (the band is a distance from the target)"
    )]
    NegativeBand { stage: String, value: f64 },
    #[error("item {item}: baseline '{value}' is not a number")]
    BaselineNotANumber { item: i64, value: f64 },
    #[error("feeling for unknown persona '{0}'")]
    FeelingForUnknownPersona(String),
    #[error("feeling for unknown stage '{0}'")]
    FeelingForUnknownStage(String),
    #[error("feeling score {score} of '{persona}' at '{stage}' is out of range (−2 … +2)")]
    ScoreOutOfRange {
        score: i64,
        persona: String,
        stage: String,
    },
    #[error("duplicate feeling for persona '{persona}' at stage '{stage}'")]
    DuplicateFeeling { persona: String, stage: String },
    /// Item `n` (from 1), with its id if it has one.
    #[error("{} has an empty title", item_label(.n, .id))]
    EmptyTitle { n: usize, id: Option<i64> },
    /// Item `n`'s `comment`-th comment (both from 1) says nothing.
    #[error("{} has an empty comment (comment {comment})", item_label(.n, .id))]
    EmptyComment {
        n: usize,
        id: Option<i64>,
        comment: usize,
    },
    #[error("item '{item}' refers to unknown persona '{persona}'")]
    UnknownPersona { item: String, persona: String },
    #[error("item '{item}' refers to unknown stage '{stage}'")]
    UnknownStage { item: String, stage: String },
    #[error("item '{item}' has id {id} (ids must be positive)")]
    ItemIdNotPositive { item: String, id: i64 },
    #[error("duplicate item id {id} ('{item}')")]
    DuplicateItemId { id: i64, item: String },
    #[error("WIP limit 0 for {} (a limit is at least 1; leave it out for none)", .0.as_str())]
    WipLimitZero(Status),
    #[error("stage '{stage}': metric history value '{value}' is not a number")]
    HistoryNotANumber { stage: String, value: f64 },
    #[error("stand-up id {0} (ids must be positive)")]
    StandupIdNotPositive(i64),
    #[error("duplicate stand-up id {0}")]
    DuplicateStandupId(i64),
    /// The `n`-th parked topic (from 1) says nothing.
    #[error("parked topic {0} has no text")]
    ParkedWithoutText(usize),
    #[error("parked topic '{topic}' refers to unknown stand-up '{standup}'")]
    UnknownStandup { topic: String, standup: String },
    #[error("duplicate {kind} uid '{uid}'")]
    DuplicateUid { kind: &'static str, uid: String },
    /// A text longer than its field holds (`rules::TextSize`), and where it is.
    #[error("{at}: {why}")]
    TooLong { at: String, why: RuleError },
    /// The `n`-th piece of evidence (from 1) says nothing.
    #[error("evidence {0} has no text")]
    EvidenceWithoutText(usize),
    #[error("evidence {n} is about unknown persona '{persona}'")]
    EvidenceForUnknownPersona { n: usize, persona: String },
    #[error("evidence {n} is at unknown stage '{stage}'")]
    EvidenceForUnknownStage { n: usize, stage: String },
    #[error("evidence {n} has sentiment {sentiment}, out of range (−2 … +2)")]
    SentimentOutOfRange { n: usize, sentiment: i64 },
    #[error("evidence {n} has id {id} (ids must be positive and unique)")]
    BadEvidenceId { n: usize, id: i64 },
    #[error("evidence {n} supports item {item} (ids must be positive)")]
    SupportsUnknownItem { n: usize, item: i64 },
}

fn item_label(n: &usize, id: &Option<i64>) -> String {
    match id {
        Some(id) => format!("item {n} (#{id})"),
        None => format!("item {n}"),
    }
}

/// Check what serde cannot. The first problem found, in this order, is the one
/// reported: format and version; persona and stage names; metrics; feelings; each item
/// in turn (title, comments, references, id); WIP limits; metric history; stand-ups;
/// parked topics; evidence; uids unique within each kind.
pub fn validate(doc: &Document) -> Result<(), Invalid> {
    format_and_version(doc)?;
    lengths(doc)?;
    let names = Names {
        personas: unique_names(Kind::Persona, doc.personas.iter().map(|p| p.name.as_str()))?,
        stages: unique_names(Kind::Stage, doc.stages.iter().map(|s| s.name.as_str()))?,
    };
    // TOML can say `inf` and `nan`; a board keeps numbers (and JSON has no others).
    for s in &doc.stages {
        let Some(m) = &s.metric else { continue };
        for (what, v) in [("target", m.target), ("actual", m.actual), ("warn", m.warn)] {
            if let Some(value) = v.filter(|v| !v.is_finite()) {
                return Err(Invalid::MetricNotANumber {
                    stage: s.name.clone(),
                    what,
                    value,
                });
            }
        }
    }
    for s in &doc.stages {
        if let Some(value) = s.metric.as_ref().and_then(|m| m.warn).filter(|w| *w < 0.0) {
            return Err(Invalid::NegativeBand {
                stage: s.name.clone(),
                value,
            });
        }
    }
    for (n, i) in doc.items.iter().enumerate() {
        if let Some(value) = i.baseline.filter(|v| !v.is_finite()) {
            return Err(Invalid::BaselineNotANumber {
                item: i.id.unwrap_or(n as i64 + 1),
                value,
            });
        }
    }
    feelings(doc, &names)?;
    let mut ids = HashSet::with_capacity(doc.items.len());
    for (k, item) in doc.items.iter().enumerate() {
        check_item(k + 1, item, &names, &mut ids)?;
    }
    for &status in Status::ALL {
        if doc.wip_limits.get(status) == Some(0) {
            return Err(Invalid::WipLimitZero(status));
        }
    }
    for s in &doc.stages {
        if let Some(v) = s.history.iter().find(|v| !v.value.is_finite()) {
            return Err(Invalid::HistoryNotANumber {
                stage: s.name.clone(),
                value: v.value,
            });
        }
    }
    standups_and_parked(doc)?;
    super::evidence::check(doc, &names.personas, &names.stages)?;
    unique_uids(doc)
}

/// Every text fits its field (`rules::within_limit`), as the store would insist when
/// importing; a refusal says which record (from 1, in document order) and which field.
fn lengths(doc: &Document) -> Result<(), Invalid> {
    fn fits(at: impl Fn() -> String, fields: &[(&str, &str)]) -> Result<(), Invalid> {
        for (field, text) in fields {
            rules::within_limit(field, text).map_err(|why| Invalid::TooLong { at: at(), why })?;
        }
        Ok(())
    }
    let m = &doc.mission;
    fits(
        || "the mission".into(),
        &[("statement", &m.statement), ("customer", &m.customer)],
    )?;
    for (n, p) in doc.personas.iter().enumerate() {
        fits(
            || format!("persona {}", n + 1),
            &[
                ("uid", &p.uid),
                ("name", &p.name),
                ("role", &p.role),
                ("goal", &p.goal),
                ("needs", &p.needs),
                ("pains", &p.pains),
                ("quote", &p.quote),
            ],
        )?;
    }
    for (n, s) in doc.stages.iter().enumerate() {
        let at = || format!("stage {}", n + 1);
        let metric = s.metric.clone().unwrap_or_default();
        fits(
            at,
            &[
                ("uid", &s.uid),
                ("name", &s.name),
                ("customer_goal", &s.customer_goal),
                ("touchpoints", &s.touchpoints),
                ("pains", &s.pains),
                ("backstage", &s.backstage),
                ("name", &metric.name),
                ("unit", &metric.unit),
            ],
        )?;
        for v in &s.history {
            fits(at, &[("uid", &v.uid), ("who", &v.who)])?;
        }
    }
    for (n, f) in doc.feelings.iter().enumerate() {
        fits(
            || format!("feeling {}", n + 1),
            &[("uid", &f.uid), ("note", &f.note)],
        )?;
    }
    for (n, i) in doc.items.iter().enumerate() {
        let at = || item_label(&(n + 1), &i.id);
        fits(
            at,
            &[
                ("uid", &i.uid),
                ("title", &i.title),
                ("detail", &i.detail),
                ("owner", &i.owner),
                ("impact", &i.impact),
                ("risk", &i.risk),
                ("blocked_reason", &i.blocked_reason),
            ],
        )?;
        for c in &i.comments {
            fits(
                at,
                &[("uid", &c.uid), ("author", &c.author), ("text", &c.text)],
            )?;
        }
    }
    for (n, s) in doc.standups.iter().enumerate() {
        fits(
            || format!("stand-up {}", n + 1),
            &[("uid", &s.uid), ("facilitator", &s.facilitator)],
        )?;
    }
    for (n, t) in doc.parked.iter().enumerate() {
        fits(
            || format!("parked topic {}", n + 1),
            &[
                ("uid", &t.uid),
                ("text", &t.text),
                ("parked_by", &t.parked_by),
                ("resolved_by", &t.resolved_by),
            ],
        )?;
    }
    for (n, e) in doc.evidence.iter().enumerate() {
        fits(
            || format!("evidence {}", n + 1),
            &[("uid", &e.uid), ("text", &e.text), ("source", &e.source)],
        )?;
    }
    Ok(())
}

fn format_and_version(doc: &Document) -> Result<(), Invalid> {
    match doc.format.trim() {
        FORMAT_NAME => {}
        "" => return Err(Invalid::FormatMissing),
        other => return Err(Invalid::NotObeya(other.to_owned())),
    }
    match doc.version {
        1..=FORMAT_VERSION => Ok(()),
        0 => Err(Invalid::VersionMissing),
        v if v > FORMAT_VERSION => Err(Invalid::NewerVersion(v)),
        v => Err(Invalid::UnsupportedVersion(v)),
    }
}

/// The persona and stage names of a document, by their key (see `name_key`).
struct Names {
    personas: HashSet<String>,
    stages: HashSet<String>,
}

/// The names by their key, each present and unique ignoring case (`rules::unique_name`,
/// given the one earlier name with the same key, so the check stays linear).
fn unique_names<'a>(
    kind: Kind,
    names: impl Iterator<Item = &'a str>,
) -> Result<HashSet<String>, Invalid> {
    let mut seen: HashMap<String, (usize, &str)> = HashMap::new();
    for (k, name) in names.enumerate() {
        let key = name_key(name);
        let earlier = seen.get(&key).map(|&(j, first)| (j as i64, first));
        match rules::unique_name(kind, name, k as i64, earlier) {
            Ok(_) => {}
            Err(RuleError::DuplicateName { existing, .. }) => {
                return Err(Invalid::DuplicateName {
                    kind,
                    name: name.to_owned(),
                    first: existing,
                });
            }
            Err(_) => {
                return Err(Invalid::EmptyName {
                    kind: kind.table(),
                    n: k + 1,
                });
            }
        }
        seen.insert(key, (k, name));
    }
    Ok(seen.into_keys().collect())
}

fn feelings(doc: &Document, names: &Names) -> Result<(), Invalid> {
    let mut feelings = HashSet::with_capacity(doc.feelings.len());
    for f in &doc.feelings {
        let (persona, stage) = (name_key(&f.persona), name_key(&f.stage));
        if !names.personas.contains(&persona) {
            return Err(Invalid::FeelingForUnknownPersona(f.persona.clone()));
        }
        if !names.stages.contains(&stage) {
            return Err(Invalid::FeelingForUnknownStage(f.stage.clone()));
        }
        if !i8::try_from(f.score).is_ok_and(|s| rules::SCORE_RANGE.contains(&s)) {
            return Err(Invalid::ScoreOutOfRange {
                score: f.score,
                persona: f.persona.clone(),
                stage: f.stage.clone(),
            });
        }
        if !feelings.insert((persona, stage)) {
            return Err(Invalid::DuplicateFeeling {
                persona: f.persona.clone(),
                stage: f.stage.clone(),
            });
        }
    }
    Ok(())
}

/// Item `n` (from 1): its title, its comments, its references, its id's sign, and
/// whether an earlier item has its id (`ids` holds theirs).
fn check_item(
    n: usize,
    item: &ItemDoc,
    names: &Names,
    ids: &mut HashSet<i64>,
) -> Result<(), Invalid> {
    if rules::title(&item.title).is_err() {
        return Err(Invalid::EmptyTitle { n, id: item.id });
    }
    // As on the command line and the wall: a comment says something.
    if let Some(k) = item
        .comments
        .iter()
        .position(|c| rules::required(&c.text, Required::CommentText).is_err())
    {
        return Err(Invalid::EmptyComment {
            n,
            id: item.id,
            comment: k + 1,
        });
    }
    if let Some(p) = &item.persona
        && !names.personas.contains(&name_key(p))
    {
        return Err(Invalid::UnknownPersona {
            item: item.title.clone(),
            persona: p.clone(),
        });
    }
    if let Some(s) = &item.stage
        && !names.stages.contains(&name_key(s))
    {
        return Err(Invalid::UnknownStage {
            item: item.title.clone(),
            stage: s.clone(),
        });
    }
    if let Some(id) = item.id {
        if id <= 0 {
            return Err(Invalid::ItemIdNotPositive {
                item: item.title.clone(),
                id,
            });
        }
        if !ids.insert(id) {
            return Err(Invalid::DuplicateItemId {
                id,
                item: item.title.clone(),
            });
        }
    }
    Ok(())
}

fn standups_and_parked(doc: &Document) -> Result<(), Invalid> {
    let mut standup_ids = HashSet::new();
    for s in &doc.standups {
        if let Some(id) = s.id {
            if id <= 0 {
                return Err(Invalid::StandupIdNotPositive(id));
            }
            if !standup_ids.insert(id) {
                return Err(Invalid::DuplicateStandupId(id));
            }
        }
    }
    let standup_uids: HashSet<&str> = doc.standups.iter().map(|s| s.uid.trim()).collect();
    for (k, t) in doc.parked.iter().enumerate() {
        if rules::required(&t.text, Required::TopicText).is_err() {
            return Err(Invalid::ParkedWithoutText(k + 1));
        }
        if let Some(u) = &t.standup
            && (u.trim().is_empty() || !standup_uids.contains(u.trim()))
        {
            return Err(Invalid::UnknownStandup {
                topic: t.text.clone(),
                standup: u.clone(),
            });
        }
    }
    Ok(())
}

/// Uids given are unique within their kind.
fn unique_uids(doc: &Document) -> Result<(), Invalid> {
    let items = doc.items.iter();
    unique("persona", doc.personas.iter().map(|p| p.uid.as_str()))?;
    unique("stage", doc.stages.iter().map(|s| s.uid.as_str()))?;
    unique("feeling", doc.feelings.iter().map(|f| f.uid.as_str()))?;
    unique("item", items.clone().map(|i| i.uid.as_str()))?;
    unique(
        "comment",
        items.flat_map(|i| &i.comments).map(|c| c.uid.as_str()),
    )?;
    let history = doc.stages.iter().flat_map(|s| &s.history);
    unique("metric value", history.map(|v| v.uid.as_str()))?;
    unique("stand-up", doc.standups.iter().map(|s| s.uid.as_str()))?;
    unique("parked topic", doc.parked.iter().map(|t| t.uid.as_str()))?;
    unique("evidence", doc.evidence.iter().map(|e| e.uid.as_str()))
}

/// The first uid given a second time (trimmed; an empty one is none) is refused.
fn unique<'a>(kind: &'static str, uids: impl Iterator<Item = &'a str>) -> Result<(), Invalid> {
    let mut seen = HashSet::new();
    match uids
        .map(str::trim)
        .find(|u| !u.is_empty() && !seen.insert(*u))
    {
        Some(uid) => Err(Invalid::DuplicateUid {
            kind,
            uid: uid.to_owned(),
        }),
        None => Ok(()),
    }
}
