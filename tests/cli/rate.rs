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
#[allow(clippy::inconsistent_digit_grouping)] // pence written pounds_pp
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
    // NI 154 is assessed on 2010/11, the agreement's final year: 2,970 homes in 2008/09 (Q4) and
    // 3,040 forecast for 2009/10 (1,520 by Q2 × 4/2) trend to 3,110; (3,110 − 2,900) ÷ (3,150 −
    // 2,900) = 84% of £800,000 = £672,000, paid £336,000 in 2011/12 and in 2012/13
    let ni154 = get("NI 154");
    assert_eq!((ni154["forecast"].as_f64(), ni154["assessed_year"].as_str()), (Some(3040.0), Some("2010/11")));
    assert!((ni154["assessed_forecast"].as_f64().unwrap() - 3110.0).abs() < 1e-9);
    assert!((ni154["achievement"].as_f64().unwrap() - 0.84).abs() < 1e-12);
    let money = |f: &str| (ni154[f].as_f64().unwrap() * 100.0).round() as i64;
    assert_eq!(
        (money("projected_grant"), money("grant_at_risk"), money("first_instalment"), money("second_instalment")),
        (672_000_00, 128_000_00, 336_000_00, 336_000_00)
    );
    assert_eq!(ni154["rating"], "amber");
    assert_eq!(ni154["trigger_value"], 3050.0);
    assert_eq!(ni154["distance_to_trigger"], 0.0);
    assert!(
        ni154["reason"]
            .as_str()
            .unwrap()
            .contains("by the trend of 2 yearly outturns (2008/09 2,970 outturn; 2009/10 3,040 forecast)")
    );
    // NI 191 (lower is better): 607 kg then 584 trend to 561, beyond the 590 stretch: all £500,000
    let ni191 = get("NI 191");
    assert_eq!(
        (ni191["achievement"].as_f64(), ni191["projected_grant"].as_f64(), ni191["rating"].as_str()),
        (Some(1.0), Some(500000.0), Some("green"))
    );
    // the current-year view, at full precision: NI 20's forecast 6.031055900621118 is
    // (6.3 − 6.0310559) ÷ 0.4 = 0.672360248… of the stretch, £302,562.11 of £450,000
    let toml = std::fs::read_to_string(ws.file("partnership.toml")).unwrap();
    std::fs::write(ws.file("partnership.toml"), toml.replace("[reward]\n", "[reward]\nassess_on = \"current_year\"\n"))
        .unwrap();
    let now = ws.json(&["reward", "--format", "json"]);
    let ni20 = now.as_array().unwrap().iter().find(|r| r["indicator"] == "NI 20").unwrap();
    let a = ni20["achievement"].as_f64().unwrap();
    assert_eq!(ni20["assessed_year"], "2009/10");
    assert!((a - 0.672_360_248_447_205).abs() < 1e-12, "full precision, not 0.6724: {a}");
    assert_eq!(
        ni20["projected_grant"].as_f64().unwrap(),
        a * 450_000.0,
        "the grant is the achievement shown × £450,000"
    );
    assert_eq!((ni20["projected_grant"].as_f64().unwrap() * 100.0).round() as i64, 302_562_11);
    let csv = ws.laa(&["reward", "--format", "csv"]).stdout();
    assert!(csv.contains(&format!(",{a},")), "csv carries the same full precision: {csv}");
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
