//! The routes the application's router really has, read from the router itself.
//!
//! axum has no API that lists routes, but its `Debug` output does name every path (`Node { paths: {RouteId(n):
//! "/path"} }`) and every method router's `Allow` header (`allow_header: Bytes(b"GET,HEAD,POST")`). Reading that is
//! tied to axum's formatting, so the parser fails loudly on anything it does not understand rather than returning
//! fewer routes.

use std::{collections::BTreeSet, fmt};

use crate::support::TestApp;

/// One method on one path pattern, as the router registered it (`/alerts/{id}`).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Route {
    pub method: String,
    pub path: String,
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// Every (method, path) of the application's router; HEAD and OPTIONS, which axum adds with GET, are left out.
pub async fn router_routes(app: &TestApp) -> BTreeSet<Route> {
    let core = hejnal::core::Core::new(app.config.clone(), app.store.clone()).await.expect("the core");
    let state = hejnal::web::AppState::new(core).expect("application state");
    let router = hejnal::web::router(state);
    parse_router_debug(&format!("{router:?}"))
}

/// Parses `Router { path_router: PathRouter { routes: {…}, node: Node { paths: {…} } }, fallback_router: … }`.
pub fn parse_router_debug(text: &str) -> BTreeSet<Route> {
    let main = text
        .split_once("fallback_router:")
        .map(|(main, _)| main)
        .unwrap_or_else(|| panic!("axum's Router debug output changed: no fallback_router in {text:.300}"));
    let (routes, node) = main.rsplit_once("node: Node { paths: {").expect("axum's Router debug output names the paths");
    let paths = route_ids(node)
        .into_iter()
        .map(|(id, rest)| {
            let path = rest.strip_prefix('"').and_then(|r| r.split_once('"')).map(|(p, _)| p.to_string());
            (id, path.unwrap_or_else(|| panic!("unreadable path for RouteId({id}): {rest:.80}")))
        })
        .collect::<std::collections::BTreeMap<_, _>>();
    let mut found = BTreeSet::new();
    for (id, rest) in route_ids(routes) {
        let path = paths.get(&id).unwrap_or_else(|| panic!("RouteId({id}) has no path"));
        let allow = rest
            .split_once("allow_header: ")
            .map(|(_, a)| a)
            .unwrap_or_else(|| panic!("{path}: no allow_header (a service route?): {rest:.200}"));
        let methods = allow
            .strip_prefix("Bytes(b\"")
            .and_then(|a| a.split_once('"'))
            .map(|(m, _)| m)
            .unwrap_or_else(|| panic!("{path}: accepts any method ({allow:.40}); the matrix needs each method"));
        for method in methods.split(',').filter(|m| !["HEAD", "OPTIONS"].contains(m)) {
            found.insert(Route { method: method.to_string(), path: path.clone() });
        }
    }
    assert!(!found.is_empty(), "no routes read from the router");
    found
}

/// `RouteId(n): <text up to the next RouteId>` for each entry of a debug-printed map.
fn route_ids(text: &str) -> Vec<(u32, &str)> {
    let mut parts = text.split("RouteId(");
    parts.next();
    parts
        .map(|part| {
            let (id, rest) = part.split_once("): ").unwrap_or_else(|| panic!("unreadable RouteId entry: {part:.80}"));
            (id.parse().unwrap_or_else(|_| panic!("unreadable route id {id}")), rest)
        })
        .collect()
}

#[test]
fn reads_paths_and_methods_from_a_router() {
    use axum::routing::get;
    let router: axum::Router =
        axum::Router::new().route("/a", get(|| async {}).post(|| async {})).route("/b/{id}", get(|| async {}));
    let found: Vec<String> = parse_router_debug(&format!("{router:?}")).iter().map(ToString::to_string).collect();
    assert_eq!(found, ["GET /a", "GET /b/{id}", "POST /a"]);
}
