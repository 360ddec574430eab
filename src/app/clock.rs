//! The wall's clock: now, today and the zone times are shown in. Tests pin it, so
//! ages and countdowns do not depend on the day they run.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;

pub struct Clock {
    now: Timestamp,
    today: Date,
    tz: TimeZone,
}

impl Clock {
    /// The system's time and zone.
    pub(super) fn system() -> Clock {
        let mut clock = Clock {
            now: Timestamp::UNIX_EPOCH,
            today: Date::default(),
            tz: TimeZone::system(),
        };
        clock.set(crate::store::now());
        clock
    }

    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// The day it is in the clock's zone.
    pub fn today(&self) -> Date {
        self.today
    }

    pub fn tz(&self) -> &TimeZone {
        &self.tz
    }

    pub(super) fn set(&mut self, now: Timestamp) {
        self.now = now;
        self.today = now.to_zoned(self.tz.clone()).date();
    }

    pub(super) fn set_zone(&mut self, tz: TimeZone) {
        self.tz = tz;
        self.set(self.now);
    }
}
