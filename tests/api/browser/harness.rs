//! The browser side of the tests: one chromedriver (and one headless Chromium) per test, plus axe-core.
//!
//! Paths come from `HEJNAL_TEST_CHROMEDRIVER`, `HEJNAL_TEST_CHROMIUM` and `HEJNAL_TEST_AXE`. Under `CI=true` a missing
//! tool fails the test; locally the test is skipped with a message (`npm ci --prefix tests/browser` installs axe).

use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

use fantoccini::{
    Client, ClientBuilder, Locator,
    actions::{InputSource, KeyAction, KeyActions},
    key::Key,
    wd::TimeoutConfiguration,
};
use serde_json::{Value, json};

/// How long any one wait (chromedriver start-up, an element, a navigation) may take. Generous: CI machines are small
/// and several browsers may run at once.
const PATIENCE: Duration = Duration::from_secs(30);

fn tool_path(var: &str, default: impl FnOnce() -> PathBuf) -> PathBuf {
    match std::env::var_os(var) {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => default(),
    }
}

/// A chromedriver process on its own port; shut down (and with it its Chromium) when dropped.
struct Chromedriver {
    child: Child,
    addr: SocketAddr,
    log: PathBuf,
}

impl Chromedriver {
    fn start(binary: &Path, dir: &Path) -> Self {
        // A free port: bind port 0, note the number, let it go for chromedriver.
        let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port();
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let log = dir.join("chromedriver.log");
        let child = Command::new(binary)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        let mut driver = Self { child, addr, log };
        driver.wait_until_ready();
        driver
    }

    fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Polls `GET /status` until chromedriver says it is ready.
    fn wait_until_ready(&mut self) {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("chromedriver exited at start-up ({status}); log:\n{}", self.log_text());
            }
            if let Some(body) = self.request("GET", "/status")
                && body.contains("\"ready\":true")
            {
                return;
            }
            if Instant::now() > deadline {
                panic!("chromedriver did not answer on {} within {PATIENCE:?}; log:\n{}", self.addr, self.log_text());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// A minimal blocking HTTP/1.1 request, usable from `Drop` (no runtime needed). Returns the response, if any.
    fn request(&self, method: &str, path: &str) -> Option<String> {
        let mut stream = TcpStream::connect_timeout(&self.addr, Duration::from_millis(500)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n",
            self.addr
        )
        .ok()?;
        // chromedriver keeps the connection open whatever we ask: read up to the end of the announced body.
        let mut response = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            match stream.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => response.extend_from_slice(&chunk[..n]),
                Err(_) if !response.is_empty() => break,
                Err(_) => return None,
            }
            let text = String::from_utf8_lossy(&response);
            if let Some(end) = text.find("\r\n\r\n") {
                let length = text[..end]
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
                    .and_then(|v| v.parse::<usize>().ok());
                if length.is_some_and(|length| response.len() >= end + 4 + length) {
                    break;
                }
            }
        }
        Some(String::from_utf8_lossy(&response).into_owned())
    }

    fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_else(|e| format!("(no log: {e})"))
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // `/shutdown` closes every session (so Chromium quits too) before chromedriver exits; kill if it lingers.
        let _ = self.request("GET", "/shutdown");
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless Chromium driven over WebDriver, with axe-core at hand.
pub struct Browser {
    pub client: Client,
    axe_source: String,
    // Dropped after the client: chromedriver first, then the profile and log directory.
    driver: Chromedriver,
    _dir: tempfile::TempDir,
}

