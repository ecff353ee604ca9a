//! The event store: campaigns, recipients and their tokens, registered link destinations, and
//! every event, in one SQLite file (rusqlite, SQLite compiled in).
//!
//! Durability: WAL journal with `synchronous=FULL`, so the WAL is synced on every commit and an
//! event the server has acknowledged survives the process being killed and the machine losing
//! power. (`NORMAL` would survive a killed process but could lose the last commits on power
//! loss; a hit costs one small commit, and the server answers one hit at a time, so FULL is
//! affordable.) Every insert is its own transaction, committed before the response is written.

use super::manifest::Manifest;
use super::{EngineError, Result};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use std::path::Path;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS campaigns (
    id TEXT PRIMARY KEY, name TEXT NOT NULL, sender TEXT NOT NULL, subject TEXT NOT NULL,
    style TEXT NOT NULL, base_url TEXT NOT NULL, sent_unix INTEGER NOT NULL,
    recipients INTEGER NOT NULL, clean INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS recipients (
    token TEXT PRIMARY KEY, campaign TEXT NOT NULL REFERENCES campaigns(id),
    address TEXT NOT NULL, name TEXT, message_id TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS recipients_message_id ON recipients(message_id);
CREATE TABLE IF NOT EXISTS links (
    campaign TEXT NOT NULL REFERENCES campaigns(id), id TEXT NOT NULL,
    destination TEXT NOT NULL, PRIMARY KEY (campaign, id));
CREATE TABLE IF NOT EXISTS beacons (
    campaign TEXT NOT NULL REFERENCES campaigns(id), id TEXT NOT NULL,
    technique TEXT NOT NULL, PRIMARY KEY (campaign, id));
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, time_ms INTEGER NOT NULL, time TEXT NOT NULL,
    token TEXT NOT NULL, recipient TEXT NOT NULL, campaign TEXT NOT NULL, kind TEXT NOT NULL,
    item TEXT NOT NULL, technique TEXT NOT NULL, link TEXT, destination TEXT,
    ip TEXT NOT NULL, user_agent TEXT NOT NULL, class TEXT NOT NULL, device TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS events_token ON events(token);
";

/// One recorded hit (or read receipt).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: i64,
    /// RFC 3339, UTC, and milliseconds since the Unix epoch.
    pub time: String,
    pub time_ms: i64,
    pub campaign: String,
    pub recipient: String,
    pub token: String,
    /// `open`, `click` or `receipt`.
    pub kind: String,
    /// The item id (`b3`, `l2`, `p2`, `mdn`).
    pub item: String,
    /// The technique that fired (`tiny_image_attr`, `click_redirect`, `mdn:displayed`, …).
    pub technique: String,
    /// For clicks: the link id and where the reader was sent.
    pub link: Option<String>,
    pub destination: Option<String>,
    pub ip: String,
    pub user_agent: String,
    /// Who made the request, as far as the request tells (see `classify`).
    pub class: String,
    pub device: String,
}

/// What a new event is made of (the id and time are the store's).
#[derive(Debug, Clone, Default)]
pub struct NewEvent {
    pub time_ms: i64,
    pub token: String,
    pub kind: String,
    pub item: String,
    pub technique: String,
    pub link: Option<String>,
    pub destination: Option<String>,
    pub ip: String,
    pub user_agent: String,
    pub class: String,
    pub device: String,
}

/// A registered campaign, as metrics need it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignRow {
    pub id: String,
    pub name: String,
    pub subject: String,
    pub sent_unix: i64,
    pub recipients: Vec<(String, String)>,
    /// (link id, destination).
    pub links: Vec<(String, String)>,
}

/// Who a token belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub token: String,
    pub campaign: String,
    pub recipient: String,
}

