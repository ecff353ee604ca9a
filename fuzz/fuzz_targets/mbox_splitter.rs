//! The mbox splitter on arbitrary bytes. The first byte picks the variant and a message cap
//! (small caps exercise the oversize paths), the second the size of the reads; the rest is the
//! file. Split with small reads, or from the file read whole, it must give the same items as
//! with the default reads (messages lying in one read chunk are handed on as ranges of it, the
//! rest copied).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtrace::source::{Item, MboxFormat, MboxSplitter};

const FORMATS: [MboxFormat; 5] = [
    MboxFormat::Auto,
    MboxFormat::Mboxo,
    MboxFormat::Mboxrd,
    MboxFormat::Mboxcl,
    MboxFormat::Mboxcl2,
];

/// What a reader of the scan sees of an item: where it starts, its bytes, warnings or error.
fn seen(item: Item) -> (Option<u64>, Vec<u8>, Vec<String>) {
    match item {
        Item::Message(m) => (m.locator.offset, m.bytes.to_vec(), m.warnings),
        Item::Error(e) => (e.locator.offset, Vec::new(), vec![e.error]),
        other => (None, Vec::new(), vec![format!("{other:?}")]),
    }
}

fuzz_target!(|data: &[u8]| {
    let [control, reads, file @ ..] = data else {
        return;
    };
    let control = *control;
    let chunk = usize::from(*reads % 64) + 1;
    let format = FORMATS[usize::from(control) % FORMATS.len()];
    let max_message = match control / 8 % 4 {
        0 => 1 << 20,
        1 => 64,
        2 => 300,
        _ => 4096,
    };
    let mut items = 0usize;
    let mut small_reads =
        MboxSplitter::with_chunk_size(file, "fuzz.mbox", format, max_message, chunk);
    // A small file is read whole and split from those bytes.
    let mut read_whole = MboxSplitter::over_bytes(file.to_vec(), "fuzz.mbox", format, max_message);
    for item in MboxSplitter::new(file, "fuzz.mbox", format, max_message) {
        items += 1;
        let expected = seen(item);
        assert_eq!(
            small_reads.next().map(seen).as_ref(),
            Some(&expected),
            "reads of {chunk} bytes split the file differently"
        );
        assert_eq!(
            read_whole.next().map(seen).as_ref(),
            Some(&expected),
            "the file read whole split differently"
        );
        // Every item consumes at least a line: more items than bytes means the splitter loops.
        assert!(
            items <= file.len() + 1,
            "splitter produced more items than input bytes"
        );
        // A message's bytes (an error has none).
        let bytes = &expected.1;
        assert!(
            bytes.len() <= max_message,
            "message of {} bytes passed the {max_message}-byte cap",
            bytes.len()
        );
        assert!(bytes.len() <= file.len(), "message larger than its file");
    }
    assert!(small_reads.next().is_none(), "small reads gave more items");
    assert!(
        read_whole.next().is_none(),
        "the file read whole gave more items"
    );
});
