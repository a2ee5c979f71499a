//! The published open data of a survey: aggregated, suppressed numbers only — never a row per respondent.
//!
//! Both formats start with the survey's metadata and list only the questions in [`Meta::published_questions`].
//! Every count hidden by [`super::results`] (and, defensively, any count from 1 to `k − 1`) is written as the text
//! `<k` in CSV and as `{"count": null, "suppressed": true}` in JSON; so is a question answered by fewer than `k`.
//! Zeros are published (the suppression rules show them except in small rows/columns). Per-stratum response
//! figures (for officials) and charts are not part of the open data.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::{Value, json};

use super::results::{Breakdown, OptionResult, QuestionResult, Results};

pub const LICENCE: &str = "CC BY 4.0";

/// What the open data says about the survey.
#[derive(Clone, Debug, Serialize)]
pub struct Meta {
    pub id: String,
    pub title: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Only these questions appear (in the survey's order).
    pub published_questions: Vec<String>,
    /// How the survey was run (e.g. "online panel survey").
    pub method: String,
    pub invited: u64,
    pub answered: u64,
    /// How invitees were drawn.
    pub sampling: String,
    /// How the weights were made (e.g. "raking to district populations").
    pub weighting: String,
    /// [`LICENCE`].
    pub licence: String,
    pub url: String,
}

const HEADER: [&str; 8] =
    ["question_id", "question", "breakdown", "group", "option", "count", "percent", "weighted_percent"];

/// A count as published: `None` when hidden or (defensively) between 1 and k − 1.
fn visible(count: Option<u64>, k: u64) -> Option<u64> {
    count.filter(|n| *n == 0 || *n >= k)
}

fn count_text(count: Option<u64>, k: u64) -> String {
    visible(count, k).map_or_else(|| format!("<{k}"), |n| n.to_string())
}

fn percent_text(p: Option<f64>, shown: bool) -> String {
    match p {
        Some(p) if shown && p.is_finite() => format!("{p:.2}"),
        _ => String::new(),
    }
}

/// One CSV field, quoted when needed (RFC 4180). Every CSV hejnał writes goes through here. A cell a spreadsheet
/// would take for a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage return: OWASP's rule) gets a
/// leading `'`, so a resident's `=HYPERLINK(…)` is shown as text when an analyst opens the file, never run.
pub fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{s}") } else { s.to_string() };
    if s.contains([',', '"', '\r', '\n']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s }
}

fn published<'r>(meta: &'r Meta, results: &'r Results) -> impl Iterator<Item = &'r QuestionResult> {
    results.questions.iter().filter(|q| meta.published_questions.contains(&q.id))
}

fn one_line(s: &str) -> String {
    s.replace(['\r', '\n'], " ")
}

/// The survey's metadata as `(key, value)` pairs: what the CSVW metadata file carries beside the CSV.
fn facts(meta: &Meta, k: u64) -> Vec<(&'static str, String)> {
    let answered = if meta.answered > 0 && meta.answered < k { format!("<{k}") } else { meta.answered.to_string() };
    let time = |t: &DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    vec![
        ("id", meta.id.clone()),
        ("title", meta.title.clone()),
        ("opens_at", time(&meta.opens_at)),
        ("closes_at", time(&meta.closes_at)),
        ("method", meta.method.clone()),
        ("sampling", meta.sampling.clone()),
        ("invited", meta.invited.to_string()),
        ("answered", answered),
        ("weighting", meta.weighting.clone()),
        ("small_cell_threshold", k.to_string()),
        ("suppression", format!("counts from 1 to {} are shown as <{k}, with enough others to protect them", k - 1)),
        ("totals", "an empty option is a total: respondents who answered, or a group's total".into()),
        ("licence", meta.licence.clone()),
        ("url", meta.url.clone()),
    ]
}

