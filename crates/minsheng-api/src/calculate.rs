//! `POST calculate` and `POST calculate/batch`: households under the
//! baseline and reforms (named or inline), with explanations and axes.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minsheng_calc::axis::{Axis, AxisError, run_axis};
use minsheng_calc::document::{Differences, DocumentWriter, PartJson, error_document};
use minsheng_calc::explain::{Ask, ExplainError, explain_figure};
use minsheng_calc::{Outputs, Part, Scenario};
use minsheng_cn::RuleBook;
use minsheng_core::situation::Format;
use minsheng_core::{EvalError, InputError, ParamSet, Reform};
use serde_json::{Map, Value as Json, json};

use crate::{AppState, MAX_PERSONS, Problem, blocking};

/// A calculation request.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    /// The situation, in the situation schema.
    situation: Json,
    /// The figures asked for (none: every figure).
    #[serde(default)]
    outputs: Vec<String>,
    /// Reforms: a shipped reform's name, or a reform file's content as JSON.
    #[serde(default)]
    reforms: Vec<Json>,
    /// Figures to explain.
    #[serde(default)]
    explain: Vec<ExplainAsk>,
    /// One input to vary.
    axes: Option<AxisAsk>,
}

/// One figure to explain.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ExplainAsk {
    variable: String,
    entity: Option<String>,
    period: Option<String>,
    #[serde(default = "default_depth")]
    depth: usize,
}

const fn default_depth() -> usize {
    6
}

/// The most figures one request may ask to explain.
const MAX_EXPLAIN: usize = 20;

/// An input varied over a range: amounts as numbers or decimal strings.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct AxisAsk {
    person: Option<String>,
    input: String,
    from: Amount,
    to: Amount,
    step: Amount,
}

/// An amount given as a JSON number or a decimal string, kept as its text.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum Amount {
    Text(String),
    Number(serde_json::Number),
}

impl Amount {
    fn text(self) -> String {
        match self {
            Amount::Text(t) => t,
            Amount::Number(n) => n.to_string(),
        }
    }
}

/// A reform of a request, read and applied to the baseline.
pub(crate) struct Resolved {
    /// The reform.
    pub reform: Reform,
    /// The baseline with the reform applied.
    pub params: ParamSet,
    /// Its full text (a shipped file's, or the inline object's JSON): what identifies it.
    pub text: String,
}

/// The reforms of a request, each a shipped reform's name or a reform's
/// content (a reform file as JSON), applied to the baseline; `field` names
/// the list in errors.
pub(crate) fn resolve_reforms(book: &RuleBook, given: &[Json], field: &str) -> Result<Vec<Resolved>, Problem> {
    let mut reforms: Vec<Resolved> = Vec::new();
    for (i, item) in given.iter().enumerate() {
        let at = format!("{field}[{i}]");
        let invalid =
            |value: &str, rule: String, zh: &str| Problem::invalid(vec![InputError::new(&at, value, rule).zh(zh)]);
        let text = match item {
            Json::String(name) => minsheng_cn::shipped_reform(name)
                .ok_or_else(|| {
                    invalid(
                        name,
                        "no shipped reform of this name; GET /api/v1/reforms lists them".into(),
                        "没有这个内置改革方案；GET /api/v1/reforms 列出全部",
                    )
                })?
                .text
                .to_string(),
            Json::Object(_) => item.to_string(),
            _ => {
                return Err(invalid(
                    "(reform)",
                    "a shipped reform's name or a reform as an object".into(),
                    "内置改革方案的名称，或改革方案对象",
                ));
            }
        };
        let reform = Reform::from_yaml(&text).map_err(|e| invalid("(reform)", e.to_string(), "改革方案无效"))?;
        if reform.name == Scenario::BASELINE || reforms.iter().any(|r| r.reform.name == reform.name) {
            let rule = format!("the name `{}` is taken; give each reform its own name", reform.name);
            return Err(invalid(&reform.name, rule, "名称已被占用；每个改革方案须有自己的名称"));
        }
        let params =
            reform.apply(&book.baseline).map_err(|e| invalid(&reform.name, e.to_string(), "改革方案无法应用"))?;
        reforms.push(Resolved { reform, params, text });
    }
    Ok(reforms)
}

