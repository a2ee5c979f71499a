//! Raking (iterative proportional fitting) of respondent weights to population margins.
//!
//! Each sweep multiplies the weights of every category of one margin by `target / achieved`, margin
//! after margin, until every weighted share matches its population share (Deming & Stephan 1940; the
//! practical checks — no empty cells, report convergence and the weight spread — follow Battaglia,
//! Hoaglin & Frankel 2009). Weights are returned with mean 1, so their sum is the number of respondents.
//! The spread of the weights is summarised by Kish's (1965, §11.7) effective sample size.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

/// One population margin, e.g. `district` with each district's share of adult residents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Margin {
    /// Human name of the variable, used in error messages ("district").
    pub name: String,
    /// Target per category: shares or counts, normalised to shares by [`rake`].
    pub targets: BTreeMap<String, f64>,
}

impl Margin {
    /// Builds a margin from `(category, target)` pairs.
    pub fn new(name: impl Into<String>, targets: impl IntoIterator<Item = (impl Into<String>, f64)>) -> Self {
        Self { name: name.into(), targets: targets.into_iter().map(|(k, v)| (k.into(), v)).collect() }
    }

    /// The same margin restricted to the categories in `present`, renormalised to shares summing to 1.
    ///
    /// The fallback when [`RakeError::Unreachable`] reports categories without respondents: their
    /// population share is spread proportionally over the others (a collapse the caller chooses
    /// knowingly, and should disclose next to the results).
    pub fn restrict_to(&self, present: &BTreeSet<String>) -> Margin {
        let kept: BTreeMap<String, f64> =
            self.targets.iter().filter(|(k, _)| present.contains(*k)).map(|(k, v)| (k.clone(), *v)).collect();
        let total: f64 = kept.values().sum();
        let targets = kept.into_iter().map(|(k, v)| (k, if total > 0.0 { v / total } else { 0.0 })).collect();
        Margin { name: self.name.clone(), targets }
    }
}

/// The categories respondents gave for margin number `margin` (for [`Margin::restrict_to`]).
pub fn present_categories(respondents: &[Vec<String>], margin: usize) -> BTreeSet<String> {
    respondents.iter().filter_map(|r| r.get(margin).cloned()).collect()
}

/// Outcome of [`rake`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RakeResult {
    /// One weight per respondent, in input order, with mean 1.
    pub weights: Vec<f64>,
    /// Full sweeps over all margins performed.
    pub iterations: usize,
    /// Whether `max_margin_error <= tolerance` was reached within `max_iter` sweeps.
    pub converged: bool,
    /// Largest absolute difference between a weighted share and its target share, over all
    /// categories of all margins, after the last sweep (0.001 = 0.1 percentage points).
    pub max_margin_error: f64,
}

/// Why raking could not start. Messages are meant for the analyst who set up the margins.
#[derive(Debug, Clone, PartialEq)]
pub enum RakeError {
    /// No respondents.
    EmptySample,
    /// No margins.
    NoMargins,
    /// A respondent row does not have one category per margin.
    RowLength { respondent: usize, expected: usize, found: usize },
    /// A base weight is not a positive finite number, or there are not one per respondent.
    BadBaseWeight { respondent: usize },
    /// A target is negative or not finite, or a margin's targets sum to zero.
    BadTarget { margin: String, category: String },
    /// Respondents fall in a category that has no (or a zero) population target.
    MissingTarget { margin: String, category: String, respondents: usize },
    /// Categories with a positive target have no respondents, so no weighting can reach them.
    Unreachable { margin: String, categories: Vec<String> },
}

impl fmt::Display for RakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EmptySample => write!(f, "there are no respondents to weight"),
            Self::NoMargins => write!(f, "no population margins were given to weight to"),
            Self::RowLength { respondent, expected, found } => {
                write!(f, "respondent #{} has {found} characteristics but there are {expected} margins", respondent + 1)
            }
            Self::BadBaseWeight { respondent } => {
                write!(f, "respondent #{} has no positive base weight", respondent + 1)
            }
            Self::BadTarget { margin, category } => {
                write!(
                    f,
                    "{margin} '{category}' has an invalid population target (negative, not a number, or all zero)"
                )
            }
            Self::MissingTarget { margin, category, respondents } => {
                write!(f, "{margin} '{category}' has {respondents} respondent(s) but no population margin")
            }
            Self::Unreachable { margin, categories } => write!(
                f,
                "{margin} {} ha{} a population margin but no respondents, so weighting cannot reach it; \
                 merge categories or drop them with Margin::restrict_to",
                categories.iter().map(|c| format!("'{c}'")).collect::<Vec<_>>().join(", "),
                if categories.len() == 1 { "s" } else { "ve" }
            ),
        }
    }
}

