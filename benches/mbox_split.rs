//! The mbox splitter alone: a 4 MiB in-memory mboxrd archive (newsletters and personal mail,
//! some body lines quoted as `>From `) split into messages. Throughput is archive bytes.

mod support;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use mailtrace::source::{Item, MboxFormat, MboxSplitter};
use std::hint::black_box;

const ARCHIVE_BYTES: usize = 4 << 20;
/// The default `max_message_bytes` (64 MiB): no message here comes near it.
const MAX_MESSAGE: usize = 64 << 20;

/// Messages and message bytes read from `archive`; panics on an error entry.
fn split(archive: &[u8], format: MboxFormat) -> (usize, usize) {
    let mut messages = 0;
    let mut bytes = 0;
    for item in MboxSplitter::new(archive, "bench.mbox".to_owned(), format, MAX_MESSAGE) {
        match item {
            Item::Message(message) => {
                messages += 1;
                bytes += message.bytes.len();
            }
            // The splitter itself yields only messages and errors.
            other => panic!("unexpected item from the splitter: {other:?}"),
        }
    }
    (messages, bytes)
}

fn bench(c: &mut Criterion) {
    let (archive, count) = support::mbox(ARCHIVE_BYTES, 1);
    let (messages, _) = split(&archive, MboxFormat::Auto);
    assert_eq!(
        messages, count,
        "the splitter must find every generated message"
    );

    eprintln!("mbox_split: {} bytes, {count} messages", archive.len());

    let mut group = c.benchmark_group("mbox_split");
    group.throughput(Throughput::Bytes(archive.len() as u64));
    group.bench_function("auto_4MiB", |b| {
        b.iter(|| split(black_box(&archive), MboxFormat::Auto))
    });
    group.bench_function("mboxrd_4MiB", |b| {
        b.iter(|| split(black_box(&archive), MboxFormat::Mboxrd))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
