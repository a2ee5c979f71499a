//! The web's state: the core, plus what only the web needs (the pages' templates, the limiters, the metrics
//! handle). Handlers read the core's parts through it (`state.store`, `state.config`) and pass `&state` wherever a
//! use case takes the core.

use std::{ops::Deref, sync::Arc};

use anyhow::Context as _;

use super::{official::login::LoginLimiter, page::Templates, panel::PanelLimiter};
use crate::{core::Core, telemetry};

/// Shared by every request handler.
#[derive(Clone)]
pub struct AppState {
    pub core: Core,
    pub templates: Arc<Templates>,
    pub login_limiter: Arc<LoginLimiter>,
    pub panel_limiter: Arc<PanelLimiter>,
    pub metrics: metrics_exporter_prometheus::PrometheusHandle,
}

impl AppState {
    pub fn new(core: Core) -> anyhow::Result<Self> {
        Ok(Self {
            login_limiter: Arc::new(LoginLimiter::new(&core.config.login)),
            panel_limiter: Arc::new(PanelLimiter::default()),
            templates: Arc::new(Templates::load().context("loading templates failed")?),
            metrics: telemetry::metrics_handle(),
            core,
        })
    }
}

/// The web state is the core with the web's parts around it: `&state` goes wherever a use case wants `&Core`.
impl Deref for AppState {
    type Target = Core;
    fn deref(&self) -> &Core {
        &self.core
    }
}
