//! Campaigns: a template and a recipient list become one message per recipient, each with its
//! own unguessable token, beacons by the chosen techniques, links rewritten and/or decorated,
//! an optional address leak and receipt requests, an SMTP envelope transcript (with DSN options)
//! beside each, and the manifest of everything inserted. `clean` writes the same messages with
//! no tracking at all: the negative controls.

use super::manifest::{self, BeaconEntry, Item, Link, Manifest, Message};
use super::mime::{self, MessageWriter};
use super::style::Style;
use super::technique::{self, Beacon, Place, Receipt, CLICK_REDIRECT, HYPERLINK_PING};
use super::{token, EngineError, Result};
use crate::finding::Kind;
use std::fmt::Write as _;
use std::path::Path;

/// One recipient from the list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    pub address: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Eml,
    Mbox,
}

/// Everything a campaign is made from, validated.
#[derive(Debug, Clone)]
pub struct CampaignOptions {
    pub name: String,
    pub template: String,
    pub recipients: Vec<Recipient>,
    pub from: String,
    pub subject: Option<String>,
    /// Beacon and link technique ids (see `technique::all_ids`).
    pub techniques: Vec<String>,
    pub style: Style,
    pub receipts: Vec<Receipt>,
    pub dsn: bool,
    pub leak: Option<String>,
    pub decorate: bool,
    pub clean: bool,
    pub format: Format,
    /// Where the tracking server listens, without a trailing slash.
    pub base_url: String,
    /// The send time (Unix seconds).
    pub sent_unix: i64,
}

impl CampaignOptions {
    pub fn validate(&self) -> Result<()> {
        let bad = |m: String| Err(EngineError::Invalid(m));
        if self.recipients.is_empty() {
            return bad("the recipient list is empty".into());
        }
        if crate::message::Mailbox::parse(&self.from).is_none() {
            return bad(format!("--from {:?} is not an address", self.from));
        }
        for id in &self.techniques {
            if !technique::is_known(id) {
                return bad(format!(
                    "unknown technique {id:?}; known: {}",
                    technique::all_ids().join(", ")
                ));
            }
        }
        if let Some(leak) = &self.leak {
            if !technique::LEAK_ENCODINGS.contains(&leak.as_str()) {
                return bad(format!(
                    "unknown leak encoding {leak:?}; known: {}",
                    technique::LEAK_ENCODINGS.join(", ")
                ));
            }
        }
        match url::Url::parse(&self.base_url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(()),
            _ => bad(format!("--base-url {:?} is not an http URL", self.base_url)),
        }
    }
}

/// Reads a recipient list: CSV with a header naming an `email` (or `address`) column and
/// optionally a `name` column; or one address per line without a header.
pub fn parse_recipients(text: &str) -> Result<Vec<Recipient>> {
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let Some(first) = lines.next() else {
        return Ok(Vec::new());
    };
    let header: Vec<String> = crate::report::csv::split_row(first)
        .iter()
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let email_col = header
        .iter()
        .position(|c| c == "email" || c == "address" || c == "e-mail");
    let name_col = header.iter().position(|c| c == "name");
    let (email_col, rows): (usize, Vec<&str>) = match email_col {
        Some(col) => (col, lines.collect()),
        None => (0, std::iter::once(first).chain(lines).collect()),
    };
    let mut out = Vec::new();
    for (n, row) in rows.iter().enumerate() {
        let cells = crate::report::csv::split_row(row);
        let address = cells.get(email_col).map(|c| c.trim()).unwrap_or_default();
        if crate::message::Mailbox::parse(address).is_none() {
            return Err(EngineError::Invalid(format!(
                "recipient row {}: {address:?} is not an address",
                n + 1
            )));
        }
        let name = name_col
            .and_then(|c| cells.get(c))
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty());
        out.push(Recipient {
            address: address.to_owned(),
            name,
        });
    }
    Ok(out)
}

