//! Messages that scale: warnings of one kind (the same sentence about different indicators,
//! areas, periods or cells) grouped into one line with a count and the first few, so that a
//! national picture prints a screenful, not 198 lines of the same thing.

/// Past this many messages of one kind, the rest are counted instead of listed.
pub const LISTED_OF_A_KIND: usize = 3;

/// The kind of a message: its words with indicator codes, periods, cell addresses and numbers
/// taken out ("NI 4 2008/09 Q2: 5 of 7 districts reported" and "NI 9 2009/10 Q1: 6 of 7
/// districts reported" are one kind).
pub fn kind(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut prev_digit = false;
    // "NI 154" is one code
    let joined = message.replace("NI ", "NI");
    for word in joined.split(' ') {
        let w = word.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '(' | ')' | '.'));
        let is_code = (w.len() <= 12
            && w.starts_with(|c: char| c.is_ascii_uppercase())
            && w.chars().any(|c| c.is_ascii_digit())
            && w.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '!' | '$' | '/')))
            || w == "NI"
            || w == "AY"
            || w.starts_with('Q') && w[1..].chars().all(|c| c.is_ascii_digit());
        if is_code {
            out.push_str("· ");
            continue;
        }
        for c in word.chars() {
            let digit = c.is_ascii_digit() || (prev_digit && matches!(c, '.' | ',' | '/'));
            if digit {
                if !prev_digit {
                    out.push('#');
                }
            } else {
                out.push(c);
            }
            prev_digit = digit;
        }
        out.push(' ');
    }
    out
}

/// The leading subject of a message (what comes before its first colon: "NI 4 2008/09",
/// "returns/x.xlsx: Q2!C5"), used to say which others a grouped line stands for.
fn subject(message: &str) -> &str {
    message.split_once(": ").map_or(message, |(s, _)| s)
}

/// Messages grouped by kind, in the order each kind first appears: up to `LISTED_OF_A_KIND`
/// of a kind as they are; past that, the first and one line counting the rest with the first few
/// of their subjects. `verbose` lists every message.
pub fn grouped(messages: &[String], verbose: bool) -> Vec<String> {
    let kinds: Vec<String> = messages.iter().map(|m| kind(m)).collect();
    grouped_by(messages, &kinds, verbose)
}

/// [`grouped`], with each message's kind given (a warning's kind is of its sentence, not of the
/// file and cell it names first).
pub fn grouped_by(messages: &[String], of_kind: &[String], verbose: bool) -> Vec<String> {
    if verbose {
        return messages.to_vec();
    }
    let mut kinds: Vec<(String, Vec<usize>)> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (i, k) in of_kind.iter().enumerate() {
        let k = k.clone();
        match index.get(&k) {
            Some(&at) => kinds[at].1.push(i),
            None => {
                index.insert(k.clone(), kinds.len());
                kinds.push((k, vec![i]));
            }
        }
    }
    let mut out = Vec::new();
    for (_, members) in kinds {
        if members.len() <= LISTED_OF_A_KIND {
            out.extend(members.iter().map(|&i| messages[i].clone()));
            continue;
        }
        let rest = &members[1..];
        let named: Vec<&str> = rest.iter().take(4).map(|&i| subject(&messages[i])).collect();
        out.push(format!(
            "{} — and {} more like it ({}{}; --verbose lists them all)",
            messages[members[0]],
            rest.len(),
            named.join(", "),
            if rest.len() > named.len() { ", …" } else { "" }
        ));
    }
    out
}

/// A cap on messages of one kind as they are printed one by one (an import's warnings): the first
/// `most` of each kind pass, the rest are counted; [`Capped::tail`] says how many were held back.
#[derive(Debug, Default)]
pub struct Capped {
    most: usize,
    seen: std::collections::HashMap<String, usize>,
}

impl Capped {
    pub fn new(most: usize) -> Capped {
        Capped { most, seen: Default::default() }
    }

    /// Whether this message should be printed (the first `most` of its kind).
    pub fn pass(&mut self, message: &str) -> bool {
        let n = self.seen.entry(kind(message)).or_default();
        *n += 1;
        *n <= self.most
    }

    /// One line per kind that passed its cap: how many more there were.
    pub fn tail(&self) -> Vec<String> {
        let mut over: Vec<usize> = self.seen.values().filter(|n| **n > self.most).map(|n| n - self.most).collect();
        over.sort_unstable();
        if over.is_empty() {
            return Vec::new();
        }
        let total: usize = over.iter().sum();
        vec![format!(
            "… and {total} more message{} like those above, not printed ({} of a kind are shown; --verbose prints them all)",
            if total == 1 { "" } else { "s" },
            self.most
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_kind_about_many_indicators_is_one_line() {
        let many: Vec<String> = (1..=198)
            .map(|n| {
                format!(
                    "NI {n}: no county value can be derived (4 periods, 2008/09 Q1 to 2008/09 Q4): its unit is a score"
                )
            })
            .collect();
        let mut all = many.clone();
        all.push("NI 154 2009/10 Q2: the county value given (1,520, returns/x.xlsx: Q2!D9) differs".into());
        let g = grouped(&all, false);
        assert_eq!(g.len(), 2, "{g:#?}");
        assert!(g[0].starts_with("NI 1: no county value can be derived"));
        assert!(
            g[0].contains("and 197 more like it (NI 2, NI 3, NI 4, NI 5, …; --verbose lists them all)"),
            "{}",
            g[0]
        );
        assert_eq!(g[1], all[198]);
        assert_eq!(grouped(&all, true).len(), 199);
        // a few of a kind stay as they are
        assert_eq!(grouped(&many[..3], false), many[..3].to_vec());
        assert_eq!(
            kind("L01 2009/10 Q2: 5 of 7 districts reported"),
            kind("NI 16 2008/09 Q1: 6 of 7 districts reported")
        );
        assert_ne!(kind("NI 1: a count"), kind("NI 1: a rate"));
    }

    #[test]
    fn the_cap_passes_the_first_of_each_kind_and_counts_the_rest() {
        let mut c = Capped::new(50);
        let passed =
            (0..5000).filter(|i| c.pass(&format!("x.xlsx: Sheet{i}!A1: NI 32 2009/10 Q2 is given twice"))).count();
        assert_eq!(passed, 50);
        assert!(c.pass("another kind of message"));
        assert_eq!(c.tail().len(), 1);
        assert!(c.tail()[0].starts_with("… and 4950 more messages"), "{:?}", c.tail());
    }
}
