//! The shapes of a survey's results (see [`super::results`] for how they are computed). Serialised as the results
//! JSON (`GET /api/v1/surveys/{id}/results`) and rendered on the results pages.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{CellRow, TallyRow};
use crate::domain::{district::District, survey::SurveyDef};

/// Everything [`compute`] needs.
pub struct Input<'a> {
    pub def: &'a SurveyDef,
    /// Labels in this language ([`crate::domain::survey::Text::get`] falls back to Polish).
    pub lang: &'a str,
    pub tallies: &'a [TallyRow],
    /// Respondents per (district, age band).
    pub respondents: &'a [CellRow],
    /// Invitations per (district, age band); empty for public polls.
    pub invited: &'a [CellRow],
    /// Names and population margins.
    pub districts: &'a [District],
    /// Population shares by age band, when configured.
    pub age_margins: Option<&'a BTreeMap<String, f64>>,
    /// Small-cell threshold (default 10).
    pub k: u64,
    /// The word for "Other" (single choice with a free answer) in `lang`.
    pub other_label: &'a str,
    /// The word for "not known" (district 0, no age band) in `lang`.
    pub unknown_label: &'a str,
}

impl Input<'_> {
    /// A district's name for the tables ("unknown" for district 0, the number for one not in the registry).
    pub fn district_label(&self, number: i64) -> String {
        match self.districts.iter().find(|d| d.number == number) {
            Some(d) => d.name.clone(),
            None if number == 0 => self.unknown_label.to_string(),
            None => number.to_string(),
        }
    }
}

#[derive(Serialize, Clone, Debug, utoipa::ToSchema)]
pub struct Results {
    pub respondents: u64,
    pub invited: u64,
    /// Respondents per 100 invited; `None` when nobody was invited (public polls).
    pub response_rate: Option<f64>,
    pub k: u64,
    pub weighting: Weighting,
    /// Response per (district, age band), for officials.
    pub strata: Vec<Stratum>,
    pub questions: Vec<QuestionResult>,
}

#[derive(Serialize, Clone, Debug, PartialEq, utoipa::ToSchema)]
pub struct Weighting {
    /// Always "raking".
    pub method: String,
    /// The margins weighted to: `["district"]` or `["district", "age_band"]`; empty when not weighted.
    pub margins: Vec<String>,
    /// Whether raking ran; when false every weight is 1 and `note` says why.
    pub applied: bool,
    pub converged: bool,
    pub iterations: usize,
    /// Smallest and largest weight of a respondent (weights have mean 1).
    pub weight_min: f64,
    pub weight_max: f64,
    /// Kish's effective sample size over all respondents.
    pub kish_effective_n: f64,
    /// Largest difference between a weighted share and its target (0.001 = 0.1 percentage points).
    pub max_margin_error: f64,
    /// Respondents kept at weight 1 (unknown district, or all when not weighted).
    pub unweighted: u64,
    /// Why weighting was not possible, or what was adjusted to make it possible (analyst-facing English).
    pub note: Option<String>,
}

#[derive(Serialize, Clone, Debug, PartialEq, utoipa::ToSchema)]
pub struct Stratum {
    /// 0 = not known.
    pub district: i64,
    pub district_name: String,
    /// "" = not known.
    pub age_band: String,
    pub invited: u64,
    /// `None` when hidden by small-cell suppression (the UI prints "<k").
    pub answered: Option<u64>,
    pub suppressed: bool,
    /// Respondents per 100 invited; `None` when hidden or nobody was invited.
    pub rate: Option<f64>,
}

#[derive(Serialize, Clone, Debug, PartialEq, utoipa::ToSchema)]
pub struct QuestionResult {
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub text: String,
    /// Respondents who answered; `None` when fewer than `k` (then every number of the question is hidden).
    pub answered: Option<u64>,
    pub suppressed: bool,
    /// Choices, rating 1…scale, recommend 0…10, the numbers given; empty for other types.
    pub options: Vec<OptionResult>,
    /// Rating, recommend and number questions.
    pub mean: Option<f64>,
    pub weighted_mean: Option<f64>,
    /// Recommend questions.
    pub nps: Option<Nps>,
    /// Ranking questions, in the questionnaire's order.
    pub ranking: Vec<RankResult>,
    /// Matrix questions: one distribution per row.
    pub matrix: Vec<MatrixRow>,
    /// Single/multiple choice, rating and recommend: by district, by age band (either may be withheld).
    pub breakdowns: Vec<Breakdown>,
    /// What was withheld because it would reveal a small count: "breakdown:age_band", "breakdown:district",
    /// "mean", "nps", "mean_rank".
    pub withheld: Vec<String>,
    /// Bar chart of the unweighted percentages (first places for rankings); none for text and matrix.
    pub chart_svg: Option<String>,
}

#[derive(Serialize, Clone, Debug, PartialEq, utoipa::ToSchema)]
pub struct OptionResult {
    /// The tally key (`OTHER` for "other", the number for scales).
    pub value: String,
    pub label: String,
    /// `None` when hidden.
    pub count: Option<u64>,
    /// Percent of those who answered the question (of the row, for matrices).
    pub percent: Option<f64>,
    pub weighted_percent: Option<f64>,
    pub suppressed: bool,
}

/// Net Promoter Score: shares in percent, score in percentage points (promoters − detractors).
#[derive(Serialize, Clone, Debug, PartialEq, utoipa::ToSchema)]
pub struct Nps {
    /// 9–10.
    pub promoters: f64,
    /// 7–8.
    pub passives: f64,
    /// 0–6.
    pub detractors: f64,
    pub score: f64,
    pub weighted_score: f64,
}

#[derive(Serialize, Clone, Debug, PartialEq, utoipa::ToSchema)]
pub struct RankResult {
    pub value: String,
    pub label: String,
    /// 1 = always first.
    pub mean_rank: Option<f64>,
    pub weighted_mean_rank: Option<f64>,
    pub first_places: Option<u64>,
    pub first_percent: Option<f64>,
    pub weighted_first_percent: Option<f64>,
    pub suppressed: bool,
}

#[derive(Serialize, Clone, Debug, PartialEq, utoipa::ToSchema)]
pub struct MatrixRow {
    pub value: String,
    pub label: String,
    pub answered: Option<u64>,
    pub options: Vec<OptionResult>,
}

/// A two-way table of counts (groups × the question's options) after small-cell suppression.
#[derive(Serialize, Clone, Debug, PartialEq, utoipa::ToSchema)]
pub struct Breakdown {
    /// "district" or "age_band".
    pub by: String,
    /// The options' values and labels, in column order.
    pub columns: Vec<String>,
    pub column_labels: Vec<String>,
    pub rows: Vec<BreakdownRow>,
    pub column_totals: Vec<Option<u64>>,
    /// For multiple choice the totals count choices, not respondents.
    pub grand_total: Option<u64>,
}

#[derive(Serialize, Clone, Debug, PartialEq, utoipa::ToSchema)]
pub struct BreakdownRow {
    /// District number or age band ("0" / "" = not known).
    pub key: String,
    pub label: String,
    /// `None` = hidden ("<k").
    pub cells: Vec<Option<u64>>,
    pub total: Option<u64>,
}
