//! One message, end to end: parse with the default limits, then run every detector with the
//! built-in rules (compiled once) and a fixed reader address, and read its read flag.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtrace::detect::{inspect, Context};
use mailtrace::{Limits, MessageView, RuleSet};
use std::sync::OnceLock;

static RULES: OnceLock<RuleSet> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let rules = RULES.get_or_init(|| RuleSet::builtin().expect("built-in rules compile"));
    let me = ["reader@example.org".to_owned()];
    let limits = Limits::default();
    let Some(view) = MessageView::parse_limited(data, &limits) else {
        return;
    };
    let context = Context {
        rules,
        me: &me,
        limits,
    };
    let detection = inspect(&view, &context);
    let _ = mailtrace::read_flag::from_headers(&view);
    // Findings are serialised into reports: that must work for any of them.
    for finding in &detection.findings {
        let _ = format!("{finding:?}");
    }
});
