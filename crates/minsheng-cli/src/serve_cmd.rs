//! `minsheng serve`: the HTTP API (`minsheng-api`) on loopback.

use std::net::SocketAddr;
use std::time::Duration;

use minsheng_api::{JobLimits, Limits};
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
    /// The longest a calculation may take, in seconds (and the longest a request body may pause).
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Population runs queued or running at once; more are refused with 503.
    #[arg(long, default_value_t = 4)]
    max_jobs: usize,
    /// The most persons one population run may sample.
    #[arg(long, default_value_t = 20_000_000)]
    max_population: usize,
    /// The longest a population run may compute, in seconds, before it is stopped.
    #[arg(long, default_value_t = 600)]
    job_time: u64,
    /// Allow calls from a web page at this origin (CORS; repeat for several). Without it CORS is off.
    #[arg(long, value_name = "ORIGIN")]
    cors_origin: Vec<String>,
    /// Log lines as JSON (one object a line, for log collectors) or as text. The level is set
    /// by MINSHENG_LOG (default `info`; `warn` logs only problems).
    #[arg(long, value_enum, default_value_t = LogFormat::Json)]
    log_format: LogFormat,
}

/// The choices of `--log-format`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, clap::ValueEnum)]
enum LogFormat {
    Json,
    Text,
}

/// Runs `minsheng serve` until SIGINT or SIGTERM.
pub fn run(book: RuleBook, args: &ServeArgs) -> Result<String, CliError> {
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let bad =
        |flag: &str, value: &dyn std::fmt::Display, rule: &str| Err(CliError::Input(format!("{flag} {value}: {rule}")));
    if let Some(n) = args.concurrency.filter(|&n| n == 0 || n > 4 * cores) {
        return bad("--concurrency", &n, &format!("give 1 to {} (four times the {cores} cores)", 4 * cores));
    }
    if args.timeout == 0 || args.timeout > 3600 {
        return bad("--timeout", &args.timeout, "give 1 to 3600 seconds");
    }
    if args.max_jobs == 0 || args.max_jobs > 64 {
        return bad("--max-jobs", &args.max_jobs, "give 1 to 64");
    }
    if args.max_population == 0 || args.max_population > 2_000_000_000 {
        return bad("--max-population", &args.max_population, "give 1 to 2,000,000,000 persons");
    }
    if args.job_time == 0 {
        return bad("--job-time", &args.job_time, "give at least 1 second");
    }
    for origin in &args.cors_origin {
        if !(origin.starts_with("http://") || origin.starts_with("https://")) || origin.ends_with('/') {
            return bad("--cors-origin", origin, "an origin such as https://example.org (scheme and host, no path)");
        }
    }
    init_logs(args.log_format);
    if !args.addr.ip().is_loopback() {
        tracing::warn!(addr = %args.addr, "serving beyond loopback: reachable from other machines, and the API has no authentication");
    }
    let concurrency = args.concurrency.unwrap_or(cores);
    let limits = Limits {
        concurrency,
        timeout: Duration::from_secs(args.timeout),
        jobs: JobLimits {
            queued: args.max_jobs,
            max_persons: args.max_population,
            time: Duration::from_secs(args.job_time),
            ..JobLimits::default()
        },
        cors_origins: args.cors_origin.clone(),
    };
    let state = minsheng_api::AppState::new(book, limits);
    let runtime =
        tokio::runtime::Runtime::new().map_err(|e| CliError::Internal(format!("starting the server: {e}")))?;
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind(args.addr)
            .await
            .map_err(|e| CliError::Input(format!("--addr {}: {e}", args.addr)))?;
        eprintln!(
            "minsheng serve: http://{}/api/v1/meta ({concurrency} calculations at once; Ctrl-C stops)",
            args.addr
        );
        minsheng_api::serve(listener, state, minsheng_api::signal())
            .await
            .map_err(|e| CliError::Internal(format!("serving: {e}")))
    })?;
    Ok(String::new())
}

/// Logs to standard error, filtered by MINSHENG_LOG.
fn init_logs(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MINSHENG_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(true).with_span_list(false).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}
