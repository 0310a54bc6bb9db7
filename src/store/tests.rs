use super::*;

fn obs(value: f64, cell: &str) -> Observation {
    Observation {
        indicator: "NI 154".into(),
        area: "BLABY".into(),
        period: "2008/09 Q2".parse().unwrap(),
        value,
        numerator: None,
        denominator: Some(3.0),
        commentary: Some("<ok> & \"fine\"".into()),
        action: None,
        self_rating: Some("amber".into()),
        quality: None,
        loc: Loc { file: "returns/x.xlsx".into(), sheet: Some("Q2".into()), cell: cell.into() },
    }
}

fn one(session: &mut Session, file: &str, bytes: &[u8], o: &[Observation]) -> Outcome {
    let v = Values::from_observations(o);
    let mut out = session
        .import(&[FileIn { file, sha256: sha256_hex(bytes), values: &v, no_values: &[], completed: None }])
        .unwrap();
    assert_eq!(out.len(), 1);
    out.remove(0)
}

#[test]
fn round_trip_idempotence_and_revisions() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(&dir.path().join("store"));
    let mut session = store.session().unwrap();
    let Outcome::Imported(e) = one(&mut session, "returns/x.xlsx", b"one", &[obs(10.0, "D5")]) else { panic!() };
    assert_eq!((e.new, e.revised), (1, 0));
    assert!(matches!(one(&mut session, "returns/x.xlsx", b"one", &[obs(10.0, "D5")]), Outcome::AlreadyImported(_)));
    let Outcome::Imported(e) = one(&mut session, "returns/y.xlsx", b"two", &[obs(10.0, "D5")]) else { panic!() };
    assert_eq!((e.unchanged, e.batch_file), (1, None));
    let Outcome::Imported(e) = one(&mut session, "returns/z.xlsx", b"three", &[obs(12.5, "E5")]) else { panic!() };
    assert_eq!(e.revised, 1);
    let records = store.records().unwrap();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].obs, obs(10.0, "D5"));
    let (current, read) = store.values().unwrap();
    assert_eq!((current.len(), read), (1, 2));
    assert_eq!(current.value[0], 12.5);
    assert_eq!(current.dicts.texts.get(current.commentary[0]), "<ok> & \"fine\"");
    assert_eq!(current.dicts.loc(current.src[0]).to_string(), "returns/x.xlsx: Q2!E5");
    assert_eq!(store.journal().unwrap().len(), 3);
}

#[test]
fn one_session_one_batch_all_or_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(&dir.path().join("store"));
    let mut session = store.session().unwrap();
    let (a, b) = ([obs(1.0, "D5")], [Observation { area: "HARBOROUGH".into(), ..obs(2.0, "D6") }]);
    let (a, b) = (Values::from_observations(&a), Values::from_observations(&b));
    let files = [
        FileIn { file: "returns/a.xlsx", sha256: sha256_hex(b"a"), values: &a, no_values: &[], completed: None },
        FileIn { file: "returns/a-copy.xlsx", sha256: sha256_hex(b"a"), values: &a, no_values: &[], completed: None },
        FileIn { file: "returns/b.xlsx", sha256: sha256_hex(b"b"), values: &b, no_values: &[], completed: None },
    ];
    let out = session.import(&files).unwrap();
    assert!(matches!(out[1], Outcome::AlreadyImported(_)), "the same bytes twice in one session: {out:?}");
    let journal = store.journal().unwrap();
    assert_eq!(journal.len(), 2);
    assert_eq!(journal[0].batch_file, journal[1].batch_file, "one batch for the session");
    assert_eq!(std::fs::read_dir(dir.path().join("store/batches")).unwrap().count(), 1);
    let (v, _) = store.values().unwrap();
    assert_eq!(v.len(), 2);
    assert_eq!(v.batch, vec![1, 2], "each value keeps its own file's journal entry");
}

#[test]
fn second_lock_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(dir.path());
    let _held = store.lock().unwrap();
    assert!(matches!(Store::new(dir.path()).lock(), Err(StoreError::Locked(_))));
}

