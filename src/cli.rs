//! Command-line definitions and the headless subcommands. Scripts and tests rely on
//! this contract (the README's "The command line"): errors go to stderr with exit code 1,
//! usage errors exit 2.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use crate::config;
use crate::context::{Context, Failure, create_board};
use crate::exchange::{self, json_pretty};
use crate::format::{escape_controls, escape_path};
use crate::model::{Board, Item, Kind, Stage, Status, parse_date};
use crate::store::Store;

#[derive(Debug, Parser)]
#[command(
    name = "obeya",
    about = "A terminal Obeya board that keeps a team's work pointed at its customers"
)]
pub struct Cli {
    /// The board file [default: obeya.db in your data directory]
    #[arg(long, global = true, env = "OBEYA_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// The config file [default: config.toml in your config directory]
    #[arg(long, global = true, env = "OBEYA_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Your name on the board [default: the config's user, else your login name]
    #[arg(long, global = true, env = "OBEYA_USER", value_name = "NAME")]
    pub user: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create a board (from the starter example unless --empty or --template)
    Init {
        #[arg(long, conflicts_with = "template")]
        empty: bool,
        #[arg(long, value_name = "FILE")]
        template: Option<PathBuf>,
    },
    /// Write the whole board as JSON, TOML or Markdown, or its items as CSV
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        #[arg(long, short, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Read a JSON or TOML board document into the board (matched by name and id)
    Import { file: PathBuf },
    /// Add, list, edit, move and comment on improvement items
    #[command(subcommand)]
    Item(ItemCommand),
    /// Stand-ups held on the board
    #[command(subcommand)]
    Standup(StandupCommand),
    /// Merge a sync-conflict copy of the board into it, record by record
    Merge { other: PathBuf },
    /// The activity log: who changed what, oldest first
    Log {
        /// Only what happened since the last stand-up ended
        #[arg(long, conflicts_with = "since")]
        since_standup: bool,
        /// Only what happened since this day (UTC)
        #[arg(long, value_parser = parse_since, value_name = "YYYY-MM-DD")]
        since: Option<Date>,
        #[arg(long)]
        json: bool,
    },
    /// Persona × stage: feelings, open items, and pains without action
    Coverage {
        #[arg(long)]
        json: bool,
    },
    /// Stage metrics
    #[command(subcommand)]
    Metric(MetricCommand),
    /// Check the board file: integrity, schema version, application id
    Check,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
    Toml,
    Md,
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum MetricCommand {
    /// Record a stage's actual metric value (its history is kept)
    Set { stage: String, value: f64 },
}

#[derive(Debug, Subcommand)]
pub enum StandupCommand {
    /// Print the summary of the last finished stand-up (moves, blockers, new items,
    /// comments, parked topics)
    Report {
        #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
        format: ReportFormat,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum ItemCommand {
    /// Add an item
    Add {
        title: String,
        #[arg(long, value_parser = parse_status, default_value = "plan")]
        status: Status,
        #[arg(long)]
        owner: Option<String>,
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        due: Option<Date>,
        #[arg(long, value_name = "NAME")]
        persona: Option<String>,
        #[arg(long, value_name = "NAME")]
        stage: Option<String>,
        /// How will this help our customers meet their goals?
        #[arg(long, value_name = "TEXT")]
        impact: Option<String>,
    },
    /// List items (board order)
    List {
        #[arg(long, value_parser = parse_status)]
        status: Option<Status>,
        #[arg(long)]
        owner: Option<String>,
        /// Only items you own
        #[arg(long, conflicts_with = "owner")]
        mine: bool,
        #[arg(long)]
        json: bool,
    },
    /// Change an item's fields
    Edit(EditArgs),
    /// Move an item to another status
    Move {
        id: i64,
        #[arg(value_parser = parse_status)]
        status: Status,
    },
    /// Comment on an item
    Comment { id: i64, text: String },
}

#[derive(Debug, Args)]
pub struct EditArgs {
    pub id: i64,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(long)]
    pub detail: Option<String>,
    #[arg(long)]
    pub owner: Option<String>,
    #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD", conflicts_with = "no_due")]
    pub due: Option<Date>,
    #[arg(long)]
    pub no_due: bool,
    /// A persona name ("" for none)
    #[arg(long, value_name = "NAME")]
    pub persona: Option<String>,
    /// A stage name ("" for none)
    #[arg(long, value_name = "NAME")]
    pub stage: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub impact: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub risk: Option<String>,
    #[arg(long, value_name = "REASON", conflicts_with = "unblocked")]
    pub blocked: Option<String>,
    #[arg(long)]
    pub unblocked: bool,
}

fn parse_status(s: &str) -> Result<Status, String> {
    s.parse()
}

/// A day whose start (UTC) is a moment obeya can compare with: 9999-12-31 is not.
fn parse_since(s: &str) -> Result<Date, String> {
    let d = parse_date(s)?;
    d.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|_| d)
        .map_err(|_| format!("{d} is too late a day to start from (the last is 9999-12-30)"))
}

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
    let mut command = Cli::command().version(&*Box::leak(version.into_boxed_str()));
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

/// Run a headless subcommand, writing its output to `out`.
pub fn run(command: &Command, ctx: &Context, out: &mut dyn Write) -> Result<(), Failure> {
    match command {
        Command::Init { empty, template } => init(ctx, *empty, template.as_deref(), out),
        Command::Export { format, output } => export(ctx, *format, output.as_deref(), out),
        Command::Import { file } => {
            let doc = read_document(file)?;
            let mut store = ctx.open()?;
            let report = exchange::import(&mut store, &doc)?;
            writeln!(out, "imported {}: {report}", escape_path(file))?;
            Ok(())
        }
        Command::Item(cmd) => item(ctx, cmd, out),
        Command::Standup(StandupCommand::Report { format }) => standup_report(ctx, *format, out),
        Command::Merge { other } => {
            let mut store = ctx.open()?;
            let report = crate::store::merge::merge_file(&mut store, other)?;
            // Titles and the copy's name come from the files: shown escaped.
            let shown = crate::store::merge::MergeReport {
                lines: report
                    .lines
                    .iter()
                    .map(|l| escape_controls(l).into_owned())
                    .collect(),
                copy: escape_controls(&report.copy).into_owned(),
            };
            writeln!(out, "{shown}")?;
            Ok(())
        }
        Command::Check => check(ctx, out),
        Command::Log {
            since_standup,
            since,
            json,
        } => log(ctx, *since_standup, *since, *json, out),
        Command::Coverage { json } => {
            let board = ctx.open()?.load_board()?;
            let c = crate::report::coverage(&board);
            if *json {
                writeln!(out, "{}", json_pretty(&c)?)?;
            } else {
                write!(out, "{}", crate::report::coverage_text(&board, &c))?;
            }
            Ok(())
        }
        Command::Metric(MetricCommand::Set { stage, value }) => {
            let mut store = ctx.open()?;
            let id = lookup(&store, Kind::Stage, Some(stage))?
                .ok_or_else(|| Failure("a stage name is needed".into()))?;
            let base = store
                .load::<Stage>(id)?
                .ok_or_else(|| Failure(format!("unknown stage '{stage}'")))?;
            let saved = store.set_metric_actual(&base, *value)?;
            let text = crate::format::metric_long(&saved.metric);
            let line = format!("{}: {text}", saved.name);
            writeln!(out, "{}", escape_controls(&line))?;
            Ok(())
        }
    }
}

fn read_document(file: &Path) -> Result<exchange::Document, Failure> {
    let format = exchange::format_for_path(file).ok_or_else(|| {
        Failure(format!(
            "{}: expected a .json or .toml file",
            file.display()
        ))
    })?;
    let text = std::fs::read_to_string(file)
        .map_err(|e| Failure(format!("cannot read {}: {e}", file.display())))?;
    let doc =
        exchange::parse(&text, format).map_err(|e| Failure(format!("{}: {e}", file.display())))?;
    exchange::validate(&doc).map_err(|e| Failure(format!("{}: {e}", file.display())))?;
    Ok(doc)
}

fn init(
    ctx: &Context,
    empty: bool,
    template: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let doc = match (empty, template) {
        (true, _) => None,
        (false, Some(t)) => Some(read_document(t)?),
        (false, None) => Some(exchange::starter()),
    };
    create_board(ctx, doc.as_ref())?;
    let what = if doc.is_none() {
        "an empty board"
    } else {
        "a board"
    };
    writeln!(out, "created {what} at {}", escape_path(&ctx.db))?;
    Ok(())
}

fn export(
    ctx: &Context,
    format: ExportFormat,
    output: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let board = ctx.open()?.load_board()?;
    let text = match format {
        ExportFormat::Json => exchange::to_json(&exchange::from_board(&board)),
        ExportFormat::Toml => exchange::to_toml(&exchange::from_board(&board)),
        ExportFormat::Md => exchange::to_markdown(&board),
        ExportFormat::Csv => exchange::items_csv(&board),
    };
    match output {
        // Whole or not at all, and never through a link planted at that name.
        Some(path) => crate::store::files::replace_whole(path, text.as_bytes())?,
        None => out.write_all(text.as_bytes())?,
    }
    Ok(())
}

fn check(ctx: &Context, out: &mut dyn Write) -> Result<(), Failure> {
    let store = ctx.open()?;
    let health = store.health()?;
    if health.integrity != "ok" {
        // The same words as any other refusal of a damaged board, with SQLite's findings.
        let findings: Vec<&str> = health.integrity.lines().take(3).collect();
        return Err(crate::store::StoreError::Damaged(ctx.db.clone(), findings.join("; ")).into());
    }
    // Tables and indexes that differ from obeya's run no code, so the board opens; but
    // they are not what obeya made, and `check` says so (exit 1). (Triggers and views
    // were refused when the board was opened.)
    let differences = health
        .schema_differences
        .as_ref()
        .map(|d| d.lines())
        .unwrap_or_default();
    if differences.is_empty() {
        writeln!(out, "{}: ok", escape_path(&ctx.db))?;
    } else {
        writeln!(
            out,
            "{}: the schema differs from obeya's",
            escape_path(&ctx.db)
        )?;
    }
    writeln!(out, "  application id: obeya board")?;
    writeln!(
        out,
        "  schema version: {} (this obeya: {})",
        health.schema,
        crate::store::LATEST_SCHEMA
    )?;
    writeln!(out, "  integrity:      ok")?;
    match &health.schema_differences {
        None => writeln!(out, "  schema:         made by a newer obeya; not compared")?,
        Some(_) if differences.is_empty() => writeln!(out, "  schema:         as obeya made it")?,
        Some(_) => {
            for (n, line) in differences.iter().enumerate() {
                let label = if n == 0 {
                    "  schema:         "
                } else {
                    "                  "
                };
                writeln!(out, "{label}{}", escape_controls(line))?;
            }
        }
    }
    writeln!(out, "  journal mode:   {}", health.journal)?;
    writeln!(out, "  items:          {}", health.items)?;
    if let Some(ro) = store.read_only() {
        writeln!(out, "  read-only:      {ro:?}")?;
    }
    for copy in crate::store::conflict_copies(&ctx.db) {
        // A file name is anyone's to choose: shown escaped.
        let name = escape_path(&copy);
        writeln!(
            out,
            "  conflict copy:  {name} (merge it with: obeya merge \"{name}\")"
        )?;
    }
    if !differences.is_empty() {
        return Err(Failure(format!(
            "{}: the schema holds {} difference(s) from what obeya makes (listed above)",
            ctx.db.display(),
            differences.len()
        )));
    }
    Ok(())
}

fn item(ctx: &Context, cmd: &ItemCommand, out: &mut dyn Write) -> Result<(), Failure> {
    let mut store = ctx.open()?;
    match cmd {
        ItemCommand::Add {
            title,
            status,
            owner,
            due,
            persona,
            stage,
            impact,
        } => {
            let item = Item {
                title: title.trim().to_owned(),
                status: *status,
                owner: owner.clone().unwrap_or_default(),
                due: *due,
                persona_id: lookup(&store, Kind::Persona, persona.as_deref())?,
                stage_id: lookup(&store, Kind::Stage, stage.as_deref())?,
                impact: impact.clone().unwrap_or_default(),
                ..Item::default()
            };
            let added = store.add_item(item)?;
            writeln!(
                out,
                "added #{} '{}' to {}",
                added.id,
                escape_controls(&added.title),
                added.status.label()
            )?;
        }
        ItemCommand::List {
            status,
            owner,
            mine,
            json,
        } => {
            let board = store.load_board()?;
            let owner = if *mine {
                Some(ctx.user.as_str())
            } else {
                owner.as_deref()
            };
            let keep = |i: &Item| {
                status.is_none_or(|s| i.status == s)
                    && owner.is_none_or(|o| crate::model::same_name(&i.owner, o))
            };
            if *json {
                let doc = exchange::from_board(&board);
                let items: Vec<_> = doc
                    .items
                    .iter()
                    .zip(&board.items)
                    .filter(|(_, i)| keep(i))
                    .map(|(d, _)| d)
                    .collect();
                writeln!(out, "{}", json_pretty(&items)?)?;
            } else {
                for i in board.items.iter().filter(|i| keep(i)) {
                    writeln!(out, "{}", list_line(&board, i))?;
                }
            }
        }
        ItemCommand::Edit(args) => {
            let base = find_item(&store, args.id)?;
            let mut mine = base.clone();
            if let Some(t) = &args.title {
                mine.title = t.trim().to_owned();
            }
            if let Some(d) = &args.detail {
                mine.detail = d.clone();
            }
            if let Some(o) = &args.owner {
                mine.owner = o.clone();
            }
            if let Some(d) = args.due {
                mine.due = Some(d);
            }
            if args.no_due {
                mine.due = None;
            }
            if args.persona.is_some() {
                mine.persona_id = lookup(&store, Kind::Persona, args.persona.as_deref())?;
            }
            if args.stage.is_some() {
                mine.stage_id = lookup(&store, Kind::Stage, args.stage.as_deref())?;
            }
            if let Some(t) = &args.impact {
                mine.impact = t.clone();
            }
            if let Some(t) = &args.risk {
                mine.risk = t.clone();
            }
            if let Some(reason) = &args.blocked {
                mine.blocked = true;
                mine.blocked_reason = reason.clone();
            }
            if args.unblocked {
                mine.blocked = false;
                mine.blocked_reason.clear();
            }
            let saved = store.save(&base, &mine)?;
            writeln!(
                out,
                "saved #{} '{}'",
                saved.record.id,
                escape_controls(&saved.record.title)
            )?;
        }
        ItemCommand::Move { id, status } => {
            let base = find_item(&store, *id)?;
            let saved = store.move_item(&base, *status)?;
            writeln!(
                out,
                "moved #{} '{}' to {}",
                saved.record.id,
                escape_controls(&saved.record.title),
                status.label()
            )?;
        }
        ItemCommand::Comment { id, text } => {
            find_item(&store, *id)?;
            store.add_comment(*id, text)?;
            writeln!(out, "commented on #{id}")?;
        }
    }
    Ok(())
}

fn log(
    ctx: &Context,
    since_standup: bool,
    since: Option<Date>,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let store = ctx.open()?;
    let from = if since_standup {
        match store.load_board()?.last_standup.and_then(|s| s.ended_at) {
            Some(t) => Some(t),
            None => {
                eprintln!("obeya: no stand-up has been held on this board yet; showing everything");
                None
            }
        }
    } else {
        // (`parse_since` made sure the day's start is a moment.)
        since
            .map(|d| d.to_zoned(jiff::tz::TimeZone::UTC).map(|z| z.timestamp()))
            .transpose()?
    };
    let rows: Vec<_> = store
        .activity_since(0)?
        .into_iter()
        .filter(|a| from.is_none_or(|t| a.at >= t))
        .collect();
    if json {
        writeln!(out, "{}", json_pretty(&rows)?)?;
    } else {
        for a in &rows {
            writeln!(out, "{}", crate::report::log_line(a))?;
        }
    }
    Ok(())
}

/// The last finished stand-up's summary; exit 1 if the board has none yet.
fn standup_report(ctx: &Context, format: ReportFormat, out: &mut dyn Write) -> Result<(), Failure> {
    let store = ctx.open()?;
    let Some(s) = store.last_finished_standup()? else {
        return Err(Failure(format!(
            "no stand-up has been held on this board yet ({})",
            ctx.db.display()
        )));
    };
    let ended = s.ended_at.unwrap_or(s.started_at);
    let summary = store.standup_summary(s.started_at, ended, &s.facilitator, &s.parked)?;
    match format {
        ReportFormat::Md => out.write_all(
            crate::report::standup_markdown(&summary, &jiff::tz::TimeZone::system()).as_bytes(),
        )?,
        ReportFormat::Json => writeln!(out, "{}", json_pretty(&summary)?)?,
    }
    Ok(())
}

fn find_item(store: &Store, id: i64) -> Result<Item, Failure> {
    store.load::<Item>(id)?.ok_or_else(|| {
        Failure(format!(
            "no item with id {id} in {}",
            store.path().display()
        ))
    })
}

/// The id of the persona or stage called `name` (ignoring case); "" means none.
fn lookup(store: &Store, kind: Kind, name: Option<&str>) -> Result<Option<i64>, Failure> {
    let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) else {
        return Ok(None);
    };
    match store.id_named(kind, name)? {
        Some(id) => Ok(Some(id)),
        None => Err(Failure(format!(
            "unknown {kind} '{name}' (see the board's {kind}s with: obeya export --format md)"
        ))),
    }
}

/// One item on one line; whatever the board holds, no control character gets through.
fn list_line(board: &Board, i: &Item) -> String {
    let mut line = format!("#{:<4} {:<5} {}", i.id, i.status.as_str(), i.title);
    if !i.owner.is_empty() {
        line += &format!("  @{}", i.owner);
    }
    if let Some(d) = i.due {
        line += &format!("  due {d}");
    }
    let serves: Vec<&str> = [
        board.persona_name(i.persona_id),
        board.stage_name(i.stage_id),
    ]
    .into_iter()
    .flatten()
    .collect();
    if serves.is_empty() {
        line += "  ⚠ serves no persona or stage";
    } else {
        line += &format!("  [{}]", serves.join(" · "));
    }
    if i.blocked {
        line += &format!("  BLOCKED: {}", i.blocked_reason);
    }
    escape_controls(&line).into_owned()
}
