//! The reference tracking engine: tokens nobody can guess, a redirector that goes only where it
//! was told, events recorded and counted as a platform would (proxies and scanners apart), and
//! an event store that keeps every acknowledged hit when the server is killed.

use mailtrace::engine::campaign::{self, CampaignOptions, Format, Recipient};
use mailtrace::engine::manifest::Manifest;
use mailtrace::engine::metrics::{self, compute};
use mailtrace::engine::server::{Server, GIF};
use mailtrace::engine::store::{CampaignRow, Event, Store};
use mailtrace::engine::style::Style;
use mailtrace::engine::token;
use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

const IPHONE: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
const THUNDERBIRD: &str =
    "Mozilla/5.0 (X11; Linux x86_64; rv:115.0) Gecko/20100101 Thunderbird/115.9.0";
const GMAIL_PROXY: &str =
    "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)";

fn recipients(n: usize) -> Vec<Recipient> {
    (1..=n)
        .map(|i| Recipient {
            address: format!("reader{i}@example.net"),
            name: None,
        })
        .collect()
}

fn make_campaign(dir: &Path, n: usize, techniques: &[&str], base_url: &str) -> Manifest {
    let options = CampaignOptions {
        name: "test".into(),
        template: campaign::SAMPLE_TEMPLATE.into(),
        recipients: recipients(n),
        from: "news@shop.example.org".into(),
        subject: None,
        techniques: techniques.iter().map(|t| t.to_string()).collect(),
        style: Style::Mailtrace,
        receipts: Vec::new(),
        dsn: true,
        leak: None,
        decorate: false,
        clean: false,
        format: Format::Eml,
        base_url: base_url.into(),
        sent_unix: mailtrace::engine::store::now_ms() / 1000,
    };
    campaign::generate(&options, dir).expect("campaign written")
}

/// Status, headers (names lower-cased) and body.
type Reply = (u16, Vec<(String, String)>, Vec<u8>);

/// A bare HTTP/1.1 GET on loopback: (status, headers lower-cased, body).
fn get(addr: SocketAddr, target: &str, headers: &[(&str, &str)]) -> std::io::Result<Reply> {
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut request = format!("GET {target} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no header end"))?;
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let body = raw[split + 4..].to_vec();
    let mut lines = head.lines();
    let status: u16 = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Ok((status, headers, body))
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// A server on an ephemeral loopback port, in this process, stopped on drop.
struct Running {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    fn start(db: &Path, manifest: &Manifest) -> Running {
        let store = Store::open(db).unwrap();
        store.register(manifest).unwrap();
        let server = Server::bind("127.0.0.1:0", store).unwrap();
        let addr = server.local_addr();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            server.run_until(&flag, &mut |_| {}).unwrap();
        });
        Running {
            addr,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[test]
fn engine_tokens_are_128_random_bits_and_unique_over_many_recipients() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = make_campaign(
        dir.path(),
        500,
        &["tiny_image_attr"],
        "http://127.0.0.1:8025",
    );
    let tokens: Vec<[u8; 16]> = manifest
        .messages
        .iter()
        .map(|m| token::decode(&m.token).expect("well-formed token"))
        .collect();
    let distinct: HashSet<&[u8; 16]> = tokens.iter().collect();
    assert_eq!(
        distinct.len(),
        500,
        "every recipient has a token of their own"
    );
    // Bits look like coin flips: about half set overall and at every bit position, and no two
    // tokens close to each other (random 128-bit strings differ in ~64 bits).
    let ones: u32 = tokens.iter().flatten().map(|b| b.count_ones()).sum();
    let share = f64::from(ones) / (500.0 * 128.0);
    assert!((0.47..0.53).contains(&share), "share of one bits {share}");
    for bit in 0..128 {
        let set = tokens
            .iter()
            .filter(|t| t[bit / 8] & (1 << (bit % 8)) != 0)
            .count();
        assert!((170..330).contains(&set), "bit {bit} set in {set} of 500");
    }
    let mut closest = 128;
    for (i, a) in tokens.iter().enumerate().take(200) {
        for b in &tokens[i + 1..200] {
            let distance: u32 = a.iter().zip(b).map(|(x, y)| (x ^ y).count_ones()).sum();
            closest = closest.min(distance);
        }
    }
    assert!(closest >= 30, "two tokens only {closest} bits apart");
    // Each message carries only its own token.
    let first = std::fs::read_to_string(dir.path().join(&manifest.messages[0].file)).unwrap();
    let flat = first.replace("=\r\n", "");
    assert!(flat.contains(&manifest.messages[0].token));
    assert!(!flat.contains(&manifest.messages[1].token));
}

