//! The endpoints under `/api/v1`.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{HeaderName, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use minsheng_core::InputError;
use serde_json::{Value as Json, json};
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::RequestBodyTimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::{AppState, BATCH_BODY_LIMIT, BODY_LIMIT, Problem, calculate, jobs};

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The API's routes over `state`, with its limits, request ids, logs and (if configured) CORS.
pub fn router(state: Arc<AppState>) -> Router {
    let read = Router::new()
        .route("/api/v1/meta", get(meta))
        .route("/api/v1/variables", get(variables))
        .route("/api/v1/variables/{name}", get(variable))
        .route("/api/v1/inputs", get(inputs))
        .route("/api/v1/reforms", get(reforms))
        .route("/api/v1/views", get(views))
        .route("/api/v1/calculate", post(calculate::calculate))
        .route("/api/v1/pension/projection", post(crate::pension::projection))
        .route("/api/v1/simulations", post(jobs::create).get(jobs::list))
        .route("/api/v1/simulations/{id}", get(jobs::get).delete(jobs::cancel))
        .route("/api/v1/parameters", get(parameters))
        .route("/api/v1/parameters/diff", get(parameters_diff))
        .route("/api/v1/parameters/{path}", get(parameter))
        .route("/api/v1/openapi.json", get(openapi))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT));
    // A batch is read and answered as a stream: its own, larger limit.
    let streamed = Router::new()
        .route("/api/v1/calculate/batch", post(calculate::batch))
        .layer(RequestBodyLimitLayer::new(BATCH_BODY_LIMIT));
    let mut app = read
        .merge(streamed)
        .merge(crate::web::routes())
        .fallback(|| async { Problem::not_found("no such endpoint; see /api/v1/meta") })
        // One limit, ours, in place of axum's 2 MB default for extracted bodies.
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyTimeoutLayer::new(state.limits.timeout))
        .layer(axum::middleware::from_fn(stamp_problems));
    if !state.limits.cors_origins.is_empty() {
        let origins: Vec<HeaderValue> =
            state.limits.cors_origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
        app = app.layer(
            CorsLayer::new()
                .allow_origin(AllowOrigin::list(origins))
                .allow_methods([Method::GET, Method::POST, Method::DELETE])
                .allow_headers([header::CONTENT_TYPE])
                .expose_headers([REQUEST_ID, header::RETRY_AFTER, header::LOCATION]),
        );
    }
    app.layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request| {
                    let id = request.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).unwrap_or("");
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path(), id = %id)
                })
                .on_response(
                    DefaultOnResponse::new().level(tracing::Level::INFO).latency_unit(tower_http::LatencyUnit::Micros),
                ),
        )
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

/// Puts the request's id into every problem document, so that a user
/// reporting an error can name the request the logs name.
async fn stamp_problems(request: Request, next: Next) -> Response {
    let id = request.headers().get(&REQUEST_ID).and_then(|v| v.to_str().ok()).map(str::to_string);
    let response = next.run(request).await;
    let is_problem =
        response.headers().get(header::CONTENT_TYPE).is_some_and(|t| t.as_bytes() == b"application/problem+json");
    let Some(id) = id.filter(|_| is_problem) else { return response };
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 1 << 20).await else {
        return Problem::internal("a problem document could not be read back").into_response();
    };
    let mut doc: Json = serde_json::from_slice(&bytes).unwrap_or_else(|_| json!({}));
    doc["request_id"] = Json::from(id);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(doc.to_string()))
}

/// What a household's tables show ([`minsheng_cn::views`]): the month table's
/// columns, the year's rows, the statement's lines and retirement's, each
/// figure by name with its short heading in Chinese and English.
async fn views() -> Response {
    use minsheng_cn::views::{Heading, MONTHS, RETIREMENT, STATEMENT, YEAR};
    let heading = |h: Heading| json!({"zh": h.zh, "en": h.en});
    let months: Vec<Json> = MONTHS
        .iter()
        .map(|c| json!({"variable": c.var.name, "heading": heading(c.heading), "always": c.always, "stock": c.stock}))
        .collect();
    let year: Vec<Json> = YEAR.iter().map(|r| json!({"variable": r.var.name, "optional": r.optional})).collect();
    let statement: Vec<Json> = STATEMENT
        .iter()
        .map(|l| json!({"person": l.person.name, "household": l.household.name, "heading": heading(l.heading)}))
        .collect();
    let retirement: Vec<&str> = RETIREMENT.iter().map(|v| v.name).collect();
    json_response(
        StatusCode::OK,
        &json!({"months": months, "year": year, "statement": statement, "retirement": retirement}),
    )
}

/// The shipped reforms: name, label, description and the reform itself.
async fn reforms() -> Response {
    let list: Vec<Json> = minsheng_cn::shipped_reforms()
        .filter_map(|r| {
            let reform: Json = serde_saphyr::from_str(r.text).ok()?;
            Some(json!({"name": r.name, "reform": reform}))
        })
        .collect();
    json_response(StatusCode::OK, &json!({"reforms": list}))
}

fn json_response(status: StatusCode, body: &Json) -> Response {
    json_document(status, body.to_string().into_bytes())
}

