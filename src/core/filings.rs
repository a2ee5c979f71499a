//! Group commit for reports: every filing hands its report to one writer task, which files whatever has arrived
//! meanwhile in a single transaction (`DeskStore::file_reports`). On SQLite (one writer at a time) a burst of
//! filings becomes a few commits instead of one each, and no filing waits in SQLite's busy handler; on PostgreSQL
//! it saves round trips. The same report sent twice is still found, in the same batch too.
//!
//! A batch that fails is filed again one report at a time, so one report the database refuses fails only itself.

use tokio::sync::{mpsc, oneshot};

use super::responses::spawn_batches;
use crate::storage::{DynStorage, StoreError, StoreResult, desk::Filed, desk::NewReport};

/// The most reports one transaction files (photos included: each is at most a few hundred kilobytes stored).
const MAX_BATCH: usize = 64;

type Job = (NewReport, oneshot::Sender<StoreResult<Filed>>);

#[derive(Clone)]
pub struct ReportFiler {
    tx: mpsc::Sender<Job>,
}

impl ReportFiler {
    /// Starts the writer task (it ends when the last handle is dropped).
    pub fn start(store: DynStorage) -> Self {
        let (tx, rx) = mpsc::channel::<Job>(1024);
        spawn_batches(rx, MAX_BATCH, move |batch: Vec<Job>| {
            let store = store.clone();
            async move {
                let (reports, replies): (Vec<NewReport>, Vec<_>) = batch.into_iter().unzip();
                match store.file_reports(&reports).await {
                    Ok(filed) => {
                        for (reply, f) in replies.into_iter().zip(filed) {
                            let _ = reply.send(Ok(f));
                        }
                    }
                    Err(e) if reports.len() == 1 => {
                        let _ = replies.into_iter().next().map(|r| r.send(Err(e)));
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, n = reports.len(), "filing a batch failed: filing one at a time");
                        for (report, reply) in reports.into_iter().zip(replies) {
                            let one = store.file_reports(std::slice::from_ref(&report)).await;
                            let _ = reply.send(one.and_then(|mut f| f.pop().ok_or_else(lost)));
                        }
                    }
                }
            }
        });
        Self { tx }
    }

    /// Files one report (with others that arrive at the same time), or finds the same one filed moments before.
    pub async fn file(&self, report: NewReport) -> StoreResult<Filed> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send((report, reply))
            .await
            .map_err(|_| StoreError::Other(anyhow::anyhow!("the report filer stopped")))?;
        answer.await.map_err(|_| lost())?
    }
}

fn lost() -> StoreError {
    StoreError::Other(anyhow::anyhow!("the report filer dropped a report"))
}
