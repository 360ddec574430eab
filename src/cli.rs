//! Command-line definitions and the headless subcommands.
