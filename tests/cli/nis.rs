use crate::common::Ws;

#[test]
fn nis_list_has_198_indicators_in_every_format() {
    let ws = Ws::demo();
    let j = ws.json(&["nis", "list", "--format", "json"]);
    let list = j.as_array().unwrap();
    // the shipped 198 and the demo agreement's four local indicators
    assert_eq!(list.iter().filter(|i| i["indicator"].as_str().unwrap().starts_with("NI ")).count(), 198);
    assert!(list.iter().any(|i| i["indicator"] == "L01" && i["polarity"] == "higher"));
    let csv = ws.laa(&["nis", "list", "--format", "csv", "--theme", "safer communities"]).stdout();
    assert!(csv.starts_with("indicator,title,theme,polarity,unit,frequency,measure_type\n"));
    assert!(csv.contains(
        "NI 16,Serious acquisitive crime rate,Safer communities,lower,\"rate per 1,000\",quarterly,cumulative"
    ));
}

#[test]
fn nis_show_accepts_spellings() {
    let ws = Ws::demo();
    for spelling in ["NI 154", "NI154", "154", "ni-154"] {
        let o = ws.laa(&["nis", "show", spelling]);
        assert!(o.ok(), "{spelling}: {}", o.stderr());
        assert!(o.stdout().contains("Net additional homes provided"));
    }
    let o = ws.laa(&["nis", "show", "NI 31"]);
    assert_eq!(o.code(), 1);
    assert!(o.stderr().contains("NI 31"));
}

#[test]
fn nis_import_replaces_the_workspace_catalogue() {
    let ws = Ws::demo();
    let f = ws.file("mine.csv");
    // a catalogue without the agreement's indicators is refused
    std::fs::write(&f, "Title row\n\nNI number,Title,Theme,Polarity,Unit,Frequency,Measure type\n154,Net additional homes,Housing,higher,number,quarterly,cumulative\n").unwrap();
    let o = ws.laa(&["nis", "import", f.to_str().unwrap()]);
    assert_eq!(o.code(), 1);
    assert!(o.stderr().contains("lacks indicators the agreement uses (NI 1, NI 4"), "{}", o.stderr());
    assert!(!ws.file("nis.csv").exists());
    // the shipped catalogue with a theme renamed
    let shipped = std::fs::read_to_string(crate::common::repo().join("datasets/nis/national-indicators.csv")).unwrap();
    std::fs::write(
        &f,
        shipped.replace(
            "154,NI 154,Net additional homes provided,Local economy",
            "154,NI 154,Net additional homes provided,Housing",
        ),
    )
    .unwrap();
    let o = ws.laa(&["nis", "import", f.to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    let j = ws.json(&["nis", "list", "--format", "json"]);
    assert!(j.as_array().unwrap().iter().any(|i| i["indicator"] == "NI 154" && i["theme"] == "Housing"));
    // a bad catalogue names the cell and changes nothing
    std::fs::write(&f, "code,title,polarity\nNI 1,x,sideways\n").unwrap();
    let before = std::fs::read(ws.file("nis.csv")).unwrap();
    let o = ws.laa(&["nis", "import", f.to_str().unwrap()]);
    assert_eq!(o.code(), 1);
    assert!(o.stderr().contains("mine.csv: C2"), "{}", o.stderr());
    assert_eq!(std::fs::read(ws.file("nis.csv")).unwrap(), before);
}

#[test]
fn usage_errors_exit_2_and_help_has_examples() {
    let ws = Ws::demo();
    assert_eq!(ws.laa(&["frobnicate"]).code(), 2);
    let help = ws.laa(&["import", "--help"]);
    assert!(help.ok());
    assert!(help.stdout().contains("Example"));
}

#[test]
fn init_writes_a_workspace_that_opens() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("new");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_laa")).arg("init").arg(&target).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["partnership.toml", "agreement.xlsx", "priorities.xlsx", "returns"] {
        assert!(target.join(f).exists(), "{f}");
    }
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_laa"))
        .arg("--workspace")
        .arg(&target)
        .arg("status")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("the store is empty"));
    // a second init into the same directory refuses
    let again = std::process::Command::new(env!("CARGO_BIN_EXE_laa")).arg("init").arg(&target).output().unwrap();
    assert_eq!(again.status.code(), Some(1));
}

#[test]
fn a_return_template_has_a_header_laa_reads() {
    let ws = Ws::demo();
    let out = ws.file("returns/safer-template.xlsx");
    let o = ws.laa(&["template", "return", "--theme", "safer", "--period", "2009/10 Q3", "-o", out.to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    // blank, it holds no values yet; but its header and indicator rows are understood
    let o = ws.laa(&["import", "--dry-run"]);
    assert_eq!(o.code(), 1);
    assert!(o.stderr().contains("holds no values"), "{}", o.stderr());
    use calamine::Reader;
    let mut wb: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let sheet = wb.worksheet_range("2009-10-Q3").unwrap();
    let header: Vec<String> = sheet.rows().nth(3).unwrap().iter().map(|c| c.to_string()).collect();
    assert_eq!(
        header,
        [
            "NI ref",
            "Indicator title",
            "Area",
            "Q1 2009/10",
            "Q2 2009/10",
            "Q3 2009/10",
            "Commentary",
            "Remedial action",
            "Action owner",
            "Action due"
        ]
    );
    assert_eq!(sheet.rows().nth(4).unwrap()[0].to_string(), "NI 15");
}
