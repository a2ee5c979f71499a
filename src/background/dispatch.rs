//! Handing alerts to the delivery engine: approved ones a crash interrupted, and scheduled ones that are due.

use std::time::Duration;

use chrono::Utc;
use tokio::sync::watch;

use super::Beat;
use crate::{alerts, core::Core, telemetry::Loop};

pub async fn run(core: Core, stop: watch::Receiver<bool>) {
    let mut beat = Beat::new(Duration::from_secs(1), stop);
    while beat.next().await {
        step(&core).await;
        core.config.rounds.done(Loop::Dispatch);
    }
}

/// One beat: every alert due is handed over (each failure is logged and tried again on the next beat).
#[tracing::instrument(skip_all)]
async fn step(core: &Core) {
    let due = match core.store.alerts_to_dispatch(Utc::now()).await {
        Ok(due) => due,
        Err(e) => {
            tracing::warn!(error = %e, "looking for alerts to send failed");
            return;
        }
    };
    for id in due {
        if let Err(e) = alerts::dispatch(core, id).await {
            tracing::error!(alert_id = id, error = format!("{e:#}"), "sending an alert failed; will retry");
        }
    }
}
