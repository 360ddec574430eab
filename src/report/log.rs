//! The activity log as text lines, and the text that lost a conflict.

use jiff::tz::TimeZone;

use crate::format::{escape_controls, local_time};
use crate::model::{Activity, AnyRecord, FactChange};
use crate::store::record::fields_of;

/// "2026-11-22 09:15 +01:00  bob  moved 'Fix refunds' to Check", in the zone given,
/// control characters from the board shown escaped.
pub fn log_line(a: &Activity, tz: &TimeZone) -> String {
    format!(
        "{}  {}  {}",
        local_time(a.at, tz),
        escape_controls(&a.who),
        escape_controls(&a.summary)
    )
}

/// A record's fields as (name, text), nested ones as `metric.name`; the record's
/// identity and bookkeeping (id, meta, position, times) left out. What names the
/// record comes first, then the rest alphabetically.
pub fn field_texts(r: &AnyRecord) -> Vec<(String, String)> {
    fn text(v: &serde_json::Value) -> String {
        match v {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => "(none)".into(),
            other => other.to_string(),
        }
    }
    let map = match r {
        AnyRecord::Mission(x) => fields_of(x),
        AnyRecord::Persona(x) => fields_of(x),
        AnyRecord::Stage(x) => fields_of(x),
        AnyRecord::Feeling(x) => fields_of(x),
        AnyRecord::Item(x) => fields_of(x),
        AnyRecord::Comment(x) => fields_of(x),
        AnyRecord::Column(x) => fields_of(x),
        AnyRecord::Parked(x) => fields_of(x),
        AnyRecord::Evidence(x) => fields_of(x),
        AnyRecord::EvidenceLink(x) => fields_of(x),
    };
    let mut out = Vec::new();
    for (k, v) in map {
        if matches!(
            k.as_str(),
            "id" | "position" | "created_at" | "status_since" | "at" | "parked_at" | "baseline_at"
        ) {
            continue;
        }
        match v {
            serde_json::Value::Object(inner) => {
                out.extend(inner.iter().map(|(ik, iv)| (format!("{k}.{ik}"), text(iv))))
            }
            v => out.push((k, text(&v))),
        }
    }
    let rank = |k: &str| {
        ["title", "name", "text", "status"]
            .iter()
            .position(|f| *f == k)
    };
    out.sort_by(|(a, _), (b, _)| {
        (rank(a).is_none(), rank(a), a).cmp(&(rank(b).is_none(), rank(b), b))
    });
    out
}

/// The fields of `mine` that differ from `base`; with no base, those not left empty.
pub fn changed_field_texts(base: Option<&AnyRecord>, mine: &AnyRecord) -> Vec<(String, String)> {
    let before = base.map(field_texts).unwrap_or_default();
    field_texts(mine)
        .into_iter()
        .filter(|(k, v)| match base {
            Some(_) => before.iter().find(|(bk, _)| bk == k).map(|(_, bv)| bv) != Some(v),
            None => !v.is_empty() && v != "(none)" && v != "false",
        })
        .collect()
}

/// The text that lost a conflict, if the row is one: the fields of the version that was
/// not saved which differ from the record as it is now (`current`; all of them that were
/// filled in, if the record is gone).
pub fn lost_text(a: &Activity, current: Option<&AnyRecord>) -> Vec<(String, String)> {
    match crate::store::fact(a).map(|f| f.change) {
        Some(FactChange::Discarded(mine)) => changed_field_texts(current, &mine),
        _ => Vec::new(),
    }
}

/// The lost text as lines under a log line: `    lost title: Fix refunds fast`.
pub fn lost_lines(lost: &[(String, String)]) -> Vec<String> {
    lost.iter()
        .map(|(field, value)| {
            let value = value.replace("\r\n", " ").replace('\n', " ");
            format!(
                "    lost {}: {}",
                escape_controls(field),
                escape_controls(&value)
            )
        })
        .collect()
}
