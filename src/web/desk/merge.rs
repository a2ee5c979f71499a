//! Merging a duplicate (the dispatcher only): the form on a report's staff page and its JSON twin,
//! `POST /api/v1/reports/{id}/merge`.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::{Deserialize, Serialize};

use super::api::{ReportJson, report_json, with_publication};
use crate::{
    core::CoreError,
    desk::{
        catalogue,
        merge::{self, MergeInput},
    },
    web::{
        AppState,
        api::ApiJson,
        context::{CsrfForm, RequestContext},
        error::{AppError, FieldError, ProblemJson},
    },
};

/// The merge form as the page shows it: what was typed, and each problem under its field (fields named
/// `merge-into`, `merge-public_note`, `merge-internal_note`, apart from the state change form's).
#[derive(Serialize, Default)]
pub(crate) struct MergeView {
    into: String,
    public_note: String,
    internal_note: String,
    errors: Vec<FieldError>,
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeJson {
    /// The number of the open report this one is handled together with from now on.
    into: i64,
    /// Shown to the residents (required): why the two are one.
    #[serde(default)]
    public_note: String,
    /// Seen by staff only.
    #[serde(default)]
    internal_note: String,
}

/// Merges a report into another open report (the dispatcher only; audited): this one becomes `merged`, its reporter
/// and followers follow the other one and each confirmed one is told once.
#[utoipa::path(post, path = "/api/v1/reports/{id}/merge", tag = "desk",
    security(("bearer" = []), ("session" = [])),
    params(("id" = i64, Path, description = "The report to merge (the duplicate)")),
    request_body(content = MergeJson, example = json!({"into": 41, "public_note": "The same fallen tree as report no. 41.", "internal_note": ""})),
    responses(
        (status = 200, description = "The merged report, with `merged_into`", body = ReportJson),
        (status = 401, description = "Not signed in", body = ProblemJson, content_type = "application/problem+json"),
        (status = 403, description = "Not a dispatcher", body = ProblemJson, content_type = "application/problem+json"),
        (status = 404, description = "No such report", body = ProblemJson, content_type = "application/problem+json"),
        (status = 409, description = "The report is closed, or changed meanwhile", body = ProblemJson, content_type = "application/problem+json"),
        (status = 422, description = "`into` is this report, unknown, closed or merged; or a note to fix", body = ProblemJson, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn merge_json(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<MergeJson>,
) -> Result<Json<ReportJson>, AppError> {
    let official = ctx.official()?;
    let input =
        MergeInput { into: body.into.to_string(), public_note: body.public_note, internal_note: body.internal_note };
    let r = merge::merge(&state.core, official, id, &input).await?;
    let c = catalogue::load(&state.core).await?;
    Ok(Json(with_publication(&state, report_json(&state, &c, &r, ctx.lang)).await?))
}

#[derive(Deserialize)]
pub(crate) struct MergeForm {
    #[serde(default)]
    into: String,
    #[serde(default)]
    public_note: String,
    #[serde(default)]
    internal_note: String,
}

pub(crate) async fn merge_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<MergeForm>,
) -> Result<Response, AppError> {
    let official = ctx.official()?;
    let input = MergeInput {
        into: form.into.clone(),
        public_note: form.public_note.clone(),
        internal_note: form.internal_note.clone(),
    };
    match merge::merge(&state.core, official, id, &input).await {
        Ok(_) => Ok(Redirect::to(&format!("/official/reports/{id}")).into_response()),
        Err(CoreError::Invalid(errors)) => {
            let errors = errors.into_iter().map(|e| FieldError { field: format!("merge-{}", e.field), ..e }).collect();
            let view =
                MergeView { into: form.into, public_note: form.public_note, internal_note: form.internal_note, errors };
            super::official::render_show(
                &state,
                &ctx,
                id,
                None,
                Vec::new(),
                Some(view),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}
