//! Evidence in the exchange document: its serde form, the board's evidence as documents,
//! what a document's evidence must keep, and its import (matched by uid, else by what it
//! says; its links to the items it supports added, never removed).

use std::collections::{HashMap, HashSet, VecDeque};

use jiff::civil::Date;
use serde::de::{self, Deserializer};
use serde::{Deserialize, Serialize};

use super::Document;
use super::document::{de_opt_date, null_default};
use super::import::ImportReport;
use super::validate::Invalid;
use crate::model::rules::{self, Required};
use crate::model::{Board, Evidence, EvidenceKind, Side, name_key};
use crate::store::{StoreError, Writer, same_content};

/// One piece of evidence.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct EvidenceDoc {
    /// Stable identity across boards: import matches it first.
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub uid: String,
    /// Its number on the board it came from (kept on import when free).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<i64>,
    /// quote, observation (the default), complaint, survey, interview, test or data.
    #[serde(deserialize_with = "de_kind")]
    pub kind: EvidenceKind,
    #[serde(deserialize_with = "null_default")]
    pub text: String,
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "String::is_empty"
    )]
    pub source: String,
    /// The day it was observed, `YYYY-MM-DD` (the day of the import when absent).
    #[serde(
        deserialize_with = "de_opt_date",
        skip_serializing_if = "Option::is_none"
    )]
    pub observed: Option<Date>,
    /// Persona name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub persona: Option<String>,
    /// Stage name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
    /// −2 … +2 (checked by `validate`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<i64>,
    /// The ids of the items it supports (the document's items; else the board's: an id
    /// on neither is left out).
    #[serde(
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub supports: Vec<i64>,
}

fn de_kind<'de, D: Deserializer<'de>>(d: D) -> Result<EvidenceKind, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(EvidenceKind::default()),
        Some(s) => s.trim().parse().map_err(|_| {
            de::Error::custom(format!(
                "unknown kind '{s}' (expected {})",
                EvidenceKind::names()
            ))
        }),
    }
}

pub(super) fn de_side<'de, D: Deserializer<'de>>(d: D) -> Result<Side, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(Side::default()),
        Some(s) => s.trim().parse().map_err(|_| {
            de::Error::custom(format!(
                "unknown side '{s}' (expected customer or employee)"
            ))
        }),
    }
}

/// The board's evidence, oldest observed first, persona and stage by name.
pub(super) fn evidence_docs(board: &Board) -> Vec<EvidenceDoc> {
    let mut list: Vec<&Evidence> = board.evidence.iter().collect();
    list.sort_by_key(|e| (e.observed, e.id));
    list.iter()
        .map(|e| EvidenceDoc {
            uid: e.meta.uid.clone(),
            id: Some(e.id),
            kind: e.kind,
            text: e.text.clone(),
            source: e.source.clone(),
            observed: Some(e.observed),
            persona: board.persona_name(e.persona_id).map(str::to_owned),
            stage: board.stage_name(e.stage_id).map(str::to_owned),
            sentiment: e.sentiment.map(i64::from),
            supports: board.supported_by(e.id),
        })
        .collect()
}

/// What serde cannot check of the document's evidence: text, references by name, the
/// sentiment's range, its id and the ids of the items it supports.
pub(super) fn check(
    doc: &Document,
    personas: &HashSet<String>,
    stages: &HashSet<String>,
) -> Result<(), Invalid> {
    let mut ids = HashSet::new();
    for (k, e) in doc.evidence.iter().enumerate() {
        let n = k + 1;
        if rules::required(&e.text, Required::EvidenceText).is_err() {
            return Err(Invalid::EvidenceWithoutText(n));
        }
        if let Some(p) = e
            .persona
            .as_ref()
            .filter(|p| !personas.contains(&name_key(p)))
        {
            return Err(Invalid::EvidenceForUnknownPersona {
                n,
                persona: p.clone(),
            });
        }
        if let Some(s) = e.stage.as_ref().filter(|s| !stages.contains(&name_key(s))) {
            return Err(Invalid::EvidenceForUnknownStage {
                n,
                stage: s.clone(),
            });
        }
        if let Some(s) = e.sentiment
            && !i8::try_from(s).is_ok_and(|s| rules::SCORE_RANGE.contains(&s))
        {
            return Err(Invalid::SentimentOutOfRange { n, sentiment: s });
        }
        if let Some(id) = e.id
            && (id <= 0 || !ids.insert(id))
        {
            return Err(Invalid::BadEvidenceId { n, id });
        }
        if let Some(&item) = e.supports.iter().find(|i| **i <= 0) {
            return Err(Invalid::SupportsUnknownItem { n, item });
        }
    }
    Ok(())
}

