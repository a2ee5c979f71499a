//! The append-only audit log: who did what, and when.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// What happened. Stored as its `as_str` name; new actions are added, never renamed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditAction {
    Login,
    LoginFailed,
    LoginThrottled,
    Logout,
    OfficialCreated,
    RolesChanged,
    OfficialDeactivated,
    OfficialReactivated,
    TokenCreated,
    TokenRevoked,
    NoticePublished,
    ResidentsImported,
    ResidentExported,
    ResidentErased,
    AlertDrafted,
    AlertApproved,
    AlertSent,
    AlertUpdated,
    AlertCancelled,
    CapImported,
    SurveyCreated,
    SurveyRevised,
    SurveyLaunched,
    SurveyPublished,
    SurveyTextReviewed,
    ApiKeyCreated,
    ApiKeyRevoked,
    DeskPublication,
    DeskServiceCreated,
    DeskServiceChanged,
    DeskServiceRetired,
    DeskServiceReinstated,
    DeskMerge,
}

impl AuditAction {
    pub const ALL: [AuditAction; 33] = [
        AuditAction::Login,
        AuditAction::LoginFailed,
        AuditAction::LoginThrottled,
        AuditAction::Logout,
        AuditAction::OfficialCreated,
        AuditAction::RolesChanged,
        AuditAction::OfficialDeactivated,
        AuditAction::OfficialReactivated,
        AuditAction::TokenCreated,
        AuditAction::TokenRevoked,
        AuditAction::NoticePublished,
        AuditAction::ResidentsImported,
        AuditAction::ResidentExported,
        AuditAction::ResidentErased,
        AuditAction::AlertDrafted,
        AuditAction::AlertApproved,
        AuditAction::AlertSent,
        AuditAction::AlertUpdated,
        AuditAction::AlertCancelled,
        AuditAction::CapImported,
        AuditAction::SurveyCreated,
        AuditAction::SurveyRevised,
        AuditAction::SurveyLaunched,
        AuditAction::SurveyPublished,
        AuditAction::SurveyTextReviewed,
        AuditAction::ApiKeyCreated,
        AuditAction::ApiKeyRevoked,
        AuditAction::DeskPublication,
        AuditAction::DeskServiceCreated,
        AuditAction::DeskServiceChanged,
        AuditAction::DeskServiceRetired,
        AuditAction::DeskServiceReinstated,
        AuditAction::DeskMerge,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Login => "login",
            AuditAction::LoginFailed => "login_failed",
            AuditAction::LoginThrottled => "login_throttled",
            AuditAction::Logout => "logout",
            AuditAction::OfficialCreated => "official_created",
            AuditAction::RolesChanged => "roles_changed",
            AuditAction::OfficialDeactivated => "official_deactivated",
            AuditAction::OfficialReactivated => "official_reactivated",
            AuditAction::TokenCreated => "token_created",
            AuditAction::TokenRevoked => "token_revoked",
            AuditAction::NoticePublished => "notice_published",
            AuditAction::ResidentsImported => "residents_imported",
            AuditAction::ResidentExported => "resident_exported",
            AuditAction::ResidentErased => "resident_erased",
            AuditAction::AlertDrafted => "alert_drafted",
            AuditAction::AlertApproved => "alert_approved",
            AuditAction::AlertSent => "alert_sent",
            AuditAction::AlertUpdated => "alert_updated",
            AuditAction::AlertCancelled => "alert_cancelled",
            AuditAction::CapImported => "cap_imported",
            AuditAction::SurveyCreated => "survey_created",
            AuditAction::SurveyRevised => "survey_revised",
            AuditAction::SurveyLaunched => "survey_launched",
            AuditAction::SurveyPublished => "survey_published",
            AuditAction::SurveyTextReviewed => "survey_text_reviewed",
            AuditAction::ApiKeyCreated => "api_key_created",
            AuditAction::ApiKeyRevoked => "api_key_revoked",
            AuditAction::DeskPublication => "desk_publication",
            AuditAction::DeskServiceCreated => "desk_service_created",
            AuditAction::DeskServiceChanged => "desk_service_changed",
            AuditAction::DeskServiceRetired => "desk_service_retired",
            AuditAction::DeskServiceReinstated => "desk_service_reinstated",
            AuditAction::DeskMerge => "desk_merge",
        }
    }
}

/// One entry to append. `actor` is an official id, or `None` for the system / an anonymous caller.
#[derive(Clone, Debug)]
pub struct NewAuditEntry {
    pub actor: Option<i64>,
    pub action: AuditAction,
    /// What was acted on, e.g. `official:7`, `token:3`. Never an email or a phone number.
    pub subject: Option<String>,
    /// Extra facts as JSON (no personal data).
    pub detail: serde_json::Value,
}

impl NewAuditEntry {
    pub fn new(actor: Option<i64>, action: AuditAction) -> Self {
        Self { actor, action, subject: None, detail: serde_json::Value::Null }
    }
    pub fn subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }
    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

/// An entry as read back.
#[derive(Clone, Debug, Serialize)]
pub struct AuditEntry {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor: Option<i64>,
    pub actor_name: Option<String>,
    pub action: String,
    pub subject: Option<String>,
    pub detail: String,
}
