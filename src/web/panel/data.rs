//! The data-protection rights: export (Art. 15/20) and erasure (Art. 17).

use axum::{
    Json,
    extract::State,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use axum_extra::extract::cookie::Cookie;
use serde::{Deserialize, Serialize};

use super::{RESIDENT_COOKIE, Resident, join::message};
pub use crate::panel::data::export_json;
use crate::{
    panel::data,
    web::AppState,
    web::{
        context::{CsrfForm, RequestContext, append_cookie},
        error::{AppError, FieldError},
        page::{Chrome, Page},
    },
};

/// Art. 15/20: everything held about the resident, as a JSON download.
pub async fn export(State(state): State<AppState>, resident: Resident) -> Result<Response, AppError> {
    export_download(&state, resident.id).await
}

/// The export of one resident as a JSON attachment (also used for an admin's data-subject request).
pub async fn export_download(state: &AppState, resident_id: i64) -> Result<Response, AppError> {
    let body = export_json(state, resident_id).await?;
    let mut res = Json(body).into_response();
    res.headers_mut()
        .insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("attachment; filename=\"hejnal-my-data.json\""));
    Ok(res)
}

#[derive(Serialize)]
struct ErasePage {
    #[serde(flatten)]
    chrome: Chrome,
    errors: Vec<FieldError>,
}

pub async fn erase_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    _resident: Resident,
) -> Result<Page, AppError> {
    state
        .templates
        .page("pages/panel/erase", &ErasePage { chrome: Chrome::new(&ctx, "erase-title"), errors: Vec::new() })
}

#[derive(Deserialize)]
pub struct EraseForm {
    #[serde(default)]
    confirm: String,
}

/// Art. 17: erase after confirming. Messages already queued are skipped by the directory.
pub async fn erase(
    State(state): State<AppState>,
    ctx: RequestContext,
    resident: Resident,
    CsrfForm(form): CsrfForm<EraseForm>,
) -> Result<Response, AppError> {
    if form.confirm != "yes" {
        let page = ErasePage {
            chrome: Chrome::new(&ctx, "erase-title"),
            errors: vec![FieldError::new("confirm", "field-erase-confirm")],
        };
        return Ok(
            (StatusCode::UNPROCESSABLE_ENTITY, state.templates.page("pages/panel/erase", &page)?).into_response()
        );
    }
    data::erase(&state, resident.id).await?;
    let mut res = message(&state, &ctx, StatusCode::OK, "erased-title", "erased-text", None)?;
    append_cookie(
        &mut res,
        Cookie::build((RESIDENT_COOKIE, "")).path("/").max_age(cookie::time::Duration::ZERO).build(),
    );
    Ok(res)
}
