//! URL rule matching (`RuleSet::match_url` over the built-in rules) on 200 URLs: ESP click and
//! open URLs, shorteners, plain pages and CDN images, most with query strings. Throughput is
//! URLs.

mod support;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mailtrace::weburl::WebUrl;
use mailtrace::RuleSet;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let rules = RuleSet::builtin().expect("the built-in rules compile");
    let urls: Vec<WebUrl> = support::urls(1)
        .iter()
        .map(|u| WebUrl::parse(u).expect("generated URLs parse"))
        .collect();
    let matched = urls
        .iter()
        .filter(|u| !rules.match_url(u).is_empty())
        .count();
    assert!(
        matched >= urls.len() / 4,
        "only {matched} of {} URLs match a rule",
        urls.len()
    );

    eprintln!(
        "rule_match: {} rules; {matched} of {} URLs match at least one",
        rules.len(),
        urls.len()
    );

    let mut group = c.benchmark_group("rule_match");
    group.throughput(Throughput::Elements(urls.len() as u64));
    group.bench_function("match_url_200", |b| {
        b.iter(|| {
            let mut hits = 0;
            for url in &urls {
                hits += rules.match_url(black_box(url)).len();
            }
            hits
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
