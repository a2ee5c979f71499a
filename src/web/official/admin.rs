//! Admin pages: officials and their roles, API tokens, the audit log.

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use chrono::{Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    app::AppState,
    domain::{
        Email, Official, Role,
        audit::{AuditAction, AuditEntry, NewAuditEntry},
        official::{MAX_PASSWORD_LEN, MIN_PASSWORD_LEN, hash_password},
        secret_token,
    },
    storage::{ApiToken, NewOfficial, StoreError},
    web::{
        context::{CsrfForm, RequestContext},
        error::{AppError, FieldError},
        page::{Chrome, Page},
    },
};

#[derive(Serialize)]
struct RoleChoice {
    role: Role,
    checked: bool,
}

#[derive(Serialize)]
struct OfficialRow {
    id: i64,
    name: String,
    email: String,
    active: bool,
    roles: Vec<RoleChoice>,
}

#[derive(Serialize, Default)]
struct NewOfficialFields {
    email: String,
    name: String,
    roles: Vec<Role>,
}

#[derive(Serialize)]
struct OfficialsPage {
    #[serde(flatten)]
    chrome: Chrome,
    officials: Vec<OfficialRow>,
    all_roles: Vec<RoleChoice>,
    form: NewOfficialFields,
    errors: Vec<FieldError>,
    saved: bool,
}

fn role_choices(held: &[Role]) -> Vec<RoleChoice> {
    Role::ALL.into_iter().map(|role| RoleChoice { role, checked: held.contains(&role) }).collect()
}

async fn render_officials(
    state: &AppState,
    ctx: &RequestContext,
    form: NewOfficialFields,
    errors: Vec<FieldError>,
    saved: bool,
) -> Result<Page, AppError> {
    let officials = state
        .store
        .list_officials()
        .await?
        .into_iter()
        .map(|o: Official| OfficialRow {
            id: o.id,
            name: o.name,
            email: o.email.as_str().to_string(),
            active: o.active,
            roles: role_choices(&o.roles),
        })
        .collect();
    let all_roles = role_choices(&form.roles);
    let page = OfficialsPage { chrome: Chrome::new(ctx, "officials-title"), officials, all_roles, form, errors, saved };
    state.templates.page("pages/official/officials", &page)
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<u8>,
}

pub async fn officials_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(q): Query<SavedQuery>,
) -> Result<Page, AppError> {
    render_officials(&state, &ctx, NewOfficialFields::default(), Vec::new(), q.saved.is_some()).await
}

#[derive(Deserialize)]
pub struct CreateOfficialForm {
    email: String,
    name: String,
    password: String,
    #[serde(default)]
    role: Vec<String>,
}

fn parse_roles(raw: &[String]) -> Result<Vec<Role>, FieldError> {
    raw.iter().map(|r| r.parse::<Role>().map_err(|_| FieldError::new("role", "field-role-unknown"))).collect()
}

async fn audit(state: &AppState, entry: NewAuditEntry) -> Result<(), AppError> {
    state.store.append_audit(&entry, Utc::now()).await?;
    Ok(())
}

