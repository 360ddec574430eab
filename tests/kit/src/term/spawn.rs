//! What to run in a terminal, and the terminal's size.

use std::ffi::OsString;
use std::path::PathBuf;

/// What to run in the terminal, and the terminal's size.
#[derive(Debug, Clone)]
pub struct Spawn {
    pub program: PathBuf,
    pub args: Vec<OsString>,
    /// Set over the test's own environment (or over nothing, with `clear_env`).
    pub env: Vec<(OsString, OsString)>,
    /// Start from an empty environment instead of the test's own.
    pub clear_env: bool,
    pub cwd: PathBuf,
    pub cols: u16,
    pub rows: u16,
}

impl Spawn {
    /// `program` in a 120×40 terminal, in the current folder, with the test's own
    /// environment less `OBEYA_DB` and `OBEYA_CONFIG` (a developer's board and config
    /// stay out of the tests).
    pub fn new(program: impl Into<PathBuf>) -> Spawn {
        Spawn {
            program: program.into(),
            args: Vec::new(),
            env: Vec::new(),
            clear_env: false,
            cwd: std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/")),
            cols: 120,
            rows: 40,
        }
    }

    pub fn arg(mut self, arg: impl Into<OsString>) -> Spawn {
        self.args.push(arg.into());
        self
    }

    pub fn args<S: Into<OsString>>(mut self, args: impl IntoIterator<Item = S>) -> Spawn {
        self.args.extend(args.into_iter().map(Into::into));
        self
    }

    pub fn env(mut self, key: impl Into<OsString>, value: impl Into<OsString>) -> Spawn {
        self.env.push((key.into(), value.into()));
        self
    }

    pub fn envs<K: Into<OsString>, V: Into<OsString>>(
        mut self,
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Spawn {
        self.env
            .extend(vars.into_iter().map(|(k, v)| (k.into(), v.into())));
        self
    }

    pub fn clear_env(mut self) -> Spawn {
        self.clear_env = true;
        self
    }

    pub fn cwd(mut self, dir: impl Into<PathBuf>) -> Spawn {
        self.cwd = dir.into();
        self
    }

    pub fn size(mut self, cols: u16, rows: u16) -> Spawn {
        self.cols = cols;
        self.rows = rows;
        self
    }
}
