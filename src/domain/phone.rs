//! A mobile phone number, parsed once at the boundary and kept in E.164 (`+48600100200`).

use std::fmt;

/// A valid phone number in E.164 form. Poland is the default region: `600 100 200` is `+48600100200`.
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct PhoneE164(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidPhone;

impl PhoneE164 {
    pub fn parse(raw: &str) -> Result<Self, InvalidPhone> {
        let s = raw.trim();
        if s.is_empty() || s.len() > 32 {
            return Err(InvalidPhone);
        }
        let n = phonenumber::parse(Some(phonenumber::country::Id::PL), s).map_err(|_| InvalidPhone)?;
        if !phonenumber::is_valid(&n) {
            return Err(InvalidPhone);
        }
        Ok(Self(n.format().mode(phonenumber::Mode::E164).to_string()))
    }

    /// A number already in E.164 (from storage), not re-validated.
    pub fn from_stored(s: String) -> Self {
        Self(s)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Phone numbers are personal data: `Debug` shows only the country code and the last two digits.
impl fmt::Debug for PhoneE164 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let tail: String = self.0.chars().rev().take(2).collect::<Vec<_>>().into_iter().rev().collect();
        write!(f, "PhoneE164({}…{tail})", self.0.chars().take(3).collect::<String>())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_with_poland_as_default() {
        assert_eq!(PhoneE164::parse("600 100 200").unwrap().as_str(), "+48600100200");
        assert_eq!(PhoneE164::parse("+48 600-100-200").unwrap().as_str(), "+48600100200");
        assert_eq!(PhoneE164::parse("+380 67 123 4567").unwrap().as_str(), "+380671234567");
    }

    #[test]
    fn refuses_what_is_not_a_number() {
        for bad in ["", "abc", "123", "+48 12", "600 100 200 300 400"] {
            assert!(PhoneE164::parse(bad).is_err(), "{bad}");
        }
    }
}
