//! `laa report`: call the library's report ([`crate::pipeline::report`]), which imports any new
//! returns first, and print what it did: the imports, the headline and the paths written.

use std::path::PathBuf;

use anyhow::Result;

use super::import::{Bar, say_outcome};
use super::{Loaded, say};
use crate::pipeline::import::{Outcome, Stated};
use crate::pipeline::report::{self as pipeline, Events};
use crate::report::Part;

pub struct Options {
    pub period: Option<String>,
    pub out: Option<PathBuf>,
    pub only: Vec<Part>,
    pub meeting_date: Option<String>,
    /// Also print the HTML to PDF with headless Chromium.
    pub pdf: bool,
    /// Which values the quarter is rated on (as reported by default).
    pub known: crate::assess::Known,
}

pub fn run(l: &Loaded, o: Options, quiet: bool) -> Result<()> {
    let period = o.period.as_deref().map(str::parse).transpose()?;
    let options = pipeline::Options {
        period,
        out: o.out,
        root: None,
        only: o.only,
        meeting_date: o.meeting_date,
        pdf: o.pdf,
        known: o.known,
    };
    let imported = |stated: &Stated, outcome: &Outcome| {
        let n = outcome.files.len();
        let what = if stated.comparators.is_some() { "comparator table" } else { "return" };
        let intro = format!("importing {n} new {what}{} first", if n == 1 { "" } else { "s" });
        say_outcome(l, outcome, stated, quiet, (n > 0).then_some(intro.as_str()));
    };
    let bar = Bar::new(quiet, "drawing charts");
    let drawing = |p| bar.on(p);
    let made = pipeline::make(l, &options, &Events { imported: &imported, drawing: &drawing });
    bar.done();
    let made = made?;
    super::say_warnings(quiet, &made.warnings);
    let data = &made.data;
    say(
        quiet,
        format!(
            "{} for {}: {} green, {} amber, {}, {} grey; reward {} of {} projected",
            data.partnership,
            data.period,
            data.counts.green,
            data.counts.amber,
            data.counts.red_text(),
            data.counts.grey,
            crate::cli::output::money(data.reward_totals.projected_grant),
            crate::cli::output::money(data.reward_totals.max_grant)
        ),
    );
    // what to open: the report first, then one line per output with what it is
    let width = made.written.iter().map(|p| p.display().to_string().chars().count()).max().unwrap_or(0);
    let mut written: Vec<&PathBuf> = made.written.iter().collect();
    written.sort_by_key(|p| !p.ends_with("ssog-report.html"));
    for p in written {
        let shown = p.display().to_string();
        println!("{shown:<width$}  {}", what_it_is(p));
    }
    let pdf_missing = made.pdf_missing;
    // the command ends here: the assessment's allocations go with the process
    super::exiting(made);
    if pdf_missing {
        anyhow::bail!(
            "--pdf needs headless Chromium, which is not installed (Debian and Ubuntu: apt-get install chromium; or set LAA_CHROMIUM to a Chrome or Chromium binary); the other outputs were written"
        );
    }
    Ok(())
}

/// What one output of the report is, for the line that names it.
fn what_it_is(p: &std::path::Path) -> &'static str {
    match p.file_name().and_then(|n| n.to_str()).unwrap_or("") {
        "ssog-report.html" => "the report: open it in a browser",
        "ssog-report.xlsx" => "the workbook: every rating, reason and the values behind it",
        "board-paper.docx" => "the board paper, in Word",
        "ssog-report.pdf" => "the report as a PDF",
        "data.csv" => "every value with its rating and source cell",
        "charts" => "the charts (PNG and SVG) for slides",
        _ => "",
    }
}
