//! The `obeya` binary: parse the command line, then run a subcommand or open the wall.

use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = obeya::cli::parse();
    if let Some(result) =
        obeya::cli::run_before_context(&cli, &mut QuietWhenGone::new(io::stdout().lock()))
    {
        return match result {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => fail(&e.0),
        };
    }
    let ctx = match obeya::context::Context::new(
        cli.db.as_deref(),
        cli.config.as_deref(),
        cli.user.as_deref(),
    ) {
        Ok(c) => c,
        Err(e) => return fail(&e.0),
    };
    let result = match &cli.command {
        Some(cmd) => obeya::cli::run(cmd, &ctx, &mut QuietWhenGone::new(io::stdout().lock())),
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

/// Standard output that goes quiet once its reader has gone (`obeya export | head`):
/// the rest is dropped, the command still finishes (a write it made is kept), and no
/// "Broken pipe" error follows.
struct QuietWhenGone<W> {
    inner: W,
    gone: bool,
}

impl<W: Write> QuietWhenGone<W> {
    fn new(inner: W) -> Self {
        QuietWhenGone { inner, gone: false }
    }

    fn unless_gone<T>(&mut self, done: T, r: io::Result<T>) -> io::Result<T> {
        match r {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                self.gone = true;
                Ok(done)
            }
            r => r,
        }
    }
}

impl<W: Write> Write for QuietWhenGone<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.gone {
            return Ok(buf.len());
        }
        let r = self.inner.write(buf);
        self.unless_gone(buf.len(), r)
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.gone {
            return Ok(());
        }
        let r = self.inner.flush();
        self.unless_gone((), r)
    }
}
