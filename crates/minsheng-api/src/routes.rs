//! The endpoints under `/api/v1`.

use std::sync::Arc;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use minsheng_calc::document::{DocumentWriter, PartJson};
use minsheng_calc::{Outputs, Part, Scenario};
use minsheng_core::situation::Format;
use minsheng_core::{EvalError, InputError, Reform};
use serde_json::{Value as Json, json};
use tower_http::limit::RequestBodyLimitLayer;

use crate::{AppState, BODY_LIMIT, MAX_PERSONS, Problem};

/// The API's routes over `state`, with the body limit.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/api/v1/meta", get(meta))
        .route("/api/v1/variables", get(variables))
        .route("/api/v1/variables/{name}", get(variable))
        .route("/api/v1/inputs", get(inputs))
        .route("/api/v1/calculate", post(calculate))
        .route("/api/v1/calculate/batch", post(batch))
        .route("/api/v1/parameters", get(parameters))
        .route("/api/v1/parameters/diff", get(parameters_diff))
        .route("/api/v1/parameters/{path}", get(parameter))
        .route("/api/v1/openapi.json", get(openapi))
        .fallback(|| async { Problem::not_found("no such endpoint; see /api/v1/meta") })
        // One limit, ours, in place of axum's 2 MB default for extracted bodies.
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .with_state(state)
}

fn json_response(status: StatusCode, body: &Json) -> Response {
    let mut response = (status, body.to_string()).into_response();
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
            "entities": ["person", "household"],
            "languages": ["zh", "en"],
        }),
    )
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

/// A calculation request: the situation, the figures asked for, the reforms.
struct Request {
    situation: String,
    outputs: Vec<String>,
    reforms: Vec<String>,
}

fn read_request(body: &[u8]) -> Result<Request, Problem> {
    let doc: Json =
        serde_json::from_slice(body).map_err(|e| Problem::bad_request(format!("the body is not JSON: {e}")))?;
    let Json::Object(mut fields) = doc else {
        return Err(Problem::bad_request(
            "the body is an object: {\"situation\": {...}, \"outputs\": [...], \"reforms\": [...]}",
        ));
    };
    if let Some(unknown) = fields.keys().find(|k| !matches!(k.as_str(), "situation" | "outputs" | "reforms")) {
        return Err(Problem::bad_request(format!(
            "unknown field `{unknown}`; a request has situation, outputs and reforms"
        )));
    }
    let situation = fields.remove("situation").ok_or_else(|| Problem::bad_request("the request needs `situation`"))?;
    let strings = |v: Option<Json>, what: &str| -> Result<Vec<Json>, Problem> {
        match v {
            None => Ok(Vec::new()),
            Some(Json::Array(items)) => Ok(items),
            Some(_) => Err(Problem::bad_request(format!("`{what}` is a list"))),
        }
    };
    let outputs = strings(fields.remove("outputs"), "outputs")?
        .into_iter()
        .map(|o| o.as_str().map(str::to_string).ok_or_else(|| Problem::bad_request("`outputs` lists variable names")))
        .collect::<Result<Vec<_>, _>>()?;
    let reforms = strings(fields.remove("reforms"), "reforms")?.into_iter().map(|r| r.to_string()).collect();
    Ok(Request { situation: situation.to_string(), outputs, reforms })
}

async fn calculate(State(state): State<Arc<AppState>>, body: Bytes) -> Result<Response, Problem> {
    let request = read_request(&body)?;
    blocking(&state, move |state| compute(state, &request)).await
}

/// Runs CPU work off the async runtime in one of the calculation slots, or
/// refuses at once (503) when every slot is taken.
async fn blocking<T: Send + 'static>(
    state: &Arc<AppState>,
    work: impl FnOnce(&AppState) -> Result<T, Problem> + Send + 'static,
) -> Result<T, Problem> {
    let permit = state.permits.try_acquire().map_err(|_| Problem::busy())?;
    let worker = Arc::clone(state);
    let done = tokio::task::spawn_blocking(move || work(&worker))
        .await
        .map_err(|e| Problem::internal(format!("the calculation stopped: {e}")));
    drop(permit);
    done?
}

