//! What serde cannot check: format and version, unique non-empty names, references by
//! name, score range, item titles and ids, comments. Each message names the bad value.
//!
//! Linear in the size of the document: names, references and ids are looked up in sets
//! and maps built once, so 100,000 items or 10,000 personas validate in moments. An
//! import validates before it takes the board's write lock.

use std::collections::{HashMap, HashSet};

use super::{Document, FORMAT_NAME, FORMAT_VERSION, ItemDoc};
use crate::model::{Feeling, name_key};

/// Check what serde cannot: format and version, unique non-empty names, references
/// by name, score range, item titles and ids. Each message names the bad value.
///
/// An import checks the same things in the same order, with the same words, on items
/// that wait on disk (see `staged`); this checks a document held whole.
pub fn validate(doc: &Document) -> Result<(), String> {
    let names = check_head(doc)?;
    let mut ids = HashSet::with_capacity(doc.items.len());
    for (k, item) in doc.items.iter().enumerate() {
        let id_repeated = item.id.is_some_and(|id| !ids.insert(id));
        if let Some(problem) =
            item_problem(k + 1, item, id_repeated, |i| names.unknown_reference(i))
        {
            return Err(problem);
        }
    }
    let repeated = RepeatedUids {
        item: first_repeated(doc.items.iter().map(|i| i.uid.as_str())).map(str::to_owned),
        comment: first_repeated(
            doc.items
                .iter()
                .flat_map(|i| &i.comments)
                .map(|c| c.uid.as_str()),
        )
        .map(str::to_owned),
    };
    check_rest(doc, &repeated)
}

/// The persona and stage names of a document, by their key (see `name_key`).
pub(super) struct Names {
    personas: HashSet<String>,
    stages: HashSet<String>,
}

impl Names {
    /// Whether a persona and a stage an item names (if it names them) are known.
    pub(super) fn known(&self, persona: Option<&str>, stage: Option<&str>) -> bool {
        persona.is_none_or(|p| self.personas.contains(&name_key(p)))
            && stage.is_none_or(|s| self.stages.contains(&name_key(s)))
    }

    /// The item's reference to an unknown persona or stage, in words.
    pub(super) fn unknown_reference(&self, item: &ItemDoc) -> Option<String> {
        if let Some(p) = &item.persona
            && !self.personas.contains(&name_key(p))
        {
            return Some(format!(
                "item '{}' refers to unknown persona '{p}'",
                item.title
            ));
        }
        if let Some(s) = &item.stage
            && !self.stages.contains(&name_key(s))
        {
            return Some(format!(
                "item '{}' refers to unknown stage '{s}'",
                item.title
            ));
        }
        None
    }
}

/// What comes before the items: format and version, the personas' and stages' names,
/// the metrics' numbers, the feelings. Returns the names, for the items' references.
pub(super) fn check_head(doc: &Document) -> Result<Names, String> {
    match doc.format.trim() {
        FORMAT_NAME => {}
        "" => {
            return Err(
                "not an obeya exchange file: format is missing (expected format = \"obeya\")"
                    .into(),
            );
        }
        other => {
            return Err(format!(
                "not an obeya exchange file: format '{other}' (expected \"obeya\")"
            ));
        }
    }
    match doc.version {
        1..=FORMAT_VERSION => {}
        0 => {
            return Err(format!(
                "version is missing (expected version = {FORMAT_VERSION})"
            ));
        }
        v if v > FORMAT_VERSION => {
            return Err(format!(
                "the file is from a newer obeya (exchange version {v}; this obeya reads version {FORMAT_VERSION}): upgrade obeya"
            ));
        }
        v => {
            return Err(format!(
                "unsupported exchange version {v} (expected {FORMAT_VERSION})"
            ));
        }
    }
    let personas = unique_names("persona", doc.personas.iter().map(|p| p.name.as_str()))?;
    let stages = unique_names("stage", doc.stages.iter().map(|s| s.name.as_str()))?;
    // TOML can say `inf` and `nan`; a board keeps numbers (and JSON has no others).
    for s in &doc.stages {
        let Some(m) = &s.metric else { continue };
        for (what, v) in [("target", m.target), ("actual", m.actual)] {
            if let Some(v) = v.filter(|v| !v.is_finite()) {
                return Err(format!(
                    "stage '{}': metric {what} '{v}' is not a number",
                    s.name
                ));
            }
        }
    }
    let known_persona = |n: &str| personas.contains_key(&name_key(n));
    let known_stage = |n: &str| stages.contains_key(&name_key(n));

    let mut feelings = HashSet::with_capacity(doc.feelings.len());
    for f in &doc.feelings {
        if !known_persona(&f.persona) {
            return Err(format!("feeling for unknown persona '{}'", f.persona));
        }
        if !known_stage(&f.stage) {
            return Err(format!("feeling for unknown stage '{}'", f.stage));
        }
        if !(i64::from(Feeling::MIN)..=i64::from(Feeling::MAX)).contains(&f.score) {
            return Err(format!(
                "feeling score {} of '{}' at '{}' is out of range (−2 … +2)",
                f.score, f.persona, f.stage
            ));
        }
        if !feelings.insert((name_key(&f.persona), name_key(&f.stage))) {
            return Err(format!(
                "duplicate feeling for persona '{}' at stage '{}'",
                f.persona, f.stage
            ));
        }
    }
    Ok(Names {
        personas: personas.into_keys().collect(),
        stages: stages.into_keys().collect(),
    })
}

