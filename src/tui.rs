//! Terminal set-up, the event loop and restoring the terminal.
//!
//! The board file is opened (and any refusal reported) before the terminal switches to
//! the alternate screen. The terminal is restored on every way out: normal quit, error
//! (a guard's Drop) and panic (a hook). Redraws happen only after input, a resize or a
//! teammate's change; between them the loop sleeps in `event::poll`.
//!
//! Typed work is never lost on the way out. A signal (TERM, HUP, INT) saves the form
//! being typed in as Ctrl-s would (or, if it cannot be saved, prints it in full to
//! stderr); changes queued behind a teammate's lock get a last try, and those still
//! unsaved are printed in full. The process ends within two seconds of the signal: the
//! loop ends within a quarter of a second, tries the form and the queue until
//! `FLUSH_WITHIN` after the signal, and prints. Should the loop not get there in time
//! (after a hang-up crossterm can spin inside its read), the signal thread prints what
//! the loop last noted (`Leaving`) at `FORCED_EXIT_AFTER` and ends the process. After a
//! hang-up there is no terminal to restore, and nothing waits on one.

use std::io::{BufWriter, IsTerminal, Stdout, Write, stdout};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
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
    let (mut store, created) = open_or_create(ctx)?;
    store.set_patience(Patience::INTERACTIVE);
    let journal_note = store.apply_journal_setting(ctx.config.sharing.wal)?;
    let mut app = App::new(store, &ctx.config, &ctx.user)?;
    if created {
        // The first run: say where the board is while the wall shows it, too.
        app.say(
            crate::app::NoteKind::Info,
            format!(
                "created your board at {}",
                crate::format::escape_path(&ctx.db)
            ),
        );
    }
    if let Some(note) = journal_note {
        app.say(crate::app::NoteKind::Warn, note);
    }
    install_panic_hook();
    // SIGTERM / SIGHUP / SIGINT end the loop like `q`, so the terminal is restored and
    // the form and queued changes are saved, or printed.
    let leaving = Arc::new(Leaving::default());
    watch_signals(Arc::clone(&leaving))?;
    let guard = TerminalGuard::enter()?;
    let result = event_loop(&mut app, ctx, &leaving);
    let signalled = leaving.signalled_at();
    let until = match (signalled, &result) {
        (Some(at), _) => at + FLUSH_WITHIN,
        // The terminal failed (a hang-up's signal may be on its way): be as quick.
        (None, Err(_)) => Instant::now() + FLUSH_WITHIN,
        // `q`: the user was asked, and may wait a little for the lock.
        (None, Ok(())) => Instant::now() + Patience::SCRIPT.0,
    };
    // A signal or a lost terminal: what the form holds is saved as Ctrl-s would.
    let form = if signalled.is_some() || result.is_err() {
        app.save_form_on_leaving()
    } else {
        None
    };
    // While the queue gets its last try, the signal thread waits for it (up to the
    // forced exit): what it would print must be what is really unsaved.
    let flushing = leaving.flushing.lock().unwrap_or_else(|e| e.into_inner());
    let unsaved: Vec<(String, String)> = app
        .flush_pending_until(until)
        .into_iter()
        .map(|u| (u.op.describe(), u.why.to_string()))
        .collect();
    leaving.note(unsaved.clone(), form.clone());
    if leaving.hung_up() {
        // No terminal to give back: writing to it could only fail.
        std::mem::forget(guard);
    } else {
        drop(guard);
    }
    print_unsaved(&unsaved);
    if let Some(form) = &form {
        print_form(form);
    }
    leaving.reported.store(true, Ordering::Relaxed);
    drop(flushing);
    app.leave();
    if !unsaved.is_empty() {
        return Err(Failure(last_line(&unsaved).into()));
    }
    if form.is_some() {
        return Err(Failure(FORM_UNSAVED.into()));
    }
    match result {
        // A hang-up: the terminal failing is how it ended, not a failure to report.
        Err(_) if leaving.hung_up() => Ok(()),
        other => other,
    }
}

