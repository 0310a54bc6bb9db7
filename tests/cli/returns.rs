//! `laa returns` and `laa returns remind` on the demo and on copies of it with a return taken
//! away: what each theme owes, when it was due, when it arrived, the reminders (parsed back with
//! a real mail parser, their attachments opened), and the report's returns table.

use std::path::Path;

use calamine::{Reader, Xlsx};
use mail_parser::MimeHeaders;

use crate::common::{C::*, Ws, xlsx};

fn rows(ws: &Ws, args: &[&str]) -> Vec<serde_json::Value> {
    let j = ws.json(&[&["returns", "--on", "2009-11-30", "--format", "json"], args].concat());
    j.as_array().unwrap().clone()
}

fn row<'a>(rows: &'a [serde_json::Value], theme: &str, period: &str) -> &'a serde_json::Value {
    rows.iter().find(|r| r["theme"] == theme && r["period"] == period).unwrap_or_else(|| panic!("{theme} {period}"))
}

fn imported(ws: &Ws) {
    let o = ws.laa(&["import", "-q"]);
    assert!(o.ok(), "{}", o.stderr());
}

/// The demo's planted late return (economy 2009/10 Q2, completed 5 November) and partial one
/// (health 2008/09 Q3: NI 130 never sent); every other return arrived by its due date, each on
/// the date it says it was completed, not the day it was imported.
#[test]
fn the_demo_shows_its_planted_late_and_partial_returns() {
    let ws = Ws::demo_with_returns();
    imported(&ws);
    let all = rows(&ws, &[]);
    assert_eq!(all.len(), 6 * 6, "six themes × six quarters ended by 30 November 2009");
    let late = row(&all, "economy", "2009/10 Q2");
    assert_eq!((late["state"].as_str(), late["received"].as_str()), (Some("late"), Some("2009-11-05")));
    assert_eq!((late["due"].as_str(), late["days_overdue"].as_i64()), (Some("2009-10-28"), Some(8)));
    let partial = row(&all, "health", "2008/09 Q3");
    assert_eq!(partial["state"], "partial");
    assert_eq!(
        partial["missing"],
        serde_json::json!([{"indicator": "NI 130", "area": "LEICS", "area_name": "Leicestershire", "period": "2008/09 Q3"}])
    );
    assert_eq!(
        partial["days_overdue"],
        (chrono::NaiveDate::from_ymd_opt(2009, 11, 30).unwrap()
            - chrono::NaiveDate::from_ymd_opt(2009, 1, 29).unwrap())
        .num_days()
    );
    let others: Vec<&serde_json::Value> =
        all.iter().filter(|r| !std::ptr::eq(*r, late) && !std::ptr::eq(*r, partial)).collect();
    assert!(others.iter().all(|r| r["state"] == "received" && r["days_overdue"] == 0), "{others:?}");
    // received on the return's own date: before the due date, never the day of the import
    assert!(others.iter().all(|r| r["received"].as_str().unwrap() <= r["due"].as_str().unwrap()));
    // the table for people: worst first
    let out = ws.laa(&["returns", "--on", "2009-11-30"]).stdout();
    let table = &out[out.find('╞').expect("a table")..];
    let states: Vec<&str> = ["partial", "late", "received"].into_iter().filter(|s| table.contains(s)).collect();
    assert_eq!(states.len(), 3);
    let at = |s: &str| table.find(s).unwrap();
    assert!(at("partial") < at("late") && at("late") < at(" received"), "{table}");
    // the Place Survey and the education results are published nationally: no partner owes them
    let q1 = row(&all, "communities", "2009/10 Q1");
    assert_eq!(q1["owed"], 1, "only L01: {q1}");
    // before the due date a return not in yet is not due; in October 2009 the Q2 returns were
    let early = ws.json(&["returns", "--on", "2009-10-14", "--period", "2009/10 Q2", "--format", "json"]);
    let early = early.as_array().unwrap();
    assert_eq!(row(early, "economy", "2009/10 Q2")["state"], "not_due");
    assert_eq!(row(early, "communities", "2009/10 Q2")["state"], "received", "completed 13 October");
}