impl std::error::Error for RakeError {}

/// Rakes weights so that, for every margin, the weighted share of each category equals its target.
///
/// `respondents[i][m]` is respondent `i`'s category on `margins[m]`. `base_weights` (design weights,
/// one per respondent) default to 1. Sweeps stop once [`RakeResult::max_margin_error`] is at most
/// `tolerance` or after `max_iter` sweeps; not converging is reported, not an error (with consistent
/// margins and no empty cells raking converges; Battaglia et al. 2009 suggest checking it did).
pub fn rake(
    respondents: &[Vec<String>],
    margins: &[Margin],
    base_weights: Option<&[f64]>,
    max_iter: usize,
    tolerance: f64,
) -> Result<RakeResult, RakeError> {
    let n = respondents.len();
    if n == 0 {
        return Err(RakeError::EmptySample);
    }
    if margins.is_empty() {
        return Err(RakeError::NoMargins);
    }
    if let Some((respondent, row)) = respondents.iter().enumerate().find(|(_, r)| r.len() != margins.len()) {
        return Err(RakeError::RowLength { respondent, expected: margins.len(), found: row.len() });
    }
    let mut weights = match base_weights {
        Some(b) => {
            if let Some(respondent) = (0..n).find(|&i| b.get(i).is_none_or(|w| !(w.is_finite() && *w > 0.0))) {
                return Err(RakeError::BadBaseWeight { respondent });
            }
            if b.len() != n {
                return Err(RakeError::BadBaseWeight { respondent: n });
            }
            b.to_vec()
        }
        None => vec![1.0; n],
    };
    let scale = n as f64 / weights.iter().sum::<f64>();
    weights.iter_mut().for_each(|w| *w *= scale);

    // Per margin: category index of each respondent, and target share per category index.
    let mut cells: Vec<Vec<usize>> = Vec::with_capacity(margins.len());
    let mut shares: Vec<Vec<f64>> = Vec::with_capacity(margins.len());
    for (m, margin) in margins.iter().enumerate() {
        let bad = |category: &str| RakeError::BadTarget { margin: margin.name.clone(), category: category.to_owned() };
        if let Some((c, _)) = margin.targets.iter().find(|(_, v)| !(v.is_finite() && **v >= 0.0)) {
            return Err(bad(c));
        }
        let total: f64 = margin.targets.values().sum();
        if total <= 0.0 {
            return Err(bad(margin.targets.keys().next().map_or("", String::as_str)));
        }
        let names: Vec<&String> = margin.targets.keys().collect();
        let mut counts = vec![0usize; names.len()];
        let mut index = Vec::with_capacity(n);
        for row in respondents {
            let category = &row[m];
            match names.binary_search(&category).ok().filter(|&c| margin.targets[names[c]] > 0.0) {
                Some(c) => {
                    counts[c] += 1;
                    index.push(c);
                }
                None => {
                    let respondents = respondents.iter().filter(|r| &r[m] == category).count();
                    let (margin, category) = (margin.name.clone(), category.clone());
                    return Err(RakeError::MissingTarget { margin, category, respondents });
                }
            }
        }
        let unreachable: Vec<String> = names
            .iter()
            .zip(&counts)
            .filter(|(name, count)| **count == 0 && margin.targets[**name] > 0.0)
            .map(|(name, _)| (*name).clone())
            .collect();
        if !unreachable.is_empty() {
            return Err(RakeError::Unreachable { margin: margin.name.clone(), categories: unreachable });
        }
        cells.push(index);
        shares.push(names.iter().map(|k| margin.targets[*k] / total).collect());
    }

    let total = n as f64;
    let achieved = |weights: &[f64], m: usize| {
        let mut sums = vec![0.0; shares[m].len()];
        for (w, &c) in weights.iter().zip(&cells[m]) {
            sums[c] += w;
        }
        sums
    };
    let max_error = |weights: &[f64]| {
        (0..margins.len())
            .flat_map(|m| {
                let sums = achieved(weights, m);
                shares[m].iter().zip(sums).map(|(share, sum)| (sum / total - share).abs()).collect::<Vec<_>>()
            })
            .fold(0.0, f64::max)
    };
    let mut iterations = 0;
    let mut max_margin_error = max_error(&weights);
    while max_margin_error > tolerance && iterations < max_iter {
        iterations += 1;
        for m in 0..margins.len() {
            let factors: Vec<f64> =
                achieved(&weights, m).iter().zip(&shares[m]).map(|(sum, share)| share * total / sum).collect();
            for (w, &c) in weights.iter_mut().zip(&cells[m]) {
                *w *= factors[c];
            }
        }
        max_margin_error = max_error(&weights);
    }
    let scale = total / weights.iter().sum::<f64>();
    weights.iter_mut().for_each(|w| *w *= scale);
    Ok(RakeResult { weights, iterations, converged: max_margin_error <= tolerance, max_margin_error })
}