/// The last line under unsaved changes: the lock, when it was the lock for them all.
fn last_line(unsaved: &[(String, String)]) -> &'static str {
    if unsaved.iter().all(|(_, why)| why.starts_with("board busy")) {
        UNSAVED
    } else {
        NOT_SAVED
    }
}

/// The last line when changes could not be saved for a teammate's lock.
const UNSAVED: &str = "board busy: the changes above were not saved";
/// The last line when changes could not be saved, some for another reason.
const NOT_SAVED: &str = "the changes above were not saved (each with why)";
/// The last line when the form could not be saved.
const FORM_UNSAVED: &str = "the form above was not saved";
/// After a signal, the form and queued changes are tried until this long after it.
const FLUSH_WITHIN: Duration = Duration::from_millis(1000);
/// After a signal, the process ends by this time whatever the loop is doing (the README
/// says "within two seconds": printing takes a moment).
const FORCED_EXIT_AFTER: Duration = Duration::from_millis(1800);
/// The loop looks at least this often whether a signal arrived (its wait for an event
/// is not interrupted by one).
const SIGNAL_CHECK_EVERY: Duration = Duration::from_millis(250);
/// Room for a whole frame of escape sequences (a full 120×40 wall is about 10 KiB).
const FRAME_BUFFER: usize = 64 * 1024;

type Screen = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// What the loop shares with the signal thread on the way out.
#[derive(Default)]
struct Leaving {
    stop: AtomicBool,
    /// The signal was SIGHUP: the terminal is gone.
    hung_up: AtomicBool,
    signalled: Mutex<Option<Instant>>,
    /// The queued changes and the form being typed in, as they would be printed.
    noted: Mutex<Unsaved>,
    /// Held by the loop while it gives the form and the queue their last try and
    /// prints what is left.
    flushing: Mutex<()>,
    /// The loop printed what was unsaved.
    reported: AtomicBool,
}

/// The queued changes (each with why it was not saved) and the form being typed in, as
/// they would be printed.
#[derive(Default, Clone)]
struct Unsaved {
    lines: Vec<(String, String)>,
    form: Option<String>,
}

/// Why a change still in the queue was not saved.
const WAITING: &str = "board busy: a teammate held the board's lock";