/// The case: the Safer Leicestershire Partnership's 2009/10 Q2 return taken away.
#[test]
fn a_missing_return_is_listed_reminded_and_reported() {
    let ws = Ws::demo_with_returns();
    std::fs::remove_file(ws.file("returns/safer-2009-10-q2.xlsx")).unwrap();
    imported(&ws);
    let safer = rows(&ws, &["--theme", "safer", "--period", "2009/10 Q2"]);
    assert_eq!(safer.len(), 1);
    let r = &safer[0];
    assert_eq!(
        (r["state"].as_str(), r["due"].as_str(), r["days_overdue"].as_i64()),
        (Some("missing"), Some("2009-10-28"), Some(33))
    );
    assert!(r["received"].is_null());
    let owed: Vec<(String, String)> = r["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| (m["indicator"].as_str().unwrap().to_string(), m["area"].as_str().unwrap().to_string()))
        .collect();
    let districts = ["BLA", "CHA", "HAR", "HIN", "MEL", "NWL", "OAW"];
    let mut want: Vec<(String, String)> = Vec::new();
    for code in ["NI 15", "NI 16", "NI 20"] {
        want.extend(districts.iter().map(|d| (code.to_string(), d.to_string())));
    }
    for code in ["NI 32", "NI 39", "NI 40", "NI 47", "L02"] {
        want.push((code.to_string(), "LEICS".to_string()));
    }
    assert_eq!(owed, want, "every owed indicator and area");
    reminders(&ws, &want);
    report_says_so(&ws);
}

/// `laa returns remind`: the safer theme's .eml to its contacts, with what is missing and the form
/// still owed attached; a theme that owes nothing gets none.
fn reminders(ws: &Ws, want: &[(String, String)]) {
    let out = ws.file("reminders");
    let o = ws.laa(&["returns", "remind", "--on", "2009-11-30", "--out", out.to_str().unwrap()]);
    assert!(o.ok(), "{}", o.stderr());
    let mut names: Vec<String> =
        std::fs::read_dir(&out).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["health-reminder.eml", "safer-reminder.eml"], "only the themes that owe anything");
    let bytes = std::fs::read(out.join("safer-reminder.eml")).unwrap();
    let msg = mail_parser::MessageParser::default().parse(&bytes).expect("a message");
    let to: Vec<&str> = msg.to().unwrap().iter().map(|a| a.address().unwrap()).collect();
    assert_eq!(to, ["sam.patel@safer.leics.example", "performance@safer.leics.example"]);
    assert_eq!(msg.from().unwrap().first().unwrap().address(), Some("laa.performance@leics.example"));
    assert!(msg.subject().unwrap().contains("Safer Leicestershire Partnership, 2009/10 Q2"));
    let body = msg.body_text(0).unwrap();
    assert!(body.contains("due on 28 October 2009 and is 33 days overdue"), "{body}");
    for code in ["NI 15", "NI 16", "NI 20", "NI 32", "NI 39", "NI 40", "NI 47", "L02"] {
        assert!(body.contains(&format!("  {code} ")), "{code} in {body}");
    }
    assert!(body.contains("Blaby, Charnwood, Harborough"), "{body}");
    let attachment = msg.attachments().next().expect("the form");
    assert_eq!(attachment.attachment_name(), Some("safer-2009-10-Q2.xlsx"));
    let form = ws.file("form.xlsx");
    std::fs::write(&form, attachment.contents()).unwrap();
    assert_eq!(form_rows(&form), want_names(want));
    libreoffice_opens(&form, want.len());
}

/// (indicator, area name) of each owed value, as the form lists them.
fn want_names(want: &[(String, String)]) -> Vec<(String, String)> {
    let name = |code: &str| {
        match code {
            "BLA" => "Blaby",
            "CHA" => "Charnwood",
            "HAR" => "Harborough",
            "HIN" => "Hinckley & Bosworth",
            "MEL" => "Melton",
            "NWL" => "North West Leicestershire",
            "OAW" => "Oadby & Wigston",
            _ => "Leicestershire",
        }
        .to_string()
    };
    want.iter().map(|(i, a)| (i.clone(), name(a))).collect()
}

/// The form's rows below its header: (indicator, area).
fn form_rows(path: &Path) -> Vec<(String, String)> {
    let mut wb: Xlsx<_> = calamine::open_workbook(path).unwrap();
    let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
    assert_eq!(cells[2][0], "Date completed", "the form has a Date completed cell");
    assert_eq!(cells[3][..3], ["NI ref", "Indicator title", "Area"]);
    cells[4..].iter().map(|r| (r[0].clone(), r[2].clone())).collect()
}

/// LibreOffice opens the attached form (when installed; CI installs it) with every owed row.
fn libreoffice_opens(form: &Path, owed: usize) {
    let Some(soffice) = ["soffice", "libreoffice"]
        .iter()
        .find_map(|n| std::env::split_paths(&std::env::var_os("PATH")?).map(|d| d.join(n)).find(|p| p.is_file()))
    else {
        assert!(
            std::env::var_os("LAA_REQUIRE_TOOLS").is_none(),
            "LAA_REQUIRE_TOOLS is set but LibreOffice is not installed"
        );
        return;
    };
    let dir = form.parent().unwrap().join("lo");
    let profile = form.parent().unwrap().join("lo-profile");
    let o = std::process::Command::new(soffice)
        .arg(format!("-env:UserInstallation=file://{}", profile.display()))
        .args(["--headless", "--convert-to", "csv", "--outdir"])
        .arg(&dir)
        .arg(form)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    // LibreOffice writes the csv in the system's encoding: its text is ASCII but for the title
    let csv = String::from_utf8_lossy(&std::fs::read(dir.join("form.csv")).unwrap()).into_owned();
    assert!(csv.lines().any(|l| l.starts_with("Date completed")), "{csv}");
    assert_eq!(csv.lines().filter(|l| l.starts_with("NI ") || l.starts_with("L0")).count(), owed + 1, "{csv}");
}

