//! Click tracking and link decoration: which links pass through a redirector that records the
//! click (`click_tracking`), and which carry tracking parameters to the destination
//! (`link_decoration`). Security rewriters (SafeLinks, urldefense, …) are unwrapped first and
//! never blamed on the sender: they are the reader's own organisation at work.

use super::html::{Resource, Role};
use super::techniques as T;
use super::tokens::{Place, Token};
use super::url_facts::{Decoration, Facts, UrlFacts};
use super::{url_finding, UrlFinding};
use crate::ascii::starts_with_ignore_case;
use crate::byte_search::Words;
use crate::finding::{Confidence, Finding, Kind};
use crate::rules::category::{LINK_SHORTENER, SECURITY_REWRITER, SERVICE_PAGE};
use crate::weburl::WebUrl;
use foldhash::HashMap;
use std::collections::BTreeSet;
use std::sync::OnceLock;

/// Path segments that make up a redirector's own path (`/ls/click`, `/c/`, `/r/`, `/track`).
const REDIRECT_WORDS: &[&str] = &[
    "click",
    "clicks",
    "track",
    "tracking",
    "redirect",
    "redir",
    "link",
    "links",
    "go",
    "out",
    "ls",
    "ss",
    "cl",
    "rd",
    "trk",
    "lt",
    "lnk",
    "url",
    "wf",
    "e",
    "c",
    "l",
    "r",
    "t",
    "u",
    "f",
    "a",
    "s",
    "q",
    "ct",
    "mk",
    "mail",
    "email",
    "em",
    "nl",
    "newsletter",
];
/// Words that mark a link as a mailing-list service page rather than a destination; those pages
/// are personal by design and not counted as click tracking.
const SERVICE_WORDS: &[&str] = &[
    "unsubscribe",
    "unsub",
    "optout",
    "opt-out",
    "opt_out",
    "preferences",
    "preference",
    "manage",
    "subscription",
    "subscriptions",
    "webversion",
    "web-version",
    "web_version",
    "webview",
    "view-online",
    "view_online",
    "viewonline",
    "view-in-browser",
    "view_in_browser",
    "viewinbrowser",
    "vcard",
    "forward",
    "profile",
    // Answering an invitation (`/rsvp/<token>`, a calendar's `?action=RESPOND&tok=…`).
    "rsvp",
    "respond",
];
/// Parameter names whose values serve the link itself (reset codes, invitations, passcodes,
/// parcel numbers), not a tracker.
const FUNCTIONAL_PARAMS: &[&str] = &[
    "token",
    "tok",
    "code",
    "oobcode",
    "key",
    "reset",
    "verify",
    "verification",
    "confirm",
    "confirmation",
    "signature",
    "sig",
    "auth",
    "session",
    "state",
    "nonce",
    "otp",
    "invite",
    "invitation",
    "ticket",
    "access_token",
    "magic",
    // A meeting's passcode (`/j/859…?pwd=…`) and a shared file's link key (`?rlkey=…`): the
    // same for everyone the link was given to.
    "pwd",
    "password",
    "passcode",
    "rlkey",
    // A parcel's tracking number (`ups.com/track?tracknum=1Z…`): it names the shipment.
    "tracknum",
    "tracknumbers",
    "trackingnumber",
    "tracking_number",
    "trknbr",
    "awb",
];

