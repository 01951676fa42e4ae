//! `insyn serve`: the site previewed from memory, rebuilt on every change (the server is
//! [`crate::serve`]'s).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use super::{CmdError, use_color};

/// Preview the site: build it into memory, serve it, and rebuild and reload the open page
/// on every change to content, templates, theme, static files or configuration.
#[derive(Clone, Debug, clap::Args)]
pub struct ServeArgs {
    /// The site folder (where insyn.toml is).
    #[arg(long, short, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// The port (0 picks a free one).
    #[arg(long, default_value_t = 1111)]
    pub port: u16,
    /// The address to listen on; the default keeps the preview on this machine.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// Serves until the process is stopped. A site with errors is served as an error page until
/// it builds, so the only failures are the machine's: the port, the address, the watcher.
pub fn run(args: &ServeArgs) -> Result<(), CmdError> {
    let address = SocketAddr::new(args.bind, args.port);
    crate::serve::serve(&args.root, address, args.open, use_color()).map_err(CmdError::Environment)
}
