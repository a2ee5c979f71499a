//! Reading upstream warning sources (`alerts.feeds`; the loop is `background::feeds`): each source is fetched; an
//! Atom feed's entries link to CAP documents, and each CAP message not seen before becomes a draft — through the
//! same import as `POST /api/v1/cap`, so it still needs a second official's approval before anyone is warned.
//!
//! An item is claimed in `cap_feed_items` before it is imported, so several processes polling at once import it
//! once. What became of each (a draft, or the reason it was refused) is kept and shown on `/official/alerts`.
//!
//! Only the feed's own origin and its `allow_hosts` are read from, at every redirect, and no body over 2 MiB
//! ([`super::feed_fetch`]): a feed cannot make the poller reach into the network or exhaust its memory.

use chrono::Utc;

use super::feed_fetch::{FetchError, allowed, allowed_origins, fetch};
pub use super::feed_fetch::{Validators, client};

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
    let origins = allowed_origins(feed);
    let (body, fresh) = fetch(client, &feed.url, validators, &origins).await.map_err(anyhow::Error::new)?;
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
        if document.is_none() && !url::Url::parse(&key).is_ok_and(|u| allowed(&origins, &u)) {
            // Not fetched: a feed may only point at its own origin (or those configured), never at internal services.
            let why = "the link is on another host than the feed (scheme, host and port compared; see \
                       alerts.feeds.allow_hosts)";
            refuse(state, feed, &key, why).await?;
            continue;
        }
        let document = match document {
            Some(d) => d,
            None => match fetch(client, &key, &Validators::default(), &origins).await {
                Ok((Some(d), _)) => d,
                Ok((None, _)) => continue,
                Err(FetchError::Refused(why)) => {
                    // Final: a redirect elsewhere, too many redirects, a body over the cap.
                    refuse(state, feed, &key, &why).await?;
                    continue;
                }
                Err(FetchError::Failed(e)) => {
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

/// Records a feed entry as refused (once, whichever process claims it) without importing anything.
async fn refuse(state: &Core, feed: &FeedSource, key: &str, why: &str) -> anyhow::Result<()> {
    if state.store.claim_feed_item(key, &feed.url, Utc::now()).await? {
        state.store.finish_feed_item(key, None, &format!("refused: {why}")).await?;
        tracing::warn!(feed = %feed.url, reason = %why, "a feed entry was refused; not imported");
    }
    Ok(())
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
