//! Service announcements (residents' interests, scheduling, one-click unsubscribe) and exercises (the test group
//! only, labelled in every channel).

use std::time::Duration;

use chrono::Utc;
use hejnal::{
    config::{Secret, Settings},
    domain::{
        Role,
        panel::{Channel, ConsentMethod, ContactKind, Purpose},
    },
    storage::{NewResident, ProfileUpdate},
    telemetry::Loop,
};
use serde_json::json;

use crate::{
    alerts::{api, wait_done},
    dual,
    support::{Db, TestApp, smtp::SmtpKeeper, wait},
};

dual!(service_announcements_follow_interests_and_wait_for_their_time, exercises_reach_only_the_test_group_and_say_so);

pub async fn resident(
    app: &TestApp,
    email: &str,
    district: i64,
    interests: &[&str],
    consents: &[(Purpose, Channel)],
) -> i64 {
    let new = NewResident {
        language: "pl".into(),
        home_district: district,
        other_districts: vec![],
        age_band: None,
        interests: interests.iter().map(|s| s.to_string()).collect(),
        contacts: vec![(ContactKind::Email, email.into())],
        consents: consents.to_vec(),
        method: ConsentMethod::Import,
        notice_version: 1,
        verified: true,
        legal_basis: Some("test fixture".into()),
    };
    app.store.create_resident(&new, Utc::now()).await.unwrap().expect("created").id
}

async fn service_announcements_follow_interests_and_wait_for_their_time(db: Db) {
    let smtp = SmtpKeeper::start().await;
    let url = smtp.url();
    let app = TestApp::spawn_with(db, |s: &mut Settings| s.smtp_url = Some(Secret::new(url))).await;
    let service = [(Purpose::ServiceAnnouncements, Channel::Email)];
    resident(&app, "follows@example.org", 1, &["water_utilities"], &service).await;
    resident(&app, "other-topic@example.org", 1, &["culture_events"], &service).await;
    resident(
        &app,
        "emergency-only@example.org",
        1,
        &["water_utilities"],
        &[(Purpose::EmergencyAlerts, Channel::Email)],
    )
    .await;
    resident(&app, "elsewhere@example.org", 2, &["water_utilities"], &service).await;
    let (official, _) = app.add_official("editor@krakow.pl", &[Role::Editor, Role::Approver]).await;
    let token = app.token_for(official).await;

    // Far enough ahead that the dispatch loop's rounds below end before it, even on a busy machine.
    let at = Utc::now() + chrono::Duration::seconds(6);
    let body = json!({
        "kind": "service", "topic": "water_utilities", "scheduled": at.to_rfc3339(),
        "info": {"pl": {"headline": "Przerwa w dostawie wody", "instruction": "Zrób zapas wody."}},
        "area": {"description": "Stare Miasto", "districts": [1]}
    });
    let (status, drafted) = api(&app, &token, "POST", "/api/v1/alerts", Some(body)).await;
    assert_eq!(status, 201, "{drafted}");
    assert_eq!(drafted["recipients"], json!({"email": 1, "sms": 0, "push": 0}));
    let id = drafted["id"].as_i64().unwrap();
    // An announcement may be approved by its author (the two-person rule is for emergencies).
    let (status, approved) = api(&app, &token, "POST", &format!("/api/v1/alerts/{id}/approve"), None).await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["state"], "scheduled");
    // Two rounds of the dispatch loop since the approval: one of them looked at the alert and left it.
    wait::rounds(&app, Loop::Dispatch, 2).await;
    let (_, alert) = api(&app, &token, "GET", &format!("/api/v1/alerts/{id}"), None).await;
    assert!(Utc::now() < at, "the check ran after the scheduled time: inconclusive");
    assert_eq!(alert["state"], "scheduled", "not handed over before the scheduled time: {alert}");
    assert!(smtp.messages().is_empty(), "nothing before the scheduled time");

    wait_done(&app, &token, id).await;
    let mail = smtp.wait_for(1, Duration::from_secs(10)).await;
    assert_eq!(mail.len(), 1);
    assert_eq!(mail[0].envelope_to, vec!["follows@example.org".to_string()]);
    assert_eq!(mail[0].subject.as_deref(), Some("Przerwa w dostawie wody"));
    assert!(mail[0].header("List-Unsubscribe").is_some_and(|h| h.contains("/u/")), "one-click unsubscribe");
    let (_, shown) = api(&app, &token, "GET", &format!("/api/v1/alerts/{id}"), None).await;
    assert_eq!(shown["state"], "sending");
    // Times are kept to the whole second (as CAP carries them).
    let at = chrono::SubsecRound::trunc_subsecs(at, 0);
    assert!(chrono::DateTime::parse_from_rfc3339(shown["sent_at"].as_str().unwrap()).unwrap() >= at);
    app.stop().await;
}

