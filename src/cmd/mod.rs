//! The command line: the top-level parser, and its dispatch to one module a command
//! (`build`, `check`, `serve`, `search`, `new`, `import`, `init`), each with its options and `run`.
//! Failures are [`CmdError`]s, which become exit codes in one place.

pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod new;
pub mod search;
pub mod serve;

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::diagnostics::{self, Diagnostics};

/// Insyn turns a folder of Markdown audit reports into a searchable, accessible static website.
#[derive(Debug, Parser)]
#[command(name = "insyn", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Print only errors.
    #[arg(long, short, global = true, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more: warnings, and what each step did.
    #[arg(long, short, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// How much to print.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verbosity {
    Quiet,
    Normal,
    Verbose,
}

/// The commands; each one's help is the doc comment of its options.
#[derive(Debug, Subcommand)]
pub enum Command {
    Build(build::BuildArgs),
    Search(search::SearchArgs),
    Check(check::CheckArgs),
    Serve(serve::ServeArgs),
    New(new::NewArgs),
    Import(import::ImportArgs),
    Init(init::InitArgs),
}

/// Why a command failed. [`CmdError::exit_code`] is the one place a failure becomes the
/// process's exit code:
///
/// - **0**: the command did what it was asked (or printed `--help` or `--version`);
/// - **1** ([`CmdError::Content`]): problems in what the command reads: the site's content or
///   configuration has errors, `check` found problems, a search index is missing or damaged,
///   `new audit` or `import` was refused (an unreadable report, an unknown firm);
/// - **2** ([`CmdError::Usage`]): wrong use of the command line (clap's own errors exit with
///   it too), or `init` into a folder that is not empty;
/// - **3** ([`CmdError::Environment`]): the machine failed the command: the `serve` port is
///   taken or its address is not available, the site's files cannot be watched, or the new
///   site could not be swapped in for the previous one.
///
/// Each variant holds the message printed after `error: ` on standard error; the details
/// (diagnostics with their files and lines) are printed by the command before it returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CmdError {
    Content(String),
    Usage(String),
    Environment(String),
}

impl CmdError {
    /// Exit code for problems in what a command reads.
    pub const EXIT_CONTENT: u8 = 1;
    /// Exit code for wrong use of the command line.
    pub const EXIT_USAGE: u8 = 2;
    /// Exit code for a failure of the machine (I/O, network) rather than of the site.
    pub const EXIT_ENVIRONMENT: u8 = 3;

    /// The process exit code of this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            CmdError::Content(_) => Self::EXIT_CONTENT,
            CmdError::Usage(_) => Self::EXIT_USAGE,
            CmdError::Environment(_) => Self::EXIT_ENVIRONMENT,
        }
    }

    /// What went wrong, in a sentence.
    pub fn message(&self) -> &str {
        match self {
            CmdError::Content(m) | CmdError::Usage(m) | CmdError::Environment(m) => m,
        }
    }
}

impl std::fmt::Display for CmdError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for CmdError {}

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                CmdError::EXIT_USAGE
            } else {
                0
            });
        }
    };
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    let result = match cli.command {
        Command::Build(args) => build::run(args, verbosity),
        Command::Search(args) => search::run(&args),
        Command::Check(args) => check::run(&args, verbosity),
        Command::Serve(args) => serve::run(&args),
        Command::New(args) => new::run(args),
        Command::Import(args) => import::run(args, verbosity),
        Command::Init(args) => init::run(&args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let _ = writeln!(std::io::stderr(), "error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

/// Whether to colour what goes to standard error.
pub fn use_color() -> bool {
    std::io::stderr().is_terminal() && no_color_unset()
}

/// Whether `NO_COLOR` leaves colour allowed.
fn no_color_unset() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Prints `diagnostics` on standard error, with their source lines read under `root`.
fn report(diagnostics: &Diagnostics, root: &Path) {
    let mut stderr = std::io::stderr().lock();
    diagnostics::render(diagnostics, root, use_color(), &mut stderr);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_of_failure_has_its_own_exit_code() {
        let codes = [
            CmdError::Content(String::new()).exit_code(),
            CmdError::Usage(String::new()).exit_code(),
            CmdError::Environment(String::new()).exit_code(),
        ];
        assert_eq!(codes, [1, 2, 3]);
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