#[test]
fn a_files_values_as_columns_keep_their_order_and_strings() {
    let a = obs(1.0, "D5");
    let b = Observation { area: "HARBOROUGH".into(), commentary: None, ..obs(2.0, "D6") };
    let c = Observation { loc: Loc { sheet: None, ..obs(3.0, "D7").loc }, ..obs(3.0, "D7") };
    let v = Values::from_observations(&[a, b, c]);
    assert_eq!(v.value, [1.0, 2.0, 3.0]);
    assert_eq!(v.batch, [0, 0, 0]);
    let areas: Vec<&str> = v.area.iter().map(|&i| v.dicts.areas.get(i)).collect();
    assert_eq!(areas, ["BLABY", "HARBOROUGH", "BLABY"]);
    assert_eq!(v.dicts.texts.opt(v.commentary[1]), None);
    assert_eq!(v.dicts.texts.get(v.commentary[2]), "<ok> & \"fine\"");
    assert_eq!(v.dicts.loc(v.src[1]).to_string(), "returns/x.xlsx: Q2!D6");
    assert_eq!(v.dicts.loc(v.src[2]).to_string(), "returns/x.xlsx: D7");
}

#[test]
fn a_batch_is_written_in_key_order_and_the_later_file_wins() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(&dir.path().join("store"));
    let mut session = store.session().unwrap();
    let at =
        |area: &str, q: &str, v: f64| Observation { area: area.into(), period: q.parse().unwrap(), ..obs(v, "D5") };
    // keys out of order within and across files, and one key in both files
    let a = Values::from_observations(&[
        at("ZED", "2008/09 Q2", 1.0),
        at("ALPHA", "2008/09 Q2", 2.0),
        at("ALPHA", "2008/09 Q1", 3.0),
    ]);
    let b = Values::from_observations(&[at("MID", "2008/09 Q1", 4.0), at("ALPHA", "2008/09 Q2", 5.0)]);
    let files = [
        FileIn { file: "returns/a.xlsx", sha256: sha256_hex(b"a"), values: &a, no_values: &[], completed: None },
        FileIn { file: "returns/b.xlsx", sha256: sha256_hex(b"b"), values: &b, no_values: &[], completed: None },
    ];
    session.import(&files).unwrap();
    let (v, read) = store.values().unwrap();
    assert_eq!(read, 5, "every value is kept in the batch");
    let rows: Vec<(&str, String, f64)> =
        (0..v.len()).map(|r| (v.dicts.areas.get(v.area[r]), v.period[r].to_string(), v.value[r])).collect();
    assert_eq!(
        rows,
        [
            ("ALPHA", "2008/09 Q1".to_string(), 3.0),
            ("ALPHA", "2008/09 Q2".to_string(), 5.0),
            ("MID", "2008/09 Q1".to_string(), 4.0),
            ("ZED", "2008/09 Q2".to_string(), 1.0),
        ]
    );
    assert_eq!(v.batch, [1, 2, 2, 1], "each value keeps its own file's journal entry");
}

#[test]
fn verify_names_a_stored_value_that_is_not_finite() {
    // older laa stored an infinite rate (numerator 1E+308 over 1E-10); the readers now refuse
    // one, and verify finds any already in a store
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(&dir.path().join("store"));
    let mut session = store.session().unwrap();
    one(&mut session, "returns/x.xlsx", b"one", &[obs(f64::INFINITY, "D5")]);
    drop(session);
    let v = store.verify();
    assert!(!v.ok());
    let said = v.problems.join("\n");
    assert!(said.contains("1 value is not a finite number: row 1 (NI 154 BLABY 2008/09 Q2"), "{said}");
    assert!(said.contains("returns/x.xlsx: Q2!D5"), "{said}");
}

#[test]
fn a_lock_held_elsewhere_is_waited_for_a_stated_time() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(&dir.path().join("store"));
    let held = store.lock().unwrap();
    // refused after the wait when the lock stays held
    let started = std::time::Instant::now();
    assert!(matches!(store.lock_within(std::time::Duration::from_millis(300)), Err(StoreError::Locked(_))));
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    // taken as soon as it is released within the wait
    let release = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(200));
        drop(held);
    });
    assert!(store.lock_within(std::time::Duration::from_secs(10)).is_ok());
    release.join().unwrap();
}

/// Every value's latest (value, commentary), by key, as a map would keep them.
type Model = std::collections::BTreeMap<(String, String, String), (f64, Option<String>)>;

