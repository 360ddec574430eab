//! Why a configuration could not be loaded. Every variant names the file.

use std::io;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// An explicitly given config file does not exist.
    #[error("config file {} not found", path.display())]
    NotFound { path: PathBuf },
    /// The file exists but could not be read.
    #[error("cannot read config file {}: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    /// A syntax error, an unknown key or a bad value. `line` is 1-based.
    #[error("{}{}: {message}", path.display(), line.map(|l| format!(" line {l}")).unwrap_or_default())]
    Invalid {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },
}
