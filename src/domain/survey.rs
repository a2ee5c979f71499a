//! Surveys: the questionnaire an editor builds, the answers a resident gives, and how answers become tallies.
//!
//! A survey is stored as one JSON document ([`SurveyDef`]); answers are checked here against it, so the HTML form
//! and the JSON API accept and refuse exactly the same things.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

pub use super::alert::Issue;

/// A text in several languages; Polish is required, English and Ukrainian fall back to it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
#[schema(value_type = Object, example = json!({"pl": "Czy…?", "en": "Do you…?"}))]
pub struct Text(pub BTreeMap<String, String>);

impl Text {
    pub fn get(&self, lang: &str) -> &str {
        self.0.get(lang).filter(|t| !t.is_empty()).or_else(|| self.0.get("pl")).map(String::as_str).unwrap_or("")
    }
    pub fn pl(s: &str) -> Self {
        Self(BTreeMap::from([("pl".to_string(), s.to_string())]))
    }
}

/// One option of a choice, ranking or matrix question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Choice {
    /// A short stable key (`a`, `tram`, …): what answers and results use.
    pub value: String,
    pub label: Text,
}

/// The question types.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum QuestionKind {
    /// One option; with `other`, a free "other, please say" answer.
    SingleChoice {
        options: Vec<Choice>,
        #[serde(default)]
        other: bool,
    },
    /// Several options, between `min` and `max` of them.
    MultipleChoice {
        options: Vec<Choice>,
        min: u32,
        max: u32,
    },
    /// 1…5 or 1…10 with labels at both ends.
    Rating {
        scale: u8,
        low: Text,
        high: Text,
    },
    /// The 0–10 "how likely are you to recommend" scale.
    Recommend,
    /// Every option put in order, first = most preferred.
    Ranking {
        options: Vec<Choice>,
    },
    Number {
        min: f64,
        max: f64,
        integer: bool,
    },
    ShortText {
        max_len: usize,
    },
    LongText {
        max_len: usize,
    },
    /// Rows, each answered on one common scale.
    Matrix {
        rows: Vec<Choice>,
        scale: Vec<Choice>,
    },
}

impl QuestionKind {
    pub fn name(&self) -> &'static str {
        match self {
            QuestionKind::SingleChoice { .. } => "single_choice",
            QuestionKind::MultipleChoice { .. } => "multiple_choice",
            QuestionKind::Rating { .. } => "rating",
            QuestionKind::Recommend => "recommend",
            QuestionKind::Ranking { .. } => "ranking",
            QuestionKind::Number { .. } => "number",
            QuestionKind::ShortText { .. } => "short_text",
            QuestionKind::LongText { .. } => "long_text",
            QuestionKind::Matrix { .. } => "matrix",
        }
    }

    pub fn is_text(&self) -> bool {
        matches!(self, QuestionKind::ShortText { .. } | QuestionKind::LongText { .. })
    }
}

/// Show a question only when an earlier answer is one of `equals` (a choice's value, a number as text).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Condition {
    pub question: String,
    pub equals: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Question {
    /// A short stable key (`q1`, `transport`, …).
    pub id: String,
    pub text: Text,
    #[serde(default)]
    pub help: Text,
    #[serde(default)]
    pub required: bool,
    #[serde(flatten)]
    pub kind: QuestionKind,
    #[serde(default)]
    pub show_if: Option<Condition>,
}

/// A whole questionnaire.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SurveyDef {
    pub title: Text,
    #[serde(default)]
    pub intro: Text,
    pub questions: Vec<Question>,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// Default: anonymous. An identified survey states why on its first page and needs the resident's agreement.
    #[serde(default = "yes")]
    pub anonymous: bool,
    #[serde(default)]
    pub identified_reason: Text,
    /// Days after the invitation to remind those who have not answered (at most two).
    #[serde(default = "default_reminders")]
    pub reminder_days: Vec<u32>,
}

fn yes() -> bool {
    true
}

fn default_reminders() -> Vec<u32> {
    vec![3, 7]
}

pub const MAX_QUESTIONS: usize = 100;
pub const MAX_OPTIONS: usize = 50;
pub const MAX_SHORT_TEXT: usize = 200;
pub const MAX_LONG_TEXT: usize = 5000;
/// The tally key of an "other, please say" answer and of an answered text question.
pub const OTHER: &str = "_other";
pub const ANSWERED: &str = "_answered";

