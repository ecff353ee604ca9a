//! Who made a request, as far as the request itself tells: a person's mail program, a mail
//! provider's image proxy (which fetches images for the reader, or for no one), a security
//! scanner following links before anyone reads them, or a prefetcher. Tracking counts these as
//! opens and clicks; an honest report tells them apart. Timing (scanners clicking everything
//! seconds after delivery) is judged later, in `metrics`, where all events are known.

/// The class of a request from its user agent, client address and prefetch headers.
pub fn class_of(user_agent: &str, ip: &str, prefetch: bool) -> &'static str {
    let ua = user_agent.to_ascii_lowercase();
    if prefetch {
        return PREFETCH;
    }
    if ua.contains("googleimageproxy") || ua.contains("ggpht.com") {
        return GMAIL_PROXY;
    }
    if ua.contains("yahoomailproxy") || ua.contains("yahoo! slurp") {
        return YAHOO_PROXY;
    }
    // Apple Mail Privacy Protection fetches every image on delivery from Apple's network with a
    // bare `Mozilla/5.0`; Apple owns 17.0.0.0/8.
    if user_agent.trim() == "Mozilla/5.0" || ip.starts_with("17.") {
        return APPLE_MPP;
    }
    if ua.contains("ms-office-proxy") || ua.contains("outlook-imageproxy") {
        return OUTLOOK_PROXY;
    }
    if ua.is_empty() || SCANNER_WORDS.iter().any(|w| ua.contains(w)) {
        return SCANNER;
    }
    HUMAN
}

pub const HUMAN: &str = "human";
pub const GMAIL_PROXY: &str = "gmail_proxy";
pub const YAHOO_PROXY: &str = "yahoo_proxy";
pub const APPLE_MPP: &str = "apple_mpp";
pub const OUTLOOK_PROXY: &str = "outlook_proxy";
pub const SCANNER: &str = "scanner";
pub const PREFETCH: &str = "prefetch";

/// Classes that say nothing about a person reading (the Gmail proxy does fetch when the reader
/// opens, but from Google's network and cached: the open is real, the client and place are not).
pub fn is_machine(class: &str) -> bool {
    class != HUMAN && class != GMAIL_PROXY
}

/// Whether the fetch came through a mail provider's image proxy.
pub fn is_proxy(class: &str) -> bool {
    matches!(class, GMAIL_PROXY | YAHOO_PROXY | APPLE_MPP | OUTLOOK_PROXY)
}

const SCANNER_WORDS: &[&str] = &[
    "bot",
    "spider",
    "crawl",
    "scanner",
    "python-requests",
    "python-urllib",
    "curl/",
    "wget",
    "go-http-client",
    "okhttp",
    "java/",
    "libwww",
    "headlesschrome",
    "phantomjs",
    "barracuda",
    "proofpoint",
    "mimecast",
    "safelinks",
    "urldefense",
];

/// The kind of device from the user agent: `mobile`, `tablet`, `desktop`, `proxy` or `unknown`.
pub fn device_of(user_agent: &str, class: &str) -> &'static str {
    if is_proxy(class) || class == SCANNER || class == PREFETCH {
        return "machine";
    }
    let ua = user_agent.to_ascii_lowercase();
    if ua.contains("ipad") || ua.contains("tablet") {
        "tablet"
    } else if ua.contains("iphone") || ua.contains("android") || ua.contains("mobile") {
        "mobile"
    } else if [
        "windows",
        "macintosh",
        "mac os x",
        "x11",
        "linux",
        "thunderbird",
        "outlook",
    ]
    .iter()
    .any(|w| ua.contains(w))
    {
        "desktop"
    } else {
        "unknown"
    }
}

/// The network a client address belongs to, coarsely: the /24 of an IPv4 address, the /48 of an
/// IPv6 one. Two opens from different networks are two places.
pub fn network_of(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V4(v4)) => {
            let o = v4.octets();
            format!("{}.{}.{}.0/24", o[0], o[1], o[2])
        }
        Ok(std::net::IpAddr::V6(v6)) => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
        }
        Err(_) => ip.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxies_scanners_and_people_are_told_apart() {
        let gmail = "Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)";
        assert_eq!(class_of(gmail, "66.249.84.1", false), GMAIL_PROXY);
        assert_eq!(class_of("Mozilla/5.0", "17.58.1.2", false), APPLE_MPP);
        assert_eq!(
            class_of("YahooMailProxy; https://help.yahoo.com", "1.2.3.4", false),
            YAHOO_PROXY
        );
        assert_eq!(class_of("python-requests/2.31", "1.2.3.4", false), SCANNER);
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
        assert_eq!(class_of(iphone, "198.51.100.7", false), HUMAN);
        assert_eq!(device_of(iphone, HUMAN), "mobile");
        assert_eq!(network_of("198.51.100.7"), "198.51.100.0/24");
    }
}
