//! Where the engine reads the time for its rules (quiet hours, due retries, expiry, releasing held batches).
//! In service it is the system clock; a test sets the hour instead of waiting for it.

use std::sync::Mutex;

use chrono::{DateTime, Utc};

/// The engine's time source.
pub trait Clock: Send + Sync + std::fmt::Debug + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The system clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The system clock moved to a chosen moment, running on from there: the rules see the chosen hour while rate
/// limits, timeouts and heartbeats still see real seconds pass.
#[derive(Debug, Default)]
pub struct ShiftedClock {
    offset: Mutex<chrono::Duration>,
}

impl ShiftedClock {
    /// A clock that reads `at` now.
    pub fn at(at: DateTime<Utc>) -> Self {
        let clock = Self::default();
        clock.set(at);
        clock
    }

    /// From now on the clock reads `at`, and runs on from there.
    pub fn set(&self, at: DateTime<Utc>) {
        *self.offset.lock().unwrap_or_else(|p| p.into_inner()) = at - Utc::now();
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + *self.offset.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_clock_reads_the_set_moment_and_runs_on() {
        let at = DateTime::parse_from_rfc3339("2030-01-01T20:00:00Z").unwrap().with_timezone(&Utc);
        let clock = ShiftedClock::at(at);
        let read = clock.now();
        assert!(read >= at && read - at < chrono::Duration::seconds(5), "{read}");
        let later = at + chrono::Duration::hours(10);
        clock.set(later);
        assert!(clock.now() >= later && clock.now() - later < chrono::Duration::seconds(5));
    }
}
