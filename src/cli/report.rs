//! `laa report`: import any new returns, assess the quarter, and write the HTML report, the
//! Excel workbook, the Word board paper and the charts into `reports/<period>/`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use indicatif::{ProgressBar, ProgressStyle};

use super::{Loaded, import, say};
use crate::assess::Assessment;

use crate::report::{self, Charts, Part, ReportData, write_file};
use rayon::prelude::*;

pub struct Options {
    pub period: Option<String>,
    pub out: Option<PathBuf>,
    pub only: Vec<Part>,
    pub meeting_date: Option<String>,
}

pub fn run(l: &Loaded, o: Options, quiet: bool) -> Result<()> {
    import_new_returns(l, quiet)?;
    let period = o.period.as_deref().map(str::parse).transpose()?;
    let a = Assessment::run(&l.ws, &l.catalogue, &l.agreement, period)?;
    for w in &a.warnings {
        say(quiet, format!("warning: {w}"));
    }
    let sources = l.store().journal()?;
    let generated_at = chrono::Local::now().format("%Y-%m-%d %H:%M").to_string();
    let data = ReportData::build(&l.ws, a, sources, generated_at, o.meeting_date);
    let dir = o.out.unwrap_or_else(|| default_dir(l).join(data.period.slug()));
    let wants = |p: Part| o.only.is_empty() || o.only.contains(&p);
    // charts are drawn only for the outputs that show them
    let charts = if [Part::Html, Part::Docx, Part::Charts].into_iter().any(wants) {
        let bar = if quiet { ProgressBar::hidden() } else { ProgressBar::new(Charts::count(&data) as u64) };
        bar.set_style(ProgressStyle::with_template("{msg} {bar:30} {pos}/{len}").expect("valid template"));
        bar.set_message("drawing charts");
        let charts = Charts::render(&data, &l.ws, &l.catalogue, &l.agreement, &|| bar.inc(1))?;
        bar.finish_and_clear();
        Some(charts)
    } else {
        None
    };
    // the outputs are independent: write them at the same time (each file is complete when
    // it appears, and the list of what was written keeps this order)
    type Job<'a> = Box<dyn Fn() -> Result<Vec<PathBuf>> + Send + Sync + 'a>;
    let mut jobs: Vec<Job> = Vec::new();
    if let Some(charts) = charts.as_ref().filter(|_| wants(Part::Charts)) {
        let cdir = dir.join("charts");
        if std::fs::symlink_metadata(&cdir).is_ok_and(|m| m.file_type().is_symlink()) {
            anyhow::bail!("{}: a symbolic link; laa does not write through links in the output folder", cdir.display());
        }
        jobs.push(Box::new(move || {
            let mut all: Vec<(String, &crate::report::chart::Rendered)> =
                charts.trends.iter().map(|(stem, _, c)| (stem.clone(), c)).collect();
            all.push(("rag-by-theme".into(), &charts.rag));
            if let Some(r) = &charts.reward {
                all.push(("reward".into(), r));
            }
            if let Some(r) = &charts.coverage {
                all.push(("priorities-coverage".into(), r));
            }
            all.par_iter().try_for_each(|(stem, c)| {
                write_file(&cdir.join(format!("{stem}.png")), &c.png)?;
                write_file(&cdir.join(format!("{stem}.svg")), c.svg.as_bytes())
            })?;
            Ok(vec![cdir.clone()])
        }));
    }
    if let Some(charts) = charts.as_ref().filter(|_| wants(Part::Html)) {
        let (p, data) = (dir.join("ssog-report.html"), &data);
        jobs.push(Box::new(move || {
            write_file(&p, report::html::render(data, charts).as_bytes())?;
            Ok(vec![p.clone()])
        }));
    }
    if wants(Part::Xlsx) {
        let (p, csv, data) = (dir.join("ssog-report.xlsx"), dir.join("data.csv"), &data);
        jobs.push(Box::new(move || {
            write_file(&p, &report::xlsx::render(data).context("building the workbook")?)?;
            // streamed: a national picture is ~80 MB of csv
            report::write_file_with(&csv, |f| data.write_data_csv(f))?;
            Ok(vec![p.clone(), csv.clone()])
        }));
    }
    if let Some(charts) = charts.as_ref().filter(|_| wants(Part::Docx)) {
        let (p, data) = (dir.join("board-paper.docx"), &data);
        jobs.push(Box::new(move || {
            let bytes = report::docx::render(data, charts).map_err(report::ReportError::Docx)?;
            write_file(&p, &bytes)?;
            Ok(vec![p.clone()])
        }));
    }
    let written: Vec<PathBuf> =
        jobs.par_iter().map(|job| job()).collect::<Result<Vec<_>>>()?.into_iter().flatten().collect();
    say(
        quiet,
        format!(
            "{} for {}: {} green, {} amber, {} red, {} grey; reward {} of {} projected",
            data.partnership,
            data.period,
            data.counts.green,
            data.counts.amber,
            data.counts.red,
            data.counts.grey,
            crate::cli::output::money(data.reward_totals.projected_grant),
            crate::cli::output::money(data.reward_totals.max_grant)
        ),
    );
    for p in written {
        println!("{}", p.display());
    }
    Ok(())
}

/// `reports/` beside the workspace's repository: the current directory's when it has one, else
/// the workspace's own.
fn default_dir(l: &Loaded) -> PathBuf {
    let here = Path::new("reports");
    if here.is_dir() { here.to_path_buf() } else { l.ws.dir.join("reports") }
}

/// Import every return in `returns/` that the store does not hold yet; stop on any bad one.
fn import_new_returns(l: &Loaded, quiet: bool) -> Result<()> {
    let store = l.store();
    let known: Vec<String> = store.journal()?.into_iter().map(|e| e.sha256).collect();
    let mut new = Vec::new();
    for f in import::return_files(&l.ws.returns_dir())? {
        let bytes = std::fs::read(&f).with_context(|| format!("{}: cannot read", f.display()))?;
        if !known.contains(&crate::store::sha256_hex(&bytes)) {
            new.push(f);
        }
    }
    if new.is_empty() {
        return Ok(());
    }
    say(quiet, format!("importing {} new return{} first", new.len(), if new.len() == 1 { "" } else { "s" }));
    let checked = import::check_all(l, &new, quiet)?;
    import::store_all(l, &checked, quiet)
}
