//! First party or third: who receives a signal, relative to who sent the mail. Registrable
//! domains come from the Public Suffix List embedded in the `psl` crate.

/// The registrable domain (`shop.example.co.uk` for `t.shop.example.co.uk`), lower-cased.
/// `None` for IP addresses and hosts the list cannot place.
pub fn registrable_domain(host: &str) -> Option<String> {
    let host = crate::ascii::lower(host.trim().trim_end_matches('.'));
    if host.is_empty() || host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return None;
    }
    psl::domain_str(&host).map(str::to_owned)
}

/// Whether two hosts belong to the same registrable domain.
pub fn same_party(a: &str, b: &str) -> bool {
    match (registrable_domain(a), registrable_domain(b)) {
        (Some(a), Some(b)) => a == b,
        _ => a.eq_ignore_ascii_case(b),
    }
}

/// The sender's side: registrable domains of the addresses the message itself gives for its
/// sender (From, Sender, Reply-To). A URL on any of them is first party, even when an ESP runs
/// it behind a CNAME; anything else is a third party.
#[derive(Debug, Clone, Default)]
pub struct Parties {
    domains: Vec<String>,
}

impl Parties {
    pub fn of(message: &crate::message::MessageView<'_>) -> Parties {
        let mut domains: Vec<String> = [&message.from, &message.sender_header, &message.reply_to]
            .into_iter()
            .flatten()
            .filter_map(|mailbox| registrable_domain(&mailbox.domain))
            .collect();
        domains.sort();
        domains.dedup();
        Parties { domains }
    }

    /// Whether a host belongs to the sender. Unknown when the sender has no domain: then
    /// nothing is called first party.
    pub fn is_first_party(&self, host: &str) -> bool {
        registrable_domain(host).is_some_and(|domain| self.domains.contains(&domain))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subdomains_share_a_party_and_public_suffixes_do_not_merge_strangers() {
        assert!(same_party("news.shop.example.co.uk", "shop.example.co.uk"));
        assert!(!same_party("alice.github.io", "bob.github.io"));
        assert_eq!(registrable_domain("192.0.2.1"), None);
    }
}
