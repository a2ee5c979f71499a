//! A survey's results from its tallies (counts per question, answer key and respondent cell).
//!
//! Everything is computed per cell (district × age band), never per respondent, so a million respondents cost
//! the same as a hundred. The steps:
//!
//! 1. **Weighting**: cells are raked ([`crate::stats::raking::rake`], one row per cell with its count as base
//!    weight) to the districts' populations and, when configured, the age bands' shares. Categories without
//!    respondents are dropped from the margins ([`crate::stats::raking::Margin::restrict_to`]); respondents
//!    whose district is unknown (district 0) keep weight 1; respondents without an age band keep their sample
//!    share in the age margin (see `super::weighting`).
//!    When weighting is impossible every weight is 1 and [`Weighting::note`] says why.
//! 2. **Per question**: counts, percentages of those who answered (the caller's `_n` rows, see [`N_KEY`]),
//!    weighted percentages, means, NPS, mean ranks, matrix distributions, breakdowns by district and age band.
//! 3. **Disclosure control**: overall distributions go through [`suppress_counts`], breakdowns through
//!    [`suppress`]; a question answered by fewer than `k` people shows no numbers at all. Because the overall
//!    distribution, both breakdowns and the means are published together, the combination is checked by linear
//!    algebra (`super::disclosure`): when some hidden count (or an unpublished count below `k`) would follow
//!    exactly from the published figures, means/NPS/mean ranks are withheld first if the overall distribution alone already
//!    gives counts away, then breakdowns are dropped (both kept if possible, else district only, else age band
//!    only). What was withheld is listed in [`QuestionResult::withheld`]. Tables of different questions, and the
//!    strata table, are protected each on its own (not jointly).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::{
    disclosure::{System, Table, build_table},
    weighting::{CellKey, weigh},
};
use crate::domain::survey::{ANSWERED, OTHER, Question, QuestionKind};
use crate::stats::chart::{Bar, bar_chart};
use crate::stats::suppression::{suppress, suppress_counts};

/// The tally key counting the respondents who answered a question: the caller adds one such row per question and
/// cell. It is the denominator of every percentage (multiple choice cannot derive it from its options).
pub const N_KEY: &str = "_n";

pub use super::results_types::*;

/// Computes the results (see the module docs).
pub fn compute(input: &Input) -> Results {
    let k = input.k.max(1);
    let (weighting, weights) = weigh(input);
    let respondents: u64 = input.respondents.iter().map(|r| r.n.max(0) as u64).sum();
    let invited: u64 = input.invited.iter().map(|r| r.n.max(0) as u64).sum();

    let mut by_question: HashMap<&str, HashMap<&str, Agg>> = HashMap::new();
    for row in input.tallies {
        if row.n <= 0 {
            continue;
        }
        let n = row.n as u64;
        let w = weights.get(&(row.district, row.age_band.clone())).copied().unwrap_or(1.0);
        let agg = by_question.entry(&row.question).or_default().entry(&row.key).or_default();
        agg.n += n;
        agg.w += n as f64 * w;
        *agg.district.entry(row.district).or_default() += n;
        *agg.age.entry(row.age_band.clone()).or_default() += n;
    }
    let none = HashMap::new();
    let questions = input
        .def
        .questions
        .iter()
        .map(|q| question(input, k, q, by_question.get(q.id.as_str()).unwrap_or(&none)))
        .collect();
    Results {
        respondents,
        invited,
        response_rate: (invited > 0).then(|| respondents as f64 * 100.0 / invited as f64),
        k,
        weighting,
        strata: strata(input, k),
        questions,
    }
}

/// One tally key of one question, summed over cells.
#[derive(Default)]
struct Agg {
    n: u64,
    /// Weighted count.
    w: f64,
    district: BTreeMap<i64, u64>,
    age: BTreeMap<String, u64>,
}

type Keys<'a> = HashMap<&'a str, Agg>;

fn get(keys: &Keys, key: &str) -> (u64, f64) {
    keys.get(key).map_or((0, 0.0), |a| (a.n, a.w))
}

fn age_label(input: &Input, band: &str) -> String {
    if band.is_empty() { input.unknown_label.to_string() } else { band.to_string() }
}

fn percent(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| part * 100.0 / whole)
}

