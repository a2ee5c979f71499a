//! The one place that decides whether a test whose tool or service is missing skips or fails, shared by the
//! integration tests and the library's unit tests (`src/domain/cap_tests.rs` includes this file by path).
//!
//! `CI` counts as set only when it is `true` or `1` (as GitHub, GitLab and our `.ci/run` set it); `CI=false` or
//! `CI=` is a local run. In CI a missing tool fails the test. Locally the test skips and says so on the real
//! standard error — not the captured output — so every `cargo test` run lists what it did not test, e.g.
//! `SKIPPED browser::sqlite: chromedriver (/usr/bin/chromedriver) missing`.
#![allow(dead_code)]

use std::io::Write;

/// True when `CI` is `true` or `1`.
pub fn ci() -> bool {
    means_ci(std::env::var("CI").ok().as_deref())
}

fn means_ci(value: Option<&str>) -> bool {
    matches!(value, Some("true") | Some("1"))
}

/// Called when `missing` (a tool, a service, a setting) is absent: panics under CI, and otherwise prints a
/// `SKIPPED <test>: <missing>` line that cargo shows; the caller then returns without testing.
pub fn skip(missing: &str) {
    let test = std::thread::current().name().unwrap_or("a test").to_string();
    if ci() {
        panic!("CI is set, so {test} must not skip: {missing}");
    }
    // Straight to file descriptor 2: the test harness captures `eprintln!`, not writes to `io::stderr()`.
    let _ = writeln!(std::io::stderr().lock(), "SKIPPED {test}: {missing} (CI=true makes this a failure)");
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_true_or_1_means_ci() {
        assert!(super::means_ci(Some("true")) && super::means_ci(Some("1")));
        for local in [None, Some(""), Some("false"), Some("0"), Some("yes")] {
            assert!(!super::means_ci(local), "{local:?}");
        }
    }
}
