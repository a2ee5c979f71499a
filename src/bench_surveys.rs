//! `hejnal bench survey-setup | survey-tallies | sample`: the consultation benchmarks' own set-up and reports
//! (see the README's performance section). They work on synthetic residents from `hejnal panel synth` only.

use std::{collections::HashMap, io::Write, path::Path, time::Instant};

use anyhow::Context;
use chrono::Utc;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

use crate::{
    config::Config,
    domain::{
        Role,
        survey::{QuestionKind, SurveyDef},
        survey_example,
    },
    storage::{AudienceFilter, DynStorage, NewInvitation},
    surveys::{CellRow, TallyRow, launch::invitation_token},
};

/// A launched survey with `invitations` sampled invitees; writes one personal token per line to `tokens_out`.
pub async fn setup(config: &Config, store: &DynStorage, invitations: u64, tokens_out: &Path) -> anyhow::Result<Value> {
    let keys = crate::delivery::keys(store).await?;
    let official = match store
        .official_credentials(
            &crate::domain::Email::parse("bench@hejnal.example.org").map_err(|_| anyhow::anyhow!("bad email"))?,
        )
        .await?
    {
        Some((o, _)) => o.id,
        None => {
            let roles: Vec<String> =
                [Role::Editor, Role::Approver, Role::Analyst].iter().map(|r| r.as_str().to_string()).collect();
            let password = crate::domain::secret_token::generate("");
            let input = crate::officials::OfficialInput {
                email: "bench@hejnal.example.org",
                name: "Benchmark",
                password: &password[..24],
                roles: &roles,
            };
            crate::officials::create(store, None, &input, "role", crate::officials::Via::Cli)
                .await
                .map_err(|e| anyhow::anyhow!("creating the benchmark official failed: {e}"))?
        }
    };
    // The ten-question survey with every question type.
    let def =
        survey_example::every_type(Utc::now() - chrono::Duration::minutes(1), Utc::now() + chrono::Duration::days(30));
    let id = store.create_survey(&def, official, Utc::now()).await?;
    let started = Instant::now();
    let members = store.survey_audience(&AudienceFilter::default(), Utc::now()).await?;
    let frame: Vec<(u64, String)> =
        members.iter().map(|m| (m.resident_id as u64, format!("{}|{}", m.district, m.age_band))).collect();
    let sample = crate::stats::sampling::draw(&frame, invitations, 1).context("drawing the sample")?;
    let chosen: std::collections::HashSet<u64> = sample.ids.iter().copied().collect();
    let invites: Vec<NewInvitation> = members
        .iter()
        .filter(|m| chosen.contains(&(m.resident_id as u64)))
        .map(|m| NewInvitation {
            resident_id: m.resident_id,
            token_hash: crate::domain::secret_token::hash(&invitation_token(
                &keys.unsubscribe_secret,
                id,
                m.resident_id,
            )),
            district: m.district,
            age_band: m.age_band.clone(),
            channel: m.channel.clone(),
            language: m.language.clone(),
        })
        .collect();
    // The same plan shape as a real launch (results read invitations per stratum from it).
    let strata: Vec<Value> = sample
        .allocation
        .iter()
        .map(|(key, (eligible, drawn))| {
            let (district, band) = key.split_once('|').unwrap_or((key, ""));
            json!({"district": district.parse::<i64>().unwrap_or(0), "age_band": band, "eligible": eligible,
                "invited": drawn})
        })
        .collect();
    let plan = json!({"filter": {}, "audience": members.len(), "skipped_for_contact_limit": 0,
        "eligible": members.len(), "sample": invitations, "seed": 1, "invited": invites.len(), "by_channel": {},
        "strata": strata});
    store.launch_survey(id, official, &plan, &invites, Utc::now()).await?;
    let mut out = std::io::BufWriter::new(std::fs::File::create(tokens_out)?);
    for inv in &invites {
        writeln!(out, "{}", invitation_token(&keys.unsubscribe_secret, id, inv.resident_id))?;
    }
    out.flush()?;
    let (token, _) = crate::officials::issue_token_from_command_line(store, official, "bench", Some(1)).await?;
    let _ = config;
    Ok(json!({"survey": id, "invitations": invites.len(), "seconds": started.elapsed().as_secs_f64(),
        "tokens": tokens_out.display().to_string(), "bearer": token}))
}

