//! What every endpoint shares: request ids in headers, problems and logs;
//! CORS only when configured; streamed batches with reforms; and overload,
//! where every request is answered at once, 200 or 503.

use std::time::{Duration, Instant};

use minsheng_api::Limits;
use serde_json::json;

use super::{family, http, http_with, json, serve, server};

#[test]
fn every_response_has_a_request_id_and_problems_repeat_it() {
    let addr = server(2);
    let (_, head, _) = http(addr, "GET", "/api/v1/meta", b"");
    assert!(head.contains("x-request-id: "), "{head}");
    let (status, head, body) = http(addr, "POST", "/api/v1/calculate", b"{");
    assert_eq!(status, 400);
    let id = head.lines().find_map(|l| l.strip_prefix("x-request-id: ")).expect("an id").trim().to_string();
    assert_eq!(json(&body)["request_id"].as_str(), Some(id.as_str()));
    // A request id given by the caller is kept.
    let (_, head, body) = http_with(addr, "POST", "/api/v1/calculate", "X-Request-Id: payroll-42\r\n", b"[]");
    assert!(head.contains("x-request-id: payroll-42"), "{head}");
    assert_eq!(json(&body)["request_id"], "payroll-42");
}

#[test]
fn cors_is_off_unless_an_origin_is_configured() {
    let origin = "Origin: https://minsheng.example\r\n";
    let (_, head, _) = http_with(server(2), "GET", "/api/v1/meta", origin, b"");
    assert!(!head.contains("access-control-allow-origin"), "{head}");
    let configured = serve(Limits { cors_origins: vec!["https://minsheng.example".into()], ..Limits::new(2) });
    let (_, head, _) = http_with(configured.addr, "GET", "/api/v1/meta", origin, b"");
    assert!(head.contains("access-control-allow-origin: https://minsheng.example"), "{head}");
    let (_, head, _) = http_with(configured.addr, "GET", "/api/v1/meta", "Origin: https://elsewhere.example\r\n", b"");
    assert!(!head.contains("access-control-allow-origin"), "{head}");
}

#[test]
fn a_long_batch_streams_with_shipped_reforms_and_a_broken_stream_ends_with_an_error_line() {
    let addr = server(2);
    let wage = |w: u32| {
        json!({"year": 2023, "persons": {"me": {"wage": {"2023-01..2023-12": w}, "insured": {"2023": false}}}})
            .to_string()
    };
    let n = 2_000;
    let body: String = (0..n).map(|i| wage(5_000 + i) + "\n").collect();
    let path = "/api/v1/calculate/batch?outputs=iit.total&reforms=no-2023-deduction-rise";
    let (status, head, answer) = http(addr, "POST", path, body.as_bytes());
    assert_eq!(status, 200);
    assert!(head.contains("transfer-encoding: chunked"), "streamed: {head}");
    let text = String::from_utf8_lossy(&answer);
    let lines: Vec<serde_json::Value> = text.lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    assert_eq!(lines.len(), n as usize);
    // In order, each with the baseline and the reform, equal to a single calculation.
    let single = json!({"situation": serde_json::from_str::<serde_json::Value>(&wage(5_000 + 1234)).expect("json"),
                        "outputs": ["iit.total"], "reforms": ["no-2023-deduction-rise"]});
    let (_, _, one) = http(addr, "POST", "/api/v1/calculate", single.to_string().as_bytes());
    assert_eq!(lines[1234]["persons"], json(&one)["persons"]);
    assert!(lines[1234]["persons"]["me"]["figures"]["no-2023-deduction-rise"]["iit.total"]["2023"].is_string());
    // An unknown shipped reform is refused before anything is read.
    assert_eq!(http(addr, "POST", "/api/v1/calculate/batch?reforms=nope", body.as_bytes()).0, 422);
    // A line over the limit ends the stream with an error line after the lines before it.
    let broken = format!("{}\n{}\n", wage(6000), "x".repeat(1_100_000));
    let (status, _, answer) = http(addr, "POST", "/api/v1/calculate/batch?outputs=iit.total", broken.as_bytes());
    assert_eq!(status, 200);
    let lines: Vec<serde_json::Value> =
        String::from_utf8_lossy(&answer).lines().map(|l| serde_json::from_str(l).expect("JSON line")).collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[1]["errors"][0]["rule"].as_str().is_some_and(|r| r.contains("longer than")), "{}", lines[1]);
}

/// Resident memory of this process (the server runs in it), in kB.
fn resident_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| l.strip_prefix("VmRSS:").map(|v| v.trim().trim_end_matches(" kB").parse().ok()))
        })
        .flatten()
        .unwrap_or(0)
}

/// Twice as many clients as calculation slots, each sending requests back
/// to back for a bounded time: every answer is 200 or an immediate 503 with
/// Retry-After, never another status, and memory does not grow with the
/// requests served.
#[test]
fn overload_is_refused_at_once_and_memory_stays_flat() {
    let slots = 2;
    let server = serve(Limits::new(slots));
    let addr = server.addr;
    let body = json!({"situation": family()}).to_string();
    let round = |seconds: u64| {
        let until = Instant::now() + Duration::from_secs(seconds);
        let clients: Vec<_> = (0..2 * slots)
            .map(|_| {
                let body = body.clone();
                std::thread::spawn(move || {
                    let (mut ok, mut busy, mut slowest_refusal) = (0, 0, Duration::ZERO);
                    while Instant::now() < until && ok + busy < 2_000 {
                        let sent = Instant::now();
                        let (status, head, answer) = http(addr, "POST", "/api/v1/calculate", body.as_bytes());
                        match status {
                            200 => ok += 1,
                            503 => {
                                assert!(head.contains("retry-after: 1"), "{head}");
                                busy += 1;
                                slowest_refusal = slowest_refusal.max(sent.elapsed());
                            }
                            other => panic!("{other}: {}", String::from_utf8_lossy(&answer)),
                        }
                    }
                    (ok, busy, slowest_refusal)
                })
            })
            .collect();
        clients
            .into_iter()
            .map(|c| c.join().expect("client"))
            .fold((0, 0, Duration::ZERO), |a, b| (a.0 + b.0, a.1 + b.1, a.2.max(b.2)))
    };
    let (ok, _, _) = round(3); // warm up: allocator pools, runtime threads
    let before = resident_kb();
    let (more, busy, slowest) = round(6);
    let after = resident_kb();
    assert!(ok > 0 && more > 0, "some requests are served");
    assert!(busy > 0, "twice the slots saturates them: some requests are refused");
    // A refusal does not wait for a slot (a calculation takes milliseconds; a second would be waiting).
    assert!(slowest < Duration::from_secs(1), "a refusal took {slowest:?}");
    assert!(after < before + 64 * 1024, "memory grew from {before} kB to {after} kB over {more} requests");
}
