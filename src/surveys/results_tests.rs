//! Tests of [`super`] on a fixture small enough to check by hand.
//!
//! Cells (district, age band): A = (1, 16-24) 3 respondents, B = (1, 25-34) 25, C = (2, 16-24) 12,
//! D = (2, 25-34) 40; 80 in all, district 1 has 28, district 2 has 52. Everyone answered every question.
//! Populations: district 1 30 000, district 2 10 000 (shares 0.75 / 0.25), so raking on district alone gives
//! each district-1 respondent 0.75 × 80 / 28 = 60/28 and each district-2 respondent 0.25 × 80 / 52 = 20/52.

use chrono::{TimeZone, Utc};
use serde_json::json;

use super::*;
use crate::domain::{
    district::District,
    survey::{SurveyDef, format_number},
};
use crate::surveys::{CellRow, TallyRow};

const A: (i64, &str, i64) = (1, "16-24", 3);
const B: (i64, &str, i64) = (1, "25-34", 25);
const C: (i64, &str, i64) = (2, "16-24", 12);
const D: (i64, &str, i64) = (2, "25-34", 40);
const CELLS: [(i64, &str, i64); 4] = [A, B, C, D];
const W1: f64 = 60.0 / 28.0;
const W2: f64 = 20.0 / 52.0;

fn def(questions: serde_json::Value) -> SurveyDef {
    let (o, c) =
        (Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap(), Utc.with_ymd_and_hms(2025, 3, 15, 0, 0, 0).unwrap());
    serde_json::from_value(json!({"title": {"pl": "Test"}, "opens_at": o, "closes_at": c, "questions": questions}))
        .unwrap()
}

fn choices(values: &[&str]) -> serde_json::Value {
    values.iter().map(|v| json!({"value": v, "label": {"pl": v.to_uppercase(), "en": v}})).collect()
}

fn survey() -> SurveyDef {
    def(json!([
        {"id": "mode", "type": "single_choice", "other": true, "text": {"pl": "Tryb", "en": "Mode"},
         "options": choices(&["tram", "bus"])},
        {"id": "sat", "type": "rating", "scale": 5, "text": {"pl": "Ocena"}, "low": {"pl": "źle"}, "high": {"pl": "dobrze"}},
        {"id": "problems", "type": "multiple_choice", "min": 1, "max": 3, "text": {"pl": "Problemy"},
         "options": choices(&["crowds", "delays", "prices"])},
        {"id": "stops", "type": "matrix", "text": {"pl": "Przystanki"},
         "rows": choices(&["clean", "info"]), "scale": choices(&["bad", "ok", "good"])},
        {"id": "idea", "type": "short_text", "max_len": 100, "text": {"pl": "Pomysł"}}
    ]))
}

fn t(q: &str, key: &str, (d, a, _): (i64, &str, i64), n: i64) -> TallyRow {
    TallyRow { question: q.into(), key: key.into(), district: d, age_band: a.into(), n }
}

