//! The command line's definitions: every subcommand, argument and value parser. The
//! values parse with the rules the form and the import use (`model::rules`).

use std::path::PathBuf;
use std::str::FromStr;

use clap::{Args, Parser, Subcommand, ValueEnum};
use jiff::civil::Date;

use crate::model::rules::{
    self, RuleError, parse_date, parse_day, parse_number, parse_scale, parse_score,
};
use crate::model::{Better, EvidenceKind, Side, Status};

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
    /// Evidence: what customers and employees said or did, or a measured fact
    #[command(subcommand)]
    Evidence(EvidenceCommand),
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
    /// Persona × stage: feelings, open items, evidence, and what nobody works on or
    /// has heard
    Coverage {
        #[arg(long)]
        json: bool,
    },
    /// Stage metrics
    #[command(subcommand)]
    Metric(MetricCommand),
    /// The config file: write the commented default one to start from
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Check the board file: integrity, schema version, application id, and that the
    /// wall's counts and filter index agree with the items
    Check {
        /// Build the wall's counts and filter index again from the items
        #[arg(long)]
        repair: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Write the commented default config to the config file's path (--config, else
    /// OBEYA_CONFIG, else config.toml in your config directory); never over a file
    Init,
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
    /// Record a reading of a stage's metric (its history is kept); the stage's actual
    /// value is its latest reading by date
    Set {
        stage: String,
        #[arg(value_parser = parse_number, allow_negative_numbers = true)]
        value: f64,
        /// When the reading was taken (YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339; now
        /// when absent)
        #[arg(long, value_name = "DATE")]
        at: Option<String>,
    },
    /// Read metric readings (stage, date, value) from a CSV file; readings the board
    /// has already are not added again, and a bad row stops the import with nothing
    /// written
    Import {
        file: PathBuf,
        /// The column naming the stage (default: `stage`)
        #[arg(long, value_name = "COLUMN")]
        stage: Option<String>,
        /// The column with the reading's date (default: `date`)
        #[arg(long, value_name = "COLUMN")]
        date: Option<String>,
        /// The column with the value (default: `value`)
        #[arg(long, value_name = "COLUMN")]
        value: Option<String>,
    },
    /// Each stage's readings, oldest first (one stage's with STAGE)
    List {
        stage: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// The customer index (how well the stages keep their targets) with its history,
    /// and each stage's metric, band and movement since the last stand-up
    Summary {
        #[arg(long)]
        json: bool,
    },
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
    /// A customer (the default) or an employee: the other side of the journey
    #[arg(long, value_name = "customer|employee", value_parser = parse_side)]
    pub side: Option<Side>,
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
    #[arg(long, value_name = "NUMBER", value_parser = parse_number, allow_negative_numbers = true)]
    pub target: Option<f64>,
    #[arg(long, value_name = "TEXT")]
    pub unit: Option<String>,
    /// Which way the metric gets better
    #[arg(long, value_name = "higher|lower", value_parser = parse_better)]
    pub better: Option<Better>,
    /// The warning band, in the metric's unit: amber within this much short of the
    /// target
    #[arg(long, value_name = "NUMBER", value_parser = parse_warn)]
    pub warn: Option<f64>,
    /// Remove the warning band (met or missed only)
    #[arg(long, conflicts_with = "warn")]
    pub no_warn: bool,
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
        #[arg(long, value_parser = Status::from_str, default_value = "plan")]
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
        #[arg(long, value_parser = Status::from_str)]
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
        #[arg(value_parser = Status::from_str)]
        status: Status,
    },
    /// Comment on an item
    Comment { id: i64, text: String },
    /// Link evidence to the item it supports (--unlink takes the links away)
    Link {
        id: i64,
        /// Evidence ids, as `obeya evidence list` shows them
        #[arg(required = true, value_name = "EVIDENCE")]
        evidence: Vec<i64>,
        #[arg(long)]
        unlink: bool,
    },
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

/// Evidence's fields, each optional.
#[derive(Debug, Args)]
pub struct EvidenceFields {
    /// quote, observation, complaint, survey, interview, test or data
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    pub kind: Option<EvidenceKind>,
    /// Where it came from: "support ticket 4312", "interview, 3 Dec"
    #[arg(long, value_name = "TEXT")]
    pub source: Option<String>,
    /// The day it was observed [default: today]
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day_arg)]
    pub date: Option<Date>,
    /// Whom it is about ("" for nobody in particular)
    #[arg(long, value_name = "NAME")]
    pub persona: Option<String>,
    /// The stage of the journey ("" for none)
    #[arg(long, value_name = "NAME")]
    pub stage: Option<String>,
    /// What it expressed, −2 … +2
    #[arg(long, value_parser = parse_sentiment_arg, allow_negative_numbers = true, value_name = "N")]
    pub sentiment: Option<i8>,
}