// ---------------------------------------------------------------------------------------------------------------
// Questions

fn answered(kind: &QuestionKind, keys: &Keys) -> (u64, f64) {
    if keys.contains_key(N_KEY) {
        return get(keys, N_KEY);
    }
    let sum = |pred: &dyn Fn(&str) -> bool| {
        keys.iter().filter(|(k, _)| pred(k)).fold((0, 0.0), |(n, w), (_, a)| (n + a.n, w + a.w))
    };
    match kind {
        QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => get(keys, ANSWERED),
        QuestionKind::Ranking { .. } => sum(&|k| k.ends_with("@1")),
        QuestionKind::Matrix { rows, .. } => rows
            .iter()
            .map(|r| sum(&|k| k.strip_prefix(r.value.as_str()).is_some_and(|s| s.starts_with('='))))
            .max_by_key(|(n, _)| *n)
            .unwrap_or((0, 0.0)),
        // A lower bound only: multiple choice needs the `_n` rows.
        QuestionKind::MultipleChoice { options, .. } => {
            options.iter().map(|o| get(keys, &o.value)).max_by_key(|(n, _)| *n).unwrap_or((0, 0.0))
        }
        _ => sum(&|_| true),
    }
}

/// The columns of a question's distribution: (tally key, label).
fn columns(input: &Input, q: &Question, keys: &Keys) -> Vec<(String, String)> {
    let lang = input.lang;
    match &q.kind {
        QuestionKind::SingleChoice { options, other } => {
            let mut out: Vec<_> = options.iter().map(|o| (o.value.clone(), o.label.get(lang).to_string())).collect();
            if *other || keys.contains_key(OTHER) {
                out.push((OTHER.to_string(), input.other_label.to_string()));
            }
            out
        }
        QuestionKind::MultipleChoice { options, .. } => {
            options.iter().map(|o| (o.value.clone(), o.label.get(lang).to_string())).collect()
        }
        QuestionKind::Rating { scale, low, high } => (1..=*scale)
            .map(|v| {
                let label = match v {
                    1 => format!("1 – {}", low.get(lang)),
                    v if v == *scale => format!("{v} – {}", high.get(lang)),
                    v => v.to_string(),
                };
                (v.to_string(), label)
            })
            .collect(),
        QuestionKind::Recommend => (0..=10).map(|v| (v.to_string(), v.to_string())).collect(),
        QuestionKind::Number { .. } => {
            let mut values: Vec<(f64, &str)> =
                keys.keys().filter_map(|k| k.parse::<f64>().ok().filter(|v| v.is_finite()).map(|v| (v, *k))).collect();
            values.sort_by(|a, b| a.0.total_cmp(&b.0));
            values.into_iter().map(|(_, k)| (k.to_string(), k.to_string())).collect()
        }
        _ => Vec::new(),
    }
}

fn empty_result(input: &Input, q: &Question) -> QuestionResult {
    QuestionResult {
        id: q.id.clone(),
        kind: q.kind.name().to_string(),
        text: q.text.get(input.lang).to_string(),
        answered: None,
        suppressed: false,
        options: vec![],
        mean: None,
        weighted_mean: None,
        nps: None,
        ranking: vec![],
        matrix: vec![],
        breakdowns: vec![],
        withheld: vec![],
        chart_svg: None,
    }
}

fn question(input: &Input, k: u64, q: &Question, keys: &Keys) -> QuestionResult {
    let mut out = empty_result(input, q);
    let (n, nw) = answered(&q.kind, keys);
    let small = n > 0 && n < k;
    out.answered = (!small).then_some(n);
    out.suppressed = small;
    match &q.kind {
        QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => {}
        QuestionKind::Ranking { options } => ranking(input, k, options, keys, (n, nw), &mut out),
        QuestionKind::Matrix { rows, scale } => matrix(input, k, rows, scale, keys, small, &mut out),
        _ => distribution(input, k, q, keys, (n, nw), &mut out),
    }
    out
}

fn bars(options: &[OptionResult], k: u64, lang: &str) -> Vec<Bar> {
    options
        .iter()
        .map(|o| Bar {
            label: o.label.clone(),
            value: o.percent.unwrap_or(0.0),
            display: o.percent.map_or_else(|| format!("<{k}"), |p| format_percent(p, lang)),
            suppressed: o.percent.is_none() && o.count.is_none(),
        })
        .collect()
}

