//! The real release binary as the benches run it: a private home, user `bench`, and no
//! board or config from the machine's environment.

use std::path::Path;
use std::process::{Command, Stdio};

/// `BIN --db DB` with `home` as its home; errors go to the bench's stderr. `bin` is the
/// bench's `env!("CARGO_BIN_EXE_obeya")`.
pub fn obeya(bin: &Path, home: &Path, db: &Path) -> Command {
    let mut c = Command::new(bin);
    c.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_DATA_HOME", home.join(".local/share"))
        .env("OBEYA_USER", "bench")
        .env_remove("OBEYA_CONFIG")
        .env_remove("OBEYA_DB")
        .arg("--db")
        .arg(db)
        .stdin(Stdio::null())
        .stderr(Stdio::inherit());
    c
}
