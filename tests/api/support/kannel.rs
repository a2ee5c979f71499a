//! A real Kannel for tests: `bearerbox` + `smsbox` + Kannel's own fake operator (`fakesmsc`), each instance on free
//! ports in its own temporary directory. What the "operator" received is parsed from fakesmsc's log lines
//! (`Got message N: <KRAKOW +48600100200 ucs-2 %00Z%00a…>`, printed on its stderr), and the fake operator can send
//! mobile-originated messages in (its interactive mode reads one MO line at a time from stdin).
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, ChildStderr, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};

pub const USER: &str = "hejnal";
pub const PASSWORD: &str = "secret";
pub const SENDER: &str = "KRAKOW";
const FAKESMSC: &str = "/usr/lib/kannel/test/fakesmsc";

#[derive(Clone, Debug, Default)]
pub struct KannelOptions {
    /// The `sms-service` `get-url` for incoming SMS, with Kannel's placeholders: `%p` sender, `%P` receiver, `%a` all
    /// text, `%k` keyword, `%t` time. An empty answer sends no reply (`omit-empty`); a non-empty one goes back as SMS,
    /// GSM text unless the answer has the header `X-Kannel-Coding: 2` (UCS-2; `accept-x-kannel-headers` is on).
    /// Without it every MO gets the reply "ok".
    pub mo_url: Option<String>,
}

/// One line the fake operator received: one SMS, or one part of a concatenated SMS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FakeSms {
    pub from: String,
    pub to: String,
    /// "text" (GSM 7-bit; Kannel passes it on as UTF-8), "ucs-2" or "data" (8-bit). Parts of a concatenated SMS are
    /// printed without their coding; it is inferred from the bytes.
    pub coding: String,
    pub text: String,
    pub udh: Option<Vec<u8>>,
    pub concat: Option<Concat>,
    /// What fakesmsc printed between `<` and `>`.
    pub raw: String,
}

/// The concatenation element of a part's UDH.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Concat {
    pub reference: u16,
    pub total: u8,
    pub seq: u8,
}

/// A whole SMS put back together from its parts (see [`assemble`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assembled {
    pub from: String,
    pub to: String,
    pub coding: String,
    pub text: String,
    /// Parts received; `total` is what the UDH announced (1 for an unsplit SMS).
    pub parts: usize,
    pub total: usize,
}

#[derive(Clone, Copy, Debug)]
struct Ports {
    admin: u16,
    smsbox: u16,
    sendsms: u16,
    smsc: u16,
}

pub struct Kannel {
    dir: tempfile::TempDir,
    ports: Ports,
    options: KannelOptions,
    children: Vec<Child>,
    stdin: Arc<Mutex<Option<ChildStdin>>>,
    received: Arc<Mutex<Vec<FakeSms>>>,
    pump_stop: Arc<AtomicBool>,
}

impl Kannel {
    pub async fn start() -> Kannel {
        Self::start_with(KannelOptions::default()).await
    }

