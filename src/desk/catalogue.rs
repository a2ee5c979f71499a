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

/// How long a read catalogue is used before it is read again: filing, listing and the Open311 API read it on every
/// request. A change made through this process shows at once (the editing use cases forget it); one made through
/// another process (PostgreSQL, several machines) within this time.
pub const FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(2);

/// The catalogue as stored, retired services included (to name the service of an old report), read at most
/// [`FRESH_FOR`] ago.
#[tracing::instrument(skip_all, err(level = "info"))]
pub async fn load(core: &Core) -> CoreResult<Catalogue> {
    if let Some(c) = core.recent.get::<Catalogue>(FRESH_FOR) {
        return Ok((*c).clone());
    }
    let c = core.store.catalogue().await?;
    core.recent.put(std::sync::Arc::new(c.clone()));
    Ok(c)
}

/// The catalogue as stored now, for changing it; forgets the kept one.
pub async fn load_fresh(core: &Core) -> CoreResult<Catalogue> {
    core.recent.forget::<Catalogue>();
    Ok(core.store.catalogue().await?)
}

/// After a change to the catalogue: the next reader reads it again.
pub fn changed(core: &Core) {
    core.recent.forget::<Catalogue>();
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
