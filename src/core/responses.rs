//! Group commit for responses: every request hands its response to one writer task, which stores whatever has
//! arrived meanwhile in a single transaction. On SQLite (one writer at a time, one sync per commit) this turns a
//! burst of answers into a few commits instead of one each; on PostgreSQL it saves round trips.

use tokio::sync::{mpsc, oneshot};

use crate::storage::{DynStorage, NewResponse};

/// The most responses one transaction stores.
const MAX_BATCH: usize = 256;

type Job = (NewResponse, oneshot::Sender<Result<bool, String>>);

#[derive(Clone)]
pub struct ResponseWriter {
    tx: mpsc::Sender<Job>,
}

impl ResponseWriter {
    /// Starts the writer task (it ends when the last handle is dropped).
    pub fn start(store: DynStorage) -> Self {
        let (tx, rx) = mpsc::channel::<Job>(4096);
        spawn_batches(rx, MAX_BATCH, move |mut batch: Vec<Job>| {
            let store = store.clone();
            async move {
                let responses: Vec<NewResponse> = batch.iter().map(|(r, _)| r.clone()).collect();
                match store.record_responses(&responses).await {
                    Ok(stored) => {
                        for ((_, reply), ok) in batch.drain(..).zip(stored) {
                            let _ = reply.send(Ok(ok));
                        }
                    }
                    Err(e) => {
                        tracing::error!(error = %e, n = batch.len(), "storing a batch of responses failed");
                        for (_, reply) in batch.drain(..) {
                            let _ = reply.send(Err(e.to_string()));
                        }
                    }
                }
            }
        });
        Self { tx }
    }

    /// Stores one response (with others that arrive at the same time); false when its invitation was used already.
    pub async fn store(&self, response: NewResponse) -> anyhow::Result<bool> {
        let (reply, answer) = oneshot::channel();
        self.tx.send((response, reply)).await.map_err(|_| anyhow::anyhow!("the response writer has stopped"))?;
        answer.await.map_err(|_| anyhow::anyhow!("the response writer dropped a response"))?.map_err(anyhow::Error::msg)
    }
}

/// Runs `write` on whatever has arrived meanwhile, at most `max` at a time, until every sender is gone: the loop of
/// a group-commit writer (survey responses here, the desk's reports in `filings`).
pub(crate) fn spawn_batches<J, F, Fut>(mut rx: mpsc::Receiver<J>, max: usize, mut write: F)
where
    J: Send + 'static,
    F: FnMut(Vec<J>) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        while let Some(first) = rx.recv().await {
            let mut batch = Vec::with_capacity(max);
            batch.push(first);
            while batch.len() < max {
                match rx.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
            write(batch).await;
        }
    });
}

/// Surveys as the answering path reads them, kept for a few seconds: a burst of answers to one survey reads and
/// parses its questionnaire once, not once per answer. (A typo fix shows after at most [`CACHE_SECONDS`].)
type Cached = std::collections::HashMap<i64, (std::time::Instant, std::sync::Arc<crate::storage::SurveyRecord>)>;

#[derive(Clone, Default)]
pub struct SurveyCache {
    entries: std::sync::Arc<std::sync::Mutex<Cached>>,
}

pub const CACHE_SECONDS: u64 = 2;

impl SurveyCache {
    pub async fn get(
        &self,
        store: &DynStorage,
        id: i64,
    ) -> anyhow::Result<Option<std::sync::Arc<crate::storage::SurveyRecord>>> {
        let fresh = std::time::Duration::from_secs(CACHE_SECONDS);
        if let Some((at, s)) = self.entries.lock().expect("survey cache lock").get(&id)
            && at.elapsed() < fresh
        {
            return Ok(Some(s.clone()));
        }
        let Some(s) = store.survey(id).await? else { return Ok(None) };
        let s = std::sync::Arc::new(s);
        self.entries.lock().expect("survey cache lock").insert(id, (std::time::Instant::now(), s.clone()));
        Ok(Some(s))
    }
}
