//! The officials' administration: creating officials (admin pages, API, command line), their roles and whether
//! they may sign in, and API tokens. Every change is written to the audit log.

use chrono::{Duration, Utc};

use crate::{
    core::{Core, CoreError, CoreResult, FieldIssue},
    domain::{
        Email, Role,
        audit::{AuditAction, NewAuditEntry},
        official::{MAX_PASSWORD_LEN, MIN_PASSWORD_LEN, hash_password},
        secret_token,
    },
    storage::{DynStorage, NewOfficial, StoreError},
};

/// A new official as someone typed it.
pub struct OfficialInput<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password: &'a str,
    pub roles: &'a [String],
}

/// Where a new official was created, for the audit log.
#[derive(Clone, Copy, Debug)]
pub enum Via {
    Pages,
    Api,
    Cli,
}

/// Creates an official; `roles_field` names the roles in errors (the form's `role`, the API's `roles`).
#[tracing::instrument(skip_all, fields(actor = ?actor), err(level = "info"))]
pub async fn create(
    store: &DynStorage,
    actor: Option<i64>,
    input: &OfficialInput<'_>,
    roles_field: &str,
    via: Via,
) -> CoreResult<i64> {
    let mut errors = Vec::new();
    let email =
        Email::parse(input.email).map_err(|_| errors.push(FieldIssue::new("email", "field-email-invalid"))).ok();
    let name = input.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldIssue::new("name", "field-name-required"));
    }
    if input.password.chars().count() < MIN_PASSWORD_LEN {
        errors.push(FieldIssue::new("password", "field-password-short"));
    } else if input.password.chars().count() > MAX_PASSWORD_LEN {
        errors.push(FieldIssue::new("password", "field-password-long"));
    }
    let roles = parse_roles(input.roles, roles_field).map_err(|e| errors.push(e)).unwrap_or_default();
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(CoreError::Invalid(errors));
    };
    let new = NewOfficial { email, name, password_hash: hash_password(input.password)?, roles: roles.clone() };
    let id = match store.create_official(&new).await {
        Ok(id) => id,
        Err(StoreError::Duplicate) => return Err(CoreError::invalid("email", "field-email-taken")),
        Err(e) => return Err(e.into()),
    };
    let detail = match via {
        Via::Pages => serde_json::json!({ "roles": roles }),
        Via::Api => serde_json::json!({ "roles": roles, "via": "api" }),
        Via::Cli => serde_json::json!({ "roles": roles, "via": "cli" }),
    };
    let entry =
        NewAuditEntry::new(actor, AuditAction::OfficialCreated).subject(format!("official:{id}")).detail(detail);
    store.append_audit(&entry, Utc::now()).await?;
    tracing::info!(official_id = id, "official created");
    Ok(id)
}

/// Roles by name; an unknown name is an issue of `field`.
pub fn parse_roles(raw: &[String], field: &str) -> Result<Vec<Role>, FieldIssue> {
    raw.iter().map(|r| r.parse::<Role>().map_err(|_| FieldIssue::new(field, "field-role-unknown"))).collect()
}

/// Replaces an official's roles. An admin cannot take the admin role from themselves (and lock the city out of its
/// own admin pages by accident).
#[tracing::instrument(skip_all, fields(actor = actor, official_id = id), err(level = "info"))]
pub async fn set_roles(core: &Core, actor: i64, id: i64, roles: &[Role]) -> CoreResult<()> {
    if actor == id && !roles.contains(&Role::Admin) {
        return Err(CoreError::invalid("role", "field-role-own-admin"));
    }
    let before = core.store.official(id).await?.ok_or(CoreError::NotFound)?.roles;
    core.store.set_roles(id, roles).await?;
    let detail = serde_json::json!({ "from": before, "to": roles });
    let entry =
        NewAuditEntry::new(Some(actor), AuditAction::RolesChanged).subject(format!("official:{id}")).detail(detail);
    core.store.append_audit(&entry, Utc::now()).await?;
    Ok(())
}

/// Lets an official sign in again, or stops them; nobody deactivates themselves.
#[tracing::instrument(skip_all, fields(actor = actor, official_id = id, active = active), err(level = "info"))]
pub async fn set_active(core: &Core, actor: i64, id: i64, active: bool) -> CoreResult<()> {
    if actor == id && !active {
        return Err(CoreError::invalid("active", "field-active-self"));
    }
    if !core.store.set_active(id, active, Utc::now()).await? {
        return Err(CoreError::NotFound);
    }
    let action = if active { AuditAction::OfficialReactivated } else { AuditAction::OfficialDeactivated };
    core.store
        .append_audit(&NewAuditEntry::new(Some(actor), action).subject(format!("official:{id}")), Utc::now())
        .await?;
    Ok(())
}

/// Issues a token to the signed-in official themselves: the only way the pages (and any future API) issue one, so
/// no official can obtain a token acting as someone else — which would let one admin draft as one official and
/// approve as another, defeating the two-person rule. Returns the token (shown once) and its id.
pub async fn issue_own_token(
    store: &DynStorage,
    official_id: i64,
    name: &str,
    expires_days: Option<i64>,
) -> anyhow::Result<(String, i64)> {
    let detail = serde_json::json!({ "official_id": official_id, "expires_days": expires_days });
    issue_token(store, official_id, name, expires_days, Some(official_id), detail).await
}

/// Issues a token for any official from `hejnal token create`: whoever runs it has shell access on the server (and
/// so the database) already. The audit entry has no acting official and says it came from the command line.
pub async fn issue_token_from_command_line(
    store: &DynStorage,
    official_id: i64,
    name: &str,
    expires_days: Option<i64>,
) -> anyhow::Result<(String, i64)> {
    let detail = serde_json::json!({ "official_id": official_id, "expires_days": expires_days, "via": "cli" });
    issue_token(store, official_id, name, expires_days, None, detail).await
}

#[tracing::instrument(skip_all, fields(official_id = official_id, actor = ?actor), err)]
async fn issue_token(
    store: &DynStorage,
    official_id: i64,
    name: &str,
    expires_days: Option<i64>,
    actor: Option<i64>,
    detail: serde_json::Value,
) -> anyhow::Result<(String, i64)> {
    let token = secret_token::generate("hj_");
    let now = Utc::now();
    let expires = expires_days.map(|d| now + Duration::days(d));
    let id = store.create_api_token(official_id, name, &secret_token::hash(&token), now, expires).await?;
    store
        .append_audit(
            &NewAuditEntry::new(actor, AuditAction::TokenCreated).subject(format!("token:{id}")).detail(detail),
            now,
        )
        .await?;
    tracing::info!(token_id = id, "API token created");
    Ok((token, id))
}

/// Revokes a token (once: revoking it again records nothing).
#[tracing::instrument(skip_all, fields(actor = actor, token_id = id), err(level = "info"))]
pub async fn revoke_token(core: &Core, actor: i64, id: i64) -> CoreResult<()> {
    if core.store.revoke_api_token(id, Utc::now()).await? {
        let entry = NewAuditEntry::new(Some(actor), AuditAction::TokenRevoked).subject(format!("token:{id}"));
        core.store.append_audit(&entry, Utc::now()).await?;
    }
    Ok(())
}
