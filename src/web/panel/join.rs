//! Joining the panel (the `/join` form and the shared rules of `POST /api/v1/signups`) and verifying contact points.

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::{CODE_TRIES, send_secret};
use crate::{
    app::AppState,
    domain::{
        Email, PhoneE164,
        panel::{AgeBand, Channel, ConsentMethod, ContactKind, Purpose, code_hash, consent_choices},
        secret_token,
    },
    i18n::Lang,
    storage::{CodeCheck, LinkCheck, NewResident, SecretPurpose},
    web::{
        context::{CsrfForm, RequestContext},
        error::{AppError, FieldError},
        page::{Chrome, Page},
    },
};

/// A sign-up as given, before validation: the JSON twin's shape, also filled from the form.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"email": "ala@example.org", "phone": "+48 600 100 200", "language": "pl", "home_district": 13,
    "other_districts": [1], "age_band": "25-34", "interests": ["transport"],
    "consents": [{"purpose": "emergency_alerts", "channel": "email"}, {"purpose": "surveys", "channel": "sms"}]}))]
pub struct SignupInput {
    pub email: Option<String>,
    /// A mobile number; Polish without a country code.
    pub phone: Option<String>,
    /// `pl`, `en` or `uk` (default: the request's language).
    pub language: Option<String>,
    /// District number (1–18 in Kraków).
    pub home_district: Option<i64>,
    #[serde(default)]
    pub other_districts: Vec<i64>,
    /// `16-24`, `25-34`, `35-44`, `45-54`, `55-64`, `65-74` or `75+`.
    pub age_band: Option<String>,
    #[serde(default)]
    pub interests: Vec<String>,
    #[serde(default)]
    pub consents: Vec<ConsentInput>,
}

#[derive(Clone, Debug, Deserialize, Serialize, utoipa::ToSchema)]
pub struct ConsentInput {
    /// `emergency_alerts`, `service_announcements`, `surveys` or `profile_demographics`.
    pub purpose: String,
    /// `email`, `sms` or `push`.
    pub channel: String,
}

