//! Configuration: defaults → `hejnal.toml` → `HEJNAL_*` environment variables.
//!
//! Every setting is validated once here, so a bad value stops start-up with one line that names the setting.

use std::{fmt, net::SocketAddr, path::PathBuf};

use figment::{
    Figment,
    providers::{Env, Format, Serialized, Toml},
};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use url::Url;

/// A value that must never be printed: `Debug` and `Display` show a placeholder.
#[derive(Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Log output format.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Plain,
    Json,
}

/// Login throttling: a burst of attempts, then one more every `*_period_secs`.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct LoginLimits {
    pub per_account_burst: u32,
    pub per_account_period_secs: u64,
    pub per_address_burst: u32,
    pub per_address_period_secs: u64,
}

impl Default for LoginLimits {
    fn default() -> Self {
        Self { per_account_burst: 5, per_account_period_secs: 180, per_address_burst: 30, per_address_period_secs: 20 }
    }
}

/// The delivery engine's settings (`[delivery]` in `hejnal.toml`, `HEJNAL_DELIVERY__…` in the environment).
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct DeliverySettings {
    /// Messages per second per channel: `[delivery.rates] sms = 30, email = 2000, push = 5000`.
    pub rates: hejnal_jobs::limits::Rates,
    /// Non-emergency messages wait through these hours (`""` turns quiet hours off).
    pub quiet_hours: String,
    pub time_zone: String,
    pub batch_size: usize,
    pub max_attempts: u32,
    /// Emergencies only: the channel tried next when one fails for good.
    pub fallback_order: Vec<String>,
    pub sms_max_parts: usize,
    /// Messages on the wire at once within one batch.
    pub in_flight: usize,
    pub smtp_pool: u32,
    /// Seconds without a heartbeat after which a worker's unfinished rows are given to others.
    pub dead_worker_secs: u64,
    /// Batches one worker sends at once per priority (emergencies get twice as many).
    pub batches_at_once: usize,
    /// Web push may use `http` and addresses inside the network (loopback, private, link-local, unique-local):
    /// for tests and closed networks only. Off, push endpoints must be public HTTPS addresses, when stored and when
    /// sent to.
    pub push_allow_private: bool,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        Self {
            rates: hejnal_jobs::limits::Rates::default(),
            quiet_hours: "21:00-07:00".into(),
            time_zone: "Europe/Warsaw".into(),
            batch_size: 200,
            max_attempts: 8,
            fallback_order: vec!["push".into(), "sms".into(), "email".into()],
            sms_max_parts: 3,
            in_flight: 64,
            smtp_pool: 32,
            dead_worker_secs: 10,
            batches_at_once: 2,
            push_allow_private: false,
        }
    }
}

/// The raw settings as read from the layered sources.
#[derive(Clone, Debug, Deserialize, Serialize)]
pub struct Settings {
    pub database_url: Secret,
    /// Database connections per process (default 8 on SQLite, 16 on PostgreSQL).
    pub database_pool: Option<u32>,
    pub bind: String,
    pub data_dir: PathBuf,
    pub public_url: Option<String>,
    pub log_format: LogFormat,
    pub log_filter: String,
    /// Idle lifetime of an official's session, in minutes.
    pub session_minutes: i64,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Path of a CSV (`number,roman,name,area_km2,population_…`) replacing the built-in Kraków districts.
    pub districts_csv: Option<PathBuf>,
    pub login: LoginLimits,
    /// `smtp://host:port`, `smtps://…`, `smtp://user:pass@host:587?tls=starttls`; unset: `.eml` files in the outbox.
    pub smtp_url: Option<Secret>,
    /// `kannel://user:pass@host:13013?from=KRAKOW` or `https://…` (JSON webhook); unset: `outbox/sms.log`.
    pub sms_url: Option<Secret>,
    /// The contact in VAPID claims: `mailto:…` or `https:…`.
    pub vapid_subject: String,
    /// The sender of every email.
    pub email_from: String,
    pub delivery: DeliverySettings,
    /// The topics residents may follow (`snake_case` names; each shows its `interest-<name>` catalogue text).
    pub panel_interests: Vec<String>,
    pub alerts: AlertSettings,
    pub surveys: SurveySettings,
    pub open311: Open311Settings,
    /// Reverse proxies whose `X-Forwarded-For`/`Forwarded` headers are believed: comma-separated networks or
    /// addresses (`127.0.0.1,10.0.0.0/8`). Empty (the default): the connection's own address is the client's.
    pub trusted_proxies: String,
    /// When set, `/metrics` answers only `Authorization: Bearer <this>`; unset (the default): `/metrics` is open and
    /// must be kept internal by the proxy or the network.
    pub metrics_token: Option<Secret>,
}

