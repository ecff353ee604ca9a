//! The tracking server: a real HTTP server (tiny_http), on loopback unless told otherwise. The
//! beacon endpoint answers with a 1×1 transparent GIF that no cache may keep; the redirector
//! answers 302 to the destination registered for that campaign and link, and to nothing else —
//! an unknown or altered token, an unknown link, or a URL offered in the request gets 404, so
//! the server can never be used as an open redirect. Every hit is recorded, durably, before it
//! is answered, and handed to the caller to print as it happens.
//!
//! This is the only module of mailtrace that touches the network.

use super::classify;
use super::store::{now_ms, Event, NewEvent, Store};
use super::style::decode_request;
use super::{EngineError, Result};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tiny_http::{Header, Method, Request, Response, StatusCode};

/// The smallest transparent GIF: 1×1, one transparent colour (GIF89a, 43 bytes).
pub const GIF: [u8; 43] = [
    0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0x21, 0xf9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2c, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3b,
];

type Reply = Response<std::io::Cursor<Vec<u8>>>;

/// Longest request target looked at; longer ones are refused.
const MAX_TARGET: usize = 4096;

pub struct Server {
    http: tiny_http::Server,
    store: Store,
    addr: SocketAddr,
}

impl Server {
    /// Binds `listen` (e.g. `127.0.0.1:8025`; port 0 picks a free port).
    pub fn bind(listen: &str, store: Store) -> Result<Server> {
        let addr: SocketAddr = listen.parse().map_err(|_| {
            EngineError::Invalid(format!("--listen {listen:?} is not an address:port"))
        })?;
        if !addr.ip().is_loopback() {
            eprintln!(
                "mailtrace: warning: listening on {addr}, not loopback: other machines can reach this tracker"
            );
        }
        let http = tiny_http::Server::http(addr)
            .map_err(|e| EngineError::Invalid(format!("cannot listen on {addr}: {e}")))?;
        let addr = http
            .server_addr()
            .to_ip()
            .ok_or_else(|| EngineError::Invalid("not an IP listener".into()))?;
        Ok(Server { http, store, addr })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// Serves until the process ends.
    pub fn run(&self, on_event: &mut dyn FnMut(&Event)) -> Result<()> {
        self.run_until(&AtomicBool::new(false), on_event)
    }

    /// Serves until `stop` is set (checked at least every 200 ms).
    pub fn run_until(&self, stop: &AtomicBool, on_event: &mut dyn FnMut(&Event)) -> Result<()> {
        while !stop.load(Ordering::Relaxed) {
            let request = match self.http.recv_timeout(Duration::from_millis(200)) {
                Ok(Some(request)) => request,
                Ok(None) => continue,
                Err(err) => return Err(EngineError::io("listener", err)),
            };
            let (response, event) = self.answer(&request)?;
            if let Some(event) = &event {
                on_event(event);
            }
            // The event is committed; only now does the client hear back.
            let _ = request.respond(response);
        }
        Ok(())
    }

    fn answer(&self, request: &Request) -> Result<(Reply, Option<Event>)> {
        let target = request.url();
        if !matches!(request.method(), Method::Get | Method::Head | Method::Post)
            || target.len() > MAX_TARGET
        {
            return Ok((not_found(), None));
        }
        if target == "/" || target == "/health" {
            return Ok((text(200, "text/plain", "mailtrace tracking server\n"), None));
        }
        let Some((token, item)) = decode_request(target) else {
            return Ok((not_found(), None));
        };
        let Some(owner) = self.store.owner(&token)? else {
            return Ok((not_found(), None));
        };
        let header = |name: &str| {
            request
                .headers()
                .iter()
                .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
                .map(|h| h.value.as_str().to_owned())
        };
        let user_agent = header("User-Agent").unwrap_or_default();
        let ip = client_ip(request, header("X-Forwarded-For"));
        let prefetch = ["Purpose", "Sec-Purpose", "X-Purpose", "X-Moz"]
            .iter()
            .filter_map(|h| header(h))
            .any(|v| {
                let v = v.to_ascii_lowercase();
                v.contains("prefetch") || v.contains("preview")
            });
        let class = classify::class_of(&user_agent, &ip, prefetch);
        let mut new = NewEvent {
            time_ms: now_ms(),
            token: token.clone(),
            item: item.clone(),
            ip,
            device: classify::device_of(&user_agent, class).to_owned(),
            user_agent,
            class: class.to_owned(),
            ..NewEvent::default()
        };
        match item.as_bytes().first() {
            Some(b'b') => {
                let Some(technique) = self.store.beacon(&owner.campaign, &item)? else {
                    return Ok((not_found(), None));
                };
                new.kind = "open".into();
                let response = beacon_response(&technique);
                new.technique = technique;
                let event = self.store.record(&owner, &new)?;
                Ok((response, Some(event)))
            }
            Some(b'l') | Some(b'p') => {
                let link = format!("l{}", &item[1..]);
                let Some(destination) = self.store.destination(&owner.campaign, &link)? else {
                    return Ok((not_found(), None));
                };
                let ping = item.starts_with('p');
                new.kind = "click".into();
                new.technique = if ping {
                    super::technique::HYPERLINK_PING
                } else {
                    super::technique::CLICK_REDIRECT
                }
                .into();
                new.link = Some(link);
                new.destination = Some(destination.clone());
                let event = self.store.record(&owner, &new)?;
                let response = if ping {
                    text(204, "text/plain", "")
                } else {
                    redirect(&destination)
                };
                Ok((response, Some(event)))
            }
            _ => Ok((not_found(), None)),
        }
    }
}

/// The client's address; a loopback peer (a reverse proxy on this machine, or a test) may name
/// the real client in `X-Forwarded-For`, no one else may.
fn client_ip(request: &Request, forwarded: Option<String>) -> String {
    let peer = request.remote_addr().map(|a| a.ip());
    match (peer, forwarded) {
        (Some(ip), Some(list)) if ip.is_loopback() => list
            .split(',')
            .next()
            .map(str::trim)
            .filter(|s| s.parse::<std::net::IpAddr>().is_ok())
            .map_or_else(|| ip.to_string(), str::to_owned),
        (Some(ip), _) => ip.to_string(),
        (None, _) => String::new(),
    }
}

fn header(name: &str, value: &str) -> Header {
    // Names and values here are constants or registered URLs: always valid header bytes.
    Header::from_bytes(name.as_bytes(), value.as_bytes()).unwrap_or_else(|_| {
        Header::from_bytes(&b"X-Invalid"[..], &b"1"[..]).expect("constant header")
    })
}

fn no_store(response: Reply) -> Reply {
    response
        .with_header(header(
            "Cache-Control",
            "no-store, no-cache, must-revalidate, max-age=0",
        ))
        .with_header(header("Pragma", "no-cache"))
        .with_header(header("Expires", "0"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Referrer-Policy", "no-referrer"))
}

fn text(status: u16, content_type: &str, body: &str) -> Reply {
    no_store(
        Response::from_data(body.as_bytes().to_vec())
            .with_status_code(StatusCode(status))
            .with_header(header(
                "Content-Type",
                &format!("{content_type}; charset=utf-8"),
            )),
    )
}

fn not_found() -> Reply {
    text(404, "text/plain", "not found\n")
}

fn redirect(destination: &str) -> Reply {
    text(302, "text/plain", "").with_header(header("Location", destination))
}

/// What a beacon answers: a GIF for images, an empty stylesheet, page or JSON where a program
/// expects one (an error would show, and a real tracker wants to be invisible).
fn beacon_response(technique: &str) -> Reply {
    let ext = super::technique::beacon(technique).map_or("gif", |b| b.ext);
    match ext {
        "css" => text(200, "text/css", ""),
        "html" => text(200, "text/html", "<!doctype html><title></title>"),
        "json" => text(200, "application/json", "{\"items\":[]}"),
        _ => no_store(
            Response::from_data(GIF.to_vec()).with_header(header("Content-Type", "image/gif")),
        ),
    }
}

/// The "your email was opened" line.
pub fn human_line(event: &Event) -> String {
    let what = match event.kind.as_str() {
        "open" => format!("opened ({})", event.technique),
        "click" => format!(
            "clicked {} -> {}",
            event.link.as_deref().unwrap_or("?"),
            event.destination.as_deref().unwrap_or("?")
        ),
        other => format!("{other} ({})", event.technique),
    };
    format!(
        "{} {} {what} from {} [{}; {}] {}",
        event.time, event.recipient, event.ip, event.class, event.device, event.user_agent
    )
}