pub(super) fn followed_links(
    resources: &[Resource],
    urls: &UrlFacts<'_>,
    findings: &mut Vec<Finding>,
) {
    let mut clicks = Grouped::default();
    let mut decorations = Grouped::default();
    for (index, resource) in resources.iter().enumerate() {
        if !matches!(resource.role, Role::Link | Role::Ping | Role::Form) {
            continue;
        }
        let Some(facts) = urls.of(index) else {
            continue;
        };
        let Some((target, rewriters)) = urls.peeled(&facts) else {
            continue; // a gateway keeps the destination on its servers: nothing to judge
        };
        let rewritten = !rewriters.is_empty();
        let host = target.host.as_ref();
        let third_party = !target.first_party;

        if resource.role == Role::Ping {
            clicks.add(host, T::HYPERLINK_PING.id, &[], || {
                let base = UrlFinding {
                    url: &resource.url,
                    resource,
                    rule: None,
                    third_party,
                };
                let evidence = [
                    "the link reports each click to ",
                    host,
                    " (a ping attribute)",
                ]
                .concat();
                url_finding(
                    base,
                    Kind::ClickTracking,
                    T::HYPERLINK_PING.id,
                    Confidence::High,
                    evidence,
                )
            });
            continue;
        }
        let matched = urls.rules(&target);
        let click_rule = matched
            .iter()
            .find(|r| r.kind == Kind::ClickTracking && !is_neutral(r))
            .copied();
        if click_rule.is_none() && matched.iter().any(|r| is_neutral(r)) {
            decoration(resource, &target, urls, &mut decorations);
            // A public shortener counts clicks for whoever made the link; a vendor's
            // unsubscribe page is personal by design.
            continue;
        }
        let named_by = click_rule.or_else(|| {
            matched
                .iter()
                .find(|r| r.kind != Kind::LinkDecoration)
                .copied()
        });
        let wrapped = target.wrapped();
        if click_rule.is_none() && wrapped.is_some() && is_share_dialog(&target.url) {
            continue; // the page to share, not a destination the click is recorded on the way to
        }
        // The tokens are worked out only when no rule and no wrapped destination decide:
        // most tracked links go through a known redirector.
        let verdict = if click_rule.is_some() {
            Some((T::KNOWN_REDIRECTOR.id, Confidence::High))
        } else if wrapped.is_some() {
            Some((T::WRAPPED_DESTINATION.id, Confidence::High))
        } else if reader_token(&target, urls).is_some() {
            Some((T::LINK_TOKEN.id, Confidence::Medium))
        } else {
            None
        };
        let destination = urls.destination(&target);
        if let Some((technique, confidence)) = verdict {
            let (kind, technique) = if resource.role == Role::Form {
                (Kind::RemoteResource, T::FORM_ACTION.id)
            } else {
                (Kind::ClickTracking, technique)
            };
            // Only the first link of a (host, technique) group is reported: the rest are
            // counted, so their evidence is never written.
            clicks.add(host, technique, &[], || {
                let why = if let Some(rule) = click_rule {
                    [&rule.vendor, " click-tracking redirector"].concat()
                } else if let Some(w) = wrapped {
                    ["the destination is wrapped in the link (", &w.via, ")"].concat()
                } else {
                    let token = reader_token(&target, urls);
                    let token = token.map(Token::describe).unwrap_or_default();
                    ["per-recipient link, ", &token].concat()
                };
                let rewriter_note = rewritten.then(|| {
                    [
                        "unwrapped from ",
                        &rewriters.join(" and "),
                        " (a security rewriter, not the sender)",
                    ]
                    .concat()
                });
                let base = UrlFinding {
                    url: &resource.url,
                    resource,
                    rule: named_by,
                    third_party,
                };
                let evidence = [Some(why), rewriter_note]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(", ");
                let mut finding = url_finding(base, kind, technique, confidence, evidence);
                if wrapped.is_some() || rewritten {
                    finding
                        .details
                        .insert("destination".to_owned(), destination.url.to_string());
                }
                finding
            });
        }
        decoration(resource, &destination, urls, &mut decorations);
    }
    findings.extend(clicks.into_findings("links go"));
    findings.extend(decorations.into_findings("links carry"));
}

/// The first token that makes a link per-reader, leaving out those in parameters the rules
/// name as tracking parameters: `mc_eid`, `elqTrackId` or `mkt_tok` on a destination is link
/// decoration (reported by [`decoration`]), and makes no click tracker of the site it is
/// carried to (`twitter.com/brand?elqTrackId=<id>`).
fn reader_token<'f>(target: &'f Facts<'_>, urls: &UrlFacts<'_>) -> Option<&'f Token> {
    target
        .tracking_tokens()
        .iter()
        .find(|token| match &token.place {
            Place::Query(name) => !urls.is_tracking_parameter(name),
            Place::Path(_) => true,
        })
}

/// Rules that name a link's service without making it the sender's click tracking: a
/// security rewriter, a public shortener, a vendor's unsubscribe or preference page.
fn is_neutral(rule: &crate::rules::Rule) -> bool {
    [SECURITY_REWRITER, LINK_SHORTENER, SERVICE_PAGE].contains(&rule.category.as_str())
}

/// Tracking parameters on the destination, named by the rules.
fn decoration<'a>(
    resource: &Resource,
    destination: &Facts<'a>,
    urls: &UrlFacts<'a>,
    out: &mut Grouped,
) {
    let Decoration { params, rule } = urls.decoration(destination);
    if params.is_empty() {
        return;
    }
    let host = destination.host.as_ref();
    out.add(host, T::TRACKING_PARAMETERS.id, params, || {
        let base = UrlFinding {
            url: &resource.url,
            resource,
            rule: *rule,
            third_party: !destination.first_party,
        };
        let evidence = [
            "tracking parameters ",
            &params.join(", "),
            " on the link to ",
            host,
        ]
        .concat();
        let mut finding = url_finding(
            base,
            Kind::LinkDecoration,
            T::TRACKING_PARAMETERS.id,
            Confidence::High,
            evidence,
        );
        finding
            .details
            .insert("params".to_owned(), params.join(","));
        finding
    });
}