fn tallies() -> Vec<TallyRow> {
    let mut v = Vec::new();
    let mut add = |q: &str, cell: (i64, &str, i64), keys: &[(&str, i64)]| {
        v.extend(keys.iter().map(|(k, n)| t(q, k, cell, *n)));
    };
    // mode: tram 2+10+6+12 = 30 (37.5 %), bus 1+12+6+21 = 40 (50 %), other 3+7 = 10 (12.5 %).
    add("mode", A, &[("tram", 2), ("bus", 1)]);
    add("mode", B, &[("tram", 10), ("bus", 12), ("_other", 3)]);
    add("mode", C, &[("tram", 6), ("bus", 6)]);
    add("mode", D, &[("tram", 12), ("bus", 21), ("_other", 7)]);
    // sat: 1:10, 2:12, 3:19, 4:28, 5:11; mean (10 + 24 + 57 + 112 + 55) / 80 = 258 / 80 = 3.225.
    add("sat", A, &[("5", 1), ("4", 2)]);
    add("sat", B, &[("3", 5), ("4", 10), ("5", 10)]);
    add("sat", C, &[("2", 2), ("3", 4), ("4", 6)]);
    add("sat", D, &[("1", 10), ("2", 10), ("3", 10), ("4", 10)]);
    // problems: crowds 60 (75 %), delays 39 (48.75 %), prices 20 (25 %) of 80 who answered.
    add("problems", A, &[("crowds", 2), ("delays", 1), ("prices", 1)]);
    add("problems", B, &[("crowds", 20), ("delays", 10), ("prices", 5)]);
    add("problems", C, &[("crowds", 8), ("delays", 8), ("prices", 4)]);
    add("problems", D, &[("crowds", 30), ("delays", 20), ("prices", 10)]);
    // stops: clean bad 16 / ok 34 / good 30 (20 / 42.5 / 37.5 %), info bad 25 / ok 15 / good 40.
    add("stops", A, &[("clean=bad", 1), ("clean=ok", 2), ("info=good", 3)]);
    add("stops", B, &[("clean=bad", 5), ("clean=ok", 10), ("clean=good", 10)]);
    add("stops", B, &[("info=bad", 5), ("info=ok", 5), ("info=good", 15)]);
    add("stops", C, &[("clean=ok", 12), ("info=good", 12)]);
    add("stops", D, &[("clean=bad", 10), ("clean=ok", 10), ("clean=good", 20)]);
    add("stops", D, &[("info=bad", 20), ("info=ok", 10), ("info=good", 10)]);
    // idea: 30 answered.
    add("idea", B, &[("_answered", 10)]);
    add("idea", D, &[("_answered", 20)]);
    for q in ["mode", "sat", "problems", "stops"] {
        for cell in CELLS {
            v.push(t(q, N_KEY, cell, cell.2));
        }
    }
    v
}

fn cells(list: &[(i64, &str, i64)]) -> Vec<CellRow> {
    list.iter().map(|(d, a, n)| CellRow { district: *d, age_band: (*a).into(), n: *n }).collect()
}

fn districts() -> Vec<District> {
    let d = |number: i64, name: &str, population: i64| District {
        number,
        roman: "I".repeat(number as usize),
        name: name.into(),
        area_km2: 1.0,
        population,
    };
    vec![d(1, "Stare Miasto", 30_000), d(2, "Grzegórzki", 10_000)]
}

struct Fixture {
    def: SurveyDef,
    tallies: Vec<TallyRow>,
    respondents: Vec<CellRow>,
    invited: Vec<CellRow>,
    districts: Vec<District>,
    ages: Option<BTreeMap<String, f64>>,
}

impl Fixture {
    fn new() -> Self {
        Fixture {
            def: survey(),
            tallies: tallies(),
            respondents: cells(&CELLS),
            invited: cells(&[(1, "16-24", 10), (1, "25-34", 50), (2, "16-24", 40), (2, "25-34", 100)]),
            districts: districts(),
            ages: None,
        }
    }

    fn input(&self, k: u64) -> Input<'_> {
        Input {
            def: &self.def,
            lang: "en",
            tallies: &self.tallies,
            respondents: &self.respondents,
            invited: &self.invited,
            districts: &self.districts,
            age_margins: self.ages.as_ref(),
            k,
            other_label: "Other",
            unknown_label: "unknown",
        }
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn q<'r>(r: &'r Results, id: &str) -> &'r QuestionResult {
    r.questions.iter().find(|q| q.id == id).unwrap()
}

fn opt<'r>(q: &'r QuestionResult, value: &str) -> &'r OptionResult {
    q.options.iter().find(|o| o.value == value).unwrap()
}

