//! The reports as open data, listed in the `/open-data` catalogue: `/open-data/reports.csv` (header row first),
//! `/open-data/reports.csv-metadata.json` (its CSVW metadata) and `/open-data/reports.json`, CC BY 4.0.

use std::sync::Arc;

use axum::{
    Json,
    body::{Body, Bytes},
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};

use crate::{
    desk::open_data,
    web::{AppState, error::AppError},
};

/// A made file as the body, without copying it.
struct Shared(Arc<String>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        self.0.as_bytes()
    }
}

fn shared(file: Arc<String>) -> Response {
    Body::from(Bytes::from_owner(Shared(file))).into_response()
}

fn today(state: &AppState) -> String {
    state.config.local_time(chrono::Utc::now()).date_naive().to_string()
}

pub(crate) async fn csv(State(state): State<AppState>) -> Result<Response, AppError> {
    let mut res = shared(open_data::csv_file(&state.core).await?);
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8; header=present"));
    res.headers_mut()
        .insert(header::LINK, HeaderValue::from_static("</open-data/reports.csv-metadata.json>; rel=\"describedby\""));
    Ok(res)
}

pub(crate) async fn json(State(state): State<AppState>) -> Result<Response, AppError> {
    let mut res = shared(open_data::json_file(&state.core, &today(&state)).await?);
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(res)
}

pub(crate) async fn csvw(State(state): State<AppState>) -> Result<Response, AppError> {
    let base = state.config.public_url.as_str().trim_end_matches('/').to_string();
    let mut res = Json(open_data::csvw(&base, &today(&state))).into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/csvm+json"));
    Ok(res)
}