/// A session's files: one to four, each of up to twelve random keys and values.
fn random_files(next: &mut dyn FnMut(u64) -> u64, file_no: &mut usize) -> Vec<(String, Vec<Observation>)> {
    let (inds, areas) = (["NI 1", "NI 154", "NI 20", "NI 8"], ["A", "B", "BLABY", "Z"]);
    let quarters = ["2008/09 Q1", "2008/09 Q2", "2008/09 Q3", "2008/09 Q4", "2009/10 Q1"];
    let mut files: Vec<(String, Vec<Observation>)> = Vec::new();
    for _ in 0..1 + next(4) {
        *file_no += 1;
        let mut keys: Vec<(usize, usize, usize)> = Vec::new();
        for _ in 0..next(12) {
            let k = (next(4) as usize, next(4) as usize, next(5) as usize);
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        let o = keys
            .iter()
            .map(|&(i, a, q)| Observation {
                indicator: inds[i].into(),
                area: areas[a].into(),
                period: quarters[q].parse().unwrap(),
                value: next(3) as f64,
                numerator: None,
                denominator: None,
                commentary: [None, Some("said".to_string()), Some("other".to_string())][next(3) as usize].clone(),
                action: None,
                self_rating: None,
                quality: None,
                loc: Loc { file: format!("returns/f{file_no}.xlsx").into(), sheet: None, cell: format!("D{q}") },
            })
            .collect();
        files.push((format!("returns/f{file_no}.xlsx"), o));
    }
    files
}

/// The model's import, file by file: each file's new and revised counts.
fn model_import(model: &mut Model, files: &[(String, Vec<Observation>)]) -> Vec<(usize, usize)> {
    let mut expected = Vec::new();
    for (_, obs) in files {
        let (mut new, mut revised) = (0, 0);
        for o in obs {
            let key = (o.indicator.clone(), o.area.clone(), o.period.to_string());
            match model.get(&key) {
                None => new += 1,
                Some((v, c)) if *v == o.value && (o.commentary.is_none() || o.commentary == *c) => continue,
                Some(_) => revised += 1,
            }
            model.insert(key, (o.value, o.commentary.clone()));
        }
        expected.push((new, revised));
    }
    expected
}

/// The session's merge against a model: a map of every key's latest value, updated file by
/// file as the session did before the merge. Imports of random files into one store, with keys
/// and periods the store holds and the files do not (and the reverse), the same key in several
/// files of a session, revised values and commentaries left out; after each session the counts
/// per file and the store's current values equal the model's.
#[test]
fn the_merge_of_a_session_with_the_store_counts_and_keeps_what_a_map_of_every_value_would() {
    use std::collections::BTreeMap;
    let dir = tempfile::tempdir().unwrap();
    let store = Store::new(&dir.path().join("store"));
    let mut seed = 2026u64;
    let mut next = |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    // key → (value, commentary): the latest
    let mut model: Model = BTreeMap::new();
    let mut file_no = 0;
    for _session in 0..12 {
        let files = random_files(&mut next, &mut file_no);
        let expected = model_import(&mut model, &files);
        let values: Vec<Values> = files.iter().map(|(_, o)| Values::from_observations(o)).collect();
        let ins: Vec<FileIn> = files
            .iter()
            .zip(&values)
            .map(|((name, _), v)| FileIn {
                file: name,
                sha256: sha256_hex(name.as_bytes()),
                values: v,
                no_values: &[],
                completed: None,
            })
            .collect();
        let out = store.session().unwrap().import(&ins).unwrap();
        let got: Vec<(usize, usize)> = out
            .iter()
            .map(|o| match o {
                Outcome::Imported(e) => (e.new, e.revised),
                Outcome::AlreadyImported(_) => panic!("a new file"),
            })
            .collect();
        assert_eq!(got, expected);
        let (v, _) = store.values().unwrap();
        let stored: BTreeMap<(String, String, String), (f64, Option<String>)> = (0..v.len())
            .map(|r| {
                let key = (
                    v.dicts.indicators.get(v.indicator[r]).to_string(),
                    v.dicts.areas.get(v.area[r]).to_string(),
                    v.period[r].to_string(),
                );
                (key, (v.value[r], v.dicts.texts.opt(v.commentary[r]).map(String::from)))
            })
            .collect();
        assert_eq!(stored, model);
    }
}
