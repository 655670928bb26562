//! `simulations`: population runs as jobs. `POST` queues a run and answers
//! 202 with its id; `GET simulations/{id}` gives its progress, then its
//! report (the content of `minsheng sim`'s `report.json`); `DELETE` cancels.
//!
//! One run computes at a time (it uses every core); a bounded number wait
//! behind it, and a fuller queue is refused with 503. A run longer than its
//! time limit is stopped. Identical requests share one job: the key is the
//! engine's version, the rule book's hash and the request in canonical form
//! (reforms by their full text), compared whole, so a job is never handed
//! to a request that differs from its own. Results live in memory only; a
//! cancelled or stopped run leaves nothing behind.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use axum::Json as Body;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minsheng_core::InputError;
use minsheng_sim::{Cancel, Config, Population, SimError, Stage};
use serde_json::{Value as Json, json};

use crate::calculate::resolve_reforms;
use crate::{AppState, Problem};

/// Bounds on jobs.
#[derive(Clone, Debug)]
pub struct JobLimits {
    /// Jobs queued or running at once; more are refused with 503.
    pub queued: usize,
    /// Finished jobs kept (the oldest is forgotten first).
    pub kept: usize,
    /// The most persons a run may sample.
    pub max_persons: usize,
    /// The longest a run may compute before it is stopped.
    pub time: Duration,
}

impl Default for JobLimits {
    fn default() -> JobLimits {
        JobLimits { queued: 4, kept: 32, max_persons: 20_000_000, time: Duration::from_secs(600) }
    }
}

/// A population run asked for.
#[derive(serde::Deserialize, serde::Serialize, Clone)]
#[serde(deny_unknown_fields)]
struct RunRequest {
    year: i32,
    #[serde(default = "default_persons")]
    persons: usize,
    #[serde(default = "default_seed")]
    seed: u64,
    #[serde(default)]
    reforms: Vec<Json>,
    #[serde(default = "yes")]
    imputed_transfers: bool,
}

const fn default_persons() -> usize {
    100_000
}
const fn default_seed() -> u64 {
    2022
}
const fn yes() -> bool {
    true
}

/// Where a job is.
#[derive(Clone)]
enum Status {
    Queued,
    Running { stage: &'static str, done: usize, of: usize },
    Done(Arc<Json>),
    Failed(String),
    Cancelled,
}

impl Status {
    fn name(&self) -> &'static str {
        match self {
            Status::Queued => "queued",
            Status::Running { .. } => "running",
            Status::Done(_) => "done",
            Status::Failed(_) => "failed",
            Status::Cancelled => "cancelled",
        }
    }

    fn finished(&self) -> bool {
        matches!(self, Status::Done(_) | Status::Failed(_) | Status::Cancelled)
    }
}

struct Job {
    id: String,
    key: String,
    request: RunRequest,
    /// The request's reforms, read and applied when it was accepted.
    reforms: Arc<Vec<(String, minsheng_core::ParamSet)>>,
    status: Status,
    cancel: Cancel,
    created: Instant,
    started: Option<Instant>,
    ended: Option<Instant>,
}

impl Job {
    fn to_json(&self) -> Json {
        let seconds = |a: Option<Instant>, b: Option<Instant>| match (a, b) {
            (Some(a), Some(b)) => Some(b.duration_since(a).as_secs_f64()),
            (Some(a), None) => Some(a.elapsed().as_secs_f64()),
            _ => None,
        };
        let mut doc = json!({
            "id": self.id,
            "status": self.status.name(),
            "request": self.request,
            "queued_s": seconds(Some(self.created), self.started.or(self.ended)),
            "elapsed_s": seconds(self.started, self.ended),
            "links": {"self": format!("/api/v1/simulations/{}", self.id)},
        });
        match &self.status {
            Status::Running { stage, done, of } => {
                doc["progress"] = json!({"stage": stage, "partitions_done": done, "partitions": of});
            }
            Status::Done(report) => doc["result"] = (**report).clone(),
            Status::Failed(message) => doc["error"] = Json::String(message.clone()),
            Status::Queued | Status::Cancelled => {}
        }
        doc
    }
}

/// What the runner works through.
struct Queue {
    jobs: BTreeMap<String, Job>,
    waiting: VecDeque<String>,
    finished: VecDeque<String>,
    next: u64,
    closed: bool,
}

/// The jobs of a server and the thread that runs them.
pub struct Jobs {
    queue: Mutex<Queue>,
    wake: std::sync::Condvar,
    limits: JobLimits,
    runner: Mutex<Option<std::thread::JoinHandle<()>>>,
}

impl Jobs {
    /// No jobs yet; the runner starts with the first.
    pub fn new(limits: JobLimits) -> Jobs {
        Jobs {
            queue: Mutex::new(Queue {
                jobs: BTreeMap::new(),
                waiting: VecDeque::new(),
                finished: VecDeque::new(),
                next: 1,
                closed: false,
            }),
            wake: std::sync::Condvar::new(),
            limits,
            runner: Mutex::new(None),
        }
    }

