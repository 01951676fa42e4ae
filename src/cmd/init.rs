//! `insyn init`: a new site that builds as it is (the files are [`crate::scaffold`]'s).

use std::io::Write;
use std::path::PathBuf;

use super::CmdError;

/// Create a new site in DIR: configuration, one example audit, the default theme and a
/// GitHub Actions workflow that publishes the site on GitHub Pages.
#[derive(Clone, Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to create (it must not exist, or be empty).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// Creates the site and says how to build it.
pub fn run(args: &InitArgs) -> Result<(), CmdError> {
    let dir = &args.dir;
    crate::scaffold::init(dir)
        .map_err(|message| CmdError::Usage(format!("{}: {message}", dir.display())))?;
    let _ = writeln!(
        std::io::stderr(),
        "Created a new Insyn site in {}.\nBuild it with:  insyn build --root {}\n\
         To publish it on GitHub Pages, set INSYN_GIT in {} (see its comments).",
        dir.display(),
        dir.display(),
        dir.join(crate::scaffold::WORKFLOW_PATH).display()
    );
    Ok(())
}
