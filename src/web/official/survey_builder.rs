//! The builder's forms: a new survey's settings and one question at a time, turned into the questionnaire model.
//! Options are written one per line as `value | Polski | English | Українська` (the English and Ukrainian labels
//! optional).

use std::collections::BTreeMap;

use chrono::Utc;
use serde::{Deserialize, Serialize};

use crate::domain::survey::{Choice, Condition, Question, QuestionKind, SurveyDef, Text};

fn text(pl: &str, en: &str, uk: &str) -> Text {
    let mut m = BTreeMap::new();
    for (lang, t) in [("pl", pl), ("en", en), ("uk", uk)] {
        if !t.trim().is_empty() {
            m.insert(lang.to_string(), t.trim().to_string());
        }
    }
    Text(m)
}

/// `value | pl | en | uk` lines.
pub fn parse_choices(lines: &str) -> Vec<Choice> {
    lines
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let parts: Vec<&str> = l.split('|').map(str::trim).collect();
            let get = |i: usize| parts.get(i).copied().unwrap_or("");
            // A line with only a label gets a key made from its position (checked like any other key).
            let (value, pl) = if parts.len() == 1 { ("", get(0)) } else { (get(0), get(1)) };
            Choice { value: value.to_string(), label: text(pl, get(2), get(3)) }
        })
        .enumerate()
        .map(|(i, mut c)| {
            if c.value.is_empty() {
                c.value = format!("o{}", i + 1);
            }
            c
        })
        .collect()
}

fn local(value: &str, tz: chrono_tz::Tz) -> Option<chrono::DateTime<Utc>> {
    crate::config::parse_local(value, tz).map(|t| t.with_timezone(&Utc))
}

/// A new survey's settings.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct SettingsForm {
    pub title_pl: String,
    pub title_en: String,
    pub title_uk: String,
    pub intro_pl: String,
    pub intro_en: String,
    pub intro_uk: String,
    pub opens: String,
    pub closes: String,
    pub identified: Option<String>,
    pub reason_pl: String,
    pub reason_en: String,
    pub reason_uk: String,
    pub reminder_days: String,
}

impl SettingsForm {
    /// The questionnaire (without questions); unreadable dates and numbers are named.
    pub fn to_def(&self, tz: chrono_tz::Tz) -> Result<SurveyDef, Vec<(&'static str, &'static str)>> {
        let mut errors = Vec::new();
        let opens = local(&self.opens, tz).unwrap_or_else(|| {
            errors.push(("opens", "survey-error-datetime"));
            Utc::now()
        });
        let closes = local(&self.closes, tz).unwrap_or_else(|| {
            errors.push(("closes", "survey-error-datetime"));
            Utc::now()
        });
        let reminder_days: Vec<u32> = self
            .reminder_days
            .split([',', ' '])
            .filter(|s| !s.trim().is_empty())
            .filter_map(|s| s.trim().parse().map_err(|_| errors.push(("reminder_days", "survey-error-reminders"))).ok())
            .collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(SurveyDef {
            title: text(&self.title_pl, &self.title_en, &self.title_uk),
            intro: text(&self.intro_pl, &self.intro_en, &self.intro_uk),
            questions: Vec::new(),
            opens_at: opens,
            closes_at: closes,
            anonymous: self.identified.is_none(),
            identified_reason: text(&self.reason_pl, &self.reason_en, &self.reason_uk),
            reminder_days,
        })
    }
}

/// One question.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct QuestionForm {
    pub id: String,
    pub kind: String,
    pub text_pl: String,
    pub text_en: String,
    pub text_uk: String,
    pub help_pl: String,
    pub required: Option<String>,
    pub options: String,
    pub other: Option<String>,
    pub min: String,
    pub max: String,
    pub scale: String,
    pub low_pl: String,
    pub high_pl: String,
    pub max_len: String,
    pub rows: String,
    pub show_if_question: String,
    pub show_if_values: String,
}