/// "37.5%" in English, "37,5 %" otherwise.
pub fn format_percent(p: f64, lang: &str) -> String {
    let s = format!("{p:.1}");
    if lang == "en" { format!("{s}%") } else { format!("{} %", s.replace('.', ",")) }
}

/// Which figures go out: the tables kept and the overall counts hidden.
struct Plan<'t> {
    tables: Vec<&'t Table>,
    hidden: Vec<bool>,
    grand_hidden: bool,
    /// The grand total is the published number who answered (single-key questions answered by at least k).
    grand_known: bool,
}

impl<'t> Plan<'t> {
    fn new(tables: Vec<&'t Table>, hidden: Vec<bool>, grand_hidden: bool, grand_known: bool) -> Self {
        Plan { tables, hidden, grand_hidden, grand_known }
    }

    /// The equations of the overall distribution (plus `extra`, e.g. a mean) and the kept tables.
    fn system(&self, k: u64, counts: &[u64], extra: &[Vec<f64>]) -> System {
        let mut sys = System::new(k);
        let cols: Vec<Option<usize>> = self.hidden.iter().zip(counts).map(|(h, v)| sys.var(*h, *v, true)).collect();
        let grand = sys.var(self.grand_hidden && !self.grand_known, counts.iter().sum(), true);
        sys.eq(cols.iter().map(|v| (*v, 1.0)).chain([(grand, -1.0)]));
        for t in &self.tables {
            t.add_to(&mut sys, &cols, grand);
        }
        for coefficients in extra {
            sys.eq(cols.iter().zip(coefficients).map(|(v, c)| (*v, *c)));
        }
        sys
    }
}

