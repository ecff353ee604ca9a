//! Identifier tokens: the long random strings a sender puts in a URL to tell one recipient (or
//! one message) from another. They are what turns an image into a beacon and a link into a
//! tracked link, whoever the vendor. A token is judged by its shape alone: long enough, varied
//! enough, and not a readable slug, a file name or a plain number.

use url::Url;

/// Shortest string taken for an identifier.
const MIN_TOKEN: usize = 16;

/// Where a token sits in its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A path segment, counted from 1.
    Path(usize),
    /// The value of a query parameter.
    Query(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub place: Place,
}

impl Token {
    /// `token 'AbC…' in path` — for evidence.
    pub fn describe(&self) -> String {
        let shown = super::clip(&self.text, 12);
        match &self.place {
            Place::Path(_) => format!("token '{shown}' in the path"),
            Place::Query(name) => format!("token '{shown}' in parameter {name}"),
        }
    }
}

/// The identifier tokens of a URL, path segments first, then query values.
pub fn identifier_tokens(url: &Url) -> Vec<Token> {
    let mut tokens = Vec::new();
    if let Some(segments) = url.path_segments() {
        for (index, segment) in segments.enumerate() {
            let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
            let stem = strip_extension(&decoded);
            if looks_like_identifier(stem) {
                tokens.push(Token {
                    text: stem.to_owned(),
                    place: Place::Path(index + 1),
                });
            }
        }
    }
    for (name, value) in url.query_pairs() {
        if value.starts_with("http") || crate::message::Mailbox::parse(&value).is_some() {
            continue; // a wrapped URL or an address: other detectors' business
        }
        if value.trim_matches('=').is_empty() && looks_like_identifier(&name) {
            // `?dPHGF2ccVmsB…==`: the whole query is the identifier.
            tokens.push(Token {
                text: name.into_owned(),
                place: Place::Query(String::new()),
            });
            continue;
        }
        if looks_like_identifier(&value) {
            tokens.push(Token {
                text: value.into_owned(),
                place: Place::Query(name.into_owned()),
            });
        }
    }
    tokens
}

/// Whether a string looks like a machine-made identifier rather than a word, slug or number.
pub fn looks_like_identifier(text: &str) -> bool {
    let text = text.trim_end_matches('=');
    if text.len() < MIN_TOKEN || text.len() > 4096 {
        return false;
    }
    let allowed = |c: char| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                '-' | '_' | '.' | '~' | '+' | '/' | '=' | '%' | '!' | '*' | ':' | '|' | ','
            )
    };
    if !text.chars().all(allowed) {
        return false;
    }
    let digits = text.chars().filter(char::is_ascii_digit).count();
    let letters = text.chars().filter(char::is_ascii_alphabetic).count();
    if letters == 0 {
        // Plain numbers are timestamps, cache-busters and campaign ids, shared by everyone,
        // unless they are far longer than any of those.
        return digits >= 24;
    }
    if is_slug(text) {
        return false;
    }
    // Random strings switch between digits, lower and upper case all the time; names and
    // dates (`manual_crop_1500w`, `Capture-2023-11-18`) switch a few times.
    let alnum = letters + digits;
    if class_runs(text) < (alnum / 5).max(4) {
        return false;
    }
    let upper = text.chars().filter(char::is_ascii_uppercase).count();
    let lower = letters - upper;
    let hex = text.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    // Hex digests and UUIDs; base64-ish strings mixing case and digits; long mixed strings.
    // Random base64 without a digit: mixed case throughout, not CamelCase words (whose
    // capitals start words and are far fewer than the small letters).
    let mixed_case = upper * 4 >= letters && lower * 4 >= letters;
    (hex && digits > 0 && letters > 0)
        || (digits > 0 && upper > 0 && lower > 0)
        || (mixed_case && entropy(text) >= 3.5)
        || (digits >= 3 && letters >= 3 && entropy(text) >= 3.3)
}

