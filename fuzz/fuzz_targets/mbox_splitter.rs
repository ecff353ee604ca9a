//! The mbox splitter on arbitrary bytes. The first byte picks the variant and a message cap
//! (small caps exercise the oversize paths); the rest is the file.
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

fuzz_target!(|data: &[u8]| {
    let Some((&control, file)) = data.split_first() else {
        return;
    };
    let format = FORMATS[usize::from(control) % FORMATS.len()];
    let max_message = match control / 8 % 4 {
        0 => 1 << 20,
        1 => 64,
        2 => 300,
        _ => 4096,
    };
    let mut items = 0usize;
    for item in MboxSplitter::new(file, "fuzz.mbox".into(), format, max_message) {
        items += 1;
        // Every item consumes at least a line: more items than bytes means the splitter loops.
        assert!(
            items <= file.len() + 1,
            "splitter produced more items than input bytes"
        );
        if let Item::Message(message) = item {
            assert!(
                message.bytes.len() <= max_message,
                "message of {} bytes passed the {max_message}-byte cap",
                message.bytes.len()
            );
            assert!(
                message.bytes.len() <= file.len(),
                "message larger than its file"
            );
        }
    }
});
