//! The intervention desk on the web.
//!
//! - Residents: `/report` — find the service by describing the problem (`?q=`), then the form for one service
//!   (`?service=CODE`), filed as multipart `POST /report`.
//! - Officials: `/official/reports` (the worklist, [`worklist`]: the dispatcher sees every report, unit staff their
//!   units'; filters, orders and pages),
//!   `/official/reports/{id}` (a report, its photos and history, and the form for the next state);
//!   `/official/desk/staff` (admins: who works for which unit); `/official/desk/catalogue` (admins: the services
//!   and units; adding, changing, retiring a service; its units per district — [`catalogue`]).
//! - JSON (plain axum routes, listed in the OpenAPI document through `ApiDoc`'s `paths`): `GET /api/v1/services`,
//!   `POST /api/v1/reports`, `GET /api/v1/reports/{id}`, `GET /api/v1/reports/{id}/photos/{n}`,
//!   `POST /api/v1/reports/{id}/transitions`, `POST /api/v1/reports/{id}/publication` (the dispatcher publishes the
//!   description and photos), `POST /api/v1/reports/{id}/merge` (the dispatcher merges a duplicate into another
//!   report, [`merge`]), `GET /api/v1/reports/stats`.
//! - Anyone: `/reports` (the public list and map, [`public`]), `/reports/{id}`, `/reports/stats` ([`stats`]).
//!
//! The two upload routes (`POST /report`, `POST /api/v1/reports`) take bodies up to [`UPLOAD_MAX_BYTES`]; every
//! other route keeps `max_body_bytes` ([`is_upload`], read by the web's body-limit middleware).

pub(crate) mod api;
mod catalogue;
mod catalogue_form;
pub(crate) mod follow;
mod form;
pub(crate) mod merge;
pub(crate) mod moderation;
mod official;
pub(crate) mod open_data;
mod pages;
pub(crate) mod public;
pub(crate) mod resident;
pub(crate) mod stats;
mod worklist;

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::Method,
    middleware,
    routing::{get, post},
};

use super::context::{ADMIN, ANY_OFFICIAL, require_roles};
use crate::{domain::Role, web::AppState};

const DISPATCHER: &[Role] = &[Role::Dispatcher];

/// Three photos of at most 10 MB each, and the rest of the form.
pub const UPLOAD_MAX_BYTES: usize = 3 * crate::desk::photo::MAX_PHOTO_BYTES + 1024 * 1024;

/// Whether a request is one of the upload routes, whose body may be up to [`UPLOAD_MAX_BYTES`].
pub fn is_upload(method: &Method, path: &str) -> bool {
    method == Method::POST && (path == "/report" || path == "/api/v1/reports")
}

/// The resident's side of hearing back (`resident.rs`).
fn resident_routes() -> Router<AppState> {
    Router::new()
        .route("/report-updates/{token}", get(resident::stop_page).post(resident::stop_one_click))
        .route("/report-contact/{token}", get(resident::confirm_page).post(resident::confirm_press))
        .route("/report-code/{contact}", get(resident::code_form).post(resident::code_submit))
        .route("/api/v1/report-contacts/{contact}/confirm", post(resident::api_confirm_code))
        .route("/api/v1/reports/nearby", get(follow::api_nearby))
        .route("/api/v1/reports/{id}/followers", post(follow::api_follow))
        .route("/report/nearby", get(follow::nearby_page))
        .route("/report/follow/{id}", get(follow::follow_form).post(follow::follow_submit))
        .route("/report-fixed/{token}", get(follow::fixed_page).post(follow::fixed_answer))
}

pub fn router() -> Router<AppState> {
    let staff = Router::new()
        .route("/official/reports", get(worklist::worklist))
        .route("/official/reports/{id}", get(official::show))
        .route("/official/reports/{id}/transition", post(official::transition))
        .route_layer(middleware::from_fn(|req, next| require_roles(ANY_OFFICIAL, req, next)));
    let admin = Router::new()
        .route("/official/desk/staff", get(official::staff))
        .route("/official/desk/staff/{id}", post(official::set_staff))
        .route("/official/desk/catalogue", get(catalogue::list).post(catalogue::add))
        .route("/official/desk/catalogue/new", get(catalogue::new_form))
        .route("/official/desk/catalogue/{code}", get(catalogue::edit_form).post(catalogue::change))
        .route("/official/desk/catalogue/{code}/active", post(catalogue::set_active))
        .route_layer(middleware::from_fn(|req, next| require_roles(ADMIN, req, next)));
    let api_staff = Router::new()
        .route("/api/v1/reports/{id}/transitions", post(api::transition))
        .route_layer(middleware::from_fn(|req, next| require_roles(ANY_OFFICIAL, req, next)));
    // Publication and merging: the dispatcher only, refused before the body is read.
    let dispatcher = Router::new()
        .route("/api/v1/reports/{id}/publication", post(moderation::publish_json))
        .route("/official/reports/{id}/publication", post(moderation::publish_form))
        .route("/api/v1/reports/{id}/merge", post(merge::merge_json))
        .route("/official/reports/{id}/merge", post(merge::merge_form))
        .route_layer(middleware::from_fn(|req, next| require_roles(DISPATCHER, req, next)));
    Router::new()
        .route("/report", get(pages::report_page).post(pages::report_submit).layer(DefaultBodyLimit::disable()))
        .route("/api/v1/services", get(api::services))
        .route("/api/v1/reports", post(api::create).layer(DefaultBodyLimit::disable()))
        .route("/api/v1/reports/{id}", get(api::show))
        .route("/api/v1/reports/{id}/photos/{n}", get(api::photo))
        .route("/api/v1/reports/stats", get(stats::stats_json))
        .route("/reports", get(public::list))
        .route("/open-data/reports.csv", get(open_data::csv))
        .route("/open-data/reports.csv-metadata.json", get(open_data::csvw))
        .route("/open-data/reports.json", get(open_data::json))
        .route("/reports/stats", get(stats::stats_page))
        .route("/reports/{id}", get(public::show))
        .merge(resident_routes())
        .merge(staff)
        .merge(admin)
        .merge(api_staff)
        .merge(dispatcher)
}
