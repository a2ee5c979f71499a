//! A resident's web push devices: storing the subscription a browser hands over. The endpoint is chosen by whoever
//! holds the session, so it must be a public HTTPS address (`hejnal_jobs::channels::push_guard`): otherwise every
//! broadcast would make the server knock on a door inside its own network. `delivery.push_allow_private` allows
//! `http` and private addresses (tests, closed networks).

use chrono::Utc;

use super::data::endpoint_host;
use crate::core::{Core, CoreError, CoreResult, FieldIssue};
use hejnal_jobs::channels::push_guard;

/// Longest endpoint stored (push services use a few hundred characters).
const MAX_ENDPOINT: usize = 2048;

/// A browser's `PushSubscription.toJSON()`, plus an optional label.
#[derive(Debug)]
pub struct NewPush<'a> {
    pub endpoint: &'a str,
    pub p256dh: &'a str,
    pub auth: &'a str,
    pub label: Option<&'a str>,
}

/// Stores a push subscription for a resident; its id. An endpoint that is not a public HTTPS address (after
/// resolving its name) is refused with `field-push-endpoint-refused` and nothing is stored.
#[tracing::instrument(skip_all, fields(resident_id = resident_id), err(level = "info"))]
pub async fn add_push(core: &Core, resident_id: i64, sub: NewPush<'_>) -> CoreResult<i64> {
    let well_formed = url::Url::parse(sub.endpoint).is_ok_and(|u| matches!(u.scheme(), "https" | "http"));
    if !well_formed || sub.endpoint.len() > MAX_ENDPOINT || sub.p256dh.is_empty() || sub.auth.is_empty() {
        return Err(CoreError::Invalid(vec![FieldIssue::new("endpoint", "field-push-invalid")]));
    }
    if push_guard::check_endpoint(sub.endpoint, core.config.delivery.push_allow_private).await.is_err() {
        return Err(CoreError::Invalid(vec![FieldIssue::new("endpoint", "field-push-endpoint-refused")]));
    }
    let label: String = sub.label.unwrap_or_default().chars().take(100).collect();
    let label = if label.trim().is_empty() { endpoint_host(sub.endpoint) } else { label };
    let id = core.store.add_push(resident_id, sub.endpoint, sub.p256dh, sub.auth, &label, Utc::now()).await?;
    tracing::info!(resident_id, push_id = id, "push subscription stored");
    Ok(id)
}
