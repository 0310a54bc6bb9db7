//! An e-mail address as officers write it in partnership.toml: `Name <address>` or a bare
//! `address`.

use std::fmt;

/// A name (optional) and an address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mailbox {
    pub name: Option<String>,
    pub address: String,
}

impl Mailbox {
    /// `Jo Bloggs <jo.bloggs@leics.example>`, or `jo.bloggs@leics.example`; none when the text is
    /// not an address (no single `@`, a domain without a dot, spaces or angle brackets inside).
    pub fn parse(text: &str) -> Option<Mailbox> {
        let t = text.trim();
        let (name, address) = match t.rfind('<') {
            Some(i) if t.ends_with('>') => {
                let name = t[..i].trim().trim_matches('"').trim();
                (Some(name).filter(|n| !n.is_empty()), &t[i + 1..t.len() - 1])
            }
            _ => (None, t),
        };
        let address = address.trim();
        let (local, domain) = address.split_once('@')?;
        let ok_part =
            |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_graphic() && !"<>()[]\\,;:\"@".contains(c));
        let domain_ok = ok_part(domain)
            && domain.contains('.')
            && domain.split('.').all(|l| !l.is_empty() && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'));
        if !ok_part(local) || !domain_ok {
            return None;
        }
        if name.is_some_and(|n| n.chars().any(|c| c.is_control() || c == '<' || c == '>')) {
            return None;
        }
        Some(Mailbox { name: name.map(str::to_string), address: address.to_string() })
    }
}

impl fmt::Display for Mailbox {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(n) => write!(f, "{n} <{}>", self.address),
            None => f.write_str(&self.address),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_as_people_write_them() {
        let m = Mailbox::parse("Jo Bloggs <jo.bloggs@leics.example>").unwrap();
        assert_eq!((m.name.as_deref(), m.address.as_str()), (Some("Jo Bloggs"), "jo.bloggs@leics.example"));
        assert_eq!(Mailbox::parse("  perf@leics.gov.uk ").unwrap().address, "perf@leics.gov.uk");
        assert_eq!(
            Mailbox::parse("\"Team, Performance\" <p@x.org>").unwrap().name.as_deref(),
            Some("Team, Performance")
        );
        for bad in
            ["Jo Bloggs", "jo@", "@leics.example", "jo@localhost", "jo bloggs@x.org", "a@b@c.org", "Jo <jo@x..org>"]
        {
            assert!(Mailbox::parse(bad).is_none(), "{bad}");
        }
    }
}
