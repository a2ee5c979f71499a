//! SMTP on the wire: lettre's `AsyncSmtpConnection` (connect, STARTTLS, AUTH, reply parsing) driven by our own
//! exchange and our own pool.
//!
//! - When the server announces `PIPELINING` (RFC 2920) in its EHLO answer, `MAIL FROM`, `RCPT TO` and `DATA` go in
//!   one write and their three replies are read after it; then the body and `.`: two round trips per message
//!   instead of lettre's five (its pool sends a `NOOP` on every checkout and waits for each reply).
//! - A server without `PIPELINING` gets the classic exchange, one command at a time.
//! - Connections stay open and carry many messages; `RSET` is sent only after a transaction that did not end with
//!   the server's reply to the message (a refused `MAIL`/`RCPT`/`DATA`), and then in the same write as the next
//!   message's commands when pipelining.

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use lettre::{
    Address,
    transport::smtp::{
        Error,
        authentication::{Credentials, Mechanism},
        client::{AsyncSmtpConnection, TlsParameters},
        commands::{Data, Ehlo, Mail, Rcpt, Rset},
        extension::{ClientId, MailBodyParameter, MailParameter},
        response::Response,
    },
};
use tokio::sync::Semaphore;

/// A connection idle for longer than this is closed rather than reused (servers drop idle clients).
const IDLE_LIMIT: Duration = Duration::from_secs(30);

#[derive(Clone, Copy, Debug, PartialEq)]
enum Tls {
    None,
    /// `smtps://`: TLS from the first byte.
    Wrapper,
    /// `tls=starttls` (or lettre's `required`).
    Required,
    Opportunistic,
}

/// Where and how to connect, from `HEJNAL_SMTP_URL`; the same URL forms lettre's `from_url` accepts.
#[derive(Clone)]
pub(crate) struct SmtpConfig {
    host: String,
    port: u16,
    tls: Tls,
    credentials: Option<Credentials>,
    hello: ClientId,
    timeout: Duration,
}

impl SmtpConfig {
    /// `smtp://host:port`, `smtps://host:port`, `smtp://user:pass@host:587?tls=starttls` (also `tls=required`,
    /// `tls=opportunistic`); a path names the EHLO domain.
    pub(crate) fn from_url(url: &str, timeout: Duration) -> Result<Self, String> {
        let url = url::Url::parse(url).map_err(|e| e.to_string())?;
        let host = url.host_str().ok_or("no host")?.trim_matches(['[', ']']).to_string();
        let tls = url.query_pairs().find(|(k, _)| k == "tls").map(|(_, v)| v.to_string());
        let (tls, default_port) = match (url.scheme(), tls.as_deref()) {
            ("smtp", None) => (Tls::None, 25),
            ("smtp", Some("starttls" | "required")) => (Tls::Required, 587),
            ("smtp", Some("opportunistic")) => (Tls::Opportunistic, 587),
            ("smtps", _) => (Tls::Wrapper, 465),
            (scheme, tls) => return Err(format!("unknown scheme '{scheme}' or tls parameter '{tls:?}'")),
        };
        let hello = match url.path().trim_matches('/') {
            "" => ClientId::default(),
            name => ClientId::Domain(name.to_string()),
        };
        let credentials = match url.password() {
            Some(password) => Some(Credentials::new(percent_decode(url.username())?, percent_decode(password)?)),
            None => None,
        };
        Ok(Self { port: url.port().unwrap_or(default_port), host, tls, credentials, hello, timeout })
    }

    fn tls_parameters(&self) -> Result<TlsParameters, Failure> {
        TlsParameters::new(self.host.clone()).map_err(Failure::Smtp)
    }
}

fn percent_decode(s: &str) -> Result<String, String> {
    let (bytes, mut out, mut i) = (s.as_bytes(), Vec::with_capacity(s.len()), 0);
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).map_err(|_| "credentials are not UTF-8".to_string())
}

/// Why a message did not go.
#[derive(Debug)]
pub(crate) enum Failure {
    /// What lettre reports: a negative reply (with its code), a network or TLS error.
    Smtp(Error),
    /// No reply within the configured time.
    Timeout,
    /// The URL asks for STARTTLS and the server does not offer it.
    NoStartTls,
    /// Non-ASCII addresses to a server without SMTPUTF8, or 8-bit content to one without 8BITMIME.
    Unsupported,
}

