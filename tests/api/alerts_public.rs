//! What residents and the public see: the list of alerts (sent Actual ones only, by district, in the reader's
//! language), an alert's page and short link, the Atom feed with each alert's CAP document, and the residents'
//! "are you safe?" answers by personal link and by SMS through Kannel.

use std::time::Duration;

use hejnal::{config::Secret, domain::Role, domain::panel::Channel};
use serde_json::{Value, json};

use crate::{
    alerts::{TARGET, api, flood_alert, synthetic_panel, wait_done},
    dual,
    support::{
        Client, Db, TestApp,
        kannel::{self, Kannel, KannelOptions},
        push_service::PushService,
        smtp::SmtpKeeper,
    },
};

dual!(
    the_public_list_shows_sent_actual_alerts_filtered_by_district,
    the_atom_feed_lists_each_alert_with_its_cap_document,
    residents_answer_are_you_safe_by_link_and_by_sms,
);

const WATER: &str = "Awaria wodociągu na Starym Mieście";
const DRAFT: &str = "Projekt: jeszcze nie wysyłać";
const DRILL: &str = "Ćwiczenia: syreny alarmowe";

/// The alerts the public pages are checked against.
struct Published {
    flood: i64,
    water: i64,
    draft: i64,
    drill: i64,
}

async fn publish(db: Db) -> (TestApp, Published) {
    let app = TestApp::spawn_with(db, |s| s.alerts.single_person_drills = true).await;
    let (author, _) = app.add_official("editor@krakow.pl", &[Role::Editor, Role::Approver]).await;
    let (approver, _) = app.add_official("approver@krakow.pl", &[Role::Approver]).await;
    let (author, approver) = (app.token_for(author).await, app.token_for(approver).await);
    let draft = |body: Value| {
        let (app, author) = (&app, &author);
        async move {
            let (status, drafted) = api(app, author, "POST", "/api/v1/alerts", Some(body)).await;
            assert_eq!(status, 201, "{drafted}");
            drafted["id"].as_i64().unwrap()
        }
    };
    let approve = |id: i64, by: &str| {
        let (app, by) = (&app, by.to_string());
        async move {
            let (status, body) = api(app, &by, "POST", &format!("/api/v1/alerts/{id}/approve"), None).await;
            assert_eq!(status, 200, "{body}");
        }
    };
    let polish_only = |headline: &str, district: i64| {
        json!({"kind": "emergency", "category": "Infra", "event": "Water outage", "urgency": "Expected",
            "severity": "Moderate", "certainty": "Observed", "info": {"pl": {"headline": headline,
            "description": "Pęknięcie magistrali.", "instruction": "Korzystaj z beczkowozów."}},
            "area": {"description": "Stare Miasto", "districts": [district]}})
    };
    let flood = draft(flood_alert()).await;
    approve(flood, &approver).await;
    let water = draft(polish_only(WATER, 1)).await;
    approve(water, &approver).await;
    let draft_id = draft(polish_only(DRAFT, 1)).await;
    let mut exercise = polish_only(DRILL, 1);
    exercise["status"] = json!("Exercise");
    let drill = draft(exercise).await;
    approve(drill, &author).await; // single-person drills: the author may approve an exercise
    (app, Published { flood, water, draft: draft_id, drill })
}

