//! The `obeya` binary: parse the command line, then run a subcommand or open the wall.

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = obeya::cli::parse();
    let ctx = match obeya::context::Context::new(
        cli.db.as_deref(),
        cli.config.as_deref(),
        cli.user.as_deref(),
    ) {
        Ok(c) => c,
        Err(e) => return fail(&e.0),
    };
    let result = match &cli.command {
        Some(cmd) => obeya::cli::run(cmd, &ctx, &mut std::io::stdout().lock()),
        None => obeya::tui::run(&ctx),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e.0),
    }
}

/// The one place an error reaches the terminal: whatever it quotes (a name from the
/// board, a file name, a line of a document), no control character gets through raw.
fn fail(msg: &str) -> ExitCode {
    eprintln!(
        "obeya: {}",
        obeya::format::escape_controls_keep_newlines(msg)
    );
    ExitCode::FAILURE
}
