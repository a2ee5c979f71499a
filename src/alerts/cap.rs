//! hejnał's messages as CAP 1.2 documents, and upstream CAP documents as drafts.
//!
//! Districts travel as CAP geocodes with `valueName` [`DISTRICT_GEOCODE`]; a TERYT geocode of the whole city
//! (`1261…`, Kraków's county code) imports as every district.

use chrono::{DateTime, Duration, Utc};

use super::{MsgType, Preview, Source};
use crate::{
    core::{Core, CoreError, FieldIssue},
    domain::{
        Official,
        alert::{AlertInput, AreaInput, CircleInput, InfoInput},
        audit::{AuditAction, NewAuditEntry},
        cap::{self, Alert, Area, Geocode, Info, Reference, Scope},
        lifecycle::AlertState,
    },
    i18n::{self, Lang},
    storage::AlertRecord,
};

/// The geocode `valueName` of a district number.
pub const DISTRICT_GEOCODE: &str = "krakow-district";
/// Kraków's TERYT county code: a geocode under it means the whole city.
const KRAKOW_TERYT: &str = "1261";

fn cap_language(code: &str) -> &'static str {
    match code {
        "en" => "en-GB",
        "uk" => "uk-UA",
        _ => "pl-PL",
    }
}

/// When a message was (or will be counted as) sent.
fn sent(a: &AlertRecord) -> DateTime<Utc> {
    a.sent_at.unwrap_or(a.created_at)
}

/// The CAP 1.2 document of a message; `original` is the message an Update or Cancel refers to.
pub fn to_cap(state: &Core, a: &AlertRecord, original: Option<&AlertRecord>) -> Alert {
    let spec = &a.spec;
    let geocodes: Vec<Geocode> =
        a.districts.iter().map(|d| Geocode { value_name: DISTRICT_GEOCODE.into(), value: d.to_string() }).collect();
    let infos = spec
        .info
        .iter()
        .map(|(code, text)| {
            let lang = Lang::parse(code).unwrap_or_default();
            let opt = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
            Info {
                language: cap_language(code).into(),
                categories: vec![spec.category],
                event: spec.event.clone(),
                response_types: spec.response_type.into_iter().collect(),
                urgency: spec.urgency,
                severity: spec.severity,
                certainty: spec.certainty,
                sender_name: Some(i18n::t(lang, "cap-sender-name")),
                effective: None,
                onset: None,
                expires: Some(state.config.local_time(spec.expires_at)),
                headline: opt(&text.headline),
                description: opt(&text.description),
                instruction: opt(&text.instruction),
                web: Some(
                    spec.web.clone().unwrap_or_else(|| state.config.link(&format!("/alerts/{}?lang={code}", a.id))),
                ),
                contact: None,
                areas: vec![Area {
                    desc: if spec.area.description.is_empty() {
                        i18n::t(lang, "cap-area-default")
                    } else {
                        spec.area.description.clone()
                    },
                    polygons: spec.area.polygons.clone(),
                    circles: spec.area.circles.clone(),
                    geocodes: geocodes.clone(),
                }],
            }
        })
        .collect();
    Alert {
        identifier: a.identifier.clone(),
        sender: state.config.alerts.sender.clone(),
        sent: state.config.local_time(sent(a)),
        status: spec.status,
        msg_type: a.msg_type.into(),
        scope: Scope::Public,
        source: None,
        note: None,
        references: original
            .map(|o| {
                vec![Reference {
                    sender: state.config.alerts.sender.clone(),
                    identifier: o.identifier.clone(),
                    sent: state.config.local_time(sent(o)),
                }]
            })
            .unwrap_or_default(),
        infos,
    }
}

fn cap_refused(detail: impl ToString) -> CoreError {
    let mut e = FieldIssue::new("cap", "cap-error");
    e.args.insert("detail".into(), detail.to_string().into());
    CoreError::Invalid(vec![e])
}

/// Turns an upstream CAP 1.2 document into a draft for approval. Emergencies only (CAP has no notion of a service
/// announcement); an Update or Cancel of one of our own messages stays one.
pub async fn import(state: &Core, official: &Official, body: &[u8]) -> Result<(i64, Preview), CoreError> {
    import_from(state, official, body, None).await
}

/// [`import`], noting the feed it came from (if it did) in the audit log.
#[tracing::instrument(skip_all, fields(official_id = official.id, feed = ?feed), err(level = "info"))]
pub async fn import_from(
    state: &Core,
    official: &Official,
    body: &[u8],
    feed: Option<&str>,
) -> Result<(i64, Preview), CoreError> {
    if body.len() > cap::MAX_CAP_BYTES {
        let detail = cap::CapError::TooLarge { bytes: body.len() }.to_string();
        return Err(CoreError::TooLarge { detail });
    }
    let xml = std::str::from_utf8(body).map_err(|_| cap_refused("the document is not UTF-8 text"))?;
    let alert = cap::parse(xml).map_err(cap_refused)?;
    if !matches!(alert.status, cap::Status::Actual | cap::Status::Exercise | cap::Status::Test | cap::Status::Draft) {
        return Err(cap_refused(format!("status {} is not for the public", alert.status.as_str())));
    }
    if alert.scope != Scope::Public {
        return Err(cap_refused(format!("scope {} is not public", alert.scope.as_str())));
    }
    let Some(mut msg) = MsgType::of_cap(alert.msg_type) else {
        return Err(cap_refused(format!("msgType {} is not a warning", alert.msg_type.as_str())));
    };
    let mut original = None;
    if msg != MsgType::Alert {
        for r in alert.references.iter().rev() {
            if let Some(o) = state.store.alert_by_identifier(&r.identifier).await? {
                original = Some(o);
                break;
            }
        }
        if original.is_none() {
            msg = MsgType::Alert; // an update of something we never sent is news to our residents
        }
    }
    let mut input = input_of(state, &alert).await?;
    if let Some(o) = &original {
        follow_up_of(o, &alert, msg)?;
        // A follow-up keeps what it follows up, as the API's update and cancel do: CAP has no notion of an
        // announcement, and the status already matches.
        input.kind = o.spec.kind.as_str().into();
        input.status = Some(o.spec.status.as_str().into());
    }
    let spec = super::validate(state, &input, Utc::now()).await?;
    let (id, preview) = super::create(state, official, spec, Source::Cap, msg, original.as_ref()).await?;
    let entry = NewAuditEntry::new(Some(official.id), AuditAction::CapImported)
        .subject(format!("alert:{id}"))
        .detail(serde_json::json!({"identifier": alert.identifier, "sender": alert.sender, "feed": feed}));
    state.store.append_audit(&entry, Utc::now()).await?;
    Ok((id, preview))
}

