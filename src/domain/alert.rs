//! Emergency alerts and service announcements: what an official submits, how it is checked, and the validated
//! message ([`AlertSpec`]) that is stored, rendered per channel and exported as CAP 1.2 (see [`super::cap`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::{
    cap::{Category, Certainty, ResponseType, Severity, Status, Urgency},
    geo::{Circle, Point, Polygon},
    panel::Channel,
};

/// The two kinds of message that share the CAP model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AlertKind {
    /// No opt-out except withdrawing the emergency consent; a second official approves.
    Emergency,
    /// Follows residents' interests; may be scheduled.
    Service,
}

impl AlertKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Emergency => "emergency",
            AlertKind::Service => "service",
        }
    }

    pub fn purpose(self) -> super::panel::Purpose {
        match self {
            AlertKind::Emergency => super::panel::Purpose::EmergencyAlerts,
            AlertKind::Service => super::panel::Purpose::ServiceAnnouncements,
        }
    }
}

/// The languages a message may be written in; Polish is required, the others fall back to it per resident.
pub const LANGUAGES: [&str; 3] = ["pl", "en", "uk"];

/// The longest headline (CAP recommends under 160 characters), description and instruction.
pub const MAX_HEADLINE: usize = 160;
pub const MAX_TEXT: usize = 4000;

/// What an official submits, loosely typed so that every mistake can be named precisely.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"kind": "emergency", "status": "Actual", "category": "Met", "event": "Flood",
    "urgency": "Immediate", "severity": "Severe", "certainty": "Likely", "expires": "2026-12-01T12:00:00+01:00",
    "info": {"pl": {"headline": "Ostrzeżenie powodziowe", "description": "Wisła przekroczyła stan alarmowy.",
    "instruction": "Unikaj bulwarów."}},
    "area": {"description": "Podgórze i Dębniki", "districts": [8, 13],
    "circles": [{"lat": 50.05, "lon": 19.94, "radius_km": 1.5}]}}))]
pub struct AlertInput {
    /// `emergency` or `service`.
    pub kind: String,
    /// CAP status: `Actual` (default), `Exercise`, `Test` or `Draft`.
    pub status: Option<String>,
    pub category: Option<String>,
    pub event: Option<String>,
    pub urgency: Option<String>,
    pub severity: Option<String>,
    pub certainty: Option<String>,
    pub response_type: Option<String>,
    /// Service announcements: one of the panel's interests.
    pub topic: Option<String>,
    /// RFC 3339; default 24 hours from now.
    pub expires: Option<String>,
    /// Service announcements only: when to send (RFC 3339).
    pub scheduled: Option<String>,
    #[serde(default)]
    pub info: BTreeMap<String, InfoInput>,
    #[serde(default)]
    pub area: AreaInput,
    /// `email`, `sms`, `push`; default every channel each resident consented to.
    pub channels: Option<Vec<String>>,
    /// Emergencies: ask "are you safe?" with personal reply links (and an SMS keyword).
    #[serde(default)]
    pub ask_safety: bool,
    pub web: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct InfoInput {
    pub headline: Option<String>,
    pub description: Option<String>,
    pub instruction: Option<String>,
}

#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct AreaInput {
    pub description: Option<String>,
    #[serde(default)]
    pub districts: Vec<i64>,
    /// Each polygon a closed ring of `[lat, lon]` points (first = last, at least 4).
    #[serde(default)]
    pub polygons: Vec<Vec<[f64; 2]>>,
    #[serde(default)]
    pub circles: Vec<CircleInput>,
}

#[derive(Clone, Debug, Deserialize, utoipa::ToSchema)]
pub struct CircleInput {
    pub lat: f64,
    pub lon: f64,
    pub radius_km: f64,
}

/// One language's text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AlertText {
    pub headline: String,
    pub description: String,
    pub instruction: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertArea {
    pub description: String,
    pub districts: Vec<i64>,
    pub polygons: Vec<Polygon>,
    pub circles: Vec<Circle>,
}

/// A validated message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertSpec {
    pub kind: AlertKind,
    pub status: Status,
    pub category: Category,
    pub event: String,
    pub urgency: Urgency,
    pub severity: Severity,
    pub certainty: Certainty,
    pub response_type: Option<ResponseType>,
    pub topic: Option<String>,
    /// By language code (`pl` always present).
    pub info: BTreeMap<String, AlertText>,
    pub area: AlertArea,
    /// Empty: every channel each resident consented to.
    pub channels: Vec<Channel>,
    pub expires_at: DateTime<Utc>,
    pub scheduled_at: Option<DateTime<Utc>>,
    pub ask_safety: bool,
    pub web: Option<String>,
}

