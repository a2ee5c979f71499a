//! The admins' page for Open311 API keys: issue one for an app (shown once), see when each was last used, revoke.
//! Every issue and revocation is in the audit log.

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::{Deserialize, Serialize};

use crate::{
    core::CoreError,
    desk::apikeys::{self, Via},
    storage::open311::ApiKey,
    web::{
        AppState,
        context::{CsrfForm, RequestContext},
        error::{AppError, FieldError},
        official::login::Empty,
        page::{Chrome, Page},
    },
};

#[derive(Serialize)]
struct KeysPage {
    #[serde(flatten)]
    chrome: Chrome,
    keys: Vec<ApiKey>,
    /// A key just issued, shown once.
    new_key: Option<String>,
    name: String,
    errors: Vec<FieldError>,
}

async fn render(
    state: &AppState,
    ctx: &RequestContext,
    new_key: Option<String>,
    name: String,
    errors: Vec<FieldError>,
) -> Result<Page, AppError> {
    let page = KeysPage {
        chrome: Chrome::new(ctx, "open311-keys-title"),
        keys: apikeys::list(&state.store).await?,
        new_key,
        name,
        errors,
    };
    state.templates.page("pages/official/apikeys", &page)
}

pub async fn page(State(state): State<AppState>, ctx: RequestContext) -> Result<Page, AppError> {
    render(&state, &ctx, None, String::new(), Vec::new()).await
}

#[derive(Deserialize)]
pub struct CreateForm {
    #[serde(default)]
    name: String,
}

pub async fn create(
    State(state): State<AppState>,
    ctx: RequestContext,
    CsrfForm(form): CsrfForm<CreateForm>,
) -> Result<Response, AppError> {
    let actor = ctx.official()?.id;
    match apikeys::create(&state.store, Some(actor), &form.name, Via::Pages).await {
        Ok((key, _)) => Ok(render(&state, &ctx, Some(key), String::new(), Vec::new()).await?.into_response()),
        Err(CoreError::Invalid(errors)) => {
            let page = render(&state, &ctx, None, form.name, errors).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    apikeys::revoke(&state.store, Some(ctx.official()?.id), id, Via::Pages).await?;
    Ok(Redirect::to("/official/admin/apikeys").into_response())
}
