//! Handling a report: who may act on it (the dispatcher on every report, unit staff on their units' reports) and
//! the state changes, each with a public and an internal note, kept as the report's history.

use chrono::Utc;

use crate::{
    core::{Core, CoreError, CoreResult, FieldIssue},
    domain::{
        Official, Role,
        desk_report::{MAX_NOTE_CHARS, ReportState},
    },
    storage::desk::{NewTransition, ReportRecord},
};

/// What an official may see and do at the desk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reach {
    /// The dispatcher: every report.
    All,
    /// Unit staff: these units' reports (none: nothing).
    Units(Vec<String>),
}

impl Reach {
    pub fn covers(&self, unit: &str) -> bool {
        match self {
            Reach::All => true,
            Reach::Units(units) => units.iter().any(|u| u == unit),
        }
    }
}

pub async fn reach(core: &Core, official: &Official) -> CoreResult<Reach> {
    if official.has(Role::Dispatcher) {
        return Ok(Reach::All);
    }
    Ok(Reach::Units(core.store.staff_units(official.id).await?))
}

/// A state change as sent (the API's field names).
#[derive(Clone, Debug, Default)]
pub struct TransitionInput {
    pub state: String,
    pub public_note: String,
    pub internal_note: String,
    /// The unit a report is transferred to.
    pub unit: Option<String>,
}

/// Whether a report is past its due day (working days after filing) and still open.
pub fn overdue(core: &Core, r: &ReportRecord) -> bool {
    r.state.is_open() && core.config.local_time(Utc::now()).date_naive() > r.due_on
}

/// Moves a report to another state; refused when the official may not act on it (403), the change is not allowed
/// from where it is (409) or the fields are wrong (422).
#[tracing::instrument(skip_all, fields(report_id = id, official_id = official.id), err(level = "info"))]
pub async fn transition(
    core: &Core,
    official: &Official,
    id: i64,
    input: &TransitionInput,
) -> CoreResult<ReportRecord> {
    let report = core.store.report(id).await?.ok_or(CoreError::NotFound)?;
    if !reach(core, official).await?.covers(&report.unit) {
        return Err(CoreError::forbidden("desk-refused-other-unit"));
    }
    let Ok(to) = input.state.trim().parse::<ReportState>() else {
        return Err(CoreError::invalid("state", "desk-error-state-unknown"));
    };
    if !report.state.can_become(to) {
        return Err(CoreError::conflict("desk-refused-transition"));
    }
    let mut issues = Vec::new();
    let public_note = input.public_note.trim().to_string();
    let internal_note = input.internal_note.trim().to_string();
    for (field, note) in [("public_note", &public_note), ("internal_note", &internal_note)] {
        if note.chars().count() > MAX_NOTE_CHARS {
            issues.push(FieldIssue::new(field, "desk-error-note-long").with("max", MAX_NOTE_CHARS as i64));
        }
    }
    if matches!(to, ReportState::Rejected | ReportState::Transferred) && public_note.is_empty() {
        issues.push(FieldIssue::new("public_note", "desk-error-reason-required"));
    }
    let to_unit = if to == ReportState::Transferred {
        let unit = input.unit.as_deref().map(str::trim).unwrap_or("");
        let catalogue = core.store.catalogue().await?;
        if unit.is_empty() || catalogue.unit(unit).is_none() {
            issues.push(FieldIssue::new("unit", "desk-error-unit-unknown"));
        } else if unit == report.unit {
            issues.push(FieldIssue::new("unit", "desk-error-unit-same"));
        }
        unit.to_string()
    } else {
        report.unit.clone()
    };
    if !issues.is_empty() {
        return Err(CoreError::Invalid(issues));
    }
    let t = NewTransition {
        official_id: official.id,
        from: report.state,
        from_unit: report.unit.clone(),
        to,
        to_unit,
        public_note,
        internal_note,
        at: Utc::now(),
    };
    if !core.store.transition_report(id, &t).await? {
        return Err(CoreError::conflict("desk-refused-moved"));
    }
    tracing::info!(report_id = id, official_id = official.id, state = to.as_str(), "report state changed");
    let report = core.store.report(id).await?.ok_or(CoreError::NotFound)?;
    // The change is made; telling the resident is the engine's work from here (a failure is logged, not undone).
    if let Err(e) = super::notify::state_changed(core, &report).await {
        tracing::error!(report_id = id, error = %e, "report update not submitted");
    }
    Ok(report)
}

/// Whether an official may see a report's unpublished parts (its photos before publication).
pub async fn may_see(core: &Core, official: Option<&Official>, report: &ReportRecord) -> CoreResult<bool> {
    match official {
        Some(o) => Ok(reach(core, o).await?.covers(&report.unit)),
        None => Ok(false),
    }
}

/// Sets the units an official works for (admins, on the desk's staff page); unknown units and officials refused.
#[tracing::instrument(skip_all, fields(official_id = id, admin_id = admin.id), err(level = "info"))]
pub async fn assign_units(core: &Core, admin: &Official, id: i64, units: &[String]) -> CoreResult<()> {
    if core.store.official(id).await?.is_none() {
        return Err(CoreError::NotFound);
    }
    let catalogue = core.store.catalogue().await?;
    if units.iter().any(|u| catalogue.unit(u).is_none()) {
        return Err(CoreError::invalid("unit", "desk-error-unit-unknown"));
    }
    let mut units = units.to_vec();
    units.sort();
    units.dedup();
    core.store.set_staff_units(id, &units).await?;
    tracing::info!(official_id = id, admin_id = admin.id, units = units.len(), "unit staff assigned");
    Ok(())
}
