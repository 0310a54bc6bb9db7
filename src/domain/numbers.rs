//! Numbers as people read them: trimmed decimals, grouped digits, pounds.

/// A number as people read it: no trailing zeros, at most 4 decimals.
pub fn format_number(f: f64) -> String {
    // the shortest text that reads back as `f` is the answer when it has at most 4 decimals: the
    // value is then far closer to it than the 0.00005 that rounding to 4 decimals could move it
    // (and the shortest text is quick to make; a fixed 4 decimals of a round number is not)
    if f.is_finite() && f.abs() < 1e11 {
        let short = f.to_string();
        match short.split_once('.') {
            None if short == "-0" => return "0".into(),
            None => return short,
            Some((_, frac)) if frac.len() <= 4 => return short,
            Some(_) => {}
        }
    }
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
    if !v.is_finite() {
        return format!("£{v}");
    }
    // the digits are the float's own (never through an integer, which saturates), and a
    // value that rounds to zero has no sign
    let n = v.round();
    let out = whole_digits(n);
    format!("{}£{out}", if n < 0.0 { "-" } else { "" })
}

/// The grouped digits of a whole number's size, however large: `1e20` → `100,000,000,000,000,000,000`.
pub fn whole_digits(v: f64) -> String {
    group_digits(&format!("{:.0}", v.abs().trunc()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_number_is_four_decimals_trimmed() {
        // the quick path and the exact one agree, on round numbers and on long fractions
        let slow = |f: f64| {
            let s = format!("{f:.4}");
            let s = s.trim_end_matches('0').trim_end_matches('.');
            if s == "-0" { "0".to_string() } else { s.to_string() }
        };
        let mut x: f64 = 0.000_012_345;
        for _ in 0..4000 {
            for v in [x, -x, x.round(), (x * 100.0).round() / 100.0, 1.0 / x, x * 3.7] {
                assert_eq!(format_number(v), slow(v), "{v:?}");
            }
            x *= 1.013;
        }
        for v in [0.0, -0.0, 0.00005, -0.00004, 12.35, 3040.0, 0.672_360_248, 1e12 + 0.5, f64::NAN] {
            assert_eq!(format_number(v), slow(v), "{v:?}");
        }
    }

    #[test]
    fn formats() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(61.23456), "61.2346");
        assert_eq!(group_digits("1234567"), "1,234,567");
        assert_eq!(money(-1234.4), "-£1,234");
        assert_eq!(readable(3040.0), "3,040");
        assert_eq!(readable(-1234567.125), "-1,234,567.13");
        assert_eq!(readable(0.456), "0.46");
        // never through an integer cast (1e308 once showed as 9,223,372,036,854,775,807)
        assert_eq!(money(1e20), "£100,000,000,000,000,000,000");
        assert_eq!(money(-0.3), "£0");
        assert!(money(1e308).len() > 300);
        assert_eq!(whole_digits(9.3e18), "9,300,000,000,000,000,000");
    }
}