#[test]
fn counts_percents_and_means() {
    let f = Fixture::new();
    let r = compute(&f.input(10));
    assert_eq!((r.respondents, r.invited, r.k), (80, 200, 10));
    assert_eq!(r.response_rate, Some(40.0));

    let mode = q(&r, "mode");
    assert_eq!((mode.kind.as_str(), mode.text.as_str(), mode.answered), ("single_choice", "Mode", Some(80)));
    let labels: Vec<&str> = mode.options.iter().map(|o| o.label.as_str()).collect();
    assert_eq!(labels, ["tram", "bus", "Other"]);
    assert_eq!(opt(mode, "tram").count, Some(30));
    assert_eq!(opt(mode, "tram").percent, Some(37.5));
    assert_eq!(opt(mode, "bus").percent, Some(50.0));
    assert_eq!(opt(mode, "_other").percent, Some(12.5));
    // Weighted: tram 12 in district 1 and 18 in district 2, of 28 × 60/28 + 52 × 20/52 = 80.
    let tram = (12.0 * W1 + 18.0 * W2) / 80.0 * 100.0;
    assert!((opt(mode, "tram").weighted_percent.unwrap() - tram).abs() < 1e-4, "{:?}", opt(mode, "tram"));
    assert!(mode.chart_svg.as_ref().unwrap().contains("tram: 37.5%"));

    let sat = q(&r, "sat");
    assert_eq!(sat.options.len(), 5);
    assert_eq!(sat.options[0].label, "1 – źle");
    assert_eq!(opt(sat, "4").count, Some(28));
    assert_eq!(opt(sat, "4").percent, Some(35.0));
    assert!(close(sat.mean.unwrap(), 3.225));
    // District 1: 3×5 + 4×12 + 5×11 = 118 over 28; district 2: 1×10 + 2×12 + 3×14 + 4×16 = 140 over 52.
    let weighted = (118.0 * W1 + 140.0 * W2) / 80.0;
    assert!((sat.weighted_mean.unwrap() - weighted).abs() < 1e-4);
    // The district table hides the column totals of "1" (10) and "5" (11) to protect (district 1, "3") = 5 — in a
    // two-row table with zeros there is no other way. Shown overall, they would give that 5 away; hidden overall,
    // they would follow from the mean. The mean wins, the district breakdown is withheld; the age one stays.
    assert_eq!(sat.withheld, ["breakdown:district"]);
    assert_eq!(sat.breakdowns.len(), 1);
    assert_eq!(sat.breakdowns[0].by, "age_band");
    assert!(sat.options.iter().all(|o| o.count.is_some()));

    let problems = q(&r, "problems");
    assert_eq!(problems.answered, Some(80));
    let percents: Vec<Option<f64>> = problems.options.iter().map(|o| o.percent).collect();
    assert_eq!(percents, [Some(75.0), Some(48.75), Some(25.0)]);

    let stops = q(&r, "stops");
    assert_eq!(stops.matrix.len(), 2);
    let clean: Vec<Option<f64>> = stops.matrix[0].options.iter().map(|o| o.percent).collect();
    assert_eq!(clean, [Some(20.0), Some(42.5), Some(37.5)]);
    let info: Vec<Option<u64>> = stops.matrix[1].options.iter().map(|o| o.count).collect();
    assert_eq!(info, [Some(25), Some(15), Some(40)]);
    assert!(stops.breakdowns.is_empty() && stops.chart_svg.is_none());

    let idea = q(&r, "idea");
    assert_eq!((idea.answered, idea.options.len(), idea.chart_svg.is_none()), (Some(30), 0, true));
}

/// The extended grid (cells + totals) of a breakdown, `None` = hidden.
fn grid(b: &Breakdown) -> Vec<Vec<Option<u64>>> {
    let mut g: Vec<Vec<Option<u64>>> =
        b.rows.iter().map(|r| r.cells.iter().copied().chain([r.total]).collect()).collect();
    g.push(b.column_totals.iter().copied().chain([b.grand_total]).collect());
    g
}

fn no_line_with_one_hidden(g: &[Vec<Option<u64>>]) {
    for row in g {
        assert_ne!(row.iter().filter(|c| c.is_none()).count(), 1, "{g:?}");
    }
    for c in 0..g[0].len() {
        assert_ne!(g.iter().filter(|row| row[c].is_none()).count(), 1, "{g:?}");
    }
}

