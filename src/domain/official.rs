//! Officials, their roles, and their passwords.

use std::{fmt, str::FromStr};

use argon2::{
    Argon2,
    password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash},
};
use serde::Serialize;

use super::Email;

/// What an official may do. One official may hold several roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Officials, tokens, settings, the audit log.
    Admin,
    /// Drafts surveys, alerts and announcements.
    Editor,
    /// Approves emergency alerts and launches consultations.
    Approver,
    /// Reads results and exports.
    Analyst,
    /// The contact centre at the intervention desk: sees and routes every resident's report.
    Dispatcher,
}

impl Role {
    pub const ALL: [Role; 5] = [Role::Admin, Role::Editor, Role::Approver, Role::Analyst, Role::Dispatcher];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Approver => "approver",
            Role::Analyst => "analyst",
            Role::Dispatcher => "dispatcher",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim().to_lowercase())
            .ok_or_else(|| format!("unknown role '{s}' (expected one of admin, editor, approver, analyst, dispatcher)"))
    }
}

/// An official as the application sees one.
#[derive(Clone, Debug)]
pub struct Official {
    pub id: i64,
    pub email: Email,
    pub name: String,
    pub roles: Vec<Role>,
    pub active: bool,
}

impl Official {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|r| self.has(*r))
    }
}

/// Shortest password accepted for an official.
pub const MIN_PASSWORD_LEN: usize = 12;
/// Long enough for any passphrase; longer only makes each sign-in's hashing slower.
pub const MAX_PASSWORD_LEN: usize = 256;

/// Hashes a password with argon2id and a random salt (PHC string).
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password failed: {e}"))
}

/// Checks a password against a stored PHC hash; a malformed hash never matches.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok()).unwrap_or(false)
}

/// A hash that verifies nothing, checked when the account does not exist so timing doesn't reveal it.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("not a password of anyone").expect("argon2 works"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip() {
        for r in Role::ALL {
            assert_eq!(r.as_str().parse::<Role>().unwrap(), r);
        }
        assert!("boss".parse::<Role>().is_err());
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}
