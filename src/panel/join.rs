//! Joining the panel (the rules shared by the `/join` form and `POST /api/v1/signups`) and verifying contact points.

use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::{CODE_TRIES, send_secret};
use crate::{
    core::{Core, CoreError, CoreResult, FieldIssue},
    domain::{
        Email, PhoneE164,
        panel::{AgeBand, Channel, ConsentMethod, ContactKind, Purpose, code_hash},
        secret_token,
    },
    i18n::Lang,
    storage::{CodeCheck, LinkCheck, NewResident, SecretPurpose},
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
pub async fn validate(state: &Core, lang: Lang, input: &SignupInput, method: ConsentMethod) -> CoreResult<NewResident> {
    let mut errors = Vec::new();
    let nonempty = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let email = nonempty(&input.email);
    let phone = nonempty(&input.phone);
    if email.is_none() && phone.is_none() {
        errors.push(FieldIssue::new("email", "field-contact-required"));
    }
    let email = email
        .and_then(|e| Email::parse(&e).map_err(|_| errors.push(FieldIssue::new("email", "field-email-invalid"))).ok());
    let phone = phone.and_then(|p| {
        PhoneE164::parse(&p).map_err(|_| errors.push(FieldIssue::new("phone", "field-phone-invalid"))).ok()
    });
    let language = match nonempty(&input.language) {
        None => lang,
        Some(l) => Lang::parse(&l).unwrap_or_else(|| {
            errors.push(FieldIssue::new("language", "field-language-unknown"));
            lang
        }),
    };
    let fields = ProfileFields {
        home_district: input.home_district,
        other_districts: &input.other_districts,
        age_band: input.age_band.as_deref(),
        interests: &input.interests,
    };
    let age_band = check_profile(state, &fields, &mut errors).await?;
    let mut consents: Vec<(Purpose, Channel)> = Vec::new();
    for c in &input.consents {
        match (c.purpose.parse::<Purpose>(), c.channel.parse::<Channel>()) {
            (Ok(p), Ok(ch)) if !consents.contains(&(p, ch)) => consents.push((p, ch)),
            (Ok(_), Ok(_)) => {}
            _ => errors.push(FieldIssue::new("consents", "field-consent-unknown")),
        }
    }
    if consents.is_empty() && !errors.iter().any(|e| e.field == "consents") {
        errors.push(FieldIssue::new("consents", "field-consent-required"));
    }
    if consents.iter().any(|(_, c)| *c == Channel::Sms) && input.phone.as_deref().is_none_or(|p| p.trim().is_empty()) {
        errors.push(FieldIssue::new("phone", "field-consent-sms-needs-phone"));
    }
    if consents.iter().any(|(_, c)| *c == Channel::Email) && input.email.as_deref().is_none_or(|e| e.trim().is_empty())
    {
        errors.push(FieldIssue::new("email", "field-consent-email-needs-email"));
    }
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
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

/// The profile fields that joining and `/me` share.
pub struct ProfileFields<'a> {
    /// `None`: not given (joining requires one).
    pub home_district: Option<i64>,
    pub other_districts: &'a [i64],
    pub age_band: Option<&'a str>,
    pub interests: &'a [String],
}

/// Checks the shared profile fields alike for joining and `/me`, naming each problem in `errors`; returns the age
/// band (none when not given).
pub async fn check_profile(
    core: &Core,
    f: &ProfileFields<'_>,
    errors: &mut Vec<FieldIssue>,
) -> CoreResult<Option<AgeBand>> {
    let districts: Vec<i64> = core.store.list_districts().await?.into_iter().map(|d| d.number).collect();
    match f.home_district {
        None => errors.push(FieldIssue::new("home_district", "field-district-required")),
        Some(d) if !districts.contains(&d) => errors.push(FieldIssue::new("home_district", "field-district-unknown")),
        Some(_) => {}
    }
    if f.other_districts.iter().any(|d| !districts.contains(d)) {
        errors.push(FieldIssue::new("other_districts", "field-district-unknown"));
    } else if f.other_districts.len() > districts.len() {
        errors.push(FieldIssue::new("other_districts", "field-district-repeated"));
    }
    let age_band = match f.age_band.map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(a) => AgeBand::parse(a).or_else(|| {
            errors.push(FieldIssue::new("age_band", "field-age-band-unknown"));
            None
        }),
    };
    let known = interests(core);
    if f.interests.iter().any(|i| !known.contains(i)) {
        errors.push(FieldIssue::new("interests", "field-interest-unknown"));
    }
    Ok(age_band)
}

/// The topics residents may follow (configurable: `panel_interests`).
pub fn interests(state: &Core) -> Vec<String> {
    state.config.panel_interests.clone()
}

/// Stores a validated sign-up and sends each new contact point its verification message. Whether a contact point
/// was already registered is never revealed: the answer is the same. (The caller rate-limits before calling.)
#[tracing::instrument(skip_all, err)]
pub async fn register(state: &Core, new: &NewResident) -> CoreResult<()> {
    let lang = Lang::parse(&new.language).unwrap_or_default();
    match state.store.create_resident(new, Utc::now()).await? {
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
            // message (rate-limited by the caller); confirmed ones get nothing. The answer is the same either way.
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

/// Uses a one-time link from an email (verifying the address, or signing in).
#[tracing::instrument(skip_all, fields(purpose = purpose.as_str()), err)]
pub async fn use_link(state: &Core, token: &str, purpose: SecretPurpose) -> CoreResult<LinkCheck> {
    let check = state.store.use_link(&secret_token::hash(token), purpose, Utc::now()).await?;
    if let (LinkCheck::Valid { resident_id, contact_point_id }, SecretPurpose::Verify) = (&check, purpose) {
        tracing::info!(resident_id, contact_point_id, "email verified");
    }
    Ok(check)
}

/// Checks a typed code for the phone number. Every failure gets the same answer (a used-up, expired or missing
/// code, a number nobody registered), so nothing tells whether a number is registered. The web limits how often
/// one client, and one number, may ask.
#[tracing::instrument(skip_all, fields(purpose = purpose.as_str()), err)]
pub async fn check_code(
    state: &Core,
    phone: &str,
    code: &str,
    purpose: SecretPurpose,
) -> CoreResult<Result<i64, Vec<FieldIssue>>> {
    let Ok(phone) = PhoneE164::parse(phone) else {
        return Ok(Err(vec![FieldIssue::new("phone", "field-phone-invalid")]));
    };
    let code = code.trim();
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Ok(Err(vec![FieldIssue::new("code", "field-code-format")]));
    }
    let wrong = || Err(vec![FieldIssue::new("code", "field-code-wrong")]);
    let Some(cp) = state.store.contact_point_by_value(ContactKind::Phone, phone.as_str()).await? else {
        return Ok(wrong());
    };
    let check = state.store.use_code(cp.id, purpose, &code_hash(cp.id, code), CODE_TRIES, Utc::now()).await?;
    Ok(match check {
        CodeCheck::Valid { resident_id } => Ok(resident_id),
        CodeCheck::Wrong | CodeCheck::NoCode | CodeCheck::Expired => wrong(),
    })
}
