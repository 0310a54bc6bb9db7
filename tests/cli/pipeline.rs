//! The library's one import called directly, as a front end other than the command line calls it.

use crate::common::{C::*, xlsx};

/// The library's one import, for one theme (a partner's upload): a file with another theme's
/// indicator is refused naming it, and nothing is stored; the same file for every theme imports.
#[test]
fn an_import_for_one_theme_refuses_another_themes_indicators() {
    use laa::pipeline::import::{FileRead, Request, Stated, run};
    let ws = crate::common::Ws::demo();
    let path = ws.file("returns/safer-2009-10-q2.xlsx");
    let rows = vec![
        vec![S("NI 47"), S("Leicestershire"), N(80.0), N(81.0), E],
        vec![S("NI 53"), S("Leicestershire"), N(40.0), N(41.0), E],
    ];
    xlsx(&path, &[("Q2", crate::common::safer_wide(rows))]);
    let l = laa::pipeline::Loaded::open(ws.path()).unwrap();
    let stated = Stated::default();
    let paths = [path.clone()];
    let mut outcome = run(&l, &Request { theme: Some("safer"), ..Request::new(&paths, &stated) }, &|_| {}).unwrap();
    let FileRead::Refused { message } = &outcome.files[0].read else { panic!("refused: {:?}", outcome.files) };
    assert!(message.contains("NI 53") && !message.contains("NI 47"), "{message}");
    assert!(message.contains("the Safer Communities theme neither leads nor owes"), "{message}");
    assert!(outcome.failure().is_some() && !outcome.stored());
    assert!(ws.laa(&["status", "--format", "json"]).stdout().contains("\"imports\": 0"));
    let mut outcome = run(&l, &Request::new(&paths, &stated), &|_| {}).unwrap();
    assert!(outcome.failure().is_none() && outcome.stored(), "{:?}", outcome.files);
}
