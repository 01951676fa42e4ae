//! `insyn new audit`: a new audit file in a site (the file is [`crate::scaffold::new_audit`]'s).

use std::io::Write;
use std::path::PathBuf;

use super::CmdError;
use crate::model::Date;
use crate::scaffold::new_audit::{self, NewAudit};

/// Create new content.
#[derive(Clone, Debug, clap::Args)]
pub struct NewArgs {
    #[command(subcommand)]
    pub what: NewCommand,
}

#[derive(Clone, Debug, clap::Subcommand)]
pub enum NewCommand {
    Audit(NewAuditArgs),
}

/// A new audit file with the full front-matter template and the usual sections.
#[derive(Clone, Debug, clap::Args)]
pub struct NewAuditArgs {
    /// The municipality audited, e.g. "Jönköping".
    #[arg(long)]
    pub municipality: String,
    /// The audit firm: a key or a name from insyn.toml [auditors].
    #[arg(long)]
    pub auditor: String,
    /// The report's title.
    #[arg(long)]
    pub title: String,
    /// The report's date (YYYY-MM-DD; default: today).
    #[arg(long)]
    pub date: Option<Date>,
    /// The site folder (where insyn.toml is).
    #[arg(long, short, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
}

/// The command line's options as the scaffold takes them (the one place they are copied).
impl From<NewAuditArgs> for NewAudit {
    fn from(args: NewAuditArgs) -> NewAudit {
        NewAudit {
            root: args.root,
            municipality: args.municipality,
            auditor: args.auditor,
            title: args.title,
            date: args.date.unwrap_or_else(Date::today),
        }
    }
}

/// Creates the new content and prints its path.
pub fn run(args: NewArgs) -> Result<(), CmdError> {
    match args.what {
        NewCommand::Audit(args) => {
            let new = NewAudit::from(args);
            let rel = new_audit::create(&new).map_err(CmdError::Content)?;
            let _ = writeln!(std::io::stdout(), "{}", new.root.join(rel).display());
            Ok(())
        }
    }
}
