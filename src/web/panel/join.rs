//! Joining the panel (the `/join` form and the shared rules of `POST /api/v1/signups`) and verifying contact points.

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};

pub use crate::panel::join::{ConsentInput, SignupInput, check_code, interests, register, validate};
use crate::{
    domain::panel::{AgeBand, ConsentMethod, Purpose, consent_choices},
    i18n::Lang,
    storage::SecretPurpose,
    web::AppState,
    web::{
        context::{CsrfForm, RequestContext},
        error::{AppError, FieldError},
        page::{Chrome, MessagePage, Page},
    },
};

/// Validates, rate-limits (per client address and per contact point), stores and sends each new contact point its
/// verification message.
pub async fn signup(
    state: &AppState,
    ctx: &RequestContext,
    input: &SignupInput,
    method: ConsentMethod,
) -> Result<(), AppError> {
    let new = validate(state, ctx.lang, input, method).await?;
    let keys: Vec<String> = new.contacts.iter().map(|(k, v)| format!("{}:{v}", k.as_str())).collect();
    state
        .panel_limiter
        .check(ctx.client_ip, &keys)
        .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })?;
    Ok(register(state, &new).await?)
}

/// The join form's fields, as the browser sends them.
#[derive(Debug, Default, Deserialize)]
pub struct JoinForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
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
    /// `purpose:channel` values of the ticked boxes.
    #[serde(default)]
    consent: Vec<String>,
}

#[derive(Serialize)]
struct Choice {
    value: String,
    label_key: String,
    checked: bool,
}

#[derive(Serialize)]
struct PurposeChoices {
    purpose: &'static str,
    title_key: String,
    text_key: String,
    channels: Vec<Choice>,
}

#[derive(Serialize)]
struct DistrictChoice {
    number: i64,
    name: String,
    selected: bool,
    checked: bool,
}

#[derive(Serialize)]
struct JoinPage {
    #[serde(flatten)]
    chrome: Chrome,
    email: String,
    phone: String,
    languages: Vec<Choice>,
    districts: Vec<DistrictChoice>,
    age_bands: Vec<Choice>,
    interests: Vec<Choice>,
    purposes: Vec<PurposeChoices>,
    errors: Vec<FieldError>,
}

async fn render_join(
    state: &AppState,
    ctx: &RequestContext,
    form: &JoinForm,
    errors: Vec<FieldError>,
) -> Result<Page, AppError> {
    let home: Option<i64> = form.home_district.parse().ok();
    let districts = state
        .store
        .list_districts()
        .await?
        .into_iter()
        .map(|d| DistrictChoice {
            number: d.number,
            selected: home == Some(d.number),
            checked: form.other_districts.contains(&d.number),
            name: d.name,
        })
        .collect();
    let lang = if form.language.is_empty() { ctx.lang.code().to_string() } else { form.language.clone() };
    let page = JoinPage {
        chrome: Chrome::new(ctx, "join-title"),
        email: form.email.clone(),
        phone: form.phone.clone(),
        languages: Lang::ALL
            .into_iter()
            .map(|l| Choice {
                value: l.code().into(),
                label_key: format!("lang-{}", l.code()),
                checked: lang == l.code(),
            })
            .collect(),
        districts,
        age_bands: AgeBand::ALL
            .into_iter()
            .map(|a| Choice {
                value: a.as_str().into(),
                label_key: a.as_str().into(),
                checked: form.age_band == a.as_str(),
            })
            .collect(),
        interests: interests(state)
            .into_iter()
            .map(|i| Choice { label_key: format!("interest-{i}"), checked: form.interests.contains(&i), value: i })
            .collect(),
        purposes: Purpose::ALL
            .into_iter()
            .map(|p| PurposeChoices {
                purpose: p.as_str(),
                title_key: format!("purpose-{}", p.as_str()),
                text_key: format!("purpose-{}-text", p.as_str()),
                channels: consent_choices()
                    .filter(|(pp, _)| *pp == p)
                    .map(|(_, c)| {
                        let value = format!("{}:{}", p.as_str(), c.as_str());
                        Choice { checked: form.consent.contains(&value), value, label_key: format!("channel-{c}") }
                    })
                    .collect(),
            })
            .collect(),
        errors,
    };
    state.templates.page("pages/panel/join", &page)
}

