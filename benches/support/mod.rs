//! Inputs shared by the micro-benchmarks: a newsletter (HTML, plain text, whole message), an
//! mbox of such messages with some personal mail, and a list of URLs. Everything is generated
//! here from a seed, so a run measures the same bytes every time and needs no files.
//!
//! The shapes follow `scripts/gen_archive.py` (which feeds the whole-program benchmark): 600 px
//! table layouts with inline styles, a `<style>` block with media queries, Outlook conditional
//! comments, a hidden preheader, links through an ESP's click-tracking redirect with `utm_`
//! parameters, and a 1×1 open pixel. The code is separate and simpler; the two do not need to
//! produce the same bytes.

// Each bench binary compiles this module and uses only part of it.
#![allow(dead_code)]

use std::fmt::Write as _;

/// The shipped binary's allocator (src/main.rs), so the benchmarks time what users run: with
/// the system allocator the mbox splitter's read chunks are mapped and unmapped afresh for
/// every archive, and page faults were most of its time.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// splitmix64: small, fast, and the same sequence on every platform.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn string_of(&mut self, alphabet: &[u8], n: usize) -> String {
        (0..n)
            .map(|_| alphabet[self.below(alphabet.len())] as char)
            .collect()
    }

    pub fn alnum(&mut self, n: usize) -> String {
        self.string_of(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789",
            n,
        )
    }

    pub fn hex(&mut self, n: usize) -> String {
        self.string_of(b"0123456789abcdef", n)
    }

    pub fn digits(&mut self, n: usize) -> String {
        self.string_of(b"0123456789", n)
    }

    /// URL-safe base64 alphabet, as in most ESP tokens.
    pub fn token(&mut self, n: usize) -> String {
        self.string_of(
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
            n,
        )
    }
}

const WORDS: &[&str] = &[
    "the",
    "new",
    "season",
    "collection",
    "is",
    "here",
    "and",
    "we",
    "think",
    "you",
    "will",
    "love",
    "it",
    "our",
    "team",
    "spent",
    "months",
    "testing",
    "every",
    "detail",
    "from",
    "fabric",
    "to",
    "fit",
    "so",
    "that",
    "your",
    "weekend",
    "plans",
    "feel",
    "easy",
    "discover",
    "fresh",
    "ideas",
    "for",
    "home",
    "garden",
    "kitchen",
    "travel",
    "coffee",
    "running",
    "cycling",
    "recipes",
    "stories",
    "members",
    "save",
    "today",
    "only",
    "limited",
    "edition",
    "free",
    "delivery",
    "on",
    "orders",
    "over",
    "community",
    "events",
    "near",
    "city",
    "guide",
    "best",
    "sellers",
    "back",
    "in",
    "stock",
    "inspired",
    "by",
    "nature",
    "made",
    "with",
    "care",
    "sustainable",
    "materials",
    "handpicked",
    "week",
    "update",
    "news",
    "report",
    "café",
    "naïve",
    "crème",
    "€25",
    "it’s",
    "you’re",
    "—",
];

fn words(r: &mut Rng, n: usize) -> String {
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(' ');
        }
        let word = *r.pick(WORDS);
        s.push_str(word);
    }
    s
}

fn sentence(r: &mut Rng) -> String {
    let n = r.range(6, 16);
    let mut s = words(r, n);
    if let Some(first) = s.get(..1) {
        let upper = first.to_uppercase();
        s.replace_range(..1, &upper);
    }
    s.push('.');
    s
}

fn paragraph(r: &mut Rng, lo: usize, hi: usize) -> String {
    let n = r.range(lo, hi);
    (0..n).map(|_| sentence(r)).collect::<Vec<_>>().join(" ")
}

fn title(r: &mut Rng) -> String {
    let n = r.range(3, 7);
    words(r, n)
        .split(' ')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// `&`, `<`, `>` and `"` as entities, for attribute values and text.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The ESPs whose click and open URLs a newsletter can use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Esp {
    SendGrid,
    Mailchimp,
    AmazonSes,
    HubSpot,
}

const ESPS: &[Esp] = &[Esp::SendGrid, Esp::Mailchimp, Esp::AmazonSes, Esp::HubSpot];

/// One sender: a brand on an `.example` domain, bound to one ESP.
struct Brand {
    name: String,
    domain: String,
    esp: Esp,
    /// Account-wide ids the ESP puts in every URL.
    account: String,
    list: String,
}

impl Brand {
    fn new(r: &mut Rng) -> Brand {
        let stem = *r.pick(&[
            "northwind",
            "bluepeak",
            "fernandco",
            "harbourlight",
            "oakandmoss",
            "tidewater",
            "copperkettle",
            "lumen",
            "wildthyme",
            "velo",
        ]);
        Brand {
            name: format!("{}{}", stem[..1].to_uppercase(), &stem[1..]),
            domain: format!("{stem}.example"),
            esp: *r.pick(ESPS),
            account: r.hex(25),
            list: r.hex(10),
        }
    }

