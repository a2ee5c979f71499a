//! Officials over the API (admin role): list them, create one.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::ApiJson;
use crate::{
    domain::Role,
    officials::{self, OfficialInput, Via},
    web::AppState,
    web::{
        context::RequestContext,
        error::{AppError, ProblemJson},
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
    let input = OfficialInput { email: &body.email, name: &body.name, password: &body.password, roles: &body.roles };
    let id = officials::create(&state.store, Some(actor), &input, "roles", Via::Api).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}
