//! hejnał's delivery engine: it sends a message to an address over a channel, rate-limited and retried, and
//! records an outcome per (broadcast, recipient, channel). It knows nothing of surveys, alerts or the panel's
//! rules: the application hands it recipients and answers a [`Directory`] callback at send time.
//!
//! The queue is apalis on the application's own database; nothing outside this crate names apalis.
//!
//! - [`submit`] durably fans a broadcast out into delivery rows and batch jobs (from any process);
//! - [`Engine::run`] is a worker: it sends batches through the [`channels`], rate-limited per channel, with
//!   emergencies first, quiet hours for the rest, retries with back-off, and fallback for emergencies;
//! - [`cancel_broadcast`] stops one for good: nothing not yet on the wire is sent;
//! - [`progress()`] tells how a broadcast is going.

mod cancel;
pub mod channels;
pub mod clock;
mod engine;
pub mod limits;
pub mod model;
mod progress;
mod queue;
mod store;
#[cfg(test)]
mod testkit;
mod worker;

pub use cancel::{Cancelled, broadcast_id, cancel_broadcast};
pub use channels::sms::{DLR_MASK, DlrConfig, dlr_signature};
pub use clock::{Clock, ShiftedClock, SystemClock};
pub use engine::{Directory, Engine, EngineConfig, Submitted, submit};
pub use model::{Address, Channel, Content, NewBroadcast, Priority, PushSubscription, Recipient, Resolution, Status};
pub use progress::{
    ChannelCounts, Progress, RecipientDelivery, deliveries_in, progress, queue_depth, recipient_deliveries,
    record_sms_report,
};
pub use queue::{QueueDb, migrate, ping};
pub use worker::{Probe, WorkerName, probe_status, push_probe};
