//! The walls of the core, checked: no use-case module names the web or HTTP.

use std::{fs, path::Path};

/// Modules that hold use cases or background work, and must not know the web exists.
const CORE_SIDE: [&str; 8] = [
    "src/core",
    "src/alerts",
    "src/surveys",
    "src/panel",
    "src/desk",
    "src/background",
    "src/polls.rs",
    "src/officials.rs",
];
const FORBIDDEN: [&str; 5] = ["axum", "http::", "StatusCode", "AppState", "web::"];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    if dir.is_file() {
        out.push(dir.to_path_buf());
        return;
    }
    let Ok(entries) = fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn use_cases_speak_no_http() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in CORE_SIDE {
        rust_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 20, "found too few files: {files:?}");
    let mut found = Vec::new();
    for f in &files {
        // This file names the words it looks for.
        if f.ends_with("core/walls.rs") {
            continue;
        }
        let text = fs::read_to_string(f).unwrap();
        for (n, line) in text.lines().enumerate() {
            for word in FORBIDDEN {
                if line.contains(word) {
                    found.push(format!("{}:{}: {word}", f.strip_prefix(root).unwrap().display(), n + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "the core names the web: {found:#?}");
}