/// The CSV's CSVW metadata (W3C "Metadata Vocabulary for Tabular Data"), served beside it as
/// `{id}.csv-metadata.json`: the survey's metadata (which older files carried as `#` lines before the header, where
/// common CSV readers took them for data) and the columns with their meaning.
pub fn csvw(meta: &Meta, k: u64, csv_url: &str) -> Value {
    let notes: serde_json::Map<String, Value> =
        facts(meta, k).into_iter().map(|(key, value)| (key.to_string(), Value::String(one_line(&value)))).collect();
    let titles = [
        "Question (code)".to_string(),
        "Question".into(),
        "Breakdown: all, district or age_band".into(),
        "Group within the breakdown (empty for all)".into(),
        "Option (empty: a total)".into(),
        format!("Count (<{k} when suppressed)"),
        "Percent of those who answered".into(),
        "Weighted percent".into(),
    ];
    let columns: Vec<Value> = HEADER
        .iter()
        .zip(titles)
        .map(|(name, title)| {
            let datatype = if matches!(*name, "percent" | "weighted_percent") { "number" } else { "string" };
            json!({"name": name, "titles": title, "datatype": datatype})
        })
        .collect();
    json!({
        "@context": "http://www.w3.org/ns/csvw",
        "url": csv_url,
        "dc:identifier": meta.id,
        "dc:title": meta.title,
        "dc:license": {"@id": "https://creativecommons.org/licenses/by/4.0/"},
        "dc:source": meta.url,
        "notes": [notes],
        "dialect": {"header": true, "delimiter": ",", "lineTerminators": ["\r\n"], "encoding": "utf-8"},
        "tableSchema": {"columns": columns},
    })
}

/// The open data as CSV: the header row first (the survey's metadata is in [`csvw`]), then one row per published
/// number.
///
/// Columns: `question_id,question,breakdown,group,option,count,percent,weighted_percent`; `breakdown` is `all`,
/// `district` or `age_band`; an empty `option` is a total (respondents who answered, or a group's total);
/// percentages are of those who answered (of the matrix row; first places for rankings). Lines end in CRLF.
pub fn csv(meta: &Meta, results: &Results) -> String {
    let k = results.k;
    let mut out = String::new();
    out.push_str(&HEADER.join(","));
    out.push_str("\r\n");
    let mut row =
        |q: &QuestionResult, breakdown: &str, group: &str, option: &str, count: String, p: String, wp: String| {
            let fields = [q.id.as_str(), &q.text, breakdown, group, option, &count, &p, &wp];
            out.push_str(&fields.iter().map(|f| field(f)).collect::<Vec<_>>().join(","));
            out.push_str("\r\n");
        };
    for q in published(meta, results) {
        let answered = visible(q.answered, k);
        row(q, "all", "", "", count_text(answered, k), String::new(), String::new());
        let options = |o: &OptionResult, label: &str, row: &mut dyn FnMut(String, String, String, &str)| {
            let shown = answered.is_some() && visible(o.count, k).is_some();
            row(
                count_text(o.count.filter(|_| shown), k),
                percent_text(o.percent, shown),
                percent_text(o.weighted_percent, shown),
                label,
            );
        };
        for o in &q.options {
            options(o, &o.label, &mut |c, p, wp, label| row(q, "all", "", label, c, p, wp));
        }
        for m in &q.matrix {
            for o in &m.options {
                let label = format!("{}: {}", m.label, o.label);
                options(o, &label, &mut |c, p, wp, label| row(q, "all", "", label, c, p, wp));
            }
        }
        for r in &q.ranking {
            let shown = answered.is_some() && visible(r.first_places, k).is_some();
            let count = count_text(r.first_places.filter(|_| shown), k);
            row(
                q,
                "all",
                "",
                &r.label,
                count,
                percent_text(r.first_percent, shown),
                percent_text(r.weighted_first_percent, shown),
            );
        }
        if answered.is_none() {
            continue;
        }
        for b in &q.breakdowns {
            for g in &b.rows {
                for (label, cell) in b.column_labels.iter().zip(&g.cells) {
                    row(q, &b.by, &g.label, label, count_text(*cell, k), String::new(), String::new());
                }
                row(q, &b.by, &g.label, "", count_text(g.total, k), String::new(), String::new());
            }
        }
    }
    out
}

/// A count as published in JSON.
fn count_json(count: Option<u64>, k: u64) -> Value {
    let shown = visible(count, k);
    json!({"count": shown, "suppressed": shown.is_none()})
}

fn option_json(o: &OptionResult, k: u64, answered: bool) -> Value {
    let shown = answered && visible(o.count, k).is_some();
    json!({
        "value": o.value,
        "label": o.label,
        "count": o.count.filter(|_| shown),
        "suppressed": !shown,
        "percent": o.percent.filter(|_| shown),
        "weighted_percent": o.weighted_percent.filter(|_| shown),
    })
}

