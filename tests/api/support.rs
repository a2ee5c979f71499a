//! The test harness: the real application on port 0 with a fresh database per test (a temporary SQLite file, or a
//! fresh PostgreSQL database when `HEJNAL_TEST_POSTGRES_URL` is set), started through the same function as the binary.

use std::sync::Arc;
use std::time::{Duration, Instant};

pub mod fixtures;
pub mod kannel;
pub mod nginx;
pub mod push_service;
pub mod skip;
pub mod smtp;
pub mod wait;

use hejnal::{
    app::{self, RunOptions},
    config::{Config, Secret, Settings},
    domain::Role,
    storage::DynStorage,
};
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

/// Which storage backend a test runs against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Generates one test per backend from `async fn name(db: Db)`.
#[macro_export]
macro_rules! dual {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::support::Db::Sqlite).await
                }
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if $crate::support::require_postgres() {
                        super::$name($crate::support::Db::Postgres).await
                    }
                }
            }
        )*
    };
}

/// The PostgreSQL server for tests, if configured (whether its absence skips or fails: [`require_postgres`]).
pub fn postgres_url() -> Option<String> {
    std::env::var("HEJNAL_TEST_POSTGRES_URL").ok().filter(|url| !url.is_empty())
}

/// A PostgreSQL variant runs only with a server: without one it skips visibly, or fails under `CI=true`.
pub fn require_postgres() -> bool {
    let configured = postgres_url().is_some();
    if !configured {
        skip::skip("HEJNAL_TEST_POSTGRES_URL is not set (the PostgreSQL variant)");
    }
    configured
}

/// A fresh, empty database for one test; dropped (PostgreSQL) or deleted (SQLite) afterwards.
pub struct TestDb {
    pub url: String,
    pg_admin: Option<(String, String)>,
    _dir: tempfile::TempDir,
}

impl TestDb {
    pub async fn new(db: Db) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        match db {
            Db::Sqlite => {
                Self { url: format!("sqlite://{}/hejnal.db", dir.path().display()), pg_admin: None, _dir: dir }
            }
            Db::Postgres => {
                let admin = postgres_url().expect("PostgreSQL URL");
                let name = format!("hejnal_test_{}", uuid::Uuid::new_v4().simple());
                let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
                    .await
                    .expect("connect to test PostgreSQL");
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&mut conn)
                    .await
                    .expect("create test database");
                let mut url = url::Url::parse(&admin).expect("HEJNAL_TEST_POSTGRES_URL is a URL");
                url.set_path(&format!("/{name}"));
                Self { url: url.to_string(), pg_admin: Some((admin, name)), _dir: dir }
            }
        }
    }

    pub fn data_dir(&self) -> std::path::PathBuf {
        self._dir.path().to_path_buf()
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin, name)) = self.pg_admin.take() {
            // Drop runs outside async: a short-lived runtime on its own thread removes the database.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                rt.block_on(async move {
                    if let Ok(mut conn) = <sqlx::PgConnection as sqlx::Connection>::connect(&admin).await {
                        let _ =
                            sqlx::query(sqlx::AssertSqlSafe(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")))
                                .execute(&mut conn)
                                .await;
                    }
                });
            })
            .join();
        }
    }
}

/// A running application.
pub struct TestApp {
    pub base: String,
    pub store: DynStorage,
    pub config: Config,
    shutdown: Option<oneshot::Sender<()>>,
    handle: Option<JoinHandle<anyhow::Result<()>>>,
    pub db: Arc<TestDb>,
}

pub fn settings_for(db: &TestDb) -> Settings {
    Settings {
        database_url: Secret::new(db.url.clone()),
        data_dir: db.data_dir(),
        log_filter: "warn".into(),
        // Tests run at any hour: no quiet hours unless a test asks for them. The push stand-in is on
        // http://127.0.0.1: private push endpoints are allowed unless a test says otherwise.
        delivery: hejnal::config::DeliverySettings {
            quiet_hours: String::new(),
            push_allow_private: true,
            ..Default::default()
        },
        ..Settings::default()
    }
}

/// The application's warnings (and the queue library's errors) go to each test's captured output, so a failing
/// test shows what the application logged while it ran; a passing one shows nothing. `HEJNAL_TEST_LOG` sets another
/// filter (e.g. `HEJNAL_TEST_LOG=debug` while debugging one test).
fn init_test_log() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let filter = std::env::var("HEJNAL_TEST_LOG").unwrap_or_else(|_| "warn".into());
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_test_writer()
            .try_init();
    });
}

impl TestApp {
    pub async fn spawn(db: Db) -> Self {
        Self::spawn_with(db, |_| {}).await
    }

    /// Starts the application with adjusted settings.
    pub async fn spawn_with(db: Db, adjust: impl FnOnce(&mut Settings)) -> Self {
        Self::start(db, adjust, true).await
    }