/// Consultations.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default)]
pub struct SurveySettings {
    /// Cells with fewer respondents are shown as "<k" (and never published).
    pub k: u64,
    /// Population shares by age band for weighting (e.g. `{"16-24" = 0.11, …}`); empty: weight by district only.
    pub age_margins: std::collections::BTreeMap<String, f64>,
    /// The length of a "day" for reminders, in seconds (86400; shorter only for demonstrations and tests).
    pub day_secs: u64,
}

impl Default for SurveySettings {
    fn default() -> Self {
        Self { k: 10, age_margins: Default::default(), day_secs: 86_400 }
    }
}

/// Open311 GeoReport v2 (`/open311/v2/`).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default)]
pub struct Open311Settings {
    /// Requests one app's API key may make per minute (a burst of as many, refilled evenly).
    pub requests_per_minute: u32,
}

impl Default for Open311Settings {
    fn default() -> Self {
        Self { requests_per_minute: 60 }
    }
}

/// Emergency alerts and service announcements.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(default)]
pub struct AlertSettings {
    /// `Exercise` and `Test` alerts may be approved by their own author.
    pub single_person_drills: bool,
    /// A GeoJSON FeatureCollection of district boundaries: polygons and circles then resolve to the districts they
    /// touch.
    pub boundaries: Option<PathBuf>,
    /// The feature property holding the district number.
    pub boundary_property: String,
    /// The key Kannel's `sms-service` sends as `key=` when it forwards a resident's SMS reply; unset: replies by
    /// SMS are not accepted.
    pub sms_reply_key: Option<Secret>,
    /// The CAP `sender` of hejnał's own messages.
    pub sender: String,
    /// Upstream warning sources polled for CAP 1.2 messages; each new one becomes a draft for approval.
    pub feeds: Vec<FeedSource>,
    /// Seconds between polls of each feed.
    pub feed_interval_secs: u64,
}

/// An upstream CAP source: an Atom feed linking to CAP documents, or one CAP document's address.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
pub struct FeedSource {
    pub url: String,
    /// The email of the official (an active editor) the drafts are filed under, e.g. the crisis desk's account.
    pub official: String,
    /// Origins besides the feed's own that its entries may link CAP documents on, and its redirects may lead to
    /// (none by default): a bare host (`cap.example.org`) means `https` on port 443; a full origin
    /// (`http://127.0.0.1:8080`) is allowed as written.
    #[serde(default)]
    pub allow_hosts: Vec<String>,
}

impl FeedSource {
    /// The origins (scheme, host, port) the source may be read from: its own and its `allow_hosts`; an entry that is
    /// neither a host nor an `http(s)` origin is named in the error.
    pub fn origins(&self) -> Result<Vec<url::Origin>, String> {
        let own = url::Url::parse(&self.url).map_err(|_| format!("\"{}\" is not an http(s) URL", self.url))?;
        let mut origins = vec![own.origin()];
        for entry in &self.allow_hosts {
            let origin = allowed_origin(entry)
                .ok_or_else(|| format!("allow_hosts entry \"{entry}\" is neither a host nor an http(s) origin"))?;
            origins.push(origin);
        }
        Ok(origins)
    }
}