fn breakdown_json(b: &Breakdown, k: u64) -> Value {
    json!({
        "by": b.by,
        "columns": b.columns.iter().zip(&b.column_labels).map(|(v, l)| json!({"value": v, "label": l})).collect::<Vec<_>>(),
        "rows": b.rows.iter().map(|r| json!({
            "key": r.key,
            "label": r.label,
            "cells": r.cells.iter().map(|c| count_json(*c, k)).collect::<Vec<_>>(),
            "total": count_json(r.total, k),
        })).collect::<Vec<_>>(),
        "column_totals": b.column_totals.iter().map(|c| count_json(*c, k)).collect::<Vec<_>>(),
        "grand_total": count_json(b.grand_total, k),
    })
}

/// The open data as JSON: `{"meta", "k", "weighting", "questions"}`; every count is `{"count", "suppressed"}`.
pub fn json(meta: &Meta, results: &Results) -> Value {
    let k = results.k;
    let questions: Vec<Value> = published(meta, results)
        .map(|q| {
            let answered = visible(q.answered, k);
            let shown = answered.is_some();
            json!({
                "id": q.id,
                "type": q.kind,
                "text": q.text,
                "answered": count_json(answered, k),
                "options": q.options.iter().map(|o| option_json(o, k, shown)).collect::<Vec<_>>(),
                "mean": q.mean.filter(|_| shown),
                "weighted_mean": q.weighted_mean.filter(|_| shown),
                "nps": q.nps.as_ref().filter(|_| shown),
                "ranking": q.ranking.iter().map(|r| {
                    let first = r.first_places.filter(|_| shown);
                    let visible_first = visible(first, k).is_some();
                    json!({
                        "value": r.value,
                        "label": r.label,
                        "mean_rank": r.mean_rank.filter(|_| shown),
                        "weighted_mean_rank": r.weighted_mean_rank.filter(|_| shown),
                        "first_places": count_json(first, k),
                        "first_percent": r.first_percent.filter(|_| visible_first),
                        "weighted_first_percent": r.weighted_first_percent.filter(|_| visible_first),
                    })
                }).collect::<Vec<_>>(),
                "matrix": q.matrix.iter().map(|m| json!({
                    "value": m.value,
                    "label": m.label,
                    "answered": count_json(m.answered.filter(|_| shown), k),
                    "options": m.options.iter().map(|o| option_json(o, k, shown)).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
                "breakdowns": if shown { q.breakdowns.iter().map(|b| breakdown_json(b, k)).collect() } else { vec![] },
                "withheld": q.withheld,
            })
        })
        .collect();
    let mut meta_json = serde_json::to_value(meta).expect("meta serialises");
    meta_json["answered"] = count_json(Some(meta.answered), k);
    json!({
        "meta": meta_json,
        "k": k,
        "weighting": results.weighting,
        "questions": questions,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::TimeZone;

    use super::*;
    use crate::domain::district::District;
    use crate::domain::survey::SurveyDef;
    use crate::surveys::results::{Input, N_KEY, compute};
    use crate::surveys::{CellRow, TallyRow};

    const K: u64 = 10;

    #[test]
    fn formulas_are_neutralised_in_every_cell() {
        assert_eq!(field("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
        for lead in ["=", "+", "-", "@", "\t", "\r"] {
            assert!(field(&format!("{lead}1+1")).trim_start_matches('"').starts_with('\''), "{lead:?}");
        }
        assert_eq!(field("Tramwaj, autobus"), "\"Tramwaj, autobus\"");
        assert_eq!(field("12.50"), "12.50");
    }

    fn results() -> Results {
        let (o, c) =
            (Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap(), Utc.with_ymd_and_hms(2025, 3, 15, 0, 0, 0).unwrap());
        let opt = |v: &str| json!({"value": v, "label": {"pl": v}});
        let def: SurveyDef = serde_json::from_value(json!({
            "title": {"pl": "T"}, "opens_at": o, "closes_at": c, "questions": [
                {"id": "mode", "type": "single_choice", "other": true, "text": {"pl": "Mode, \"main\""},
                 "options": [opt("tram"), opt("bus")]},
                {"id": "secret", "type": "single_choice", "text": {"pl": "Not published"}, "options": [opt("a"), opt("b")]},
                {"id": "sat", "type": "rating", "scale": 5, "text": {"pl": "Rating"}, "low": {"pl": "lo"}, "high": {"pl": "hi"}},
                {"id": "few", "type": "single_choice", "text": {"pl": "Few"}, "options": [opt("x"), opt("y")]},
                {"id": "stops", "type": "matrix", "text": {"pl": "Stops"}, "rows": [opt("clean")], "scale": [opt("bad"), opt("good")]}
            ]}))
        .unwrap();
        let cells = [(1, "16-24", 3), (1, "25-34", 25), (2, "16-24", 12), (2, "25-34", 40)];
        let mut tallies = Vec::new();
        let mut t = |q: &str, key: &str, (d, a): (i64, &str), n: i64| {
            tallies.push(TallyRow { question: q.into(), key: key.into(), district: d, age_band: a.into(), n })
        };
        for (d, a, n) in cells {
            for q in ["mode", "secret", "sat", "stops"] {
                t(q, N_KEY, (d, a), n);
            }
        }
        for (q, key, cell, n) in [
            ("mode", "tram", (1, "16-24"), 2),
            ("mode", "bus", (1, "16-24"), 1),
            ("mode", "tram", (1, "25-34"), 10),
            ("mode", "bus", (1, "25-34"), 12),
            ("mode", "_other", (1, "25-34"), 3),
            ("mode", "tram", (2, "16-24"), 6),
            ("mode", "bus", (2, "16-24"), 6),
            ("mode", "tram", (2, "25-34"), 12),
            ("mode", "bus", (2, "25-34"), 21),
            ("mode", "_other", (2, "25-34"), 7),
            ("secret", "a", (1, "16-24"), 3),
            ("secret", "b", (1, "25-34"), 25),
            ("secret", "a", (2, "16-24"), 12),
            ("secret", "b", (2, "25-34"), 40),
            ("sat", "1", (1, "16-24"), 3),
            ("sat", "4", (1, "25-34"), 25),
            ("sat", "5", (2, "16-24"), 12),
            ("sat", "2", (2, "25-34"), 4),
            ("sat", "3", (2, "25-34"), 36),
            ("few", "x", (2, "25-34"), 4),
            ("few", N_KEY, (2, "25-34"), 4),
            ("stops", "clean=bad", (1, "25-34"), 8),
            ("stops", "clean=good", (2, "25-34"), 72),
        ] {
            t(q, key, cell, n);
        }
        let respondents: Vec<CellRow> =
            cells.iter().map(|(d, a, n)| CellRow { district: *d, age_band: (*a).into(), n: *n }).collect();
        let district = |number: i64, population: i64| District {
            number,
            roman: String::new(),
            name: format!("D{number}"),
            area_km2: 1.0,
            population,
        };
        let districts = [district(1, 30_000), district(2, 10_000)];
        let ages = BTreeMap::from([("16-24".to_string(), 0.4), ("25-34".to_string(), 0.6)]);
        compute(&Input {
            def: &def,
            lang: "pl",
            tallies: &tallies,
            respondents: &respondents,
            invited: &[],
            districts: &districts,
            age_margins: Some(&ages),
            k: K,
            other_label: "Inne",
            unknown_label: "nieznane",
        })
    }

    fn meta() -> Meta {
        Meta {
            id: "42".into(),
            title: "Transport, 2025\nspring".into(),
            opens_at: Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0).unwrap(),
            closes_at: Utc.with_ymd_and_hms(2025, 3, 15, 0, 0, 0).unwrap(),
            published_questions: vec!["mode".into(), "sat".into(), "few".into(), "stops".into()],
            method: "online panel survey".into(),
            invited: 200,
            answered: 80,
            sampling: "stratified random sample of the panel".into(),
            weighting: "raking to district and age band".into(),
            licence: LICENCE.into(),
            url: "https://hejnal.example/surveys/42".into(),
        }
    }

    /// A minimal RFC 4180 reader: records of fields, quotes doubled inside quoted fields.
    fn parse(text: &str) -> Vec<Vec<String>> {
        let (mut records, mut record, mut cell) = (Vec::new(), Vec::new(), String::new());
        let mut chars = text.chars().peekable();
        let mut quoted = false;
        while let Some(c) = chars.next() {
            match (quoted, c) {
                (true, '"') if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                (true, '"') => quoted = false,
                (true, c) => cell.push(c),
                (false, '"') if cell.is_empty() => quoted = true,
                (false, ',') => record.push(std::mem::take(&mut cell)),
                (false, '\r') => {}
                (false, '\n') => {
                    record.push(std::mem::take(&mut cell));
                    records.push(std::mem::take(&mut record));
                }
                (false, c) => cell.push(c),
            }
        }
        assert!(!quoted && cell.is_empty() && record.is_empty(), "CSV ends mid-record");
        records
    }

    #[test]
    fn csv_publishes_only_suppressed_aggregates_of_published_questions() {
        let text = csv(&meta(), &results());
        assert!(text.starts_with(&format!("{}\r\n", HEADER.join(","))), "the header row comes first: {text}");
        assert!(!text.lines().any(|l| l.starts_with('#')), "no comment lines: {text}");
        let m = csvw(&meta(), K, "https://hejnal.example.org/open-data/surveys/42.csv");
        assert_eq!(m["@context"], "http://www.w3.org/ns/csvw");
        assert_eq!(m["notes"][0]["title"], "Transport, 2025 spring");
        assert_eq!(m["notes"][0]["licence"], "CC BY 4.0");
        assert_eq!(m["notes"][0]["answered"], "80");
        assert_eq!(m["tableSchema"]["columns"].as_array().unwrap().len(), HEADER.len());
        assert_eq!(m["tableSchema"]["columns"][5]["name"], "count");
        let rows = parse(&text.replace("\r\n", "\n"));
        assert_eq!(rows[0], HEADER);
        let rows = &rows[1..];
        assert!(rows.iter().all(|r| r.len() == 8), "{rows:?}");
        assert!(rows.iter().all(|r| r[0] != "secret" && r[1] != "Not published"));
        assert!(!text.contains("secret") && !text.contains("Not published"));
        for r in rows {
            assert!(["all", "district", "age_band"].contains(&r[2].as_str()), "{r:?}");
            if r[5] == format!("<{K}") {
                assert!(r[6].is_empty() && r[7].is_empty(), "{r:?}");
            } else {
                let n: u64 = r[5].parse().unwrap_or_else(|_| panic!("count {r:?}"));
                assert!(n == 0 || n >= K, "a count below k: {r:?}");
            }
        }
        // The quoted question text comes back whole; "other" 3 and 7 in the district breakdown are hidden.
        let mode: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "mode").collect();
        assert!(mode.iter().all(|r| r[1] == "Mode, \"main\""));
        let other_by_district: Vec<&str> =
            mode.iter().filter(|r| r[2] == "district" && r[4] == "Inne").map(|r| r[5].as_str()).collect();
        assert_eq!(other_by_district, ["<10", "<10"]);
        let all: Vec<(&str, &str, &str)> =
            mode.iter().filter(|r| r[2] == "all").map(|r| (r[4].as_str(), r[5].as_str(), r[6].as_str())).collect();
        assert_eq!(all, [("", "80", ""), ("tram", "30", "37.50"), ("bus", "40", "50.00"), ("Inne", "10", "12.50")]);
        // A question answered by 4: everything "<10", no breakdowns.
        let few: Vec<&Vec<String>> = rows.iter().filter(|r| r[0] == "few").collect();
        assert!(!few.is_empty() && few.iter().all(|r| r[5] == "<10" && r[2] == "all"));
        // Matrix row options: "bad" 8 hidden, and so its complement.
        assert!(rows.iter().any(|r| r[0] == "stops" && r[4] == "clean: bad" && r[5] == "<10"));
    }

    fn walk(v: &Value, found: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                if let Some(c) = m.get("count") {
                    match c.as_u64() {
                        Some(n) if n > 0 && n < K => found.push(v.to_string()),
                        None => assert_eq!(m.get("suppressed"), Some(&Value::Bool(true)), "{v}"),
                        _ => {}
                    }
                }
                m.values().for_each(|x| walk(x, found));
            }
            Value::Array(a) => a.iter().for_each(|x| walk(x, found)),
            _ => {}
        }
    }

    #[test]
    fn json_marks_suppressed_counts_and_skips_unpublished_questions() {
        let v = json(&meta(), &results());
        assert_eq!(v["meta"]["licence"], "CC BY 4.0");
        assert_eq!(v["meta"]["answered"], json!({"count": 80, "suppressed": false}));
        let ids: Vec<&str> = v["questions"].as_array().unwrap().iter().map(|q| q["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["mode", "sat", "few", "stops"]);
        let mut small = Vec::new();
        walk(&v, &mut small);
        assert!(small.is_empty(), "{small:?}");
        let few = &v["questions"][2];
        assert_eq!(few["answered"], json!({"count": null, "suppressed": true}));
        assert_eq!(few["options"][0]["count"], Value::Null);
        let mode = &v["questions"][0];
        let district = &mode["breakdowns"][0];
        assert_eq!(district["by"], "district");
        assert_eq!(district["rows"][0]["cells"][2], json!({"count": null, "suppressed": true}));
        assert!(!v.to_string().contains("Not published"));
    }
}