/// Tokens that identify a reader in a link: in the query (unless the parameter is a functional
/// secret), or in a path shaped like a redirector's (`/c/<token>`, `/ls/click?upn=`), never in
/// pages that are personal by design (unsubscribe, preferences), in pages that do something
/// for the reader with a one-time code (verifying an address, resetting a password, signing
/// in, accepting an invitation) or in a document's own path (`/document/d/<id>/edit`,
/// `/commit/<sha>`). `tokens` are the URL's identifier tokens.
pub(super) fn tracking_tokens(url: &WebUrl, tokens: &[Token]) -> Vec<Token> {
    let segments = || {
        url.path_segments()
            .into_iter()
            .flatten()
            .filter(|p| !p.is_empty())
    };
    let numeric_ids = numeric_id_path(segments()).map(|ids| Token {
        text: ids,
        place: Place::Path(2),
    });
    // Most resources' URLs have nothing that could be kept: the search below, over the whole
    // path, is spared for them.
    if tokens.is_empty() && numeric_ids.is_none() {
        return Vec::new();
    }
    if service_words().is_match(url.path())
        || query_names_service_page(url)
        || names_a_function(url)
    {
        return Vec::new();
    }
    if carries_its_secret(tokens) {
        return Vec::new();
    }
    let in_path = |i: usize| tokens.iter().any(|t| t.place == Place::Path(i));
    let redirector_path = tokens.iter().any(|t| matches!(t.place, Place::Path(_)))
        && segments().enumerate().all(|(i, segment)| {
            in_path(i + 1)
                || segment.len() <= 3
                || is_redirect_word(segment)
                || is_short_code(segment)
                || holds_a_url(segment)
        });
    tokens
        .iter()
        .filter(|token| match &token.place {
            Place::Path(_) => redirector_path,
            // Past `carries_its_secret`, the only functional names left are a redirector's
            // signing ones: no need to judge each name's words again.
            Place::Query(name) => {
                !is_listed(SIGNING_PARAMS, name) && !is_listed(CONTENT_PARAMS, name)
            }
        })
        .cloned()
        .chain(numeric_ids)
        .collect()
}

/// Parameter names that say which thing a link opens (`watch?v=…&list=<playlist id>`,
/// `?product=…`, `?doc=…`): an id under such a name is the same for everyone the link was
/// sent to. A tracker names its reader's token otherwise (`u`, `e`, `id`, `uid`, `upn`, `qs`).
const CONTENT_PARAMS: &[&str] = &[
    "list",
    "playlist",
    "video",
    "videoid",
    "album",
    "episode",
    "product",
    "productid",
    "item",
    "itemid",
    "sku",
    "article",
    "articleid",
    "post",
    "postid",
    "story",
    "doc",
    "docid",
    "document",
    "file",
    "fileid",
    "folder",
    "project",
    "board",
    "channel",
    "thread",
];

/// Beginnings of path words that name what a link does for its reader: `/verify?t=<code>`,
/// `/account/password/reset?id=<code>`, `/login/magic?k=<code>`, `/invitations/accept?i=<code>`,
/// `/subscribe/confirm?…`. The identifier such a link carries is the one-time code the function
/// needs, as a `token=` or `code=` parameter is (`FUNCTIONAL_PARAMS`), not a click counter.
const FUNCTION_STEMS: &[&str] = &[
    "verif",
    "confirm",
    "activat",
    "passw",
    "reset",
    "login",
    "logon",
    "signin",
    "invit",
    "authenticat",
    "oauth",
];
/// Short words that name such a function only as whole words (`/auth/callback`, `/magic-link`,
/// `/2fa`): as beginnings they would take `author` or `magical` for one.
const FUNCTION_WORDS: &[&str] = &["auth", "magic", "magiclink", "otp", "2fa", "mfa", "sso"];

/// Whether a word of the link's path names a function it performs for the reader (see
/// `FUNCTION_STEMS`), or two do (`/users/sign_in`, `/log-in`).
fn names_a_function(url: &WebUrl) -> bool {
    // Most paths name no function: one search for any of the words' letters, as they may
    // appear, spares them the word-by-word comparison below.
    static CANDIDATE: OnceLock<Words> = OnceLock::new();
    let candidate = CANDIDATE.get_or_init(|| {
        let split_sign_in = ["sign", "log-", "log_"];
        let words = FUNCTION_STEMS
            .iter()
            .chain(FUNCTION_WORDS)
            .chain(&split_sign_in);
        Words::new(&words.copied().collect::<Vec<_>>())
    });
    if !candidate.is_match(url.path()) {
        return false;
    }
    let is = |word: &[u8], whole: &str| word.eq_ignore_ascii_case(whole.as_bytes());
    let mut previous: &[u8] = b"";
    super::path_words(url).any(|word| {
        let signing_in =
            (is(previous, "sign") || is(previous, "log")) && (is(word, "in") || is(word, "on"));
        previous = word;
        signing_in
            || FUNCTION_STEMS.iter().any(|stem| {
                word.get(..stem.len())
                    .is_some_and(|start| start.eq_ignore_ascii_case(stem.as_bytes()))
            })
            || FUNCTION_WORDS.iter().any(|whole| is(word, whole))
    })
}

/// Functional names that count only whole, not as a word of a compound name: `subscriberKey`,
/// `tracking_code`, `mkt_tok` and `click_sig` name the reader, the campaign or a tracker's
/// own token.
const WHOLE_NAMES_ONLY: &[&str] = &["key", "code", "tok", "sig", "state"];
/// Words that keep a compound name a tracker's whatever else it says (`tracking_token`,
/// `clickToken`).
const TRACKING_NAME_WORDS: &[&str] = &["track", "tracking", "trk", "click", "open", "subscriber"];

