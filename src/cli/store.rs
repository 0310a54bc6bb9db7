//! `laa store verify`: the store's journal, batches and checksums checked, leftovers listed.

use anyhow::{Result, bail};

use crate::cli::output::{self, Format, Table, text};
use crate::store::Store;
use crate::workspace::Workspace;

pub fn verify(ws: &Workspace, format: Format) -> Result<()> {
    let mut v = Store::new(&ws.store_dir()).verify();
    // the comparator figures' store, when there is one, is checked the same way
    let bench = ws.benchmark_store_dir();
    if bench.join("journal.jsonl").exists() {
        // (its messages name their files, under store/benchmarks/)
        let b = Store::new(&bench).verify();
        v.imports += b.imports;
        v.batches += b.batches;
        v.problems.extend(b.problems);
        v.leftovers.extend(b.leftovers);
        v.notes.extend(b.notes);
    }
    let mut t = Table::new(&["kind", "message"]);
    for (kind, list) in [("problem", &v.problems), ("leftover", &v.leftovers), ("note", &v.notes)] {
        for m in list {
            t.push(vec![text(kind), text(m)]);
        }
    }
    if format == Format::Table {
        eprintln!(
            "{}: {} imports, {} batches checked{}",
            ws.label(&ws.store_dir()),
            v.imports,
            v.batches,
            if v.ok() { ": the store is sound" } else { "" }
        );
        if !t.rows.is_empty() {
            output::print(&t.render(format))?;
        }
    } else {
        output::print(&t.render(format))?;
    }
    if !v.ok() {
        bail!(
            "the store has {} problem{} (listed above); restore the store/ folder from a backup, or delete it and import the returns again",
            v.problems.len(),
            if v.problems.len() == 1 { "" } else { "s" }
        );
    }
    Ok(())
}
