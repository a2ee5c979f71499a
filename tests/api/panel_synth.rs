//! `hejnal panel synth`: verified synthetic residents on reserved addresses, spread by population, with ledger
//! events (method `import`) and the matching derived consent state.

use hejnal::domain::panel::ContactKind;

use crate::{
    dual,
    support::{Db, TestApp},
};

dual!(synthetic_residents_are_verified_spread_and_consented);

async fn synthetic_residents_are_verified_spread_and_consented(db: Db) {
    let app = TestApp::spawn(db).await;
    let first = hejnal::cli::panel_synth(&app.store, 3000, 42).await.unwrap();
    assert_eq!(first, 1);
    let counts = app.store.panel_counts().await.unwrap();
    assert_eq!(counts.verified_residents, 3000);
    let districts = app.store.list_districts().await.unwrap();
    let biggest = districts.iter().max_by_key(|d| d.population).unwrap().number;
    let smallest = districts.iter().min_by_key(|d| d.population).unwrap().number;
    let in_district = |n: i64| counts.by_district.iter().find(|(d, _)| *d == n).map(|(_, c)| *c).unwrap_or(0);
    assert!(in_district(biggest) > 2 * in_district(smallest), "{:?}", counts.by_district);
    let langs: Vec<&str> = counts.by_language.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(langs, ["en", "pl", "uk"]);
    assert!(counts.by_purpose.len() >= 3 && counts.by_channel.len() == 2, "{counts:?}");

    let r = app.store.resident(1).await.unwrap().unwrap();
    assert!(r.verified_at.is_some() && r.home_district.is_some());
    // The loops below check every contact and consent: they must have something to check.
    assert!(!r.contact_points.is_empty(), "resident 1 has contact points: {r:?}");
    for c in &r.contact_points {
        match c.kind {
            ContactKind::Email => assert!(c.value.ends_with("@example.org") || c.value.ends_with("@example.net")),
            ContactKind::Phone => assert!(c.value.starts_with("+48600") && c.value.len() == 12, "{}", c.value),
        }
        assert!(c.verified_at.is_some());
    }
    let history = app.store.consent_history(1).await.unwrap();
    assert!(!history.is_empty(), "resident 1 consented to something");
    assert!(history.iter().all(|e| e.method == "import" && e.granted));
    let current = app.store.current_consents(1).await.unwrap();
    assert_eq!(current.len(), history.len());

    // A second run continues after the first: new ids, new phone numbers, no clashes.
    assert_eq!(hejnal::cli::panel_synth(&app.store, 500, 42).await.unwrap(), 3001);
    assert_eq!(app.store.panel_counts().await.unwrap().verified_residents, 3500);
    app.stop().await;
}
