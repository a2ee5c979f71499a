//! Background work, apart from the web: each loop is a task of its own, started from the [`Core`] alone by
//! `hejnal serve` and `hejnal worker` (so a worker process builds no web state).
//!
//! - [`dispatch`]: every second, hands approved alerts a crash interrupted, and scheduled ones that are due, to the
//!   delivery engine;
//! - [`feeds`]: polls the upstream CAP sources (`alerts.feeds`) and files what is new as drafts;
//! - [`reminders`]: reminds survey invitees who have not answered;
//! - [`maintenance`]: erases sign-ups nobody confirmed;
//! - [`desk`]: "is it fixed?" a week after a report is resolved; contacts of reports closed 30 days ago erased.
//!
//! Every step is idempotent (the engine's broadcast keys, the feed items' claims, the reminders' numbers), so two
//! processes running the same loops do each thing once.

mod desk;
mod dispatch;
mod feeds;
mod maintenance;
mod reminders;

use std::time::Duration;

use tokio::{sync::watch, task::JoinHandle, time::MissedTickBehavior};

use crate::core::Core;

/// The running loops.
pub struct Background {
    stop: watch::Sender<bool>,
    tasks: Vec<(&'static str, JoinHandle<()>)>,
}

/// Starts every loop.
pub fn start(core: &Core) -> Background {
    let (stop, stopped) = watch::channel(false);
    let tasks = vec![
        ("alert dispatch", tokio::spawn(dispatch::run(core.clone(), stopped.clone()))),
        ("CAP feeds", tokio::spawn(feeds::run(core.clone(), stopped.clone()))),
        ("survey reminders", tokio::spawn(reminders::run(core.clone(), stopped.clone()))),
        ("panel maintenance", tokio::spawn(maintenance::run(core.clone(), stopped.clone()))),
        ("desk aftercare", tokio::spawn(desk::run(core.clone(), stopped))),
    ];
    tracing::info!(loops = tasks.len(), "background loops started");
    Background { stop, tasks }
}

impl Background {
    /// Asks every loop to stop and waits until each has finished its current step.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        for (name, task) in self.tasks {
            if let Err(e) = task.await {
                tracing::error!(task = name, error = %e, "a background loop panicked");
            }
        }
    }
}

/// The beat of one loop: a tick every `period` (the first at once) until the stop signal.
struct Beat {
    tick: tokio::time::Interval,
    stop: watch::Receiver<bool>,
}

impl Beat {
    fn new(period: Duration, stop: watch::Receiver<bool>) -> Self {
        let mut tick = tokio::time::interval(period);
        // A slow step delays the next one instead of causing a burst.
        tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
        Self { tick, stop }
    }

    /// Waits for the next tick; false once the loop should stop.
    async fn next(&mut self) -> bool {
        tokio::select! {
            _ = self.stop.wait_for(|s| *s) => false,
            _ = self.tick.tick() => true,
        }
    }
}
