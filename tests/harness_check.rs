//! Self-tests of the Kannel and SMTP test harnesses (tests/api/support/{kannel,smtp}.rs) against the real programs.

#[path = "api/support/kannel.rs"]
mod kannel;
#[path = "api/support/smtp.rs"]
mod smtp;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::{Router, extract::Query, extract::State, routing::get};
use kannel::{Kannel, KannelOptions, assemble};
use smtp::{SmtpKeeper, SmtpSink, smtp_source_rate};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const POLISH: &str = "Zażółć gęślą jaźń";
const T: Duration = Duration::from_secs(15);

type Hits = Arc<Mutex<Vec<HashMap<String, String>>>>;

/// A tiny HTTP server that records the query of every GET (for DLR and MO callbacks) and answers `reply`, as UCS-2
/// for Kannel (`X-Kannel-Coding: 2`) when `ucs2`.
async fn recorder(reply: &'static str, ucs2: bool) -> (u16, Hits) {
    let hits: Hits = Arc::default();
    let coding = if ucs2 { "2" } else { "0" };
    let app = Router::new()
        .fallback(get(move |State(h): State<Hits>, Query(q): Query<HashMap<String, String>>| async move {
            h.lock().unwrap().push(q);
            ([("content-type", "text/plain; charset=utf-8"), ("x-kannel-coding", coding)], reply)
        }))
        .with_state(hits.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (port, hits)
}

async fn wait_hits(hits: &Hits, n: usize) -> Vec<HashMap<String, String>> {
    for _ in 0..300 {
        if hits.lock().unwrap().len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let got = hits.lock().unwrap().clone();
    assert!(got.len() >= n, "expected {n} callbacks, got {got:?}");
    got
}

#[tokio::test]
async fn kannel_ucs2_polish_and_delivery_reports() {
    let k = Kannel::start().await;
    let (port, hits) = recorder("", false).await;
    assert!(k.sendsms_url().starts_with("kannel://hejnal:secret@127.0.0.1:"));

    // The exact request from the brief, raw.
    let q = "username=hejnal&password=secret&from=KRAKOW&to=%2B48600100200&text=Za%C5%BC%C3%B3%C5%82%C4%87%20g%C4%99%C5%9Bl%C4%85%20ja%C5%BA%C5%84&coding=2&charset=UTF-8";
    let dlr = format!("http://127.0.0.1:{port}/dlr?id=42&status=%d");
    let dlr_q: String = url::form_urlencoded::byte_serialize(dlr.as_bytes()).collect();
    let resp = kannel::http_get(k.sendsms_port(), &format!("/cgi-bin/sendsms?{q}&dlr-mask=31&dlr-url={dlr_q}")).await;
    assert_eq!(resp.unwrap(), (202, "0: Accepted for delivery".to_string()));
    let got = k.wait_for(1, T).await;
    println!("fakesmsc line: <{}>", got[0].raw);
    assert_eq!((got[0].from.as_str(), got[0].to.as_str()), ("KRAKOW", "+48600100200"));
    assert_eq!((got[0].coding.as_str(), got[0].text.as_str()), ("ucs-2", POLISH));
    let dlrs = wait_hits(&hits, 2).await;
    println!("DLRs for mask 31: {dlrs:?}");
    let mut statuses: Vec<&str> = dlrs.iter().map(|h| h["status"].as_str()).collect();
    statuses.sort();
    assert_eq!(statuses, ["1", "8"]);
    assert!(dlrs.iter().all(|h| h["id"] == "42"));

    // The application's mask: 1 + 2 + 8 + 16 = 27.
    let dlr = format!("http://127.0.0.1:{port}/dlr?id=43&status=%d");
    let extra = [("coding", "2"), ("dlr-mask", "27"), ("dlr-url", dlr.as_str())];
    assert_eq!(k.sendsms("+48600100201", "Hejnał", &extra).await.unwrap().0, 202);
    let dlrs = wait_hits(&hits, 4).await;
    println!("DLRs for mask 27: {:?}", &dlrs[2..]);
    let mut statuses: Vec<&str> = dlrs[2..].iter().map(|h| h["status"].as_str()).collect();
    statuses.sort();
    assert_eq!(statuses, ["1", "8"]);

    // GSM text: passed on as UTF-8; letters outside GSM 03.38 without coding=2 are lost.
    assert_eq!(k.sendsms("+48600100202", "Hello @ 100% a&b + äé€{", &[]).await.unwrap().0, 202);
    assert_eq!(k.sendsms("+48600100203", POLISH, &[]).await.unwrap().0, 202);
    let got = k.wait_for(4, T).await;
    assert_eq!((got[2].coding.as_str(), got[2].text.as_str()), ("text", "Hello @ 100% a&b + äé€{"));
    println!("Polish without coding=2 arrives as: {:?}", got[3].text);
    assert_ne!(got[3].text, POLISH);

    // A line break in GSM text splits fakesmsc's line in two; the harness glues it back.
    assert_eq!(k.sendsms("+48600100204", "Linia 1\nLinia 2", &[]).await.unwrap().0, 202);
    assert_eq!(k.sendsms("+48600100205", "Linia 1\nLinia ż", &[("coding", "2")]).await.unwrap().0, 202);
    let got = k.wait_for(6, T).await;
    assert_eq!(got[4].text, "Linia 1\nLinia 2");
    assert_eq!(got[5].text, "Linia 1\nLinia ż");
}

#[tokio::test]
async fn kannel_long_texts_arrive_in_parts() {
    let k = Kannel::start().await;
    let long = "Uwaga mieszkańcy Krakowa! Zamknięcie ulicy Grodzkiej w dniach 3–5 grudnia. Objazd przez \
                Plac Wszystkich Świętych. Przepraszamy za utrudnienia, żółw.";
    assert_eq!(long.chars().count(), 148);
    assert_eq!(k.sendsms("+48600100200", long, &[("coding", "2")]).await.unwrap().0, 202);
    let got = k.wait_for(3, T).await;
    for p in &got {
        println!("part: {:?} {:?} <{}>", p.coding, p.concat, p.raw);
    }
    assert!(got.iter().all(|p| p.coding == "ucs-2" && p.concat.is_some_and(|c| c.total == 3)));
    assert_eq!(got.iter().map(|p| p.text.chars().count()).collect::<Vec<_>>(), [67, 67, 14]);
    let whole = assemble(&got);
    assert_eq!((whole.len(), whole[0].text.as_str(), whole[0].parts, whole[0].total), (1, long, 3, 3));

    // GSM text: 153 characters a part; beyond max-messages = 3 parts it is cut, still "Accepted".
    let text = "Test ".repeat(60);
    assert_eq!(k.sendsms("+48600100201", &text, &[]).await.unwrap().0, 202);
    let over = "Test ".repeat(150);
    assert_eq!(k.sendsms("+48600100202", &over, &[]).await.unwrap(), (202, "0: Accepted for delivery".into()));
    let got = k.wait_for(8, T).await;
    let whole = assemble(&got);
    assert_eq!((whole[1].text.as_str(), whole[1].parts, whole[1].coding.as_str()), (text.as_str(), 2, "text"));
    assert_eq!((whole[2].parts, whole[2].total, whole[2].text.len()), (3, 3, 459));
    println!("750 chars with max-messages = 3: {} parts, {} chars arrive", whole[2].parts, whole[2].text.len());
}

#[tokio::test]
async fn kannel_mobile_originated_reaches_get_url() {
    let (port, hits) = recorder("", false).await;
    let mo_url = format!("http://127.0.0.1:{port}/mo?from=%p&to=%P&text=%a&kw=%k");
    let k = Kannel::start_with(KannelOptions { mo_url: Some(mo_url) }).await;
    k.inject_mo("+48600100200", "4000", "TAK zgłaszam żółtą kartkę");
    let got = wait_hits(&hits, 1).await;
    assert_eq!(got[0]["from"], "+48600100200");
    assert_eq!(got[0]["to"], "4000");
    assert_eq!(got[0]["text"], "TAK zgłaszam żółtą kartkę");
    assert_eq!(got[0]["kw"], "TAK");
    k.inject_mo_ucs2("+48600100201", "4000", "Stop, dziękuję");
    let got = wait_hits(&hits, 2).await;
    assert_eq!((got[1]["text"].as_str(), got[1]["kw"].as_str()), ("Stop, dziękuję", "Stop,"));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(k.received().is_empty(), "an empty answer sends no reply: {:?}", k.received());

    // A non-empty answer goes back to the phone as an SMS: GSM text unless the answer says
    // `X-Kannel-Coding: 2` (the service has `accept-x-kannel-headers = true`).
    for (ucs2, expected) in [(false, "Dzi?kujemy, zapisano."), (true, "Dziękujemy, zapisano.")] {
        let (port, _hits) = recorder("Dziękujemy, zapisano.", ucs2).await;
        let mo_url = format!("http://127.0.0.1:{port}/mo?from=%p&text=%a");
        let k = Kannel::start_with(KannelOptions { mo_url: Some(mo_url) }).await;
        k.inject_mo("+48600100200", "4000", "POMOC");
        let got = k.wait_for(1, T).await;
        println!("reply: {:?}", got[0]);
        assert_eq!((got[0].from.as_str(), got[0].to.as_str()), ("4000", "+48600100200"));
        assert_eq!(got[0].text, expected);
    }
}

#[tokio::test]
async fn kannel_stop_and_start_again_on_the_same_ports() {
    let mut k = Kannel::start().await;
    let url = k.sendsms_url();
    assert_eq!(k.sendsms("+48600100200", "raz", &[]).await.unwrap().0, 202);
    k.wait_for(1, T).await;
    k.stop();
    let err = k.sendsms("+48600100200", "dwa", &[]).await.unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::ConnectionRefused);
    k.start_again().await;
    assert_eq!(k.sendsms_url(), url);
    assert_eq!(k.sendsms("+48600100200", "trzy", &[]).await.unwrap().0, 202);
    // Kannel keeps its queue in memory (no store file): wait for delivery before killing it again.
    k.wait_for(2, T).await;
    k.restart().await;
    assert_eq!(k.sendsms("+48600100200", "cztery", &[]).await.unwrap().0, 202);
    let got = k.wait_for(3, T).await;
    assert_eq!(got.iter().map(|s| s.text.as_str()).collect::<Vec<_>>(), ["raz", "trzy", "cztery"]);
}

async fn smtp_dialogue(port: u16, from: &str, to: &[&str], data: &[u8]) {
    let stream = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let (r, mut w) = stream.into_split();
    let mut r = BufReader::new(r);
    async fn reply(r: &mut BufReader<tokio::net::tcp::OwnedReadHalf>, code: &str) -> String {
        let mut all = String::new();
        loop {
            let mut line = String::new();
            r.read_line(&mut line).await.unwrap();
            all += &line;
            if line.len() < 4 || line.as_bytes()[3] != b'-' {
                assert!(line.starts_with(code), "expected {code}, got {all:?}");
                return all;
            }
        }
    }
    reply(&mut r, "220").await;
    let mut cmds = vec![("EHLO test.local\r\n".to_string(), "250"), (format!("MAIL FROM:<{from}>\r\n"), "250")];
    cmds.extend(to.iter().map(|t| (format!("RCPT TO:<{t}>\r\n"), "250")));
    cmds.push(("DATA\r\n".into(), "354"));
    for (cmd, code) in cmds {
        w.write_all(cmd.as_bytes()).await.unwrap();
        let ehlo = reply(&mut r, code).await;
        if cmd.starts_with("EHLO") {
            println!("EHLO answer: {ehlo:?}");
        }
    }
    w.write_all(data).await.unwrap();
    w.write_all(b"\r\n.\r\n").await.unwrap();
    reply(&mut r, "250").await;
    w.write_all(b"QUIT\r\n").await.unwrap();
    reply(&mut r, "221").await;
}

#[tokio::test]
async fn smtp_keeper_keeps_and_parses() {
    let mut smtp = SmtpKeeper::start().await;
    assert!(smtp.url().starts_with("smtp://127.0.0.1:"));
    let message = "From: =?UTF-8?Q?Hejna=C5=82_Krak=C3=B3w?= <noreply@hejnal.krakow.pl>\r\n\
         To: Jan <jan@example.org>, anna@example.org\r\n\
         Subject: =?UTF-8?B?WmHFvMOzxYLEhyBnxJnFm2zEhSBqYcW6xYQ=?=\r\n\
         Message-ID: <abc.123@hejnal.krakow.pl>\r\n\
         Date: Fri, 27 Nov 2026 10:00:00 +0100\r\n\
         X-Dzielnica: Śródmieście\r\n\
         List-Unsubscribe: <https://hejnal.example/u/1>\r\n\
         MIME-Version: 1.0\r\n\
         Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n\
         --b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n\
         Dzień dobry,\r\n.kropka na początku\r\n\r\n\
         --b1\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Dzień dobry</p>\r\n--b1--";
    // SMTP dot-stuffing for the line that begins with a dot.
    let stuffed = message.replace("\r\n.", "\r\n..");
    smtp_dialogue(smtp.port(), "bounce@hejnal.krakow.pl", &["jan@example.org", "anna@example.org"], stuffed.as_bytes())
        .await;
    let got = smtp.wait_for(1, T).await;
    let m = &got[0];
    assert_eq!(m.raw, format!("{message}\r\n").into_bytes(), "raw bytes, 8-bit header included");
    assert_eq!(m.envelope_from, "bounce@hejnal.krakow.pl");
    assert_eq!(m.envelope_to, ["jan@example.org", "anna@example.org"]);
    assert_eq!(m.from.as_deref(), Some("noreply@hejnal.krakow.pl"));
    assert_eq!(m.from_name.as_deref(), Some("Hejnał Kraków"));
    assert_eq!(m.to, ["jan@example.org", "anna@example.org"]);
    assert_eq!(m.subject.as_deref(), Some(POLISH));
    assert_eq!(m.message_id.as_deref(), Some("abc.123@hejnal.krakow.pl"));
    assert_eq!(m.date.as_deref(), Some("2026-11-27T10:00:00+01:00"));
    assert_eq!(m.header("x-dzielnica"), Some("Śródmieście"));
    assert_eq!(m.header("List-Unsubscribe"), Some("<https://hejnal.example/u/1>"));
    assert_eq!(m.text_body.as_deref(), Some("Dzień dobry,\r\n.kropka na początku\r\n"));
    assert_eq!(m.html_body.as_deref(), Some("<p>Dzień dobry</p>"));

    smtp.stop();
    assert!(tokio::net::TcpStream::connect(("127.0.0.1", smtp.port())).await.is_err());
    smtp.start_again().await;
    smtp_dialogue(smtp.port(), "a@b.c", &["d@e.f"], b"Subject: drugi\r\n\r\nx").await;
    let got = smtp.wait_for(2, T).await;
    assert_eq!(got[1].subject.as_deref(), Some("drugi"));
}

#[tokio::test]
async fn smtp_sink_counts_and_smtp_source_rate() {
    let sink = SmtpSink::start(1000).await;
    assert_eq!(sink.count(), 0);
    let rate = smtp_source_rate(sink.port(), 5000, 10).await;
    assert_eq!(sink.wait_count(5000, T).await, 5000);
    println!("smtp-source → smtp-sink: {rate:.0} msg/s; counters {:?}", sink.counts());
    assert!(rate > 100.0);
    smtp_dialogue(sink.port(), "a@b.c", &["d@e.f"], b"Subject: x\r\n\r\ny").await;
    assert_eq!(sink.wait_count(5001, T).await, 5001);
}