impl Browser {
    /// Starts chromedriver and a fresh Chromium; `None` (after a message) when the tools are missing outside CI.
    pub async fn start() -> Option<Self> {
        let chromedriver = tool_path("HEJNAL_TEST_CHROMEDRIVER", || "/usr/bin/chromedriver".into());
        let chromium = tool_path("HEJNAL_TEST_CHROMIUM", || "/usr/bin/chromium".into());
        let axe = tool_path("HEJNAL_TEST_AXE", || {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser/node_modules/axe-core/axe.min.js")
        });
        let missing: Vec<String> = [("chromedriver", &chromedriver), ("chromium", &chromium), ("axe-core", &axe)]
            .into_iter()
            .filter(|(_, p)| !p.is_file())
            .map(|(what, p)| format!("{what} ({})", p.display()))
            .collect();
        if !missing.is_empty() {
            let missing = missing.join(", ");
            crate::support::skip::skip(&format!(
                "browser tools missing: {missing} (run `npm ci --prefix tests/browser` for axe-core)"
            ));
            return None;
        }
        let axe_source = std::fs::read_to_string(&axe).unwrap_or_else(|e| panic!("cannot read {}: {e}", axe.display()));

        let dir = tempfile::tempdir().expect("temporary directory");
        let profile = dir.path().join("profile");
        std::fs::create_dir(&profile).expect("profile directory");
        // Starting and polling chromedriver blocks: keep it off the runtime's worker threads.
        let log_dir = dir.path().to_path_buf();
        let driver = match tokio::task::spawn_blocking(move || Chromedriver::start(&chromedriver, &log_dir)).await {
            Ok(driver) => driver,
            Err(e) => std::panic::resume_unwind(e.into_panic()),
        };

        let args = [
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
            "--window-size=1280,900",
            // A Polish-speaking browser, whatever the machine's locale: Polish is what the site shows by default.
            "--lang=pl",
        ]
        .into_iter()
        .map(String::from)
        .chain([format!("--user-data-dir={}", profile.display())])
        .collect::<Vec<_>>();
        let mut caps = serde_json::Map::new();
        caps.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": chromium.display().to_string(),
                "args": args,
                "prefs": { "intl.accept_languages": "pl" },
            }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&driver.url())
            .await
            .unwrap_or_else(|e| {
                panic!("cannot open a Chromium session: {e}; chromedriver log:\n{}", driver.log_text())
            });
        client
            .update_timeouts(TimeoutConfiguration::new(Some(PATIENCE), Some(PATIENCE), Some(Duration::ZERO)))
            .await
            .expect("set WebDriver timeouts");
        Some(Self { client, axe_source, driver, _dir: dir })
    }

    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.unwrap_or_else(|e| panic!("navigate to {url}: {e}"));
    }

    /// The first element matching a CSS selector, waiting for it to appear.
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        match self.client.wait().at_most(PATIENCE).for_element(Locator::Css(css)).await {
            Ok(element) => element,
            Err(e) => panic!("no element {css:?} on {}: {e}", self.current_url().await),
        }
    }

    pub async fn current_url(&self) -> String {
        self.client.current_url().await.map(|u| u.to_string()).unwrap_or_else(|e| format!("(unknown URL: {e})"))
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap_or_else(|e| panic!("text of {css:?}: {e}"))
    }

    /// Waits until the element's text is `expected` (after a click, the next page may still be loading).
    pub async fn wait_for_text(&self, css: &str, expected: &str) {
        self.wait_for_text_where(css, &format!("{expected:?}"), |text| text == expected).await;
    }

    /// Waits until the element's text satisfies `wanted` and returns it. Finding the element alone is not enough when
    /// the page being left has one by the same id: it would be read just as the browser throws it away.
    pub async fn wait_for_text_where(&self, css: &str, what: &str, wanted: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let found = match self.client.find(Locator::Css(css)).await {
                Ok(el) => el.text().await.ok(),
                Err(_) => None,
            };
            if let Some(text) = found.as_deref().filter(|text| wanted(text)) {
                return text.to_owned();
            }
            if Instant::now() > deadline {
                panic!("{css:?} on {} reads {found:?}, expected {what}", self.current_url().await);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A real left click at `(x, y)` CSS pixels from the element's centre.
    pub async fn click_at(&self, element: &fantoccini::elements::Element, x: f64, y: f64) {
        use fantoccini::actions::{MOUSE_BUTTON_LEFT, MouseActions, PointerAction};
        let actions = MouseActions::new("mouse".into())
            .then(PointerAction::MoveToElement { element: element.clone(), duration: None, x, y })
            .then(PointerAction::Down { button: MOUSE_BUTTON_LEFT })
            .then(PointerAction::Up { button: MOUSE_BUTTON_LEFT });
        self.client.perform_actions(actions).await.expect("click at a point");
        self.client.release_actions().await.expect("release the mouse");
    }

    /// The `lang` attribute of the root element.
    pub async fn html_lang(&self) -> Option<String> {
        self.find("html").await.attr("lang").await.expect("read html[lang]")
    }

    /// Runs JavaScript and returns its value.
    pub async fn js(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap_or_else(|e| panic!("script failed: {e}\n{script}"))
    }

    /// Presses and releases one key on whatever has focus.
    pub async fn press(&self, key: Key) {
        let key: char = key.into();
        let actions =
            KeyActions::new("keyboard".into()).then(KeyAction::Down { value: key }).then(KeyAction::Up { value: key });
        self.client.perform_actions(actions).await.expect("key press");
        self.client.release_actions().await.expect("release keys");
    }

    /// Runs axe-core (WCAG 2.0/2.1, levels A and AA) on the current page and panics listing every violation.
    pub async fn axe_check(&self, label: &str) {
        self.client
            .execute(&self.axe_source, vec![])
            .await
            .unwrap_or_else(|e| panic!("[{label}] inject axe-core: {e}"));
        let results = self
            .client
            .execute_async(
                r#"
                const done = arguments[arguments.length - 1];
                axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                  .then(r => done({
                    url: r.url,
                    passes: r.passes.length,
                    incomplete: r.incomplete.map(v => ({ id: v.id, nodes: v.nodes.map(n => n.target) })),
                    violations: r.violations.map(v => ({
                      id: v.id,
                      impact: v.impact,
                      help: v.help,
                      helpUrl: v.helpUrl,
                      nodes: v.nodes.map(n => ({ target: n.target, html: n.html, summary: n.failureSummary })),
                    })),
                  }))
                  .catch(e => done({ error: String(e) }));
                "#,
                vec![],
            )
            .await
            .unwrap_or_else(|e| panic!("[{label}] run axe-core: {e}"));
        if let Some(error) = results.get("error") {
            panic!("[{label}] axe-core failed: {error}");
        }
        let violations = results["violations"].as_array().expect("axe results have violations");
        assert!(results["passes"].as_u64().unwrap_or(0) > 0, "[{label}] axe-core checked nothing: {results}");
        // "Needs review" results are not failures, but worth a line in the test output.
        if results["incomplete"].as_array().is_some_and(|a| !a.is_empty()) {
            eprintln!("[{label}] axe-core could not decide (needs review): {}", results["incomplete"]);
        }
        if violations.is_empty() {
            return;
        }
        let mut report = format!("[{label}] {} accessibility violation(s) on {}:\n", violations.len(), results["url"]);
        for v in violations {
            report +=
                &format!("- {} ({}): {} <{}>\n", v["id"], v["impact"], v["help"], v["helpUrl"].as_str().unwrap_or(""));
            for n in v["nodes"].as_array().into_iter().flatten() {
                let html: String = n["html"].as_str().unwrap_or("").chars().take(200).collect();
                report += &format!("    at {}  {html}\n", n["target"]);
                if let Some(summary) = n["summary"].as_str() {
                    for line in summary.lines() {
                        report += &format!("      {line}\n");
                    }
                }
            }
        }
        panic!("{report}");
    }

    /// Ends the WebDriver session cleanly (dropping the browser also shuts it down, e.g. after a failed assertion).
    pub async fn close(self) {
        let Self { client, driver, _dir, .. } = self;
        let _ = client.close().await;
        drop(driver);
    }
}
