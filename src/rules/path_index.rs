//! Host-less URL rules found by the literal text a path must start with.
//!
//! A host-less rule names no host, only a path shape (`^/wf/click$`, `^/(?:mk|tr)/cl/`), so
//! every URL's path is a candidate for all of them. One regex set over all their patterns
//! cost about 2,000 instructions a path. Most of the patterns are anchored at the start of
//! the path and begin with literal text, which the regex parser can list: walking the path's
//! first bytes through a trie of those texts picks the few rules it may match. Only the
//! patterns without such a prefix (unanchored, or opening with an optional part) stay in a
//! regex set. Every candidate is then tested with its own regex, as before.

use regex::RegexSet;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, Look};

#[derive(Debug, Default)]
pub(super) struct PathIndex {
    /// Node 0 is the root; a node lists the rules whose prefix ends there.
    trie: Vec<Node>,
    /// Patterns no literal prefix describes: a regex set, and the rule of each pattern.
    rest: Option<(RegexSet, Vec<usize>)>,
}

#[derive(Debug, Default)]
struct Node {
    next: Vec<(u8, usize)>,
    rules: Vec<usize>,
}

impl PathIndex {
    /// Indexes `(rule index, path pattern)` pairs; fails only when the patterns without a
    /// prefix do not compile together within `size_limit`.
    pub(super) fn build<'p>(
        patterns: impl IntoIterator<Item = (usize, &'p str)>,
        size_limit: usize,
    ) -> Result<PathIndex, regex::Error> {
        let mut index = PathIndex {
            trie: vec![Node::default()],
            rest: None,
        };
        let (mut rest_patterns, mut rest_rules) = (Vec::new(), Vec::new());
        for (rule, pattern) in patterns {
            match literal_prefixes(pattern) {
                Some(prefixes) => {
                    for prefix in prefixes {
                        let node = index.insert(&prefix);
                        index.trie[node].rules.push(rule);
                    }
                }
                None => {
                    rest_patterns.push(pattern);
                    rest_rules.push(rule);
                }
            }
        }
        if !rest_patterns.is_empty() {
            let set = regex::RegexSetBuilder::new(rest_patterns)
                .size_limit(size_limit)
                .build()?;
            index.rest = Some((set, rest_rules));
        }
        Ok(index)
    }

    /// Appends the rules whose pattern may match `path`: a superset of those that do.
    pub(super) fn candidates(&self, path: &str, out: &mut Vec<usize>) {
        let mut node = 0;
        for byte in path.bytes() {
            match self.trie[node].next.iter().find(|(b, _)| *b == byte) {
                Some(&(_, child)) => node = child,
                None => break,
            }
            out.extend_from_slice(&self.trie[node].rules);
        }
        // Most paths match no pattern of the rest: the yes/no test stops at the first match
        // or where every pattern fails, and costs far less than collecting the matches.
        if let Some((set, rules)) = self.rest.as_ref().filter(|(set, _)| set.is_match(path)) {
            out.extend(set.matches(path).iter().map(|i| rules[i]));
        }
    }

    fn insert(&mut self, text: &[u8]) -> usize {
        let mut node = 0;
        for &byte in text {
            node = match self.trie[node].next.iter().find(|(b, _)| *b == byte) {
                Some(&(_, child)) => child,
                None => {
                    self.trie.push(Node::default());
                    let child = self.trie.len() - 1;
                    self.trie[node].next.push((byte, child));
                    child
                }
            };
        }
        node
    }
}

/// Literal texts, one of which a match holds at a given place.
pub(super) type Texts = Vec<Vec<u8>>;

/// The texts one of which every path matching `pattern` starts with; `None` when the
/// pattern is not anchored at the start of the path, or its matches can start with anything.
pub(super) fn literal_prefixes(pattern: &str) -> Option<Texts> {
    anchored_literals(&parse(pattern)?, ExtractKind::Prefix)
}

/// The texts one of which every match of `pattern` starts, and those one of which it ends
/// with, each `None` as for [`literal_prefixes`]; the pattern is parsed once for both.
pub(super) fn literal_ends(pattern: &str) -> (Option<Texts>, Option<Texts>) {
    match parse(pattern) {
        Some(hir) => (
            anchored_literals(&hir, ExtractKind::Prefix),
            anchored_literals(&hir, ExtractKind::Suffix),
        ),
        None => (None, None),
    }
}

/// `pattern` in the regex crate's default syntax, which the rules compile with.
fn parse(pattern: &str) -> Option<Hir> {
    regex_syntax::ParserBuilder::new()
        .build()
        .parse(pattern)
        .ok()
}

fn anchored_literals(hir: &Hir, kind: ExtractKind) -> Option<Texts> {
    // `Start` and `End` only: a multi-line `^` or `$` would also match at a line break
    // inside the text.
    let anchored = match kind {
        ExtractKind::Prefix => hir.properties().look_set_prefix().contains(Look::Start),
        _ => hir.properties().look_set_suffix().contains(Look::End),
    };
    if !anchored {
        return None;
    }
    let found = Extractor::new().kind(kind).extract(hir);
    let literals = found.literals()?;
    if literals.is_empty() || literals.iter().any(|literal| literal.is_empty()) {
        return None;
    }
    Some(literals.iter().map(|l| l.as_bytes().to_vec()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchored_literal_patterns_are_indexed_and_the_rest_kept_in_a_set() {
        let patterns = [
            (0, r"^/wf/click$"),
            (1, r"^/(?:mk|tr)/cl/"),
            (2, r"/lt\.php$"),
            (3, r"^/?$"),
            (4, r"(?i)^/open\.aspx$"),
            (5, r"(?m)^/x/"),
        ];
        let index = PathIndex::build(patterns, 1 << 20).unwrap();
        let found = |path: &str| {
            let mut out = Vec::new();
            index.candidates(path, &mut out);
            out.sort_unstable();
            out
        };
        assert_eq!(found("/wf/click"), vec![0]);
        assert_eq!(found("/tr/cl/abc"), vec![1]);
        assert_eq!(found("/mk/op/abc"), Vec::<usize>::new());
        assert_eq!(found("/lists/lt.php"), vec![2]);
        assert_eq!(found("/"), vec![3]);
        assert_eq!(found("/OPEN.aspx"), vec![4]);
        assert_eq!(found("/x/1"), vec![5]);
        let rest = index.rest.as_ref().map(|(_, rules)| rules.clone());
        assert_eq!(
            rest,
            Some(vec![2, 3, 5]),
            "unanchored, optional start, multi-line"
        );
    }
}
