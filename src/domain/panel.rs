//! The panel's vocabulary: consent purposes and methods, age bands, interests, contact kinds.

use std::{fmt, str::FromStr};

pub use hejnal_jobs::Channel;
use serde::{Deserialize, Serialize};

/// What a resident consents to be contacted about (or, for `ProfileDemographics`, to have recorded).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    EmergencyAlerts,
    ServiceAnnouncements,
    Surveys,
    ProfileDemographics,
}

impl Purpose {
    pub const ALL: [Purpose; 4] =
        [Purpose::EmergencyAlerts, Purpose::ServiceAnnouncements, Purpose::Surveys, Purpose::ProfileDemographics];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::EmergencyAlerts => "emergency_alerts",
            Purpose::ServiceAnnouncements => "service_announcements",
            Purpose::Surveys => "surveys",
            Purpose::ProfileDemographics => "profile_demographics",
        }
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Purpose {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        Purpose::ALL.into_iter().find(|p| p.as_str() == s).ok_or(())
    }
}

/// Every purpose × channel a resident can grant, in the order forms show them.
pub fn consent_choices() -> impl Iterator<Item = (Purpose, Channel)> {
    Purpose::ALL.into_iter().flat_map(|p| [Channel::Email, Channel::Sms, Channel::Push].map(move |c| (p, c)))
}

/// How a consent event came about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentMethod {
    Web,
    Api,
    Import,
    Unsubscribe,
    Admin,
}

impl ConsentMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsentMethod::Web => "web",
            ConsentMethod::Api => "api",
            ConsentMethod::Import => "import",
            ConsentMethod::Unsubscribe => "unsubscribe",
            ConsentMethod::Admin => "admin",
        }
    }
}

/// Optional profile field: an age band.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AgeBand {
    A16to24,
    A25to34,
    A35to44,
    A45to54,
    A55to64,
    A65to74,
    A75plus,
}

impl AgeBand {
    pub const ALL: [AgeBand; 7] = [
        AgeBand::A16to24,
        AgeBand::A25to34,
        AgeBand::A35to44,
        AgeBand::A45to54,
        AgeBand::A55to64,
        AgeBand::A65to74,
        AgeBand::A75plus,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AgeBand::A16to24 => "16-24",
            AgeBand::A25to34 => "25-34",
            AgeBand::A35to44 => "35-44",
            AgeBand::A45to54 => "45-54",
            AgeBand::A55to64 => "55-64",
            AgeBand::A65to74 => "65-74",
            AgeBand::A75plus => "75+",
        }
    }

    /// Accepts `25-34` and the typographic `25–34`.
    pub fn parse(s: &str) -> Option<AgeBand> {
        let s = s.trim().replace('–', "-");
        AgeBand::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// The kind of a contact point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ContactKind {
    Email,
    Phone,
}

impl ContactKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactKind::Email => "email",
            ContactKind::Phone => "phone",
        }
    }

    pub fn parse(s: &str) -> Option<ContactKind> {
        match s {
            "email" => Some(ContactKind::Email),
            "phone" => Some(ContactKind::Phone),
            _ => None,
        }
    }

    /// Reads what a resident typed as a contact: an email address (it has an `@`) or a phone number, normalised.
    pub fn read(raw: &str) -> Option<(ContactKind, String)> {
        let raw = raw.trim();
        if raw.contains('@') {
            super::Email::parse(raw).ok().map(|e| (ContactKind::Email, e.as_str().to_string()))
        } else {
            super::PhoneE164::parse(raw).ok().map(|p| (ContactKind::Phone, p.as_str().to_string()))
        }
    }

    /// The channel that reaches this kind of contact point.
    pub fn channel(self) -> Channel {
        match self {
            ContactKind::Email => Channel::Email,
            ContactKind::Phone => Channel::Sms,
        }
    }

    /// A contact point shown to whoever holds a link, masked: enough for its owner to recognise it (the first
    /// character and the domain of an address, `j***@example.com`; the last three digits of a number,
    /// `+48 *** *** 123`), too little to learn it.
    pub fn masked(self, value: &str) -> String {
        match self {
            ContactKind::Email => match value.rsplit_once('@') {
                Some((local, domain)) => {
                    format!("{}***@{domain}", local.chars().next().map(String::from).unwrap_or_default())
                }
                None => "***".into(),
            },
            ContactKind::Phone => {
                let digits: Vec<char> = value.chars().filter(char::is_ascii_digit).collect();
                let country = if value.starts_with("+48") { "+48 " } else { "+" };
                let last: String = digits.iter().skip(digits.len().saturating_sub(3)).collect();
                format!("{country}*** *** {last}")
            }
        }
    }
}

/// The topics a resident may follow, unless configured otherwise.
pub const DEFAULT_INTERESTS: [&str; 10] = [
    "transport",
    "roads_works",
    "water_utilities",
    "environment_air",
    "safety",
    "culture_events",
    "education",
    "social_services",
    "housing",
    "city_budget",
];

/// The broadcast purpose of a message to one contact point (its verification or sign-in secret): the directory
/// sends it there even before the contact point is verified.
pub fn contact_purpose(contact_point_id: i64) -> String {
    format!("verification:{contact_point_id}")
}

pub fn parse_contact_purpose(purpose: &str) -> Option<i64> {
    purpose.strip_prefix("verification:")?.parse().ok()
}

/// How a 6-digit code is stored: bound to its contact point, so equal codes of two people hash differently.
pub fn code_hash(contact_point_id: i64, code: &str) -> String {
    crate::domain::secret_token::hash(&format!("code:{contact_point_id}:{}", code.trim()))
}

/// A fresh 6-digit code.
pub fn new_code() -> String {
    use rand::Rng;
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for p in Purpose::ALL {
            assert_eq!(p.as_str().parse::<Purpose>(), Ok(p));
        }
        assert_eq!(AgeBand::parse("25–34"), Some(AgeBand::A25to34));
        assert_eq!(AgeBand::parse("75+"), Some(AgeBand::A75plus));
        assert_eq!(AgeBand::parse("12-15"), None);
        assert_eq!(consent_choices().count(), 12);
        assert_eq!(parse_contact_purpose(&contact_purpose(42)), Some(42));
        assert_eq!(parse_contact_purpose("surveys"), None);
    }

    #[test]
    fn contacts_are_masked() {
        assert_eq!(ContactKind::Email.masked("jan.kowalski@example.com"), "j***@example.com");
        assert_eq!(ContactKind::Email.masked("a@b.pl"), "a***@b.pl");
        assert_eq!(ContactKind::Phone.masked("+48600100123"), "+48 *** *** 123");
        assert_eq!(ContactKind::Phone.masked("+380501234567"), "+*** *** 567");
        assert!(!ContactKind::Email.masked("jan.kowalski@example.com").contains("kowalski"));
    }
}
