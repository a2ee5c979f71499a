//! The officials' worklist as SQL both backends understand: reports filtered by state (or "open"), service, unit,
//! district and "overdue only", within the units an official may see, in one of three orders, a page at a time.
//! Expanded for each backend by [`impl_desk_worklist_store`].

use async_trait::async_trait;
use chrono::NaiveDate;

use super::{StoreResult, desk::ReportRecord, desk_public::FilterValue};
use crate::domain::desk_report::ReportState;

/// Which states the worklist shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StateFilter {
    /// Every state that is not closed.
    Open,
    Is(ReportState),
}

/// The worklist's order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WorkSort {
    #[default]
    Newest,
    Oldest,
    /// The soonest due day first (the newest first within a day).
    Due,
}

/// What the worklist is filtered by; `None` is "any".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct WorkFilter {
    /// The units the official may see (`None`: every unit, the dispatcher).
    pub reach: Option<Vec<String>>,
    pub unit: Option<String>,
    pub service: Option<String>,
    pub district: Option<i64>,
    pub state: Option<StateFilter>,
    /// Open reports due before this day only (today, in the city).
    pub overdue_before: Option<NaiveDate>,
    pub sort: WorkSort,
}

impl WorkFilter {
    /// `WHERE …` with its parameters numbered from `$first`, and the values to bind in order.
    pub(crate) fn where_clause(&self, first: usize) -> (String, Vec<FilterValue>) {
        let mut clauses = Vec::new();
        let mut values: Vec<FilterValue> = Vec::new();
        let mark = |v: FilterValue, values: &mut Vec<FilterValue>| {
            values.push(v);
            format!("${}", first + values.len() - 1)
        };
        if let Some(units) = &self.reach {
            let marks: Vec<String> = units.iter().map(|u| mark(FilterValue::Text(u.clone()), &mut values)).collect();
            clauses.push(format!("unit IN ({})", marks.join(", ")));
        }
        for (column, v) in [("unit", &self.unit), ("service_code", &self.service)] {
            if let Some(v) = v {
                clauses.push(format!("{column} = {}", mark(FilterValue::Text(v.clone()), &mut values)));
            }
        }
        if let Some(d) = self.district {
            clauses.push(format!("district = {}", mark(FilterValue::Int(d), &mut values)));
        }
        // The closed states are the domain's (constants, not input).
        let closed: Vec<String> =
            ReportState::ALL.iter().filter(|s| !s.is_open()).map(|s| format!("'{}'", s.as_str())).collect();
        let open = format!("state NOT IN ({})", closed.join(", "));
        match self.state {
            Some(StateFilter::Open) => clauses.push(open.clone()),
            Some(StateFilter::Is(s)) => {
                clauses.push(format!("state = {}", mark(FilterValue::Text(s.as_str().into()), &mut values)))
            }
            None => {}
        }
        if let Some(day) = self.overdue_before {
            let day = mark(FilterValue::Text(day.format("%Y-%m-%d").to_string()), &mut values);
            clauses.push(format!("{open} AND due_on < {day}"));
        }
        let sql = if clauses.is_empty() { String::new() } else { format!(" WHERE {}", clauses.join(" AND ")) };
        (sql, values)
    }

    pub(crate) fn order_by(&self) -> &'static str {
        match self.sort {
            WorkSort::Newest => "id DESC",
            WorkSort::Oldest => "id ASC",
            WorkSort::Due => "due_on ASC, id DESC",
        }
    }
}

#[async_trait]
pub trait DeskWorklistStore: Send + Sync {
    /// One page of the worklist (without attributes and history), and how many reports match in all.
    async fn worklist(&self, filter: &WorkFilter, offset: i64, limit: i64) -> StoreResult<(Vec<ReportRecord>, i64)>;
}

mod sql;
pub(crate) use sql::impl_desk_worklist_store;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_becomes_one_numbered_condition() {
        let f = WorkFilter {
            reach: Some(vec!["ZDMK".into(), "ZZM".into()]),
            unit: Some("ZZM".into()),
            service: Some("ROAD-POTHOLE".into()),
            district: Some(3),
            state: Some(StateFilter::Open),
            overdue_before: NaiveDate::from_ymd_opt(2026, 12, 3),
            sort: WorkSort::Due,
        };
        let (sql, values) = f.where_clause(3);
        assert_eq!(
            sql,
            " WHERE unit IN ($3, $4) AND unit = $5 AND service_code = $6 AND district = $7 AND state NOT IN \
             ('resolved', 'rejected', 'merged') AND state NOT IN ('resolved', 'rejected', 'merged') AND due_on < $8"
        );
        assert_eq!(values.len(), 6);
        assert_eq!(WorkFilter::default().where_clause(1).0, "");
        let one = WorkFilter { state: Some(StateFilter::Is(ReportState::Merged)), ..Default::default() };
        assert_eq!(one.where_clause(1).0, " WHERE state = $1");
    }
}
