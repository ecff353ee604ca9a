//! Header rules found by header name, with the value patterns of one name tested together.
//!
//! Many platforms sign the same few headers: ten rules look at `X-Mailer`, ten at
//! `Feedback-ID`, seven at `Message-ID`. Testing each rule's value regex in turn cost about 7 %
//! of a newsletter archive's scan time, more than its instruction count suggests: every
//! regex walks the value with a lazy DFA of its own, whose tables have gone cold since the
//! message before. So the value patterns of one header name are compiled into one regex set,
//! on first use like the rules' own regexes, and the value is walked once.

use super::Rule;
use foldhash::HashMap;
use regex::RegexSet;
use std::borrow::Cow;
use std::sync::OnceLock;

#[derive(Debug, Default)]
pub(super) struct HeaderIndex {
    /// Lower-cased header names → the rules that name them. Kept as bytes, so a name
    /// lower-cased on the stack is looked up without checking its UTF-8 again.
    by_name: HashMap<Box<[u8]>, NameRules>,
    /// Lower-cased name prefixes (`X-SMTPeter-*`) and their rule: few, tried one by one.
    prefixes: Vec<(Box<[u8]>, usize)>,
    /// The first byte of each prefix, once: most names start with none of them (every builtin
    /// prefix starts with `x`), and are then not compared with each prefix.
    prefix_firsts: Vec<u8>,
}

/// Header names up to this long are lower-cased on the stack. The index is asked about every
/// field of every message, and allocating each name's lower-case copy was a quarter of that.
const NAME_ON_STACK: usize = 64;

/// `name`'s bytes in ASCII lower case, written into `room` when they fit.
fn lower_case<'r>(name: &str, room: &'r mut [u8; NAME_ON_STACK]) -> Cow<'r, [u8]> {
    let Some(room) = room.get_mut(..name.len()) else {
        return Cow::Owned(name.as_bytes().to_ascii_lowercase());
    };
    room.copy_from_slice(name.as_bytes());
    room.make_ascii_lowercase();
    Cow::Borrowed(room)
}

#[derive(Debug, Default)]
struct NameRules {
    rules: Vec<usize>,
    /// Built on first use; `None` when no rule of the name has a value pattern, or the
    /// patterns do not compile together.
    values: OnceLock<Option<ValueSet>>,
}

/// The value patterns of one header name as one set; pattern `k` is rule `rules[k]`'s.
#[derive(Debug)]
struct ValueSet {
    set: RegexSet,
    rules: Vec<usize>,
}

impl HeaderIndex {
    /// Files rule `rule` under a lower-cased header name, or a name prefix.
    pub(super) fn add(&mut self, rule: usize, lower: &str, prefix: bool) {
        if prefix {
            self.prefixes.push((lower.as_bytes().into(), rule));
            if let Some(&first) = lower.as_bytes().first() {
                if !self.prefix_firsts.contains(&first) {
                    self.prefix_firsts.push(first);
                }
            }
        } else {
            let named = &mut self
                .by_name
                .entry(lower.as_bytes().into())
                .or_default()
                .rules;
            if !named.contains(&rule) {
                named.push(rule);
            }
        }
    }

    /// Whether any rule could match a header of this name (in any case).
    pub(super) fn names(&self, name: &str) -> bool {
        let mut room = [0; NAME_ON_STACK];
        let lower = lower_case(name, &mut room);
        self.by_name.contains_key(&*lower) || self.prefixed(&lower).next().is_some()
    }

    /// The prefix rules of a lower-cased name.
    fn prefixed<'s>(&'s self, lower: &'s [u8]) -> impl Iterator<Item = usize> + 's {
        let may = lower
            .first()
            .is_some_and(|first| self.prefix_firsts.contains(first));
        self.prefixes
            .iter()
            .filter(move |(prefix, _)| may && lower.starts_with(prefix))
            .map(|&(_, rule)| rule)
    }

    /// The rules matching a header of this name (in any case) and this value, in rule order.
    pub(super) fn matching(&self, rules: &[Rule], name: &str, value: &str) -> Vec<usize> {
        let mut room = [0; NAME_ON_STACK];
        let lower = lower_case(name, &mut room);
        let mut found = Vec::new();
        if let Some(named) = self.by_name.get(&*lower) {
            named.matching(rules, value, &mut found);
        }
        found.extend(
            self.prefixed(&lower)
                .filter(|&rule| rules[rule].value_matches(value)),
        );
        found.sort_unstable();
        found.dedup();
        found
    }
}

impl NameRules {
    fn matching(&self, rules: &[Rule], value: &str, found: &mut Vec<usize>) {
        let values = self
            .values
            .get_or_init(|| ValueSet::build(rules, &self.rules));
        let Some(values) = values else {
            found.extend(
                self.rules
                    .iter()
                    .filter(|&&rule| rules[rule].value_matches(value)),
            );
            return;
        };
        // A rule with no value pattern matches on the name alone.
        found.extend(
            self.rules
                .iter()
                .filter(|&&rule| rules[rule].value.is_none()),
        );
        found.extend(values.set.matches(value).iter().map(|k| values.rules[k]));
    }
}

