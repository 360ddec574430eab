//! Terminal set-up, the event loop and restoring the terminal.
//!
//! The board file is opened (and any refusal reported) before the terminal switches to
//! the alternate screen. The terminal is restored on every way out: normal quit, error
//! (a guard's Drop) and panic (a hook). Redraws happen only after input, a resize or a
//! teammate's change; between them the loop sleeps in `event::poll`.
//!
//! Typed work is never lost on the way out. Changes queued behind a teammate's lock get
//! a last try; those still unsaved are printed to stderr in full. A signal (TERM, HUP,
//! INT) allows about two seconds for that: the loop ends within a quarter of a second,
//! tries the queue until `FLUSH_WITHIN` after the signal, and prints. Should the loop
//! never get there (after a hang-up crossterm can spin inside its read), the signal
//! thread prints the queue itself at `FORCED_EXIT_AFTER`, from a printable copy the loop
//! keeps up to date (`Leaving`), and ends the process.

use std::io::{BufWriter, IsTerminal, Stdout, Write, stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
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

use crate::app::{Action, App, Effect};
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
    install_panic_hook();
    // SIGTERM / SIGHUP / SIGINT end the loop like `q`, so the terminal is restored and
    // queued changes are saved, or printed.
    let leaving = Arc::new(Leaving::default());
    watch_signals(Arc::clone(&leaving))?;
    let guard = TerminalGuard::enter()?;
    let result = event_loop(&mut app, ctx, &leaving);
    // While the queue gets its last try, the signal thread waits for it (the lock):
    // what it would print must be what is really unsaved.
    let mut queue = leaving.queue();
    let until = match (leaving.signalled_at(), &result) {
        (Some(at), _) => at + FLUSH_WITHIN,
        // The terminal failed (a hang-up's signal may be on its way): be as quick.
        (None, Err(_)) => Instant::now() + FLUSH_WITHIN,
        // `q`: the user was asked, and may wait a little for the lock.
        (None, Ok(())) => Instant::now() + Patience::SCRIPT.0,
    };
    let unsaved: Vec<(String, String)> = app
        .flush_pending_until(until)
        .into_iter()
        .map(|u| (u.op.describe(), u.why.to_string()))
        .collect();
    drop(guard);
    if !unsaved.is_empty() {
        print_unsaved(&unsaved);
    }
    queue.reported = true;
    drop(queue);
    app.leave();
    if !unsaved.is_empty() {
        let all_busy = unsaved.iter().all(|(_, why)| why.starts_with("board busy"));
        return Err(Failure(if all_busy { UNSAVED } else { NOT_SAVED }.into()));
    }
    result
}

/// The last line when changes could not be saved for a teammate's lock.
const UNSAVED: &str = "board busy: the changes above were not saved";
/// The last line when changes could not be saved, some for another reason.
const NOT_SAVED: &str = "the changes above were not saved (each with why)";
/// After a signal, queued changes are tried until this long after it.
const FLUSH_WITHIN: Duration = Duration::from_millis(1200);
/// After a signal, the process ends by this time whatever the loop is doing.
const FORCED_EXIT_AFTER: Duration = Duration::from_millis(2000);
/// The loop looks at least this often whether a signal arrived (crossterm's wait is
/// not interrupted by one).
const SIGNAL_CHECK_EVERY: Duration = Duration::from_millis(250);
/// With file-change notifications, the loop looks at them at least this often
/// (crossterm's wait for a key cannot be woken by them): a teammate's change on this
/// machine shows well within 100 ms.
const WATCH_SLICE: Duration = Duration::from_millis(30);
/// Room for a whole frame of escape sequences (a full 120×40 wall is about 10 KiB).
const FRAME_BUFFER: usize = 64 * 1024;

type Screen = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// What the loop shares with the signal thread on the way out.
#[derive(Default)]
struct Leaving {
    stop: AtomicBool,
    signalled: Mutex<Option<Instant>>,
    queue: Mutex<Unsaved>,
}

/// The queued changes as they would be printed (each with why), and whether they were.
#[derive(Default)]
struct Unsaved {
    lines: Vec<(String, String)>,
    reported: bool,
}

/// Why a change still in the queue was not saved.
const WAITING: &str = "board busy: a teammate held the board's lock";

