//! Tracker knowledge as data: loading, validating and compiling `rules/*.toml` (format in
//! docs/rules.md) into an immutable index that every scanning thread shares.
//!
//! Rules are looked up, never scanned: header rules by lower-cased header name (plus a short
//! list of name prefixes), URL rules by host suffix, decoration rules by parameter name. A URL
//! is tested only against the rules its host or parameters select.

use crate::detect::{form_decoded, raw_query_pairs};
use crate::finding::Kind;
use crate::weburl::WebUrl;
use foldhash::{HashMap, HashMapExt};
use regex::{Regex, RegexBuilder};
use serde::Deserialize;
use std::borrow::Cow;
use std::cell::OnceCell;
use std::collections::BTreeSet;
use std::path::Path;
use std::sync::OnceLock;

mod header_index;
mod path_index;

use header_index::HeaderIndex;
use path_index::PathIndex;

include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));

/// A compiled regex may not exceed this size: a rule file must not be able to exhaust memory.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// A problem in a rule file, located by file and line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {message}")]
pub struct RuleError {
    /// `file:line`
    pub origin: String,
    pub message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    #[serde(default)]
    rule: Vec<RawRule>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: toml::Spanned<String>,
    vendor: String,
    category: String,
    kind: String,
    #[serde(default)]
    reference: Option<String>,
    #[serde(default)]
    headers: Vec<String>,
    #[serde(default)]
    value: Option<String>,
    #[serde(default)]
    hosts: Vec<String>,
    #[serde(default)]
    path: Option<String>,
    #[serde(default)]
    params: Vec<String>,
    #[serde(default)]
    examples: RawExamples,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExamples {
    #[serde(default, rename = "match")]
    matches: Vec<String>,
    #[serde(default)]
    no_match: Vec<String>,
}

/// A header name pattern: exact, or a prefix when written with a trailing `*`.
#[derive(Debug, Clone)]
struct HeaderPattern {
    lower: String,
    prefix: bool,
}

/// A rule's regex. The patterns of rule files the user gives are compiled as they load, so a
/// bad one is reported at once. The embedded rules' patterns are compiled on first use: most
/// of them are never tried on a given archive, and compiling all of them cost 61 M
/// instructions (about 20 ms) before the first message could be scanned. That they compile
/// is checked by `check_examples`, which `mailtrace rules test` and the test suite run.
#[derive(Debug, Clone)]
struct Pattern {
    text: String,
    compiled: OnceLock<Result<Compiled, String>>,
}

#[derive(Debug, Clone)]
struct Compiled {
    regex: Regex,
    /// The texts one of which every match starts with, for a pattern anchored at the start of
    /// the text (`^/track/click`), and those one of which it ends with, for one anchored at the
    /// end (`/mailing-read\.php$`). The paths a host's rules are tried on mostly start or end
    /// otherwise, and a look at their first and last bytes spares the regex, whose tables have
    /// gone cold since the last message. A host-less rule whose pattern starts with a bare `/`
    /// is a candidate for every path, and only its end can turn most of them away.
    starts: Option<Vec<Vec<u8>>>,
    ends: Option<Vec<Vec<u8>>>,
}

/// Beyond this many start or end texts (a class like `[0-9]` makes one per member), the
/// regex alone.
const MAX_ENDS: usize = 16;

impl Pattern {
    fn new(text: &str) -> Pattern {
        Pattern {
            text: text.to_owned(),
            compiled: OnceLock::new(),
        }
    }

    fn compiled(&self) -> Result<&Regex, &str> {
        self.compiled_with_ends().map(|compiled| &compiled.regex)
    }

    fn compiled_with_ends(&self) -> Result<&Compiled, &str> {
        self.compiled
            .get_or_init(|| {
                let regex = RegexBuilder::new(&self.text)
                    .size_limit(REGEX_SIZE_LIMIT)
                    .build()
                    .map_err(|err| err.to_string())?;
                let few = |texts: &Vec<Vec<u8>>| texts.len() <= MAX_ENDS;
                let (starts, ends) = path_index::literal_ends(&self.text);
                let (starts, ends) = (starts.filter(few), ends.filter(few));
                Ok(Compiled {
                    regex,
                    starts,
                    ends,
                })
            })
            .as_ref()
            .map_err(String::as_str)
    }

