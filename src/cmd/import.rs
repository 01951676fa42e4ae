//! `insyn import`: a report's PDF or extracted text as a new draft audit (the work is
//! [`crate::import`]'s).

use std::io::Write;
use std::path::PathBuf;

use super::{CmdError, Verbosity};
use crate::import::{self, Import};

/// Import a report: a PDF, or its text as a .txt file, becomes a draft audit
/// (content/<municipality>/<id>.md, `draft: true`) with the text beside it as its source
/// text. Every guess is marked `# review:`; `insyn check` lists them. Nothing is overwritten,
/// and nothing is written when the file cannot be read.
#[derive(Clone, Debug, clap::Args)]
pub struct ImportArgs {
    /// The report: a PDF, or a plain-text extraction of one (.txt, UTF-8).
    pub file: PathBuf,
    /// The municipality audited, e.g. "Jönköping" (default: read from the report).
    #[arg(long)]
    pub municipality: Option<String>,
    /// The audit firm: a key or a name from insyn.toml [auditors] (default: read from the report).
    #[arg(long)]
    pub auditor: Option<String>,
    /// The site folder (where insyn.toml is).
    #[arg(long, short, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

/// Imports the report and prints the draft's path.
pub fn run(args: ImportArgs, verbosity: Verbosity) -> Result<(), CmdError> {
    let import = Import {
        root: args.root,
        file: args.file,
        municipality: args.municipality,
        auditor: args.auditor,
    };
    let done = import::import(&import).map_err(CmdError::Content)?;
    let _ = writeln!(
        std::io::stdout(),
        "{}",
        import.root.join(&done.audit).display()
    );
    if verbosity != Verbosity::Quiet {
        let _ = writeln!(
            std::io::stderr(),
            "Wrote a draft with {} review markers and its source text {}; `insyn check` lists what to review, `insyn serve` shows it",
            done.reviews,
            import.root.join(&done.source_text).display()
        );
    }
    Ok(())
}
