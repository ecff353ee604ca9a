//! The technique registry: every technique a detector reports, with its documentation. The doc
//! comment on each entry is the single source: rustdoc shows it, and `mailtrace explain
//! --technique ID` prints it. Sections: what it detects, why it tracks, an example, known false
//! positives.

use crate::finding::Kind;

/// One technique: its stable id, its kind and its documentation.
#[derive(Debug, Clone, Copy)]
pub struct Technique {
    pub id: &'static str,
    pub kind: Kind,
    pub doc: &'static str,
}

macro_rules! techniques {
    ($( $(#[doc = $doc:expr])* $name:ident = $id:literal, $kind:ident; )*) => {
        $(
            $(#[doc = $doc])*
            pub const $name: Technique = Technique {
                id: $id,
                kind: Kind::$kind,
                doc: concat!($($doc, "\n"),*),
            };
        )*
        /// Every technique, in documentation order.
        pub const ALL: &[Technique] = &[$($name),*];
    };
}

techniques! {
    /// Known open-tracking endpoint.
    ///
    /// What it detects: an image URL that a rule identifies as a vendor's open-tracking endpoint
    /// (Mailchimp `/track/open.php`, SendGrid `/wf/open`, Salesforce `open.aspx`, …), whatever
    /// size the tag declares.
    /// Why it tracks: the endpoint exists to log the request: who opened, when, from which IP
    /// address and mail program.
    /// Example: `<img src="https://shop.us21.list-manage.com/track/open.php?u=…&id=…&e=…" width="600">`
    /// Known false positives: none expected; a stale beacon copied from another mail still fires.
    KNOWN_OPEN_ENDPOINT = "known_open_endpoint", Pixel;

    /// Tiny image.
    ///
    /// What it detects: a remote image declared 0 or 1 pixel wide and high, by attribute or CSS
    /// (`width="1"`, `width:0px`, `max-height:0.75pt`, any unit), that is not a shared spacer;
    /// a `<picture>`'s sources are as large as its `<img>` (declared, or read from the header of
    /// an inline `data:` GIF or PNG).
    /// Why it tracks: an image nobody can see exists only to be requested.
    /// Example: `<img src="https://t.example/o/eJwNyr0K…" width="1" height="1">`
    /// Known false positives: spacer GIFs are excluded when they carry no identifier and sit on
    /// the sender's own domain or are plain static files or repeat through the layout.
    TINY_IMAGE = "tiny_image", Pixel;

    /// Hidden image.
    ///
    /// What it detects: a remote image that is not displayed: `display:none`, `visibility:hidden`,
    /// `opacity:0`, `mso-hide:all`, the `hidden` attribute, zero height or width with
    /// `overflow:hidden`, positioned off-screen, scaled to nothing (`transform:scale(0)`) or
    /// clipped to nothing (`clip:rect(0 0 0 0)`, `clip-path:inset(50%)`) — on the image or any
    /// ancestor, by its own style or by a `<style>` rule on its class or id that applies on
    /// every screen (`.p{display:none}`; not one inside a media query with a condition, nor
    /// one that another rule shows again).
    /// Why it tracks: most mail programs fetch hidden images anyway; the request is the signal.
    /// Example: `<div style="display:none"><img src="https://t.example/open?id=AbC…"></div>`
    /// Known false positives: content images of a hidden layout block (a mobile-only copy) are
    /// excluded when they are declared larger than 20 pixels or also shown elsewhere.
    HIDDEN_IMAGE = "hidden_image", Pixel;

    /// Open-tracking URL.
    ///
    /// What it detects: an image whose URL says in words that it records opens
    /// (`/_tracking/email_open/…`, `/track/open?…`) and is not a plain static file.
    /// Why it tracks: the sender names the purpose of the request in its own URL.
    /// Example: `<img src="https://www.shop.example/_tracking/email_open/AbC/x.gif?variant=2">`
    /// Known false positives: an image file named after the word "open" with query parameters.
    OPEN_TRACKING_URL = "open_tracking_url", Pixel;

    /// Per-recipient image.
    ///
    /// What it detects: a normal-sized remote image whose URL carries an identifier (a long
    /// random token, or the reader's address) and either speaks of opens (or is an analytics
    /// hit, `/collect`) or goes to the host the message's tracked links go to.
    /// Why it tracks: an image URL unique to one reader tells the sender that this reader opened.
    /// Example: `<img src="https://email.news.example/o/eJwcyUGOwyAM…" width="600">`
    /// Known false positives: hash-named content images are excluded (they need a token in the
    /// query, a path without a file name, or open words).
    PER_RECIPIENT_IMAGE = "per_recipient_image", Pixel;

    /// Remote image.
    ///
    /// What it detects: any other remote image loaded on open.
    /// Why it tracks: every remote load reveals the reader's IP address, time of reading and mail
    /// program to the image's host; with an identifier (confidence medium) it can also say who.
    /// Example: `<img src="https://cdn.shop.example/hero.jpg" width="600">`
    /// Known false positives: it is a fact, not an accusation: confidence low without identifier.
    REMOTE_IMAGE = "remote_image", RemoteResource;

    /// CSS or background image.
    ///
    /// What it detects: `url()` in a style attribute or `<style>` block (any property), and the
    /// `background` attribute of body, table and cells.
    /// Why it tracks: loaded on open like an image, and invisible to image blockers that only
    /// look at `<img>`.
    /// Example: `<td background="https://t.example/bg.gif?u=AbC…">`
    /// Known false positives: decorative backgrounds (confidence low without identifier).
    CSS_BACKGROUND = "css_background", RemoteResource;

    /// Remote stylesheet.
    ///
    /// What it detects: `<link rel=stylesheet>` and CSS `@import`.
    /// Why it tracks: fetched on open; a stylesheet can itself load further URLs.
    /// Example: `<style>@import url("https://t.example/s.css?r=AbC…");</style>`
    /// Known false positives: shared stylesheets, also when named by a hash of their bytes
    /// (`/assets/<hash>.css`), have confidence low.
    STYLESHEET = "stylesheet", RemoteResource;

    /// Web font.
    ///
    /// What it detects: `@font-face` sources.
    /// Why it tracks: fetched on open from the font host.
    /// Example: `@font-face { src: url(https://fonts.example/brand.woff2) }`
    /// Known false positives: public font services and font files named by a hash of their
    /// bytes (`/s/roboto/v48/KFOMCnq….ttf`, `/res/<sha256>.woff`) have confidence low; a
    /// token in the query or in a folder (`/o/<token>/f.woff2`) makes it medium.
    WEB_FONT = "web_font", RemoteResource;

    /// Audio or video.
    ///
    /// What it detects: `video` posters and sources, `audio`, `source` and `track` sources.
    /// Why it tracks: posters and preloaded media are fetched on open.
    /// Example: `<video poster="https://t.example/p.jpg?id=AbC…">`
    /// Known false positives: plain media (confidence low).
    MEDIA = "media", RemoteResource;

    /// Frame.
    ///
    /// What it detects: `iframe` and `frame` sources (and what an `srcdoc` document loads).
    /// Why it tracks: a frame is a whole page requested on open.
    /// Example: `<iframe src="https://t.example/frame?u=AbC…">`
    /// Known false positives: few; most mail programs block frames.
    IFRAME = "iframe", RemoteResource;

    /// Embedded object.
    ///
    /// What it detects: `object data` and `embed src`.
    /// Why it tracks: requested on open by programs that render them.
    /// Example: `<object data="https://t.example/o.swf">`
    /// Known false positives: few.
    OBJECT_EMBED = "object_embed", RemoteResource;

    /// Prefetch or preconnect hint.
    ///
    /// What it detects: `link rel=prefetch|preload|prerender|dns-prefetch|preconnect|icon`.
    /// Why it tracks: a hint can make the program resolve or contact the host on open.
    /// Example: `<link rel="dns-prefetch" href="//t.example">`
    /// Known false positives: harmless hints (confidence low).
    PREFETCH_HINT = "prefetch_hint", RemoteResource;

    /// Meta refresh.
    ///
    /// What it detects: `<meta http-equiv="refresh" content="0; url=…">`.
    /// Why it tracks: a program that honours it requests the URL on open.
    /// Example: `<meta http-equiv="refresh" content="0; url=https://t.example/r?u=AbC…">`
    /// Known false positives: rare in mail.
    META_REFRESH = "meta_refresh", RemoteResource;

    /// AMP data.
    ///
    /// What it detects: `amp-list` and `amp-state` sources in AMP for Email parts.
    /// Why it tracks: fetched live each time the AMP part is shown.
    /// Example: `<amp-list src="https://t.example/items?u=AbC…">`
    /// Known false positives: live content that is the same for everyone (confidence low).
    AMP_DATA = "amp_data", RemoteResource;

    /// Form action.
    ///
    /// What it detects: the action of a form that carries an identifier or goes through a
    /// redirector (reported as a remote resource: it is requested only on submit).
    /// Why it tracks: the submission is tied to the reader.
    /// Example: `<form action="https://t.example/f?u=AbC…">`
    /// Known false positives: functional forms with their own tokens.
    FORM_ACTION = "form_action", RemoteResource;

    /// Known click-tracking redirector.
    ///
    /// What it detects: a link through an endpoint that a rule identifies as a vendor's click
    /// tracker (`/ls/click?upn=`, `?qs=`, `/CL0/…`, …), on the vendor's host or a branded one.
    /// Why it tracks: the redirector logs who clicked which link, and when, before sending on.
    /// Example: `<a href="https://url1234.shop.example/ls/click?upn=AbC…">`
    /// Known false positives: none expected; public shorteners and security gateways are not
    /// counted as the sender's click tracking.
    KNOWN_REDIRECTOR = "known_redirector", ClickTracking;

    /// Wrapped destination.
    ///
    /// What it detects: a link whose real destination is carried inside it (a parameter or path
    /// segment holding an http(s) URL, percent-encoded, base64 or base64url, nested up to three
    /// levels; or written after the redirector's own data, in clear or inside base64 after a
    /// binary header or under a JSON key such as `href`; or a host and path in one encoded path
    /// segment without the scheme); the unwrapped destination is in `details.destination`.
    /// Why it tracks: a link that carries its destination exists to be requested on the way.
    /// Example: `<a href="https://r.example/c?url=https%3A%2F%2Fshop.example%2Fitem">`
    /// Known false positives: login pages with a `next=` URL (their destinations are usually
    /// relative). A social network's share dialog (`sharer.php?u=<page>`) is not counted: it
    /// names the page to share, and a URL in a token's claims (a JWT's `iss`) is not read as one.
    WRAPPED_DESTINATION = "wrapped_destination", ClickTracking;

    /// Per-recipient link token.
    ///
    /// What it detects: a link with an identifier in its query (not one the link itself needs,
    /// such as a reset code, a meeting passcode or a parcel number, told by the parameter's
    /// name, whole or in part (`code`, `pwd`, `auth_key`, `resetToken`), nor one in a parameter the
    /// rules name as a tracking parameter, such as `mc_eid` or `elqTrackId`: those are
    /// `tracking_parameters`), in a redirector-shaped path (`/c/<token>`), or a chain of
    /// numeric ids after a redirector word (`/cl/1234_md/40/7235/…`). A link whose path names
    /// what it does for the reader with a one-time code (`/verify?t=…`, `/password/reset?id=…`,
    /// `/login/magic?k=…`, `/invitations/accept?i=…`) carries that code, not a click counter;
    /// so does a link with such a secret beside other ids (`/event?eid=<id>&tok=<secret>`),
    /// unless the secret is a signature or key a redirector may sign its links with.
    /// Why it tracks: the identifier tells the sender which reader followed the link.
    /// Example: `<a href="https://links.shop.example/e/evib?_t=62c6a4ea…">`
    /// Known false positives: document and repository URLs (`/document/d/<id>/edit`,
    /// `/commit/<sha>`) are excluded by their shape (a readable word among the segments; short
    /// codes such as `UC+113` beside the token are a redirector's), and unsubscribe/preference
    /// pages by name, in the path (`/unsubscribe/<token>`) or as a query value
    /// (`proc.php?…&act=unsub`).
    LINK_TOKEN = "link_token", ClickTracking;

    /// Hyperlink ping.
    ///
    /// What it detects: the `ping` attribute of a link.
    /// Why it tracks: the program posts to the ping URL when the link is followed.
    /// Example: `<a href="https://shop.example" ping="https://t.example/p?u=AbC…">`
    /// Known false positives: none.
    HYPERLINK_PING = "hyperlink_ping", ClickTracking;

    /// Tracking parameters.
    ///
    /// What it detects: query parameters on a link's destination (after unwrapping) that the
    /// rules name: `utm_*`, `mc_eid`, `_hsenc`, `mkt_tok`, `gclid`, … (`details.params`),
    /// also inside a query string passed on as one parameter's value (the Play Store's
    /// `referrer=utm_source%3D…`, which hands the campaign to the app on install).
    /// Why it tracks: they tell the destination's analytics which campaign, and often which
    /// reader, brought the visit.
    /// Example: `<a href="https://shop.example/?utm_source=newsletter&mc_eid=4f2a9c1e7b">`
    /// Known false positives: parameters the rules list are documented tracking parameters.
    TRACKING_PARAMETERS = "tracking_parameters", LinkDecoration;

    /// The reader's address in plain text.
    ///
    /// What it detects: one of the reader's addresses (To, Cc, Delivered-To, X-Original-To,
    /// `--me`) written in a remote URL. `details.encoding` is `plain` or `percent`.
    /// Why it tracks: whoever receives the request learns the address; a third party is told
    /// who opened or clicked.
    /// Example: `<img src="https://t.example/p?email=reader@example.org">`
    /// Known false positives: the sender's own unsubscribe pages in List-Unsubscribe are skipped.
    /// Whatever the encoding, an address only in a link's `#fragment` (never sent, but read by
    /// the page it opens) has confidence medium, and one in an image's fragment, which nothing
    /// reads, is not reported.
    PLAIN_ADDRESS = "plain_address", AddressLeak;

    /// The reader's address encoded.
    ///
    /// What it detects: the address in base64, base64url or hex, also inside a longer base64
    /// payload, lower-cased or as the headers or `--me` spell it. `details.encoding` says which.
    /// Why it tracks: encoding hides the address from the eye, not from the receiver.
    /// Example: `?d=cmVhZGVyQGV4YW1wbGUub3Jn`
    /// Known false positives: none expected (needles are at least twelve characters).
    ENCODED_ADDRESS = "encoded_address", AddressLeak;

    /// The reader's address hashed.
    ///
    /// What it detects: MD5, SHA-1, SHA-224, SHA-256, SHA-384 or SHA-512 of the lower-cased
    /// address, hex in either case or base64, and one level of nesting; and MD5, SHA-1 or
    /// SHA-256 of the address as the headers or `--me` spell it, when that has capitals.
    /// Why it tracks: a hashed address is a stable identifier that ad-tech and data brokers
    /// match across senders; hashing does not anonymise it.
    /// Example: `?h=5d41402abc4b2a76b9719d911017c592` (MD5 of the address)
    /// Known false positives: none expected.
    HASHED_ADDRESS = "hashed_address", AddressLeak;

    /// Disposition-Notification-To.
    ///
    /// What it detects: the RFC 8098 request for a read receipt, with the address it goes to
    /// (`details.notify`).
    /// Why it tracks: a program that obeys sends the sender a notice when the message is read.
    /// Example: `Disposition-Notification-To: "Sales" <receipts@vendor.example>`
    /// Known false positives: none; whether the program obeys is another matter.
    DISPOSITION_NOTIFICATION_TO = "disposition_notification_to", ReadReceipt;

    /// Return-Receipt-To.
    ///
    /// What it detects: the older, non-standard receipt request header.
    /// Why it tracks: as Disposition-Notification-To.
    /// Example: `Return-Receipt-To: rr@vendor.example`
    /// Known false positives: none.
    RETURN_RECEIPT_TO = "return_receipt_to", ReadReceipt;

    /// X-Confirm-Reading-To.
    ///
    /// What it detects: a client-specific read receipt request.
    /// Why it tracks: as Disposition-Notification-To.
    /// Example: `X-Confirm-Reading-To: <confirm@vendor.example>`
    /// Known false positives: none.
    X_CONFIRM_READING_TO = "x_confirm_reading_to", ReadReceipt;

    /// Read-Receipt-To.
    ///
    /// What it detects: a client-specific read receipt request.
    /// Why it tracks: as Disposition-Notification-To.
    /// Example: `Read-Receipt-To: read@vendor.example`
    /// Known false positives: none.
    READ_RECEIPT_TO = "read_receipt_to", ReadReceipt;

    /// X-PMRQC.
    ///
    /// What it detects: Pegasus Mail's read confirmation request.
    /// Why it tracks: as Disposition-Notification-To.
    /// Example: `X-PMRQC: 1`
    /// Known false positives: none.
    X_PMRQC = "x_pmrqc", ReadReceipt;

    /// Return-Receipt-Requested.
    ///
    /// What it detects: a request for a receipt that names no address.
    /// Why it tracks: the receipt goes to the sender.
    /// Example: `Return-Receipt-Requested: yes`
    /// Known false positives: none.
    RETURN_RECEIPT_REQUESTED = "return_receipt_requested", ReadReceipt;

    /// Generate-Delivery-Report.
    ///
    /// What it detects: the X.400-gateway request for a delivery report.
    /// Why it tracks: the report tells the sender the message arrived.
    /// Example: `Generate-Delivery-Report: yes`
    /// Known false positives: none.
    GENERATE_DELIVERY_REPORT = "generate_delivery_report", ReadReceipt;

    /// Delivery status report.
    ///
    /// What it detects: an RFC 3464 delivery status notification in the archive, one finding per
    /// recipient, with its action, status, diagnostic and the original message.
    /// Why it matters: it is the delivery side of tracking: proof a message reached a mailbox.
    /// Example: `Content-Type: multipart/report; report-type=delivery-status`
    /// Known false positives: none; it describes, it does not accuse.
    DELIVERY_STATUS_REPORT = "delivery_status_report", DeliveryReceipt;

    /// Disposition notification report.
    ///
    /// What it detects: an RFC 8098 message disposition notification (a read receipt) in the
    /// archive, with what happened to which message.
    /// Why it matters: it is a read receipt that was actually sent.
    /// Example: `Disposition: manual-action/MDN-sent-manually; displayed`
    /// Known false positives: none.
    DISPOSITION_NOTIFICATION_REPORT = "disposition_notification_report", DeliveryReceipt;

    /// Sending platform header.
    ///
    /// What it detects: headers that a rule ties to a sending or marketing platform
    /// (`X-Mailgun-Sid`, `X-SES-Outgoing`, `X-SG-EID`, …); one finding per platform.
    /// Why it matters: it names who processed the mail, and so who holds the tracking data.
    /// Example: `X-Mailgun-Sid: WyI0ZjM2In0=`
    /// Known false positives: forged headers in spam name a platform that never saw the mail.
    PLATFORM_HEADER = "platform_header", EspHeader;
}

/// The technique with this id.
pub fn find(id: &str) -> Option<&'static Technique> {
    ALL.iter().find(|technique| technique.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_technique_is_documented_in_all_four_sections_and_ids_are_unique() {
        let mut ids: Vec<&str> = ALL.iter().map(|t| t.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), ALL.len());
        for technique in ALL {
            for section in ["What it detects:", "Example:", "Known false positives:"] {
                assert!(
                    technique.doc.contains(section),
                    "{} lacks {section}",
                    technique.id
                );
            }
        }
    }
}
