//! Pages: one struct per page, rendered by the handlebars template of the same name (strict mode).

use axum::response::{Html, IntoResponse, Response};
use handlebars::Handlebars;
use rust_embed::RustEmbed;
use serde::Serialize;

use super::context::RequestContext;
use crate::{domain::Role, i18n::Lang};

#[derive(RustEmbed)]
#[folder = "templates/"]
#[include = "*.hbs"]
struct TemplateFiles;

/// The template registry, built once at start-up.
pub struct Templates {
    hb: Handlebars<'static>,
    /// The same templates without HTML escaping, for plain-text messages (SMS, push, email text).
    text: Handlebars<'static>,
}

impl Templates {
    pub fn load() -> anyhow::Result<Self> {
        let hb = Self::registry()?;
        let mut text = Self::registry()?;
        text.register_escape_fn(handlebars::no_escape);
        Ok(Self { hb, text })
    }

    fn registry() -> anyhow::Result<Handlebars<'static>> {
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
        hb.register_embed_templates_with_extension::<TemplateFiles>(".hbs")?;
        Ok(hb)
    }

    /// Renders a plain-text template (no HTML escaping).
    pub fn render_text<T: Serialize>(&self, name: &str, data: &T) -> Result<String, handlebars::RenderError> {
        self.text.render(name, data)
    }

    /// Renders a page; a template error is an internal error (and a test failure), never a half page.
    pub fn render<T: Serialize>(&self, name: &str, page: &T) -> Result<String, handlebars::RenderError> {
        self.hb.render(name, page)
    }

    /// Renders a page for a handler.
    pub fn page<T: Serialize>(&self, name: &str, page: &T) -> Result<Page, super::error::AppError> {
        self.render(name, page)
            .map(Page)
            .map_err(|e| super::error::AppError::Internal(anyhow::anyhow!("rendering {name} failed: {e}")))
    }

    pub fn names(&self) -> Vec<String> {
        self.hb.get_templates().keys().cloned().collect()
    }
}

/// A link in the language switcher.
#[derive(Serialize)]
pub struct LangLink {
    pub code: &'static str,
    /// The language's own name, e.g. "Polski".
    pub label_key: &'static str,
    pub href: String,
    pub current: bool,
}

/// What the layout shows for a signed-in official.
#[derive(Serialize)]
pub struct NavOfficial {
    pub name: String,
    pub roles: Vec<Role>,
    pub is_admin: bool,
    /// Analysts and admins see the panel's make-up.
    pub sees_panel: bool,
}

/// The parts of every page that the layout needs.
#[derive(Serialize)]
pub struct Chrome {
    pub lang: Lang,
    /// Catalogue key of the page title.
    pub title_key: String,
    pub langs: Vec<LangLink>,
    pub official: Option<NavOfficial>,
    pub csrf: String,
    /// Reload every so many seconds when scripts are off (a live page's fallback).
    pub refresh_seconds: Option<u32>,
}

impl Chrome {
    pub fn new(ctx: &RequestContext, title_key: &str) -> Self {
        let langs = Lang::ALL
            .into_iter()
            .map(|l| LangLink {
                code: l.code(),
                label_key: match l {
                    Lang::Pl => "lang-pl",
                    Lang::En => "lang-en",
                    Lang::Uk => "lang-uk",
                },
                href: ctx.path_with_lang(l),
                current: l == ctx.lang,
            })
            .collect();
        Self {
            lang: ctx.lang,
            title_key: title_key.to_string(),
            langs,
            official: ctx.official.as_ref().map(|o| NavOfficial {
                name: o.name.clone(),
                roles: o.roles.clone(),
                is_admin: o.has(Role::Admin),
                sees_panel: o.has_any(&[Role::Analyst, Role::Admin]),
            }),
            csrf: ctx.csrf.clone(),
            refresh_seconds: None,
        }
    }
}

/// A rendered page, ready to send.
pub struct Page(pub String);

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        Html(self.0).into_response()
    }
}
