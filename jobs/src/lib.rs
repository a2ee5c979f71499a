//! hejnał's delivery engine: it sends a message to an address over a channel, rate-limited and retried,
//! and knows nothing of surveys, alerts or the panel's rules.
//!
//! The queue is apalis on the application's own database. Nothing outside this crate names apalis: the
//! application sees [`QueueDb`], [`migrate`], [`ping`] and [`Worker`].

mod queue;
mod worker;

pub use queue::{QueueDb, migrate, ping};
pub use worker::{Probe, Worker, WorkerName, probe_status, push_probe};