impl Failure {
    /// Whether the connection can carry another message after this.
    fn keeps_connection(&self) -> bool {
        match self {
            // 421: the server is closing the connection.
            Failure::Smtp(e) => e.status().is_some_and(|c| c.to_string() != "421"),
            Failure::Unsupported => true,
            Failure::Timeout | Failure::NoStartTls => false,
        }
    }
}

struct Conn {
    inner: AsyncSmtpConnection,
    pipelining: bool,
    eight_bit: bool,
    utf8: bool,
    /// A transaction was left open (a refused command): `RSET` before the next `MAIL`.
    dirty: bool,
    idle_since: Instant,
}

/// At most `size` connections at once; idle ones wait in a stack (the most recently used first).
pub(crate) struct SmtpPool {
    config: SmtpConfig,
    idle: Mutex<Vec<Conn>>,
    permits: Semaphore,
}

impl SmtpPool {
    pub(crate) fn new(config: SmtpConfig, size: u32) -> Self {
        Self { config, idle: Mutex::new(Vec::new()), permits: Semaphore::new(size.max(1) as usize) }
    }

    /// Sends `body` (the formatted message) from `from` to `to`; the server's final reply on success.
    pub(crate) async fn send(&self, from: &Address, to: &Address, body: &[u8]) -> Result<Response, Failure> {
        let _permit = self.permits.acquire().await.expect("the pool's semaphore is never closed");
        let timeout = self.config.timeout;
        // A reused connection the server has closed in the meantime fails before any reply: then once more on a
        // new connection (nothing was accepted on the old one).
        if let Some(mut conn) = self.checkout() {
            match tokio::time::timeout(timeout, exchange(&mut conn, from, to, body)).await {
                Ok(Ok(response)) => {
                    self.checkin(conn);
                    return Ok(response);
                }
                Ok(Err(Exchange { failure, replied })) => {
                    if failure.keeps_connection() {
                        self.checkin(conn);
                    }
                    if replied || failure.keeps_connection() {
                        return Err(failure);
                    }
                }
                Err(_) => return Err(Failure::Timeout),
            }
        }
        let attempt = async {
            let mut conn = connect(&self.config).await?;
            match exchange(&mut conn, from, to, body).await {
                Ok(response) => Ok((conn, response)),
                Err(Exchange { failure, .. }) => {
                    if failure.keeps_connection() {
                        self.checkin(conn);
                    }
                    Err(failure)
                }
            }
        };
        match tokio::time::timeout(timeout, attempt).await {
            Ok(Ok((conn, response))) => {
                self.checkin(conn);
                Ok(response)
            }
            Ok(Err(failure)) => Err(failure),
            Err(_) => Err(Failure::Timeout),
        }
    }

    fn checkout(&self) -> Option<Conn> {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        while let Some(conn) = idle.pop() {
            if conn.idle_since.elapsed() < IDLE_LIMIT {
                return Some(conn);
            }
        }
        None
    }

    fn checkin(&self, mut conn: Conn) {
        conn.idle_since = Instant::now();
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).push(conn);
    }
}

/// Connects, greets, upgrades to TLS and authenticates as configured, and learns whether the server pipelines.
async fn connect(config: &SmtpConfig) -> Result<Conn, Failure> {
    let wrapper = match config.tls {
        Tls::Wrapper => Some(config.tls_parameters()?),
        _ => None,
    };
    let mut inner = AsyncSmtpConnection::connect_tokio1(
        (config.host.as_str(), config.port),
        Some(config.timeout),
        &config.hello,
        wrapper,
        None,
    )
    .await
    .map_err(Failure::Smtp)?;
    let starttls = match config.tls {
        Tls::Required if !inner.can_starttls() => return Err(Failure::NoStartTls),
        Tls::Required => true,
        Tls::Opportunistic => inner.can_starttls(),
        Tls::None | Tls::Wrapper => false,
    };
    if starttls {
        inner.starttls(config.tls_parameters()?, &config.hello).await.map_err(Failure::Smtp)?;
    }
    if let Some(credentials) = &config.credentials {
        inner.auth(&[Mechanism::Plain, Mechanism::Login], credentials).await.map_err(Failure::Smtp)?;
    }
    // lettre's ServerInfo keeps only the extensions it knows: ask once more for the whole list.
    let ehlo = inner.command(Ehlo::new(config.hello.clone())).await.map_err(Failure::Smtp)?;
    let has = |word: &str| {
        ehlo.message().any(|line| line.split_whitespace().next().is_some_and(|w| w.eq_ignore_ascii_case(word)))
    };
    Ok(Conn {
        pipelining: has("PIPELINING"),
        eight_bit: has("8BITMIME"),
        utf8: has("SMTPUTF8"),
        inner,
        dirty: false,
        idle_since: Instant::now(),
    })
}

