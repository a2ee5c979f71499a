//! The answering form: the questionnaire as a page (with what the resident entered so far), and the form's fields
//! back into the answers the API takes.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::{
    domain::survey::{OTHER, Question, QuestionKind, SurveyDef},
    web::error::FieldError,
};

#[derive(Serialize)]
pub struct OptionView {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

#[derive(Serialize)]
pub struct RankView {
    pub value: String,
    pub label: String,
    pub ranks: Vec<OptionView>,
}

#[derive(Serialize)]
pub struct RowView {
    pub value: String,
    pub label: String,
    pub options: Vec<OptionView>,
}

#[derive(Serialize)]
pub struct QuestionView {
    pub id: String,
    pub kind: &'static str,
    pub number: usize,
    pub text: String,
    pub help: String,
    pub required: bool,
    pub options: Vec<OptionView>,
    pub other: bool,
    pub other_checked: bool,
    pub other_text: String,
    pub value: String,
    pub min: String,
    pub max: String,
    pub step: String,
    pub max_len: usize,
    pub low: String,
    pub high: String,
    pub ranks: Vec<RankView>,
    pub rows: Vec<RowView>,
    /// `data-show-if` / `data-equals` for the script that hides conditional questions.
    pub show_if: Option<String>,
    pub show_if_values: String,
    pub show_if_text: String,
    pub errors: Vec<FieldError>,
}

/// The fields a browser sent, by name (repeated names kept in order).
pub type Fields = Vec<(String, String)>;

fn all<'a>(fields: &'a Fields, name: &str) -> Vec<&'a str> {
    fields.iter().filter(|(k, _)| k == name).map(|(_, v)| v.as_str()).collect()
}

fn one<'a>(fields: &'a Fields, name: &str) -> &'a str {
    all(fields, name).into_iter().next().unwrap_or("")
}

fn opts(options: &[crate::domain::survey::Choice], lang: &str, checked: &[&str]) -> Vec<OptionView> {
    options
        .iter()
        .map(|o| OptionView {
            value: o.value.clone(),
            label: o.label.get(lang).into(),
            checked: checked.contains(&o.value.as_str()),
        })
        .collect()
}

fn numbers(from: i64, to: i64, checked: &str) -> Vec<OptionView> {
    (from..=to)
        .map(|n| OptionView { value: n.to_string(), label: n.to_string(), checked: checked == n.to_string() })
        .collect()
}

/// The page's view of each question, filled with `fields` (empty on first view) and `errors`.
pub fn questions(def: &SurveyDef, lang: &str, fields: &Fields, errors: &[FieldError]) -> Vec<QuestionView> {
    def.questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let name = format!("q.{}", q.id);
            let value = one(fields, &name).to_string();
            let mut v = QuestionView {
                id: q.id.clone(),
                kind: q.kind.name(),
                number: i + 1,
                text: q.text.get(lang).into(),
                help: q.help.get(lang).into(),
                required: q.required,
                options: Vec::new(),
                other: false,
                other_checked: value == OTHER,
                other_text: one(fields, &format!("{name}.other")).into(),
                value: value.clone(),
                min: String::new(),
                max: String::new(),
                step: "any".into(),
                max_len: 0,
                low: String::new(),
                high: String::new(),
                ranks: Vec::new(),
                rows: Vec::new(),
                show_if: q.show_if.as_ref().map(|c| c.question.clone()),
                show_if_values: q.show_if.as_ref().map(|c| c.equals.join(" ")).unwrap_or_default(),
                show_if_text: condition_text(def, q, lang),
                errors: errors.iter().filter(|e| e.field == q.id).cloned().collect(),
            };
            match &q.kind {
                QuestionKind::SingleChoice { options, other } => {
                    v.options = opts(options, lang, &[value.as_str()]);
                    v.other = *other;
                }
                QuestionKind::MultipleChoice { options, .. } => v.options = opts(options, lang, &all(fields, &name)),
                QuestionKind::Rating { scale, low, high } => {
                    v.options = numbers(1, i64::from(*scale), &value);
                    (v.low, v.high) = (low.get(lang).into(), high.get(lang).into());
                }
                QuestionKind::Recommend => v.options = numbers(0, 10, &value),
                QuestionKind::Ranking { options } => {
                    v.ranks = options
                        .iter()
                        .map(|o| {
                            let chosen = one(fields, &format!("{name}.{}", o.value));
                            RankView {
                                value: o.value.clone(),
                                label: o.label.get(lang).into(),
                                ranks: numbers(1, options.len() as i64, chosen),
                            }
                        })
                        .collect()
                }
                QuestionKind::Number { min, max, integer } => {
                    (v.min, v.max) = (min.to_string(), max.to_string());
                    if *integer {
                        v.step = "1".into();
                    }
                }
                QuestionKind::ShortText { max_len } | QuestionKind::LongText { max_len } => v.max_len = *max_len,
                QuestionKind::Matrix { rows, scale } => {
                    v.rows = rows
                        .iter()
                        .map(|r| RowView {
                            value: r.value.clone(),
                            label: r.label.get(lang).into(),
                            options: opts(scale, lang, &[one(fields, &format!("{name}.{}", r.value))]),
                        })
                        .collect()
                }
            }
            v
        })
        .collect()
}