/// The report as at the meeting (30 November 2009): the returns table says the safer return is
/// missing, and each of its stale ratings says why.
fn report_says_so(ws: &Ws) {
    let out = ws.file("report");
    let o = ws.laa(&["report", "--out", out.to_str().unwrap(), "--only", "html", "--only", "xlsx"]);
    assert!(o.ok(), "{}", o.stderr());
    let html = std::fs::read_to_string(out.join("ssog-report.html")).unwrap();
    let at = html.find("id=\"returns\"").expect("a returns section");
    let section = &html[at..at + html[at..].find("</section>").unwrap()];
    assert!(section.contains("as at 30 November 2009"), "{section}");
    let safer = section.lines().find(|l| l.contains("Safer Leicestershire Partnership")).unwrap();
    assert!(
        safer.contains("28 Oct 2009")
            && safer.contains("missing, 33 days overdue")
            && safer.contains("26 of 26 values"),
        "{safer}"
    );
    let economy = section.lines().find(|l| l.contains("Leicestershire Economic Partnership")).unwrap();
    assert!(economy.contains("late by 8 days"), "{economy}");
    assert!(html.contains("no return from the Safer Leicestershire Partnership; due 28 Oct 2009, 33 days overdue"));
    // the workbook's Returns sheet says the same
    let mut wb: Xlsx<_> = calamine::open_workbook(out.join("ssog-report.xlsx")).unwrap();
    let sheet = wb.worksheet_range("Returns").unwrap();
    let line: Vec<String> = sheet
        .rows()
        .find(|r| r[0] == "Safer Leicestershire Partnership")
        .unwrap()
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        line,
        ["Safer Leicestershire Partnership", "28 Oct 2009", "–", "missing, 33 days overdue", "26 of 26 values"]
    );
}

/// An import made today is not a return received in 2009: a return that says no date completed
/// counts from the day it was imported.
#[test]
fn an_import_made_today_is_not_received_in_2009() {
    let ws = Ws::demo();
    xlsx(
        &ws.file("returns/safer-2009-10-q2.xlsx"),
        &[("Q2", crate::common::safer_wide(vec![vec![S("NI 47"), S("Leicestershire"), N(80.0), N(81.0), E]]))],
    );
    imported(&ws);
    let r = rows(&ws, &["--theme", "safer", "--period", "2009/10 Q2"]);
    assert_eq!(r[0]["state"], "missing", "{:?}", r[0]);
    let today = chrono::Local::now().date_naive().to_string();
    let now = ws.json(&["returns", "--theme", "safer", "--period", "2009/10 Q2", "--format", "json"]);
    assert_eq!(now[0]["state"], "partial");
    assert_eq!(now[0]["received"], today.as_str());
}

/// Bad input says where it is and what to write: an unknown theme, a quarter outside the
/// agreement, a contact that is not an address, a date completed that is not a date.
#[test]
fn bad_input_is_a_clear_message() {
    let ws = Ws::demo_with_returns();
    let o = ws.laa(&["returns", "--theme", "parks"]);
    assert_eq!(o.code(), 1);
    assert!(o.stderr().contains("unknown theme \"parks\" (themes: communities, safer"), "{}", o.stderr());
    let o = ws.laa(&["returns", "--period", "2012/13 Q1"]);
    assert!(
        o.stderr().contains("2012/13 Q1 is not a quarter of the agreement (2008/09 Q1 to 2010/11 Q4)"),
        "{}",
        o.stderr()
    );
    let o = ws.laa(&["returns", "--on", "30/11/2009"]);
    assert!(o.stderr().contains("--on \"30/11/2009\" is not a date"), "{}", o.stderr());
    let toml = std::fs::read_to_string(ws.file("partnership.toml")).unwrap();
    std::fs::write(ws.file("partnership.toml"), toml.replace("sam.patel@safer.leics.example", "sam.patel at safer"))
        .unwrap();
    let o = ws.laa(&["returns"]);
    assert_eq!(o.code(), 1);
    assert!(
        o.stderr()
            .contains("[[themes]] \"safer\" contacts: \"Sam Patel <sam.patel at safer>\" is not an e-mail address"),
        "{}",
        o.stderr()
    );
    std::fs::write(ws.file("partnership.toml"), toml).unwrap();
    let bad = ws.file("returns/economy-2009-10-q3.xlsx");
    let mut form = crate::common::safer_wide(vec![vec![S("NI 151"), S("Leicestershire"), N(78.0), N(78.2), E]]);
    form.insert(1, vec![S("Date completed"), S("next week")]);
    xlsx(&bad, &[("Q3", form)]);
    let o = ws.laa(&["import", "--dry-run", bad.to_str().unwrap()]);
    assert_eq!(o.code(), 1);
    assert!(o.stderr().contains("Q3!B2: \"next week\" is not a date"), "{}", o.stderr());
}

