//! The intervention desk, for residents: finding the service by describing the problem (API and page), and filing
//! a report — with and without photos, every bad input refused with nothing stored, the same report twice
//! recognised, photos stripped of their metadata and refused when they are bombs.

use hejnal::domain::Role;
use reqwest::multipart::{Form, Part};
use serde_json::Value;

use crate::{
    dual,
    support::{Client, Db, TestApp},
};

dual!(
    describing_the_problem_in_any_language_finds_the_service_its_unit_and_time,
    the_report_page_answers_who_handles_it_in_the_pages_language,
    a_report_without_a_photo_is_filed_and_shown_without_contact,
    a_photo_comes_back_as_a_jpeg_without_exif_and_only_to_staff,
    a_decompression_bomb_is_refused_and_nothing_is_stored,
    each_bad_input_is_refused_by_field_and_nothing_is_stored,
    the_same_report_sent_twice_is_recognised,
    the_report_form_files_a_report_and_shows_errors_in_place,
);

/// Rows of a table, read straight from the database.
pub async fn count(app: &TestApp, sql: &str) -> i64 {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    if app.db.url.starts_with("sqlite:") {
        let pool = sqlx::SqlitePool::connect(&app.db.url).await.expect("sqlite");
        let n = sqlx::query_scalar(sql).fetch_one(&pool).await.expect("count");
        pool.close().await;
        n
    } else {
        let pool = sqlx::PgPool::connect(&app.db.url).await.expect("postgres");
        let n = sqlx::query_scalar(sql).fetch_one(&pool).await.expect("count");
        pool.close().await;
        n
    }
}

/// The Main Square.
const LAT: &str = "50.0614";
const LON: &str = "19.9366";

pub fn report_form(service: &str, description: &str) -> Form {
    Form::new()
        .text("service_code", service.to_string())
        .text("description", description.to_string())
        .text("lat", LAT)
        .text("long", LON)
}

pub async fn post_report(app: &TestApp, form: Form, lang: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url("/api/v1/reports"))
        .header("Accept-Language", lang)
        .multipart(form)
        .send()
        .await
        .expect("POST /api/v1/reports")
}

/// A JPEG carrying an EXIF block with GPS tags and a camera serial (APP1 inserted after SOI).
pub fn jpeg_with_exif() -> Vec<u8> {
    let img = image::RgbImage::from_fn(400, 300, |x, y| image::Rgb([(x % 256) as u8, (y % 256) as u8, 90]));
    let mut plain = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90).encode_image(&img).unwrap();
    // TIFF header (little endian), one IFD with no entries, then text a stripper must not keep.
    let mut tiff = b"II*\0\x08\0\0\0\0\0\0\0\0\0".to_vec();
    tiff.extend_from_slice(b"GPSLatitude 50.0614 GPSLongitude 19.9366 BodySerialNumber CAM-123456");
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend_from_slice(&tiff);
    let len = (app1.len() + 2) as u16;
    let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&app1);
    out.extend_from_slice(&plain[2..]);
    out
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in data {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

fn chunk(kind: &[u8], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
    out
}

/// A PNG that declares 100000 × 100000 pixels in a few dozen bytes.
fn png_bomb() -> Vec<u8> {
    let mut ihdr = 100_000u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&100_000u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    out.extend(chunk(b"IHDR", &ihdr));
    out.extend(chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]));
    out.extend(chunk(b"IEND", &[]));
    out
}

pub fn photo(bytes: Vec<u8>, name: &str, mime: &str) -> Part {
    Part::bytes(bytes).file_name(name.to_string()).mime_str(mime).unwrap()
}

