//! Who else has the board open: one heartbeat row per running instance.

use super::cells::ts_to_sql;
use super::{Store, StoreError, now};

/// A heartbeat older than this is from an instance that died without saying goodbye.
pub const STALE_AFTER_SECONDS: i64 = 120;

impl Store {
    /// Say "still here". Not an activity: nobody needs a note for it. Quietly skipped
    /// on a read-only board or when the board is busy (the next beat will do).
    pub fn heartbeat(&mut self, instance: &str) -> Result<(), StoreError> {
        if self.read_only().is_some() {
            return Ok(());
        }
        let t = ts_to_sql(now());
        let res = self.conn.execute(
            "INSERT INTO presence (instance, user, host, pid, started_at, seen_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)
             ON CONFLICT (instance) DO UPDATE SET seen_at = excluded.seen_at, user = excluded.user",
            rusqlite::params![instance, self.user, hostname(), std::process::id(), t],
        );
        match res {
            Ok(_) => Ok(()),
            Err(e) if super::error::is_busy(&e) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// Remove our heartbeat on the way out.
    pub fn leave(&mut self, instance: &str) {
        if self.read_only().is_none() {
            let _ = self
                .conn
                .execute("DELETE FROM presence WHERE instance = ?1", [instance]);
        }
    }

    /// Names of the others who have the board open now (fresh heartbeats only), sorted.
    pub fn others_here(&self, instance: &str) -> Result<Vec<String>, StoreError> {
        let cutoff = ts_to_sql(
            jiff::Timestamp::from_second(now().as_second() - STALE_AFTER_SECONDS).unwrap_or(now()),
        );
        let mut stmt = self.conn.prepare_cached(
            "SELECT DISTINCT user FROM presence WHERE instance <> ?1 AND seen_at >= ?2 ORDER BY user",
        )?;
        let names = stmt
            .query_map([instance, cutoff.as_str()], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        Ok(names)
    }
}

fn hostname() -> String {
    whoami::hostname().unwrap_or_default()
}