/// Kish's effective sample size `(Σw)² / Σw²` (Kish 1965, *Survey Sampling*, §11.7): the size of an
/// unweighted sample with the same precision. `n / kish_effective_n` is the design effect of weighting.
/// Returns 0 for no (or all-zero) weights.
pub fn kish_effective_n(weights: &[f64]) -> f64 {
    let sum: f64 = weights.iter().sum();
    let squares: f64 = weights.iter().map(|w| w * w).sum();
    if squares > 0.0 { sum * sum / squares } else { 0.0 }
}

/// Smallest and largest weight; `(0.0, 0.0)` for no weights. A max/min ratio far above ~10 suggests
/// trimming or collapsing categories (Battaglia et al. 2009).
pub fn weight_range(weights: &[f64]) -> (f64, f64) {
    if weights.is_empty() {
        return (0.0, 0.0);
    }
    weights.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &w| (lo.min(w), hi.max(w)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(a: &str, b: &str) -> Vec<String> {
        vec![a.to_owned(), b.to_owned()]
    }

    /// The worked two-way example of Wikipedia's "Iterative proportional fitting" article (in the
    /// Deming–Stephan setting): seed counts, row targets 150/300/400/150, column targets 200/300/400/100.
    /// Expected fitted table computed independently (converged IPF, 4 decimals).
    #[test]
    fn two_margins_reproduce_textbook_fit() {
        let seed = [[40, 30, 20, 10], [35, 50, 100, 75], [30, 80, 70, 120], [20, 30, 40, 50]];
        let fitted = [
            [64.5585, 46.2325, 35.3843, 3.8247],
            [49.9679, 68.1594, 156.4985, 25.3742],
            [56.7219, 144.4282, 145.0825, 53.7673],
            [28.7516, 41.1800, 63.0347, 17.0337],
        ];
        let rows = ["r1", "r2", "r3", "r4"];
        let cols = ["c1", "c2", "c3", "c4"];
        let mut respondents = Vec::new();
        for (i, counts) in seed.iter().enumerate() {
            for (j, &count) in counts.iter().enumerate() {
                respondents.extend((0..count).map(|_| row(rows[i], cols[j])));
            }
        }
        let margins = [
            Margin::new("row", rows.iter().copied().zip([150.0, 300.0, 400.0, 150.0])),
            Margin::new("column", cols.iter().copied().zip([200.0, 300.0, 400.0, 100.0])),
        ];
        let result = rake(&respondents, &margins, None, 200, 1e-9).unwrap();
        assert!(result.converged, "{result:?}");
        let mean: f64 = result.weights.iter().sum::<f64>() / result.weights.len() as f64;
        assert!((mean - 1.0).abs() < 1e-12);
        // Weighted cell totals, scaled from 800 respondents to the 1,000 of the targets.
        let mut k = 0;
        for (i, counts) in seed.iter().enumerate() {
            for (j, &count) in counts.iter().enumerate() {
                let cell: f64 = result.weights[k..k + count].iter().sum::<f64>() * 1000.0 / 800.0;
                assert!((cell / fitted[i][j] - 1.0).abs() < 1e-3, "cell {i},{j}: {cell} vs {}", fitted[i][j]);
                k += count;
            }
        }
        // Every weighted share within 0.1 % (relative) of its target share.
        for (m, margin) in margins.iter().enumerate() {
            for (category, target) in &margin.targets {
                let share: f64 = respondents
                    .iter()
                    .zip(&result.weights)
                    .filter(|(r, _)| &r[m] == category)
                    .map(|(_, w)| w)
                    .sum::<f64>()
                    / 800.0;
                assert!((share / (target / 1000.0) - 1.0).abs() < 1e-3, "{category}: {share}");
            }
        }
    }

    #[test]
    fn one_margin_is_poststratification_in_one_sweep() {
        let respondents = vec![row("a", "x"), row("a", "x"), row("a", "x"), row("b", "x")];
        let margins = [Margin::new("district", [("a", 0.5), ("b", 0.5)]), Margin::new("all", [("x", 1.0)])];
        let result = rake(&respondents, &margins, None, 50, 1e-12).unwrap();
        assert_eq!(result.iterations, 1);
        let expected = [2.0 / 3.0, 2.0 / 3.0, 2.0 / 3.0, 2.0];
        for (w, e) in result.weights.iter().zip(expected) {
            assert!((w - e).abs() < 1e-12);
        }
        assert!((kish_effective_n(&result.weights) - 3.0).abs() < 1e-9);
        assert_eq!(weight_range(&result.weights), (2.0 / 3.0, 2.0));
    }

    #[test]
    fn base_weights_are_respected() {
        let respondents = vec![row("a", "x"), row("a", "x"), row("b", "x")];
        let margins = [Margin::new("district", [("a", 1.0), ("b", 1.0)])];
        let one = |r: &[Vec<String>]| r.iter().map(|v| vec![v[0].clone()]).collect::<Vec<_>>();
        let result = rake(&one(&respondents), &margins, Some(&[3.0, 1.0, 2.0]), 10, 1e-12).unwrap();
        // Within 'a' the 3:1 ratio survives; 'a' and 'b' each get half of the total weight 3.
        assert!((result.weights[0] - 1.125).abs() < 1e-12 && (result.weights[1] - 0.375).abs() < 1e-12);
        assert!((result.weights[2] - 1.5).abs() < 1e-12);
        let err = rake(&one(&respondents), &margins, Some(&[1.0, 0.0, 1.0]), 10, 1e-9).unwrap_err();
        assert_eq!(err, RakeError::BadBaseWeight { respondent: 1 });
    }

    #[test]
    fn errors_name_the_problem() {
        let margins = [Margin::new("district", [("Podgórze", 0.5), ("Nowa Huta", 0.5)])];
        assert_eq!(rake(&[], &margins, None, 10, 1e-6), Err(RakeError::EmptySample));
        let only = |d: &str| vec![d.to_owned()];
        assert_eq!(rake(&[only("Podgórze")], &[], None, 10, 1e-6), Err(RakeError::NoMargins));

        let err = rake(&[only("Podgórze"), only("Krowodrza")], &margins, None, 10, 1e-6).unwrap_err();
        assert_eq!(err.to_string(), "district 'Krowodrza' has 1 respondent(s) but no population margin");

        let err = rake(&[only("Podgórze")], &margins, None, 10, 1e-6).unwrap_err();
        assert_eq!(err, RakeError::Unreachable { margin: "district".into(), categories: vec!["Nowa Huta".into()] });
        assert!(err.to_string().contains("district 'Nowa Huta' has a population margin but no respondents"));

        let err = rake(&[row("Podgórze", "x")], &margins, None, 10, 1e-6).unwrap_err();
        assert_eq!(err, RakeError::RowLength { respondent: 0, expected: 1, found: 2 });
        let bad = [Margin::new("district", [("Podgórze", f64::NAN)])];
        assert!(matches!(rake(&[only("Podgórze")], &bad, None, 10, 1e-6), Err(RakeError::BadTarget { .. })));
    }

    #[test]
    fn restrict_to_renormalises_over_present_categories() {
        let margin = Margin::new("district", [("a", 20.0), ("b", 30.0), ("c", 50.0)]);
        let respondents = vec![vec!["a".to_owned()], vec!["c".to_owned()], vec!["c".to_owned()]];
        let present = present_categories(&respondents, 0);
        let restricted = margin.restrict_to(&present);
        assert_eq!(restricted.targets.len(), 2);
        assert!((restricted.targets["a"] - 20.0 / 70.0).abs() < 1e-12);
        assert!((restricted.targets["c"] - 50.0 / 70.0).abs() < 1e-12);
        let result = rake(&respondents, &[restricted], None, 10, 1e-12).unwrap();
        assert!(result.converged);
    }

    #[test]
    fn not_converging_is_reported() {
        let respondents = vec![row("a", "x"), row("a", "y"), row("b", "x"), row("b", "y")];
        let margins = [Margin::new("m1", [("a", 0.9), ("b", 0.1)]), Margin::new("m2", [("x", 0.2), ("y", 0.8)])];
        let result = rake(&respondents, &margins, None, 0, 1e-9).unwrap();
        assert!(!result.converged && result.iterations == 0);
        let result = rake(&respondents, &margins, None, 100, 1e-9).unwrap();
        assert!(result.converged && result.max_margin_error <= 1e-9);
    }

    #[test]
    fn kish_and_range_edge_cases() {
        assert_eq!(kish_effective_n(&[]), 0.0);
        assert_eq!(kish_effective_n(&[1.0; 10]), 10.0);
        assert_eq!(weight_range(&[]), (0.0, 0.0));
    }
}