/// Writes the campaign into `out` (created if needed) and returns its manifest.
pub fn generate(options: &CampaignOptions, out: &Path) -> Result<Manifest> {
    options.validate()?;
    std::fs::create_dir_all(out).map_err(|e| EngineError::io(out, e))?;
    let base = options.base_url.trim_end_matches('/');
    let campaign_id = format!("c{}", &token::hex(&token::random_bytes::<6>()?));
    let beacons: Vec<&Beacon> = if options.clean {
        Vec::new()
    } else {
        options
            .techniques
            .iter()
            .filter_map(|id| technique::beacon(id))
            .collect()
    };
    let wants = |id: &str| !options.clean && options.techniques.iter().any(|t| t == id);
    let redirect = wants(CLICK_REDIRECT);
    let ping = wants(HYPERLINK_PING);
    let decorate = options.decorate && !options.clean;
    let leak = options.leak.as_deref().filter(|_| !options.clean);
    let receipts: &[Receipt] = if options.clean {
        &[]
    } else {
        &options.receipts
    };
    let from_domain = options
        .from
        .rsplit_once('@')
        .map_or("localhost", |(_, d)| d)
        .to_ascii_lowercase();
    let subject = options
        .subject
        .clone()
        .or_else(|| title_of(&options.template))
        .unwrap_or_else(|| format!("News from {from_domain}"));

    // Links are the campaign's: the same ids and destinations for every recipient.
    let originals = template_links(&options.template);
    let links: Vec<Link> = originals
        .iter()
        .enumerate()
        .map(|(i, original)| {
            let id = format!("l{}", i + 1);
            let destination = if decorate {
                // Per-recipient decoration values would make destinations differ by reader; the
                // registered destination carries the campaign-level parameters only.
                decorate_url(original, &options.style.decoration(&campaign_id, &id, ""))
            } else {
                original.clone()
            };
            Link {
                id,
                original: original.clone(),
                destination,
            }
        })
        .collect();
    let beacon_entries: Vec<BeaconEntry> = beacons
        .iter()
        .enumerate()
        .map(|(i, b)| BeaconEntry {
            id: format!("b{}", i + 1),
            technique: b.id.to_owned(),
        })
        .collect();

    let mut messages = Vec::new();
    let mut mbox = String::new();
    for (n, recipient) in options.recipients.iter().enumerate() {
        let token = token::new_token()?;
        let leak_value = leak
            .and_then(|enc| technique::leak_value(&recipient.address.to_ascii_lowercase(), enc));
        let leak_param = leak_value.as_ref().map(|v| format!("em={v}"));
        let with_leak = |url: String| match &leak_param {
            Some(param) => append_query(&url, param),
            None => url,
        };
        let mut items = Vec::new();
        let vendor = options.style.vendor().map(str::to_owned);

        // Beacons.
        let mut head = String::new();
        let mut body = String::new();
        let mut amp = String::new();
        for (beacon, entry) in beacons.iter().zip(&beacon_entries) {
            let url = with_leak(
                options
                    .style
                    .beacon_url(base, &token, &entry.id, beacon.ext),
            );
            // Inside <style> the text is raw: entities are not decoded, so `&` stays `&`.
            let written = if beacon.html.contains("<style") {
                url.clone()
            } else {
                html_escape(&url)
            };
            let html = beacon.render(&written, &entry.id);
            match beacon.place {
                Place::Head => head.push_str(&html),
                Place::Body => body.push_str(&html),
                Place::Amp => amp.push_str(&html),
            }
            head.push('\n');
            items.push(Item {
                technique: beacon.id.to_owned(),
                detector_technique: beacon.detector.to_owned(),
                expected_kind: beacon.kind,
                accepted_kinds: beacon.accepted_kinds(),
                item: Some(entry.id.clone()),
                host: host_of(&url),
                url: Some(url),
                header: None,
                encoding: None,
                params: Vec::new(),
                expected_vendor: vendor.clone(),
            });
        }

        // Links: what each original becomes in this recipient's message.
        let mut rewritten: Vec<(String, String, Option<String>)> = Vec::new();
        for link in &links {
            let destination = if decorate {
                decorate_url(
                    &link.original,
                    &options.style.decoration(&campaign_id, &link.id, &token),
                )
            } else {
                link.original.clone()
            };
            let href = if redirect {
                with_leak(
                    options
                        .style
                        .click_url(base, &token, &link.id, &destination),
                )
            } else {
                destination.clone()
            };
            let ping_url = ping.then(|| {
                let item = link.id.replacen('l', "p", 1);
                options.style.ping_url(base, &token, &item)
            });
            rewritten.push((href.clone(), destination.clone(), ping_url.clone()));
            if redirect {
                items.push(Item {
                    technique: CLICK_REDIRECT.to_owned(),
                    detector_technique: if options.style.vendor().is_some() {
                        "known_redirector".to_owned()
                    } else {
                        "link_token".to_owned()
                    },
                    expected_kind: Kind::ClickTracking,
                    accepted_kinds: vec![Kind::ClickTracking],
                    item: Some(link.id.clone()),
                    host: host_of(&href),
                    url: Some(href.clone()),
                    header: None,
                    encoding: None,
                    params: Vec::new(),
                    expected_vendor: vendor.clone(),
                });
            }
            if let Some(ping_url) = ping_url {
                items.push(Item {
                    technique: HYPERLINK_PING.to_owned(),
                    detector_technique: "hyperlink_ping".to_owned(),
                    expected_kind: Kind::ClickTracking,
                    accepted_kinds: vec![Kind::ClickTracking],
                    item: Some(link.id.replacen('l', "p", 1)),
                    host: host_of(&ping_url),
                    url: Some(ping_url),
                    header: None,
                    encoding: None,
                    params: Vec::new(),
                    expected_vendor: None,
                });
            }
            // Decoration is visible in the message unless the redirector hides the destination.
            if decorate && (!redirect || options.style.embeds_destination()) {
                let params = options
                    .style
                    .decoration(&campaign_id, &link.id, &token)
                    .into_iter()
                    .map(|(k, _)| k)
                    .collect();
                items.push(Item {
                    technique: "decoration".to_owned(),
                    detector_technique: "tracking_parameters".to_owned(),
                    expected_kind: Kind::LinkDecoration,
                    accepted_kinds: vec![Kind::LinkDecoration],
                    item: Some(link.id.clone()),
                    host: host_of(&destination),
                    url: Some(href.clone()),
                    header: None,
                    encoding: None,
                    params,
                    expected_vendor: options.style.decoration_vendor().map(str::to_owned),
                });
            }
        }
        let carries_leak = !beacons.is_empty() || (redirect && !links.is_empty());
        if let (Some(encoding), true) = (leak, carries_leak) {
            items.push(Item {
                technique: format!("leak_{encoding}"),
                detector_technique: technique::leak_detector(encoding).to_owned(),
                expected_kind: Kind::AddressLeak,
                accepted_kinds: vec![Kind::AddressLeak],
                item: None,
                url: None,
                host: None,
                header: None,
                encoding: Some(encoding.to_owned()),
                params: leak_value.iter().cloned().collect(),
                expected_vendor: None,
            });
        }
        for receipt in receipts {
            items.push(Item {
                technique: format!("receipt_{}", receipt.id()),
                detector_technique: receipt.detector().to_owned(),
                expected_kind: Kind::ReadReceipt,
                accepted_kinds: vec![Kind::ReadReceipt],
                item: None,
                url: None,
                host: None,
                header: Some(receipt.header().to_owned()),
                encoding: None,
                params: Vec::new(),
                expected_vendor: None,
            });
        }

        let html = personalise(&options.template, recipient);
        let html = rewrite_links(&html, &originals, &rewritten);
        let html = insert(&html, &head, &body);
        let text = text_version(&html, &rewritten);
        let message_id = format!(
            "{}.{campaign_id}@{from_domain}",
            token::hex(&token::random_bytes::<12>()?)
        );
        let mut writer = MessageWriter::default();
        writer
            .header("From", &options.from)
            .header("To", &display_address(recipient))
            .header("Subject", &subject)
            .header("Date", &mime::rfc5322_date(options.sent_unix))
            .header("Message-ID", &format!("<{message_id}>"));
        for receipt in receipts {
            writer.header(receipt.header(), &format!("<{}>", options.from));
        }
        writer.part("text/plain", text);
        if !amp.is_empty() {
            writer.part("text/x-amp-html", amp_document(&amp));
        }
        writer.part("text/html", html);
        let boundary = format!("=_mt_{}", token::hex(&token::random_bytes::<8>()?));
        let rendered = writer.render(&boundary);

        let stem = format!("msg-{:04}", n + 1);
        let envelope_name = format!("{stem}.smtp");
        let transcript = envelope(options, recipient, &campaign_id, &token);
        write(&out.join(&envelope_name), &transcript)?;
        let file = match options.format {
            Format::Eml => {
                let name = format!("{stem}.eml");
                write(&out.join(&name), &rendered)?;
                name
            }
            Format::Mbox => {
                append_mbox(&mut mbox, &options.from, options.sent_unix, &rendered);
                format!("campaign.mbox#{}", n + 1)
            }
        };
        messages.push(Message {
            file,
            envelope: envelope_name,
            recipient: recipient.address.clone(),
            name: recipient.name.clone(),
            token,
            message_id,
            items,
        });
    }
    if options.format == Format::Mbox {
        write(&out.join("campaign.mbox"), &mbox)?;
    }
    let manifest = Manifest {
        schema: manifest::MANIFEST_SCHEMA.to_owned(),
        campaign: manifest::Campaign {
            id: campaign_id,
            name: options.name.clone(),
            from: options.from.clone(),
            subject,
            style: options.style.id().to_owned(),
            vendor: options.style.vendor().map(str::to_owned),
            base_url: base.to_owned(),
            sent: mime::rfc3339(options.sent_unix),
            sent_unix: options.sent_unix,
            clean: options.clean,
            techniques: if options.clean {
                Vec::new()
            } else {
                options.techniques.clone()
            },
            receipts: receipts.iter().map(|r| r.id().to_owned()).collect(),
            leak: leak.map(str::to_owned),
            decorate,
            dsn: options.dsn && !options.clean,
            format: match options.format {
                Format::Eml => "eml",
                Format::Mbox => "mbox",
            }
            .to_owned(),
        },
        links,
        beacons: beacon_entries,
        messages,
    };
    write(
        &out.join(manifest::MANIFEST_FILE),
        &serde_json::to_string_pretty(&manifest)?,
    )?;
    Ok(manifest)
}

