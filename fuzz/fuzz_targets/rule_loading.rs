//! A rule file: TOML parsing, rule compilation (regexes, hosts, params), indexing, and the
//! examples check that `mailtrace rules test` runs. When it compiles, a few URLs and headers
//! are matched against it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtrace::RuleSet;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let files = vec![("fuzz.toml".to_owned(), text.to_owned())];
    let Ok(set) = RuleSet::from_sources(&files) else {
        return;
    };
    let _ = set.check_examples();
    for url in [
        "https://example.com/open/log/1/x?utm_source=a",
        "http://a.b/c",
    ] {
        if let Ok(url) = mailtrace::weburl::WebUrl::parse(url) {
            let _ = set.match_url(&url);
        }
    }
    let _ = set.match_header("X-Mailer", "fuzz").count();
    let _ = set.decoration_rule("utm_source");
    let _ = set.vendors();
});