/// The first problem of item `n` (from 1), checked in this order: its title, its
/// comments, its references (`unknown_reference`), its id's sign, and whether an earlier
/// item has its id (`id_repeated`).
pub(super) fn item_problem(
    n: usize,
    item: &ItemDoc,
    id_repeated: bool,
    unknown_reference: impl FnOnce(&ItemDoc) -> Option<String>,
) -> Option<String> {
    let label = || match item.id {
        Some(id) => format!("item {n} (#{id})"),
        None => format!("item {n}"),
    };
    if item.title.trim().is_empty() {
        return Some(format!("{} has an empty title", label()));
    }
    // As on the command line and the wall: a comment says something.
    if let Some(k) = item.comments.iter().position(|c| c.text.trim().is_empty()) {
        return Some(format!(
            "{} has an empty comment (comment {})",
            label(),
            k + 1
        ));
    }
    if let Some(problem) = unknown_reference(item) {
        return Some(problem);
    }
    if let Some(id) = item.id {
        if id <= 0 {
            return Some(format!(
                "item '{}' has id {id} (ids must be positive)",
                item.title
            ));
        }
        if id_repeated {
            return Some(format!("duplicate item id {id} ('{}')", item.title));
        }
    }
    None
}

/// The first uid given twice among the items, and among their comments.
#[derive(Debug, Default)]
pub(super) struct RepeatedUids {
    pub item: Option<String>,
    pub comment: Option<String>,
}

/// What comes after the items: WIP limits, metric history, stand-ups, parked topics,
/// and uids unique within each kind (the items' and comments' as `repeated` says).
pub(super) fn check_rest(doc: &Document, repeated: &RepeatedUids) -> Result<(), String> {
    for &status in crate::model::Status::ALL {
        if doc.wip_limits.get(status) == Some(0) {
            return Err(format!(
                "WIP limit 0 for {} (a limit is at least 1; leave it out for none)",
                status.as_str()
            ));
        }
    }
    for s in &doc.stages {
        if let Some(v) = s.history.iter().find(|v| !v.value.is_finite()) {
            return Err(format!(
                "stage '{}': metric history value '{}' is not a number",
                s.name, v.value
            ));
        }
    }
    let mut standup_ids = HashSet::new();
    for s in &doc.standups {
        if let Some(id) = s.id {
            if id <= 0 {
                return Err(format!("stand-up id {id} (ids must be positive)"));
            }
            if !standup_ids.insert(id) {
                return Err(format!("duplicate stand-up id {id}"));
            }
        }
    }
    let standup_uids: HashSet<&str> = doc.standups.iter().map(|s| s.uid.trim()).collect();
    for (k, t) in doc.parked.iter().enumerate() {
        if t.text.trim().is_empty() {
            return Err(format!("parked topic {} has no text", k + 1));
        }
        if let Some(u) = &t.standup
            && (u.trim().is_empty() || !standup_uids.contains(u.trim()))
        {
            return Err(format!(
                "parked topic '{}' refers to unknown stand-up '{u}'",
                t.text
            ));
        }
    }
    unique_uids("persona", doc.personas.iter().map(|p| p.uid.as_str()))?;
    unique_uids("stage", doc.stages.iter().map(|s| s.uid.as_str()))?;
    unique_uids("feeling", doc.feelings.iter().map(|f| f.uid.as_str()))?;
    if let Some(uid) = &repeated.item {
        return Err(duplicate_uid("item", uid));
    }
    if let Some(uid) = &repeated.comment {
        return Err(duplicate_uid("comment", uid));
    }
    unique_uids(
        "metric value",
        doc.stages
            .iter()
            .flat_map(|s| &s.history)
            .map(|v| v.uid.as_str()),
    )?;
    unique_uids("stand-up", doc.standups.iter().map(|s| s.uid.as_str()))?;
    unique_uids("parked topic", doc.parked.iter().map(|t| t.uid.as_str()))?;
    Ok(())
}

