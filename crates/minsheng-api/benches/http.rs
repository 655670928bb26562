//! The API's latency and throughput on loopback, server and load generator
//! in one process (on this 2-core machine they share the cores, as a
//! payroll system and the server on one host would):
//!
//! - one wage earner's annual tax, contributions and take-home
//!   (`outputs` = 3 figures): p50/p90/p99 with one request in flight, and
//!   requests a second with as many connections as calculation slots;
//! - the toddler-parent family of `examples/`, every figure of the year: the same;
//! - `calculate/batch`: wage earners a second, asking only those figures.
//!
//! Each request is logged as the server logs it (JSON lines at level info),
//! into a sink. Run: `cargo bench -p minsheng-api --bench http` (`-- --quick`
//! for a short run).
//! The client is a keep-alive HTTP/1.1 client on `std::net`, written here so
//! that the figures include no client library's overhead of its own.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use minsheng_api::{AppState, Limits};
use minsheng_cn::RuleBook;

/// A keep-alive connection.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    fn connect(addr: SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).expect("connect");
        stream.set_nodelay(true).expect("nodelay");
        Client { writer: stream.try_clone().expect("clone"), reader: BufReader::new(stream) }
    }

    /// Sends one request and reads the whole response: the status and the body's length.
    fn post(&mut self, path: &str, content_type: &str, body: &[u8]) -> (u16, usize) {
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        self.writer.write_all(head.as_bytes()).expect("write head");
        self.writer.write_all(body).expect("write body");
        let mut line = String::new();
        self.reader.read_line(&mut line).expect("status line");
        let status: u16 = line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status");
        let (mut length, mut chunked) = (0usize, false);
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("header");
            let header = line.trim_end().to_ascii_lowercase();
            if header.is_empty() {
                break;
            }
            if let Some(v) = header.strip_prefix("content-length:") {
                length = v.trim().parse().expect("length");
            }
            if header == "transfer-encoding: chunked" {
                chunked = true;
            }
        }
        if !chunked {
            let mut body = vec![0; length];
            self.reader.read_exact(&mut body).expect("body");
            return (status, length);
        }
        let mut total = 0;
        loop {
            line.clear();
            self.reader.read_line(&mut line).expect("chunk size");
            let size = usize::from_str_radix(line.trim(), 16).expect("hex size");
            let mut chunk = vec![0; size + 2];
            self.reader.read_exact(&mut chunk).expect("chunk");
            total += size;
            if size == 0 {
                return (status, total);
            }
        }
    }
}

fn start(concurrency: usize) -> SocketAddr {
    let state = AppState::new(RuleBook::embedded().expect("rule book"), Limits::new(concurrency));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            tx.send(listener.local_addr().expect("addr")).expect("send");
            minsheng_api::serve(listener, Arc::clone(&state), std::future::pending()).await.expect("serve");
        });
    });
    rx.recv().expect("address")
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 * p).ceil() as usize).clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1e3)
}

/// Latency with one request in flight: (p50, p90, p99, max).
fn latency(addr: SocketAddr, body: &[u8], warm: usize, n: usize) -> [Duration; 4] {
    let mut client = Client::connect(addr);
    for _ in 0..warm {
        assert_eq!(client.post("/api/v1/calculate", "application/json", body).0, 200);
    }
    let mut times: Vec<Duration> = (0..n)
        .map(|_| {
            let t = Instant::now();
            let (status, _) = client.post("/api/v1/calculate", "application/json", body);
            assert_eq!(status, 200);
            t.elapsed()
        })
        .collect();
    times.sort();
    [percentile(&times, 0.5), percentile(&times, 0.9), percentile(&times, 0.99), times[times.len() - 1]]
}