/// A due date in a year with no bank holidays known is refused by name, not counted without them;
/// a workspace's own file of holidays adds the year.
#[test]
fn a_year_without_bank_holidays_is_named() {
    let ws = Ws::demo();
    let toml = std::fs::read_to_string(ws.file("partnership.toml")).unwrap();
    let longer = toml.replace("last_year = \"2010/11\"", "last_year = \"2012/13\"");
    std::fs::write(ws.file("partnership.toml"), &longer).unwrap();
    let o = ws.laa(&["returns", "--on", "2013-06-30", "--period", "2012/13 Q4"]);
    assert_eq!(o.code(), 1);
    assert!(o.stderr().contains("no bank holidays are known for 2013"), "{}", o.stderr());
    std::fs::write(
        ws.file("holidays.csv"),
        "date,name\n2013-01-01,New Year's Day\n2013-03-29,Good Friday\n2013-04-01,Easter Monday\n",
    )
    .unwrap();
    std::fs::write(
        ws.file("partnership.toml"),
        longer.replace("[returns]\n", "[returns]\nbank_holidays = \"holidays.csv\"\n"),
    )
    .unwrap();
    let r =
        ws.json(&["returns", "--on", "2013-06-30", "--period", "2012/13 Q4", "--format", "json", "--theme", "safer"]);
    // 31 March 2013 + 20 working days, Easter Monday (1 April) skipped: 29 April 2013
    assert_eq!(r[0]["due"], "2013-04-29", "{r}");
}

/// The return form `laa template return` writes, filled in as a partner would (every owed value,
/// the date completed typed in its cell), imports whole: the return is received on that date.
#[test]
fn the_return_form_filled_in_is_received_on_its_date() {
    let ws = Ws::demo_with_returns();
    imported(&ws);
    let form = ws.file("form.xlsx");
    let o = ws.laa(&[
        "template",
        "return",
        "--theme",
        "economy",
        "--period",
        "2009/10 Q3",
        "--out",
        form.to_str().unwrap(),
    ]);
    assert!(o.ok(), "{}", o.stderr());
    let mut wb: Xlsx<_> = calamine::open_workbook(&form).unwrap();
    let sheet = wb.worksheet_range_at(0).unwrap().unwrap();
    let cells: Vec<Vec<String>> = sheet.rows().map(|r| r.iter().map(ToString::to_string).collect()).collect();
    // the partner's copy: the same cells, the date completed and a figure for every row
    let mut filled: Vec<Vec<crate::common::C>> = Vec::new();
    for (i, row) in cells.iter().enumerate() {
        let text = |c: &String| -> &'static str { Box::leak(c.clone().into_boxed_str()) };
        let mut out: Vec<crate::common::C> = row.iter().map(|c| if c.is_empty() { E } else { S(text(c)) }).collect();
        if i == 2 {
            // Excel's day number for 12 January 2010, as a cell without a date format keeps it
            out.truncate(1);
            out.push(N(40190.0));
        }
        if i >= 4 {
            out.truncate(3);
            out.extend([N(70.0), N(71.0), N(72.0)]);
        }
        filled.push(out);
    }
    xlsx(&ws.file("returns/economy-2009-10-q3.xlsx"), &[("2009-10-Q3", filled)]);
    // every number is accounted for: the date's cell is named for what it is
    let path = ws.file("returns/economy-2009-10-q3.xlsx");
    let explained = ws.json(&["import", "--explain", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(explained[0]["completed"], "2010-01-12");
    let accounted = explained[0]["accounted"].as_array().unwrap();
    assert!(
        accounted.iter().any(|a| a["role"] == "the return's date completed" && a["loc"].to_string().contains("B3")),
        "{accounted:?}"
    );
    imported(&ws);
    let journal = std::fs::read_to_string(ws.file("store/journal.jsonl")).unwrap();
    assert!(
        journal.lines().any(|l| l.contains("economy-2009-10-q3") && l.contains("\"completed\":\"2010-01-12\"")),
        "{journal}"
    );
    let r =
        ws.json(&["returns", "--on", "2010-02-15", "--theme", "economy", "--period", "2009/10 Q3", "--format", "json"]);
    assert_eq!((r[0]["state"].as_str(), r[0]["received"].as_str()), (Some("received"), Some("2010-01-12")), "{r}");
}
