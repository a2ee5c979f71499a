//! Residents' home points: shared and removed on /me (bad input refused, nothing changed), in the export, gone at
//! erasure — and alerts drawn as circles or polygons reach the residents whose point lies inside, once each, even
//! without district boundaries configured.

use chrono::Utc;
use hejnal::{
    config::{Secret, Settings},
    domain::{
        Role,
        geo::Point,
        panel::{Channel, Purpose},
    },
};
use serde_json::{Value, json};

use crate::{
    alerts::{api, wait_done},
    alerts_service::resident,
    dual,
    support::{Client, Db, TestApp, smtp::SmtpKeeper},
};

dual!(home_points_are_shared_on_me_and_reach_residents_inside_drawn_areas);

const CONSENT: [(Purpose, Channel); 1] = [(Purpose::EmergencyAlerts, Channel::Email)];

fn draft(area: Value) -> Value {
    json!({
        "kind": "emergency", "status": "Actual", "category": "Safety", "event": "Gas leak",
        "urgency": "Immediate", "severity": "Severe", "certainty": "Observed",
        "info": {"pl": {"headline": "Wyciek gazu", "instruction": "Zamknij okna."}},
        "area": area
    })
}

async fn home_points_are_shared_on_me_and_reach_residents_inside_drawn_areas(db: Db) {
    let smtp = SmtpKeeper::start().await;
    let url = smtp.url();
    let app = TestApp::spawn_with(db, |s: &mut Settings| s.smtp_url = Some(Secret::new(url))).await;
    let inside = resident(&app, "inside@example.org", 2, &[], &CONSENT).await;
    resident(&app, "neighbour@example.org", 2, &[], &CONSENT).await;
    let far = resident(&app, "far@example.org", 5, &[], &CONSENT).await;

    // The resident shares a point on /me: a bad one is refused with a message and keeps what was typed.
    let client = Client::new(&app);
    client.post_form("/me/signin", "/me/signin", &[("contact", "inside@example.org")]).await;
    let mail = smtp.wait_for(1, std::time::Duration::from_secs(10)).await;
    let body = mail[0].text_body.clone().unwrap();
    let link = body.split_whitespace().find(|w| w.contains("/me/signin/")).unwrap();
    let res = crate::panel::follow_link(&client, &link[link.find("/me/signin/").unwrap()..]).await;
    assert_eq!(res.status(), 303, "signed in");
    let res = client.post_form("/me?lang=en", "/me/home-point", &[("home_point", "50.05")]).await;
    assert_eq!(res.status(), 422);
    let page = res.text().await.unwrap();
    assert!(page.contains("Enter the point as latitude, longitude"), "{page}");
    assert!(page.contains(r#"value="50.05""#), "what was typed stays");
    assert_eq!(app.store.resident(inside).await.unwrap().unwrap().home_point, None);
    let res = client.post_form("/me", "/me/home-point", &[("home_point", "50.05231, 19.94119")]).await;
    assert_eq!(res.status(), 303);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert_eq!(
        app.store.resident(inside).await.unwrap().unwrap().home_point,
        Some(Point::new(50.0523, 19.9412)),
        "rounded to 4 decimal places"
    );
    let me = client.get(&location.replace("#", "&lang=en#")).await.text().await.unwrap();
    assert!(me.contains("Your home point is saved."), "{location}: {me}");
    assert!(me.contains(r#"value="50.0523, 19.9412""#) && me.contains("Remove my home point"), "{me}");
    let export: Value = client.get("/me/export").await.json().await.unwrap();
    assert_eq!(export["profile"]["home_point"], json!({"lat": 50.0523, "lon": 19.9412}));
    app.store.set_home_point(far, Some(Point::new(50.10, 20.10))).await.unwrap();

    // No boundaries are configured: a circle alone reaches exactly the resident whose point is inside it.
    let (editor, _) = app.add_official("editor@krakow.pl", &[Role::Editor]).await;
    let (approver, _) = app.add_official("approver@krakow.pl", &[Role::Approver]).await;
    let (editor, approver) = (app.token_for(editor).await, app.token_for(approver).await);
    let circle = json!({"circles": [{"lat": 50.05, "lon": 19.94, "radius_km": 1.0}]});
    let (status, drafted) = api(&app, &editor, "POST", "/api/v1/alerts", Some(draft(circle))).await;
    assert_eq!(status, 201, "{drafted}");
    assert_eq!((drafted["residents"].as_i64(), drafted["districts"].clone()), (Some(1), json!([])));
    // A polygon around the far resident's point reaches only them.
    let polygon =
        json!({"polygons": [[[50.09, 20.09], [50.09, 20.11], [50.11, 20.11], [50.11, 20.09], [50.09, 20.09]]]});
    let (_, other) = api(&app, &editor, "POST", "/api/v1/alerts", Some(draft(polygon))).await;
    assert_eq!(other["residents"], 1, "{other}");
    // District 2 and the circle: both residents of district 2, the one inside the circle once.
    let both = json!({"districts": [2], "circles": [{"lat": 50.05, "lon": 19.94, "radius_km": 1.0}]});
    let (_, union) = api(&app, &editor, "POST", "/api/v1/alerts", Some(draft(both))).await;
    assert_eq!((union["residents"].as_i64(), union["recipients"]["email"].as_i64()), (Some(2), Some(2)), "{union}");

    // Sent: the message reaches the resident inside the circle, and no one else.
    let id = drafted["id"].as_i64().unwrap();
    let (status, _) = api(&app, &approver, "POST", &format!("/api/v1/alerts/{id}/approve"), None).await;
    assert_eq!(status, 200);
    let progress = wait_done(&app, &approver, id).await;
    assert_eq!(progress["total"], 1, "{progress}");
    let mail = smtp.wait_for(2, std::time::Duration::from_secs(10)).await;
    assert_eq!(mail[1].envelope_to, vec!["inside@example.org".to_string()]);
    assert_eq!(mail[1].subject.as_deref(), Some("Wyciek gazu"));

    // Removing the point on /me, and erasure, clear it.
    let res = client.post_form("/me", "/me/home-point", &[("remove", "1")]).await;
    assert_eq!(res.status(), 303);
    assert_eq!(app.store.resident(inside).await.unwrap().unwrap().home_point, None);
    let (_, again) = api(
        &app,
        &editor,
        "POST",
        "/api/v1/alerts",
        Some(draft(json!({"circles": [{"lat": 50.05, "lon": 19.94, "radius_km": 1.0}]}))),
    )
    .await;
    assert_eq!(again["residents"], 0, "no point, no message: {again}");
    assert!(app.store.erase_resident(far, Utc::now()).await.unwrap());
    assert_eq!(app.store.resident(far).await.unwrap().unwrap().home_point, None);
    app.stop().await;
}
