//! Reading upstream warning sources (`alerts.feeds`; the loop is `background::feeds`): each source is fetched; an
//! Atom feed's entries link to CAP documents, and each CAP message not seen before becomes a draft — through the
//! same import as `POST /api/v1/cap`, so it still needs a second official's approval before anyone is warned.
//!
//! An item is claimed in `cap_feed_items` before it is imported, so several processes polling at once import it
//! once. What became of each (a draft, or the reason it was refused) is kept and shown on `/official/alerts`.

use std::time::Duration;

use chrono::Utc;

use crate::{
    config::FeedSource,
    core::{Core, CoreError},
    domain::{
        Official, Role,
        atom::{self, FeedDocument},
        cap,
    },
    i18n::{Arg, Lang, tr},
};

/// Feeds and CAP documents larger than this are not read.
const MAX_BYTES: usize = 2 * 1024 * 1024;

/// The HTTP client feeds are read with.
pub fn client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .user_agent(concat!("hejnal/", env!("CARGO_PKG_VERSION"), " (CAP reader)"))
        .build()
}

/// What a source answered last time, to ask it "anything new?" (RFC 9110 conditional requests).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validators {
    etag: Option<String>,
    last_modified: Option<String>,
}

/// The document, or `None` when the source says it has not changed since `known`; with the source's new validators.
async fn fetch(
    client: &reqwest::Client,
    url: &str,
    known: &Validators,
) -> anyhow::Result<(Option<String>, Validators)> {
    let mut req = client.get(url).header("accept", "application/atom+xml, application/cap+xml, application/xml");
    if let Some(etag) = &known.etag {
        req = req.header("if-none-match", etag);
    }
    if let Some(at) = &known.last_modified {
        req = req.header("if-modified-since", at);
    }
    let res = req.send().await?;
    if res.status().as_u16() == 304 {
        return Ok((None, known.clone()));
    }
    anyhow::ensure!(res.status().is_success(), "{url} answered {}", res.status());
    if res.content_length().is_some_and(|n| n as usize > MAX_BYTES) {
        anyhow::bail!("{url} is larger than {MAX_BYTES} bytes");
    }
    let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let validators = Validators { etag: header("etag"), last_modified: header("last-modified") };
    let bytes = res.bytes().await?;
    anyhow::ensure!(bytes.len() <= MAX_BYTES, "{url} is larger than {MAX_BYTES} bytes");
    let text = String::from_utf8(bytes.to_vec()).map_err(|_| anyhow::anyhow!("{url} is not UTF-8 text"))?;
    Ok((Some(text), validators))
}

/// Whether a CAP link may be fetched: on the feed's own host, or one the source allows.
fn allowed_host(feed: &FeedSource, base: &url::Url, link: &str) -> bool {
    let Ok(link) = url::Url::parse(link) else { return false };
    let host = link.host_str().unwrap_or_default();
    base.host_str() == Some(host) || feed.allow_hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
}

/// The official the source's drafts are filed under: an active editor.
async fn author(state: &Core, feed: &FeedSource) -> anyhow::Result<Official> {
    let official = state
        .store
        .list_officials()
        .await?
        .into_iter()
        .find(|o| o.email.as_str().eq_ignore_ascii_case(feed.official.trim()));
    match official {
        Some(o) if o.active && o.has(Role::Editor) => Ok(o),
        _ => anyhow::bail!("the feed's official {} is not an active editor; nothing imported", feed.official),
    }
}

/// Reads one source; returns how many new messages it had. `validators` are what the source answered last time the
/// whole feed was handled; they are kept only when every entry was, so an entry that could not be fetched is tried
/// again even if the feed itself has not changed.
#[tracing::instrument(skip_all, fields(feed = %feed.url))]
pub async fn poll(
    state: &Core,
    client: &reqwest::Client,
    feed: &FeedSource,
    validators: &mut Validators,
) -> anyhow::Result<usize> {
    let official = author(state, feed).await?;
    let (body, fresh) = fetch(client, &feed.url, validators).await?;
    let Some(body) = body else { return Ok(0) };
    let mut complete = true;
    let base = url::Url::parse(&feed.url)?;
    let items: Vec<(String, Option<String>)> = match atom::read(&body, &base).map_err(anyhow::Error::msg)? {
        FeedDocument::Atom(links) => links.into_iter().map(|l| (l, None)).collect(),
        // A source serving its current message at one address: the message's own sender and identifier name it.
        FeedDocument::Cap => match cap::parse(&body) {
            Ok(a) => vec![(format!("cap:{} {}", a.sender, a.identifier), Some(body))],
            Err(e) => anyhow::bail!("{} is not valid CAP 1.2: {e}", feed.url),
        },
    };
    let mut new = 0;
    for (key, document) in items {
        if state.store.feed_item_known(&key, Utc::now()).await? {
            continue;
        }
        if document.is_none() && !allowed_host(feed, &base, &key) {
            // Not fetched: a feed may only point at its own host (or those configured), never at internal services.
            if state.store.claim_feed_item(&key, &feed.url, Utc::now()).await? {
                let why = "refused: the link is on another host than the feed (see alerts.feeds.allow_hosts)";
                state.store.finish_feed_item(&key, None, why).await?;
                tracing::warn!(feed = %feed.url, "a feed entry links to another host; not fetched");
            }
            continue;
        }
        let document = match document {
            Some(d) => d,
            None => match fetch(client, &key, &Validators::default()).await {
                Ok((Some(d), _)) => d,
                Ok((None, _)) => continue,
                Err(e) => {
                    // Not claimed: the next poll tries again.
                    tracing::warn!(feed = %feed.url, error = format!("{e:#}"), "fetching a CAP document failed");
                    complete = false;
                    continue;
                }
            },
        };
        if !state.store.claim_feed_item(&key, &feed.url, Utc::now()).await? {
            continue;
        }
        new += 1;
        match super::cap::import_from(state, &official, document.as_bytes(), Some(&feed.url)).await {
            Ok((id, _)) => {
                state.store.finish_feed_item(&key, Some(id), "imported").await?;
                tracing::info!(feed = %feed.url, alert_id = id, "CAP message imported as a draft");
            }
            // The claim stays `importing`: after ten minutes a later poll takes it again (a database hiccup must not
            // lose a warning). Only the core's verdicts on the document itself are final.
            Err(CoreError::Internal(e)) => return Err(e),
            Err(e) => {
                let why = refusal(&e);
                state.store.finish_feed_item(&key, None, &format!("refused: {why}")).await?;
                tracing::warn!(feed = %feed.url, reason = %why, "CAP message refused");
            }
        }
    }
    if complete {
        *validators = fresh;
    }
    Ok(new)
}

/// The reason an import was refused, in words (English, for the operators' log and page).
fn refusal(e: &CoreError) -> String {
    match e {
        CoreError::Invalid(errors) => errors
            .iter()
            .map(|f| {
                let args: Vec<(&str, Arg)> = f.args.iter().map(|(k, v)| (k.as_str(), Arg::from(v))).collect();
                format!("{}: {}", f.field, tr(Lang::En, &f.key, &args))
            })
            .collect::<Vec<_>>()
            .join("; "),
        CoreError::TooLarge { detail } => detail.clone(),
        other => other.to_string(),
    }
}