pub async fn create_official(
    State(state): State<AppState>,
    ctx: RequestContext,
    CsrfForm(form): CsrfForm<CreateOfficialForm>,
) -> Result<Response, AppError> {
    let actor = ctx.official()?.id;
    let mut errors = Vec::new();
    let email =
        Email::parse(&form.email).map_err(|_| errors.push(FieldError::new("email", "field-email-invalid"))).ok();
    let name = form.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new("name", "field-name-required"));
    }
    if form.password.chars().count() < MIN_PASSWORD_LEN {
        errors.push(FieldError::new("password", "field-password-short"));
    } else if form.password.chars().count() > MAX_PASSWORD_LEN {
        errors.push(FieldError::new("password", "field-password-long"));
    }
    let roles = parse_roles(&form.role).map_err(|e| errors.push(e)).unwrap_or_default();
    let fields = NewOfficialFields { email: form.email.trim().to_string(), name: name.clone(), roles: roles.clone() };
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        let page = render_officials(&state, &ctx, fields, errors, false).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let new = NewOfficial { email, name, password_hash: hash_password(&form.password)?, roles: roles.clone() };
    match state.store.create_official(&new).await {
        Ok(id) => {
            let detail = serde_json::json!({ "roles": roles });
            audit(
                &state,
                NewAuditEntry::new(Some(actor), AuditAction::OfficialCreated)
                    .subject(format!("official:{id}"))
                    .detail(detail),
            )
            .await?;
            Ok(Redirect::to("/official/admin/officials?saved=1").into_response())
        }
        Err(StoreError::Duplicate) => {
            let errors = vec![FieldError::new("email", "field-email-taken")];
            let page = render_officials(&state, &ctx, fields, errors, false).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct RolesForm {
    #[serde(default)]
    role: Vec<String>,
}

pub async fn set_roles(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<RolesForm>,
) -> Result<Response, AppError> {
    let actor = ctx.official()?.id;
    let roles = parse_roles(&form.role).map_err(|e| AppError::Invalid(vec![e]))?;
    if actor == id && !roles.contains(&Role::Admin) {
        // An admin cannot lock the city out of its own admin pages by accident.
        return Err(AppError::Invalid(vec![FieldError::new("role", "field-role-own-admin")]));
    }
    let before = state.store.official(id).await?.ok_or(AppError::NotFound)?.roles;
    state.store.set_roles(id, &roles).await?;
    let detail = serde_json::json!({ "from": before, "to": roles });
    audit(
        &state,
        NewAuditEntry::new(Some(actor), AuditAction::RolesChanged).subject(format!("official:{id}")).detail(detail),
    )
    .await?;
    Ok(Redirect::to("/official/admin/officials?saved=1").into_response())
}

#[derive(Deserialize)]
pub struct ActiveForm {
    active: String,
}

pub async fn set_active(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<ActiveForm>,
) -> Result<Response, AppError> {
    let actor = ctx.official()?.id;
    let active = form.active == "true";
    if actor == id && !active {
        return Err(AppError::Invalid(vec![FieldError::new("active", "field-active-self")]));
    }
    if !state.store.set_active(id, active, Utc::now()).await? {
        return Err(AppError::NotFound);
    }
    let action = if active { AuditAction::OfficialReactivated } else { AuditAction::OfficialDeactivated };
    audit(&state, NewAuditEntry::new(Some(actor), action).subject(format!("official:{id}"))).await?;
    Ok(Redirect::to("/official/admin/officials?saved=1").into_response())
}

#[derive(Serialize)]
struct OfficialOption {
    id: i64,
    name: String,
}

#[derive(Serialize)]
struct TokensPage {
    #[serde(flatten)]
    chrome: Chrome,
    tokens: Vec<ApiToken>,
    officials: Vec<OfficialOption>,
    /// A token just created, shown once.
    new_token: Option<String>,
    errors: Vec<FieldError>,
}

async fn render_tokens(
    state: &AppState,
    ctx: &RequestContext,
    new_token: Option<String>,
    errors: Vec<FieldError>,
) -> Result<Page, AppError> {
    let officials = state
        .store
        .list_officials()
        .await?
        .into_iter()
        .filter(|o| o.active)
        .map(|o| OfficialOption { id: o.id, name: o.name })
        .collect();
    let page = TokensPage {
        chrome: Chrome::new(ctx, "tokens-title"),
        tokens: state.store.list_api_tokens().await?,
        officials,
        new_token,
        errors,
    };
    state.templates.page("pages/official/tokens", &page)
}

pub async fn tokens_page(State(state): State<AppState>, ctx: RequestContext) -> Result<Page, AppError> {
    render_tokens(&state, &ctx, None, Vec::new()).await
}

#[derive(Deserialize)]
pub struct CreateTokenForm {
    official_id: i64,
    name: String,
    expires_days: Option<String>,
}

pub async fn create_token(
    State(state): State<AppState>,
    ctx: RequestContext,
    CsrfForm(form): CsrfForm<CreateTokenForm>,
) -> Result<Response, AppError> {
    let actor = ctx.official()?.id;
    let mut errors = Vec::new();
    let name = form.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 100 {
        errors.push(FieldError::new("name", "field-token-name-invalid"));
    }
    let days = match form.expires_days.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(d) => match d.parse::<i64>() {
            Ok(n) if (1..=3650).contains(&n) => Some(n),
            _ => {
                errors.push(FieldError::new("expires_days", "field-expires-days-invalid"));
                None
            }
        },
    };
    let owner = state.store.official(form.official_id).await?.filter(|o| o.active);
    if owner.is_none() {
        errors.push(FieldError::new("official_id", "field-official-unknown"));
    }
    if !errors.is_empty() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render_tokens(&state, &ctx, None, errors).await?).into_response());
    }
    let (token, id) = issue_token(&state.store, form.official_id, &name, days, Some(actor)).await?;
    tracing::info!(token_id = id, "API token created");
    Ok(render_tokens(&state, &ctx, Some(token), Vec::new()).await?.into_response())
}

/// Creates a token for `official_id` and records it; returns the token (shown once) and its id.
pub async fn issue_token(
    store: &crate::storage::DynStorage,
    official_id: i64,
    name: &str,
    expires_days: Option<i64>,
    actor: Option<i64>,
) -> anyhow::Result<(String, i64)> {
    let token = secret_token::generate("hj_");
    let now = Utc::now();
    let expires = expires_days.map(|d| now + Duration::days(d));
    let id = store.create_api_token(official_id, name, &secret_token::hash(&token), now, expires).await?;
    let detail = serde_json::json!({ "official_id": official_id, "expires_days": expires_days });
    store
        .append_audit(
            &NewAuditEntry::new(actor, AuditAction::TokenCreated).subject(format!("token:{id}")).detail(detail),
            now,
        )
        .await?;
    Ok((token, id))
}

pub async fn revoke_token(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<super::login::Empty>,
) -> Result<Response, AppError> {
    let actor = ctx.official()?.id;
    if state.store.revoke_api_token(id, Utc::now()).await? {
        audit(&state, NewAuditEntry::new(Some(actor), AuditAction::TokenRevoked).subject(format!("token:{id}")))
            .await?;
    }
    Ok(Redirect::to("/official/admin/tokens").into_response())
}

#[derive(Deserialize)]
pub struct AuditQuery {
    before: Option<i64>,
}

#[derive(Serialize)]
struct AuditPage {
    #[serde(flatten)]
    chrome: Chrome,
    entries: Vec<AuditEntry>,
    older: Option<i64>,
}

const AUDIT_PAGE_SIZE: i64 = 50;

pub async fn audit_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(q): Query<AuditQuery>,
) -> Result<Page, AppError> {
    let entries = state.store.list_audit(AUDIT_PAGE_SIZE, q.before).await?;
    let older = (entries.len() as i64 == AUDIT_PAGE_SIZE).then(|| entries.last().map(|e| e.id)).flatten();
    let page = AuditPage { chrome: Chrome::new(&ctx, "audit-title"), entries, older };
    state.templates.page("pages/official/audit", &page)
}
