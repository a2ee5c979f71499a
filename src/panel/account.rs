//! A resident looking after their own membership: signing in, the profile, consents, the notice, contact points.

use chrono::Utc;

use super::{
    RESIDENT_SESSION_MINUTES,
    join::{ProfileFields, check_profile},
    send_secret,
};
use crate::{
    core::{Core, CoreError, CoreResult, FieldIssue},
    domain::{
        panel::{Channel, ConsentMethod, ContactKind, Purpose},
        secret_token,
    },
    i18n::Lang,
    storage::{ProfileUpdate, SecretPurpose, StoreError},
};

/// Asks for a sign-in link (email) or code (phone). The caller answers at once and the same for every contact: the
/// work — finding the contact point and, when it is verified, sending its secret — runs after the answer in
/// [`Core::signin_work`] (a few at a time), so neither the answer nor its time tells a known contact from an unknown
/// one. (The caller rate-limits before calling, alike for both.)
pub fn request_signin(core: &Core, kind: ContactKind, value: String, lang: Lang) {
    let worker = core.clone();
    let queued = core.signin_work.spawn(async move {
        // The error is logged by the function's span (no contact data in it).
        let _ = send_signin(&worker, kind, &value, lang).await;
    });
    if !queued {
        tracing::warn!(kind = kind.as_str(), "sign-in work backlog full: this request was dropped");
    }
}

/// Sends a sign-in link (email) or code (phone) when the contact point is verified; nothing otherwise.
#[tracing::instrument(skip_all, fields(kind = kind.as_str()), err)]
async fn send_signin(core: &Core, kind: ContactKind, value: &str, lang: Lang) -> CoreResult<()> {
    if let Some(cp) = core.store.contact_point_by_value(kind, value).await?
        && cp.verified_at.is_some()
    {
        send_secret(core, &cp, SecretPurpose::SignIn, lang).await?;
    }
    Ok(())
}

/// Starts a resident session; returns its token (the web keeps it in a cookie; only its hash is stored).
#[tracing::instrument(skip_all, fields(resident_id = resident_id), err)]
pub async fn start_session(core: &Core, resident_id: i64) -> CoreResult<String> {
    let token = secret_token::generate("");
    let now = Utc::now();
    let expiry = now + chrono::Duration::minutes(RESIDENT_SESSION_MINUTES);
    core.store.create_resident_session(&secret_token::hash(&token), resident_id, now, expiry).await?;
    tracing::info!(resident_id, "resident signed in");
    Ok(token)
}

/// The resident of a session token, sliding the session's expiry.
pub async fn session_resident(core: &Core, token: &str) -> CoreResult<Option<i64>> {
    let now = Utc::now();
    let expiry = now + chrono::Duration::minutes(RESIDENT_SESSION_MINUTES);
    Ok(core.store.resident_session(&secret_token::hash(token), now, expiry).await?)
}

/// A profile as the `/me` form gives it, before validation.
pub struct ProfileInput<'a> {
    pub language: &'a str,
    pub home_district: &'a str,
    pub other_districts: &'a [i64],
    pub age_band: &'a str,
    pub interests: &'a [String],
    pub survey_limit: &'a str,
    pub test_group: bool,
}

/// Checks and stores a resident's profile; every problem names its field.
#[tracing::instrument(skip_all, fields(resident_id = resident_id), err(level = "info"))]
pub async fn update_profile(core: &Core, resident_id: i64, input: &ProfileInput<'_>) -> CoreResult<()> {
    let mut errors = Vec::new();
    let language = Lang::parse(input.language).unwrap_or_else(|| {
        errors.push(FieldIssue::new("language", "field-language-unknown"));
        Lang::Pl
    });
    // A home district is always there on `/me`: text that is no number is an unknown one.
    let home = input.home_district.trim().parse::<i64>().unwrap_or(-1);
    let fields = ProfileFields {
        home_district: Some(home),
        other_districts: input.other_districts,
        age_band: Some(input.age_band),
        interests: input.interests,
    };
    let age_band = check_profile(core, &fields, &mut errors).await?;
    let limit = input.survey_limit.trim().parse::<i64>().ok().filter(|n| (0..=2).contains(n));
    if limit.is_none() {
        errors.push(FieldIssue::new("survey_limit", "field-survey-limit"));
    }
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    let update = ProfileUpdate {
        language: language.code().into(),
        home_district: home,
        other_districts: input.other_districts.iter().copied().filter(|d| *d != home).collect(),
        age_band,
        interests: input.interests.to_vec(),
        monthly_survey_limit: limit.unwrap_or(2),
        test_group: input.test_group,
    };
    core.store.update_profile(resident_id, &update).await?;
    Ok(())
}

/// Grants or withdraws one purpose × channel (a new ledger event either way).
#[tracing::instrument(skip_all, fields(resident_id = resident_id, granted = granted), err(level = "info"))]
pub async fn change_consent(
    core: &Core,
    resident_id: i64,
    purpose: &str,
    channel: &str,
    granted: bool,
) -> CoreResult<()> {
    let (Ok(purpose), Ok(channel)) = (purpose.parse::<Purpose>(), channel.parse::<Channel>()) else {
        return Err(CoreError::invalid("purpose", "field-consent-unknown"));
    };
    let version = core.store.current_notice().await?.map(|n| n.version).unwrap_or(1);
    core.store
        .record_consents(resident_id, &[(purpose, channel, granted)], version, ConsentMethod::Web, Utc::now())
        .await?;
    tracing::info!(resident_id, purpose = purpose.as_str(), channel = %channel, granted, "consent changed");
    Ok(())
}

/// Records that the resident has read a version of the notice; an unknown version is not found.
#[tracing::instrument(skip_all, fields(resident_id = resident_id, version = version), err(level = "info"))]
pub async fn review_notice(core: &Core, resident_id: i64, version: i64) -> CoreResult<()> {
    core.store.review_notice(resident_id, version, Utc::now()).await.map_err(|e| match e {
        StoreError::Other(_) => CoreError::NotFound,
        other => other.into(),
    })
}

/// Adds an email or phone, which gets its verification message. An address already registered elsewhere is
/// silently skipped (no message): the answer never tells whose it is. (The caller rate-limits before calling.)
#[tracing::instrument(skip_all, fields(resident_id = resident_id, kind = kind.as_str()), err)]
pub async fn add_contact(core: &Core, resident_id: i64, kind: ContactKind, value: &str, lang: Lang) -> CoreResult<()> {
    match core.store.add_contact_point(resident_id, kind, value, Utc::now()).await {
        Ok(id) => {
            if let Some(cp) = core.store.contact_point(id).await? {
                send_secret(core, &cp, SecretPurpose::Verify, lang).await?;
            }
            Ok(())
        }
        Err(StoreError::Duplicate) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

/// Removes one of the resident's contact points; never the last one.
#[tracing::instrument(skip_all, fields(resident_id = resident_id, contact_point_id = id), err(level = "info"))]
pub async fn remove_contact(core: &Core, resident_id: i64, id: i64) -> CoreResult<()> {
    let r = core.store.resident(resident_id).await?.ok_or(CoreError::NotFound)?;
    if !r.contact_points.iter().any(|c| c.id == id) {
        return Err(CoreError::NotFound);
    }
    if r.contact_points.len() == 1 {
        return Err(CoreError::invalid("contact", "field-contact-last"));
    }
    core.store.remove_contact_point(resident_id, id).await?;
    Ok(())
}
