//! Detection: pure functions from one parsed message to its findings. No I/O, no clock, no
//! network — which is what makes them trivially parallel, testable and fuzzable.
//!
//! Each family lives in its own file; `detect` runs them in a fixed order so findings come out
//! in the same order on every run.

mod headers;
pub mod leaks;
mod reports;
pub mod unwrap;

use crate::finding::Finding;
use crate::message::MessageView;
use crate::rules::RuleSet;

/// What detection knows beyond the message itself.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub rules: &'a RuleSet,
    /// The reader's own addresses given with `--me`, lower-cased.
    pub me: &'a [String],
}

/// Every finding for one message.
pub fn detect(message: &MessageView<'_>, context: &Context<'_>) -> Vec<Finding> {
    let mut findings = Vec::new();
    headers::receipt_requests(message, &mut findings);
    reports::delivery_reports(message, &mut findings);
    headers::platform_headers(message, context.rules, &mut findings);
    findings
}

/// Cuts text for evidence and header fields at a character boundary.
pub(crate) fn clip(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}