impl AlertSpec {
    /// The text in `lang`, or Polish.
    pub fn text(&self, lang: &str) -> &AlertText {
        self.info.get(lang).or_else(|| self.info.get("pl")).expect("validated specs have Polish")
    }

    /// An exercise or test: goes only to the test group and says so everywhere.
    pub fn is_drill(&self) -> bool {
        matches!(self.status, Status::Exercise | Status::Test)
    }
}

/// A field the official must fix: the catalogue key of the message and its arguments.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    pub field: String,
    pub key: &'static str,
    pub args: Vec<(&'static str, String)>,
}

impl Issue {
    pub fn new(field: impl Into<String>, key: &'static str) -> Self {
        Self { field: field.into(), key, args: Vec::new() }
    }
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }
}

/// What validation needs to know about the deployment.
pub struct Context<'a> {
    pub now: DateTime<Utc>,
    pub districts: &'a [i64],
    pub interests: &'a [String],
}

/// Checks everything at once; returns every problem, each tied to its field.
pub fn validate(input: &AlertInput, cx: &Context) -> Result<AlertSpec, Vec<Issue>> {
    let mut issues = Vec::new();
    let kind = match input.kind.as_str() {
        "emergency" => Some(AlertKind::Emergency),
        "service" => Some(AlertKind::Service),
        _ => {
            issues.push(Issue::new("kind", "alert-error-kind"));
            None
        }
    };
    let status = match input.status.as_deref().unwrap_or("Actual") {
        s @ ("Actual" | "Exercise" | "Test" | "Draft") => s.parse::<Status>().ok(),
        other => {
            issues.push(Issue::new("status", "alert-error-status").with("value", other));
            None
        }
    };
    // An enum field: required for emergencies, defaulted for announcements.
    fn pick<T: std::str::FromStr>(
        issues: &mut Vec<Issue>,
        field: &'static str,
        value: Option<&str>,
        default: Option<T>,
    ) -> Option<T> {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => v.parse().ok().or_else(|| {
                issues.push(Issue::new(field, "alert-error-choice").with("value", v));
                None
            }),
            None => default.or_else(|| {
                issues.push(Issue::new(field, "alert-error-required"));
                None
            }),
        }
    }
    let service = kind == Some(AlertKind::Service);
    // Free-text fields the caller fills in have a length even when the kind of alert ignores them.
    for (field, value) in [("event", &input.event), ("topic", &input.topic)] {
        if value.as_deref().is_some_and(|v| v.trim().chars().count() > MAX_HEADLINE) {
            issues.push(Issue::new(field, "alert-error-too-long").with("max", MAX_HEADLINE));
        }
    }
    let topic = match (kind, input.topic.as_deref().map(str::trim).filter(|t| !t.is_empty())) {
        (Some(AlertKind::Service), Some(t)) if cx.interests.iter().any(|i| i == t) => Some(t.to_string()),
        (Some(AlertKind::Service), Some(t)) => {
            issues.push(Issue::new("topic", "alert-error-choice").with("value", t));
            None
        }
        (Some(AlertKind::Service), None) => {
            issues.push(Issue::new("topic", "alert-error-required"));
            None
        }
        _ => None,
    };
    let category = pick(
        &mut issues,
        "category",
        input.category.as_deref(),
        service.then(|| topic_category(topic.as_deref().unwrap_or(""))),
    );
    let urgency = pick(&mut issues, "urgency", input.urgency.as_deref(), service.then_some(Urgency::Expected));
    let severity = pick(&mut issues, "severity", input.severity.as_deref(), service.then_some(Severity::Minor));
    let certainty = pick(&mut issues, "certainty", input.certainty.as_deref(), service.then_some(Certainty::Likely));
    let response_type = match input.response_type.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => pick(&mut issues, "response_type", Some(v), None::<ResponseType>),
        None => None,
    };

    let mut info = BTreeMap::new();
    for (lang, text) in &input.info {
        if !LANGUAGES.contains(&lang.as_str()) {
            issues.push(Issue::new(format!("info.{lang}"), "alert-error-language").with("value", lang));
            continue;
        }
        let clean = |s: &Option<String>| s.as_deref().map(str::trim).unwrap_or("").to_string();
        let t = AlertText {
            headline: clean(&text.headline),
            description: clean(&text.description),
            instruction: clean(&text.instruction),
        };
        let empty = t.headline.is_empty() && t.description.is_empty() && t.instruction.is_empty();
        if empty && lang != "pl" {
            continue; // an optional language left blank
        }
        if t.headline.is_empty() {
            issues.push(Issue::new(format!("info.{lang}.headline"), "alert-error-headline-required"));
        }
        if t.headline.chars().count() > MAX_HEADLINE {
            issues.push(Issue::new(format!("info.{lang}.headline"), "alert-error-too-long").with("max", MAX_HEADLINE));
        }
        for (name, value) in [("description", &t.description), ("instruction", &t.instruction)] {
            if value.chars().count() > MAX_TEXT {
                issues.push(Issue::new(format!("info.{lang}.{name}"), "alert-error-too-long").with("max", MAX_TEXT));
            }
        }
        info.insert(lang.clone(), t);
    }
    if !info.contains_key("pl") && !issues.iter().any(|i| i.field.starts_with("info.pl")) {
        issues.push(Issue::new("info.pl.headline", "alert-error-headline-required"));
    }
    let event = input
        .event
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_string)
        .or_else(|| service.then(|| info.get("pl").map(|t| t.headline.clone())).flatten());
    if event.is_none() && kind == Some(AlertKind::Emergency) {
        issues.push(Issue::new("event", "alert-error-required"));
    }

    let area = validate_area(&input.area, cx, &mut issues);
    let channels = match &input.channels {
        None => Vec::new(),
        Some(list) => {
            let mut out = Vec::new();
            for c in list {
                match c.parse::<Channel>() {
                    Ok(c) if !out.contains(&c) => out.push(c),
                    Ok(_) => {}
                    Err(_) => issues.push(Issue::new("channels", "alert-error-choice").with("value", c)),
                }
            }
            if out.is_empty() && !list.is_empty() {
                // every named channel was unknown: already reported
            } else if out.is_empty() {
                issues.push(Issue::new("channels", "alert-error-channels-empty"));
            }
            out.sort();
            out
        }
    };
    let expires_at = match input.expires.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        None => Some(whole_seconds(cx.now + Duration::hours(24))),
        Some(e) => match DateTime::parse_from_rfc3339(e) {
            Ok(t) if t.with_timezone(&Utc) <= cx.now => {
                issues.push(Issue::new("expires", "alert-error-expires-past"));
                None
            }
            Ok(t) => Some(whole_seconds(t.with_timezone(&Utc))),
            Err(_) => {
                issues.push(Issue::new("expires", "alert-error-datetime").with("value", e));
                None
            }
        },
    };
    let scheduled_at = match input.scheduled.as_deref().map(str::trim).filter(|e| !e.is_empty()) {
        None => None,
        Some(_) if !service => {
            issues.push(Issue::new("scheduled", "alert-error-schedule-emergency"));
            None
        }
        Some(s) => match DateTime::parse_from_rfc3339(s) {
            Ok(t) if t.with_timezone(&Utc) <= cx.now => {
                issues.push(Issue::new("scheduled", "alert-error-scheduled-past"));
                None
            }
            Ok(t) => Some(whole_seconds(t.with_timezone(&Utc))),
            Err(_) => {
                issues.push(Issue::new("scheduled", "alert-error-datetime").with("value", s));
                None
            }
        },
    };
    if let (Some(s), Some(e)) = (scheduled_at, expires_at)
        && s >= e
    {
        issues.push(Issue::new("scheduled", "alert-error-scheduled-after-expiry"));
    }
    if input.ask_safety && service {
        issues.push(Issue::new("ask_safety", "alert-error-safety-service"));
    }
    let web = input.web.as_deref().map(str::trim).filter(|w| !w.is_empty()).map(str::to_string);
    if let Some(w) = &web
        && !(w.starts_with("https://") || w.starts_with("http://"))
    {
        issues.push(Issue::new("web", "alert-error-web"));
    }

    if !issues.is_empty() {
        return Err(issues);
    }
    Ok(AlertSpec {
        kind: kind.expect("checked"),
        status: status.expect("checked"),
        category: category.expect("checked"),
        event: event.unwrap_or_default(),
        urgency: urgency.expect("checked"),
        severity: severity.expect("checked"),
        certainty: certainty.expect("checked"),
        response_type,
        topic,
        info,
        area: area.expect("checked"),
        channels,
        expires_at: expires_at.expect("checked"),
        scheduled_at,
        ask_safety: input.ask_safety,
        web,
    })
}

