use crate::common::{C::*, Ws, repo, safer_wide, xlsx};

#[test]
fn wide_xlsx_with_titles_and_text_numbers() {
    let ws = Ws::demo();
    let f = ws.file("returns/safer.xlsx");
    xlsx(
        &f,
        &[(
            "Q2",
            safer_wide(vec![
                vec![S("NI 32"), S("Leicestershire"), S("27.5%"), N(26.9), S("On track & <improving>")],
                vec![S("NI47"), S("Charnwood"), S("1,234"), S("n/a"), E],
                vec![S("Violent crime")], // a section heading with no values
                vec![S("L02"), S("NW Leics"), S("-"), S("15,901"), E],
            ]),
        )],
    );
    let o = ws.laa(&["import"]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(o.stderr().contains("4 values"), "{}", o.stderr());
    let h = ws.json(&["history", "NI 32", "--format", "json"]);
    let rows = h.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["value"], 27.5);
    assert_eq!(rows[0]["period"], "2009/10 Q1");
    assert_eq!(rows[0]["cell"], "C5");
    assert_eq!(rows[0]["sheet"], "Q2");
    assert_eq!(rows[1]["value"], 26.9);
    // commentary belongs to the latest quarter given
    assert_eq!(rows[1]["commentary"], "On track & <improving>");
    let h = ws.json(&["history", "NI 47", "--area", "Charnwood", "--format", "json"]);
    assert_eq!(h[0]["value"], 1234.0);
    let h = ws.json(&["history", "L02", "--format", "json"]);
    assert_eq!(h[0]["area"], "NWL");
    assert_eq!(h[0]["value"], 15901.0);
}

#[test]
fn long_csv_with_numerators_and_denominators() {
    let ws = Ws::demo();
    std::fs::write(
        ws.file("returns/safer-long.csv"),
        "Safer return,,,,,,\n\nNI,Area,Period,Numerator,Denominator,Value,Remedial action\n\
         NI 16,Blaby,Q1 2008-09,290,93000,,\n\
         NI 16,Hinckley and Bosworth,Jul-Sep 08,400,105000,3.81 per 1000,\n\
         NI 32,Leicestershire,2008/09 Q1,,,31%,Review \"MARAC\" referrals\n",
    )
    .unwrap();
    let o = ws.laa(&["import"]);
    assert!(o.ok(), "{}", o.stderr());
    let h = ws.json(&["history", "NI 16", "--format", "json"]);
    let rows = h.as_array().unwrap();
    let blaby = rows.iter().find(|r| r["area"] == "BLA").unwrap();
    assert!((blaby["value"].as_f64().unwrap() - 290.0 / 93.0).abs() < 1e-9);
    assert_eq!(blaby["cell"], "D4/E4");
    let hin = rows.iter().find(|r| r["area"] == "HIN").unwrap();
    assert_eq!(hin["value"], 3.81);
    assert_eq!(hin["numerator"], 400.0);
    assert_eq!(hin["period"], "2008/09 Q2");
}

#[test]
fn xls_and_ods_fixtures() {
    let ws = Ws::demo();
    for f in ["safer-wide.xls", "economy-long.ods"] {
        std::fs::copy(repo().join("tests/fixtures").join(f), ws.file("returns").join(f)).unwrap();
    }
    let o = ws.laa(&["import"]);
    assert!(o.ok(), "{}", o.stderr());
    let h = ws.json(&["history", "NI 154", "--format", "json"]);
    let by_area = |a: &str| h.as_array().unwrap().iter().find(|r| r["area"] == a).unwrap()["value"].as_f64().unwrap();
    assert_eq!(by_area("BLA"), 101.0);
    assert_eq!(by_area("MEL"), 1234.0);
    assert_eq!(by_area("OAW"), 45.0);
    let h = ws.json(&["history", "L02", "--format", "json"]);
    assert_eq!(h.as_array().unwrap().len(), 2);
    assert_eq!(h[0]["value"], 7812.0);
    assert_eq!(h[1]["period"], "2009/10 Q2");
    assert_eq!(h[1]["file"], "returns/safer-wide.xls");
}