    /// A pattern that does not compile matches nothing (and `check_examples` reports it).
    fn is_match(&self, haystack: &str) -> bool {
        let Ok(compiled) = self.compiled_with_ends() else {
            return false;
        };
        let text = haystack.as_bytes();
        let starts_well = (compiled.starts.as_ref())
            .is_none_or(|starts| starts.iter().any(|start| text.starts_with(start)));
        let ends_well =
            (compiled.ends.as_ref()).is_none_or(|ends| ends.iter().any(|end| text.ends_with(end)));
        starts_well && ends_well && compiled.regex.is_match(haystack)
    }

    fn as_str(&self) -> &str {
        &self.text
    }
}

/// The rule categories the detectors treat apart (docs/rules.md); every other category only
/// labels its vendor.
pub mod category {
    /// Gateways that wrap links or images for the reader's own organisation: peeled off.
    pub const SECURITY_REWRITER: &str = "security-rewriter";
    /// Public shorteners: they count clicks for whoever made the link, not for the sender.
    pub const LINK_SHORTENER: &str = "link-shortener";
    /// Public hosts of uploaded images: an upload's id is not the reader's.
    pub const CONTENT_HOST: &str = "content-host";
    /// A vendor's own unsubscribe or preference pages, whose paths say nothing of it
    /// (SendGrid's `/asm/`, Mailgun's `/u/`): personal by design, as a page named
    /// `unsubscribe` is, not click tracking.
    pub const SERVICE_PAGE: &str = "service-page";
}

/// One compiled rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub vendor: String,
    pub category: String,
    pub kind: Kind,
    pub reference: Option<String>,
    headers: Vec<HeaderPattern>,
    value: Option<Pattern>,
    pub hosts: Vec<String>,
    path: Option<Pattern>,
    pub params: Vec<String>,
    pub examples_match: Vec<String>,
    pub examples_no_match: Vec<String>,
    /// `file:line` of the rule's id, for messages.
    pub origin: String,
}

impl Rule {
    /// Whether the rule's value pattern, if it has one, matches a header value.
    fn value_matches(&self, value: &str) -> bool {
        self.value
            .as_ref()
            .is_none_or(|pattern| pattern.is_match(value))
    }

    /// Whether the rule matches a URL (host suffix, path, parameters: each when given).
    pub fn matches_url(&self, url: &WebUrl) -> bool {
        self.matches(&UrlFacts::of(url))
    }

    fn matches(&self, url: &UrlFacts<'_>) -> bool {
        let host_ok = self.hosts.is_empty()
            || self
                .hosts
                .iter()
                .any(|suffix| host_has_suffix(&url.host, suffix));
        let params_ok =
            self.params.is_empty() || url.params().iter().any(|name| self.has_param(name));
        // The regex last: it is the costly test.
        host_ok
            && params_ok
            && self
                .path
                .as_ref()
                .is_none_or(|pattern| pattern.is_match(url.path))
    }

    /// Whether a query parameter name is one of this rule's (a trailing `*` is a prefix).
    pub fn has_param(&self, name: &str) -> bool {
        self.params
            .iter()
            .any(|pattern| param_matches(pattern, name))
    }

    fn is_header_rule(&self) -> bool {
        self.kind == Kind::EspHeader
    }
}

/// What rules look at in a URL, taken out once per URL rather than once per rule, without
/// copying: a host with no capital is used as it is, and the query's parameter names are
/// decoded only when a candidate rule asks for parameters (few do).
struct UrlFacts<'u> {
    host: Cow<'u, str>,
    path: &'u str,
    url: &'u WebUrl,
    params: OnceCell<Vec<Cow<'u, str>>>,
}

impl<'u> UrlFacts<'u> {
    fn of(url: &'u WebUrl) -> UrlFacts<'u> {
        let host = url.host_str().unwrap_or_default().trim_end_matches('.');
        UrlFacts {
            host: crate::ascii::lower(host),
            path: url.path(),
            url,
            params: OnceCell::new(),
        }
    }

    /// The query's parameter names, decoded as `Url::query_pairs` decodes them. The values
    /// are left as written: decoding them (long tokens and wrapped URLs) was most of the cost.
    fn params(&self) -> &[Cow<'u, str>] {
        self.params.get_or_init(|| {
            let query = self.url.query().unwrap_or_default();
            raw_query_pairs(query)
                .map(|(name, _)| form_decoded(name))
                .collect()
        })
    }
}

fn param_matches(pattern: &str, name: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(stem) => {
            name.len() >= stem.len()
                && name.is_char_boundary(stem.len())
                && name[..stem.len()].eq_ignore_ascii_case(stem)
        }
        None => pattern.eq_ignore_ascii_case(name),
    }
}

