//! The resident panel's use cases: joining and verifying contact points ([`join`]), signing in and looking after
//! one's own profile, consents and contact points ([`account`]), web push devices ([`push`]), the one-time links of
//! an email ([`links`]), and the
//! data-protection rights ([`data`]).
//!
//! How a resident is recognised (the session cookie), the pages, and the rate limits per client address belong to
//! the web's panel pages.

use chrono::Utc;

use crate::{
    core::{Core, CoreError, CoreResult},
    domain::{
        panel::{ContactKind, code_hash, contact_purpose, new_code},
        secret_token,
    },
    i18n::Lang,
    storage::{ContactPoint, SecretPurpose},
};

pub mod account;
pub mod data;
pub mod join;
pub mod links;
pub mod push;

/// Idle lifetime of a resident's session.
pub const RESIDENT_SESSION_MINUTES: i64 = 60;
/// Verification links live 48 hours; codes 10 minutes with at most 5 tries; sign-in links 30 minutes.
pub const LINK_HOURS: i64 = 48;
pub const SIGNIN_LINK_MINUTES: i64 = 30;
pub const CODE_MINUTES: i64 = 10;
pub const CODE_TRIES: i64 = 5;
/// Texts with a code sent to one number in 24 hours, at most (each costs the city money and can be used to pester).
pub const CODES_PER_DAY: i64 = 5;
/// Sign-ups nobody confirmed are erased after this many days.
pub const PURGE_AFTER_DAYS: i64 = 7;

/// The first consent notice, published on first start: `[pl, en, uk]`.
pub const NOTICE_V1: [&str; 3] = [
    include_str!("../../templates/panel/notice-v1-pl.txt"),
    include_str!("../../templates/panel/notice-v1-en.txt"),
    include_str!("../../templates/panel/notice-v1-uk.txt"),
];

/// Erases sign-ups nobody confirmed within [`PURGE_AFTER_DAYS`]; returns how many.
#[tracing::instrument(skip_all, err)]
pub async fn purge_unconfirmed(core: &Core) -> CoreResult<u64> {
    let now = Utc::now();
    let n = core.store.purge_unverified(now - chrono::Duration::days(PURGE_AFTER_DAYS), now).await?;
    if n > 0 {
        tracing::info!(purged = n, "unconfirmed sign-ups erased");
    }
    Ok(n)
}

/// What a one-time secret message is rendered from (`templates/messages/secret/`).
#[derive(serde::Serialize)]
struct SecretMessage<'a> {
    lang: &'static str,
    signin: bool,
    /// The link of an email, with the recipient's `{{secret}}` filled in by the engine.
    link: &'a str,
    /// The code of an SMS: the recipient's `{{secret}}`.
    code: &'static str,
}

/// The message carrying a one-time secret: a link by email, a code by SMS.
pub fn secret_content(
    core: &Core,
    kind: ContactKind,
    purpose: SecretPurpose,
    lang: Lang,
) -> anyhow::Result<hejnal_jobs::Content> {
    let signin = purpose == SecretPurpose::SignIn;
    let link = core.config.link(if signin { "/me/signin/{{secret}}" } else { "/verify/{{secret}}" });
    let data = SecretMessage { lang: lang.code(), signin, link: &link, code: "{{secret}}" };
    let m = &core.messages;
    Ok(match kind {
        ContactKind::Email => hejnal_jobs::Content {
            subject: Some(m.text("messages/secret/subject", &data)?),
            text: m.text("messages/secret/email-text", &data)?,
            html: None,
            url: None,
        },
        ContactKind::Phone => {
            hejnal_jobs::Content { subject: None, text: m.text("messages/secret/sms", &data)?, html: None, url: None }
        }
    })
}

/// Sends a contact point its one-time secret through the delivery engine: a link by email, a 6-digit code by SMS.
/// Not held by quiet hours; the directory sends it to this contact point even before it is verified.
#[tracing::instrument(skip_all, fields(contact_point_id = cp.id, purpose = purpose.as_str()), err)]
pub async fn send_secret(state: &Core, cp: &ContactPoint, purpose: SecretPurpose, lang: Lang) -> CoreResult<()> {
    let now = Utc::now();
    // The secret travels as the recipient's `{{secret}}` value, which the engine erases once the message is final:
    // the stored rendering never holds it.
    let (channel, expires, hash, secret) = match cp.kind {
        ContactKind::Email => {
            let token = secret_token::generate("");
            let expires = match purpose {
                SecretPurpose::Verify => now + chrono::Duration::hours(LINK_HOURS),
                SecretPurpose::SignIn => now + chrono::Duration::minutes(SIGNIN_LINK_MINUTES),
            };
            (hejnal_jobs::Channel::Email, expires, secret_token::hash(&token), token)
        }
        ContactKind::Phone => {
            // The daily cap: beyond it nothing is sent, and the answer the person sees does not change (it must not
            // tell a known number from an unknown one).
            let sent_today = state.store.codes_created_since(cp.id, now - chrono::Duration::days(1)).await?;
            if sent_today >= CODES_PER_DAY {
                tracing::warn!(contact_point_id = cp.id, "daily cap on codes reached: none sent");
                return Ok(());
            }
            let code = new_code();
            let hash = code_hash(cp.id, &code);
            (hejnal_jobs::Channel::Sms, now + chrono::Duration::minutes(CODE_MINUTES), hash, code)
        }
    };
    let content = secret_content(state, cp.kind, purpose, lang)?;
    let secret_id =
        state.store.create_secret(cp.id, purpose, cp.kind == ContactKind::Phone, &hash, now, expires).await?;
    let broadcast = hejnal_jobs::NewBroadcast {
        key: format!("contact-secret:{secret_id}"),
        kind: format!("{}-{}", purpose.as_str(), cp.kind.as_str()),
        purpose: contact_purpose(cp.id),
        priority: hejnal_jobs::Priority::Service,
        expires_at: expires,
        topic: None,
        contents: vec![(channel, lang.code().to_string(), content)],
        fallback_language: lang.code().to_string(),
        quiet_hours_exempt: true,
    };
    let recipient = hejnal_jobs::Recipient {
        id: cp.resident_id,
        language: lang.code().to_string(),
        channels: vec![channel],
        vars: Some(serde_json::Map::from_iter([("secret".to_string(), serde_json::Value::String(secret))])),
    };
    hejnal_jobs::submit(&state.store.queue_db(), &broadcast, [recipient], 1)
        .await
        .map_err(|e| CoreError::Internal(e.context("queueing a verification message failed")))?;
    tracing::info!(contact_point_id = cp.id, secret_id, purpose = purpose.as_str(), "one-time secret queued");
    Ok(())
}
