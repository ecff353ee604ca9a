//! What the engine can insert, one entry per technique, each mapped to the detector's technique
//! id and the kind a correct detector reports. Every way the detector knows of loading a URL when
//! a message is opened is here, so that each is measured on its own.

use crate::finding::Kind;

/// Where an inserted element goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    /// Inside `<head>` (stylesheets, hints, meta refresh, `<style>` blocks).
    Head,
    /// Before `</body>`.
    Body,
    /// In a `text/x-amp-html` part (AMP for Email).
    Amp,
}

/// One way of making the mail program request a URL on open.
#[derive(Debug, Clone, Copy)]
pub struct Beacon {
    /// The engine's id (`--technique`).
    pub id: &'static str,
    /// The detector's technique id for this shape (see `mailtrace explain --list`).
    pub detector: &'static str,
    /// The kind the detector's technique carries.
    pub kind: Kind,
    pub place: Place,
    /// File extension of the default style's URL, so the server answers with the right type.
    pub ext: &'static str,
    /// The markup; `{U}` is the URL (already HTML-escaped), `{N}` the item id.
    pub html: &'static str,
    pub summary: &'static str,
}

impl Beacon {
    /// Kinds that count as a correct detection. A beacon loaded by CSS, a frame or a stylesheet
    /// is a `remote_resource`; a detector that recognises the per-recipient URL and calls it a
    /// `pixel` is stricter, not wrong. An image beacon must be called a pixel.
    pub fn accepted_kinds(&self) -> Vec<Kind> {
        match self.kind {
            Kind::RemoteResource => vec![Kind::RemoteResource, Kind::Pixel],
            kind => vec![kind],
        }
    }

    pub fn render(&self, url: &str, item: &str) -> String {
        self.html.replace("{U}", url).replace("{N}", item)
    }
}

macro_rules! beacons {
    ($( $name:ident: $id:literal => $detector:literal, $kind:ident, $place:ident, $ext:literal, $html:literal, $summary:literal; )*) => {
        /// Every beacon technique, in the order the evaluation lists them.
        pub const BEACONS: &[Beacon] = &[$(Beacon {
            id: $id,
            detector: $detector,
            kind: Kind::$kind,
            place: Place::$place,
            ext: $ext,
            html: $html,
            summary: $summary,
        }),*];
    };
}

