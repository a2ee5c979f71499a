//! The JSON API under `/api/v1`, its OpenAPI document (`/openapi.json`) and the API explorer (`/api/docs`).

use axum::{
    Json, Router,
    body::{Body, Bytes},
    extract::{FromRequest, Request, rejection::JsonRejection},
    http::StatusCode,
    middleware,
};
use serde::{Serialize, de::DeserializeOwned};
use utoipa::{
    Modify, OpenApi, ToSchema,
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
};
use utoipa_axum::{router::OpenApiRouter, routes};
use utoipa_swagger_ui::SwaggerUi;

use super::{
    context::{ADMIN, ANY_OFFICIAL, Auth, RequestContext, require_roles},
    error::{AppError, FieldError, ProblemJson},
    ops,
};

pub mod alerts;
mod officials;
pub mod panel;
pub mod surveys;
use crate::{domain::Role, web::AppState};

/// Who reads the panel's make-up.
pub const PANEL_READERS: &[Role] = &[Role::Analyst, Role::Admin];

#[derive(OpenApi)]
#[openapi(
    info(title = "hejnał API", description = "Kraków's resident consultation panel and mass-notification platform."),
    modifiers(&Security),
    components(schemas(ProblemJson)),
    // Plain axum routes (the polls router's), documented here: `ops.rs` checks document and router agree.
    paths(
        crate::web::polls::api::api_show,
        crate::web::polls::api::api_vote,
        crate::web::desk::api::services,
        crate::web::desk::api::create,
        crate::web::desk::api::show,
        crate::web::desk::api::photo,
        crate::web::desk::api::transition,
        crate::web::desk::moderation::publish_json,
        crate::web::desk::merge::merge_json,
        crate::web::desk::stats::stats_json,
        crate::web::desk::follow::api_nearby,
        crate::web::desk::follow::api_follow,
        crate::web::desk::resident::api_confirm_code,
    ),
    tags(
        (name = "officials", description = "The calling official"),
        (name = "alerts", description = "Emergency alerts and service announcements (CAP 1.2)"),
        (name = "surveys", description = "Consultations: surveys, launch with sampling, answers, results"),
        (name = "panel", description = "The resident panel: joining, and its make-up for officials"),
        (name = "polls", description = "Quick polls: a poll with its results, and voting"),
        (name = "desk", description = "The intervention desk: the service catalogue, residents' reports, their handling"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
struct ApiDoc;

struct Security;

impl Modify for Security {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("A token from `hejnal token create` or the admin pages"))
                    .build(),
            ),
        );
        components
            .add_security_scheme("session", SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("hejnal_session"))));
    }
}

/// The API routes with their OpenAPI document; every route here is documented by construction.
pub fn openapi_router() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(officials::list, officials::create))
        .route_layer(middleware::from_fn(|req, next| require_roles(ADMIN, req, next)))
        .routes(routes!(me))
        .route_layer(middleware::from_fn(|req, next| require_roles(ANY_OFFICIAL, req, next)))
        // Its own router, so its role layer applies to it alone.
        .merge(
            OpenApiRouter::new()
                .routes(routes!(panel::panel_stats))
                .route_layer(middleware::from_fn(|req, next| require_roles(PANEL_READERS, req, next))),
        )
        .merge(
            OpenApiRouter::new()
                .routes(routes!(alerts::create))
                .routes(routes!(alerts::update))
                .routes(routes!(alerts::import_cap))
                .route_layer(middleware::from_fn(|req, next| require_roles(alerts::EDITORS, req, next))),
        )
        .merge(
            OpenApiRouter::new()
                .routes(routes!(alerts::approve))
                .routes(routes!(alerts::cancel))
                .route_layer(middleware::from_fn(|req, next| require_roles(alerts::APPROVERS, req, next))),
        )
        .merge(
            OpenApiRouter::new()
                .routes(routes!(alerts::list))
                .routes(routes!(alerts::show))
                .routes(routes!(alerts::progress))
                .route_layer(middleware::from_fn(|req, next| require_roles(ANY_OFFICIAL, req, next))),
        )
        .merge(
            OpenApiRouter::new()
                .routes(routes!(surveys::create))
                .routes(routes!(surveys::revise))
                .route_layer(middleware::from_fn(|req, next| require_roles(surveys::SURVEY_EDITORS, req, next))),
        )
        .merge(
            OpenApiRouter::new()
                .routes(routes!(surveys::launch))
                .route_layer(middleware::from_fn(|req, next| require_roles(surveys::SURVEY_LAUNCHERS, req, next))),
        )
        .merge(
            OpenApiRouter::new()
                .routes(routes!(surveys::show))
                .route_layer(middleware::from_fn(|req, next| require_roles(ANY_OFFICIAL, req, next))),
        )
        .merge(
            OpenApiRouter::new()
                .routes(routes!(surveys::results))
                .route_layer(middleware::from_fn(|req, next| require_roles(surveys::ANALYSTS, req, next))),
        )
        .routes(routes!(surveys::respond))
        .routes(routes!(panel::create_signup))
        .routes(routes!(ops::healthz))
        .routes(routes!(ops::readyz))
        .routes(routes!(ops::metrics_text))
}