struct Exchange {
    failure: Failure,
    /// The server answered at least one command of this message (so the connection was alive).
    replied: bool,
}

impl Exchange {
    fn new(failure: Failure, replied: bool) -> Self {
        Self { failure, replied }
    }
}

/// One message on an open connection.
async fn exchange(conn: &mut Conn, from: &Address, to: &Address, body: &[u8]) -> Result<Response, Exchange> {
    let mut params = vec![];
    if !AsRef::<str>::as_ref(from).is_ascii() || !AsRef::<str>::as_ref(to).is_ascii() {
        if !conn.utf8 {
            return Err(Exchange::new(Failure::Unsupported, true));
        }
        params.push(MailParameter::SmtpUtfEight);
    }
    if !body.is_ascii() {
        if !conn.eight_bit {
            return Err(Exchange::new(Failure::Unsupported, true));
        }
        params.push(MailParameter::Body(MailBodyParameter::EightBitMime));
    }
    let (mail, rcpt) = (Mail::new(Some(from.clone()), params), Rcpt::new(to.clone(), vec![]));
    if conn.pipelining {
        let reset = conn.dirty;
        let rset = if reset { Rset.to_string() } else { String::new() };
        // One write; the first reply is read by `command`, the others after it. Every reply is read, refused or
        // not, so the next message starts on a clean stream.
        let expected = if reset { 4 } else { 3 };
        let mut replies = Vec::with_capacity(expected);
        replies.push(conn.inner.command(format!("{rset}{mail}{rcpt}{Data}")).await);
        while replies.len() < expected && !replies.iter().any(broken) {
            replies.push(conn.inner.read_response().await);
        }
        if let Some(at) = replies.iter().position(broken) {
            let e = replies.swap_remove(at).expect_err("a broken reply is an error");
            return Err(Exchange::new(Failure::Smtp(e), at > 0));
        }
        conn.dirty = false;
        let data_reply = replies.pop().expect("three replies");
        let rcpt_reply = replies.pop().expect("three replies");
        let mail_reply = replies.pop().expect("three replies");
        let refused = mail_reply.err().or(rcpt_reply.err());
        match (refused, data_reply) {
            (None, Ok(_)) => {}
            (Some(e), Ok(_)) => {
                // The server accepted DATA without a recipient (RFC 2920 says it must not): end it empty.
                conn.inner.message(b"").await.map_err(|e| Exchange::new(Failure::Smtp(e), true))?;
                return Err(Exchange::new(Failure::Smtp(e), true));
            }
            (refused, Err(data)) => {
                conn.dirty = true;
                return Err(Exchange::new(Failure::Smtp(refused.unwrap_or(data)), true));
            }
        }
    } else {
        if conn.dirty {
            conn.inner.command(Rset).await.map_err(|e| Exchange::new(Failure::Smtp(e), false))?;
            conn.dirty = false;
        }
        for (at, command) in [mail.to_string(), rcpt.to_string(), Data.to_string()].into_iter().enumerate() {
            if let Err(e) = conn.inner.command(command).await {
                let replied = at > 0 || e.status().is_some();
                conn.dirty = e.status().is_some();
                return Err(Exchange::new(Failure::Smtp(e), replied));
            }
        }
    }
    conn.inner.message(body).await.map_err(|e| Exchange::new(Failure::Smtp(e), true))
}

/// A reply that is not a reply: the connection failed (network, TLS, unreadable answer).
fn broken(reply: &Result<Response, Error>) -> bool {
    reply.as_ref().is_err_and(|e| e.status().is_none())
}
