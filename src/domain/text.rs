//! Text from spreadsheets made safe to show: control characters, escape sequences and
//! bidirectional overrides written out visibly instead of acted on by a terminal or a viewer.

use std::borrow::Cow;

/// Whether a character would be acted on rather than shown: C0 and C1 controls (ESC starts a
/// terminal's escape sequences; CR rewrites a line), DEL, the bidirectional embeddings,
/// overrides and isolates (U+202E shows text reversed), and the invisible zero-width marks.
pub fn is_hazard(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}' | '\u{061c}' | '\u{feff}')
}

/// The text with every hazardous character (see [`is_hazard`]) written as `\u{…}`, but for those
/// in `keep` (line breaks and tabs in a multi-line commentary; none in a name that must stay on
/// one line).
pub fn escape_hazards<'a>(s: &'a str, keep: &[char]) -> Cow<'a, str> {
    let keep = |c: char| keep.contains(&c);
    if !s.chars().any(|c| is_hazard(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_hazard(c) && !keep(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Text for a terminal: hazards escaped, line breaks kept.
pub fn for_terminal(s: &str) -> Cow<'_, str> {
    escape_hazards(s, &['\n', '\t'])
}

/// Normalise a header or name for matching: lower case, letters and digits only, `&` as "and".
pub fn norm(s: &str) -> String {
    if s.is_ascii() {
        // the same, in one pass and one allocation (codes, areas and headers are nearly always ASCII)
        let mut out = String::with_capacity(s.len());
        for b in s.bytes() {
            match b {
                b'&' => out.push_str("and"),
                b if b.is_ascii_alphanumeric() => out.push(char::from(b.to_ascii_lowercase())),
                _ => {}
            }
        }
        return out;
    }
    s.to_lowercase().replace('&', "and").chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Text cut to at most `n` characters at a word boundary, marked with an ellipsis; shorter text
/// as it is. A quotation is never cut in the middle of a word.
pub fn shorten(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_string();
    }
    let cut: String = text.chars().take(n.saturating_sub(1)).collect();
    let at = cut.rfind(char::is_whitespace).filter(|&i| i > 0).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':', ' ', '-', '–']))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The one-pass form of ASCII text is the general form.
        #[test]
        fn norm_of_ascii_is_the_general_form(s in "[ -~]{0,30}") {
            let general: String = s.to_lowercase().replace('&', "and").chars().filter(|c| c.is_alphanumeric()).collect();
            proptest::prop_assert_eq!(norm(&s), general);
        }
    }

    #[test]
    fn shortened_at_a_word() {
        assert_eq!(shorten("On course for the target", 40), "On course for the target");
        assert_eq!(shorten("below the level needed; partners reviewed", 30), "below the level needed…");
        assert!(shorten("below the level needed; partners reviewed", 30).chars().count() <= 30);
        assert_eq!(shorten("Supercalifragilistic", 8), "Superca…", "one long word is cut");
    }

    #[test]
    fn escapes_what_a_terminal_or_viewer_would_act_on() {
        assert_eq!(for_terminal("plain £ text – ok"), "plain £ text – ok");
        assert_eq!(for_terminal("\u{1b}]0;owned\u{7}x"), "\\u{1b}]0;owned\\u{7}x");
        assert_eq!(for_terminal("abc\u{202e}def"), "abc\\u{202e}def");
        assert_eq!(for_terminal("a\nb\tc\rd"), "a\nb\tc\\u{d}d");
        assert_eq!(escape_hazards("a\nb", &[]), "a\\u{a}b");
        assert_eq!(escape_hazards("a\r\nb\u{202e}", &['\r', '\n']), "a\r\nb\\u{202e}");
        assert_eq!(for_terminal("\u{9b}31m"), "\\u{9b}31m");
        assert_eq!(for_terminal("zero\u{200b}width"), "zero\\u{200b}width");
    }
}