impl Leaving {
    fn stopping(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    fn hung_up(&self) -> bool {
        self.hung_up.load(Ordering::Relaxed)
    }

    fn signalled_at(&self) -> Option<Instant> {
        *self.signalled.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn noted(&self) -> MutexGuard<'_, Unsaved> {
        self.noted.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn note(&self, lines: Vec<(String, String)>, form: Option<String>) {
        *self.noted() = Unsaved { lines, form };
    }

    /// Keep the printable copy of the queue and the form up to date (cheap while both
    /// are empty).
    fn note_queue(&self, app: &App) {
        let form = app.form().filter(|f| f.is_dirty());
        {
            let q = self.noted();
            if !app.sharing().has_pending()
                && q.lines.is_empty()
                && form.is_none()
                && q.form.is_none()
            {
                return;
            }
        }
        self.note(
            app.sharing()
                .pending()
                .map(|op| (op.describe(), WAITING.to_owned()))
                .collect(),
            form.map(|f| f.describe()),
        );
    }
}

/// Every unsaved change in full, so it can be entered again, and why it was not saved.
/// Text from the board or typed by the user shows control characters escaped.
fn print_unsaved(changes: &[(String, String)]) {
    if changes.is_empty() {
        return;
    }
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

/// A form that could not be saved, in full, so it can be entered again. Text from the
/// board or typed by the user shows control characters escaped.
fn print_form(text: &str) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "obeya: the form you were typing in could not be saved; here it is in full, to enter again:"
    );
    let text = crate::format::escape_controls_keep_newlines(text);
    let _ = writeln!(err, "  {}", text.replace('\n', "\n  "));
    let _ = err.flush();
}

/// The first run makes the default board from the starter; a board path the user
/// named is only created after asking, so a typo never leaves a stray board behind.
/// Returns the board, and whether it was just made.
fn open_or_create(ctx: &Context) -> Result<(Store, bool), Failure> {
    match Store::open(&ctx.db, &ctx.user) {
        Err(OpenError::Missing(path)) => {
            if ctx.db_given && !ask_to_create(&path)? {
                return Err(OpenError::Missing(path).into());
            }
            let store = create_board(ctx, Some(&exchange::starter_on(ctx.today())))?;
            if !ctx.db_given {
                eprintln!(
                    "obeya: created your board at {} from the starter example",
                    crate::format::escape_path(&path)
                );
            }
            Ok((store, true))
        }
        other => Ok((other?, false)),
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
    let result = run_loop(&mut terminal, app, ctx, leaving);
    if result.is_err() {
        // The terminal failed (hung up): dropped, it would try to show the cursor on
        // it, and say so on stderr.
        std::mem::forget(terminal);
    }
    result
}

fn run_loop(
    terminal: &mut Screen,
    app: &mut App,
    ctx: &Context,
    leaving: &Leaving,
) -> Result<(), Failure> {
    let size = terminal.size()?;
    app.update(Action::Resize {
        width: size.width,
        height: size.height,
    });
    let poll_every = app.poll_every(&ctx.config);
    let (events, wake) = read_events();
    // A change beside the board wakes the loop at once, as a key does (the poll stays);
    // one wake waits at a time, however many changes a save makes.
    let board_waking = Arc::new(AtomicBool::new(false));
    let waking = Arc::clone(&board_waking);
    let mut watch = crate::watch::Watch::board(&app.sharing().file().path, move || {
        if !waking.swap(true, Ordering::Relaxed) {
            let _ = wake.send(Wake::Board);
        }
    });
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
            panic_for_tests();
        }
        if quit || leaving.stopping() {
            return Ok(());
        }
        let wait = next_tick
            .saturating_duration_since(Instant::now())
            .min(SIGNAL_CHECK_EVERY);
        // Work that waits for the frame (a filter's counts) is done while no key waits;
        // a key typed meanwhile waits for one piece of it at most.
        let next = if app.has_work() {
            match events.try_recv() {
                Ok(event) => Ok(event),
                Err(TryRecvError::Empty) => {
                    dirty |= app.work();
                    continue;
                }
                Err(TryRecvError::Disconnected) => Err(RecvTimeoutError::Disconnected),
            }
        } else {
            events.recv_timeout(wait)
        };
        let mut next = match next {
            Ok(wake) => Some(wake),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => {
                return Err(Failure("the terminal can no longer be read".into()));
            }
        };
        // Take everything already queued (a paste, key repeat) before drawing again; a
        // change beside the board brings the next tick forward.
        while let Some(wake) = next.take() {
            match wake {
                Wake::Board => {
                    board_waking.store(false, Ordering::Relaxed);
                    next_tick = Instant::now();
                }
                Wake::Input(event) => {
                    if let Some(action) = app.action_for(event?) {
                        dirty = true;
                        match app.update(action) {
                            Effect::Continue => {}
                            Effect::Quit => quit = true,
                            Effect::Suspend => suspend(terminal)?,
                        }
                    }
                }
            }
            if !quit && !leaving.stopping() {
                next = events.try_recv().ok();
            }
        }
        if Instant::now() >= next_tick {
            if let Some(w) = watch.as_mut() {
                w.watch_presence();
            }
            dirty |= app.tick();
            next_tick = Instant::now() + poll_every;
        }
    }
}

/// The terminal's events, read on a thread of their own: once the terminal is hung up,
/// crossterm's read (and its poll) spin on it and never return, and the loop must still
/// see the signal, save the form and leave. So the loop waits on this channel, never on
/// the terminal. The thread ends after the first error it passes on.
/// What wakes the loop: the terminal's next event, or a change beside the board.
enum Wake {
    Input(std::io::Result<Event>),
    Board,
}

fn read_events() -> (Receiver<Wake>, Sender<Wake>) {
    // Set up crossterm's event source, and with it its SIGWINCH handler, before the
    // first frame: a resize right after it would be lost while the thread starts.
    let _ = event::poll(Duration::ZERO);
    let (tx, rx) = std::sync::mpsc::channel();
    let wake = tx.clone();
    std::thread::spawn(move || {
        loop {
            let event = event::read();
            let failed = event.is_err();
            if tx.send(Wake::Input(event)).is_err() || failed {
                return;
            }
        }
    });
    (rx, wake)
}