/// Resident memory of this process, in MB.
fn resident_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines().find_map(|l| l.strip_prefix("VmRSS:")?.trim().trim_end_matches(" kB").parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// `connections` clients back to back for `seconds`: served a second, refused, and the slowest refusal.
fn load(addr: SocketAddr, body: &[u8], connections: usize, seconds: f64) -> (f64, usize, Duration) {
    let until = Instant::now() + Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let clients: Vec<_> = (0..connections)
        .map(|_| {
            let body = body.to_vec();
            std::thread::spawn(move || {
                let mut client = Client::connect(addr);
                let (mut ok, mut refused, mut slowest) = (0usize, 0usize, Duration::ZERO);
                while Instant::now() < until {
                    let t = Instant::now();
                    match client.post("/api/v1/calculate", "application/json", &body).0 {
                        200 => ok += 1,
                        503 => {
                            refused += 1;
                            slowest = slowest.max(t.elapsed());
                        }
                        other => panic!("status {other}: neither served nor refused"),
                    }
                }
                (ok, refused, slowest)
            })
        })
        .collect();
    let (ok, refused, slowest) = clients
        .into_iter()
        .map(|c| c.join().expect("client"))
        .fold((0, 0, Duration::ZERO), |a, b| (a.0 + b.0, a.1 + b.1, a.2.max(b.2)));
    (ok as f64 / started.elapsed().as_secs_f64(), refused, slowest)
}

fn wage_earner(wage: u32) -> serde_json::Value {
    serde_json::json!({"year": 2025, "persons": {"worker": {
        "birth_date": "1990-05-01", "locality": "national", "wage": {"2025-01..2025-12": wage}
    }}})
}

fn main() {
    // Each request is logged as `minsheng serve` logs it (JSON, level info), to a sink.
    let _ = tracing_subscriber::fmt().json().with_writer(std::io::sink).try_init();
    let quick = std::env::args().any(|a| a == "--quick");
    let (warm, n, seconds, batch, overloaded) =
        if quick { (200, 1_000, 2.0, 5_000, 5.0) } else { (2_000, 10_000, 10.0, 50_000, 60.0) };
    let cores = std::thread::available_parallelism().map_or(1, |c| c.get());
    let addr = start(cores);
    let outputs = ["iit.total", "income.contributions", "income.disposable"];
    let worker = serde_json::json!({"situation": wage_earner(15_000), "outputs": outputs}).to_string();
    let family_text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/toddler-parent-2023.yaml"))
            .expect("example");
    let family: serde_json::Value = serde_saphyr::from_str(&family_text).expect("YAML");
    let family = serde_json::json!({"situation": family}).to_string();

    println!("minsheng API on loopback, {cores} cores, {cores} calculation slots, server and client in one process");
    println!("{:<52} {:>8} {:>8} {:>8} {:>8} {:>12}", "request", "p50 ms", "p90 ms", "p99 ms", "max ms", "requests/s");
    for (name, body) in [
        ("one wage earner, tax + contributions + take-home", &worker),
        ("toddler-parent family, every figure", &family),
    ] {
        let [p50, p90, p99, max] = latency(addr, body.as_bytes(), warm, n);
        let (rate, refused, _) = load(addr, body.as_bytes(), cores, seconds);
        println!("{name:<52} {:>8} {:>8} {:>8} {:>8} {rate:>12.0}", ms(p50), ms(p90), ms(p99), ms(max));
        assert_eq!(refused, 0, "as many connections as slots: none refused");
    }

    let lines: String = (0..batch).map(|i| wage_earner(3_000 + (i % 40_000) as u32).to_string() + "\n").collect();
    let mut client = Client::connect(addr);
    let path = format!("/api/v1/calculate/batch?outputs={}", outputs.join(","));
    let warm_up: String = lines.lines().take(batch / 10).map(|l| format!("{l}\n")).collect();
    client.post(&path, "application/x-ndjson", warm_up.as_bytes());
    let t = Instant::now();
    let (status, bytes) = client.post(&path, "application/x-ndjson", lines.as_bytes());
    let elapsed = t.elapsed().as_secs_f64();
    assert_eq!(status, 200);
    println!(
        "calculate/batch: {batch} wage earners, 3 figures each: {:.2} s, {:.0} households/s ({:.1} MB in, {:.1} MB out)",
        elapsed,
        batch as f64 / elapsed,
        lines.len() as f64 / 1e6,
        bytes as f64 / 1e6
    );

    // Twice the saturating concurrency: every request served or refused at once, memory flat.
    let before = resident_mb();
    let (rate, refused, slowest) = load(addr, family.as_bytes(), 2 * cores, overloaded);
    println!(
        "overload: {} connections for {overloaded:.0} s on {cores} slots: {rate:.0} served/s, {refused} refused with 503 \
         (slowest refusal {} ms), no other status; memory {before:.0} MB before, {:.0} MB after",
        2 * cores,
        ms(slowest),
        resident_mb()
    );
}
