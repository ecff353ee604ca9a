//! A file of arbitrary bytes read as the scan reads a file named on the command line. The seeds
//! are zip and tar archives (fixtures/formats/archives), compressed mailboxes, Outlook `.msg`
//! files and an Outlook data file (`.pst`), so mutations land in member lists, tar headers,
//! compressed streams, member data, compound files and the `.pst`'s B-trees, blocks and heaps. The archive is read on a thread of its own: a
//! panic there would end in an error item, not a crash, so such an item fails the run here.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtrace::source::{self, Input, Item, SourceOptions};
use mailtrace::Limits;

const MAX_MESSAGE: usize = 1 << 20;

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("mailtrace-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("input");
    std::fs::write(&path, data).unwrap();
    let options = SourceOptions {
        limits: Limits {
            max_message_bytes: MAX_MESSAGE,
            max_decompressed_bytes: 64 << 20,
            ..Limits::default()
        },
        ..SourceOptions::default()
    };
    for item in source::items(vec![Input::Path(path)], options) {
        match item {
            Item::Message(message) => assert!(message.bytes.len() <= MAX_MESSAGE),
            Item::Error(error) => assert!(
                !error.error.contains("internal error"),
                "{}: {}",
                error.locator,
                error.error
            ),
            Item::Skipped { .. } | Item::Opened => {}
        }
    }
});
