//! The officials' area: sign-in, the dashboard, and the admin pages. Every route checks the role.

use axum::{
    Router,
    extract::State,
    middleware,
    routing::{get, post},
};
use serde::Serialize;

use super::{
    context::{RequestContext, require_roles},
    error::AppError,
    page::{Chrome, Page},
};
use crate::{
    domain::Role,
    web::AppState,
    web::api::{
        alerts::{APPROVERS, EDITORS},
        surveys::{SURVEY_EDITORS, SURVEY_LAUNCHERS},
    },
};

pub mod admin;
pub mod alert_form;
pub mod alerts;
pub mod login;
pub mod messages;
pub mod survey_builder;
pub mod survey_results;
pub mod survey_wording;
pub mod surveys;

pub use super::context::{ADMIN, ANY_OFFICIAL};
/// Who opens a survey's results page: analysts, admins and editors. Publishing, reviewing free text and the
/// responses CSV are for [`crate::surveys::RESULT_PUBLISHERS`] alone (the core refuses others with a sentence).
pub const RESULT_READERS: &[Role] = &[Role::Analyst, Role::Admin, Role::Editor];

pub fn router() -> Router<AppState> {
    let signed_in = Router::new()
        .route("/official", get(dashboard))
        .route("/official/logout", get(login::logout_page).post(login::logout))
        .route_layer(middleware::from_fn(|req, next| require_roles(ANY_OFFICIAL, req, next)));
    let admin = Router::new()
        .route("/official/admin/officials", get(admin::officials_page).post(admin::create_official))
        .route("/official/admin/officials/{id}/roles", post(admin::set_roles))
        .route("/official/admin/officials/{id}/active", post(admin::set_active))
        .route("/official/admin/tokens", get(admin::tokens_page).post(admin::create_token))
        .route("/official/admin/tokens/{id}/revoke", post(admin::revoke_token))
        .route("/official/admin/audit", get(admin::audit_page))
        .route_layer(middleware::from_fn(|req, next| require_roles(ADMIN, req, next)));
    let editors = Router::new()
        .route("/official/alerts/new", get(alerts::new_page).post(alerts::create))
        .route("/official/alerts/{id}/update", get(alerts::update_page).post(alerts::update))
        .route_layer(middleware::from_fn(|req, next| require_roles(EDITORS, req, next)));
    let approvers = Router::new()
        .route("/official/alerts/{id}/approve", post(alerts::approve))
        .route("/official/alerts/{id}/cancel", post(alerts::cancel))
        .route_layer(middleware::from_fn(|req, next| require_roles(APPROVERS, req, next)));
    let alert_pages = Router::new()
        .route("/official/alerts", get(alerts::list_page))
        .route("/official/alerts/{id}", get(alerts::show))
        .route("/official/alerts/{id}/events", get(alerts::events))
        .route("/official/messages", get(messages::page))
        .route_layer(middleware::from_fn(|req, next| require_roles(ANY_OFFICIAL, req, next)));
    let survey_editors = Router::new()
        .route("/official/surveys", post(surveys::create))
        .route("/official/surveys/{id}/questions", post(surveys::add_question))
        .route("/official/surveys/{id}/questions/{qid}/delete", post(surveys::delete_question))
        .route("/official/surveys/{id}/wording", get(survey_wording::page).post(survey_wording::save))
        .route_layer(middleware::from_fn(|req, next| require_roles(SURVEY_EDITORS, req, next)));
    let survey_launchers = Router::new()
        .route("/official/surveys/{id}/launch", post(surveys::launch))
        .route_layer(middleware::from_fn(|req, next| require_roles(SURVEY_LAUNCHERS, req, next)));
    let survey_analysts = Router::new()
        .route("/official/surveys/{id}/results", get(survey_results::page))
        .route("/official/surveys/{id}/responses.csv", get(survey_results::responses_csv))
        .route("/official/surveys/{id}/texts/{text_id}", post(survey_results::review_text))
        .route("/official/surveys/{id}/publication", post(survey_results::publish))
        .route_layer(middleware::from_fn(|req, next| require_roles(RESULT_READERS, req, next)));
    let survey_pages = Router::new()
        .route("/official/surveys", get(surveys::list))
        .route("/official/surveys/{id}", get(surveys::show))
        .route("/official/surveys/{id}/preview", get(surveys::preview))
        .route_layer(middleware::from_fn(|req, next| require_roles(ANY_OFFICIAL, req, next)));
    Router::new()
        .route("/official/login", get(login::login_page).post(login::login))
        .merge(survey_editors)
        .merge(survey_launchers)
        .merge(survey_analysts)
        .merge(survey_pages)
        .merge(signed_in)
        .merge(admin)
        .merge(editors)
        .merge(approvers)
        .merge(alert_pages)
}

/// A tile on the dashboard: a section the official's roles open.
#[derive(Serialize)]
struct Section {
    href: &'static str,
    title_key: &'static str,
    text_key: &'static str,
}

#[derive(Serialize)]
struct DashboardPage {
    #[serde(flatten)]
    chrome: Chrome,
    name: String,
    roles: Vec<Role>,
    sections: Vec<Section>,
}

async fn dashboard(State(state): State<AppState>, ctx: RequestContext) -> Result<Page, AppError> {
    let official = ctx.official()?;
    let mut sections = Vec::new();
    if official.has(Role::Admin) {
        sections.push(Section {
            href: "/official/admin/officials",
            title_key: "nav-officials",
            text_key: "dashboard-officials",
        });
        sections.push(Section {
            href: "/official/admin/tokens",
            title_key: "nav-tokens",
            text_key: "dashboard-tokens",
        });
        sections.push(Section { href: "/official/admin/audit", title_key: "nav-audit", text_key: "dashboard-audit" });
    }
    if official.has_any(&[Role::Analyst, Role::Admin]) {
        sections.push(Section { href: "/official/panel", title_key: "nav-panel", text_key: "dashboard-panel" });
    }
    sections.push(Section { href: "/official/alerts", title_key: "nav-alerts", text_key: "dashboard-alerts" });
    sections.push(Section { href: "/official/surveys", title_key: "nav-surveys", text_key: "dashboard-surveys" });
    sections.push(Section { href: "/official/polls", title_key: "nav-polls", text_key: "dashboard-polls" });
    sections.push(Section { href: "/official/messages", title_key: "messages-title", text_key: "dashboard-messages" });
    sections.push(Section { href: "/api/docs/", title_key: "nav-api", text_key: "dashboard-api" });
    let page = DashboardPage {
        chrome: Chrome::new(&ctx, "dashboard-title"),
        name: official.name.clone(),
        roles: official.roles.clone(),
        sections,
    };
    state.templates.page("pages/official/dashboard", &page)
}
