use crate::common::{C, C::*, Ws, xlsx};

fn priorities_sheet(ws: &Ws, rows: Vec<Vec<C>>) {
    let mut all = vec![
        vec![S("SCS priorities")],
        vec![],
        vec![S("Theme"), S("Priority outcome"), S("Indicators"), S("Lead theme partnership")],
    ];
    all.extend(rows);
    xlsx(&ws.file("priorities.xlsx"), &[("Priorities", all)]);
}

#[test]
fn coverage_findings_on_a_hand_built_mapping() {
    let ws = Ws::demo();
    priorities_sheet(
        &ws,
        vec![
            vec![S("Safer"), S("Less crime"), S("NI 15, NI16; NI 20"), S("safer")],
            vec![E, S("Safer roads"), S("NI 48"), S("safer")], // the theme carries down; NI 48 is not in the LAA
            vec![S("Environment"), S("Cleaner streets"), S("NI 1955"), S("environment")], // a typo
            vec![S("Environment"), S("Rural services"), E, E], // no indicator
        ],
    );
    let j = ws.json(&["priorities", "check", "--format", "json"]);
    assert_eq!(j["outcomes_without_indicators"][0]["outcome"], "Rural services");
    let only_outside: Vec<&str> =
        j["outcomes_only_outside_laa"].as_array().unwrap().iter().map(|o| o["outcome"].as_str().unwrap()).collect();
    assert_eq!(only_outside, ["Safer roads", "Cleaner streets"]);
    assert_eq!(j["unknown_indicators"][0]["indicator"], "NI 1955");
    assert_eq!(j["unknown_indicators"][0]["nearest"], "NI 195");
    assert_eq!(j["unknown_indicators"][0]["cell"], "priorities.xlsx: Priorities!C6");
    let unmapped: Vec<&str> =
        j["laa_indicators_unmapped"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert!(unmapped.contains(&"NI 154") && !unmapped.contains(&"NI 16"));
    let safer = j["themes"].as_array().unwrap().iter().find(|t| t["theme"] == "Safer").unwrap();
    assert_eq!(
        (safer["outcomes"].as_u64(), safer["indicators"].as_u64(), safer["laa_indicators"].as_u64()),
        (Some(2), Some(4), Some(3))
    );
    let group = j["nis_groups"].as_array().unwrap().iter().find(|g| g["group"] == "Safer communities").unwrap();
    assert_eq!(group["mapped"], 4);
    // findings are output, not failure; the workbook and the heatmap are written
    let out = ws.file("coverage.xlsx");
    let chart = ws.file("coverage.svg");
    let o = ws.laa(&["priorities", "check", "--xlsx", out.to_str().unwrap(), "--chart", chart.to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(o.stdout().contains("did you mean NI 195?"));
    assert!(std::fs::read_to_string(&chart).unwrap().contains("<svg"));
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    assert_eq!(wb.sheet_names(), ["Coverage", "Findings"]);
    assert_eq!(wb.worksheet_range("Coverage").unwrap().height(), 1 + 5);
}

#[test]
fn a_bad_code_in_the_mapping_names_its_cell() {
    let ws = Ws::demo();
    priorities_sheet(
        &ws,
        vec![
            vec![S("Safer"), S("Less crime"), S("NI 15, crime figures"), S("safer")],
            vec![S("Safer"), S("More"), S("NI 16"), S("Rutland CSP")],
        ],
    );
    let o = ws.laa(&["priorities", "check"]);
    assert_eq!(o.code(), 1);
    assert!(
        o.stderr().contains("priorities.xlsx: Priorities!C4: \"crime figures\" is not an indicator code"),
        "{}",
        o.stderr()
    );
    assert!(o.stderr().contains("Priorities!D5"), "{}", o.stderr());
}

#[test]
fn suggestions_for_weak_outcomes() {
    let ws = Ws::demo();
    let j = ws.json(&[
        "priorities",
        "suggest",
        "--outcome",
        "reduce carbon emissions across the county",
        "--format",
        "json",
    ]);
    assert_eq!(j[0]["indicator"], "NI 186");
    assert_eq!(j[0]["rank"], 1);
    // on the demo: the unmapped and outside-LAA outcomes get candidates
    let j = ws.json(&["priorities", "suggest", "--top", "3", "--format", "json"]);
    let outcomes: std::collections::BTreeSet<&str> =
        j.as_array().unwrap().iter().map(|r| r["outcome"].as_str().unwrap()).collect();
    assert!(outcomes.contains("Better access to services in rural areas"), "{outcomes:?}");
    assert!(outcomes.contains("Safer roads for children"), "{outcomes:?}");
    let roads = j.as_array().unwrap().iter().find(|r| r["outcome"] == "Safer roads for children").unwrap();
    assert_eq!(roads["indicator"], "NI 48");
}

/// An agreement sheet: the header row, then rows of
/// (code, type, theme, baseline, [targets], reward (without, stretch, grant)).
fn agreement_sheet(ws: &Ws, rows: Vec<Vec<C>>) {
    let header = [
        "Indicator",
        "Type",
        "Lead theme",
        "Baseline",
        "Target 2008/09",
        "Target 2009/10",
        "Target 2010/11",
        "Performance without reward",
        "Stretch target",
        "Maximum grant",
    ];
    let mut all = vec![header.iter().map(|h| S(h)).collect::<Vec<_>>()];
    all.extend(rows);
    xlsx(&ws.file("agreement.xlsx"), &[("Agreement", all)]);
}

fn target(code: &'static str, kind: &'static str, t: [f64; 3]) -> Vec<C> {
    vec![S(code), S(kind), S("safer"), N(t[0] - 1.0), N(t[0]), N(t[1]), N(t[2])]
}

#[test]
fn agreement_check_findings() {
    let ws = Ws::demo();
    // 36 designated (higher-is-better NIs with rising targets), 15 of the 16 statutory, a reward
    // target whose stretch is worse than performance without reward, a missing target
    let higher: Vec<&'static str> = vec![
        "NI 1", "NI 2", "NI 3", "NI 4", "NI 5", "NI 6", "NI 7", "NI 8", "NI 9", "NI 10", "NI 11", "NI 21", "NI 25",
        "NI 27", "NI 40", "NI 52", "NI 53", "NI 57", "NI 59", "NI 60", "NI 61", "NI 63", "NI 66", "NI 67", "NI 110",
        "NI 124", "NI 125", "NI 126", "NI 127", "NI 128", "NI 129", "NI 130", "NI 135", "NI 139", "NI 140", "NI 141",
    ];
    assert_eq!(higher.len(), 36);
    let mut rows: Vec<Vec<C>> = higher.iter().map(|c| target(c, "designated", [10.0, 11.0, 12.0])).collect();
    for c in [
        "NI 72", "NI 73", "NI 74", "NI 75", "NI 83", "NI 92", "NI 93", "NI 94", "NI 95", "NI 96", "NI 97", "NI 98",
        "NI 99", "NI 100", "NI 101",
    ] {
        rows.push(target(c, "statutory", [50.0, 52.0, 54.0]));
    }
    // NI 154 (higher is better): stretch below performance without reward
    rows.push(vec![
        S("NI 154"),
        S("local"),
        S("economy"),
        N(2900.0),
        N(3000.0),
        N(3100.0),
        N(3200.0),
        N(3000.0),
        N(2950.0),
        N(500000.0),
    ]);
    // NI 191 (lower is better) with a target that rises, and no 2010/11 target
    rows.push(vec![S("NI 191"), S("local"), S("environment"), N(640.0), N(620.0), N(630.0), E]);
    agreement_sheet(&ws, rows);
    let o = ws.laa(&["agreement", "check", "--format", "json"]);
    assert_eq!(o.code(), 1, "errors make the check fail: {}", o.stderr());
    let j: serde_json::Value = serde_json::from_str(&o.stdout()).unwrap();
    let msgs: Vec<(String, String, String)> = j
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["severity"].as_str().unwrap().into(),
                f["location"].as_str().unwrap().into(),
                f["message"].as_str().unwrap().into(),
            )
        })
        .collect();
    let has =
        |sev: &str, loc: &str, text: &str| msgs.iter().any(|m| m.0 == sev && m.1.ends_with(loc) && m.2.contains(text));
    assert!(has("error", "Agreement!A37", "36 designated targets"), "{msgs:#?}");
    assert!(has("error", "agreement.xlsx", "statutory target NI 87 is missing"), "{msgs:#?}");
    assert!(
        has(
            "error",
            "Agreement!A53",
            "NI 154: the stretch target (2950) is not beyond performance without reward (3000)"
        ),
        "{msgs:#?}"
    );
    assert!(
        has(
            "warning",
            "Agreement!A54",
            "NI 191: the 2009/10 target (630) is worse than the 2008/09 target (620) although lower is better"
        ),
        "{msgs:#?}"
    );
    assert!(has("error", "Agreement!A54", "NI 191 has no target for 2010/11"), "{msgs:#?}");
    // the demo's own agreement has only warnings (its planted findings)
    let demo = Ws::demo();
    let o = demo.laa(&["agreement", "check", "--format", "json"]);
    assert!(o.ok(), "{}", o.stderr());
    let j: serde_json::Value = serde_json::from_str(&o.stdout()).unwrap();
    assert!(j.as_array().unwrap().iter().all(|f| f["severity"] == "warning"));
    assert!(j.as_array().unwrap().iter().any(|f| f["indicator"] == "NI 39"));
}

