//! Rate limits per channel, the emergency gate, quiet hours and retry back-off.

use std::{
    collections::HashMap,
    num::NonZeroU32,
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::Duration,
};

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use rand::Rng;
use tokio::sync::Notify;

use crate::model::{Channel, Priority};

/// Messages per second per channel, and how many may leave at once beyond that pace.
#[derive(Clone, Debug, PartialEq, serde::Deserialize, serde::Serialize)]
pub struct Rates {
    pub email: u32,
    pub push: u32,
    pub sms: u32,
    /// Burst allowance as a share of one second's rate (0.0–1.0); at least one message.
    pub burst_share: f64,
}

impl Default for Rates {
    fn default() -> Self {
        Self { email: 2000, push: 5000, sms: 30, burst_share: 0.05 }
    }
}

impl Rates {
    pub fn of(&self, channel: Channel) -> u32 {
        match channel {
            Channel::Email => self.email,
            Channel::Push => self.push,
            Channel::Sms => self.sms,
        }
    }
}

/// One limiter per channel (each channel has one provider configured). Emergencies hold the others back.
pub struct Limits {
    limiters: HashMap<Channel, DefaultDirectRateLimiter>,
    gate: EmergencyGate,
}

impl Limits {
    pub fn new(rates: &Rates) -> anyhow::Result<Self> {
        let mut limiters = HashMap::new();
        for channel in Channel::ALL {
            let rate = NonZeroU32::new(rates.of(channel))
                .ok_or_else(|| anyhow::anyhow!("delivery.rates.{channel} must be at least 1 per second"))?;
            let burst = ((rate.get() as f64 * rates.burst_share).floor() as u32).max(1);
            let quota = Quota::per_second(rate).allow_burst(NonZeroU32::new(burst).expect("at least one"));
            limiters.insert(channel, RateLimiter::direct(quota));
        }
        Ok(Self { limiters, gate: EmergencyGate::default() })
    }

    /// Waits for this channel's next slot; non-emergency traffic first waits while an emergency is sending.
    pub async fn acquire(&self, channel: Channel, priority: Priority) {
        if priority != Priority::Emergency {
            self.gate.wait_clear().await;
        }
        if let Some(limiter) = self.limiters.get(&channel) {
            limiter.until_ready().await;
        }
    }

    pub fn gate(&self) -> &EmergencyGate {
        &self.gate
    }
}

/// Counts emergency batches in progress in this process.
#[derive(Default, Clone)]
pub struct EmergencyGate {
    active: Arc<AtomicUsize>,
    cleared: Arc<Notify>,
}

impl EmergencyGate {
    /// Held while an emergency batch is being sent.
    pub fn enter(&self) -> GateGuard {
        self.active.fetch_add(1, Ordering::SeqCst);
        GateGuard(self.clone())
    }

    pub fn active(&self) -> bool {
        self.active.load(Ordering::SeqCst) > 0
    }

    async fn wait_clear(&self) {
        while self.active() {
            // Registered before the count is read again: the last guard's `notify_waiters` (which comes after its
            // decrement) cannot fall between the check and the wait, so no wake-up is missed and none is needed
            // from a timer.
            let notified = self.cleared.notified();
            if !self.active() {
                break;
            }
            notified.await;
        }
    }
}

pub struct GateGuard(EmergencyGate);

impl Drop for GateGuard {
    fn drop(&mut self) {
        if self.0.active.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.cleared.notify_waiters();
        }
    }
}

/// Hours in which non-emergency messages are held (not dropped), in the city's time zone.
#[derive(Clone, Debug, PartialEq)]
pub struct QuietHours {
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub tz: Tz,
}

impl QuietHours {
    /// `"21:00-07:00"` in `tz` (e.g. `Europe/Warsaw`).
    pub fn parse(range: &str, tz: &str) -> Result<Self, String> {
        let (a, b) = range.split_once('-').ok_or("quiet hours must look like 21:00-07:00")?;
        let time = |s: &str| {
            NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| format!("'{s}' is not a time like 21:00"))
        };
        let tz: Tz = tz.parse().map_err(|_| format!("'{tz}' is not a time zone like Europe/Warsaw"))?;
        Ok(Self { start: time(a)?, end: time(b)?, tz })
    }

    /// When quiet hours are on at `now`, the moment they end.
    pub fn hold_until(&self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let local = now.with_timezone(&self.tz);
        let t = local.time();
        let quiet =
            if self.start <= self.end { t >= self.start && t < self.end } else { t >= self.start || t < self.end };
        if !quiet || self.start == self.end {
            return None;
        }
        let mut day = local.date_naive();
        if t >= self.end && self.start > self.end {
            day = day.succ_opt()?;
        }
        let end = self.tz.from_local_datetime(&day.and_time(self.end)).earliest()?;
        Some(end.with_timezone(&Utc))
    }
}