#[test]
fn engine_redirector_goes_only_to_registered_destinations() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = make_campaign(
        &dir.path().join("c"),
        2,
        &["tiny_image_attr", "click_redirect"],
        "http://127.0.0.1:8025",
    );
    let server = Running::start(&dir.path().join("events.sqlite"), &manifest);
    let token = &manifest.messages[0].token;
    let registered = &manifest.links[0].destination;

    let (status, headers, _) = get(server.addr, &format!("/c/{token}/l1"), &[]).unwrap();
    assert_eq!(status, 302);
    assert_eq!(header(&headers, "location"), Some(registered.as_str()));

    // A foreign URL offered in the request is never followed.
    for target in [
        format!("/c/{token}/l1?url=https://evil.example/phish"),
        format!("/c/{token}/l1/https%3A%2F%2Fevil.example"),
    ] {
        let (status, headers, _) = get(server.addr, &target, &[]).unwrap();
        assert_eq!(status, 302, "{target}");
        assert_eq!(
            header(&headers, "location"),
            Some(registered.as_str()),
            "{target}"
        );
    }
    let mut tampered = token.clone().into_bytes();
    let last = tampered.len() - 1;
    tampered[last] = if tampered[last] == b'0' { b'1' } else { b'0' };
    let tampered = String::from_utf8(tampered).unwrap();
    let unknown = token::new_token().unwrap();
    for target in [
        format!("/c/{tampered}/l1"),
        format!("/c/{unknown}/l1"),
        format!("/c/{token}/l99"),
        format!("/c/{}/l1", &token[..token.len() - 1]),
        "/redirect?url=https://evil.example/".to_owned(),
        "/c/?url=https%3A%2F%2Fevil.example%2F".to_owned(),
        format!("/c/{unknown}/l1?url=https://evil.example/"),
    ] {
        let (status, headers, _) = get(server.addr, &target, &[]).unwrap();
        assert_eq!(status, 404, "{target}");
        assert_eq!(header(&headers, "location"), None, "{target}");
    }

    // The beacon is a real, uncacheable 1x1 GIF.
    let (status, headers, body) = get(server.addr, &format!("/o/{token}/b1.gif"), &[]).unwrap();
    assert_eq!(status, 200);
    assert_eq!(body, GIF);
    assert_eq!(header(&headers, "content-type"), Some("image/gif"));
    assert_eq!(header(&headers, "content-length"), Some("43"));
    assert!(header(&headers, "cache-control")
        .unwrap()
        .contains("no-store"));
    assert_eq!(&body[..6], b"GIF89a");
    assert_eq!((body[6], body[8]), (1, 1), "1x1");
}

