//! The service catalogue: loading the defaults, reading it, and finding a service by describing the problem.

use crate::{
    core::{Core, CoreResult},
    domain::desk::{self, Catalogue},
    storage::DynStorage,
};

/// Loads the built-in catalogue's units, services and attributes that are not stored yet (start-up, idempotent).
pub async fn seed(store: &DynStorage) -> anyhow::Result<usize> {
    let defaults = desk::default_catalogue().map_err(anyhow::Error::msg)?;
    Ok(store.seed_catalogue(&defaults).await?)
}

/// The catalogue as stored, retired services included (to name the service of an old report).
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn load(core: &Core) -> CoreResult<Catalogue> {
    Ok(core.store.catalogue().await?)
}

/// What residents and apps are offered: the active services only (`/report`, search, the services APIs, filing).
pub async fn offered(core: &Core) -> CoreResult<Catalogue> {
    Ok(load(core).await?.offered())
}

/// At most so many services answer a search.
pub const SEARCH_LIMIT: usize = 5;

/// Services matching a description of the problem, best first, with the catalogue they come from.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn search(core: &Core, query: &str) -> CoreResult<(Catalogue, Vec<String>)> {
    let catalogue = offered(core).await?;
    let codes = desk::search(&catalogue, query, SEARCH_LIMIT).into_iter().map(|h| h.service.code.clone()).collect();
    Ok((catalogue, codes))
}
