//! What the URL-level detectors know about each URL of one message, worked out once.
//!
//! Open tracking, click tracking and the address-leak search ask the same questions of a URL:
//! where it leads once security gateways are peeled off, which rules name it, which identifier
//! tokens it carries, which destination it wraps. A newsletter repeats its links (the text part
//! and the HTML part name the same ones, a header and a footer repeat the logo), and asking
//! again costs as much as the first time: rule matching, percent-decoding and token scoring
//! are the bulk of a message's detection time. So every distinct URL gets one [`Facts`], and
//! each fact is computed on first use and kept for the rest of the message.
//!
//! Facts are keyed by the URL's serialisation, so `https://Shop.example/a` and
//! `https://shop.example/a` share them, as they would share every answer anyway.

use super::html::Resource;
use super::links;
use super::tokens::{identifier_tokens, Token};
use super::unwrap::{security_rewriter, wrapped_destination, Rewrite, Unwrapped};
use crate::party::Parties;
use crate::rules::category::SECURITY_REWRITER;
use crate::rules::{Rule, RuleSet};
use crate::weburl::WebUrl;
use foldhash::{HashMap, HashMapExt, HashSet};
use std::borrow::Cow;
use std::cell::{OnceCell, RefCell};
use std::rc::Rc;

/// How many security gateways are peeled off one link (they stack: Safe Links around URL
/// Defense); a crafted chain costs no more than this.
const MAX_GATEWAYS: usize = 3;

/// Tracking parameters of one URL told apart by searching the list of those kept; past this
/// many (only a crafted URL has them), by a set.
const FEW_PARAMS: usize = 16;

/// The facts of every URL one message's detectors have asked about.
pub(crate) struct UrlFacts<'a> {
    rules: &'a RuleSet,
    parties: &'a Parties,
    /// Entries never move or go away while the message is examined: others refer to them by
    /// index (not by `Rc`, so a gateway that wraps itself cannot make a cycle that leaks).
    entries: RefCell<Vec<Rc<Facts<'a>>>>,
    /// Keys borrow the text of URLs written in the message; only found destinations own theirs.
    by_url: RefCell<HashMap<Cow<'a, str>, usize>>,
    /// Whether each host seen is the sender's: a message's URLs have few hosts, and the
    /// answer takes a Public Suffix List lookup.
    first_party: RefCell<HashMap<String, bool>>,
    /// The entry of each resource's absolute URL, by the resource's index.
    of_resource: Vec<Option<usize>>,
}

/// What is known about one URL. Everything but the host is worked out on first use.
pub(crate) struct Facts<'a> {
    id: usize,
    /// Borrowed from the resource for a URL written in the message; owned for a destination
    /// found inside one.
    pub url: Cow<'a, WebUrl>,
    /// Lower-cased; empty when the URL has none. Borrowed with the URL when it is lower case
    /// already, as the hosts of http(s) URLs are.
    pub host: Cow<'a, str>,
    /// Whether the host belongs to the message's sender.
    pub first_party: bool,
    rules: OnceCell<Vec<&'a Rule>>,
    rewrite: OnceCell<Option<Rewrite>>,
    peeled: OnceCell<Option<Peeled>>,
    proxied: OnceCell<usize>,
    tokens: OnceCell<Vec<Token>>,
    tracking: OnceCell<Vec<Token>>,
    wrapped: OnceCell<Option<Unwrapped>>,
    destination: OnceCell<usize>,
    decoration: OnceCell<Decoration<'a>>,
}

/// A link with every security gateway's wrapping removed.
struct Peeled {
    target: usize,
    /// The gateways' names, outermost first.
    gateways: Vec<String>,
}

/// The tracking parameters of a URL's query, named by the decoration rules.
pub(crate) struct Decoration<'a> {
    /// Parameter names as written, each once whatever its case, in query order.
    pub params: Vec<String>,
    /// The rule naming the first of them.
    pub rule: Option<&'a Rule>,
}

impl<'a> UrlFacts<'a> {
    /// An entry for the absolute URL of every resource; repeats share one.
    pub fn new(resources: &'a [Resource], rules: &'a RuleSet, parties: &'a Parties) -> Self {
        let mut facts = UrlFacts {
            rules,
            parties,
            entries: RefCell::new(Vec::new()),
            // Sized for every resource at once: grown from empty, a newsletter's table was
            // rehashed five times.
            by_url: RefCell::new(HashMap::with_capacity(resources.len())),
            first_party: RefCell::new(HashMap::new()),
            of_resource: Vec::new(),
        };
        facts.of_resource = resources
            .iter()
            .map(|resource| {
                resource
                    .absolute
                    .as_ref()
                    .map(|url| facts.id_of(Cow::Borrowed(url)))
            })
            .collect();
        facts
    }

