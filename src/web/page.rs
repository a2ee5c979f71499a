//! Pages: one struct per page, rendered by the handlebars template of the same name (strict mode).

use axum::{
    http::StatusCode,
    response::{Html, IntoResponse, Response},
};
use handlebars::Handlebars;
use rust_embed::RustEmbed;
use serde::Serialize;

use super::context::RequestContext;
use crate::{domain::Role, i18n::Lang};

#[derive(RustEmbed)]
#[folder = "templates/"]
#[include = "pages/**/*.hbs"]
#[include = "partials/*.hbs"]
struct PageFiles;

/// The pages' template registry, built once when the web starts (a worker process never builds it).
pub struct Templates {
    hb: Handlebars<'static>,
}

impl Templates {
    pub fn load() -> anyhow::Result<Self> {
        let mut hb = crate::core::messages::registry();
        hb.register_embed_templates_with_extension::<PageFiles>(".hbs")?;
        anyhow::ensure!(hb.has_template("pages/error"), "the page templates are missing (templates/pages/error.hbs)");
        // Named in the logs so an operator (and a test) can tell which processes built the web's pages.
        tracing::info!(templates = hb.get_templates().len(), "page templates loaded");
        Ok(Self { hb })
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

/// A page that says one thing (sent, verified, closed, …): about a survey when `title` is set, with a link onward
/// when `link` is. The text may name the survey's `closes` and `opens` times.
#[derive(Serialize)]
pub struct MessagePage {
    #[serde(flatten)]
    pub chrome: Chrome,
    pub heading_key: &'static str,
    pub text_key: &'static str,
    /// `(href, catalogue key of its words)`.
    pub link: Option<(&'static str, &'static str)>,
    pub title: String,
    pub closes: String,
    pub opens: String,
}

impl MessagePage {
    pub fn new(ctx: &RequestContext, heading_key: &'static str, text_key: &'static str) -> Self {
        Self {
            chrome: Chrome::new(ctx, heading_key),
            heading_key,
            text_key,
            link: None,
            title: String::new(),
            closes: String::new(),
            opens: String::new(),
        }
    }

    /// The page with its status.
    pub fn render(&self, templates: &Templates, status: StatusCode) -> Result<Response, super::error::AppError> {
        Ok((status, templates.page("pages/message", self)?).into_response())
    }
}

/// A rendered page, ready to send.
pub struct Page(pub String);

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        Html(self.0).into_response()
    }
}