/// Checks a sign-up; every problem names its field with a catalogue key.
pub async fn validate(
    state: &AppState,
    lang: Lang,
    input: &SignupInput,
    method: ConsentMethod,
) -> Result<NewResident, AppError> {
    let mut errors = Vec::new();
    let nonempty = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let email = nonempty(&input.email);
    let phone = nonempty(&input.phone);
    if email.is_none() && phone.is_none() {
        errors.push(FieldError::new("email", "field-contact-required"));
    }
    let email = email
        .and_then(|e| Email::parse(&e).map_err(|_| errors.push(FieldError::new("email", "field-email-invalid"))).ok());
    let phone = phone.and_then(|p| {
        PhoneE164::parse(&p).map_err(|_| errors.push(FieldError::new("phone", "field-phone-invalid"))).ok()
    });
    let language = match nonempty(&input.language) {
        None => lang,
        Some(l) => Lang::parse(&l).unwrap_or_else(|| {
            errors.push(FieldError::new("language", "field-language-unknown"));
            lang
        }),
    };
    let districts: Vec<i64> = state.store.list_districts().await?.into_iter().map(|d| d.number).collect();
    match input.home_district {
        None => errors.push(FieldError::new("home_district", "field-district-required")),
        Some(d) if !districts.contains(&d) => errors.push(FieldError::new("home_district", "field-district-unknown")),
        Some(_) => {}
    }
    if input.other_districts.iter().any(|d| !districts.contains(d)) {
        errors.push(FieldError::new("other_districts", "field-district-unknown"));
    }
    let age_band = match nonempty(&input.age_band) {
        None => None,
        Some(a) => AgeBand::parse(&a).or_else(|| {
            errors.push(FieldError::new("age_band", "field-age-band-unknown"));
            None
        }),
    };
    let known = interests(state);
    if input.interests.iter().any(|i| !known.contains(i)) {
        errors.push(FieldError::new("interests", "field-interest-unknown"));
    }
    let mut consents: Vec<(Purpose, Channel)> = Vec::new();
    for c in &input.consents {
        match (c.purpose.parse::<Purpose>(), c.channel.parse::<Channel>()) {
            (Ok(p), Ok(ch)) if !consents.contains(&(p, ch)) => consents.push((p, ch)),
            (Ok(_), Ok(_)) => {}
            _ => errors.push(FieldError::new("consents", "field-consent-unknown")),
        }
    }
    if consents.is_empty() && !errors.iter().any(|e| e.field == "consents") {
        errors.push(FieldError::new("consents", "field-consent-required"));
    }
    if consents.iter().any(|(_, c)| *c == Channel::Sms) && input.phone.as_deref().is_none_or(|p| p.trim().is_empty()) {
        errors.push(FieldError::new("phone", "field-consent-sms-needs-phone"));
    }
    if consents.iter().any(|(_, c)| *c == Channel::Email) && input.email.as_deref().is_none_or(|e| e.trim().is_empty())
    {
        errors.push(FieldError::new("email", "field-consent-email-needs-email"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let notice = state.store.current_notice().await?.map(|n| n.version).unwrap_or(1);
    let mut contacts = Vec::new();
    if let Some(e) = email {
        contacts.push((ContactKind::Email, e.as_str().to_string()));
    }
    if let Some(p) = phone {
        contacts.push((ContactKind::Phone, p.as_str().to_string()));
    }
    let mut other: Vec<i64> = input.other_districts.clone();
    other.retain(|d| Some(*d) != input.home_district);
    other.sort_unstable();
    other.dedup();
    Ok(NewResident {
        language: language.code().to_string(),
        home_district: input.home_district.unwrap_or_default(),
        other_districts: other,
        age_band,
        interests: input.interests.clone(),
        contacts,
        consents,
        method,
        notice_version: notice,
        verified: false,
        legal_basis: None,
    })
}

/// The topics residents may follow (configurable: `panel_interests`).
pub fn interests(state: &AppState) -> Vec<String> {
    state.config.panel_interests.clone()
}

/// Validates, rate-limits, stores and sends each new contact point its verification message. Whether a contact
/// point was already registered is never revealed: the answer is the same.
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
    let lang = Lang::parse(&new.language).unwrap_or_default();
    match state.store.create_resident(&new, Utc::now()).await? {
        Some(created) => {
            tracing::info!(resident_id = created.id, "resident signed up");
            for (cp_id, _) in &created.contact_points {
                if let Some(cp) = state.store.contact_point(*cp_id).await? {
                    send_secret(state, &cp, SecretPurpose::Verify, lang).await?;
                }
            }
        }
        None => {
            // Someone joining again, e.g. after a code expired: unconfirmed contact points get a new verification
            // message (rate-limited above); confirmed ones get nothing. The answer is the same either way.
            tracing::info!("sign-up with an already registered contact point: nothing stored");
            for (kind, value) in &new.contacts {
                if let Some(cp) = state.store.contact_point_by_value(*kind, value).await?
                    && cp.verified_at.is_none()
                {
                    send_secret(state, &cp, SecretPurpose::Verify, lang).await?;
                }
            }
        }
    }
    Ok(())
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

#[derive(Serialize)]
struct MessagePage {
    #[serde(flatten)]
    chrome: Chrome,
    heading_key: &'static str,
    text_key: &'static str,
    link: Option<(&'static str, &'static str)>,
}

pub fn message(
    state: &AppState,
    ctx: &RequestContext,
    status: StatusCode,
    heading_key: &'static str,
    text_key: &'static str,
    link: Option<(&'static str, &'static str)>,
) -> Result<Response, AppError> {
    let page = MessagePage { chrome: Chrome::new(ctx, heading_key), heading_key, text_key, link };
    Ok((status, state.templates.page("pages/panel/message", &page)?).into_response())
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

/// `GET /verify/{token}`: the link from the verification email.
pub async fn verify_link(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let check = state.store.use_link(&secret_token::hash(&token), SecretPurpose::Verify, Utc::now()).await?;
    match check {
        LinkCheck::Valid { resident_id, contact_point_id } => {
            tracing::info!(resident_id, contact_point_id, "email verified");
            message(
                &state,
                &ctx,
                StatusCode::OK,
                "verified-title",
                "verified-text",
                Some(("/me/signin", "verified-signin-link")),
            )
        }
        LinkCheck::Used => message(&state, &ctx, StatusCode::GONE, "verify-failed-title", "verify-link-used", None),
        LinkCheck::Expired => {
            message(&state, &ctx, StatusCode::GONE, "verify-failed-title", "verify-link-expired", None)
        }
        LinkCheck::Unknown => {
            message(&state, &ctx, StatusCode::NOT_FOUND, "verify-failed-title", "verify-link-unknown", None)
        }
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

/// Checks a typed code for the phone number. Every failure gets the same answer, and unknown numbers spend the same
/// budgets as known ones, so nothing tells whether a number is registered.
pub async fn check_code(
    state: &AppState,
    ctx: &RequestContext,
    form: &CodeForm,
    purpose: SecretPurpose,
) -> Result<Result<i64, Vec<FieldError>>, AppError> {
    let Ok(phone) = PhoneE164::parse(&form.phone) else {
        return Ok(Err(vec![FieldError::new("phone", "field-phone-invalid")]));
    };
    let code = form.code.trim();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Ok(Err(vec![FieldError::new("code", "field-code-format")]));
    }
    state
        .panel_limiter
        .check_code(ctx.client_ip, phone.as_str())
        .map_err(|retry_after_secs| AppError::TooManyRequests { retry_after_secs })?;
    let wrong = || Err(vec![FieldError::new("code", "field-code-wrong")]);
    let Some(cp) = state.store.contact_point_by_value(ContactKind::Phone, phone.as_str()).await? else {
        return Ok(wrong());
    };
    let check = state.store.use_code(cp.id, purpose, &code_hash(cp.id, code), CODE_TRIES, Utc::now()).await?;
    Ok(match check {
        CodeCheck::Valid { resident_id } => Ok(resident_id),
        CodeCheck::Wrong | CodeCheck::NoCode | CodeCheck::Expired => wrong(),
    })
}

pub async fn code_form(
    State(state): State<AppState>,
    ctx: RequestContext,
    CsrfForm(form): CsrfForm<CodeForm>,
) -> Result<Response, AppError> {
    match check_code(&state, &ctx, &form, SecretPurpose::Verify).await? {
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
