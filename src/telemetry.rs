//! Logs (plain or JSON) and the Prometheus recorder.

use std::sync::OnceLock;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::{EnvFilter, fmt, prelude::*};

use crate::config::{Config, LogFormat};

/// Installs the global subscriber once; later calls (tests start many apps in one process) are no-ops.
pub fn init_logging(config: &Config) {
    let filter = EnvFilter::try_new(&config.log_filter).unwrap_or_else(|_| EnvFilter::new("info"));
    let registry = tracing_subscriber::registry().with(filter);
    let _ = match config.log_format {
        LogFormat::Plain => registry.with(fmt::layer().with_target(false)).try_init(),
        LogFormat::Json => registry.with(fmt::layer().json().flatten_event(true).with_current_span(true)).try_init(),
    };
}

/// The process-wide metrics handle; the recorder is installed on first use.
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            // Another recorder may already be installed (a test harness); then this handle renders nothing new.
            let _ = metrics::set_global_recorder(recorder);
            metrics::describe_counter!("hejnal_http_requests_total", "HTTP requests by route, method and status");
            metrics::describe_histogram!("hejnal_http_request_duration_seconds", "HTTP request latency by route");
            handle
        })
        .clone()
}

/// A background loop whose rounds are counted (see [`Rounds`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Loop {
    Dispatch = 0,
    Feeds = 1,
    Reminders = 2,
}

/// How many rounds each background loop of this application has completed: the positive sign that a loop ran —
/// a test waits for rounds that began after its action before it asserts that nothing happened. One counter per
/// running application (it travels in its [`Config`]), not per process.
#[derive(Clone, Debug, Default)]
pub struct Rounds(std::sync::Arc<[std::sync::atomic::AtomicU64; 3]>);

impl Rounds {
    /// Rounds `which` has completed so far.
    pub fn completed(&self, which: Loop) -> u64 {
        self.0[which as usize].load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Called by the loop at the end of each round.
    pub(crate) fn done(&self, which: Loop) {
        self.0[which as usize].fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    }
}
