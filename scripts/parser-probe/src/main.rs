//! Parse-only throughput of HTML parsers over the decoded HTML parts of an mbox:
//! `cargo run --release -- ARCHIVE.mbox [MAX_PARTS]` (scripts/gen_archive.py makes one).
//! Each parser visits every start tag and its attributes; the median of five passes is shown.

// The tokenizer mailtrace scans with, compiled here unchanged.
#[path = "../../../src/detect/tokenizer.rs"]
#[allow(dead_code)]
mod tokenizer;

use std::time::Instant;

fn mailtrace_tokenizer(html: &str) -> usize {
    tokenizer::tokens(html)
        .map(|token| match token {
            tokenizer::Token::Start(tag) => 1 + tag.attrs.len(),
            _ => 0,
        })
        .sum()
}

fn scraper_dom(html: &str) -> usize {
    let document = scraper::Html::parse_document(html);
    document
        .tree
        .nodes()
        .filter_map(|node| node.value().as_element())
        .map(|element| 1 + element.attrs().count())
        .sum()
}

fn lol_html_stream(html: &str) -> usize {
    use lol_html::{element, HtmlRewriter, Settings};
    let count = std::cell::Cell::new(0usize);
    let mut rewriter = HtmlRewriter::new(
        Settings::new().append_element_content_handler(element!("*", |el| {
            count.set(count.get() + 1 + el.attributes().len());
            Ok(())
        })),
        |_: &[u8]| {},
    );
    rewriter.write(html.as_bytes()).expect("no handler fails");
    rewriter.end().expect("no handler fails");
    count.get()
}

fn html5gum_tokens(html: &str) -> usize {
    html5gum::Tokenizer::new(html)
        .flatten()
        .map(|token| match token {
            html5gum::Token::StartTag(tag) => 1 + tag.attributes.len(),
            _ => 0,
        })
        .sum()
}

/// The decoded text/html parts of the first `max` messages of an mbox.
fn html_parts(path: &str, max: usize) -> Vec<String> {
    let bytes = std::fs::read(path).expect("readable mbox");
    let mut parts = Vec::new();
    for message in bytes.split_inner_messages() {
        if let Some(parsed) = mail_parser::MessageParser::default().parse(message) {
            for part in parsed.parts.iter().filter(|p| p.is_text_html()) {
                if let Some(text) = part.text_contents() {
                    parts.push(text.to_owned());
                }
            }
        }
        if parts.len() >= max {
            break;
        }
    }
    parts
}

trait SplitMbox {
    fn split_inner_messages(&self) -> Vec<&[u8]>;
}

impl SplitMbox for Vec<u8> {
    /// Messages between `From ` separator lines (enough for the generator's output).
    fn split_inner_messages(&self) -> Vec<&[u8]> {
        let mut starts: Vec<usize> = memchr::memmem::find_iter(self, b"\nFrom ")
            .map(|at| at + 1)
            .collect();
        if self.starts_with(b"From ") {
            starts.insert(0, 0);
        }
        starts.push(self.len());
        starts
            .windows(2)
            .map(|w| {
                let message = &self[w[0]..w[1]];
                let body = memchr::memchr(b'\n', message).map_or(message.len(), |n| n + 1);
                &message[body..]
            })
            .collect()
    }
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: parser-probe ARCHIVE.mbox [MAX_PARTS]");
    let max = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
    let docs = html_parts(&path, max);
    let bytes: usize = docs.iter().map(String::len).sum();
    println!(
        "{} HTML parts, {:.1} MB decoded",
        docs.len(),
        bytes as f64 / 1e6
    );
    let parsers: [(&str, fn(&str) -> usize); 4] = [
        ("mailtrace tokenizer", mailtrace_tokenizer),
        ("lol_html 3 (streaming)", lol_html_stream),
        ("html5gum 0.9 (tokenizer)", html5gum_tokens),
        ("scraper 0.29 (html5ever DOM)", scraper_dom),
    ];
    for (name, parse) in parsers {
        let mut seconds = Vec::new();
        let mut count = 0;
        for _ in 0..5 {
            let start = Instant::now();
            count = docs.iter().map(|d| parse(d)).sum::<usize>();
            seconds.push(start.elapsed().as_secs_f64());
        }
        seconds.sort_by(f64::total_cmp);
        let median = seconds[2];
        println!(
            "{name:30} {:7.1} MB/s  ({median:.3} s; {count} tags + attributes)",
            bytes as f64 / median / 1e6
        );
    }
}
