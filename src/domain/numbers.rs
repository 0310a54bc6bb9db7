//! Numbers as people read them: trimmed decimals, grouped digits, pounds.

/// A number as people read it: no trailing zeros, at most 4 decimals.
pub fn format_number(f: f64) -> String {
    let s = format!("{f:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

/// A number as a report reads it: at most 2 decimals, thousands grouped (`3,040`, `12.35`).
pub fn readable(f: f64) -> String {
    let s = format_number((f * 100.0).round() / 100.0);
    let (sign, rest) = s.strip_prefix('-').map_or(("", s.as_str()), |r| ("-", r));
    let (int, frac) = rest.split_once('.').map_or((rest, None), |(i, f)| (i, Some(f)));
    let mut out = format!("{sign}{}", group_digits(int));
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Digits grouped in threes: `1234567` → `1,234,567`.
pub fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Money as people write it: £1,234,567.
pub fn money(v: f64) -> String {
    let n = v.round() as i64;
    let out = group_digits(&n.abs().to_string());
    format!("{}£{out}", if n < 0 { "-" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(61.23456), "61.2346");
        assert_eq!(group_digits("1234567"), "1,234,567");
        assert_eq!(money(-1234.4), "-£1,234");
        assert_eq!(readable(3040.0), "3,040");
        assert_eq!(readable(-1234567.125), "-1,234,567.13");
        assert_eq!(readable(0.456), "0.46");
    }
}
