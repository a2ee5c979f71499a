//! The one error of the use cases. It says what went wrong in the core's terms (invalid input, a refusal and why,
//! nothing there, an internal failure); the web decides which status code each becomes, in one place
//! (the web's error module), and a background loop decides from it whether to try again.

use serde::Serialize;

use crate::storage::StoreError;

/// A field the caller must fix, with the catalogue key of the message that says how.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct FieldIssue {
    pub field: String,
    pub key: String,
    /// The message's arguments (`{{t key args=args}}` in templates).
    pub args: serde_json::Map<String, serde_json::Value>,
}

impl FieldIssue {
    pub fn new(field: &str, key: &str) -> Self {
        Self { field: field.into(), key: key.into(), args: serde_json::Map::new() }
    }

    /// Adds one argument of the message.
    pub fn with(mut self, name: &str, value: impl Into<serde_json::Value>) -> Self {
        self.args.insert(name.into(), value.into());
        self
    }
}

impl From<&crate::domain::alert::Issue> for FieldIssue {
    fn from(i: &crate::domain::alert::Issue) -> Self {
        Self {
            field: i.field.clone(),
            key: i.key.into(),
            args: i.args.iter().map(|(k, v)| (k.to_string(), serde_json::Value::String(v.clone()))).collect(),
        }
    }
}

/// Why a request that was understood is refused now: the state it finds, not the caller's input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The thing is in a state that does not allow it (approving twice, cancelling a cancelled alert).
    Conflict,
    /// Allowed to others, not to this caller (approving one's own emergency).
    Forbidden,
    /// It existed and is over (a closed survey).
    Gone,
    /// What the request points at does not lead anywhere (a mistyped personal link).
    Unknown,
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("invalid fields")]
    Invalid(Vec<FieldIssue>),
    /// `reason` is the catalogue key of the message that says why.
    #[error("refused: {reason}")]
    Refused { kind: Refusal, reason: &'static str },
    /// A document larger than the use case reads; `detail` says how large, in words.
    #[error("too large: {detail}")]
    TooLarge { detail: String },
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl CoreError {
    pub fn invalid(field: &str, key: &str) -> Self {
        CoreError::Invalid(vec![FieldIssue::new(field, key)])
    }

    pub fn issues(issues: &[crate::domain::alert::Issue]) -> Self {
        CoreError::Invalid(issues.iter().map(FieldIssue::from).collect())
    }

    pub fn conflict(reason: &'static str) -> Self {
        CoreError::Refused { kind: Refusal::Conflict, reason }
    }

    pub fn forbidden(reason: &'static str) -> Self {
        CoreError::Refused { kind: Refusal::Forbidden, reason }
    }

    /// Whether trying again later may succeed (a database hiccup), as opposed to a verdict on the request.
    pub fn is_internal(&self) -> bool {
        matches!(self, CoreError::Internal(_))
    }
}

impl From<StoreError> for CoreError {
    fn from(e: StoreError) -> Self {
        CoreError::Internal(anyhow::Error::new(e))
    }
}

/// The use cases' result.
pub type CoreResult<T> = Result<T, CoreError>;