async fn describing_the_problem_in_any_language_finds_the_service_its_unit_and_time(db: Db) {
    let app = TestApp::spawn(db).await;
    for (q, lang, unit) in [
        ("drzewo spadło", "pl", "Zarząd Zieleni Miejskiej w Krakowie"),
        ("fallen tree", "en", "Kraków Municipal Greenery Authority"),
        ("впало дерево", "uk", "Управління міської зелені Кракова"),
    ] {
        let res = reqwest::Client::new()
            .get(app.url("/api/v1/services"))
            .query(&[("q", q), ("lang", lang)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200);
        let body: Value = res.json().await.unwrap();
        let first = &body["services"][0];
        assert_eq!(first["code"], "TREE-FALLEN", "{q}: {body}");
        assert_eq!(first["unit"], "ZZM");
        assert_eq!(first["unit_name"], unit, "{q}");
        assert_eq!(first["target_days"], 2);
        assert_eq!(first["attributes"][0]["code"], "road_blocked");
    }
    let all: Value = reqwest::get(app.url("/api/v1/services")).await.unwrap().json().await.unwrap();
    assert_eq!(all["services"].as_array().unwrap().len(), 18);
    app.stop().await;
}

async fn the_report_page_answers_who_handles_it_in_the_pages_language(db: Db) {
    let app = TestApp::spawn(db).await;
    let c = Client::new(&app);
    for (q, lang, name, unit, days) in [
        (
            "fallen tree",
            "en",
            "Fallen or broken tree",
            "Kraków Municipal Greenery Authority",
            "usually within 2 working days",
        ),
        (
            "drzewo spadło",
            "pl",
            "Złamane lub przewrócone drzewo",
            "Zarząd Zieleni Miejskiej w Krakowie",
            "zwykle w ciągu 2 dni roboczych",
        ),
        (
            "впало дерево",
            "uk",
            "Впале або зламане дерево",
            "Управління міської зелені Кракова",
            "зазвичай протягом 2 робочих днів",
        ),
    ] {
        let html = c.get(&format!("/report?lang={lang}&q={}", urlencode(q))).await.text().await.unwrap();
        let results = &html[html.find("id=\"results\"").expect("a results section")..];
        assert!(results.contains(name), "{lang}: {results}");
        assert!(results.contains(unit), "{lang}");
        assert!(results.contains(days), "{lang}");
        assert!(results.contains("/report?service=TREE-FALLEN"));
    }
    app.stop().await;
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

async fn a_report_without_a_photo_is_filed_and_shown_without_contact(db: Db) {
    let app = TestApp::spawn(db).await;
    let form = report_form("ROAD-POTHOLE", "Deep pothole in the right lane")
        .text("attribute[blocking]", "true")
        .text("address", "Rynek Główny 1")
        .text("email", "Resident@Example.org")
        .text("public", "true");
    let res = post_report(&app, form, "en").await;
    assert_eq!(res.status(), 201);
    let filed: Value = res.json().await.unwrap();
    let id = filed["id"].as_i64().unwrap();
    assert!(filed["token"].as_str().unwrap().len() > 10);

    let shown = reqwest::get(app.url(&format!("/api/v1/reports/{id}?lang=en"))).await.unwrap();
    assert_eq!(shown.status(), 200);
    let text = shown.text().await.unwrap();
    assert!(!text.contains("resident@example.org") && !text.contains("Resident@"), "no contact: {text}");
    assert!(!text.contains("Deep pothole"), "no description before publication: {text}");
    let shown: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(shown["state"], "new");
    assert_eq!(shown["service_name"], "Pothole in the road");
    assert_eq!(shown["unit"], "ZDMK");
    assert_eq!(shown["overdue"], false);

    let stored = app.store.report(id).await.unwrap().unwrap();
    assert_eq!(stored.contact_value.as_deref(), Some("resident@example.org"));
    assert_eq!(stored.attributes, vec![("blocking".to_string(), "true".to_string())]);
    assert_eq!(stored.photos, 0);
    let consent = count(
        &app,
        &format!(
            "SELECT COUNT(*) FROM consent_events WHERE report_id = {id} AND purpose = 'report_updates' \
             AND channel = 'email' AND granted AND resident_id IS NULL"
        ),
    )
    .await;
    assert_eq!(consent, 1, "the wish to hear back is in the consent ledger");

    let anonymous = post_report(&app, report_form("STREET-LIGHT", "Lamp out"), "en").await;
    assert_eq!(anonymous.status(), 201);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM consent_events WHERE report_id IS NOT NULL").await, 1);
    app.stop().await;
}

async fn a_photo_comes_back_as_a_jpeg_without_exif_and_only_to_staff(db: Db) {
    let app = TestApp::spawn(db).await;
    let original = jpeg_with_exif();
    assert!(original.windows(4).any(|w| w == b"Exif") && original.windows(11).any(|w| w == b"GPSLatitude"));
    let form =
        report_form("STREET-LIGHT", "Lamp out since Monday").part("photo", photo(original, "a.jpg", "image/jpeg"));
    let res = post_report(&app, form, "en").await;
    assert_eq!(res.status(), 201, "{}", res.text().await.unwrap());
    let id = res.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    let anonymous = reqwest::get(app.url(&format!("/api/v1/reports/{id}/photos/1"))).await.unwrap();
    assert_eq!(anonymous.status(), 403, "unpublished photos are for staff only");

    let (dispatcher, _) = app.add_official("dispatcher@krakow.example.org", &[Role::Dispatcher]).await;
    let token = app.token_for(dispatcher).await;
    let res = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/reports/{id}/photos/1")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "image/jpeg");
    let served = res.bytes().await.unwrap();
    assert_eq!(&served[..2], &[0xFF, 0xD8], "a JPEG");
    assert!(!served.windows(4).any(|w| w == b"Exif"), "no EXIF block");
    assert!(!served.windows(2).any(|w| w == [0xFF, 0xE1]), "no APP1 segment at all");
    assert!(!served.windows(8).any(|w| w == b"GPSLatit") && !served.windows(7).any(|w| w == b"CAM-123"));
    let decoded = image::load_from_memory(&served).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (400, 300));

    let missing = reqwest::Client::new()
        .get(app.url(&format!("/api/v1/reports/{id}/photos/2")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    app.stop().await;
}

async fn a_decompression_bomb_is_refused_and_nothing_is_stored(db: Db) {
    let app = TestApp::spawn(db).await;
    let form = report_form("STREET-LIGHT", "Lamp out").part("photo", photo(png_bomb(), "bomb.png", "image/png"));
    let started = std::time::Instant::now();
    let res = post_report(&app, form, "en").await;
    assert_eq!(res.status(), 422);
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "refused from the header, not decoded");
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["errors"][0]["field"], "photo");
    assert_eq!(body["errors"][0]["message"], "Photo 1 has too many pixels (at most 50 megapixels).");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_reports").await, 0);
    app.stop().await;
}

async fn each_bad_input_is_refused_by_field_and_nothing_is_stored(db: Db) {
    let app = TestApp::spawn(db).await;
    let cases: Vec<(&str, Form, &str, &str, &str)> = vec![
        ("unknown service", report_form("NO-SUCH", "x"), "en", "service_code", "There is no such problem"),
        (
            "required attribute",
            report_form("TREE-FALLEN", "Tree on the road"),
            "en",
            "attribute[road_blocked]",
            "Answer this question.",
        ),
        (
            "description too long",
            report_form("STREET-LIGHT", &"a".repeat(4001)),
            "pl",
            "description",
            "Opis jest za długi",
        ),
        (
            "outside Kraków",
            Form::new()
                .text("service_code", "STREET-LIGHT")
                .text("description", "Lamp out")
                .text("lat", "52.2297")
                .text("long", "21.0122"),
            "uk",
            "lat",
            "за межами Кракова",
        ),
        (
            "not an image",
            report_form("STREET-LIGHT", "Lamp out")
                .part("photo", photo(b"%PDF-1.4 hello".to_vec(), "a.pdf", "application/pdf")),
            "en",
            "photo",
            "is not a JPEG, PNG or WebP image",
        ),
        (
            "a GIF",
            report_form("STREET-LIGHT", "Lamp out")
                .part("photo", photo(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec(), "a.gif", "image/gif")),
            "en",
            "photo",
            "is not a JPEG, PNG or WebP image",
        ),
        (
            "bad email",
            report_form("STREET-LIGHT", "Lamp out").text("email", "not-an-email"),
            "en",
            "email",
            "not valid",
        ),
        ("unknown field", report_form("STREET-LIGHT", "Lamp out").text("colour", "red"), "en", "colour", ""),
    ];
    for (what, form, lang, field, message) in cases {
        let res = post_report(&app, form, lang).await;
        assert_eq!(res.status(), 422, "{what}");
        assert_eq!(res.headers()["content-type"], "application/problem+json", "{what}");
        let body: Value = res.json().await.unwrap();
        let errors = body["errors"].as_array().unwrap();
        let e = errors.iter().find(|e| e["field"] == field).unwrap_or_else(|| panic!("{what}: {body}"));
        assert!(e["message"].as_str().unwrap().contains(message), "{what}: {body}");
    }
    let too_many = (0..4).fold(report_form("STREET-LIGHT", "Lamp out"), |f, _| {
        f.part("photo", photo(jpeg_with_exif(), "a.jpg", "image/jpeg"))
    });
    let res = post_report(&app, too_many, "en").await;
    assert_eq!(res.status(), 422);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_reports").await, 0, "nothing stored");
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_photos").await, 0);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM consent_events").await, 0);
    app.stop().await;
}

