//! Real SMTP servers for tests: [`SmtpKeeper`] (aiosmtpd, keeps every message byte for byte, parsed with
//! mail-parser) for content checks, and [`SmtpSink`] (postfix's smtp-sink, only counts) for throughput.
#![allow(dead_code)]

use std::io::Read;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Python's `/usr/bin/python3` has Debian's aiosmtpd; the `python3` on PATH may not.
const PYTHON: &str = "/usr/bin/python3";
const SMTP_SINK: &str = "/usr/sbin/smtp-sink";
const SMTP_SOURCE: &str = "/usr/sbin/smtp-source";

/// Saves each message as `NNNNNN.eml` (the DATA bytes exactly as received, after dot-unstuffing) with the envelope
/// in `NNNNNN.json`, written first; the .eml appears by rename, so a listed .eml is complete.
const HANDLER: &str = r#"
import asyncio, json, os, sys
from aiosmtpd.smtp import SMTP

port, out = int(sys.argv[1]), sys.argv[2]
# {"pipelining": bool, "refuse": {address: [reply, times]}}: announce PIPELINING; refuse RCPT TO that address with
# that reply the first `times` times (-1: always).
rules = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
refuse = rules.get("refuse", {})

class Keep:
    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        if rules.get("pipelining"):
            responses.insert(len(responses) - 1, "250-PIPELINING")
        return responses

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        # Whether RCPT and DATA had already arrived with MAIL (the client pipelined).
        waiting = bytes(server._reader._buffer).upper()
        envelope.pipelined = b"RCPT TO" in waiting and b"DATA" in waiting
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        rule = refuse.get(address)
        if rule and rule[1] != 0:
            rule[1] -= 1
            return rule[0]
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        session.messages = getattr(session, "messages", 0) + 1
        n = len([f for f in os.listdir(out) if f.endswith(".json")]) + 1
        base = os.path.join(out, "%06d" % n)
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos,
                       "pipelined": getattr(envelope, "pipelined", False), "in_session": session.messages,
                       "session": id(session)}, f)
        with open(base + ".tmp", "wb") as f:
            f.write(envelope.original_content)
        os.rename(base + ".tmp", base + ".eml")
        return "250 2.0.0 Ok: queued as %06d" % n

async def main():
    handler = Keep()
    loop = asyncio.get_running_loop()
    make = lambda: SMTP(handler, enable_SMTPUTF8=True, decode_data=False, hostname="smtp-keeper")
    server = await loop.create_server(make, "127.0.0.1", port)
    print("ready", flush=True)
    await server.serve_forever()

asyncio.run(main())
"#;

/// One message as the SMTP server received it.
#[derive(Clone, Debug)]
pub struct Email {
    pub raw: Vec<u8>,
    /// `MAIL FROM` and `RCPT TO`.
    pub envelope_from: String,
    pub envelope_to: Vec<String>,
    /// Header addresses (`From:` and every address in `To:`); `from_name` is the display name, decoded.
    pub from: Option<String>,
    pub from_name: Option<String>,
    pub to: Vec<String>,
    /// Decoded (RFC 2047) subject.
    pub subject: Option<String>,
    /// Without the angle brackets.
    pub message_id: Option<String>,
    /// RFC 3339.
    pub date: Option<String>,
    /// Top-level headers in order, value as written (folding kept, not decoded).
    pub headers: Vec<(String, String)>,
    pub text_body: Option<String>,
    pub html_body: Option<String>,
    /// Whether `RCPT TO` and `DATA` were already waiting when `MAIL FROM` was read (the client pipelined).
    pub pipelined: bool,
    /// Which SMTP session (connection) carried it, and the how-manieth message of that session it was (from 1).
    pub session: u64,
    pub in_session: u64,
}

impl Email {
    pub fn parse(raw: Vec<u8>, envelope_from: String, envelope_to: Vec<String>) -> Email {
        let msg = mail_parser::MessageParser::default().parse(&raw).expect("mail-parser cannot read the message");
        let addr = |a: &mail_parser::Addr| a.address().map(str::to_string);
        let headers = msg.headers().iter().map(|h| {
            let value = &raw[h.offset_start as usize..h.offset_end as usize];
            (h.name.as_str().to_string(), String::from_utf8_lossy(value).trim().to_string())
        });
        Email {
            from: msg.from().and_then(|a| a.first()).and_then(addr),
            from_name: msg.from().and_then(|a| a.first()).and_then(|a| a.name()).map(str::to_string),
            to: msg.to().map(|a| a.iter().filter_map(addr).collect()).unwrap_or_default(),
            subject: msg.subject().map(str::to_string),
            message_id: msg.message_id().map(str::to_string),
            date: msg.date().map(|d| d.to_rfc3339()),
            headers: headers.collect(),
            text_body: msg.body_text(0).map(|b| b.into_owned()),
            html_body: msg.body_html(0).map(|b| b.into_owned()),
            envelope_from,
            envelope_to,
            raw,
            pipelined: false,
            session: 0,
            in_session: 0,
        }
    }