beacons! {
    TINY_ATTR: "tiny_image_attr" => "tiny_image", Pixel, Body, "gif",
        r#"<img src="{U}" width="1" height="1" alt="" border="0">"#,
        "1x1 image sized by attributes";
    TINY_CSS: "tiny_image_css" => "tiny_image", Pixel, Body, "gif",
        r#"<img src="{U}" alt="" style="width:1px;height:1px;border:0">"#,
        "1x1 image sized by inline CSS";
    TINY_ZERO: "tiny_image_zero" => "tiny_image", Pixel, Body, "gif",
        r#"<img src="{U}" alt="" width="0" height="0" style="max-height:0pt">"#,
        "0x0 image";
    HIDDEN_DISPLAY: "hidden_display_none" => "hidden_image", Pixel, Body, "gif",
        r#"<div style="display:none"><img src="{U}" alt=""></div>"#,
        "image inside a display:none block";
    HIDDEN_VISIBILITY: "hidden_visibility" => "hidden_image", Pixel, Body, "gif",
        r#"<img src="{U}" alt="" style="visibility:hidden">"#,
        "image with visibility:hidden";
    HIDDEN_OPACITY: "hidden_opacity" => "hidden_image", Pixel, Body, "gif",
        r#"<img src="{U}" alt="" style="opacity:0">"#,
        "image with opacity:0";
    HIDDEN_OFFSCREEN: "hidden_offscreen" => "hidden_image", Pixel, Body, "gif",
        r#"<img src="{U}" alt="" style="position:absolute;left:-9999px;top:-9999px">"#,
        "image positioned off-screen";
    HIDDEN_CLASS: "hidden_class" => "hidden_image", Pixel, Body, "gif",
        r#"<style>.mt-h{N}{display:none}</style><img class="mt-h{N}" src="{U}" alt="">"#,
        "image hidden by a class rule in a <style> block";
    HIDDEN_SCALED: "hidden_scaled" => "hidden_image", Pixel, Body, "gif",
        r#"<img src="{U}" alt="" style="transform:scale(0)">"#,
        "image scaled to nothing by transform:scale(0)";
    HIDDEN_CLIPPED: "hidden_clipped" => "hidden_image", Pixel, Body, "gif",
        r#"<img src="{U}" alt="" style="position:absolute;clip:rect(0 0 0 0)">"#,
        "image clipped to nothing (the visually-hidden style)";
    HIDDEN_COLLAPSED: "hidden_collapsed" => "hidden_image", Pixel, Body, "gif",
        r#"<div style="max-height:0;overflow:hidden;mso-hide:all"><img src="{U}" alt=""></div>"#,
        "image in a zero-height overflow:hidden block (preheader style)";
    CSS_STYLE: "css_background_style" => "css_background", RemoteResource, Head, "gif",
        r#"<style type="text/css">.mt-{N}{background-image:url('{U}')}</style>"#,
        "background-image in a <style> block";
    CSS_INLINE: "css_background_inline" => "css_background", RemoteResource, Body, "gif",
        r#"<table role="presentation"><tr><td style="background-image:url('{U}');font-size:1px">&nbsp;</td></tr></table>"#,
        "background-image in a style attribute";
    BACKGROUND_ATTR: "background_attribute" => "css_background", RemoteResource, Body, "gif",
        r#"<table role="presentation" background="{U}"><tr><td>&nbsp;</td></tr></table>"#,
        "background attribute of a table";
    VML: "vml_fill" => "css_background", RemoteResource, Body, "gif",
        r##"<!--[if mso]><v:rect xmlns:v="urn:schemas-microsoft-com:vml" fill="true" stroke="false" style="width:600px;height:10px"><v:fill type="tile" src="{U}" color="#ffffff"/></v:rect><![endif]-->"##,
        "Outlook VML fill inside a conditional comment";
    STYLESHEET_LINK: "stylesheet_link" => "stylesheet", RemoteResource, Head, "css",
        r#"<link rel="stylesheet" type="text/css" href="{U}">"#,
        "<link rel=stylesheet>";
    STYLESHEET_IMPORT: "stylesheet_import" => "stylesheet", RemoteResource, Head, "css",
        r#"<style type="text/css">@import url("{U}");</style>"#,
        "CSS @import";
    WEB_FONT: "web_font" => "web_font", RemoteResource, Head, "woff2",
        r#"<style type="text/css">@font-face{font-family:'Mt{N}';src:url('{U}') format('woff2')}.mt-{N}{font-family:'Mt{N}',sans-serif}</style>"#,
        "@font-face source";
    VIDEO_POSTER: "video_poster" => "media", RemoteResource, Body, "gif",
        r#"<video poster="{U}" width="1" height="1" muted></video>"#,
        "video poster image";
    AUDIO: "audio_source" => "media", RemoteResource, Body, "mp3",
        r#"<audio src="{U}" preload="auto"></audio>"#,
        "preloaded audio";
    IFRAME: "iframe" => "iframe", RemoteResource, Body, "html",
        r#"<iframe src="{U}" width="1" height="1" frameborder="0" style="border:0"></iframe>"#,
        "1x1 frame";
    OBJECT: "object_data" => "object_embed", RemoteResource, Body, "html",
        r#"<object data="{U}" width="1" height="1"></object>"#,
        "embedded object";
    PREFETCH: "prefetch" => "prefetch_hint", RemoteResource, Head, "gif",
        r#"<link rel="prefetch" href="{U}">"#,
        "prefetch hint";
    META_REFRESH: "meta_refresh" => "meta_refresh", RemoteResource, Head, "html",
        r#"<meta http-equiv="refresh" content="86400; url={U}">"#,
        "meta refresh (after a day)";
    SRCSET: "srcset" => "tiny_image", Pixel, Body, "gif",
        r#"<img srcset="{U} 1x, {U} 2x" width="1" height="1" alt="">"#,
        "1x1 image given only by srcset";
    PICTURE: "picture_source" => "per_recipient_image", Pixel, Body, "gif",
        r#"<picture><source srcset="{U}" type="image/gif"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACH5BAEAAAAALAAAAAABAAEAAAIBRAA7" alt=""></picture>"#,
        "<picture> source";
    SVG_IMAGE: "svg_image" => "tiny_image", Pixel, Body, "gif",
        r#"<svg width="1" height="1" xmlns="http://www.w3.org/2000/svg"><image href="{U}" width="1" height="1"/></svg>"#,
        "SVG <image>";
    INPUT_IMAGE: "input_image" => "tiny_image", Pixel, Body, "gif",
        r#"<input type="image" src="{U}" width="1" height="1" alt="">"#,
        "image input";
    AMP_IMG: "amp_img" => "tiny_image", Pixel, Amp, "gif",
        r#"<amp-img src="{U}" width="1" height="1" alt=""></amp-img>"#,
        "1x1 amp-img in the AMP part";
    AMP_LIST: "amp_list" => "amp_data", RemoteResource, Amp, "json",
        r#"<amp-list src="{U}" width="1" height="1" layout="fixed"><template type="amp-mustache">{{x}}</template></amp-list>"#,
        "amp-list data source in the AMP part";
}

