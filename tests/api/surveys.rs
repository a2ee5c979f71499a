//! Consultations end to end over the API: build a survey with every question type, launch it to a stratified
//! sample (dry run first), invitations through the real SMTP server, answers through the personal links, one
//! response per invitation, reminders only to those who have not answered, the contact-frequency cap.

use std::{collections::BTreeSet, time::Duration};

use chrono::Utc;
use hejnal::{
    config::{Secret, Settings},
    domain::{
        Role,
        panel::{AgeBand, Channel, ConsentMethod, ContactKind, Purpose},
        survey_example,
    },
    storage::NewResident,
    telemetry::Loop,
};
use serde_json::{Value, json};

use crate::{
    alerts::api,
    dual,
    support::{Db, TestApp, smtp::SmtpKeeper, wait},
};

dual!(a_sampled_survey_is_answered_once_per_invitation_and_reminds_the_rest);

/// `n` residents over districts 1–3 and two age bands; every tenth has not consented to surveys.
pub async fn survey_panel(app: &TestApp, n: usize) -> Vec<i64> {
    let mut ids = Vec::new();
    for i in 0..n {
        let consents = if i % 10 == 9 { vec![] } else { vec![(Purpose::Surveys, Channel::Email)] };
        let new = NewResident {
            language: if i % 4 == 1 { "en" } else { "pl" }.into(),
            home_district: (i % 3) as i64 + 1,
            other_districts: vec![],
            age_band: Some(AgeBand::ALL[i % 2]),
            interests: vec![],
            contacts: vec![(ContactKind::Email, format!("s{i}@example.org"))],
            consents: [consents, vec![(Purpose::EmergencyAlerts, Channel::Email)]].concat(),
            method: ConsentMethod::Import,
            notice_version: 1,
            verified: true,
            legal_basis: Some("test fixture".into()),
        };
        ids.push(app.store.create_resident(&new, Utc::now()).await.unwrap().expect("created").id);
    }
    ids
}