/// The outputs `names` asked for (none: every figure), or a problem naming the one that is not a figure.
fn outputs<'n>(state: &AppState, names: impl IntoIterator<Item = &'n str>) -> Result<Outputs, Problem> {
    Outputs::named(&state.book.registry, names).map_err(|e| {
        let (minsheng_calc::OutputError::NoSuchVariable(name) | minsheng_calc::OutputError::Input(name)) = e;
        let e = InputError::new("outputs", name, "not a computed variable; GET /api/v1/variables lists them")
            .zh("不是计算得出的变量；GET /api/v1/variables 列出全部变量");
        Problem::invalid(vec![e])
    })
}

/// The calculation document for one request (run off the async runtime).
fn compute(state: &AppState, request: &Request) -> Result<Response, Problem> {
    let book = &state.book;
    let situation = book.read_situation(&request.situation, Format::Json).map_err(Problem::invalid)?;
    if situation.persons.len() > MAX_PERSONS {
        let e = InputError::new(
            "situation.persons",
            situation.persons.len(),
            format!("at most {MAX_PERSONS} persons a request; send more with a stream"),
        )
        .zh(format!("每个请求至多 {MAX_PERSONS} 人"));
        return Err(Problem::invalid(vec![e]));
    }
    let mut reforms = Vec::new();
    for (i, text) in request.reforms.iter().enumerate() {
        let invalid = |e: String| Problem::invalid(vec![InputError::new(format!("reforms[{i}]"), "(reform)", e)]);
        let reform = Reform::from_yaml(text).map_err(|e| invalid(e.to_string()))?;
        if reform.name == Scenario::BASELINE || reforms.iter().any(|(r, _): &(Reform, _)| r.name == reform.name) {
            return Err(invalid(format!("the name `{}` is taken; give each reform its own name", reform.name)));
        }
        let params = reform.apply(&book.baseline).map_err(|e| invalid(e.to_string()))?;
        reforms.push((reform, params));
    }
    let mut scenarios = vec![Scenario::baseline(&book.baseline)];
    scenarios.extend(reforms.iter().map(|(r, p)| Scenario { id: r.name.clone(), label: r.label.clone(), params: p }));
    let outputs = outputs(state, request.outputs.iter().map(String::as_str))?;
    let vars = outputs.variables(&book.registry);
    let ids: Vec<String> = scenarios.iter().map(|s| s.id.clone()).collect();
    let mut doc =
        DocumentWriter::begin(Vec::new(), situation.year, &scenarios).map_err(|e| Problem::internal(e.to_string()))?;
    let mut errors = Vec::new();
    for part in situation.into_components() {
        match Part::compute(book, part, &scenarios, &outputs) {
            Ok(part) => doc
                .part(PartJson::render(&book.registry, &part, &ids, &vars))
                .map_err(|e| Problem::internal(e.to_string()))?,
            Err(EvalError::Input(e)) => errors.push(e),
            Err(e) => return Err(Problem::internal(e.to_string())),
        }
    }
    if !errors.is_empty() {
        return Err(Problem::invalid(errors));
    }
    let bytes = doc.finish().map_err(|e| Problem::internal(e.to_string()))?;
    let mut response = (StatusCode::OK, bytes).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    Ok(response)
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

/// Query of `calculate/batch`: the figures asked for, comma-separated.
#[derive(serde::Deserialize)]
struct BatchQuery {
    outputs: Option<String>,
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

/// NDJSON in, NDJSON out: one situation a line, one calculation document (or
/// error document) a line, in order; a bad line does not fail the others.
async fn batch(
    State(state): State<Arc<AppState>>,
    Query(q): Query<BatchQuery>,
    body: Bytes,
) -> Result<Response, Problem> {
    let query = q.outputs.unwrap_or_default();
    let outputs = outputs(&state, query.split(','))?;
    let out = blocking(&state, move |state| {
        let scenarios = [Scenario::baseline(&state.book.baseline)];
        let mut out = Vec::new();
        minsheng_calc::stream::run_stream(
            &state.book,
            &body[..],
            &scenarios,
            &outputs,
            false,
            BODY_LIMIT as u64,
            &mut out,
        )
        .map(|_| out)
        .map_err(|e| Problem::bad_request(format!("the body is not one JSON situation a line: {e}")))
    })
    .await?;
    let mut response = (StatusCode::OK, out).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-ndjson"));
    Ok(response)
}