    /// The first header of that name (case-insensitive), as written.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// An SMTP server that keeps what it receives (aiosmtpd with a small handler; SMTPUTF8 and 8BITMIME offered).
pub struct SmtpKeeper {
    dir: tempfile::TempDir,
    port: u16,
    child: Option<Child>,
    /// [`KeeperRules`] as the handler reads them.
    rules: String,
}

/// How a keeper deviates from aiosmtpd's defaults.
#[derive(Clone, Debug, Default)]
pub struct KeeperRules {
    /// Announce `PIPELINING` (RFC 2920) in the EHLO answer; aiosmtpd does not by default.
    pub pipelining: bool,
    /// `RCPT TO` these addresses gets this reply (e.g. `550 5.1.1 No such user`) the first `times` times; then the
    /// address is accepted. `None`: always refused.
    pub refuse: Vec<(String, String, Option<u32>)>,
}

impl SmtpKeeper {
    pub async fn start() -> SmtpKeeper {
        Self::start_with(KeeperRules::default()).await
    }

    pub async fn start_with(rules: KeeperRules) -> SmtpKeeper {
        let refuse: serde_json::Map<String, serde_json::Value> = rules
            .refuse
            .iter()
            .map(|(address, reply, times)| {
                (address.clone(), serde_json::json!([reply, times.map(i64::from).unwrap_or(-1)]))
            })
            .collect();
        let rules = serde_json::json!({"pipelining": rules.pipelining, "refuse": refuse}).to_string();
        let dir = tempfile::tempdir().expect("tempdir for smtp");
        std::fs::write(dir.path().join("keeper.py"), HANDLER).unwrap();
        std::fs::create_dir(dir.path().join("mail")).unwrap();
        let mut keeper = SmtpKeeper { port: 0, dir, child: None, rules };
        // A free port is chosen, released and bound by Python: another process may take it in between, so a
        // start that does not answer as this keeper is retried on a new port.
        let mut last = String::new();
        for _ in 0..3 {
            keeper.port = free_port();
            match keeper.launch().await {
                Ok(()) => return keeper,
                Err(e) => {
                    keeper.stop();
                    last = e;
                }
            }
        }
        panic!("the SMTP keeper did not start in three tries: {last}");
    }

    /// Starts the server again on the same port (after [`SmtpKeeper::stop`]); kept messages stay.
    pub async fn start_again(&mut self) {
        if let Err(e) = self.launch().await {
            panic!("{e}");
        }
    }

    async fn launch(&mut self) -> Result<(), String> {
        assert!(self.child.is_none(), "SMTP keeper is already running");
        let log = std::fs::File::create(self.dir.path().join("keeper.log")).unwrap();
        let child = Command::new(PYTHON)
            .arg(self.dir.path().join("keeper.py"))
            .arg(self.port.to_string())
            .arg(self.dir.path().join("mail"))
            .arg(&self.rules)
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("cannot start /usr/bin/python3 (Debian's python3-aiosmtpd)");
        self.child = Some(child);
        let log = || std::fs::read_to_string(self.dir.path().join("keeper.log")).unwrap_or_default();
        wait_port(self.port, Duration::from_secs(20)).await.map_err(|e| format!("{e}\n{}", log()))?;
        // Something answers: make sure it is this keeper, not a process that took the port first.
        match greeting(self.port).await {
            Some(line) if line.starts_with("220 smtp-keeper") => Ok(()),
            other => Err(format!("port {} answers as {other:?}, not as the keeper\n{}", self.port, log())),
        }
    }

