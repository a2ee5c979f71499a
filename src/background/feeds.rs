//! Polling the upstream CAP sources (`alerts.feeds`) every `alerts.feed_interval_secs`; what each poll does is
//! [`crate::alerts::feeds::poll`]. A slow source never delays a scheduled alert: this loop is apart from dispatch.

use std::{collections::HashMap, time::Duration};

use tokio::sync::watch;

use super::Beat;
use crate::{
    alerts::feeds::{self, Validators},
    core::Core,
    telemetry::Loop,
};

/// Runs until `stop`; returns at once when no feed is configured.
pub async fn run(core: Core, stop: watch::Receiver<bool>) {
    if core.config.alerts.feeds.is_empty() {
        return;
    }
    let client = match feeds::client() {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "cannot build the HTTP client for CAP feeds");
            return;
        }
    };
    // What each source answered last time, to ask it "anything new?".
    let mut validators: HashMap<String, Validators> = HashMap::new();
    let mut beat = Beat::new(Duration::from_secs(core.config.alerts.feed_interval_secs), stop);
    while beat.next().await {
        for feed in &core.config.alerts.feeds {
            match feeds::poll(&core, &client, feed, validators.entry(feed.url.clone()).or_default()).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(feed = %feed.url, new = n, "CAP feed read"),
                Err(e) => tracing::warn!(feed = %feed.url, error = format!("{e:#}"), "reading a CAP feed failed"),
            }
        }
        core.config.rounds.done(Loop::Feeds);
    }
}
