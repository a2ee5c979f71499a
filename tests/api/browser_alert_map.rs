//! The area drawn on the district map (with `alerts.boundaries` configured) in headless Chromium: a click selects a
//! district, real pointer clicks draw a polygon and a circle into the form's fields, and the saved draft targets
//! exactly the districts those shapes touch; the map is shown on the alert's official and public pages; axe-core
//! finds no violation on any of them.
//!
//! With `HEJNAL_TEST_SCREENSHOTS=<dir>` the drawn map is saved as `<dir>/alert-map.png` (the README's picture).

use hejnal::domain::{
    Role,
    geo::{Boundaries, Circle, Point, Polygon},
};
use serde_json::json;

use crate::{
    alerts::api,
    browser::harness::Browser,
    browser_alerts::{select, sign_in, wait_for_contains},
    dual,
    support::{Db, TestApp},
};

dual!(drawing_the_area_on_the_district_map);

const BOUNDARIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/boundaries-grid.geojson");

fn point(text: &str) -> Point {
    let (lat, lon) = text.split_once(',').unwrap();
    Point::new(lat.parse().unwrap(), lon.parse().unwrap())
}

async fn field(browser: &Browser, css: &str) -> String {
    browser.find(css).await.prop("value").await.unwrap().unwrap_or_default()
}

async fn drawing_the_area_on_the_district_map(db: Db) {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn_with(db, |s| s.alerts.boundaries = Some(BOUNDARIES.into())).await;
    let (_, editor_pw) = app.add_official("editor@krakow.example.org", &[Role::Editor]).await;
    let (approver, _) = app.add_official("approver@krakow.example.org", &[Role::Approver]).await;

    sign_in(&browser, &app, "editor@krakow.example.org", &editor_pw).await;
    browser.goto(&app.url("/official/alerts/new?lang=en")).await;
    let map = browser.find("svg#area-map").await;
    browser.wait_for_text_where("#map-tools", "the drawing tools shown", |t| t.contains("Draw a polygon")).await;

    // A click on district 8 ticks its checkbox (and a second click would untick it).
    browser.find("svg#area-map path[data-district='8']").await.click().await.unwrap();
    let box8 = browser.find("input[name=district][value='8']").await;
    assert_eq!(box8.prop("checked").await.unwrap().as_deref(), Some("true"));
    browser.wait_for_text("#map-status", "District 8 selected.").await;

    // A polygon by three real clicks, north-west to east to south: its ring lands in the polygons field.
    browser.find("#draw-polygon").await.click().await.unwrap();
    for (x, y) in [(-150.0, -60.0), (-20.0, -60.0), (-20.0, 40.0)] {
        browser.click_at(&map, x, y).await;
    }
    browser
        .wait_for_text("#map-status", r#"Click the map to add corners (so far: 3). Then choose "Finish the polygon"."#)
        .await;
    browser.find("#draw-finish").await.click().await.unwrap();
    browser.wait_for_text("#map-status", r#"The polygon was added to the "Polygons" field."#).await;
    let polygons = field(&browser, "[id='area.polygons']").await;
    let ring: Vec<Point> = polygons.split_whitespace().map(point).collect();
    assert_eq!(ring.len(), 4, "three corners and the first again: {polygons}");
    assert_eq!(ring[0], ring[3], "closed");
    assert!(ring[0].lon < ring[1].lon && (ring[0].lat - ring[1].lat).abs() < 1e-4, "a click to the east: {polygons}");
    assert!(ring[2].lat < ring[1].lat && (ring[2].lon - ring[1].lon).abs() < 1e-4, "a click to the south: {polygons}");
    assert_eq!(browser.client.find_all(fantoccini::Locator::Css("svg#area-map polygon.drawn")).await.unwrap().len(), 1);

    // A circle: its centre, then a point on its edge.
    browser.find("#draw-circle").await.click().await.unwrap();
    browser.click_at(&map, 150.0, 50.0).await;
    browser.wait_for_text("#map-status", "Now click a point on the edge of the circle.").await;
    browser.click_at(&map, 180.0, 50.0).await;
    browser.wait_for_text("#map-status", r#"The circle was added to the "Circles" field."#).await;
    let circles = field(&browser, "[id='area.circles']").await;
    let (centre, radius) = circles.trim().split_once(' ').unwrap();
    let circle = Circle { center: point(centre), radius_km: radius.parse().unwrap() };
    assert!(circle.radius_km > 0.1 && circle.radius_km < 10.0, "{circles}");
    assert!(circle.center.lon > ring[1].lon, "the circle is east of the polygon: {circles}");
    browser.axe_check("compose with a drawn area (en)").await;
    if let Ok(dir) = std::env::var("HEJNAL_TEST_SCREENSHOTS") {
        browser.js("document.getElementById('area-map').scrollIntoView()").await;
        let png = map.screenshot().await.unwrap();
        std::fs::write(std::path::Path::new(&dir).join("alert-map.png"), png).unwrap();
    }

    // Saved: the draft targets district 8 and exactly the districts the drawn shapes touch.
    select(&browser, "#category", "Env").await;
    browser.find("#event").await.send_keys("Gas leak").await.unwrap();
    select(&browser, "#urgency", "Immediate").await;
    select(&browser, "#severity", "Severe").await;
    select(&browser, "#certainty", "Observed").await;
    browser.find("[id='info.pl.headline']").await.send_keys("Wyciek gazu").await.unwrap();
    browser.find("main form button[type=submit]").await.click().await.unwrap();
    wait_for_contains(&browser, "main", "Nothing has been sent yet").await;
    let id: i64 = browser.current_url().await.rsplit('/').next().unwrap().parse().unwrap();
    let boundaries = Boundaries::from_geojson(&std::fs::read_to_string(BOUNDARIES).unwrap(), "number").unwrap();
    let mut expected = boundaries.districts_touching(&[Polygon(ring)], &[circle]);
    expected.push(8);
    expected.sort_unstable();
    expected.dedup();
    let stored = app.store.alert(id).await.unwrap().unwrap();
    assert_eq!(stored.districts, expected);
    assert!(expected.len() >= 3, "the shapes touch districts besides 8: {expected:?}");
    for d in &expected {
        browser.find(&format!("svg#area-map path.selected[data-district='{d}']")).await;
    }
    let selected = browser.client.find_all(fantoccini::Locator::Css("svg#area-map path.selected")).await.unwrap();
    assert_eq!(selected.len(), expected.len(), "only the targeted districts are hatched");
    browser.axe_check("alert page with its map (en)").await;

    // Once approved, the public page shows the same map, in every language.
    let token = app.token_for(approver).await;
    let (status, body) = api(&app, &token, "POST", &format!("/api/v1/alerts/{id}/approve"), Some(json!({}))).await;
    assert_eq!(status, 200, "{body}");
    for lang in ["pl", "en", "uk"] {
        browser.goto(&app.url(&format!("/alerts/{id}?lang={lang}"))).await;
        let desc = browser.text("svg.area-map desc").await;
        assert!(desc.contains("VIII"), "{desc}");
        browser.axe_check(&format!("public alert with its map ({lang})")).await;
    }
    app.stop().await;
}
