//! The authorisation matrix: every route the router has × anonymous, a resident and each official role, checked
//! against one table kept as data (`tests/authz_matrix.csv`). The routes are read from the router itself, so a new
//! route without a row fails here, and so does a row whose route is gone.

use std::collections::{BTreeMap, BTreeSet};

use hejnal::domain::{Role, secret_token};

use crate::{
    campaign_routes::{Route, router_routes},
    dual,
    support::{Db, TestApp},
};

dual!(every_route_answers_every_caller_as_the_matrix_says);

const MATRIX: &str = include_str!("../authz_matrix.csv");
const CALLERS: [&str; 7] = ["anonymous", "resident", "no_role", "admin", "editor", "approver", "analyst"];
/// The officials' columns and the roles each holds.
const OFFICIALS: [(&str, &[Role]); 5] = [
    ("no_role", &[]),
    ("admin", &[Role::Admin]),
    ("editor", &[Role::Editor]),
    ("approver", &[Role::Approver]),
    ("analyst", &[Role::Analyst]),
];
/// Double-submit CSRF: the same value as cookie, header and form field (the app accepts any 32+ character value).
const CSRF: &str = "campaign-matrix-csrf-token-0123456789abcdef";

/// The table: (method, path) → allowed, per caller in [`CALLERS`] order.
fn matrix() -> BTreeMap<Route, [bool; 7]> {
    let mut rows = BTreeMap::new();
    let mut lines = MATRIX.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
    let header: Vec<&str> = lines.next().expect("a header line").split(',').collect();
    assert_eq!(header[2..], CALLERS, "the matrix's columns");
    assert!(OFFICIALS.iter().all(|(o, _)| CALLERS.contains(o)));
    for line in lines {
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        assert_eq!(cells.len(), 2 + CALLERS.len(), "malformed row: {line}");
        let allowed = std::array::from_fn(|i| match cells[2 + i] {
            "allow" => true,
            "deny" => false,
            other => panic!("`{other}` is neither allow nor deny: {line}"),
        });
        let route = Route { method: cells[0].to_string(), path: cells[1].to_string() };
        assert!(rows.insert(route, allowed).is_none(), "duplicate row: {line}");
    }
    rows
}

