//! Resident self-service: profile, contact points, consents (current and history), the notice banner, and the
//! privacy notice. Push devices are in [`super::push`], export and erasure in [`super::data`].

use axum::{
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use serde::{Deserialize, Serialize};

use super::{Resident, join::interests};
use crate::{
    core::CoreError,
    domain::panel::{AgeBand, Channel, ContactKind, Purpose},
    i18n::Lang,
    panel::account::{self, ProfileInput},
    storage::{ConsentEvent, Notice},
    web::AppState,
    web::{
        context::{CsrfForm, RequestContext},
        error::{AppError, FieldError},
        page::{Chrome, Page},
    },
};

#[derive(Serialize)]
struct ConsentCell {
    channel: &'static str,
    label_key: String,
    granted: bool,
}

#[derive(Serialize)]
struct ConsentRow {
    purpose: &'static str,
    title_key: String,
    cells: Vec<ConsentCell>,
}

#[derive(Serialize)]
struct ContactView {
    id: i64,
    kind: &'static str,
    value: String,
    verified: bool,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label: String,
    selected: bool,
}

#[derive(Serialize)]
struct MePage {
    #[serde(flatten)]
    chrome: Chrome,
    review_version: Option<i64>,
    notice_key: Option<String>,
    errors: Vec<FieldError>,
    languages: Vec<Choice>,
    districts: Vec<Choice>,
    other_districts: Vec<Choice>,
    age_bands: Vec<Choice>,
    interests: Vec<Choice>,
    survey_limit: i64,
    test_group: bool,
    /// The shared home point as `lat, lon` (or what was just typed, when it had an error).
    home_point: String,
    home_point_shared: bool,
    contacts: Vec<ContactView>,
    consents: Vec<ConsentRow>,
    history: Vec<ConsentEvent>,
}

#[derive(Deserialize)]
pub struct MeQuery {
    done: Option<String>,
}

/// Keys of the confirmations shown after a change (`/me?done=…`).
fn done_key(done: Option<&str>) -> Option<String> {
    match done? {
        "profile" => Some("me-done-profile".into()),
        "consent" => Some("me-done-consent".into()),
        "contact" => Some("me-done-contact".into()),
        "removed" => Some("me-done-removed".into()),
        "notice" => Some("me-done-notice".into()),
        "home_point" => Some("me-done-home-point".into()),
        "home_point_removed" => Some("me-done-home-point-removed".into()),
        _ => None,
    }
}

async fn render_me(
    state: &AppState,
    ctx: &RequestContext,
    resident_id: i64,
    notice_key: Option<String>,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    render_me_typed(state, ctx, resident_id, notice_key, errors, None).await
}

/// The page, keeping a typed home point that had an error.
pub(super) async fn render_me_typed(
    state: &AppState,
    ctx: &RequestContext,
    resident_id: i64,
    notice_key: Option<String>,
    errors: Vec<FieldError>,
    typed_home_point: Option<String>,
) -> Result<Response, AppError> {
    let r = state.store.resident(resident_id).await?.ok_or(AppError::NotFound)?;
    let notice = state.store.current_notice().await?;
    let reviewed = state.store.reviewed_notice(resident_id).await?;
    let review_version = notice.as_ref().map(|n| n.version).filter(|v| reviewed.is_none_or(|r| r < *v));
    let current = state.store.current_consents(resident_id).await?;
    let districts = state.store.list_districts().await?;
    let consents = Purpose::ALL
        .into_iter()
        .map(|p| ConsentRow {
            purpose: p.as_str(),
            title_key: format!("purpose-{}", p.as_str()),
            cells: [Channel::Email, Channel::Sms, Channel::Push]
                .into_iter()
                .map(|c| ConsentCell {
                    channel: c.as_str(),
                    label_key: format!("channel-{c}"),
                    granted: current.iter().any(|(pp, cc, g)| pp == p.as_str() && cc == c.as_str() && *g),
                })
                .collect(),
        })
        .collect();
    let mut history = state.store.consent_history(resident_id).await?;
    history.reverse();
    let page = MePage {
        chrome: Chrome::new(ctx, "me-title"),
        review_version,
        notice_key,
        errors,
        languages: Lang::ALL
            .into_iter()
            .map(|l| Choice {
                value: l.code().into(),
                label: format!("lang-{}", l.code()),
                selected: r.language == l.code(),
            })
            .collect(),
        districts: districts
            .iter()
            .map(|d| Choice {
                value: d.number.to_string(),
                label: d.name.clone(),
                selected: r.home_district == Some(d.number),
            })
            .collect(),
        other_districts: districts
            .iter()
            .map(|d| Choice {
                value: d.number.to_string(),
                label: d.name.clone(),
                selected: r.other_districts.contains(&d.number),
            })
            .collect(),
        age_bands: AgeBand::ALL
            .into_iter()
            .map(|a| Choice {
                value: a.as_str().into(),
                label: a.as_str().into(),
                selected: r.age_band.as_deref() == Some(a.as_str()),
            })
            .collect(),
        interests: interests(state)
            .into_iter()
            .map(|i| Choice { label: format!("interest-{i}"), selected: r.interests.contains(&i), value: i })
            .collect(),
        survey_limit: r.monthly_survey_limit,
        home_point: typed_home_point
            .or_else(|| r.home_point.map(|p| format!("{}, {}", p.lat, p.lon)))
            .unwrap_or_default(),
        home_point_shared: r.home_point.is_some(),
        test_group: r.test_group,
        contacts: r
            .contact_points
            .iter()
            .map(|c| ContactView {
                id: c.id,
                kind: c.kind.as_str(),
                value: c.value.clone(),
                verified: c.verified_at.is_some(),
            })
            .collect(),
        consents,
        history,
    };
    let status = if page.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    Ok((status, state.templates.page("pages/panel/me", &page)?).into_response())
}

pub async fn me_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    resident: Resident,
    axum::extract::Query(q): axum::extract::Query<MeQuery>,
) -> Result<Response, AppError> {
    render_me(&state, &ctx, resident.id, done_key(q.done.as_deref()), Vec::new()).await
}

