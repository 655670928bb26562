//! `minsheng serve`: the HTTP API (`minsheng-api`) on loopback.

use std::net::SocketAddr;

use minsheng_cn::RuleBook;

use crate::error::CliError;

/// Arguments of `minsheng serve`.
#[derive(clap::Args)]
pub struct ServeArgs {
    /// The address to listen on (loopback by default; another address is served with a warning).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
    /// Calculations at once; more are refused with 503 and Retry-After (default: the cores).
    #[arg(long)]
    concurrency: Option<usize>,
}

/// Runs `minsheng serve` until SIGINT or SIGTERM.
pub fn run(book: RuleBook, args: &ServeArgs) -> Result<String, CliError> {
    if !args.addr.ip().is_loopback() {
        eprintln!("warning: serving on {}, reachable from other machines; the API has no authentication", args.addr);
    }
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let permits = args.concurrency.unwrap_or(cores).clamp(1, 4 * cores);
    let state = minsheng_api::AppState::new(book, permits);
    let runtime =
        tokio::runtime::Runtime::new().map_err(|e| CliError::Internal(format!("starting the server: {e}")))?;
    eprintln!("minsheng serve: http://{}/api/v1/meta ({permits} calculations at once; Ctrl-C stops)", args.addr);
    runtime
        .block_on(minsheng_api::serve(args.addr, state))
        .map_err(|e| CliError::Input(format!("--addr {}: {e}", args.addr)))?;
    Ok(String::new())
}
