//! Starting the application: the binary and the tests go through the same two functions.
//!
//! [`prepare`] opens the database (migrations, district registry); [`run`] serves on a bound listener until the
//! shutdown future completes, with the embedded delivery worker unless told otherwise.

use std::{future::Future, net::SocketAddr, sync::Arc};

use anyhow::Context;
use tokio::net::TcpListener;

use crate::{
    config::Config,
    domain::district,
    storage::{self, DynStorage},
    telemetry,
    web::{self, official::login::LoginLimiter, page::Templates},
};

/// Shared by every request handler.
#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub store: DynStorage,
    pub templates: Arc<Templates>,
    pub login_limiter: Arc<LoginLimiter>,
    pub metrics: metrics_exporter_prometheus::PrometheusHandle,
    pub keys: Arc<crate::delivery::Keys>,
    pub panel_limiter: Arc<crate::web::panel::PanelLimiter>,
    /// Group commit for survey responses.
    pub responses: crate::surveys::writer::ResponseWriter,
    pub survey_cache: crate::surveys::writer::SurveyCache,
    pub results_cache: crate::surveys::ResultsCache,
}

/// Opens the database, applies every migration and loads the district registry on first start.
pub async fn prepare(config: &Config) -> anyhow::Result<DynStorage> {
    let store = storage::connect(config.database_url.expose(), config.database_pool).await?;
    let csv = match &config.districts_csv {
        Some(path) => std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?,
        None => district::KRAKOW_CSV.to_string(),
    };
    let districts = district::parse_csv(&csv).map_err(anyhow::Error::msg)?;
    let loaded = store.seed_districts(&districts).await?;
    if loaded > 0 {
        tracing::info!(districts = loaded, "district registry loaded");
    }
    if store.seed_notice(crate::web::panel::NOTICE_V1, chrono::Utc::now()).await? {
        tracing::info!("consent notice version 1 published");
    }
    Ok(store)
}

/// What `run` starts besides the web server.
#[derive(Clone, Copy, Debug)]
pub struct RunOptions {
    /// Run the delivery worker inside this process (`hejnal serve`, unless `--no-worker`).
    pub embedded_worker: bool,
}

impl AppState {
    pub async fn new(config: Config, store: DynStorage) -> anyhow::Result<Self> {
        Ok(Self {
            keys: Arc::new(crate::delivery::keys(&store).await?),
            login_limiter: Arc::new(LoginLimiter::new(&config.login)),
            panel_limiter: Arc::new(crate::web::panel::PanelLimiter::default()),
            responses: crate::surveys::writer::ResponseWriter::start(store.clone()),
            survey_cache: Default::default(),
            results_cache: Default::default(),
            config: Arc::new(config),
            store,
            templates: Arc::new(Templates::load().context("loading templates failed")?),
            metrics: telemetry::metrics_handle(),
        })
    }
}

/// Serves until `shutdown` completes, then drains in-flight requests.
pub async fn run(
    config: Config,
    store: DynStorage,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
    options: RunOptions,
) -> anyhow::Result<()> {
    let engine = match options.embedded_worker {
        true => Some(crate::delivery::engine(&config, &store).await?),
        false => None,
    };
    let state = AppState::new(config, store.clone()).await?;
    let router = web::router(state.clone());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = engine.map(|engine| {
        let mut rx = stop_rx.clone();
        tokio::spawn(engine.run(async move {
            let _ = rx.wait_for(|stop| *stop).await;
        }))
    });
    let maintenance = {
        let mut rx = stop_rx.clone();
        tokio::spawn(crate::web::panel::maintenance(store.clone(), async move {
            let _ = rx.wait_for(|stop| *stop).await;
        }))
    };
    let dispatcher = {
        let mut rx = stop_rx.clone();
        tokio::spawn(crate::alerts::run_dispatcher(state, async move {
            let _ = rx.wait_for(|stop| *stop).await;
        }))
    };
    let server = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
        });
    server.await.context("the web server failed")?;
    let _ = maintenance.await;
    let _ = dispatcher.await;
    if let Some(w) = worker {
        w.await.context("the delivery worker panicked")??;
    }
    Ok(())
}
