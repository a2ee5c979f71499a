//! A resident's optional home point: shared on `/me` so alerts drawn as polygons or circles reach them by where
//! they live, not only by district. Typed as `lat, lon` (or filled in by the browser's location, if the resident
//! asks), rounded to 4 decimal places (about 10 m), removable with one button, part of the export, gone at erasure.

use axum::{
    extract::State,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::{Resident, me::render_me_typed};
use crate::{
    domain::geo::Point,
    web::AppState,
    web::{
        context::{CsrfForm, RequestContext},
        error::{AppError, FieldError},
    },
};

#[derive(Deserialize)]
pub struct HomePointForm {
    #[serde(default)]
    home_point: String,
    /// The "remove" button.
    remove: Option<String>,
}

/// `50.0614, 19.9366` (a comma, semicolon or spaces between), each in range, rounded to 4 decimal places. Polish
/// decimal commas are read too when the two numbers are apart: `50,0614 19,9366` or `50,0614; 19,9366`.
pub fn parse_home_point(text: &str) -> Option<Point> {
    let decimal_commas = !text.contains('.') && text.split([' ', ';']).filter(|s| !s.trim().is_empty()).count() == 2;
    let text = if decimal_commas { text.replace(',', ".") } else { text.to_string() };
    let mut parts = text.split([',', ' ', ';']).filter(|s| !s.trim().is_empty());
    let lat: f64 = parts.next()?.trim().parse().ok()?;
    let lon: f64 = parts.next()?.trim().parse().ok()?;
    if parts.next().is_some() {
        return None;
    }
    let round = |v: f64| (v * 10_000.0).round() / 10_000.0;
    let point = Point::new(round(lat), round(lon));
    point.validate().ok().map(|_| point)
}

pub async fn set(
    State(state): State<AppState>,
    ctx: RequestContext,
    resident: Resident,
    CsrfForm(form): CsrfForm<HomePointForm>,
) -> Result<Response, AppError> {
    if form.remove.is_some() {
        state.store.set_home_point(resident.id, None).await?;
        tracing::info!(resident_id = resident.id, "home point removed");
        return Ok(Redirect::to("/me?done=home_point_removed#home-point").into_response());
    }
    let Some(point) = parse_home_point(&form.home_point) else {
        let error = FieldError::new("home_point", "field-home-point-invalid");
        return render_me_typed(&state, &ctx, resident.id, None, vec![error], Some(form.home_point)).await;
    };
    state.store.set_home_point(resident.id, Some(point)).await?;
    tracing::info!(resident_id = resident.id, "home point shared");
    Ok(Redirect::to("/me?done=home_point#home-point").into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_are_read_leniently_and_rounded() {
        assert_eq!(parse_home_point("50.06143, 19.93658"), Some(Point::new(50.0614, 19.9366)));
        assert_eq!(parse_home_point(" 50.0614 19.9366 "), Some(Point::new(50.0614, 19.9366)));
        assert_eq!(parse_home_point("50.0614,19.9366"), Some(Point::new(50.0614, 19.9366)));
        assert_eq!(parse_home_point("50,0614 19,9366"), Some(Point::new(50.0614, 19.9366)));
        assert_eq!(parse_home_point("50,0614; 19,9366"), Some(Point::new(50.0614, 19.9366)));
        assert_eq!(parse_home_point("50, 19"), Some(Point::new(50.0, 19.0)));
        for bad in ["", "50.06", "91, 19.9", "50, 181", "fifty, twenty", "50, 19, 3", "NaN, 19"] {
            assert_eq!(parse_home_point(bad), None, "{bad:?}");
        }
    }
}