/// The baseline and `reforms` as scenarios.
fn scenarios<'a>(book: &'a RuleBook, reforms: &'a [Resolved]) -> Vec<Scenario<'a>> {
    let mut scenarios = vec![Scenario::baseline(&book.baseline)];
    scenarios.extend(reforms.iter().map(|r| Scenario {
        id: r.reform.name.clone(),
        label: r.reform.label.clone(),
        params: &r.params,
    }));
    scenarios
}

/// The outputs `names` asked for (none: every figure), or a problem naming the one that is not a figure.
pub(crate) fn outputs<'n>(book: &RuleBook, names: impl IntoIterator<Item = &'n str>) -> Result<Outputs, Problem> {
    Outputs::named(&book.registry, names).map_err(|e| {
        let (minsheng_calc::OutputError::NoSuchVariable(name) | minsheng_calc::OutputError::Input(name)) = e;
        let e = InputError::new("outputs", name, "not a computed variable; GET /api/v1/variables lists them")
            .zh("不是计算得出的变量；GET /api/v1/variables 列出全部变量");
        Problem::invalid(vec![e])
    })
}

/// `POST calculate`.
pub(crate) async fn calculate(State(state): State<Arc<AppState>>, body: Bytes) -> Result<Response, Problem> {
    let request: Request = serde_json::from_slice(&body).map_err(|e| {
        Problem::bad_request(format!(
            "the body is not a calculation request {{\"situation\": {{…}}, \"outputs\": […], …}}: {e}"
        ))
    })?;
    blocking(&state, move |state| compute(&state.book, request)).await
}

/// The calculation document for one request (run off the async runtime).
fn compute(book: &RuleBook, request: Request) -> Result<Response, Problem> {
    let situation_text = request.situation.to_string();
    let situation = book.read_situation(&situation_text, Format::Json).map_err(Problem::invalid)?;
    if situation.persons.len() > MAX_PERSONS {
        let e = InputError::new(
            "situation.persons",
            situation.persons.len(),
            format!("at most {MAX_PERSONS} persons a request; send more with calculate/batch"),
        )
        .zh(format!("每个请求至多 {MAX_PERSONS} 人；更多请用 calculate/batch"));
        return Err(Problem::invalid(vec![e]));
    }
    if request.explain.len() > MAX_EXPLAIN {
        let e = InputError::new("explain", request.explain.len(), format!("at most {MAX_EXPLAIN} figures a request"))
            .zh(format!("每个请求至多解释 {MAX_EXPLAIN} 个数值"));
        return Err(Problem::invalid(vec![e]));
    }
    let reforms = resolve_reforms(book, &request.reforms, "reforms")?;
    let scenarios = scenarios(book, &reforms);
    let outputs = outputs(book, request.outputs.iter().map(String::as_str))?;

    let mut extra = Map::new();
    if !request.explain.is_empty() {
        extra.insert("explanations".into(), explanations(book, &situation, &scenarios, &request.explain)?);
    }
    if let Some(a) = request.axes {
        let axis = Axis { person: a.person, input: a.input, from: a.from.text(), to: a.to.text(), step: a.step.text() };
        let run = run_axis(book, &request.situation, &situation, &axis, &scenarios, &outputs).map_err(|e| match e {
            AxisError::Input(errors) => Problem::invalid(errors),
            AxisError::Rules(e) => Problem::internal(e),
        })?;
        extra.insert("axis".into(), run);
    }

    let vars = outputs.variables(&book.registry);
    let ids: Vec<String> = scenarios.iter().map(|s| s.id.clone()).collect();
    let internal = |e: std::io::Error| Problem::internal(e.to_string());
    let mut doc = DocumentWriter::begin(Vec::new(), situation.year, &scenarios).map_err(internal)?;
    let mut errors = Vec::new();
    let mut differences = Differences::default();
    for part in situation.into_components() {
        match Part::compute(book, part, &scenarios, &outputs) {
            Ok(part) => {
                differences.add(&book.registry, &part, &ids, &vars);
                doc.part(PartJson::render(&book.registry, &part, &ids, &vars)).map_err(internal)?;
            }
            Err(EvalError::Input(e)) => errors.push(e),
            Err(e) => return Err(Problem::internal(e.to_string())),
        }
    }
    if !errors.is_empty() {
        return Err(Problem::invalid(errors));
    }
    if !reforms.is_empty() {
        extra.insert("differences".into(), differences.into_json());
    }
    Ok(crate::routes::json_document(StatusCode::OK, doc.finish_with(extra).map_err(internal)?))
}