impl Leaving {
    fn stopping(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    fn signalled_at(&self) -> Option<Instant> {
        *self.signalled.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn queue(&self) -> MutexGuard<'_, Unsaved> {
        self.queue.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Keep the printable copy of the queue up to date (cheap while it is empty).
    fn note_queue(&self, app: &App) {
        let mut q = self.queue();
        if !app.sharing().has_pending() && q.lines.is_empty() {
            return;
        }
        q.lines = app
            .sharing()
            .pending()
            .map(|op| (op.describe(), WAITING.to_owned()))
            .collect();
    }
}

/// Every unsaved change in full, so it can be entered again, and why it was not saved.
/// Text from the board or typed by the user shows control characters escaped.
fn print_unsaved(changes: &[(String, String)]) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "obeya: {} change(s) were not saved; here they are in full, to enter again:",
        changes.len()
    );
    for (n, (change, why)) in changes.iter().enumerate() {
        let text = crate::format::escape_controls_keep_newlines(change);
        let _ = writeln!(err, "  {}. {}", n + 1, text.replace('\n', "\n     "));
        let _ = writeln!(
            err,
            "     not saved: {}",
            crate::format::escape_controls(why)
        );
    }
    let _ = err.flush();
}

/// The first run makes the default board from the starter; a board path the user
/// named is only created after asking, so a typo never leaves a stray board behind.
fn open_or_create(ctx: &Context) -> Result<Store, Failure> {
    match Store::open(&ctx.db, &ctx.user) {
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

fn event_loop(app: &mut App, ctx: &Context, leaving: &Leaving) -> Result<(), Failure> {
    // One write per frame: `Stdout` alone writes every 1 KiB, so a frame that redraws
    // every card would reach the terminal in pieces.
    let mut terminal = Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(
        FRAME_BUFFER,
        stdout(),
    )))?;
    let size = terminal.size()?;
    app.update(Action::Resize {
        width: size.width,
        height: size.height,
    });
    let poll_every = app.poll_every(&ctx.config);
    // Changes beside the board wake the loop within `WATCH_SLICE` (the poll stays).
    let mut watch = crate::watch::Watch::board(&app.sharing().file().path);
    let slice = if watch.is_some() {
        WATCH_SLICE
    } else {
        SIGNAL_CHECK_EVERY
    };
    // The first frame comes first; the first tick (presence heartbeat, a write) right after.
    let mut next_tick = Instant::now();
    let mut dirty = true;
    let mut quit = false;
    loop {
        // Before the frame that shows the queue: whatever it shows, a signal prints.
        leaving.note_queue(app);
        if dirty {
            terminal.draw(|f| crate::ui::draw(f, app))?;
            dirty = false;
        }
        if quit || leaving.stopping() {
            return Ok(());
        }
        let wait = next_tick
            .saturating_duration_since(Instant::now())
            .min(slice);
        let ready = match event::poll(wait) {
            Ok(ready) => ready,
            // A signal interrupted the wait: go round and look.
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => false,
            Err(e) => return Err(e.into()),
        };
        if ready {
            // Take everything already queued (a paste, key repeat) before drawing again.
            loop {
                if let Some(action) = app.action_for(event::read()?) {
                    dirty = true;
                    match app.update(action) {
                        Effect::Continue => {}
                        Effect::Quit => quit = true,
                        Effect::Suspend => suspend(&mut terminal)?,
                    }
                }
                if quit || !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        if watch.as_mut().is_some_and(|w| w.take()) {
            next_tick = Instant::now();
        }
        if Instant::now() >= next_tick {
            dirty |= app.tick();
            next_tick = Instant::now() + poll_every;
        }
    }
}

/// SIGTERM / SIGHUP / SIGINT set `stop`, which the loop checks between events. After a
/// hang-up crossterm can spin inside its read, never returning to the loop; if the
/// process has not ended `FORCED_EXIT_AFTER` the signal, restore what we can, print the
/// queue's unsaved changes (unless the loop did), and leave.
fn watch_signals(leaving: Arc<Leaving>) -> Result<(), Failure> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let at = Instant::now();
            *leaving.signalled.lock().unwrap_or_else(|e| e.into_inner()) = Some(at);
            leaving.stop.store(true, Ordering::Relaxed);
            // Not a wait for something to happen: the time the loop is given.
            std::thread::sleep(FORCED_EXIT_AFTER.saturating_sub(at.elapsed()));
            // Waits while the loop gives the queue its last try (bounded by
            // FLUSH_WITHIN), so what is printed is what is really unsaved.
            let queue = leaving.queue();
            restore_terminal();
            if !queue.reported && !queue.lines.is_empty() {
                print_unsaved(&queue.lines);
                eprintln!("obeya: {UNSAVED}");
            }
            std::process::exit(1);
        }
    });
    Ok(())
}

/// Ctrl-z: give the terminal back, stop, and take it again on `fg`.
fn suspend(terminal: &mut Screen) -> Result<(), Failure> {
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
