//! Metrics as email platforms define them — delivered, unique and total opens, open rate,
//! click-through rate (unique clickers / delivered), click-to-open rate (unique clickers /
//! unique openers), per-link clicks, hourly timelines, first and last open, devices — each shown
//! twice: counting every request, and counting only requests a person's own mail program made.
//! Image proxies (Gmail, Yahoo, Apple Mail Privacy Protection), prefetchers and security
//! scanners that click every link seconds after delivery are counted apart, because an open
//! pixel is never an exact read indicator. Forwarding is inferred when one token's opens come
//! from several distinct programs on several networks.

use super::classify::{self, network_of};
use super::mime::rfc3339;
use super::store::{CampaignRow, Event};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Clicks on two or more links by one token within this many milliseconds are a burst…
const BURST_MS: i64 = 10_000;
/// …and a burst this soon after sending (or covering every link) is a scanner, not a person.
const SCANNER_AFTER_SEND_MS: i64 = 15 * 60 * 1000;

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Metrics {
    pub schema: String,
    pub campaigns: Vec<CampaignMetrics>,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CampaignMetrics {
    pub id: String,
    pub name: String,
    pub subject: String,
    pub sent: String,
    /// Messages handed over (every recipient: the engine sends nothing that can bounce).
    pub delivered: u64,
    /// Counting every request, as a naive platform does.
    pub all_requests: Rates,
    /// Counting only people's own mail programs (no proxies, prefetchers or scanners).
    pub people_only: Rates,
    /// Requests by class: human, gmail_proxy, apple_mpp, yahoo_proxy, prefetch, scanner, …
    pub opens_by_class: BTreeMap<String, u64>,
    pub clicks_by_class: BTreeMap<String, u64>,
    pub links: Vec<LinkMetrics>,
    pub timeline: Vec<Hour>,
    pub first_open: Option<String>,
    pub last_open: Option<String>,
    /// People's opens by device class.
    pub devices: BTreeMap<String, u64>,
    pub read_receipts: u64,
    /// Recipients whose message seems to have been forwarded.
    pub forwarded: Vec<String>,
    pub recipients: Vec<RecipientMetrics>,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq)]
pub struct Rates {
    pub total_opens: u64,
    pub unique_opens: u64,
    pub total_clicks: u64,
    pub unique_clicks: u64,
    pub open_rate: f64,
    pub click_through_rate: f64,
    pub click_to_open_rate: f64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LinkMetrics {
    pub id: String,
    pub destination: String,
    pub clicks: u64,
    pub unique_clicks: u64,
    pub people_clicks: u64,
    pub people_unique_clicks: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hour {
    /// `2026-01-01T09:00:00Z`
    pub hour: String,
    pub opens: u64,
    pub people_opens: u64,
    pub clicks: u64,
    pub people_clicks: u64,
}

#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct RecipientMetrics {
    pub recipient: String,
    pub opens: u64,
    pub people_opens: u64,
    pub clicks: u64,
    pub people_clicks: u64,
    pub first_open: Option<String>,
    pub last_open: Option<String>,
    pub devices: Vec<String>,
    pub machine_classes: Vec<String>,
    pub forwarded: bool,
    pub read_receipt: bool,
}

/// The class each event really has: the request's own class, or `scanner` for clicks in a
/// scanner burst.
pub fn effective_classes(events: &[Event], campaigns: &[CampaignRow]) -> Vec<String> {
    let sent: BTreeMap<&str, (i64, usize)> = campaigns
        .iter()
        .map(|c| (c.id.as_str(), (c.sent_unix * 1000, c.links.len())))
        .collect();
    let mut classes: Vec<String> = events.iter().map(|e| e.class.clone()).collect();
    let mut clicks_by_token: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        if e.kind == "click" {
            clicks_by_token.entry(e.token.as_str()).or_default().push(i);
        }
    }
    for indices in clicks_by_token.values() {
        for (n, &start) in indices.iter().enumerate() {
            let first = &events[start];
            let window: Vec<usize> = indices[n..]
                .iter()
                .copied()
                .take_while(|&j| events[j].time_ms - first.time_ms <= BURST_MS)
                .collect();
            let links: BTreeSet<&str> = window
                .iter()
                .filter_map(|&j| events[j].link.as_deref())
                .collect();
            let (sent_ms, all_links) = sent.get(first.campaign.as_str()).copied().unwrap_or((0, 0));
            let soon = first.time_ms - sent_ms <= SCANNER_AFTER_SEND_MS;
            if links.len() >= 2 && (soon || links.len() >= all_links) {
                for j in window {
                    classes[j] = classify::SCANNER.to_owned();
                }
            }
        }
    }
    classes
}

