//! What a return says beside its values: the partner's own rating, data quality, and the
//! remedial action with its owner and due date.

use crate::common::Ws;

#[test]
fn the_partners_own_rating_and_data_quality_are_kept_and_compared() {
    let ws = Ws::demo_with_returns();
    let form = crate::common::repo().join("tests/fixtures/returns/cyp-single-quarter-title.xlsx");
    assert!(ws.laa(&["import", "-q"]).ok());
    let o = ws.laa(&["import", form.to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    let rows = ws.json(&["rate", "--period", "2009/10 Q3", "--format", "json"]);
    let get = |code: &str| rows.as_array().unwrap().iter().find(|r| r["indicator"] == code).unwrap().clone();
    // NI 117: 5.3 against 5.2 (lower is better) is amber; the partner said G
    let ni117 = get("NI 117");
    assert_eq!((ni117["rating"].as_str(), ni117["self_rating"].as_str()), (Some("amber"), Some("green")));
    assert_eq!(
        (ni117["self_rating_differs"].as_bool(), ni117["data_quality"].as_str()),
        (Some(true), Some("Estimate"))
    );
    // NI 53: 43.5 against 44 is amber, as the partner said
    let ni53 = get("NI 53");
    assert_eq!((ni53["self_rating"].as_str(), ni53["self_rating_differs"].as_bool()), (Some("amber"), Some(false)));
    assert_eq!(ni53["data_quality"], "Provisional");
    let table = ws.laa(&["rate", "--period", "2009/10 Q3"]).stdout();
    assert!(table.contains("(partner: G green)"), "{table}");
    // the report says so beside the indicator
    let out = ws.path().join("q3");
    assert!(ws.laa(&["report", "--period", "2009/10 Q3", "--only", "html", "--out", out.to_str().unwrap()]).ok());
    let html = std::fs::read_to_string(out.join("ssog-report.html")).unwrap();
    assert!(html.contains("The partner&#39;s own rating is") || html.contains("The partner's own rating is"));
    assert!(html.contains("Data quality: Estimate."));
}

#[test]
fn an_actions_owner_and_due_date_are_kept_with_the_action() {
    use crate::common::{C::*, xlsx};
    let ws = Ws::demo();
    xlsx(
        &ws.file("returns/safer-actions.xlsx"),
        &[(
            "Q3",
            vec![
                vec![S("NI ref"), S("Q3 2009/10"), S("Remedial action"), S("Action owner"), S("Action due by")],
                vec![S("NI 32"), N(40.0), S("MARAC referrals reviewed"), S("Head of Community Safety"), D(2010, 3, 31)],
                vec![S("NI 16"), N(6.0), S("Patrols moved to the town centres"), E, S("end of Q4")],
                vec![S("NI 20"), N(3.0), E, S("Chief Inspector"), E],
            ],
        )],
    );
    let o = ws.laa(&["import", "--explain"]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(o.stdout().contains("the remedial action's owner, kept with the action"), "{}", o.stdout());
    assert!(o.stdout().contains("the date the remedial action is due, kept with the action"), "{}", o.stdout());
    assert!(ws.laa(&["import", "-q"]).ok());
    let rows = ws.json(&["rate", "--period", "2009/10 Q3", "--format", "json"]);
    let action = |code: &str| {
        rows.as_array().unwrap().iter().find(|r| r["indicator"] == code).unwrap()["action"].as_str().map(String::from)
    };
    assert_eq!(
        action("NI 32").as_deref(),
        Some("MARAC referrals reviewed (owner: Head of Community Safety; due 31 March 2010)")
    );
    assert_eq!(action("NI 16").as_deref(), Some("Patrols moved to the town centres (due end of Q4)"));
    // an owner without an action is not an action
    assert_eq!(action("NI 20"), None);
}
