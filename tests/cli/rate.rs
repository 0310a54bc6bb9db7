use crate::common::{C::*, Ws, xlsx};

fn imported_demo() -> Ws {
    let ws = Ws::demo_with_returns();
    let o = ws.laa(&["import"]);
    assert!(o.ok(), "{}", o.stderr());
    ws
}

#[test]
fn rate_json_has_the_contract_fields_and_hand_checkable_values() {
    let ws = imported_demo();
    let j = ws.json(&["rate", "--format", "json"]);
    let rows = j.as_array().unwrap();
    assert_eq!(rows.len(), 55, "every agreement indicator for the county (35 + 16 + 4)");
    for r in rows {
        for f in
            ["indicator", "title", "theme", "area", "period", "actual", "target", "forecast", "rating", "direction"]
        {
            assert!(r.get(f).is_some(), "{f} missing in {r}");
        }
        assert!(["green", "amber", "red", "grey"].contains(&r["rating"].as_str().unwrap()));
        assert_eq!(r["period"], "2009/10 Q2");
    }
    // NI 154: 1,520 homes by Q2 (economy return, cell D9... of 2009/10 Q2) → 3,040 for the year
    // against 3,100: 1.9% short, within the 5% tolerance → amber
    let ni154 = rows.iter().find(|r| r["indicator"] == "NI 154").unwrap();
    assert_eq!(
        (ni154["actual"].as_f64(), ni154["forecast"].as_f64(), ni154["target"].as_f64()),
        (Some(1520.0), Some(3040.0), Some(3100.0))
    );
    assert_eq!(ni154["rating"], "amber");
    assert_eq!(
        ni154["reason"],
        "forecast 3,040 vs target 3,100: 1.9% short, within tolerance 5%; year to date scaled by 2/4"
    );
    assert!(ni154["sources"][0].as_str().unwrap().starts_with("returns/economy-2009-10-q2.xlsx: 2009-10 Q2!D"));
    // NI 16's county value is derived from the seven districts' numerators and denominators
    let ni16 = rows.iter().find(|r| r["indicator"] == "NI 16").unwrap();
    assert_eq!(ni16["sources"].as_array().unwrap().len(), 7);
    // the local indicator with no polarity is grey with a reason
    let l04 = rows.iter().find(|r| r["indicator"] == "L04").unwrap();
    assert_eq!(l04["rating"], "grey");
    assert!(l04["reason"].as_str().unwrap().contains("no polarity"));
    // every area
    let all = ws.json(&["rate", "--format", "json", "--area", "all"]);
    assert!(all.as_array().unwrap().iter().any(|r| r["area"] == "BLA" && r["indicator"] == "NI 16"));
    let safer = ws.json(&["rate", "--format", "json", "--theme", "Safer Communities"]);
    assert!(safer.as_array().unwrap().iter().all(|r| r["theme"] == "safer"));
}

#[test]
fn reward_json_and_hand_checked_grant() {
    let ws = imported_demo();
    let j = ws.json(&["reward", "--format", "json"]);
    let rows = j.as_array().unwrap();
    assert_eq!(rows.len(), 10);
    for r in rows {
        for f in [
            "indicator",
            "performance_without_reward",
            "stretch_target",
            "max_grant",
            "forecast",
            "achievement",
            "projected_grant",
            "grant_at_risk",
            "rating",
        ] {
            assert!(r.get(f).is_some(), "{f} missing in {r}");
        }
    }
    let get = |code: &str| rows.iter().find(|r| r["indicator"] == code).unwrap();
    // NI 154: forecast 3,040 from 2,900 towards 3,150 is 56% of the stretch: below the 60% threshold
    let ni154 = get("NI 154");
    assert_eq!(ni154["achievement"], 0.56);
    assert_eq!((ni154["projected_grant"].as_f64(), ni154["grant_at_risk"].as_f64()), (Some(0.0), Some(800000.0)));
    assert_eq!(ni154["rating"], "red");
    assert_eq!(ni154["trigger_value"], 3050.0);
    assert_eq!(ni154["distance_to_trigger"], 10.0);
    // NI 191 (lower is better): 584 kg is beyond the 590 stretch: all £500,000
    let ni191 = get("NI 191");
    assert_eq!(
        (ni191["achievement"].as_f64(), ni191["projected_grant"].as_f64(), ni191["rating"].as_str()),
        (Some(1.0), Some(500000.0), Some("green"))
    );
    let table = ws.laa(&["reward"]).stdout();
    assert!(table.contains("Partnership"), "{table}");
}

#[test]
fn overrides_are_shown_beside_the_computed_rating() {
    let ws = imported_demo();
    xlsx(
        &ws.file("overrides.xlsx"),
        &[(
            "Overrides",
            vec![
                vec![S("Indicator"), S("Area"), S("Period"), S("Rating"), S("Reason"), S("Author")],
                vec![
                    S("NI 152"),
                    S("Leicestershire"),
                    S("2009/10 Q2"),
                    S("Amber"),
                    S("Target parked for renegotiation"),
                    S("J. Smith"),
                ],
            ],
        )],
    );
    let j = ws.json(&["rate", "--format", "json"]);
    let r = j.as_array().unwrap().iter().find(|r| r["indicator"] == "NI 152").unwrap().clone();
    assert_eq!(
        (r["rating"].as_str(), r["override_rating"].as_str(), r["effective_rating"].as_str()),
        (Some("red"), Some("amber"), Some("amber"))
    );
    assert_eq!(r["override_author"], "J. Smith");
    assert!(ws.laa(&["rate"]).stdout().contains("R red (override: A amber)"));
    // a bad override names its cell
    xlsx(
        &ws.file("overrides.xlsx"),
        &[(
            "Overrides",
            vec![
                vec![S("Indicator"), S("Area"), S("Period"), S("Rating"), S("Reason"), S("Author")],
                vec![S("NI 152"), E, S("2009/10 Q2"), S("purple"), S("x"), E],
            ],
        )],
    );
    let o = ws.laa(&["rate"]);
    assert_eq!(o.code(), 1);
    assert!(
        o.stderr().contains("overrides.xlsx: Overrides!D2") && o.stderr().contains("Overrides!F2"),
        "{}",
        o.stderr()
    );
}

#[test]
fn changes_since_the_previous_quarter() {
    let ws = imported_demo();
    let j = ws.json(&["rate", "--changes", "--format", "json"]);
    let rows = j.as_array().unwrap();
    assert!(!rows.is_empty());
    for r in rows {
        assert_ne!(r["previous_rating"], r["rating"]);
        assert_eq!(r["previous_period"], "2009/10 Q1");
    }
    // 2008/09 Q1 has no previous quarter with data
    assert_eq!(ws.laa(&["rate", "--changes", "--period", "2008/09 Q1"]).code(), 1);
}

#[test]
fn an_empty_store_says_to_import_first() {
    let ws = Ws::demo();
    let o = ws.laa(&["rate"]);
    assert_eq!(o.code(), 1);
    assert!(o.stderr().contains("laa import"), "{}", o.stderr());
}
