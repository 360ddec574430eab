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
//! - [`model`] knows nothing of SQL or terminals: records, statuses, conflicts, the
//!   stand-up summary. Every layer may use it.
//! - [`mod@format`] turns board values into words (scores, metrics, fitting text to a
//!   width) for the wall, the reports and the exchange alike. No ratatui. Every text
//!   output shows the board's control characters escaped with `escape_controls`.
//! - [`keymap`] declares every command of every mode once, and maps keys to them.
//!   [`config`] reads the config file and validates key bindings with it.
//! - [`store`] is the only module that speaks SQL. It imports only `model`. It also
//!   writes the files beside a board (`store::files`: never through a link, always
//!   whole), and refuses a schema that is not obeya's (`store/schema.rs`).
//! - [`exchange`] (JSON, TOML, Markdown, CSV, import) and [`report`] work on a store or
//!   on loaded data; the store never imports them. An import reads a file whole into a
//!   `Document` (`exchange/read.rs`), checks it before the board is locked
//!   (`validate.rs`), then imports it in one transaction (`import.rs`); the starter
//!   board and `init --template` go the same way.
//! - [`app`] owns the store (privately), and is the one place that writes to it.
//! - [`ui`] draws from `&App` and `model` types; it never touches the store.
//! - [`context`] is what `cli` and `tui` share (config, board path, user, failures);
//!   `tui` never imports `cli`.
//!
//! # How a key becomes a write and a redraw
//!
//! 1. `tui::event_loop` reads a terminal event and asks [`app::App::action_for`] for an
//!    [`app::Action`]: the key goes through the keymap of the current [`app::Mode`]
//!    (`app/input.rs`), so the same key can be a board command, a form command or text.
//! 2. [`app::App::update`] hands the action to the mode: a board command runs in
//!    `app/board.rs`, a form key in the form, a yes/no answer in the question.
//! 3. A change to the board is an [`app::Op`], run by `App::run`: one short store
//!    transaction that checks the record's version, merges with a teammate's change to
//!    other fields, and appends an activity row. A busy board queues the op; a conflict
//!    opens the conflict mode; undo keeps the typed changes the store reports back.
//! 4. The app reloads what the write changed and the loop redraws: `ui::draw` builds
//!    the frame from the state, with no SQL on the draw path.
//!
//! # How a teammate's change arrives
//!
//! About once a second (`[sharing] poll_ms`) the loop calls `App::tick` (tests send
//! `Action::Tick`, which does the same). It asks the store whether another connection
//! committed (`PRAGMA data_version`); if so it re-reads what the new activity rows name
//! (the counts and cards in view; the small tables too, for anything but items and
//! comments), then the cards now in view and what an open detail shows, keeps
//! selections on the same record ids, and notes the newest activity row ("bob moved
//! 'Fix refunds' to Check"). Presence heartbeats and queued writes are retried on the
//! same tick.
//!
//! # Where to add …
//!
//! - **A command:** one row in a `commands!` table in `keymap/commands.rs` (name,
//!   default keys, help text, flags), then the match arm the compiler asks for in the
//!   mode's handler (`app/board.rs` for the board). Keymap, help, config section and
//!   read-only refusal follow from the row.
//! - **A pane:** a `ui/` file that draws it from `&App`, its rectangle in
//!   `app/layout.rs` (pure functions of sizes and counts, shared with mouse clicks), a
//!   [`app::Pane`] variant, and its fields in `app/detail.rs` for the detail view.
//! - **A record field:** the `model` struct, its column in `store/record.rs` (the
//!   `Record` impl's `COLUMNS`, `from_row`, `values`), a migration, the form field
//!   (`app/form.rs`, a [`app::FieldId`]), and the exchange document
//!   (`exchange/document.rs`).
//! - **A migration:** a new SQL file in `assets/migrations/`, appended to the list in
//!   `store/open.rs` (never edit a released one), `LATEST_SCHEMA` raised, and the
//!   schema a board is checked against written anew
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
