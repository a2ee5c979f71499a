//! Officials over the API (admin role): list them, create one.

use axum::{Json, extract::State, http::StatusCode};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiJson;
use crate::{
    app::AppState,
    domain::{
        Email, Role,
        audit::{AuditAction, NewAuditEntry},
        official::{MAX_PASSWORD_LEN, MIN_PASSWORD_LEN, hash_password},
    },
    storage::{NewOfficial, StoreError},
    web::{
        context::RequestContext,
        error::{AppError, FieldError, ProblemJson},
    },
};

/// An official as the API shows one.
#[derive(Serialize, ToSchema)]
pub struct OfficialJson {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    pub active: bool,
}

/// Every official.
#[utoipa::path(get, path = "/api/v1/officials", tag = "officials",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "All officials", body = [OfficialJson]),
        (status = 401, description = "No valid session or token", body = ProblemJson, content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<OfficialJson>>, AppError> {
    let officials = state.store.list_officials().await?;
    Ok(Json(
        officials
            .into_iter()
            .map(|o| OfficialJson {
                id: o.id,
                email: o.email.as_str().to_string(),
                name: o.name,
                roles: o.roles,
                active: o.active,
            })
            .collect(),
    ))
}

/// A new official.
#[derive(Deserialize, ToSchema)]
#[schema(example = json!({"email": "jan.kowalski@um.krakow.pl", "name": "Jan Kowalski", "password": "a long passphrase", "roles": ["editor"]}))]
pub struct NewOfficialJson {
    pub email: String,
    pub name: String,
    /// At least 12 characters.
    pub password: String,
    /// `admin`, `editor`, `approver`, `analyst`.
    #[serde(default)]
    pub roles: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Creates an official.
#[utoipa::path(post, path = "/api/v1/officials", tag = "officials",
    security(("bearer" = []), ("session" = [])),
    request_body = NewOfficialJson,
    responses(
        (status = 201, description = "Created", body = Created),
        (status = 400, description = "Malformed JSON", body = ProblemJson, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid (named in `errors`)", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    ApiJson(body): ApiJson<NewOfficialJson>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let actor = ctx.official()?.id;
    let mut errors = Vec::new();
    let email =
        Email::parse(&body.email).map_err(|_| errors.push(FieldError::new("email", "field-email-invalid"))).ok();
    let name = body.name.trim().to_string();
    if name.is_empty() || name.chars().count() > 200 {
        errors.push(FieldError::new("name", "field-name-required"));
    }
    if body.password.chars().count() < MIN_PASSWORD_LEN {
        errors.push(FieldError::new("password", "field-password-short"));
    } else if body.password.chars().count() > MAX_PASSWORD_LEN {
        errors.push(FieldError::new("password", "field-password-long"));
    }
    let roles: Vec<Role> = body
        .roles
        .iter()
        .filter_map(|r| r.parse().map_err(|_| errors.push(FieldError::new("roles", "field-role-unknown"))).ok())
        .collect();
    let Some(email) = email.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let new = NewOfficial { email, name, password_hash: hash_password(&body.password)?, roles: roles.clone() };
    let id = match state.store.create_official(&new).await {
        Ok(id) => id,
        Err(StoreError::Duplicate) => {
            return Err(AppError::Invalid(vec![FieldError::new("email", "field-email-taken")]));
        }
        Err(e) => return Err(e.into()),
    };
    let entry = NewAuditEntry::new(Some(actor), AuditAction::OfficialCreated)
        .subject(format!("official:{id}"))
        .detail(serde_json::json!({ "roles": roles, "via": "api" }));
    state.store.append_audit(&entry, Utc::now()).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}
