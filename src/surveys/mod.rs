//! Consultations: surveys from launch to published results.
//!
//! - [`results`] turns tallies (counts per question, answer key and respondent cell) into results: counts,
//!   percentages, means, breakdowns with small-cell suppression, raking weights, response rates, SVG charts;
//! - [`open_data`] writes the published, suppressed aggregates as CSV and JSON.

pub mod answer;
pub mod launch;
pub mod open_data;
pub mod results;

use serde::Serialize;

/// How many respondents in one cell (district × age band) gave one answer key to one question. `district` 0 and
/// `age_band` "" mean "not known" (a resident who did not give an age band).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct TallyRow {
    pub question: String,
    pub key: String,
    pub district: i64,
    pub age_band: String,
    pub n: i64,
}

/// How many people (respondents, or invitations) fall in one cell.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct CellRow {
    pub district: i64,
    pub age_band: String,
    pub n: i64,
}

/// Whether two questionnaires differ only in wording (what a launched survey may still change).
pub fn same_structure(a: &crate::domain::survey::SurveyDef, b: &crate::domain::survey::SurveyDef) -> bool {
    const WORDING: [&str; 8] = ["title", "intro", "identified_reason", "text", "help", "label", "low", "high"];
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    if WORDING.contains(&k.as_str()) {
                        *child = serde_json::Value::Null;
                    } else {
                        strip(child);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let (mut x, mut y) = (serde_json::to_value(a).unwrap_or_default(), serde_json::to_value(b).unwrap_or_default());
    strip(&mut x);
    strip(&mut y);
    x == y
}
