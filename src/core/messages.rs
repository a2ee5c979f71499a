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
