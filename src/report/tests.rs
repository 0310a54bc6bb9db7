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