fn write(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).map_err(|e| EngineError::io(path, e))
}

/// What the sending MTA would say to the receiving one: the envelope, with the DSN extension's
/// options (RFC 3461) when asked. No mail is sent; this is the record of what would be.
fn envelope(
    options: &CampaignOptions,
    recipient: &Recipient,
    campaign: &str,
    token: &str,
) -> String {
    let dsn = options.dsn && !options.clean;
    let mut t = String::new();
    let _ = write!(t, "EHLO mailtrace-engine.localhost\r\n");
    if dsn {
        let _ = write!(
            t,
            "MAIL FROM:<{}> RET=HDRS ENVID={campaign}.{token}\r\n",
            options.from
        );
        let _ = write!(
            t,
            "RCPT TO:<{0}> NOTIFY=SUCCESS,DELAY ORCPT=rfc822;{0}\r\n",
            recipient.address
        );
    } else {
        let _ = write!(t, "MAIL FROM:<{}>\r\n", options.from);
        let _ = write!(t, "RCPT TO:<{}>\r\n", recipient.address);
    }
    t.push_str("DATA\r\n.\r\nQUIT\r\n");
    t
}

fn append_mbox(mbox: &mut String, from: &str, sent: i64, message: &str) {
    let date = mime::rfc5322_date(sent);
    // mboxrd: `From ` separator with an asctime-like date, `>From ` quoting inside.
    let asctime = date.replace(',', "");
    let _ = writeln!(mbox, "From {from} {asctime}");
    for line in message.split("\r\n") {
        let bare = line.trim_start_matches('>');
        if bare.starts_with("From ") {
            mbox.push('>');
        }
        mbox.push_str(line);
        mbox.push('\n');
    }
}

