//! What residents receive: the message templates under `templates/messages/`, rendered with the catalogue's words.
//! They belong to the core (a worker process renders them); the pages' templates belong to the web.

use handlebars::Handlebars;
use rust_embed::RustEmbed;
use serde::Serialize;

#[derive(RustEmbed)]
#[folder = "templates/"]
#[include = "messages/**/*.hbs"]
struct MessageFiles;

/// The message templates, built once at start-up.
pub struct MessageTemplates {
    html: Handlebars<'static>,
    /// The same templates without HTML escaping, for plain-text messages (SMS, push, email text).
    text: Handlebars<'static>,
}

impl MessageTemplates {
    pub fn load() -> anyhow::Result<Self> {
        let mut html = registry();
        html.register_embed_templates_with_extension::<MessageFiles>(".hbs")?;
        let mut text = registry();
        text.register_escape_fn(handlebars::no_escape);
        text.register_embed_templates_with_extension::<MessageFiles>(".hbs")?;
        Ok(Self { html, text })
    }

    /// Renders an HTML message part (an email's HTML body).
    pub fn render_html<T: Serialize>(&self, name: &str, data: &T) -> Result<String, handlebars::RenderError> {
        self.html.render(name, data)
    }

    /// Renders a plain-text message part (no HTML escaping).
    pub fn render_text<T: Serialize>(&self, name: &str, data: &T) -> Result<String, handlebars::RenderError> {
        self.text.render(name, data)
    }

    /// A plain-text message part as residents receive it (without the template file's final line break).
    pub fn text<T: Serialize>(&self, name: &str, data: &T) -> anyhow::Result<String> {
        let out = self.render_text(name, data).map_err(|e| anyhow::anyhow!("rendering {name} failed: {e}"))?;
        Ok(out.trim_end_matches('\n').to_string())
    }

    pub fn names(&self) -> Vec<String> {
        self.html.get_templates().keys().cloned().collect()
    }
}

/// A strict registry with hejnał's helpers, for messages and (in the web) pages alike.
pub fn registry() -> Handlebars<'static> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    crate::i18n::register_helper(&mut hb);
    handlebars::handlebars_helper!(eq: |a: Json, b: Json| a == b);
    // Builds a catalogue key from parts, e.g. `(concat "role-" role)`.
    handlebars::handlebars_helper!(concat: |*args| args.iter().map(|a| match a {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }).collect::<String>());
    // Numbers on results pages: one decimal (`{{fmt1 x}}`), and a count or "<k" when hidden (`{{count_or_k n k}}`).
    handlebars::handlebars_helper!(fmt1: |v: Json| match v.as_f64() {
        Some(x) => format!("{x:.1}"),
        None => "–".to_string(),
    });
    handlebars::handlebars_helper!(count: |v: Json, k: Json| match v.as_u64() {
        Some(n) => n.to_string(),
        None => format!("<{}", k.as_u64().unwrap_or(10)),
    });
    hb.register_helper("fmt1", Box::new(fmt1));
    hb.register_helper("count_or_k", Box::new(count));
    hb.register_helper("eq", Box::new(eq));
    hb.register_helper("concat", Box::new(concat));
    hb
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::{self, Lang};

    /// Every field a message template reads; `flag` switches every optional part (reminder, sign-in, reply
    /// links, prefix, unsubscribe) on or off, so both sides of each `{{#if}}` are rendered.
    fn sample(lang: Lang, flag: bool) -> serde_json::Value {
        serde_json::json!({
            "lang": lang.code(), "prefix": flag.then_some("ĆWICZENIA"), "headline": "Powódź", "description": "Opis",
            "instruction": "Uciekaj", "area": "Podgórze", "expires": "2026-12-01 12:00",
            "url": "https://hejnal.example.org/alerts/1", "short_url": "https://hejnal.example.org/a/1",
            "reply": flag, "safe_url": "{{reply_safe_url}}", "help_url": "{{reply_help_url}}",
            "unsubscribe": flag, "unsubscribe_url": "{{unsubscribe_url}}",
            "reminder": flag, "title": "Rowery na Rynku", "link": "https://hejnal.example.org/s/{{token}}",
            "closes": "2026-12-08 12:00", "signin": flag, "code": "{{secret}}",
            // The desk's report updates: a step in the resident's words, a transfer with its reason.
            "id": 42, "state": if flag { "transferred" } else { "acknowledged" }, "unit": "Zarząd Zieleni Miejskiej",
            "note": if flag { "Drzewo usunięte" } else { "" }, "answer": "Tak", "follower": flag, "into": 41,
        })
    }

    /// The catalogue keys a template names (`{{t "key" …}}`).
    fn keys(source: &str) -> Vec<String> {
        source.split("{{t \"").skip(1).filter_map(|rest| rest.split('"').next()).map(str::to_string).collect()
    }

    #[test]
    fn every_message_renders_in_every_language_with_every_key() {
        let m = MessageTemplates::load().unwrap();
        let mut names = m.names();
        names.sort();
        for kind in ["alert", "survey", "secret"] {
            assert!(names.iter().any(|n| n.starts_with(&format!("messages/{kind}/"))), "no {kind} message: {names:?}");
        }
        for name in &names {
            let file = MessageFiles::get(&format!("{name}.hbs")).unwrap();
            let keys = keys(std::str::from_utf8(&file.data).unwrap());
            for lang in Lang::ALL {
                for flag in [false, true] {
                    let data = sample(lang, flag);
                    let out =
                        if name.ends_with("-html") { m.render_html(name, &data) } else { m.render_text(name, &data) }
                            .unwrap_or_else(|e| panic!("{name} in {lang}: {e}"));
                    assert!(!out.trim().is_empty(), "{name} in {lang} is empty");
                    for key in &keys {
                        assert!(i18n::has_key(lang, key), "{name}: {key} is missing in {lang}");
                        // A missing key renders as itself.
                        assert!(!out.contains(key.as_str()), "{name} in {lang} shows the key {key}: {out}");
                    }
                }
            }
        }
    }
}
