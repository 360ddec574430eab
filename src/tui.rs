//! Terminal set-up, the event loop and restoring the terminal.
//!
//! The board file is opened (and any refusal reported) before the terminal switches to
//! the alternate screen. The terminal is restored on every way out: normal quit, error
//! (a guard's Drop) and panic (a hook). Redraws happen only after input, a resize or a
//! teammate's change; between them the loop sleeps in `event::poll`.

use std::io::{IsTerminal, Write, stdout};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

use crate::app::App;
use crate::context::{Context, Failure, create_board};
use crate::exchange;
use crate::store::{OpenError, Patience, Store};

pub fn run(ctx: &Context) -> Result<(), Failure> {
    let mut store = open_or_create(ctx)?;
    store.set_patience(Patience::INTERACTIVE);
    let journal_note = store.apply_journal_setting(ctx.config.sharing.wal)?;
    let mut app = App::new(store, &ctx.config, &ctx.user)?;
    if let Some(note) = journal_note {
        app.say(crate::app::NoteKind::Warn, note);
    }
    // The damage check ran on another core while the board loaded; a damaged file is
    // still refused before the terminal switches screens.
    app.verified()?;
    install_panic_hook();
    // SIGTERM / SIGHUP / SIGINT end the loop like `q`, so the terminal is restored and
    // queued changes are saved.
    let stop = Arc::new(AtomicBool::new(false));
    watch_signals(Arc::clone(&stop))?;
    let guard = TerminalGuard::enter()?;
    let result = event_loop(&mut app, ctx, &stop);
    let unsaved = app.flush_pending();
    app.leave();
    drop(guard);
    if !unsaved.is_empty() {
        // Never lose what was typed: show it, so it can be entered again.
        eprintln!(
            "obeya: {} change(s) could not be saved (the board stayed busy):",
            unsaved.len()
        );
        for op in &unsaved {
            eprintln!("  {}", op.describe());
        }
        return Err(Failure(
            "board busy: the changes above were not saved".into(),
        ));
    }
    result
}

/// The first run makes the default board from the starter; a board path the user
/// named is only created after asking, so a typo never leaves a stray board behind.
fn open_or_create(ctx: &Context) -> Result<Store, Failure> {
    match Store::open_checking_aside(&ctx.db, &ctx.user) {
        Err(OpenError::Missing(path)) => {
            if ctx.db_given && !ask_to_create(&path)? {
                return Err(OpenError::Missing(path).into());
            }
            let store = create_board(ctx, Some(&exchange::starter()))?;
            if !ctx.db_given {
                eprintln!(
                    "obeya: created your board at {} from the starter example",
                    crate::format::escape_path(&path)
                );
            }
            Ok(store)
        }
        other => Ok(other?),
    }
}

fn ask_to_create(path: &std::path::Path) -> Result<bool, Failure> {
    if !std::io::stdin().is_terminal() {
        return Ok(false);
    }
    eprint!(
        "No board at {}. Create one there from the starter example? [y/N] ",
        crate::format::escape_path(path)
    );
    std::io::stderr().flush()?;
    let mut answer = String::new();
    std::io::stdin().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes"))
}

fn event_loop(app: &mut App, ctx: &Context, stop: &AtomicBool) -> Result<(), Failure> {
    let mut terminal = Terminal::new(CrosstermBackend::new(stdout()))?;
    let size = terminal.size()?;
    app.size = (size.width, size.height);
    let poll_every = app.poll_every(&ctx.config);
    // The first frame comes first; the first tick (presence heartbeat, a write) right after.
    let mut next_tick = Instant::now();
    let mut dirty = true;
    loop {
        if dirty {
            terminal.draw(|f| crate::ui::draw(f, app))?;
            dirty = false;
        }
        if app.quit || stop.load(Ordering::Relaxed) {
            return Ok(());
        }
        let wait = next_tick.saturating_duration_since(Instant::now());
        let ready = match event::poll(wait) {
            Ok(ready) => ready,
            // A signal (see `stop`) interrupted the wait: go round and look.
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => false,
            Err(e) => return Err(e.into()),
        };
        if ready {
            // Take everything already queued (a paste, key repeat) before drawing again.
            loop {
                if let Some(action) = app.action_for(event::read()?) {
                    app.update(action);
                    dirty = true;
                }
                if app.suspend {
                    suspend(&mut terminal)?;
                    app.suspend = false;
                    dirty = true;
                }
                if app.quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        if Instant::now() >= next_tick {
            dirty |= app.tick();
            next_tick = Instant::now() + poll_every;
        }
    }
}

/// SIGTERM / SIGHUP / SIGINT set `stop`, which the loop checks between events. After a
/// hang-up crossterm can spin inside its read, never returning to the loop; if the loop
/// has not ended two seconds after the signal, restore what we can and leave.
fn watch_signals(stop: Arc<AtomicBool>) -> Result<(), Failure> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            stop.store(true, Ordering::Relaxed);
            std::thread::sleep(Duration::from_secs(2));
            restore_terminal();
            std::process::exit(1);
        }
    });
    Ok(())
}

/// Ctrl-z: give the terminal back, stop, and take it again on `fg`.
fn suspend(terminal: &mut Terminal<CrosstermBackend<std::io::Stdout>>) -> Result<(), Failure> {
    restore_terminal();
    // The default SIGTSTP action stops the process until `fg`.
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    setup_terminal()?;
    terminal.clear()?;
    Ok(())
}

struct TerminalGuard;

impl TerminalGuard {
    fn enter() -> Result<TerminalGuard, Failure> {
        setup_terminal()?;
        Ok(TerminalGuard)
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore_terminal();
    }
}

fn setup_terminal() -> std::io::Result<()> {
    enable_raw_mode()?;
    execute!(
        stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        cursor::Hide
    )
}

/// Best effort: every step runs even if an earlier one fails.
pub fn restore_terminal() {
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
}
