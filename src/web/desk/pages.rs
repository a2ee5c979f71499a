//! `/report`: finding the service by describing the problem, and the report form for one service.

use axum::{
    extract::{Multipart, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};

use super::{api::service_json, form};
use crate::web::panel::signed_in;
use crate::{
    alerts::map,
    core::CoreError,
    desk::{catalogue, report},
    domain::{desk::AttributeKind, desk_report},
    i18n::{Lang, t},
    web::{
        AppState,
        context::{CSRF_FIELD, RequestContext},
        error::{AppError, FieldError},
        page::Chrome,
    },
};

#[derive(Serialize)]
struct Card {
    code: String,
    name: String,
    hint: String,
    unit_name: String,
    target_days: i64,
}

#[derive(Serialize)]
struct AttributeField {
    code: String,
    label: String,
    required: bool,
    boolean: bool,
    value: String,
    yes: bool,
    no: bool,
}

/// One of a signed-in panel member's verified contact points, offered to hear back on.
#[derive(Serialize)]
struct AccountContact {
    /// The form's `contact` value: `account-{id}`.
    choice: String,
    value: String,
}

#[derive(Serialize, Default)]
struct Values {
    description: String,
    coordinates: String,
    address: String,
    contact: String,
    email: String,
    phone: String,
    public: bool,
}

#[derive(Serialize)]
struct ReportPage {
    #[serde(flatten)]
    chrome: Chrome,
    q: String,
    searched: bool,
    results: Vec<Card>,
    services: Vec<Card>,
    service: Option<Card>,
    attributes: Vec<AttributeField>,
    /// The signed-in panel member's verified contact points (none when nobody is signed in).
    account: Vec<AccountContact>,
    values: Values,
    errors: Vec<FieldError>,
    max_description: usize,
    /// The district map to pick the place on (only with `alerts.boundaries`); the coordinates field is its
    /// equivalent and works without it.
    point_map: Option<String>,
}

#[derive(Deserialize)]
pub(crate) struct ReportQuery {
    q: Option<String>,
    service: Option<String>,
}

fn card(j: super::api::ServiceJson) -> Card {
    Card { code: j.code, name: j.name, hint: j.hint, unit_name: j.unit_name, target_days: j.target_days }
}

/// The verified contact points of the signed-in panel member, if any.
async fn account_contacts(state: &AppState, resident: Option<i64>) -> Result<Vec<AccountContact>, AppError> {
    let Some(id) = resident else { return Ok(Vec::new()) };
    let Some(r) = state.store.resident(id).await? else { return Ok(Vec::new()) };
    Ok(r.contact_points
        .into_iter()
        .filter(|c| c.verified_at.is_some())
        .map(|c| AccountContact { choice: format!("account-{}", c.id), value: c.value })
        .collect())
}

/// What a refused form is shown again with.
#[derive(Default)]
struct Refill<'a> {
    values: Values,
    attributes: &'a [(String, String)],
    errors: Vec<FieldError>,
    /// The signed-in panel member.
    resident: Option<i64>,
}