impl ValueSet {
    /// The set of the value patterns of `named`; `None` when there is none, or when they do not
    /// compile together (one of them is bad, or all are too big), and each rule is then tried
    /// on its own.
    fn build(rules: &[Rule], named: &[usize]) -> Option<ValueSet> {
        let (patterns, with_value): (Vec<&str>, Vec<usize>) = named
            .iter()
            .filter_map(|&rule| Some((rules[rule].value.as_ref()?.as_str(), rule)))
            .unzip();
        if patterns.is_empty() {
            return None;
        }
        let set = regex::RegexSetBuilder::new(patterns)
            .size_limit(super::REGEX_SIZE_LIMIT * with_value.len())
            .build()
            .ok()?;
        Some(ValueSet {
            set,
            rules: with_value,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::RuleSet;
    use super::*;

    /// Every value of `values` under every header name of `rules`: the rules found through
    /// the name's value set, and those found by trying each rule's own pattern.
    fn both_ways(rules: &RuleSet, values: &[&str]) -> Vec<(String, Vec<usize>, Vec<usize>)> {
        let index = &rules.headers;
        let mut out = Vec::new();
        for (name, named) in &index.by_name {
            let one_by_one = NameRules {
                rules: named.rules.clone(),
                values: OnceLock::from(None),
            };
            for value in values {
                let (mut together, mut alone) = (Vec::new(), Vec::new());
                named.matching(&rules.rules, value, &mut together);
                one_by_one.matching(&rules.rules, value, &mut alone);
                together.sort_unstable();
                alone.sort_unstable();
                let name = String::from_utf8_lossy(name);
                out.push((format!("{name}: {value}"), together, alone));
            }
        }
        out
    }

    #[test]
    fn a_names_value_set_finds_what_each_rule_finds_alone() {
        // Three platforms: two share Message-ID, one has no value pattern, one a prefix.
        let rule = |id: &str, headers: &str, value: &str| {
            format!(
                "[[rule]]\nid = {id:?}\nvendor = {id:?}\ncategory = \"esp\"\n\
                 kind = \"esp_header\"\nheaders = [{headers}]\n{value}\n"
            )
        };
        let file = [
            rule(
                "a/mid",
                r#""Message-ID""#,
                r"value = '(?i)@[a-z0-9.-]+\.a-mail\.example>?\s*$'",
            ),
            rule("b/mid", r#""Message-ID", "X-B-Id""#, "value = 'b-mta'"),
            rule("c/any", r#""X-B-Id", "X-C-*""#, ""),
        ]
        .concat();
        let rules = RuleSet::from_sources(&[("t.toml".to_owned(), file)]).unwrap();
        let values = [
            "<1@x.a-mail.example>",
            "<1@X.A-MAIL.EXAMPLE> ",
            "<1@b-mta.a-mail.example>",
            "<b-mta.1@gmail.example>",
            "<1@example.org>",
            "",
        ];
        let compared = both_ways(&rules, &values);
        assert_eq!(compared.len(), 2 * values.len());
        for (what, together, alone) in &compared {
            assert_eq!(together, alone, "{what}");
        }
        let found = |name: &str, value: &str| -> Vec<String> {
            rules
                .match_header(name, value)
                .map(|rule| rule.id.clone())
                .collect()
        };
        assert_eq!(
            found("message-id", "<b-mta.1@x.a-mail.example>"),
            ["a/mid", "b/mid"]
        );
        assert_eq!(found("Message-ID", "<1@example.org>"), Vec::<String>::new());
        assert_eq!(found("X-B-Id", "b-mta"), ["b/mid", "c/any"]);
        assert_eq!(found("X-B-Id", "other"), ["c/any"]);
        assert_eq!(found("x-c-7", "other"), ["c/any"]);
    }

    #[test]
    fn the_builtin_header_rules_find_the_same_together_as_alone() {
        let rules = RuleSet::builtin().unwrap();
        let mut values: Vec<&str> = rules
            .rules
            .iter()
            .flat_map(|rule| rule.examples_match.iter().chain(&rule.examples_no_match))
            .filter_map(|example| example.split_once(": ").map(|(_, value)| value))
            .collect();
        values.extend(["", "<1@mail.example>", "PHPMailer 6.9"]);
        let mut matched = 0;
        for (what, together, alone) in both_ways(&rules, &values) {
            assert_eq!(together, alone, "{what}");
            matched += together.len();
        }
        assert!(
            matched > 0,
            "no value matched: the comparison shows nothing"
        );
    }
}