/// An `allow_hosts` entry as an origin: a bare host (optionally with a port) means `https`, a full origin is taken
/// as written; anything with a path, query or credentials is not an origin.
fn allowed_origin(entry: &str) -> Option<url::Origin> {
    let entry = entry.trim();
    let url =
        url::Url::parse(&if entry.contains("://") { entry.to_string() } else { format!("https://{entry}") }).ok()?;
    let plain = url.path() == "/" && url.query().is_none() && url.username().is_empty() && url.password().is_none();
    (plain && matches!(url.scheme(), "http" | "https") && url.host().is_some()).then(|| url.origin())
}

impl Default for AlertSettings {
    fn default() -> Self {
        Self {
            single_person_drills: false,
            boundaries: None,
            boundary_property: "number".into(),
            sms_reply_key: None,
            sender: "hejnal@krakow.pl".into(),
            feeds: Vec::new(),
            feed_interval_secs: 60,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            database_url: Secret::new("sqlite://data/hejnal.db"),
            database_pool: None,
            bind: "127.0.0.1:8080".into(),
            data_dir: PathBuf::from("data"),
            public_url: None,
            log_format: LogFormat::Plain,
            log_filter: "info,sqlx=warn,apalis=warn".into(),
            session_minutes: 8 * 60,
            max_body_bytes: 1024 * 1024,
            districts_csv: None,
            login: LoginLimits::default(),
            smtp_url: None,
            sms_url: None,
            vapid_subject: "mailto:hejnal@hejnal.example.org".into(),
            email_from: "hejnał Kraków <powiadomienia@hejnal.example.org>".into(),
            delivery: DeliverySettings::default(),
            panel_interests: crate::domain::panel::DEFAULT_INTERESTS.iter().map(|s| s.to_string()).collect(),
            alerts: AlertSettings::default(),
            surveys: SurveySettings::default(),
            open311: Open311Settings::default(),
            trusted_proxies: String::new(),
            metrics_token: None,
        }
    }
}

/// Validated configuration the application runs with.
#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: Secret,
    pub database_pool: Option<u32>,
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    pub public_url: Url,
    pub log_format: LogFormat,
    pub log_filter: String,
    pub session_minutes: i64,
    pub max_body_bytes: usize,
    pub districts_csv: Option<PathBuf>,
    pub login: LoginLimits,
    pub smtp_url: Option<Secret>,
    pub sms_url: Option<Secret>,
    pub vapid_subject: String,
    pub email_from: String,
    pub delivery: DeliverySettings,
    pub quiet_hours: Option<hejnal_jobs::limits::QuietHours>,
    pub fallback_order: Vec<hejnal_jobs::Channel>,
    pub panel_interests: Vec<String>,
    pub alerts: AlertSettings,
    pub surveys: SurveySettings,
    pub open311: Open311Settings,
    /// District boundaries read from `alerts.boundaries`.
    pub boundaries: Option<Arc<Boundaries>>,
    /// Parsed `trusted_proxies`.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `metrics_token`; an empty value counts as unset.
    pub metrics_token: Option<Secret>,
    /// Rounds completed by the background loops (not a setting: a counter shared by this configuration's clones).
    pub rounds: crate::telemetry::Rounds,
}

/// Loaded district boundaries (opaque in debug output).
pub struct Boundaries(pub crate::domain::geo::Boundaries);

impl std::fmt::Debug for Boundaries {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Boundaries(..)")
    }
}

/// A configuration error: one line naming the setting and what is wrong.
#[derive(Debug, thiserror::Error)]
#[error("configuration: {setting}: {problem}")]
pub struct ConfigError {
    pub setting: String,
    pub problem: String,
}

/// Parses `HEJNAL_TRUSTED_PROXIES`: comma-separated networks (`10.0.0.0/8`) or single addresses (`127.0.0.1`).
pub fn parse_trusted(list: &str) -> Result<Vec<ipnet::IpNet>, String> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .map_err(|_| format!("'{s}' is not an address or a network like 10.0.0.0/8"))
        })
        .collect()
}

fn bad(setting: &str, problem: impl Into<String>) -> ConfigError {
    ConfigError { setting: setting.into(), problem: problem.into() }
}