#[test]
fn small_district_cells_are_hidden_and_cannot_be_recovered() {
    let f = Fixture::new();
    let r = compute(&f.input(10));
    let mode = q(&r, "mode");
    assert_eq!(mode.breakdowns.len(), 2, "{:?}", mode.withheld);
    let by_district = &mode.breakdowns[0];
    assert_eq!(by_district.by, "district");
    assert_eq!(by_district.columns, ["tram", "bus", "_other"]);
    assert_eq!(by_district.rows[0].label, "Stare Miasto");
    // District 1: tram 12, bus 13, other 3 (hidden); district 2: tram 18, bus 27, other 7 (hidden). Row 1 then
    // needs a second hidden cell (tram 12, the smallest), which makes column "tram" need one (18).
    assert_eq!(by_district.rows[0].cells, [None, Some(13), None]);
    assert_eq!(by_district.rows[1].cells, [None, Some(27), None]);
    assert_eq!(by_district.rows[0].total, Some(28));
    assert_eq!(by_district.column_totals, [Some(30), Some(40), Some(10)]);
    for b in &mode.breakdowns {
        no_line_with_one_hidden(&grid(b));
    }
    // And by linear algebra: nothing hidden follows from the published equations.
    let g = grid(by_district);
    let values = [[12, 13, 3, 28], [18, 27, 7, 52], [30, 40, 10, 80]];
    let mut sys = System::new(10);
    let vars: Vec<Vec<Option<usize>>> =
        (0..3).map(|r| (0..4).map(|c| sys.var(g[r][c].is_none(), values[r][c], true)).collect()).collect();
    for row in &vars {
        sys.eq(row[..3].iter().map(|v| (*v, 1.0)).chain([(row[3], -1.0)]));
    }
    for ((a, b), total) in vars[0].iter().zip(&vars[1]).zip(&vars[2]) {
        sys.eq([(*a, 1.0), (*b, 1.0), (*total, -1.0)]);
    }
    assert!(!sys.discloses());
    // Every count on the page is at least k, or zero.
    let json = serde_json::to_value(&r).unwrap().to_string();
    assert!(!json.contains("\"count\":3,") && !json.contains("\"count\":7,"));
}

#[test]
fn a_question_answered_by_fewer_than_k_shows_nothing() {
    let mut f = Fixture::new();
    f.tallies.retain(|t| t.question != "mode");
    f.tallies.extend([t("mode", "tram", B, 4), t("mode", "bus", D, 2), t("mode", N_KEY, B, 4), t("mode", N_KEY, D, 2)]);
    let r = compute(&f.input(10));
    let mode = q(&r, "mode");
    assert!(mode.suppressed && mode.answered.is_none() && mode.breakdowns.is_empty());
    assert!(mode.options.iter().all(|o| o.count.is_none() && o.percent.is_none() && o.weighted_percent.is_none()));
    let svg = mode.chart_svg.as_ref().unwrap();
    assert_eq!(svg.matches("class=\"bar suppressed\"").count(), 3);
    assert!(svg.contains("&lt;10"));
}

#[test]
fn district_weights_range_and_kish_by_hand() {
    let f = Fixture::new();
    let (w, weights) = weigh(&f.input(10));
    assert!(w.applied && w.converged && w.note.is_none(), "{w:?}");
    assert_eq!(w.margins, ["district"]);
    assert!((weights[&(1, "16-24".to_string())] - W1).abs() < 1e-6);
    assert!((weights[&(2, "25-34".to_string())] - W2).abs() < 1e-6);
    assert!((w.weight_min - W2).abs() < 1e-6 && (w.weight_max - W1).abs() < 1e-6);
    // Kish: (Σw)² / Σw² = 80² / (28 × (60/28)² + 52 × (20/52)²) = 6400 / (3600/28 + 400/52) ≈ 46.968.
    let kish = 6400.0 / (3600.0 / 28.0 + 400.0 / 52.0);
    assert!((w.kish_effective_n - kish).abs() < 1e-4, "{}", w.kish_effective_n);
    assert!((kish - 46.968).abs() < 1e-3);
}

/// Weighted share of respondents per category of the cell key picked by `key`.
fn shares(f: &Fixture, weights: &HashMap<CellKey, f64>, key: impl Fn(&CellRow) -> String) -> BTreeMap<String, f64> {
    let mut out = BTreeMap::new();
    for c in &f.respondents {
        *out.entry(key(c)).or_insert(0.0) += c.n as f64 * weights[&(c.district, c.age_band.clone())];
    }
    let total: f64 = out.values().sum();
    out.values_mut().for_each(|v| *v /= total);
    out
}

#[test]
fn raking_reproduces_district_and_age_margins() {
    let mut f = Fixture::new();
    f.ages = Some(BTreeMap::from([("16-24".into(), 0.3), ("25-34".into(), 0.7), ("75+".into(), 0.1)]));
    let (w, weights) = weigh(&f.input(10));
    assert_eq!(w.margins, ["district", "age_band"]);
    assert!(w.converged && w.max_margin_error < 1e-6);
    assert!(w.note.as_deref().unwrap().contains("age band(s) 75+"), "{w:?}");
    let d = shares(&f, &weights, |c| c.district.to_string());
    assert!((d["1"] - 0.75).abs() < 1e-3 && (d["2"] - 0.25).abs() < 1e-3, "{d:?}");
    let a = shares(&f, &weights, |c| c.age_band.clone());
    assert!((a["16-24"] - 0.3).abs() < 1e-3 && (a["25-34"] - 0.7).abs() < 1e-3, "{a:?}");
    // Mean weight 1 over persons.
    let total: f64 = f.respondents.iter().map(|c| c.n as f64 * weights[&(c.district, c.age_band.clone())]).sum();
    assert!((total - 80.0).abs() < 1e-6);
}