async fn render(
    state: &AppState,
    ctx: &RequestContext,
    q: Option<String>,
    service: Option<&str>,
    refill: Refill<'_>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let Refill { values, attributes: sent_attributes, errors, resident } = refill;
    let q = q.unwrap_or_default();
    let (c, codes) = if q.trim().is_empty() {
        (catalogue::offered(&state.core).await?, Vec::new())
    } else {
        catalogue::search(&state.core, &q).await?
    };
    let l = ctx.lang.code();
    let chosen = service.and_then(|code| c.service(code));
    let attributes = chosen
        .map(|s| {
            s.attributes
                .iter()
                .map(|a| {
                    let value =
                        sent_attributes.iter().find(|(k, _)| k == &a.code).map(|(_, v)| v.clone()).unwrap_or_default();
                    AttributeField {
                        code: a.code.clone(),
                        label: a.label.get(l).to_string(),
                        required: a.required,
                        boolean: a.kind == AttributeKind::Boolean,
                        yes: value == "true",
                        no: value == "false",
                        value,
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    let page = ReportPage {
        chrome: Chrome::new(ctx, "desk-report-title"),
        searched: !q.trim().is_empty(),
        results: codes.iter().filter_map(|code| c.service(code)).map(|s| card(service_json(&c, s, ctx.lang))).collect(),
        services: if chosen.is_none() {
            c.services.iter().map(|s| card(service_json(&c, s, ctx.lang))).collect()
        } else {
            Vec::new()
        },
        service: chosen.map(|s| card(service_json(&c, s, ctx.lang))),
        attributes,
        account: if chosen.is_some() { account_contacts(state, resident).await? } else { Vec::new() },
        values,
        errors,
        point_map: if chosen.is_some() { point_map(state, ctx.lang).await? } else { None },
        q,
        max_description: desk_report::MAX_DESCRIPTION_CHARS,
    };
    Ok((status, state.templates.page("pages/desk/report", &page)?).into_response())
}

/// The district map the place is picked on (`templates/static/report-point.js` makes it answer clicks and arrow
/// keys), when the deployment has district boundaries.
async fn point_map(state: &AppState, lang: Lang) -> Result<Option<String>, AppError> {
    let Some(boundaries) = state.config.boundaries.as_ref() else { return Ok(None) };
    let districts = state.store.list_districts().await?;
    let title = t(lang, "desk-point-map-title");
    let desc = t(lang, "desk-point-map-desc");
    let name = |n: i64| super::public::district_label(&districts, Some(n));
    let words = map::Words { title: &title, desc: &desc, district_name: &name };
    Ok(Some(map::render(&boundaries.0, &map::Area::default(), &words, "point-map", true)))
}

pub(crate) async fn report_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: HeaderMap,
    Query(query): Query<ReportQuery>,
) -> Result<Response, AppError> {
    let refill = Refill { resident: signed_in(&state, &headers).await?, ..Refill::default() };
    render(&state, &ctx, query.q, query.service.as_deref(), refill, StatusCode::OK).await
}

#[derive(Serialize)]
struct FiledPage {
    #[serde(flatten)]
    chrome: Chrome,
    id: i64,
    duplicate: bool,
    contact: bool,
    /// The contact waits for its confirmation: by the emailed link, or by the SMS code (its form: `code_contact`).
    pending_email: bool,
    code_contact: Option<i64>,
}

/// Files the form. The page's own fields: `_csrf`, `coordinates` ("lat, lon" in one field) and `contact`
/// (`none`, `email`, `phone`: which of the two contact fields counts; `account-{id}`: the signed-in panel member's
/// own contact point).
pub(crate) async fn report_submit(
    State(state): State<AppState>,
    ctx: RequestContext,
    headers: HeaderMap,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let mut f = form::read(multipart).await?;
    let sent = f.other(CSRF_FIELD).unwrap_or("");
    if !crate::domain::secret_token::constant_time_eq(sent, &ctx.csrf) {
        return Err(AppError::CsrfFailed);
    }
    let coordinates = f.other("coordinates").unwrap_or("").to_string();
    let (lat, long) = desk_report::split_coordinates(&coordinates);
    f.input.lat = lat;
    f.input.long = long;
    let contact = f.other("contact").unwrap_or("none").to_string();
    let values = Values {
        description: f.input.description.clone().unwrap_or_default(),
        coordinates,
        address: f.input.address.clone().unwrap_or_default(),
        email: f.input.email.clone().unwrap_or_default(),
        phone: f.input.phone.clone().unwrap_or_default(),
        public: f.input.public.as_deref() == Some("true"),
        contact: contact.clone(),
    };
    let resident = signed_in(&state, &headers).await?;
    match contact.as_str() {
        "email" => f.input.phone = None,
        "phone" => f.input.email = None,
        _ => {
            f.input.email = None;
            f.input.phone = None;
        }
    }
    if let Some(point) = contact.strip_prefix("account-") {
        // Not signed in (or a made-up number): the core refuses it under `contact`.
        f.input.member = Some((resident.unwrap_or(0), point.parse().unwrap_or(0)));
    }
    let service = f.input.service_code.clone();
    let attributes = f.input.attributes.clone();
    let has_contact = f.input.email.is_some() || f.input.phone.is_some();
    super::resident::limit_contact(&state, &ctx, f.input.email.as_deref(), f.input.phone.as_deref())?;
    match report::file(&state.core, f.input, ctx.lang, report::Channel::Web).await {
        Ok(filed) => {
            let pending = crate::desk::follow::pending_reporter(&state.core, filed.id).await?;
            let page = FiledPage {
                pending_email: pending.as_ref().is_some_and(|(_, kind)| kind == "email"),
                code_contact: pending.as_ref().filter(|(_, kind)| kind == "phone").map(|(id, _)| *id),
                chrome: Chrome::new(&ctx, "desk-filed-title"),
                id: filed.id,
                duplicate: filed.duplicate,
                contact: has_contact,
            };
            Ok(state.templates.page("pages/desk/filed", &page)?.into_response())
        }
        Err(CoreError::Invalid(issues)) => {
            // The page's one coordinates field stands for both `lat` and `long`.
            let errors = issues
                .into_iter()
                .map(|mut e| {
                    if e.field == "lat" || e.field == "long" {
                        e.field = "coordinates".into();
                    }
                    e
                })
                .collect();
            let refill = Refill { values, attributes: &attributes, errors, resident };
            render(&state, &ctx, None, service.as_deref(), refill, StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}
