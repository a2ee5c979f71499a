//! Reminding survey invitees who have not answered. Reminders are due by the day, so once a minute is on time
//! (half a "day" when a demonstration shortens `surveys.day_secs`).

use std::time::Duration;

use chrono::Utc;
use tokio::sync::watch;

use super::Beat;
use crate::{core::Core, telemetry::Loop};

pub async fn run(core: Core, stop: watch::Receiver<bool>) {
    let period = Duration::from_secs((core.config.surveys.day_secs / 2).clamp(1, 60));
    let mut beat = Beat::new(period, stop);
    while beat.next().await {
        if let Err(e) = crate::surveys::launch::send_reminders(&core, Utc::now()).await {
            tracing::error!(error = format!("{e:#}"), "sending survey reminders failed; will retry");
        }
        core.config.rounds.done(Loop::Reminders);
    }
}