    fn lock(&self) -> MutexGuard<'_, Queue> {
        self.queue.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Stops taking jobs, cancels every one queued or running, and waits for the runner to end.
    pub fn shut_down(&self) {
        {
            let mut q = self.lock();
            q.closed = true;
            for id in std::mem::take(&mut q.waiting) {
                if let Some(job) = q.jobs.get_mut(&id) {
                    job.status = Status::Cancelled;
                }
            }
            for job in q.jobs.values() {
                job.cancel.set();
            }
        }
        self.wake.notify_all();
        let handle = self.runner.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
        if let Some(handle) = handle {
            let _ = handle.join();
        }
    }

    /// Whether every job has finished (for tests of shutdown).
    pub fn all_finished(&self) -> bool {
        self.lock().jobs.values().all(|j| j.status.finished())
    }

    /// The status of job `id` (`queued`, `running`, `done`, `failed`, `cancelled`), if known.
    pub fn status(&self, id: &str) -> Option<&'static str> {
        self.lock().jobs.get(id).map(|j| j.status.name())
    }
}

/// The runner: takes the oldest waiting job, runs it, and records the outcome.
fn runner(jobs: Arc<AppState>) {
    loop {
        let (id, request, reforms, cancel) = {
            let mut q = jobs.jobs.lock();
            loop {
                if q.closed {
                    return;
                }
                if let Some(id) = q.waiting.pop_front() {
                    let Some(job) = q.jobs.get_mut(&id) else { continue };
                    job.status = Status::Running { stage: "starting", done: 0, of: 0 };
                    job.started = Some(Instant::now());
                    break (id, job.request.clone(), Arc::clone(&job.reforms), job.cancel.clone());
                }
                q = jobs.jobs.wake.wait(q).unwrap_or_else(std::sync::PoisonError::into_inner);
            }
        };
        let outcome = run(&jobs, &id, &request, &reforms, &cancel);
        let mut q = jobs.jobs.lock();
        if let Some(job) = q.jobs.get_mut(&id) {
            job.ended = Some(Instant::now());
            job.status = match outcome {
                Ok(report) => Status::Done(Arc::new(report)),
                Err(SimError::Cancelled) if job.started.is_some_and(|s| s.elapsed() >= jobs.jobs.limits.time) => {
                    Status::Failed(format!("stopped after the time limit of {} s", jobs.jobs.limits.time.as_secs()))
                }
                Err(SimError::Cancelled) => Status::Cancelled,
                Err(e) => {
                    tracing::error!(job = %id, error = %e, "population run failed");
                    Status::Failed(e.to_string())
                }
            };
        }
        remember(&mut q, &jobs.jobs.limits, id);
    }
}

/// Notes a finished job, forgetting the oldest past the limit.
fn remember(q: &mut Queue, limits: &JobLimits, id: String) {
    q.finished.push_back(id);
    while q.finished.len() > limits.kept {
        if let Some(old) = q.finished.pop_front() {
            q.jobs.remove(&old);
        }
    }
}

fn run(
    state: &AppState,
    id: &str,
    request: &RunRequest,
    reforms: &[(String, minsheng_core::ParamSet)],
    cancel: &Cancel,
) -> Result<Json, SimError> {
    let book = &state.book;
    let config = Config {
        seed: request.seed,
        impute_transfers: request.imputed_transfers,
        cancel: cancel.clone(),
        ..Config::new(request.year, request.persons)
    };
    let started = Instant::now();
    let limit = state.jobs.limits.time;
    let progress = |stage: Stage| {
        if started.elapsed() >= limit {
            cancel.set();
        }
        let (name, of) = match stage {
            Stage::Calibrating(n) => ("calibrating", n),
            Stage::CountingEligible(n) => ("counting_eligible", n),
            Stage::Imputing(n) => ("imputing", n),
            Stage::Simulating(n) => ("simulating", n),
        };
        let mut q = state.jobs.lock();
        if let Some(job) = q.jobs.get_mut(id) {
            job.status = match job.status {
                Status::Running { stage, done, .. } if stage == name => Status::Running { stage, done: done + 1, of },
                _ => Status::Running { stage: name, done: 1, of },
            };
        }
    };
    let outcome = minsheng_sim::simulate(book, &config, Population::Synthetic, reforms, &progress)?;
    serde_json::to_value(&outcome.report).map_err(|e| SimError::Results(e.to_string()))
}

