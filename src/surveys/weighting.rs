//! Weighting a survey's respondent cells by raking (see [`super::results`] for the whole computation).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::results_types::{Input, Weighting};
use crate::stats::raking::{Margin, RakeResult, rake, weight_range};
// ---------------------------------------------------------------------------------------------------------------
// Weighting

pub(super) type CellKey = (i64, String);

/// Raking's limits: at most this many rounds, stopping once every margin is within the tolerance.
const MAX_ITER: usize = 200;
const TOLERANCE: f64 = 1e-6;

pub(super) fn weigh(input: &Input) -> (Weighting, HashMap<CellKey, f64>) {
    let mut cells: BTreeMap<CellKey, u64> = BTreeMap::new();
    for r in input.respondents.iter().filter(|r| r.n > 0) {
        *cells.entry((r.district, r.age_band.clone())).or_default() += r.n as u64;
    }
    let total: u64 = cells.values().sum();
    let unknown: u64 = cells.iter().filter(|((d, _), _)| *d == 0).map(|(_, n)| n).sum();
    let known: Vec<(&CellKey, u64)> = cells.iter().filter(|((d, _), _)| *d != 0).map(|(c, n)| (c, *n)).collect();
    let mut notes = Vec::new();
    let mut weights: HashMap<CellKey, f64> = cells.keys().map(|c| (c.clone(), 1.0)).collect();
    let mut w = Weighting {
        method: "raking".into(),
        margins: vec![],
        applied: false,
        converged: false,
        iterations: 0,
        weight_min: if total > 0 { 1.0 } else { 0.0 },
        weight_max: if total > 0 { 1.0 } else { 0.0 },
        kish_effective_n: total as f64,
        max_margin_error: 0.0,
        unweighted: total,
        note: None,
    };
    if total == 0 {
        w.note = Some("no respondents".into());
        return (w, weights);
    }
    match rake_cells(input, &known, &mut notes) {
        Err(why) => notes.push(why),
        Ok((names, result)) => {
            let n_known: u64 = known.iter().map(|(_, n)| n).sum();
            let scale = n_known as f64 / known.len() as f64;
            for ((cell, n), cw) in known.iter().zip(&result.weights) {
                weights.insert((*cell).clone(), cw * scale / *n as f64);
            }
            // Over persons: each cell's weight counted n times, from the counts.
            let (mut s1, mut s2) = (unknown as f64, unknown as f64);
            let mut distinct: Vec<f64> = if unknown > 0 { vec![1.0] } else { vec![] };
            for (cell, n) in &known {
                let p = weights[*cell];
                s1 += *n as f64 * p;
                s2 += *n as f64 * p * p;
                distinct.push(p);
            }
            (w.weight_min, w.weight_max) = weight_range(&distinct);
            w.kish_effective_n = if s2 > 0.0 { s1 * s1 / s2 } else { 0.0 };
            w.margins = names.iter().map(|s| s.to_string()).collect();
            w.applied = true;
            w.converged = result.converged;
            w.iterations = result.iterations;
            w.max_margin_error = result.max_margin_error;
            w.unweighted = unknown;
            if unknown > 0 {
                notes.push(format!("{unknown} respondent(s) with an unknown district are not weighted (weight 1)"));
            }
            if !result.converged {
                notes.push(format!("raking did not converge in {MAX_ITER} iterations"));
            }
        }
    }
    w.note = (!notes.is_empty()).then(|| notes.join("; "));
    (w, weights)
}

pub(super) fn rake_cells(
    input: &Input,
    known: &[(&CellKey, u64)],
    notes: &mut Vec<String>,
) -> Result<(Vec<&'static str>, RakeResult), String> {
    if known.is_empty() {
        return Err("no respondent has a known district; results are unweighted".into());
    }
    let population: BTreeMap<String, f64> = input
        .districts
        .iter()
        .filter(|d| d.population > 0)
        .map(|d| (d.number.to_string(), d.population as f64))
        .collect();
    let present: BTreeSet<String> = known.iter().map(|((d, _), _)| d.to_string()).collect();
    let label = |d: &String| format!("{d} ({})", input.district_label(d.parse().unwrap_or(0)));
    let missing: Vec<String> = present.iter().filter(|d| !population.contains_key(*d)).map(label).collect();
    if !missing.is_empty() {
        return Err(format!(
            "no population figure for district(s) with respondents: {}; results are unweighted",
            missing.join(", ")
        ));
    }
    let dropped: Vec<String> = population.keys().filter(|d| !present.contains(*d)).map(label).collect();
    if !dropped.is_empty() {
        notes.push(format!(
            "no respondents from district(s) {}: dropped from the district margin, their population share spread \
             over the other districts",
            dropped.join(", ")
        ));
    }
    let mut margins = vec![Margin::new("district", population).restrict_to(&present)];
    let mut names = vec!["district"];
    if let Some(ages) = input.age_margins.filter(|m| !m.is_empty())
        && let Some(m) = age_margin(ages, known, notes)
    {
        margins.push(m);
        names.push("age_band");
    }
    let rows: Vec<Vec<String>> = known
        .iter()
        .map(|((d, a), _)| if names.len() == 2 { vec![d.to_string(), a.clone()] } else { vec![d.to_string()] })
        .collect();
    let base: Vec<f64> = known.iter().map(|(_, n)| *n as f64).collect();
    match rake(&rows, &margins, Some(&base), MAX_ITER, TOLERANCE) {
        Ok(r) => Ok((names, r)),
        Err(e) => Err(format!("{e}; results are unweighted")),
    }
}

/// The age margin restricted to the bands with respondents; respondents without a band keep their sample share.
pub(super) fn age_margin(
    ages: &BTreeMap<String, f64>,
    known: &[(&CellKey, u64)],
    notes: &mut Vec<String>,
) -> Option<Margin> {
    let n_known: u64 = known.iter().map(|(_, n)| n).sum();
    let n_blank: u64 = known.iter().filter(|((_, a), _)| a.is_empty()).map(|(_, n)| n).sum();
    let present: BTreeSet<String> = known.iter().map(|((_, a), _)| a.clone()).filter(|a| !a.is_empty()).collect();
    if present.is_empty() {
        notes.push("no respondent gave an age band: weighted by district only".into());
        return None;
    }
    let missing: Vec<&str> =
        present.iter().filter(|a| ages.get(*a).is_none_or(|v| *v <= 0.0)).map(String::as_str).collect();
    if !missing.is_empty() {
        notes.push(format!("no population share for age band(s) {}: weighted by district only", missing.join(", ")));
        return None;
    }
    let dropped: Vec<&str> =
        ages.iter().filter(|(a, v)| **v > 0.0 && !present.contains(*a)).map(|(a, _)| a.as_str()).collect();
    if !dropped.is_empty() {
        notes.push(format!(
            "no respondents in age band(s) {}: dropped from the age margin, their share spread over the other bands",
            dropped.join(", ")
        ));
    }
    let mut margin = Margin::new("age_band", ages.iter().map(|(a, v)| (a.clone(), *v))).restrict_to(&present);
    if n_blank > 0 {
        let share = n_blank as f64 / n_known as f64;
        margin.targets.values_mut().for_each(|v| *v *= 1.0 - share);
        margin.targets.insert(String::new(), share);
        notes.push(format!(
            "{n_blank} respondent(s) without an age band keep their sample share ({:.1} %) in the age margin",
            share * 100.0
        ));
    }
    Some(margin)
}
