//! The command line: `insyn build`, `insyn init`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::build::{self, BuildError, BuildOptions};
use crate::diagnostics::{self, Diagnostic, Diagnostics};
use crate::scaffold;

/// Exit code when the site's files have problems.
pub const EXIT_CONTENT: u8 = 1;
/// Exit code for wrong use of the command line (clap uses it too).
pub const EXIT_USAGE: u8 = 2;

/// Insyn turns a folder of Markdown audit reports into a searchable, accessible static website.
#[derive(Debug, Parser)]
#[command(name = "insyn", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site: read insyn.toml and content/, write the website to the output folder.
    ///
    /// The output is written beside the output folder and swapped in only when complete, so a
    /// failed build leaves the previous site untouched. Exit code 1 when the content has errors.
    Build {
        /// The site folder (where insyn.toml is).
        #[arg(long, short, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// Where to write the site (default: output_dir of insyn.toml, normally public/).
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// The address the site will be published at, e.g. https://insyn.example.se (overrides base_url).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
    /// Create a new site in DIR: configuration, one example audit and the default theme.
    Init {
        /// The folder to create (it must not exist, or be empty).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_USAGE } else { 0 });
        }
    };
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
        } => run_build(&BuildOptions {
            root,
            output,
            base_url,
        }),
        Command::Init { dir } => run_init(&dir),
    }
}

/// Whether to colour what goes to standard error.
pub fn use_color() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

fn report(diagnostics: &Diagnostics, root: &Path) {
    let mut stderr = std::io::stderr().lock();
    diagnostics::render(diagnostics, root, use_color(), &mut stderr);
}

fn run_build(options: &BuildOptions) -> ExitCode {
    match build::build(options) {
        Ok(report_) => {
            report(&report_.warnings, &options.root);
            let _ = writeln!(
                std::io::stderr(),
                "Built {} audits ({} observations, {} recommendations) into {} pages in {} in {:.2} s",
                report_.audits,
                report_.observations,
                report_.recommendations,
                report_.pages,
                report_.output.display(),
                report_.elapsed.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(BuildError::Content(problems)) => {
            report(&problems, &options.root);
            let n = problems.error_count();
            let _ = writeln!(
                std::io::stderr(),
                "error: the build found {n} problem{} and wrote nothing; the previous site is unchanged",
                if n == 1 { "" } else { "s" }
            );
            ExitCode::from(EXIT_CONTENT)
        }
    }
}

fn run_init(dir: &Path) -> ExitCode {
    match scaffold::init(dir) {
        Ok(()) => {
            let _ = writeln!(
                std::io::stderr(),
                "Created a new Insyn site in {}.\nBuild it with:  insyn build --root {}",
                dir.display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(message) => {
            let d = Diagnostic::error(dir, message);
            report(&Diagnostics::from_iter([d]), Path::new("."));
            ExitCode::from(EXIT_USAGE)
        }
    }
}
