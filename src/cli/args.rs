//! The command line's grammar: clap definitions of every subcommand and its options.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::cli::output::Format;

/// Track a Local Area Agreement: import quarterly returns, check them cell by cell, and keep
/// every value with its source in an append-only store.
#[derive(Debug, Parser)]
#[command(name = "laa", version, propagate_version = true, after_help = "Example:\n  laa import && laa status")]
pub struct Cli {
    /// The partnership workspace (default: $LAA_WORKSPACE, else the shipped demo datasets/demo).
    #[arg(long, global = true, env = "LAA_WORKSPACE", value_name = "DIR")]
    pub workspace: Option<PathBuf>,
    /// Print only errors.
    #[arg(long, short, global = true)]
    pub quiet: bool,
    /// List every warning (warnings of one kind are otherwise grouped, and an import prints
    /// the first 50 of a kind).
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Write a blank workspace: partnership.toml, agreement and priorities templates, returns/.
    #[command(after_help = "Example:\n  laa init my-partnership && laa --workspace my-partnership status")]
    Init {
        dir: PathBuf,
        /// Write into a directory that is not empty (existing files are kept).
        #[arg(long)]
        force: bool,
    },
    /// The National Indicator Set catalogue.
    Nis {
        #[command(subcommand)]
        command: NisCommand,
    },
    /// Write a spreadsheet template for officers to fill in.
    #[command(after_help = "Example:\n  laa template return --theme safer --period \"2009/10 Q3\" -o safer-q3.xlsx")]
    Template {
        #[arg(value_enum)]
        kind: crate::cli::template::Kind,
        /// Where to write (default: a name in the current directory).
        #[arg(long, short)]
        out: Option<PathBuf>,
        /// For a return: the theme whose indicators it lists.
        #[arg(long)]
        theme: Option<String>,
        /// For a return: the quarter it is for.
        #[arg(long)]
        period: Option<String>,
    },
    /// Validate returns and add them to the store (each file whole or not at all).
    #[command(
        after_help = "Examples:\n  laa import                      # every file in the workspace's returns/\n  laa import returns/safer-q2.xlsx --dry-run"
    )]
    Import {
        /// Files or folders (default: the workspace's returns/ folder).
        paths: Vec<PathBuf>,
        /// Validate only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The quarter of returns that do not say which they are for (a single-quarter form
        /// with no quarter in its title, sheet or file name), e.g. "2009/10 Q3"; checked against
        /// any quarter a file does say.
        #[arg(long)]
        period: Option<String>,
        /// The area of returns that do not say which they are for (no area column, title,
        /// sheet or file name), e.g. "Blaby"; without it such a return is the whole partnership's.
        #[arg(long)]
        area: Option<String>,
        /// Say how each file is read: per table, the reading chosen (where the indicator, area
        /// and period lie) and the runner-up, each column's role, where a fixed period came
        /// from, every number not stored and why, and the first values as they would be stored.
        /// Writes nothing.
        #[arg(long)]
        explain: bool,
        /// How --explain writes (json: every value, missing cell and number, per file).
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Figures of other authorities: import published comparator tables, and show where the
    /// partnership stands among them.
    Benchmark {
        #[command(subcommand)]
        command: BenchmarkCommand,
    },
    /// Rate every LAA indicator red/amber/green for a quarter, with forecast, reason, direction
    /// of travel and the probability of meeting the target.
    #[command(
        after_help = "Examples:\n  laa rate                          # the county, latest quarter\n  laa rate --area all --format json\n  laa rate --period \"2009/10 Q1\" --theme safer\n  laa rate --changes"
    )]
    Rate {
        /// The quarter (default: the latest with data), e.g. "2009/10 Q2".
        #[arg(long)]
        period: Option<String>,
        /// An area's name or code, or "all" (default: the county).
        #[arg(long)]
        area: Option<String>,
        /// A theme's code or name.
        #[arg(long)]
        theme: Option<String>,
        /// Only indicators whose rating changed since the previous quarter.
        #[arg(long)]
        changes: bool,
        /// Rate on everything known now, later revisions and late results included (default: a
        /// quarter as it was reported, on the returns of that quarter and before).
        #[arg(long, conflicts_with = "as_reported")]
        with_revisions: bool,
        /// Rate a quarter on the returns reported by then, so that a past report is made again
        /// exactly (the default).
        #[arg(long)]
        as_reported: bool,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Project Performance Reward Grant for each reward target: achievement of the stretch,
    /// projected grant, grant at risk, the trigger value, and totals by theme.
    #[command(
        after_help = "Examples:\n  laa reward --format json\n  laa reward --assume \"NI 154=3100\" --assume \"NI 192=+2%\"   # what if"
    )]
    Reward {
        #[arg(long)]
        period: Option<String>,
        #[arg(long)]
        theme: Option<String>,
        /// A scenario: a reward target's final-year outturn stated ("NI 154=3100"), or changed from
        /// its projection ("NI 192=+2%", "NI 39=-40"); the grant is projected again and the
        /// difference printed. Repeat for several targets.
        #[arg(long, value_name = "CODE=VALUE")]
        assume: Vec<String>,
        /// Rate on everything known now, later revisions and late results included (default: a
        /// quarter as it was reported, on the returns of that quarter and before).
        #[arg(long, conflicts_with = "as_reported")]
        with_revisions: bool,
        /// Rate a quarter on the returns reported by then, so that a past report is made again
        /// exactly (the default).
        #[arg(long)]
        as_reported: bool,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Write the quarterly progress report: HTML, Excel workbook, Word board paper and charts,
    /// into reports/<period>/ (importing any new returns first).
    #[command(
        after_help = "Examples:\n  laa report                                  # the latest quarter\n  laa report --period \"2009/10 Q1\" --out q1-report\n  laa report --only html --only xlsx"
    )]
    Report {
        /// The quarter (default: the latest with data).
        #[arg(long)]
        period: Option<String>,
        /// Output folder (default: reports/<period>/).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Write only these outputs (repeatable).
        #[arg(long, value_enum)]
        only: Vec<crate::report::Part>,
        /// The board meeting's date for the board paper (default: partnership.toml's).
        #[arg(long)]
        meeting_date: Option<String>,
        /// Also print the HTML report to ssog-report.pdf with headless Chromium (the `chromium`
        /// package; LAA_CHROMIUM names another browser binary).
        #[arg(long)]
        pdf: bool,
        /// Rate on everything known now, later revisions and late results included (default: a
        /// quarter as it was reported, on the returns of that quarter and before).
        #[arg(long, conflicts_with = "as_reported")]
        with_revisions: bool,
        /// Rate a quarter on the returns reported by then, so that a past report is made again
        /// exactly (the default).
        #[arg(long)]
        as_reported: bool,
    },
    /// The SCS priority outcomes and the indicators mapped to them.
    Priorities {
        #[command(subcommand)]
        command: PrioritiesCommand,
    },
    /// The agreement's targets.
    Agreement {
        #[command(subcommand)]
        command: AgreementCommand,
    },
    /// The stages and timescales of the SCS and LAA, each stage's state on a date, and a Gantt chart.
    #[command(after_help = "Example:\n  laa timetable --on 2007-11-19 --chart timetable.svg")]
    Timetable {
        /// The date to show each stage's state on (default: today).
        #[arg(long)]
        on: Option<String>,
        /// Draw a Gantt chart with a marker for the date (.png or .svg).
        #[arg(long, value_name = "FILE")]
        chart: Option<PathBuf>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// The store itself.
    Store {
        #[command(subcommand)]
        command: StoreCommand,
    },
    /// A web server where partners check and send their returns, on loopback by default.
    #[command(after_help = "Examples:\n  laa serve links\n  laa serve --bind 127.0.0.1:8080")]
    Serve {
        #[command(subcommand)]
        command: Option<ServeCommand>,
        /// The address to listen on; anything but loopback needs --public.
        #[arg(long, default_value = "127.0.0.1:8080")]
        bind: String,
        /// Allow listening beyond this machine.
        #[arg(long)]
        public: bool,
    },
    /// Who owes which return, when it was due, when it arrived, and its state.
    #[command(
        after_help = "Examples:\n  laa returns --on 2009-11-30\n  laa returns --period \"2009/10 Q2\" --format json\n  laa returns remind --on 2009-11-30 --out reminders/"
    )]
    Returns {
        #[command(subcommand)]
        command: Option<ReturnsCommand>,
        /// The date to see the returns on (default: today): imports after it are not counted.
        #[arg(long)]
        on: Option<String>,
        /// One quarter, e.g. "2009/10 Q2" (default: every quarter ended by then).
        #[arg(long)]
        period: Option<String>,
        /// One theme (code, name or partnership).
        #[arg(long)]
        theme: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// What the store holds: imports, periods, indicators, areas, and what is missing.
    #[command(after_help = "Example:\n  laa status --format json")]
    Status {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Every value ever stored for an indicator, with its source file, sheet, cell and import.
    #[command(after_help = "Example:\n  laa history \"NI 154\" --area Blaby")]
    History {
        /// The indicator ("NI 154", "NI154", "154", "L01").
        indicator: String,
        #[arg(long)]
        area: Option<String>,
        #[arg(long)]
        period: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum BenchmarkCommand {
    /// Read comparator tables (one row per authority with a column per period or indicator, or
    /// long tables of area, indicator, period and value; .xlsx, .ods, .csv …) with the returns'
    /// reader, authorities named by ONS code (old or new) or name, and keep their figures in a
    /// store of their own: they never enter a rating.
    #[command(
        after_help = "Examples:\n  laa benchmark import                         # every file in the workspace's benchmarks/\n  laa benchmark import lginform-ni195.csv --explain"
    )]
    Import {
        /// Files or folders (default: the workspace's benchmarks/ folder).
        paths: Vec<PathBuf>,
        /// Validate only; write nothing.
        #[arg(long)]
        dry_run: bool,
        /// Say how each file is read (as `laa import --explain`). Writes nothing.
        #[arg(long)]
        explain: bool,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// The league table of one indicator: every authority of the partnership's tier, best first,
    /// with the partnership and its comparator group marked, and the quartiles and medians.
    #[command(after_help = "Example:\n  laa benchmark show \"NI 154\" --period 2008/09")]
    Show {
        /// The indicator ("NI 154", "154").
        indicator: String,
        /// The period (default: the latest with comparator figures).
        #[arg(long)]
        period: Option<String>,
        /// A district's name or code (default: the county).
        #[arg(long)]
        area: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum PrioritiesCommand {
    /// Coverage of the priority outcomes: outcomes with no indicator or none in the LAA, LAA
    /// indicators serving no outcome, references not in the catalogue (with the nearest match),
    /// and counts per theme and NIS group. Exits 0 whatever it finds: the findings are the output.
    #[command(after_help = "Example:\n  laa priorities check --xlsx coverage.xlsx --chart coverage.png")]
    Check {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
        /// Also write the coverage matrix and findings as a workbook.
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
        /// Also draw the coverage heatmap (outcomes × NIS groups), .png or .svg.
        #[arg(long, value_name = "FILE")]
        chart: Option<PathBuf>,
    },
    /// Rank catalogue indicators for weakly covered outcomes by the similarity of their wording
    /// (TF-IDF of titles and NIS groups, computed locally).
    #[command(
        after_help = "Examples:\n  laa priorities suggest\n  laa priorities suggest --outcome \"reduce carbon emissions across the county\""
    )]
    Suggest {
        /// Suggest for this wording instead of the mapping's weak outcomes.
        #[arg(long)]
        outcome: Option<String>,
        /// How many candidates per outcome.
        #[arg(long, default_value_t = 5)]
        top: usize,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Check the store: the journal parses, every batch it commits exists, matches the checksum
    /// recorded for it and reads; list files left by an interrupted import (never read). Exits 1
    /// when something is wrong.
    #[command(after_help = "Example:\n  laa store verify")]
    Verify {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum AgreementCommand {
    /// Validate the agreement: at most 35 designated targets, the 16 statutory targets, a
    /// baseline and three annual targets each, targets moving with the polarity (warnings),
    /// consistent reward terms. Exits 1 when there are errors.
    #[command(after_help = "Example:\n  laa agreement check --format csv")]
    Check {
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}

#[derive(Debug, Subcommand)]
pub enum NisCommand {
    /// List the indicators.
    #[command(after_help = "Example:\n  laa nis list --theme \"Safer communities\" --format csv")]
    List {
        /// Only this theme (NIS group), case-insensitive.
        #[arg(long)]
        theme: Option<String>,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Show one indicator.
    #[command(after_help = "Example:\n  laa nis show NI154")]
    Show {
        indicator: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
    /// Replace the workspace's catalogue from a spreadsheet or csv (columns: code or number,
    /// title, theme, polarity, unit, frequency, measure type).
    #[command(after_help = "Example:\n  laa nis import my-indicators.xlsx")]
    Import { file: PathBuf },
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }
}

#[derive(Debug, Subcommand)]
pub enum ReturnsCommand {
    /// Draft a reminder (.eml) to each theme that owes a return, with the form still owed attached.
    #[command(after_help = "Example:\n  laa returns remind --on 2009-11-30 --out reminders/")]
    Remind {
        /// The date to see the returns on (default: today).
        #[arg(long)]
        on: Option<String>,
        #[arg(long)]
        period: Option<String>,
        #[arg(long)]
        theme: Option<String>,
        /// The folder to write the .eml files into.
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum ServeCommand {
    /// Make a secret link for each theme and the officers that has none, and print them (once).
    #[command(after_help = "Examples:\n  laa serve links --format json\n  laa serve links --reissue safer")]
    Links {
        /// Make a new link for this theme (or `officer`); the old one stops working at once.
        #[arg(long, value_name = "WHO")]
        reissue: Option<String>,
        /// The server's address as partners reach it.
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        base: String,
        #[arg(long, value_enum, default_value_t)]
        format: Format,
    },
}
