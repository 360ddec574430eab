//! Real engines for the tests across machines, each started on this host on free
//! loopback ports and stopped (processes killed, mounts unmounted) when dropped, a
//! failing test's unwinding included:
//!
//! - [`sshfs`]: an `sshd` of the test's own, and two `sshfs` mounts of one folder
//!   through it: two laptops mounting the team server;
//! - [`syncthing`]: two Syncthing instances with separate homes sharing one folder:
//!   two laptops each with their own copy, kept alike.
//!
//! A rig that cannot start (no `/dev/fuse`, a program missing) fails the test, saying
//! what is missing and how `.ci/run` installs it: it never skips.

mod net;
pub mod sshfs;
pub mod syncthing;

use std::path::Path;
use std::process::Command;

/// Run `program` to the end; fail the test with its output if it fails.
#[track_caller]
fn run(what: &str, cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| {
        panic!(
            "{what}: cannot run {:?}: {e} ({INSTALL})",
            cmd.get_program()
        )
    });
    assert!(
        out.status.success(),
        "{what} failed ({}): {}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// How the engines are installed.
const INSTALL: &str = "`.ci/run` installs them: apt-get install -y syncthing sshfs openssh-server";

/// Fail the test unless `program` is there.
#[track_caller]
fn require(program: &str) {
    let found = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).any(|d| d.join(program).is_file()))
        .unwrap_or(false)
        || Path::new(program).is_file();
    assert!(found, "{program} is not installed ({INSTALL})");
}