    /// The facts of the resource at `index`; `None` when it requests nothing.
    pub fn of(&self, index: usize) -> Option<Rc<Facts<'a>>> {
        let id = (*self.of_resource.get(index)?)?;
        Some(self.entry(id))
    }

    fn entry(&self, id: usize) -> Rc<Facts<'a>> {
        Rc::clone(&self.entries.borrow()[id])
    }

    /// The entry for `url`, made when it is new.
    fn id_of(&self, url: Cow<'a, WebUrl>) -> usize {
        if let Some(&id) = self.by_url.borrow().get(url.as_str()) {
            return id;
        }
        let host = match &url {
            Cow::Borrowed(url) => crate::ascii::lower(url.host_str().unwrap_or_default()),
            Cow::Owned(url) => Cow::Owned(url.host_str().unwrap_or_default().to_ascii_lowercase()),
        };
        let first_party = self.is_first_party(&host);
        let key = match &url {
            Cow::Borrowed(url) => Cow::Borrowed(url.as_str()),
            Cow::Owned(url) => Cow::Owned(url.as_str().to_owned()),
        };
        let mut entries = self.entries.borrow_mut();
        let id = entries.len();
        entries.push(Rc::new(Facts {
            id,
            first_party,
            host,
            url,
            rules: OnceCell::new(),
            rewrite: OnceCell::new(),
            peeled: OnceCell::new(),
            proxied: OnceCell::new(),
            tokens: OnceCell::new(),
            tracking: OnceCell::new(),
            wrapped: OnceCell::new(),
            destination: OnceCell::new(),
            decoration: OnceCell::new(),
        }));
        self.by_url.borrow_mut().insert(key, id);
        id
    }

    fn is_first_party(&self, host: &str) -> bool {
        if let Some(&known) = self.first_party.borrow().get(host) {
            return known;
        }
        let first_party = self.parties.is_first_party(host);
        self.first_party
            .borrow_mut()
            .insert(host.to_owned(), first_party);
        first_party
    }

    /// The entry for a URL given as text, when it parses.
    fn parsed(&self, text: &str) -> Option<usize> {
        WebUrl::parse(text)
            .ok()
            .map(|url| self.id_of(Cow::Owned(url)))
    }

    /// The URL rules matching the URL.
    pub fn rules<'f>(&self, facts: &'f Facts<'a>) -> &'f [&'a Rule] {
        facts.rules.get_or_init(|| self.rules.match_url(&facts.url))
    }

    /// The link with every security gateway's wrapping removed (they stack), and the gateways'
    /// names. `None` when a gateway holds the destination itself.
    pub fn peeled<'f>(&self, facts: &'f Facts<'a>) -> Option<(Rc<Facts<'a>>, &'f [String])> {
        let peeled = facts.peeled.get_or_init(|| self.peel(facts.id)).as_ref()?;
        Some((self.entry(peeled.target), &peeled.gateways))
    }

    fn peel(&self, id: usize) -> Option<Peeled> {
        let mut current = self.entry(id);
        let mut gateways = Vec::new();
        for _ in 0..MAX_GATEWAYS {
            let rewrite = current
                .rewrite
                .get_or_init(|| security_rewriter(&current.url));
            let next = if let Some(rewrite) = rewrite {
                gateways.push(rewrite.rewriter().to_owned());
                self.parsed(rewrite.destination()?)?
            } else {
                // A gateway the rules know but the unwrapper does not: take the wrapped
                // destination.
                let rules = self.rules(&current);
                let Some(gateway) = rules.iter().find(|r| r.category == SECURITY_REWRITER) else {
                    break;
                };
                gateways.push(gateway.vendor.clone());
                self.parsed(&current.wrapped()?.destination)?
            };
            current = self.entry(next);
        }
        Some(Peeled {
            target: current.id,
            gateways,
        })
    }

    /// What a mail program loads for the URL: behind a known image proxy, the original URL (it
    /// is what identifies the reader); otherwise the URL itself.
    pub fn proxied(&self, facts: &Facts<'a>) -> Rc<Facts<'a>> {
        let id = *facts.proxied.get_or_init(|| {
            let rewrite = facts.rewrite.get_or_init(|| security_rewriter(&facts.url));
            rewrite
                .as_ref()
                .and_then(Rewrite::destination)
                .and_then(|destination| self.parsed(destination))
                .unwrap_or(facts.id)
        });
        self.entry(id)
    }

    /// Where a link leads: the destination it wraps, or itself.
    pub fn destination(&self, facts: &Facts<'a>) -> Rc<Facts<'a>> {
        let id = *facts.destination.get_or_init(|| {
            facts
                .wrapped()
                .and_then(|wrapped| self.parsed(&wrapped.destination))
                .unwrap_or(facts.id)
        });
        self.entry(id)
    }

    /// Whether the rules name this query parameter as a tracking parameter (`utm_source`,
    /// `mc_eid`, `elqTrackId`).
    pub fn is_tracking_parameter(&self, name: &str) -> bool {
        self.rules.decoration_rule(name).is_some()
    }

    /// The tracking parameters in the URL's query, and in a query string carried whole as a
    /// parameter's value (see [`nested_query`]).
    pub fn decoration<'f>(&self, facts: &'f Facts<'a>) -> &'f Decoration<'a> {
        facts.decoration.get_or_init(|| {
            let mut found = FoundParams::default();
            let query = facts.url.query().unwrap_or_default();
            for (name, value) in super::raw_query_pairs(query) {
                found.check(self.rules, super::form_decoded(name));
                if let Some(nested) = nested_query(value) {
                    for (inner, _) in super::raw_query_pairs(&nested) {
                        found.check(self.rules, super::form_decoded(inner));
                    }
                }
            }
            Decoration {
                params: found.params,
                rule: found.rule,
            }
        })
    }
}

