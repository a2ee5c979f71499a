//! Emergency alerts end to end: a synthetic panel, an editor drafts an alert for three districts, the preview's
//! counts, the two-person rule, and then what the real SMTP server, Kannel's fake operator and the local push
//! service receive — one message per targeted resident and channel, in the resident's language — for the alert,
//! its update and its cancellation.

use std::{collections::BTreeMap, time::Duration};

use chrono::Utc;
use hejnal::{
    config::{Secret, Settings},
    domain::{
        Role,
        panel::{Channel, ConsentMethod, ContactKind, Purpose},
    },
    storage::NewResident,
};
use serde_json::{Value, json};

use crate::{
    dual,
    support::{
        Db, TestApp,
        kannel::{self, Kannel},
        push_service::{PushService, TestSubscription},
        smtp::SmtpKeeper,
    },
};

pub const TARGET: [i64; 3] = [8, 12, 13];

/// One synthetic resident and what the test knows about them.
pub struct Resident {
    pub id: i64,
    pub language: &'static str,
    pub email: String,
    pub phone: Option<String>,
    pub push: Option<TestSubscription>,
    /// Channels that should receive an emergency alert for [`TARGET`].
    pub expected: Vec<Channel>,
}

/// 36 residents spread over the 18 districts, with every mix of languages, channels and consents that matters:
/// home or followed district in the area or not, emergency consent or only announcements, SMS consent without a
/// phone (unreachable), push subscriptions.
pub async fn synthetic_panel(app: &TestApp, push: &PushService) -> Vec<Resident> {
    let mut out = Vec::new();
    for i in 0..36u32 {
        let language = ["pl", "en", "uk"][i as usize % 3];
        let home = i64::from(i % 18) + 1;
        let others = if i % 5 == 0 { vec![8] } else { vec![] };
        let email = format!("r{i}@example.org");
        let phone = (i % 2 == 0).then(|| format!("+48600000{i:03}"));
        let sub = (i % 3 == 0).then(|| push.new_subscription());
        let mut consents = Vec::new();
        if i % 6 == 0 {
            consents.push((Purpose::ServiceAnnouncements, Channel::Email));
        } else if i % 4 != 3 {
            consents.push((Purpose::EmergencyAlerts, Channel::Email));
        }
        if phone.is_some() || i % 4 == 1 {
            consents.push((Purpose::EmergencyAlerts, Channel::Sms));
        }
        if sub.is_some() {
            consents.push((Purpose::EmergencyAlerts, Channel::Push));
        }
        let mut contacts = vec![(ContactKind::Email, email.clone())];
        contacts.extend(phone.clone().map(|p| (ContactKind::Phone, p)));
        let new = NewResident {
            language: language.into(),
            home_district: home,
            other_districts: others.clone(),
            age_band: None,
            interests: vec!["water_utilities".into()],
            contacts,
            consents: consents.clone(),
            method: ConsentMethod::Import,
            notice_version: 1,
            verified: true,
            legal_basis: Some("test fixture".into()),
        };
        let id = app.store.create_resident(&new, Utc::now()).await.unwrap().expect("created").id;
        if let Some(s) = &sub {
            app.store.add_push(id, &s.endpoint, &s.p256dh, &s.auth, "test", Utc::now()).await.unwrap();
        }
        let targeted = TARGET.contains(&home) || others.iter().any(|d| TARGET.contains(d));
        let reachable = |c: Channel| match c {
            Channel::Email => true,
            Channel::Sms => phone.is_some(),
            Channel::Push => sub.is_some(),
        };
        let expected = consents
            .iter()
            .filter(|(p, c)| targeted && *p == Purpose::EmergencyAlerts && reachable(*c))
            .map(|(_, c)| *c)
            .collect();
        out.push(Resident { id, language, email, phone, push: sub, expected });
    }
    out
}

fn expected_counts(panel: &[Resident]) -> BTreeMap<&'static str, i64> {
    let mut counts = BTreeMap::from([("email", 0), ("sms", 0), ("push", 0)]);
    for r in panel {
        for c in &r.expected {
            *counts.get_mut(c.as_str()).unwrap() += 1;
        }
    }
    counts
}

pub fn flood_alert() -> Value {
    json!({
        "kind": "emergency", "status": "Actual", "category": "Met", "event": "Flood", "urgency": "Immediate",
        "severity": "Severe", "certainty": "Likely", "response_type": "Evacuate",
        "expires": (Utc::now() + chrono::Duration::hours(6)).to_rfc3339(),
        "info": {
            "pl": {"headline": "Powódź na Wiśle", "description": "Wisła przekroczyła stan alarmowy.",
                   "instruction": "Opuść tereny zalewowe."},
            "en": {"headline": "Flood on the Vistula", "description": "The Vistula is above the alarm level.",
                   "instruction": "Leave the flood plain."}
        },
        "area": {"description": "Podgórze, Łagiewniki, Swoszowice", "districts": TARGET}
    })
}

