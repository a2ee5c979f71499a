//! Admin pages: officials and their roles, API tokens, the audit log.

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::{Deserialize, Serialize};

use crate::{
    core::CoreError,
    domain::{Official, Role, audit::AuditEntry},
    officials::{self, OfficialInput, Via},
    storage::ApiToken,
    web::AppState,
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

pub async fn create_official(
    State(state): State<AppState>,
    ctx: RequestContext,
    CsrfForm(form): CsrfForm<CreateOfficialForm>,
) -> Result<Response, AppError> {
    let actor = ctx.official()?.id;
    let input = OfficialInput { email: &form.email, name: &form.name, password: &form.password, roles: &form.role };
    match officials::create(&state.store, Some(actor), &input, "role", Via::Pages).await {
        Ok(_) => Ok(Redirect::to("/official/admin/officials?saved=1").into_response()),
        Err(CoreError::Invalid(errors)) => {
            // The form again, as typed.
            let roles = officials::parse_roles(&form.role, "role").unwrap_or_default();
            let fields =
                NewOfficialFields { email: form.email.trim().to_string(), name: form.name.trim().to_string(), roles };
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
    let roles = officials::parse_roles(&form.role, "role").map_err(|e| AppError::Invalid(vec![e]))?;
    officials::set_roles(&state, actor, id, &roles).await?;
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
    officials::set_active(&state, actor, id, form.active == "true").await?;
    Ok(Redirect::to("/official/admin/officials?saved=1").into_response())
}

#[derive(Serialize)]
struct TokensPage {
    #[serde(flatten)]
    chrome: Chrome,
    tokens: Vec<ApiToken>,
    /// Whom a new token acts as: always the signed-in official (see `officials::issue_own_token`).
    own_name: String,
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
    let page = TokensPage {
        chrome: Chrome::new(ctx, "tokens-title"),
        tokens: state.store.list_api_tokens().await?,
        own_name: ctx.official()?.name.clone(),
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
    /// Older forms (and scripts) sent the official to issue for; only oneself is accepted now.
    official_id: Option<i64>,
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
    if form.official_id.is_some_and(|id| id != actor) {
        errors.push(FieldError::new("official_id", "field-token-own-only"));
    }
    if !errors.is_empty() {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, render_tokens(&state, &ctx, None, errors).await?).into_response());
    }
    let (token, _) = officials::issue_own_token(&state.store, actor, &name, days).await?;
    Ok(render_tokens(&state, &ctx, Some(token), Vec::new()).await?.into_response())
}

pub async fn revoke_token(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<super::login::Empty>,
) -> Result<Response, AppError> {
    officials::revoke_token(&state, ctx.official()?.id, id).await?;
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
