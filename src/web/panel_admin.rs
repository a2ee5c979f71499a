//! The officials' side of the panel: its make-up (`analyst`, `admin`) with a server-drawn chart, and for admins
//! the consent notice, the CSV import with a legal basis per row, and data-subject requests by resident id.
//! No list here shows a resident's contact details.

use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    middleware,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use chrono::Utc;
use serde::{Deserialize, Serialize};

use super::{
    api::{PANEL_READERS, panel::stats},
    context::{CsrfForm, RequestContext, require_roles},
    error::{AppError, FieldError},
    page::{Chrome, Page},
    panel::{data::export_download, me::notice_view},
};
use crate::{
    domain::{
        Email, PhoneE164, Role,
        audit::{AuditAction, NewAuditEntry},
        panel::{Channel, ConsentMethod, ContactKind, Purpose},
    },
    i18n::Lang,
    storage::NewResident,
    web::AppState,
};

const ADMIN: &[Role] = &[Role::Admin];

pub fn router() -> Router<AppState> {
    let readers = Router::new()
        .route("/official/panel", get(panel_page))
        .route_layer(middleware::from_fn(|req, next| require_roles(PANEL_READERS, req, next)));
    let admin = Router::new()
        .route("/official/admin/notice", get(notice_page).post(publish_notice))
        .route("/official/admin/panel/import", get(import_page).post(import))
        .route("/official/admin/residents", get(request_page))
        .route("/official/admin/residents/{id}/export", get(request_export))
        .route("/official/admin/residents/{id}/erase", post(request_erase))
        .route_layer(middleware::from_fn(|req, next| require_roles(ADMIN, req, next)));
    readers.merge(admin)
}

#[derive(Serialize)]
struct Bar {
    y: i64,
    label_y: i64,
    name: String,
    residents: i64,
    panel_share: f64,
    population_share: f64,
    panel_width: f64,
    population_width: f64,
}

#[derive(Serialize)]
struct Row {
    key: String,
    label_key: String,
    residents: i64,
}

#[derive(Serialize)]
struct PanelPage {
    #[serde(flatten)]
    chrome: Chrome,
    verified_residents: i64,
    bars: Vec<Bar>,
    chart_height: i64,
    by_age_band: Vec<Row>,
    by_language: Vec<Row>,
    by_channel: Vec<Row>,
    by_purpose: Vec<Row>,
    signups_by_day: Vec<Row>,
}

/// Pixels per percentage point in the chart; the longest bar is scaled to fit 400 px.
fn scale(max_share: f64) -> f64 {
    400.0 / max_share.max(1.0)
}

async fn panel_page(State(state): State<AppState>, ctx: RequestContext) -> Result<Page, AppError> {
    let s = stats(&state).await?;
    let max = s.by_district.iter().map(|d| d.panel_share.max(d.population_share)).fold(0.0, f64::max);
    let k = scale(max);
    let bars: Vec<Bar> = s
        .by_district
        .iter()
        .enumerate()
        .map(|(i, d)| Bar {
            y: 10 + 34 * i as i64,
            label_y: 26 + 34 * i as i64,
            name: format!("{}. {}", d.number, d.name),
            residents: d.residents,
            panel_share: d.panel_share,
            population_share: d.population_share,
            panel_width: (d.panel_share * k).max(1.0),
            population_width: (d.population_share * k).max(1.0),
        })
        .collect();
    let rows = |prefix: &str, v: Vec<super::api::panel::Count>| {
        v.into_iter()
            .map(|c| Row {
                label_key: if c.key.is_empty() { "panel-not-given".into() } else { format!("{prefix}{}", c.key) },
                key: c.key,
                residents: c.residents,
            })
            .collect::<Vec<_>>()
    };
    let page = PanelPage {
        chrome: Chrome::new(&ctx, "panel-title"),
        verified_residents: s.verified_residents,
        chart_height: 20 + 34 * bars.len() as i64,
        bars,
        by_age_band: rows("", s.by_age_band),
        by_language: rows("lang-", s.by_language),
        by_channel: rows("channel-", s.by_channel),
        by_purpose: rows("purpose-", s.by_purpose),
        signups_by_day: rows("", s.signups_by_day),
    };
    state.templates.page("pages/panel/official", &page)
}

#[derive(Serialize)]
struct NoticePage {
    #[serde(flatten)]
    chrome: Chrome,
    version: i64,
    published: String,
    texts: [String; 3],
    errors: Vec<FieldError>,
    published_now: bool,
}