#[test]
fn engine_events_recorded_and_counted_for_a_scripted_sequence() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = make_campaign(
        &dir.path().join("c"),
        4,
        &["tiny_image_attr", "click_redirect"],
        "http://127.0.0.1:8025",
    );
    let db = dir.path().join("events.sqlite");
    let server = Running::start(&db, &manifest);
    let t = |n: usize| manifest.messages[n].token.clone();
    let open = |n: usize, ua: &str, ip: &str| {
        let (status, _, _) = get(
            server.addr,
            &format!("/o/{}/b1.gif", t(n)),
            &[("User-Agent", ua), ("X-Forwarded-For", ip)],
        )
        .unwrap();
        assert_eq!(status, 200);
    };
    let click = |n: usize, link: &str, ua: &str, ip: &str| {
        let (status, _, _) = get(
            server.addr,
            &format!("/c/{}/{link}", t(n)),
            &[("User-Agent", ua), ("X-Forwarded-For", ip)],
        )
        .unwrap();
        assert_eq!(status, 302);
    };
    // Reader 1 opens through Gmail's proxy, then on the phone, then clicks once.
    open(0, GMAIL_PROXY, "66.249.84.10");
    open(0, IPHONE, "198.51.100.7");
    click(0, "l2", IPHONE, "198.51.100.7");
    // Reader 2's copy is fetched by Apple Mail Privacy Protection, and a security scanner
    // follows all three links at once.
    open(1, "Mozilla/5.0", "17.58.63.1");
    click(
        1,
        "l1",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
        "203.0.113.9",
    );
    click(
        1,
        "l2",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
        "203.0.113.9",
    );
    click(
        1,
        "l3",
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64)",
        "203.0.113.9",
    );
    // Reader 3 opens in Thunderbird at home and someone else opens on a phone elsewhere.
    open(2, THUNDERBIRD, "192.0.2.44");
    open(2, IPHONE, "198.51.100.200");
    open(2, IPHONE, "198.51.100.200");
    // Reader 4 does nothing.
    drop(server);

    let store = Store::open(&db).unwrap();
    let events = store.events().unwrap();
    assert_eq!(events.len(), 10, "every hit recorded once");
    assert!(events
        .iter()
        .all(|e| !e.time.is_empty() && !e.user_agent.is_empty()));
    assert_eq!(events[0].recipient, "reader1@example.net");
    assert_eq!(events[0].class, "gmail_proxy");
    assert_eq!(events[0].ip, "66.249.84.10");
    assert_eq!(events[1].device, "mobile");
    assert_eq!(events[3].class, "apple_mpp");
    assert_eq!(events[2].technique, "click_redirect");
    assert_eq!(events[0].technique, "tiny_image_attr");

    let metrics = compute(&events, &store.campaigns().unwrap());
    let c = &metrics.campaigns[0];
    assert_eq!(c.delivered, 4);
    // Every request: 6 opens by 3 readers; 4 clicks by 2 readers.
    assert_eq!(
        (c.all_requests.total_opens, c.all_requests.unique_opens),
        (6, 3)
    );
    assert_eq!(
        (c.all_requests.total_clicks, c.all_requests.unique_clicks),
        (4, 2)
    );
    assert!((c.all_requests.open_rate - 0.75).abs() < 1e-9);
    // People only: the proxies and the scanner are gone.
    assert_eq!(
        (c.people_only.total_opens, c.people_only.unique_opens),
        (4, 2)
    );
    assert_eq!(
        (c.people_only.total_clicks, c.people_only.unique_clicks),
        (1, 1)
    );
    assert!((c.people_only.open_rate - 0.5).abs() < 1e-9);
    assert!((c.people_only.click_through_rate - 0.25).abs() < 1e-9);
    assert!((c.people_only.click_to_open_rate - 0.5).abs() < 1e-9);
    assert_eq!(c.opens_by_class.get("gmail_proxy"), Some(&1));
    assert_eq!(c.opens_by_class.get("apple_mpp"), Some(&1));
    assert_eq!(c.clicks_by_class.get("scanner"), Some(&3));
    assert_eq!(c.links[1].clicks, 2);
    assert_eq!(c.links[1].people_clicks, 1);
    assert_eq!(c.forwarded, vec!["reader3@example.net".to_owned()]);
    assert!(metrics::table(&metrics).contains("FORWARDED?"));
}

/// `client` is [user agent, IP, class, device].
fn event(
    id: i64,
    token: &str,
    kind: &str,
    link: Option<&str>,
    minute: i64,
    client: [&str; 4],
) -> Event {
    let time_ms = 1_767_225_600_000 + minute * 60_000;
    Event {
        id,
        time: mailtrace::engine::mime::rfc3339(time_ms / 1000),
        time_ms,
        campaign: "c1".into(),
        recipient: format!("{token}@example.net"),
        token: token.into(),
        kind: kind.into(),
        item: link.unwrap_or("b1").into(),
        technique: if kind == "open" {
            "tiny_image_attr"
        } else {
            "click_redirect"
        }
        .into(),
        link: link.map(str::to_owned),
        destination: link.map(|l| format!("https://shop.example.org/{l}")),
        user_agent: client[0].into(),
        ip: client[1].into(),
        class: client[2].into(),
        device: client[3].into(),
    }
}

