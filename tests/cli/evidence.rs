//! Systematic listening from the command line (issue 23): evidence added, listed,
//! shown, edited, linked and deleted; a support desk's CSV export imported (a byte order
//! mark, CRLF line ends, quoted cells with commas and line breaks, dates in three forms,
//! a 0–10 score), imported again with nothing added; a bad row refused by its line
//! number with the board left byte for byte as it was.

use std::path::{Path, PathBuf};

use kit::cli::{exited, succeeded};
use serde_json::Value;

/// The binary in a temporary home, in UTC, as alice: `obeya --db BOARD ARGS`.
pub(super) struct Env(pub(super) kit::cli::Env);

impl Env {
    pub(super) fn new() -> Env {
        Env(kit::cli::Env::new(crate::OBEYA))
    }
    pub(super) fn run(&self, board: &Path, args: &[&str]) -> std::process::Output {
        self.0
            .cmd()
            .env("TZ", "UTC")
            .env("OBEYA_USER", "alice")
            .arg("--db")
            .arg(board)
            .args(args)
            .output()
            .unwrap()
    }
    pub(super) fn ok(&self, board: &Path, args: &[&str]) -> String {
        succeeded(&self.run(board, args), args)
    }
    pub(super) fn fails(&self, board: &Path, args: &[&str], code: i32) -> String {
        exited(&self.run(board, args), args, code).1
    }
    pub(super) fn board(&self) -> PathBuf {
        let p = self.0.path("team.db");
        self.ok(&p, &["init"]);
        p
    }
}

pub(super) fn json(text: &str) -> Value {
    serde_json::from_str(text).unwrap()
}

/// A support desk's export as Windows writes it: a byte order mark, CRLF, a quoted
/// cell with a comma, another with a line break, a row without text, a 0–10 score, the
/// three date forms, and columns named otherwise than obeya's.
const TICKETS: &[u8] = b"\xef\xbb\xbfTicket,Customer said,Opened,CSAT,Who\r\n\
4312,\"Refund took four days, again\",2026-11-09,1,Maria\r\n\
4313,\"The driver was kind.\r\nBut the bags were wet.\",2026-11-10T18:30:00+01:00,7,\r\n\
4314,,2026-11-11,5,Ben\r\n\
4315,Could not find the chat,2026-11-12 09:15:00,3,ben\r\n";

const IMPORT: &[&str] = &[
    "--text",
    "Customer said",
    "--date",
    "Opened",
    "--source",
    "Ticket",
    "--score",
    "CSAT",
    "--scale",
    "0-10",
    "--kind",
    "complaint",
    "--persona-column",
    "Who",
    "--stage",
    "Get help",
];

fn import_args(file: &str) -> Vec<&str> {
    let mut args = vec!["evidence", "import", file];
    args.extend(IMPORT);
    args
}

#[test]
fn a_support_desk_export_is_imported_once_whatever_its_line_ends() {
    let env = Env::new();
    let p = env.board();
    let file = env.0.path("tickets.csv");
    std::fs::write(&file, TICKETS).unwrap();
    let f = file.to_str().unwrap();
    let before = json(&env.ok(&p, &["evidence", "list", "--json"]))
        .as_array()
        .unwrap()
        .len();
    let out = env.ok(&p, &import_args(f));
    assert_eq!(
        out,
        format!("imported {f}: added 3 pieces of evidence; skipped 1 row without text\n")
    );
    let list = json(&env.ok(
        &p,
        &[
            "evidence",
            "list",
            "--stage",
            "get help",
            "--kind",
            "complaint",
            "--json",
        ],
    ));
    let rows = list.as_array().unwrap();
    assert_eq!(
        rows.len(),
        4,
        "three imported, one from the starter: {list:#}"
    );
    let by_source = |s: &str| rows.iter().find(|r| r["source"] == s).unwrap().clone();
    let wet = by_source("4313");
    assert_eq!(wet["text"], "The driver was kind.\nBut the bags were wet.");
    assert_eq!(
        wet["observed"], "2026-11-10",
        "the day as written, in its own offset"
    );
    assert_eq!(wet["sentiment"], 1, "7 of 0–10 is +0.8: +1");
    assert_eq!(wet["persona"], Value::Null);
    let again = by_source("4312");
    assert_eq!(again["text"], "Refund took four days, again");
    assert_eq!(again["persona"], "Maria");
    assert_eq!(again["sentiment"], -2, "1 of 0–10");
    let chat = by_source("4315");
    assert_eq!(chat["persona"], "Ben", "names match ignoring case");
    assert_eq!(chat["observed"], "2026-11-12");
    assert_eq!(chat["sentiment"], -1, "3 of 0–10 is −0.8");

    // The same file again: nothing added, nothing written.
    let export = env.ok(&p, &["export"]);
    let out = env.ok(&p, &import_args(f));
    assert_eq!(
        out,
        format!(
            "imported {f}: added 0 pieces of evidence; 3 already on the board; skipped 1 row without text\n"
        )
    );
    assert_eq!(env.ok(&p, &["export"]), export);
    let after = json(&env.ok(&p, &["evidence", "list", "--json"]));
    assert_eq!(after.as_array().unwrap().len(), before + 3);

    // Linked to the item it supports, and shown with it.
    let id = again["id"].as_i64().unwrap().to_string();
    let out = env.ok(&p, &["item", "link", "3", &id]);
    assert_eq!(
        out,
        "linked 1 piece of evidence to #3 'Refund missing items in one tap'\n"
    );
    let shown = env.ok(&p, &["evidence", "show", &id]);
    assert!(
        shown.contains("Supports:  #3 'Refund missing items in one tap'"),
        "{shown}"
    );
    assert!(shown.contains("Source:    4312"), "{shown}");
    let out = env.ok(&p, &["item", "link", "3", &id, "--unlink"]);
    assert!(
        out.starts_with("unlinked 1 piece of evidence from #3"),
        "{out}"
    );
}