async fn render_notice(
    state: &AppState,
    ctx: &RequestContext,
    errors: Vec<FieldError>,
    published_now: bool,
) -> Result<Response, AppError> {
    let n = state.store.current_notice().await?.ok_or(AppError::NotFound)?;
    let view = notice_view(&n, Lang::Pl);
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page = NoticePage {
        chrome: Chrome::new(ctx, "notice-admin-title"),
        version: view.version,
        published: view.published.clone(),
        texts: [n.text_pl, n.text_en, n.text_uk],
        errors,
        published_now,
    };
    Ok((status, state.templates.page("pages/panel/notice-admin", &page)?).into_response())
}

async fn notice_page(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, AppError> {
    render_notice(&state, &ctx, Vec::new(), false).await
}

#[derive(Deserialize)]
struct NoticeForm {
    text_pl: String,
    text_en: String,
    text_uk: String,
}

async fn publish_notice(
    State(state): State<AppState>,
    ctx: RequestContext,
    CsrfForm(form): CsrfForm<NoticeForm>,
) -> Result<Response, AppError> {
    let official = ctx.official()?.id;
    let mut errors = Vec::new();
    for (field, text) in [("text_pl", &form.text_pl), ("text_en", &form.text_en), ("text_uk", &form.text_uk)] {
        if text.trim().len() < 20 {
            errors.push(FieldError::new(field, "field-notice-text"));
        }
    }
    if !errors.is_empty() {
        return render_notice(&state, &ctx, errors, false).await;
    }
    let texts = [form.text_pl.trim(), form.text_en.trim(), form.text_uk.trim()];
    let version = state.store.publish_notice(texts, Utc::now()).await?;
    let entry = NewAuditEntry::new(Some(official), AuditAction::NoticePublished)
        .subject(format!("notice:{version}"))
        .detail(serde_json::json!({ "version": version }));
    state.store.append_audit(&entry, Utc::now()).await?;
    render_notice(&state, &ctx, Vec::new(), true).await
}

#[derive(Serialize)]
struct ImportPage {
    #[serde(flatten)]
    chrome: Chrome,
    csv: String,
    imported: Option<usize>,
    skipped: usize,
    row_errors: Vec<RowError>,
    errors: Vec<FieldError>,
}

#[derive(Serialize)]
struct RowError {
    line: usize,
    key: &'static str,
}

async fn import_page(State(state): State<AppState>, ctx: RequestContext) -> Result<Page, AppError> {
    let page = ImportPage {
        chrome: Chrome::new(&ctx, "import-title"),
        csv: String::new(),
        imported: None,
        skipped: 0,
        row_errors: Vec::new(),
        errors: Vec::new(),
    };
    state.templates.page("pages/panel/import", &page)
}

#[derive(Deserialize)]
struct ImportForm {
    #[serde(default)]
    csv: String,
}

/// One CSV row: `email,phone,language,home_district,consents,legal_basis` (consents as `purpose:channel;…`).
fn parse_row(line: &str, districts: &[i64], notice: i64) -> Result<NewResident, &'static str> {
    let cols: Vec<&str> = line.split(',').map(str::trim).collect();
    if cols.len() != 6 {
        return Err("import-row-columns");
    }
    let legal_basis = cols[5];
    if legal_basis.is_empty() {
        return Err("import-row-basis");
    }
    let mut contacts = Vec::new();
    if !cols[0].is_empty() {
        contacts.push((ContactKind::Email, Email::parse(cols[0]).map_err(|_| "field-email-invalid")?.as_str().into()));
    }
    if !cols[1].is_empty() {
        contacts
            .push((ContactKind::Phone, PhoneE164::parse(cols[1]).map_err(|_| "field-phone-invalid")?.as_str().into()));
    }
    if contacts.is_empty() {
        return Err("field-contact-required");
    }
    let language = Lang::parse(cols[2]).ok_or("field-language-unknown")?;
    let home = cols[3].parse::<i64>().ok().filter(|d| districts.contains(d)).ok_or("field-district-unknown")?;
    let mut consents = Vec::new();
    for c in cols[4].split(';').filter(|c| !c.trim().is_empty()) {
        let (p, ch) = c.trim().split_once(':').ok_or("field-consent-unknown")?;
        consents.push((
            p.parse::<Purpose>().map_err(|_| "field-consent-unknown")?,
            ch.parse::<Channel>().map_err(|_| "field-consent-unknown")?,
        ));
    }
    if consents.is_empty() {
        return Err("field-consent-required");
    }
    Ok(NewResident {
        language: language.code().into(),
        home_district: home,
        other_districts: Vec::new(),
        age_band: None,
        interests: Vec::new(),
        contacts,
        consents,
        method: ConsentMethod::Import,
        notice_version: notice,
        verified: true,
        legal_basis: Some(legal_basis.chars().take(200).collect()),
    })
}

