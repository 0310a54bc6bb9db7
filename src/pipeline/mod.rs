//! The library's front door: one import ([`import`]) and one report ([`report`]) that the command
//! line and the web server both call, each returning a typed outcome that the caller only prints
//! or renders. [`Loaded`] is a workspace with its catalogue and agreement read.

pub mod import;
pub mod report;

use std::path::Path;

use anyhow::{Context, Result};

use crate::domain::catalogue::Catalogue;
use crate::workspace::Workspace;
use crate::workspace::agreement::Agreement;

/// A workspace with its catalogue and agreement read.
pub struct Loaded {
    pub ws: Workspace,
    pub catalogue: Catalogue,
    pub agreement: Agreement,
}

impl Loaded {
    /// Open the workspace in `dir` and read its catalogue and agreement.
    pub fn open(dir: &Path) -> Result<Loaded> {
        let ws = Workspace::open(dir)?;
        let mut catalogue = Catalogue::for_workspace(&ws.dir).context("reading the workspace's catalogue")?;
        let agreement = if ws.agreement_path().exists() {
            Agreement::load(&ws, &mut catalogue).context("reading the agreement")?
        } else {
            Agreement { targets: Vec::new() }
        };
        Ok(Loaded { ws, catalogue, agreement })
    }

    /// The workspace's store of returns.
    pub fn store(&self) -> crate::store::Store {
        crate::store::Store::new(&self.ws.store_dir())
    }
}
