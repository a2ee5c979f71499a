//! The admins' catalogue pages in headless Chromium, axe-core on each in Polish, English and Ukrainian: the list of
//! services and units (with a retired service), a service's form (with a district rule), the form for a new
//! service, and that form sent empty — every problem under its field, without scripts.

use hejnal::domain::Role;

use crate::{
    browser::harness::Browser,
    dual,
    support::{Db, TestApp},
};

dual!(desk_catalogue_pages_are_accessible_in_three_languages);

async fn desk_catalogue_pages_are_accessible_in_three_languages(db: Db) {
    let Some(browser) = Browser::start().await else { return };
    let app = TestApp::spawn(db).await;
    let client = crate::desk_catalogue::admin(&app).await;
    assert_eq!(crate::desk_catalogue::set_active(&client, "STREET-LIGHT", "false").await, 303);
    let mut f = crate::desk_catalogue::fields_of(&crate::desk_catalogue::stored(&app, "TREE-FALLEN").await.unwrap());
    crate::desk_catalogue::set(&mut f, "route-0-district", "3");
    crate::desk_catalogue::set(&mut f, "route-0-unit", "ZDMK");
    let edit = "/official/desk/catalogue/TREE-FALLEN";
    assert_eq!(crate::desk_catalogue::submit(&client, edit, edit, &f).await.status(), 303);

    let (_, password) = app.add_official("catalogue-browser@krakow.example.org", &[Role::Admin]).await;
    browser.goto(&app.url("/official/login?lang=en")).await;
    browser.find("#email").await.send_keys("catalogue-browser@krakow.example.org").await.unwrap();
    browser.find("#password").await.send_keys(&password).await.unwrap();
    browser.find("main form[action='/official/login'] button[type=submit]").await.click().await.unwrap();
    browser.wait_for_text("h1", "Dashboard").await;
    for lang in ["pl", "en", "uk"] {
        for page in
            ["/official/desk/catalogue", edit, "/official/desk/catalogue/STREET-LIGHT", "/official/desk/catalogue/new"]
        {
            browser.goto(&app.url(&format!("{page}?lang={lang}"))).await;
            assert_eq!(browser.html_lang().await.as_deref(), Some(lang), "{page}");
            browser.axe_check(&format!("{page} ({lang})")).await;
        }
        // The new-service form sent empty: the page comes back with every problem named, and is checked too.
        browser.goto(&app.url(&format!("/official/desk/catalogue/new?lang={lang}"))).await;
        browser.find("main form[action='/official/desk/catalogue'] button[type=submit]").await.click().await.unwrap();
        browser.find(".error-summary").await;
        browser.find("#code-error").await;
        let under_code = browser.text("#code-error").await;
        assert!(!under_code.trim().is_empty(), "the code's problem is named under it ({lang})");
        browser.axe_check(&format!("the new-service form with errors ({lang})")).await;
    }
    browser.close().await;
    app.stop().await;
}
