//! `laa serve` over HTTP, on 127.0.0.1 only: the secret links (made once, kept hashed, reissued),
//! a partner's page, and uploads answered by the same import as `laa import`: 200 with what was
//! stored, 422 with every problem, 413 past the file limit, 404 for a wrong link.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use crate::common::{C::*, Ws, xlsx};

/// A server on a port the system picks, stopped when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(ws: &Ws) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_laa"))
            .arg("--workspace")
            .arg(ws.path())
            .args(["-q", "serve", "--bind", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let base = line.trim().strip_prefix("listening on ").expect("the address").to_string();
        assert!(base.starts_with("http://127.0.0.1:"), "{base}");
        Server { child, base }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The links made now, by whom, with the server's address in place of the default one.
fn links(ws: &Ws, args: &[&str], base: &str) -> Vec<(String, String)> {
    let j = ws.json(&[&["serve", "links", "--format", "json", "--base", base], args].concat());
    j.as_array()
        .unwrap()
        .iter()
        .map(|l| (l["who"].as_str().unwrap().into(), l["url"].as_str().unwrap().into()))
        .collect()
}

fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder().no_proxy().build().unwrap()
}

fn upload(url: &str, name: &str, bytes: Vec<u8>) -> (u16, serde_json::Value) {
    let part = reqwest::blocking::multipart::Part::bytes(bytes).file_name(name.to_string());
    let form = reqwest::blocking::multipart::Form::new().text("period", "2009/10 Q2").part("file", part);
    let r = client().post(format!("{url}/upload")).header("accept", "application/json").multipart(form).send().unwrap();
    let status = r.status().as_u16();
    (status, r.json().unwrap_or(serde_json::Value::Null))
}

#[test]
fn links_are_made_once_kept_hashed_and_reissued_while_serving() {
    let ws = Ws::demo_with_returns();
    let server = Server::start(&ws);
    let made = links(&ws, &[], &server.base);
    let who: Vec<&str> = made.iter().map(|(w, _)| w.as_str()).collect();
    assert_eq!(who, ["communities", "safer", "cyp", "health", "economy", "environment", "officer"]);
    let token = |url: &str| url.rsplit('/').next().unwrap().to_string();
    for (_, url) in &made {
        let t = token(url);
        assert!(t.len() == 32 && t.chars().all(|c| c.is_ascii_hexdigit()), "{url}");
    }
    let kept = std::fs::read_to_string(ws.file("store/links.json")).unwrap();
    assert!(made.iter().all(|(_, url)| !kept.contains(&token(url))), "only hashes are kept");
    assert!(links(&ws, &[], &server.base).is_empty(), "a link is made once");
    // made while the server runs: it answers at once
    let safer = &made[1].1;
    assert_eq!(client().get(safer).send().unwrap().status().as_u16(), 200);
    let again = links(&ws, &["--reissue", "safer"], &server.base);
    assert_eq!(again.len(), 1);
    assert_eq!(client().get(safer).send().unwrap().status().as_u16(), 404, "the old link stops at once");
    assert_eq!(client().get(&again[0].1).send().unwrap().status().as_u16(), 200);
    let wrong = format!("{}/l/{}", server.base, "0".repeat(32));
    assert_eq!(client().get(&wrong).send().unwrap().status().as_u16(), 404);
    let log = std::fs::read_to_string(ws.file("log/serve.jsonl")).unwrap();
    assert!(log.lines().any(|l| l.contains(r#""status":404"#) && l.contains(r#""who":"unknown""#)), "{log}");
    assert_eq!(client().get(format!("{}/l/../store/links.json", server.base)).send().unwrap().status().as_u16(), 404);
    let officer = client().get(&made[6].1).send().unwrap();
    let csp = officer.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("default-src 'none'"), "{csp}");
    assert!(officer.text().unwrap().contains("Safer Leicestershire Partnership"), "every theme's returns");
}

#[test]
fn a_partner_sends_a_return_and_is_answered_cell_by_cell() {
    let ws = Ws::demo_with_returns();
    let toml = std::fs::read_to_string(ws.file("partnership.toml")).unwrap();
    std::fs::write(ws.file("partnership.toml"), format!("{toml}\n[limits]\nfile_mb = 1\n")).unwrap();
    assert!(ws.laa(&["import", "-q"]).ok());
    let server = Server::start(&ws);
    let made = links(&ws, &[], &server.base);
    let safer = &made.iter().find(|(w, _)| w == "safer").unwrap().1;
    let page = client().get(safer).send().unwrap().text().unwrap();
    assert!(page.contains("<h1>Safer Leicestershire Partnership</h1>"), "{page}");
    assert!(page.contains("due on 28 October 2009"), "{page}");
    // a good return, sent under a name that is a path: kept under a name laa makes
    let good = ws.file("good.xlsx");
    xlsx(
        &good,
        &[("Q2", crate::common::safer_wide(vec![vec![S("NI 47"), S("Leicestershire"), N(80.0), N(79.0), S("fewer")]]))],
    );
    let (status, answer) = upload(safer, "../../store/journal.jsonl", std::fs::read(&good).unwrap());
    assert_eq!(status, 422, "not a spreadsheet's name: {answer}");
    let (status, answer) = upload(safer, "../../evil.xlsx", std::fs::read(&good).unwrap());
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["state"], "imported");
    assert_eq!(answer["stored"]["revised"], 2, "{answer}");
    let kept = answer["file"].as_str().unwrap();
    assert!(kept.starts_with("returns/safer-2009-10-q2-upload-") && kept.ends_with(".xlsx"), "{kept}");
    assert!(ws.file(kept).is_file() && !ws.path().parent().unwrap().join("evil.xlsx").exists());
    // another theme's indicator: refused naming it, kept apart from returns/
    let other = ws.file("other.xlsx");
    xlsx(
        &other,
        &[("Q2", crate::common::safer_wide(vec![vec![S("NI 53"), S("Leicestershire"), N(40.0), N(41.0), E]]))],
    );
    let (status, answer) = upload(safer, "other.xlsx", std::fs::read(&other).unwrap());
    assert_eq!(status, 422);
    assert!(answer["problems"][0].as_str().unwrap().contains("neither leads nor owes: NI 53"), "{answer}");
    assert!(answer["file"].as_str().unwrap().starts_with("rejected/"));
    // a bad cell: every problem, cell by cell, quoting the cell
    let bad = ws.file("bad.xlsx");
    xlsx(&bad, &[("Q2", crate::common::safer_wide(vec![vec![S("NI 47"), S("Leicestershire"), DivZero, N(1.0), E]]))]);
    let (status, answer) = upload(safer, "bad.xlsx", std::fs::read(&bad).unwrap());
    assert_eq!(status, 422);
    assert!(
        answer["problems"].as_array().unwrap().iter().any(|p| p.as_str().unwrap().starts_with("your file: Q2!C5")),
        "{answer}"
    );
    // past the workspace's file limit (1 MB here): 413 while the body streams
    let (status, _) = upload(safer, "big.csv", vec![b'1'; 1_500_000]);
    assert_eq!(status, 413);
    // the officers' link sends nothing
    let officer = &made.iter().find(|(w, _)| w == "officer").unwrap().1;
    assert_eq!(upload(officer, "good.xlsx", std::fs::read(&good).unwrap()).0, 422);
    let journal = std::fs::read_to_string(ws.file("store/journal.jsonl")).unwrap();
    assert_eq!(journal.lines().filter(|l| l.contains("upload")).count(), 1, "only the good upload was stored");
    // a theme's link reaches none of the officers' addresses; the officers reach only the
    // report's listed files
    let status = |r: reqwest::blocking::RequestBuilder| r.send().unwrap().status().as_u16();
    assert_eq!(status(client().get(format!("{safer}/report"))), 404);
    assert_eq!(status(client().post(format!("{safer}/report"))), 404);
    assert_eq!(status(client().get(format!("{safer}/report/data.csv"))), 404);
    assert_eq!(status(client().get(format!("{officer}/report/partnership.toml"))), 404);
    assert_eq!(status(client().get(format!("{officer}/report/..%2F..%2Fpartnership.toml"))), 404);
    assert_eq!(status(client().get(format!("{}/l/", server.base))), 404, "no token");
    assert_eq!(status(client().get(format!("{}/l", server.base))), 404);
    assert_eq!(status(client().get(format!("{}/returns/", server.base))), 404, "no listing");
    // every request logged, whose link it was and what became of the upload; no token written
    let log = std::fs::read_to_string(ws.file("log/serve.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = log.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    for (_, url) in &made {
        assert!(!log.contains(url.rsplit('/').next().unwrap()), "a token in the log");
    }
    let imported = lines.iter().find(|l| l["outcome"].as_str().is_some_and(|o| o.starts_with("imported"))).unwrap();
    assert_eq!((imported["who"].as_str(), imported["status"].as_u64()), (Some("safer"), Some(200)), "{imported}");
    assert_eq!(imported["file"].as_str(), Some(kept));
    assert!(lines.iter().any(|l| l["status"] == 413 && l["who"] == "safer"), "{log}");
    assert!(lines.iter().any(|l| l["status"] == 404 && l["who"] == "safer" && l["path"] == "/l/…/report"), "{log}");
}

#[test]
fn beyond_loopback_needs_public() {
    let ws = Ws::demo();
    let o = ws.laa(&["serve", "--bind", "0.0.0.0:0"]);
    assert_eq!(o.code(), 1);
    assert!(
        o.stderr().contains("not a loopback address: serving beyond this machine needs --public"),
        "{}",
        o.stderr()
    );
}

/// The link of `who` among those made.
fn link_of<'a>(made: &'a [(String, String)], who: &str) -> &'a str {
    &made.iter().find(|(w, _)| w == who).unwrap_or_else(|| panic!("no link for {who}")).1
}

/// Headless Chromium, as a partner and an officer use it: the officers' page shows the safer
/// theme's return missing; the partner sends a bad return and sees the cell and its message,
/// then the good one and sees it taken; the officers' page shows it received, makes the report
/// and opens it (its own script running under the report's policy). The two pages' screenshots
/// and the answer to the good return are the README's.
#[test]
fn in_a_browser_a_partner_sends_a_return_and_the_officers_see_it() {
    let Some(b) = crate::webdriver::Browser::start() else { return };
    let ws = Ws::demo_with_returns();
    let good = ws.file("safer-2009-10-q2.xlsx");
    std::fs::rename(ws.file("returns/safer-2009-10-q2.xlsx"), &good).unwrap();
    assert!(ws.laa(&["import", "-q"]).ok());
    let server = Server::start(&ws);
    let made = links(&ws, &[], &server.base);
    let (safer, officer) = (link_of(&made, "safer"), link_of(&made, "officer"));
    let q2 = "tr[data-theme=safer][data-period='2009-10-Q2'] td:nth-child(5)";
    b.goto(officer);
    assert_eq!(b.text(q2), "missing");
    assert!(b.text("p.headline").starts_with("Leicestershire, 2009/10 Q2:"), "{}", b.text("p.headline"));
    b.goto(safer);
    assert_eq!(b.text("h1"), "Safer Leicestershire Partnership");
    assert!(b.text("body").contains("due on 28 October 2009"));
    let shots = crate::common::repo().join("target/screenshots");
    b.screenshot(&shots.join("partner.png"));
    let bad = ws.file("bad.xlsx");
    xlsx(&bad, &[("Q2", crate::common::safer_wide(vec![vec![S("NI 47"), S("Leicestershire"), DivZero, N(1.0), E]]))]);
    b.type_into("#file", bad.to_str().unwrap());
    b.click("button[type=submit]");
    let wait = std::time::Duration::from_secs(60);
    b.wait_text("h1", "Your return was not taken", wait);
    assert!(b.text("ul.problems").contains("Q2!C5"), "{}", b.text("ul.problems"));
    b.goto(safer);
    b.type_into("#file", good.to_str().unwrap());
    b.click("button[type=submit]");
    b.wait_text("h1", "Thank you: your return is in", wait);
    assert!(b.text("body").contains("How it was read"));
    b.screenshot(&shots.join("answer.png"));
    b.goto(officer);
    assert_eq!(b.text(q2), "received", "the officers' page shows the return in");
    b.click("form[action$='/report'] button");
    b.wait_text("p.made", "Made at", std::time::Duration::from_secs(300));
    let headline = b.text("p.headline");
    let counts = headline.split_once(": ").unwrap().1.trim_end_matches('.');
    assert!(
        b.text("p.made").contains(counts),
        "the report's counts are the page's: {} vs {headline}",
        b.text("p.made")
    );
    b.screenshot(&shots.join("officer.png"));
    for shot in ["partner.png", "answer.png", "officer.png"] {
        let (buf, px) = crate::report_read::screenshot_pixels(&shots.join(shot));
        let colours: std::collections::HashSet<&[u8]> = buf.chunks(px).collect();
        assert!(colours.len() > 20, "{shot} looks blank ({} colours)", colours.len());
    }
    b.click("a[href$='/report']");
    b.wait_text("h1", "Quarter 2 2009/10", wait);
    assert!(b.title().contains("progress report"), "{}", b.title());
    assert!(b.count(".filters select") >= 2, "the report's script runs under its policy");
}

/// Uploads sent at once wait their turn at the store's lock: every quarter's six returns sent
/// together, quarter by quarter, store what a plain `laa import` of the same files stores (the
/// same ratings), and one new return sent twenty times at once is stored once.
#[test]
fn uploads_sent_at_once_are_each_stored_once() {
    let ws = Ws::demo();
    let plain = Ws::demo_with_returns();
    assert!(plain.laa(&["import", "-q"]).ok());
    let server = Server::start(&ws);
    let made = links(&ws, &[], &server.base);
    let demo = crate::common::repo().join("datasets/demo/returns");
    let mut names: Vec<String> =
        std::fs::read_dir(&demo).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    for quarter in ["2008-09-q1", "2008-09-q2", "2008-09-q3", "2008-09-q4", "2009-10-q1", "2009-10-q2"] {
        let period = format!("{}/{} Q{}", &quarter[..4], &quarter[5..7], &quarter[9..]);
        let sent: Vec<_> = names
            .iter()
            .filter(|n| n.contains(quarter))
            .map(|n| {
                let url = link_of(&made, n.split('-').next().unwrap()).to_string();
                let (name, bytes, period) = (n.clone(), std::fs::read(demo.join(n)).unwrap(), period.clone());
                std::thread::spawn(move || upload_for(&url, &name, bytes, &period))
            })
            .collect();
        assert_eq!(sent.len(), 6);
        for s in sent {
            let (status, answer) = s.join().unwrap();
            assert_eq!((status, answer["state"].as_str()), (200, Some("imported")), "{answer}");
        }
    }
    assert!(ws.laa(&["store", "verify"]).ok());
    // the same ratings, each from a cell of the same return (kept under the name laa gave it)
    let rate = |w: &Ws| {
        let mut j = w.json(&["rate", "--area", "all", "--format", "json"]);
        for r in j.as_array_mut().unwrap() {
            let sources = r["sources"].as_array().unwrap().iter().map(|s| {
                let s = s.as_str().unwrap();
                let (file, cell) = s.split_once(": ").unwrap();
                assert!(file.starts_with("returns/"), "{s}");
                let theme = file.trim_start_matches("returns/").split('-').next().unwrap().to_string();
                format!("{theme}: {cell}")
            });
            r["sources"] = serde_json::json!(sources.collect::<Vec<_>>());
        }
        j
    };
    assert_eq!(rate(&ws), rate(&plain), "the ratings are those of a plain import of the same files");
    // one new return, twenty times at once: stored once
    let revised = ws.file("revised.xlsx");
    xlsx(
        &revised,
        &[("Q2", crate::common::safer_wide(vec![vec![S("NI 47"), S("Leicestershire"), N(81.0), N(77.0), E]]))],
    );
    let bytes = std::fs::read(&revised).unwrap();
    let safer = link_of(&made, "safer").to_string();
    let sent: Vec<_> = (0..20)
        .map(|_| {
            let (url, bytes) = (safer.clone(), bytes.clone());
            std::thread::spawn(move || upload_for(&url, "revised.xlsx", bytes, "2009/10 Q2"))
        })
        .collect();
    let states: Vec<String> = sent
        .into_iter()
        .map(|s| {
            let (status, answer) = s.join().unwrap();
            assert_eq!(status, 200, "{answer}");
            answer["state"].as_str().unwrap().to_string()
        })
        .collect();
    assert_eq!(states.iter().filter(|s| *s == "imported").count(), 1, "{states:?}");
    assert_eq!(states.iter().filter(|s| *s == "already_imported").count(), 19, "{states:?}");
    assert!(ws.laa(&["store", "verify"]).ok());
    let history = ws.json(&["history", "NI 47", "--area", "Leicestershire", "--format", "json"]);
    let revisions =
        history.as_array().unwrap().iter().filter(|h| h["file"].as_str().unwrap().contains("upload")).count();
    assert!(revisions >= 2, "{history}");
}

fn upload_for(url: &str, name: &str, bytes: Vec<u8>, period: &str) -> (u16, serde_json::Value) {
    let part = reqwest::blocking::multipart::Part::bytes(bytes).file_name(name.to_string());
    let form = reqwest::blocking::multipart::Form::new().text("period", period.to_string()).part("file", part);
    let r = client().post(format!("{url}/upload")).header("accept", "application/json").multipart(form).send().unwrap();
    (r.status().as_u16(), r.json().unwrap_or(serde_json::Value::Null))
}
