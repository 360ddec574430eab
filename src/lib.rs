//! obeya: a terminal Obeya board that keeps a team's work pointed at its customers.
//!
//! The library holds everything; `main.rs` only parses the command line and dispatches.
//! This is the map of the code.
//!
//! # Layers
//!
//! Dependencies point one way, from the bottom up:
//!
//! ```text
//!   cli   tui                  top: the command line and the terminal
//!    │     │
//!    │    ui                   drawing: pure functions of the app's state
//!    │     │
//!    │    app                  state, modes, keys → actions → ops, layout
//!    │     │
//! exchange report context      documents, reports, what cli and tui share
//!     │     │
//!     store                    the board file: SQL, migrations, versioned writes
//!       │
//!     model   format   keymap   config
//! ```
//!
//! - [`model`] knows nothing of SQL or terminals: records (evidence and its links to
//!   items among them, `model/evidence.rs`), statuses, conflicts, the stand-up summary,
//!   and the rules every way in applies alike (`model/rules.rs`: a
//!   unique name under Unicode case folding, a title, a date, a number, a score,
//!   "mine", the longest each text field may be). Every layer may use it; the form, the
//!   command line, the import and the store all call the same rule.
//! - [`mod@format`] turns board values into words (scores, metrics, fitting text to a
//!   width) for the wall, the reports and the exchange alike. No ratatui. Every text
//!   output shows the board's control characters escaped with `escape_controls`.
//! - [`keymap`] declares every command of every mode once, and maps keys to them.
//!   [`config`] reads the config file and validates key bindings with it.
//! - [`store`] is the only module that speaks SQL. It imports only `model`. Each
//!   stored struct lists its columns once, beside its fields (`columns!` in
//!   `store/record.rs`, the cells in `store/cells.rs`: a malformed cell reads as its
//!   field's empty value and is noted, by table, row and column, for the command or the
//!   wall to name). Every connection gets the name collation (`store/functions.rs`). The
//!   store also writes the files beside a board (`store::files`: only regular files,
//!   never through a link, always whole; the presence files), and refuses a schema
//!   that runs code obeya did not write (`store/schema.rs`, each entry judged by what
//!   its SQL makes: `store/schema_sql.rs`). Its errors are typed (`store/error.rs`).
//! - [`exchange`] (JSON, TOML, Markdown, CSV, import) and [`report`] work on a store or
//!   on loaded data; the store never imports them. An import reads a file whole into a
//!   `Document` (`exchange/read.rs`), checks it before the board is locked
//!   (`validate.rs`), then imports it in one transaction (`import.rs`); the starter
//!   board (its dates moved to the day it is made, `exchange/starter.rs`) and
//!   `init --template` go the same way. A CSV export of evidence is read
//!   and checked whole the same way (`exchange/listening.rs`), and so is a CSV of metric
//!   readings (`exchange/readings.rs`); both read it as a table whose columns are found
//!   by their header names (`exchange/table.rs`, on the `csv` crate).
//! - Metrics: what dated readings say (a band, a movement since a moment, an item's
//!   metric since it entered Do, the customer index and its history) is computed in
//!   `model/metric.rs`, put into words in `format/metric.rs`, and drawn by `ui/metric.rs`
//!   (the index, the Check cards) and the journey; the store keeps an item's baseline
//!   when it enters Do (`store/metric.rs`).
//! - [`app`] owns the store (privately), and is the one place that writes to it. Its
//!   state is in named parts with private fields: the screen, sharing, the stack of
//!   modes, the clock, the settings (see `app/mod.rs`).
//! - [`ui`] draws from `&App` and `model` types; it never touches the store.
//! - [`context`] is what `cli` and `tui` share (config, board path, user, and
//!   `Failure`: the one place a typed error becomes the words printed); `tui` never
//!   imports `cli`. [`watch`] wakes the wall when a file of the board's changes. [`cli`] keeps its clap definitions in `cli/args.rs` and one file
//!   per group of commands.
//!
//! Errors cross module borders typed (`OpenError`, `StoreError`, `ExchangeError`,
//! `RuleError`, `FormError`, `KeymapError`, `ConfigError`); text is made only at the
//! edge that prints it.
//!
//! # How a key becomes a write and a redraw
//!
//! 1. `tui::event_loop` reads a terminal event and asks [`app::App::action_for`] for an
//!    [`app::Action`]: the key goes through the keymap of the [`app::Mode`] on top of
//!    the stack (`app/input.rs`), so the same key can be a board command, a form
//!    command or text.
//! 2. [`app::App::update`] hands the action to that mode (a board command runs in
//!    `app/board.rs`, a form key in the form, a yes/no answer in the question) and
//!    returns the [`app::Effect`] the loop carries out (quit, suspend). Opening a view,
//!    a form or a question pushes a mode; closing it pops (`app/mode.rs`).
//! 3. A change to the board is an [`app::Op`], run by `App::run`: one short store
//!    transaction that checks the record's version, merges with a teammate's change to
//!    other fields, and appends an activity row. A busy board queues the op; a conflict
//!    opens the conflict mode; undo keeps the typed changes the store reports back.
//! 4. The app reloads what the write changed and the loop redraws: `ui::draw` builds
//!    the frame from the state, with no SQL on the draw path.
//!
//! # How a teammate's change arrives
//!
//! About once a second (`[sharing] poll_ms`; every 3 s on a network drive) the loop
//! calls `App::tick` (tests send `Action::Tick`, which does the same); on this machine
//! a file-change notification beside the board ([`watch`]) calls it at once. It asks
//! the store whether another connection committed (`PRAGMA data_version`; on a board
//! locked with a folder, the header's change counter); if so it re-reads what the new
//! activity rows name (the counts and cards in view; the small tables too, for anything
//! but items and comments), then the cards now in view and what an open detail shows,
//! keeps selections on the same record ids, and notes the newest activity row ("bob
//! moved 'Fix refunds' to Check"). Queued writes are retried on the same tick; one the
//! board now refuses comes back as its form (or a question), never dropped.
//!
//! # Sharing across machines
//!
//! Reading never writes the board file: who has it open is kept beside it
//! (`store/presence.rs`, one file per running instance). On each tick the app also asks
//! whether the file at the path is still the one it reads (`store/reopen.rs`: a sync
//! tool renames a new version over the board; a write that meets the old one is made
//! on the new one), and merges the finished sync-conflict copies beside the board
//! (`store/copies.rs` knows each tool's names, `store/autos.rs` merges with
//! `store/merge.rs` and removes the copy; every command does the same on opening). On a
//! network filesystem whose locks do not reach the other machines (sshfs …; `FsKind`,
//! `store/fsinfo.rs`), the board is locked with a lock folder and opened afresh for
//! every transaction (`store/lockless.rs`).
//!
//! # Where to add …
//!
//! - **A command:** one row in a `commands!` table in `keymap/commands.rs` (name,
//!   default keys, help text, flags), then the match arm the compiler asks for in the
//!   mode's handler (`app/board.rs` for the board). Keymap, help, config section and
//!   read-only refusal follow from the row.
//! - **A pane:** a `ui/` file that draws it from `&App`, its rectangle in
//!   `app/screen/layout.rs` (pure functions of sizes and counts, shared with mouse
//!   clicks), a [`app::Pane`] variant, and its fields in `app/screen/detail.rs` for the
//!   detail view.
//! - **A record field:** the `model` struct, its column in the record's `columns!`
//!   table (`store/record.rs`), a migration, the form field (`app/form/`, a
//!   [`app::FieldId`]), and the exchange document (`exchange/document.rs`).
//! - **A rule:** `model/rules.rs`, called from every way in.
//! - **A migration:** a new SQL file in `assets/migrations/`, appended to `STEPS` in
//!   `store/migrations.rs` (never edit a released one; `LATEST_SCHEMA` follows from the
//!   list), and the schema a board is checked against written anew
//!   (`OBEYA_WRITE_SCHEMA=1 cargo test --lib the_stored_latest_schema`). The store
//!   backs the board up before migrating it.

pub mod app;
pub mod cli;
pub mod config;
pub mod context;
pub mod exchange;
pub mod format;
pub mod keymap;
pub mod model;
pub mod report;
pub mod store;
pub mod tui;
pub mod ui;
pub mod watch;
