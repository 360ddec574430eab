//! The hostile-board corpus, second round (issue 20): files. Only regular files are a
//! board, a merge copy or an export's `--output`; anything else is refused in words,
//! nothing waits on it (a FIFO opened to read would wait for a writer forever), and
//! nothing is replaced or written through it: a FIFO, a device, a folder, a link where
//! SQLite keeps the board's journal, a read-only file. Each case asserts the words, the
//! files byte for byte as they were, no hang (a deadline) and no panic.

use std::os::unix::fs::{FileTypeExt, PermissionsExt, symlink};
use std::path::{Path, PathBuf};
use std::time::Duration;

use kit::cli::{Env, texts};

const LIMIT: Duration = Duration::from_secs(20);

fn run(env: &Env, db: &Path, args: &[&str]) -> (i32, String, String) {
    let out = kit::cli::run_within(env.cmd().args(args).arg("--db").arg(db), LIMIT);
    let (stdout, stderr) = texts(&out);
    let code = out.status.code().unwrap_or(-1);
    assert!(
        code != 101 && !stderr.contains("panicked"),
        "obeya {args:?} panicked: {stderr}"
    );
    (code, stdout, stderr)
}

fn refused(env: &Env, db: &Path, args: &[&str], words: &[&str]) -> String {
    let (code, stdout, stderr) = run(env, db, args);
    assert_eq!(code, 1, "obeya {args:?}: {stdout}{stderr}");
    for w in words {
        assert!(
            stderr.contains(w),
            "obeya {args:?} does not say {w:?}: {stderr}"
        );
    }
    stderr
}

fn board(env: &Env, name: &str) -> PathBuf {
    let db = env.path(name);
    let mut store = obeya::store::Store::create(&db, "alice").unwrap();
    obeya::exchange::import(&mut store, &obeya::exchange::starter()).unwrap();
    db
}

fn mkfifo(path: &Path) {
    rustix::fs::mknodat(
        rustix::fs::CWD,
        path,
        rustix::fs::FileType::Fifo,
        rustix::fs::Mode::from_raw_mode(0o644),
        0,
    )
    .unwrap();
}

/// A character device to point things at: a null device made in the test's folder
/// where this user may make one (root), else `/dev/null` itself (which a user who may
/// not make devices may not replace either).
fn char_device(env: &Env) -> PathBuf {
    let here = env.path("null-device");
    let made = rustix::fs::mknodat(
        rustix::fs::CWD,
        &here,
        rustix::fs::FileType::CharacterDevice,
        rustix::fs::Mode::from_raw_mode(0o666),
        rustix::fs::makedev(1, 3),
    );
    if made.is_ok() {
        here
    } else {
        PathBuf::from("/dev/null")
    }
}

/// The commands that open a board, each refused with `words`.
fn every_command_refuses(env: &Env, db: &Path, words: &[&str]) {
    for args in [
        &["item", "list"][..],
        &["item", "add", "x"],
        &["export"],
        &["check"],
    ] {
        refused(env, db, args, words);
    }
}

#[test]
fn a_fifo_a_device_or_a_folder_as_the_board_is_named_for_what_it_is() {
    let env = Env::new(crate::OBEYA);
    let fifo = env.path("team.db");
    mkfifo(&fifo);
    every_command_refuses(
        &env,
        &fifo,
        &["team.db is a FIFO (named pipe), not a board file"],
    );
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    for device in ["/dev/zero", "/dev/urandom"] {
        let err = refused(
            &env,
            Path::new(device),
            &["item", "list"],
            &["is a character device"],
        );
        assert!(!err.contains("empty file"), "{err}");
    }
    let folder = env.path("folder.db");
    std::fs::create_dir(&folder).unwrap();
    every_command_refuses(&env, &folder, &["folder.db is a folder, not a board file"]);
}

