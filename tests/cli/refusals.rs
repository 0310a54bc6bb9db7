//! A refused return is told in terms of its cells: what they hold, and what would make them
//! readable; never a list of the header words laa happens to know.

use crate::common::Ws;

fn refused(ws: &Ws, name: &str, text: &str) -> String {
    std::fs::write(ws.file(name), text).unwrap();
    let o = ws.laa(&["import", "--dry-run", ws.file(name).to_str().unwrap()]);
    assert_eq!(o.code(), 1, "{name} should be refused: {}", o.stderr());
    std::fs::remove_file(ws.file(name)).unwrap();
    o.stderr()
}

#[test]
fn refusals_say_what_the_cells_hold_and_what_would_make_them_readable() {
    let ws = Ws::demo();
    let mut all = Vec::new();
    // figures with nothing that names an indicator: counted, and where they start
    let e = refused(&ws, "figures.csv", "Safer return\n\nsomething,else\n,45\n,46\n");
    assert!(e.contains("2 cells hold figures (from B4), but no cell names an indicator"), "{e}");
    assert!(e.contains("give each figure beside its indicator's code"), "{e}");
    all.push(e);
    // a table of areas with no indicator anywhere: its rows, and what is above them
    let e = refused(&ws, "areas.csv", "Area,Value\nBlaby,45\nMelton,46\n");
    assert!(e.contains("rows 2–3 hold figures, but no cell says which indicator they are for"), "{e}");
    assert!(e.contains("(only \"Area Value\")") && e.contains("name the indicator above the table"), "{e}");
    all.push(e);
    // one blank code in a column filled in every other row: the cell, and what to write there
    let e = refused(&ws, "blank.csv", "NI ref,Q3 2009/10\nNI 32,40\n,41\nNI 16,5\nNI 20,6\n");
    assert!(e.contains("A3: this row holds figures but its indicator cell is blank"), "{e}");
    assert!(e.contains("write the code here"), "{e}");
    all.push(e);
    // text alone
    let e = refused(&ws, "prose.csv", "How to complete this return\nEnter the actual for the quarter\n");
    assert!(e.contains("no cell of this sheet holds a figure"), "{e}");
    all.push(e);
    for e in all {
        assert!(!e.contains("expected an indicator column") && !e.contains("\"NI ref\""), "{e}");
    }
}
