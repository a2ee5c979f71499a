//! A resident's report at the intervention desk: its states and the changes allowed between them, the checks on
//! what a resident sends, and when a report is due (working days).

use std::{fmt, str::FromStr};

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use super::desk::{AttributeKind, MAX_ATTRIBUTE_CHARS, Service};

/// Longest description accepted, in characters.
pub const MAX_DESCRIPTION_CHARS: usize = 4000;
/// Longest address text accepted, in characters.
pub const MAX_ADDRESS_CHARS: usize = 200;
/// Longest note on a state change, in characters.
pub const MAX_NOTE_CHARS: usize = 2000;
/// Photos per report.
pub const MAX_PHOTOS: usize = 3;
/// The same report sent again within so many minutes is recognised as the first one.
pub const DUPLICATE_MINUTES: i64 = 10;

/// Kraków's bounding box (south, west, north, east), used when no district boundaries are configured.
pub const KRAKOW_BBOX: (f64, f64, f64, f64) = (49.967, 19.792, 50.126, 20.217);

/// Where a report is in its handling.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportState {
    New,
    Acknowledged,
    InProgress,
    Resolved,
    Rejected,
    /// Passed to another unit, which handles it from here as if it were new.
    Transferred,
    /// A duplicate, handled together with another report (`merged_into`); closed. Only merging puts a report here.
    Merged,
}

impl ReportState {
    pub const ALL: [ReportState; 7] = [
        ReportState::New,
        ReportState::Acknowledged,
        ReportState::InProgress,
        ReportState::Resolved,
        ReportState::Rejected,
        ReportState::Transferred,
        ReportState::Merged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReportState::New => "new",
            ReportState::Acknowledged => "acknowledged",
            ReportState::InProgress => "in_progress",
            ReportState::Resolved => "resolved",
            ReportState::Rejected => "rejected",
            ReportState::Transferred => "transferred",
            ReportState::Merged => "merged",
        }
    }

    /// Resolved, rejected and merged reports are closed; no state change moves them (a resident's "not fixed"
    /// reopens a resolved one).
    pub fn is_open(self) -> bool {
        !matches!(self, ReportState::Resolved | ReportState::Rejected | ReportState::Merged)
    }

    /// Whether a report in this state may move to `to`.
    pub fn can_become(self, to: ReportState) -> bool {
        use ReportState::*;
        match self {
            New | Transferred => matches!(to, Acknowledged | InProgress | Resolved | Rejected | Transferred),
            Acknowledged => matches!(to, InProgress | Resolved | Rejected | Transferred),
            InProgress => matches!(to, Resolved | Rejected | Transferred),
            // Merging is its own step (`desk::merge`), never a state change.
            Resolved | Rejected | Merged => false,
        }
    }
}

impl fmt::Display for ReportState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for ReportState {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        ReportState::ALL.into_iter().find(|st| st.as_str() == s).ok_or(())
    }
}

/// A problem with one field: the field's name and the catalogue key of the sentence that says how to fix it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub field: String,
    pub key: &'static str,
}

impl Problem {
    fn new(field: impl Into<String>, key: &'static str) -> Self {
        Self { field: field.into(), key }
    }
}

/// The city's area: its district boundaries when configured, else Kraków's bounding box.
pub fn in_city(lat: f64, lon: f64, boundaries: Option<&super::geo::Boundaries>) -> bool {
    match boundaries {
        Some(b) => {
            let p = super::geo::Point::new(lat, lon);
            b.districts().iter().any(|(_, polys)| polys.iter().any(|poly| poly.contains(&p)))
        }
        None => {
            let (s, w, n, e) = KRAKOW_BBOX;
            (s..=n).contains(&lat) && (w..=e).contains(&lon)
        }
    }
}

/// Parses `lat` and `long` as sent; each problem names its field.
pub fn parse_place(lat: Option<&str>, lon: Option<&str>) -> Result<(f64, f64), Vec<Problem>> {
    let parse = |v: Option<&str>, field: &str, max: f64| -> Result<f64, Problem> {
        let v = v
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| Problem::new(field, "desk-error-place-missing"))?;
        v.replace(',', ".")
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && x.abs() <= max)
            .ok_or_else(|| Problem::new(field, "desk-error-place-number"))
    };
    match (parse(lat, "lat", 90.0), parse(lon, "long", 180.0)) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => Err([a.err(), b.err()].into_iter().flatten().collect()),
    }
}

/// Reads "lat, lon" as typed into one field of the page (comma, semicolon or space between).
pub fn split_coordinates(text: &str) -> (Option<String>, Option<String>) {
    let t = text.trim();
    let parts: Vec<&str> = if t.contains(';') {
        t.split(';').collect()
    } else if t.contains(", ") {
        // "50.06, 19.93" and, with decimal commas, "50,06, 19,93".
        t.split(", ").collect()
    } else if t.matches(',').count() == 1 {
        t.split(',').collect()
    } else {
        t.split_whitespace().collect()
    };
    let mut it = parts.into_iter().map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    (it.next(), it.next())
}

/// Checks a description: required, at most [`MAX_DESCRIPTION_CHARS`].
pub fn check_description(text: &str) -> Result<String, Problem> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Problem::new("description", "desk-error-description-missing"));
    }
    if t.chars().count() > MAX_DESCRIPTION_CHARS {
        return Err(Problem::new("description", "desk-error-description-long"));
    }
    Ok(t.to_string())
}

