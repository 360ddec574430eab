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
use crate::model::{Better, Board, Feeling, Item, Kind, Stage, Status, parse_date};
use crate::store::Store;

mod edit;
mod show;

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
    /// Add, list, show, edit, move, comment on and delete improvement items
    #[command(subcommand)]
    Item(ItemCommand),
    /// The mission: the promise, and who the customer is
    #[command(subcommand)]
    Mission(MissionCommand),
    /// Add, edit, list and delete personas
    #[command(subcommand)]
    Persona(PersonaCommand),
    /// Add, edit, list and delete the stages of the customer journey
    #[command(subcommand)]
    Stage(StageCommand),
    /// How a persona feels at a stage, −2 … +2
    Feel {
        persona: String,
        stage: String,
        /// −2 … +2
        #[arg(value_parser = parse_score, allow_negative_numbers = true)]
        score: i8,
        /// Why (the note kept with the feeling; left as it was if not given)
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
    },
    /// Stand-ups held on the board: their summaries, the list, the parked topics
    #[command(subcommand)]
    Standup(StandupCommand),
    /// Merge a sync-conflict copy of the board into it, record by record
    Merge { other: PathBuf },
    /// The activity log: who changed what, oldest first
    Log {
        /// Only what happened since the last stand-up ended
        #[arg(long, conflicts_with = "since")]
        since_standup: bool,
        /// Only what happened since this day began, in your time zone
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
    /// Check the board file: integrity, schema version, application id, and that the
    /// wall's counts and filter index agree with the items
    Check {
        /// Build the wall's counts and filter index again from the items
        #[arg(long)]
        repair: bool,
    },
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
    /// Print a stand-up's summary (the last one unless --id): every change to the items
    /// while it ran, by person, and its parked topics
    Report {
        /// The stand-up's number, as `obeya standup list` shows it
        #[arg(long, value_name = "N")]
        id: Option<i64>,
        #[arg(long, value_enum, default_value_t = ReportFormat::Md)]
        format: ReportFormat,
    },
    /// The past stand-ups: when, who ran it, how long, what changed
    List {
        #[arg(long)]
        json: bool,
    },
    /// The parked topics nobody has resolved or turned into an item yet
    Parked {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum MissionCommand {
    /// Change the mission statement and/or the customer
    #[command(group = clap::ArgGroup::new("what").required(true).multiple(true))]
    Set {
        #[arg(long, value_name = "TEXT", group = "what")]
        statement: Option<String>,
        #[arg(long, value_name = "TEXT", group = "what")]
        customer: Option<String>,
    },
}

/// A persona's fields, each optional.
#[derive(Debug, Args)]
pub struct PersonaFields {
    #[arg(long, value_name = "TEXT")]
    pub role: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub goal: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub needs: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub pains: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub quote: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum PersonaCommand {
    /// Add a persona (at the end of the list)
    Add {
        name: String,
        #[command(flatten)]
        fields: PersonaFields,
    },
    /// Change a persona's fields (--name renames it)
    Edit {
        name: String,
        /// A new name
        #[arg(long = "name", value_name = "NEW")]
        rename: Option<String>,
        #[command(flatten)]
        fields: PersonaFields,
    },
    /// The personas, in the wall's order
    List {
        #[arg(long)]
        json: bool,
    },
    /// Delete a persona and its feelings; its items stay, unlinked (needs --yes if it
    /// has items)
    Delete {
        name: String,
        #[arg(long)]
        yes: bool,
    },
}

/// A stage's fields, each optional.
#[derive(Debug, Args)]
pub struct StageFields {
    /// What the customer wants at this stage
    #[arg(long, value_name = "TEXT")]
    pub goal: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub touchpoints: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub pains: Option<String>,
    /// What happens on our side, out of the customer's sight
    #[arg(long, value_name = "TEXT")]
    pub backstage: Option<String>,
    #[arg(long, value_name = "TEXT")]
    pub metric_name: Option<String>,
    #[arg(long, value_name = "NUMBER", value_parser = parse_number)]
    pub target: Option<f64>,
    #[arg(long, value_name = "TEXT")]
    pub unit: Option<String>,
    /// Which way the metric gets better
    #[arg(long, value_name = "higher|lower", value_parser = parse_better)]
    pub better: Option<Better>,
    /// Put the stage right after this one
    #[arg(long, value_name = "STAGE")]
    pub after: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum StageCommand {
    /// Add a stage (at the end of the journey, or --after a stage)
    Add {
        name: String,
        #[command(flatten)]
        fields: StageFields,
    },
    /// Change a stage's fields (--name renames it, --after moves it)
    Edit {
        name: String,
        /// A new name
        #[arg(long = "name", value_name = "NEW")]
        rename: Option<String>,
        #[command(flatten)]
        fields: StageFields,
    },
    /// The stages, along the journey
    List {
        #[arg(long)]
        json: bool,
    },
    /// Delete a stage, its feelings and metric history; its items stay, unlinked
    /// (needs --yes if it has items)
    Delete {
        name: String,
        #[arg(long)]
        yes: bool,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Md,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum ItemCommand {
    /// Add an item (its owner is you unless --owner)
    Add {
        title: String,
        #[arg(long, value_parser = parse_status, default_value = "plan")]
        status: Status,
        /// Who owns it [default: you]; "" for nobody
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
        /// How might this adversely affect customers?
        #[arg(long, value_name = "TEXT")]
        risk: Option<String>,
        #[arg(long, value_name = "TEXT")]
        detail: Option<String>,
    },
    /// Every field of an item, and its comments
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
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
    /// Delete an item and its comments (asks on a terminal; elsewhere needs --yes)
    Delete {
        id: i64,
        #[arg(long)]
        yes: bool,
    },
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

/// A feeling score: −2 … +2 (`+1`, `-2` and `−2` with a real minus sign all read).
fn parse_score(s: &str) -> Result<i8, String> {
    let t = s.trim().replace('−', "-");
    let t = t.strip_prefix('+').unwrap_or(&t);
    match t.parse::<i8>() {
        Ok(n) if (Feeling::MIN..=Feeling::MAX).contains(&n) => Ok(n),
        _ => Err(format!(
            "invalid score '{s}' (expected a whole number from -2 to +2)"
        )),
    }
}

fn parse_better(s: &str) -> Result<Better, String> {
    s.trim()
        .to_lowercase()
        .parse()
        .map_err(|_| format!("invalid direction '{s}' (expected higher or lower)"))
}

/// A finite number (a metric's target).
fn parse_number(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => Err(format!("invalid number '{s}'")),
    }
}

/// A day whose start (UTC) is a moment obeya can compare with: 9999-12-31 is not.
fn parse_since(s: &str) -> Result<Date, String> {
    let d = parse_date(s).map_err(|e| e.to_string())?;
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
            // Read and checked before the board is opened: a bad file is named first.
            let doc = exchange::read_file(file)?;
            let mut store = ctx.open()?;
            let report = exchange::import(&mut store, &doc)?;
            writeln!(out, "imported {}: {report}", escape_path(file))?;
            Ok(())
        }
        Command::Item(cmd) => item(ctx, cmd, out),
        Command::Mission(cmd) => edit::mission(ctx, cmd, out),
        Command::Persona(cmd) => edit::persona(ctx, cmd, out),
        Command::Stage(cmd) => edit::stage(ctx, cmd, out),
        Command::Feel {
            persona,
            stage,
            score,
            note,
        } => edit::feel(ctx, persona, stage, *score, note.as_deref(), out),
        Command::Standup(StandupCommand::Report { id, format }) => {
            standup_report(ctx, *id, *format, out)
        }
        Command::Standup(StandupCommand::List { json }) => standup_list(ctx, *json, out),
        Command::Standup(StandupCommand::Parked { json }) => standup_parked(ctx, *json, out),
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
        Command::Check { repair } => check(ctx, *repair, out),
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

fn init(
    ctx: &Context,
    empty: bool,
    template: Option<&Path>,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let doc = match (empty, template) {
        (true, _) => None,
        (false, Some(t)) => Some(exchange::read_file(t)?),
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
    let store = ctx.open()?;
    let text = match format {
        ExportFormat::Json => exchange::to_json(&exchange::export(&store)?),
        ExportFormat::Toml => exchange::to_toml(&exchange::export(&store)?),
        ExportFormat::Md => exchange::to_markdown(&store.load_board()?, ctx.tz()),
        ExportFormat::Csv => exchange::items_csv(&store.load_board()?),
    };
    match output {
        // Whole or not at all, and never through a link planted at that name.
        Some(path) => crate::store::files::replace_whole(path, text.as_bytes())?,
        None => out.write_all(text.as_bytes())?,
    }
    Ok(())
}

fn check(ctx: &Context, repair: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let mut store = ctx.open()?;
    let mut health = store.health()?;
    let mut repaired = false;
    if repair && health.kept.as_ref().is_some_and(|k| !k.agrees()) {
        store.rebuild_kept()?;
        health = store.health()?;
        repaired = true;
    }
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
    let kept_agrees = health.kept.as_ref().is_none_or(|k| k.agrees());
    if differences.is_empty() && kept_agrees {
        writeln!(out, "{}: ok", escape_path(&ctx.db))?;
    } else if differences.is_empty() {
        writeln!(
            out,
            "{}: the wall's counts or filter index disagree with the items",
            escape_path(&ctx.db)
        )?;
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
    if let Some(kept) = &health.kept {
        writeln!(out, "  wall counts:    {}", tally_words(kept))?;
        writeln!(out, "  filter index:   {}", index_words(kept))?;
    }
    if repaired {
        writeln!(
            out,
            "  repaired:       counts and filter index built again from the items"
        )?;
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
    if !kept_agrees {
        return Err(Failure(format!(
            "{0}: the wall's counts or filter index disagree with the items (listed above); every item is intact. Build them again with: obeya check --repair --db {0}",
            escape_path(&ctx.db)
        )));
    }
    Ok(())
}

fn tally_words(kept: &crate::store::Kept) -> String {
    match kept.tally_off {
        0 => "agree with the items".to_owned(),
        n => format!("{n} group(s) of column, persona, stage and owner miscounted"),
    }
}

fn index_words(kept: &crate::store::Kept) -> String {
    if let Some(damage) = &kept.index_damage {
        return format!("damaged ({})", escape_controls(damage));
    }
    match (kept.index_missing, kept.index_stray) {
        (0, 0) => "agrees with the items".to_owned(),
        (missing, stray) => format!("{missing} item(s) missing, {stray} entry(ies) of no item"),
    }
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
            risk,
            detail,
        } => {
            let item = Item {
                title: title.trim().to_owned(),
                status: *status,
                // As on the wall: a new item is yours unless you say whose it is.
                owner: owner.clone().unwrap_or_else(|| ctx.user.clone()),
                due: *due,
                persona_id: lookup(&store, Kind::Persona, persona.as_deref())?,
                stage_id: lookup(&store, Kind::Stage, stage.as_deref())?,
                impact: impact.clone().unwrap_or_default(),
                risk: risk.clone().unwrap_or_default(),
                detail: detail.clone().unwrap_or_default(),
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
                // (The items alone: stand-ups are not needed for them.)
                let doc = exchange::from_board(&board, &[]);
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
        ItemCommand::Show { id, json } => show::item(ctx, &store, *id, *json, out)?,
        ItemCommand::Delete { id, yes } => {
            let item = find_item(&store, *id)?;
            let comments = store.load_board()?.comments_of(item.id).count();
            let what = format!(
                "#{} '{}'{}",
                item.id,
                item.title,
                match comments {
                    0 => String::new(),
                    1 => " and its comment".to_owned(),
                    n => format!(" and its {n} comments"),
                }
            );
            if !*yes {
                confirm(&format!("delete {what}?"), "add --yes to delete it")?;
            }
            store.delete_item(&item)?;
            writeln!(out, "deleted {}", escape_controls(&what))?;
        }
    }
    Ok(())
}

/// Ask yes/no on the terminal; without one (a script, a pipe), refuse with `how`.
fn confirm(question: &str, how: &str) -> Result<(), Failure> {
    use std::io::IsTerminal;
    let refused = |why: &str| Failure(format!("{why}: nothing was deleted ({how})"));
    if !std::io::stdin().is_terminal() {
        return Err(refused(&format!(
            "not asking \"{}\" without a terminal",
            question.trim_end_matches('?')
        )));
    }
    eprint!("{} [y/N] ", escape_controls(question));
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    match answer.trim() {
        "y" | "Y" | "yes" | "Yes" => Ok(()),
        _ => Err(refused("not confirmed")),
    }
}

fn log(
    ctx: &Context,
    since_standup: bool,
    since: Option<Date>,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let store = ctx.open()?;
    let board = store.load_board()?;
    let from = if since_standup {
        match board.last_standup.as_ref().and_then(|s| s.ended_at) {
            Some(t) => Some(t),
            None => {
                eprintln!("obeya: no stand-up has been held on this board yet; showing everything");
                None
            }
        }
    } else {
        since
            .map(|d| {
                d.to_zoned(ctx.tz().clone())
                    .map(|z| z.timestamp())
                    .map_err(|_| Failure(format!("{d} is too late a day to start from")))
            })
            .transpose()?
    };
    let rows: Vec<_> = store
        .activity_since(0)?
        .into_iter()
        .filter(|a| from.is_none_or(|t| a.at >= t))
        .collect();
    if json {
        let rows: Vec<_> = rows
            .iter()
            .map(|a| show::activity_view(a, ctx.tz()))
            .collect();
        writeln!(out, "{}", json_pretty(&rows)?)?;
    } else {
        for a in &rows {
            writeln!(out, "{}", crate::report::log_line(a, ctx.tz()))?;
            let current = a
                .entity
                .parse::<Kind>()
                .ok()
                .and_then(|k| board.record(k, a.entity_id));
            for l in crate::report::lost_lines(&crate::report::lost_text(a, current.as_ref())) {
                writeln!(out, "{l}")?;
            }
        }
    }
    Ok(())
}

/// A stand-up's summary (the last one's unless `id`); exit 1 if there is none.
fn standup_report(
    ctx: &Context,
    id: Option<i64>,
    format: ReportFormat,
    out: &mut dyn Write,
) -> Result<(), Failure> {
    let store = ctx.open()?;
    let s = match id {
        Some(id) => store
            .standup(id)?
            .filter(|s| s.ended_at.is_some())
            .ok_or_else(|| {
                Failure(format!(
                    "no stand-up #{id} on this board ({}; see them with: obeya standup list)",
                    ctx.db.display()
                ))
            })?,
        None => store.last_finished_standup()?.ok_or_else(|| {
            Failure(format!(
                "no stand-up has been held on this board yet ({})",
                ctx.db.display()
            ))
        })?,
    };
    let summary = store.summary_of(&s)?;
    match format {
        ReportFormat::Md => {
            out.write_all(crate::report::standup_markdown(&s, &summary, ctx.tz()).as_bytes())?
        }
        ReportFormat::Json => writeln!(
            out,
            "{}",
            json_pretty(&crate::report::standup_view(&s, &summary, ctx.tz()))?
        )?,
    }
    Ok(())
}

/// Every finished stand-up, oldest first.
fn standup_list(ctx: &Context, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let store = ctx.open()?;
    let mut list = Vec::new();
    for s in store.standups()? {
        let summary = store.summary_of(&s)?;
        list.push((s, summary));
    }
    if json {
        let views: Vec<_> = list
            .iter()
            .map(|(s, summary)| crate::report::standup_view(s, summary, ctx.tz()))
            .collect();
        writeln!(out, "{}", json_pretty(&views)?)?;
    } else if list.is_empty() {
        eprintln!("obeya: no stand-up has been held on this board yet");
    } else {
        for (s, summary) in &list {
            writeln!(
                out,
                "{}",
                crate::report::standup_list_line(s, summary, ctx.tz())
            )?;
        }
    }
    Ok(())
}

/// The parked topics still open, oldest first.
fn standup_parked(ctx: &Context, json: bool, out: &mut dyn Write) -> Result<(), Failure> {
    let board = ctx.open()?.load_board()?;
    let open: Vec<_> = board.open_topics().collect();
    if json {
        let views: Vec<_> = open
            .iter()
            .map(|t| crate::report::topic_view(t, ctx.tz()))
            .collect();
        writeln!(out, "{}", json_pretty(&views)?)?;
    } else {
        for t in open {
            writeln!(out, "{}", crate::report::topic_line(t, ctx.tz()))?;
        }
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
            "unknown {kind} '{name}' (see the board's {kind}s with: obeya {kind} list)"
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
