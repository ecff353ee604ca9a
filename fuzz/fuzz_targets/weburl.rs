//! `WebUrl` against `url::Url`: on the input as it is, after an `http://h/` prefix (so path,
//! query and fragment bytes are reached), after `https://` (so host bytes are), and joined to a
//! fixed base and, when the input has two lines and the first is an http(s) URL, to that first
//! line. Parsing must succeed or fail alike, with the same error, and every accessor must agree
//! (the contract in src/weburl.rs); `host_of` must give the parsed host.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtrace::weburl::{self, WebUrl};
use url::{ParseError, Url};

fn same(what: &str, ours: Result<WebUrl, ParseError>, theirs: Result<Url, ParseError>) {
    if let Some(difference) = weburl::disagreement(&ours, &theirs) {
        panic!("{what}: {difference}");
    }
}

fn parse(text: &str) {
    same(text, WebUrl::parse(text), Url::parse(text));
    let whole = Url::parse(text).ok();
    let expected = whole.as_ref().and_then(Url::host_str);
    assert_eq!(
        weburl::host_of(text).as_deref(),
        expected,
        "host_of {text:?}"
    );
}

fn join(base: &str, relative: &str) {
    // Only http(s) bases: mailtrace joins to no other, `WebUrl::join` matches `url` for them
    // alone (see its doc), and `url` itself trips a debug assertion joining some `file:` bases
    // (`file:H:.:\\..` with a `..` segment; url 2.5.8, parser.rs line 1321).
    let Ok(url) = Url::parse(base) else {
        return;
    };
    if !matches!(url.scheme(), "http" | "https") {
        return;
    }
    // `WebUrl` keeps only the serialization, and joins the slow way by parsing it again: `url`
    // must join its own re-parsed http(s) URL as it joins the original.
    let direct = url.join(relative).map(|u| u.to_string());
    let reparsed = Url::parse(url.as_str()).and_then(|u| u.join(relative).map(|u| u.to_string()));
    assert_eq!(
        direct, reparsed,
        "{base} + {relative}: url joins its re-parsed URL differently"
    );
    let ours = WebUrl::parse(base).and_then(|b| b.join(relative));
    let theirs = Url::parse(base).and_then(|b| b.join(relative));
    same(&format!("{base} + {relative}"), ours, theirs);
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    parse(&text);
    parse(&format!("http://h/{text}"));
    parse(&format!("https://{text}"));
    join("https://h.example/d/p?q#f", &text);
    if let Some((base, relative)) = text.split_once('\n') {
        join(base, relative);
    }
});
