//! Open311 API keys for apps: issued by admins (on their page or with `hejnal apikey create`), shown once and kept
//! only as a hash, revocable; every issue and revocation is audited. An app sends its key as `api_key` when it
//! files a request.

use chrono::Utc;

use crate::{
    core::{Core, CoreError, CoreResult},
    domain::{
        audit::{AuditAction, NewAuditEntry},
        secret_token,
    },
    storage::{
        DynStorage,
        open311::{ApiKey, KeyLookup},
    },
};

/// The longest name of a key (the app it was issued to).
pub const MAX_NAME_CHARS: usize = 100;

/// Where a key was issued, for the audit log.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    Pages,
    Cli,
}

/// Issues a key for the app `name`; returns the key (shown once, never stored) and its id. `actor`: the admin, or
/// `None` from the command line (whoever runs it has the server, and so the database, already).
#[tracing::instrument(skip_all, fields(actor = ?actor), err(level = "info"))]
pub async fn create(store: &DynStorage, actor: Option<i64>, name: &str, via: Via) -> CoreResult<(String, i64)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_CHARS {
        return Err(CoreError::invalid("name", "open311-key-name-invalid"));
    }
    let key = secret_token::generate("o311_");
    let now = Utc::now();
    let id = store.create_api_key(name, &secret_token::hash(&key), actor, now).await?;
    let detail = match via {
        Via::Pages => serde_json::json!({ "name": name }),
        Via::Cli => serde_json::json!({ "name": name, "via": "cli" }),
    };
    let entry = NewAuditEntry::new(actor, AuditAction::ApiKeyCreated).subject(format!("api_key:{id}")).detail(detail);
    store.append_audit(&entry, now).await?;
    tracing::info!(api_key_id = id, "Open311 API key created");
    Ok((key, id))
}

/// Every key, newest first (never the keys themselves).
pub async fn list(store: &DynStorage) -> CoreResult<Vec<ApiKey>> {
    Ok(store.list_api_keys().await?)
}

/// Revokes a key: apps using it are refused from the next request. Unknown: `NotFound`; revoking twice records
/// nothing the second time.
#[tracing::instrument(skip_all, fields(actor = ?actor, api_key_id = id), err(level = "info"))]
pub async fn revoke(store: &DynStorage, actor: Option<i64>, id: i64, via: Via) -> CoreResult<()> {
    let now = Utc::now();
    if store.revoke_api_key(id, now).await? {
        let detail = if via == Via::Cli { serde_json::json!({ "via": "cli" }) } else { serde_json::Value::Null };
        let entry =
            NewAuditEntry::new(actor, AuditAction::ApiKeyRevoked).subject(format!("api_key:{id}")).detail(detail);
        store.append_audit(&entry, now).await?;
        tracing::info!(api_key_id = id, "Open311 API key revoked");
        return Ok(());
    }
    if store.list_api_keys().await?.iter().any(|k| k.id == id) { Ok(()) } else { Err(CoreError::NotFound) }
}

/// The key an app sent: its id when valid. Missing → an issue of field `api_key`; unknown or revoked → refused
/// (each with its own sentence).
pub async fn check(core: &Core, sent: Option<&str>) -> CoreResult<i64> {
    let Some(sent) = sent.map(str::trim).filter(|k| !k.is_empty()) else {
        return Err(CoreError::invalid("api_key", "open311-key-missing"));
    };
    match core.store.api_key_by_hash(&secret_token::hash(sent), Utc::now()).await? {
        KeyLookup::Active(id) => Ok(id),
        KeyLookup::Revoked => Err(CoreError::forbidden("open311-key-revoked")),
        KeyLookup::Unknown => Err(CoreError::forbidden("open311-key-unknown")),
    }
}