/// "Answer if you chose Bike" — the condition in words, for readers without the script.
fn condition_text(def: &SurveyDef, q: &Question, lang: &str) -> String {
    let Some(c) = &q.show_if else { return String::new() };
    let Some(source) = def.question(&c.question) else { return String::new() };
    let label = |v: &String| match &source.kind {
        QuestionKind::SingleChoice { options, .. } | QuestionKind::MultipleChoice { options, .. } => {
            options.iter().find(|o| &o.value == v).map(|o| o.label.get(lang).to_string()).unwrap_or_else(|| v.clone())
        }
        _ => v.clone(),
    };
    c.equals.iter().map(label).collect::<Vec<_>>().join(" / ")
}

/// The form's fields as the API's answers (absent when a question was left empty).
pub fn answers(def: &SurveyDef, fields: &Fields) -> Map<String, Value> {
    let mut out = Map::new();
    for q in &def.questions {
        let name = format!("q.{}", q.id);
        let value = one(fields, &name).trim().to_string();
        let answer = match &q.kind {
            QuestionKind::SingleChoice { .. } if value == OTHER => {
                Some(json!({"other": one(fields, &format!("{name}.other"))}))
            }
            QuestionKind::MultipleChoice { .. } => {
                let list = all(fields, &name);
                (!list.is_empty()).then(|| json!(list))
            }
            QuestionKind::Ranking { options } => {
                let ranks: Vec<(String, Option<usize>)> = options
                    .iter()
                    .map(|o| (o.value.clone(), one(fields, &format!("{name}.{}", o.value)).parse().ok()))
                    .collect();
                if ranks.iter().all(|(_, r)| r.is_none()) {
                    None
                } else {
                    let mut by_rank: BTreeMap<usize, String> = BTreeMap::new();
                    let mut ok = true;
                    for (v, r) in ranks {
                        match r {
                            Some(r) if by_rank.insert(r, v).is_none() => {}
                            _ => ok = false,
                        }
                    }
                    // An incomplete or repeated ranking is passed on incomplete, so the check names it.
                    let list: Vec<String> = if ok { by_rank.into_values().collect() } else { vec![] };
                    Some(json!(list))
                }
            }
            QuestionKind::Matrix { rows, .. } => {
                let m: Map<String, Value> = rows
                    .iter()
                    .filter_map(|r| {
                        let v = one(fields, &format!("{name}.{}", r.value));
                        (!v.is_empty()).then(|| (r.value.clone(), Value::String(v.into())))
                    })
                    .collect();
                (!m.is_empty()).then_some(Value::Object(m))
            }
            _ => (!value.is_empty()).then(|| Value::String(value.clone())),
        };
        if let Some(a) = answer {
            out.insert(q.id.clone(), a);
        }
    }
    out
}