/// A JSON document already written, as the response.
pub(crate) fn json_document(status: StatusCode, bytes: Vec<u8>) -> Response {
    let mut response = (status, bytes).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

async fn meta(State(state): State<Arc<AppState>>) -> Response {
    let model = state.book.baseline.model();
    let years: Vec<i32> = match (model.covered_from, model.covered_until) {
        (Some(f), Some(u)) => (i32::from(f.year())..=i32::from(u.year())).collect(),
        _ => Vec::new(),
    };
    json_response(
        StatusCode::OK,
        &json!({
            "name": "minsheng",
            "version": env!("CARGO_PKG_VERSION"),
            "schema_version": minsheng_calc::document::SCHEMA_VERSION,
            "rule_book": {"name": model.name, "hash": state.rule_book_hash},
            "years": years,
            // The built-in population's years, and which of them are projected.
            "population_years": population_years(),
            "entities": ["person", "household"],
            "languages": ["zh", "en"],
        }),
    )
}

/// The years the built-in population runs: `{year, projected}` for each.
fn population_years() -> Vec<serde_json::Value> {
    minsheng_sim::targets::Targets::builtin()
        .map(|t| t.years.values().map(|y| json!({"year": y.year, "projected": y.projected.is_some()})).collect())
        .unwrap_or_default()
}

async fn variables(State(state): State<Arc<AppState>>) -> Response {
    let vars: Vec<_> = state.book.registry.iter().collect();
    json_response(StatusCode::OK, &minsheng_calc::schema::variables(&state.book.registry, &vars))
}

async fn variable(State(state): State<Arc<AppState>>, Path(name): Path<String>) -> Result<Response, Problem> {
    let var = state
        .book
        .registry
        .get(&name)
        .ok_or_else(|| Problem::not_found(format!("no variable `{name}`; GET /api/v1/variables lists them")))?;
    Ok(json_response(StatusCode::OK, &minsheng_calc::schema::variable(&state.book.registry, var)))
}

async fn openapi(State(state): State<Arc<AppState>>) -> Response {
    json_response(StatusCode::OK, &crate::openapi::document(&state.book.registry))
}

async fn inputs(State(state): State<Arc<AppState>>) -> Response {
    json_response(StatusCode::OK, &minsheng_calc::schema::situation(&state.book.registry))
}

/// Query of `parameters/{path}`: the date the value is asked for, and the date the law is known at.
#[derive(serde::Deserialize)]
struct At {
    at: Option<String>,
    known_at: Option<String>,
}

/// Query of `parameters/diff`.
#[derive(serde::Deserialize)]
struct Between {
    from: String,
    to: String,
}

fn date(field: &str, text: &str) -> Result<jiff::civil::Date, Problem> {
    text.parse().map_err(|_| {
        Problem::invalid(vec![InputError::new(field, text, "a calendar date, YYYY-MM-DD").zh("日期，YYYY-MM-DD")])
    })
}

/// Every parameter's path, names, type, unit and file (the values are at `parameters/{path}`).
async fn parameters(State(state): State<Arc<AppState>>) -> Response {
    let list: Vec<Json> = state
        .book
        .baseline
        .iter()
        .map(|p| json!({"path": p.path, "label": p.label, "kind": p.kind, "unit": p.unit, "file": p.file, "domain": p.domain}))
        .collect();
    json_response(
        StatusCode::OK,
        &json!({"schema_version": minsheng_calc::document::SCHEMA_VERSION, "parameters": list}),
    )
}

/// One parameter: its whole history with citations, or with `at` the entry in
/// force then (as the law was known at `known_at`, if given).
async fn parameter(
    State(state): State<Arc<AppState>>,
    Path(path): Path<String>,
    Query(q): Query<At>,
) -> Result<Response, Problem> {
    let params = &state.book.baseline;
    let p = params
        .get(&path)
        .ok_or_else(|| Problem::not_found(format!("no parameter `{path}`; GET /api/v1/parameters lists them")))?;
    let Some(at) = q.at else {
        return Ok(json_response(
            StatusCode::OK,
            &serde_json::to_value(p).map_err(|e| Problem::internal(e.to_string()))?,
        ));
    };
    let on = date("at", &at)?;
    let known = q.known_at.as_deref().map(|k| date("known_at", k)).transpose()?;
    let found = params
        .lookup(&path, on, known)
        .map_err(|e| Problem::invalid(vec![InputError::new("at", &at, e.to_string()).zh("该日期无此参数的取值")]))?;
    Ok(json_response(
        StatusCode::OK,
        &json!({"path": p.path, "label": p.label, "unit": p.unit, "at": at, "known_at": q.known_at, "entry": found.entry}),
    ))
}

/// The parameters whose value differs between two dates.
async fn parameters_diff(State(state): State<Arc<AppState>>, Query(q): Query<Between>) -> Result<Response, Problem> {
    let (from, to) = (date("from", &q.from)?, date("to", &q.to)?);
    let changes: Vec<Json> = state
        .book
        .baseline
        .diff(from, to)
        .iter()
        .map(|c| json!({"path": c.parameter.path, "label": c.parameter.label, "before": c.before, "after": c.after}))
        .collect();
    Ok(json_response(StatusCode::OK, &json!({"from": q.from, "to": q.to, "changes": changes})))
}
