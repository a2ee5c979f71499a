//! The catalogues: every key in every language, and every key the code and templates use exists.

use std::{collections::BTreeSet, fs, path::Path};

use hejnal::{
    domain::{Role, audit::AuditAction},
    i18n::{Lang, has_key},
};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn catalogue(lang: Lang) -> BTreeSet<String> {
    let mut ftl = Vec::new();
    files(&root().join(format!("templates/locales/{}", lang.code())), "ftl", &mut ftl);
    let text: String = ftl.iter().map(|p| fs::read_to_string(p).unwrap()).collect::<Vec<_>>().join("\n");
    text.lines()
        .filter_map(|l| l.split_once(" = ").or_else(|| l.split_once(" =")).map(|(k, _)| k))
        .filter(|k| !k.is_empty() && k.chars().next().unwrap().is_ascii_lowercase() && !k.contains(' '))
        .map(str::to_string)
        .collect()
}

fn files(dir: &Path, ext: &str, out: &mut Vec<std::path::PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

/// Quoted literals after the given markers, e.g. `{{t "key"` in templates.
fn quoted_after(text: &str, marker: &str) -> Vec<String> {
    text.match_indices(marker)
        .filter_map(|(i, _)| {
            let rest = &text[i + marker.len()..];
            let rest = rest.strip_prefix('"')?;
            Some(rest[..rest.find('"')?].to_string())
        })
        .collect()
}

#[test]
fn every_language_has_every_key() {
    let pl = catalogue(Lang::Pl);
    assert!(pl.len() > 100, "the Polish catalogue looks too small: {}", pl.len());
    for lang in [Lang::En, Lang::Uk] {
        let other = catalogue(lang);
        let missing: Vec<_> = pl.difference(&other).collect();
        let extra: Vec<_> = other.difference(&pl).collect();
        assert!(missing.is_empty(), "{lang} lacks {missing:?}");
        assert!(extra.is_empty(), "{lang} has keys Polish lacks: {extra:?}");
    }
    for lang in Lang::ALL {
        for key in &pl {
            assert!(has_key(lang, key), "{lang}: {key} does not load (syntax error in the .ftl?)");
        }
    }
}

/// A string literal that looks like a catalogue key: lower-case words joined by `-`.
fn looks_like_key(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() >= 2
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
}

fn literals(text: &str) -> Vec<String> {
    text.split('"').skip(1).step_by(2).filter(|s| looks_like_key(s)).map(str::to_string).collect()
}

#[test]
fn every_key_used_exists() {
    let pl = catalogue(Lang::Pl);
    // Literals whose first word is a catalogue family (`error-…`, `field-…`, `login-…`) must be keys.
    let families: BTreeSet<&str> = pl.iter().filter_map(|k| k.split('-').next()).collect();
    let mut used = BTreeSet::new();
    let mut templates = Vec::new();
    files(&root().join("templates"), "hbs", &mut templates);
    for t in templates {
        let text = fs::read_to_string(&t).unwrap();
        used.extend(quoted_after(&text, "{{t "));
        used.extend(quoted_after(&text, "(t "));
    }
    let mut sources = Vec::new();
    files(&root().join("src"), "rs", &mut sources);
    for s in sources {
        let text = fs::read_to_string(&s).unwrap();
        used.extend(literals(&text).into_iter().filter(|k| families.contains(k.split('-').next().unwrap())));
    }
    // Keys built from parts in templates: `(concat "role-" role)`, `(concat "audit-action-" action)`.
    for role in Role::ALL {
        used.insert(format!("role-{role}"));
        used.insert(format!("role-{role}-text"));
    }
    for action in AuditAction::ALL {
        used.insert(format!("audit-action-{}", action.as_str()));
    }
    // The alert pages' choices and states: `(concat "cap-category-" value)` and the like.
    use hejnal::domain::cap;
    let cap_keys = [
        ("cap-category-", cap::Category::ALL.iter().map(|v| v.as_str()).collect::<Vec<_>>()),
        ("cap-urgency-", cap::Urgency::ALL.iter().map(|v| v.as_str()).collect()),
        ("cap-severity-", cap::Severity::ALL.iter().map(|v| v.as_str()).collect()),
        ("cap-certainty-", cap::Certainty::ALL.iter().map(|v| v.as_str()).collect()),
        ("cap-response-", cap::ResponseType::ALL.iter().map(|v| v.as_str()).collect()),
        ("cap-status-", vec!["Actual", "Exercise", "Test", "Draft"]),
        ("alert-msg-", vec!["Alert", "Update", "Cancel"]),
        ("alert-kind-", vec!["emergency", "service"]),
        ("alert-state-", vec!["draft", "scheduled", "approved", "sending", "cancelled", "updated"]),
        ("alert-status-", vec!["queued", "sending", "sent", "delivered", "failed", "skipped"]),
    ];
    for (prefix, values) in cap_keys {
        used.extend(values.into_iter().map(|v| format!("{prefix}{v}")));
    }
    let missing: Vec<_> = used.iter().filter(|k| !pl.contains(*k)).collect();
    assert!(used.len() > 80, "found too few keys in use: {}", used.len());
    assert!(missing.is_empty(), "keys used but not in the catalogue: {missing:?}");
}
