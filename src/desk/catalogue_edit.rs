//! Editing the catalogue (admins only): adding a service, changing one (names, "what to include" hints, keywords,
//! the responsible unit, target working days, the extra questions, the units per district), and retiring or
//! reinstating one. A retired service is not offered (the report form, search, the services APIs, Open311) but stays
//! stored, so its reports still read. Every change is one write with its audit entry; a draft with a problem is
//! refused by field (`CoreError::Invalid`) with nothing changed. The rules are in `domain::desk_edit`.

use chrono::Utc;

use crate::{
    core::{Core, CoreError, CoreResult},
    domain::{
        Official, Role,
        audit::{AuditAction, NewAuditEntry},
        desk_edit::{self, ServiceDraft},
    },
    storage::desk_catalogue::ServiceWrite,
};

fn admin_only(official: &Official) -> CoreResult<()> {
    if official.has(Role::Admin) { Ok(()) } else { Err(CoreError::forbidden("desk-catalogue-refused-not-admin")) }
}

/// The district numbers a route may name (the district registry).
pub async fn districts(core: &Core) -> CoreResult<Vec<i64>> {
    Ok(core.store.list_districts().await?.into_iter().map(|d| d.number).collect())
}

/// Adds a service (active at once); returns its code.
#[tracing::instrument(skip_all, fields(official_id = official.id), err(level = "info"))]
pub async fn add(core: &Core, official: &Official, draft: &ServiceDraft) -> CoreResult<String> {
    admin_only(official)?;
    let catalogue = super::catalogue::load_fresh(core).await?;
    let service = desk_edit::check_service(draft, &catalogue, &districts(core).await?, true)
        .map_err(|issues| CoreError::issues(&issues))?;
    let entry = NewAuditEntry::new(Some(official.id), AuditAction::DeskServiceCreated)
        .subject(format!("service:{}", service.code))
        .detail(serde_json::json!({"unit": service.unit, "target_days": service.target_days}));
    let written = core.store.write_service(&service, ServiceWrite::Add, &entry, Utc::now()).await?;
    super::catalogue::changed(core);
    if !written {
        // Added by someone else between the check and the write.
        return Err(CoreError::invalid("code", "desk-catalogue-error-code-taken"));
    }
    tracing::info!(official_id = official.id, service = %service.code, "desk service added");
    Ok(service.code)
}

/// Changes a stored service (its code and whether it is active stay); the audit entry names the parts changed.
#[tracing::instrument(skip_all, fields(official_id = official.id, service = code), err(level = "info"))]
pub async fn change(core: &Core, official: &Official, code: &str, draft: &ServiceDraft) -> CoreResult<()> {
    admin_only(official)?;
    let catalogue = super::catalogue::load_fresh(core).await?;
    let before = catalogue.service(code).ok_or(CoreError::NotFound)?;
    let draft = ServiceDraft { code: code.to_string(), ..draft.clone() };
    let service = desk_edit::check_service(&draft, &catalogue, &districts(core).await?, false)
        .map_err(|issues| CoreError::issues(&issues))?;
    let changed = desk_edit::changed_parts(before, &service);
    if changed.is_empty() {
        return Ok(());
    }
    let entry = NewAuditEntry::new(Some(official.id), AuditAction::DeskServiceChanged)
        .subject(format!("service:{code}"))
        .detail(serde_json::json!({"changed": changed}));
    let written = core.store.write_service(&service, ServiceWrite::Update, &entry, Utc::now()).await?;
    super::catalogue::changed(core);
    if !written {
        return Err(CoreError::NotFound);
    }
    tracing::info!(official_id = official.id, service = code, parts = changed.len(), "desk service changed");
    Ok(())
}

/// Retires (`active` false) or reinstates a service; doing what is already so changes nothing.
#[tracing::instrument(skip_all, fields(official_id = official.id, service = code, active), err(level = "info"))]
pub async fn set_active(core: &Core, official: &Official, code: &str, active: bool) -> CoreResult<()> {
    admin_only(official)?;
    let catalogue = super::catalogue::load_fresh(core).await?;
    let service = catalogue.service(code).ok_or(CoreError::NotFound)?;
    if service.active == active {
        return Ok(());
    }
    let action = if active { AuditAction::DeskServiceReinstated } else { AuditAction::DeskServiceRetired };
    let entry = NewAuditEntry::new(Some(official.id), action).subject(format!("service:{code}"));
    let written = core.store.set_service_active(code, active, &entry, Utc::now()).await?;
    super::catalogue::changed(core);
    if !written {
        return Err(CoreError::NotFound);
    }
    tracing::info!(official_id = official.id, service = code, active, "desk service retired or reinstated");
    Ok(())
}