    /// The destination page, with the usual campaign parameters.
    fn destination(&self, r: &mut Rng, path: &str) -> String {
        let campaign = format!("spring-{}", r.digits(3));
        let mut url = format!("https://www.{}/{path}", self.domain);
        if r.chance(85) {
            let _ = write!(
                url,
                "?utm_source=newsletter&utm_medium=email&utm_campaign={campaign}&utm_content={}",
                r.alnum(6).to_lowercase()
            );
        }
        url
    }

    /// The destination wrapped in the ESP's click-tracking redirect.
    fn click(&self, r: &mut Rng, path: &str) -> String {
        let dest = self.destination(r, path);
        match self.esp {
            Esp::SendGrid => {
                let len = r.range(180, 320);
                format!(
                    "https://u{}.ct.sendgrid.net/ls/click?upn={}",
                    r.digits(7),
                    r.token(len)
                )
            }
            Esp::Mailchimp => format!(
                "https://{}.us{}.list-manage.com/track/click?u={}&id={}&e={}",
                self.name.to_lowercase(),
                r.range(1, 21),
                self.account,
                r.hex(10),
                r.hex(10)
            ),
            Esp::AmazonSes => format!(
                "https://{}.r.us-east-1.awstrack.me/L0/{}/1/0100018e{}-{}-000000/{}=368",
                r.alnum(6).to_lowercase(),
                percent_encode(&dest),
                r.hex(8),
                r.hex(32),
                r.token(27)
            ),
            Esp::HubSpot => {
                let len = r.range(120, 260);
                format!(
                    "https://d{}.na1.hubspotlinks.com/Ctc/{}/{}/{}",
                    r.alnum(7).to_lowercase(),
                    r.alnum(2),
                    r.token(12),
                    r.token(len)
                )
            }
        }
    }

    fn open_pixel(&self, r: &mut Rng) -> String {
        match self.esp {
            Esp::SendGrid => format!(
                "https://u{}.ct.sendgrid.net/wf/open?upn={}",
                r.digits(7),
                r.token(240)
            ),
            Esp::Mailchimp => format!(
                "https://{}.us{}.list-manage.com/track/open.php?u={}&id={}&e={}",
                self.name.to_lowercase(),
                r.range(1, 21),
                self.account,
                r.hex(10),
                r.hex(10)
            ),
            Esp::AmazonSes => format!(
                "https://{}.r.us-east-1.awstrack.me/I0/0100018e{}-{}-000000/{}=368",
                r.alnum(6).to_lowercase(),
                r.hex(8),
                r.hex(32),
                r.token(27)
            ),
            Esp::HubSpot => format!(
                "https://t.hubspotemail.net/e2t/to/{}/{}",
                r.alnum(2),
                r.token(140)
            ),
        }
    }

    fn image(&self, r: &mut Rng, what: &str) -> String {
        match r.below(3) {
            0 => format!(
                "https://cdn.{}/email/{}/{what}-{}.jpg",
                self.domain,
                r.digits(4),
                r.alnum(8)
            ),
            1 => format!(
                "https://images.{}/is/image/{}?wid=600&fmt=jpeg&qlt=80",
                self.domain,
                r.alnum(12)
            ),
            _ => format!(
                "https://d{}.cloudfront.net/{}/{what}.png",
                r.alnum(13).to_lowercase(),
                r.hex(8)
            ),
        }
    }
}

/// Percent-encodes everything but unreserved characters (for URLs inside URLs).
fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// One generated newsletter.
pub struct Newsletter {
    pub html: String,
    pub text: String,
    pub subject: String,
    pub from_name: String,
    pub from_address: String,
    pub esp: Esp,
    /// `<a href>` and VML `href` links written (some are the same URL).
    pub links: usize,
    /// `<img>` elements written, the pixel included.
    pub images: usize,
}

