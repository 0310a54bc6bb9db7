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

/// Money as people write it: £1,234,567, or £1,547,666.67 when it has pence (grant is worked
/// out to the penny, and parts shown must add to the whole shown).
pub fn money(v: f64) -> String {
    if !v.is_finite() {
        return format!("£{v}");
    }
    // the digits are the float's own (never through an integer, which saturates), and a
    // value that rounds to zero has no sign
    // past ten trillion pounds the pence are beyond a float's precision (and × 100 may overflow)
    let p = if v.abs() < 1e13 { pence(v) } else { v.round() };
    let whole = p.trunc();
    let pennies = ((p - whole).abs() * 100.0).round();
    let sign = if p < 0.0 { "-" } else { "" };
    if pennies == 0.0 || p.abs() >= 1e13 {
        format!("{sign}£{}", whole_digits(p.round()))
    } else {
        format!("{sign}£{}.{:02}", whole_digits(whole), pennies as u8)
    }
}

/// An amount of money to the whole penny, never negative zero: 0.72 × £500,000 is £360,000.00,
/// not 359,999.9999999994.
pub fn pence(v: f64) -> f64 {
    (v * 100.0).round() / 100.0 + 0.0
}

/// `total` split by `shares` into whole pence that add up to it exactly: each part rounded down,
/// the pennies left over given to the parts with the largest remainders (£3,095,333.33 in halves
/// is £1,547,666.67 and £1,547,666.66).
pub fn split_pence(total: f64, shares: &[f64]) -> Vec<f64> {
    let whole = (total * 100.0).round();
    let sum: f64 = shares.iter().sum();
    if shares.is_empty() || sum <= 0.0 || !whole.is_finite() {
        return shares.iter().map(|_| 0.0).collect();
    }
    let exact: Vec<f64> = shares.iter().map(|s| whole * s / sum).collect();
    let mut parts: Vec<f64> = exact.iter().map(|e| e.floor()).collect();
    let mut left = whole - parts.iter().sum::<f64>();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    // largest remainder first; ties to the earlier part
    order.sort_by(|&a, &b| (exact[b] - parts[b]).total_cmp(&(exact[a] - parts[a])).then(a.cmp(&b)));
    for &i in order.iter().cycle().take(shares.len() * 2) {
        if left < 0.5 {
            break;
        }
        parts[i] += 1.0;
        left -= 1.0;
    }
    parts.into_iter().map(|p| p / 100.0 + 0.0).collect()
}

/// The grouped digits of a whole number's size, however large: `1e20` → `100,000,000,000,000,000,000`.
pub fn whole_digits(v: f64) -> String {
    group_digits(&format!("{:.0}", v.abs().trunc()))
}

/// A value with its unit, as people write it: `61.2%`, `12.3 per 1,000`, `£1,234`, `2,970`.
pub fn fmt_value(v: f64, unit: &str) -> String {
    let u = unit.trim();
    let n = if v.abs() >= 1000.0 { thousands(v) } else { format_number((v * 100.0).round() / 100.0) };
    match u {
        "%" => format!("{n}%"),
        "£" => format!("£{n}"),
        "" | "number" | "score" => n,
        _ if u.starts_with("rate ") => format!("{n} {}", &u[5..]),
        _ => format!("{n} {u}"),
    }
}

fn thousands(v: f64) -> String {
    if !v.is_finite() {
        return v.to_string();
    }
    let r = (v * 10.0).round() / 10.0;
    // digits from the float itself: an integer cast saturates at 9,223,372,036,854,775,807
    let out = whole_digits(r);
    let frac = (r.fract().abs() * 10.0).round().min(9.0) as u8;
    let sign = if r < 0.0 { "-" } else { "" };
    if frac == 0 { format!("{sign}{out}") } else { format!("{sign}{out}.{frac}") }
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
        assert_eq!(money(-1234.0), "-£1,234");
        assert_eq!(money(-1234.4), "-£1,234.40");
        assert_eq!(readable(3040.0), "3,040");
        assert_eq!(readable(-1234567.125), "-1,234,567.13");
        assert_eq!(readable(0.456), "0.46");
        // never through an integer cast (1e308 once showed as 9,223,372,036,854,775,807)
        assert_eq!(money(1e20), "£100,000,000,000,000,000,000");
        assert_eq!(money(-0.003), "£0");
        assert_eq!(money(-0.3), "-£0.30");
        // parts that add to the whole, to the penny
        assert_eq!(split_pence(3_095_333.33, &[0.5, 0.5]), [1_547_666.67, 1_547_666.66]);
        assert_eq!(split_pence(1_547_667.0, &[0.5, 0.5]), [773_833.5, 773_833.5]);
        assert_eq!(split_pence(0.03, &[1.0, 1.0, 1.0]), [0.01, 0.01, 0.01]);
        assert_eq!(split_pence(0.05, &[0.5, 0.5]), [0.03, 0.02]);
        assert_eq!(pence(0.72 * 500_000.0), 360_000.0);
        assert_eq!(money(0.72 * 500_000.0), "£360,000");
        assert_eq!(money(1_547_666.666), "£1,547,666.67");
        assert!(!format!("{}", pence(-0.0001)).starts_with('-'), "no negative zero");
        assert!(money(1e308).len() > 300);
        assert_eq!(whole_digits(9.3e18), "9,300,000,000,000,000,000");
    }
}