fn display_address(recipient: &Recipient) -> String {
    match &recipient.name {
        Some(name) => {
            let quoted = name.replace(['"', '\\'], "");
            format!("\"{quoted}\" <{}>", recipient.address)
        }
        None => format!("<{}>", recipient.address),
    }
}

fn title_of(html: &str) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<title>")? + 7;
    let end = lower[start..].find("</title>")? + start;
    let title = html.get(start..end)?.trim();
    (!title.is_empty()).then(|| title.to_owned())
}

/// `{{name}}` and `{{email}}` in the template.
fn personalise(template: &str, recipient: &Recipient) -> String {
    let name = recipient.name.as_deref().unwrap_or("reader");
    template
        .replace("{{name}}", &html_escape(name))
        .replace("{{email}}", &html_escape(&recipient.address))
}

/// Every distinct http(s) `href` in the template, in order.
fn template_links(html: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (_, value, _) in hrefs(html) {
        let value = html_unescape(value);
        if (value.starts_with("http://") || value.starts_with("https://")) && !out.contains(&value)
        {
            out.push(value);
        }
    }
    out
}

/// `(start, value, end)` of each `href="…"` / `href='…'` value.
fn hrefs(html: &str) -> Vec<(usize, &str, usize)> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(pos) = lower[from..].find("href=") {
        let at = from + pos + 5;
        let Some(quote) = html[at..]
            .chars()
            .next()
            .filter(|c| *c == '"' || *c == '\'')
        else {
            from = at;
            continue;
        };
        let start = at + 1;
        let Some(len) = html[start..].find(quote) else {
            break;
        };
        out.push((start, &html[start..start + len], start + len));
        from = start + len;
    }
    out
}