    pub async fn start_with(options: KannelOptions) -> Kannel {
        let dir = tempfile::tempdir().expect("tempdir for kannel");
        let [sendsms] = free_ports::<1>();
        let ports = Ports { admin: 0, smsbox: 0, sendsms, smsc: 0 };
        let stdin: Arc<Mutex<Option<ChildStdin>>> = Arc::default();
        let pump_stop = Arc::new(AtomicBool::new(false));
        // fakesmsc's interactive loop waits up to 1 s on stdin before it looks at the socket: an empty line every
        // 20 ms wakes it, so what it receives is printed at once (empty lines are not sent anywhere). It takes about
        // one message per wake-up: at 100 ms it could not keep up with 10 SMS a second (the rate test measured it).
        let (pipe, stop) = (stdin.clone(), pump_stop.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(20));
                if let Some(s) = pipe.lock().unwrap().as_mut() {
                    let _ = s.write_all(b"\n").and_then(|_| s.flush());
                }
            }
        });
        let mut k = Kannel { dir, ports, options, children: Vec::new(), stdin, received: Arc::default(), pump_stop };
        k.start_again().await;
        k
    }

    /// Starts the three processes again (after [`Kannel::stop`]), keeping the sendsms port the application was
    /// configured with. Kannel's own ports are chosen afresh each time, and a start that fails (a port taken
    /// between choosing and binding it) is retried on new ones.
    pub async fn start_again(&mut self) {
        assert!(self.children.is_empty(), "Kannel is already running");
        let mut last = String::new();
        for _ in 0..3 {
            let [admin, smsbox, smsc] = free_ports::<3>();
            self.ports = Ports { admin, smsbox, smsc, ..self.ports };
            let conf = config(&self.ports, self.dir.path(), &self.options);
            std::fs::write(self.dir.path().join("kannel.conf"), conf).unwrap();
            match self.launch().await {
                Ok(()) => return,
                Err(why) => {
                    self.stop();
                    last = why;
                }
            }
        }
        self.fail(&format!("Kannel did not start in three tries: {last}"));
    }

    async fn launch(&mut self) -> Result<(), String> {
        let conf = self.dir.path().join("kannel.conf");
        self.children.push(self.spawn("bearerbox", Command::new("bearerbox").args(["-v", "1"]).arg(&conf)));
        wait_port(self.ports.smsc, Duration::from_secs(20)).await?;
        self.children.push(self.spawn("smsbox", Command::new("smsbox").args(["-v", "1"]).arg(&conf)));
        let mut cmd = Command::new(FAKESMSC);
        cmd.args(["-H", "127.0.0.1", "-r", &self.ports.smsc.to_string(), "-i", "0"]);
        let mut fake = cmd.stdin(Stdio::piped()).stdout(Stdio::null()).stderr(Stdio::piped()).spawn().unwrap();
        *self.stdin.lock().unwrap() = fake.stdin.take();
        let log = std::fs::OpenOptions::new().create(true).append(true).open(self.dir.path().join("fakesmsc.log"));
        let (log, err, received) = (log.unwrap(), fake.stderr.take().unwrap(), self.received.clone());
        std::thread::spawn(move || read_fakesmsc(err, log, &received));
        self.children.push(fake);
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let status = self.admin_status().await.unwrap_or_default();
            let smsc_online = status.lines().any(|l| l.contains("FAKE:") && l.contains("(online"));
            if smsc_online
                && status.contains("on-line")
                && TcpStream::connect(("127.0.0.1", self.ports.sendsms)).is_ok()
            {
                return Ok(());
            }
            if self.children.iter_mut().any(|c| c.try_wait().ok().flatten().is_some()) {
                return Err(format!("a Kannel process exited during start-up; admin status:\n{status}"));
            }
            if Instant::now() > deadline {
                return Err(format!("Kannel did not come up; admin status:\n{status}"));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Kills bearerbox, smsbox and fakesmsc (SIGKILL: a crash, not a shutdown). Received messages are kept.
    pub fn stop(&mut self) {
        self.stdin.lock().unwrap().take();
        for mut child in self.children.drain(..).rev() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    pub async fn restart(&mut self) {
        self.stop();
        self.start_again().await;
    }

    /// The URL the application is configured with.
    pub fn sendsms_url(&self) -> String {
        format!("kannel://{USER}:{PASSWORD}@127.0.0.1:{}?from={SENDER}", self.ports.sendsms)
    }

    /// `http://127.0.0.1:{port}/cgi-bin/sendsms`
    pub fn sendsms_http_base(&self) -> String {
        format!("http://127.0.0.1:{}/cgi-bin/sendsms", self.ports.sendsms)
    }

    pub fn sendsms_port(&self) -> u16 {
        self.ports.sendsms
    }

    pub fn dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// A sendsms GET with user, password, sender and `charset=UTF-8` filled in; `extra` adds or overrides
    /// (`coding=2`, `dlr-mask`, `dlr-url`, …). Returns status and body, e.g. `(202, "0: Accepted for delivery")`.
    pub async fn sendsms(&self, to: &str, text: &str, extra: &[(&str, &str)]) -> std::io::Result<(u16, String)> {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        let base = [("username", USER), ("password", PASSWORD), ("from", SENDER), ("charset", "UTF-8")];
        for (k, v) in base.iter().filter(|(k, _)| !extra.iter().any(|(e, _)| e == k)).chain(extra) {
            q.append_pair(k, v);
        }
        q.append_pair("to", to).append_pair("text", text);
        http_get(self.ports.sendsms, &format!("/cgi-bin/sendsms?{}", q.finish())).await
    }

    pub async fn admin_status(&self) -> std::io::Result<String> {
        Ok(http_get(self.ports.admin, "/status.txt?password=adm").await?.1)
    }

    /// Everything the fake operator received so far, one entry per line (per part).
    pub fn received(&self) -> Vec<FakeSms> {
        self.received.lock().unwrap().clone()
    }

    /// Waits until at least `n` lines arrived and returns them all; panics with what did arrive on timeout.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<FakeSms> {
        let deadline = Instant::now() + timeout;
        loop {
            let got = self.received();
            if got.len() >= n {
                return got;
            }
            if Instant::now() > deadline {
                self.fail(&format!("expected {n} SMS at the fake operator within {timeout:?}, got {got:#?}"));
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The operator delivers an SMS from a phone (`from`) to our number (`to`), as GSM text. Kannel passes the
    /// UTF-8 on unchanged, so Polish letters reach the get-url intact.
    pub fn inject_mo(&self, from: &str, to: &str, text: &str) {
        self.inject_line(&format!("{from} {to} text {text}"));
    }

    /// The same as a UCS-2 SMS, as a phone sends Polish text (`mo-recode` turns it into UTF-8 for the get-url).
    /// fakesmsc reads at most 255 bytes a line: about 40 characters of text.
    pub fn inject_mo_ucs2(&self, from: &str, to: &str, text: &str) {
        let bytes: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let data: String = url::form_urlencoded::byte_serialize(&bytes).collect();
        self.inject_line(&format!("{from} {to} ucs2 {data}"));
    }

    fn inject_line(&self, line: &str) {
        assert!(!line.contains('\n') && line.len() < 255, "fakesmsc takes one line of under 255 bytes: {line:?}");
        let mut guard = self.stdin.lock().unwrap();
        let stdin = guard.as_mut().expect("Kannel is stopped");
        stdin.write_all(format!("{line}\n").as_bytes()).and_then(|_| stdin.flush()).expect("write to fakesmsc");
    }

    fn spawn(&self, name: &str, cmd: &mut Command) -> Child {
        let out = std::fs::File::create(self.dir.path().join(format!("{name}.out"))).unwrap();
        let err = out.try_clone().unwrap();
        cmd.current_dir(self.dir.path()).stdin(Stdio::null()).stdout(out).stderr(err);
        cmd.spawn().unwrap_or_else(|e| panic!("cannot start {name} (is the kannel package installed?): {e}"))
    }

    fn fail(&self, why: &str) -> ! {
        let mut logs = String::new();
        for f in ["bearerbox.log", "smsbox.log", "fakesmsc.log", "bearerbox.out", "smsbox.out"] {
            let text = std::fs::read_to_string(self.dir.path().join(f)).unwrap_or_default();
            let lines: Vec<&str> = text.lines().collect();
            logs += &format!("--- {f}\n{}\n", lines[lines.len().saturating_sub(15)..].join("\n"));
        }
        panic!("{why}\n{logs}");
    }
}

impl Drop for Kannel {
    fn drop(&mut self) {
        self.pump_stop.store(true, Ordering::Relaxed);
        self.stop();
    }
}

/// Puts concatenated parts back together (by sender, receiver and reference, in order of arrival); single SMS pass
/// through with `parts == total == 1`.
pub fn assemble(received: &[FakeSms]) -> Vec<Assembled> {
    let mut groups: Vec<Vec<&FakeSms>> = Vec::new();
    for sms in received {
        let same = |g: &&mut Vec<&FakeSms>| match (g[0].concat, sms.concat) {
            (Some(a), Some(b)) => {
                (&g[0].from, &g[0].to, a.reference, a.total) == (&sms.from, &sms.to, b.reference, b.total)
                    && g.iter().all(|p| p.concat.map(|c| c.seq) != Some(b.seq))
            }
            _ => false,
        };
        match groups.iter_mut().find(same) {
            Some(g) => g.push(sms),
            None => groups.push(vec![sms]),
        }
    }
    let whole = |mut g: Vec<&FakeSms>| {
        g.sort_by_key(|p| p.concat.map(|c| c.seq));
        let (from, to, coding) = (g[0].from.clone(), g[0].to.clone(), g[0].coding.clone());
        let (text, total) = (g.iter().map(|p| p.text.as_str()).collect(), g[0].concat.map_or(1, |c| c.total.into()));
        Assembled { from, to, coding, text, parts: g.len(), total }
    };
    groups.into_iter().map(whole).collect()
}

/// Parses what fakesmsc printed between `<` and `>`: `from to text …`, `from to ucs-2 %00Z…`, `from to data …` or
/// `from to udh %05%00%03%04%03%01 data …`.
pub fn parse_line(raw: &str) -> Option<FakeSms> {
    let mut f = raw.splitn(4, ' ');
    let (from, to, kind, rest) = (f.next()?, f.next()?, f.next()?, f.next().unwrap_or(""));
    let (coding, text, udh) = match kind {
        "text" => ("text", rest.to_string(), None),
        "ucs-2" => ("ucs-2", ucs2(&url_decode(rest)), None),
        "data" => ("data", String::from_utf8_lossy(&url_decode(rest)).into_owned(), None),
        "udh" => {
            let (udh, data) = rest.split_once(" data ")?;
            let data = url_decode(data);
            let controls = data.iter().any(|&b| b < 0x20 && !b"\r\n\t".contains(&b));
            if data.len().is_multiple_of(2) && (controls || std::str::from_utf8(&data).is_err()) {
                ("ucs-2", ucs2(&data), Some(url_decode(udh)))
            } else {
                ("text", String::from_utf8_lossy(&data).into_owned(), Some(url_decode(udh)))
            }
        }
        _ => return None,
    };
    let concat = udh.as_deref().and_then(concat_of);
    let (from, to, coding, raw) = (from.to_string(), to.to_string(), coding.to_string(), raw.to_string());
    Some(FakeSms { from, to, coding, text, udh, concat, raw })
}

fn concat_of(udh: &[u8]) -> Option<Concat> {
    let mut ies = udh.get(1..(1 + *udh.first()? as usize).min(udh.len()))?;
    while let [id, len, tail @ ..] = ies {
        let (data, next) = tail.split_at((*len as usize).min(tail.len()));
        match (id, data) {
            (0x00, [r, t, s]) => return Some(Concat { reference: *r as u16, total: *t, seq: *s }),
            (0x08, [r1, r2, t, s]) => {
                return Some(Concat { reference: u16::from_be_bytes([*r1, *r2]), total: *t, seq: *s });
            }
            _ => ies = next,
        }
    }
    None
}

fn ucs2(bytes: &[u8]) -> String {
    let units: Vec<u16> = bytes.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
    String::from_utf16_lossy(&units)
}

/// Kannel's url-encoding: `%XX`, and `+` for a space byte.
fn url_decode(s: &str) -> Vec<u8> {
    let (b, mut out, mut i) = (s.as_bytes(), Vec::with_capacity(s.len()), 0);
    while i < b.len() {
        let hex = b.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok());
        let (byte, width) = match (b[i], hex) {
            (b'%', Some(v)) => (v, 3),
            (b'+', _) => (b' ', 1),
            (c, _) => (c, 1),
        };
        out.push(byte);
        i += width;
    }
    out
}

fn read_fakesmsc(err: ChildStderr, mut log: std::fs::File, received: &Mutex<Vec<FakeSms>>) {
    let mut reader = BufReader::new(err);
    let mut buf = Vec::new();
    while reader.read_until(b'\n', &mut buf).unwrap_or(0) > 0 {
        let line = String::from_utf8_lossy(&buf).trim_end_matches(['\r', '\n']).to_string();
        buf.clear();
        let _ = writeln!(log, "{line}");
        let Some((_, rest)) = line.split_once("Got message ") else { continue };
        let Some((_, body)) = rest.split_once(": <") else { continue };
        let body = body.strip_suffix('>').unwrap_or(body);
        let mut received = received.lock().unwrap();
        match parse_line(body) {
            Some(sms) => received.push(sms),
            // A "text" SMS with a line break reaches fakesmsc as two lines: glue the second back on.
            None => {
                if let Some(last) = received.last_mut() {
                    last.text = format!("{}\n{body}", last.text);
                    last.raw = format!("{}\n{body}", last.raw);
                }
            }
        }
    }
}

/// A minimal HTTP/1.0 GET to 127.0.0.1 (Kannel speaks it; no TLS set-up needed). Returns status and body.
pub async fn http_get(port: u16, path_and_query: &str) -> std::io::Result<(u16, String)> {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await?;
    s.write_all(format!("GET {path_and_query} HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n").as_bytes()).await?;
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).await?;
    let resp = String::from_utf8_lossy(&resp);
    let (head, body) = resp.split_once("\r\n\r\n").unwrap_or((&resp, ""));
    let status = head.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
    Ok((status, body.to_string()))
}

/// `N` distinct free ports on 127.0.0.1 (all bound at once, then released).
pub fn free_ports<const N: usize>() -> [u16; N] {
    let listeners: Vec<TcpListener> = (0..N).map(|_| TcpListener::bind("127.0.0.1:0").unwrap()).collect();
    std::array::from_fn(|i| listeners[i].local_addr().unwrap().port())
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

fn config(p: &Ports, dir: &std::path::Path, options: &KannelOptions) -> String {
    let d = dir.display();
    let service = match &options.mo_url {
        Some(url) => format!("get-url = \"{url}\"\nomit-empty = true\naccept-x-kannel-headers = true"),
        None => "text = \"ok\"".to_string(),
    };
    format!(
        "group = core\nadmin-port = {}\nadmin-password = adm\nsmsbox-port = {}\nlog-file = \"{d}/bearerbox.log\"\n\
         log-level = 0\nbox-allow-ip = \"127.0.0.1\"\nadmin-allow-ip = \"127.0.0.1\"\ndlr-storage = internal\n\n\
         group = smsc\nsmsc = fake\nsmsc-id = fake\nport = {}\nconnect-allow-ip = 127.0.0.1\n\n\
         group = smsbox\nbearerbox-host = 127.0.0.1\nsendsms-port = {}\nmo-recode = true\n\
         log-file = \"{d}/smsbox.log\"\nlog-level = 0\n\n\
         group = sendsms-user\nusername = {USER}\npassword = {PASSWORD}\nmax-messages = 3\nconcatenation = true\n\n\
         group = sms-service\nkeyword = default\n{service}\n",
        p.admin, p.smsbox, p.smsc, p.sendsms
    )
}
