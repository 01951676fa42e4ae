//! `insyn build`: the site written to its output folder, swapped in only when complete.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use super::{CmdError, Verbosity, report};
use crate::diagnostics::Diagnostics;
use crate::pipeline::{self, BuildError, BuildOptions};

/// Build the site: read insyn.toml and content/, write the website to the output folder.
///
/// The output is written beside the output folder and swapped in only when complete, so a
/// failed build leaves the previous site untouched. Exit code 1 when the content has errors.
#[derive(Clone, Debug, clap::Args)]
pub struct BuildArgs {
    /// The site folder (where insyn.toml is).
    #[arg(long, short, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// Where to write the site (default: output_dir of insyn.toml, normally public/).
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// The address the site will be published at, e.g. https://insyn.example.se (overrides base_url).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Build drafts too (audits with `draft: true`), as `insyn serve` does.
    #[arg(long)]
    pub drafts: bool,
}

/// The command line's options as the pipeline takes them (the one place they are copied).
impl From<BuildArgs> for BuildOptions {
    fn from(args: BuildArgs) -> BuildOptions {
        BuildOptions {
            root: args.root,
            output: args.output,
            base_url: args.base_url,
            drafts: args.drafts,
        }
    }
}

/// Builds the site and says what was built.
pub fn run(args: BuildArgs, verbosity: Verbosity) -> Result<(), CmdError> {
    let options = BuildOptions::from(args);
    let bar = Bar::new(verbosity);
    match pipeline::build_with(&options, &bar) {
        Ok(done) => {
            if verbosity != Verbosity::Quiet {
                report(&done.warnings, &options.root);
                let _ = writeln!(
                    std::io::stderr(),
                    "Built {} audits ({} observations, {} recommendations) into {} pages and a {:.0} KB search index in {:.2} s: {}",
                    done.audits,
                    done.observations,
                    done.recommendations,
                    done.pages,
                    done.index_bytes as f64 / 1024.0,
                    done.elapsed.as_secs_f64(),
                    done.output.display(),
                );
            }
            if verbosity == Verbosity::Verbose {
                let _ = writeln!(
                    std::io::stderr(),
                    "  kept for later stages in a temporary file (page cache, not the heap): {} MB",
                    done.spilled_bytes >> 20
                );
            }
            Ok(())
        }
        Err(BuildError::Content(problems)) => {
            report(&problems, &options.root);
            let n = problems.error_count();
            Err(CmdError::Content(format!(
                "the build found {n} problem{} and wrote nothing; the previous site is unchanged",
                if n == 1 { "" } else { "s" }
            )))
        }
        Err(BuildError::Output(problem)) => {
            report(&Diagnostics::from_iter([problem]), &options.root);
            Err(CmdError::Environment(
                "the new site could not be swapped in; the previous site is kept where the message above says"
                    .to_string(),
            ))
        }
    }
}

/// A progress bar on a terminal; nothing elsewhere (logs stay clean). With `--verbose`,
/// how long each stage took.
struct Bar(Option<indicatif::ProgressBar>, Verbosity);

impl Bar {
    fn new(verbosity: Verbosity) -> Bar {
        let show = verbosity != Verbosity::Quiet && std::io::stderr().is_terminal();
        Bar(
            show.then(|| {
                let bar = indicatif::ProgressBar::hidden();
                bar.set_style(
                    indicatif::ProgressStyle::with_template("{prefix} {bar:30} {pos}/{len} pages")
                        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                );
                bar.set_prefix("Rendering");
                bar
            }),
            verbosity,
        )
    }
}

impl pipeline::Progress for Bar {
    fn start(&self, pages: usize) {
        if let Some(bar) = &self.0 {
            bar.set_length(pages as u64);
            bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
        }
    }

    fn page(&self) {
        if let Some(bar) = &self.0 {
            bar.inc(1);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }

    fn stage(&self, name: &'static str, elapsed: std::time::Duration) {
        if self.1 == Verbosity::Verbose {
            let line = format!(
                "  {name}: {:.0} ms{}",
                elapsed.as_secs_f64() * 1e3,
                resident_memory().map_or(String::new(), |mb| format!(" (memory in use: {mb} MB)"))
            );
            match &self.0 {
                Some(bar) => bar.println(line),
                None => {
                    let _ = writeln!(std::io::stderr(), "{line}");
                }
            }
        }
    }
}

/// The process's resident memory in MB, where the system tells (Linux).
fn resident_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}
