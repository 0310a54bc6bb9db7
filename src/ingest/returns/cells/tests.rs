use super::*;

#[test]
fn values_with_markers_keep_the_number_and_the_flag() {
    let v = |s: &str| value_cell(&Cell::Text(s.into()));
    assert_eq!(v("45.2 [p]"), ValueCell::Number(45.2, Some("provisional")));
    assert_eq!(v("45.2p"), ValueCell::Number(45.2, Some("provisional")));
    assert_eq!(v("1,234 (r)"), ValueCell::Number(1234.0, Some("revised")));
    assert_eq!(v("12 est"), ValueCell::Number(12.0, Some("estimated")));
    assert_eq!(v("\u{a0}£2,500\u{a0}"), ValueCell::Number(2500.0, None));
    assert_eq!(v("45%"), ValueCell::Number(45.0, None));
    assert_eq!(v("45.2*"), ValueCell::Number(45.2, None));
    assert_eq!(v("[x]"), ValueCell::Missing("not available"));
    assert_eq!(v("[c]"), ValueCell::Missing("suppressed (confidential)"));
    assert_eq!(v("Suppressed"), ValueCell::Missing("suppressed"));
    assert_eq!(v("Not yet due"), ValueCell::Missing("not yet due"));
    assert_eq!(v(".."), ValueCell::Missing("not available"));
    for (text, n) in [
        ("c.442.5", 442.5),
        ("c 442", 442.0),
        ("c442", 442.0),
        ("~331.2", 331.2),
        ("approx. 78", 78.0),
        ("Approx 78", 78.0),
        ("645.4 (est)", 645.4),
        ("645.4 est.", 645.4),
        ("645.4 (Est.)", 645.4),
        ("about 12", 12.0),
        ("≈ 40", 40.0),
        ("circa 1,200", 1200.0),
        ("78 approx.", 78.0),
    ] {
        assert_eq!(v(text), ValueCell::Number(n, Some("estimated")), "{text}");
        assert!(is_numeric(&Cell::Text(text.into())), "{text}");
    }
    // one number with its unit, and two numbers
    assert_eq!(v("12.5 per 1000"), ValueCell::Number(12.5, None));
    assert_eq!(v("c. 12.5 per 1,000"), ValueCell::Number(12.5, Some("estimated")));
    for two in ["40-45", "40 - 45", "40 to 45", "12 or 13", "c.40-45", "12/13", "£40–£45"] {
        assert_eq!(v(two), ValueCell::Bad(NotANumber::TwoNumbers(two.into())), "{two}");
    }
    assert!(matches!(v("cases 12"), ValueCell::Bad(NotANumber::Text(_))));
    // two numbers are numbers a person sees (read, then refused); a title or a period is not
    assert!(is_numeric(&Cell::Text("40-45".into())));
    for not in ["16 to 18 year olds who are NEET", "2008-09", "2009/10", "NI 16/20"] {
        assert!(!is_numeric(&Cell::Text(not.into())), "{not}");
    }
    assert!(matches!(v("about"), ValueCell::Bad(_)));
    assert!(matches!(v("pending"), ValueCell::Bad(_)));
    assert!(is_numeric(&Cell::Text("12.5 [e]".into())));
    assert!(!is_numeric(&Cell::Text("n/a".into())));
}

#[test]
fn a_texts_answer_kept_is_the_answer_read_again_and_after_the_kept_ones_are_forgotten() {
    let cases = [
        ("16 to 18 year olds who are NEET", false),
        ("40-45", true),
        ("2008-09", false),
        ("c.442", true),
        ("12.5 [e]", true),
        ("Children in care: 12 placements", false),
    ];
    let fresh: Vec<bool> = cases.iter().map(|(t, _)| value_text_is_numeric(t)).collect();
    for round in 0..3 {
        for ((text, want), fresh) in cases.iter().zip(&fresh) {
            assert_eq!(is_numeric(&Cell::Text((*text).into())), *want, "{text}, round {round}");
            assert_eq!(want, fresh, "{text}: the kept answer is the one read afresh");
        }
        // more texts than are kept: the store is forgotten, and the answers read again
        for i in 0..TEXTS_KEPT + 10 {
            assert!(is_numeric(&Cell::Text(format!("{i} homes"))));
        }
    }
    // a text too long to keep is read each time
    let long = format!("12 {}", "word ".repeat(60));
    assert!(!is_numeric(&Cell::Text(long.clone())));
    assert!(!is_numeric(&Cell::Text(long)));
}

#[test]
fn periods_in_the_ways_people_write_them() {
    let p = |s: &str| period_text(s);
    let q = |y, q| Some(Key::Period(Period::quarter(y, q)));
    assert_eq!(p("2009/10 Q2"), q(2009, 2));
    assert_eq!(p("Q2 2009-10"), q(2009, 2));
    assert_eq!(p("Jul-Sep 09"), q(2009, 2));
    assert_eq!(p("Q3 (Oct-Dec 09)"), q(2009, 3));
    assert_eq!(p("30/06/2009"), q(2009, 1));
    assert_eq!(p("2008/09"), Some(Key::Period(Period::Year { year: 2008 })));
    assert_eq!(p("Q2"), Some(Key::Quarter(2)));
}

#[test]
fn header_words_and_keys() {
    let h = |s: &str| {
        let (rest, m) = strip_measure(s);
        (period_text(&rest), m)
    };
    assert_eq!(h("Q2 2009/10 target"), (Some(Key::Period(Period::quarter(2009, 2))), Some(Measure::Target)));
    assert_eq!(h("Numerator Q1 2009/10"), (Some(Key::Period(Period::quarter(2009, 1))), Some(Measure::Numerator)));
}