async fn the_same_report_sent_twice_is_recognised(db: Db) {
    let app = TestApp::spawn(db).await;
    let send = || report_form("BIN-OVERFLOW", "Bin  overflowing at the stop").text("phone", "+48 600 100 200");
    let first = post_report(&app, send(), "en").await;
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.unwrap();
    let again = post_report(&app, send(), "en").await;
    assert_eq!(again.status(), 200);
    let again: Value = again.json().await.unwrap();
    assert_eq!(again["id"], first["id"]);
    assert_eq!(again["token"], first["token"]);
    assert_eq!(again["duplicate"], true);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_reports").await, 1);
    // Another description is another report.
    let other = post_report(&app, report_form("BIN-OVERFLOW", "Another bin"), "en").await;
    assert_eq!(other.status(), 201);
    assert_eq!(count(&app, "SELECT COUNT(*) FROM desk_reports").await, 2);
    app.stop().await;
}

async fn the_report_form_files_a_report_and_shows_errors_in_place(db: Db) {
    let app = TestApp::spawn(db).await;
    let c = Client::new(&app);
    let page = c.get("/report?service=TREE-FALLEN&lang=en").await.text().await.unwrap();
    assert!(page.contains("Is the road blocked?"), "the service's question is on the form");
    let csrf = crate::support::csrf_from(&page).unwrap();
    let form = |csrf: &str, coordinates: &str| {
        Form::new()
            .text("_csrf", csrf.to_string())
            .text("service_code", "TREE-FALLEN")
            .text("description", "A tree fell across the path")
            .text("coordinates", coordinates.to_string())
            .text("attribute[road_blocked]", "false")
            .text("contact", "none")
            .text("email", "ignored@example.org")
    };
    let res = c.http.post(c.url("/report")).multipart(form(&csrf, "52.2297, 21.0122")).send().await.unwrap();
    assert_eq!(res.status(), 422);
    let html = res.text().await.unwrap();
    assert!(html.contains("This place is outside Kraków."), "the error in place");
    assert!(html.contains("A tree fell across the path"), "the form keeps what was typed");
    let res = c.http.post(c.url("/report")).multipart(form(&csrf, "50.0614, 19.9366")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("Your report has number"), "{html}");
    let reports = app.store.list_reports(None, 10).await.unwrap();
    assert_eq!(reports.len(), 1);
    assert_eq!(reports[0].contact_value, None, "'nothing' means no contact kept");
    let refused = c
        .http
        .post(c.url("/report"))
        .multipart(form("wrong-token-wrong-token-wrong-token", "50.06, 19.93"))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    app.stop().await;
}