fn key_ok(s: &str) -> bool {
    !s.is_empty() && s.len() <= 40 && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn check_text(issues: &mut Vec<Issue>, field: String, text: &Text, required: bool, max: usize) {
    if required && text.0.get("pl").is_none_or(|t| t.trim().is_empty()) {
        issues.push(Issue::new(field.clone(), "survey-error-polish-required"));
    }
    for (lang, t) in &text.0 {
        if !["pl", "en", "uk"].contains(&lang.as_str()) {
            issues.push(Issue::new(field.clone(), "survey-error-language").with("value", lang));
        } else if t.chars().count() > max {
            issues.push(Issue::new(format!("{field}.{lang}"), "survey-error-too-long").with("max", max));
        }
    }
}

fn check_choices(issues: &mut Vec<Issue>, field: String, choices: &[Choice], min: usize) {
    if choices.len() < min || choices.len() > MAX_OPTIONS {
        issues.push(Issue::new(field.clone(), "survey-error-options").with("min", min).with("max", MAX_OPTIONS));
    }
    let mut seen = std::collections::BTreeSet::new();
    for (i, c) in choices.iter().enumerate() {
        if !key_ok(&c.value) || c.value.starts_with('_') || !seen.insert(&c.value) {
            issues.push(Issue::new(format!("{field}.{i}.value"), "survey-error-key").with("value", &c.value));
        }
        check_text(issues, format!("{field}.{i}.label"), &c.label, true, 300);
    }
}

impl SurveyDef {
    /// Checks the questionnaire itself (not yet the dates against now: see [`SurveyDef::check_dates`]).
    pub fn validate(&self) -> Vec<Issue> {
        let mut issues = Vec::new();
        check_text(&mut issues, "title".into(), &self.title, true, 200);
        check_text(&mut issues, "intro".into(), &self.intro, false, 5000);
        if self.questions.len() > MAX_QUESTIONS {
            issues.push(Issue::new("questions", "survey-error-too-many-questions").with("max", MAX_QUESTIONS));
        }
        if self.closes_at <= self.opens_at {
            issues.push(Issue::new("closes_at", "survey-error-closes-before-opens"));
        }
        if !self.anonymous {
            check_text(&mut issues, "identified_reason".into(), &self.identified_reason, true, 2000);
        }
        if self.reminder_days.len() > 2 || self.reminder_days.iter().any(|d| *d == 0 || *d > 60) {
            issues.push(Issue::new("reminder_days", "survey-error-reminders"));
        }
        let mut ids: Vec<&str> = Vec::new();
        for (i, q) in self.questions.iter().enumerate() {
            let f = |name: &str| format!("questions.{i}.{name}");
            if !key_ok(&q.id) || ids.contains(&q.id.as_str()) {
                issues.push(Issue::new(f("id"), "survey-error-key").with("value", &q.id));
            }
            check_text(&mut issues, f("text"), &q.text, true, 1000);
            check_text(&mut issues, f("help"), &q.help, false, 1000);
            match &q.kind {
                QuestionKind::SingleChoice { options, .. } => check_choices(&mut issues, f("options"), options, 2),
                QuestionKind::Ranking { options } => check_choices(&mut issues, f("options"), options, 2),
                QuestionKind::MultipleChoice { options, min, max } => {
                    check_choices(&mut issues, f("options"), options, 2);
                    if min > max || *max as usize > options.len() || *max == 0 {
                        issues.push(Issue::new(f("max"), "survey-error-min-max"));
                    }
                }
                QuestionKind::Rating { scale, low, high } => {
                    if ![5, 10].contains(scale) {
                        issues.push(Issue::new(f("scale"), "survey-error-scale"));
                    }
                    check_text(&mut issues, f("low"), low, true, 100);
                    check_text(&mut issues, f("high"), high, true, 100);
                }
                QuestionKind::Recommend => {}
                QuestionKind::Number { min, max, .. } => {
                    if !(min.is_finite() && max.is_finite() && min < max) {
                        issues.push(Issue::new(f("max"), "survey-error-min-max"));
                    }
                }
                QuestionKind::ShortText { max_len } if *max_len == 0 || *max_len > MAX_SHORT_TEXT => {
                    issues.push(Issue::new(f("max_len"), "survey-error-max-len").with("max", MAX_SHORT_TEXT));
                }
                QuestionKind::LongText { max_len } if *max_len == 0 || *max_len > MAX_LONG_TEXT => {
                    issues.push(Issue::new(f("max_len"), "survey-error-max-len").with("max", MAX_LONG_TEXT));
                }
                QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => {}
                QuestionKind::Matrix { rows, scale } => {
                    check_choices(&mut issues, f("rows"), rows, 1);
                    check_choices(&mut issues, f("scale"), scale, 2);
                }
            }
            if let Some(c) = &q.show_if {
                // Conditions look back only: a question cannot depend on a later one (or itself).
                if !ids.contains(&c.question.as_str()) || c.equals.is_empty() {
                    issues.push(Issue::new(f("show_if"), "survey-error-condition").with("value", &c.question));
                }
            }
            ids.push(&q.id);
        }
        issues
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }

    /// Whether a question is shown, given the answers so far.
    pub fn shown(&self, q: &Question, answers: &BTreeMap<String, Answer>) -> bool {
        match &q.show_if {
            None => true,
            Some(c) => answers.get(&c.question).is_some_and(|a| a.matches(&c.equals)),
        }
    }

    /// Checks a whole response. `raw` maps question ids to JSON answers (see [`Answer`] for the shapes); an absent
    /// or `null` answer is "not answered". Returns the typed answers, or every problem tied to its question.
    pub fn check_answers(&self, raw: &serde_json::Map<String, Value>) -> Result<BTreeMap<String, Answer>, Vec<Issue>> {
        let mut issues = Vec::new();
        for id in raw.keys() {
            if self.question(id).is_none() {
                issues.push(Issue::new(id.clone(), "answer-error-unknown-question"));
            }
        }
        let mut answers = BTreeMap::new();
        for q in &self.questions {
            let value = raw.get(&q.id).filter(|v| !v.is_null() && *v != &Value::String(String::new()));
            let shown = self.shown(q, &answers);
            match (value, shown) {
                (Some(_), false) => issues.push(Issue::new(q.id.clone(), "answer-error-hidden")),
                (None, true) if q.required => issues.push(Issue::new(q.id.clone(), "answer-error-required")),
                (None, _) => {}
                (Some(v), true) => match Answer::check(&q.kind, v) {
                    Ok(a) => {
                        answers.insert(q.id.clone(), a);
                    }
                    Err(issue) => issues.push(Issue { field: q.id.clone(), ..issue }),
                },
            }
        }
        if issues.is_empty() { Ok(answers) } else { Err(issues) }
    }
}

/// A checked answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// Single choice: `"value"`.
    Choice(String),
    /// Single choice, "other": `{"other": "text"}`.
    Other(String),
    /// Multiple choice: `["a", "b"]`.
    Choices(Vec<String>),
    /// Rating, recommendation and number questions: a number.
    Number(f64),
    /// Ranking: every option's value, most preferred first.
    Ranking(Vec<String>),
    /// Short and long text.
    Text(String),
    /// Matrix: `{"row": "scale value"}`.
    Matrix(BTreeMap<String, String>),
}

