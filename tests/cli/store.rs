use crate::common::{C::*, Ws, safer_wide, xlsx};

#[test]
fn reimport_is_a_no_op_and_a_changed_value_is_a_revision() {
    let ws = Ws::demo();
    let f = ws.file("returns/safer.xlsx");
    xlsx(&f, &[("Q2", safer_wide(vec![vec![S("NI 32"), E, N(30.0), N(29.0), S("first")]]))]);
    assert!(ws.laa(&["import"]).ok());
    let before = ws.store_bytes();
    let o = ws.laa(&["import"]);
    assert!(o.ok());
    assert!(o.stderr().contains("already imported"), "{}", o.stderr());
    assert_eq!(ws.store_bytes(), before);

    // a corrected return: Q2 changes, Q1 does not
    let f2 = ws.file("returns/safer-corrected.xlsx");
    xlsx(&f2, &[("Q2", safer_wide(vec![vec![S("NI 32"), E, N(30.0), N(28.4), S("corrected")]]))]);
    let o = ws.laa(&["import", f2.to_str().unwrap()]);
    assert!(o.stderr().contains("0 new, 1 revised, 1 unchanged"), "{}", o.stderr());
    let h = ws.json(&["history", "NI 32", "--period", "2009/10 Q2", "--format", "json"]);
    let rows = h.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0]["value"].as_f64(), rows[0]["status"].as_str()), (Some(29.0), Some("original")));
    assert_eq!(rows[0]["file"], "returns/safer.xlsx");
    assert_eq!((rows[1]["value"].as_f64(), rows[1]["status"].as_str()), (Some(28.4), Some("revision")));
    assert_eq!(rows[1]["file"], "returns/safer-corrected.xlsx");
    assert_eq!(ws.json(&["status", "--format", "json"])["revisions"], 1);
}

#[test]
fn a_crash_at_any_point_leaves_the_store_as_it_was() {
    let ws = Ws::demo();
    xlsx(&ws.file("a.xlsx"), &[("Q2", safer_wide(vec![vec![S("NI 32"), E, N(30.0), E, E]]))]);
    assert!(ws.laa(&["import", ws.file("a.xlsx").to_str().unwrap()]).ok());
    let history = ws.laa(&["history", "NI 32", "--format", "csv"]).stdout();
    let journal = std::fs::read(ws.file("store/journal.jsonl")).unwrap();
    xlsx(&ws.file("b.xlsx"), &[("Q2", safer_wide(vec![vec![S("NI 32"), E, N(31.0), N(29.0), E]]))]);
    for point in ["before-batch-rename", "after-batch", "before-journal-rename"] {
        let o = ws.laa_env(&["import", ws.file("b.xlsx").to_str().unwrap()], "LAA_FAILPOINT", point);
        assert_eq!(o.code(), 1, "{point}");
        assert!(o.stderr().contains("the store is as it was"), "{}", o.stderr());
        assert_eq!(std::fs::read(ws.file("store/journal.jsonl")).unwrap(), journal, "{point}");
        assert_eq!(ws.laa(&["history", "NI 32", "--format", "csv"]).stdout(), history, "{point}");
    }
    // and the next import, without a failure, completes
    let o = ws.laa(&["import", ws.file("b.xlsx").to_str().unwrap()]);
    assert!(o.stderr().contains("1 new, 1 revised"), "{}", o.stderr());
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

/// The demo with its 2008/09 returns imported (the state "before"), a copy of that store, and
/// the ratings for 2009/10 Q2 before and after importing the rest.
struct KillBench {
    ws: Ws,
    snapshot: std::path::PathBuf,
    before: String,
    after: String,
}

impl KillBench {
    fn new() -> KillBench {
        let ws = Ws::demo_with_returns();
        let first: Vec<String> = std::fs::read_dir(ws.file("returns"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_str().unwrap().contains("2008-09"))
            .map(|p| p.to_str().unwrap().to_string())
            .collect();
        let mut args = vec!["import", "-q"];
        args.extend(first.iter().map(String::as_str));
        assert!(ws.laa(&args).ok());
        let snapshot = ws.path().join("snapshot");
        copy_dir(&ws.file("store"), &snapshot);
        let rate = |ws: &Ws| ws.laa(&["rate", "--period", "2009/10 Q2", "--format", "json"]).stdout();
        let before = rate(&ws);
        assert!(ws.laa(&["import", "-q"]).ok());
        let after = rate(&ws);
        assert_ne!(before, after);
        let kb = KillBench { ws, snapshot, before, after };
        kb.restore();
        kb
    }

    fn restore(&self) {
        std::fs::remove_dir_all(self.ws.file("store")).unwrap();
        copy_dir(&self.snapshot, &self.ws.file("store"));
    }

    fn import(&self, delay_ms: u32) -> std::process::Child {
        std::process::Command::new(env!("CARGO_BIN_EXE_laa"))
            .arg("--workspace")
            .arg(self.ws.path())
            .args(["import", "-q"])
            .env("LAA_STEP_DELAY_MS", delay_ms.to_string())
            .env_remove("LAA_FAILPOINT")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    }

    fn rate(&self) -> String {
        self.ws.laa(&["rate", "--period", "2009/10 Q2", "--format", "json"]).stdout()
    }
}

#[test]
#[cfg(unix)]
fn killed_at_a_hundred_points_an_import_leaves_the_store_before_or_after() {
    let kb = KillBench::new();
    // how long an import takes with a pause after each file-system step of its commit
    let started = std::time::Instant::now();
    assert!(kb.import(15).wait().unwrap().success());
    let whole = started.elapsed();
    let (mut before, mut after) = (0, 0);
    for i in 0..110u32 {
        kb.restore();
        let mut child = kb.import(15);
        // kill points spread over the whole run, reading and committing alike
        std::thread::sleep(whole * i / 100);
        child.kill().ok(); // SIGKILL
        child.wait().unwrap();
        let v = kb.ws.laa(&["store", "verify"]);
        assert!(v.ok(), "kill point {i}: {}", v.stderr());
        let now = kb.rate();
        if now == kb.before {
            before += 1;
        } else if now == kb.after {
            after += 1;
        } else {
            panic!("kill point {i}: the ratings are neither the state before nor after the import");
        }
    }
    assert!(before > 0 && after > 0, "kills landed before ({before}) and after ({after}) the commit");
    // a final import completes exactly as a clean one
    assert!(kb.ws.laa(&["import", "-q"]).ok());
    assert_eq!(kb.rate(), kb.after);
    assert!(kb.ws.laa(&["store", "verify"]).ok());
}

#[test]
#[cfg(unix)]
fn imports_started_together_and_a_reader_during_an_import() {
    let kb = KillBench::new();
    // two imports at once: one commits, the other waits its turn or names the lock
    let (a, b) = (kb.import(10), kb.import(10));
    let outs = [a.wait_with_output().unwrap(), b.wait_with_output().unwrap()];
    assert!(outs.iter().any(|o| o.status.success()), "one import succeeds");
    for o in &outs {
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(o.status.success() || err.contains("another laa import is running"), "{err}");
        assert_ne!(o.status.code(), Some(101));
    }
    assert_eq!(kb.rate(), kb.after);
    // ratings read while an import commits see the store before it or after it, never a mix
    kb.restore();
    let mut child = kb.import(40);
    let mut seen = Vec::new();
    while child.try_wait().unwrap().is_none() {
        seen.push(kb.rate());
    }
    seen.push(kb.rate());
    assert!(seen.iter().all(|s| *s == kb.before || *s == kb.after));
    assert_eq!(seen.last().unwrap(), &kb.after);
}
