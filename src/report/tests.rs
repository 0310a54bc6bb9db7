use super::{csv_safe, esc};

#[test]
fn chart_names_stay_in_the_folder() {
    assert_eq!(super::chart_stem("NI 154"), "ni-154");
    assert_eq!(super::chart_stem("L01"), "l01");
    for hostile in ["../../etc/passwd", "A..", "a/b\\c", "..", "/", "Ω"] {
        let stem = super::chart_stem(hostile);
        assert!(!stem.contains('/') && !stem.contains('\\') && !stem.contains('.'), "{hostile} → {stem}");
        assert!(!stem.is_empty());
    }
}

#[test]
fn csv_text_never_runs_as_a_formula() {
    for bad in ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
        assert_eq!(csv_safe(bad), format!("'{bad}"));
    }
    assert_eq!(csv_safe("NI 154"), "NI 154");
    assert_eq!(csv_safe(""), "");
}

#[test]
fn escapes_markup_and_control_characters() {
    assert_eq!(
        esc("<script>alert('x')</script> & \"q\"\u{7}\u{202e}"),
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;\\u{7}\\u{202e}"
    );
    assert_eq!(csv_safe("Blaby \u{202e}ybalB"), "Blaby \\u{202e}ybalB");
}

#[test]
fn a_shortened_action_keeps_its_owner_and_date_whole() {
    let a = "Recovery plan agreed by the lead officer with monthly monitoring by the theme partnership and a review at the next meeting (owner: Head of Community Safety; due 31 March 2010)";
    let s = super::shorten_action(a, 110);
    assert!(s.ends_with(" (owner: Head of Community Safety; due 31 March 2010)"), "{s}");
    assert!(s.starts_with("Recovery plan agreed") && s.contains('…'), "{s}");
    // the description keeps at least 60 characters beside a long owner and date
    let tail = " (owner: Head of Community Safety; due 31 March 2010)".chars().count();
    assert!(s.chars().count() <= 60 + tail && s.chars().count() > 60, "{s}");
    // no owner or date: shortened at a word as any text
    let plain = super::shorten_action(&"word ".repeat(40), 20);
    assert!(plain.ends_with('…') && plain.chars().count() <= 21, "{plain}");
    assert_eq!(super::shorten_action("Short (owner: X)", 110), "Short (owner: X)");
}
