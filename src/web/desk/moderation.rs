//! A dispatcher's publication decision, as a form on the report's staff page and as JSON: publish or withhold the
//! description and each photo — only for a report whose reporter allowed publication.

use axum::{
    Json,
    extract::{Path, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::{Deserialize, Serialize};

use crate::{
    desk::publication::{self, Publication, PublicationInput},
    web::{
        AppState,
        api::ApiJson,
        context::{CsrfForm, RequestContext},
        error::{AppError, ProblemJson},
    },
};

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublicationJson {
    /// Publish the reporter's description.
    #[serde(default)]
    description: bool,
    /// The numbers (1–3) of the photos to publish; every other photo is withheld.
    #[serde(default)]
    photos: Vec<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct PublishedJson {
    /// The reporter allowed publication (`public` when filing).
    pub allowed: bool,
    pub description: bool,
    pub photos: Vec<i64>,
}

impl From<Publication> for PublishedJson {
    fn from(p: Publication) -> Self {
        PublishedJson { allowed: p.allowed, description: p.description, photos: p.photos }
    }
}

/// Publishes or withholds a report's description and photos (the dispatcher only; audited).
#[utoipa::path(post, path = "/api/v1/reports/{id}/publication", tag = "desk",
    security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "Report id")),
    request_body(content = PublicationJson, example = json!({"description": true, "photos": [1]})),
    responses(
        (status = 200, description = "What is published now", body = PublishedJson),
        (status = 401, description = "Not signed in", body = ProblemJson, content_type = "application/problem+json"),
        (status = 403, description = "Not a dispatcher", body = ProblemJson, content_type = "application/problem+json"),
        (status = 404, description = "No such report", body = ProblemJson, content_type = "application/problem+json"),
        (status = 409, description = "The reporter did not allow publication", body = ProblemJson, content_type = "application/problem+json"),
        (status = 422, description = "A photo the report does not have", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn publish_json(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<PublicationJson>,
) -> Result<Json<PublishedJson>, AppError> {
    let official = ctx.official()?;
    let input = PublicationInput { description: body.description, photos: body.photos };
    Ok(Json(publication::moderate(&state.core, official, id, &input).await?.into()))
}

#[derive(Deserialize)]
pub(crate) struct PublicationForm {
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    photo: Vec<String>,
}

pub(crate) async fn publish_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<PublicationForm>,
) -> Result<Response, AppError> {
    let official = ctx.official()?;
    let photos = form.photo.iter().map(|p| p.trim().parse::<i64>().unwrap_or(0)).collect();
    let input = PublicationInput { description: form.description.is_some(), photos };
    publication::moderate(&state.core, official, id, &input).await?;
    Ok(Redirect::to(&format!("/official/reports/{id}")).into_response())
}