/// Checks the attributes sent (`code → value`) against the service's questions: each required one answered, each
/// answer of the right type; answers to questions the service does not ask are refused. Returns them normalised.
pub fn check_attributes(service: &Service, sent: &[(String, String)]) -> Result<Vec<(String, String)>, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for (code, _) in sent {
        if !service.attributes.iter().any(|a| &a.code == code) {
            problems.push(Problem::new(format!("attribute[{code}]"), "desk-error-attribute-unknown"));
        }
    }
    for a in &service.attributes {
        let field = format!("attribute[{}]", a.code);
        let value = sent.iter().find(|(c, _)| c == &a.code).map(|(_, v)| v.trim()).filter(|v| !v.is_empty());
        let Some(v) = value else {
            if a.required {
                problems.push(Problem::new(field, "desk-error-attribute-required"));
            }
            continue;
        };
        let normalised = match a.kind {
            AttributeKind::Boolean => match v.to_lowercase().as_str() {
                "true" | "yes" | "tak" | "так" | "1" | "on" => Some("true".to_string()),
                "false" | "no" | "nie" | "ні" | "0" | "off" => Some("false".to_string()),
                _ => None,
            },
            AttributeKind::Number => {
                v.replace(',', ".").parse::<f64>().ok().filter(|x| x.is_finite()).map(|_| v.into())
            }
            AttributeKind::String => (v.chars().count() <= MAX_ATTRIBUTE_CHARS).then(|| v.to_string()),
        };
        match normalised {
            Some(n) => out.push((a.code.clone(), n)),
            None => problems.push(Problem::new(field, "desk-error-attribute-value")),
        }
    }
    if problems.is_empty() { Ok(out) } else { Err(problems) }
}

/// The day a report is due: `days` working days (Monday–Friday; public holidays are not counted yet) after the
/// day it was filed.
pub fn due_on(filed: NaiveDate, days: i64) -> NaiveDate {
    let mut d = filed;
    let mut left = days.max(0);
    while left > 0 {
        d = d.succ_opt().unwrap_or(d);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    d
}

/// What makes two reports "the same report sent twice": service, place (to about a metre), description
/// (case and spacing aside) and contact.
pub fn fingerprint(service: &str, lat: f64, lon: f64, description: &str, contact: &str) -> String {
    let text: Vec<String> = description.split_whitespace().map(str::to_lowercase).collect();
    let raw = format!("{service}|{lat:.5}|{lon:.5}|{}|{}", text.join(" "), contact.to_lowercase());
    super::secret_token::hash(&raw)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::desk::default_catalogue;

    #[test]
    fn states_move_only_forward_and_closed_reports_stay_closed() {
        use ReportState::*;
        assert!(New.can_become(Acknowledged));
        assert!(Transferred.can_become(Resolved));
        assert!(!Acknowledged.can_become(New));
        assert!(!InProgress.can_become(Acknowledged));
        assert!(!Resolved.can_become(InProgress));
        assert!(!Rejected.can_become(Transferred));
        assert!(ReportState::ALL.iter().all(|s| !s.can_become(Merged) && !Merged.can_become(*s)));
        assert!(!Merged.is_open());
        for s in ReportState::ALL {
            assert_eq!(s.as_str().parse::<ReportState>(), Ok(s));
        }
    }

    #[test]
    fn the_city_is_its_bounding_box_without_boundaries() {
        assert!(in_city(50.0614, 19.9366, None), "the Main Square");
        assert!(!in_city(52.2297, 21.0122, None), "Warsaw");
    }

    #[test]
    fn typed_coordinates_are_read_in_the_usual_forms() {
        assert_eq!(split_coordinates("50.0614, 19.9366"), (Some("50.0614".into()), Some("19.9366".into())));
        assert_eq!(split_coordinates("50.0614 19.9366"), (Some("50.0614".into()), Some("19.9366".into())));
        assert_eq!(split_coordinates("50,0614, 19,9366"), (Some("50,0614".into()), Some("19,9366".into())));
        assert_eq!(parse_place(Some("50,0614"), Some("19.9366")), Ok((50.0614, 19.9366)));
        assert_eq!(parse_place(Some("x"), None).unwrap_err().len(), 2);
    }

    #[test]
    fn attributes_are_checked_against_the_service() {
        let c = default_catalogue().unwrap();
        let tree = c.service("TREE-FALLEN").unwrap();
        let missing = check_attributes(tree, &[]).unwrap_err();
        assert_eq!(missing, vec![Problem::new("attribute[road_blocked]", "desk-error-attribute-required")]);
        let ok = check_attributes(tree, &[("road_blocked".into(), "yes".into())]).unwrap();
        assert_eq!(ok, vec![("road_blocked".to_string(), "true".to_string())]);
        assert!(check_attributes(tree, &[("road_blocked".into(), "maybe".into())]).is_err());
        assert!(check_attributes(tree, &[("road_blocked".into(), "no".into()), ("x".into(), "1".into())]).is_err());
    }

    #[test]
    fn due_dates_skip_weekends() {
        let fri = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        assert_eq!(due_on(fri, 1), NaiveDate::from_ymd_opt(2026, 12, 7).unwrap());
        assert_eq!(due_on(fri, 0), fri);
        assert_eq!(due_on(fri, 6), NaiveDate::from_ymd_opt(2026, 12, 14).unwrap());
    }

    #[test]
    fn descriptions_have_a_limit() {
        assert!(check_description("  ").is_err());
        assert!(check_description(&"a".repeat(MAX_DESCRIPTION_CHARS + 1)).is_err());
        assert_eq!(check_description(" Drzewo ").unwrap(), "Drzewo");
    }
}
