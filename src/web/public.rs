//! The public front page.

use axum::{Router, extract::State, routing::get};
use serde::Serialize;

use super::{
    context::RequestContext,
    error::AppError,
    page::{Chrome, Page},
};
use crate::web::AppState;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(home))
}

#[derive(Serialize)]
struct HomePage {
    #[serde(flatten)]
    chrome: Chrome,
    districts: usize,
}

async fn home(State(state): State<AppState>, ctx: RequestContext) -> Result<Page, AppError> {
    let districts = state.store.list_districts().await?.len();
    let page = HomePage { chrome: Chrome::new(&ctx, "home-title"), districts };
    state.templates.page("pages/home", &page)
}
