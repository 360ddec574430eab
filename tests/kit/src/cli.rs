//! The real binary run as a person would, in a temporary home: user alice, no colour,
//! no board or config from the machine's environment.
//!
//! The binary's path comes from the test: `env!("CARGO_BIN_EXE_obeya")` exists only
//! while Cargo compiles the package's own tests and benches, not this crate.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use crate::wait::{self, Deadline};

pub struct Env {
    pub dir: tempfile::TempDir,
    /// The `obeya` binary under test.
    pub bin: PathBuf,
}

impl Env {
    /// A fresh temporary home for running `bin`.
    pub fn new(bin: impl Into<PathBuf>) -> Env {
        Env {
            dir: tempfile::tempdir().unwrap(),
            bin: bin.into(),
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `obeya` with the test's environment.
    pub fn cmd(&self) -> Command {
        self.cmd_for(&self.bin)
    }

    /// `program` with the test's environment.
    pub fn cmd_for(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let home = self.dir.path().join("home");
        let mut c = Command::new(program);
        c.current_dir(self.dir.path())
            .env_remove("OBEYA_DB")
            .env_remove("OBEYA_CONFIG")
            .env("HOME", &home)
            .env("XDG_CONFIG_HOME", home.join(".config"))
            .env("XDG_DATA_HOME", home.join(".local/share"))
            .env("OBEYA_USER", "alice")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        c
    }

    /// `obeya ARGS --db BOARD`.
    pub fn run(&self, board: &Path, args: &[&str]) -> Output {
        self.cmd()
            .args(args)
            .arg("--db")
            .arg(board)
            .output()
            .unwrap()
    }
}

/// Stdout and stderr as text.
pub fn texts(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The run of `obeya ARGS` succeeded; its stdout.
pub fn succeeded(out: &Output, args: &[&str]) -> String {
    let (stdout, stderr) = texts(out);
    assert!(
        out.status.success(),
        "obeya {args:?} failed: {stderr}\n{stdout}"
    );
    stdout
}

/// The run of `obeya ARGS` exited with `code`; its stdout and stderr.
pub fn exited(out: &Output, args: &[&str], code: i32) -> (String, String) {
    let (stdout, stderr) = texts(out);
    assert_eq!(
        out.status.code(),
        Some(code),
        "obeya {args:?}: stdout {stdout} stderr {stderr}"
    );
    (stdout, stderr)
}

/// Run `cmd` (stdin closed), bounded: the test fails, the process killed, if it has not
/// ended within `limit` (scaled, see `wait`). Its output is read meanwhile, so a full
/// pipe never holds it up.
#[track_caller]
pub fn run_within(cmd: &mut Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let drain = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = r.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let deadline = Deadline::after(limit);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if deadline.passed() {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{cmd:?} did not end within {:?} (it hung; killed)",
                deadline.limit()
            );
        }
        std::thread::sleep(wait::POLL.min(Duration::from_millis(5)));
    };
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}
