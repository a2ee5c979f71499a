//! `/official/messages`: every message residents receive, in each language and channel, with sample content.

use hejnal::domain::Role;

use crate::{
    dual,
    support::{Db, TestApp},
};

dual!(officials_preview_every_message_in_every_language_and_channel);

async fn officials_preview_every_message_in_every_language_and_channel(db: Db) {
    let app = TestApp::spawn(db).await;
    let anonymous = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let res = anonymous.get(app.url("/official/messages")).send().await.unwrap();
    assert_eq!(res.status(), 303, "officials only");

    let client = app.signed_in("analyst@krakow.pl", &[Role::Analyst]).await;
    let res = client.get("/official/messages?lang=en").await;
    assert_eq!(res.status(), 200);
    let page = res.text().await.unwrap();
    for kind in [
        "Emergency alert",
        "Update of an alert",
        "All-clear (an alert cancelled)",
        "Service announcement",
        "Survey invitation",
        "Survey reminder",
        "Confirming an email address or phone number",
        "Signing in to the panel",
    ] {
        assert!(page.contains(&format!(">{kind}</h2>")), "no {kind}: {page}");
    }
    // Each message in each language: the sample alert's headline as residents read it in pl, en and uk…
    for headline in
        ["Ostrzeżenie powodziowe na Wiśle", "Flood warning on the Vistula", "Попередження про повінь на Віслі"]
    {
        assert!(page.contains(headline), "no {headline}");
    }
    // …on every channel (alerts: email, SMS, push; one-time secrets: email and SMS).
    for heading in ["Polski · Email", "English · SMS", "Українська · Web push notifications"] {
        assert!(page.contains(heading), "no {heading}");
    }
    assert!(page.contains("AKTUALIZACJA") || page.contains("UPDATE"), "updates are labelled");
    assert!(page.contains("Kraków asks you: Bicycles on the Main Square"), "the survey invitation's subject");
    assert!(page.contains("/verify/{{secret}}") && page.contains("/me/signin/{{secret}}"), "links as placeholders");
    // No catalogue key shows instead of words.
    for key in ["messages-kind", "messages-sample", "msg-verify", "msg-signin", "survey-invite", "alert-prefix"] {
        assert!(!page.contains(key), "a raw catalogue key {key}… on the page");
    }
    app.stop().await;
}
