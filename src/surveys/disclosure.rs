//! The disclosure check of published results: hidden counts as unknowns of the equations the published figures
//! satisfy (see [`super::results`] for the whole computation).

use super::results_types::{Breakdown, BreakdownRow};
use crate::stats::suppression::{Suppressed, suppress};
// ---------------------------------------------------------------------------------------------------------------
// Disclosure check

/// Hidden (or unpublished) counts as unknowns of the linear equations the published figures satisfy. A count is
/// disclosed when the equations determine it and it is below `k` (a hidden zero counts: "nobody in this small
/// group" is what suppression protects).
pub(super) struct System {
    pub(super) k: u64,
    /// (value, hidden published entry — else an unpublished count, disclosed only when 1..k).
    pub(super) vars: Vec<(u64, bool)>,
    pub(super) eqs: Vec<Vec<(usize, f64)>>,
}

impl System {
    pub(super) fn new(k: u64) -> Self {
        Self { k, vars: Vec::new(), eqs: Vec::new() }
    }

    /// An unknown for a hidden entry; `None` (a known) for a shown one.
    pub(super) fn var(&mut self, hidden: bool, value: u64, published: bool) -> Option<usize> {
        hidden.then(|| {
            self.vars.push((value, published));
            self.vars.len() - 1
        })
    }

    /// `Σ coefficient × term = known`; known terms are dropped.
    pub(super) fn eq(&mut self, terms: impl IntoIterator<Item = (Option<usize>, f64)>) {
        let terms: Vec<(usize, f64)> = terms.into_iter().filter_map(|(v, c)| v.map(|v| (v, c))).collect();
        if !terms.is_empty() {
            self.eqs.push(terms);
        }
    }

    pub(super) fn discloses(&self) -> bool {
        const EPS: f64 = 1e-9;
        let n = self.vars.len();
        let mut m: Vec<Vec<f64>> = self
            .eqs
            .iter()
            .map(|e| {
                let mut row = vec![0.0; n];
                for &(v, c) in e {
                    row[v] += c;
                }
                let max = row.iter().fold(0.0, |a: f64, x| a.max(x.abs()));
                if max > 0.0 {
                    row.iter_mut().for_each(|x| *x /= max);
                }
                row
            })
            .collect();
        let mut pivots = Vec::new();
        let mut r = 0;
        for c in 0..n {
            if r == m.len() {
                break;
            }
            let best = (r..m.len()).max_by(|&a, &b| m[a][c].abs().total_cmp(&m[b][c].abs())).expect("rows left");
            if m[best][c].abs() < EPS {
                continue;
            }
            m.swap(r, best);
            let p = m[r][c];
            m[r].iter_mut().for_each(|x| *x /= p);
            let pivot = m[r].clone();
            for (i, row) in m.iter_mut().enumerate() {
                let f = row[c];
                if i != r && f.abs() > EPS {
                    row.iter_mut().zip(&pivot).for_each(|(x, p)| *x -= f * p);
                }
            }
            pivots.push((r, c));
            r += 1;
        }
        pivots.iter().any(|&(r, c)| {
            let (value, published) = self.vars[c];
            let determined = m[r].iter().enumerate().all(|(j, x)| j == c || x.abs() < EPS);
            determined && value < self.k && (value > 0 || published)
        })
    }
}

/// A suppressed breakdown before publication.
pub(super) struct Table {
    pub(super) by: &'static str,
    pub(super) keys: Vec<String>,
    pub(super) labels: Vec<String>,
    pub(super) values: Vec<Vec<u64>>,
    pub(super) s: Suppressed,
}

impl Table {
    pub(super) fn row_total(&self, r: usize) -> u64 {
        self.values[r].iter().sum()
    }

    /// Adds the table's equations; column totals and grand total are shared with the overall distribution.
    pub(super) fn add_to(&self, sys: &mut System, columns: &[Option<usize>], grand: Option<usize>) {
        let cells: Vec<Vec<Option<usize>>> = (0..self.values.len())
            .map(|r| {
                (0..columns.len())
                    .map(|c| sys.var(self.s.cells[r][c].is_suppressed(), self.values[r][c], true))
                    .collect()
            })
            .collect();
        let totals: Vec<Option<usize>> = (0..self.values.len())
            .map(|r| sys.var(self.s.row_totals[r].is_suppressed(), self.row_total(r), true))
            .collect();
        for (row, total) in cells.iter().zip(&totals) {
            sys.eq(row.iter().map(|v| (*v, 1.0)).chain([(*total, -1.0)]));
        }
        for (c, column) in columns.iter().enumerate() {
            sys.eq(cells.iter().map(|row| (row[c], 1.0)).chain([(*column, -1.0)]));
        }
        sys.eq(totals.iter().map(|v| (*v, 1.0)).chain([(grand, -1.0)]));
    }

    pub(super) fn publish(
        &self,
        column_hidden: &[bool],
        counts: &[u64],
        grand: Option<u64>,
        options: &[(String, String)],
    ) -> Breakdown {
        let cell = |hidden: bool, v: u64| (!hidden).then_some(v);
        Breakdown {
            by: self.by.to_string(),
            columns: options.iter().map(|(v, _)| v.clone()).collect(),
            column_labels: options.iter().map(|(_, l)| l.clone()).collect(),
            rows: (0..self.values.len())
                .map(|r| BreakdownRow {
                    key: self.keys[r].clone(),
                    label: self.labels[r].clone(),
                    cells: self.s.cells[r].iter().map(|c| c.value()).collect(),
                    total: cell(self.s.row_totals[r].is_suppressed(), self.row_total(r)),
                })
                .collect(),
            column_totals: column_hidden.iter().zip(counts).map(|(h, v)| cell(*h, *v)).collect(),
            grand_total: grand,
        }
    }
}

pub(super) fn build_table(
    by: &'static str,
    groups: Vec<(String, String)>,
    value: impl Fn(&str, usize) -> u64,
    columns: usize,
    k: u64,
) -> Option<Table> {
    if groups.is_empty() || columns == 0 {
        return None;
    }
    let values: Vec<Vec<u64>> = groups.iter().map(|(key, _)| (0..columns).map(|c| value(key, c)).collect()).collect();
    let s = suppress(&values, k);
    let (keys, labels) = groups.into_iter().unzip();
    Some(Table { by, keys, labels, values, s })
}
