//! Routing per district: a service's override for one district sends a report filed at a point there to the
//! override's unit (in the stored report, the JSON view, Open311's `agency_responsible`, the unit's worklist), a point
//! elsewhere to the service's own unit; removing the override restores that. Starting again (the catalogue seeded
//! anew) keeps every edit, a retired service and the routes.

use hejnal::app;
use serde_json::Value;

use crate::{
    desk::count,
    desk_catalogue::{admin, fields_of, services, set, stored, submit},
    dual,
    support::{Client, Db, TestApp},
};

dual!(a_district_override_routes_reports_filed_there_and_only_there, starting_again_keeps_the_citys_edits);

const BOUNDARIES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/boundaries-grid.geojson");
/// In district 3 and district 5 of the grid.
const IN_3: (&str, &str) = ("50.11", "20.1");
const IN_5: (&str, &str) = ("50.085", "20.0");

async fn file_at(app: &TestApp, (lat, long): (&str, &str)) -> i64 {
    let form = reqwest::multipart::Form::new()
        .text("service_code", "STREET-LIGHT")
        .text("description", format!("Lamp out at {lat}, {long}"))
        .text("lat", lat.to_string())
        .text("long", long.to_string());
    let res = crate::desk::post_report(app, form, "en").await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    res.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

async fn a_district_override_routes_reports_filed_there_and_only_there(db: Db) {
    let app = TestApp::spawn_with(db, |s| s.alerts.boundaries = Some(BOUNDARIES.into())).await;
    let client = admin(&app).await;
    let edit = "/official/desk/catalogue/STREET-LIGHT";
    let mut f = fields_of(&stored(&app, "STREET-LIGHT").await.unwrap());
    set(&mut f, "route-0-district", "3");
    set(&mut f, "route-0-unit", "ZZM");
    let res = submit(&client, edit, edit, &f).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let page = client.get(&format!("{edit}?lang=en")).await.text().await.unwrap();
    assert!(page.contains("<option value=\"3\" selected>"), "the override is shown on the page");

    let there = file_at(&app, IN_3).await;
    let elsewhere = file_at(&app, IN_5).await;
    for (id, unit, district, name) in [
        (there, "ZZM", 3, "Kraków Municipal Greenery Authority"),
        (elsewhere, "ZDMK", 5, "Kraków City Roads Authority"),
    ] {
        let sql =
            format!("SELECT COUNT(*) FROM desk_reports WHERE id = {id} AND unit = '{unit}' AND district = {district}");
        assert_eq!(count(&app, &sql).await, 1, "report {id} with {unit} in district {district}");
        let sql = format!("SELECT COUNT(*) FROM desk_report_events WHERE report_id = {id} AND unit = '{unit}'");
        assert_eq!(count(&app, &sql).await, 1, "its history starts at {unit}");
        let shown: Value =
            reqwest::get(app.url(&format!("/api/v1/reports/{id}?lang=en"))).await.unwrap().json().await.unwrap();
        assert_eq!(shown["unit"], unit, "{shown}");
        let open311: Value = reqwest::get(app.url(&format!("/open311/v2/requests/{id}.json?lang=en")))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(open311[0]["agency_responsible"], name, "{open311}");
    }
    // The greenery authority's staff see the report routed to them, not the other one.
    let (staff_id, password) = app.add_official("greenery@krakow.example.org", &[]).await;
    app.store.set_staff_units(staff_id, &["ZZM".to_string()]).await.unwrap();
    let staff = Client::new(&app);
    assert_eq!(staff.login("greenery@krakow.example.org", &password).await.status(), 303);
    let worklist = staff.get("/official/reports?lang=en").await.text().await.unwrap();
    assert!(worklist.contains(&format!("/official/reports/{there}\"")), "{worklist}");
    assert!(!worklist.contains(&format!("/official/reports/{elsewhere}\"")), "{worklist}");
    // "Who handles it" keeps naming the service's own unit.
    let found = services(&app, "en", "street light").await;
    assert_eq!(found[0]["unit"], "ZDMK");

    // Removing the override: district 3 goes to the service's unit again.
    set(&mut f, "route-0-remove", "true");
    assert_eq!(submit(&client, edit, edit, &f).await.status(), 303);
    assert!(stored(&app, "STREET-LIGHT").await.unwrap().routes.is_empty());
    let again = file_at(&app, ("50.112", "20.12")).await;
    assert_eq!(
        count(&app, &format!("SELECT COUNT(*) FROM desk_reports WHERE id = {again} AND unit = 'ZDMK'")).await,
        1
    );
    app.stop().await;
}

async fn starting_again_keeps_the_citys_edits(db: Db) {
    let app = TestApp::spawn(db).await;
    let client = admin(&app).await;
    let edit = "/official/desk/catalogue/TREE-FALLEN";
    let mut f = fields_of(&stored(&app, "TREE-FALLEN").await.unwrap());
    set(&mut f, "name_en", "Tree down");
    set(&mut f, "target_days", "12");
    set(&mut f, "unit", "ZDMK");
    set(&mut f, "attr-1-remove", "true");
    set(&mut f, "route-0-district", "3");
    set(&mut f, "route-0-unit", "ZZM");
    assert_eq!(submit(&client, edit, edit, &f).await.status(), 303);
    assert_eq!(crate::desk_catalogue::set_active(&client, "STREET-LIGHT", "false").await, 303);
    let edited = app.store.catalogue().await.unwrap();
    let tree = edited.service("TREE-FALLEN").unwrap();
    assert_eq!((tree.name.en.as_str(), tree.target_days, tree.unit.as_str()), ("Tree down", 12, "ZDMK"));
    assert_eq!(tree.attributes.len(), 1);
    assert_eq!(tree.routes.len(), 1);

    // Start-up again on the same database: migrations and the catalogue's seeding run once more.
    let store = app::prepare(&app.config).await.expect("prepared again");
    let reseeded = store.catalogue().await.unwrap();
    assert_eq!(reseeded.services, edited.services, "every edit, the retired service and the routes are kept");
    assert!(!reseeded.service("STREET-LIGHT").unwrap().active, "a retired service stays retired");
    store.close().await;
    let found = services(&app, "en", "").await;
    assert!(found.iter().any(|s| s["name"] == "Tree down") && !found.iter().any(|s| s["code"] == "STREET-LIGHT"));
    app.stop().await;
}