async fn import(
    State(state): State<AppState>,
    ctx: RequestContext,
    CsrfForm(form): CsrfForm<ImportForm>,
) -> Result<Response, AppError> {
    let official = ctx.official()?.id;
    let districts: Vec<i64> = state.store.list_districts().await?.into_iter().map(|d| d.number).collect();
    let notice = state.store.current_notice().await?.map(|n| n.version).unwrap_or(1);
    let mut rows = Vec::new();
    let mut row_errors = Vec::new();
    for (i, line) in form.csv.lines().enumerate() {
        if line.trim().is_empty() || (i == 0 && line.starts_with("email")) {
            continue;
        }
        match parse_row(line, &districts, notice) {
            Ok(r) => rows.push(r),
            Err(key) => row_errors.push(RowError { line: i + 1, key }),
        }
    }
    let errors = if rows.is_empty() && row_errors.is_empty() {
        vec![FieldError::new("csv", "import-empty")]
    } else {
        Vec::new()
    };
    // All or nothing: a file with a bad row imports nobody, so it can be fixed and sent again.
    let (mut imported, mut skipped) = (0, 0);
    if row_errors.is_empty() && errors.is_empty() {
        for r in &rows {
            match state.store.create_resident(r, Utc::now()).await? {
                Some(_) => imported += 1,
                None => skipped += 1,
            }
        }
        if imported > 0 {
            // Fresh statistics for the planner: the next alert's targeting is planned for the panel as it is now.
            state.store.analyze_panel().await?;
        }
        let entry = NewAuditEntry::new(Some(official), AuditAction::ResidentsImported)
            .detail(serde_json::json!({ "imported": imported, "skipped": skipped }));
        state.store.append_audit(&entry, Utc::now()).await?;
    }
    let failed = !row_errors.is_empty() || !errors.is_empty();
    let page = ImportPage {
        chrome: Chrome::new(&ctx, "import-title"),
        csv: if failed { form.csv.clone() } else { String::new() },
        imported: (!failed).then_some(imported),
        skipped,
        row_errors,
        errors,
    };
    let status = if failed { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    Ok((status, state.templates.page("pages/panel/import", &page)?).into_response())
}

#[derive(Deserialize)]
struct RequestQuery {
    id: Option<String>,
    done: Option<String>,
}

#[derive(Serialize)]
struct RequestPage {
    #[serde(flatten)]
    chrome: Chrome,
    id: String,
    found: Option<ResidentSummary>,
    not_found: bool,
    erased_now: bool,
}

#[derive(Serialize)]
struct ResidentSummary {
    id: i64,
    created_at: String,
    verified: bool,
    erased: bool,
    contact_points: usize,
}

async fn request_page(
    State(state): State<AppState>,
    ctx: RequestContext,
    axum::extract::Query(q): axum::extract::Query<RequestQuery>,
) -> Result<Page, AppError> {
    let id = q.id.clone().unwrap_or_default();
    let found = match id.trim().parse::<i64>() {
        Ok(n) => state.store.resident(n).await?.map(|r| ResidentSummary {
            id: r.id,
            created_at: r.created_at.format("%Y-%m-%d").to_string(),
            verified: r.verified_at.is_some(),
            erased: r.erased_at.is_some(),
            contact_points: r.contact_points.len(),
        }),
        Err(_) => None,
    };
    let page = RequestPage {
        chrome: Chrome::new(&ctx, "request-title"),
        not_found: !id.trim().is_empty() && found.is_none(),
        id,
        found,
        erased_now: q.done.as_deref() == Some("erased"),
    };
    state.templates.page("pages/panel/request", &page)
}

async fn request_export(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let official = ctx.official()?.id;
    let res = export_download(&state, id).await?;
    let entry = NewAuditEntry::new(Some(official), AuditAction::ResidentExported).subject(format!("resident:{id}"));
    state.store.append_audit(&entry, Utc::now()).await?;
    Ok(res)
}

#[derive(Deserialize)]
struct Empty {}

async fn request_erase(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<Empty>,
) -> Result<Response, AppError> {
    let official = ctx.official()?.id;
    if !crate::panel::data::erase(&state.core, id).await? {
        return Err(AppError::NotFound);
    }
    let entry = NewAuditEntry::new(Some(official), AuditAction::ResidentErased).subject(format!("resident:{id}"));
    state.store.append_audit(&entry, Utc::now()).await?;
    Ok(Redirect::to(&format!("/official/admin/residents?id={id}&done=erased")).into_response())
}
