//! A workspace in a temporary directory, spreadsheet writers, and a runner for the binary.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use rust_xlsxwriter::Workbook;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A cell for the spreadsheets tests write.
#[derive(Clone, Debug)]
pub enum C {
    S(&'static str),
    N(f64),
    /// A formula whose cached result is an error, as Excel saves `=1/0`.
    DivZero,
    /// A date cell (year, month, day), formatted as a date.
    D(u16, u8, u8),
    E,
}

pub struct Ws {
    pub dir: tempfile::TempDir,
}

impl Ws {
    /// The demo workspace's settings and agreement, with an empty returns/ folder and no store.
    pub fn demo() -> Ws {
        let dir = tempfile::tempdir().unwrap();
        for f in ["partnership.toml", "agreement.xlsx", "priorities.xlsx"] {
            std::fs::copy(repo().join("datasets/demo").join(f), dir.path().join(f)).unwrap();
        }
        std::fs::create_dir(dir.path().join("returns")).unwrap();
        Ws { dir }
    }

    /// The demo with all its returns.
    pub fn demo_with_returns() -> Ws {
        let ws = Ws::demo();
        for e in std::fs::read_dir(repo().join("datasets/demo/returns")).unwrap() {
            let p = e.unwrap().path();
            std::fs::copy(&p, ws.path().join("returns").join(p.file_name().unwrap())).unwrap();
        }
        ws
    }

    /// The shipped demo as a user gets it: every file of datasets/demo (returns, overrides,
    /// timetable, comparator tables), without a store or reports.
    pub fn whole_demo() -> Ws {
        fn copy(from: &Path, to: &Path) {
            std::fs::create_dir_all(to).unwrap();
            for e in std::fs::read_dir(from).unwrap() {
                let p = e.unwrap().path();
                let name = p.file_name().unwrap();
                if name == "store" || name == "reports" {
                    continue;
                }
                if p.is_dir() {
                    copy(&p, &to.join(name))
                } else {
                    std::fs::copy(&p, to.join(name)).map(|_| ()).unwrap()
                }
            }
        }
        let dir = tempfile::tempdir().unwrap();
        copy(&repo().join("datasets/demo"), dir.path());
        Ws { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn file(&self, name: &str) -> PathBuf {
        self.path().join(name)
    }

    pub fn laa(&self, args: &[&str]) -> Out {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_laa"));
        cmd.arg("--workspace").arg(self.path()).args(args).env_remove("LAA_FAILPOINT").env("NO_COLOR", "1");
        Out(cmd.output().unwrap())
    }

    pub fn laa_env(&self, args: &[&str], key: &str, value: &str) -> Out {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_laa"));
        cmd.arg("--workspace").arg(self.path()).args(args).env(key, value);
        Out(cmd.output().unwrap())
    }

    /// Every file under store/ with its bytes.
    pub fn store_bytes(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut out = BTreeMap::new();
        walk(&self.path().join("store"), &mut out);
        out
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let o = self.laa(args);
        assert!(o.ok(), "{}", o.stderr());
        serde_json::from_str(&o.stdout()).unwrap()
    }
}

fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.file_name().unwrap() != "lock" {
            out.insert(p.clone(), std::fs::read(&p).unwrap());
        }
    }
}

pub struct Out(pub Output);

impl Out {
    pub fn code(&self) -> i32 {
        self.0.status.code().unwrap_or(-1)
    }
    pub fn ok(&self) -> bool {
        self.0.status.success()
    }
    pub fn stdout(&self) -> String {
        String::from_utf8_lossy(&self.0.stdout).into_owned()
    }
    pub fn stderr(&self) -> String {
        String::from_utf8_lossy(&self.0.stderr).into_owned()
    }
}

/// Write an xlsx with the given sheets of rows.
pub fn xlsx(path: &Path, sheets: &[(&str, Vec<Vec<C>>)]) {
    let mut wb = Workbook::new();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                let (r, c) = (r as u32, c as u16);
                match v {
                    C::S(s) => {
                        ws.write_string(r, c, *s).unwrap();
                    }
                    C::N(n) => {
                        ws.write_number(r, c, *n).unwrap();
                    }
                    C::DivZero => {
                        let f = rust_xlsxwriter::Formula::new("=1/0").set_result("#DIV/0!");
                        ws.write_formula(r, c, f).unwrap();
                    }
                    C::D(y, m, d) => {
                        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *d).unwrap();
                        let f = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
                        ws.write_datetime_with_format(r, c, &date, &f).unwrap();
                    }
                    C::E => {}
                }
            }
        }
    }
    wb.save(path).unwrap();
}

/// A wide return for the demo's safer theme: title rows, then the header, then `rows`.
pub fn safer_wide(rows: Vec<Vec<C>>) -> Vec<Vec<C>> {
    use C::*;
    let mut out = vec![vec![S("Safer Leicestershire Partnership")], vec![S("Return for 2009/10")], vec![]];
    out.push(vec![S("NI ref"), S("Area"), S("Q1 actual"), S("Q2 actual"), S("Commentary")]);
    out.extend(rows);
    out
}