/// The tracking parameters found in one URL so far, each once whatever its case.
#[derive(Default)]
struct FoundParams<'a> {
    params: Vec<String>,
    /// The names kept, lower-cased, once there are more than a few: a URL of tens of
    /// thousands of tracking parameters made the search of the list quadratic (80,000 took
    /// 16 s).
    kept: Option<HashSet<String>>,
    rule: Option<&'a Rule>,
}

impl<'a> FoundParams<'a> {
    fn check(&mut self, rules: &'a RuleSet, name: Cow<'_, str>) {
        let Some(found) = rules.decoration_rule(&name) else {
            return;
        };
        let repeated = if self.params.len() < FEW_PARAMS {
            self.params.iter().any(|p| p.eq_ignore_ascii_case(&name))
        } else {
            let params = &self.params;
            let kept = self
                .kept
                .get_or_insert_with(|| params.iter().map(|p| p.to_ascii_lowercase()).collect());
            !kept.insert(name.to_ascii_lowercase())
        };
        if !repeated {
            self.params.push(name.into_owned());
        }
        self.rule = self.rule.or(Some(found));
    }
}

/// A query string passed on whole, percent-encoded, as one parameter's value, decoded: the
/// Play Store's `referrer=utm_source%3Dnews%26utm_medium%3Demail` hands the campaign to the
/// app on install, and app-attribution and deep links do the same. A value that is a URL
/// (`https://…?utm_source=…`) is not one: a wrapped destination is judged as a link of its
/// own (`unwrap`).
fn nested_query(raw_value: &str) -> Option<String> {
    // Only an encoded `=` makes a nested query: most values have none, and are not decoded.
    let bytes = raw_value.as_bytes();
    let encoded_equals = memchr::memchr_iter(b'%', bytes)
        .any(|at| matches!(bytes.get(at + 1..at + 3), Some(b"3D" | b"3d")));
    if !encoded_equals {
        return None;
    }
    let value = super::form_decoded(raw_value);
    let first_name = &value[..value.find('=')?];
    let plain_name = !first_name.is_empty() && !first_name.contains([':', '/', '?', '#', ' ']);
    plain_name.then(|| value.into_owned())
}