pub async fn join_page(State(state): State<AppState>, ctx: RequestContext) -> Result<Page, AppError> {
    render_join(&state, &ctx, &JoinForm::default(), Vec::new()).await
}

/// A one-sentence page of the panel, with a link onward.
pub fn message(
    state: &AppState,
    ctx: &RequestContext,
    status: StatusCode,
    heading_key: &'static str,
    text_key: &'static str,
    link: Option<(&'static str, &'static str)>,
) -> Result<Response, AppError> {
    MessagePage { link, ..MessagePage::new(ctx, heading_key, text_key) }.render(&state.templates, status)
}

pub async fn join_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    CsrfForm(form): CsrfForm<JoinForm>,
) -> Result<Response, AppError> {
    let input = SignupInput {
        email: Some(form.email.clone()),
        phone: Some(form.phone.clone()),
        language: Some(form.language.clone()),
        home_district: if form.home_district.trim().is_empty() {
            None
        } else {
            form.home_district.trim().parse().ok().or(Some(-1))
        },
        other_districts: form.other_districts.clone(),
        age_band: Some(form.age_band.clone()),
        interests: form.interests.clone(),
        consents: form
            .consent
            .iter()
            .map(|v| {
                let (purpose, channel) = v.split_once(':').unwrap_or((v, ""));
                ConsentInput { purpose: purpose.into(), channel: channel.into() }
            })
            .collect(),
    };
    match signup(&state, &ctx, &input, ConsentMethod::Web).await {
        Ok(()) => message(
            &state,
            &ctx,
            StatusCode::ACCEPTED,
            "join-sent-title",
            "join-sent-text",
            Some(("/verify/code", "join-sent-code-link")),
        ),
        Err(AppError::Invalid(errors)) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, render_join(&state, &ctx, &form, errors).await?).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub code: String,
}

#[derive(Serialize)]
struct CodePage {
    #[serde(flatten)]
    chrome: Chrome,
    action: &'static str,
    phone: String,
    errors: Vec<FieldError>,
}

pub fn render_code(
    state: &AppState,
    ctx: &RequestContext,
    action: &'static str,
    title_key: &'static str,
    phone: &str,
    errors: Vec<FieldError>,
) -> Result<Response, AppError> {
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = CodePage { chrome: Chrome::new(ctx, title_key), action, phone: phone.to_string(), errors };
    Ok((status, state.templates.page("pages/panel/code", &page)?).into_response())
}

#[derive(Deserialize)]
pub struct CodeQuery {
    phone: Option<String>,
}

pub async fn code_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    Query(q): Query<CodeQuery>,
) -> Result<Response, AppError> {
    render_code(&state, &ctx, "/verify/code", "verify-code-title", q.phone.as_deref().unwrap_or(""), Vec::new())
}

/// Takes one code check from the client's budget and the number's (registered or not: they must answer alike).
pub fn limit_code_checks(state: &AppState, ctx: &RequestContext, phone: &str) -> Result<(), AppError> {
    let number = crate::domain::PhoneE164::parse(phone)
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|_| phone.trim().to_string());
    state
        .panel_limiter
        .check_code(ctx.client_ip, &number)
        .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })
}

pub async fn code_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, AppError> {
    limit_code_checks(&state, &ctx, &form.phone)?;
    match check_code(&state, &form.phone, &form.code, SecretPurpose::Verify).await? {
        Ok(resident_id) => {
            tracing::info!(resident_id, "phone verified");
            message(
                &state,
                &ctx,
                StatusCode::OK,
                "verified-title",
                "verified-text",
                Some(("/me/signin", "verified-signin-link")),
            )
        }
        Err(errors) => render_code(&state, &ctx, "/verify/code", "verify-code-title", &form.phone, errors),
    }
}