fn host_has_suffix(host: &str, suffix: &str) -> bool {
    let host = host.trim_end_matches('.');
    host.eq_ignore_ascii_case(suffix)
        || (host.len() > suffix.len()
            && host.as_bytes()[host.len() - suffix.len() - 1] == b'.'
            && host[host.len() - suffix.len()..].eq_ignore_ascii_case(suffix))
}

/// The compiled, immutable rule index shared by all scanning threads.
#[derive(Debug, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
    headers: HeaderIndex,
    by_host: HashMap<String, Vec<usize>>,
    /// The longest host in `by_host`: a longer suffix of a URL's host cannot be one, and is
    /// not hashed (a host of millions of labels made hashing every suffix quadratic).
    longest_host: usize,
    /// URL rules with no host: a path shape distinctive enough to match on any (branded) host.
    /// Those with a path are found through the text their path starts with (or a regex set);
    /// the few without are always tried.
    hostless_with_path: Vec<usize>,
    hostless_paths: PathIndex,
    hostless_any_path: Vec<usize>,
    /// Decoration parameters (lower-cased) and parameter prefixes → their `link_decoration` rule.
    decoration_params: HashMap<String, usize>,
    decoration_prefixes: Vec<(String, usize)>,
    version: String,
}

impl RuleSet {
    /// The rules embedded in the binary.
    pub fn builtin() -> Result<RuleSet, Vec<RuleError>> {
        let files = embedded_sources();
        RuleSet::load(&files, files.len())
    }

    /// The embedded rules plus every `*.toml` in `dir`.
    pub fn builtin_with_dir(dir: &Path) -> Result<RuleSet, Vec<RuleError>> {
        let mut files = embedded_sources();
        let embedded = files.len();
        files.extend(read_dir_sources(dir)?);
        RuleSet::load(&files, embedded)
    }

    /// Only the rules in `dir` (for `rules test DIR`).
    pub fn from_dir(dir: &Path) -> Result<RuleSet, Vec<RuleError>> {
        RuleSet::from_sources(&read_dir_sources(dir)?)
    }

    /// Compiles rule files given as (name, text) pairs. Every problem is reported, not just
    /// the first.
    pub fn from_sources(files: &[(String, String)]) -> Result<RuleSet, Vec<RuleError>> {
        RuleSet::load(files, 0)
    }

