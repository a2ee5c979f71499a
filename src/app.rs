//! Starting the application: the binary and the tests go through the same two functions.
//!
//! [`prepare`] opens the database (migrations, district registry); [`run`] serves on a bound listener until the
//! shutdown future completes, with the background loops and (unless told otherwise) the embedded delivery worker.

use std::{future::Future, net::SocketAddr};

use anyhow::Context;
use tokio::net::TcpListener;

use crate::web::AppState;
use crate::{
    config::Config,
    core::Core,
    domain::district,
    storage::{self, DynStorage},
    web,
};

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
    let services = crate::desk::catalogue::seed(&store).await?;
    if services > 0 {
        tracing::info!(services, "intervention desk catalogue loaded");
    }
    if store.seed_notice(crate::panel::NOTICE_V1, chrono::Utc::now()).await? {
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
    let core = Core::new(config, store).await?;
    let state = AppState::new(core.clone())?;
    let router = web::router(state.clone());
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let worker = engine.map(|engine| {
        let mut rx = stop_rx.clone();
        tokio::spawn(engine.run(async move {
            let _ = rx.wait_for(|stop| *stop).await;
        }))
    });
    let background = crate::background::start(&core);
    let server = axum::serve(listener, router.into_make_service_with_connect_info::<SocketAddr>())
        .with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
        });
    server.await.context("the web server failed")?;
    background.stop().await;
    if let Some(w) = worker {
        w.await.context("the delivery worker panicked")??;
    }
    Ok(())
}