/// The headline a resident should see: their language's, or Polish.
fn headline_for(language: &str, pl: &str, en: &str) -> String {
    if language == "en" { en.to_string() } else { pl.to_string() }
}

pub async fn api(app: &TestApp, token: &str, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
    let http = reqwest::Client::new();
    let req = match method {
        "POST" => http.post(app.url(path)),
        _ => http.get(app.url(path)),
    };
    let req = match body {
        Some(b) => req.json(&b),
        None => req,
    };
    let res = req.bearer_auth(token).header("Accept-Language", "en").send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

pub async fn wait_done(app: &TestApp, token: &str, id: i64) -> Value {
    for _ in 0..300 {
        let (_, p) = api(app, token, "GET", &format!("/api/v1/alerts/{id}/progress"), None).await;
        if p["done"] == true {
            return p;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("alert {id} did not finish delivering");
}

/// What each channel received since `since` (per recipient address).
struct Received {
    emails: Vec<(String, String, String)>,
    sms: Vec<(String, String)>,
    push: Vec<(String, Value)>,
}

async fn received(
    smtp: &SmtpKeeper,
    kannel: &Kannel,
    push: &PushService,
    panel: &[Resident],
    counts: &BTreeMap<&str, i64>,
    round: usize,
) -> Received {
    let emails = smtp.wait_for(counts["email"] as usize * round, Duration::from_secs(20)).await;
    // Long SMS arrive in parts: wait for whole messages.
    let mut sms = Vec::new();
    for _ in 0..200 {
        sms = kannel::assemble(&kannel.received());
        if sms.iter().filter(|s| s.parts == s.total).count() >= counts["sms"] as usize * round {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let emails = emails
        .into_iter()
        .map(|e| (e.envelope_to.join(","), e.subject.unwrap_or_default(), e.text_body.unwrap_or_default()))
        .collect();
    let sms = sms.into_iter().map(|s| (s.to, s.text)).collect();
    let mut pushes = Vec::new();
    for r in panel {
        if let Some(s) = &r.push {
            for p in push.received(&s.id) {
                pushes.push((s.id.clone(), serde_json::from_slice(&p.plaintext).unwrap()));
            }
        }
    }
    Received { emails, sms, push: pushes }
}

/// Exactly one message per resident and expected channel in this round, in their language, whose text contains
/// `marker(language)`.
fn assert_round(got: &Received, panel: &[Resident], round: usize, marker: impl Fn(&str) -> String) {
    for r in panel {
        let want = |c: Channel| r.expected.contains(&c) as usize * round;
        let mine: Vec<_> = got.emails.iter().filter(|(to, _, _)| to == &r.email).collect();
        assert_eq!(mine.len(), want(Channel::Email), "emails to resident {}", r.id);
        if let Some(last) = mine.last() {
            assert!(last.1.contains(&marker(r.language)), "email subject {:?} for {}", last.1, r.language);
        }
        if let Some(phone) = &r.phone {
            let digits = phone.trim_start_matches('+');
            let mine: Vec<_> = got.sms.iter().filter(|(to, _)| to.trim_start_matches('+') == digits).collect();
            assert_eq!(mine.len(), want(Channel::Sms), "SMS to resident {}", r.id);
            if let Some(last) = mine.last() {
                assert!(last.1.contains(&marker(r.language)), "SMS {:?} for {}", last.1, r.language);
            }
        }
        if let Some(s) = &r.push {
            let mine: Vec<_> = got.push.iter().filter(|(id, _)| id == &s.id).collect();
            assert_eq!(mine.len(), want(Channel::Push), "pushes to resident {}", r.id);
            if let Some(last) = mine.last() {
                assert!(last.1["title"].as_str().unwrap().contains(&marker(r.language)), "push {:?}", last.1);
            }
        }
    }
}

async fn emergency_alert_update_and_cancel_reach_exactly_the_targeted_residents(db: Db) {
    let smtp = SmtpKeeper::start().await;
    let kannel = Kannel::start().await;
    let push = PushService::start().await;
    let (smtp_url, sms_url) = (smtp.url(), kannel.sendsms_url());
    let app = TestApp::spawn_with(db, |s: &mut Settings| {
        s.smtp_url = Some(Secret::new(smtp_url));
        s.sms_url = Some(Secret::new(sms_url));
    })
    .await;
    let panel = synthetic_panel(&app, &push).await;
    let counts = expected_counts(&panel);
    assert!(counts.values().all(|n| *n > 0), "the fixture reaches every channel: {counts:?}");

    let (author, _) = app.add_official("editor@krakow.pl", &[Role::Editor, Role::Approver]).await;
    let (approver, _) = app.add_official("approver@krakow.pl", &[Role::Approver]).await;
    let (author, approver) = (app.token_for(author).await, app.token_for(approver).await);

    let (status, drafted) = api(&app, &author, "POST", "/api/v1/alerts", Some(flood_alert())).await;
    assert_eq!(status, 201, "{drafted}");
    let id = drafted["id"].as_i64().unwrap();
    for (channel, n) in &counts {
        assert_eq!(drafted["recipients"][channel], *n, "preview count for {channel}");
    }
    // The engine has looked at the queue twice since the draft: had anything been queued, it would be on its way.
    crate::support::wait::sweeps(&app, 2).await;
    assert!(smtp.messages().is_empty() && kannel.received().is_empty(), "nothing is sent before approval");

    let (status, refused) = api(&app, &author, "POST", &format!("/api/v1/alerts/{id}/approve"), None).await;
    assert_eq!(status, 403, "the author cannot approve their own emergency: {refused}");
    assert!(refused["detail"].as_str().unwrap().contains("second official"), "{refused}");
    let (status, approved) = api(&app, &approver, "POST", &format!("/api/v1/alerts/{id}/approve"), None).await;
    assert_eq!(status, 200, "{approved}");
    assert_eq!(approved["state"], "sending");
    let (status, twice) = api(&app, &approver, "POST", &format!("/api/v1/alerts/{id}/approve"), None).await;
    assert_eq!(status, 409, "approving twice: {twice}");

    let progress = wait_done(&app, &approver, id).await;
    for (channel, n) in &counts {
        let c = &progress["channels"][channel];
        assert_eq!(c["sent"].as_i64().unwrap() + c["delivered"].as_i64().unwrap(), *n, "{channel}: {progress}");
        assert_eq!(c["failed"], 0, "{progress}");
    }
    let got = received(&smtp, &kannel, &push, &panel, &counts, 1).await;
    assert_round(&got, &panel, 1, |l| headline_for(l, "Powódź na Wiśle", "Flood on the Vistula"));

    // An update goes to the same people, after its own approval.
    let mut update = flood_alert();
    update["info"]["pl"]["headline"] = json!("Fala kulminacyjna w nocy");
    update["info"]["en"]["headline"] = json!("Flood crest tonight");
    let (status, drafted_update) =
        api(&app, &author, "POST", &format!("/api/v1/alerts/{id}/update"), Some(update)).await;
    assert_eq!(status, 201, "{drafted_update}");
    assert_eq!(drafted_update["recipients"], drafted["recipients"]);
    let update_id = drafted_update["id"].as_i64().unwrap();
    let (status, _) = api(&app, &approver, "POST", &format!("/api/v1/alerts/{update_id}/approve"), None).await;
    assert_eq!(status, 200);
    wait_done(&app, &approver, update_id).await;
    let got = received(&smtp, &kannel, &push, &panel, &counts, 2).await;
    assert_round(&got, &panel, 2, |l| headline_for(l, "Fala kulminacyjna w nocy", "Flood crest tonight"));

    // The original is replaced; the update is cancelled with an all-clear to the same people.
    let (status, _) = api(&app, &approver, "POST", &format!("/api/v1/alerts/{id}/cancel"), None).await;
    assert_eq!(status, 409, "the updated original cannot be cancelled again");
    let (status, cancelled) = api(&app, &approver, "POST", &format!("/api/v1/alerts/{update_id}/cancel"), None).await;
    assert_eq!(status, 200, "{cancelled}");
    let cancel_id = cancelled["cancel_id"].as_i64().unwrap();
    wait_done(&app, &approver, cancel_id).await;
    let got = received(&smtp, &kannel, &push, &panel, &counts, 3).await;
    assert_round(&got, &panel, 3, |l| if l == "en" { "ALL CLEAR".into() } else { "ODWOŁANIE".into() });
    let (status, again) = api(&app, &approver, "POST", &format!("/api/v1/alerts/{update_id}/cancel"), None).await;
    assert_eq!(status, 409, "cancelling a cancelled alert: {again}");

    // Every step is in the audit log.
    let audit = app.store.list_audit(100, None).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    for a in ["alert_drafted", "alert_approved", "alert_sent", "alert_updated", "alert_cancelled"] {
        assert!(actions.contains(&a), "{a} missing from {actions:?}");
    }
    app.stop().await;
}

dual!(emergency_alert_update_and_cancel_reach_exactly_the_targeted_residents);