pub struct Store {
    conn: Connection,
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

impl Store {
    /// Opens (creating if needed) the store at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(EngineError::Invalid(format!(
                "{}: cannot use write-ahead logging (journal mode {mode})",
                path.display()
            )));
        }
        conn.execute_batch("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;")?;
        conn.execute_batch(SCHEMA)?;
        Ok(Store { conn })
    }

    /// Opens a store that must already exist (reports never create an empty one by mistake).
    pub fn open_existing(path: &Path) -> Result<Store> {
        if !path.is_file() {
            return Err(EngineError::Invalid(format!(
                "{}: no such event store",
                path.display()
            )));
        }
        Store::open(path)
    }

    /// Registers a campaign's recipients, tokens, links and beacons (idempotent).
    pub fn register(&self, manifest: &Manifest) -> Result<()> {
        let c = &manifest.campaign;
        let tx = self.conn.unchecked_transaction()?;
        tx.execute(
            "INSERT OR REPLACE INTO campaigns VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![
                c.id,
                c.name,
                c.from,
                c.subject,
                c.style,
                c.base_url,
                c.sent_unix,
                manifest.messages.len() as i64,
                c.clean
            ],
        )?;
        for m in &manifest.messages {
            tx.execute(
                "INSERT OR REPLACE INTO recipients VALUES (?1, ?2, ?3, ?4, ?5)",
                params![m.token, c.id, m.recipient, m.name, m.message_id],
            )?;
        }
        for link in &manifest.links {
            tx.execute(
                "INSERT OR REPLACE INTO links VALUES (?1, ?2, ?3)",
                params![c.id, link.id, link.destination],
            )?;
        }
        for beacon in &manifest.beacons {
            tx.execute(
                "INSERT OR REPLACE INTO beacons VALUES (?1, ?2, ?3)",
                params![c.id, beacon.id, beacon.technique],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    pub fn owner(&self, token: &str) -> Result<Option<Owner>> {
        Ok(self
            .conn
            .query_row(
                "SELECT token, campaign, address FROM recipients WHERE token = ?1",
                [token],
                |r| {
                    Ok(Owner {
                        token: r.get(0)?,
                        campaign: r.get(1)?,
                        recipient: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    pub fn owner_of_message(&self, message_id: &str) -> Result<Option<Owner>> {
        let bare = message_id
            .trim()
            .trim_start_matches('<')
            .trim_end_matches('>');
        Ok(self
            .conn
            .query_row(
                "SELECT token, campaign, address FROM recipients WHERE message_id = ?1",
                [bare],
                |r| {
                    Ok(Owner {
                        token: r.get(0)?,
                        campaign: r.get(1)?,
                        recipient: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    /// The technique of beacon `item` in `campaign`, if registered.
    pub fn beacon(&self, campaign: &str, item: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT technique FROM beacons WHERE campaign = ?1 AND id = ?2",
                [campaign, item],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// The registered destination of link `link` in `campaign`.
    pub fn destination(&self, campaign: &str, link: &str) -> Result<Option<String>> {
        Ok(self
            .conn
            .query_row(
                "SELECT destination FROM links WHERE campaign = ?1 AND id = ?2",
                [campaign, link],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Records an event for `owner`; durable when this returns.
    pub fn record(&self, owner: &Owner, new: &NewEvent) -> Result<Event> {
        let time = super::mime::rfc3339(new.time_ms.div_euclid(1000));
        self.conn.execute(
            "INSERT INTO events (time_ms, time, token, recipient, campaign, kind, item, technique,
                link, destination, ip, user_agent, class, device)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                new.time_ms,
                time,
                owner.token,
                owner.recipient,
                owner.campaign,
                new.kind,
                new.item,
                new.technique,
                new.link,
                new.destination,
                new.ip,
                new.user_agent,
                new.class,
                new.device
            ],
        )?;
        Ok(Event {
            id: self.conn.last_insert_rowid(),
            time,
            time_ms: new.time_ms,
            campaign: owner.campaign.clone(),
            recipient: owner.recipient.clone(),
            token: owner.token.clone(),
            kind: new.kind.clone(),
            item: new.item.clone(),
            technique: new.technique.clone(),
            link: new.link.clone(),
            destination: new.destination.clone(),
            ip: new.ip.clone(),
            user_agent: new.user_agent.clone(),
            class: new.class.clone(),
            device: new.device.clone(),
        })
    }

    /// Every event, oldest first.
    pub fn events(&self) -> Result<Vec<Event>> {
        let mut statement = self.conn.prepare(
            "SELECT id, time, time_ms, campaign, recipient, token, kind, item, technique, link,
                destination, ip, user_agent, class, device FROM events ORDER BY time_ms, id",
        )?;
        let rows = statement.query_map([], |r| {
            Ok(Event {
                id: r.get(0)?,
                time: r.get(1)?,
                time_ms: r.get(2)?,
                campaign: r.get(3)?,
                recipient: r.get(4)?,
                token: r.get(5)?,
                kind: r.get(6)?,
                item: r.get(7)?,
                technique: r.get(8)?,
                link: r.get(9)?,
                destination: r.get(10)?,
                ip: r.get(11)?,
                user_agent: r.get(12)?,
                class: r.get(13)?,
                device: r.get(14)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }

    /// Every registered campaign with its recipients and links.
    pub fn campaigns(&self) -> Result<Vec<CampaignRow>> {
        let mut statement = self
            .conn
            .prepare("SELECT id, name, subject, sent_unix FROM campaigns WHERE clean = 0 ORDER BY sent_unix, id")?;
        let campaigns = statement
            .query_map([], |r| {
                Ok(CampaignRow {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    subject: r.get(2)?,
                    sent_unix: r.get(3)?,
                    recipients: Vec::new(),
                    links: Vec::new(),
                })
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut out = Vec::new();
        for mut campaign in campaigns {
            let mut s = self.conn.prepare(
                "SELECT token, address FROM recipients WHERE campaign = ?1 ORDER BY address",
            )?;
            campaign.recipients = s
                .query_map([&campaign.id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut s = self
                .conn
                .prepare("SELECT id, destination FROM links WHERE campaign = ?1 ORDER BY id")?;
            campaign.links = s
                .query_map([&campaign.id], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            out.push(campaign);
        }
        Ok(out)
    }
}