    /// Compiles rule files, of which the first `embedded` are the binary's own: their regexes
    /// are compiled on first use (see `Pattern`).
    fn load(files: &[(String, String)], embedded: usize) -> Result<RuleSet, Vec<RuleError>> {
        let mut errors = Vec::new();
        let mut set = RuleSet::default();
        let mut seen_ids: HashMap<String, String> = HashMap::new();
        for (index, (name, text)) in files.iter().enumerate() {
            let eager = index >= embedded;
            let file: RuleFile = match toml::from_str(text) {
                Ok(file) => file,
                Err(err) => {
                    let line = err
                        .span()
                        .map(|span| line_of(text, span.start))
                        .unwrap_or(1);
                    errors.push(RuleError {
                        origin: format!("{name}:{line}"),
                        message: err.message().to_owned(),
                    });
                    continue;
                }
            };
            for raw in file.rule {
                let origin = format!("{name}:{}", line_of(text, raw.id.span().start));
                match compile(raw, &origin, eager) {
                    Ok(rule) => {
                        if let Some(first) = seen_ids.insert(rule.id.clone(), origin.clone()) {
                            errors.push(RuleError {
                                origin,
                                message: format!("duplicate id {:?} (first at {first})", rule.id),
                            });
                            continue;
                        }
                        set.rules.push(rule);
                    }
                    Err(message) => errors.push(RuleError { origin, message }),
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        set.index();
        let patterns = set
            .hostless_with_path
            .iter()
            .filter_map(|&i| Some((i, set.rules[i].path.as_ref()?.as_str())));
        match PathIndex::build(patterns, REGEX_SIZE_LIMIT * 32) {
            Ok(paths) => set.hostless_paths = paths,
            Err(err) => {
                return Err(vec![RuleError {
                    origin: "rules".to_owned(),
                    message: format!("the host-less path rules do not compile together: {err}"),
                }])
            }
        }
        set.version = version_of(files);
        Ok(set)
    }

    fn index(&mut self) {
        for (i, rule) in self.rules.iter().enumerate() {
            for pattern in &rule.headers {
                self.headers.add(i, &pattern.lower, pattern.prefix);
            }
            if rule.is_header_rule() {
                continue;
            }
            if rule.kind == Kind::LinkDecoration && rule.hosts.is_empty() && rule.path.is_none() {
                for param in &rule.params {
                    match param.strip_suffix('*') {
                        Some(stem) => self
                            .decoration_prefixes
                            .push((stem.to_ascii_lowercase(), i)),
                        None => {
                            self.decoration_params
                                .entry(param.to_ascii_lowercase())
                                .or_insert(i);
                        }
                    }
                }
                continue;
            }
            if rule.hosts.is_empty() {
                match rule.path {
                    Some(_) => self.hostless_with_path.push(i),
                    None => self.hostless_any_path.push(i),
                }
            }
            for host in &rule.hosts {
                self.longest_host = self.longest_host.max(host.len());
                self.by_host.entry(host.clone()).or_default().push(i);
            }
        }
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// A short fingerprint of the rule texts, so a report says which rules produced it.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// Whether any header rule could match a header of this name: a cheap test that spares
    /// reading (and unfolding) the values of the many headers no rule is about.
    pub fn has_header_rule(&self, name: &str) -> bool {
        self.headers.names(name)
    }

    /// The header rules matching one header.
    pub fn match_header<'s>(
        &'s self,
        name: &str,
        value: &str,
    ) -> impl Iterator<Item = &'s Rule> + 's {
        let found = self.headers.matching(&self.rules, name, value);
        found.into_iter().map(move |i| &self.rules[i])
    }

    /// The URL rules matching a URL: candidates by each suffix of its host, plus host-less ones.
    pub fn match_url(&self, url: &WebUrl) -> Vec<&Rule> {
        let facts = UrlFacts::of(url);
        // Room for a few host and path candidates besides: most URLs have one or two.
        let mut candidates: Vec<usize> = Vec::with_capacity(self.hostless_any_path.len() + 8);
        candidates.extend_from_slice(&self.hostless_any_path);
        self.hostless_paths.candidates(facts.path, &mut candidates);
        let mut suffix: &str = &facts.host;
        while !suffix.is_empty() {
            if suffix.len() <= self.longest_host {
                if let Some(ids) = self.by_host.get(suffix) {
                    candidates.extend(ids);
                }
            }
            suffix = memchr::memchr(b'.', suffix.as_bytes()).map_or("", |at| &suffix[at + 1..]);
        }
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .map(|i| &self.rules[i])
            .filter(|rule| rule.matches(&facts))
            .collect()
    }

    /// The `link_decoration` rule that names a query parameter (`utm_source`, `mc_eid`, …).
    pub fn decoration_rule(&self, param: &str) -> Option<&Rule> {
        let lower = crate::ascii::lower(param);
        if let Some(&i) = self.decoration_params.get(lower.as_ref()) {
            return self.rules.get(i);
        }
        self.decoration_prefixes
            .iter()
            .find(|(stem, _)| lower.starts_with(stem.as_str()))
            .and_then(|&(_, i)| self.rules.get(i))
    }

    fn example_matches(&self, rule: &Rule, url: &WebUrl) -> bool {
        if self.is_decoration_only(rule) {
            return url
                .query_pairs()
                .any(|(name, _)| self.decoration_rule(&name).is_some_and(|r| r.id == rule.id));
        }
        self.match_url(url).iter().any(|r| r.id == rule.id)
    }

    fn is_decoration_only(&self, rule: &Rule) -> bool {
        rule.kind == Kind::LinkDecoration && rule.hosts.is_empty() && rule.path.is_none()
    }

    /// Runs every rule's examples; returns one error per example that misbehaves.
    pub fn check_examples(&self) -> Vec<RuleError> {
        let mut errors = Vec::new();
        for rule in &self.rules {
            for pattern in rule.value.iter().chain(&rule.path) {
                if let Err(err) = pattern.compiled() {
                    errors.push(RuleError {
                        origin: rule.origin.clone(),
                        message: format!("{}: bad regex {:?}: {err}", rule.id, pattern.as_str()),
                    });
                }
            }
            for (examples, name) in [
                (&rule.examples_match, "examples.match"),
                (&rule.examples_no_match, "examples.no_match"),
            ] {
                if examples.is_empty() {
                    errors.push(RuleError {
                        origin: rule.origin.clone(),
                        message: format!(
                            "{}: no {name}: every rule proves itself both ways",
                            rule.id
                        ),
                    });
                }
            }
            let cases = rule
                .examples_match
                .iter()
                .map(|e| (e, true))
                .chain(rule.examples_no_match.iter().map(|e| (e, false)));
            for (example, expected) in cases {
                let got = if rule.is_header_rule() {
                    match example.split_once(':') {
                        Some((name, value)) => self
                            .match_header(name.trim(), value.trim())
                            .any(|r| r.id == rule.id),
                        None => {
                            errors.push(RuleError {
                                origin: rule.origin.clone(),
                                message: format!(
                                    "{}: header example {example:?} has no colon",
                                    rule.id
                                ),
                            });
                            continue;
                        }
                    }
                } else {
                    match WebUrl::parse(example) {
                        Ok(url) => self.example_matches(rule, &url),
                        Err(err) => {
                            errors.push(RuleError {
                                origin: rule.origin.clone(),
                                message: format!(
                                    "{}: example {example:?} is not a URL: {err}",
                                    rule.id
                                ),
                            });
                            continue;
                        }
                    }
                };
                if got != expected {
                    let should = if expected {
                        "should match"
                    } else {
                        "should not match"
                    };
                    errors.push(RuleError {
                        origin: rule.origin.clone(),
                        message: format!("{}: {should} {example:?}", rule.id),
                    });
                }
            }
        }
        errors
    }

    /// Distinct vendors, for listings.
    pub fn vendors(&self) -> BTreeSet<&str> {
        self.rules.iter().map(|r| r.vendor.as_str()).collect()
    }
}

fn read_dir_sources(dir: &Path) -> Result<Vec<(String, String)>, Vec<RuleError>> {
    let fail = |message: String| {
        vec![RuleError {
            origin: dir.display().to_string(),
            message,
        }]
    };
    let entries =
        std::fs::read_dir(dir).map_err(|err| fail(format!("cannot read rule folder: {err}")))?;
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            std::fs::read_to_string(&path)
                .map(|text| (path.display().to_string(), text))
                .map_err(|err| fail(format!("cannot read {}: {err}", path.display())))
        })
        .collect()
}

fn embedded_sources() -> Vec<(String, String)> {
    EMBEDDED_RULES
        .iter()
        .map(|(name, text)| (format!("rules/{name}"), (*text).to_owned()))
        .collect()
}

/// Checks and compiles one rule; `eager` compiles its regexes now (see `Pattern`).
fn compile(raw: RawRule, origin: &str, eager: bool) -> Result<Rule, String> {
    let id = raw.id.into_inner();
    if id.is_empty()
        || id != id.to_ascii_lowercase()
        || !id.contains('/')
        || id.contains(char::is_whitespace)
    {
        return Err(format!("id {id:?} must be lower-case `vendor/purpose`"));
    }
    let kind =
        Kind::parse(&raw.kind).ok_or_else(|| format!("{id}: unknown kind {:?}", raw.kind))?;
    if matches!(
        kind,
        Kind::AddressLeak | Kind::ReadReceipt | Kind::DeliveryReceipt
    ) {
        return Err(format!(
            "{id}: kind {:?} is found by heuristics, not rules",
            raw.kind
        ));
    }
    let regex = |text: &str| {
        let pattern = Pattern::new(text);
        if eager {
            pattern
                .compiled()
                .map_err(|err| format!("{id}: bad regex {text:?}: {err}"))?;
        }
        Ok::<_, String>(pattern)
    };
    let headers: Vec<HeaderPattern> = raw
        .headers
        .iter()
        .map(|name| {
            let (name, prefix) = match name.strip_suffix('*') {
                Some(stem) => (stem, true),
                None => (name.as_str(), false),
            };
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_graphic() && b != b':') {
                return Err(format!("{id}: bad header name {name:?}"));
            }
            Ok(HeaderPattern {
                lower: name.to_ascii_lowercase(),
                prefix,
            })
        })
        .collect::<Result<_, _>>()?;
    let hosts: Vec<String> = raw
        .hosts
        .iter()
        .map(|host| normalise_host(host).ok_or_else(|| format!("{id}: bad host {host:?}")))
        .collect::<Result<_, _>>()?;
    let value = raw.value.as_deref().map(regex).transpose()?;
    let path = raw.path.as_deref().map(regex).transpose()?;
    if kind == Kind::EspHeader {
        if headers.is_empty() {
            return Err(format!("{id}: an esp_header rule needs `headers`"));
        }
    } else if hosts.is_empty() && path.is_none() && raw.params.is_empty() {
        return Err(format!(
            "{id}: a URL rule needs `hosts`, `path` or `params`"
        ));
    }
    let _ = origin;
    Ok(Rule {
        id,
        vendor: raw.vendor,
        category: raw.category,
        kind,
        reference: raw.reference,
        headers,
        value,
        hosts,
        path,
        params: raw.params,
        examples_match: raw.examples.matches,
        examples_no_match: raw.examples.no_match,
        origin: origin.to_owned(),
    })
}