fn validate_area(input: &AreaInput, cx: &Context, issues: &mut Vec<Issue>) -> Option<AlertArea> {
    let before = issues.len();
    let mut districts = Vec::new();
    for d in &input.districts {
        if !cx.districts.contains(d) {
            issues.push(Issue::new("area.districts", "alert-error-district").with("value", d));
        } else if !districts.contains(d) {
            districts.push(*d);
        }
    }
    districts.sort_unstable();
    let mut polygons = Vec::new();
    for (i, ring) in input.polygons.iter().enumerate() {
        let polygon = Polygon(ring.iter().map(|[lat, lon]| Point { lat: *lat, lon: *lon }).collect());
        match polygon.validate(i + 1) {
            Ok(()) => polygons.push(polygon),
            Err(e) => issues.push(Issue::new("area.polygons", "alert-error-geometry").with("detail", e)),
        }
    }
    let mut circles = Vec::new();
    for (i, c) in input.circles.iter().enumerate() {
        let circle = Circle { center: Point { lat: c.lat, lon: c.lon }, radius_km: c.radius_km };
        match circle.validate(i + 1) {
            Ok(()) => circles.push(circle),
            Err(e) => issues.push(Issue::new("area.circles", "alert-error-geometry").with("detail", e)),
        }
    }
    if districts.is_empty() && polygons.is_empty() && circles.is_empty() && issues.len() == before {
        issues.push(Issue::new("area.districts", "alert-error-area-empty"));
    }
    let description = input.description.as_deref().map(str::trim).unwrap_or("").to_string();
    if description.chars().count() > MAX_HEADLINE {
        issues.push(Issue::new("area.description", "alert-error-too-long").with("max", MAX_HEADLINE));
    }
    (issues.len() == before).then_some(AlertArea { description, districts, polygons, circles })
}