#[test]
fn weighting_notes() {
    // Unknown district: weight 1, said so.
    let mut f = Fixture::new();
    f.respondents.push(CellRow { district: 0, age_band: "".into(), n: 5 });
    let (w, weights) = weigh(&f.input(10));
    assert!(w.applied && w.unweighted == 5, "{w:?}");
    assert!(w.note.as_deref().unwrap().contains("5 respondent(s) with an unknown district"));
    assert_eq!(weights[&(0, String::new())], 1.0);
    assert!((w.weight_max - W1).abs() < 1e-6);

    // A district with respondents but no population: not weighted.
    let mut f = Fixture::new();
    f.respondents.push(CellRow { district: 3, age_band: "16-24".into(), n: 5 });
    let (w, weights) = weigh(&f.input(10));
    assert!(!w.applied && w.unweighted == 85 && w.kish_effective_n == 85.0);
    assert!(w.note.as_deref().unwrap().contains("no population figure for district(s) with respondents: 3"));
    assert!(weights.values().all(|w| *w == 1.0));

    // A district without respondents: dropped from the margin, the others renormalised (0.75 / 0.25 again).
    let mut f = Fixture::new();
    f.districts
        .push(District { number: 3, roman: "III".into(), name: "Prądnik".into(), area_km2: 1.0, population: 5 });
    let (w, weights) = weigh(&f.input(10));
    assert!(w.applied && w.note.as_deref().unwrap().contains("3 (Prądnik)"), "{w:?}");
    assert!((weights[&(1, "25-34".to_string())] - W1).abs() < 1e-6);
}

#[test]
fn strata_rates_with_suppression() {
    let f = Fixture::new();
    let r = compute(&f.input(10));
    assert_eq!(r.strata.len(), 4);
    let a = &r.strata[0];
    assert_eq!((a.district, a.age_band.as_str(), a.invited), (1, "16-24", 10));
    // 3 < 10 is hidden, and so (secondarily) are enough others that it cannot be recovered.
    assert!(a.suppressed && a.answered.is_none() && a.rate.is_none());
    assert!(r.strata.iter().filter(|s| s.suppressed).count() >= 2);
    let mut g = vec![vec![None; 2]; 2];
    for s in &r.strata {
        g[(s.district - 1) as usize][usize::from(s.age_band == "25-34")] = s.answered;
    }
    no_line_with_one_hidden(&g);
    let with_k1 = compute(&f.input(1));
    assert_eq!(with_k1.strata[3].rate, Some(40.0));
}

#[test]
fn net_promoter_score() {
    // 10 respondents: 10×3, 9×2, 8×2, 7×1, 5×1, 0×1. Promoters 5 (50 %), passives 3 (30 %), detractors 2 (20 %):
    // NPS 30. Mean (30 + 18 + 16 + 7 + 5 + 0) / 10 = 7.6.
    let mut f = Fixture::new();
    f.def = def(json!([{"id": "rec", "type": "recommend", "text": {"pl": "Polecisz?"}}]));
    f.tallies = [("10", 3), ("9", 2), ("8", 2), ("7", 1), ("5", 1), ("0", 1), (N_KEY, 10)]
        .iter()
        .map(|(k, n)| t("rec", k, B, *n))
        .collect();
    let r = compute(&f.input(1));
    let rec = q(&r, "rec");
    assert_eq!(rec.options.len(), 11);
    let nps = rec.nps.as_ref().unwrap();
    assert!(close(nps.promoters, 50.0) && close(nps.passives, 30.0) && close(nps.detractors, 20.0));
    assert!(close(nps.score, 30.0) && close(nps.weighted_score, 30.0), "{nps:?}");
    assert!(close(rec.mean.unwrap(), 7.6));

    // With k = 3 the counts 2, 2, 1, 1, 1 are hidden; the promoters' share (5) minus the visible 3 tens would
    // give the nines (2), so the NPS is withheld; the mean alone (5 unknowns, 2 equations) is not.
    let r = compute(&f.input(3));
    let rec = q(&r, "rec");
    assert_eq!(opt(rec, "10").count, Some(3));
    assert_eq!(opt(rec, "9").count, None);
    assert!(rec.nps.is_none() && rec.withheld == ["nps"], "{:?}", rec.withheld);
    assert!(close(rec.mean.unwrap(), 7.6));
}