async fn exercises_reach_only_the_test_group_and_say_so(db: Db) {
    let smtp = SmtpKeeper::start().await;
    let url = smtp.url();
    let app = TestApp::spawn_with(db, |s: &mut Settings| {
        s.smtp_url = Some(Secret::new(url));
        s.alerts.single_person_drills = true;
    })
    .await;
    let consent = [(Purpose::EmergencyAlerts, Channel::Email)];
    let tester = resident(&app, "tester@example.org", 2, &[], &consent).await;
    resident(&app, "not-a-tester@example.org", 2, &[], &consent).await;
    let update = ProfileUpdate {
        language: "pl".into(),
        home_district: 2,
        other_districts: vec![],
        age_band: None,
        interests: vec![],
        monthly_survey_limit: 2,
        test_group: true,
    };
    app.store.update_profile(tester, &update).await.unwrap();
    let (official, _) = app.add_official("editor@krakow.pl", &[Role::Editor, Role::Approver]).await;
    app.add_official("analyst@krakow.pl", &[Role::Analyst]).await;
    let (gone, _) = app.add_official("gone@krakow.pl", &[Role::Analyst]).await;
    app.store.set_active(gone, false, Utc::now()).await.unwrap();
    let token = app.token_for(official).await;

    let body = json!({
        "kind": "emergency", "status": "Exercise", "category": "Safety", "event": "Siren test",
        "urgency": "Future", "severity": "Minor", "certainty": "Possible",
        "info": {"pl": {"headline": "Test syren", "instruction": "Nic nie rób."}},
        "area": {"districts": [2]}
    });
    let (status, drafted) = api(&app, &token, "POST", "/api/v1/alerts", Some(body)).await;
    assert_eq!(status, 201, "{drafted}");
    assert_eq!(drafted["residents"], 1, "only the test group");
    assert_eq!(drafted["officials"], 2, "and every active official");
    assert_eq!(drafted["recipients"]["email"], 3);
    let id = drafted["id"].as_i64().unwrap();
    // Configured so: an exercise may be approved by its author.
    let (status, _) = api(&app, &token, "POST", &format!("/api/v1/alerts/{id}/approve"), None).await;
    assert_eq!(status, 200);
    wait_done(&app, &token, id).await;
    let mut mail = smtp.wait_for(3, Duration::from_secs(10)).await;
    mail.sort_by(|a, b| a.envelope_to.cmp(&b.envelope_to));
    let to: Vec<&str> = mail.iter().map(|m| m.envelope_to[0].as_str()).collect();
    assert_eq!(to, ["analyst@krakow.pl", "editor@krakow.pl", "tester@example.org"], "test group and active officials");
    for m in &mail {
        assert_eq!(m.subject.as_deref(), Some("ĆWICZENIA: Test syren"));
        assert!(m.text_body.as_deref().unwrap().contains("*** ĆWICZENIA ***"));
    }
    // Exercises are not on the public list, but their page says what they are.
    let http = reqwest::Client::new();
    let list = http.get(app.url("/alerts")).send().await.unwrap().text().await.unwrap();
    assert!(!list.contains("Test syren"));
    let page = http.get(app.url(&format!("/alerts/{id}?lang=en"))).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("exercise or test message"), "{page}");
    app.stop().await;
}
