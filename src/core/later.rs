//! Work done after the answer, a few tasks at a time: a request whose answer must not depend on what the work
//! finds (a sign-in for a known or an unknown contact) answers at once and leaves the work here.

use std::{future::Future, sync::Arc};

use tokio::sync::Semaphore;

/// Background tasks, bounded: at most `at_once` run, at most `backlog` wait; beyond that the work is dropped (and
/// logged by the caller), and the answer does not change.
#[derive(Clone)]
pub struct Later {
    running: Arc<Semaphore>,
    waiting: Arc<Semaphore>,
}

impl Later {
    pub fn new(at_once: usize, backlog: usize) -> Self {
        Self { running: Arc::new(Semaphore::new(at_once)), waiting: Arc::new(Semaphore::new(at_once + backlog)) }
    }

    /// Runs `work` in its own task when a place is free; `false` when the backlog is full (nothing runs).
    pub fn spawn(&self, work: impl Future<Output = ()> + Send + 'static) -> bool {
        let Ok(ticket) = self.waiting.clone().try_acquire_owned() else { return false };
        let running = self.running.clone();
        tokio::spawn(async move {
            let _ticket = ticket;
            let Ok(_place) = running.acquire_owned().await else { return };
            work.await;
        });
        true
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn at_most_so_many_run_and_a_full_backlog_refuses() {
        let later = Later::new(2, 1);
        let (gate_tx, gate) = tokio::sync::watch::channel(false);
        let running = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let most = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        for _ in 0..3 {
            let (mut gate, running, most) = (gate.clone(), running.clone(), most.clone());
            assert!(later.spawn(async move {
                let now = running.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                most.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                let _ = gate.wait_for(|open| *open).await;
                running.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
            }));
        }
        assert!(!later.spawn(async {}), "two running and one waiting: the fourth is refused");
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(most.load(std::sync::atomic::Ordering::SeqCst), 2);
        gate_tx.send(true).unwrap();
        for _ in 0..100 {
            if later.spawn(async {}) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        panic!("places never came free");
    }
}