#[test]
fn rating_mean_withheld_when_it_would_reveal_two_hidden_counts() {
    // 1: 4 (hidden), 2: 10 (complementary), 3..5: 20 each. Total and Σ v·n pin down both hidden counts.
    let mut f = Fixture::new();
    f.def = def(json!([{"id": "sat", "type": "rating", "scale": 5, "text": {"pl": "Ocena"},
        "low": {"pl": "źle"}, "high": {"pl": "dobrze"}}]));
    f.tallies = [("1", 4), ("2", 10), ("3", 20), ("4", 20), ("5", 20), (N_KEY, 74)]
        .iter()
        .map(|(k, n)| t("sat", k, D, *n))
        .collect();
    let r = compute(&f.input(10));
    let sat = q(&r, "sat");
    assert_eq!((opt(sat, "1").count, opt(sat, "2").count, opt(sat, "3").count), (None, None, Some(20)));
    assert!(sat.mean.is_none() && sat.weighted_mean.is_none());
    assert!(sat.withheld.contains(&"mean".to_string()), "{:?}", sat.withheld);
}

#[test]
fn ranking_mean_ranks() {
    // 4 respondents: metro > trams > bikes twice, trams > metro > bikes, bikes > metro > trams.
    // Mean ranks: metro (1+1+2+2)/4 = 1.5, trams (2+2+1+3)/4 = 2, bikes (3+3+3+1)/4 = 2.5.
    let mut f = Fixture::new();
    f.def = def(json!([{"id": "pri", "type": "ranking", "text": {"pl": "Priorytety"},
        "options": choices(&["metro", "trams", "bikes"])}]));
    let keys = [("metro@1", 2), ("metro@2", 2), ("trams@1", 1), ("trams@2", 2), ("trams@3", 1)];
    f.tallies =
        keys.iter().chain(&[("bikes@1", 1), ("bikes@3", 3), (N_KEY, 4)]).map(|(k, n)| t("pri", k, C, *n)).collect();
    let r = compute(&f.input(1));
    let pri = q(&r, "pri");
    let means: Vec<f64> = pri.ranking.iter().map(|x| x.mean_rank.unwrap()).collect();
    assert_eq!(means, [1.5, 2.0, 2.5]);
    assert_eq!(pri.ranking[0].weighted_mean_rank, Some(1.5));
    let first: Vec<Option<u64>> = pri.ranking.iter().map(|x| x.first_places).collect();
    assert_eq!(first, [Some(2), Some(1), Some(1)]);
    assert_eq!(pri.ranking[0].first_percent, Some(50.0));
    assert!(pri.chart_svg.is_some());

    // Two options, 5 respondents, a first 4 times: with k = 3 both first-place counts are hidden (1 < 3 and its
    // complement), and a's mean rank (4 × 1 + 1 × 2) / 5 = 1.2 would give them back: withheld.
    f.def =
        def(json!([{"id": "pri", "type": "ranking", "text": {"pl": "Priorytety"}, "options": choices(&["a", "b"])}]));
    f.tallies =
        [("a@1", 4), ("a@2", 1), ("b@1", 1), ("b@2", 4), (N_KEY, 5)].iter().map(|(k, n)| t("pri", k, C, *n)).collect();
    let pri = compute(&f.input(1));
    assert_eq!(q(&pri, "pri").ranking[0].mean_rank, Some(1.2));
    let r = compute(&f.input(3));
    let pri = q(&r, "pri");
    assert_eq!(pri.withheld, ["mean_rank"]);
    assert!(pri.ranking.iter().all(|x| x.mean_rank.is_none() && x.first_places.is_none()));
}

/// 18 districts × 7 age bands, `total` respondents, the example survey (10 questions) with ~5 keys each.
pub(super) struct Big {
    pub def: SurveyDef,
    pub tallies: Vec<TallyRow>,
    pub respondents: Vec<CellRow>,
    pub districts: Vec<District>,
}

