//! Callbacks from gateways: SMS delivery reports from Kannel.

use axum::{
    Router,
    extract::{Query, State},
    routing::get,
};
use serde::Deserialize;

use super::error::AppError;
use crate::{domain::secret_token::constant_time_eq, web::AppState};

pub fn router() -> Router<AppState> {
    Router::new().route("/hooks/sms/dlr", get(sms_report))
}

#[derive(Deserialize)]
pub struct DlrQuery {
    delivery: i64,
    sig: String,
    status: u32,
}

/// Kannel calls this `dlr-url` with `%d` filled in: 1 delivered, 2 failed, 8 accepted by the operator, 16 rejected.
/// The URL is signed per delivery, so a forged or altered report is refused.
async fn sms_report(State(state): State<AppState>, Query(q): Query<DlrQuery>) -> Result<&'static str, AppError> {
    let expected = hejnal_jobs::dlr_signature(&state.keys.dlr_secret, q.delivery);
    if !constant_time_eq(&expected, &q.sig) {
        return Err(AppError::Forbidden);
    }
    if !hejnal_jobs::record_sms_report(&state.store.queue_db(), q.delivery, q.status).await? {
        return Err(AppError::NotFound);
    }
    tracing::info!(delivery_id = q.delivery, status = q.status, "SMS delivery report");
    Ok("ok")
}