/// Whether a query parameter's value is a secret the link itself needs: its name is one of
/// `FUNCTIONAL_PARAMS`, or made of words (split at `_`, `-`, `.` and where a small letter meets
/// a capital) one of which is (`auth_key`, `resetToken`, `invitation-token`, `sessionId`;
/// not one of `WHOLE_NAMES_ONLY`) and none of which is in `TRACKING_NAME_WORDS`, or two such
/// words written together (`is_joined_functional_name`).
fn is_functional_param(name: &str) -> bool {
    if is_listed(FUNCTIONAL_PARAMS, name) {
        return true;
    }
    let words = name_words(name);
    if words.len() == 1 {
        return is_joined_functional_name(name);
    }
    words
        .iter()
        .any(|word| is_listed(FUNCTIONAL_PARAMS, word) && !is_listed(WHOLE_NAMES_ONLY, word))
        && !words
            .iter()
            .any(|word| is_listed(TRACKING_NAME_WORDS, word))
}

/// Whether a one-word name is two functional words written together (`authkey`, `resettoken`,
/// `invitecode`, `sessionid`), as `auth_key` is two written apart. Most names are one word
/// (`u`, `upn`, `qs`) that is no such pair.
fn is_joined_functional_name(name: &str) -> bool {
    let functional_start =
        |start: &str| is_listed(FUNCTIONAL_PARAMS, start) && !is_listed(WHOLE_NAMES_ONLY, start);
    let functional_end =
        |end: &str| is_listed(FUNCTIONAL_PARAMS, end) || end.eq_ignore_ascii_case("id");
    // A start longer than the longest functional word cannot be one: a long name costs no
    // more than a short one.
    let longest = FUNCTIONAL_PARAMS.iter().map(|w| w.len()).max().unwrap_or(0);
    (3..name.len().saturating_sub(1).min(longest + 1)).any(|at| {
        name.is_char_boundary(at) && functional_start(&name[..at]) && functional_end(&name[at..])
    })
}

/// Functional parameters (all of them in `FUNCTIONAL_PARAMS`) that a redirector may sign or key
/// its own links with (`/c?id=<token>&sig=<hmac>`): they make no link personal by design,
/// though their values are still not the reader's.
const SIGNING_PARAMS: &[&str] = &[
    "sig",
    "signature",
    "key",
    "state",
    "nonce",
    "session",
    "auth",
];

/// Whether the link carries an identifier-shaped secret it needs to work, such as an
/// invitation's `tok=` beside its event id (`/calendar/event?action=VIEW&eid=<id>&tok=<secret>`)
/// or a claim's `code=`: such a link is personal by design, and its other ids name what it acts
/// on, as an unsubscribe link's do.
fn carries_its_secret(tokens: &[Token]) -> bool {
    tokens.iter().any(|token| match &token.place {
        Place::Query(name) => is_functional_param(name) && !is_listed(SIGNING_PARAMS, name),
        Place::Path(_) => false,
    })
}

/// `auth_key` → `auth`, `key`; `resetPasswordToken` → `reset`, `Password`, `Token`.
fn name_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    let bytes = name.as_bytes();
    for (at, &byte) in bytes.iter().enumerate() {
        let separator = matches!(byte, b'_' | b'-' | b'.');
        let camel = at > 0 && byte.is_ascii_uppercase() && bytes[at - 1].is_ascii_lowercase();
        if separator || camel {
            if start < at {
                words.push(&name[start..at]);
            }
            start = if separator { at + 1 } else { at };
        }
    }
    if start < name.len() {
        words.push(&name[start..]);
    }
    words
}

fn service_words() -> &'static Words {
    static SERVICE_WORD: OnceLock<Words> = OnceLock::new();
    super::finder(&SERVICE_WORD, SERVICE_WORDS)
}

/// `proc.php?nl=3&s=<token>&act=unsub`, `?op=email_web_version&email_id=<token>`: a parameter
/// whose value is a name ending in a service word names the page, as a service word in the path
/// does. A word inside a value of any other kind (the destination a redirector wraps,
/// `?url=https://shop.example/unsubscribe`) does not: that click is recorded.
fn query_names_service_page(url: &WebUrl) -> bool {
    let is_name = |value: &str| {
        value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    };
    url.query()
        .is_some_and(|query| service_words().is_match(query))
        && url.query_pairs().any(|(_, value)| {
            is_name(&value)
                && SERVICE_WORDS.iter().any(|word| {
                    value.len() >= word.len()
                        && value.as_bytes()[value.len() - word.len()..]
                            .eq_ignore_ascii_case(word.as_bytes())
                })
        })
}

/// `facebook.com/sharer/sharer.php?u=<page>`, `linkedin.com/shareArticle?url=<page>`,
/// `twitter.com/intent/tweet?url=<page>`, `reddit.com/submit?url=<page>`,
/// `pinterest.com/pin/create/button/?url=<page>`: a social network's dialog for sharing the page
/// it names. The reader who follows it goes to that dialog, not to the page.
fn is_share_dialog(url: &WebUrl) -> bool {
    let mut segments = url.path_segments().into_iter().flatten();
    segments.any(|segment| {
        let word = segment.split('.').next().unwrap_or_default();
        starts_with_ignore_case(word, "share") || is_listed(&["intent", "submit", "pin"], word)
    })
}

