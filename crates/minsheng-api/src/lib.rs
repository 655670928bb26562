//! # minsheng-api
//!
//! The HTTP API of minsheng (民生), on axum: what `minsheng calc` computes,
//! reachable by payroll systems, the web page and notebooks, in the same JSON
//! schema ([`minsheng_calc::document`]). It binds to loopback by default.
//!
//! Under `/api/v1`:
//! - `GET meta`: the version, the schema version, a hash of the rule book, the years covered;
//! - `GET variables`, `GET variables/{name}`: what `minsheng vars --json` gives;
//! - `GET inputs`: the JSON Schema of situations;
//! - `POST calculate`: `{"situation": {…}, "outputs": [names], "reforms": [reform files as JSON]}`
//!   → the calculation document, baseline first, then each reform;
//! - `POST calculate/batch?outputs=a,b`: NDJSON in (a situation a line), NDJSON out (a
//!   document or an error document a line, in order);
//! - `GET parameters`, `GET parameters/{path}?at=&known_at=`, `GET parameters/diff?from=&to=`:
//!   the parameters, one's history or its value on a date as the law was known, the changes;
//! - `GET openapi.json`: the OpenAPI 3.1 description, built from the same schemas.
//!
//! Bad input is a 4xx `application/problem+json` document (RFC 9457) that
//! carries the same errors as the command line's exit 2: field, value, rule
//! and the message in Chinese and English. CPU work runs off the async
//! runtime, behind a limit of concurrent calculations; a request over the
//! limit is refused at once with 503 and `Retry-After`.

pub mod openapi;
mod problem;
mod routes;

use std::net::SocketAddr;
use std::sync::Arc;

use minsheng_cn::RuleBook;

pub use problem::Problem;
pub use routes::router;

/// What the handlers share.
pub struct AppState {
    /// The rule book.
    pub book: RuleBook,
    /// Calculations allowed at once (the rest get 503).
    pub permits: tokio::sync::Semaphore,
    /// A hash of the rule book's files: two servers with the same hash compute the same figures.
    pub rule_book_hash: String,
}

/// The largest request body read, in bytes.
pub const BODY_LIMIT: usize = 16 << 20;

/// The most persons one request may hold.
pub const MAX_PERSONS: usize = 1_000;

impl AppState {
    /// The state for the embedded rule book, with `permits` calculations at once.
    pub fn new(book: RuleBook, permits: usize) -> Arc<AppState> {
        let mut hash: u64 = 0xcbf29ce484222325;
        for file in minsheng_cn::embedded_files() {
            for b in file.path.bytes().chain(file.text.bytes()) {
                hash = (hash ^ u64::from(b)).wrapping_mul(0x100000001b3);
            }
        }
        Arc::new(AppState {
            book,
            permits: tokio::sync::Semaphore::new(permits),
            rule_book_hash: format!("{hash:016x}"),
        })
    }
}

/// Serves the API on `addr` until SIGINT or SIGTERM; requests in flight finish.
pub async fn serve(addr: SocketAddr, state: Arc<AppState>) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown()).await
}

async fn shutdown() {
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
