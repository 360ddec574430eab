//! Evidence imported from a CSV export by the real binary, then shown on the wall in a
//! real terminal: counted in the heard lane and on the persona's card, its newest quote
//! on the card, and the evidence view listing it.

use std::time::Duration;

use kit::term::{Session, Spawn};

use crate::OBEYA;

const T: Duration = Duration::from_secs(10);

#[test]
fn a_csv_export_imported_twice_shows_on_the_wall_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("team.db");
    let csv = dir.path().join("tickets.csv");
    // A byte order mark, CRLF, a quoted cell with a comma and another with a line break.
    // Heard today and ten days ago: the starter's evidence is dated from the day the
    // board is made, so "today" is the newest.
    let today = jiff::Zoned::now().date();
    let ago = |days: i64| today.checked_sub(jiff::Span::new().days(days)).unwrap();
    let text = format!(
        "\u{feff}text,date,score,kind,persona\r\n\
         \"Refund took four days, again\",{today},-2,quote,Maria\r\n\
         \"Waited in all evening.\r\nNobody came.\",{},-2,complaint,Maria\r\n\
         ,{},0,quote,Maria\r\n",
        ago(10),
        ago(9)
    );
    std::fs::write(&csv, text).unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(OBEYA)
            .args(args)
            .arg("--db")
            .arg(&db)
            .args(["--user", "alice"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(&["init"]);
    let csv_s = csv.to_str().unwrap();
    let first = run(&["evidence", "import", csv_s, "--stage", "Get help"]);
    assert!(
        first.contains("added 2 pieces of evidence; skipped 1 row without text"),
        "{first}"
    );
    let second = run(&["evidence", "import", csv_s, "--stage", "Get help"]);
    assert!(
        second.contains("added 0 pieces of evidence; 2 already on the board"),
        "{second}"
    );

    let spawn = Spawn::new(OBEYA)
        .args(["--db", db.to_str().unwrap()])
        .env("OBEYA_USER", "alice")
        .env("TERM", "xterm-256color")
        .env("LANG", "C.UTF-8")
        .env("NO_COLOR", "1")
        .cwd(dir.path())
        .size(160, 45);
    let mut s = Session::start("evidence", &spawn);
    s.wait_for("? help", T);
    // Maria: the starter's two pieces and the two imported, once.
    let screen = s.wait_for("open ❝4", T);
    assert!(
        screen.contains("❝ “Refund took four days,"),
        "the newest quote:\n{screen}"
    );
    // Get help heard four pieces: the starter's two and the two imported.
    assert!(screen.contains("❝4 ○−2"), "{screen}");
    // The evidence view, on Maria: newest first (the imported quote, today's, first).
    s.type_text("2E");
    let screen = s.wait_for("Evidence (4), newest first", T);
    let waited = screen.find("Waited in all evening").unwrap();
    let refund = screen.find("Refund took four days, again").unwrap();
    assert!(refund < waited, "newest first:\n{screen}");
    s.type_text("q");
    s.wait_gone("Evidence (4)", T);
    s.type_text("q");
}