async fn page(app: &TestApp, path: &str) -> (u16, String) {
    let res = reqwest::get(app.url(path)).await.unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

async fn the_public_list_shows_sent_actual_alerts_filtered_by_district(db: Db) {
    let (app, p) = publish(db).await;
    let (status, all) = page(&app, "/alerts").await;
    assert_eq!(status, 200);
    assert!(all.contains("Powódź na Wiśle") && all.contains(WATER), "both sent Actual alerts: {all}");
    assert!(!all.contains(DRAFT), "no draft on the public list");
    assert!(!all.contains(DRILL), "no exercise on the public list");

    let (_, one) = page(&app, "/alerts?district=1").await;
    assert!(one.contains(WATER) && !one.contains("Powódź na Wiśle"), "only district 1's alert: {one}");
    let (_, target) = page(&app, &format!("/alerts?district={}", TARGET[1])).await;
    assert!(target.contains("Powódź na Wiśle") && !target.contains(WATER), "{target}");

    let (status, wrong) = page(&app, "/alerts?district=abc&lang=en").await;
    assert_eq!(status, 200);
    assert!(wrong.contains("There is no such district; showing all."), "{wrong}");
    assert!(wrong.contains("Flood on the Vistula") && wrong.contains(WATER), "all alerts shown: {wrong}");

    let (_, english) = page(&app, "/alerts?lang=en").await;
    assert!(english.contains("Flood on the Vistula"), "the English headline: {english}");
    assert!(!english.contains("Powódź na Wiśle"));
    assert!(english.contains(&format!("lang=\"pl\">{WATER}</a>")), "Polish fallback is marked as Polish: {english}");

    for hidden in [format!("/alerts/{}", p.draft), format!("/alerts/{}.cap.xml", p.draft), "/alerts/9999".into()] {
        assert_eq!(page(&app, &hidden).await.0, 404, "{hidden}");
    }
    let (status, drill) = page(&app, &format!("/alerts/{}?lang=en", p.drill)).await;
    assert_eq!(status, 200, "a sent exercise has its own page");
    assert!(drill.contains("This is an exercise or test message, not a real warning."), "{drill}");

    let (status, ukrainian) = page(&app, &format!("/alerts/{}?lang=uk", p.water)).await;
    assert_eq!(status, 200);
    assert!(ukrainian.contains(WATER) && ukrainian.contains("Korzystaj z beczkowozów."), "{ukrainian}");
    assert!(ukrainian.contains("Це повідомлення доступне лише польською."), "Polish only, said in Ukrainian");
    let (_, flood_en) = page(&app, &format!("/alerts/{}?lang=en", p.flood)).await;
    assert!(flood_en.contains("Leave the flood plain.") && !flood_en.contains("available in Polish only"));

    let short = Client::new(&app).get(&format!("/a/{}", p.flood)).await;
    assert!(short.status().is_redirection(), "{}", short.status());
    assert_eq!(short.headers()["location"], format!("/alerts/{}", p.flood).as_str());
    app.stop().await;
}

async fn the_atom_feed_lists_each_alert_with_its_cap_document(db: Db) {
    let (app, p) = publish(db).await;
    let res = reqwest::get(app.url("/alerts/feed.atom")).await.unwrap();
    assert_eq!(res.status(), 200);
    assert!(res.headers()["content-type"].to_str().unwrap().starts_with("application/atom+xml"));
    let feed = res.text().await.unwrap();
    let file = tempfile::Builder::new().suffix(".atom").tempfile().unwrap();
    std::fs::write(file.path(), &feed).unwrap();
    let lint = std::process::Command::new("xmllint").arg("--noout").arg(file.path()).output().expect("xmllint");
    assert!(lint.status.success(), "the feed is well-formed XML: {}", String::from_utf8_lossy(&lint.stderr));

    let entries: Vec<&str> = feed.split("<entry>").skip(1).collect();
    assert_eq!(entries.len(), 2, "one entry per sent Actual alert: {feed}");
    let mut linked = Vec::new();
    for entry in entries {
        let marker = "<link rel=\"related\" type=\"application/cap+xml\" href=\"";
        let at = entry.find(marker).unwrap_or_else(|| panic!("no CAP link in {entry}")) + marker.len();
        let href = &entry[at..at + entry[at..].find('"').unwrap()];
        let cap = reqwest::get(href).await.unwrap();
        assert_eq!(cap.status(), 200, "{href}");
        assert!(cap.headers()["content-type"].to_str().unwrap().starts_with("application/cap+xml"), "{href}");
        let xml = cap.text().await.unwrap();
        let identifier = xml.split("<identifier>").nth(1).and_then(|s| s.split('<').next()).unwrap();
        assert!(entry.contains(&format!("<id>urn:cap:{identifier}</id>")), "the entry is the CAP message: {entry}");
        linked.push(href.rsplit('/').next().unwrap().to_string());
    }
    linked.sort();
    let mut want = vec![format!("{}.cap.xml", p.flood), format!("{}.cap.xml", p.water)];
    want.sort();
    assert_eq!(linked, want);
    assert!(!feed.contains(DRAFT) && !feed.contains(DRILL));
    app.stop().await;
}

async fn progress(app: &TestApp, token: &str, id: i64) -> Value {
    api(app, token, "GET", &format!("/api/v1/alerts/{id}/progress"), None).await.1
}

/// The path of a personal reply link in an email's text.
fn reply_link(text: &str, id: i64, answer: &str) -> String {
    let link = text
        .split_whitespace()
        .find(|w| w.contains(&format!("/alerts/{id}/reply/")) && w.ends_with(&format!("?answer={answer}")))
        .unwrap_or_else(|| panic!("no {answer} link in {text}"));
    link[link.find("/alerts/").unwrap()..].to_string()
}

async fn residents_answer_are_you_safe_by_link_and_by_sms(db: Db) {
    let [port] = kannel::free_ports::<1>();
    let mo_url = format!("http://127.0.0.1:{port}/hooks/sms/mo?key=KEY&from=%p&text=%a");
    let kannel = Kannel::start_with(KannelOptions { mo_url: Some(mo_url) }).await;
    let smtp = SmtpKeeper::start().await;
    let push = PushService::start().await;
    let (smtp_url, sms_url) = (smtp.url(), kannel.sendsms_url());
    let app = TestApp::spawn_with(db, |s| {
        s.bind = format!("127.0.0.1:{port}");
        s.alerts.sms_reply_key = Some(Secret::new("KEY"));
        s.smtp_url = Some(Secret::new(smtp_url));
        s.sms_url = Some(Secret::new(sms_url));
    })
    .await;
    let panel = synthetic_panel(&app, &push).await;
    let (author, _) = app.add_official("editor@krakow.pl", &[Role::Editor]).await;
    let (approver, _) = app.add_official("approver@krakow.pl", &[Role::Approver]).await;
    let (author, approver) = (app.token_for(author).await, app.token_for(approver).await);
    let mut alert = flood_alert();
    alert["ask_safety"] = json!(true);
    let (_, drafted) = api(&app, &author, "POST", "/api/v1/alerts", Some(alert)).await;
    let id = drafted["id"].as_i64().expect("drafted");
    let (status, _) = api(&app, &approver, "POST", &format!("/api/v1/alerts/{id}/approve"), None).await;
    assert_eq!(status, 200);
    wait_done(&app, &approver, id).await;
    let by_email: Vec<_> = panel.iter().filter(|r| r.expected.contains(&Channel::Email)).collect();
    let emails = smtp.wait_for(by_email.len(), Duration::from_secs(20)).await;
    let text_to = |email: &str| {
        let e = emails.iter().find(|e| e.envelope_to.iter().any(|t| t == email)).expect("an email to the resident");
        e.text_body.clone().expect("a text part")
    };

    // The personal "safe" link opens a page; only its button records the answer.
    let (safe_one, help_one) = (by_email[0], by_email[1]);
    let safe_path = reply_link(&text_to(&safe_one.email), id, "safe");
    let resident = Client::new(&app);
    let opened = resident.get(&format!("{safe_path}&lang=en")).await;
    assert_eq!(opened.status(), 200);
    let html = opened.text().await.unwrap();
    assert!(html.contains("Are you safe?") && html.contains("Flood on the Vistula"), "{html}");
    assert_eq!(progress(&app, &approver, id).await["replies"], json!({"safe": 0, "help": 0}), "a GET records nothing");
    let action = safe_path.split('?').next().unwrap();
    let answered =
        resident.post_form(&format!("{safe_path}&lang=en"), &format!("{action}?lang=en"), &[("answer", "safe")]).await;
    assert_eq!(answered.status(), 200);
    assert!(answered.text().await.unwrap().contains("We have recorded that you are safe."));
    assert_eq!(progress(&app, &approver, id).await["replies"], json!({"safe": 1, "help": 0}));

    // Another resident needs help and shares their contact: the crisis team sees their email.
    let help_path = reply_link(&text_to(&help_one.email), id, "help");
    let other = Client::new(&app);
    let action = help_path.split('?').next().unwrap();
    let asked = other.post_form(&help_path, action, &[("answer", "help"), ("share_contact", "yes")]).await;
    assert_eq!(asked.status(), 200);
    assert_eq!(progress(&app, &approver, id).await["replies"], json!({"safe": 1, "help": 1}));
    let team = app.signed_in("crisis@krakow.pl", &[Role::Approver]).await;
    let official_page = team.get(&format!("/official/alerts/{id}")).await.text().await.unwrap();
    assert!(official_page.contains(&help_one.email), "the help request with its shared email: {official_page}");
    assert!(!official_page.contains(&safe_one.email), "who is safe is not listed");

    // A token changed by one character is no link at all.
    let token = action.rsplit('/').next().unwrap();
    let last = token.chars().last().unwrap();
    let forged = format!("{}{}", &token[..token.len() - 1], if last == 'A' { 'B' } else { 'A' });
    let res = other.get(&format!("/alerts/{id}/reply/{forged}?answer=safe")).await;
    assert_eq!(res.status(), 404, "a forged token");
    assert_eq!(other.get(&format!("/alerts/{}/reply/{token}", id + 1)).await.status(), 404, "another alert's id");

    // A resident who got the SMS answers "2" by SMS, through Kannel.
    let texted = panel
        .iter()
        .find(|r| r.expected.contains(&Channel::Sms) && r.id != help_one.id && r.id != safe_one.id)
        .expect("a resident reached by SMS");
    let phone = texted.phone.clone().unwrap();
    kannel::assemble(&kannel.received()).iter().find(|s| s.to.trim_start_matches('+') == &phone[1..]).expect("SMS");
    kannel.inject_mo(&phone, kannel::SENDER, "2");
    let mut replies = Value::Null;
    for _ in 0..100 {
        replies = progress(&app, &approver, id).await["replies"].clone();
        if replies["help"] == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(replies, json!({"safe": 1, "help": 2}), "the SMS reply is recorded");
    let official_page = team.get(&format!("/official/alerts/{id}")).await.text().await.unwrap();
    assert!(official_page.contains(&phone), "by SMS the resident's number is shared: {official_page}");

    // The hook refuses a caller without the key.
    let wrong = reqwest::Client::new()
        .get(app.url("/hooks/sms/mo"))
        .query(&[("key", "WRONG"), ("from", phone.as_str()), ("text", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 403);
    assert_eq!(progress(&app, &approver, id).await["replies"], json!({"safe": 1, "help": 2}));
    app.stop().await;
}
