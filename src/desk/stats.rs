//! The desk's statistics by unit and by service: reports received, resolved, the median days from filing to
//! resolution, and the share of resolved reports resolved by their due day. Computed from every report (no
//! personal data is read: the store's rows carry codes, states and dates only).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::{
    core::{Core, CoreResult},
    storage::desk_public::StatRow,
};

/// One group's figures (a unit or a service, by code).
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Figures {
    pub code: String,
    pub received: i64,
    pub resolved: i64,
    /// Median days from filing to resolution (to one decimal); none when nothing was resolved.
    pub median_days: Option<f64>,
    /// Share (0–1) of resolved reports resolved on or before their due day; none when nothing was resolved.
    pub on_time: Option<f64>,
}

/// The statistics, each list ordered by code.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Stats {
    pub units: Vec<Figures>,
    pub services: Vec<Figures>,
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    let m = if n % 2 == 1 { v[n / 2] } else { (v[n / 2 - 1] + v[n / 2]) / 2.0 };
    Some((m * 10.0).round() / 10.0)
}

#[derive(Default)]
struct Acc {
    received: i64,
    days: Vec<f64>,
    on_time: i64,
}

/// Figures grouped by `key`; `local_day` turns a resolution time into the city's calendar day.
pub fn compute(rows: &[StatRow], local_day: &dyn Fn(chrono::DateTime<chrono::Utc>) -> NaiveDate) -> Stats {
    let group = |key: &dyn Fn(&StatRow) -> &str| {
        let mut acc: BTreeMap<String, Acc> = BTreeMap::new();
        for r in rows {
            let a = acc.entry(key(r).to_string()).or_default();
            a.received += 1;
            if let (crate::domain::desk_report::ReportState::Resolved, Some(at)) = (r.state, r.resolved_at) {
                a.days.push((at - r.created_at).num_seconds().max(0) as f64 / 86_400.0);
                if local_day(at) <= r.due_on {
                    a.on_time += 1;
                }
            }
        }
        acc.into_iter()
            .map(|(code, a)| {
                let resolved = a.days.len() as i64;
                Figures {
                    code,
                    received: a.received,
                    resolved,
                    median_days: median(a.days),
                    on_time: (resolved > 0).then(|| a.on_time as f64 / resolved as f64),
                }
            })
            .collect()
    };
    Stats { units: group(&|r| r.unit.as_str()), services: group(&|r| r.service_code.as_str()) }
}

pub async fn stats(core: &Core) -> CoreResult<Stats> {
    let rows = core.store.stat_rows().await?;
    Ok(compute(&rows, &|at| core.config.local_time(at).date_naive()))
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::domain::desk_report::ReportState;

    fn row(unit: &str, state: ReportState, days: Option<i64>, due_in: i64) -> StatRow {
        let created_at = Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap();
        StatRow {
            service_code: "S".into(),
            unit: unit.into(),
            state,
            created_at,
            due_on: created_at.date_naive() + chrono::Duration::days(due_in),
            resolved_at: days.map(|d| created_at + chrono::Duration::days(d)),
        }
    }

    #[test]
    fn figures_count_received_resolved_median_and_on_time() {
        let rows = [
            row("A", ReportState::Resolved, Some(1), 5),
            row("A", ReportState::Resolved, Some(3), 5),
            row("A", ReportState::Resolved, Some(10), 5),
            row("A", ReportState::New, None, 5),
            row("B", ReportState::InProgress, None, 5),
        ];
        let s = compute(&rows, &|at| at.date_naive());
        assert_eq!(
            s.units[0],
            Figures { code: "A".into(), received: 4, resolved: 3, median_days: Some(3.0), on_time: Some(2.0 / 3.0) }
        );
        assert_eq!(s.units[1].resolved, 0);
        assert_eq!(s.units[1].median_days, None);
        assert_eq!(s.services[0].received, 5);
        assert_eq!(median(vec![1.0, 2.0]), Some(1.5));
    }
}
