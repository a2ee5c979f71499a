//! A third-party Open311 client against hejnał: Python's `georeport` (PyPI) lists the services and reads a request
//! back in JSON and XML; the request is filed with an API key by a form POST written from the specification
//! (`georeport` cannot file). The script is `tests/open311_client/client_check.py`; the Python that has
//! `georeport` is `HEJNAL_TEST_OPEN311_PYTHON`, else the virtual environment `.ci/run` makes
//! (`/opt/hejnal-open311/bin/python`). Without it the test skips locally and fails under CI.

use std::process::Command;

use crate::{
    cli::hejnal,
    desk::count,
    dual,
    support::{Db, TestApp, skip},
};

const DEFAULT_PYTHON: &str = "/opt/hejnal-open311/bin/python";

fn python() -> Option<String> {
    let python = std::env::var("HEJNAL_TEST_OPEN311_PYTHON").unwrap_or_else(|_| DEFAULT_PYTHON.into());
    let ok = Command::new(&python).args(["-c", "import georeport"]).output().is_ok_and(|o| o.status.success());
    if ok {
        Some(python)
    } else {
        skip::skip(&format!("the Open311 client `georeport` ({python}) missing: bash .ci/run --setup-only"));
        None
    }
}

dual!(a_third_party_open311_client_lists_files_and_reads_back);

async fn a_third_party_open311_client_lists_files_and_reads_back(db: Db) {
    let Some(python) = python() else { return };
    let app = TestApp::spawn(db).await;
    let out = hejnal(&app.db).args(["apikey", "create", "--name", "georeport"]).output().expect("hejnal runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let key = String::from_utf8(out.stdout).unwrap().trim().to_string();
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/open311_client/client_check.py");
    let base = app.url("/open311/v2");
    let run = tokio::task::spawn_blocking(move || Command::new(python).args([script, &base, &key]).output())
        .await
        .unwrap()
        .expect("python runs");
    let stdout = String::from_utf8_lossy(&run.stdout).to_string();
    assert!(run.status.success(), "the client failed:\n{stdout}\n{}", String::from_utf8_lossy(&run.stderr));
    let id: i64 = stdout.trim().strip_prefix("filed ").and_then(|n| n.parse().ok()).expect("filed <id>");
    let sql = format!("SELECT COUNT(*) FROM desk_reports WHERE id = {id} AND address = 'Rynek Główny 1'");
    assert_eq!(count(&app, &sql).await, 1);
    app.stop().await;
}