/// Runs of the same character class (digit, lower, upper) among alphanumerics.
fn class_runs(text: &str) -> usize {
    let class = |c: char| {
        if c.is_ascii_digit() {
            0
        } else if c.is_ascii_lowercase() {
            1
        } else {
            2
        }
    };
    let mut runs = 0;
    let mut previous = None;
    for c in text.chars().filter(char::is_ascii_alphanumeric) {
        let current = class(c);
        if previous != Some(current) {
            runs += 1;
            previous = Some(current);
        }
    }
    runs
}

/// A readable slug: words joined by `-` or `_` (`spring-sale-2024-collection`).
fn is_slug(text: &str) -> bool {
    let parts: Vec<&str> = text
        .split(['-', '_', '.', '+'])
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() < 2 {
        return false;
    }
    let wordy = parts
        .iter()
        .filter(|p| {
            let word = p.chars().all(|c| c.is_ascii_alphabetic())
                && p.chars().skip(1).all(|c| c.is_ascii_lowercase())
                && (p.len() <= 2 || has_vowel(&p.to_ascii_lowercase()));
            word || (p.len() <= 4 && p.chars().all(|c| c.is_ascii_digit()))
        })
        .count();
    wordy * 4 >= parts.len() * 3
}

fn has_vowel(word: &str) -> bool {
    word.chars()
        .any(|c| matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y'))
}

/// Shannon entropy in bits per character.
fn entropy(text: &str) -> f64 {
    let mut counts = [0u32; 256];
    for byte in text.bytes() {
        counts[byte as usize] += 1;
    }
    let len = text.len() as f64;
    counts
        .iter()
        .filter(|&&n| n > 0)
        .map(|&n| {
            let p = f64::from(n) / len;
            -p * p.log2()
        })
        .sum()
}

/// `AbC123.gif` → `AbC123` (file extensions of up to five letters).
fn strip_extension(segment: &str) -> &str {
    match segment.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty()
                && (1..=5).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphabetic()) =>
        {
            stem
        }
        _ => segment,
    }
}

/// The file extension of a URL's last path segment, lower-cased.
pub fn extension(url: &Url) -> Option<String> {
    let last = url.path_segments()?.next_back()?;
    let (stem, ext) = last.rsplit_once('.')?;
    (!stem.is_empty()
        && (2..=5).contains(&ext.len())
        && ext.chars().all(|c| c.is_ascii_alphanumeric()))
    .then(|| ext.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(url: &str) -> Vec<String> {
        identifier_tokens(&Url::parse(url).unwrap())
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn random_ids_are_tokens() {
        assert_eq!(
            tokens("https://t.example/o/eJwNyr0KgzAUQOGnyXXMbWJTuqbm"),
            ["eJwNyr0KgzAUQOGnyXXMbWJTuqbm"]
        );
        assert_eq!(
            tokens("https://t.example/open.php?u=4f2a9c1e7b3d5a6f8e0c1b2d3&id=7a1b2c3d4e"),
            ["4f2a9c1e7b3d5a6f8e0c1b2d3"]
        );
        assert_eq!(
            tokens("https://x.example/p/0b7e4c1a-9d2f-4e6a-8b3c-5d1f2e3a4b6c.gif").len(),
            1
        );
        assert_eq!(
            tokens("https://x.example/wf/open?upn=u001.Tk3bE9xQ2aLk8vR1mZp4WcY7nH0sJd6Fq").len(),
            1
        );
    }

    #[test]
    fn words_slugs_numbers_and_short_ids_are_not() {
        assert!(tokens("https://shop.example/collections/spring-sale-2024-collection").is_empty());
        assert!(tokens("https://shop.example/img/hero.png?r=1709712345").is_empty());
        assert!(tokens("https://www.youtube.com/watch?v=dQw4w9WgXcQ").is_empty());
        assert!(tokens("https://shop.example/newsletter/march_highlights_for_members").is_empty());
        assert!(tokens("https://shop.example/ThisIsTheSpringCollection").is_empty());
        assert!(
            tokens("https://i.example/fqRq9hJ/Capture-d-e-cran-2023-11-18-a-21-30-13.png")
                .is_empty()
        );
        assert!(
            tokens("https://cms.example/files/styles/manual_crop_1500w/public/logo.png").is_empty()
        );
        assert!(
            tokens("https://shop.example/a?next=https://x.example/b&email=a@b.example").is_empty()
        );
    }
}
