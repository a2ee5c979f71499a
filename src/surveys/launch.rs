//! Launching a survey: the audience (consent, filters, the contact-frequency cap), the stratified sample with its
//! recorded seed, the invitations with personal single-use links, and the reminders to those who have not answered.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use hejnal_jobs::{Channel, Content, NewBroadcast, Priority, Recipient};
use serde::{Deserialize, Serialize};

use crate::{
    core::{Core, CoreError, FieldIssue},
    domain::{Official, alert::Issue, lifecycle::SurveyState, panel::AgeBand, secret_token, survey::Text},
    i18n::Lang,
    stats::sampling,
    storage::{AudienceFilter, Member, NewInvitation, SurveyRecord},
};

/// What an approver asks for when launching.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
#[schema(example = json!({"districts": [8, 12, 13], "age_bands": [], "interests": ["transport"], "languages": [],
    "sample": 500, "seed": 20261128, "dry_run": true}))]
pub struct LaunchRequest {
    #[serde(flatten)]
    pub filter: AudienceFilter,
    /// A stratified random sample of this many (proportional over district × age band); none: everyone.
    pub sample: Option<u64>,
    /// The random seed (recorded, so the draw can be reproduced); default: drawn at random.
    pub seed: Option<u64>,
    /// Only show the plan: how many would be invited per stratum.
    #[serde(default)]
    pub dry_run: bool,
}

/// One stratum of the plan.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StratumPlan {
    pub district: i64,
    pub age_band: String,
    /// Eligible residents in the stratum.
    pub eligible: u64,
    pub invited: u64,
}

/// Who will be (or was) invited, and how they were chosen.
#[derive(Clone, Debug, Serialize, Deserialize, utoipa::ToSchema)]
pub struct LaunchPlan {
    #[schema(value_type = Object)]
    pub filter: serde_json::Value,
    /// Consented, reachable residents matching the filter.
    pub audience: u64,
    /// Of those, skipped because they reached their survey-invitation limit for the last 30 days.
    pub skipped_for_contact_limit: u64,
    pub eligible: u64,
    pub sample: Option<u64>,
    pub seed: u64,
    pub invited: u64,
    pub by_channel: BTreeMap<String, u64>,
    pub strata: Vec<StratumPlan>,
}

fn invalid(field: &str, key: &'static str, args: &[(&'static str, String)]) -> CoreError {
    let mut e = FieldIssue::new(field, key);
    for (k, v) in args {
        e.args.insert(k.to_string(), v.clone().into());
    }
    CoreError::Invalid(vec![e])
}

fn check_filter(state: &Core, f: &AudienceFilter, districts: &[i64]) -> Result<(), CoreError> {
    let mut issues = Vec::new();
    if let Some(d) = f.districts.iter().find(|d| !districts.contains(d)) {
        issues.push(Issue::new("districts", "alert-error-district").with("value", d));
    }
    if let Some(a) = f.age_bands.iter().find(|a| AgeBand::parse(a).is_none()) {
        issues.push(Issue::new("age_bands", "survey-error-choice").with("value", a));
    }
    if let Some(i) = f.interests.iter().find(|i| !state.config.panel_interests.contains(i)) {
        issues.push(Issue::new("interests", "survey-error-choice").with("value", i));
    }
    if let Some(l) = f.languages.iter().find(|l| Lang::parse(l).is_none()) {
        issues.push(Issue::new("languages", "survey-error-choice").with("value", l));
    }
    if issues.is_empty() { Ok(()) } else { Err(CoreError::Invalid(issues.iter().map(FieldIssue::from).collect())) }
}

fn stratum(m: &Member) -> String {
    format!("{}|{}", m.district, m.age_band)
}

