//! The command line on top of the library: argument types ([`args`]), output formats ([`output`]),
//! and one file per subcommand, each turning parsed arguments into calls on the library. Nothing
//! in the library depends on this module.

pub mod agreement;
pub mod args;
pub mod benchmark;
pub mod history;
pub mod import;
pub mod init;
pub mod nis;
pub mod output;
pub mod priorities;
pub mod rate;
pub mod report;
pub mod returns;
pub mod reward;
pub mod serve;
pub mod status;
pub mod store;
pub mod template;
pub mod timetable;

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use anyhow::Result;

use crate::domain::catalogue::Catalogue;
use crate::workspace::Workspace;
use args::{AgreementCommand, BenchmarkCommand, Cli, Command, NisCommand, PrioritiesCommand, StoreCommand};

/// Run `laa` with these arguments; print errors once; 0 success, 1 bad input, 2 usage.
pub fn run(args: impl IntoIterator<Item = impl Into<OsString> + Clone>) -> ExitCode {
    // a reader's panic on a hostile file is answered as that file's error (the import says which
    // file); any other panic is a bug in laa, said in one line
    std::panic::set_hook(Box::new(|info| {
        if crate::sheet::in_guarded_read() {
            return;
        }
        eprintln!("laa: internal error: {info}\nThis is a bug in laa; please report it (see SECURITY.md).");
    }));
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match dispatch(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", crate::domain::text::for_terminal(&format!("{e:#}")));
            ExitCode::from(1)
        }
    }
}

/// Values a command is finished with just before the process exits: not freed one allocation at
/// a time (the operating system reclaims the memory at once). Only for a command's last step.
pub fn exiting<T>(values: T) {
    std::mem::forget(values);
}

/// Which values a quarter is rated on (`--with-revisions`, else as reported).
fn known(with_revisions: bool) -> crate::assess::Known {
    if with_revisions { crate::assess::Known::WithRevisions } else { crate::assess::Known::AsReported }
}

/// `laa import`: the area named checked, then the returns read (`--explain`) or imported.
#[allow(clippy::too_many_arguments)] // the command's own options, passed on as given
fn import_returns(
    l: &Loaded,
    paths: &[std::path::PathBuf],
    dry_run: bool,
    period: Option<String>,
    area: Option<String>,
    explain: bool,
    format: output::Format,
    quiet: bool,
) -> Result<()> {
    let period = period.map(|p| p.parse()).transpose()?;
    if let Some(a) = &area
        && l.ws.find_area(a).is_none()
    {
        let known: Vec<&str> = l.ws.settings.areas.iter().map(|a| a.name.as_str()).collect();
        anyhow::bail!("--area {a:?} is not an area of this partnership ({})", known.join(", "));
    }
    let stated = crate::pipeline::import::Stated { period, area, comparators: None };
    if explain {
        return import::explain(l, paths, &stated, format);
    }
    import::run(l, paths, dry_run, &stated, quiet)
}