    /// The web application alone: a test runs its own delivery engine.
    pub async fn spawn_without_worker(db: Db, adjust: impl FnOnce(&mut Settings)) -> Self {
        Self::start(db, adjust, false).await
    }

    async fn start(db: Db, adjust: impl FnOnce(&mut Settings), embedded_worker: bool) -> Self {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let test_db = Arc::new(TestDb::new(db).await);
        let mut settings = settings_for(&test_db);
        settings.bind = "127.0.0.1:0".into();
        // A test may choose the port (a gateway configured before the app starts must know it).
        adjust(&mut settings);
        let listener = TcpListener::bind(&settings.bind).await.expect("bind the test port");
        let addr = listener.local_addr().expect("local address");
        settings.bind = addr.to_string();
        settings.public_url.get_or_insert_with(|| format!("http://{addr}/"));
        let config = Config::from_settings(settings).expect("valid test configuration");
        init_test_log();
        let store = app::prepare(&config).await.expect("database prepared");
        let (tx, rx) = oneshot::channel();
        let handle = tokio::spawn(app::run(
            config.clone(),
            store.clone(),
            listener,
            async move {
                let _ = rx.await;
            },
            RunOptions { embedded_worker },
        ));
        let mut app = Self {
            base: format!("http://{addr}"),
            store,
            config,
            shutdown: Some(tx),
            handle: Some(handle),
            db: test_db,
        };
        app.started().await;
        app
    }

    /// Returns once the application answers: its start-up writes (keys, the first notice) are done, so a test's own
    /// writes (a bulk panel load) cannot crowd them out. A start that fails fails the test with its error.
    async fn started(&mut self) {
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(r) = client.get(self.url("/healthz")).timeout(Duration::from_secs(5)).send().await
                && r.status().is_success()
            {
                return;
            }
            let handle = self.handle.as_ref().expect("running");
            if handle.is_finished() {
                let ended = self.handle.take().expect("running").await;
                panic!("the application did not start: {ended:?}");
            }
            assert!(Instant::now() < deadline, "the application did not answer within 60 s");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Stops the server and worker gracefully and waits for them.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(h) = self.handle.take() {
            h.await.expect("app task").expect("app stopped cleanly");
        }
    }

    /// Creates an official directly (as `hejnal official add` does) and returns their id and password.
    pub async fn add_official(&self, email: &str, roles: &[Role]) -> (i64, String) {
        let password = format!("pass-{}", uuid::Uuid::new_v4().simple());
        let id = hejnal::cli::add_official(&self.store, email, "Test Official", &password, roles)
            .await
            .expect("official added");
        (id, password)
    }

    /// An API token acting as the official (as the admin pages issue one).
    pub async fn token_for(&self, official_id: i64) -> String {
        let token = hejnal::domain::secret_token::generate("hj_");
        let hash = hejnal::domain::secret_token::hash(&token);
        self.store.create_api_token(official_id, "test", &hash, chrono::Utc::now(), None).await.expect("token");
        token
    }

    /// A signed-in browser-like client (cookies kept, redirects not followed).
    pub async fn signed_in(&self, email: &str, roles: &[Role]) -> Client {
        let (_, password) = self.add_official(email, roles).await;
        let client = Client::new(self);
        let res = client.login(email, &password).await;
        assert_eq!(res.status(), 303, "login should redirect");
        client
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// An HTTP client with its own cookie jar, like one browser.
pub struct Client {
    pub http: reqwest::Client,
    base: String,
}

impl Client {
    pub fn new(app: &TestApp) -> Self {
        let http = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("HTTP client");
        Self { http, base: app.base.clone() }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http.get(self.url(path)).send().await.expect("GET")
    }

    /// The CSRF token a page's forms carry (read from the page, as a browser would submit it).
    pub async fn csrf(&self, page: &str) -> String {
        let html = self.get(page).await.text().await.expect("page body");
        csrf_from(&html).unwrap_or_else(|| panic!("no CSRF field on {page}"))
    }

    /// Submits a form as a browser would: the CSRF token from `page`, then the fields.
    pub async fn post_form(&self, page: &str, action: &str, fields: &[(&str, &str)]) -> reqwest::Response {
        let csrf = self.csrf(page).await;
        let mut body: Vec<(&str, &str)> = vec![("_csrf", csrf.as_str())];
        body.extend_from_slice(fields);
        self.http.post(self.url(action)).form(&body).send().await.expect("POST")
    }

    pub async fn login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_form("/official/login", "/official/login", &[("email", email), ("password", password)]).await
    }
}

pub fn csrf_from(html: &str) -> Option<String> {
    let at = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    Some(html[at..].split('"').next()?.to_string())
}