/// Hosts are compared lower-case, without scheme, port, path or surrounding dots.
fn normalise_host(host: &str) -> Option<String> {
    let host = host.trim().trim_matches('.').to_ascii_lowercase();
    let valid = !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    valid.then_some(host)
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// FNV-1a over the file names and texts: stable across runs and machines.
fn version_of(files: &[(String, String)]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (name, text) in files {
        for byte in name.bytes().chain(text.bytes()) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{:016x}", hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(text: &str) -> Result<RuleSet, Vec<RuleError>> {
        RuleSet::from_sources(&[("t.toml".to_owned(), text.to_owned())])
    }

    const RULE: &str = r#"
[[rule]]
id = "acme/header"
vendor = "Acme"
category = "esp"
kind = "esp_header"
headers = ["X-Acme-Id", "X-Acme-Trace-*"]
examples.match = ["X-Acme-Id: 1"]
examples.no_match = ["X-Acme: 1"]
"#;

    #[test]
    fn header_rules_match_by_name_without_case_and_by_prefix() {
        let rules = set(RULE).unwrap();
        assert_eq!(rules.match_header("x-acme-id", "1").count(), 1);
        assert_eq!(rules.match_header("X-ACME-TRACE-7", "1").count(), 1);
        assert_eq!(rules.match_header("X-Acme", "1").count(), 0);
        assert!(rules.check_examples().is_empty());
        // Names are lower-cased on the stack up to a length, and allocated past it; a prefix is
        // only tried on names that start with its first letter.
        for (name, named) in [
            ("X-ACME-ID", true),
            ("X-Acme-Trace-", true),
            ("x-acme-trace-7", true),
            ("Y-Acme-Trace-7", false),
            ("X-Acme", false),
            ("Received", false),
            ("", false),
        ] {
            assert_eq!(rules.has_header_rule(name), named, "{name}");
        }
        let long = format!("X-Acme-Trace-{}", "Ab".repeat(60));
        assert!(rules.has_header_rule(&long));
        assert_eq!(rules.match_header(&long, "1").count(), 1);
        assert!(!rules.has_header_rule(&long.replace("X-", "Z-")));
    }

    #[test]
    fn errors_name_the_file_and_line() {
        let text = format!("{RULE}{RULE}");
        let second_id_line = text
            .lines()
            .enumerate()
            .filter(|(_, line)| line.starts_with("id = "))
            .nth(1)
            .map(|(i, _)| i + 1)
            .unwrap();
        let errors = set(&text).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].origin, format!("t.toml:{second_id_line}"));
        assert!(errors[0].message.contains("duplicate id"));
        let bad = RULE.replace("esp_header", "telepathy");
        assert!(set(&bad).unwrap_err()[0].message.contains("unknown kind"));
    }

    #[test]
    fn decoration_parameters_are_found_by_name_and_prefix() {
        let rules = set(r#"
[[rule]]
id = "google-analytics/utm"
vendor = "Google Analytics"
category = "analytics"
kind = "link_decoration"
params = ["utm_*", "_ga"]
examples.match = ["https://shop.example/?utm_source=news"]
examples.no_match = ["https://shop.example/?source=news"]
"#)
        .unwrap();
        assert_eq!(
            rules.decoration_rule("UTM_Campaign").unwrap().vendor,
            "Google Analytics"
        );
        assert!(rules.decoration_rule("_ga").is_some());
        assert!(rules.decoration_rule("utm").is_none());
        let url = WebUrl::parse("https://shop.example/?utm_source=x").unwrap();
        assert!(
            rules.match_url(&url).is_empty(),
            "decoration rules are not URL rules"
        );
        assert!(rules.check_examples().is_empty());
    }

    #[test]
    fn host_suffixes_match_on_label_boundaries_only() {
        assert!(host_has_suffix("t.list-manage.com", "list-manage.com"));
        assert!(host_has_suffix("list-manage.com", "list-manage.com"));
        assert!(!host_has_suffix("evillist-manage.com", "list-manage.com"));
    }

    #[test]
    fn a_bad_regex_is_reported_at_load_from_a_user_file_and_by_the_check_when_embedded() {
        let bad = RULE.replace(
            "headers = [\"X-Acme-Id\", \"X-Acme-Trace-*\"]",
            "headers = [\"X-Acme-Id\"]\nvalue = \"(unclosed\"",
        );
        let files = [("t.toml".to_owned(), bad)];
        let errors = RuleSet::from_sources(&files).unwrap_err();
        assert!(errors[0].message.contains("bad regex"), "{errors:?}");
        // Compiled on first use: loading succeeds, the rule never matches, the check says why.
        let rules = RuleSet::load(&files, 1).unwrap();
        assert_eq!(rules.match_header("X-Acme-Id", "1").count(), 0);
        let errors = rules.check_examples();
        assert!(
            errors.iter().any(|e| e.message.contains("bad regex")),
            "{errors:?}"
        );
    }

    /// Every example URL's path, and shapes near it: longer, cut short, upper-cased.
    fn example_paths(rules: &RuleSet) -> BTreeSet<String> {
        let mut paths = BTreeSet::new();
        for rule in rules.rules() {
            for example in rule.examples_match.iter().chain(&rule.examples_no_match) {
                let Ok(url) = WebUrl::parse(example) else {
                    continue;
                };
                let path = url.path().to_owned();
                paths.insert(format!("{path}/x"));
                paths.insert(path[..path.len() / 2].to_owned());
                paths.insert(path.to_ascii_uppercase());
                paths.insert(path);
            }
        }
        paths
    }

    #[test]
    fn host_less_candidates_hold_every_rule_whose_path_matches() {
        let rules = RuleSet::builtin().unwrap();
        let mut matched = 0;
        for path in &example_paths(&rules) {
            let mut candidates = Vec::new();
            rules.hostless_paths.candidates(path, &mut candidates);
            for &i in &rules.hostless_with_path {
                let rule = &rules.rules[i];
                // The regex alone, without the start texts `Pattern::is_match` looks at first.
                let regex = rule.path.as_ref().map(|p| p.compiled().unwrap());
                if regex.is_some_and(|regex| regex.is_match(path)) {
                    matched += 1;
                    assert!(candidates.contains(&i), "{} matches {path:?}", rule.id);
                }
            }
        }
        assert!(
            matched >= rules.hostless_with_path.len(),
            "{matched} matches"
        );
    }

    #[test]
    fn a_paths_start_and_end_decide_only_what_the_regex_would() {
        let rules = RuleSet::builtin().unwrap();
        let paths = example_paths(&rules);
        let (mut with_starts, mut with_ends, mut matched) = (0, 0, 0);
        for pattern in rules.rules().iter().filter_map(|rule| rule.path.as_ref()) {
            let compiled = pattern.compiled_with_ends().unwrap();
            with_starts += usize::from(compiled.starts.is_some());
            with_ends += usize::from(compiled.ends.is_some());
            for path in &paths {
                let by_regex = compiled.regex.is_match(path);
                assert_eq!(
                    pattern.is_match(path),
                    by_regex,
                    "{} on {path:?}",
                    pattern.text
                );
                matched += usize::from(by_regex);
            }
        }
        // The start texts are used, and the comparison has matches to compare.
        assert!(with_starts > 100, "{with_starts} patterns with start texts");
        assert!(with_ends > 20, "{with_ends} patterns with end texts");
        assert!(matched > 200, "{matched} matches");
    }

    #[test]
    fn the_embedded_rules_compile_and_their_examples_behave() {
        let rules = RuleSet::builtin().unwrap();
        assert_eq!(rules.check_examples(), Vec::<RuleError>::new());
    }
}