pub fn compute(events: &[Event], campaigns: &[CampaignRow]) -> Metrics {
    let classes = effective_classes(events, campaigns);
    let campaigns = campaigns
        .iter()
        .map(|campaign| {
            let mine: Vec<(&Event, &str)> = events
                .iter()
                .zip(&classes)
                .filter(|(e, _)| e.campaign == campaign.id)
                .map(|(e, c)| (e, c.as_str()))
                .collect();
            campaign_metrics(campaign, &mine)
        })
        .collect();
    Metrics {
        schema: "mailtrace-engine-metrics/1".to_owned(),
        campaigns,
    }
}

fn campaign_metrics(campaign: &CampaignRow, events: &[(&Event, &str)]) -> CampaignMetrics {
    let delivered = campaign.recipients.len() as u64;
    let person = |class: &str| class == classify::HUMAN;
    let opens: Vec<&(&Event, &str)> = events.iter().filter(|(e, _)| e.kind == "open").collect();
    let clicks: Vec<&(&Event, &str)> = events.iter().filter(|(e, _)| e.kind == "click").collect();
    let rates = |people: bool| {
        let keep = |c: &str| !people || person(c);
        let o: Vec<&Event> = opens
            .iter()
            .filter(|(_, c)| keep(c))
            .map(|(e, _)| *e)
            .collect();
        let k: Vec<&Event> = clicks
            .iter()
            .filter(|(_, c)| keep(c))
            .map(|(e, _)| *e)
            .collect();
        let unique_opens = o.iter().map(|e| &e.token).collect::<BTreeSet<_>>().len() as u64;
        let unique_clicks = k.iter().map(|e| &e.token).collect::<BTreeSet<_>>().len() as u64;
        Rates {
            total_opens: o.len() as u64,
            unique_opens,
            total_clicks: k.len() as u64,
            unique_clicks,
            open_rate: ratio(unique_opens, delivered),
            click_through_rate: ratio(unique_clicks, delivered),
            click_to_open_rate: ratio(unique_clicks, unique_opens),
        }
    };
    let count_by = |list: &[&(&Event, &str)]| {
        let mut map: BTreeMap<String, u64> = BTreeMap::new();
        for (_, class) in list {
            *map.entry((*class).to_owned()).or_default() += 1;
        }
        map
    };
    let links = campaign
        .links
        .iter()
        .map(|(id, destination)| {
            let on: Vec<&&(&Event, &str)> = clicks
                .iter()
                .filter(|(e, _)| e.link.as_deref() == Some(id.as_str()))
                .collect();
            let people: Vec<&&(&Event, &str)> =
                on.iter().copied().filter(|(_, c)| person(c)).collect();
            LinkMetrics {
                id: id.clone(),
                destination: destination.clone(),
                clicks: on.len() as u64,
                unique_clicks: on
                    .iter()
                    .map(|(e, _)| &e.token)
                    .collect::<BTreeSet<_>>()
                    .len() as u64,
                people_clicks: people.len() as u64,
                people_unique_clicks: people
                    .iter()
                    .map(|(e, _)| &e.token)
                    .collect::<BTreeSet<_>>()
                    .len() as u64,
            }
        })
        .collect();
    let mut hours: BTreeMap<i64, Hour> = BTreeMap::new();
    for (e, class) in events {
        let hour = e.time_ms.div_euclid(3_600_000) * 3600;
        let entry = hours.entry(hour).or_insert_with(|| Hour {
            hour: rfc3339(hour),
            opens: 0,
            people_opens: 0,
            clicks: 0,
            people_clicks: 0,
        });
        match e.kind.as_str() {
            "open" => {
                entry.opens += 1;
                entry.people_opens += u64::from(person(class));
            }
            "click" => {
                entry.clicks += 1;
                entry.people_clicks += u64::from(person(class));
            }
            _ => {}
        }
    }
    let people_opens: Vec<&Event> = opens
        .iter()
        .filter(|(_, c)| person(c))
        .map(|(e, _)| *e)
        .collect();
    let mut devices: BTreeMap<String, u64> = BTreeMap::new();
    for e in &people_opens {
        *devices.entry(e.device.clone()).or_default() += 1;
    }
    let recipients: Vec<RecipientMetrics> = campaign
        .recipients
        .iter()
        .map(|(token, address)| recipient_metrics(token, address, events))
        .collect();
    CampaignMetrics {
        id: campaign.id.clone(),
        name: campaign.name.clone(),
        subject: campaign.subject.clone(),
        sent: rfc3339(campaign.sent_unix),
        delivered,
        all_requests: rates(false),
        people_only: rates(true),
        opens_by_class: count_by(&opens),
        clicks_by_class: count_by(&clicks),
        links,
        timeline: hours.into_values().collect(),
        first_open: people_opens.first().map(|e| e.time.clone()),
        last_open: people_opens.last().map(|e| e.time.clone()),
        devices,
        read_receipts: events.iter().filter(|(e, _)| e.kind == "receipt").count() as u64,
        forwarded: recipients
            .iter()
            .filter(|r| r.forwarded)
            .map(|r| r.recipient.clone())
            .collect(),
        recipients,
    }
}