fn bad(key: &'static str) -> Issue {
    Issue::new("", key)
}

impl Answer {
    fn check(kind: &QuestionKind, v: &Value) -> Result<Answer, Issue> {
        let has = |options: &[Choice], s: &str| options.iter().any(|o| o.value == s);
        match kind {
            QuestionKind::SingleChoice { options, other } => match v {
                Value::String(s) if has(options, s) => Ok(Answer::Choice(s.clone())),
                Value::String(s) => Err(bad("answer-error-no-such-option").with("value", s)),
                Value::Object(m) if *other => match m.get("other").and_then(Value::as_str).map(str::trim) {
                    Some(t) if !t.is_empty() && t.chars().count() <= MAX_SHORT_TEXT => Ok(Answer::Other(t.into())),
                    Some(t) if !t.is_empty() => Err(bad("answer-error-too-long").with("max", MAX_SHORT_TEXT)),
                    _ => Err(bad("answer-error-other-empty")),
                },
                _ => Err(bad("answer-error-type-choice")),
            },
            QuestionKind::MultipleChoice { options, min, max } => {
                let list = strings(v).ok_or_else(|| bad("answer-error-type-list"))?;
                if let Some(s) = list.iter().find(|s| !has(options, s)) {
                    return Err(bad("answer-error-no-such-option").with("value", s));
                }
                let mut unique = list.clone();
                unique.sort();
                unique.dedup();
                if unique.len() != list.len() {
                    return Err(bad("answer-error-duplicate"));
                }
                if list.len() < *min as usize || list.len() > *max as usize {
                    return Err(bad("answer-error-count").with("min", min).with("max", max));
                }
                Ok(Answer::Choices(list))
            }
            QuestionKind::Rating { scale, .. } => integer(v, 1, i64::from(*scale)),
            QuestionKind::Recommend => integer(v, 0, 10),
            QuestionKind::Number { min, max, integer: whole } => {
                let n = number(v).ok_or_else(|| bad("answer-error-type-number"))?;
                if *whole && n.fract() != 0.0 {
                    return Err(bad("answer-error-whole-number"));
                }
                if n < *min || n > *max {
                    return Err(bad("answer-error-range").with("min", min).with("max", max));
                }
                Ok(Answer::Number(n))
            }
            QuestionKind::Ranking { options } => {
                let list = strings(v).ok_or_else(|| bad("answer-error-type-list"))?;
                let mut sorted = list.clone();
                sorted.sort();
                let mut all: Vec<String> = options.iter().map(|o| o.value.clone()).collect();
                all.sort();
                if sorted != all {
                    return Err(bad("answer-error-ranking"));
                }
                Ok(Answer::Ranking(list))
            }
            QuestionKind::ShortText { max_len } | QuestionKind::LongText { max_len } => {
                let s = v.as_str().ok_or_else(|| bad("answer-error-type-text"))?.trim();
                if s.chars().count() > *max_len {
                    return Err(bad("answer-error-too-long").with("max", max_len));
                }
                Ok(Answer::Text(s.to_string()))
            }
            QuestionKind::Matrix { rows, scale } => {
                let m = v.as_object().ok_or_else(|| bad("answer-error-type-matrix"))?;
                let mut out = BTreeMap::new();
                for (row, value) in m {
                    let value = value.as_str().ok_or_else(|| bad("answer-error-type-matrix"))?;
                    if !has(rows, row) {
                        return Err(bad("answer-error-no-such-option").with("value", row));
                    }
                    if !has(scale, value) {
                        return Err(bad("answer-error-no-such-option").with("value", value));
                    }
                    out.insert(row.clone(), value.to_string());
                }
                if out.len() != rows.len() {
                    return Err(bad("answer-error-matrix-rows"));
                }
                Ok(Answer::Matrix(out))
            }
        }
    }

