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
    // (file, its text, what the refusal must say)
    let cases: [(&str, &str, &[&str]); 4] = [
        // figures with nothing that names an indicator: counted, and where they start
        (
            "figures.csv",
            "Safer return\n\nsomething,else\n,45\n,46\n",
            &[
                "2 cells hold figures (from B4), but no cell names an indicator",
                "give each figure beside its indicator's code",
            ],
        ),
        // a table of areas with no indicator anywhere: its rows, and what is above them
        (
            "areas.csv",
            "Area,Value\nBlaby,45\nMelton,46\n",
            &[
                "rows 2–3 hold figures, but no cell says which indicator they are for",
                "(only \"Area Value\")",
                "name the indicator above the table",
            ],
        ),
        // one blank code in a column filled in every other row: the cell, and what to write there
        (
            "blank.csv",
            "NI ref,Q3 2009/10\nNI 32,40\n,41\nNI 16,5\nNI 20,6\n",
            &["A3: this row holds figures but its indicator cell is blank", "write the code here"],
        ),
        // text alone
        (
            "prose.csv",
            "How to complete this return\nEnter the actual for the quarter\n",
            &["no cell of this sheet holds a figure"],
        ),
    ];
    for (name, text, says) in cases {
        let e = refused(&ws, name, text);
        for said in says {
            assert!(e.contains(said), "{name}: {said:?} in {e}");
        }
        assert!(!e.contains("expected an indicator column") && !e.contains("\"NI ref\""), "{e}");
    }
}
