//! Who is at the keyboard.

use super::Config;

/// The user's login name: `$USER`, else `$LOGNAME`, else the password database, else
/// `"someone"`.
pub fn login_name() -> String {
    ["USER", "LOGNAME"]
        .into_iter()
        .filter_map(|var| std::env::var(var).ok())
        .map(|v| v.trim().to_string())
        .find(|v| !v.is_empty())
        .or_else(passwd_name)
        .unwrap_or_else(|| "someone".to_string())
}

/// The account name from the system's user database.
pub(super) fn passwd_name() -> Option<String> {
    whoami::username()
        .ok()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
}

/// Why a name cannot stand for a person on the board.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UserNameError {
    #[error("a user name cannot be empty")]
    Empty,
    #[error("a user name must be one line, without a newline")]
    Newline,
    /// The character, escaped for showing.
    #[error("a user name cannot hold control characters (it holds {0})")]
    Control(String),
    #[error("a user name is at most {max} characters long (this one has {chars})")]
    TooLong { chars: usize, max: usize },
}

/// Whether `name` can stand for a person on the board (as the author of changes, in
/// the activity log, on a teammate's screen): not empty, and one line with no control
/// characters (a newline in it could forge a line of the log). Says why not.
pub fn check_user_name(name: &str) -> Result<(), UserNameError> {
    if name.trim().is_empty() {
        return Err(UserNameError::Empty);
    }
    if name.contains(['\n', '\r']) {
        return Err(UserNameError::Newline);
    }
    if let Err(crate::model::RuleError::TooLong { chars, max, .. }) =
        crate::model::rules::within_limit("user", name)
    {
        return Err(UserNameError::TooLong { chars, max });
    }
    match name.chars().find(|c| crate::format::is_hazard(*c)) {
        Some(c) => Err(UserNameError::Control(
            crate::format::escape_controls(&c.to_string()).into_owned(),
        )),
        None => Ok(()),
    }
}

/// Who is at the keyboard: the command-line value (which includes `OBEYA_USER`), else
/// the config's `user`, else the login name. Trimmed and never empty.
pub fn resolve_user(cli: Option<&str>, config: &Config) -> String {
    cli.map(str::trim)
        .filter(|s| !s.is_empty())
        .or_else(|| {
            config
                .user
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
        })
        .map(str::to_string)
        .unwrap_or_else(|| {
            let name = login_name();
            if name.trim().is_empty() {
                "someone".to_string()
            } else {
                name.trim().to_string()
            }
        })
}