fn recipient_metrics(token: &str, address: &str, events: &[(&Event, &str)]) -> RecipientMetrics {
    let mine: Vec<&(&Event, &str)> = events.iter().filter(|(e, _)| e.token == token).collect();
    let person = |c: &str| c == classify::HUMAN;
    let opens: Vec<&&(&Event, &str)> = mine.iter().filter(|(e, _)| e.kind == "open").collect();
    let people_opens: Vec<&Event> = opens
        .iter()
        .filter(|(_, c)| person(c))
        .map(|(e, _)| *e)
        .collect();
    let clicks: Vec<&&(&Event, &str)> = mine.iter().filter(|(e, _)| e.kind == "click").collect();
    // Several programs on several networks reading one person's copy: it was passed on.
    let agents: BTreeSet<&str> = people_opens.iter().map(|e| e.user_agent.as_str()).collect();
    let networks: BTreeSet<String> = people_opens.iter().map(|e| network_of(&e.ip)).collect();
    RecipientMetrics {
        recipient: address.to_owned(),
        opens: opens.len() as u64,
        people_opens: people_opens.len() as u64,
        clicks: clicks.len() as u64,
        people_clicks: clicks.iter().filter(|(_, c)| person(c)).count() as u64,
        first_open: people_opens.first().map(|e| e.time.clone()),
        last_open: people_opens.last().map(|e| e.time.clone()),
        devices: people_opens
            .iter()
            .map(|e| e.device.clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        machine_classes: mine
            .iter()
            .filter(|(_, c)| !person(c))
            .map(|(_, c)| (*c).to_owned())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect(),
        forwarded: agents.len() >= 2 && networks.len() >= 2,
        read_receipt: mine.iter().any(|(e, _)| e.kind == "receipt"),
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// The metrics as a readable report.
pub fn table(metrics: &Metrics) -> String {
    let mut out = String::new();
    if metrics.campaigns.is_empty() {
        out.push_str("no campaigns registered\n");
    }
    for c in &metrics.campaigns {
        let _ = writeln!(out, "campaign {} \"{}\" sent {}", c.id, c.subject, c.sent);
        let _ = writeln!(out, "  delivered {}", c.delivered);
        let _ = writeln!(
            out,
            "  {:<22} {:>8} {:>8} {:>8} {:>8} {:>9} {:>9} {:>9}",
            "", "opens", "unique", "clicks", "unique", "open rate", "CTR", "CTOR"
        );
        for (label, r) in [
            ("every request", &c.all_requests),
            ("people only", &c.people_only),
        ] {
            let _ = writeln!(
                out,
                "  {label:<22} {:>8} {:>8} {:>8} {:>8} {:>8.1}% {:>8.1}% {:>8.1}%",
                r.total_opens,
                r.unique_opens,
                r.total_clicks,
                r.unique_clicks,
                r.open_rate * 100.0,
                r.click_through_rate * 100.0,
                r.click_to_open_rate * 100.0
            );
        }
        let classes = |map: &BTreeMap<String, u64>| {
            map.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(out, "  opens by source: {}", classes(&c.opens_by_class));
        let _ = writeln!(out, "  clicks by source: {}", classes(&c.clicks_by_class));
        let _ = writeln!(
            out,
            "  first open {}, last open {}; devices: {}; read receipts {}",
            c.first_open.as_deref().unwrap_or("-"),
            c.last_open.as_deref().unwrap_or("-"),
            classes(&c.devices),
            c.read_receipts
        );
        for link in &c.links {
            let _ = writeln!(
                out,
                "  link {:<4} {:>4} clicks ({} unique; people {} / {}) {}",
                link.id,
                link.clicks,
                link.unique_clicks,
                link.people_clicks,
                link.people_unique_clicks,
                link.destination
            );
        }
        for hour in &c.timeline {
            let _ = writeln!(
                out,
                "  {}  opens {:>4} (people {:>4})  clicks {:>4} (people {:>4})",
                hour.hour, hour.opens, hour.people_opens, hour.clicks, hour.people_clicks
            );
        }
        for r in &c.recipients {
            let _ = writeln!(
                out,
                "  {:<32} opens {:>3} (people {:>3}) clicks {:>3} (people {:>3}) {}{}{}",
                r.recipient,
                r.opens,
                r.people_opens,
                r.clicks,
                r.people_clicks,
                r.devices.join("/"),
                if r.machine_classes.is_empty() {
                    String::new()
                } else {
                    format!(" machines: {}", r.machine_classes.join(", "))
                },
                if r.forwarded { " FORWARDED?" } else { "" }
            );
        }
    }
    out
}
