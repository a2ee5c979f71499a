//! The compose form: its fields as the browser sends them, turned into an [`AlertInput`], and the choices it
//! offers (CAP enumerations, districts, topics).

use serde::{Deserialize, Serialize};

use crate::domain::{
    alert::{AlertInput, AreaInput, CircleInput, InfoInput},
    cap,
    geo::{Circle, Point, Polygon},
};

/// The form's fields (names as in the HTML). Repeated checkboxes arrive as lists.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct AlertForm {
    pub kind: String,
    pub status: String,
    pub category: String,
    pub event: String,
    pub urgency: String,
    pub severity: String,
    pub certainty: String,
    pub response_type: String,
    pub topic: String,
    pub headline_pl: String,
    pub description_pl: String,
    pub instruction_pl: String,
    pub headline_en: String,
    pub description_en: String,
    pub instruction_en: String,
    pub headline_uk: String,
    pub description_uk: String,
    pub instruction_uk: String,
    pub area_description: String,
    pub district: Vec<String>,
    /// One polygon per line: `lat,lon lat,lon …` (the CAP text form).
    pub polygons: String,
    /// One circle per line: `lat,lon radius_km`.
    pub circles: String,
    pub channel: Vec<String>,
    /// `datetime-local` values, in the city's time zone.
    pub expires: String,
    pub scheduled: String,
    pub ask_safety: Option<String>,
}

impl AlertForm {
    /// A blank form: an emergency, every channel, expiry in 24 hours.
    pub fn blank() -> Self {
        Self {
            kind: "emergency".into(),
            status: "Actual".into(),
            channel: vec!["email".into(), "sms".into(), "push".into()],
            ..Self::default()
        }
    }

    /// The JSON shape the API takes; unparseable numbers and dates are kept as they are so validation names them.
    pub fn to_input(&self, tz: chrono_tz::Tz) -> Result<AlertInput, Vec<(String, &'static str)>> {
        let mut errors = Vec::new();
        let opt = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let info = [
            ("pl", &self.headline_pl, &self.description_pl, &self.instruction_pl),
            ("en", &self.headline_en, &self.description_en, &self.instruction_en),
            ("uk", &self.headline_uk, &self.description_uk, &self.instruction_uk),
        ]
        .into_iter()
        .map(|(lang, h, d, i)| {
            (lang.to_string(), InfoInput { headline: opt(h), description: opt(d), instruction: opt(i) })
        })
        .collect();
        let mut districts = Vec::new();
        for d in &self.district {
            match d.parse() {
                Ok(n) => districts.push(n),
                Err(_) => errors.push(("area.districts".to_string(), "alert-error-form-district")),
            }
        }
        let mut polygons = Vec::new();
        for line in self.polygons.lines().filter(|l| !l.trim().is_empty()) {
            match parse_points(line) {
                Some(points) => polygons.push(points),
                None => errors.push(("area.polygons".to_string(), "alert-error-form-polygon")),
            }
        }
        let mut circles = Vec::new();
        for line in self.circles.lines().filter(|l| !l.trim().is_empty()) {
            let mut parts = line.split_whitespace();
            let centre = parts.next().and_then(parse_point);
            let radius = parts.next().and_then(|r| r.parse::<f64>().ok());
            match (centre, radius, parts.next()) {
                (Some([lat, lon]), Some(radius_km), None) => circles.push(CircleInput { lat, lon, radius_km }),
                _ => errors.push(("area.circles".to_string(), "alert-error-form-circle")),
            }
        }
        let all_channels = ["email", "sms", "push"].iter().all(|c| self.channel.iter().any(|x| x == c));
        let input = AlertInput {
            kind: self.kind.clone(),
            status: opt(&self.status),
            category: opt(&self.category),
            event: opt(&self.event),
            urgency: opt(&self.urgency),
            severity: opt(&self.severity),
            certainty: opt(&self.certainty),
            response_type: opt(&self.response_type),
            topic: opt(&self.topic),
            expires: local_to_rfc3339(&self.expires, tz),
            scheduled: local_to_rfc3339(&self.scheduled, tz),
            info,
            area: AreaInput { description: opt(&self.area_description), districts, polygons, circles },
            channels: (!all_channels).then(|| self.channel.clone()),
            ask_safety: self.ask_safety.is_some(),
            web: None,
        };
        if errors.is_empty() { Ok(input) } else { Err(errors) }
    }
}

impl AlertForm {
    /// What the form's area fields hold so far, for the map: the lines that read as shapes (the rest wait for the
    /// validator to name them).
    pub fn drawn(&self) -> (Vec<i64>, Vec<Polygon>, Vec<Circle>) {
        let point = |[lat, lon]: [f64; 2]| Point::new(lat, lon);
        let districts = self.district.iter().filter_map(|d| d.parse().ok()).collect();
        let polygons = self
            .polygons
            .lines()
            .filter_map(parse_points)
            .filter(|p| p.len() >= 2)
            .map(|p| Polygon(p.into_iter().map(point).collect()))
            .collect();
        let circles = self
            .circles
            .lines()
            .filter_map(|line| {
                let mut parts = line.split_whitespace();
                let centre = parts.next().and_then(parse_point)?;
                let radius_km = parts.next()?.parse::<f64>().ok().filter(|r| r.is_finite() && *r >= 0.0)?;
                Some(Circle { center: point(centre), radius_km })
            })
            .collect();
        (districts, polygons, circles)
    }
}

