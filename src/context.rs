//! What the command line and the wall share: the configuration, the board path and the
//! user, how a board is opened or created, and how a failure ends the program.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::config::{self, Config};
use crate::exchange;
use crate::format::{escape_controls, escape_path};
use crate::store::{BadCells, Store};

/// A failure that ends the command with exit code 1 and this message on stderr: the
/// outermost edge, where a typed error becomes the words that are printed.
#[derive(Debug)]
pub struct Failure(pub String);

/// The errors that end a command, each printed in its own words.
macro_rules! failures {
    ($($error:ty),* $(,)?) => {
        $(impl From<$error> for Failure {
            fn from(e: $error) -> Self {
                Failure(e.to_string())
            }
        })*
    };
}

failures!(
    std::io::Error,
    crate::store::OpenError,
    crate::store::StoreError,
    exchange::ExchangeError,
    exchange::listening::CsvError,
    crate::store::files::FileError,
    serde_json::Error,
    config::ConfigError,
);

/// Everything a subcommand needs besides its own arguments.
pub struct Context {
    pub config: Config,
    pub db: PathBuf,
    /// Whether the board path was chosen by the user rather than the default.
    pub db_given: bool,
    pub user: String,
    /// The config file read (or, where there is none, where it would be).
    pub config_file: PathBuf,
    /// The zone times are shown in: the system's (`TZ`), looked up when first needed
    /// (finding it can mean listing the time zone database).
    tz: OnceLock<jiff::tz::TimeZone>,
}

impl Context {
    /// From the command line's `--db`, `--config` and `--user` (or their environment
    /// variables), the config file and the standard paths.
    pub fn new(
        db: Option<&Path>,
        config_file: Option<&Path>,
        user: Option<&str>,
    ) -> Result<Context, Failure> {
        let paths = config::paths();
        let config = match config_file {
            Some(p) => config::load(p, true)?,
            None => config::load(&paths.config_file, false)?,
        };
        let config_file = config_file.map_or(paths.config_file, Path::to_path_buf);
        let (db, db_given) = match (db, &config.db) {
            (Some(p), _) => (p.to_path_buf(), true),
            (None, Some(p)) => (p.clone(), true),
            (None, None) => (paths.default_db.clone(), false),
        };
        let user = config::resolve_user(user, &config);
        // The command line's value was checked as a usage error; this catches the
        // config's `user` and a login name.
        config::check_user_name(&user)
            .map_err(|why| Failure(format!("user name '{user}': {why} (give one with --user)")))?;
        Ok(Context {
            config,
            db,
            db_given,
            user,
            config_file,
            tz: OnceLock::new(),
        })
    }

    /// The zone times are shown in.
    pub fn tz(&self) -> &jiff::tz::TimeZone {
        self.tz.get_or_init(jiff::tz::TimeZone::system)
    }

    /// Today, in the zone times are shown in.
    pub fn today(&self) -> jiff::civil::Date {
        jiff::Timestamp::now().to_zoned(self.tz().clone()).date()
    }

    /// Open the board for a command, and merge the sync-conflict copies beside it
    /// (each reported on stderr, so a command's own output stays as it is).
    pub fn open(&self) -> Result<Store, Failure> {
        let mut store = self.open_without_merging()?;
        for outcome in store.merge_conflict_copies() {
            eprintln!("obeya: {}", crate::report::copy_outcome(&outcome));
        }
        Ok(store)
    }

    /// Open the board for a command, leaving any conflict copies beside it alone.
    pub fn open_without_merging(&self) -> Result<Store, Failure> {
        let mut store = Store::open(&self.db, &self.user)?;
        if let Some(note) = store.apply_journal_setting(self.config.sharing.wal)? {
            eprintln!("obeya: {note}");
        }
        Ok(store)
    }
}

/// Create a board at the context's path from the starter, a template, or empty. It
/// appears whole or not at all (see `Store::create_with`).
pub fn create_board(ctx: &Context, doc: Option<&exchange::Document>) -> Result<Store, Failure> {
    Store::create_with(&ctx.db, &ctx.user, |store| match doc {
        Some(doc) => exchange::import(store, doc)
            .map(|_| ())
            .map_err(Failure::from),
        None => Ok(()),
    })
}

/// The malformed cells met while reading the board at `db` (see `store::cells`), as the
/// lines a command prints on stderr: a heading naming the file, then each cell by
/// table, row and column (at most `listed`), escaped.
pub fn bad_cell_lines(db: &Path, cells: &BadCells, listed: usize) -> Vec<String> {
    if cells.is_empty() {
        return Vec::new();
    }
    let mut lines = vec![format!(
        "{}: {} cell(s) obeya cannot read, each read as an empty value (the cells were left as they are):",
        escape_path(db),
        cells.count()
    )];
    lines.extend(
        cells
            .cells
            .iter()
            .take(listed)
            .map(|c| format!("  {}", escape_controls(&c.to_string()))),
    );
    if cells.count() > listed {
        lines.push(format!(
            "  … and {} more: obeya check --db {} lists them all",
            cells.count() - listed,
            escape_path(db)
        ));
    }
    lines
}
