//! What became of a sync-conflict copy merged for you, in one line (the wall's note, a
//! command's stderr). File names and authors come from the files: shown escaped.

use crate::format::escape_controls;
use crate::store::CopyOutcome;

pub fn copy_outcome(outcome: &CopyOutcome) -> String {
    let name = |p: &std::path::Path| {
        escape_controls(&p.file_name().unwrap_or_default().to_string_lossy()).into_owned()
    };
    match outcome {
        CopyOutcome::Merged(report) => {
            let copy = name(std::path::Path::new(&report.copy));
            if report.wrote {
                format!(
                    "merged the conflict copy {copy}: {} change(s) by {}; the copy is removed",
                    report.lines.len(),
                    escape_controls(&report.authors.join(", "))
                )
            } else {
                format!("the conflict copy {copy} held nothing new; it is removed")
            }
        }
        CopyOutcome::Kept { copy, why } => format!(
            "the conflict copy {} was not merged: {}",
            name(copy),
            escape_controls(&why.to_string())
        ),
    }
}