/// Works out who would be invited; nothing is stored.
#[tracing::instrument(skip_all, fields(survey_id = survey.id), err(level = "info"))]
pub async fn plan(
    state: &Core,
    survey: &SurveyRecord,
    req: &LaunchRequest,
    now: DateTime<Utc>,
) -> Result<(LaunchPlan, Vec<Member>), CoreError> {
    if survey.state != SurveyState::Draft {
        return Err(CoreError::conflict("survey-refused-launched"));
    }
    if survey.def.questions.is_empty() {
        return Err(invalid("questions", "survey-error-empty", &[]));
    }
    if survey.def.closes_at <= now {
        return Err(invalid("closes_at", "survey-error-closed-already", &[]));
    }
    let districts: Vec<i64> = state.store.list_districts().await?.into_iter().map(|d| d.number).collect();
    check_filter(state, &req.filter, &districts)?;
    let audience = state.store.survey_audience(&req.filter, now).await?;
    let total = audience.len() as u64;
    let (eligible, capped): (Vec<Member>, Vec<Member>) = audience.into_iter().partition(|m| !m.capped);
    let seed = req.seed.unwrap_or_else(rand::random);
    let chosen: Vec<Member> = match req.sample {
        None => eligible.clone(),
        Some(n) => {
            let frame: Vec<(u64, String)> = eligible.iter().map(|m| (m.resident_id as u64, stratum(m))).collect();
            let sample = sampling::draw(&frame, n, seed).map_err(|e| match e {
                sampling::SampleError::TooLarge { n, population } => invalid(
                    "sample",
                    "survey-error-sample-too-large",
                    &[("n", n.to_string()), ("audience", population.to_string())],
                ),
                other => invalid("sample", "survey-error-sample", &[("detail", other.to_string())]),
            })?;
            let ids: std::collections::HashSet<u64> = sample.ids.into_iter().collect();
            eligible.iter().filter(|m| ids.contains(&(m.resident_id as u64))).cloned().collect()
        }
    };
    let mut strata: BTreeMap<(i64, String), (u64, u64)> = BTreeMap::new();
    for m in &eligible {
        strata.entry((m.district, m.age_band.clone())).or_default().0 += 1;
    }
    let mut by_channel: BTreeMap<String, u64> = BTreeMap::new();
    for m in &chosen {
        strata.entry((m.district, m.age_band.clone())).or_default().1 += 1;
        *by_channel.entry(m.channel.clone()).or_default() += 1;
    }
    let plan = LaunchPlan {
        filter: serde_json::to_value(&req.filter).unwrap_or_default(),
        audience: total,
        skipped_for_contact_limit: capped.len() as u64,
        eligible: eligible.len() as u64,
        sample: req.sample,
        seed,
        invited: chosen.len() as u64,
        by_channel,
        strata: strata
            .into_iter()
            .map(|((district, age_band), (eligible, invited))| StratumPlan { district, age_band, eligible, invited })
            .collect(),
    };
    if chosen.is_empty() {
        return Err(invalid("sample", "survey-error-nobody", &[]));
    }
    Ok((plan, chosen))
}

/// The personal link's token of one resident for one survey (derived, so reminders can repeat it; stored hashed).
pub fn invitation_token(secret: &str, survey_id: i64, resident_id: i64) -> String {
    secret_token::mac(&format!("survey-invitation:{secret}"), &format!("{survey_id}.{resident_id}"), 18)
}

/// Launches: stores the plan and the invitations and hands the invitations to the delivery engine.
#[tracing::instrument(skip_all, fields(survey_id = survey.id, official_id = official.id), err(level = "info"))]
pub async fn launch(
    state: &Core,
    official: &Official,
    survey: &SurveyRecord,
    req: &LaunchRequest,
) -> Result<LaunchPlan, CoreError> {
    let now = Utc::now();
    let (plan, chosen) = plan(state, survey, req, now).await?;
    let secret = &state.keys.unsubscribe_secret;
    let invitations: Vec<NewInvitation> = chosen
        .iter()
        .map(|m| NewInvitation {
            resident_id: m.resident_id,
            token_hash: secret_token::hash(&invitation_token(secret, survey.id, m.resident_id)),
            district: m.district,
            age_band: m.age_band.clone(),
            channel: m.channel.clone(),
            language: m.language.clone(),
        })
        .collect();
    let plan_json = serde_json::to_value(&plan).map_err(anyhow::Error::from)?;
    if !state.store.launch_survey(survey.id, official.id, &plan_json, &invitations, now).await? {
        return Err(CoreError::conflict("survey-refused-launched"));
    }
    let targets: Vec<(i64, String, String)> =
        chosen.iter().map(|m| (m.resident_id, m.language.clone(), m.channel.clone())).collect();
    send(state, survey, &targets, 0).await?;
    let entry =
        crate::domain::audit::NewAuditEntry::new(Some(official.id), crate::domain::audit::AuditAction::SurveyLaunched)
            .subject(format!("survey:{}", survey.id))
            .detail(serde_json::json!({"invited": plan.invited, "seed": plan.seed, "sample": plan.sample}));
    state.store.append_audit(&entry, now).await?;
    tracing::info!(survey_id = survey.id, invited = plan.invited, "survey launched");
    Ok(plan)
}

/// What a survey message is rendered from (`templates/messages/survey/`).
#[derive(Serialize)]
struct SurveyMessage<'a> {
    lang: &'static str,
    reminder: bool,
    title: &'a str,
    /// The personal link, with the recipient's `{{token}}` filled in by the engine.
    link: &'a str,
    closes: &'a str,
}

