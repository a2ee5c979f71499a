//! The desk's open data: every report without personal data — no contact, no internal note, the description only
//! when a dispatcher published it and the reporter allowed it, places as given — as CSV (its first line is the
//! header row), JSON, and the CSV's CSVW metadata (W3C "Metadata Vocabulary for Tabular Data"), CC BY 4.0. A file
//! is made from the data when asked for and then served as made for [`FRESH_FOR`] (each carries the day it was made):
//! anyone may ask for it, and a million reports are not read again for every request. A dispatcher's publication
//! decision makes the files again at once in this process ([`changed`]).

use std::sync::Arc;

use serde_json::{Value, json};

use crate::{
    core::{Core, CoreResult},
    storage::desk_public::{PublicFilter, PublicReport},
    surveys::open_data::field,
};

/// The licence of every open data file.
pub const LICENCE_URL: &str = "https://creativecommons.org/licenses/by/4.0/";

/// The CSV's columns: `(name, title, datatype)`.
pub const COLUMNS: [(&str, &str, &str); 13] = [
    ("id", "Report number", "integer"),
    ("service_code", "Problem type (code)", "string"),
    ("unit", "Unit handling it (code)", "string"),
    ("state", "State: new, acknowledged, in_progress, resolved, rejected, transferred, merged", "string"),
    ("district", "District number (empty when not known)", "integer"),
    ("lat", "Latitude (WGS84), as given", "number"),
    ("lon", "Longitude (WGS84), as given", "number"),
    ("address", "Address or landmark, as given", "string"),
    ("description", "Description, only when published", "string"),
    ("received_at", "Received (UTC, RFC 3339)", "dateTime"),
    ("updated_at", "Last change (UTC, RFC 3339)", "dateTime"),
    ("due_on", "Due day", "date"),
    ("public_note", "The city's latest public note", "string"),
];

/// Exports made at once in this process: one. Anyone may ask for the files, each reads every report, so a burst
/// of requests waits in line instead of taking every core.
static EXPORTS: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(1);

/// How long a file, once made, is served as it is.
pub const FRESH_FOR: std::time::Duration = std::time::Duration::from_secs(60);

/// A made file, kept under its kind (`CSV` or `JSON`).
struct Made<const FILE: u8>(Arc<String>);
const CSV: u8 = 0;
const JSON: u8 = 1;

/// Every report, newest first, as anyone may see it.
async fn reports(core: &Core) -> CoreResult<Vec<PublicReport>> {
    Ok(core.store.public_reports(&PublicFilter::default(), 0, i64::MAX).await?.0)
}

/// The file of this kind: the one made less than [`FRESH_FOR`] ago, else made now from every report (one export at
/// a time; whoever waited for the turn takes the file made meanwhile).
async fn made<const FILE: u8>(core: &Core, make: impl FnOnce(&[PublicReport]) -> String) -> CoreResult<Arc<String>> {
    if let Some(f) = core.recent.get::<Made<FILE>>(FRESH_FOR) {
        return Ok(f.0.clone());
    }
    let _turn = EXPORTS.acquire().await.map_err(|e| anyhow::anyhow!("the export queue is closed: {e}"))?;
    if let Some(f) = core.recent.get::<Made<FILE>>(FRESH_FOR) {
        return Ok(f.0.clone());
    }
    let file = Arc::new(make(&reports(core).await?));
    core.recent.put(Arc::new(Made::<FILE>(file.clone())));
    Ok(file)
}

/// `/open-data/reports.csv`: made at most once per [`FRESH_FOR`] however many ask.
pub async fn csv_file(core: &Core) -> CoreResult<Arc<String>> {
    made::<CSV>(core, csv).await
}

/// `/open-data/reports.json`, made like [`csv_file`]; `generated` is the day it is made.
pub async fn json_file(core: &Core, generated: &str) -> CoreResult<Arc<String>> {
    made::<JSON>(core, |reports| json(reports, generated).to_string()).await
}

/// After a publication decision: the next request makes the files again (a description taken back leaves them
/// at once).
pub fn changed(core: &Core) {
    core.recent.forget::<Made<CSV>>();
    core.recent.forget::<Made<JSON>>();
}

fn note(r: &PublicReport) -> &str {
    r.history.iter().rev().map(|e| e.public_note.as_str()).find(|n| !n.is_empty()).unwrap_or("")
}

fn cells(r: &PublicReport) -> [String; 13] {
    [
        r.id.to_string(),
        r.service_code.clone(),
        r.unit.clone(),
        r.state.as_str().to_string(),
        r.district.map(|d| d.to_string()).unwrap_or_default(),
        r.lat.to_string(),
        r.lon.to_string(),
        r.address.clone().unwrap_or_default(),
        r.description.clone().unwrap_or_default(),
        r.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        r.updated_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        r.due_on.to_string(),
        note(r).to_string(),
    ]
}

/// The CSV: the header row first, then one row per report; lines end in CRLF, every cell through [`field`].
pub fn csv(reports: &[PublicReport]) -> String {
    let mut out = COLUMNS.iter().map(|c| c.0).collect::<Vec<_>>().join(",");
    out.push_str("\r\n");
    for r in reports {
        out.push_str(&cells(r).iter().map(|c| field(c)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}

/// The JSON: `{"licence", "generated", "reports": [{column: value}]}`.
pub fn json(reports: &[PublicReport], generated: &str) -> Value {
    let rows: Vec<Value> = reports
        .iter()
        .map(|r| {
            json!({
                "id": r.id, "service_code": r.service_code, "unit": r.unit, "state": r.state.as_str(),
                "district": r.district, "lat": r.lat, "lon": r.lon, "address": r.address,
                "description": r.description, "received_at": r.created_at, "updated_at": r.updated_at,
                "due_on": r.due_on, "public_note": note(r),
            })
        })
        .collect();
    json!({"licence": "CC BY 4.0", "licence_url": LICENCE_URL, "generated": generated, "reports": rows})
}

/// The CSVW metadata of `reports.csv` (served beside it as `reports.csv-metadata.json`).
pub fn csvw(base_url: &str, generated: &str) -> Value {
    let columns: Vec<Value> = COLUMNS
        .iter()
        .map(|(name, title, datatype)| json!({"name": name, "titles": title, "datatype": datatype}))
        .collect();
    json!({
        "@context": "http://www.w3.org/ns/csvw",
        "url": format!("{base_url}/open-data/reports.csv"),
        "dc:title": "Problems reported to the city (hejnał intervention desk)",
        "dc:description": "Every report without personal data: no contact, no internal notes; the description only when published; places as given.",
        "dc:license": {"@id": LICENCE_URL},
        "dc:modified": generated,
        "dialect": {"header": true, "delimiter": ",", "lineTerminators": ["\r\n"], "encoding": "utf-8"},
        "tableSchema": {"columns": columns, "primaryKey": "id"},
    })
}
