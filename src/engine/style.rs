//! Vendor styles: the URL shapes real email platforms use for their open beacons and click
//! redirectors, so that a generated campaign exercises the rules that name vendors, not only the
//! heuristics. Each shape follows the examples in the vendor's rule file (rules/*.toml).
//!
//! Whatever the shape, every URL carries the recipient's token followed by the item id
//! (`b3` beacon, `l2` link, `p2` ping), which is all the server needs to find the event: it
//! searches the request for a well-formed token rather than parsing each vendor's layout.
//! Shapes that the rules accept on any host (custom tracking domains) use the engine's base
//! URL, so the local server receives them; Mailchimp's only exist on its own hosts.

use super::token;
use sha2::Digest;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// The engine's own shape: `/o/<token>/b1.gif`, `/c/<token>/l1`, `/p/<token>/p1`.
    Mailtrace,
    Sendgrid,
    Mailchimp,
    Mailgun,
    Ses,
    Sfmc,
    Sparkpost,
}

impl Style {
    pub const ALL: [Style; 7] = [
        Style::Mailtrace,
        Style::Sendgrid,
        Style::Mailchimp,
        Style::Mailgun,
        Style::Ses,
        Style::Sfmc,
        Style::Sparkpost,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Style::Mailtrace => "mailtrace",
            Style::Sendgrid => "sendgrid",
            Style::Mailchimp => "mailchimp",
            Style::Mailgun => "mailgun",
            Style::Ses => "ses",
            Style::Sfmc => "sfmc",
            Style::Sparkpost => "sparkpost",
        }
    }

    pub fn parse(name: &str) -> Option<Style> {
        let name = name.trim().to_ascii_lowercase();
        Style::ALL
            .into_iter()
            .find(|s| s.id() == name)
            .or(match name.as_str() {
                "amazon-ses" | "aws" => Some(Style::Ses),
                "salesforce" | "exacttarget" => Some(Style::Sfmc),
                _ => None,
            })
    }

    /// The vendor name the rules give this platform; `None` for the engine's own shape.
    pub fn vendor(self) -> Option<&'static str> {
        match self {
            Style::Mailtrace => None,
            Style::Sendgrid => Some("Twilio SendGrid"),
            Style::Mailchimp => Some("Mailchimp"),
            Style::Mailgun => Some("Mailgun"),
            Style::Ses => Some("Amazon SES"),
            Style::Sfmc => Some("Salesforce Marketing Cloud"),
            Style::Sparkpost => Some("SparkPost (Bird)"),
        }
    }

    /// Whether the style's URLs point at the engine's base URL (and so at the local server).
    pub fn reaches_server(self) -> bool {
        self != Style::Mailchimp
    }

    /// Whether the click URL carries the destination itself (SES `/L0/<destination>/…`): then
    /// the destination's decoration is visible in the message.
    pub fn embeds_destination(self) -> bool {
        self == Style::Ses
    }

    /// The open beacon URL for `item` (`b3`).
    pub fn beacon_url(self, base: &str, token: &str, item: &str, ext: &str) -> String {
        let key = format!("{token}-{item}");
        match self {
            Style::Mailtrace => format!("{base}/o/{token}/{item}.{ext}"),
            Style::Sendgrid => format!("{base}/wf/open?upn=u001.{key}"),
            Style::Mailchimp => format!(
                "https://mailtrace.us21.list-manage.com/track/open.php?u={}&id={}&e={key}",
                short_id(token, "u", 12),
                short_id(token, "id", 10)
            ),
            Style::Mailgun => format!("{base}/o/eJ{key}"),
            Style::Ses => format!("{base}/I0/{}/{key}=1", ses_message_id(token)),
            Style::Sfmc => format!("{base}/open.aspx?{key}"),
            Style::Sparkpost => format!("{base}/q/{key}~~/AAAAAQA~/RgRnAbCdPVcDc3BjQgpl~~"),
        }
    }

    /// The redirector URL for link `item` (`l2`) going to `destination`.
    pub fn click_url(self, base: &str, token: &str, item: &str, destination: &str) -> String {
        let key = format!("{token}-{item}");
        match self {
            Style::Mailtrace => format!("{base}/c/{token}/{item}"),
            Style::Sendgrid => format!("{base}/ls/click?upn=u001.{key}"),
            Style::Mailchimp => format!(
                "https://mailtrace.us21.list-manage.com/track/click?u={}&id={}&e={key}",
                short_id(token, "u", 12),
                short_id(token, item, 10)
            ),
            Style::Mailgun => format!("{base}/c/eJ{key}"),
            Style::Ses => format!(
                "{base}/L0/{}/1/{}/{key}=1",
                ses_destination(destination),
                ses_message_id(token)
            ),
            Style::Sfmc => format!("{base}/?qs={key}"),
            Style::Sparkpost => format!("{base}/f/a/{key}~~/AAAAAQA~/RgRnAbCdP0Q~"),
        }
    }

    /// The ping URL for link `item` (`p2`); pings have no vendor shape.
    pub fn ping_url(self, base: &str, token: &str, item: &str) -> String {
        format!("{base}/p/{token}/{item}")
    }

    /// Tracking parameters a platform adds to destinations (`--decorate`), vendor's own first.
    pub fn decoration(self, campaign: &str, link: &str, token: &str) -> Vec<(String, String)> {
        // Without a token (the destination registered for the campaign) only the campaign-level
        // parameters are known.
        let per_reader = !token.is_empty();
        let mut params: Vec<(String, String)> = match self {
            Style::Mailchimp if per_reader => vec![
                ("mc_cid".into(), short_id(campaign, "cid", 10)),
                ("mc_eid".into(), short_id(token, "eid", 10)),
            ],
            Style::Mailchimp => vec![("mc_cid".into(), short_id(campaign, "cid", 10))],
            Style::Sfmc if per_reader => vec![
                ("sfmc_id".into(), short_id(token, "sfmc", 10)),
                ("et_rid".into(), short_id(token, "rid", 8)),
            ],
            _ => Vec::new(),
        };
        params.extend([
            ("utm_source".to_owned(), "mailtrace".to_owned()),
            ("utm_medium".to_owned(), "email".to_owned()),
            ("utm_campaign".to_owned(), campaign.to_owned()),
            ("utm_content".to_owned(), link.to_owned()),
        ]);
        params
    }

    /// The vendor a correct detector names for this style's decoration, when it is the vendor's.
    pub fn decoration_vendor(self) -> Option<&'static str> {
        match self {
            Style::Mailchimp | Style::Sfmc => self.vendor(),
            _ => None,
        }
    }
}

