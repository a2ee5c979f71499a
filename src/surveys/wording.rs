//! Wording fixes of a launched survey: its questions cannot change, but a typo in any text may be corrected, with
//! the reason, the text before and after, and the official recorded (`survey_revisions` and the audit log).

use chrono::Utc;
use serde::Serialize;

use crate::{
    core::{Core, CoreError, FieldIssue},
    domain::{
        Official,
        audit::{AuditAction, NewAuditEntry},
        survey::{QuestionKind, SurveyDef, Text},
    },
    storage::SurveyRecord,
};

/// What a text is, for the form's label: a catalogue key and the question and answer it belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Label {
    pub key: &'static str,
    pub question: String,
    pub value: String,
}

fn label(key: &'static str, question: &str, value: &str) -> Label {
    Label { key, question: question.into(), value: value.into() }
}

/// Every text of a questionnaire, in a fixed order (the same for any questionnaire of the same structure).
pub fn texts_mut(def: &mut SurveyDef) -> Vec<(Label, &mut Text)> {
    let mut out =
        vec![(label("wording-title", "", ""), &mut def.title), (label("wording-intro", "", ""), &mut def.intro)];
    if !def.anonymous {
        out.push((label("wording-reason", "", ""), &mut def.identified_reason));
    }
    for q in &mut def.questions {
        let id = q.id.clone();
        out.push((label("wording-question", &id, ""), &mut q.text));
        out.push((label("wording-help", &id, ""), &mut q.help));
        match &mut q.kind {
            QuestionKind::SingleChoice { options, .. }
            | QuestionKind::MultipleChoice { options, .. }
            | QuestionKind::Ranking { options } => {
                out.extend(options.iter_mut().map(|c| (label("wording-option", &id, &c.value), &mut c.label)));
            }
            QuestionKind::Rating { low, high, .. } => {
                out.push((label("wording-low", &id, ""), low));
                out.push((label("wording-high", &id, ""), high));
            }
            QuestionKind::Matrix { rows, scale } => {
                out.extend(rows.iter_mut().map(|c| (label("wording-row", &id, &c.value), &mut c.label)));
                out.extend(scale.iter_mut().map(|c| (label("wording-scale", &id, &c.value), &mut c.label)));
            }
            QuestionKind::Recommend
            | QuestionKind::Number { .. }
            | QuestionKind::ShortText { .. }
            | QuestionKind::LongText { .. } => {}
        }
    }
    out
}

/// Stores a launched survey's corrected wording: refused (409) when anything but wording changed, 422 when the
/// questionnaire is then invalid or no reason is given. Nothing is stored then.
#[tracing::instrument(skip_all, fields(survey_id = s.id, official_id = official.id), err(level = "info"))]
pub async fn revise_launched(
    state: &Core,
    official: &Official,
    s: &SurveyRecord,
    corrected: &SurveyDef,
    note: &str,
) -> Result<(), CoreError> {
    if !super::same_structure(&s.def, corrected) {
        return Err(CoreError::conflict("survey-refused-structure"));
    }
    let mut errors: Vec<FieldIssue> = corrected.validate().iter().map(FieldIssue::from).collect();
    if note.trim().is_empty() {
        errors.push(FieldIssue::new("note", "survey-error-note"));
    }
    if !errors.is_empty() {
        return Err(CoreError::Invalid(errors));
    }
    state.store.revise_survey(s.id, official.id, note.trim(), &s.def, corrected, Utc::now()).await?;
    let entry = NewAuditEntry::new(Some(official.id), AuditAction::SurveyRevised)
        .subject(format!("survey:{}", s.id))
        .detail(serde_json::json!({"note": note.trim()}));
    state.store.append_audit(&entry, Utc::now()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::survey_example;

    #[test]
    fn every_text_of_every_question_type_is_offered_once() {
        let mut def = survey_example::every_type(Utc::now(), Utc::now() + chrono::Duration::days(1));
        let questions = def.questions.len();
        let texts = texts_mut(&mut def);
        assert_eq!(texts.iter().filter(|(l, _)| l.key == "wording-question").count(), questions);
        for key in ["wording-title", "wording-intro", "wording-option", "wording-low", "wording-high", "wording-row"] {
            assert!(texts.iter().any(|(l, _)| l.key == key), "{key}");
        }
        // Correcting one through the list changes the questionnaire's wording only.
        let before = survey_example::every_type(def.opens_at, def.closes_at);
        let mut after = before.clone();
        *texts_mut(&mut after)[0].1 = Text::pl("Poprawiony tytuł");
        assert_eq!(after.title.get("pl"), "Poprawiony tytuł");
        assert!(crate::surveys::same_structure(&before, &after));
        assert_ne!(before, after);
    }
}
