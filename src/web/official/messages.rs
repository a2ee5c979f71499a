//! `/official/messages`: every message residents receive, in each language and channel, with sample content — so
//! a communications officer or a translator sees every text in one place.

use axum::extract::State;
use serde::Serialize;

use crate::web::{
    AppState,
    context::RequestContext,
    error::AppError,
    page::{Chrome, Page},
};

#[derive(Serialize)]
struct Rendering {
    lang_code: String,
    channel: &'static str,
    subject: Option<String>,
    text: String,
}

#[derive(Serialize)]
struct KindView {
    name_key: &'static str,
    renderings: Vec<Rendering>,
}

#[derive(Serialize)]
struct MessagesPage {
    #[serde(flatten)]
    chrome: Chrome,
    kinds: Vec<KindView>,
}

pub async fn page(State(state): State<AppState>, ctx: RequestContext) -> Result<Page, AppError> {
    let kinds = crate::outgoing::all(&state)?
        .into_iter()
        .map(|k| KindView {
            name_key: k.name_key,
            renderings: k
                .renderings
                .into_iter()
                .map(|(channel, lang_code, content)| Rendering {
                    lang_code,
                    channel: channel.as_str(),
                    subject: content.subject,
                    text: content.text,
                })
                .collect(),
        })
        .collect();
    state
        .templates
        .page("pages/official/messages", &MessagesPage { chrome: Chrome::new(&ctx, "messages-title"), kinds })
}