fn distribution(input: &Input, k: u64, q: &Question, keys: &Keys, (n, nw): (u64, f64), out: &mut QuestionResult) {
    let small = n > 0 && n < k;
    let options = columns(input, q, keys);
    let counts: Vec<u64> = options.iter().map(|(v, _)| get(keys, v).0).collect();
    let weighted: Vec<f64> = options.iter().map(|(v, _)| get(keys, v).1).collect();
    let one_key = !matches!(q.kind, QuestionKind::MultipleChoice { .. });
    let with_breakdowns = matches!(
        q.kind,
        QuestionKind::SingleChoice { .. }
            | QuestionKind::MultipleChoice { .. }
            | QuestionKind::Rating { .. }
            | QuestionKind::Recommend
    );

    let (district, age) = if with_breakdowns && !small && n > 0 {
        let col = |c: usize| keys.get(options[c].0.as_str());
        let mut ds: BTreeSet<(bool, i64)> = BTreeSet::new();
        let mut ages: BTreeSet<(bool, String)> = BTreeSet::new();
        for (v, _) in &options {
            if let Some(a) = keys.get(v.as_str()) {
                ds.extend(a.district.iter().filter(|(_, n)| **n > 0).map(|(d, _)| (*d == 0, *d)));
                ages.extend(a.age.iter().filter(|(_, n)| **n > 0).map(|(b, _)| (b.is_empty(), b.clone())));
            }
        }
        let d_groups = ds.into_iter().map(|(_, d)| (d.to_string(), input.district_label(d))).collect();
        let a_groups = ages.into_iter().map(|(_, b)| (b.clone(), age_label(input, &b))).collect();
        let dv = |key: &str, c: usize| {
            let d: i64 = key.parse().unwrap_or(0);
            col(c).and_then(|a| a.district.get(&d).copied()).unwrap_or(0)
        };
        let av = |key: &str, c: usize| col(c).and_then(|a| a.age.get(key).copied()).unwrap_or(0);
        (
            build_table("district", d_groups, dv, options.len(), k),
            build_table("age_band", a_groups, av, options.len(), k),
        )
    } else {
        (None, None)
    };

    // Means and NPS come first (they are the headline): which of them can go out with the overall distribution
    // alone. Then the breakdowns that keep every hidden count hidden, given those statistics: both, then district
    // only, then age band only; each with the overall distribution suppressed on its own (table column totals
    // shown as the overall ones) or else following the table's own column totals.
    let minimal = if small {
        (vec![true; counts.len()], true)
    } else {
        let s = suppress_counts(&counts, true, k);
        (s.counts.iter().map(|c| c.is_suppressed()).collect(), s.total.is_suppressed())
    };
    let grand_known = one_key && !small;
    let plan_of = |tables, (hidden, grand_hidden)| Plan::new(tables, hidden, grand_hidden, grand_known);
    let follow = |t: &Table| {
        (t.s.column_totals.iter().map(|c| c.is_suppressed()).collect::<Vec<_>>(), t.s.grand_total.is_suppressed())
    };
    let last = plan_of(vec![], minimal.clone());

    let numeric = matches!(q.kind, QuestionKind::Rating { .. } | QuestionKind::Recommend | QuestionKind::Number { .. });
    let values: Vec<f64> = options.iter().map(|(v, _)| v.parse().unwrap_or(0.0)).collect();
    let total: u64 = counts.iter().sum();
    let group = |lo: f64, hi: f64| -> Vec<f64> {
        values.iter().map(|v| if *v >= lo && *v <= hi { 1.0 } else { 0.0 }).collect()
    };
    let mut stats: Vec<Vec<f64>> = Vec::new();
    let (mut mean_ok, mut nps_ok) = (false, false);
    if numeric && !small && total > 0 {
        mean_ok = !last.system(k, &counts, std::slice::from_ref(&values)).discloses();
        if mean_ok {
            stats.push(values.clone());
        } else {
            out.withheld.push("mean".into());
        }
        if matches!(q.kind, QuestionKind::Recommend) {
            let mut with_nps = stats.clone();
            with_nps.extend([group(9.0, 10.0), group(0.0, 6.0)]);
            nps_ok = !last.system(k, &counts, &with_nps).discloses();
            if nps_ok {
                stats = with_nps;
            } else {
                out.withheld.push("nps".into());
            }
        }
    }

    let mut candidates: Vec<Plan> = Vec::new();
    if let (Some(d), Some(a)) = (&district, &age) {
        candidates.push(plan_of(vec![d, a], minimal.clone()));
        candidates.push(plan_of(vec![d, a], follow(d)));
    }
    for t in [&district, &age].into_iter().flatten() {
        candidates.push(plan_of(vec![t], minimal.clone()));
        candidates.push(plan_of(vec![t], follow(t)));
    }
    let plan = candidates.into_iter().find(|p| !p.system(k, &counts, &stats).discloses()).unwrap_or(last);
    if district.is_some() && !plan.tables.iter().any(|t| t.by == "district") {
        out.withheld.push("breakdown:district".into());
    }
    if age.is_some() && !plan.tables.iter().any(|t| t.by == "age_band") {
        out.withheld.push("breakdown:age_band".into());
    }
    let grand = (!plan.grand_hidden || plan.grand_known).then_some(total);
    out.breakdowns = plan.tables.iter().map(|t| t.publish(&plan.hidden, &counts, grand, &options)).collect();
    out.options = options
        .iter()
        .enumerate()
        .map(|(i, (value, label))| {
            let hidden = plan.hidden[i];
            OptionResult {
                value: value.clone(),
                label: label.clone(),
                count: (!hidden).then_some(counts[i]),
                percent: if hidden { None } else { percent(counts[i] as f64, n as f64) },
                weighted_percent: if hidden { None } else { percent(weighted[i], nw) },
                suppressed: hidden,
            }
        })
        .collect();

    let wtotal: f64 = weighted.iter().sum();
    if mean_ok {
        out.mean = Some(values.iter().zip(&counts).map(|(v, c)| v * *c as f64).sum::<f64>() / total as f64);
        out.weighted_mean =
            (wtotal > 0.0).then(|| values.iter().zip(&weighted).map(|(v, w)| v * w).sum::<f64>() / wtotal);
    }
    if nps_ok {
        let share = |xs: &[f64], lo: f64, hi: f64, whole: f64| {
            values.iter().zip(xs).filter(|(v, _)| **v >= lo && **v <= hi).map(|(_, x)| x).sum::<f64>() * 100.0 / whole
        };
        let c: Vec<f64> = counts.iter().map(|c| *c as f64).collect();
        let (p, d) = (share(&c, 9.0, 10.0, total as f64), share(&c, 0.0, 6.0, total as f64));
        let (wp, wd) = if wtotal > 0.0 {
            (share(&weighted, 9.0, 10.0, wtotal), share(&weighted, 0.0, 6.0, wtotal))
        } else {
            (p, d)
        };
        out.nps =
            Some(Nps { promoters: p, passives: 100.0 - p - d, detractors: d, score: p - d, weighted_score: wp - wd });
    }
    if !options.is_empty() {
        out.chart_svg = Some(bar_chart(&format!("q-{}", q.id), &out.text, &bars(&out.options, k, input.lang)));
    }
}

