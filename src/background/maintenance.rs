//! The panel's housekeeping, hourly: sign-ups nobody confirmed are erased after seven days.

use std::time::Duration;

use tokio::sync::watch;

use super::Beat;
use crate::core::Core;

pub async fn run(core: Core, stop: watch::Receiver<bool>) {
    let mut beat = Beat::new(Duration::from_secs(3600), stop);
    while beat.next().await {
        if let Err(e) = crate::panel::purge_unconfirmed(&core).await {
            tracing::warn!(error = %e, "purging unconfirmed sign-ups failed");
        }
    }
}