/// A concrete path for a route pattern: every parameter gets a value that matches no record.
fn concrete(pattern: &str) -> String {
    pattern
        .split('/')
        .map(|segment| match segment {
            "{id}" | "{text_id}" => "999999",
            "{qid}" => "q1",
            "{file}" => "none.csv",
            "{*file}" => "none.css",
            "{*rest}" => "index.html",
            s if s.starts_with('{') => "nothing-matches-this-token-0123456789",
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// Fresh credentials for one request, so that a route ending a session (logout, erasure) affects no other row.
async fn cookie_for(app: &TestApp, caller: &str, officials: &BTreeMap<&str, i64>) -> String {
    let token = secret_token::generate("");
    let now = chrono::Utc::now();
    let expires = now + chrono::Duration::hours(1);
    let session = match caller {
        "anonymous" => None,
        "resident" => {
            let seed = rand::random::<u32>() as u64;
            let id = hejnal::cli::panel_synth(&app.store, 1, seed).await.expect("a resident");
            app.store.create_resident_session(&secret_token::hash(&token), id, now, expires).await.unwrap();
            Some(format!("hejnal_resident={token}"))
        }
        official => {
            app.store.create_session(&secret_token::hash(&token), officials[official], expires).await.unwrap();
            Some(format!("hejnal_session={token}"))
        }
    };
    let csrf = format!("hejnal_csrf={CSRF}");
    session.map(|s| format!("{csrf}; {s}")).unwrap_or(csrf)
}

/// How a caller is refused: the API answers 401 to a stranger and 403 to the wrong official; official pages send
/// strangers to the login page (remembering where they were going) and answer 403 to the wrong role; residents'
/// pages send anyone without a resident session to the resident sign-in.
fn refusal(caller: &str, path: &str) -> (u16, &'static str) {
    let official = !["anonymous", "resident"].contains(&caller);
    match () {
        _ if path.starts_with("/api/") => (if official { 403 } else { 401 }, ""),
        _ if path.starts_with("/me") => (303, "/me/signin"),
        _ if official => (403, ""),
        _ => (303, "/official/login?"),
    }
}

/// Whether the answer is exactly that refusal.
fn refused_as_expected(caller: &str, path: &str, status: u16, location: &str) -> bool {
    let (expected, to) = refusal(caller, path);
    status == expected && location.starts_with(to) && (to != "/official/login?" || location.contains("next="))
}

/// Whether the answer is any kind of refusal. A sign-out also ends on a sign-in page, but it clears the session
/// cookie, which a refusal never does.
fn refused_at_all(status: u16, location: &str, signed_out: bool) -> bool {
    let to_sign_in = location.starts_with("/official/login") || location.starts_with("/me/signin");
    [401, 403].contains(&status) || (to_sign_in && !signed_out)
}

async fn every_route_answers_every_caller_as_the_matrix_says(db: Db) {
    let app = TestApp::spawn(db).await;
    let table = matrix();
    let routes = router_routes(&app).await;

    let missing: Vec<_> = routes.difference(&table.keys().cloned().collect()).map(ToString::to_string).collect();
    assert!(missing.is_empty(), "routes without a row in tests/authz_matrix.csv: {missing:#?}");
    let stale: Vec<_> = table.keys().filter(|r| !routes.contains(r)).map(ToString::to_string).collect();
    assert!(stale.is_empty(), "rows in tests/authz_matrix.csv for routes the router does not have: {stale:#?}");

    let mut officials = BTreeMap::new();
    for (caller, roles) in OFFICIALS {
        let (id, _) = app.add_official(&format!("{caller}@krakow.example.org"), roles).await;
        officials.insert(caller, id);
    }
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .unwrap();

    let mut wrong = Vec::new();
    let mut checked = 0;
    for (route, allowed) in &table {
        for (caller, may) in CALLERS.iter().zip(allowed) {
            let cookie = cookie_for(&app, caller, &officials).await;
            let method = reqwest::Method::from_bytes(route.method.as_bytes()).unwrap();
            let res = http
                .request(method, app.url(&concrete(&route.path)))
                .header("cookie", cookie)
                .header("x-csrf-token", CSRF)
                .form(&[("_csrf", CSRF)])
                .send()
                .await
                .unwrap_or_else(|e| panic!("{caller} {route}: {e}"));
            let status = res.status().as_u16();
            let location = res.headers().get("location").and_then(|l| l.to_str().ok()).unwrap_or("").to_string();
            let signed_out = res.headers().get_all("set-cookie").iter().filter_map(|c| c.to_str().ok()).any(|c| {
                (c.starts_with("hejnal_session=;") || c.starts_with("hejnal_resident=;")) && c.contains("Max-Age=0")
            });
            let right = match may {
                true => !refused_at_all(status, &location, signed_out),
                false => refused_as_expected(caller, &route.path, status, &location),
            };
            if status >= 500 || !right {
                let expected = if *may { "allowed" } else { "refused" };
                wrong.push(format!("{caller:9} {route}: {status} {location} (should be {expected})"));
            }
            checked += 1;
        }
    }
    assert!(wrong.is_empty(), "answers that differ from tests/authz_matrix.csv:\n{}", wrong.join("\n"));
    assert_eq!(checked, table.len() * CALLERS.len());
    // The matrix must cover the whole application, not an accidentally empty router.
    assert!(table.len() > 100, "only {} routes", table.len());
}

#[test]
fn matrix_rows_name_known_methods() {
    let methods: BTreeSet<&str> = ["GET", "POST", "PUT", "PATCH", "DELETE"].into();
    for route in matrix().keys() {
        assert!(methods.contains(route.method.as_str()), "{route}");
        assert!(route.path.starts_with('/'), "{route}");
    }
}