/// One of the words redirectors make their paths of, in any case.
fn is_redirect_word(segment: &str) -> bool {
    is_listed(REDIRECT_WORDS, segment)
}

/// Whether `word` is one of `list`'s, in any ASCII case.
fn is_listed(list: &[&str], word: &str) -> bool {
    list.iter().any(|listed| listed.eq_ignore_ascii_case(word))
}

/// `https:%2F%2Fshop.example%2Fitem`: the destination a redirector carries as one of its path
/// segments (Amazon SES's `/L0/<destination>/1/<message id>/<token>`) is part of the
/// redirector's path, not a word of a document's.
fn holds_a_url(segment: &str) -> bool {
    ["http:", "https:", "http%3a", "https%3a"]
        .iter()
        .any(|scheme| starts_with_ignore_case(segment, scheme))
}

/// A redirector's short code beside its token (`/Ctc/UC+113/d2G78g04/<token>`,
/// `/f/a/<token>~~/AAEbnQA~/<token>`): shorter than a token, letters mixed with digits or with
/// punctuation no readable path uses (`~ + = ! *`), no dot, and no run of five small letters
/// that would make it a word (`report2023`, `~alice`). A readable segment (`edit`, `commit`,
/// `Q3.pdf`) still marks a document's own path.
fn is_short_code(segment: &str) -> bool {
    if segment.len() >= super::tokens::MIN_TOKEN {
        return false;
    }
    let (mut letters, mut digits, mut marks, mut lower_run) = (false, false, false, 0usize);
    for byte in segment.bytes() {
        match byte {
            b'a'..=b'z' => {
                letters = true;
                lower_run += 1;
                if lower_run >= 5 {
                    return false;
                }
                continue;
            }
            b'A'..=b'Z' => letters = true,
            b'0'..=b'9' => digits = true,
            b'~' | b'+' | b'=' | b'!' | b'*' => marks = true,
            b'-' | b'_' | b'%' => {}
            // A dot makes a name: a file's (`Q3.pdf`, `IMG_1234.jpg`) or a host's.
            _ => return false,
        }
        lower_run = 0;
    }
    letters && (digits || marks)
}

/// `/cl/146565_md/133/5814550/3898/440/609207`: a redirector word followed by a chain of
/// numeric ids (campaign, list, recipient, link) identifies the reader as well as a random token.
/// `segments` are the path's non-empty segments. A chain is at most `MAX_ID_CHAIN` long: only
/// that many are collected, so a path of millions of segments costs nothing.
fn numeric_id_path<'u>(mut segments: impl Iterator<Item = &'u str>) -> Option<String> {
    const MAX_ID_CHAIN: usize = 16;
    if !is_redirect_word(segments.next()?) {
        return None;
    }
    let numeric = |s: &&str| {
        let digits = s.chars().take_while(char::is_ascii_digit).count();
        digits > 0
            && s[digits..]
                .chars()
                .all(|c| c == '_' || c.is_ascii_alphabetic())
            && s.len() - digits <= 4
    };
    let ids: Vec<&str> = segments.take(MAX_ID_CHAIN + 1).collect();
    (ids.len() >= 3 && ids.len() <= MAX_ID_CHAIN && ids.iter().all(numeric)).then(|| ids.join("/"))
}

/// Findings grouped by (host, technique): fifty links through one redirector are one fact,
/// reported once with a count.
#[derive(Default)]
struct Grouped {
    groups: Vec<Group>,
    /// The groups of each host, once there are more than `FEW_GROUPS`: a newsletter's handful
    /// is searched in order faster than a host is hashed, but a message linking to thousands
    /// of hosts made that search quadratic (40,000 links took 2.3 s).
    by_host: HashMap<Box<str>, Vec<usize>>,
}

/// Groups searched in order before they are indexed by host.
const FEW_GROUPS: usize = 16;

struct Group {
    host: String,
    technique: &'static str,
    /// The first link's finding, the one reported.
    finding: Finding,
    links: usize,
    /// Every tracking parameter of the group's links, once the second link's are added: the
    /// first link's (as its finding's details spell them, joined with commas) and the later
    /// links'. Written back into the details, sorted, when the group is complete.
    params: Option<BTreeSet<String>>,
}

impl Grouped {
    /// Counts one more link in its (host, technique) group. `finding` is built only for the
    /// first link of a group, the one reported; a later link adds its tracking `params` (a
    /// decoration's; empty for other techniques) to the group's.
    fn add(
        &mut self,
        host: &str,
        technique: &'static str,
        params: &[String],
        finding: impl FnOnce() -> Finding,
    ) {
        let Some(found) = self.find(host, technique) else {
            if !self.by_host.is_empty() {
                let at = self.groups.len();
                self.by_host.entry(host.into()).or_default().push(at);
            }
            self.groups.push(Group {
                host: host.to_owned(),
                technique,
                finding: finding(),
                links: 1,
                params: None,
            });
            return;
        };
        let group = &mut self.groups[found];
        group.links += 1;
        if params.is_empty() {
            return;
        }
        let Some(known) = group.finding.details.get("params") else {
            return;
        };
        // Merged into a set as the links come: splitting, sorting and joining the whole list
        // again for each link of a newsletter cost 2 % of a scan.
        let all = group
            .params
            .get_or_insert_with(|| known.split(',').map(str::to_owned).collect());
        for param in params.iter().flat_map(|p| p.split(',')) {
            if !all.contains(param) {
                all.insert(param.to_owned());
            }
        }
    }

