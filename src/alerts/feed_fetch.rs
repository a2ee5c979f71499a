//! Fetching from upstream warning sources safely: only from the origins a source is allowed (its own, and those in
//! `allow_hosts`), following at most [`MAX_REDIRECTS`] redirects and checking the origin of every hop, and reading at
//! most [`MAX_BYTES`] of a body however it is sent (a declared `Content-Length` over the cap is refused before
//! reading; a body without one is read in pieces and refused once the cap is passed).

use std::time::Duration;

use crate::config::FeedSource;

/// Feeds and CAP documents larger than this are not read.
pub const MAX_BYTES: usize = 2 * 1024 * 1024;
/// Redirects followed for one document; one more is a refusal.
pub const MAX_REDIRECTS: usize = 5;

/// The HTTP client feeds are read with: it follows no redirect by itself ([`fetch`] does, checking each).
pub fn client() -> reqwest::Result<reqwest::Client> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("hejnal/", env!("CARGO_PKG_VERSION"), " (CAP reader)"))
        .build()
}

/// The origins (scheme, host, port) a source's links and redirects may lead to: the feed's own and its
/// `allow_hosts` (checked when the configuration is read, see [`FeedSource::origins`]).
pub fn allowed_origins(feed: &FeedSource) -> Vec<url::Origin> {
    feed.origins().unwrap_or_else(|_| url::Url::parse(&feed.url).map(|u| vec![u.origin()]).unwrap_or_default())
}

/// Whether `url` is on one of the allowed origins.
pub fn allowed(allowed: &[url::Origin], url: &url::Url) -> bool {
    let origin = url.origin();
    origin.is_tuple() && allowed.contains(&origin)
}

/// What a source answered last time, to ask it "anything new?" (RFC 9110 conditional requests).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

/// Why a document was not read.
#[derive(Debug)]
pub enum FetchError {
    /// The source broke a rule (origin, redirects, size, encoding): final, recorded with this reason.
    Refused(String),
    /// It could not be read now (network, an error status): tried again at the next poll.
    Failed(anyhow::Error),
}

impl std::fmt::Display for FetchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FetchError::Refused(why) => write!(f, "refused: {why}"),
            FetchError::Failed(e) => write!(f, "{e:#}"),
        }
    }
}

impl std::error::Error for FetchError {}

impl From<reqwest::Error> for FetchError {
    fn from(e: reqwest::Error) -> Self {
        FetchError::Failed(e.without_url().into())
    }
}

fn refused(why: impl Into<String>) -> FetchError {
    FetchError::Refused(why.into())
}

/// The document, or `None` when the source says it has not changed since `known`; with the source's new validators.
pub async fn fetch(
    client: &reqwest::Client,
    url: &str,
    known: &Validators,
    origins: &[url::Origin],
) -> Result<(Option<String>, Validators), FetchError> {
    let mut at = url::Url::parse(url).map_err(|_| refused("not a URL"))?;
    let mut hops = 0;
    let res = loop {
        if !allowed(origins, &at) {
            return Err(refused(if hops == 0 {
                "the address is on another origin than the feed (see alerts.feeds.allow_hosts)"
            } else {
                "redirected to another origin than the feed's (see alerts.feeds.allow_hosts)"
            }));
        }
        let mut req =
            client.get(at.clone()).header("accept", "application/atom+xml, application/cap+xml, application/xml");
        if let Some(etag) = &known.etag {
            req = req.header("if-none-match", etag);
        }
        if let Some(when) = &known.last_modified {
            req = req.header("if-modified-since", when);
        }
        let res = req.send().await?;
        if !res.status().is_redirection() || res.status().as_u16() == 304 {
            break res;
        }
        hops += 1;
        if hops > MAX_REDIRECTS {
            return Err(refused(format!("more than {MAX_REDIRECTS} redirects")));
        }
        let location = res.headers().get("location").and_then(|v| v.to_str().ok());
        at = location.and_then(|l| at.join(l).ok()).ok_or_else(|| refused("a redirect without a usable Location"))?;
    };
    if res.status().as_u16() == 304 {
        return Ok((None, known.clone()));
    }
    if !res.status().is_success() {
        return Err(FetchError::Failed(anyhow::anyhow!("{at} answered {}", res.status())));
    }
    if res.content_length().is_some_and(|n| n > MAX_BYTES as u64) {
        return Err(refused(format!("larger than {MAX_BYTES} bytes")));
    }
    let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let validators = Validators { etag: header("etag"), last_modified: header("last-modified") };
    let bytes = read_capped(res).await?;
    let text = String::from_utf8(bytes).map_err(|_| refused("not UTF-8 text"))?;
    Ok((Some(text), validators))
}

/// The body, read piece by piece and given up once it passes [`MAX_BYTES`].
async fn read_capped(mut res: reqwest::Response) -> Result<Vec<u8>, FetchError> {
    let mut body = Vec::new();
    while let Some(chunk) = res.chunk().await? {
        if body.len() + chunk.len() > MAX_BYTES {
            return Err(refused(format!("larger than {MAX_BYTES} bytes")));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    #[test]
    fn origins_compare_scheme_host_and_port() {
        let feed = FeedSource {
            url: "http://127.0.0.1:8080/feed.atom".into(),
            official: "desk@krakow.pl".into(),
            allow_hosts: vec![
                "cap.example.org".into(),
                "http://10.1.2.3:9000".into(),
                "HTTPS://Mirror.Example.org".into(),
            ],
        };
        let ok = allowed_origins(&feed);
        assert_eq!(ok.len(), 4);
        for yes in [
            "http://127.0.0.1:8080/cap/a.xml",
            "https://cap.example.org/a.xml",
            "https://cap.example.org:443/a.xml",
            "https://CAP.example.org/a.xml",
            "http://10.1.2.3:9000/x",
            "https://mirror.example.org/x",
        ] {
            assert!(allowed(&ok, &url(yes)), "{yes}");
        }
        for no in [
            "http://127.0.0.1:8081/cap/a.xml",  // another port
            "https://127.0.0.1:8080/cap/a.xml", // another scheme
            "http://localhost:8080/cap/a.xml",  // another name for the same machine
            "http://cap.example.org/a.xml",     // a bare host means https only
            "https://cap.example.org:8443/a.xml",
            "https://10.1.2.3:9000/x",
            "https://evil.example.org/a.xml",
            "file:///etc/passwd",
        ] {
            assert!(!allowed(&ok, &url(no)), "{no}");
        }
    }

    #[test]
    fn allow_hosts_entries_that_are_not_origins_are_named() {
        let feed = |entry: &str| FeedSource {
            url: "https://feed.example.org/a.atom".into(),
            official: "desk@krakow.pl".into(),
            allow_hosts: vec![entry.into()],
        };
        for bad in
            ["", "http://", "ftp://cap.example.org", "https://cap.example.org/path", "https://u:p@cap.example.org"]
        {
            let e = feed(bad).origins().unwrap_err();
            assert!(e.contains("allow_hosts") && e.contains(bad), "{bad:?}: {e}");
        }
        let bare = feed("cap.example.org").origins().unwrap();
        assert_eq!(bare, feed("https://cap.example.org:443").origins().unwrap());
        assert_eq!(feed("cap.example.org:8443").origins().unwrap()[1], url("https://cap.example.org:8443/").origin());
    }
}