/// Adds the tallies of `responses` synthetic, valid responses (drawn with `seed`) to a survey, aggregated in
/// memory first: what `responses` answers through the API would have left in the tally tables.
pub async fn tallies(store: &DynStorage, survey: i64, responses: u64, seed: u64) -> anyhow::Result<Value> {
    let s = store.survey(survey).await?.context("no such survey")?;
    let districts: Vec<i64> = store.list_districts().await?.into_iter().map(|d| d.number).collect();
    let bands = crate::domain::panel::AgeBand::ALL;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
    let started = Instant::now();
    let mut tallies: HashMap<(String, String, i64, String), i64> = HashMap::new();
    let mut cells: HashMap<(i64, String), i64> = HashMap::new();
    for _ in 0..responses {
        let district = districts[rng.random_range(0..districts.len())];
        let band = bands[rng.random_range(0..bands.len())].as_str().to_string();
        *cells.entry((district, band.clone())).or_default() += 1;
        let raw = random_answers(&s.def, &mut rng);
        let answers = s.def.check_answers(&raw).map_err(|e| anyhow::anyhow!("synthetic answer refused: {e:?}"))?;
        for (q, a) in &answers {
            let keys = a.tally_keys();
            if keys.is_empty() {
                continue;
            }
            *tallies.entry((q.clone(), "_n".into(), district, band.clone())).or_default() += 1;
            for k in keys {
                *tallies.entry((q.clone(), k, district, band.clone())).or_default() += 1;
            }
        }
    }
    let generated = started.elapsed().as_secs_f64();
    let tallies: Vec<TallyRow> = tallies
        .into_iter()
        .map(|((question, key, district, age_band), n)| TallyRow { question, key, district, age_band, n })
        .collect();
    let cells: Vec<CellRow> =
        cells.into_iter().map(|((district, age_band), n)| CellRow { district, age_band, n }).collect();
    store.add_tallies(survey, &tallies, &cells).await?;
    Ok(json!({"survey": survey, "responses": responses, "tally_rows": tallies.len(), "cells": cells.len(),
        "generated_seconds": generated, "seconds": started.elapsed().as_secs_f64()}))
}

/// A valid answer to every question (conditions respected).
pub fn random_answers(def: &SurveyDef, rng: &mut impl Rng) -> serde_json::Map<String, Value> {
    let mut out = serde_json::Map::new();
    for q in &def.questions {
        if let Some(c) = &q.show_if {
            let shown = out.get(&c.question).and_then(Value::as_str).is_some_and(|v| c.equals.iter().any(|e| e == v));
            if !shown {
                continue;
            }
        }
        let pick = |options: &[crate::domain::survey::Choice], rng: &mut dyn rand::RngCore| {
            options[(rng.next_u32() as usize) % options.len()].value.clone()
        };
        let v = match &q.kind {
            QuestionKind::SingleChoice { options, .. } => json!(pick(options, rng)),
            QuestionKind::MultipleChoice { options, min, .. } => {
                json!(options.iter().take((*min).max(1) as usize).map(|o| o.value.clone()).collect::<Vec<_>>())
            }
            QuestionKind::Rating { scale, .. } => json!(rng.random_range(1..=i64::from(*scale))),
            QuestionKind::Recommend => json!(rng.random_range(0..=10)),
            QuestionKind::Ranking { options } => {
                let mut v: Vec<String> = options.iter().map(|o| o.value.clone()).collect();
                let by = rng.random_range(0..v.len());
                v.rotate_left(by);
                json!(v)
            }
            QuestionKind::Number { min, max, .. } => json!(rng.random_range(*min as i64..=*max as i64)),
            QuestionKind::ShortText { .. } | QuestionKind::LongText { .. } => continue,
            QuestionKind::Matrix { rows, scale } => {
                json!(
                    rows.iter().map(|r| (r.value.clone(), json!(pick(scale, rng)))).collect::<serde_json::Map<_, _>>()
                )
            }
        };
        out.insert(q.id.clone(), v);
    }
    out
}

/// Draws a stratified sample of `n` from everyone who consented to surveys, timing the audience query and the draw.
pub async fn sample(store: &DynStorage, n: u64, seed: u64) -> anyhow::Result<Value> {
    let started = Instant::now();
    let members = store.survey_audience(&AudienceFilter::default(), Utc::now()).await?;
    let queried = started.elapsed().as_secs_f64();
    let frame: Vec<(u64, String)> =
        members.iter().map(|m| (m.resident_id as u64, format!("{}|{}", m.district, m.age_band))).collect();
    let drawn = Instant::now();
    let sample = crate::stats::sampling::draw(&frame, n, seed)?;
    Ok(json!({"audience": members.len(), "sample": sample.ids.len(), "strata": sample.allocation.len(),
        "query_seconds": queried, "draw_seconds": drawn.elapsed().as_secs_f64(),
        "total_seconds": started.elapsed().as_secs_f64()}))
}
