//! Fixture files are dated in the past and stay so (`fixtures_hold_no_future_date` fails on a future date in
//! tests/fixtures): a dated fixture expires on some day, and a test branching on it quietly stops testing. A test
//! that needs a current document moves every date-time in it by one amount, keeping the gaps between them.

use chrono::{DateTime, FixedOffset, Utc};

/// Where an RFC 3339 date-time with seconds and an offset (`2025-11-30T18:42:00+01:00`, `…Z`) starts, and it.
fn date_times(text: &str) -> Vec<(usize, usize, DateTime<FixedOffset>)> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i + 20 <= bytes.len() {
        let starts = bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_digit()) && bytes[i + 10] == b'T';
        if starts {
            for len in [25, 20] {
                if let Some(s) = text.get(i..i + len)
                    && let Ok(at) = DateTime::parse_from_rfc3339(s)
                {
                    found.push((i, len, at));
                    i += len - 1;
                    break;
                }
            }
        }
        i += 1;
    }
    found
}

/// Every date-time in `text`, for the no-future-dates check.
pub fn all_date_times(text: &str) -> Vec<DateTime<FixedOffset>> {
    date_times(text).into_iter().map(|(_, _, at)| at).collect()
}

/// `text` with every date-time moved by one amount so that the first one (a CAP `<sent>`) was an hour ago.
pub fn relative_to_now(text: &str) -> String {
    let found = date_times(text);
    let Some((_, _, first)) = found.first() else { return text.to_string() };
    let shift = (Utc::now() - chrono::Duration::hours(1)).signed_duration_since(first.with_timezone(&Utc));
    let shift = chrono::Duration::seconds(shift.num_seconds());
    let mut out = String::with_capacity(text.len());
    let mut from = 0;
    for (at, len, when) in found {
        out.push_str(&text[from..at]);
        let moved = when + shift;
        // Keep the way the fixture wrote its offset (`Z` or `+01:00`).
        if text[at..at + len].ends_with('Z') {
            out.push_str(&moved.with_timezone(&Utc).format("%Y-%m-%dT%H:%M:%SZ").to_string());
        } else {
            out.push_str(&moved.format("%Y-%m-%dT%H:%M:%S%:z").to_string());
        }
        from = at + len;
    }
    out.push_str(&text[from..]);
    out
}

#[test]
fn moved_dates_keep_their_gaps_and_offsets() {
    let doc =
        "<sent>2025-11-30T18:42:00+01:00</sent><id>RCB-2025-11-30-1</id><expires>2025-12-02T18:00:00+01:00</expires>";
    let moved = relative_to_now(doc);
    let dates = all_date_times(&moved);
    assert_eq!(dates.len(), 2, "{moved}");
    assert!(moved.contains("<id>RCB-2025-11-30-1</id>"), "identifiers stay: {moved}");
    assert_eq!(dates[1] - dates[0], chrono::Duration::hours(47) + chrono::Duration::minutes(18));
    assert!(moved.contains("+01:00</sent>"), "{moved}");
    let ago = Utc::now() - dates[0].with_timezone(&Utc);
    assert!(ago > chrono::Duration::minutes(59) && ago < chrono::Duration::minutes(61), "{ago}");
}

/// The rule in docs/testing.md: nothing in tests/fixtures is dated after today.
#[test]
fn fixtures_hold_no_future_date() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut stack = vec![root];
    let mut future = Vec::new();
    let mut read = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("tests/fixtures is readable") {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else { continue };
            read += 1;
            for at in all_date_times(&text) {
                if at > Utc::now() {
                    future.push(format!("{}: {at}", path.display()));
                }
            }
        }
    }
    assert!(read >= 4, "the fixtures were read ({read} files)");
    assert!(
        future.is_empty(),
        "fixed future dates in tests/fixtures (build them relative to now):\n{}",
        future.join("\n")
    );
}
