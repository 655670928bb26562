//! Population runs as jobs: queued, polled to their report, shared by
//! identical requests, cancelled, bounded, and cancelled cleanly when the
//! server shuts down.

use std::time::{Duration, Instant};

use minsheng_api::{JobLimits, Limits};
use serde_json::{Value as Json, json};

use super::{http, json, serve};

fn limits(queued: usize, max_persons: usize) -> Limits {
    Limits { jobs: JobLimits { queued, max_persons, ..JobLimits::default() }, ..Limits::new(2) }
}

/// Polls a job until `done` says so, for at most two minutes.
fn poll(addr: std::net::SocketAddr, id: &str, done: impl Fn(&Json) -> bool) -> Json {
    let start = Instant::now();
    loop {
        let (status, _, body) = http(addr, "GET", &format!("/api/v1/simulations/{id}"), b"");
        assert_eq!(status, 200);
        let job = json(&body);
        if done(&job) {
            return job;
        }
        assert!(start.elapsed() < Duration::from_secs(120), "job {id} never got there: {job}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_run_is_queued_polled_to_its_report_and_shared_by_identical_requests() {
    let server = serve(limits(2, 1_000_000));
    let addr = server.addr;
    let request = json!({"year": 2022, "persons": 3000, "seed": 7, "reforms": ["no-pension-rise-2022"]}).to_string();
    let (status, head, body) = http(addr, "POST", "/api/v1/simulations", request.as_bytes());
    assert_eq!(status, 202, "{}", String::from_utf8_lossy(&body));
    let job = json(&body);
    let id = job["id"].as_str().expect("an id").to_string();
    assert!(head.contains(&format!("location: /api/v1/simulations/{id}")), "{head}");
    // The same request, while queued or running, is the same job.
    let (_, _, again) = http(addr, "POST", "/api/v1/simulations", request.as_bytes());
    assert_eq!(json(&again)["id"], id.as_str());
    let done = poll(addr, &id, |j| j["status"] == "done" || j["status"] == "failed");
    assert_eq!(done["status"], "done", "{done}");
    let report = &done["result"];
    assert_eq!(report["year"], 2022);
    assert_eq!(report["scenarios"].as_array().map(Vec::len), Some(2), "baseline and the reform");
    assert!(report["budget"].as_array().is_some_and(|b| !b.is_empty()));
    // The report is what the library's run gives for the same request.
    let book = minsheng_cn::RuleBook::embedded().expect("rule book");
    let reform =
        minsheng_core::Reform::from_yaml(minsheng_cn::shipped_reform("no-pension-rise-2022").expect("shipped").text)
            .expect("reform");
    let params = reform.apply(&book.baseline).expect("applies");
    let config = minsheng_sim::Config { seed: 7, ..minsheng_sim::Config::new(2022, 3000) };
    let outcome =
        minsheng_sim::simulate(&book, &config, minsheng_sim::Population::Synthetic, &[(reform.name, params)], &|_| {})
            .expect("runs");
    let mut expected = serde_json::to_value(&outcome.report).expect("JSON");
    let mut got = report.clone();
    for r in [&mut expected, &mut got] {
        r["seconds"] = Json::Null;
        r["threads"] = Json::Null;
    }
    assert_eq!(got, expected);
    // Done, the same request is answered from the job at once.
    let (status, _, cached) = http(addr, "POST", "/api/v1/simulations", request.as_bytes());
    assert_eq!((status, json(&cached)["id"].as_str()), (200, Some(id.as_str())));
    // A different seed is a different job.
    let other = json!({"year": 2022, "persons": 3000, "seed": 8, "reforms": ["no-pension-rise-2022"]}).to_string();
    let (_, _, body) = http(addr, "POST", "/api/v1/simulations", other.as_bytes());
    assert_ne!(json(&body)["id"], id.as_str());
    // Forgotten on DELETE once finished.
    assert_eq!(http(addr, "DELETE", &format!("/api/v1/simulations/{id}"), b"").0, 200);
    assert_eq!(http(addr, "GET", &format!("/api/v1/simulations/{id}"), b"").0, 404);
}

#[test]
fn bad_runs_are_refused_and_the_queue_is_bounded() {
    let server = serve(limits(1, 50_000_000));
    let addr = server.addr;
    for (body, field) in [
        (json!({"year": 2040}), "year"),
        (json!({"year": 2022, "persons": 0}), "persons"),
        (json!({"year": 2022, "persons": 60_000_000}), "persons"),
        (json!({"year": 2022, "reforms": ["../../etc/passwd"]}), "reforms[0]"),
    ] {
        let (status, head, answer) = http(addr, "POST", "/api/v1/simulations", body.to_string().as_bytes());
        assert_eq!(status, 422, "{}", String::from_utf8_lossy(&answer));
        assert!(head.contains("application/problem+json"));
        assert_eq!(json(&answer)["errors"][0]["field"], field);
    }
    assert_eq!(http(addr, "POST", "/api/v1/simulations", br#"{"year": 2022, "people": 5}"#).0, 400);
    assert_eq!(http(addr, "GET", "/api/v1/simulations/sim-999", b"").0, 404);
    // One run at a time on this server: a second is refused at once while the first runs.
    let big = json!({"year": 2022, "persons": 40_000_000}).to_string();
    let (status, _, body) = http(addr, "POST", "/api/v1/simulations", big.as_bytes());
    assert_eq!(status, 202);
    let id = json(&body)["id"].as_str().expect("id").to_string();
    let (status, head, _) = http(addr, "POST", "/api/v1/simulations", br#"{"year": 2023, "persons": 1000}"#);
    assert_eq!(status, 503);
    assert!(head.contains("retry-after"), "{head}");
    // Cancelled while running, it stops within a moment.
    poll(addr, &id, |j| j["status"] == "running");
    let (status, _, body) = http(addr, "DELETE", &format!("/api/v1/simulations/{id}"), b"");
    assert_eq!(status, 200);
    assert_eq!(json(&body)["status"], "cancelling");
    let job = poll(addr, &id, |j| j["status"] != "running");
    assert_eq!(job["status"], "cancelled", "{job}");
    assert!(job.get("result").is_none());
    let listed = json(&http(addr, "GET", "/api/v1/simulations", b"").2);
    assert_eq!(listed["simulations"][0]["id"], id.as_str());
}

#[test]
fn shutdown_mid_run_cancels_it_and_leaves_nothing_running() {
    let mut server = serve(limits(2, 50_000_000));
    let addr = server.addr;
    let (status, _, body) = http(addr, "POST", "/api/v1/simulations", br#"{"year": 2024, "persons": 40000000}"#);
    assert_eq!(status, 202);
    let id = json(&body)["id"].as_str().expect("id").to_string();
    poll(addr, &id, |j| j["status"] == "running");
    let (_, _, body) = http(addr, "POST", "/api/v1/simulations", br#"{"year": 2023, "persons": 1000}"#);
    let queued = json(&body)["id"].as_str().expect("id").to_string();
    let started = Instant::now();
    server.shut_down();
    assert!(started.elapsed() < Duration::from_secs(30), "shutdown waited {:?}", started.elapsed());
    assert!(server.state.jobs.all_finished(), "a job is still running after shutdown");
    // The server no longer answers; the jobs were cancelled, not half-recorded as done.
    assert!(std::net::TcpStream::connect(addr).is_err());
    assert_eq!(server.state.jobs.status(&id), Some("cancelled"));
    assert_eq!(server.state.jobs.status(&queued), Some("cancelled"));
}
