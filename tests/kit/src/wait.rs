//! Deadlines for the tests that wait on other processes, and the one knob that
//! stretches them on a slow machine.
//!
//! Every deadline goes through [`Deadline::after`] (or [`scaled`]), which multiplies it
//! by `OBEYA_TEST_TIME_SCALE` (a float, default 1.0): `OBEYA_TEST_TIME_SCALE=3 cargo test`
//! gives every wait three times as long. A deadline only bounds how long a test is
//! willing to wait for something that should happen; it never makes a test sleep, so a
//! fast machine is not slowed down by a large scale.

use std::fmt::Display;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// The environment variable that scales every deadline.
pub const SCALE_VAR: &str = "OBEYA_TEST_TIME_SCALE";

/// How often a wait looks again. Not a deadline: a poll interval only decides how soon
/// after the condition holds the test notices it.
pub const POLL: Duration = Duration::from_millis(20);

/// The factor from `OBEYA_TEST_TIME_SCALE`; 1.0 when it is not set.
pub fn scale() -> f64 {
    static SCALE: OnceLock<f64> = OnceLock::new();
    *SCALE.get_or_init(|| match std::env::var(SCALE_VAR) {
        Err(_) => 1.0,
        Ok(s) if s.trim().is_empty() => 1.0,
        Ok(s) => match s.trim().parse::<f64>() {
            Ok(f) if f.is_finite() && f > 0.0 => f,
            _ => panic!("{SCALE_VAR}={s:?}: expected a positive number such as 2 or 1.5"),
        },
    })
}

/// `d` stretched by the time scale.
pub fn scaled(d: Duration) -> Duration {
    d.mul_f64(scale())
}

/// A moment by which something must have happened: a limit (already scaled) counted
/// from when the deadline was made. Copy it to hold several waits to one deadline.
#[derive(Clone, Copy, Debug)]
pub struct Deadline {
    start: Instant,
    limit: Duration,
}

impl Deadline {
    /// `limit`, scaled, from now.
    pub fn after(limit: Duration) -> Deadline {
        Deadline {
            start: Instant::now(),
            limit: scaled(limit),
        }
    }

    /// The scaled limit.
    pub fn limit(&self) -> Duration {
        self.limit
    }

    pub fn elapsed(&self) -> Duration {
        self.start.elapsed()
    }

    pub fn remaining(&self) -> Duration {
        self.limit.saturating_sub(self.start.elapsed())
    }

    pub fn passed(&self) -> bool {
        self.start.elapsed() >= self.limit
    }
}

/// A plain duration is a deadline that many (scaled) from now.
impl From<Duration> for Deadline {
    fn from(limit: Duration) -> Deadline {
        Deadline::after(limit)
    }
}

/// Poll `probe` until it returns `Ok`, and return that value. `Err` carries what was
/// seen instead; when the deadline passes, the test fails with `what` and the last one.
#[track_caller]
pub fn until<T>(
    what: impl Display,
    deadline: impl Into<Deadline>,
    mut probe: impl FnMut() -> Result<T, String>,
) -> T {
    let deadline = deadline.into();
    loop {
        // Look once more after the deadline has passed, so a slow probe still counts.
        let passed = deadline.passed();
        match probe() {
            Ok(v) => return v,
            Err(seen) if passed => panic!(
                "timed out after {:?} ({SCALE_VAR}={}) waiting for {what}; last seen:\n{seen}",
                deadline.limit(),
                scale()
            ),
            Err(_) => {
                std::thread::sleep(POLL.min(deadline.remaining().max(Duration::from_millis(1))))
            }
        }
    }
}
