//! Every official route × every role, and anonymous: who is let in and who is refused.

use hejnal::domain::Role;

use crate::{
    dual,
    support::{Client, Db, TestApp},
};

dual!(every_route_checks_the_role);

/// Who may use a route.
#[derive(Clone, Copy)]
enum Allowed {
    AnyOfficial,
    Only(&'static [Role]),
}

/// The official routes. A new official route must be added here, or this test does not know it.
const ROUTES: &[(&str, &str, Allowed)] = &[
    ("GET", "/official", Allowed::AnyOfficial),
    ("GET", "/official/logout", Allowed::AnyOfficial),
    ("GET", "/official/admin/officials", Allowed::Only(&[Role::Admin])),
    ("POST", "/official/admin/officials", Allowed::Only(&[Role::Admin])),
    ("POST", "/official/admin/officials/999/roles", Allowed::Only(&[Role::Admin])),
    ("POST", "/official/admin/officials/999/active", Allowed::Only(&[Role::Admin])),
    ("GET", "/official/admin/tokens", Allowed::Only(&[Role::Admin])),
    ("POST", "/official/admin/tokens", Allowed::Only(&[Role::Admin])),
    ("POST", "/official/admin/tokens/999/revoke", Allowed::Only(&[Role::Admin])),
    ("GET", "/official/admin/audit", Allowed::Only(&[Role::Admin])),
    ("GET", "/api/v1/me", Allowed::AnyOfficial),
    ("GET", "/api/v1/officials", Allowed::Only(&[Role::Admin])),
    ("POST", "/api/v1/officials", Allowed::Only(&[Role::Admin])),
    ("GET", "/official/panel", Allowed::Only(&[Role::Analyst, Role::Admin])),
    ("GET", "/api/v1/panel/stats", Allowed::Only(&[Role::Analyst, Role::Admin])),
    ("GET", "/official/admin/notice", Allowed::Only(&[Role::Admin])),
    ("POST", "/official/admin/notice", Allowed::Only(&[Role::Admin])),
    ("GET", "/official/admin/panel/import", Allowed::Only(&[Role::Admin])),
    ("POST", "/official/admin/panel/import", Allowed::Only(&[Role::Admin])),
    ("GET", "/official/admin/residents", Allowed::Only(&[Role::Admin])),
    ("GET", "/official/admin/residents/999/export", Allowed::Only(&[Role::Admin])),
    ("POST", "/official/admin/residents/999/erase", Allowed::Only(&[Role::Admin])),
    ("GET", "/official/alerts", Allowed::AnyOfficial),
    ("GET", "/official/alerts/999", Allowed::AnyOfficial),
    ("GET", "/official/alerts/999/events", Allowed::AnyOfficial),
    ("GET", "/official/alerts/new", Allowed::Only(&[Role::Editor])),
    ("POST", "/official/alerts/new", Allowed::Only(&[Role::Editor])),
    ("GET", "/official/alerts/999/update", Allowed::Only(&[Role::Editor])),
    ("POST", "/official/alerts/999/update", Allowed::Only(&[Role::Editor])),
    ("POST", "/official/alerts/999/approve", Allowed::Only(&[Role::Approver])),
    ("POST", "/official/alerts/999/cancel", Allowed::Only(&[Role::Approver])),
    ("GET", "/api/v1/alerts", Allowed::AnyOfficial),
    ("POST", "/api/v1/alerts", Allowed::Only(&[Role::Editor])),
    ("GET", "/api/v1/alerts/999", Allowed::AnyOfficial),
    ("GET", "/api/v1/alerts/999/progress", Allowed::AnyOfficial),
    ("POST", "/api/v1/alerts/999/approve", Allowed::Only(&[Role::Approver])),
    ("POST", "/api/v1/alerts/999/update", Allowed::Only(&[Role::Editor])),
    ("POST", "/api/v1/alerts/999/cancel", Allowed::Only(&[Role::Approver])),
    ("POST", "/api/v1/cap", Allowed::Only(&[Role::Editor])),
    ("GET", "/official/polls", Allowed::AnyOfficial),
    ("GET", "/official/polls/999", Allowed::AnyOfficial),
    ("POST", "/official/polls", Allowed::Only(&[Role::Editor])),
    ("POST", "/official/polls/999/close", Allowed::Only(&[Role::Editor])),
    ("POST", "/api/v1/surveys", Allowed::Only(&[Role::Editor])),
    ("GET", "/api/v1/surveys/999", Allowed::AnyOfficial),
    ("POST", "/api/v1/surveys/999/revise", Allowed::Only(&[Role::Editor])),
    ("POST", "/api/v1/surveys/999/launch", Allowed::Only(&[Role::Approver])),
    ("GET", "/official/surveys", Allowed::AnyOfficial),
    ("POST", "/official/surveys", Allowed::Only(&[Role::Editor])),
    ("GET", "/official/surveys/999", Allowed::AnyOfficial),
    ("GET", "/official/surveys/999/preview", Allowed::AnyOfficial),
    ("POST", "/official/surveys/999/questions", Allowed::Only(&[Role::Editor])),
    ("POST", "/official/surveys/999/questions/q1/delete", Allowed::Only(&[Role::Editor])),
    ("POST", "/official/surveys/999/launch", Allowed::Only(&[Role::Approver])),
    ("GET", "/official/surveys/999/results", Allowed::Only(&[Role::Analyst, Role::Admin, Role::Editor])),
    ("GET", "/official/surveys/999/responses.csv", Allowed::Only(&[Role::Analyst, Role::Admin, Role::Editor])),
    ("POST", "/official/surveys/999/texts/1", Allowed::Only(&[Role::Analyst, Role::Admin, Role::Editor])),
    ("POST", "/official/surveys/999/publication", Allowed::Only(&[Role::Analyst, Role::Admin, Role::Editor])),
    ("GET", "/api/v1/surveys/999/results", Allowed::Only(&[Role::Analyst, Role::Admin])),
    // Last: it ends the session.
    ("POST", "/official/logout", Allowed::AnyOfficial),
];

async fn call(client: &Client, signed_in: bool, method: &str, path: &str) -> reqwest::Response {
    let csrf = client.csrf(if signed_in { "/official/logout" } else { "/official/login" }).await;
    match method {
        "GET" => client.get(path).await,
        _ => client
            .http
            .post(client.url(path))
            .header("x-csrf-token", &csrf)
            .form(&[("_csrf", csrf.as_str())])
            .send()
            .await
            .unwrap(),
    }
}

async fn every_route_checks_the_role(db: Db) {
    let app = TestApp::spawn(db).await;
    let mut callers: Vec<(String, Option<Vec<Role>>)> =
        vec![("anonymous".into(), None), ("no role".into(), Some(vec![]))];
    callers.extend(Role::ALL.iter().map(|r| (r.as_str().to_string(), Some(vec![*r]))));

    let mut checked = 0;
    for (i, (label, roles)) in callers.iter().enumerate() {
        let client = match roles {
            None => Client::new(&app),
            Some(roles) => app.signed_in(&format!("caller{i}@krakow.example.org"), roles).await,
        };
        for (method, path, allowed) in ROUTES {
            let res = call(&client, roles.is_some(), method, path).await;
            let status = res.status().as_u16();
            let location = res.headers().get("location").map(|l| l.to_str().unwrap().to_string()).unwrap_or_default();
            let may = match (roles, allowed) {
                (None, _) => false,
                (Some(_), Allowed::AnyOfficial) => true,
                (Some(held), Allowed::Only(needed)) => held.iter().any(|r| needed.contains(r)),
            };
            let context = format!("{label} {method} {path} -> {status} {location}");
            if may {
                assert!(![401, 403].contains(&status) && !location.contains("next="), "should be allowed: {context}");
            } else if roles.is_none() && path.starts_with("/api/") {
                assert_eq!(status, 401, "anonymous API call: {context}");
            } else if roles.is_none() {
                assert_eq!(status, 303, "anonymous page: {context}");
                assert!(location.starts_with("/official/login?") && location.contains("next="), "{context}");
            } else {
                assert_eq!(status, 403, "wrong role: {context}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, ROUTES.len() * 6);
}