#[test]
fn engine_metrics_on_a_known_event_log() {
    let campaign = CampaignRow {
        id: "c1".into(),
        name: "known".into(),
        subject: "Known".into(),
        sent_unix: 1_767_225_600,
        recipients: (1..=10)
            .map(|i| (format!("r{i}"), format!("r{i}@example.net")))
            .collect(),
        links: vec![
            ("l1".into(), "https://shop.example.org/l1".into()),
            ("l2".into(), "https://shop.example.org/l2".into()),
        ],
    };
    let phone = |ip| [IPHONE, ip, "human", "mobile"];
    let desktop = |ip| [THUNDERBIRD, ip, "human", "desktop"];
    let windows = [
        "Mozilla/5.0 (Windows NT 10.0)",
        "203.0.113.5",
        "human",
        "desktop",
    ];
    let events = vec![
        event(1, "r1", "open", None, 5, phone("198.51.100.1")),
        event(2, "r1", "open", None, 65, phone("198.51.100.1")),
        event(3, "r1", "click", Some("l1"), 66, phone("198.51.100.1")),
        event(
            4,
            "r2",
            "open",
            None,
            1,
            ["Mozilla/5.0", "17.1.1.1", "apple_mpp", "machine"],
        ),
        event(5, "r3", "open", None, 70, desktop("192.0.2.1")),
        event(6, "r3", "click", Some("l1"), 71, desktop("192.0.2.1")),
        event(7, "r3", "click", Some("l2"), 90, desktop("192.0.2.1")),
        // A scanner: both links in the same minute, two minutes after sending.
        event(8, "r4", "click", Some("l1"), 2, windows),
        event(9, "r4", "click", Some("l2"), 2, windows),
    ];
    let m = compute(&events, &[campaign]);
    let c = &m.campaigns[0];
    assert_eq!(c.delivered, 10);
    assert_eq!(c.all_requests.total_opens, 4);
    assert_eq!(c.all_requests.unique_opens, 3);
    assert_eq!(c.all_requests.unique_clicks, 3);
    assert!((c.all_requests.open_rate - 0.3).abs() < 1e-9);
    assert!((c.all_requests.click_to_open_rate - 1.0).abs() < 1e-9);
    assert_eq!(c.people_only.total_opens, 3);
    assert_eq!(c.people_only.unique_opens, 2);
    assert_eq!(c.people_only.total_clicks, 3);
    assert_eq!(c.people_only.unique_clicks, 2);
    assert!((c.people_only.open_rate - 0.2).abs() < 1e-9);
    assert!((c.people_only.click_through_rate - 0.2).abs() < 1e-9);
    assert!((c.people_only.click_to_open_rate - 1.0).abs() < 1e-9);
    assert_eq!(c.clicks_by_class.get("scanner"), Some(&2));
    assert_eq!(
        (
            c.links[0].clicks,
            c.links[0].people_clicks,
            c.links[0].people_unique_clicks
        ),
        (3, 2, 2)
    );
    assert_eq!(c.first_open.as_deref(), Some("2026-01-01T00:05:00Z"));
    assert_eq!(c.last_open.as_deref(), Some("2026-01-01T01:10:00Z"));
    assert_eq!(c.devices.get("mobile"), Some(&2));
    assert_eq!(c.devices.get("desktop"), Some(&1));
    let hours: Vec<(&str, u64, u64)> = c
        .timeline
        .iter()
        .map(|h| (h.hour.as_str(), h.opens, h.clicks))
        .collect();
    assert_eq!(
        hours,
        [
            ("2026-01-01T00:00:00Z", 2, 2),
            ("2026-01-01T01:00:00Z", 2, 3)
        ]
    );
    assert!(c.forwarded.is_empty());
    let r1 = &c.recipients[0];
    assert_eq!(
        (r1.opens, r1.clicks, r1.devices.clone()),
        (2, 1, vec!["mobile".to_owned()])
    );
}

