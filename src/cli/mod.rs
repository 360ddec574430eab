//! The command line: its definitions (`args`), and the headless subcommands, one file
//! per group of commands. Scripts and tests rely on this contract (the README's "The
//! command line"): errors go to stderr with exit code 1, usage errors exit 2.

use std::io::Write;

use clap::{CommandFactory, FromArgMatches};

use crate::config;
use crate::context::{Context, Failure};
use crate::model::Kind;
use crate::store::Store;

mod args;
mod board;
mod check;
mod config_file;
mod evidence;
mod exchange;
mod item;
mod journey;
mod log;
mod metric;
mod standup;

pub use args::*;

/// Parse the command line; `--version` also prints the default board and config paths.
/// A usage error exits with code 2, its message showing control characters escaped (it
/// may quote a value, which may be anything).
pub fn parse() -> Cli {
    let paths = config::paths();
    let version = format!(
        "{}\ndefault board:  {}\ndefault config: {}",
        env!("CARGO_PKG_VERSION"),
        paths.default_db.display(),
        paths.config_file.display()
    );
    let mut command = Cli::command().version(version);
    let cli = command
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|m| Cli::from_arg_matches(&m))
        .unwrap_or_else(|e| usage_error(e));
    if let Some(user) = &cli.user
        && let Err(why) = config::check_user_name(user)
    {
        usage_error(command.error(
            clap::error::ErrorKind::InvalidValue,
            format!("--user (or OBEYA_USER): {why}"),
        ));
    }
    cli
}

/// Exit as clap would (help and version to stdout with 0, errors to stderr with 2),
/// but with an error's control characters escaped.
fn usage_error(e: clap::Error) -> ! {
    if !e.use_stderr() {
        e.exit();
    }
    eprint!(
        "{}",
        crate::format::escape_controls_keep_newlines(&e.render().to_string())
    );
    std::process::exit(e.exit_code());
}

/// Run a subcommand that needs no board, user or config read (`config init`, which
/// writes the config `--config` may name before it exists); `None` for every other.
pub fn run_before_context(cli: &Cli, out: &mut dyn Write) -> Option<Result<(), Failure>> {
    match &cli.command {
        Some(Command::Config(cmd)) => {
            let path = cli
                .config
                .clone()
                .unwrap_or_else(|| config::paths().config_file);
            Some(config_file::run(cmd, &path, out))
        }
        _ => None,
    }
}

/// Run a headless subcommand, writing its output to `out`. Cells of the board it could
/// not read (each read as an empty value) are then named on stderr.
pub fn run(command: &Command, ctx: &Context, out: &mut dyn Write) -> Result<(), Failure> {
    let result = run_command(command, ctx, out);
    let bad = crate::store::take_bad_cells();
    for line in crate::context::bad_cell_lines(&ctx.db, &bad, BAD_CELLS_LISTED) {
        eprintln!("obeya: {line}");
    }
    result
}

/// At most this many malformed cells are named after a command (`check` names all).
const BAD_CELLS_LISTED: usize = 10;

fn run_command(command: &Command, ctx: &Context, out: &mut dyn Write) -> Result<(), Failure> {
    match command {
        Command::Init { empty, template } => exchange::init(ctx, *empty, template.as_deref(), out),
        Command::Export { format, output } => {
            exchange::export(ctx, *format, output.as_deref(), out)
        }
        Command::Import { file } => exchange::import(ctx, file, out),
        Command::Item(cmd) => item::run(ctx, cmd, out),
        Command::Mission(cmd) => journey::mission(ctx, cmd, out),
        Command::Persona(cmd) => journey::persona(ctx, cmd, out),
        Command::Stage(cmd) => journey::stage(ctx, cmd, out),
        Command::Feel {
            persona,
            stage,
            score,
            note,
        } => journey::feel(ctx, persona, stage, *score, note.as_deref(), out),
        Command::Standup(cmd) => standup::run(ctx, cmd, out),
        Command::Evidence(cmd) => evidence::run(ctx, cmd, out),
        Command::Merge { other } => board::merge(ctx, other, out),
        Command::Check { repair } => check::check(ctx, *repair, out),
        Command::Config(cmd) => config_file::run(cmd, &ctx.config_file, out),
        Command::Log {
            since_standup,
            since,
            json,
        } => log::log(ctx, *since_standup, *since, *json, out),
        Command::Coverage { json } => board::coverage(ctx, *json, out),
        Command::Metric(cmd) => metric::run(ctx, cmd, out),
    }
}

/// A text field set to the value given, if one was.
fn set(field: &mut String, value: Option<&str>) {
    if let Some(v) = value {
        *field = v.to_owned();
    }
}

/// The id of the persona or stage called `name` (`rules::same_name`); "" means none.
fn lookup(store: &Store, kind: Kind, name: Option<&str>) -> Result<Option<i64>, Failure> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    match store.id_named(kind, name)? {
        Some(id) => Ok(Some(id)),
        None => Err(Failure(format!(
            "unknown {kind} '{name}' (see the board's {kind}s with: obeya {kind} list)"
        ))),
    }
}