fn parse_point(s: &str) -> Option<[f64; 2]> {
    let (lat, lon) = s.split_once(',')?;
    Some([lat.trim().parse().ok()?, lon.trim().parse().ok()?])
}

fn parse_points(line: &str) -> Option<Vec<[f64; 2]>> {
    line.split_whitespace().map(parse_point).collect()
}

/// A `datetime-local` value (`2026-12-01T12:00`) in the city's zone as RFC 3339; other text passes through so the
/// validator can name it.
fn local_to_rfc3339(value: &str, tz: chrono_tz::Tz) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    let parsed = crate::config::parse_local(v, tz);
    Some(parsed.map(|t| t.to_rfc3339()).unwrap_or_else(|| v.to_string()))
}

/// One option of a select.
#[derive(Serialize)]
pub struct Choice {
    pub value: String,
    pub label_key: String,
    pub selected: bool,
}

fn choices(values: impl IntoIterator<Item = String>, prefix: &str, current: &str) -> Vec<Choice> {
    values.into_iter().map(|v| Choice { label_key: format!("{prefix}{v}"), selected: v == current, value: v }).collect()
}

/// Everything the form offers, with the current values selected.
#[derive(Serialize)]
pub struct FormChoices {
    pub statuses: Vec<Choice>,
    pub categories: Vec<Choice>,
    pub urgencies: Vec<Choice>,
    pub severities: Vec<Choice>,
    pub certainties: Vec<Choice>,
    pub response_types: Vec<Choice>,
    pub topics: Vec<Choice>,
    pub districts: Vec<DistrictChoice>,
    pub channels: Vec<Choice>,
}

#[derive(Serialize)]
pub struct DistrictChoice {
    pub number: i64,
    pub label: String,
    pub checked: bool,
}

impl FormChoices {
    pub fn new(form: &AlertForm, districts: &[crate::domain::district::District], interests: &[String]) -> Self {
        let names = |all: &[&str]| all.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Self {
            statuses: choices(names(&["Actual", "Exercise", "Test", "Draft"]), "cap-status-", &form.status),
            categories: choices(
                cap::Category::ALL.iter().map(|c| c.as_str().to_string()),
                "cap-category-",
                &form.category,
            ),
            urgencies: choices(cap::Urgency::ALL.iter().map(|c| c.as_str().to_string()), "cap-urgency-", &form.urgency),
            severities: choices(
                cap::Severity::ALL.iter().map(|c| c.as_str().to_string()),
                "cap-severity-",
                &form.severity,
            ),
            certainties: choices(
                cap::Certainty::ALL.iter().map(|c| c.as_str().to_string()),
                "cap-certainty-",
                &form.certainty,
            ),
            response_types: choices(
                cap::ResponseType::ALL.iter().map(|c| c.as_str().to_string()),
                "cap-response-",
                &form.response_type,
            ),
            topics: choices(interests.iter().cloned(), "interest-", &form.topic),
            districts: districts
                .iter()
                .map(|d| DistrictChoice {
                    number: d.number,
                    label: d.label(),
                    checked: form.district.iter().any(|x| x == &d.number.to_string()),
                })
                .collect(),
            channels: ["email", "sms", "push"]
                .into_iter()
                .map(|c| Choice {
                    value: c.into(),
                    label_key: format!("channel-{c}"),
                    selected: form.channel.iter().any(|x| x == c),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_fields_become_the_api_shape() {
        let form = AlertForm {
            kind: "emergency".into(),
            headline_pl: " Powódź ".into(),
            district: vec!["8".into(), "13".into()],
            polygons: "50.0,19.9 50.1,19.9 50.1,20.0 50.0,19.9\n".into(),
            circles: "50.05,19.94 1.5".into(),
            channel: vec!["sms".into()],
            expires: "2026-12-01T12:00".into(),
            ..AlertForm::default()
        };
        let input = form.to_input(chrono_tz::Europe::Warsaw).unwrap();
        assert_eq!(input.info["pl"].headline.as_deref(), Some("Powódź"));
        assert_eq!(input.area.districts, vec![8, 13]);
        assert_eq!(input.area.polygons[0].len(), 4);
        assert_eq!(input.area.circles[0].radius_km, 1.5);
        assert_eq!(input.channels, Some(vec!["sms".to_string()]));
        assert_eq!(input.expires.as_deref(), Some("2026-12-01T12:00:00+01:00"));
        let bad = AlertForm { circles: "50.0 nope".into(), ..form };
        assert_eq!(bad.to_input(chrono_tz::Europe::Warsaw).unwrap_err()[0].0, "area.circles");
    }
}
