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
                    "merged the conflict copy {copy}: {} by {}; the copy is removed",
                    crate::format::count(report.lines.len(), "change", "changes"),
                    escape_controls(&report.authors.join(", "))
                )
            } else {
                format!("the conflict copy {copy} held nothing new; it is removed")
            }
        }
        // The copy is named once; its full path goes to the command that shows it.
        CopyOutcome::Kept { copy, why } => format!(
            "the conflict copy {} was not merged: {} · see why: obeya check --db {}",
            name(copy),
            escape_controls(&why.to_string().replace(&copy.display().to_string(), "it")),
            shell_path(copy)
        ),
    }
}

/// A path as a shell reads it back: `~/Sync/team.db` under the home folder when it
/// needs no quoting, else the whole path in single quotes.
pub fn shell_path(path: &std::path::Path) -> String {
    let text = path.display().to_string();
    let plain = |s: &str| {
        s.chars()
            .all(|c| c.is_alphanumeric() || "/._-+,:@%".contains(c))
    };
    if plain(&text) {
        let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
        if let Some(rest) = home.and_then(|h| path.strip_prefix(h).ok().map(|r| r.to_owned()))
            && !rest.as_os_str().is_empty()
        {
            return format!("~/{}", rest.display());
        }
        return text;
    }
    format!("'{}'", escape_controls(&text).replace('\'', "'\\''"))
}