impl Config {
    /// Reads defaults, then the TOML file (if given or present), then `HEJNAL_*` variables.
    pub fn load(file: Option<PathBuf>) -> Result<Self, ConfigError> {
        let explicit = file.is_some();
        let path = file.unwrap_or_else(|| PathBuf::from("hejnal.toml"));
        if explicit && !path.exists() {
            return Err(bad("--config", format!("file {} does not exist", path.display())));
        }
        let figment = Figment::from(Serialized::defaults(Settings::default()))
            .merge(Toml::file(&path))
            // `HEJNAL_LOGIN__PER_ACCOUNT_BURST` reaches `login.per_account_burst`.
            .merge(Env::prefixed("HEJNAL_").split("__").ignore(&["config"]));
        let settings: Settings = figment.extract().map_err(|e| {
            let setting = if e.path.is_empty() {
                path.display().to_string()
            } else {
                format!("{} (HEJNAL_{})", e.path.join("."), e.path.join("__").to_uppercase())
            };
            bad(&setting, e.kind.to_string())
        })?;
        Self::from_settings(settings)
    }

    pub fn from_settings(s: Settings) -> Result<Self, ConfigError> {
        let bind: SocketAddr = s
            .bind
            .parse()
            .map_err(|_| bad("HEJNAL_BIND", format!("'{}' is not an address like 127.0.0.1:8080", s.bind)))?;
        let db = s.database_url.expose();
        if !(db.starts_with("sqlite:") || db.starts_with("postgres://") || db.starts_with("postgresql://")) {
            return Err(bad(
                "HEJNAL_DATABASE_URL",
                "must start with sqlite:// or postgres:// (value not shown: it may hold a password)",
            ));
        }
        let public_url = match &s.public_url {
            Some(raw) => {
                let url =
                    Url::parse(raw).map_err(|e| bad("HEJNAL_PUBLIC_URL", format!("'{raw}' is not a URL: {e}")))?;
                if !matches!(url.scheme(), "http" | "https") {
                    return Err(bad("HEJNAL_PUBLIC_URL", "must be an http:// or https:// URL"));
                }
                url
            }
            None => {
                let host = if bind.ip().is_unspecified() { "localhost".to_string() } else { bind.ip().to_string() };
                Url::parse(&format!("http://{host}:{}/", bind.port())).expect("a bind address makes a URL")
            }
        };
        if s.database_pool.is_some_and(|n| n == 0 || n > 1000) {
            return Err(bad("HEJNAL_DATABASE_POOL", "must be between 1 and 1000"));
        }
        if s.session_minutes <= 0 {
            return Err(bad("HEJNAL_SESSION_MINUTES", "must be a positive number of minutes"));
        }
        if s.max_body_bytes < 1024 {
            return Err(bad("HEJNAL_MAX_BODY_BYTES", "must be at least 1024"));
        }
        let l = &s.login;
        if l.per_account_burst == 0
            || l.per_address_burst == 0
            || l.per_account_period_secs == 0
            || l.per_address_period_secs == 0
        {
            return Err(bad("HEJNAL_LOGIN", "bursts and periods must be positive"));
        }
        if s.open311.requests_per_minute == 0 || s.open311.requests_per_minute > 1_000_000 {
            return Err(bad("HEJNAL_OPEN311__REQUESTS_PER_MINUTE", "must be between 1 and 1000000"));
        }
        if let Some(csv) = &s.districts_csv
            && !csv.exists()
        {
            return Err(bad("HEJNAL_DISTRICTS_CSV", format!("file {} does not exist", csv.display())));
        }
        tracing_subscriber::EnvFilter::try_new(&s.log_filter).map_err(|e| bad("HEJNAL_LOG_FILTER", e.to_string()))?;
        if let Some(url) = &s.smtp_url {
            let u = url.expose();
            if !(u.starts_with("smtp://") || u.starts_with("smtps://")) || Url::parse(u).is_err() {
                return Err(bad("HEJNAL_SMTP_URL", "must be smtp://host:port or smtps://host:port (value not shown)"));
            }
        }
        if let Some(url) = &s.sms_url {
            let u = url.expose();
            if !(u.starts_with("kannel://") || u.starts_with("https://") || u.starts_with("http://"))
                || Url::parse(u).is_err()
            {
                return Err(bad(
                    "HEJNAL_SMS_URL",
                    "must be kannel://user:pass@host:13013?from=NAME or https://… (value not shown)",
                ));
            }
        }
        if !(s.vapid_subject.starts_with("mailto:") || s.vapid_subject.starts_with("https:")) {
            return Err(bad("HEJNAL_VAPID_SUBJECT", "must start with mailto: or https:"));
        }
        if !hejnal_jobs::channels::email::valid_mailbox(&s.email_from) {
            return Err(bad(
                "HEJNAL_EMAIL_FROM",
                format!("'{}' is not a mailbox like Name <name@example.org>", s.email_from),
            ));
        }
        let d = &s.delivery;
        hejnal_jobs::limits::Limits::new(&d.rates).map_err(|e| bad("HEJNAL_DELIVERY__RATES", e.to_string()))?;
        if !(0.0..=1.0).contains(&d.rates.burst_share) {
            return Err(bad("HEJNAL_DELIVERY__RATES__BURST_SHARE", "must be between 0 and 1"));
        }
        if d.time_zone.parse::<chrono_tz::Tz>().is_err() {
            return Err(bad("HEJNAL_DELIVERY__TIME_ZONE", format!("'{}' is not an IANA time zone", d.time_zone)));
        }
        let quiet_hours = if d.quiet_hours.trim().is_empty() {
            None
        } else {
            Some(
                hejnal_jobs::limits::QuietHours::parse(&d.quiet_hours, &d.time_zone)
                    .map_err(|e| bad("HEJNAL_DELIVERY__QUIET_HOURS", e))?,
            )
        };
        let fallback_order = d
            .fallback_order
            .iter()
            .map(|c| c.parse::<hejnal_jobs::Channel>())
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| bad("HEJNAL_DELIVERY__FALLBACK_ORDER", e))?;
        if d.dead_worker_secs < 3 {
            return Err(bad("HEJNAL_DELIVERY__DEAD_WORKER_SECS", "must be at least 3 (workers beat every second)"));
        }
        if d.batch_size == 0 || d.batch_size > 10_000 {
            return Err(bad("HEJNAL_DELIVERY__BATCH_SIZE", "must be between 1 and 10000"));
        }
        if d.max_attempts == 0 || d.in_flight == 0 || d.smtp_pool == 0 || d.sms_max_parts == 0 || d.batches_at_once == 0
        {
            return Err(bad(
                "HEJNAL_DELIVERY",
                "max_attempts, in_flight, smtp_pool and sms_max_parts must be positive",
            ));
        }
        if s.panel_interests.is_empty()
            || s.panel_interests
                .iter()
                .any(|i| i.is_empty() || !i.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'))
        {
            return Err(bad("HEJNAL_PANEL_INTERESTS", "must be a non-empty list of snake_case names"));
        }
        let boundaries = match &s.alerts.boundaries {
            None => None,
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| bad("HEJNAL_ALERTS__BOUNDARIES", format!("cannot read {}: {e}", path.display())))?;
                let b = crate::domain::geo::Boundaries::from_geojson(&text, &s.alerts.boundary_property)
                    .map_err(|e| bad("HEJNAL_ALERTS__BOUNDARIES", e))?;
                Some(Arc::new(Boundaries(b)))
            }
        };
        if s.alerts.sender.trim().is_empty() || s.alerts.sender.contains([' ', ',', '<', '&']) {
            return Err(bad("HEJNAL_ALERTS__SENDER", "must be an identifier without spaces, commas, < or &"));
        }
        for feed in &s.alerts.feeds {
            let ok = url::Url::parse(&feed.url).is_ok_and(|u| matches!(u.scheme(), "http" | "https"));
            if !ok {
                return Err(bad("HEJNAL_ALERTS__FEEDS", format!("\"{}\" is not an http(s) URL", feed.url)));
            }
            feed.origins().map_err(|e| bad("HEJNAL_ALERTS__FEEDS", e))?;
            if crate::domain::Email::parse(&feed.official).is_err() {
                return Err(bad(
                    "HEJNAL_ALERTS__FEEDS",
                    format!("official \"{}\" is not an email address", feed.official),
                ));
            }
        }
        if s.alerts.feed_interval_secs == 0 {
            return Err(bad("HEJNAL_ALERTS__FEED_INTERVAL_SECS", "must be at least 1"));
        }
        if s.surveys.k < 2 || s.surveys.day_secs == 0 {
            return Err(bad("HEJNAL_SURVEYS", "k must be at least 2 and day_secs positive"));
        }
        if s.surveys.age_margins.iter().any(|(band, share)| {
            crate::domain::panel::AgeBand::parse(band).is_none() || !share.is_finite() || *share < 0.0
        }) {
            return Err(bad(
                "HEJNAL_SURVEYS__AGE_MARGINS",
                "keys must be age bands (16-24, …) and shares non-negative",
            ));
        }
        let trusted_proxies = parse_trusted(&s.trusted_proxies).map_err(|e| bad("HEJNAL_TRUSTED_PROXIES", e))?;
        Ok(Self {
            alerts: s.alerts,
            surveys: s.surveys,
            open311: s.open311,
            boundaries,
            trusted_proxies,
            metrics_token: s.metrics_token.filter(|t| !t.expose().trim().is_empty()),
            rounds: Default::default(),
            panel_interests: s.panel_interests,
            database_url: s.database_url,
            database_pool: s.database_pool,
            bind,
            data_dir: s.data_dir,
            public_url,
            log_format: s.log_format,
            log_filter: s.log_filter,
            session_minutes: s.session_minutes,
            max_body_bytes: s.max_body_bytes,
            districts_csv: s.districts_csv,
            login: s.login,
            smtp_url: s.smtp_url,
            sms_url: s.sms_url,
            vapid_subject: s.vapid_subject,
            email_from: s.email_from,
            delivery: s.delivery,
            quiet_hours,
            fallback_order,
        })
    }

    /// Cookies get the `Secure` flag when the public URL is https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.scheme() == "https"
    }

    /// The city's time zone (validated at start).
    pub fn time_zone(&self) -> chrono_tz::Tz {
        self.delivery.time_zone.parse().unwrap_or(chrono_tz::Europe::Warsaw)
    }

    /// A moment as the city reads it: `2026-12-01 12:00` in the city's time zone.
    pub fn local_minutes(&self, t: chrono::DateTime<chrono::Utc>) -> String {
        self.local_time(t).format("%Y-%m-%d %H:%M").to_string()
    }

    /// A moment in the city's time zone, with its offset (as CAP documents carry it).
    pub fn local_time(&self, t: chrono::DateTime<chrono::Utc>) -> chrono::DateTime<chrono::FixedOffset> {
        t.with_timezone(&self.time_zone()).fixed_offset()
    }

    /// An absolute link under the public URL.
    pub fn link(&self, path: &str) -> String {
        let base = self.public_url.as_str().trim_end_matches('/');
        format!("{base}{path}")
    }
}

/// A form's `datetime-local` value (`2026-12-01T12:00`, seconds optional) read in the zone `tz`.
pub fn parse_local(value: &str, tz: chrono_tz::Tz) -> Option<chrono::DateTime<chrono_tz::Tz>> {
    use chrono::TimeZone as _;
    let v = value.trim();
    chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .and_then(|n| tz.from_local_datetime(&n).earliest())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_show_in_debug() {
        let s = Settings { database_url: Secret::new("postgres://u:hunter2@db/hejnal"), ..Settings::default() };
        let c = Config::from_settings(s).unwrap();
        assert!(!format!("{c:?}").contains("hunter2"));
    }

    #[test]
    fn a_bad_bind_names_the_setting() {
        let s = Settings { bind: "nowhere".into(), ..Settings::default() };
        let e = Config::from_settings(s).unwrap_err().to_string();
        assert!(e.contains("HEJNAL_BIND"), "{e}");
    }

    #[test]
    fn public_url_defaults_from_bind() {
        let c = Config::from_settings(Settings::default()).unwrap();
        assert_eq!(c.public_url.as_str(), "http://127.0.0.1:8080/");
        assert!(!c.secure_cookies());
    }
}