/// Run one parsed command.
pub fn dispatch(cli: Cli) -> Result<()> {
    let ws_dir = cli.workspace.clone();
    let quiet = cli.quiet;
    VERBOSE.store(cli.verbose, std::sync::atomic::Ordering::Relaxed);
    match cli.command {
        Command::Init { dir, force } => init::run(&dir, force, quiet),
        Command::Nis { command } => match command {
            NisCommand::List { theme, format } => nis::list(&catalogue_only(ws_dir)?, theme.as_deref(), format),
            NisCommand::Show { indicator, format } => nis::show(&catalogue_only(ws_dir)?, &indicator, format),
            NisCommand::Import { file } => nis::import(&open(ws_dir)?, &file, quiet),
        },
        Command::Template { kind, out, theme, period } => {
            template::run(&load(ws_dir)?, kind, out, theme, period, quiet)
        }
        Command::Import { paths, dry_run, period, area, explain, format } => {
            import_returns(&load(ws_dir)?, &paths, dry_run, period, area, explain, format, quiet)
        }
        Command::Benchmark { command } => match command {
            BenchmarkCommand::Import { paths, dry_run, explain, format } => {
                let l = load(ws_dir)?;
                let stated = crate::pipeline::import::Stated::benchmarks(&l);
                if explain {
                    return import::explain(&l, &paths, &stated, format);
                }
                import::run(&l, &paths, dry_run, &stated, quiet)
            }
            BenchmarkCommand::Show { indicator, period, area, format } => {
                benchmark::show(&load(ws_dir)?, &indicator, period, area, format)
            }
        },
        Command::Rate { period, area, theme, changes, with_revisions, as_reported: _, format } => {
            let known = known(with_revisions);
            rate::run(&load(ws_dir)?, period, &rate::Filter { area, theme }, changes, known, format)
        }
        Command::Reward { period, theme, assume, with_revisions, as_reported: _, format } => {
            reward::run(&load(ws_dir)?, period, theme, &assume, known(with_revisions), format)
        }
        Command::Report { period, out, only, meeting_date, pdf, with_revisions, as_reported: _ } => {
            let known = known(with_revisions);
            report::run(&load(ws_dir)?, report::Options { period, out, only, meeting_date, pdf, known }, quiet)
        }
        Command::Priorities { command } => match command {
            PrioritiesCommand::Check { format, xlsx, chart } => {
                priorities::check(&load(ws_dir)?, format, xlsx, chart, quiet)
            }
            PrioritiesCommand::Suggest { outcome, top, format } => {
                priorities::suggest(&load(ws_dir)?, outcome, top, format)
            }
        },
        Command::Agreement { command: AgreementCommand::Check { format } } => agreement::run(&load(ws_dir)?, format),
        Command::Timetable { on, chart, format } => timetable::run(&load(ws_dir)?, on, chart, format, quiet),
        Command::Returns { command, on, period, theme, format } => {
            let l = load(ws_dir)?;
            match command {
                None => returns::run(&l, on.as_deref(), period.as_deref(), theme, format),
                Some(args::ReturnsCommand::Remind { on: on2, period: p2, theme: t2, out }) => {
                    returns::remind(&l, on2.or(on).as_deref(), p2.or(period).as_deref(), t2.or(theme), &out, quiet)
                }
            }
        }
        Command::Serve { command: None, bind, public } => serve::run(workspace_dir(ws_dir), &bind, public, quiet),
        Command::Serve { command: Some(args::ServeCommand::Links { reissue, base, format }), .. } => {
            serve::links(&load(ws_dir)?, &base, reissue.as_deref(), format)
        }
        Command::Status { format } => status::run(&load(ws_dir)?, format),
        Command::Store { command: StoreCommand::Verify { format } } => store::verify(&open(ws_dir)?, format),
        Command::History { indicator, area, period, format } => {
            history::run(&load(ws_dir)?, &indicator, area.as_deref(), period.as_deref(), format)
        }
    }
}

/// The workspace to use: `--workspace`/`LAA_WORKSPACE`, else the shipped demo.
pub fn workspace_dir(given: Option<PathBuf>) -> PathBuf {
    given.unwrap_or_else(|| {
        let local = PathBuf::from("datasets/demo");
        if local.join(crate::workspace::SETTINGS_FILE).exists() {
            local
        } else {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("datasets/demo")
        }
    })
}

fn open(dir: Option<PathBuf>) -> Result<Workspace> {
    Ok(Workspace::open(&workspace_dir(dir))?)
}

pub use crate::pipeline::Loaded;

/// The workspace (`--workspace`, else the demo) with its catalogue and agreement read.
pub fn load(dir: Option<PathBuf>) -> Result<Loaded> {
    Loaded::open(&workspace_dir(dir))
}

/// For `nis list|show`: the workspace's catalogue when there is a workspace, else the shipped one.
fn catalogue_only(dir: Option<PathBuf>) -> Result<Catalogue> {
    let explicit = dir.is_some();
    match load(dir) {
        Ok(l) => Ok(l.catalogue),
        Err(e) if explicit => Err(e),
        Err(_) => Ok(Catalogue::shipped()),
    }
}

/// Print a line to stderr unless quiet.
/// `--verbose`: every warning listed rather than grouped by kind.
pub static VERBOSE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

pub fn verbose() -> bool {
    VERBOSE.load(std::sync::atomic::Ordering::Relaxed)
}

/// Warnings, grouped by kind unless `--verbose`, each said on stderr.
pub fn say_warnings(quiet: bool, warnings: &[String]) {
    for w in crate::domain::messages::grouped(warnings, verbose()) {
        say(quiet, format!("warning: {w}"));
    }
}

pub fn say(quiet: bool, msg: impl AsRef<str>) {
    if !quiet {
        use std::io::Write;
        // a closed stderr (`laa import 2>&1 | head`) must not stop an import half-way
        let _ = writeln!(std::io::stderr(), "{}", crate::domain::text::for_terminal(msg.as_ref()));
    }
}