/// Every channel × language of a survey's invitation (or, with `reminder`, its reminder).
pub fn contents(
    core: &Core,
    title: &Text,
    closes_at: DateTime<Utc>,
    reminder: bool,
) -> anyhow::Result<Vec<(Channel, String, Content)>> {
    let link = core.config.link("/s/{{token}}");
    let closes = core.config.local_minutes(closes_at);
    let m = &core.messages;
    let mut out = Vec::new();
    for lang in Lang::ALL {
        let data =
            SurveyMessage { lang: lang.code(), reminder, title: title.get(lang.code()), link: &link, closes: &closes };
        let subject = m.text("messages/survey/subject", &data)?;
        let email = m.text("messages/survey/email-text", &data)?;
        let sms = m.text("messages/survey/sms", &data)?;
        let push = m.text("messages/survey/push", &data)?;
        let code = lang.code().to_string();
        out.push((
            Channel::Email,
            code.clone(),
            Content { subject: Some(subject.clone()), text: email, html: None, url: None },
        ));
        out.push((Channel::Sms, code.clone(), Content { subject: None, text: sms, html: None, url: None }));
        out.push((
            Channel::Push,
            code,
            Content { subject: Some(subject), text: push, html: None, url: Some(link.clone()) },
        ));
    }
    Ok(out)
}

/// Sends invitations (`reminder` 0) or reminder number `reminder` to `(resident, language, channel)` targets.
#[tracing::instrument(skip_all, fields(survey_id = survey.id, reminder = reminder, recipients = targets.len()), err)]
async fn send(
    state: &Core,
    survey: &SurveyRecord,
    targets: &[(i64, String, String)],
    reminder: u32,
) -> anyhow::Result<()> {
    let contents = contents(state, &survey.def.title, survey.def.closes_at, reminder > 0)?;
    let secret = &state.keys.unsubscribe_secret;
    let recipients: Vec<Recipient> = targets
        .iter()
        .filter_map(|(resident, language, channel)| {
            let channel: Channel = channel.parse().ok()?;
            let mut vars = crate::delivery::unsubscribe_vars(
                &state.config,
                &state.keys,
                *resident,
                crate::domain::panel::Purpose::Surveys,
                channel,
            );
            vars.insert("token".into(), invitation_token(secret, survey.id, *resident).into());
            Some(Recipient { id: *resident, language: language.clone(), channels: vec![channel], vars: Some(vars) })
        })
        .collect();
    let broadcast = NewBroadcast {
        key: match reminder {
            0 => format!("survey:{}:invitations", survey.id),
            n => format!("survey:{}:reminder:{n}", survey.id),
        },
        kind: if reminder == 0 { "survey_invitation".into() } else { "survey_reminder".into() },
        purpose: crate::domain::panel::Purpose::Surveys.as_str().into(),
        priority: Priority::Survey,
        expires_at: survey.def.closes_at,
        topic: None,
        contents,
        fallback_language: "pl".into(),
        quiet_hours_exempt: false,
    };
    hejnal_jobs::submit(&state.store.queue_db(), &broadcast, recipients, state.config.delivery.batch_size).await?;
    Ok(())
}

/// Reminds those who have not answered, `reminder_days` after their invitation (a "day" lasts
/// `surveys.day_secs`), while the survey is open. Safe to repeat: the engine's key is per survey and reminder.
#[tracing::instrument(skip_all, err)]
pub async fn send_reminders(state: &Core, now: DateTime<Utc>) -> anyhow::Result<()> {
    let day = chrono::Duration::seconds(state.config.surveys.day_secs as i64);
    for survey in state.store.launched_surveys().await? {
        if survey.def.closes_at <= now || survey.def.opens_at > now {
            continue;
        }
        for (i, days) in survey.def.reminder_days.iter().enumerate() {
            let due = state.store.due_for_reminder(survey.id, i as i64, now - day * (*days as i32)).await?;
            if due.is_empty() {
                continue;
            }
            let targets: Vec<(i64, String, String)> = due
                .iter()
                .filter_map(|inv| Some((inv.resident_id?, inv.language.clone(), inv.channel.clone())))
                .collect();
            send(state, &survey, &targets, i as u32 + 1).await?;
            let ids: Vec<i64> = due.iter().map(|inv| inv.id).collect();
            state.store.mark_reminded(&ids, i as i64 + 1).await?;
            tracing::info!(survey_id = survey.id, reminder = i + 1, residents = ids.len(), "survey reminders sent");
        }
    }
    Ok(())
}
