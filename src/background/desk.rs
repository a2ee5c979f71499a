//! The desk's aftercare, every minute: "is it fixed?" a week after `resolved`, and the contacts of reports closed
//! 30 days ago erased. Both steps take the time as an argument (`desk::aftercare`), so tests call them with a
//! clock of their own; both are idempotent (conditional marks, the engine's keys).

use std::time::Duration;

use chrono::Utc;
use tokio::sync::watch;

use super::Beat;
use crate::{core::Core, desk::aftercare};

pub async fn run(core: Core, stop: watch::Receiver<bool>) {
    let mut beat = Beat::new(Duration::from_secs(60), stop);
    while beat.next().await {
        let now = Utc::now();
        if let Err(e) = aftercare::ask_fixed(&core, now).await {
            tracing::warn!(error = %e, "asking whether reports are fixed failed");
        }
        if let Err(e) = aftercare::erase_closed_contacts(&core, now).await {
            tracing::warn!(error = %e, "erasing the contacts of closed reports failed");
        }
        if let Err(e) = aftercare::prune_filing_locks(&core, now).await {
            tracing::warn!(error = %e, "pruning the filing locks failed");
        }
    }
}
