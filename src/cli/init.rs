//! `laa init DIR`: a blank workspace that officers fill in.

use std::path::Path;

use anyhow::{Context, Result, bail};

use super::say;
use crate::workspace::template::{agreement_template, priorities_template, write_atomic};
use crate::workspace::{SETTINGS_FILE, TEMPLATE_SETTINGS, Workspace};

pub fn run(dir: &Path, force: bool, quiet: bool) -> Result<()> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() && !force {
        bail!("{}: the directory is not empty; use --force to add the missing workspace files to it", dir.display());
    }
    std::fs::create_dir_all(dir.join("returns")).with_context(|| format!("{}: cannot create", dir.display()))?;
    let write_new = |name: &str, bytes: &[u8]| -> Result<()> {
        let p = dir.join(name);
        if !p.exists() {
            write_atomic(&p, bytes).with_context(|| format!("{}: cannot write", p.display()))?;
        }
        Ok(())
    };
    write_new(SETTINGS_FILE, TEMPLATE_SETTINGS.as_bytes())?;
    write_new(".gitignore", b"# the store is rebuilt from the returns; keep it out of git\nstore/\n")?;
    let ws = Workspace::open(dir)?;
    write_new(&ws.settings.agreement.file, &agreement_template(&ws)?)?;
    write_new(&ws.settings.agreement.priorities, &priorities_template(&ws)?)?;
    say(
        quiet,
        format!(
            "workspace written to {0}: edit {0}/partnership.toml, fill in the agreement and priorities spreadsheets, put returns in {0}/returns/, then `laa --workspace {0} import`",
            dir.display()
        ),
    );
    Ok(())
}
