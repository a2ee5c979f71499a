//! Consultations: surveys from launch to published results.
//!
//! - [`results`] turns tallies (counts per question, answer key and respondent cell) into results: counts,
//!   percentages, means, breakdowns with small-cell suppression, raking weights, response rates, SVG charts;
//! - [`open_data`] writes the published, suppressed aggregates as CSV and JSON;
//! - [`publication`] publishes results, approves free text and exports responses: [`RESULT_PUBLISHERS`] only.

pub mod answer;
mod disclosure;
pub mod launch;
pub mod open_data;
pub mod publication;
pub mod results;
mod results_types;
mod weighting;
pub mod wording;

pub use self::publication::RESULT_PUBLISHERS;

/// The tallies' rows are the storage's (both sides read them; the storage cannot import the use cases).
pub use crate::storage::{CellRow, TallyRow};

/// Whether two questionnaires differ only in wording (what a launched survey may still change).
pub fn same_structure(a: &crate::domain::survey::SurveyDef, b: &crate::domain::survey::SurveyDef) -> bool {
    const WORDING: [&str; 8] = ["title", "intro", "identified_reason", "text", "help", "label", "low", "high"];
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, child) in map.iter_mut() {
                    if WORDING.contains(&k.as_str()) {
                        *child = serde_json::Value::Null;
                    } else {
                        strip(child);
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let (mut x, mut y) = (serde_json::to_value(a).unwrap_or_default(), serde_json::to_value(b).unwrap_or_default());
    strip(&mut x);
    strip(&mut y);
    x == y
}

/// A survey's results in `lang`, from its tallies; computed again only when a response arrived or the questionnaire
/// changed since the last time (a warm request reads one number).
#[tracing::instrument(skip_all, fields(survey_id = survey.id, lang = %lang), err)]
pub async fn results_of(
    state: &crate::core::Core,
    survey: &crate::storage::SurveyRecord,
    lang: crate::i18n::Lang,
) -> anyhow::Result<results::Results> {
    let fingerprint = {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        serde_json::to_string(&survey.def)?.hash(&mut h);
        format!("{}:{}", state.store.respondent_total(survey.id).await?, h.finish())
    };
    if let Some(r) = state.results_cache.get::<results::Results>(survey.id, lang, &fingerprint) {
        return Ok(results::Results::clone(&r));
    }
    let r = compute_results(state, survey, lang).await?;
    state.results_cache.put(survey.id, lang, fingerprint, std::sync::Arc::new(r.clone()));
    Ok(r)
}

async fn compute_results(
    state: &crate::core::Core,
    survey: &crate::storage::SurveyRecord,
    lang: crate::i18n::Lang,
) -> anyhow::Result<results::Results> {
    let (tallies, respondents) =
        (state.store.tallies(survey.id).await?, state.store.respondent_cells(survey.id).await?);
    // Invitations do not change after launch: the launch plan has them per stratum.
    let invited = match planned_invitations(survey) {
        Some(cells) => cells,
        None => state.store.invited_cells(survey.id).await?,
    };
    let districts = state.store.list_districts().await?;
    let margins = &state.config.surveys.age_margins;
    let (other, unknown) = (crate::i18n::t(lang, "answer-other"), crate::i18n::t(lang, "results-unknown"));
    Ok(results::compute(&results::Input {
        def: &survey.def,
        lang: lang.code(),
        tallies: &tallies,
        respondents: &respondents,
        invited: &invited,
        districts: &districts,
        age_margins: (!margins.is_empty()).then_some(margins),
        k: state.config.surveys.k,
        other_label: &other,
        unknown_label: &unknown,
    }))
}

/// The open-data description of a published survey.
pub fn open_data_meta(
    state: &crate::core::Core,
    survey: &crate::storage::SurveyRecord,
    r: &results::Results,
) -> open_data::Meta {
    let launch = survey.launch.clone().unwrap_or_default();
    let sampling = match launch.get("sample").and_then(|s| s.as_u64()) {
        Some(n) => format!(
            "stratified random sample of {n} (proportional allocation over district × age band), seed {}",
            launch.get("seed").and_then(|s| s.as_u64()).unwrap_or_default()
        ),
        None => "every panel member who consented to surveys and matched the audience".to_string(),
    };
    let weighting = if r.weighting.applied {
        format!("raking (iterative proportional fitting) to {} population margins", r.weighting.margins.join(" and "))
    } else {
        "none".to_string()
    };
    open_data::Meta {
        id: survey.id.to_string(),
        title: survey.def.title.get("pl").to_string(),
        opens_at: survey.def.opens_at,
        closes_at: survey.def.closes_at,
        published_questions: survey.publication.questions.clone(),
        method: "online survey of hejnał's opt-in resident panel; invitations by email, web push or SMS".into(),
        invited: r.invited,
        answered: r.respondents,
        sampling,
        weighting,
        licence: open_data::LICENCE.into(),
        url: state.config.link(&format!("/consultations/{}", survey.id)),
    }
}

/// Invitations per (district, age band) as the launch plan recorded them.
fn planned_invitations(survey: &crate::storage::SurveyRecord) -> Option<Vec<CellRow>> {
    let plan: launch::LaunchPlan = serde_json::from_value(survey.launch.clone()?).ok()?;
    Some(
        plan.strata
            .into_iter()
            .filter(|s| s.invited > 0)
            .map(|s| CellRow { district: s.district, age_band: s.age_band, n: s.invited as i64 })
            .collect(),
    )
}