fn matrix(
    input: &Input,
    k: u64,
    rows: &[crate::domain::survey::Choice],
    scale: &[crate::domain::survey::Choice],
    keys: &Keys,
    small: bool,
    out: &mut QuestionResult,
) {
    out.matrix = rows
        .iter()
        .map(|row| {
            let cells: Vec<(u64, f64)> =
                scale.iter().map(|s| get(keys, &format!("{}={}", row.value, s.value))).collect();
            let counts: Vec<u64> = cells.iter().map(|c| c.0).collect();
            let (n, w): (u64, f64) = cells.iter().fold((0, 0.0), |(n, w), c| (n + c.0, w + c.1));
            let s = suppress_counts(&counts, true, k);
            let all_hidden = small || s.total.is_suppressed();
            MatrixRow {
                value: row.value.clone(),
                label: row.label.get(input.lang).to_string(),
                answered: (!all_hidden).then_some(n),
                options: scale
                    .iter()
                    .zip(&cells)
                    .zip(&s.counts)
                    .map(|((choice, (c, cw)), cell)| {
                        let hidden = all_hidden || cell.is_suppressed();
                        OptionResult {
                            value: choice.value.clone(),
                            label: choice.label.get(input.lang).to_string(),
                            count: (!hidden).then_some(*c),
                            percent: if hidden { None } else { percent(*c as f64, n as f64) },
                            weighted_percent: if hidden { None } else { percent(*cw, w) },
                            suppressed: hidden,
                        }
                    })
                    .collect(),
            }
        })
        .collect();
}

fn ranking(
    input: &Input,
    k: u64,
    options: &[crate::domain::survey::Choice],
    keys: &Keys,
    (n, nw): (u64, f64),
    out: &mut QuestionResult,
) {
    let small = n > 0 && n < k;
    let m = options.len();
    // counts[o][r - 1]
    let counts: Vec<Vec<(u64, f64)>> =
        options.iter().map(|o| (1..=m).map(|r| get(keys, &format!("{}@{r}", o.value))).collect()).collect();
    let first: Vec<u64> = counts.iter().map(|c| c[0].0).collect();
    let s = suppress_counts(&first, true, k);
    let hidden: Vec<bool> = s.counts.iter().map(|c| small || c.is_suppressed()).collect();

    // Every respondent ranks every option: per option and per rank the counts sum to `n`; the mean ranks add
    // Σ r × count per option. Unpublished counts (ranks 2…) below k must not follow from them either.
    let system = |with_means: bool| {
        let mut sys = System::new(k);
        let vars: Vec<Vec<Option<usize>>> = counts
            .iter()
            .zip(&hidden)
            .map(|(c, h)| {
                c.iter()
                    .enumerate()
                    .map(|(r, (v, _))| if r == 0 { sys.var(*h, *v, true) } else { sys.var(true, *v, false) })
                    .collect()
            })
            .collect();
        for row in &vars {
            sys.eq(row.iter().map(|v| (*v, 1.0)));
            if with_means {
                sys.eq(row.iter().enumerate().map(|(r, v)| (*v, (r + 1) as f64)));
            }
        }
        for r in 0..m {
            sys.eq(vars.iter().map(|row| (row[r], 1.0)));
        }
        sys
    };
    let means_ok = !small && n > 0 && !system(true).discloses();
    if !small && n > 0 && !means_ok {
        out.withheld.push("mean_rank".into());
    }
    out.ranking = options
        .iter()
        .zip(&counts)
        .zip(&hidden)
        .map(|((o, c), h)| {
            let (total, wtotal) = c.iter().fold((0.0, 0.0), |(t, w), (n, cw)| (t + *n as f64, w + cw));
            let (sum, wsum) = c
                .iter()
                .enumerate()
                .fold((0.0, 0.0), |(s, w), (r, (n, cw))| (s + (r + 1) as f64 * *n as f64, w + (r + 1) as f64 * cw));
            RankResult {
                value: o.value.clone(),
                label: o.label.get(input.lang).to_string(),
                mean_rank: if means_ok && total > 0.0 { Some(sum / total) } else { None },
                weighted_mean_rank: if means_ok && wtotal > 0.0 { Some(wsum / wtotal) } else { None },
                first_places: (!h).then_some(c[0].0),
                first_percent: if *h { None } else { percent(c[0].0 as f64, n as f64) },
                weighted_first_percent: if *h { None } else { percent(c[0].1, nw) },
                suppressed: *h,
            }
        })
        .collect();
    let chart: Vec<OptionResult> = out
        .ranking
        .iter()
        .map(|r| OptionResult {
            value: r.value.clone(),
            label: r.label.clone(),
            count: r.first_places,
            percent: r.first_percent,
            weighted_percent: r.weighted_first_percent,
            suppressed: r.suppressed,
        })
        .collect();
    out.chart_svg = Some(bar_chart(&format!("q-{}", out.id), &out.text, &bars(&chart, k, input.lang)));
}

