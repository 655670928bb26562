//! # minsheng-api
//!
//! The HTTP API of minsheng (民生), on axum: what `minsheng calc` and
//! `minsheng sim` compute, reachable by payroll systems, the web page and
//! notebooks, in the same JSON schema ([`minsheng_calc::document`]). It binds
//! to loopback by default.
//!
//! Under `/api/v1`:
//! - `GET meta`: the version, the schema version, a hash of the rule book, the years covered;
//! - `GET variables`, `GET variables/{name}`: what `minsheng vars --json` gives;
//! - `GET inputs`: the JSON Schema of situations;
//! - `GET reforms`: the shipped reforms, by name;
//! - `POST calculate`: `{"situation": {…}, "outputs": [names], "reforms": [names or reforms],
//!   "explain": [{"variable", "entity", "period"}], "axes": {"input", "from", "to", "step"}}`
//!   → the calculation document, baseline first, then each reform, with the explanations and
//!   the axis asked for;
//! - `POST calculate/batch?outputs=a,b&reforms=name`: NDJSON in (a situation a line), NDJSON
//!   out (a document or an error document a line, in order), both streamed;
//! - `POST simulations`, `GET simulations[/{id}]`, `DELETE simulations/{id}`: population runs
//!   as jobs ([`jobs`]);
//! - `GET parameters`, `GET parameters/{path}?at=&known_at=`, `GET parameters/diff?from=&to=`:
//!   the parameters, one's history or its value on a date as the law was known, the changes;
//! - `GET openapi.json`: the OpenAPI 3.1 description, built from the same schemas.
//!
//! and the web application (民生计算器) at `/` (Chinese) and `/en` (English), its
//! assets embedded ([`web`](crate) routes under `/assets/`).
//!
//! Bad input is a 4xx `application/problem+json` document (RFC 9457) that
//! carries the same errors as the command line's exit 2: field, value, rule
//! and the message in Chinese and English. CPU work runs off the async
//! runtime, behind a limit of concurrent calculations; a request over the
//! limit is refused at once with 503 and `Retry-After`. Every response
//! carries an `x-request-id`, which problem documents repeat and the logs
//! (structured, through `tracing`) name.

mod calculate;
pub mod jobs;
pub mod openapi;
mod pension;
mod problem;
mod routes;
mod web;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use minsheng_cn::RuleBook;

pub use jobs::JobLimits;
pub use problem::Problem;
pub use routes::router;

/// What a server allows.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Calculations at once (the rest get 503).
    pub concurrency: usize,
    /// The longest a calculation may take, and the longest a request body may pause.
    pub timeout: Duration,
    /// Bounds on population runs.
    pub jobs: JobLimits,
    /// Origins allowed to call the API from a browser (CORS); none: CORS is off.
    pub cors_origins: Vec<String>,
}

impl Limits {
    /// The defaults with `concurrency` calculations at once.
    pub fn new(concurrency: usize) -> Limits {
        Limits { concurrency, timeout: Duration::from_secs(30), jobs: JobLimits::default(), cors_origins: Vec::new() }
    }
}

/// What the handlers share.
pub struct AppState {
    /// The rule book.
    pub book: Arc<RuleBook>,
    /// The calculation slots.
    pub permits: Arc<tokio::sync::Semaphore>,
    /// A hash of the rule book's files: two servers with the same hash compute the same figures.
    pub rule_book_hash: String,
    /// What the server allows.
    pub limits: Limits,
    /// The population runs.
    pub jobs: jobs::Jobs,
}

/// The largest request body read, in bytes (a batch streams and may be larger: [`BATCH_BODY_LIMIT`]).
pub const BODY_LIMIT: usize = 16 << 20;

/// The largest batch body, in bytes (read and answered as a stream).
pub const BATCH_BODY_LIMIT: usize = 4 << 30;

/// The most persons one `calculate` request may hold.
pub const MAX_PERSONS: usize = 1_000;

impl AppState {
    /// The state for `book` under `limits`.
    pub fn new(book: RuleBook, limits: Limits) -> Arc<AppState> {
        let mut hash: u64 = 0xcbf29ce484222325;
        for file in minsheng_cn::embedded_files() {
            for b in file.path.bytes().chain(file.text.bytes()) {
                hash = (hash ^ u64::from(b)).wrapping_mul(0x100000001b3);
            }
        }
        Arc::new(AppState {
            book: Arc::new(book),
            permits: Arc::new(tokio::sync::Semaphore::new(limits.concurrency)),
            rule_book_hash: format!("{hash:016x}"),
            jobs: jobs::Jobs::new(limits.jobs.clone()),
            limits,
        })
    }
}

/// Runs CPU work off the async runtime in one of the calculation slots, or
/// refuses at once (503) when every slot is taken. The slot is held until
/// the work ends, even when the caller has stopped waiting (a timeout, a
/// client gone), so the limit counts the work really running.
pub(crate) async fn blocking<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(&AppState) -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    let permit = Arc::clone(&state.permits).try_acquire_owned().map_err(|_| Problem::busy())?;
    let worker = Arc::clone(state);
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        work(&worker)
    });
    match tokio::time::timeout(state.limits.timeout, task).await {
        Ok(Ok(done)) => done,
        Ok(Err(e)) => Err(Problem::internal(format!("the calculation stopped: {e}"))),
        Err(_) => Err(Problem::timed_out(state.limits.timeout.as_secs())),
    }
}

/// Serves the API on `listener` until `shutdown` completes: requests in
/// flight finish, population runs are cancelled and their runner joined, so
/// nothing is left running or half-recorded.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: Arc<AppState>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let jobs = Arc::clone(&state);
    let stop = async move {
        shutdown.await;
        tracing::info!("shutting down: finishing requests in flight, cancelling population runs");
        let _ = tokio::task::spawn_blocking(move || jobs.jobs.shut_down()).await;
    };
    axum::serve(listener, router(state)).with_graceful_shutdown(stop).await
}

/// Completes on SIGINT or SIGTERM.
pub async fn signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}