#[test]
fn engine_database_keeps_every_acknowledged_hit_when_the_server_is_killed() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = make_campaign(
        &dir.path().join("c"),
        3,
        &["tiny_image_attr", "click_redirect"],
        "http://127.0.0.1:8025",
    );
    let manifest_path = dir.path().join("c").join("manifest.json");
    let db = dir.path().join("events.sqlite");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mailtrace"))
        .args(["engine", "serve", "--db"])
        .arg(&db)
        .args(["--listen", "127.0.0.1:0", "--json", "--campaign"])
        .arg(&manifest_path)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    let addr: SocketAddr = line
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|a| a.parse().ok())
        .unwrap_or_else(|| panic!("no address in {line:?}"));

    let acknowledged = Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = acknowledged.clone();
    let tokens: Vec<String> = manifest.messages.iter().map(|m| m.token.clone()).collect();
    let load = std::thread::spawn(move || {
        for i in 0..3000usize {
            let target = if i % 3 == 0 {
                format!("/c/{}/l{}", tokens[i % 3], 1 + i % 3)
            } else {
                format!("/o/{}/b1.gif", tokens[i % 3])
            };
            match get(addr, &target, &[("User-Agent", "load")]) {
                Ok((200 | 302, _, _)) => {
                    counter.fetch_add(1, Ordering::SeqCst);
                }
                _ => break,
            }
        }
    });
    // Kill it in the middle of the load.
    for _ in 0..600 {
        if acknowledged.load(Ordering::SeqCst) >= 150 {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap(); // SIGKILL: no chance to flush or close anything
    child.wait().unwrap();
    load.join().unwrap();
    let acknowledged = acknowledged.load(Ordering::SeqCst);
    assert!(
        acknowledged >= 150,
        "only {acknowledged} hits answered before the kill"
    );
    assert!(acknowledged < 3000, "the server was not killed mid-load");

    let store = Store::open(&db).unwrap();
    let events = store.events().unwrap();
    assert!(
        events.len() as u64 >= acknowledged,
        "{} events stored, {acknowledged} acknowledged",
        events.len()
    );
    // At most the one hit in flight was recorded without its answer arriving.
    assert!(events.len() as u64 <= acknowledged + 1);
}

#[test]
fn engine_campaign_command_writes_messages_envelopes_and_manifest() {
    let dir = tempfile::tempdir().unwrap();
    let template = dir.path().join("t.html");
    std::fs::write(&template, campaign::SAMPLE_TEMPLATE).unwrap();
    let list = dir.path().join("r.csv");
    std::fs::write(
        &list,
        "email,name\nann@example.net,Ann\nbob@example.net,Bob\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let output = crate::common::mailtrace(
        &[
            "engine",
            "campaign",
            "--template",
            template.to_str().unwrap(),
            "--recipients",
            list.to_str().unwrap(),
            "--from",
            "news@shop.example.org",
            "--technique",
            "tiny_image_attr",
            "--technique",
            "click_redirect",
            "--style",
            "sendgrid",
            "--receipts",
            "dnt,rrt,xcrt",
            "--dsn",
            "--leak",
            "sha256",
            "--decorate",
            "-o",
            out.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let manifest = Manifest::read(&out.join("manifest.json")).unwrap();
    assert_eq!(manifest.messages.len(), 2);
    let envelope = std::fs::read_to_string(out.join(&manifest.messages[0].envelope)).unwrap();
    assert!(envelope.contains("MAIL FROM:<news@shop.example.org> RET=HDRS"));
    assert!(envelope.contains("RCPT TO:<ann@example.net> NOTIFY=SUCCESS,DELAY"));
    let message = std::fs::read_to_string(out.join(&manifest.messages[0].file)).unwrap();
    for header in [
        "Disposition-Notification-To:",
        "Return-Receipt-To:",
        "X-Confirm-Reading-To:",
        "Message-ID: <",
        "Date: ",
        "multipart/alternative",
    ] {
        assert!(message.contains(header), "{header}");
    }
    assert!(message
        .replace("=\r\n", "")
        .contains("/wf/open?upn=3Du001."));

    // The clean control of the same campaign has nothing to find.
    let clean = dir.path().join("clean");
    let output = crate::common::mailtrace(
        &[
            "engine",
            "campaign",
            "--template",
            template.to_str().unwrap(),
            "--recipients",
            list.to_str().unwrap(),
            "--from",
            "news@shop.example.org",
            "--technique",
            "all",
            "--receipts",
            "dnt",
            "--leak",
            "plain",
            "--decorate",
            "--clean",
            "--format",
            "mbox",
            "-o",
            clean.to_str().unwrap(),
        ],
        None,
    );
    assert!(output.status.success());
    let report = crate::common::scan_all(&[clean.join("campaign.mbox")]);
    assert_eq!(report.messages.len(), 2);
    assert!(
        report.messages.iter().all(|m| m.findings.is_empty()),
        "{:?}",
        report.messages[0].findings
    );
}

#[test]
fn engine_ingests_read_receipts_from_a_mailbox() {
    let dir = tempfile::tempdir().unwrap();
    let manifest = make_campaign(
        &dir.path().join("c"),
        2,
        &["tiny_image_attr"],
        "http://127.0.0.1:8025",
    );
    let db = dir.path().join("events.sqlite");
    Store::open(&db).unwrap().register(&manifest).unwrap();
    let original = &manifest.messages[1].message_id;
    let fixture = std::fs::read_to_string(crate::common::fixture("headers/mdn-displayed.eml"))
        .unwrap()
        .replace("campaign-42@sender.example", original);
    let other =
        std::fs::read_to_string(crate::common::fixture("headers/mdn-displayed.eml")).unwrap();
    let inbox = dir.path().join("inbox");
    std::fs::create_dir(&inbox).unwrap();
    std::fs::write(inbox.join("ours.eml"), fixture).unwrap();
    std::fs::write(inbox.join("not-ours.eml"), other).unwrap();
    let output = crate::common::mailtrace(
        &[
            "engine",
            "ingest-mdn",
            "--db",
            db.to_str().unwrap(),
            inbox.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 read receipts recorded, 1 reports"));
    let events = Store::open(&db).unwrap().events().unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].kind, "receipt");
    assert_eq!(events[0].technique, "mdn:displayed");
    assert_eq!(events[0].recipient, manifest.messages[1].recipient);
    let report = crate::common::mailtrace(
        &["engine", "report", "--db", db.to_str().unwrap(), "--json"],
        None,
    );
    let json: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert_eq!(json["campaigns"][0]["read_receipts"], 1);
}
