//! The command line: `insyn build`, `insyn init`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::build::{self, BuildError, BuildOptions};
use crate::check;
use crate::diagnostics::{self, Diagnostic, Diagnostics};
use crate::scaffold::{
    self,
    new_audit::{self, NewAudit},
};
use crate::search::{self, command::SearchArgs};
use crate::serve::{self, ServeOptions};

/// Exit code when the site's files have problems.
pub const EXIT_CONTENT: u8 = 1;
/// Exit code for wrong use of the command line (clap uses it too).
pub const EXIT_USAGE: u8 = 2;

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
    /// Search the whole text of a site's reports: observations, recommendations, summaries
    /// and every other paragraph, list item, table row and question.
    ///
    /// Passages holding all the words come first (inflected forms and compound words
    /// included); when none does, those holding most of them. A word found nowhere is read
    /// as the closest indexed word. "exact phrases", OR, -exclusion and prefix* work as in
    /// the browser. With --json, prints one JSON array of hits, best first (fields: audit,
    /// title, municipality, county, auditor, year, date, kind, report_type, status, item,
    /// anchor, section, editorial, question, themes, url, text, snippet, score).
    Search {
        /// What to search for, e.g. "informationssäkerhet" or '"styrning av IT" -skola'.
        #[arg(value_name = "QUERY")]
        query: String,
        /// The site folder: its content is indexed on the fly.
        #[arg(
            long,
            short,
            default_value = ".",
            value_name = "DIR",
            conflicts_with = "index"
        )]
        root: PathBuf,
        /// A built index instead: an output folder (public/), its search/ folder or an index file.
        #[arg(long, value_name = "DIR")]
        index: Option<PathBuf>,
        /// Only these municipalities (name or slug; repeat for several).
        #[arg(long, value_name = "M")]
        municipality: Vec<String>,
        /// Only these audit firms (key or name).
        #[arg(long, value_name = "A")]
        auditor: Vec<String>,
        /// Only these themes (key).
        #[arg(long, value_name = "T")]
        theme: Vec<String>,
        /// Only this year.
        #[arg(long, value_name = "Y", conflicts_with_all = ["from", "to"])]
        year: Option<u64>,
        /// From this year on.
        #[arg(long, value_name = "Y")]
        from: Option<u64>,
        /// Up to this year.
        #[arg(long, value_name = "Y")]
        to: Option<u64>,
        /// Only this kind of passage.
        #[arg(long, value_enum)]
        kind: Vec<KindArg>,
        /// Only this report type (granskning, "fördjupad granskning", förstudie, uppföljning).
        #[arg(long, value_name = "TYPE")]
        report_type: Vec<String>,
        /// Only recommendations with this follow-up status (öppen, "åtgärd beslutad", genomförd, "ej genomförd").
        #[arg(long, value_name = "STATUS")]
        status: Vec<String>,
        /// Newest first instead of best first.
        #[arg(long)]
        by_date: bool,
        /// How many hits to print (at least 1).
        #[arg(long, default_value_t = 10, value_name = "N",
              value_parser = clap::builder::RangedU64ValueParser::<usize>::new().range(1..))]
        limit: usize,
        /// Print a JSON array of hits (a stable contract for scripts).
        #[arg(long)]
        json: bool,
    },
    /// Check the site without writing anything: the front matter of every audit, themes and
    /// firms, ids and anchors, follow-ups, source files, and every internal link and anchor of
    /// the pages a build would write. Exit code 1 when there is any error.
    Check {
        /// The site folder (where insyn.toml is).
        #[arg(long, short, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
    /// Preview the site: build it into memory, serve it, and rebuild and reload the open page
    /// on every change to content, templates, theme, static files or configuration.
    Serve {
        /// The site folder (where insyn.toml is).
        #[arg(long, short, default_value = ".", value_name = "DIR")]
        root: PathBuf,
        /// The port (0 picks a free one).
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// The address to listen on; the default keeps the preview on this machine.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
    },
    /// Create new content.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Create a new site in DIR: configuration, one example audit and the default theme.
    Init {
        /// The folder to create (it must not exist, or be empty).
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// A new audit file with the full front-matter template and the usual sections.
    Audit {
        /// The municipality audited, e.g. "Jönköping".
        #[arg(long)]
        municipality: String,
        /// The audit firm: a key or a name from insyn.toml [auditors].
        #[arg(long)]
        auditor: String,
        /// The report's title.
        #[arg(long)]
        title: String,
        /// The report's date (YYYY-MM-DD; default: today).
        #[arg(long)]
        date: Option<crate::model::Date>,
        /// The site folder (where insyn.toml is).
        #[arg(long, short, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
}

/// The kinds of passage, for `--kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    Observation,
    Recommendation,
    Summary,
    /// Any other passage of a report ("Rapporttext").
    Text,
}

impl KindArg {
    fn key(self) -> &'static str {
        match self {
            KindArg::Observation => "observation",
            KindArg::Recommendation => "recommendation",
            KindArg::Summary => "summary",
            KindArg::Text => "text",
        }
    }
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
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    match cli.command {
        Command::Build {
            root,
            output,
            base_url,
        } => run_build(
            &BuildOptions {
                root,
                output,
                base_url,
            },
            verbosity,
        ),
        Command::Check { root } => run_check(&root, verbosity),
        Command::Serve {
            root,
            port,
            bind,
            open,
        } => run_serve(&ServeOptions {
            root,
            bind,
            port,
            open,
        }),
        Command::New {
            what:
                NewCommand::Audit {
                    municipality,
                    auditor,
                    title,
                    date,
                    root,
                },
        } => run_new_audit(&NewAudit {
            root,
            municipality,
            auditor,
            title,
            date: date.unwrap_or_else(crate::model::Date::today),
        }),
        Command::Init { dir } => run_init(&dir),
        Command::Search {
            query,
            root,
            index,
            municipality,
            auditor,
            theme,
            year,
            from,
            to,
            kind,
            report_type,
            status,
            by_date,
            limit,
            json,
        } => run_search(&SearchArgs {
            query,
            root,
            index,
            municipality,
            auditor,
            theme,
            kind: kind.into_iter().map(|k| k.key().to_string()).collect(),
            report_type,
            status,
            year,
            from,
            to,
            sort_by_date: by_date,
            limit,
            json,
        }),
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

impl build::Progress for Bar {
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

fn run_build(options: &BuildOptions, verbosity: Verbosity) -> ExitCode {
    let bar = Bar::new(verbosity);
    match build::build_with(options, &bar) {
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
        Err(BuildError::Output(problem)) => {
            report(&Diagnostics::from_iter([problem]), &options.root);
            let _ = writeln!(
                std::io::stderr(),
                "error: the new site could not be swapped in; the previous site is kept where the message above says"
            );
            ExitCode::from(EXIT_CONTENT)
        }
    }
}

fn run_check(root: &Path, verbosity: Verbosity) -> ExitCode {
    let options = BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    };
    let done = check::check(&options);
    let shown: Diagnostics = done
        .problems
        .iter()
        .filter(|d| d.is_error() || verbosity != Verbosity::Quiet)
        .cloned()
        .collect();
    report(&shown, root);
    let errors = done.problems.error_count();
    if errors > 0 {
        let _ = writeln!(
            std::io::stderr(),
            "error: {errors} problem{} found",
            if errors == 1 { "" } else { "s" }
        );
        return ExitCode::from(EXIT_CONTENT);
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
    ExitCode::SUCCESS
}

fn run_serve(options: &ServeOptions) -> ExitCode {
    match serve::serve(options, use_color()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "error: {message}");
            ExitCode::from(EXIT_CONTENT)
        }
    }
}

fn run_new_audit(new: &NewAudit) -> ExitCode {
    match new_audit::create(new) {
        Ok(rel) => {
            println!("{}", new.root.join(rel).display());
            ExitCode::SUCCESS
        }
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "error: {message}");
            ExitCode::from(EXIT_CONTENT)
        }
    }
}

fn run_search(args: &SearchArgs) -> ExitCode {
    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    match search::command::run(args, color) {
        Ok(text) => {
            let _ = std::io::stdout().write_all(text.as_bytes());
            ExitCode::SUCCESS
        }
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "error: {message}");
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

/// The process's resident memory in MB, where the system tells (Linux).
fn resident_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024)
}
