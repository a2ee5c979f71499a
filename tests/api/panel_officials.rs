//! The officials' view of the panel: counts (page and JSON) without contact details, the CSV import with a legal
//! basis per row, data-subject requests by resident id, and publishing a new consent notice.

use hejnal::domain::{
    Role,
    panel::{Channel, Purpose},
};
use serde_json::Value;

use crate::{
    dual,
    panel::sign_in_by_email,
    panel_ledger::resident,
    support::{Client, Db, TestApp},
};

dual!(analysts_see_counts_admins_import_and_handle_requests);

async fn analysts_see_counts_admins_import_and_handle_requests(db: Db) {
    let app = TestApp::spawn(db).await;
    let a = resident(&app.store, "one@example.org", &[(Purpose::Surveys, Channel::Email)]).await;
    resident(&app.store, "two@example.org", &[(Purpose::EmergencyAlerts, Channel::Email)]).await;

    let admin = app.signed_in("admin@krakow.example.org", &[Role::Admin]).await;
    // Import: a row without a legal basis stops the whole file; with it, residents are created (method import).
    let bad = "email,phone,language,home_district,consents,legal_basis\nimp1@example.net,,pl,3,surveys:email,\n";
    let res = admin.post_form("/official/admin/panel/import", "/official/admin/panel/import", &[("csv", bad)]).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("Wiersz 2"));
    let good = "email,phone,language,home_district,consents,legal_basis\n\
        imp1@example.net,,uk,3,surveys:email;emergency_alerts:email,paper form 2026/17\n\
        ,600 300 400,en,5,emergency_alerts:sms,paper form 2026/18\n\
        one@example.org,,pl,5,surveys:email,paper form 2026/19\n";
    let res = admin.post_form("/official/admin/panel/import", "/official/admin/panel/import", &[("csv", good)]).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("Zaimportowano: 2, pominięto już zarejestrowanych: 1."));

    // Stats: JSON and page agree; nobody's contact details appear.
    let analyst = app.signed_in("analyst@krakow.example.org", &[Role::Analyst]).await;
    let stats: Value = analyst.get("/api/v1/panel/stats").await.json().await.unwrap();
    assert_eq!(stats["verified_residents"], 4);
    let d5 = stats["by_district"].as_array().unwrap().iter().find(|d| d["number"] == 5).unwrap();
    assert_eq!(d5["residents"], 3);
    assert_eq!(d5["panel_share"], 75.0);
    let by = |k: &str| -> Vec<(String, i64)> {
        stats[k]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| (c["key"].as_str().unwrap().into(), c["residents"].as_i64().unwrap()))
            .collect()
    };
    assert_eq!(by("by_channel"), vec![("email".into(), 3), ("sms".into(), 1)]);
    assert_eq!(by("by_purpose"), vec![("emergency_alerts".into(), 3), ("surveys".into(), 2)]);
    assert_eq!(by("by_language"), vec![("en".into(), 1), ("pl".into(), 2), ("uk".into(), 1)]);
    assert_eq!(by("signups_by_day").iter().map(|(_, n)| n).sum::<i64>(), 4);
    let page = analyst.get("/official/panel").await.text().await.unwrap();
    assert!(page.contains("<svg") && page.contains("Potwierdzeni mieszkańcy w panelu: 4"));
    for text in [stats.to_string(), page] {
        assert!(!text.contains("example.org") && !text.contains("example.net") && !text.contains("600300400"));
    }

    let openapi: Value = analyst.get("/openapi.json").await.json().await.unwrap();
    assert!(
        openapi["paths"]["/api/v1/signups"]["post"].is_object()
            && openapi["paths"]["/api/v1/panel/stats"]["get"].is_object()
    );
    assert!(openapi["components"]["schemas"]["SignupInput"].is_object());

    // A data-subject request: export, then erase, both audited.
    let export: Value = admin.get(&format!("/official/admin/residents/{a}/export")).await.json().await.unwrap();
    assert_eq!(export["contact_points"][0]["value"], "one@example.org");
    let res = admin
        .post_form(&format!("/official/admin/residents?id={a}"), &format!("/official/admin/residents/{a}/erase"), &[])
        .await;
    assert_eq!(res.status(), 303);
    assert!(app.store.resident(a).await.unwrap().unwrap().erased_at.is_some());
    let audit = admin.get("/official/admin/audit").await.text().await.unwrap();
    for action in ["usunięcie danych mieszkańca", "eksport danych mieszkańca", "import mieszkańców"] {
        assert!(audit.contains(action), "{action} is audited");
    }

    // A new notice version: residents are asked to review it on their next visit.
    let client = Client::new(&app);
    sign_in_by_email(&app, &client, "two@example.org", 0).await;
    assert!(
        !client.get("/me").await.text().await.unwrap().contains("Opublikowaliśmy wersję"),
        "joined under the current notice"
    );
    let texts = [
        ("text_pl", "Nowa wersja informacji o danych."),
        ("text_en", "A new version of the notice."),
        ("text_uk", "Нова версія інформації про дані."),
    ];
    let res = admin.post_form("/official/admin/notice", "/official/admin/notice", &texts).await;
    assert_eq!(res.status(), 200);
    let privacy = client.get("/privacy").await.text().await.unwrap();
    assert!(privacy.contains("Wersja 2") && privacy.contains("Nowa wersja informacji o danych."));
    let me = client.get("/me").await.text().await.unwrap();
    assert!(me.contains("Opublikowaliśmy wersję 2"), "the banner asks for a review");
    let res = client.post_form("/me", "/me/notice", &[("version", "2")]).await;
    assert_eq!(res.status(), 303);
    assert!(!client.get("/me").await.text().await.unwrap().contains("Opublikowaliśmy wersję 2"));
    app.stop().await;
}
