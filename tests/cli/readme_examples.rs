//! The README's examples are run: every ```console block, in order, as one session in
//! a temporary folder, with trycmd. Each `$ obeya …` line runs the real binary (`cp` is
//! the system's); the lines under it are what it must print (stdout and stderr
//! together), `? 1` the exit code when it is not 0. `[..]` stands for any text within a
//! line (times, the starter board's dates), `...` on its own line for any lines.
//!
//! The session runs in a fixed but unusual setting: time zone Europe/Berlin, a German
//! locale, a home of its own, user alice, the board `team.db` (`OBEYA_DB`, as the README
//! has the reader export it). `tickets.csv`, which `evidence import` reads,
//! `readings.csv`, which `metric import` reads, and `standups.toml`, the stand-ups the
//! README imports, are made here.
//!
//! When a change alters what an example prints, update the README with
//!
//! ```sh
//! TRYCMD=overwrite cargo test --test cli readme_examples
//! ```
//!
//! which writes what the commands printed into the README's blocks (keeping `[..]` and
//! `...` where they still match); read the diff before committing it.

use std::path::Path;

use super::OBEYA;

/// The support desk's export that the README's `evidence import` example reads: three
/// rows with text (one naming nobody) and one without.
const TICKETS: &str = "\
Ticket,Opened,Customer said,CSAT,Who
4401,2026-11-12,\"Two items missing, again\",2,Maria
4402,2026-11-13,The refund took a week,0,Maria
4403,2026-11-14,,5,Ben
4404,2026-11-15,Support was kind,9,
";

/// A metric export that the README's `metric import` example reads twice: a byte order
/// mark, CRLF, a quoted cell.
const READINGS: &str =
    "\u{feff}stage,date,value\r\n\"Get help\",2026-11-09,61\r\nGet help,2026-11-16,66\r\n";

/// The stand-ups another board held, which the README imports before listing them (a
/// stand-up is held on the wall, which these examples cannot show).
const STANDUPS: &str = r#"format = "obeya"
version = 3

[[standups]]
id = 1
started_at = 2026-11-20T08:00:00Z
ended_at = 2026-11-20T08:12:00Z
facilitator = "alice"

[[standups.summary.people]]
who = "bob"

[[standups.summary.people.changes]]
change = "moved"
id = 5
title = "Live van tracking with a 10-minute window"
from = "do"
to = "check"

[[standups]]
id = 2
started_at = 2026-11-22T08:00:00Z
ended_at = 2026-11-22T08:14:00Z
facilitator = "bob"

[[standups.summary.people]]
who = "alice"

[[standups.summary.people.changes]]
change = "unblocked"
id = 4
title = "Large-text mode in the app"

[[standups.summary.people.changes]]
change = "owner"
id = 4
title = "Large-text mode in the app"
from = "bob"
to = "alice"

[[standups.summary.parked]]
text = "Holiday rota"
by = "alice"

[[parked]]
text = "Holiday rota"
parked_by = "alice"
parked_at = 2026-11-22T08:05:00Z
"#;

#[test]
fn the_readme_examples_print_what_they_say() {
    let readme = Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md");
    let dir = tempfile::tempdir().unwrap();
    // trycmd runs a case `X.md` in the folder `X.in` beside it.
    let case = dir.path().join("README.md");
    let text = std::fs::read_to_string(&readme).unwrap();
    std::fs::write(&case, with_trycmd_spacing(&text)).unwrap();
    let work = dir.path().join("README.in");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&work).unwrap();
    std::fs::create_dir_all(&home).unwrap();
    std::fs::write(work.join("tickets.csv"), TICKETS).unwrap();
    std::fs::write(work.join("standups.toml"), STANDUPS).unwrap();
    std::fs::write(work.join("readings.csv"), READINGS).unwrap();
    // An explicit, empty config: nothing from the machine's environment counts.
    let config = home.join("config.toml");
    std::fs::write(&config, "").unwrap();

    let cp = ["/bin/cp", "/usr/bin/cp"]
        .into_iter()
        .find(|p| Path::new(p).exists())
        .expect("cp, which the README's merge example runs");
    let cases = trycmd::TestCases::new();
    cases
        .register_bin("obeya", Path::new(OBEYA))
        .register_bin("cp", Path::new(cp))
        .env("TZ", "Europe/Berlin")
        .env("LANG", "de_DE.UTF-8")
        .env("LC_ALL", "de_DE.UTF-8")
        .env("HOME", home.display().to_string())
        .env(
            "XDG_CONFIG_HOME",
            home.join(".config").display().to_string(),
        )
        .env(
            "XDG_DATA_HOME",
            home.join(".local/share").display().to_string(),
        )
        .env("OBEYA_CONFIG", config.display().to_string())
        .env("OBEYA_DB", "team.db")
        .env("OBEYA_USER", "alice")
        .env("NO_COLOR", "1")
        .case(&case);
    cases.run();

    if std::env::var_os("TRYCMD").is_some_and(|v| v == "overwrite") {
        // trycmd wrote what the commands printed into the copy: keep it.
        let text = std::fs::read_to_string(&case).unwrap();
        std::fs::write(&readme, without_trycmd_spacing(&text)).unwrap();
    }
}

/// Whether `line` ends a command's output in a console block: the next command, or
/// the block's end.
fn ends_output(line: &str) -> bool {
    line.starts_with("$ ") || line == "```"
}

/// trycmd reads the last line break of each command's output as spacing, so its blocks
/// put an empty line after every output. The README does without: one is added before
/// each command but the block's first, and before the block's end.
fn with_trycmd_spacing(readme: &str) -> String {
    let mut out = String::new();
    let mut in_console = false;
    let mut first = true;
    for line in readme.lines() {
        if in_console && ends_output(line) {
            if !first {
                out.push('\n');
            }
            first = false;
        }
        if line.starts_with("```") {
            in_console = !in_console && line == "```console";
            first = true;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The README from trycmd's spacing: the inverse of [`with_trycmd_spacing`].
fn without_trycmd_spacing(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::new();
    let mut in_console = false;
    let mut first = true;
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("```") {
            in_console = !in_console && *line == "```console";
            first = true;
        }
        let spacing =
            in_console && line.is_empty() && lines.get(i + 1).is_some_and(|next| ends_output(next));
        if spacing && !first {
            first = false;
            continue;
        }
        if in_console && line.starts_with("$ ") {
            first = false;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}