impl Facts<'_> {
    /// Whether two facts are about the same URL.
    pub fn same_url(&self, other: &Facts<'_>) -> bool {
        self.id == other.id
    }

    /// Tells this URL from the message's others.
    pub fn id(&self) -> usize {
        self.id
    }

    /// The identifier tokens of the URL.
    pub fn tokens(&self) -> &[Token] {
        self.tokens.get_or_init(|| identifier_tokens(&self.url))
    }

    /// The tokens that identify a reader in a link (see `links::tracking_tokens`).
    pub fn tracking_tokens(&self) -> &[Token] {
        self.tracking
            .get_or_init(|| links::tracking_tokens(&self.url, self.tokens()))
    }

    /// The destination the URL wraps, if any.
    pub fn wrapped(&self) -> Option<&Unwrapped> {
        self.wrapped
            .get_or_init(|| wrapped_destination(&self.url))
            .as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detect::html::Role;

    fn link(url: &str) -> Resource {
        Resource {
            url: url.to_owned(),
            absolute: crate::detect::html::resolve(url, None),
            role: Role::Link,
            element: "a".into(),
            attribute: "href".into(),
            part: 0,
            width: None,
            height: None,
            hidden: None,
            conditional: false,
        }
    }

    #[test]
    fn tracking_parameters_are_listed_once_each_in_query_order_whatever_their_case() {
        // More than are told apart by a search of the list, so the set takes over; repeats
        // come both before and after it does.
        let names: Vec<String> = (0..40).map(|i| format!("adj_p{i}")).collect();
        let mut query: Vec<String> = names.iter().map(|n| format!("{n}=1")).collect();
        query.insert(3, "ADJ_P1=2".to_owned());
        query.push("Adj_P30=3&id=7&adj_p0=4".to_owned());
        let resources = [link(&format!("https://shop.example/x?{}", query.join("&")))];
        let rules = RuleSet::builtin().unwrap();
        let parties = Parties::default();
        let urls = UrlFacts::new(&resources, &rules, &parties);
        let facts = urls.of(0).unwrap();
        let decoration = urls.decoration(&facts);
        assert_eq!(decoration.params, names);
        assert!(decoration.rule.is_some());
    }

    #[test]
    fn tracking_parameters_inside_a_query_string_passed_as_a_value_are_found() {
        let rules = RuleSet::builtin().unwrap();
        let parties = Parties::default();
        let resources = [
            link("https://play.google.com/store/apps/details?id=app.example&referrer=utm_source%3Dnews%26utm_medium%3Demail"),
            // A wrapped URL is a destination of its own, judged as a link (unwrap.rs).
            link("https://go.example/r?url=https%3A%2F%2Fshop.example%2F%3Futm_source%3Dnews"),
            // An encoded `=` that starts no query string: a base64 token's padding.
            link("https://shop.example/a?t=c2hvcA%3D%3D"),
        ];
        let urls = UrlFacts::new(&resources, &rules, &parties);
        let params = |index| urls.decoration(&urls.of(index).unwrap()).params.clone();
        assert_eq!(params(0), ["utm_source", "utm_medium"]);
        assert!(params(1).is_empty());
        assert!(params(2).is_empty());
    }

    #[test]
    fn a_repeated_url_is_one_entry_and_gateways_are_peeled_into_another() {
        let rules = RuleSet::builtin().unwrap();
        let parties = Parties::default();
        let resources = [
            link("https://shop.example/item?id=3"),
            link("https://SHOP.example/item?id=3"),
            link("https://nam02.safelinks.protection.outlook.com/?url=https%3A%2F%2Fshop.example%2Fitem%3Fid%3D3&data=05"),
            link("https://protect-eu.mimecast.com/s/Xc9bCp7Gq2fJk1LmN4rT?domain=shop.example"),
            link("cid:logo"),
        ];
        let urls = UrlFacts::new(&resources, &rules, &parties);
        let plain = urls.of(0).unwrap();
        assert!(plain.same_url(&urls.of(1).unwrap()));
        assert_eq!(plain.host, "shop.example");
        let wrapped = urls.of(2).unwrap();
        assert!(!wrapped.same_url(&plain));
        let (target, gateways) = urls.peeled(&wrapped).unwrap();
        assert!(target.same_url(&plain));
        assert_eq!(gateways, ["Microsoft Defender Safe Links"]);
        let (itself, none) = urls.peeled(&plain).unwrap();
        assert!(itself.same_url(&plain) && none.is_empty());
        // Mimecast keeps the destination: nothing to peel to.
        assert!(urls.peeled(&urls.of(3).unwrap()).is_none());
        assert!(urls.of(4).is_none());
        assert!(urls.of(5).is_none());
    }
}
