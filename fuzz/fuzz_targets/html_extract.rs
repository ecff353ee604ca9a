//! One HTML part: resources and links (with their CSS, base URL, srcset …), and links in text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtrace::detect::html;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = html::extract(&text, 0);
    let _ = html::text_links(&text, 1);
});