#[test]
fn the_demo_imports_and_status_reports_it() {
    let ws = Ws::demo_with_returns();
    let o = ws.laa(&["import"]);
    assert!(o.ok(), "{}", o.stderr());
    let s = ws.json(&["status", "--format", "json"]);
    assert_eq!(s["imports"], 36);
    assert_eq!(s["latest_quarter"], "2009/10 Q2");
    assert_eq!(s["areas_with_data"], 8);
    assert_eq!(s["indicators_with_data"], s["agreement_indicators"]);
    assert_eq!(s["missing_for_latest_quarter"], serde_json::json!({}));
    // education results are held as academic years
    let h = ws.json(&["history", "NI 75", "--format", "json"]);
    assert_eq!(h[0]["period"], "AY 2008/09");
}

#[test]
fn dry_run_writes_nothing() {
    let ws = Ws::demo_with_returns();
    let o = ws.laa(&["import", "--dry-run"]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(o.stderr().contains("dry run"));
    assert!(ws.store_bytes().is_empty());
}

/// One bad return: exit 1, a message naming the cell, the store byte-for-byte as before.
fn rejects(ws: &Ws, name: &str, expect: &[&str]) {
    let before = ws.store_bytes();
    let o = ws.laa(&["import", ws.file(name).to_str().unwrap()]);
    assert_eq!(o.code(), 1, "{name} should be rejected: {}", o.stderr());
    for e in expect {
        assert!(o.stderr().contains(e), "{name}: expected {e:?} in:\n{}", o.stderr());
    }
    assert!(o.stderr().contains("nothing was imported"), "{}", o.stderr());
    assert_eq!(ws.store_bytes(), before, "{name} changed the store");
}

#[test]
fn bad_input_corpus() {
    let ws = Ws::demo();
    // a good import first, so "unchanged" means unchanged, not merely still empty
    xlsx(&ws.file("good.xlsx"), &[("Q2", safer_wide(vec![vec![S("NI 32"), E, N(30.0), N(29.0), E]]))]);
    assert!(ws.laa(&["import", ws.file("good.xlsx").to_str().unwrap()]).ok());
    assert!(!ws.store_bytes().is_empty());

    let bad = |name: &str, rows: Vec<Vec<crate::common::C>>| xlsx(&ws.file(name), &[("Q2", safer_wide(rows))]);
    bad("div0.xlsx", vec![vec![S("NI 32"), E, DivZero, N(29.0), E]]);
    rejects(&ws, "div0.xlsx", &["div0.xlsx: Q2!C5", "#DIV/0!"]);
    bad("text.xlsx", vec![vec![S("NI 32"), E, S("3O"), N(29.0), E]]);
    rejects(&ws, "text.xlsx", &["text.xlsx: Q2!C5", "\"3O\" is not a number"]);
    // a range is two numbers, not an estimate of one ("about 30" is one: an estimate)
    bad("range.xlsx", vec![vec![S("NI 32"), E, S("30-35"), N(29.0), E]]);
    rejects(&ws, "range.xlsx", &["range.xlsx: Q2!C5", "\"30-35\" holds two numbers, not one value"]);
    bad("unknown-ni.xlsx", vec![vec![S("NI 999"), E, N(1.0), E, E]]);
    rejects(&ws, "unknown-ni.xlsx", &["Q2!A5", "unknown indicator NI 999"]);
    bad("unknown-area.xlsx", vec![vec![S("NI 32"), S("Rutland"), N(1.0), E, E]]);
    rejects(&ws, "unknown-area.xlsx", &["Q2!B5", "unknown area \"Rutland\""]);
    bad("dupes.xlsx", vec![vec![S("NI 32"), S("Blaby"), N(1.0), E, E], vec![S("NI32"), S("blaby"), N(2.0), E, E]]);
    rejects(&ws, "dupes.xlsx", &["Q2!C6", "given twice", "also at C5"]);
    // every error at once, not only the first
    bad("many.xlsx", vec![vec![S("NI 32"), E, DivZero, S("x"), E], vec![S("NI 999"), E, N(1.0), E, E]]);
    rejects(&ws, "many.xlsx", &["Q2!C5", "Q2!D5", "Q2!A6"]);
    xlsx(&ws.file("empty.xlsx"), &[("Sheet1", vec![])]);
    rejects(&ws, "empty.xlsx", &["empty.xlsx: Sheet1!A1", "sheet is empty"]);
    xlsx(&ws.file("title-only.xlsx"), &[("Sheet1", vec![vec![S("Safer Leicestershire Partnership return")]])]);
    rejects(&ws, "title-only.xlsx", &["title-only.xlsx: Sheet1!A1", "no cell of this sheet holds a figure"]);
    xlsx(&ws.file("all-na.xlsx"), &[("Q2", safer_wide(vec![vec![S("NI 32"), E, S("n/a"), S("-"), E]]))]);
    rejects(&ws, "all-na.xlsx", &["holds no values"]);
    // a long return for a period outside the agreement
    std::fs::write(ws.file("old.csv"), "NI,Period,Value\nNI 32,2005/06 Q1,30\n").unwrap();
    rejects(&ws, "old.csv", &["old.csv: B2", "outside the agreement"]);
    std::fs::write(ws.file("bad-period.csv"), "NI,Period,Value\nNI 32,Quarter 7,30\n").unwrap();
    rejects(&ws, "bad-period.csv", &["bad-period.csv: B2", "is not a period"]);
    // not a spreadsheet at all, and a truncated one
    std::fs::write(ws.file("notes.xlsx"), "these are my notes, not a workbook").unwrap();
    rejects(&ws, "notes.xlsx", &["notes.xlsx", "cannot be read: it is plain text (csv?) named as .xlsx"]);
    let good = std::fs::read(ws.file("good.xlsx")).unwrap();
    std::fs::write(ws.file("truncated.xlsx"), &good[..good.len() / 2]).unwrap();
    rejects(&ws, "truncated.xlsx", &["truncated.xlsx", "not a readable xlsx"]);
    std::fs::write(ws.file("return.docx"), "NI,Period,Value\n").unwrap();
    rejects(&ws, "return.docx", &["unsupported file type"]);
}

#[test]
fn one_bad_file_stops_the_whole_import() {
    let ws = Ws::demo_with_returns();
    xlsx(&ws.file("returns/zz-bad.xlsx"), &[("Q2", safer_wide(vec![vec![S("NI 32"), E, DivZero, E, E]]))]);
    let o = ws.laa(&["import"]);
    assert_eq!(o.code(), 1);
    assert!(o.stderr().contains("returns/zz-bad.xlsx: Q2!C5"), "{}", o.stderr());
    assert!(ws.store_bytes().is_empty());
}

#[test]
fn a_quarter_without_a_year_is_an_error_naming_the_header() {
    let ws = Ws::demo();
    xlsx(&ws.file("noyear.xlsx"), &[("Data", vec![vec![S("NI"), S("Q1 actual")], vec![S("NI 32"), N(3.0)]])]);
    rejects(&ws, "noyear.xlsx", &["noyear.xlsx: Data!B1", "no financial year"]);
}

#[test]
fn two_row_headers_and_columns_in_any_order() {
    let ws = Ws::demo();
    // years merged across their quarters above, quarters below; the title column before the code
    xlsx(
        &ws.file("returns/two-row.xlsx"),
        &[(
            "Data",
            vec![
                vec![S("Safer Leicestershire Partnership")],
                vec![S("Indicator"), S("Ref"), S("2008/09"), E, E, E, S("2009/10"), E],
                vec![E, E, S("Q1"), S("Q2"), S("Q3"), S("Q4"), S("Apr-Jun"), S("Jul-Sep")],
                vec![
                    S("Repeat incidents of domestic violence"),
                    S("NI 32"),
                    N(31.0),
                    N(30.5),
                    N(30.0),
                    N(29.5),
                    N(29.0),
                    N(28.5),
                ],
            ],
        )],
    );
    // the indicator column on the quarter row, the years on the row above
    xlsx(
        &ws.file("returns/years-above.xlsx"),
        &[(
            "Data",
            vec![
                vec![E, E, S("2008/09"), E, S("2009/10")],
                vec![S("NI"), S("Area"), S("Q3"), S("Q4"), S("Q1")],
                vec![S("NI 47"), S("Melton"), N(11.0), N(14.0), N(4.0)],
            ],
        )],
    );
    let o = ws.laa(&["import"]);
    assert!(o.ok(), "{}", o.stderr());
    let h = ws.json(&["history", "NI 32", "--format", "json"]);
    let periods: Vec<&str> = h.as_array().unwrap().iter().map(|r| r["period"].as_str().unwrap()).collect();
    assert_eq!(periods, ["2008/09 Q1", "2008/09 Q2", "2008/09 Q3", "2008/09 Q4", "2009/10 Q1", "2009/10 Q2"]);
    assert_eq!(h[5]["value"], 28.5);
    assert_eq!(h[5]["cell"], "H4");
    let h = ws.json(&["history", "NI 47", "--format", "json"]);
    let got: Vec<(&str, f64)> =
        h.as_array().unwrap().iter().map(|r| (r["period"].as_str().unwrap(), r["value"].as_f64().unwrap())).collect();
    assert_eq!(got, [("2008/09 Q3", 11.0), ("2008/09 Q4", 14.0), ("2009/10 Q1", 4.0)]);
}

#[test]
fn a_sheet_without_a_header_is_skipped_and_said_when_it_holds_numbers() {
    let ws = Ws::demo();
    let data = safer_wide(vec![vec![S("NI 32"), E, N(30.0), N(29.0), E]]);
    xlsx(&ws.file("returns/a.xlsx"), &[("Q2", data.clone()), ("Notes", vec![vec![S("Figures are provisional.")]])]);
    let o = ws.laa(&["import", "--dry-run"]);
    assert!(o.ok() && !o.stderr().contains("warning"), "{}", o.stderr());
    xlsx(&ws.file("returns/a.xlsx"), &[("Q2", data), ("Lookup", vec![vec![S("Blaby"), N(93000.0)]])]);
    let o = ws.laa(&["import", "--dry-run"]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(o.stderr().contains("warning: returns/a.xlsx: Lookup!A1: sheet skipped"), "{}", o.stderr());
}

/// Demo returns saved by LibreOffice Calc 7 as .ods and as Excel 97 .xls
/// (`soffice --convert-to ods|xls`).
#[test]
fn files_written_by_libreoffice() {
    let ws = Ws::demo();
    for f in ["safer-libreoffice.ods", "cyp-libreoffice.xls"] {
        std::fs::copy(repo().join("tests/fixtures").join(f), ws.file("returns").join(f)).unwrap();
    }
    let o = ws.laa(&["import"]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(o.stderr().contains("returns/cyp-libreoffice.xls: imported 26 values"), "{}", o.stderr());
    assert!(o.stderr().contains("returns/safer-libreoffice.ods: imported 26 values"), "{}", o.stderr());
    let h = ws.json(&["history", "NI 16", "--area", "Blaby", "--format", "json"]);
    assert_eq!(h[0]["cell"], "E12/F12", "the same cell as in the original xlsx");
    assert_eq!(h[0]["sheet"], "Data");
    let h = ws.json(&["history", "NI 75", "--format", "json"]);
    assert_eq!((h[0]["period"].as_str(), h[0]["value"].as_f64()), (Some("AY 2008/09"), Some(50.1)));
}

#[test]
fn quarter_end_dates_as_column_headers() {
    let ws = Ws::demo();
    xlsx(
        &ws.file("returns/dates.xlsx"),
        &[("Sheet1", vec![vec![S("NI"), D(2009, 6, 30), D(2009, 9, 30)], vec![S("NI 32"), N(29.0), N(28.0)]])],
    );
    let o = ws.laa(&["import"]);
    assert!(o.ok(), "{}", o.stderr());
    let h = ws.json(&["history", "NI 32", "--format", "json"]);
    let periods: Vec<&str> = h.as_array().unwrap().iter().map(|r| r["period"].as_str().unwrap()).collect();
    assert_eq!(periods, ["2009/10 Q1", "2009/10 Q2"]);
}

/// Return forms as other tools write them (tests/fixtures/returns/make_returns.py): csv in
/// Windows-1252, UTF-16 "Unicode text" with tabs, UTF-8 with semicolons; single-quarter forms
/// whose quarter is in a merged title, the file name or the sheet name, or only in `--period`.
/// Every value and every character of its commentary arrives exactly.
#[test]
fn return_forms_other_tools_write_import_exactly() {
    let dir = crate::common::repo().join("tests/fixtures/returns");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).unwrap() {
        let path = e.unwrap().path();
        let Some(name) = path.file_name().unwrap().to_str().unwrap().strip_suffix(".expected.json") else {
            continue;
        };
        let expected: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let ws = Ws::demo();
        std::fs::copy(dir.join(name), ws.file(name)).unwrap();
        let file = ws.file(name);
        let o = match expected["period"].as_str() {
            // a form that says no quarter is refused, naming where it looked, until --period says it
            Some(period) => {
                let refused = ws.laa(&["import", file.to_str().unwrap()]);
                assert_eq!(refused.code(), 1, "{name}");
                assert!(refused.stderr().contains("does not say which"), "{}", refused.stderr());
                assert!(refused.stderr().contains("--period"), "{}", refused.stderr());
                ws.laa(&["import", "--period", period, file.to_str().unwrap()])
            }
            None => ws.laa(&["import", file.to_str().unwrap()]),
        };
        assert!(o.ok(), "{name}: {}", o.stderr());
        for v in expected["values"].as_array().unwrap() {
            let h = ws.json(&[
                "history",
                v["indicator"].as_str().unwrap(),
                "--area",
                v["area"].as_str().unwrap(),
                "--period",
                v["period"].as_str().unwrap(),
                "--format",
                "json",
            ]);
            let got = &h.as_array().unwrap()[0];
            assert_eq!(got["value"], v["value"], "{name}: {v}");
            assert_eq!(got["commentary"], v["commentary"], "{name}: the commentary's characters");
            n += 1;
        }
    }
    assert!(n >= 45, "every value of every form ({n})");
    // every form in the folder has its sidecar, and there are at least 25
    let forms: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| !n.ends_with(".json") && !n.ends_with(".py"))
        .collect();
    assert!(forms.len() >= 25, "{} forms", forms.len());
    for f in &forms {
        assert!(dir.join(format!("{f}.expected.json")).exists(), "{f} has no expected values");
    }
}

#[test]
fn a_return_that_says_two_quarters_is_refused_naming_both() {
    let ws = Ws::demo();
    let form = crate::common::repo().join("tests/fixtures/returns/cyp-single-quarter-title.xlsx");
    let o = ws.laa(&["import", "--dry-run", "--period", "2009/10 Q2", form.to_str().unwrap()]);
    assert_eq!(o.code(), 1, "{}", o.stderr());
    assert!(
        o.stderr().contains("the return says two quarters: cell A1 (2009/10 Q3) and --period (2009/10 Q2)"),
        "{}",
        o.stderr()
    );
    std::fs::copy(&form, ws.file("Q2 2009-10.xlsx")).unwrap();
    let o = ws.laa(&["import", "--dry-run", ws.file("Q2 2009-10.xlsx").to_str().unwrap()]);
    assert!(
        o.stderr().contains("cell A1 (2009/10 Q3) and the file name \"Q2 2009-10.xlsx\" (2009/10 Q2)"),
        "{}",
        o.stderr()
    );
}

#[test]
fn impossible_values_are_errors_and_unlikely_ones_warnings_naming_the_cell() {
    let ws = Ws::demo();
    // a percentage of a whole above 100 and a plain count below zero cannot be: refused
    std::fs::write(
        ws.file("odd.csv"),
        "NI,Period,Value\nNI 53,2009/10 Q2,145\nNI 47,2009/10 Q2,-20\nNI 32,2009/10 Q2,28\nNI 154,2009/10 Q2,5000000000000000\n",
    )
    .unwrap();
    let o = ws.laa(&["import", ws.file("odd.csv").to_str().unwrap()]);
    assert_eq!(o.code(), 1, "{}", o.stderr());
    assert!(o.stderr().contains("odd.csv: C2: NI 53 is 145%, which a percentage cannot be"), "{}", o.stderr());
    assert!(o.stderr().contains("odd.csv: C3: NI 47 is a count, and -20 is negative"), "{}", o.stderr());
    assert!(o.stderr().contains("odd.csv: C5: NI 154 is 5e15, larger"), "{}", o.stderr());
    assert!(o.stderr().contains("larger than any indicator's value can be"), "{}", o.stderr());
    assert!(!o.stderr().contains("9,223,372,036,854,775,807"), "{}", o.stderr());
    assert!(!o.stderr().contains("C4"), "{}", o.stderr());
    // a net count below zero may be what was meant: a warning, and the import goes on
    // so may a value a thousand times its target, named with the target it was compared with
    std::fs::write(ws.file("net.csv"), "NI,Period,Value\nNI 154,2009/10 Q1,-20\nNI 154,2009/10 Q2,4200000\n").unwrap();
    let o = ws.laa(&["import", ws.file("net.csv").to_str().unwrap()]);
    assert!(o.ok(), "warnings do not stop the import: {}", o.stderr());
    assert!(o.stderr().contains("net.csv: C2: NI 154 is a count, and -20 is negative"), "{}", o.stderr());
    assert!(
        o.stderr()
            .contains("net.csv: C3: NI 154 is 4200000, over a thousand times what is expected (the target is 3000)"),
        "{}",
        o.stderr()
    );
    assert!(!o.stderr().contains("C2: NI 154 is -20, over"), "{}", o.stderr());
    // fractions where percentages were meant, in a csv (no cell formats to read)
    std::fs::write(ws.file("fractions.csv"), "NI,Period,Value\nNI 53,2009/10 Q1,0.41\nNI 53,2009/10 Q2,0.43\n")
        .unwrap();
    let o = ws.laa(&["import", ws.file("fractions.csv").to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(
        o.stderr().contains(
            "fractions.csv: C2: NI 53 is a percentage with a target of 44, but every value in this file is 1 or less"
        ),
        "{}",
        o.stderr()
    );
}

#[test]
fn explain_says_how_each_sheet_is_read_and_writes_nothing() {
    let ws = Ws::demo();
    let dir = crate::common::repo().join("tests/fixtures/returns");
    let form = dir.join("cyp-single-quarter-title.xlsx");
    let o = ws.laa(&["import", "--explain", form.to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    let out = o.stdout();
    for want in [
        "sheet \"Return\": one quarter (2009/10 Q3)",
        "header row 4:",
        "\"Actual\"                             values for 2009/10 Q3",
        "\"RAG (self-assessed)\"                the partner's own rating, kept with the value",
        "\"Data quality\"                       data quality, kept with the value",
        "\"Commentary / remedial action\"       commentary, kept with the value",
        "the quarter comes from cell A1",
        "NI 53 LEICS 2009/10 Q3 = 43.5 (cell C5); commentary \"Peer support scheme extended\"",
    ] {
        assert!(out.contains(want), "{want:?} not in\n{out}");
    }
    // a form that would be refused is explained too, with its problems; nothing is stored
    let o = ws.laa(&["import", "--explain", dir.join("economy-no-period.xlsx").to_str().unwrap()]);
    assert_eq!(o.code(), 1);
    assert!(
        o.stdout().contains("sheet \"Data\": not read: the value column \"Performance\" is for one quarter"),
        "{}",
        o.stdout()
    );
    let o = ws.laa(&[
        "import",
        "--explain",
        "--period",
        "2009/10 Q3",
        dir.join("economy-no-period.xlsx").to_str().unwrap(),
    ]);
    assert!(o.ok() && o.stdout().contains("the quarter comes from --period"), "{}", o.stdout());
    assert!(ws.store_bytes().is_empty());
}

#[test]
fn a_copied_target_that_disagrees_is_a_warning_naming_the_cell() {
    let ws = Ws::demo();
    std::fs::write(ws.file("targets.csv"), "NI,Period,Value,Target\nNI 32,2009/10 Q2,27,28\nNI 47,2009/10 Q2,20,345\n")
        .unwrap();
    let o = ws.laa(&["import", ws.file("targets.csv").to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(
        o.stderr()
            .contains("targets.csv: D3: NI 47 target 345 copied here is not the agreement's 2009/10 target (350)"),
        "{}",
        o.stderr()
    );
    assert!(!o.stderr().contains("D2"), "NI 32's copied 28 is the agreement's: {}", o.stderr());
}

/// Import messages are capped (#20): a workbook of 300 sheets that repeat one value prints the
/// first 50 of that kind and a count, and `--verbose` prints them all.
#[test]
fn messages_of_one_kind_are_capped_at_fifty() {
    let ws = Ws::demo();
    let names: Vec<String> = (1..=300).map(|i| format!("Copy {i}")).collect();
    let sheets: Vec<(&str, Vec<Vec<crate::common::C>>)> = names
        .iter()
        .map(|n| (n.as_str(), vec![vec![S("NI ref"), S("Q2 2009/10")], vec![S("NI 32"), N(28.0)]]))
        .collect();
    xlsx(&ws.file("copies.xlsx"), &sheets);
    let o = ws.laa(&["import", "--dry-run", ws.file("copies.xlsx").to_str().unwrap()]);
    assert_eq!(o.code(), 1, "{}", o.stderr());
    let twice = o.stderr().lines().filter(|l| l.contains("is given twice in this return")).count();
    assert_eq!(twice, 50, "{}", o.stderr());
    assert!(o.stderr().contains("… and 249 more messages like those above, not printed"), "{}", o.stderr());
    let o = ws.laa(&["import", "--dry-run", "--verbose", ws.file("copies.xlsx").to_str().unwrap()]);
    let twice = o.stderr().lines().filter(|l| l.contains("is given twice in this return")).count();
    assert_eq!(twice, 299, "{}", o.stderr());
}

/// Checks a performance officer would make (#23.10): last year's return sent again, a template's
/// placeholder left in the commentary, one commentary copied down the form.
#[test]
fn an_old_return_sent_again_and_placeholder_commentary_are_warned() {
    let ws = Ws::demo_with_returns();
    assert!(ws.laa(&["import", "-q"]).ok());
    // the county's 2009/10 Q1 values of four indicators, sent again as 2010/11 Q1
    let mut csv = String::from("Indicator,Period,Value\n");
    for code in ["NI 154", "NI 155", "NI 123", "L01"] {
        let h = ws.json(&["history", code, "--area", "Leicestershire", "--period", "2009/10 Q1", "--format", "json"]);
        csv += &format!("{code},2010/11 Q1,{}\n", h[0]["value"]);
    }
    std::fs::write(ws.file("resent.csv"), csv).unwrap();
    let o = ws.laa(&["import", "--dry-run", ws.file("resent.csv").to_str().unwrap()]);
    assert!(o.ok(), "a warning, not an error: {}", o.stderr());
    assert!(
        o.stderr().contains("resent.csv: 4 of its 4 values are the same as a year earlier in returns/"),
        "{}",
        o.stderr()
    );
    assert!(o.stderr().contains("is it last year's return sent again?"), "{}", o.stderr());
    // placeholders and a commentary copied down the form
    let copied = "Partners are reviewing the position and will report next quarter in full.";
    std::fs::write(
        ws.file("comments.csv"),
        format!(
            "Indicator,Period,Value,Commentary\nNI 154,2009/10 Q3,2200,<insert commentary>\nNI 155,2009/10 Q3,480,TBC\nNI 123,2009/10 Q3,650,{copied}\nL01,2009/10 Q3,700,{copied}\nNI 32,2009/10 Q3,29,{copied}\n"
        ),
    )
    .unwrap();
    let o = ws.laa(&["import", "--dry-run", ws.file("comments.csv").to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(
        o.stderr().contains("comments.csv: C2: NI 154 commentary \"<insert commentary>\" is a template's placeholder"),
        "{}",
        o.stderr()
    );
    assert!(
        o.stderr().contains("comments.csv: C3: NI 155 commentary \"TBC\" is a template's placeholder"),
        "{}",
        o.stderr()
    );
    assert!(
        o.stderr().contains("comments.csv: C4: the same commentary is given for 3 indicators (NI 123, L01, NI 32)"),
        "{}",
        o.stderr()
    );
    // the demo's own returns pass without these warnings
    let demo = Ws::demo_with_returns();
    let o = demo.laa(&["import"]);
    assert!(!o.stderr().contains("placeholder") && !o.stderr().contains("sent again"), "{}", o.stderr());
}

/// Markers of official statistics: a provisional figure keeps its number and its flag; a
/// suppressed or not-yet-due cell is never a number and never an error, and `laa status` lists it
/// with its reason and cell.
#[test]
fn no_value_markers_are_listed_with_their_reasons() {
    let ws = Ws::demo();
    std::fs::write(
        ws.file("returns/markers.csv"),
        "NI ref,Area,Quarter,Actual\nNI 32,Blaby,2009/10 Q2,28.5 [p]\nNI 32,Melton,2009/10 Q2,[x]\nNI 47,Blaby,2009/10 Q2,suppressed\nNI 47,Melton,2009/10 Q2,Not yet due\n",
    )
    .unwrap();
    let o = ws.laa(&["import"]);
    assert!(o.ok(), "{}", o.stderr());
    assert!(o.stderr().contains("3 cells said there is no value"), "{}", o.stderr());
    let h = ws.json(&["history", "NI 32", "--area", "Blaby", "--format", "json"]);
    assert_eq!(h[0]["value"], 28.5);
    assert_eq!(h[0]["quality"], "provisional");
    let s = ws.json(&["status", "--format", "json"]);
    let said = s["said_no_value_for_latest_quarter"].as_array().unwrap();
    let reasons: Vec<(&str, &str, &str)> = said
        .iter()
        .map(|n| (n["indicator"].as_str().unwrap(), n["area"].as_str().unwrap(), n["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(
        reasons,
        [("NI 32", "MEL", "not available"), ("NI 47", "BLA", "suppressed"), ("NI 47", "MEL", "not yet due")]
    );
    assert!(said[0]["cell"].as_str().unwrap().ends_with("markers.csv: D3"), "{}", said[0]["cell"]);
    let text = ws.laa(&["status"]);
    assert!(text.stdout().contains("NI 47 BLA: suppressed"), "{}", text.stdout());
}

/// A column of words where values were expected is said once, in terms of its cells and what
/// would make it readable; a column of words under a heading that says so is read beside the
/// figures (#33).
#[test]
fn words_where_values_stand_are_said_once_for_the_column() {
    let ws = Ws::demo();
    let bad = ws.file("returns/words.csv");
    std::fs::write(
        &bad,
        "NI ref,Area,Q2 2009/10,Q3 2009/10\nNI 47,Blaby,81,On track\nNI 32,Blaby,27,Improving\nNI 40,Blaby,10,On track\n",
    )
    .unwrap();
    let o = ws.laa(&["import", bad.to_str().unwrap()]);
    assert_eq!(o.code(), 1);
    let err = o.stderr();
    assert!(
        err.contains(
            "returns/words.csv: D2:D4: these cells hold words (On track, Improving, …) where values were expected"
        ),
        "{err}"
    );
    assert!(!err.contains("\"On track\" is not a number"), "one message for the column, not one a cell: {err}");
    // the same words under a heading that says what they are: read beside the figures
    std::fs::write(
        &bad,
        "NI ref,Area,Q2 2009/10,Q2 2009/10 Trend,Q2 2009/10 Comments\nNI 47,Blaby,81,Improving,Fewer crashes in Q2\nNI 32,Blaby,27,Worse,\n",
    )
    .unwrap();
    let j = ws.json(&["import", "--dry-run", "--explain", "--format", "json", bad.to_str().unwrap()]);
    let f = &j[0];
    assert_eq!(f["problems"].as_array().unwrap().len(), 0, "{f}");
    assert_eq!(f["values"].as_array().unwrap().len(), 2, "{f}");
    assert_eq!(f["values"][0]["commentary"], "Fewer crashes in Q2");
    let cols = f["sheets"][0]["columns"].as_array().unwrap();
    assert!(cols[3][2].as_str().unwrap().starts_with("words, not values (Improving, Worse)"), "{cols:?}");
}