/// Link techniques: `click_redirect` rewrites each link through the redirector; `hyperlink_ping`
/// adds a `ping` URL that the program posts to when the link is followed.
pub const CLICK_REDIRECT: &str = "click_redirect";
pub const HYPERLINK_PING: &str = "hyperlink_ping";
pub const LINK_TECHNIQUES: &[(&str, &str)] = &[
    (
        CLICK_REDIRECT,
        "links rewritten through the redirector (token and link id)",
    ),
    (HYPERLINK_PING, "ping attribute on each link"),
];

pub fn beacon(id: &str) -> Option<&'static Beacon> {
    BEACONS.iter().find(|b| b.id == id)
}

/// Whether `id` is a technique `--technique` accepts.
pub fn is_known(id: &str) -> bool {
    beacon(id).is_some() || LINK_TECHNIQUES.iter().any(|(l, _)| *l == id)
}

/// Every id `--technique` accepts, for help and errors.
pub fn all_ids() -> Vec<&'static str> {
    BEACONS
        .iter()
        .map(|b| b.id)
        .chain(LINK_TECHNIQUES.iter().map(|(id, _)| *id))
        .collect()
}

/// Receipt request headers (`--receipts`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Receipt {
    Dnt,
    Rrt,
    Xcrt,
}

impl Receipt {
    pub const ALL: [Receipt; 3] = [Receipt::Dnt, Receipt::Rrt, Receipt::Xcrt];

    pub fn parse(name: &str) -> Option<Receipt> {
        match name.trim().to_ascii_lowercase().as_str() {
            "dnt" | "disposition-notification-to" => Some(Receipt::Dnt),
            "rrt" | "return-receipt-to" => Some(Receipt::Rrt),
            "xcrt" | "x-confirm-reading-to" => Some(Receipt::Xcrt),
            _ => None,
        }
    }

    pub fn id(self) -> &'static str {
        match self {
            Receipt::Dnt => "dnt",
            Receipt::Rrt => "rrt",
            Receipt::Xcrt => "xcrt",
        }
    }

    pub fn header(self) -> &'static str {
        match self {
            Receipt::Dnt => "Disposition-Notification-To",
            Receipt::Rrt => "Return-Receipt-To",
            Receipt::Xcrt => "X-Confirm-Reading-To",
        }
    }

    /// The detector's technique id.
    pub fn detector(self) -> &'static str {
        match self {
            Receipt::Dnt => "disposition_notification_to",
            Receipt::Rrt => "return_receipt_to",
            Receipt::Xcrt => "x_confirm_reading_to",
        }
    }
}

/// How the reader's address is leaked into tracking URLs (`--leak`), named as the detector
/// names encodings in `details.encoding`.
pub const LEAK_ENCODINGS: &[&str] = &[
    "plain",
    "percent",
    "base64",
    "base64url",
    "hex",
    "md5",
    "sha1",
    "sha256",
    "sha512",
];

/// The address in `encoding`, ready to be put in a query string.
pub fn leak_value(address: &str, encoding: &str) -> Option<String> {
    use base64::Engine;
    use sha2::Digest;
    let bytes = address.as_bytes();
    Some(match encoding {
        "plain" => address.to_owned(),
        "percent" => address.replace('@', "%40"),
        "base64" => base64::engine::general_purpose::STANDARD_NO_PAD.encode(bytes),
        "base64url" => base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes),
        "hex" => hex::encode(bytes),
        "md5" => hex::encode(md5::Md5::digest(bytes)),
        "sha1" => hex::encode(sha1::Sha1::digest(bytes)),
        "sha256" => hex::encode(sha2::Sha256::digest(bytes)),
        "sha512" => hex::encode(sha2::Sha512::digest(bytes)),
        _ => return None,
    })
}

/// The detector's technique id for a leak encoding.
pub fn leak_detector(encoding: &str) -> &'static str {
    match encoding {
        "plain" | "percent" => "plain_address",
        "md5" | "sha1" | "sha256" | "sha512" => "hashed_address",
        _ => "encoded_address",
    }
}