/// SIGTERM / SIGHUP / SIGINT set `stop`, which the loop checks between events. After a
/// hang-up crossterm can spin inside its read, never returning to the loop; if the
/// process has not ended `FORCED_EXIT_AFTER` the signal, restore what we can (not after
/// a hang-up), print what the loop last noted as unsaved (unless it printed it), and
/// leave. The loop holds the queue while it gives it a last try; this thread waits for
/// that only until the forced exit.
fn watch_signals(leaving: Arc<Leaving>) -> Result<(), Failure> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT])?;
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let at = Instant::now();
            leaving.hung_up.store(signal == SIGHUP, Ordering::Relaxed);
            *leaving.signalled.lock().unwrap_or_else(|e| e.into_inner()) = Some(at);
            leaving.stop.store(true, Ordering::Relaxed);
            // Not a wait for something to happen: the time the loop is given.
            std::thread::sleep(FORCED_EXIT_AFTER.saturating_sub(at.elapsed()));
            // The loop may be printing: a last moment for it, no more.
            let _flushed = loop {
                match leaving.flushing.try_lock() {
                    Ok(done) => break Some(done),
                    Err(std::sync::TryLockError::Poisoned(e)) => break Some(e.into_inner()),
                    Err(_) if at.elapsed() < FORCED_EXIT_AFTER + FORCED_GRACE => {
                        std::thread::sleep(Duration::from_millis(10));
                    }
                    Err(_) => break None,
                }
            };
            if signal != SIGHUP {
                restore_terminal();
            }
            if !leaving.reported.load(Ordering::Relaxed) {
                let q = leaving.noted().clone();
                print_unsaved(&q.lines);
                if let Some(form) = &q.form {
                    print_form(form);
                }
                if !q.lines.is_empty() {
                    eprintln!("obeya: {}", last_line(&q.lines));
                } else if q.form.is_some() {
                    eprintln!("obeya: {FORM_UNSAVED}");
                }
            }
            std::process::exit(1);
        }
    });
    Ok(())
}

/// How long past the forced exit the signal thread lets the loop finish printing.
const FORCED_GRACE: Duration = Duration::from_millis(100);

/// Ctrl-z: give the terminal back, stop, and take it again on `fg`.
fn suspend(terminal: &mut Screen) -> Result<(), Failure> {
    restore_terminal();
    // The default SIGTSTP action stops the process until `fg`.
    signal_hook::low_level::raise(signal_hook::consts::SIGTSTP)?;
    setup_terminal()?;
    // The whole wall is drawn again: a blank frame first, over everything the last
    // one drew. (ratatui's `clear` would ask the terminal where its cursor is, and the
    // answer would go to the thread reading the terminal's events.)
    terminal.draw(|f| f.render_widget(ratatui::widgets::Clear, f.area()))?;
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

/// Whether the terminal is set up for the wall: restoring it twice (the panic hook, then
/// the guard's drop as the panic unwinds) would leave the alternate screen twice, and the
/// second time puts the cursor back above the panic's message, for the shell to write
/// over it.
static SET_UP: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn setup_terminal() -> std::io::Result<()> {
    SET_UP.store(true, std::sync::atomic::Ordering::SeqCst);
    enable_raw_mode()?;
    execute!(
        stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste,
        cursor::Hide
    )
}

/// Best effort: every step runs even if an earlier one fails. Once per setup.
pub fn restore_terminal() {
    if !SET_UP.swap(false, std::sync::atomic::Ordering::SeqCst) {
        return;
    }
    let _ = execute!(
        stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        cursor::Show
    );
    let _ = disable_raw_mode();
}

/// Debug builds only, for the tests: `OBEYA_TEST_PANIC` set makes the wall panic once it
/// has drawn, so that a test can see the panic hook give the terminal back. A release
/// build has no such switch.
fn panic_for_tests() {
    #[cfg(debug_assertions)]
    if std::env::var_os("OBEYA_TEST_PANIC").is_some() {
        panic!("a panic on purpose (OBEYA_TEST_PANIC is set)");
    }
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore_terminal();
        previous(info);
    }));
}