/// CAP carries whole seconds: a time with a fraction would not survive an export and import.
fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    use chrono::SubsecRound;
    t.trunc_subsecs(0)
}

/// The CAP category a service announcement's topic implies.
pub fn topic_category(topic: &str) -> Category {
    match topic {
        "transport" | "roads_works" => Category::Transport,
        "water_utilities" => Category::Infra,
        "environment_air" => Category::Env,
        "safety" => Category::Safety,
        "health_social" => Category::Health,
        _ => Category::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cx() -> Context<'static> {
        static D: [i64; 3] = [1, 8, 13];
        Context { now: Utc::now(), districts: &D, interests: &[] }
    }

    fn emergency() -> AlertInput {
        serde_json::from_value(serde_json::json!({
            "kind": "emergency", "category": "Met", "event": "Flood", "urgency": "Immediate", "severity": "Severe",
            "certainty": "Likely", "info": {"pl": {"headline": "Powódź", "instruction": "Uciekaj"}},
            "area": {"districts": [8, 13, 8]}
        }))
        .unwrap()
    }

    #[test]
    fn a_complete_emergency_validates_with_defaults() {
        let spec = validate(&emergency(), &cx()).unwrap();
        assert_eq!(spec.status, Status::Actual);
        assert_eq!(spec.area.districts, vec![8, 13]);
        assert!(spec.channels.is_empty());
        assert!(spec.expires_at > Utc::now() + Duration::hours(23));
    }

    #[test]
    fn every_mistake_is_named() {
        let mut input = emergency();
        input.severity = Some("Apocalyptic".into());
        input.category = None;
        input.info.get_mut("pl").unwrap().headline = Some("  ".into());
        input.area.polygons = vec![vec![[50.0, 19.9], [50.1, 19.9], [50.0, 19.9]]];
        input.area.circles = vec![CircleInput { lat: 50.0, lon: 19.9, radius_km: -1.0 }];
        input.expires = Some("2001-01-01T00:00:00Z".into());
        let fields: Vec<String> = validate(&input, &cx()).unwrap_err().into_iter().map(|i| i.field).collect();
        for f in ["severity", "category", "info.pl.headline", "area.polygons", "area.circles", "expires"] {
            assert!(fields.iter().any(|x| x == f), "{f} not reported in {fields:?}");
        }
    }

    #[test]
    fn announcements_need_a_known_topic_and_default_their_cap_fields() {
        let interests = vec!["water_utilities".to_string()];
        let cx = Context { interests: &interests, ..cx() };
        let input: AlertInput = serde_json::from_value(serde_json::json!({
            "kind": "service", "topic": "water_utilities",
            "info": {"pl": {"headline": "Brak wody"}}, "area": {"districts": [1]}
        }))
        .unwrap();
        let spec = validate(&input, &cx).unwrap();
        assert_eq!(spec.category, Category::Infra);
        assert_eq!(spec.severity, Severity::Minor);
        assert_eq!(spec.event, "Brak wody");
        let bad = AlertInput { topic: Some("nope".into()), ..input };
        assert_eq!(validate(&bad, &cx).unwrap_err()[0].field, "topic");
    }
}