pub(super) fn big(total: i64) -> Big {
    let districts = crate::domain::district::parse_csv(crate::domain::district::KRAKOW_CSV).unwrap();
    let def = crate::domain::survey_example::every_type(Utc::now(), Utc::now() + chrono::Duration::days(7));
    let bands = ["16-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75+"];
    let cell_n = total / (districts.len() * bands.len()) as i64;
    let mut respondents = Vec::new();
    let mut tallies = Vec::new();
    for (i, d) in districts.iter().enumerate() {
        for (j, band) in bands.iter().enumerate() {
            // Uneven cells so that weighting has work to do.
            let n = cell_n * (1 + (i + j) as i64 % 3) / 2;
            respondents.push(CellRow { district: d.number, age_band: (*band).into(), n });
            for q in &def.questions {
                let keys: Vec<String> = match &q.kind {
                    QuestionKind::SingleChoice { options, .. } | QuestionKind::MultipleChoice { options, .. } => {
                        options.iter().map(|o| o.value.clone()).collect()
                    }
                    QuestionKind::Rating { scale, .. } => (1..=*scale).map(|v| v.to_string()).collect(),
                    QuestionKind::Recommend => (6..=10).map(|v| v.to_string()).collect(),
                    QuestionKind::Number { .. } => [10.0, 20.0, 30.0, 45.0, 60.0].map(format_number).to_vec(),
                    QuestionKind::Ranking { options } => {
                        options.iter().enumerate().map(|(r, o)| format!("{}@{}", o.value, r + 1)).collect()
                    }
                    QuestionKind::Matrix { rows, scale } => rows
                        .iter()
                        .flat_map(|r| scale.iter().map(move |s| format!("{}={}", r.value, s.value)))
                        .collect(),
                    _ => vec![ANSWERED.to_string()],
                };
                let share = n / keys.len().max(1) as i64;
                for key in keys {
                    tallies.push(TallyRow {
                        question: q.id.clone(),
                        key,
                        district: d.number,
                        age_band: (*band).into(),
                        n: share,
                    });
                }
                tallies.push(TallyRow {
                    question: q.id.clone(),
                    key: N_KEY.into(),
                    district: d.number,
                    age_band: (*band).into(),
                    n,
                });
            }
        }
    }
    Big { def, tallies, respondents, districts }
}

fn big_input(b: &Big) -> Input<'_> {
    Input {
        def: &b.def,
        lang: "pl",
        tallies: &b.tallies,
        respondents: &b.respondents,
        invited: &[],
        districts: &b.districts,
        age_margins: None,
        k: 10,
        other_label: "Inne",
        unknown_label: "nieznane",
    }
}

#[test]
fn krakow_districts_are_reproduced_within_a_tenth_of_a_percent() {
    let b = big(100_000);
    let input = big_input(&b);
    let r = compute(&input);
    assert!(r.weighting.applied && r.weighting.converged, "{:?}", r.weighting);
    assert_eq!(r.response_rate, None);
    let (_, weights) = weigh(&input);
    let population: i64 = b.districts.iter().map(|d| d.population).sum();
    let total: f64 = b.respondents.iter().map(|c| c.n as f64 * weights[&(c.district, c.age_band.clone())]).sum();
    for d in &b.districts {
        let weighted: f64 = b
            .respondents
            .iter()
            .filter(|c| c.district == d.number)
            .map(|c| c.n as f64 * weights[&(c.district, c.age_band.clone())])
            .sum();
        let target = d.population as f64 / population as f64;
        assert!((weighted / total / target - 1.0).abs() < 1e-3, "{}: {} vs {target}", d.name, weighted / total);
    }
    assert_eq!(r.questions.len(), 10);
    assert!(r.questions.iter().all(|q| q.answered.is_some()));
}

#[test]
#[ignore = "timing; run with --release --ignored"]
fn a_million_respondents_in_well_under_100_ms() {
    let b = big(1_000_000);
    let input = big_input(&b);
    let start = std::time::Instant::now();
    let r = compute(&input);
    let elapsed = start.elapsed();
    assert!(r.respondents > 900_000);
    assert!(elapsed.as_millis() < 100, "{elapsed:?}");
}