fn job_response(status: StatusCode, job: &Job) -> Response {
    let mut response = (status, Body(job.to_json())).into_response();
    if status == StatusCode::ACCEPTED
        && let Ok(location) = HeaderValue::from_str(&format!("/api/v1/simulations/{}", job.id))
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// `POST simulations`.
pub(crate) async fn create(State(state): State<Arc<AppState>>, body: axum::body::Bytes) -> Result<Response, Problem> {
    let request: RunRequest =
        serde_json::from_slice(&body).map_err(|e| Problem::bad_request(format!("the request: {e}")))?;
    let limits = &state.jobs.limits;
    let targets = minsheng_sim::targets::Targets::builtin().map_err(|e| Problem::internal(e.to_string()))?;
    if let Err(e) = targets.year(request.year) {
        return Err(Problem::invalid(vec![
            InputError::new("year", request.year, e.to_string()).zh("内置人口没有该年份的校准目标"),
        ]));
    }
    if request.persons == 0 || request.persons > limits.max_persons {
        return Err(Problem::invalid(vec![
            InputError::new(
                "persons",
                request.persons,
                format!("1 to {} persons a job on this server", limits.max_persons),
            )
            .zh(format!("每个任务 1 至 {} 人", limits.max_persons)),
        ]));
    }
    // Read now, so that a bad reform is a 422 and not a failed job; their texts make the key.
    let resolved = resolve_reforms(&state.book, &request.reforms, "reforms")?;
    let texts: Vec<&str> = resolved.iter().map(|r| r.text.as_str()).collect();
    let key = json!({
        "engine": env!("CARGO_PKG_VERSION"),
        "rule_book": state.rule_book_hash,
        "year": request.year, "persons": request.persons, "seed": request.seed,
        "imputed_transfers": request.imputed_transfers, "reforms": texts,
    })
    .to_string();

    let mut q = state.jobs.lock();
    if q.closed {
        return Err(Problem::busy());
    }
    if let Some(job) =
        q.jobs.values().find(|j| j.key == key && !matches!(j.status, Status::Cancelled | Status::Failed(_)))
    {
        let status = if job.status.finished() { StatusCode::OK } else { StatusCode::ACCEPTED };
        return Ok(job_response(status, job));
    }
    let active = q.jobs.values().filter(|j| !j.status.finished()).count();
    if active >= limits.queued {
        return Err(Problem::busy_jobs(limits.queued));
    }
    let id = format!("sim-{}", q.next);
    q.next += 1;
    let job = Job {
        id: id.clone(),
        key,
        request,
        reforms: Arc::new(resolved.into_iter().map(|r| (r.reform.name, r.params)).collect()),
        status: Status::Queued,
        cancel: Cancel::default(),
        created: Instant::now(),
        started: None,
        ended: None,
    };
    let response = job_response(StatusCode::ACCEPTED, &job);
    q.jobs.insert(id.clone(), job);
    q.waiting.push_back(id);
    drop(q);
    start_runner(&state);
    state.jobs.wake.notify_all();
    Ok(response)
}

fn start_runner(state: &Arc<AppState>) {
    let mut runner = state.jobs.runner.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if runner.is_none() {
        let jobs = Arc::clone(state);
        *runner = Some(std::thread::spawn(move || self::runner(jobs)));
    }
}

fn not_found(id: &str) -> Problem {
    Problem::not_found(format!("no simulation `{id}` (finished jobs are forgotten after a while); POST one"))
}

/// `GET simulations`: every job known, newest first, without results.
pub(crate) async fn list(State(state): State<Arc<AppState>>) -> Response {
    let q = state.jobs.lock();
    let mut jobs: Vec<&Job> = q.jobs.values().collect();
    jobs.sort_by_key(|j| std::cmp::Reverse(j.created));
    let list: Vec<Json> = jobs
        .iter()
        .map(|j| {
            let mut doc = j.to_json();
            if let Some(o) = doc.as_object_mut() {
                o.remove("result");
            }
            doc
        })
        .collect();
    Body(json!({"simulations": list})).into_response()
}

/// `GET simulations/{id}`.
pub(crate) async fn get(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Response, Problem> {
    let q = state.jobs.lock();
    let job = q.jobs.get(&id).ok_or_else(|| not_found(&id))?;
    Ok(job_response(StatusCode::OK, job))
}

/// `DELETE simulations/{id}`: cancels a job queued or running, forgets one finished.
pub(crate) async fn cancel(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> Result<Response, Problem> {
    let mut q = state.jobs.lock();
    let job = q.jobs.get_mut(&id).ok_or_else(|| not_found(&id))?;
    match job.status {
        Status::Queued => {
            job.status = Status::Cancelled;
            job.ended = Some(Instant::now());
            let response = job_response(StatusCode::OK, job);
            q.waiting.retain(|w| *w != id);
            remember(&mut q, &state.jobs.limits, id);
            Ok(response)
        }
        Status::Running { .. } => {
            // The run stops within a batch of partitions; the runner then records it cancelled.
            job.cancel.set();
            let mut doc = job.to_json();
            doc["status"] = Json::from("cancelling");
            Ok((StatusCode::OK, Body(doc)).into_response())
        }
        _ => {
            let doc = job.to_json();
            q.jobs.remove(&id);
            q.finished.retain(|f| *f != id);
            Ok((StatusCode::OK, Body(json!({"id": doc["id"], "status": "deleted"}))).into_response())
        }
    }
}