fn rewrite_links(
    html: &str,
    originals: &[String],
    rewritten: &[(String, String, Option<String>)],
) -> String {
    let mut out = String::with_capacity(html.len() + 512);
    let mut last = 0;
    for (start, value, end) in hrefs(html) {
        let value = html_unescape(value);
        let Some(index) = originals.iter().position(|o| *o == value) else {
            continue;
        };
        let Some((href, _, ping)) = rewritten.get(index) else {
            continue;
        };
        out.push_str(&html[last..start]);
        out.push_str(&html_escape(href));
        // Close the quote, then add the ping attribute after it.
        out.push_str(&html[end..end + 1]);
        if let Some(ping) = ping {
            let _ = write!(out, " ping=\"{}\"", html_escape(ping));
        }
        last = end + 1;
    }
    out.push_str(&html[last..]);
    out
}

/// Puts head items before `</head>` and body items before `</body>`, making either if missing.
fn insert(html: &str, head: &str, body: &str) -> String {
    let mut html = html.to_owned();
    if !head.trim().is_empty() {
        let lower = html.to_ascii_lowercase();
        if let Some(pos) = lower.find("</head>") {
            html.insert_str(pos, head);
        } else if let Some(pos) = lower.find("<body") {
            html.insert_str(pos, &format!("<head>{head}</head>"));
        } else {
            html.insert_str(0, &format!("<head>{head}</head>"));
        }
    }
    if !body.is_empty() {
        let lower = html.to_ascii_lowercase();
        match lower.rfind("</body>") {
            Some(pos) => html.insert_str(pos, body),
            None => html.push_str(body),
        }
    }
    html
}