/// The first uid given a second time (trimmed; an empty one is none).
pub(super) fn first_repeated<'a>(uids: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut seen = HashSet::new();
    uids.map(str::trim)
        .filter(|u| !u.is_empty())
        .find(|uid| !seen.insert(*uid))
}

/// Uids given are unique within their kind (an empty one is none).
fn unique_uids<'a>(kind: &str, uids: impl Iterator<Item = &'a str>) -> Result<(), String> {
    match first_repeated(uids) {
        Some(uid) => Err(duplicate_uid(kind, uid)),
        None => Ok(()),
    }
}

fn duplicate_uid(kind: &str, uid: &str) -> String {
    format!("duplicate {kind} uid '{uid}'")
}

/// The names by their key (see `name_key`), each present and unique ignoring case.
fn unique_names<'a>(
    kind: &str,
    names: impl Iterator<Item = &'a str>,
) -> Result<HashMap<String, &'a str>, String> {
    let mut seen: HashMap<String, &str> = HashMap::new();
    for (k, name) in names.enumerate() {
        if name.trim().is_empty() {
            return Err(format!("{kind} {} has an empty name", k + 1));
        }
        if let Some(first) = seen.insert(name_key(name), name) {
            return Err(format!(
                "duplicate {kind} name '{name}' (same as '{first}', ignoring case)"
            ));
        }
    }
    Ok(seen)
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::*;
    use super::*;

    fn invalid(mutate: impl FnOnce(&mut Document)) -> String {
        let mut doc = sample_doc();
        mutate(&mut doc);
        validate(&doc).expect_err("should be refused")
    }

    #[test]
    fn validate_names_each_bad_value() {
        validate(&sample_doc()).unwrap();
        let cases: Vec<(String, &str)> = vec![
            (invalid(|d| d.format = "trello".into()), "'trello'"),
            (invalid(|d| d.format = String::new()), "format"),
            (invalid(|d| d.version = 3), "newer obeya"),
            (invalid(|d| d.version = 0), "version"),
            (
                invalid(|d| d.personas[1].name = " ".into()),
                "persona 2 has an empty name",
            ),
            (
                invalid(|d| d.personas[1].name = "ZOË 🚀".into()),
                "duplicate persona name 'ZOË 🚀'",
            ),
            (
                invalid(|d| d.stages[1].name = String::new()),
                "stage 2 has an empty name",
            ),
            (
                invalid(|d| d.stages[1].name = "découvrir".into()),
                "duplicate stage name 'découvrir'",
            ),
            (
                invalid(|d| d.feelings[0].persona = "Marla".into()),
                "feeling for unknown persona 'Marla'",
            ),
            (
                invalid(|d| d.feelings[0].stage = "Pay".into()),
                "feeling for unknown stage 'Pay'",
            ),
            (invalid(|d| d.feelings[0].score = 3), "score 3"),
            (invalid(|d| d.feelings[1].score = -5), "score -5"),
            (
                invalid(|d| d.feelings.push(d.feelings[0].clone())),
                "duplicate feeling for persona 'Zoë 🚀' at stage 'Découvrir'",
            ),
            (
                invalid(|d| d.items[1].title = "  ".into()),
                "item 2 (#3) has an empty title",
            ),
            (
                invalid(|d| d.items[0].persona = Some("Marla".into())),
                "unknown persona 'Marla'",
            ),
            (
                invalid(|d| d.items[0].stage = Some("Nowhere".into())),
                "unknown stage 'Nowhere'",
            ),
            (invalid(|d| d.items[1].id = Some(7)), "duplicate item id 7"),
            (invalid(|d| d.items[1].id = Some(0)), "id 0"),
            (
                invalid(|d| d.stages[0].metric.as_mut().unwrap().target = Some(f64::INFINITY)),
                "metric target 'inf' is not a number",
            ),
            (
                invalid(|d| d.items[0].comments[0].text = " \n".into()),
                "item 1 (#7) has an empty comment (comment 1)",
            ),
        ];
        for (err, needle) in cases {
            assert!(err.contains(needle), "expected {needle:?} in {err:?}");
        }
        // Names match ignoring case, as on the board.
        let mut doc = sample_doc();
        doc.feelings[0].persona = "zoë 🚀".into();
        doc.items[0].stage = Some("受け取り ".into());
        validate(&doc).unwrap();
    }
}