// ---------------------------------------------------------------------------------------------------------------
// Strata

fn strata(input: &Input, k: u64) -> Vec<Stratum> {
    let mut answered: BTreeMap<CellKey, u64> = BTreeMap::new();
    let mut invited: BTreeMap<CellKey, u64> = BTreeMap::new();
    for (rows, map) in [(input.respondents, &mut answered), (input.invited, &mut invited)] {
        for r in rows.iter().filter(|r| r.n > 0) {
            *map.entry((r.district, r.age_band.clone())).or_default() += r.n as u64;
        }
    }
    let cells: BTreeSet<&CellKey> = answered.keys().chain(invited.keys()).collect();
    let districts: Vec<i64> = {
        let set: BTreeSet<(bool, i64)> = cells.iter().map(|(d, _)| (*d == 0, *d)).collect();
        set.into_iter().map(|(_, d)| d).collect()
    };
    let bands: Vec<String> = {
        let set: BTreeSet<(bool, &String)> = cells.iter().map(|(_, a)| (a.is_empty(), a)).collect();
        set.into_iter().map(|(_, a)| a.clone()).collect()
    };
    if districts.is_empty() {
        return vec![];
    }
    let table: Vec<Vec<u64>> = districts
        .iter()
        .map(|d| bands.iter().map(|b| answered.get(&(*d, b.clone())).copied().unwrap_or(0)).collect())
        .collect();
    let s = suppress(&table, k);
    // The number of respondents is published, so the grand total is known.
    let t = Table { by: "strata", keys: vec![], labels: vec![], values: table.clone(), s };
    let mut sys = System::new(k);
    let cols: Vec<Option<usize>> = (0..bands.len())
        .map(|c| sys.var(t.s.column_totals[c].is_suppressed(), table.iter().map(|r| r[c]).sum(), true))
        .collect();
    sys.eq(cols.iter().map(|v| (*v, 1.0)));
    t.add_to(&mut sys, &cols, None);
    let hide_all = sys.discloses();
    let mut out = Vec::new();
    for (r, d) in districts.iter().enumerate() {
        for (c, b) in bands.iter().enumerate() {
            let key = (*d, b.clone());
            if !cells.contains(&key) {
                continue;
            }
            let inv = invited.get(&key).copied().unwrap_or(0);
            let shown = if hide_all { None } else { t.s.cells[r][c].value() };
            out.push(Stratum {
                district: *d,
                district_name: input.district_label(*d),
                age_band: b.clone(),
                invited: inv,
                answered: shown,
                suppressed: shown.is_none(),
                rate: shown.and_then(|a| percent(a as f64, inv as f64)),
            });
        }
    }
    out
}

#[cfg(test)]
#[path = "results_tests.rs"]
mod tests;