/// The plain-text alternative: the text of the HTML, then the links (as the reader sees them).
fn text_version(html: &str, links: &[(String, String, Option<String>)]) -> String {
    let lower = html.to_ascii_lowercase();
    let body_start = lower.find("<body").unwrap_or(0);
    let mut text = String::new();
    let mut in_tag = false;
    let mut skip = false;
    let rest = &html[body_start..];
    let rest_lower = &lower[body_start..];
    for (i, c) in rest.char_indices() {
        if c == '<' {
            in_tag = true;
            skip = rest_lower[i..].starts_with("<style") || rest_lower[i..].starts_with("<!--");
            continue;
        }
        if c == '>' {
            in_tag = false;
            continue;
        }
        if !in_tag && !skip {
            text.push(c);
        }
        if skip && rest_lower[..i].ends_with("</style") {
            skip = false;
        }
    }
    let mut out: String = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| format!("{}\n", html_unescape(l)))
        .collect();
    if !links.is_empty() {
        out.push_str("\nLinks:\n");
        for (href, _, _) in links {
            let _ = writeln!(out, "{href}");
        }
    }
    out
}

/// A minimal valid AMP for Email document around the AMP items.
fn amp_document(items: &str) -> String {
    format!(
        "<!doctype html>\n<html \u{26a1}4email data-css-strict>\n<head><meta charset=\"utf-8\">\
         <script async src=\"https://cdn.ampproject.org/v0.js\"></script>\
         <script async custom-element=\"amp-list\" src=\"https://cdn.ampproject.org/v0/amp-list-0.1.js\"></script>\
         <script async custom-template=\"amp-mustache\" src=\"https://cdn.ampproject.org/v0/amp-mustache-0.2.js\"></script>\
         <style amp4email-boilerplate>body{{visibility:hidden}}</style></head>\n\
         <body><p>This message has an interactive version.</p>\n{items}\n</body></html>\n"
    )
}

fn decorate_url(url: &str, params: &[(String, String)]) -> String {
    let query: Vec<String> = params
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if query.is_empty() {
        return url.to_owned();
    }
    append_query(url, &query.join("&"))
}

fn append_query(url: &str, query: &str) -> String {
    let (before, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let sep = if before.contains('?') { '&' } else { '?' };
    let mut out = format!("{before}{sep}{query}");
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

fn host_of(url: &str) -> Option<String> {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
}

pub fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn html_unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// The template the evaluation uses, and a good start for your own: a short newsletter with
/// three links and no remote content of its own (so a clean copy has nothing to find).
pub const SAMPLE_TEMPLATE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>Spring news from the Example Shop</title></head>
<body style="font-family:sans-serif">
<h1>Hello {{name}},</h1>
<p>Our spring collection is here. <a href="https://shop.example.org/spring-collection">See what is new</a>.</p>
<p>Read <a href="https://blog.example.org/posts/how-we-source-our-cotton">how we source our cotton</a>,
or <a href="https://shop.example.org/stores?city=lyon">find a store near you</a>.</p>
<p>You receive this because you subscribed as {{email}}.</p>
</body></html>
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_read_from_csv_with_quotes_or_plain_lines() {
        let list =
            parse_recipients("name,email\n\"Doe, Jane\",jane@example.net\n,bob@example.net\n")
                .unwrap();
        assert_eq!(list[0].name.as_deref(), Some("Doe, Jane"));
        assert_eq!(list[1].address, "bob@example.net");
        assert_eq!(
            parse_recipients("a@example.net\nb@example.net")
                .unwrap()
                .len(),
            2
        );
        assert!(parse_recipients("email\nnot-an-address\n").is_err());
    }

    #[test]
    fn links_are_rewritten_with_ping_and_head_items_inserted() {
        let html = r#"<html><head></head><body><a href="https://a.example/x?y=1&amp;z=2">a</a></body></html>"#;
        let originals = template_links(html);
        assert_eq!(originals, ["https://a.example/x?y=1&z=2"]);
        let out = rewrite_links(
            html,
            &originals,
            &[(
                "http://t.example/c/1?a=b&c=d".into(),
                String::new(),
                Some("http://t.example/p".into()),
            )],
        );
        assert!(
            out.contains(r#"href="http://t.example/c/1?a=b&amp;c=d" ping="http://t.example/p""#)
        );
        let inserted = insert(&out, "<link rel=x>", "<img>");
        assert!(inserted.contains("<link rel=x></head>"));
        assert!(inserted.contains("<img></body>"));
    }
}