#[derive(Debug, Subcommand)]
pub enum EvidenceCommand {
    /// Add a piece of evidence (observed today unless --date)
    Add {
        text: String,
        #[command(flatten)]
        fields: EvidenceFields,
        /// The items it supports
        #[arg(long, num_args = 1.., value_name = "ID")]
        supports: Vec<i64>,
    },
    /// The evidence, newest observed first
    List {
        #[arg(long, value_name = "NAME")]
        persona: Option<String>,
        #[arg(long, value_name = "NAME")]
        stage: Option<String>,
        #[arg(long, value_name = "KIND", value_parser = parse_kind)]
        kind: Option<EvidenceKind>,
        /// Only what was observed on this day or later
        #[arg(long, value_parser = parse_date, value_name = "YYYY-MM-DD")]
        since: Option<Date>,
        #[arg(long)]
        json: bool,
    },
    /// Every field of a piece of evidence, and the items it supports
    Show {
        id: i64,
        #[arg(long)]
        json: bool,
    },
    /// Change a piece of evidence (--supports replaces the items it supports)
    Edit {
        id: i64,
        #[arg(long, value_name = "TEXT")]
        text: Option<String>,
        #[command(flatten)]
        fields: EvidenceFields,
        #[arg(long, conflicts_with = "sentiment")]
        no_sentiment: bool,
        #[arg(long, num_args = 1.., value_name = "ID")]
        supports: Option<Vec<i64>>,
    },
    /// Delete a piece of evidence and its links (asks on a terminal; elsewhere needs
    /// --yes)
    Delete {
        id: i64,
        #[arg(long)]
        yes: bool,
    },
    /// Import evidence from a CSV export, its columns found by their header names;
    /// a column not named falls back to one called text, date, source, score, kind,
    /// persona or stage
    Import(CsvImportArgs),
}

#[derive(Debug, Args)]
pub struct CsvImportArgs {
    pub file: PathBuf,
    /// The column holding what was said or done
    #[arg(long, value_name = "COL")]
    pub text: Option<String>,
    /// The column holding the day (YYYY-MM-DD, RFC 3339 or YYYY-MM-DD HH:MM:SS)
    #[arg(long, value_name = "COL")]
    pub date: Option<String>,
    /// How the dates are written when they are none of those (strftime, e.g. %d/%m/%Y)
    #[arg(long, value_name = "FORMAT")]
    pub date_format: Option<String>,
    /// The column saying where each row came from
    #[arg(long, value_name = "COL")]
    pub source: Option<String>,
    /// The column holding a score, mapped onto −2 … +2
    #[arg(long, value_name = "COL")]
    pub score: Option<String>,
    /// The score's scale, e.g. 0-10 [default: -2-2]
    #[arg(long, value_name = "LO-HI", value_parser = parse_scale, allow_hyphen_values = true)]
    pub scale: Option<(f64, f64)>,
    /// Every row's kind [default: the kind column's, else observation]
    #[arg(long, value_name = "KIND", value_parser = parse_kind)]
    pub kind: Option<EvidenceKind>,
    /// Every row is about this persona
    #[arg(long, value_name = "NAME", conflicts_with = "persona_column")]
    pub persona: Option<String>,
    /// The column naming each row's persona
    #[arg(long, value_name = "COL")]
    pub persona_column: Option<String>,
    /// Every row is at this stage
    #[arg(long, value_name = "NAME", conflicts_with = "stage_column")]
    pub stage: Option<String>,
    /// The column naming each row's stage
    #[arg(long, value_name = "COL")]
    pub stage_column: Option<String>,
}

fn parse_kind(s: &str) -> Result<EvidenceKind, RuleError> {
    s.trim()
        .parse()
        .map_err(|_| RuleError::UnknownKind(s.trim().to_owned()))
}

fn parse_side(s: &str) -> Result<Side, RuleError> {
    s.trim()
        .parse()
        .map_err(|_| RuleError::UnknownSide(s.trim().to_owned()))
}

fn parse_sentiment_arg(s: &str) -> Result<i8, RuleError> {
    rules::parse_sentiment(s)?.ok_or_else(|| RuleError::InvalidSentiment(s.to_owned()))
}

fn parse_day_arg(s: &str) -> Result<Date, RuleError> {
    parse_day(s, None)
}

#[derive(Debug, thiserror::Error)]
#[error("invalid direction '{0}' (expected higher or lower)")]
struct BadDirection(String);

fn parse_warn(s: &str) -> Result<f64, RuleError> {
    rules::parse_band(s)?.ok_or_else(|| RuleError::InvalidBand(s.to_owned()))
}

fn parse_better(s: &str) -> Result<Better, BadDirection> {
    s.trim()
        .to_lowercase()
        .parse()
        .map_err(|_| BadDirection(s.to_owned()))
}

#[derive(Debug, thiserror::Error)]
enum BadSince {
    #[error(transparent)]
    Date(#[from] RuleError),
    #[error("{0} is too late a day to start from (the last is 9999-12-30)")]
    TooLate(Date),
}

/// A day whose start (UTC) is a moment obeya can compare with: 9999-12-31 is not.
fn parse_since(s: &str) -> Result<Date, BadSince> {
    let d = parse_date(s)?;
    d.to_zoned(jiff::tz::TimeZone::UTC)
        .map(|_| d)
        .map_err(|_| BadSince::TooLate(d))
}