impl QuestionForm {
    pub fn to_question(&self) -> Result<Question, Vec<(&'static str, &'static str)>> {
        let mut errors = Vec::new();
        let mut num = |field: &'static str, value: &str, default: f64| -> f64 {
            if value.trim().is_empty() {
                return default;
            }
            value.trim().replace(',', ".").parse().unwrap_or_else(|_| {
                errors.push((field, "survey-error-number"));
                default
            })
        };
        let (min, max) = (num("min", &self.min, 0.0), num("max", &self.max, 0.0));
        let max_len = num("max_len", &self.max_len, 0.0) as usize;
        let scale = num("scale", &self.scale, 5.0) as u8;
        let kind = match self.kind.as_str() {
            "single_choice" => {
                QuestionKind::SingleChoice { options: parse_choices(&self.options), other: self.other.is_some() }
            }
            "multiple_choice" => {
                let options = parse_choices(&self.options);
                let max = if self.max.trim().is_empty() { options.len() as u32 } else { max as u32 };
                QuestionKind::MultipleChoice { options, min: min as u32, max }
            }
            "rating" => QuestionKind::Rating { scale, low: Text::pl(&self.low_pl), high: Text::pl(&self.high_pl) },
            "recommend" => QuestionKind::Recommend,
            "ranking" => QuestionKind::Ranking { options: parse_choices(&self.options) },
            "number" => QuestionKind::Number { min, max, integer: true },
            "short_text" => QuestionKind::ShortText { max_len: if max_len == 0 { 200 } else { max_len } },
            "long_text" => QuestionKind::LongText { max_len: if max_len == 0 { 2000 } else { max_len } },
            "matrix" => QuestionKind::Matrix { rows: parse_choices(&self.rows), scale: parse_choices(&self.options) },
            _ => {
                errors.push(("kind", "survey-error-kind"));
                QuestionKind::Recommend
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let show_if = (!self.show_if_question.trim().is_empty()).then(|| Condition {
            question: self.show_if_question.trim().to_string(),
            equals: self.show_if_values.split([',', ' ']).filter(|s| !s.is_empty()).map(str::to_string).collect(),
        });
        Ok(Question {
            id: self.id.trim().to_string(),
            text: text(&self.text_pl, &self.text_en, &self.text_uk),
            help: text(&self.help_pl, "", ""),
            required: self.required.is_some(),
            kind,
            show_if,
        })
    }
}

pub const KINDS: [&str; 9] = [
    "single_choice",
    "multiple_choice",
    "rating",
    "recommend",
    "ranking",
    "number",
    "short_text",
    "long_text",
    "matrix",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_are_one_per_line_with_optional_translations() {
        let c = parse_choices("tram | Tramwaj | Tram\n\nbus|Autobus\nRower");
        assert_eq!(c.len(), 3);
        assert_eq!((c[0].value.as_str(), c[0].label.get("en")), ("tram", "Tram"));
        assert_eq!((c[1].value.as_str(), c[1].label.get("en")), ("bus", "Autobus"));
        assert_eq!((c[2].value.as_str(), c[2].label.get("pl")), ("o3", "Rower"));
    }

    #[test]
    fn a_question_form_becomes_a_question() {
        let f = QuestionForm {
            id: "q1".into(),
            kind: "multiple_choice".into(),
            text_pl: "Co?".into(),
            options: "a|A\nb|B\nc|C".into(),
            min: "1".into(),
            max: "2".into(),
            required: Some("on".into()),
            ..Default::default()
        };
        let q = f.to_question().unwrap();
        assert!(q.required);
        assert!(matches!(q.kind, QuestionKind::MultipleChoice { min: 1, max: 2, .. }));
        let bad = QuestionForm { min: "x".into(), ..f };
        assert_eq!(bad.to_question().unwrap_err(), vec![("min", "survey-error-number")]);
    }
}