#[derive(Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    language: String,
    #[serde(default)]
    home_district: String,
    #[serde(default)]
    other_districts: Vec<i64>,
    #[serde(default)]
    age_band: String,
    #[serde(default)]
    interests: Vec<String>,
    #[serde(default)]
    survey_limit: String,
    /// The "test and exercise messages" checkbox.
    test_group: Option<String>,
}

pub async fn update_profile(
    State(state): State<AppState>,
    ctx: RequestContext,
    resident: Resident,
    CsrfForm(form): CsrfForm<ProfileForm>,
) -> Result<Response, AppError> {
    let input = ProfileInput {
        language: &form.language,
        home_district: &form.home_district,
        other_districts: &form.other_districts,
        age_band: &form.age_band,
        interests: &form.interests,
        survey_limit: &form.survey_limit,
        test_group: form.test_group.is_some(),
    };
    match account::update_profile(&state, resident.id, &input).await {
        Ok(()) => {}
        Err(CoreError::Invalid(errors)) => return render_me(&state, &ctx, resident.id, None, errors).await,
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to("/me?done=profile").into_response())
}

#[derive(Deserialize)]
pub struct ConsentForm {
    purpose: String,
    channel: String,
    /// `1` grants, `0` withdraws.
    grant: String,
}

/// One click: grant or withdraw one purpose × channel (a new ledger event either way).
pub async fn change_consent(
    State(state): State<AppState>,
    resident: Resident,
    CsrfForm(form): CsrfForm<ConsentForm>,
) -> Result<Response, AppError> {
    account::change_consent(&state, resident.id, &form.purpose, &form.channel, form.grant == "1").await?;
    Ok(Redirect::to("/me?done=consent#consents").into_response())
}

#[derive(Deserialize)]
pub struct ReviewForm {
    version: i64,
}

pub async fn review_notice(
    State(state): State<AppState>,
    resident: Resident,
    CsrfForm(form): CsrfForm<ReviewForm>,
) -> Result<Response, AppError> {
    account::review_notice(&state, resident.id, form.version).await?;
    Ok(Redirect::to("/me?done=notice").into_response())
}

#[derive(Deserialize)]
pub struct ContactForm {
    #[serde(default)]
    contact: String,
}

/// Adds an email or phone; it gets its verification message. An address already registered elsewhere gets the same
/// answer (and no message): the page never tells whose it is.
pub async fn add_contact(
    State(state): State<AppState>,
    ctx: RequestContext,
    resident: Resident,
    CsrfForm(form): CsrfForm<ContactForm>,
) -> Result<Response, AppError> {
    let parsed = ContactKind::read(&form.contact);
    let Some((kind, value)) = parsed else {
        return render_me(&state, &ctx, resident.id, None, vec![FieldError::new("contact", "field-contact-invalid")])
            .await;
    };
    state
        .panel_limiter
        .check(ctx.client_ip, &[format!("{}:{value}", kind.as_str())])
        .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })?;
    account::add_contact(&state, resident.id, kind, &value, ctx.lang).await?;
    Ok(Redirect::to("/me?done=contact#contacts").into_response())
}

pub async fn remove_contact(
    State(state): State<AppState>,
    ctx: RequestContext,
    resident: Resident,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<super::signin::Empty>,
) -> Result<Response, AppError> {
    match account::remove_contact(&state, resident.id, id).await {
        Ok(()) => {}
        Err(CoreError::Invalid(errors)) => return render_me(&state, &ctx, resident.id, None, errors).await,
        Err(e) => return Err(e.into()),
    }
    Ok(Redirect::to("/me?done=removed#contacts").into_response())
}

#[derive(Serialize)]
struct PrivacyPage {
    #[serde(flatten)]
    chrome: Chrome,
    notice: Option<NoticeView>,
}

#[derive(Serialize)]
pub struct NoticeView {
    pub version: i64,
    pub published: String,
    pub paragraphs: Vec<String>,
}

pub fn notice_view(n: &Notice, lang: Lang) -> NoticeView {
    let text = match lang {
        Lang::Pl => &n.text_pl,
        Lang::En => &n.text_en,
        Lang::Uk => &n.text_uk,
    };
    NoticeView {
        version: n.version,
        published: n.published_at.format("%Y-%m-%d").to_string(),
        paragraphs: text.split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect(),
    }
}

pub async fn privacy_page(State(state): State<AppState>, ctx: RequestContext) -> Result<Page, AppError> {
    let notice = state.store.current_notice().await?.map(|n| notice_view(&n, ctx.lang));
    state.templates.page("pages/panel/privacy", &PrivacyPage { chrome: Chrome::new(&ctx, "privacy-title"), notice })
}