/// A stable short hex id derived from a token (ids that real platforms show per campaign or
/// per member, here derived so the same recipient always gets the same one).
fn short_id(seed: &str, salt: &str, len: usize) -> String {
    let digest = sha2::Sha256::digest(format!("{salt}:{seed}").as_bytes());
    token::hex(&digest).chars().take(len).collect()
}

/// SES message ids look like `0100018f2a3b4c5d-6e7f8a9b-1c2d-3e4f-5a6b-7c8d9e0f1a2b-000000`.
fn ses_message_id(token: &str) -> String {
    let hex = token::hex(&sha2::Sha256::digest(token.as_bytes()));
    format!(
        "010{}-{}-{}-{}-{}-{}-000000",
        &hex[0..13],
        &hex[13..21],
        &hex[21..25],
        &hex[25..29],
        &hex[29..33],
        &hex[33..45]
    )
}

/// SES writes the destination into the path with `/` and the query's delimiters escaped.
fn ses_destination(destination: &str) -> String {
    let mut out = String::with_capacity(destination.len() + 16);
    for byte in destination.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b':' | b'.' | b'-' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The token and item id a request path carries, whatever the style: the first well-formed
/// token, then (after one to three separators) `b`, `l` or `p` and digits.
pub fn decode_request(target: &str) -> Option<(String, String)> {
    let decoded = percent_encoding::percent_decode_str(target).decode_utf8_lossy();
    let (token, rest) = token::find(&decoded)?;
    let rest = rest.trim_start_matches(['-', '/', '.', '_']);
    let mut chars = rest.chars();
    let prefix = chars.next().filter(|c| matches!(c, 'b' | 'l' | 'p'))?;
    let digits: String = chars.take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 6 {
        return None;
    }
    Some((token.to_owned(), format!("{prefix}{digits}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_style_round_trips_token_and_item() {
        let token = token::new_token().unwrap();
        for style in Style::ALL {
            let beacon = style.beacon_url("http://127.0.0.1:8025", &token, "b3", "gif");
            let click = style.click_url(
                "http://127.0.0.1:8025",
                &token,
                "l12",
                "https://shop.example.org/a?b=c",
            );
            for (url, item) in [(beacon, "b3"), (click, "l12")] {
                let parsed = url::Url::parse(&url).unwrap();
                let target = match parsed.query() {
                    Some(q) => format!("{}?{q}", parsed.path()),
                    None => parsed.path().to_owned(),
                };
                assert_eq!(
                    decode_request(&target),
                    Some((token.clone(), item.to_owned())),
                    "{url}"
                );
            }
        }
    }
}
