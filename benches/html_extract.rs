//! HTML resource extraction (`detect::html::extract`) on one generated newsletter of about
//! 40 KB: 600 px tables, inline styles, a `<style>` block, Outlook conditional comments, about
//! 60 links and 22 images including a 1×1 pixel. Throughput is HTML bytes.

mod support;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use mailtrace::detect::html::{extract, Role};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let newsletter = support::newsletter(1);
    let html = &newsletter.html;
    // Check once that the bench measures real work: the links and images are found.
    let found = extract(html, 0);
    let links = found.iter().filter(|r| r.role == Role::Link).count();
    let images = found.iter().filter(|r| r.role == Role::Image).count();
    assert!(
        links >= newsletter.links * 9 / 10 && images >= newsletter.images,
        "extract found {links} links and {images} images; the page has {} and {}",
        newsletter.links,
        newsletter.images
    );

    eprintln!(
        "html_extract: {} bytes of HTML ({:?} links); extract finds {links} links and {images} images \
         ({} resources)",
        html.len(),
        newsletter.esp,
        found.len()
    );

    let mut group = c.benchmark_group("html_extract");
    group.throughput(Throughput::Bytes(html.len() as u64));
    // Milliseconds per call: flat sampling keeps the run near criterion's 5 s target.
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("newsletter", |b| b.iter(|| extract(black_box(html), 0)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
