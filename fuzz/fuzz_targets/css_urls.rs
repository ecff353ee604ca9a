//! CSS: url()/@import/image-set extraction, escape decoding, declarations and lengths.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtrace::detect::css;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for found in css::urls_in_css(&text) {
        assert!(
            found.url.len() <= text.len() * 4 + 16,
            "url grew beyond its input"
        );
    }
    let _ = css::decode_escapes(&text);
    for (_, value) in css::declarations(&text).iter() {
        let _ = css::length_px(value);
    }
});
