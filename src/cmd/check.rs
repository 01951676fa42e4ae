//! `insyn check`: what a build would find, and every internal link it would write, with
//! nothing written (the work is [`crate::check`]'s).

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{CmdError, Verbosity, report};
use crate::check::CheckReport;
use crate::check::hosts::Host;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::pipeline::BuildOptions;

/// Check the site without writing anything: the front matter of every audit, themes and
/// firms, ids and anchors, follow-ups, source files, and every internal link and anchor of
/// the pages a build would write. Exit code 1 when there is any error.
#[derive(Clone, Debug, clap::Args)]
pub struct CheckArgs {
    /// The site folder (where insyn.toml is).
    #[arg(long, short, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Also check that the site fits this static host's limits (size, files, largest file,
    /// files in one folder).
    #[arg(long, value_enum, value_name = "HOST")]
    pub host: Option<HostArg>,
}

/// `--host`: the static hosts whose limits Insyn knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum HostArg {
    GithubPages,
    CloudflarePages,
    Netlify,
    S3,
}

impl HostArg {
    /// The host this value names.
    pub fn host(self) -> Host {
        match self {
            HostArg::GithubPages => Host::GithubPages,
            HostArg::CloudflarePages => Host::CloudflarePages,
            HostArg::Netlify => Host::Netlify,
            HostArg::S3 => Host::S3,
        }
    }
}

/// Checks the site and prints what was found.
pub fn run(args: &CheckArgs, verbosity: Verbosity) -> Result<(), CmdError> {
    let options = BuildOptions {
        root: args.root.clone(),
        ..BuildOptions::default()
    };
    let mut done = crate::check::check(&options);
    if let Some(host) = args.host.map(HostArg::host) {
        host_limits(&mut done, host, &args.root);
    }
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

/// Reports what the site would publish, and each limit of `host` it breaks as an error.
fn host_limits(done: &mut CheckReport, host: Host, root: &Path) {
    if done.footprint.files == 0 {
        return; // The site did not render; its problems are reported already.
    }
    let _ = writeln!(
        std::io::stderr(),
        "The site would publish {}",
        done.footprint.summary()
    );
    let broken = done.footprint.broken(host);
    if broken.is_empty() {
        let _ = writeln!(std::io::stderr(), "It fits the limits of {}", host.name());
    }
    for sentence in broken {
        done.problems
            .push(Diagnostic::error(root.join("insyn.toml"), sentence).hint(
                "see \"Hosting\" in docs/publishing.md for what each host allows and how to deploy",
            ));
    }
}
