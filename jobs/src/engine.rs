//! The engine: submitting a broadcast (durable fan-out) and sending one batch of it.

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use async_trait::async_trait;
use chrono::Utc;
use futures::{StreamExt, stream::FuturesUnordered};

use crate::{
    QueueDb,
    channels::{
        Outcome, Outgoing, Transport,
        email::EmailTransport,
        push::PushTransport,
        sms::{DlrConfig, SmsTransport},
    },
    clock::{Clock, SystemClock},
    limits::{Limits, QuietHours, Rates, backoff, held_until},
    model::{Address, Channel, Content, NewBroadcast, Priority, Recipient, Resolution},
    store::{self, Claimed, Finished, LoadedBroadcast, NewDelivery, SendBatch},
};

/// The application's side of the boundary, asked at send time (never at queue time).
#[async_trait]
pub trait Directory: Send + Sync + 'static {
    /// For each (recipient, channel): where to send now, or why not (consent withdrawn, erased, no address…).
    async fn resolve(&self, purpose: &str, items: &[(i64, Channel)]) -> anyhow::Result<Vec<Resolution>>;
    /// A channel said this address is gone for good (a 404/410 push subscription, a hard bounce).
    async fn address_gone(&self, recipient_id: i64, address: &Address) -> anyhow::Result<()>;
}

/// How the engine is set up. Defaults suit the demo: files instead of servers.
#[derive(Clone, Debug)]
pub struct EngineConfig {
    pub smtp_url: Option<String>,
    pub email_from: String,
    pub smtp_pool: u32,
    /// `email/` (one `.eml` per message) and `sms.log` go here when no server is configured.
    pub outbox_dir: PathBuf,
    pub sms_url: Option<String>,
    pub sms_max_parts: usize,
    pub sms_dlr: Option<DlrConfig>,
    /// VAPID private key, base64url of the 32-byte P-256 scalar.
    pub vapid_private_key: String,
    pub vapid_subject: String,
    /// Web push to `http` and to addresses inside the network (`delivery.push_allow_private`); off: only public HTTPS.
    pub push_allow_private: bool,
    pub rates: Rates,
    pub quiet_hours: Option<QuietHours>,
    /// Deliveries per queued job.
    pub batch_size: usize,
    /// Attempts before a temporary failure becomes permanent.
    pub max_attempts: u32,
    /// For emergencies: the channel to try next when one fails permanently.
    pub fallback_order: Vec<Channel>,
    /// Messages on the wire at once within one batch.
    pub in_flight: usize,
    /// Batches processed at once per priority.
    pub batches_at_once: usize,
    /// A worker silent this long is taken for dead and its rows go back to the queue.
    pub dead_after: Duration,
    /// The time the engine's rules read (quiet hours, due retries, expiry); tests set the hour through it.
    pub clock: Arc<dyn Clock>,
}

impl EngineConfig {
    pub fn new(outbox_dir: PathBuf, vapid_private_key: String) -> Self {
        Self {
            smtp_url: None,
            email_from: "hejnał Kraków <powiadomienia@hejnal.example.org>".into(),
            smtp_pool: 32,
            outbox_dir,
            sms_url: None,
            sms_max_parts: 3,
            sms_dlr: None,
            vapid_private_key,
            push_allow_private: false,
            vapid_subject: "mailto:hejnal@hejnal.example.org".into(),
            rates: Rates::default(),
            quiet_hours: None,
            batch_size: 200,
            max_attempts: 8,
            fallback_order: vec![Channel::Push, Channel::Sms, Channel::Email],
            in_flight: 64,
            batches_at_once: 2,
            dead_after: Duration::from_secs(10),
            clock: Arc::new(SystemClock),
        }
    }
}

/// What `submit` did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Submitted {
    pub broadcast_id: i64,
    /// Delivery rows created by this call (fewer than recipients × channels on a resumed submit).
    pub deliveries: u64,
    pub resumed: bool,
}

/// Rows written per transaction while fanning out: small enough that an emergency's writes wait milliseconds.
const FANOUT_CHUNK: usize = 20_000;