    /// Kills the server: connections are refused until [`SmtpKeeper::start_again`].
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// How many messages arrived so far (without reading them).
    pub fn count(&self) -> usize {
        let mail = self.dir.path().join("mail");
        std::fs::read_dir(&mail)
            .map(|d| d.filter(|e| e.as_ref().is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".eml"))).count())
            .unwrap_or(0)
    }

    /// Every message received so far, in order of arrival.
    pub fn messages(&self) -> Vec<Email> {
        let mail = self.dir.path().join("mail");
        let mut names: Vec<_> = std::fs::read_dir(&mail)
            .unwrap()
            .filter_map(|e| e.ok()?.file_name().into_string().ok()?.strip_suffix(".eml").map(str::to_string))
            .collect();
        names.sort();
        names
            .into_iter()
            .map(|n| {
                let raw = std::fs::read(mail.join(format!("{n}.eml"))).unwrap();
                let envelope: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(mail.join(format!("{n}.json"))).unwrap()).unwrap();
                let from = envelope["mail_from"].as_str().unwrap_or_default().to_string();
                let to = envelope["rcpt_tos"].as_array().into_iter().flatten();
                let mut email = Email::parse(raw, from, to.filter_map(|v| v.as_str().map(str::to_string)).collect());
                email.pipelined = envelope["pipelined"].as_bool().unwrap_or_default();
                email.session = envelope["session"].as_u64().unwrap_or_default();
                email.in_session = envelope["in_session"].as_u64().unwrap_or_default();
                email
            })
            .collect()
    }

    /// Waits until at least `n` messages arrived and returns them all; panics with what did arrive on timeout.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<Email> {
        let deadline = Instant::now() + timeout;
        loop {
            let got = self.messages();
            if got.len() >= n {
                return got;
            }
            if Instant::now() > deadline {
                let subjects: Vec<_> = got.iter().map(|m| m.subject.clone()).collect();
                panic!("expected {n} emails within {timeout:?}, got {}: {subjects:?}", got.len());
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for SmtpKeeper {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Counters smtp-sink prints with `-c` (`\rsess=N quit=N mesg=N`, updated at each session end, QUIT and ".").
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SinkCounts {
    pub sessions: u64,
    pub quits: u64,
    pub messages: u64,
}

/// postfix's smtp-sink: accepts everything, keeps nothing, counts.
pub struct SmtpSink {
    port: u16,
    child: Child,
    counts: Arc<Mutex<SinkCounts>>,
}

impl SmtpSink {
    /// `backlog` is smtp-sink's listen backlog (how many connections may wait to be accepted).
    pub async fn start(backlog: u32) -> SmtpSink {
        // The port is chosen, released and bound by smtp-sink: if another process took it first, smtp-sink exits
        // (or the greeting is not its own) and the start is retried on a new port.
        for _ in 0..3 {
            let mut sink = Self::launch(backlog).await;
            let ours = greeting(sink.port).await.is_some_and(|g| g.starts_with("220 "));
            if ours && sink.child.try_wait().ok().flatten().is_none() {
                return sink;
            }
            let _ = sink.child.kill();
            let _ = sink.child.wait();
        }
        panic!("smtp-sink did not start in three tries");
    }

    async fn launch(backlog: u32) -> SmtpSink {
        let port = free_port();
        let mut cmd = Command::new(SMTP_SINK);
        if is_root() {
            cmd.args(["-u", "nobody"]);
        }
        let mut child = cmd
            .args(["-c", &format!("127.0.0.1:{port}"), &backlog.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("cannot start /usr/sbin/smtp-sink (Debian's postfix)");
        let counts: Arc<Mutex<SinkCounts>> = Arc::default();
        let (mut out, shared) = (child.stdout.take().unwrap(), counts.clone());
        std::thread::spawn(move || {
            let (mut buf, mut line) = ([0u8; 4096], Vec::new());
            while let Ok(n @ 1..) = out.read(&mut buf) {
                for &b in &buf[..n] {
                    if b == b'\r' || b == b'\n' {
                        if let Some(c) = parse_counts(&String::from_utf8_lossy(&line)) {
                            *shared.lock().unwrap() = c;
                        }
                        line.clear();
                    } else {
                        line.push(b);
                    }
                }
            }
        });
        let _ = wait_port(port, Duration::from_secs(10)).await;
        SmtpSink { port, child, counts }
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Messages completed (`mesg=`).
    pub fn count(&self) -> u64 {
        self.counts().messages
    }

    pub fn counts(&self) -> SinkCounts {
        *self.counts.lock().unwrap()
    }

    /// Waits until `n` messages were counted; panics on timeout.
    pub async fn wait_count(&self, n: u64, timeout: Duration) -> u64 {
        let deadline = Instant::now() + timeout;
        while self.count() < n {
            assert!(Instant::now() < deadline, "smtp-sink counted {:?}, expected {n} messages", self.counts());
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        self.count()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn parse_counts(line: &str) -> Option<SinkCounts> {
    let mut c = SinkCounts::default();
    for field in line.split_whitespace() {
        let (k, v) = field.split_once('=')?;
        let v = v.parse().ok()?;
        match k {
            "sess" => c.sessions = v,
            "quit" => c.quits = v,
            "mesg" => c.messages = v,
            _ => {}
        }
    }
    Some(c)
}

/// Sends `messages` messages of 2000 bytes over `sessions` parallel sessions with postfix's smtp-source (`-d`: many
/// messages per connection) and returns messages per second, wall clock.
pub async fn smtp_source_rate(port: u16, messages: u64, sessions: u32) -> f64 {
    let started = Instant::now();
    let out = tokio::process::Command::new(SMTP_SOURCE)
        .args(["-d", "-s", &sessions.to_string(), "-m", &messages.to_string(), "-l", "2000"])
        .arg(format!("127.0.0.1:{port}"))
        .output()
        .await
        .expect("cannot start /usr/sbin/smtp-source (Debian's postfix)");
    let secs = started.elapsed().as_secs_f64();
    assert!(out.status.success(), "smtp-source failed: {}", String::from_utf8_lossy(&out.stderr));
    messages as f64 / secs
}

/// The first line an SMTP server sends.
async fn greeting(port: u16) -> Option<String> {
    use tokio::io::AsyncBufReadExt;
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.ok()?;
    let mut line = String::new();
    let mut reader = tokio::io::BufReader::new(stream);
    tokio::time::timeout(Duration::from_secs(10), reader.read_line(&mut line)).await.ok()?.ok()?;
    Some(line.trim_end().to_string())
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").map(|m| m.uid() == 0).unwrap_or(false)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn wait_port(port: u16, timeout: Duration) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err() {
        if Instant::now() > deadline {
            return Err(format!("nothing listens on 127.0.0.1:{port} after {timeout:?}"));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}