#[test]
fn a_bad_row_is_named_by_its_line_and_nothing_is_written() {
    let env = Env::new();
    let p = env.board();
    let before = std::fs::read(&p).unwrap();
    // The bad date is on the third row of records, which starts on line 5 (a quoted
    // cell above it takes two lines).
    let file = env.0.path("survey.csv");
    std::fs::write(
        &file,
        "text,date,score\n\
         Fine,2026-11-01,2\n\
         \"Two\nlines\",2026-11-02,1\n\
         Late again,31/11/2026,-1\n",
    )
    .unwrap();
    let f = file.to_str().unwrap();
    let err = env.fails(&p, &["evidence", "import", f], 1);
    assert!(
        err.contains(&format!("{f} line 5: invalid date '31/11/2026'"))
            && err.contains("nothing was imported"),
        "{err}"
    );
    assert_eq!(std::fs::read(&p).unwrap(), before, "the board is untouched");
    // A date format says how the export writes its days; a score off its scale is a
    // bad row too, and a score on another scale asks for --scale.
    std::fs::write(&file, "text,date\nLate again,30/11/2026\n").unwrap();
    let out = env.ok(&p, &["evidence", "import", f, "--date-format", "%d/%m/%Y"]);
    assert!(out.contains("added 1 piece of evidence"), "{out}");
    std::fs::write(&file, "text,score\nGreat,9\n").unwrap();
    let err = env.fails(&p, &["evidence", "import", f], 1);
    assert!(
        err.contains("line 2: invalid sentiment '9'") && err.contains("--scale"),
        "{err}"
    );
    let err = env.fails(&p, &["evidence", "import", f, "--scale", "0-5"], 1);
    assert!(err.contains("score '9' is off the scale 0–5"), "{err}");
    // A column the flags name must be there; the message lists those that are.
    let err = env.fails(&p, &["evidence", "import", f, "--text", "comment"], 1);
    assert!(
        err.contains("has no column 'comment' (its columns: text, score)"),
        "{err}"
    );
}

#[test]
fn evidence_is_added_listed_edited_and_deleted_by_the_rules_of_the_wall() {
    let env = Env::new();
    let p = env.board();
    let out = env.ok(
        &p,
        &[
            "evidence",
            "add",
            "Wanted a call before the van came",
            "--kind",
            "Interview",
            "--source",
            "interview, 3 Dec",
            "--date",
            "2026-12-03",
            "--persona",
            "ben",
            "--stage",
            "Wait for delivery",
            "--sentiment",
            "-1",
            "--supports",
            "5",
            "7",
        ],
    );
    let id: String = out
        .trim_start_matches("added evidence #")
        .split(' ')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(
        out,
        format!("added evidence #{id} 'Wanted a call before the van came'\n")
    );
    let list = env.ok(
        &p,
        &[
            "evidence",
            "list",
            "--persona",
            "Ben",
            "--since",
            "2026-12-01",
        ],
    );
    assert_eq!(
        list,
        format!(
            "#{id:<4} 2026-12-03  interview    [Ben · Wait for delivery]  −1  “Wanted a call before the van came”  (interview, 3 Dec)  → #5 #7\n"
        )
    );
    env.ok(
        &p,
        &["evidence", "edit", &id, "--no-sentiment", "--supports", "5"],
    );
    let v = json(&env.ok(&p, &["evidence", "show", &id, "--json"]));
    assert_eq!(v["sentiment"], Value::Null);
    assert_eq!(v["supports"], serde_json::json!([5]));
    // Refused, naming what is wrong, and nothing written.
    let err = env.fails(&p, &["evidence", "add", "x", "--persona", "Zed"], 1);
    assert!(err.contains("unknown persona 'Zed'"), "{err}");
    let err = env.fails(&p, &["evidence", "add", "x", "--sentiment", "3"], 2);
    assert!(err.contains("'3'"), "{err}");
    let err = env.fails(&p, &["evidence", "add", "   "], 1);
    assert!(err.contains("evidence needs some text"), "{err}");
    let err = env.fails(&p, &["evidence", "add", "x", "--kind", "rumour"], 2);
    assert!(err.contains("unknown kind 'rumour'"), "{err}");
    let out = env.ok(&p, &["evidence", "delete", &id, "--yes"]);
    assert_eq!(
        out,
        format!(
            "deleted evidence #{id} 'Wanted a call before the van came' and its link to an item\n"
        )
    );
    let err = env.fails(&p, &["evidence", "show", &id], 1);
    assert!(err.contains(&format!("no evidence with id {id}")), "{err}");
}

#[test]
fn the_stand_up_report_lists_the_evidence_heard_since_the_last_stand_up() {
    let env = Env::new();
    let p = env.board();
    env.ok(
        &p,
        &[
            "evidence",
            "add",
            "Asked for paper bags",
            "--kind",
            "quote",
            "--persona",
            "Priya",
        ],
    );
    // A stand-up held on the wall is recorded by the store; here through the library.
    let mut store = obeya::store::Store::open(&p, "alice").unwrap();
    let now = obeya::store::now();
    let start = kit::fixture::held_at(&store, now);
    store.record_standup(&start, now, "alice", &[]).unwrap();
    drop(store);
    let md = env.ok(&p, &["standup", "report"]);
    assert!(
        md.contains("## Evidence heard since the last stand-up ("),
        "{md}"
    );
    assert!(md.contains("quote [Priya] “Asked for paper bags”"), "{md}");
    let v = json(&env.ok(&p, &["standup", "report", "--format", "json"]));
    assert!(
        v["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["text"] == "Asked for paper bags")
    );
}