/// Durably queues a broadcast: every delivery row and its batch job are committed before this returns.
/// Submitting the same `key` again continues an interrupted fan-out without duplicating anyone.
pub async fn submit(
    db: &QueueDb,
    broadcast: &NewBroadcast,
    recipients: impl IntoIterator<Item = Recipient>,
    batch_size: usize,
) -> anyhow::Result<Submitted> {
    let now = Utc::now();
    let (id, resumed) = store::upsert_broadcast(db, broadcast, now).await?;
    let mut rows: Vec<(i64, Channel, String, Option<String>)> = Vec::with_capacity(FANOUT_CHUNK);
    let mut created = 0;
    for r in recipients {
        let vars = r.vars.as_ref().map(|v| serde_json::Value::Object(v.clone()).to_string());
        for channel in &r.channels {
            rows.push((r.id, *channel, r.language.clone(), vars.clone()));
        }
        if rows.len() >= FANOUT_CHUNK {
            created += insert(db, id, broadcast.priority, &rows, batch_size).await?;
            rows.clear();
        }
    }
    created += insert(db, id, broadcast.priority, &rows, batch_size).await?;
    store::mark_fanned_out(db, id, Utc::now()).await?;
    tracing::info!(broadcast_id = id, deliveries = created, resumed, "broadcast queued");
    Ok(Submitted { broadcast_id: id, deliveries: created, resumed })
}

async fn insert(
    db: &QueueDb,
    id: i64,
    priority: Priority,
    rows: &[(i64, Channel, String, Option<String>)],
    batch_size: usize,
) -> anyhow::Result<u64> {
    let deliveries: Vec<NewDelivery<'_>> = rows
        .iter()
        .map(|(recipient_id, channel, language, vars)| NewDelivery {
            recipient_id: *recipient_id,
            channel: *channel,
            language,
            vars: vars.clone(),
        })
        .collect();
    store::insert_chunk(db, id, priority, &deliveries, batch_size.max(1)).await
}

/// A worker process's engine: transports, limits and the application's directory.
pub struct Engine {
    pub(crate) db: QueueDb,
    pub(crate) config: EngineConfig,
    transports: HashMap<Channel, Arc<dyn Transport>>,
    limits: Limits,
    directory: Arc<dyn Directory>,
    broadcasts: Mutex<HashMap<i64, Arc<LoadedBroadcast>>>,
    pub(crate) name: String,
    stopping: AtomicBool,
}

