//! Return forms in layouts nobody wrote down (tests/fixtures/layouts/make_layouts.py: each
//! composed of independent choices and written by openpyxl, XlsxWriter, LibreOffice or as csv):
//! every value read exactly, every "no value" marker listed, every number accounted for, and
//! every truly ambiguous form refused with both readings named. The return corpus of
//! tests/fixtures/returns is held to the same count of numbers.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::common::{Ws, repo};

/// `laa import --explain --format json` on files, keyed by file name.
fn explain(ws: &Ws, files: &[std::path::PathBuf], options: &[&str]) -> BTreeMap<String, Value> {
    let mut args = vec!["import", "--explain", "--format", "json"];
    args.extend_from_slice(options);
    let paths: Vec<String> = files.iter().map(|p| p.to_str().unwrap().to_string()).collect();
    args.extend(paths.iter().map(String::as_str));
    let o = ws.laa(&args);
    let out: Value =
        serde_json::from_str(&o.stdout()).unwrap_or_else(|e| panic!("{e}: {}\n{}", o.stdout(), o.stderr()));
    out.as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let name =
                std::path::Path::new(f["file"].as_str().unwrap()).file_name().unwrap().to_str().unwrap().to_string();
            (name, f.clone())
        })
        .collect()
}

fn same_number(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// Check one file's reading against what its generator wrote; the differences, if any.
fn check(entry: &Value, got: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let name = entry["file"].as_str().unwrap();
    let problems = got["problems"].as_array().cloned().unwrap_or_default();
    if let Some(e) = got.get("error") {
        return vec![format!("{name}: cannot be read: {e}")];
    }
    if entry["refused"] == "no values" {
        if !problems.iter().any(|p| p.as_str().unwrap().contains("holds no values")) {
            bad.push(format!("{name}: every value cell says no value, but not refused so: {problems:?}"));
        }
        return bad;
    }
    if entry["refused"] == "two numbers" {
        if !problems.iter().any(|p| p.as_str().unwrap().contains("holds two numbers, not one value")) {
            bad.push(format!("{name}: a cell holds two numbers, but not refused so: {problems:?}"));
        }
        return bad;
    }
    if entry["refused"].is_string() {
        if !problems.iter().any(|p| p.as_str().unwrap().contains("two readings explain this table equally")) {
            bad.push(format!("{name}: ambiguous, but not refused naming both readings: {problems:?}"));
        }
        return bad;
    }
    if !problems.is_empty() {
        return vec![format!("{name} ({}, {}): refused: {problems:?}", entry["tool"], entry["shape"])];
    }
    let values = got["values"].as_array().unwrap();
    let expected = entry["values"].as_array().unwrap();
    let key = |v: &Value| {
        (
            v["indicator"].as_str().unwrap().to_string(),
            v["area"].as_str().unwrap().to_string(),
            v["period"].as_str().unwrap().to_string(),
        )
    };
    let read: BTreeMap<_, &Value> = values.iter().map(|v| (key(v), v)).collect();
    for e in expected {
        match read.get(&key(e)) {
            None => bad.push(format!("{name} ({}, {}): {:?} not read", entry["tool"], entry["shape"], key(e))),
            Some(v) => {
                if !same_number(&v["value"], &e["value"]) {
                    bad.push(format!("{name}: {:?} read as {} (expected {})", key(e), v["value"], e["value"]));
                }
                for field in ["quality", "commentary", "self_rating"] {
                    let want = e.get(field).cloned().unwrap_or(Value::Null);
                    if v[field] != want {
                        bad.push(format!("{name}: {:?} {field} read as {} (expected {want})", key(e), v[field]));
                    }
                }
            }
        }
    }
    if values.len() != expected.len() {
        bad.push(format!("{name}: {} values read, {} expected", values.len(), expected.len()));
    }
    let missing = got["missing"].as_array().unwrap();
    let want_missing = entry["missing"].as_array().unwrap();
    if missing.len() != want_missing.len() {
        bad.push(format!("{name}: {} cells said no value, {} expected", missing.len(), want_missing.len()));
    }
    for m in want_missing {
        let found = missing.iter().any(|g| {
            g["indicator"] == m["indicator"]
                && g["area"] == m["area"]
                && g["period"] == m["period"]
                && g["reason"] == m["reason"]
        });
        if !found {
            bad.push(format!("{name}: the missing value {m} is not listed: {missing:?}"));
        }
    }
    // no number unaccounted: the numbers the generator wrote are the numbers stored plus the
    // numbers laa says what it did with
    let stored = got["stored"].as_u64().unwrap();
    let accounted = got["accounted"].as_array().unwrap().len() as u64;
    let written = entry["numbers"].as_u64().unwrap();
    if stored + accounted != written {
        bad.push(format!("{name}: {written} numbers written, {stored} stored + {accounted} accounted for"));
    }
    bad
}

#[test]
fn generated_layouts_read_exactly_with_every_number_accounted_for() {
    let dir = repo().join("tests/fixtures/layouts");
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    let entries = manifest["files"].as_array().unwrap();
    assert!(entries.len() >= 500, "the committed sample has {} files", entries.len());
    let ws = Ws::demo();
    // files that need --period or --area are read together, by the options they need
    let mut groups: BTreeMap<(String, String), Vec<&Value>> = BTreeMap::new();
    for e in entries {
        let o = &e["options"];
        let k = (o["period"].as_str().unwrap_or("").to_string(), o["area"].as_str().unwrap_or("").to_string());
        groups.entry(k).or_default().push(e);
    }
    let mut bad = Vec::new();
    let mut refused_ok = 0;
    for ((period, area), group) in groups {
        let mut options = Vec::new();
        if !period.is_empty() {
            options.extend(["--period", period.as_str()]);
        }
        if !area.is_empty() {
            options.extend(["--area", area.as_str()]);
        }
        let files: Vec<_> = group.iter().map(|e| dir.join(e["file"].as_str().unwrap())).collect();
        let got = explain(&ws, &files, &options);
        for e in group {
            let name = e["file"].as_str().unwrap();
            match got.get(name) {
                None => bad.push(format!("{name}: not in the explanation")),
                Some(g) => {
                    let b = check(e, g);
                    refused_ok += usize::from(b.is_empty() && e["refused"] == "two readings");
                    bad.extend(b);
                }
            }
        }
    }
    assert!(refused_ok >= 3, "only {refused_ok} ambiguous forms in the sample");
    assert!(
        bad.is_empty(),
        "{} differences:\n{}",
        bad.len(),
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// The return corpus (tests/fixtures/returns) and the demo's returns: every number in every
/// file (counted here with the plain spreadsheet reader, hidden sheets included) is stored or
/// accounted for by the reading.
#[test]
fn every_number_of_the_corpus_is_stored_or_accounted_for() {
    let ws = Ws::demo();
    let mut checked = 0;
    for dir in [repo().join("tests/fixtures/returns"), repo().join("datasets/demo/returns")] {
        for e in std::fs::read_dir(&dir).unwrap() {
            let path = e.unwrap().path();
            let name = path.file_name().unwrap().to_str().unwrap().to_string();
            if name.ends_with(".json") || name.ends_with(".py") {
                continue;
            }
            let sidecar = dir.join(format!("{name}.expected.json"));
            let period = std::fs::read_to_string(&sidecar)
                .ok()
                .and_then(|t| serde_json::from_str::<Value>(&t).ok())
                .and_then(|v| v["period"].as_str().map(str::to_string));
            let mut options = Vec::new();
            if let Some(p) = &period {
                options.extend(["--period", p.as_str()]);
            }
            let got = explain(&ws, std::slice::from_ref(&path), &options);
            let g = &got[&name];
            assert!(g["problems"].as_array().unwrap().is_empty(), "{name}: {}", g["problems"]);
            let wb = laa::sheet::read_workbook(&path, &name).unwrap();
            let numbers = wb
                .sheets
                .iter()
                .flat_map(|s| s.rows.iter().flatten())
                .filter(|c| matches!(c.number(), Ok(Some(_))))
                .count() as u64;
            let stored = g["stored"].as_u64().unwrap();
            let accounted = g["accounted"].as_array().unwrap().len() as u64;
            assert_eq!(
                stored + accounted,
                numbers,
                "{name}: {numbers} numbers, {stored} stored + {accounted} accounted for"
            );
            assert_eq!(
                stored as usize,
                {
                    let values = g["values"].as_array().unwrap();
                    values
                        .iter()
                        .map(|v| 1 + usize::from(!v["numerator"].is_null()) + usize::from(!v["denominator"].is_null()))
                        .sum::<usize>()
                        - values.iter().filter(|v| v["loc"]["cell"].as_str().unwrap().contains('/')).count()
                },
                "{name}: stored cells and values disagree"
            );
            checked += 1;
        }
    }
    assert!(checked >= 60, "{checked} files");
}