    /// Where the (host, technique) group is in `groups`.
    fn find(&mut self, host: &str, technique: &str) -> Option<usize> {
        let is_it = |group: &Group| group.host == host && group.technique == technique;
        if self.groups.len() <= FEW_GROUPS {
            return self.groups.iter().position(is_it);
        }
        if self.by_host.is_empty() {
            for (at, group) in self.groups.iter().enumerate() {
                self.by_host
                    .entry(group.host.as_str().into())
                    .or_default()
                    .push(at);
            }
        }
        let groups = &self.groups;
        self.by_host
            .get(host)?
            .iter()
            .copied()
            .find(|&at| is_it(&groups[at]))
    }

    fn into_findings(self, verb: &str) -> impl Iterator<Item = Finding> + '_ {
        self.groups.into_iter().map(move |group| {
            let Group {
                host,
                mut finding,
                links,
                params,
                ..
            } = group;
            if let Some(params) = params {
                let merged = params.into_iter().collect::<Vec<_>>().join(",");
                finding.details.insert("params".to_owned(), merged);
            }
            if links > 1 {
                finding
                    .details
                    .insert("links".to_owned(), links.to_string());
                // Appended by hand: every grouped finding gets this, and `format!` cost
                // several times the copying.
                let mut count = itoa::Buffer::new();
                let count = count.format(links);
                for part in [" (", count, " ", verb, " through ", &host, ")"] {
                    finding.evidence.push_str(part);
                }
            }
            finding
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::detect::findings_in_html;
    use crate::finding::Kind;

    /// How many click-tracking findings one link makes.
    fn clicks(href: &str) -> usize {
        findings_in_html(&format!("<a href=\"{href}\">x</a>"))
            .into_iter()
            .filter(|f| f.kind == Kind::ClickTracking)
            .count()
    }

    #[test]
    fn links_to_many_hosts_are_grouped_by_host_in_the_order_first_seen() {
        // More hosts than are searched in order, so the groups are found through their index;
        // each host's two links (different tokens) are one finding that counts two.
        let hosts: Vec<String> = (0..40)
            .map(|i| format!("t{}.relay.example", 39 - i))
            .collect();
        let mut html = String::new();
        for round in ["Xq7LmP2vRt9KwZ4bNc8D", "Hj3FsW6yUe1QpA5oGi0M"] {
            for host in &hosts {
                html.push_str(&format!("<a href=\"https://{host}/c/{round}{host}\">x</a>"));
            }
        }
        let clicks: Vec<_> = findings_in_html(&html)
            .into_iter()
            .filter(|f| f.kind == Kind::ClickTracking)
            .collect();
        let found: Vec<&str> = clicks
            .iter()
            .map(|f| f.url.as_deref().unwrap().split('/').nth(2).unwrap())
            .collect();
        assert_eq!(found, hosts);
        for finding in &clicks {
            assert_eq!(finding.details["links"], "2", "{finding:?}");
        }
    }

    #[test]
    fn a_token_link_whose_query_names_an_unsubscribe_page_is_not_click_tracking() {
        let link = |query: &str| {
            format!(
                "<a href=\"https://lists.shop.example/proc.php?nl=3&c=41&m=77\
                 &s=Xq7LmP2vRt9KwZ4bNc8DHj3FsW6y{query}\">x</a>"
            )
        };
        let tracked_hosts = |html: &str| -> Vec<String> {
            findings_in_html(html)
                .into_iter()
                .filter(|f| f.kind == Kind::ClickTracking)
                .filter_map(|f| f.url)
                .collect()
        };
        assert!(tracked_hosts(&link("&act=unsub")).is_empty());
        assert!(tracked_hosts(&link("&action=Unsubscribe")).is_empty());
        // A name ending in a service word: the web version of the message, for this reader.
        assert!(tracked_hosts(&link("&op=email_web_version")).is_empty());
        // A campaign's name with a service word inside it names no page.
        assert_eq!(tracked_hosts(&link("&c=subscription_sale")).len(), 1);
        // The same per-reader link to any other page, or wrapping an unsubscribe page as its
        // destination, still records the click.
        assert_eq!(tracked_hosts(&link("&act=view")).len(), 1);
        assert_eq!(
            tracked_hosts(&link("&url=https%3A%2F%2Fshop.example%2Funsubscribe")).len(),
            1
        );
    }

    /// Asserts that the link made of each of `parts` gives `expected` click-tracking findings.
    fn assert_clicks(link: impl Fn(&str) -> String, expected: usize, parts: &[&str]) {
        for part in parts {
            assert_eq!(clicks(&link(part)), expected, "{part}");
        }
    }

    #[test]
    fn a_code_in_a_link_whose_path_names_its_function_is_not_click_tracking() {
        let link =
            |path: &str| format!("https://app.example/{path}?u=Xq7LmP2vRt9KwZ4bNc8DHj3FsW6y");
        let functions = [
            "verify",
            "email/verifyAddress",
            "account/password/reset",
            "ResetPassword",
            "login/magic",
            "magic-link",
            "invitations/accept",
            "subscribe/confirm",
            "auth/callback",
            "users/sign_in",
        ];
        assert_clicks(link, 0, &functions);
        // Words that only begin like a function, and readable pages, still carry a click
        // counter: "sign" alone, an author's page, a magical offer.
        assert_clicks(
            link,
            1,
            &["sign", "authors/jane", "magical-offers", "spring-sale"],
        );
    }

    #[test]
    fn a_parameter_whose_name_says_it_is_the_links_own_secret_is_not_click_tracking() {
        let link = |name: &str| {
            format!("https://www.stay.example/myreservations?{name}=Xq7LmP2vRt9KwZ4bNc8DHj3FsW6y")
        };
        let secrets = [
            "auth_key",
            "resetToken",
            "invitation-token",
            "sessionId",
            "magic_link",
            // The same words written together.
            "authkey",
            "resettoken",
            "invitecode",
        ];
        assert_clicks(link, 0, &secrets);
        // A reader's id under a name that says so, or a name of one word, still counts.
        let ids = [
            "subscriberKey",
            "tracking_token",
            "clickToken",
            "uid",
            "tokenize",
            "subscriberkey",
            "trackingcode",
            "mkttok",
        ];
        assert_clicks(link, 1, &ids);
    }

    #[test]
    fn an_id_under_a_name_that_says_what_the_link_opens_names_that_thing_not_the_reader() {
        let link = |name: &str| {
            format!("https://www.videos.example/watch?v=dQw4w9WgXcQ&{name}=PLx7LmP2vRt9KwZ4bNc8DHj3FsW6y")
        };
        assert_clicks(link, 0, &["list", "playlist", "product", "docId"]);
        // The same id under a reader's name, or a name that only begins like a thing's.
        assert_clicks(link, 1, &["u", "id", "listener", "items_for"]);
    }

    #[test]
    fn a_link_carrying_a_secret_it_needs_is_personal_by_design_but_a_signed_redirector_is_not() {
        let id = "NGE3ZjkxMmQ0ZGQ2NGE3ZiByZWFkZXI";
        let secret = "MTkjYWxpY2VAZXhhbXBsZS5jb21mYTg0";
        // An invitation's view link: the event id beside the secret that opens it.
        let view = format!("https://cal.example/event?action=VIEW&eid={id}&tok={secret}");
        assert_eq!(clicks(&view), 0);
        // A redirector that signs its own link still records the click.
        let signed = format!("https://links.shop.example/c?id={id}&sig={secret}");
        assert_eq!(clicks(&signed), 1);
    }

    #[test]
    fn a_vendors_personal_page_named_by_a_service_page_rule_is_not_click_tracking() {
        let data = "MbQnwKHarN0NQXqV6O-ybkdC30BKlTDyOGQu3_r15ktoMDAwdTAwMHZ5qgYX4kk";
        // SendGrid's suppression page and Mailgun's unsubscribe path carry the reader's
        // token, as any unsubscribe link does; their paths do not say "unsubscribe".
        let sendgrid = format!("https://u4412987.ct.sendgrid.net/asm/?user_id=4412987&data={data}");
        assert_eq!(clicks(&sendgrid), 0);
        assert_eq!(
            clicks("https://email.mg.shop.example/u/eJwcyTEOgzAMAMDXwAayTTD2kKFPiZO6RCqkiujA"),
            0
        );
        // A hosted invoice page, named by Stripe's rule: the invoice's own link.
        assert_eq!(
            clicks(&format!(
                "https://invoice.stripe.com/i/acct_1AbCdEfGhIjKlMnO/live_{data}?s=em"
            )),
            0
        );
        // The same vendors' click paths are their redirectors.
        assert_eq!(
            clicks(&format!(
                "https://u4412987.ct.sendgrid.net/ls/click?upn=u001.{data}"
            )),
            1
        );
        assert_eq!(
            clicks("https://email.mg.shop.example/c/eJwcyTEOgzAMAMDXwAayTTD2kKFPiZO6RCqkiujA"),
            1
        );
    }

    #[test]
    fn a_reader_id_in_a_named_tracking_parameter_is_decoration_not_click_tracking() {
        let kinds = |href: &str| -> Vec<(Kind, String)> {
            findings_in_html(&format!("<a href=\"{href}\">x</a>"))
                .into_iter()
                .map(|f| (f.kind, f.technique))
                .collect()
        };
        // Eloqua's per-link id carried to a social network: the network records no click.
        assert_eq!(
            kinds("https://social.example/brand?elqTrackId=26b70ce0620a4ba5a190bb850f06fd60"),
            [(Kind::LinkDecoration, "tracking_parameters".to_owned())]
        );
        // A token of the link's own beside it still makes the link per-reader.
        let both =
            kinds("https://shop.example/p?mc_eid=4f2a9c1e7b&rid=Xq7LmP2vRt9KwZ4bNc8DHj3FsW6y");
        assert!(
            both.contains(&(Kind::ClickTracking, "link_token".to_owned())),
            "{both:?}"
        );
        assert!(both.contains(&(Kind::LinkDecoration, "tracking_parameters".to_owned())));
    }

    #[test]
    fn short_codes_beside_a_token_make_a_redirector_path_but_words_do_not() {
        let techniques = |href: &str| -> Vec<String> {
            findings_in_html(&format!("<a href=\"{href}\">x</a>"))
                .into_iter()
                .filter(|f| f.kind == Kind::ClickTracking)
                .map(|f| f.technique)
                .collect()
        };
        let token = "VVWC4R8xsF-5W7JnNJk3-Z2FwW6D6W6y565nTk";
        for codes in [
            "Xy/UC+113/d2G78g04",
            "Ab/k3J9x04",
            "Xq/AAEbnQA~",
            "z42-AQ/AQ/1",
        ] {
            assert_eq!(
                techniques(&format!("https://t.relay.example/{codes}/{token}")),
                ["link_token"],
                "{codes}"
            );
        }
        // A document's own path has a word among its segments.
        for words in [
            "document/d",
            "report2023/d",
            "share/Xq",
            "files/v2/downloads",
        ] {
            assert!(
                techniques(&format!("https://docs.relay.example/{words}/{token}")).is_empty(),
                "{words}"
            );
        }
        // A shared file's name after its id.
        for name in ["Q3.pdf", "IMG_1234.jpg"] {
            assert!(
                techniques(&format!("https://files.relay.example/s/{token}/{name}")).is_empty(),
                "{name}"
            );
        }
    }

    #[test]
    fn a_destination_among_the_segments_is_part_of_the_redirectors_path() {
        // The link's tokens tell an image on its host, with an identifier, from content.
        let id = "0100018a805796d8-97f4493f-6339-4ff1-8302-e68b9f16b121-000000";
        let image = format!("https://r.relay.example/im/{id}/1sRsDzGlA5zbyOZL3wSroehgcd1=");
        let html = |link: &str| {
            format!(r#"<a href="https://r.relay.example/Xq/{link}">x</a><img src="{image}">"#)
        };
        let image_kind = |html: &str| {
            findings_in_html(html)
                .into_iter()
                .find(|f| f.url.as_deref() == Some(image.as_str()))
                .map(|f| f.kind)
        };
        let wrapped = format!("https:%2F%2Fshop.example%2Fitem/1/{id}/Qm9ndXMxOTE=");
        assert_eq!(image_kind(&html(&wrapped)), Some(Kind::Pixel));
        // A word in its place marks a document's path, whose id says nothing of the reader.
        let worded = format!("article/1/{id}/Qm9ndXMxOTE=");
        assert_eq!(image_kind(&html(&worded)), Some(Kind::RemoteResource));
    }

    #[test]
    fn share_dialogs_name_the_page_to_share_and_track_no_click() {
        let page = "https%3A%2F%2Fshop.example%2Fblog%2Fpost";
        for dialog in [
            format!("https://social.example/sharer/sharer.php?u={page}"),
            format!("https://pro.example/shareArticle?mini=true&url={page}"),
            format!("https://micro.example/intent/tweet?url={page}&text=New"),
            format!("https://boards.example/pin/create/button/?url={page}"),
        ] {
            assert_eq!(clicks(&dialog), 0, "{dialog}");
        }
        // The same page wrapped by any other link is where the click goes.
        assert_eq!(clicks(&format!("https://r.relay.example/c?url={page}")), 1);
    }

    #[test]
    fn passcodes_parcel_numbers_invitation_answers_and_web_views_are_not_click_tracking() {
        for functional in [
            "https://meet.example/j/85912345678?pwd=QmZ4dEhYcE9XN2tWbGZ1R2xxU0xXdz09",
            "https://files.example/scl/fi/a1b2c3/report.pdf?rlkey=q8w7e6r5t4y3u2i1o0p9a8s7d&dl=0",
            "https://cal.example/event?action=RESPOND&eid=NmQ0dWJxYzRmaDVlZzFpMnNx&tok=MjAjYm9zc0Bl",
            "https://parcels.example/track?tracknum=1Z999AA10123456784&loc=en_US",
            "https://pages.shop.example/index.php/email/emailWebview?aliId=Xq7LmP2vRt9KwZ4bNc8D",
            "https://events.example/invite?guest=Xq7LmP2vRt9KwZ4bNc8DHj3FsW6y&do=rsvp",
        ] {
            assert_eq!(clicks(functional), 0, "{functional}");
        }
        // The same tokens on an ordinary page of the site identify who followed the link.
        assert_eq!(
            clicks("https://cal.example/event?action=VIEW&eid=NmQ0dWJxYzRmaDVlZzFpMnNx"),
            1
        );
    }
}