impl Engine {
    /// Builds the transports the configuration names.
    pub fn new(db: QueueDb, config: EngineConfig, directory: Arc<dyn Directory>) -> anyhow::Result<Self> {
        let mut transports: HashMap<Channel, Arc<dyn Transport>> = HashMap::new();
        transports.insert(
            Channel::Email,
            Arc::new(EmailTransport::new(
                config.smtp_url.as_deref(),
                config.outbox_dir.join("email"),
                &config.email_from,
                config.smtp_pool,
            )?),
        );
        transports.insert(
            Channel::Sms,
            Arc::new(SmsTransport::new(
                config.sms_url.as_deref(),
                config.outbox_dir.join("sms.log"),
                config.sms_max_parts,
                config.sms_dlr.clone(),
            )?),
        );
        transports.insert(
            Channel::Push,
            Arc::new(PushTransport::new(&config.vapid_private_key, &config.vapid_subject, config.push_allow_private)?),
        );
        Ok(Self {
            limits: Limits::new(&config.rates)?,
            db,
            config,
            transports,
            directory,
            broadcasts: Mutex::new(HashMap::new()),
            name: crate::WorkerName::unique("hejnal-worker").as_str().to_string(),
            stopping: AtomicBool::new(false),
        })
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub(crate) fn stop(&self) {
        self.stopping.store(true, Ordering::SeqCst);
    }

    fn stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    pub(crate) async fn priority_of(&self, id: i64) -> Option<Priority> {
        self.broadcast(id).await.ok().flatten().map(|b| b.priority)
    }

    async fn broadcast(&self, id: i64) -> anyhow::Result<Option<Arc<LoadedBroadcast>>> {
        if let Some(b) = self.broadcasts.lock().unwrap_or_else(|p| p.into_inner()).get(&id) {
            return Ok(Some(b.clone()));
        }
        let Some(loaded) = store::load_broadcast(&self.db, id).await? else { return Ok(None) };
        let loaded = Arc::new(loaded);
        let mut cache = self.broadcasts.lock().unwrap_or_else(|p| p.into_inner());
        if cache.len() > 1000 {
            cache.clear();
        }
        cache.insert(id, loaded.clone());
        Ok(Some(loaded))
    }

    /// Sends what is due in one batch. Errors leave rows claimed; the reaper or a retry job puts them back.
    pub(crate) async fn send_batch(&self, job: SendBatch) -> anyhow::Result<()> {
        let Some(b) = self.broadcast(job.broadcast_id).await? else {
            tracing::warn!(broadcast_id = job.broadcast_id, "job for an unknown broadcast");
            return Ok(());
        };
        let now = self.config.clock.now();
        if let Some(until) = self.held_until(&b, now) {
            // Marked once, with no job queued: the sweep releases the batch when the window ends. Whoever else
            // comes for it meanwhile (the queue, the sweep, a retry) finds the mark and leaves.
            if store::hold(&self.db, job, until, now).await? {
                tracing::info!(broadcast_id = b.id, batch = job.batch, %until, "quiet hours: batch held");
                metrics::counter!("hejnal_batches_held_total").increment(1);
            }
            return Ok(());
        }
        let _gate = (b.priority == Priority::Emergency).then(|| self.limits.gate().enter());
        let claimed = store::claim(&self.db, job, &self.name, now).await?;
        if claimed.is_empty() {
            // Woken early (the queue counts whole seconds): come back when the first retry is due.
            if let Some(due) = store::next_due(&self.db, job).await? {
                let wait = (due - now).to_std().unwrap_or_default();
                store::push_job(&self.db, job, b.priority, Some(wait)).await?;
            }
            return Ok(());
        }
        if now >= b.expires_at {
            let done: Vec<Finished> = claimed.iter().map(|c| Finished::Skipped(c.id, "expired".into())).collect();
            count(&claimed, &done);
            return store::finish(&self.db, &done, now).await;
        }
        match self.send_claimed(&b, job, &claimed).await {
            Ok(()) => Ok(()),
            Err(e) => {
                // Give back exactly what this call took and has not put on the wire; the caller queues the batch
                // again. Rows already `sending` stay with this live worker's outcome or, if it dies, the reaper.
                let ids: Vec<i64> = claimed.iter().map(|c| c.id).collect();
                if let Err(release) = store::release_claimed(&self.db, &ids).await {
                    tracing::warn!(error = %release, "could not release claimed rows");
                }
                Err(e)
            }
        }
    }

    /// When quiet hours hold this broadcast's batches at `now`, the moment they end.
    fn held_until(&self, b: &LoadedBroadcast, now: chrono::DateTime<Utc>) -> Option<chrono::DateTime<Utc>> {
        held_until(self.config.quiet_hours.as_ref(), b.priority, b.quiet_hours_exempt, now)
    }

    /// Resolves, sends and records the rows this call claimed.
    async fn send_claimed(&self, b: &LoadedBroadcast, job: SendBatch, claimed: &[Claimed]) -> anyhow::Result<()> {
        let items: Vec<(i64, Channel)> =
            claimed.iter().map(|c| (c.recipient_id, c.channel.parse().unwrap_or(Channel::Email))).collect();
        let resolutions = self.directory.resolve(&b.purpose, &items).await?;
        let mut skipped = Vec::new();
        let mut unreachable = Vec::new();
        let mut to_send = Vec::new();
        for (row, resolution) in claimed.iter().zip(resolutions) {
            match resolution {
                Resolution::Send(address) => to_send.push((row, address)),
                Resolution::Skip(reason) => skipped.push(Finished::Skipped(row.id, reason)),
                Resolution::Unreachable(reason) => {
                    unreachable.push(row);
                    skipped.push(Finished::Skipped(row.id, reason));
                }
            }
        }
        count(claimed, &skipped);
        store::finish(&self.db, &skipped, Utc::now()).await?;
        let mut again = false;
        for row in unreachable {
            again |= self.fall_back(b, job, row).await?;
        }

        for group in to_send.chunks(self.config.in_flight.max(1)) {
            if self.stopping() {
                let released: Vec<Finished> = group.iter().map(|(row, _)| Finished::Release(row.id)).collect();
                store::finish(&self.db, &released, Utc::now()).await?;
                again = true;
                continue;
            }
            let ids: Vec<i64> = group.iter().map(|(row, _)| row.id).collect();
            let on_wire = store::mark_sending(&self.db, &ids).await?;
            let group = self.refused_rows(b, group, &on_wire).await?;
            let (fell_back, retry_after) = self.send_group(b, job, &group).await?;
            again |= fell_back;
            if let Some(delay) = retry_after {
                // One job for the batch: it comes back when the earliest retry is due (`next_due` for the rest).
                store::push_job(&self.db, job, b.priority, Some(delay)).await?;
            }
        }
        if again {
            store::push_job(&self.db, job, b.priority, None).await?;
        }
        Ok(())
    }

    /// Sends one group at once and records each outcome as it arrives: whatever finished while the previous
    /// write was committing is written together (a group commit), while the rest of the group is still on the
    /// wire. A worker killed midway has duplicated only what had left without being recorded in that one write,
    /// not every message of a group whose slowest member had not returned. Returns whether a fallback was queued
    /// and the earliest retry.
    async fn send_group(
        &self,
        b: &LoadedBroadcast,
        job: SendBatch,
        group: &[&(&Claimed, Address)],
    ) -> anyhow::Result<(bool, Option<Duration>)> {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let sending = async move {
            let mut pending: FuturesUnordered<_> = group
                .iter()
                .map(|(row, address)| async move { (*row, address, self.send_one(b, row, address).await) })
                .collect();
            while let Some(done) = pending.next().await {
                let _ = tx.send(done);
            }
        };
        let recording = async {
            let (mut again, mut retry_after) = (false, None);
            while let Some(first) = rx.recv().await {
                // Group commit: write at once whatever has arrived; what finishes during the write goes next.
                let mut arrived = vec![first];
                while let Ok(done) = rx.try_recv() {
                    arrived.push(done);
                }
                let mut done = Vec::with_capacity(arrived.len());
                for (row, address, outcome) in &arrived {
                    match self.finished(row, outcome) {
                        Ok((f, retry)) => {
                            done.push(f);
                            if let Some(delay) = retry {
                                retry_after = Some(retry_after.map_or(delay, |d: Duration| d.min(delay)));
                            }
                        }
                        Err((f, address_gone)) => {
                            if address_gone && let Err(e) = self.directory.address_gone(row.recipient_id, address).await
                            {
                                tracing::warn!(error = %e, delivery_id = row.id, "could not forget a gone address");
                            }
                            done.push(f);
                            again |= self.fall_back(b, job, row).await?;
                        }
                    }
                }
                count(arrived.iter().map(|(row, _, _)| *row), &done);
                self.record_sent(&done).await?;
            }
            anyhow::Ok((again, retry_after))
        };
        let ((), recorded) = tokio::join!(sending, recording);
        recorded
    }

    /// What an outcome means for its row (with the delay of a retry); `Err` for a permanent failure (with whether
    /// the address is gone), after which an emergency falls back to the next channel.
    fn finished(&self, row: &Claimed, outcome: &Outcome) -> Result<(Finished, Option<Duration>), (Finished, bool)> {
        match outcome {
            Outcome::Sent { .. } => Ok((Finished::Sent(row.id), None)),
            Outcome::Retry { reason, after } if (row.attempts as u32) < self.config.max_attempts => {
                let delay = after.unwrap_or_else(|| backoff(row.attempts as u32));
                let not_before = self.config.clock.now() + chrono::Duration::from_std(delay).unwrap_or_default();
                Ok((Finished::Retry { id: row.id, not_before, reason: reason.clone() }, Some(delay)))
            }
            Outcome::Retry { reason, .. } => {
                Err((Finished::Failed(row.id, format!("{reason} (after {} attempts)", row.attempts)), false))
            }
            Outcome::Failed { reason, address_gone } => Err((Finished::Failed(row.id, reason.clone()), *address_gone)),
        }
    }

    /// Records the outcomes of messages that have left. They must survive a passing database error (a full disk):
    /// otherwise their rows stay `sending` under this live worker, which the reaper never takes back. So this tries
    /// again, with growing pauses, until the database takes them or the engine stops.
    async fn record_sent(&self, done: &[Finished]) -> anyhow::Result<()> {
        let mut pause = Duration::from_millis(100);
        loop {
            match store::finish(&self.db, done, Utc::now()).await {
                Ok(()) => return Ok(()),
                Err(e) if !self.stopping() => {
                    tracing::warn!(
                        error = format!("{e:#}"),
                        rows = done.len(),
                        "recording sent messages failed; retrying"
                    );
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(5));
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Keeps the rows `mark_sending` put on the wire. The others were stopped by a cancellation (recorded as
    /// skipped, with its reason) or taken back from this worker (left to whoever holds them now).
    async fn refused_rows<'g>(
        &self,
        b: &LoadedBroadcast,
        group: &'g [(&'g Claimed, Address)],
        on_wire: &[i64],
    ) -> anyhow::Result<Vec<&'g (&'g Claimed, Address)>> {
        let (send, refused): (Vec<_>, Vec<_>) = group.iter().partition(|(row, _)| on_wire.contains(&row.id));
        if !refused.is_empty()
            && let Some(reason) = crate::cancel::cancel_reason(&self.db, b.id).await?
        {
            let done: Vec<Finished> =
                refused.iter().map(|(row, _)| Finished::Skipped(row.id, reason.clone())).collect();
            count(refused.iter().map(|(r, _)| *r), &done);
            store::finish(&self.db, &done, Utc::now()).await?;
        }
        Ok(send)
    }

    /// Emergencies only: queue the recipient's next channel after one failed for good.
    async fn fall_back(&self, b: &LoadedBroadcast, job: SendBatch, row: &Claimed) -> anyhow::Result<bool> {
        if b.priority != Priority::Emergency || row.channel.starts_with('#') {
            return Ok(false);
        }
        let Ok(failed) = row.channel.parse::<Channel>() else { return Ok(false) };
        let order = &self.config.fallback_order;
        let start = order.iter().position(|c| *c == failed).map(|i| i + 1).unwrap_or(0);
        let rendered = |c: &Channel| b.contents.keys().any(|(rc, _)| rc == c);
        for next in order[start..].iter().chain(order[..start].iter()).filter(|c| **c != failed && rendered(c)) {
            if store::insert_fallback(&self.db, b.id, row, *next, job.batch).await? {
                tracing::info!(delivery_id = row.id, from = %failed, to = %next, "emergency fallback queued");
                return Ok(true);
            }
        }
        Ok(false)
    }

    async fn send_one(&self, b: &LoadedBroadcast, row: &Claimed, address: &Address) -> Outcome {
        let Ok(channel) = row.channel.parse::<Channel>() else { return Outcome::failed("unknown channel") };
        let Some(transport) = self.transports.get(&channel) else { return Outcome::failed("channel not configured") };
        let Some(content) = b.content(channel, &row.language) else {
            return Outcome::failed(format!("no {channel} rendering of this message"));
        };
        let vars: Option<serde_json::Map<String, serde_json::Value>> =
            row.vars.as_deref().and_then(|v| serde_json::from_str(v).ok());
        let content = personalise(content, vars.as_ref());
        let unsubscribe = vars
            .as_ref()
            .filter(|_| b.priority != Priority::Emergency)
            .and_then(|v| v.get("unsubscribe_url"))
            .and_then(|v| v.as_str());
        self.limits.acquire(channel, b.priority).await;
        let started = Instant::now();
        let outcome = transport
            .send(&Outgoing {
                delivery_id: row.id,
                broadcast_id: b.id,
                address,
                content: &content,
                priority: b.priority,
                expires_at: b.expires_at,
                topic: b.topic.as_deref(),
                unsubscribe_url: unsubscribe,
            })
            .await;
        metrics::histogram!("hejnal_send_latency_seconds", "channel" => channel.as_str())
            .record(started.elapsed().as_secs_f64());
        outcome
    }
}

/// Fills `{{name}}` placeholders from the recipient's values.
fn personalise(content: &Content, vars: Option<&serde_json::Map<String, serde_json::Value>>) -> Content {
    let Some(vars) = vars.filter(|v| !v.is_empty()) else { return content.clone() };
    let fill = |s: &str| {
        let mut out = s.to_string();
        for (k, v) in vars {
            let value = v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string());
            out = out.replace(&format!("{{{{{k}}}}}"), &value);
        }
        out
    };
    Content {
        subject: content.subject.as_deref().map(fill),
        text: fill(&content.text),
        html: content.html.as_deref().map(fill),
        url: content.url.as_deref().map(fill),
    }
}

