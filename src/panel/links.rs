//! The one-time links of an email: verifying an address (`/verify/{token}`) and signing in (`/me/signin/{token}`).
//!
//! Opening a link changes nothing: mail scanners open every link they see, and a link that acted on a GET would be
//! used up (or an address confirmed) by a machine, and would let a stranger sign a victim into the stranger's
//! account (login CSRF). So [`preview`] only says what the link would do and for which contact point, masked; the
//! page's button (a POST with the CSRF token) calls [`follow`], which uses the link once and starts a session —
//! confirming an address signs its owner in too, so one email is enough.

use crate::{
    core::{Core, CoreResult},
    domain::secret_token,
    storage::{LinkCheck, SecretPurpose},
};

use super::{account, join};

/// Why a link does not work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Broken {
    Used,
    Expired,
    Unknown,
}

impl Broken {
    fn of(check: LinkCheck) -> Option<Broken> {
        match check {
            LinkCheck::Valid { .. } => None,
            LinkCheck::Used => Some(Broken::Used),
            LinkCheck::Expired => Some(Broken::Expired),
            LinkCheck::Unknown => Some(Broken::Unknown),
        }
    }
}

/// What a link would do if its button were pressed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkState {
    /// It works: it confirms (or signs in with) this contact point, shown masked (`j***@example.com`).
    Open {
        contact: String,
    },
    Broken(Broken),
}

/// What pressing a link's button did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkOutcome {
    /// The link is used up and the resident signed in: the session token (the web keeps it in a cookie).
    SignedIn {
        resident_id: i64,
        session: String,
    },
    Broken(Broken),
}

/// Says what a link would do, changing nothing.
#[tracing::instrument(skip_all, fields(purpose = purpose.as_str()), err)]
pub async fn preview(core: &Core, token: &str, purpose: SecretPurpose) -> CoreResult<LinkState> {
    let now = chrono::Utc::now();
    Ok(match core.store.peek_link(&secret_token::hash(token), purpose, now).await? {
        LinkCheck::Valid { contact_point_id, .. } => match core.store.contact_point(contact_point_id).await? {
            Some(cp) => LinkState::Open { contact: cp.kind.masked(&cp.value) },
            // Removed between the message and now: the link leads nowhere.
            None => LinkState::Broken(Broken::Unknown),
        },
        other => LinkState::Broken(Broken::of(other).unwrap_or(Broken::Unknown)),
    })
}

/// Uses a link once (a verification link also confirms its contact point) and signs its resident in.
#[tracing::instrument(skip_all, fields(purpose = purpose.as_str()), err)]
pub async fn follow(core: &Core, token: &str, purpose: SecretPurpose) -> CoreResult<LinkOutcome> {
    Ok(match join::use_link(core, token, purpose).await? {
        LinkCheck::Valid { resident_id, .. } => {
            LinkOutcome::SignedIn { resident_id, session: account::start_session(core, resident_id).await? }
        }
        other => LinkOutcome::Broken(Broken::of(other).unwrap_or(Broken::Unknown)),
    })
}
