//! The reader's-address leak search: building the needles for one address (every encoding and
//! digest), compiled for a message or two (`Few`) or for a whole archive (`Many`), and
//! searching the 200 generated URLs with them. An archive whose messages go to many people
//! (a shared mailbox, a honeypot, a phishing collection) builds needles for nearly every
//! message, so the build is timed on its own.

mod support;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mailtrace::detect::leaks::{LeakNeedles, Use};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let addresses = ["Jane.Reader@Example.org".to_owned()];
    let mut group = c.benchmark_group("leak_needles");
    group.throughput(Throughput::Elements(1));
    for (name, reuse) in [("build_few", Use::Few), ("build_many", Use::Many)] {
        group.bench_function(name, |b| {
            b.iter(|| LeakNeedles::for_use(black_box(&addresses), reuse))
        });
    }

    let needles = LeakNeedles::new(&addresses);
    let mut urls = support::urls(1);
    // Some URLs that do carry the address, so the search is not only the filter saying no.
    urls.push("https://t.example.net/o?e=jane.reader%40example.org".to_owned());
    urls.push("https://t.example.net/o?u=amFuZS5yZWFkZXJAZXhhbXBsZS5vcmc".to_owned());
    let found = urls.iter().filter(|u| !needles.find(u).is_empty()).count();
    assert!(found >= 2, "the planted leaks were not found ({found})");
    group.throughput(Throughput::Elements(urls.len() as u64));
    group.bench_function("find_202_urls", |b| {
        b.iter(|| {
            urls.iter()
                .map(|url| needles.find(black_box(url)).len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