#[test]
fn timetable_states_and_gantt_chart() {
    let ws = Ws::demo();
    std::fs::copy(crate::common::repo().join("datasets/demo/timetable.xlsx"), ws.file("timetable.xlsx")).unwrap();
    let j = ws.json(&["timetable", "--on", "2007-11-19", "--format", "json"]);
    let states: Vec<&str> = j.as_array().unwrap().iter().map(|s| s["state"].as_str().unwrap()).collect();
    assert_eq!(states.len(), 9);
    assert_eq!(states[0], "done");
    // the partnership's published timetable: stage 4, "9 November 2007 onwards", is under way on
    // the day of the board meeting, and its task is the check `laa priorities check` does
    assert_eq!(states[3], "in progress", "LAA drafting: 9 November 2007 onwards");
    assert_eq!(states[4], "in progress", "public consultation: 12 November 2007 to 18 January 2008");
    assert_eq!(states[8], "upcoming");
    let stage4 = &j[3];
    assert_eq!((stage4["start"].as_str(), stage4["end"].as_str()), (Some("2007-11-09"), None), "open-ended");
    assert_eq!(j[0]["start"], serde_json::Value::Null, "stage 1 ran from \"now\"");
    assert!(stage4["tasks"].as_str().unwrap().starts_with("Indicator set requires checking against SCS priorities"));
    assert_eq!(stage4["command"], "laa priorities check");
    let table = ws.laa(&["timetable", "--on", "2007-11-19"]).stdout();
    let today = &table[table.find("On 19 November 2007:").expect("the day's summary")..];
    assert!(
        today.contains("stage 4 LAA drafting and early negotiation is in progress (9 Nov 2007 onwards)"),
        "{today}"
    );
    assert!(today.contains("tasks: Indicator set requires checking against SCS priorities"), "{today}");
    assert!(today.contains("run: laa priorities check"), "{today}");
    // and the command it names runs on the same workspace
    assert!(ws.laa(&["priorities", "check"]).code() <= 1);
    let png = ws.file("gantt.png");
    assert!(ws.laa(&["timetable", "--on", "2007-11-19", "--chart", png.to_str().unwrap()]).ok());
    assert!(std::fs::read(&png).unwrap().starts_with(b"\x89PNG"));
    assert_eq!(ws.laa(&["timetable", "--chart", "gantt.gif"]).code(), 1);
}