const STYLE_BLOCK: &str = r##"<style type="text/css">
  body, table, td, a { -webkit-text-size-adjust: 100%; -ms-text-size-adjust: 100%; }
  table, td { mso-table-lspace: 0pt; mso-table-rspace: 0pt; border-collapse: collapse; }
  img { -ms-interpolation-mode: bicubic; border: 0; height: auto; line-height: 100%; outline: none; text-decoration: none; }
  a[x-apple-data-detectors] { color: inherit !important; text-decoration: none !important; font-size: inherit !important; font-family: inherit !important; font-weight: inherit !important; line-height: inherit !important; }
  u + #body a { color: inherit; text-decoration: none; font-size: inherit; font-family: inherit; font-weight: inherit; line-height: inherit; }
  #MessageViewBody a { color: inherit; text-decoration: none; font-size: inherit; font-family: inherit; font-weight: inherit; line-height: inherit; }
  .button-td, .button-a { transition: all 100ms ease-in; }
  .button-td-primary:hover, .button-a-primary:hover { background: #1a5d3a !important; border-color: #1a5d3a !important; }
  @media screen and (max-width: 600px) {
    .email-container { width: 100% !important; margin: auto !important; }
    .fluid { max-width: 100% !important; height: auto !important; margin-left: auto !important; margin-right: auto !important; }
    .stack-column, .stack-column-center { display: block !important; width: 100% !important; max-width: 100% !important; direction: ltr !important; }
    .stack-column-center { text-align: center !important; }
    .center-on-narrow { text-align: center !important; display: block !important; margin-left: auto !important; margin-right: auto !important; float: none !important; }
    table.center-on-narrow { display: inline-block !important; }
    .email-container p { font-size: 17px !important; line-height: 26px !important; }
    .hide-mobile { display: none !important; max-height: 0 !important; overflow: hidden !important; }
  }
  @media (prefers-color-scheme: dark) {
    .darkmode-bg { background-color: #111111 !important; }
    .darkmode-text { color: #eeeeee !important; }
  }
</style>
"##;

const TD_TEXT: &str = "padding: 0 40px 20px; font-family: 'Helvetica Neue', Helvetica, Arial, sans-serif; font-size: 15px; line-height: 22px; color: #333333; mso-line-height-rule: exactly;";

/// A newsletter of about 40 KB of HTML: 8 articles, 6 products, social icons, a footer, and a
/// 1×1 open pixel at the bottom. About 60 links and 22 images.
pub fn newsletter(seed: u64) -> Newsletter {
    let r = &mut Rng::new(seed);
    let b = Brand::new(r);
    let mut h = String::with_capacity(48 * 1024);
    let mut t = String::with_capacity(12 * 1024);
    let mut links = 0;
    let mut images = 0;
    let subject = title(r);

    h.push_str(r##"<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" lang="en">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="x-apple-disable-message-reformatting">
<meta name="format-detection" content="telephone=no,address=no,email=no,date=no,url=no">
"##);
    let _ = writeln!(h, "<title>{}</title>", esc(&subject));
    h.push_str(r##"<!--[if mso]>
<noscript><xml><o:OfficeDocumentSettings><o:AllowPNG/><o:PixelsPerInch>96</o:PixelsPerInch></o:OfficeDocumentSettings></xml></noscript>
<style>* { font-family: Arial, sans-serif !important; } table, td { border-collapse: collapse; }</style>
<![endif]-->
<!--[if !mso]><!-->
<link href="https://fonts.googleapis.com/css2?family=Inter:wght@400;600;700&display=swap" rel="stylesheet" type="text/css">
<!--<![endif]-->
"##);
    h.push_str(STYLE_BLOCK);
    h.push_str("</head>\n");
    h.push_str(r##"<body id="body" class="darkmode-bg" style="margin: 0; padding: 0 !important; mso-line-height-rule: exactly; background-color: #f2f2f2;">
<center role="article" aria-roledescription="email" lang="en" style="width: 100%; background-color: #f2f2f2;">
"##);
    // Hidden preheader.
    let _ = writeln!(
        h,
        r##"<div style="display: none; font-size: 1px; line-height: 1px; max-height: 0px; max-width: 0px; opacity: 0; overflow: hidden; mso-hide: all; font-family: sans-serif;">{}&zwnj;&nbsp;&zwnj;&nbsp;&zwnj;&nbsp;&zwnj;&nbsp;&zwnj;&nbsp;&zwnj;&nbsp;&zwnj;&nbsp;</div>"##,
        esc(&words(r, 14))
    );
    h.push_str(r##"<!--[if mso | IE]><table role="presentation" border="0" cellpadding="0" cellspacing="0" width="600" align="center" style="width:600px;"><tr><td><![endif]-->
<table role="presentation" cellspacing="0" cellpadding="0" border="0" width="600" align="center" class="email-container" style="margin: 0 auto; width: 600px; max-width: 600px; background-color: #ffffff;">
"##);

    // View online + logo.
    let online = b.click(r, "newsletter/online");
    links += 1;
    let _ = writeln!(
        h,
        r##"<tr><td style="padding: 12px 40px; text-align: right; font-family: sans-serif; font-size: 11px; color: #888888;" class="hide-mobile"><a href="{}" target="_blank" style="color: #888888; text-decoration: underline;">View this email in your browser</a></td></tr>"##,
        esc(&online)
    );
    let _ = writeln!(t, "View this email in your browser: {online}\n");
    let logo_link = b.click(r, "");
    let logo = b.image(r, "logo");
    links += 1;
    images += 1;
    let _ = writeln!(
        h,
        r##"<tr><td style="padding: 24px 0; text-align: center;"><a href="{}" target="_blank"><img src="{}" width="180" height="48" alt="{}" border="0" style="height: auto; width: 180px; max-width: 180px; font-family: sans-serif; font-size: 15px; line-height: 15px; color: #555555; display: block; margin: 0 auto;"></a></td></tr>"##,
        esc(&logo_link),
        esc(&logo),
        esc(&b.name)
    );

    // Hero with a bulletproof button (VML for Outlook).
    let hero = b.image(r, "hero");
    let cta = b.click(r, "collections/new");
    images += 1;
    links += 2;
    let headline = title(r);
    let intro = paragraph(r, 3, 5);
    let _ = write!(
        h,
        r##"<tr><td style="background-color: #ffffff;"><img src="{hero}" width="600" height="320" alt="" border="0" style="width: 100%; max-width: 600px; height: auto; display: block; margin: auto;" class="fluid"></td></tr>
<tr><td class="darkmode-text" style="padding: 32px 40px 12px; font-family: sans-serif; font-size: 28px; line-height: 34px; color: #111111; font-weight: bold;"><h1 style="margin: 0; font-size: 28px;">{}</h1></td></tr>
<tr><td class="darkmode-text" style="{TD_TEXT}"><p style="margin: 0 0 12px;">{}</p></td></tr>
<tr><td style="padding: 0 40px 32px;" align="center">
<!--[if mso]><v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w="urn:schemas-microsoft-com:office:word" href="{cta}" style="height:48px;v-text-anchor:middle;width:220px;" arcsize="10%" strokecolor="#1f7a4c" fillcolor="#1f7a4c"><w:anchorlock/><center style="color:#ffffff;font-family:sans-serif;font-size:16px;font-weight:bold;">Shop the collection</center></v:roundrect><![endif]-->
<!--[if !mso]><!--><table role="presentation" cellspacing="0" cellpadding="0" border="0" style="margin: auto;"><tr><td class="button-td button-td-primary" style="border-radius: 4px; background: #1f7a4c;"><a class="button-a button-a-primary" href="{cta}" target="_blank" style="background: #1f7a4c; border: 1px solid #1f7a4c; font-family: sans-serif; font-size: 16px; line-height: 16px; text-decoration: none; padding: 15px 28px; color: #ffffff; display: block; border-radius: 4px; font-weight: bold;">Shop the collection</a></td></tr></table><!--<![endif]-->
</td></tr>
"##,
        esc(&headline),
        esc(&intro),
        hero = esc(&hero),
        cta = esc(&cta),
    );
    let _ = writeln!(t, "{headline}\n\n{intro}\n\nShop the collection: {cta}\n");

    // Articles: image, linked title, text with inline links, "read more".
    for i in 0..8 {
        let img = b.image(r, "article");
        let slug = format!("journal/{}", r.alnum(10).to_lowercase());
        let img_link = b.click(r, &slug);
        let head_link = b.click(r, &slug);
        let more = b.click(r, &format!("{slug}#more"));
        let head = title(r);
        let story = format!("stories/{}", r.alnum(8).to_lowercase());
        let inline = b.click(r, &story);
        let inline_text = words(r, 3);
        let before = paragraph(r, 2, 3);
        let after = paragraph(r, 1, 3);
        images += 1;
        links += 4;
        let (w, hgt) = if i % 2 == 0 { (520, 260) } else { (240, 180) };
        let _ = write!(
            h,
            r##"<tr><td style="padding: 0 40px 16px;"><a href="{}" target="_blank"><img src="{}" width="{w}" height="{hgt}" alt="{}" border="0" style="width: 100%; max-width: {w}px; height: auto; display: block; background: #dddddd;" class="fluid"></a></td></tr>
<tr><td class="darkmode-text" style="padding: 0 40px 8px; font-family: sans-serif; font-size: 20px; line-height: 26px; font-weight: bold;"><a href="{}" target="_blank" style="color: #111111; text-decoration: none;">{}</a></td></tr>
<tr><td class="darkmode-text" style="{TD_TEXT}"><p style="margin: 0;">{} <a href="{}" target="_blank" style="color: #1f7a4c; text-decoration: underline;">{}</a>. {}</p>
<p style="margin: 12px 0 0;"><a href="{}" target="_blank" style="color: #1f7a4c; font-weight: bold; text-decoration: none;">Read more &rarr;</a></p></td></tr>
"##,
            esc(&img_link),
            esc(&img),
            esc(&head),
            esc(&head_link),
            esc(&head),
            esc(&before),
            esc(&inline),
            esc(&inline_text),
            esc(&after),
            esc(&more),
        );
        let _ = writeln!(
            t,
            "{head}\n{head_link}\n\n{before} {inline_text} ( {inline} ). {after}\n\nRead more: {more}\n"
        );
    }

    // Product grid: two columns, three rows.
    h.push_str("<tr><td style=\"padding: 8px 30px 24px;\">\n<table role=\"presentation\" cellspacing=\"0\" cellpadding=\"0\" border=\"0\" width=\"100%\">\n");
    for row in 0..3 {
        h.push_str("<tr>\n");
        for _ in 0..2 {
            let img = b.image(r, "product");
            let path = format!("products/{}", r.alnum(9).to_lowercase());
            let link = b.click(r, &path);
            let name = title(r);
            let price = format!("€{}.{:02}", r.range(9, 240), r.below(100));
            images += 1;
            links += 2;
            let _ = write!(
                h,
                r##"<td class="stack-column-center" width="50%" valign="top" style="padding: 10px;"><a href="{link}" target="_blank"><img src="{}" width="250" height="250" alt="{}" border="0" style="width: 100%; max-width: 250px; height: auto; display: block;" class="center-on-narrow"></a>
<p style="margin: 10px 0 4px; font-family: sans-serif; font-size: 15px; line-height: 20px; color: #111111;">{}</p><p style="margin: 0 0 8px; font-family: sans-serif; font-size: 15px; color: #1f7a4c; font-weight: bold;">{}</p><a href="{link}" target="_blank" style="font-family: sans-serif; font-size: 13px; color: #555555;">View product</a></td>
"##,
                esc(&img),
                esc(&name),
                esc(&name),
                esc(&price),
                link = esc(&link),
            );
            let _ = writeln!(t, "{name} – {price}: {link}");
        }
        h.push_str("</tr>\n");
        if row == 1 {
            h.push_str("<!--[if mso]></table><table role=\"presentation\" cellspacing=\"0\" cellpadding=\"0\" border=\"0\" width=\"100%\"><![endif]-->\n");
        }
    }
    h.push_str("</table>\n</td></tr>\n");

    // Social icons.
    h.push_str("<tr><td style=\"padding: 16px 40px; text-align: center;\" align=\"center\">\n");
    for network in ["facebook", "instagram", "x", "youtube", "pinterest"] {
        let link = b.click(r, &format!("social/{network}"));
        let icon = format!(
            "https://cdn.{}/email/icons/{network}-circle-grey-48.png",
            b.domain
        );
        images += 1;
        links += 1;
        let _ = writeln!(
            h,
            r##"<a href="{}" target="_blank" style="display: inline-block; padding: 0 6px;"><img src="{}" width="24" height="24" alt="{network}" border="0" style="display: inline-block; width: 24px; height: 24px;"></a>"##,
            esc(&link),
            esc(&icon)
        );
    }
    h.push_str("</td></tr>\n");

    // Footer.
    let prefs = b.click(r, "account/preferences");
    let privacy = b.click(r, "privacy");
    let help = b.click(r, "help");
    let unsub = format!(
        "https://www.{}/unsubscribe?u={}&id={}&e={}",
        b.domain,
        b.account,
        b.list,
        r.hex(10)
    );
    links += 4;
    let address = format!(
        "{} Ltd, {} Harbour Street, Unit {}, 1000 Example City",
        b.name,
        r.range(1, 200),
        r.range(1, 40)
    );
    let _ = write!(
        h,
        r##"<tr><td class="darkmode-text" style="padding: 24px 40px 32px; font-family: sans-serif; font-size: 12px; line-height: 18px; text-align: center; color: #888888; background-color: #fafafa;">
<p style="margin: 0 0 8px;">You are receiving this email because you signed up at {}. {}</p>
<p style="margin: 0 0 8px;"><a href="{}" style="color: #888888; text-decoration: underline;">Update your preferences</a> &middot; <a href="{}" style="color: #888888; text-decoration: underline;">Unsubscribe</a> &middot; <a href="{}" style="color: #888888; text-decoration: underline;">Privacy</a> &middot; <a href="{}" style="color: #888888; text-decoration: underline;">Help</a></p>
<p style="margin: 0;">{}</p>
</td></tr>
</table>
<!--[if mso | IE]></td></tr></table><![endif]-->
"##,
        esc(&b.domain),
        esc(&paragraph(r, 1, 2)),
        esc(&prefs),
        esc(&unsub),
        esc(&privacy),
        esc(&help),
        esc(&address)
    );
    let _ = writeln!(
        t,
        "\nPreferences: {prefs}\nUnsubscribe: {unsub}\nPrivacy: {privacy}\nHelp: {help}\n\n{address}"
    );

    // The open pixel.
    let pixel = b.open_pixel(r);
    images += 1;
    let _ = writeln!(
        h,
        r##"<img src="{}" alt="" width="1" height="1" border="0" style="height:1px !important;width:1px !important;border-width:0 !important;margin-top:0 !important;margin-bottom:0 !important;margin-right:0 !important;margin-left:0 !important;padding-top:0 !important;padding-bottom:0 !important;padding-right:0 !important;padding-left:0 !important;"/>"##,
        esc(&pixel)
    );
    h.push_str("</center>\n</body>\n</html>\n");

    Newsletter {
        html: h,
        text: t,
        subject,
        from_name: b.name.clone(),
        from_address: format!("news@{}", b.domain),
        esp: b.esp,
        links,
        images,
    }
}

/// Quoted-printable (RFC 2045) with LF line ends and soft breaks at 76 characters.
pub fn quoted_printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split('\n') {
        let bytes = line.as_bytes();
        let mut col = 0;
        for (i, &b) in bytes.iter().enumerate() {
            let last = i + 1 == bytes.len();
            let literal =
                (b == b' ' || b == b'\t') && !last || (33..=126).contains(&b) && b != b'=';
            let width = if literal { 1 } else { 3 };
            if col + width > 75 {
                out.push_str("=\n");
                col = 0;
            }
            if literal {
                out.push(b as char);
            } else {
                let _ = write!(out, "={b:02X}");
            }
            col += width;
        }
        out.push('\n');
    }
    out.pop();
    out
}

const ME: &str = "sam.reader@example.net";

/// A whole newsletter message as an ESP sends it and Gmail stores it: a delivery trace, the
/// ESP's headers (those of the ESP whose links the HTML uses), List-Unsubscribe, and multipart/alternative with quoted-printable text and
/// HTML.
pub fn newsletter_message(seed: u64) -> Vec<u8> {
    let n = newsletter(seed);
    let r = &mut Rng::new(seed ^ 0x5eed);
    let date = date(r, seed);
    let boundary = format!(
        "----=_Part_{}_{}.{}",
        r.digits(6),
        r.digits(9),
        r.digits(13)
    );
    let domain = n
        .from_address
        .split('@')
        .nth(1)
        .unwrap_or("example")
        .to_owned();
    let mut m = String::with_capacity(n.html.len() + n.text.len() + 8 * 1024);
    let _ = write!(
        m,
        "X-GM-THRID: 17{thrid}\nX-Gmail-Labels: Category Promotions,Inbox,Opened\nDelivered-To: {ME}\n\
Received: by 2002:a05:7300:{a}:b0:{b} with SMTP id {id};\n        {date}\n\
Received: from o{o}.ptr{p}.{domain} (o{o}.ptr{p}.{domain}. [167.89.{c}.{d}])\n        by mx.google.com with ESMTPS id {id2}\n        for <{ME}>\n        (version=TLS1_3 cipher=TLS_AES_256_GCM_SHA384 bits=256/256);\n        {date}\n\
Authentication-Results: mx.google.com;\n       dkim=pass header.i=@{domain} header.s=s1 header.b={dkimb};\n       spf=pass (google.com: domain of bounces+{bounce}@em{o}.{domain} designates 167.89.{c}.{d} as permitted sender) smtp.mailfrom=\"bounces+{bounce}@em{o}.{domain}\";\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from={domain}\n\
DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d={domain};\n\th=from:mime-version:subject:list-unsubscribe:list-unsubscribe-post:content-type:to:cc:\n\tcontent-type:from:subject:to;\n\ts=s1; bh={bh};\n\tb={sig}\n\
From: \"{from_name}\" <{from}>\nReply-To: hello@{domain}\nTo: Sam Reader <{ME}>\nSubject: {subject}\nDate: {date}\n\
MIME-Version: 1.0\n\
List-Unsubscribe: <mailto:unsubscribe@{domain}?subject=unsubscribe>,\n <https://www.{domain}/unsubscribe?e={unsub}>\n\
List-Unsubscribe-Post: List-Unsubscribe=One-Click\n\
{esp}\
Content-Type: multipart/alternative; boundary=\"{boundary}\"\n\n\
--{boundary}\nContent-Type: text/plain; charset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable\n\n{text}\n\
--{boundary}\nContent-Type: text/html; charset=\"utf-8\"\nContent-Transfer-Encoding: quoted-printable\n\n{html}\n\
--{boundary}--\n",
        thrid = r.digits(17),
        a = r.hex(4),
        b = r.hex(4),
        id = r.alnum(22),
        id2 = r.alnum(22),
        o = r.range(1, 30),
        p = r.digits(4),
        c = r.range(1, 254),
        d = r.range(1, 254),
        dkimb = r.token(8),
        bounce = r.digits(8),
        bh = r.token(43),
        sig = r.token(340),
        from_name = n.from_name,
        from = n.from_address,
        subject = n.subject,
        unsub = r.token(40),
        esp = esp_headers(r, n.esp, &domain),
        text = quoted_printable(&n.text),
        html = quoted_printable(&n.html),
    );
    m.into_bytes()
}

/// Message-ID and the headers the ESP adds, each line ending in a newline.
fn esp_headers(r: &mut Rng, esp: Esp, domain: &str) -> String {
    match esp {
        Esp::SendGrid => format!(
            "Message-ID: <{}@geopod-ismtpd-{}>\nX-SG-EID: =?us-ascii?Q?u001=2E{}?=\n =?us-ascii?Q?{}?=\n\
X-SG-ID: =?us-ascii?Q?u001=2E{}?=\nX-Entity-ID: u001.{}==\nX-Feedback-ID: {}:SG\n",
            r.token(22),
            r.range(1, 20),
            r.alnum(40),
            r.alnum(60),
            r.alnum(46),
            r.alnum(22),
            r.digits(8)
        ),
        Esp::Mailchimp => {
            let (user, campaign) = (r.hex(25), r.hex(10));
            format!(
                "Message-ID: <{}.{}@mail{}.sea{}.mcdlv.net>\nX-Mailer: Mailchimp Mailer - **CID{campaign}{}**\n\
X-Campaign: mailchimp{user}.{campaign}\nX-campaignid: mailchimp{user}.{campaign}\nX-MC-User: {user}\n\
Feedback-ID: {}:{}.{}:us{}:mc\nX-Accounttype: pd\n",
                r.hex(16),
                r.digits(14),
                r.range(10, 250),
                r.range(1, 99),
                r.hex(10),
                r.digits(8),
                r.digits(8),
                r.digits(7),
                r.range(1, 21)
            )
        }
        Esp::AmazonSes => format!(
            "Message-ID: <0100018e{}-{}-000000@email.amazonses.com>\nX-SES-Outgoing: 2024.03.12-54.240.{}.{}\n\
Feedback-ID: 1.us-east-1.{}=:AmazonSES\nX-SES-Configuration-Set: {}-marketing\n",
            r.hex(8),
            r.hex(32),
            r.range(1, 254),
            r.range(1, 254),
            r.token(43),
            domain.split('.').next().unwrap_or("brand")
        ),
        Esp::HubSpot => format!(
            "Message-ID: <{}.{}@{}.hubspotemail.net>\nX-HubSpot-MID: {}\nX-HS-Cid: {}\n\
X-Report-Abuse-To: abuse@hubspot.com\n",
            r.digits(13),
            r.hex(32),
            domain.split('.').next().unwrap_or("brand"),
            r.hex(32),
            r.alnum(40).to_lowercase()
        ),
    }
}

/// A short personal message; some body lines start with "From " (mboxrd quotes them).
pub fn personal_message(seed: u64) -> Vec<u8> {
    let r = &mut Rng::new(seed);
    let date = date(r, seed);
    let who = *r.pick(&[
        "Ana Lima",
        "Tomás García",
        "Priya Nair",
        "Jonas Berg",
        "Mei Chen",
    ]);
    let addr = format!(
        "{}@example.org",
        who.to_lowercase().replace(' ', ".").replace('á', "a")
    );
    let mut body = String::from("Hi Sam,\n\n");
    for _ in 0..r.range(1, 4) {
        let p = paragraph(r, 1, 4);
        // Hard-wrapped at about 72 columns, as a mail client sends it.
        let mut col = 0;
        for w in p.split(' ') {
            if col > 0 && col + w.len() > 72 {
                body.push('\n');
                col = 0;
            } else if col > 0 {
                body.push(' ');
                col += 1;
            }
            body.push_str(w);
            col += w.chars().count();
        }
        body.push_str("\n\n");
    }
    if r.chance(30) {
        body.push_str("From what I remember, the train leaves at 9.\n\n");
    }
    if r.chance(10) {
        body.push_str(">From the archive, quoted by an old mailer.\n\n");
    }
    body.push_str("Cheers,\n");
    body.push_str(who.split(' ').next().unwrap_or(who));
    body.push('\n');
    format!(
        "X-GM-THRID: 17{}\nX-Gmail-Labels: Inbox,Opened\nDelivered-To: {ME}\nMIME-Version: 1.0\nDate: {date}\n\
Message-ID: <CA{}@mail.gmail.com>\nSubject: {}\nFrom: {who} <{addr}>\nTo: Sam Reader <{ME}>\n\
Content-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: 8bit\n\n{body}",
        r.digits(17),
        r.alnum(40),
        title(r),
    )
    .into_bytes()
}

/// An RFC 5322 date in March 2024, varying with `seed`.
fn date(r: &mut Rng, seed: u64) -> String {
    let day = 1 + (seed % 28) as usize;
    // 1 March 2024 was a Friday.
    let weekday = ["Fri", "Sat", "Sun", "Mon", "Tue", "Wed", "Thu"][(day - 1) % 7];
    format!(
        "{weekday}, {day:02} Mar 2024 {:02}:{:02}:{:02} +0000",
        r.below(24),
        r.below(60),
        r.below(60)
    )
}

/// An mboxrd archive of at least `target` bytes: about 80 % newsletters (each with its own
/// seed), the rest personal mail. Returns the bytes and the number of messages.
pub fn mbox(target: usize, seed: u64) -> (Vec<u8>, usize) {
    let r = &mut Rng::new(seed);
    let mut out = Vec::with_capacity(target + 128 * 1024);
    let mut count = 0;
    while out.len() < target {
        count += 1;
        let message_seed = r.next_u64();
        let message = if r.chance(80) {
            newsletter_message(message_seed)
        } else {
            personal_message(message_seed)
        };
        let day = 1 + count % 28;
        let _ = writeln!(
            Adapter(&mut out),
            "From 1791{}@xxx Tue Mar {day:02} {:02}:{:02}:{:02} +0000 2024",
            r.digits(15),
            r.below(24),
            r.below(60),
            r.below(60)
        );
        for line in message.split_inclusive(|&b| b == b'\n') {
            let arrows = line.iter().take_while(|&&b| b == b'>').count();
            if line[arrows..].starts_with(b"From ") {
                out.push(b'>');
            }
            out.extend_from_slice(line);
        }
        if !message.ends_with(b"\n") {
            out.push(b'\n');
        }
        out.push(b'\n');
    }
    (out, count)
}

/// `fmt::Write` into a byte vector.
struct Adapter<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Adapter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// About 200 URLs of the kinds a mail archive holds: ESP click and open URLs (SendGrid,
/// Mailchimp, Amazon SES, HubSpot, Klaviyo, Brevo, Mailjet, Constant Contact, Customer.io,
/// Salesforce, Mailgun), link shorteners, plain web pages, CDNs and image hosts, most with
/// query strings.
pub fn urls(seed: u64) -> Vec<String> {
    let r = &mut Rng::new(seed);
    let mut out = Vec::with_capacity(200);
    let sites = [
        "www.example.com",
        "shop.example.org",
        "blog.example.net",
        "news.example",
        "www.wikipedia.org",
        "github.com",
        "docs.rs",
        "www.bbc.co.uk",
        "www.nytimes.com",
        "maps.google.com",
        "www.youtube.com",
        "twitter.com",
        "www.linkedin.com",
        "www.instagram.com",
        "support.apple.com",
        "www.gov.uk",
    ];
    let cdns = [
        "cdn.shopify.com",
        "images.ctfassets.net",
        "d3k81ch9hvuctc.cloudfront.net",
        "fonts.googleapis.com",
        "fonts.gstatic.com",
        "res.cloudinary.com",
        "cdn.jsdelivr.net",
        "static.wixstatic.com",
        "i.imgur.com",
        "mcusercontent.com",
        "gallery.mailchimp.com",
        "image.email.example.com",
    ];
    while out.len() < 200 {
        let url = match out.len() % 20 {
            0 => format!("https://u{}.ct.sendgrid.net/ls/click?upn={}", r.digits(7), r.token(200)),
            1 => format!("https://u{}.ct.sendgrid.net/wf/open?upn={}", r.digits(7), r.token(180)),
            2 => format!(
                "https://brand{}.us{}.list-manage.com/track/click?u={}&id={}&e={}",
                r.below(50), r.range(1, 21), r.hex(25), r.hex(10), r.hex(10)
            ),
            3 => format!(
                "https://brand{}.us{}.list-manage.com/track/open.php?u={}&id={}&e={}",
                r.below(50), r.range(1, 21), r.hex(25), r.hex(10), r.hex(10)
            ),
            4 => format!(
                "https://{}.r.us-east-1.awstrack.me/L0/https:%2F%2Fwww.example.com%2Fdeals%3Futm_source%3Demail/1/0100018e{}-{}-000000/{}=368",
                r.alnum(6).to_lowercase(), r.hex(8), r.hex(32), r.token(27)
            ),
            5 => format!(
                "https://d{}.na1.hubspotlinks.com/Ctc/{}/{}/{}",
                r.alnum(7).to_lowercase(), r.alnum(2), r.token(12), r.token(150)
            ),
            6 => format!("https://trk.klclick.com/ls/click?upn={}", r.token(160)),
            7 => format!(
                "https://{}.r.sp1-brevo.net/mk/cl/f/{}",
                r.alnum(5).to_lowercase(), r.token(120)
            ),
            8 => format!("https://{}.mjt.lu/lnk/{}/{}", r.alnum(4).to_lowercase(), r.token(60), r.token(20)),
            9 => format!("https://r20.rs6.net/tn.jsp?f={}&c={}&ch={}", r.token(80), r.token(60), r.token(40)),
            10 => format!("https://e.customeriomail.com/e/c/{}/{}", r.token(100), r.token(40)),
            11 => format!(
                "https://click.email.brand{}.example/?qs={}",
                r.below(50), r.hex(160)
            ),
            12 => format!(
                "https://email.mg.brand{}.example/c/{}",
                r.below(50), r.token(140)
            ),
            13 => format!("https://bit.ly/{}", r.alnum(7)),
            14 | 15 => format!(
                "https://{}/{}/{}?utm_source=newsletter&utm_medium=email&utm_campaign=spring-{}&utm_content={}",
                r.pick(&sites), r.alnum(8).to_lowercase(), r.alnum(10).to_lowercase(), r.digits(3), r.alnum(6)
            ),
            16 => format!("https://{}/{}/{}", r.pick(&sites), r.alnum(6).to_lowercase(), r.alnum(12).to_lowercase()),
            17 => format!(
                "https://{}/{}/{}.jpg?w=600&h={}&q=80",
                r.pick(&cdns), r.hex(8), r.alnum(16), r.range(100, 600)
            ),
            18 => format!("https://{}/{}.png", r.pick(&cdns), r.alnum(20)),
            _ => format!(
                "https://www.example.com/account/orders/{}?ref=email&mc_cid={}&mc_eid={}&_hsenc=p2ANqtz-{}",
                r.digits(9), r.hex(10), r.hex(10), r.token(40)
            ),
        };
        out.push(url);
    }
    out
}