pub fn router() -> Router<AppState> {
    let (router, openapi) = openapi_router().split_for_parts();
    router.merge(SwaggerUi::new("/api/docs").url("/openapi.json", openapi))
}

/// The calling official.
#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub roles: Vec<Role>,
    /// `session` or `bearer`.
    pub auth: &'static str,
}

/// Who is calling: the official behind the session cookie or bearer token.
#[utoipa::path(get, path = "/api/v1/me", tag = "officials",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "The calling official", body = Me),
        (status = 401, description = "No valid session or token", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
async fn me(ctx: RequestContext) -> Result<Json<Me>, AppError> {
    let o = ctx.official()?;
    Ok(Json(Me {
        id: o.id,
        email: o.email.as_str().to_string(),
        name: o.name.clone(),
        roles: o.roles.clone(),
        auth: if ctx.auth == Auth::Bearer { "bearer" } else { "session" },
    }))
}

/// A JSON body whose errors name the field: 400 for malformed JSON, 422 for a wrong shape or a field the type does
/// not have (a misspelt optional field would otherwise be dropped without a word), 415 without the header.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;
    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (parts, body) = req.into_parts();
        let bytes = Bytes::from_request(Request::from_parts(parts.clone(), body), state).await.map_err(|e| match e
            .status()
        {
            StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
            status => AppError::BadJson { status, detail: e.body_text() },
        })?;
        let value = json_body::<T, S>(Request::from_parts(parts, Body::from(bytes.clone())), state).await?;
        // Read once more to learn which fields the type ignored (serde drops unknown fields silently).
        let mut unknown = Vec::new();
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let _: Result<T, _> = serde_ignored::deserialize(&mut de, |path| unknown.push(path.to_string()));
        match unknown.is_empty() {
            true => Ok(ApiJson(value)),
            false => {
                Err(AppError::Invalid(unknown.iter().map(|f| FieldError::new(f, "error-field-unknown")).collect()))
            }
        }
    }
}

/// axum's JSON extractor, its rejections mapped to problems that name the field.
async fn json_body<T: DeserializeOwned, S: Send + Sync>(req: Request, state: &S) -> Result<T, AppError> {
    match Json::<T>::from_request(req, state).await {
        Ok(Json(v)) => Ok(v),
        Err(rejection) => Err(match rejection {
            JsonRejection::JsonDataError(e) => {
                AppError::BadJson { status: StatusCode::UNPROCESSABLE_ENTITY, detail: e.body_text() }
            }
            JsonRejection::JsonSyntaxError(e) => {
                AppError::BadJson { status: StatusCode::BAD_REQUEST, detail: e.body_text() }
            }
            JsonRejection::MissingJsonContentType(_) => AppError::BadJson {
                status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
                detail: "Content-Type: application/json".into(),
            },
            JsonRejection::BytesRejection(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                AppError::PayloadTooLarge
            }
            other => AppError::BadJson { status: other.status(), detail: other.body_text() },
        }),
    }
}