#[test]
fn a_link_or_a_fifo_where_sqlite_keeps_the_journal_is_refused_and_nothing_is_written() {
    for suffix in ["-journal", "-wal", "-shm"] {
        let env = Env::new(crate::OBEYA);
        let db = board(&env, "team.db");
        let mine = env.path("mine.txt");
        std::fs::write(&mine, "precious").unwrap();
        let beside = env.path(&format!("team.db{suffix}"));
        symlink(&mine, &beside).unwrap();
        let before = std::fs::read(&db).unwrap();
        let words = [
            format!("team.db{suffix} beside the board is a symbolic link"),
            "left untouched".to_owned(),
        ];
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        every_command_refuses(&env, &db, &words);
        let err = refused(&env, &db, &["item", "list"], &words);
        assert!(
            !err.contains("is damaged") && !err.contains("unable to open"),
            "{err}"
        );
        assert_eq!(std::fs::read(&db).unwrap(), before);
        assert_eq!(std::fs::read_to_string(&mine).unwrap(), "precious");
        // A dangling one would make a file where it points.
        std::fs::remove_file(&beside).unwrap();
        let nowhere = env.path("nowhere");
        symlink(&nowhere, &beside).unwrap();
        every_command_refuses(&env, &db, &words);
        assert!(!nowhere.exists(), "a file was made through the link");
        // A FIFO there is refused too, without waiting on it.
        std::fs::remove_file(&beside).unwrap();
        mkfifo(&beside);
        refused(
            &env,
            &db,
            &["item", "add", "x"],
            &["is a FIFO (named pipe)"],
        );
        assert_eq!(std::fs::read(&db).unwrap(), before);
    }
}

#[test]
fn merging_a_fifo_named_like_a_conflict_copy_is_refused_without_waiting() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env, "team.db");
    let copy = env.path("team (conflicted copy 2026-11-20).db");
    mkfifo(&copy);
    let before = std::fs::read(&db).unwrap();
    refused(
        &env,
        &db,
        &["merge", copy.to_str().unwrap()],
        &["is a FIFO (named pipe), not a board file"],
    );
    let folder = env.path("folder copy.db");
    std::fs::create_dir(&folder).unwrap();
    refused(
        &env,
        &db,
        &["merge", folder.to_str().unwrap()],
        &["is a folder"],
    );
    refused(
        &env,
        &db,
        &["merge", "/dev/zero"],
        &["is a character device"],
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
    assert!(std::fs::metadata(&copy).unwrap().file_type().is_fifo());
}

#[test]
fn export_output_must_be_a_regular_file_that_may_be_written() {
    let env = Env::new(crate::OBEYA);
    let db = board(&env, "team.db");
    let fifo = env.path("export.json");
    mkfifo(&fifo);
    refused(
        &env,
        &db,
        &["export", "--output", fifo.to_str().unwrap()],
        &["export.json is a FIFO (named pipe), not a regular file"],
    );
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());

    let device = char_device(&env);
    refused(
        &env,
        &db,
        &["export", "--output", device.to_str().unwrap()],
        &["is a character device, not a regular file"],
    );
    assert!(
        std::fs::metadata(&device)
            .unwrap()
            .file_type()
            .is_char_device()
    );

    let folder = env.path("exports");
    std::fs::create_dir(&folder).unwrap();
    refused(
        &env,
        &db,
        &["export", "--output", folder.to_str().unwrap()],
        &["exports is a folder"],
    );

    let read_only = env.path("kept.md");
    std::fs::write(&read_only, "an export someone keeps").unwrap();
    std::fs::set_permissions(&read_only, std::fs::Permissions::from_mode(0o444)).unwrap();
    refused(
        &env,
        &db,
        &[
            "export",
            "--format",
            "md",
            "--output",
            read_only.to_str().unwrap(),
        ],
        &["kept.md is read-only; it was not replaced"],
    );
    assert_eq!(
        std::fs::read_to_string(&read_only).unwrap(),
        "an export someone keeps"
    );
    assert_eq!(
        std::fs::metadata(&read_only).unwrap().permissions().mode() & 0o777,
        0o444
    );
    // Nothing was left beside them.
    let mut names: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') || n.ends_with(".obeya-tmp"))
        .collect();
    names.sort();
    assert!(
        !names.iter().any(|n| n.ends_with(".obeya-tmp")),
        "{names:?}"
    );
}
