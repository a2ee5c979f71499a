//! Static files (style sheet, scripts), compiled into the binary.

use axum::{
    Router,
    extract::Path,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use rust_embed::RustEmbed;

use super::error::AppError;
use crate::web::AppState;

#[derive(RustEmbed)]
#[folder = "templates/static/"]
struct StaticFiles;

pub fn router() -> Router<AppState> {
    Router::new().route("/static/{*file}", get(serve))
}

async fn serve(Path(file): Path<String>) -> Result<Response, AppError> {
    let asset = StaticFiles::get(&file).ok_or(AppError::NotFound)?;
    let mime = match file.rsplit('.').next() {
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("ico") => "image/x-icon",
        _ => "application/octet-stream",
    };
    let mut res = asset.data.into_owned().into_response();
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    Ok(res)
}