/// The rules of the API's update and cancel, for an upstream Update or Cancel of one of our messages, in words
/// the feed's page and the importing official understand. A status other than the original's is refused rather
/// than taken over: an upstream `Exercise` that refers to our `Actual` message contradicts itself, and neither
/// reading of it (a drill sent to every real recipient, or a drill's text sent as real) is safe.
fn follow_up_of(original: &AlertRecord, alert: &Alert, msg: MsgType) -> Result<(), CoreError> {
    let what = if msg == MsgType::Cancel { "cancels" } else { "updates" };
    let of = format!("it {what} alert {} ({})", original.id, original.identifier);
    if alert.status != original.spec.status {
        return Err(cap_refused(format!(
            "{of}, whose status is {}, but the document's status is {}; a follow-up keeps its original's status",
            original.spec.status.as_str(),
            alert.status.as_str()
        )));
    }
    let refusal = match original.state {
        AlertState::Cancelled => Some("which has already been cancelled"),
        AlertState::Updated => Some("which was replaced by an update; only the newest message can be followed up"),
        _ if original.msg_type == MsgType::Cancel => Some("which is a cancellation; it cannot be followed up"),
        _ if original.sent_at.is_none() => {
            Some("which has not been sent; withdraw or change it on its page instead of importing a follow-up")
        }
        _ if original.broadcast_id.is_none() => {
            Some("which is being handed over for sending right now; the next poll or import tries again")
        }
        _ => None,
    };
    match refusal {
        Some(why) => Err(cap_refused(format!("{of}, {why}"))),
        None => Ok(()),
    }
}

/// The JSON shape of a CAP document's Polish (and English, Ukrainian) info blocks.
async fn input_of(state: &Core, alert: &Alert) -> Result<AlertInput, CoreError> {
    let lang_of = |l: &str| {
        let l = l.to_ascii_lowercase();
        ["pl", "en", "uk"].into_iter().find(|c| l == *c || l.starts_with(&format!("{c}-")))
    };
    let polish = alert
        .infos
        .iter()
        .find(|i| lang_of(&i.language) == Some("pl"))
        .ok_or_else(|| cap_refused("the document has no Polish <info> block (language pl or pl-PL)"))?;
    let all_districts: Vec<i64> = state.store.list_districts().await?.into_iter().map(|d| d.number).collect();
    let mut districts = Vec::new();
    let mut polygons = Vec::new();
    let mut circles = Vec::new();
    let mut descriptions = Vec::new();
    for area in &polish.areas {
        descriptions.push(area.desc.clone());
        polygons.extend(area.polygons.iter().map(|p| p.0.iter().map(|pt| [pt.lat, pt.lon]).collect::<Vec<_>>()));
        circles.extend(area.circles.iter().map(|c| CircleInput {
            lat: c.center.lat,
            lon: c.center.lon,
            radius_km: c.radius_km,
        }));
        for g in &area.geocodes {
            if g.value_name == DISTRICT_GEOCODE {
                let n = g.value.trim().parse().map_err(|_| {
                    cap_refused(format!("geocode {DISTRICT_GEOCODE} \"{}\" is not a district number", g.value))
                })?;
                districts.push(n);
            } else if g.value_name.eq_ignore_ascii_case("TERYT") && g.value.starts_with(KRAKOW_TERYT) {
                districts.extend(all_districts.iter().copied());
            }
        }
    }
    districts.sort_unstable();
    districts.dedup();
    let info = alert
        .infos
        .iter()
        .filter_map(|i| {
            let code = lang_of(&i.language)?;
            let text = InfoInput {
                headline: i.headline.clone(),
                description: i.description.clone(),
                instruction: i.instruction.clone(),
            };
            Some((code.to_string(), text))
        })
        .collect();
    let expires = polish.expires.map(|e| e.to_rfc3339()).or_else(|| {
        // CAP leaves expiry optional; ours defaults to a day from the message's own time.
        Some((alert.sent + Duration::hours(24)).to_rfc3339())
    });
    Ok(AlertInput {
        kind: "emergency".into(),
        status: Some(alert.status.as_str().into()),
        category: polish.categories.first().map(|c| c.as_str().to_string()),
        event: Some(polish.event.clone()),
        urgency: Some(polish.urgency.as_str().into()),
        severity: Some(polish.severity.as_str().into()),
        certainty: Some(polish.certainty.as_str().into()),
        response_type: polish.response_types.first().map(|r| r.as_str().to_string()),
        topic: None,
        expires,
        scheduled: None,
        info,
        area: AreaInput { description: Some(descriptions.join("; ")), districts, polygons, circles },
        channels: None,
        ask_safety: false,
        // Our own alert page is not kept as the draft's web link: the new draft gets its own.
        web: polish.web.clone().filter(|w| !w.starts_with(&state.config.link("/alerts/"))),
    })
}