/// The personal link's token in an invitation email.
pub fn token_in(text: &str) -> String {
    let at = text.find("/s/").expect("a personal link") + 3;
    text[at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

pub fn full_answers() -> Value {
    json!({"mode": "bike", "bike_lanes": "no", "problems": ["delays"], "satisfaction": 4, "recommend": 9,
        "priorities": ["bikes", "metro", "trams"], "minutes": 25, "idea": "Night trams",
        "stops": {"clean": "ok", "info": "good"}})
}

/// The test's survey day, in seconds (`surveys.day_secs`).
const DAY_SECS: u64 = 6;

async fn a_sampled_survey_is_answered_once_per_invitation_and_reminds_the_rest(db: Db) {
    let smtp = SmtpKeeper::start().await;
    let url = smtp.url();
    let app = TestApp::spawn_with(db, |s: &mut Settings| {
        s.smtp_url = Some(Secret::new(url));
        // A "day" of six seconds: long enough that 20 invitations and 13 answers fit in it on a busy machine
        // (checked below, so a slow run says so instead of finding reminders to people who answered).
        s.surveys.day_secs = DAY_SECS;
    })
    .await;
    let panel = survey_panel(&app, 60).await;
    let (editor, _) = app.add_official("editor@krakow.pl", &[Role::Editor]).await;
    let (approver, _) = app.add_official("approver@krakow.pl", &[Role::Approver]).await;
    let (editor, approver) = (app.token_for(editor).await, app.token_for(approver).await);

    let mut def = serde_json::to_value(survey_example::every_type(
        Utc::now() - chrono::Duration::minutes(1),
        Utc::now() + chrono::Duration::days(1),
    ))
    .unwrap();
    def["reminder_days"] = json!([1]);
    let (status, created) = api(&app, &editor, "POST", "/api/v1/surveys", Some(def.clone())).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();

    // The launch screen's numbers first: 54 consented, a sample of 20 allocated proportionally.
    let launch = format!("/api/v1/surveys/{id}/launch");
    let (status, plan) =
        api(&app, &approver, "POST", &launch, Some(json!({"sample": 20, "seed": 7, "dry_run": true}))).await;
    assert_eq!(status, 200, "{plan}");
    assert_eq!(plan["eligible"], 54);
    assert_eq!(plan["invited"], 20);
    let strata = plan["strata"].as_array().unwrap();
    assert_eq!(strata.len(), 6, "3 districts × 2 age bands");
    assert_eq!(strata.iter().map(|s| s["invited"].as_u64().unwrap()).sum::<u64>(), 20);
    for s in strata {
        let exact = 20.0 * s["eligible"].as_f64().unwrap() / 54.0;
        assert!((s["invited"].as_f64().unwrap() - exact).abs() < 1.0, "proportional: {s}");
    }
    let (status, again) =
        api(&app, &approver, "POST", &launch, Some(json!({"sample": 20, "seed": 7, "dry_run": true}))).await;
    assert_eq!((status, &again["strata"]), (200, &plan["strata"]), "the same seed draws the same sample");
    let (status, too_big) = api(&app, &approver, "POST", &launch, Some(json!({"sample": 1000, "dry_run": true}))).await;
    assert_eq!(status, 422, "{too_big}");
    assert_eq!(too_big["errors"][0]["field"], "sample");

    let launched_at = std::time::Instant::now();
    let (status, launched) = api(&app, &approver, "POST", &launch, Some(json!({"sample": 20, "seed": 7}))).await;
    assert_eq!(status, 201, "{launched}");
    assert_eq!(launched["strata"], plan["strata"]);
    let mails = smtp.wait_for(20, Duration::from_secs(20)).await;
    assert_eq!(mails.len(), 20);
    let tokens: Vec<(String, String)> =
        mails.iter().map(|m| (m.envelope_to[0].clone(), token_in(m.text_body.as_deref().unwrap()))).collect();
    let (status, _) = api(&app, &approver, "POST", &launch, Some(json!({"sample": 20}))).await;
    assert_eq!(status, 409, "launching twice");

    // Answers: a wrong one stores nothing, a right one is recorded once.
    let respond = |t: &str| format!("/api/v1/responses/{t}");
    let mut wrong = full_answers();
    wrong["satisfaction"] = json!(9);
    let (status, problem) = api(&app, &editor, "POST", &respond(&tokens[0].1), Some(json!({"answers": wrong}))).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["errors"][0]["field"], "satisfaction");
    let answered: BTreeSet<String> = tokens.iter().take(12).map(|(to, _)| to.clone()).collect();
    for (_, token) in tokens.iter().take(12) {
        let (status, body) =
            api(&app, &editor, "POST", &respond(token), Some(json!({"answers": full_answers()}))).await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, twice) =
        api(&app, &editor, "POST", &respond(&tokens[0].1), Some(json!({"answers": full_answers()}))).await;
    assert_eq!(status, 409, "a second response: {twice}");
    let (status, _) = api(&app, &editor, "POST", &respond("forged-token"), Some(json!({"answers": {}}))).await;
    assert_eq!(status, 404);
    let stored = app.store.responses(id).await.unwrap();
    assert_eq!(stored.len(), 12);
    assert!(stored.iter().all(|(answers, _, _, day)| !answers.contains("@") && day.len() == 10));

    let answered_within = launched_at.elapsed();
    assert!(
        answered_within < Duration::from_secs(DAY_SECS),
        "the answers took {answered_within:?}, longer than the test's {DAY_SECS}-second day: reminders may have raced them"
    );

    // After one day: one reminder to each of the 8 who did not answer, none to the others — also after the
    // reminder beat (every half day) has run again.
    let all = smtp.wait_for(28, Duration::from_secs(30)).await;
    wait::rounds(&app, Loop::Reminders, 2).await;
    let reminders: Vec<_> = smtp.messages().into_iter().skip(20).collect();
    assert_eq!(all.len(), 28, "20 invitations and 8 reminders");
    assert_eq!(reminders.len(), 8, "exactly one reminder each");
    for r in &reminders {
        assert!(!answered.contains(&r.envelope_to[0]), "{} answered but was reminded", r.envelope_to[0]);
        assert!(
            r.subject.as_deref().unwrap().contains("Przypomnienie")
                || r.subject.as_deref().unwrap().contains("Reminder")
        );
    }

    // What each resident's export shows: the invitations they got and whether they answered; anonymous answers
    // are linked to nobody.
    let (mut invited, mut answered_count) = (0, 0);
    for rid in &panel {
        let mine = app.store.resident_invitations(*rid).await.unwrap();
        invited += mine.iter().filter(|i| i.survey_id == id).count();
        answered_count += mine.iter().filter(|i| i.survey_id == id && i.answered_at.is_some()).count();
        assert!(app.store.resident_responses(*rid).await.unwrap().is_empty());
    }
    assert_eq!((invited, answered_count), (20, 12));

    // The contact cap: a second survey to everyone, then a third skips those invited twice in 30 days.
    let (_, second) = api(&app, &editor, "POST", "/api/v1/surveys", Some(def.clone())).await;
    let second = second["id"].as_i64().unwrap();
    let (status, _) = api(&app, &approver, "POST", &format!("/api/v1/surveys/{second}/launch"), Some(json!({}))).await;
    assert_eq!(status, 201);
    let (_, third) = api(&app, &editor, "POST", "/api/v1/surveys", Some(def)).await;
    let third = third["id"].as_i64().unwrap();
    let (_, plan) =
        api(&app, &approver, "POST", &format!("/api/v1/surveys/{third}/launch"), Some(json!({"dry_run": true}))).await;
    assert_eq!(plan["audience"], 54);
    assert_eq!(plan["skipped_for_contact_limit"], 20, "{plan}");
    assert_eq!(plan["invited"], 34);
    app.stop().await;
}