/// What tells two pieces of evidence apart when neither has a uid.
type Key = (
    EvidenceKind,
    String,
    String,
    Date,
    Option<i64>,
    Option<i64>,
    Option<i8>,
);

fn key_of(e: &Evidence) -> Key {
    (
        e.kind,
        e.text.clone(),
        e.source.clone(),
        e.observed,
        e.persona_id,
        e.stage_id,
        e.sentiment,
    )
}

/// The document's evidence: each matched by uid, else by everything it says (two equal
/// pieces in the document are two, matched to two on the board); changed ones saved,
/// the rest added. Then each one's links to the items it supports (`items`: the
/// board's id of each document item by its document id).
pub(super) fn import(
    w: &mut Writer,
    doc: &Document,
    personas: &HashMap<String, i64>,
    stages: &HashMap<String, i64>,
    items: &HashMap<i64, i64>,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    if doc.evidence.is_empty() {
        return Ok(());
    }
    let today = w.now().to_zoned(jiff::tz::TimeZone::UTC).date();
    let existing: Vec<Evidence> = w.load_all()?;
    let doc_uids: HashSet<&str> = doc
        .evidence
        .iter()
        .map(|d| d.uid.trim())
        .filter(|u| !u.is_empty())
        .collect();
    let by_uid: HashMap<&str, &Evidence> = existing
        .iter()
        .filter(|e| !e.meta.uid.is_empty())
        .map(|e| (e.meta.uid.as_str(), e))
        .collect();
    let mut by_key: HashMap<Key, VecDeque<&Evidence>> = HashMap::new();
    for e in existing
        .iter()
        .filter(|e| !doc_uids.contains(e.meta.uid.as_str()))
    {
        by_key.entry(key_of(e)).or_default().push_back(e);
    }
    let find = |names: &HashMap<String, i64>, n: &Option<String>| {
        n.as_deref().and_then(|n| names.get(&name_key(n)).copied())
    };
    for d in &doc.evidence {
        let mine = |base: Evidence| Evidence {
            kind: d.kind,
            text: d.text.trim().to_owned(),
            source: d.source.clone(),
            observed: d.observed.unwrap_or(today),
            persona_id: find(personas, &d.persona),
            stage_id: find(stages, &d.stage),
            sentiment: d.sentiment.and_then(|s| i8::try_from(s).ok()),
            ..base
        };
        let uid = d.uid.trim();
        let wanted = mine(Evidence::default());
        let found = match by_uid.get(uid) {
            Some(e) => Some(*e),
            None => by_key
                .get_mut(&key_of(&wanted))
                .and_then(VecDeque::pop_front),
        };
        let id = match found {
            Some(e) => {
                let mine = mine(e.clone());
                if !same_content(&mine, e) {
                    w.save(e, &mine)?;
                    report.updated.evidence += 1;
                }
                e.id
            }
            None => {
                let id_free = match d.id {
                    Some(id) => w.load::<Evidence>(id)?.is_none(),
                    None => false,
                };
                let mut fresh = Evidence {
                    id: if id_free { d.id.unwrap_or(0) } else { 0 },
                    ..wanted
                };
                if !w.uid_taken::<Evidence>(uid)? {
                    fresh.meta.uid = uid.to_owned();
                }
                report.added.evidence += 1;
                w.create(fresh)?.id
            }
        };
        for doc_item in &d.supports {
            // A document item's id as imported; else an item of the board; an id on
            // neither is left out.
            let item = items.get(doc_item).copied().unwrap_or(*doc_item);
            if w.load::<crate::model::Item>(item)?.is_some() && w.link(id, item)? {
                report.added.evidence_links += 1;
            }
        }
    }
    Ok(())
}
