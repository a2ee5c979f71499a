//! Behind a real reverse proxy (issue 14, finding 2): Debian's nginx with the configuration docs/security.md
//! recommends, TLS terminated with a certificate made for this run. Clients connect from different loopback
//! addresses (127.0.0.2, 127.0.0.3, …), so nginx sees different clients while hejnał sees only nginx.

use std::{net::IpAddr, time::Duration};

use hejnal::{config::Settings, domain::Role};
use serde_json::json;

use crate::{
    alerts::flood_alert,
    dual,
    support::{Db, TestApp, csrf_from, kannel::free_ports, nginx::Nginx},
};

dual!(behind_nginx);

/// Login attempts allowed per client address before the limiter answers 429.
const BURST: u32 = 3;

fn from(last: u8) -> IpAddr {
    IpAddr::from([127, 0, 0, last])
}

/// A browser at `127.0.0.{last}` that reaches hejnał through nginx (it trusts the test's certificate authority).
fn through_proxy(nginx: &Nginx, last: u8) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(from(last))
        .add_root_certificate(reqwest::Certificate::from_pem(&nginx.ca_pem()).expect("CA certificate"))
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("HTTP client")
}

/// One official login attempt through nginx; `spoof` is an `X-Forwarded-For` the client adds itself.
async fn login_via_proxy(client: &reqwest::Client, nginx: &Nginx, email: &str, password: &str) -> u16 {
    let page = client.get(nginx.url("/official/login")).send().await.expect("login page").text().await.unwrap();
    let csrf = csrf_from(&page).expect("CSRF field");
    let form = [("_csrf", csrf.as_str()), ("email", email), ("password", password)];
    let mut req = client.post(nginx.url("/official/login")).form(&form);
    if email.starts_with("spoof") {
        req = req.header("X-Forwarded-For", "198.51.100.1");
    }
    req.send().await.expect("login").status().as_u16()
}

/// One login attempt straight to hejnał from `127.0.0.{last}`, claiming to be `claimed` in `X-Forwarded-For`.
async fn login_direct(app: &TestApp, last: u8, claimed: &str) -> u16 {
    let client = reqwest::Client::builder().local_address(from(last)).build().expect("HTTP client");
    let page = client.get(app.url("/official/login")).header("X-Forwarded-For", claimed).send().await.unwrap();
    // The cookie is `Secure` (the public address is https), so a client over plain HTTP must send it by hand.
    let cookie = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("hejnal_csrf="))
        .and_then(|c| c.split(';').next())
        .expect("a CSRF cookie")
        .to_string();
    let csrf = csrf_from(&page.text().await.unwrap()).expect("CSRF field");
    let form = [("_csrf", csrf.as_str()), ("email", "nobody@krakow.pl"), ("password", "wrong")];
    let res = client
        .post(app.url("/official/login"))
        .header("Cookie", cookie)
        .header("X-Forwarded-For", claimed)
        .form(&form)
        .send()
        .await
        .unwrap();
    res.status().as_u16()
}

async fn behind_nginx(db: Db) {
    if !Nginx::available() {
        return;
    }
    let [port] = free_ports::<1>();
    let app = TestApp::spawn_with(db, |s: &mut Settings| {
        s.public_url = Some(format!("https://127.0.0.1:{port}/"));
        s.trusted_proxies = "127.0.0.1".into();
        s.login.per_address_burst = BURST;
        s.login.per_address_period_secs = 3600;
    })
    .await;
    let nginx = Nginx::start(port, app.base.trim_start_matches("http://")).await;

    // A client at 127.0.0.2 spends its budget (a different account each time, so only the address limit counts).
    let a = through_proxy(&nginx, 2);
    for i in 0..BURST {
        assert_eq!(login_via_proxy(&a, &nginx, &format!("a{i}@krakow.pl"), "wrong").await, 401, "attempt {i}");
    }
    assert_eq!(login_via_proxy(&a, &nginx, "a-last@krakow.pl", "wrong").await, 429, "127.0.0.2 is throttled");
    // Another client behind the same proxy is not: the budget is per client, not per proxy.
    let b = through_proxy(&nginx, 3);
    assert_eq!(login_via_proxy(&b, &nginx, "b@krakow.pl", "wrong").await, 401, "127.0.0.3 has its own budget");

    // A client's own X-Forwarded-For changes nothing: through nginx (which appends the real address) …
    assert_eq!(login_via_proxy(&a, &nginx, "spoof@krakow.pl", "wrong").await, 429, "a spoofed header via nginx");
    // … nor straight to hejnał: 127.0.0.2 is still itself, and 127.0.0.3 cannot spend 127.0.0.2's budget or
    // borrow a fresh one.
    assert_eq!(login_direct(&app, 2, "198.51.100.1").await, 429, "a spoofed header sent directly");
    assert_eq!(login_direct(&app, 3, "127.0.0.2").await, 401, "claiming another client's address directly");
    let audit = app.store.list_audit(100, None).await.unwrap();
    assert!(audit.iter().filter(|e| e.action == "login_throttled").count() >= 3, "throttling is audit-logged");

    // Cookies are Secure behind TLS.
    let c = through_proxy(&nginx, 4);
    let page = c.get(nginx.url("/official/login")).send().await.unwrap();
    let cookies: Vec<String> =
        page.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    assert!(!cookies.is_empty() && cookies.iter().all(|c| c.contains("; Secure")), "{cookies:?}");

    // Server-sent events stream through the proxy: an official watches a message's live progress.
    let (editor, password) = app.add_official("editor@krakow.pl", &[Role::Editor]).await;
    assert_eq!(login_via_proxy(&c, &nginx, "editor@krakow.pl", &password).await, 303, "the editor signs in");
    let token = app.token_for(editor).await;
    let mut alert = flood_alert();
    alert["area"] = json!({"description": "Podgórze", "districts": [13]});
    let drafted: serde_json::Value = reqwest::Client::new()
        .post(app.url("/api/v1/alerts"))
        .bearer_auth(&token)
        .json(&alert)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = drafted["id"].as_i64().expect("drafted");
    let mut events = c.get(nginx.url(&format!("/official/alerts/{id}/events"))).send().await.unwrap();
    assert_eq!(events.status(), 200);
    assert!(events.headers()["content-type"].to_str().unwrap().starts_with("text/event-stream"));
    let started = std::time::Instant::now();
    let mut seen = String::new();
    let mut arrivals = Vec::new();
    while arrivals.len() < 2 {
        let chunk = tokio::time::timeout(Duration::from_secs(10), events.chunk())
            .await
            .expect("an event within 10 s: the proxy does not hold the stream back")
            .expect("stream readable")
            .expect("the stream stays open");
        seen.push_str(&String::from_utf8_lossy(&chunk));
        while arrivals.len() < seen.matches("event: progress").count() {
            arrivals.push(started.elapsed());
        }
    }
    assert!(arrivals[1] - arrivals[0] >= Duration::from_millis(500), "events arrive one by one: {arrivals:?}");
    drop(events);
    assert!(!nginx.error_log().contains("[emerg]"), "{}", nginx.error_log());
    app.stop().await;
}
