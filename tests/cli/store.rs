use crate::common::{C::*, Ws, safer_wide, xlsx};

#[test]
fn reimport_is_a_no_op_and_a_changed_value_is_a_revision() {
    let ws = Ws::demo();
    let f = ws.file("returns/safer.xlsx");
    xlsx(&f, &[("Q2", safer_wide(vec![vec![S("NI 32"), E, N(30.0), N(29.0), S("first")]]))]);
    assert!(ws.laa(&["import"]).ok());
    let before = ws.store_bytes();
    let o = ws.laa(&["import"]);
    assert!(o.ok());
    assert!(o.stderr().contains("already imported"), "{}", o.stderr());
    assert_eq!(ws.store_bytes(), before);

    // a corrected return: Q2 changes, Q1 does not
    let f2 = ws.file("returns/safer-corrected.xlsx");
    xlsx(&f2, &[("Q2", safer_wide(vec![vec![S("NI 32"), E, N(30.0), N(28.4), S("corrected")]]))]);
    let o = ws.laa(&["import", f2.to_str().unwrap()]);
    assert!(o.stderr().contains("0 new, 1 revised, 1 unchanged"), "{}", o.stderr());
    let h = ws.json(&["history", "NI 32", "--period", "2009/10 Q2", "--format", "json"]);
    let rows = h.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0]["value"].as_f64(), rows[0]["status"].as_str()), (Some(29.0), Some("original")));
    assert_eq!(rows[0]["file"], "returns/safer.xlsx");
    assert_eq!((rows[1]["value"].as_f64(), rows[1]["status"].as_str()), (Some(28.4), Some("revision")));
    assert_eq!(rows[1]["file"], "returns/safer-corrected.xlsx");
    assert_eq!(ws.json(&["status", "--format", "json"])["revisions"], 1);
}

#[test]
fn a_crash_at_any_point_leaves_the_store_as_it_was() {
    let ws = Ws::demo();
    xlsx(&ws.file("a.xlsx"), &[("Q2", safer_wide(vec![vec![S("NI 32"), E, N(30.0), E, E]]))]);
    assert!(ws.laa(&["import", ws.file("a.xlsx").to_str().unwrap()]).ok());
    let history = ws.laa(&["history", "NI 32", "--format", "csv"]).stdout();
    let journal = std::fs::read(ws.file("store/journal.jsonl")).unwrap();
    xlsx(&ws.file("b.xlsx"), &[("Q2", safer_wide(vec![vec![S("NI 32"), E, N(31.0), N(29.0), E]]))]);
    for point in ["before-batch-rename", "after-batch", "before-journal-rename"] {
        let o = ws.laa_env(&["import", ws.file("b.xlsx").to_str().unwrap()], "LAA_FAILPOINT", point);
        assert_eq!(o.code(), 1, "{point}");
        assert!(o.stderr().contains("the store is as it was"), "{}", o.stderr());
        assert_eq!(std::fs::read(ws.file("store/journal.jsonl")).unwrap(), journal, "{point}");
        assert_eq!(ws.laa(&["history", "NI 32", "--format", "csv"]).stdout(), history, "{point}");
    }
    // and the next import, without a failure, completes
    let o = ws.laa(&["import", ws.file("b.xlsx").to_str().unwrap()]);
    assert!(o.stderr().contains("1 new, 1 revised"), "{}", o.stderr());
}
