//! An email address, parsed once at the boundary.

use std::fmt;

/// A syntactically valid, lower-cased email address.
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Email(String);

/// Why a string is not an email address; a catalogue key for the message shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidEmail;

impl Email {
    pub fn parse(raw: &str) -> Result<Self, InvalidEmail> {
        let s = raw.trim();
        let (local, domain) = s.rsplit_once('@').ok_or(InvalidEmail)?;
        let ok_local = !local.is_empty() && local.len() <= 64 && !local.chars().any(|c| c.is_whitespace() || c == '@');
        let ok_domain = domain.len() >= 3
            && domain.len() <= 253
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if ok_local && ok_domain && s.len() <= 254 { Ok(Self(s.to_lowercase())) } else { Err(InvalidEmail) }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Emails are personal data: `Debug` shows only the domain.
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let domain = self.0.rsplit_once('@').map(|(_, d)| d).unwrap_or("");
        write!(f, "Email(***@{domain})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_normalises() {
        assert_eq!(Email::parse("  Ala@Example.ORG ").unwrap().as_str(), "ala@example.org");
        assert_eq!(Email::parse("zażółć@kraków.pl").unwrap().as_str(), "zażółć@kraków.pl");
    }

    #[test]
    fn refuses_what_is_not_an_address() {
        for bad in ["", "ala", "ala@", "@example.org", "ala@example", "a b@example.org", "ala@ex..org", "ala@.org"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn debug_hides_the_local_part() {
        assert_eq!(format!("{:?}", Email::parse("ala@example.org").unwrap()), "Email(***@example.org)");
    }
}
