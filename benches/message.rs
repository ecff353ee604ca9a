//! One whole newsletter message (about 50 KB: a Gmail delivery trace, its ESP's headers,
//! quoted-printable text and HTML) as `scan` handles it: `MessageView::parse` and then
//! `detect::inspect` with the built-in rules. `parse` and `inspect` alone are measured too, so
//! the split of the cost is visible. Throughput is message bytes.
//!
//! `parse_inspect_64` does the same for 64 different newsletters in turn. Timed on one message
//! over and over, the CPU learns its branches and keeps its data in cache; on 64 it cannot,
//! as in a scan. A change that saves instructions but puts a load on every byte's critical
//! path can pass the one-message figure and lose time here (docs/benchmarks.md, sixteenth
//! session).

mod support;

use criterion::{criterion_group, criterion_main, Criterion, SamplingMode, Throughput};
use mailtrace::detect::{inspect, Context};
use mailtrace::{Limits, MessageView, RuleSet};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let bytes = support::newsletter_message(1);
    let rules = RuleSet::builtin().expect("the built-in rules compile");
    // As `mailtrace scan` without `--me`.
    let me: Vec<String> = Vec::new();
    let context = Context {
        rules: &rules,
        me: &me,
        limits: Limits::default(),
    };
    let view = MessageView::parse(&bytes).expect("the generated message parses");
    let findings = inspect(&view, &context).findings;
    assert!(!findings.is_empty(), "no findings on a tracked newsletter");

    let mut kinds = std::collections::BTreeMap::new();
    for finding in &findings {
        *kinds.entry(format!("{:?}", finding.kind)).or_insert(0) += 1;
    }
    eprintln!(
        "message: {} bytes; {} findings {kinds:?}",
        bytes.len(),
        findings.len()
    );

    let mut group = c.benchmark_group("message");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    // Milliseconds per call: flat sampling keeps each function near criterion's 5 s target.
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("parse_inspect", |b| {
        b.iter(|| {
            let view = MessageView::parse(black_box(&bytes)).expect("parses");
            inspect(&view, &context).findings.len()
        })
    });
    group.bench_function("parse", |b| {
        b.iter(|| MessageView::parse(black_box(&bytes)).is_some())
    });
    group.bench_function("inspect", |b| {
        b.iter(|| inspect(black_box(&view), &context).findings.len())
    });
    group.finish();

    let many: Vec<Vec<u8>> = (1..=64).map(support::newsletter_message).collect();
    let mut group = c.benchmark_group("message");
    group.throughput(Throughput::Bytes(many.iter().map(|m| m.len() as u64).sum()));
    group.sampling_mode(SamplingMode::Flat);
    group.bench_function("parse_inspect_64", |b| {
        b.iter(|| {
            let mut findings = 0;
            for bytes in &many {
                let view = MessageView::parse(black_box(bytes)).expect("parses");
                findings += inspect(&view, &context).findings.len();
            }
            findings
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
