//! `insyn check`: what a build would find, and every internal link it would write, with
//! nothing written (the work is [`crate::check`]'s).

use std::io::Write;
use std::path::PathBuf;

use super::{CmdError, Verbosity, report};
use crate::diagnostics::Diagnostics;
use crate::pipeline::BuildOptions;

/// Check the site without writing anything: the front matter of every audit, themes and
/// firms, ids and anchors, follow-ups, source files, and every internal link and anchor of
/// the pages a build would write. Exit code 1 when there is any error.
#[derive(Clone, Debug, clap::Args)]
pub struct CheckArgs {
    /// The site folder (where insyn.toml is).
    #[arg(long, short, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

/// Checks the site and prints what was found.
pub fn run(args: &CheckArgs, verbosity: Verbosity) -> Result<(), CmdError> {
    let options = BuildOptions {
        root: args.root.clone(),
        ..BuildOptions::default()
    };
    let done = crate::check::check(&options);
    let shown: Diagnostics = done
        .problems
        .iter()
        .filter(|d| d.is_error() || verbosity != Verbosity::Quiet)
        .cloned()
        .collect();
    report(&shown, &args.root);
    let errors = done.problems.error_count();
    if errors > 0 {
        return Err(CmdError::Content(format!(
            "{errors} problem{} found",
            if errors == 1 { "" } else { "s" }
        )));
    }
    if verbosity != Verbosity::Quiet {
        let _ = writeln!(
            std::io::stderr(),
            "Checked {} audits, {} pages and {} internal links: no problems",
            done.audits,
            done.pages,
            done.links
        );
    }
    Ok(())
}