/// Counts final outcomes in `hejnal_deliveries_total{channel,status}`.
fn count<'a>(rows: impl IntoIterator<Item = &'a Claimed>, done: &[Finished]) {
    let channels: HashMap<i64, &str> = rows.into_iter().map(|r| (r.id, r.channel.as_str())).collect();
    for f in done {
        let (id, status) = match f {
            Finished::Sent(id) => (id, "sent"),
            Finished::Failed(id, _) => (id, "failed"),
            Finished::Skipped(id, _) => (id, "skipped"),
            Finished::Retry { id, .. } => (id, "retry"),
            Finished::Release(_) => continue,
        };
        if let Some(channel) = channels.get(id) {
            metrics::counter!("hejnal_deliveries_total", "channel" => channel.to_string(), "status" => status)
                .increment(1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_filled_per_recipient() {
        let c = Content {
            subject: Some("Ankieta".into()),
            text: "Odpowiedz: {{link}} ({{n}})".into(),
            html: Some("<a href=\"{{link}}\">tu</a>".into()),
            url: None,
        };
        let mut vars = serde_json::Map::new();
        vars.insert("link".into(), "https://x/s/abc".into());
        vars.insert("n".into(), 3.into());
        let p = personalise(&c, Some(&vars));
        assert_eq!(p.text, "Odpowiedz: https://x/s/abc (3)");
        assert_eq!(p.html.unwrap(), "<a href=\"https://x/s/abc\">tu</a>");
        assert_eq!(personalise(&c, None), c);
    }
}
