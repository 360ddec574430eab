//! `obeya config init`: the commented default config, written where obeya reads it.

use std::io::Write;
use std::path::Path;

use super::ConfigCommand;
use crate::config::DEFAULT_CONFIG;
use crate::context::Failure;
use crate::format::escape_path;
use crate::store::files::{FileError, create_new};

/// Run a `config` subcommand on the config file at `path`.
pub fn run(cmd: &ConfigCommand, path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    match cmd {
        ConfigCommand::Init => init(path, out),
    }
}

/// Write `assets/config.toml` (every key, commented) to `path`, making its folder;
/// never over anything already there.
fn init(path: &Path, out: &mut dyn Write) -> Result<(), Failure> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            Failure(format!(
                "cannot make the folder {} for the config: {e}",
                escape_path(dir)
            ))
        })?;
    }
    create_new(path, DEFAULT_CONFIG.as_bytes()).map_err(|e| match e {
        FileError::Exists(_) => Failure(format!(
            "a config file is already at {}; it was left as it is (edit it, or remove it to write the defaults again)",
            escape_path(path)
        )),
        other => Failure::from(other),
    })?;
    writeln!(
        out,
        "wrote the default config to {} (every key is commented; change what you need)",
        escape_path(path)
    )?;
    Ok(())
}
