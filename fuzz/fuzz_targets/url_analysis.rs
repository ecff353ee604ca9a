//! URL analysis: security-rewriter and generic unwrapping (followed layer by layer, as the
//! link detector does), identifier tokens, rule matching, and the address-leak search (plain,
//! encoded and hashed forms) over the raw text.
//!
//! When the input starts with `@` its first line is a list of addresses (comma-separated) to
//! build the leak needles from, so needle construction is fuzzed too; otherwise a fixed list
//! compiled once is used.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtrace::detect::leaks::LeakNeedles;
use mailtrace::detect::{tokens, unwrap};
use mailtrace::weburl::WebUrl;
use mailtrace::RuleSet;
use std::sync::OnceLock;

static NEEDLES: OnceLock<LeakNeedles> = OnceLock::new();
static RULES: OnceLock<RuleSet> = OnceLock::new();

fn fixed_addresses() -> Vec<String> {
    [
        "reader@example.org",
        "Jane.Doe+news@Mail.Example.COM",
        "x@y",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect()
}

fn analyse(url: &WebUrl, rules: &RuleSet) {
    let _ = tokens::identifier_tokens(url);
    let _ = tokens::extension(url);
    let _ = rules.match_url(url);
    // Peel security rewriters the way the link detector does: a bounded number of layers.
    let mut current = url.clone();
    for _ in 0..4 {
        let Some(rewrite) = unwrap::security_rewriter(&current) else {
            break;
        };
        let _ = rewrite.rewriter();
        let Some(next) = rewrite.destination().and_then(|d| WebUrl::parse(d).ok()) else {
            break;
        };
        current = next;
    }
    if let Some(unwrapped) = unwrap::wrapped_destination(url) {
        if let Ok(inner) = WebUrl::parse(&unwrapped.destination) {
            let _ = tokens::identifier_tokens(&inner);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let rules = RULES.get_or_init(|| RuleSet::builtin().expect("built-in rules compile"));
    let (custom, text) = match text.strip_prefix('@') {
        Some(rest) => {
            let (line, url) = rest.split_once('\n').unwrap_or((rest, ""));
            let addresses: Vec<String> = line.split(',').map(str::to_owned).collect();
            (Some(LeakNeedles::new(&addresses)), url)
        }
        None => (None, &*text),
    };
    let needles = custom
        .as_ref()
        .unwrap_or_else(|| NEEDLES.get_or_init(|| LeakNeedles::new(&fixed_addresses())));
    let _ = needles.find(text);
    if let Ok(url) = WebUrl::parse(text.trim()) {
        let _ = needles.find(url.as_str());
        analyse(&url, rules);
    }
});