/// Each asked figure explained under every scenario.
fn explanations(
    book: &RuleBook,
    situation: &minsheng_core::Situation,
    scenarios: &[Scenario<'_>],
    asks: &[ExplainAsk],
) -> Result<Json, Problem> {
    let mut list = Vec::new();
    for (i, ask) in asks.iter().enumerate() {
        let mut trees = Map::new();
        let mut resolved = (String::new(), String::new());
        for s in scenarios {
            let a = Ask {
                variable: &ask.variable,
                entity: ask.entity.as_deref(),
                period: ask.period.as_deref(),
                depth: ask.depth,
            };
            let tree = explain_figure(&book.registry, s.params, situation, a).map_err(|e| match e {
                ExplainError::Input(mut e) => {
                    e.field = format!("explain[{i}].{}", e.field);
                    Problem::invalid(vec![e])
                }
                ExplainError::Rules(e) => Problem::internal(e),
            })?;
            resolved = (tree.entity.clone(), tree.period.clone());
            trees.insert(s.id.clone(), serde_json::to_value(&tree).map_err(|e| Problem::internal(e.to_string()))?);
        }
        // The entity and period explained, defaults filled in.
        let (entity, period) = resolved;
        list.push(json!({"variable": ask.variable, "entity": entity, "period": period, "scenarios": trees}));
    }
    Ok(Json::Array(list))
}

/// Query of `calculate/batch`: the figures asked for and the shipped reforms, comma-separated.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct BatchQuery {
    outputs: Option<String>,
    reforms: Option<String>,
}

/// The longest line of a batch: one situation.
const MAX_LINE: u64 = 1 << 20;

/// `POST calculate/batch`: NDJSON in, NDJSON out, both streamed: one
/// situation a line, one calculation document (or error document) a line,
/// in order; a bad line does not fail the others. Memory is bounded by one
/// batch of lines whatever the length of the stream. A stream that breaks
/// (a line too long, not UTF-8) ends with an error line.
pub(crate) async fn batch(
    State(state): State<Arc<AppState>>,
    Query(q): Query<BatchQuery>,
    body: Body,
) -> Result<Response, Problem> {
    let query = q.outputs.unwrap_or_default();
    let outputs = outputs(&state.book, query.split(','))?;
    let names: Vec<Json> = q
        .reforms
        .iter()
        .flat_map(|r| r.split(','))
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| Json::String(n.to_string()))
        .collect();
    let reforms = resolve_reforms(&state.book, &names, "reforms")?;
    let permit = state.permits.clone().try_acquire_owned().map_err(|_| Problem::busy())?;

    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(16);
    let input = tokio_util::io::StreamReader::new(futures_util::TryStreamExt::map_err(
        body.into_data_stream(),
        std::io::Error::other,
    ));
    let input = std::io::BufReader::new(tokio_util::io::SyncIoBridge::new(input));
    let worker = Arc::clone(&state);
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let book = &worker.book;
        let scenarios = scenarios(book, &reforms);
        let mut out = ChannelWriter { tx, buffer: Vec::with_capacity(CHUNK) };
        let run = minsheng_calc::stream::run_stream(book, input, &scenarios, &outputs, false, MAX_LINE, &mut out);
        if let Err(e) = run {
            let error = InputError::new("body", "(stream)", e.to_string()).zh("批量输入中断：每行一个 JSON 情形");
            let line = error_document(None, &[error]).to_string() + "\n";
            let _ = std::io::Write::write_all(&mut out, line.as_bytes());
        }
        let _ = std::io::Write::flush(&mut out);
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
    let mut response = Body::from_stream(stream).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-ndjson"));
    Ok(response)
}

/// Bytes sent to the response a chunk at a time.
const CHUNK: usize = 64 << 10;

/// Writes into the response body's channel from the blocking thread; a
/// client gone away is a broken pipe, which stops the stream.
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
    buffer: Vec<u8>,
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK {
            self.flush()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away"))
    }
}