/// When traffic of this priority is held by `quiet` hours at `now`, the moment it may leave. Emergencies and
/// messages marked exempt (verification codes, sign-in links) are never held.
pub fn held_until(
    quiet: Option<&QuietHours>,
    priority: Priority,
    exempt: bool,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    if priority == Priority::Emergency || exempt {
        return None;
    }
    quiet?.hold_until(now)
}

/// Exponential back-off with full jitter: about 5 s, 10 s, 20 s … capped at 15 minutes.
pub fn backoff(attempt: u32) -> Duration {
    let base = 5.0 * 2f64.powi(attempt.saturating_sub(1).min(10) as i32);
    let capped = base.min(900.0);
    let jittered = rand::rng().random_range(capped / 2.0..=capped);
    Duration::from_secs_f64(jittered)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn quiet_hours_over_midnight_in_warsaw() {
        let q = QuietHours::parse("21:00-07:00", "Europe/Warsaw").unwrap();
        // 22:30 in Warsaw (winter, UTC+1) → held until 07:00 next morning = 06:00 UTC.
        assert_eq!(q.hold_until(at("2026-12-01T21:30:00Z")), Some(at("2026-12-02T06:00:00Z")));
        // 05:00 Warsaw → until 07:00 the same day.
        assert_eq!(q.hold_until(at("2026-12-02T04:00:00Z")), Some(at("2026-12-02T06:00:00Z")));
        // Noon: not quiet.
        assert_eq!(q.hold_until(at("2026-12-02T11:00:00Z")), None);
        // Summer time (UTC+2): 07:00 Warsaw is 05:00 UTC.
        assert_eq!(q.hold_until(at("2026-07-01T03:00:00Z")), Some(at("2026-07-01T05:00:00Z")));
        assert!(QuietHours::parse("9pm-7am", "Europe/Warsaw").is_err());
        assert!(QuietHours::parse("21:00-07:00", "Mars/Olympus").is_err());
    }

    #[test]
    fn emergencies_and_exempt_messages_pass_at_three_in_the_morning() {
        let night = QuietHours::parse("21:00-07:00", "Europe/Warsaw").unwrap();
        let three = at("2026-12-02T02:00:00Z");
        let seven = Some(at("2026-12-02T06:00:00Z"));
        assert_eq!(held_until(Some(&night), Priority::Service, false, three), seven);
        assert_eq!(held_until(Some(&night), Priority::Survey, false, three), seven);
        assert_eq!(held_until(Some(&night), Priority::Emergency, false, three), None);
        assert_eq!(held_until(Some(&night), Priority::Service, true, three), None, "a verification code");
        assert_eq!(held_until(None, Priority::Survey, false, three), None, "no quiet hours configured");
        assert_eq!(held_until(Some(&night), Priority::Survey, false, at("2026-12-02T11:00:00Z")), None, "noon");
    }

    #[test]
    fn quiet_hours_edges_and_same_day_windows() {
        let night = QuietHours::parse("21:00-07:00", "Europe/Warsaw").unwrap();
        // 21:00 Warsaw (20:00 UTC in winter) is the first quiet minute; 07:00 is the first loud one.
        assert_eq!(night.hold_until(at("2026-12-01T20:00:00Z")), Some(at("2026-12-02T06:00:00Z")));
        assert_eq!(night.hold_until(at("2026-12-01T19:59:59Z")), None);
        assert_eq!(night.hold_until(at("2026-12-02T06:00:00Z")), None);
        assert_eq!(night.hold_until(at("2026-12-02T05:59:59Z")), Some(at("2026-12-02T06:00:00Z")));
        // A window within one day: held until its end the same day, not the next.
        let lunch = QuietHours::parse("12:00-13:30", "Europe/Warsaw").unwrap();
        assert_eq!(lunch.hold_until(at("2026-12-02T11:00:00Z")), Some(at("2026-12-02T12:30:00Z")));
        assert_eq!(lunch.hold_until(at("2026-12-02T10:59:00Z")), None);
        assert_eq!(lunch.hold_until(at("2026-12-02T12:30:00Z")), None);
        assert_eq!(lunch.hold_until(at("2026-12-02T20:00:00Z")), None);
        // An empty window holds nothing.
        let none = QuietHours::parse("07:00-07:00", "Europe/Warsaw").unwrap();
        assert_eq!(none.hold_until(at("2026-12-02T06:00:00Z")), None);
        assert_eq!(none.hold_until(at("2026-12-02T12:00:00Z")), None);
        assert_eq!(QuietHours::parse(" 21:00 - 07:00 ", "Europe/Warsaw").unwrap(), night);
    }

    #[test]
    fn a_channel_rate_of_zero_is_refused_and_burst_is_at_least_one() {
        let zero = Limits::new(&Rates { sms: 0, ..Rates::default() });
        assert!(zero.err().unwrap().to_string().contains("delivery.rates.sms"));
        assert_eq!(Rates::default().of(Channel::Email), 2000);
        assert_eq!(Rates::default().of(Channel::Push), 5000);
        assert_eq!(Rates::default().of(Channel::Sms), 30);
    }

    #[tokio::test]
    async fn the_limiter_paces_a_channel_and_leaves_the_others_alone() {
        // 20 a second with a burst of 1: the third message waits about 100 ms; push is not held back by SMS.
        let limits = Limits::new(&Rates { email: 1000, push: 1000, sms: 20, burst_share: 0.0 }).unwrap();
        let started = std::time::Instant::now();
        for _ in 0..3 {
            limits.acquire(Channel::Sms, Priority::Service).await;
        }
        let took = started.elapsed();
        assert!(took >= Duration::from_millis(90), "paced at 20/s: {took:?}");
        tokio::time::timeout(Duration::from_millis(20), limits.acquire(Channel::Push, Priority::Service))
            .await
            .expect("another channel has its own limiter");
    }

    #[tokio::test]
    async fn the_gate_opens_only_when_the_last_emergency_leaves() {
        let limits = Limits::new(&Rates { email: 1000, push: 1000, sms: 1000, burst_share: 1.0 }).unwrap();
        let (first, second) = (limits.gate().enter(), limits.gate().enter());
        assert!(limits.gate().active());
        drop(first);
        assert!(limits.gate().active(), "one emergency batch still sending");
        let held =
            tokio::time::timeout(Duration::from_millis(100), limits.acquire(Channel::Email, Priority::Survey)).await;
        assert!(held.is_err(), "surveys wait too");
        let mut waiting = tokio::spawn({
            let gate = limits.gate().clone();
            async move { gate.wait_clear().await }
        });
        // The waiter is asleep on the gate before the last emergency batch leaves.
        assert!(tokio::time::timeout(Duration::from_millis(50), &mut waiting).await.is_err(), "still held");
        drop(second);
        assert!(!limits.gate().active());
        tokio::time::timeout(Duration::from_millis(200), waiting).await.expect("woken when the gate clears").unwrap();
    }

    #[tokio::test]
    async fn every_waiter_is_woken_by_the_last_guard_and_not_before() {
        let limits = Arc::new(Limits::new(&Rates { email: 1000, push: 1000, sms: 1000, burst_share: 1.0 }).unwrap());
        let guards = [limits.gate().enter(), limits.gate().enter(), limits.gate().enter()];
        let mut waiters = tokio::task::JoinSet::new();
        for channel in Channel::ALL {
            let limits = limits.clone();
            waiters.spawn(async move { limits.acquire(channel, Priority::Service).await });
        }
        let [a, b, c] = guards;
        for guard in [a, b] {
            drop(guard);
            let early = tokio::time::timeout(Duration::from_millis(30), waiters.join_next()).await;
            assert!(early.is_err(), "an emergency batch is still sending: nobody passes");
        }
        drop(c);
        let all = async { while waiters.join_next().await.is_some() {} };
        tokio::time::timeout(Duration::from_millis(200), all).await.expect("all woken at once");
    }

    #[test]
    fn backoff_grows_and_stays_bounded() {
        for attempt in 1..30 {
            let d = backoff(attempt).as_secs_f64();
            let cap = (5.0 * 2f64.powi((attempt - 1).min(10) as i32)).min(900.0);
            assert!(d >= cap / 2.0 && d <= cap, "attempt {attempt}: {d}");
        }
    }

    #[tokio::test]
    async fn the_gate_holds_others_while_an_emergency_sends() {
        let limits = Limits::new(&Rates { email: 1000, push: 1000, sms: 1000, burst_share: 1.0 }).unwrap();
        let guard = limits.gate().enter();
        let waited =
            tokio::time::timeout(Duration::from_millis(100), limits.acquire(Channel::Sms, Priority::Service)).await;
        assert!(waited.is_err(), "service traffic waits while the gate is held");
        tokio::time::timeout(Duration::from_millis(100), limits.acquire(Channel::Sms, Priority::Emergency))
            .await
            .unwrap();
        drop(guard);
        tokio::time::timeout(Duration::from_millis(200), limits.acquire(Channel::Sms, Priority::Service))
            .await
            .unwrap();
    }
}