    /// Whether the answer is one of `values` (for conditions).
    pub fn matches(&self, values: &[String]) -> bool {
        match self {
            Answer::Choice(v) => values.contains(v),
            Answer::Other(_) => values.iter().any(|v| v == OTHER),
            Answer::Choices(list) => list.iter().any(|v| values.contains(v)),
            Answer::Number(n) => values.iter().any(|v| v.parse::<f64>().is_ok_and(|x| x == *n)),
            Answer::Ranking(list) => list.first().is_some_and(|v| values.contains(v)),
            Answer::Text(t) => !t.is_empty() && values.iter().any(|v| v == ANSWERED),
            Answer::Matrix(_) => false,
        }
    }

    /// The tally keys this answer adds one to: an option's value, `row=scale`, `option@rank`, a number as text,
    /// [`OTHER`] or [`ANSWERED`].
    pub fn tally_keys(&self) -> Vec<String> {
        match self {
            Answer::Choice(v) => vec![v.clone()],
            Answer::Other(_) => vec![OTHER.into()],
            Answer::Choices(list) => list.clone(),
            Answer::Number(n) => vec![format_number(*n)],
            Answer::Ranking(list) => list.iter().enumerate().map(|(i, v)| format!("{v}@{}", i + 1)).collect(),
            Answer::Text(t) if t.is_empty() => vec![],
            Answer::Text(_) => vec![ANSWERED.into()],
            Answer::Matrix(m) => m.iter().map(|(r, s)| format!("{r}={s}")).collect(),
        }
    }

    /// Free text to list for review (text questions and "other").
    pub fn free_text(&self) -> Option<&str> {
        match self {
            Answer::Other(t) | Answer::Text(t) if !t.is_empty() => Some(t),
            _ => None,
        }
    }
}

/// A number as a tally key: integers without a fraction.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 { format!("{}", n as i64) } else { format!("{n}") }
}

fn strings(v: &Value) -> Option<Vec<String>> {
    v.as_array()?.iter().map(|x| x.as_str().map(str::to_string)).collect()
}

fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        // Forms send text.
        Value::String(s) => s.trim().replace(',', ".").parse().ok().filter(|n: &f64| n.is_finite()),
        _ => None,
    }
}

fn integer(v: &Value, min: i64, max: i64) -> Result<Answer, Issue> {
    let n = number(v).ok_or_else(|| bad("answer-error-type-number"))?;
    if n.fract() != 0.0 || n < min as f64 || n > max as f64 {
        return Err(bad("answer-error-range").with("min", min).with("max", max));
    }
    Ok(Answer::Number(n))
}

#[cfg(test)]
#[path = "survey_tests.rs"]
mod tests;
