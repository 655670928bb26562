//! The HTTP API on an ephemeral loopback port: every endpoint, the same
//! figures as the library the CLI uses, reforms inline equal to reform files,
//! bad requests as 4xx problem documents, random bodies never a 5xx, and
//! refusal with 503 and Retry-After when no calculation slot is free; the
//! golden cases through the API ([`golden`]); population jobs and shutdown
//! ([`jobs`]); request ids, CORS, streaming and overload ([`service`]); the pension
//! projection ([`pension`]).

mod golden;
mod jobs;
mod pension;
mod service;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;

use minsheng_api::{AppState, Limits};
use minsheng_cn::RuleBook;

/// A running server: its address and state, and what stops it.
struct Server {
    addr: SocketAddr,
    state: Arc<AppState>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: Option<std::sync::mpsc::Receiver<()>>,
}

impl Server {
    /// Stops the server as SIGTERM would, and waits until `serve` has returned.
    fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(done) = self.done.take() {
            done.recv_timeout(std::time::Duration::from_secs(60)).expect("the server stops");
        }
    }
}

/// A server under `limits` on a free loopback port, on its own runtime thread.
fn serve(limits: Limits) -> Server {
    let state = AppState::new(RuleBook::embedded().expect("rule book"), limits);
    let (tx, rx) = std::sync::mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let (done_tx, done) = std::sync::mpsc::channel();
    let served = Arc::clone(&state);
    std::thread::spawn(move || {
        let rt = tokio::runtime::Runtime::new().expect("runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
            tx.send(listener.local_addr().expect("addr")).expect("send");
            let signal = async {
                let _ = stopped.await;
            };
            minsheng_api::serve(listener, served, signal).await.expect("serve");
        });
        let _ = done_tx.send(());
    });
    Server { addr: rx.recv().expect("the server's address"), state, stop: Some(stop), done: Some(done) }
}

/// A server with `permits` calculation slots and the other limits by default.
fn server(permits: usize) -> SocketAddr {
    let mut s = serve(Limits::new(permits));
    // Never stopped (dropping the sender would stop it): the test process ends it.
    if let Some(stop) = s.stop.take() {
        std::mem::forget(stop);
    }
    s.addr
}

/// One HTTP/1.1 request; the status, the headers (lowercase names) and the body.
fn http(addr: SocketAddr, method: &str, path: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
    http_with(addr, method, path, "", body)
}

/// One HTTP/1.1 request with extra header lines (each ending in `\r\n`).
fn http_with(addr: SocketAddr, method: &str, path: &str, headers: &str, body: &[u8]) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("write");
    let _ = stream.write_all(body);
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response);
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("a response head");
    let head = String::from_utf8_lossy(&response[..split]).to_lowercase();
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("a status");
    let mut body = response[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    (status, head, body)
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(std::str::from_utf8(&data[..line_end]).unwrap_or("0").trim(), 16).unwrap_or(0);
        if size == 0 {
            break;
        }
        let start = line_end + 2;
        out.extend_from_slice(&data[start..start + size]);
        data = &data[start + size + 2..];
    }
    out
}

fn json(body: &[u8]) -> serde_json::Value {
    serde_json::from_slice(body).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(body)))
}

/// The toddler-parent example as JSON.
fn family() -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/toddler-parent-2023.yaml"))
        .expect("example");
    serde_saphyr::from_str(&text).expect("YAML")
}

#[test]
fn meta_variables_and_inputs() {
    let addr = server(2);
    let (status, head, body) = http(addr, "GET", "/api/v1/meta", b"");
    assert_eq!(status, 200);
    assert!(head.contains("application/json"));
    let meta = json(&body);
    assert_eq!(meta["schema_version"], "1.0");
    assert!(meta["years"].as_array().expect("years").iter().any(|y| y == 2027));
    // The population's years: 2021–2025 from data, 2026 on projected.
    let population = meta["population_years"].as_array().expect("population years");
    assert!(population.iter().any(|y| y["year"] == 2025 && y["projected"] == false));
    assert!(population.iter().any(|y| y["year"] == 2026 && y["projected"] == true));
    assert_eq!(meta["rule_book"]["hash"].as_str().expect("hash").len(), 16);
    let (status, _, body) = http(addr, "GET", "/api/v1/variables/iit.total", b"");
    assert_eq!(status, 200);
    let var = json(&body);
    assert_eq!((var["unit"].as_str(), var["period"].as_str()), (Some("yuan"), Some("year")));
    assert!(var["required_inputs"].as_array().expect("inputs").iter().any(|i| i == "wage"));
    let (status, head, body) = http(addr, "GET", "/api/v1/variables/iit.nope", b"");
    assert_eq!(status, 404);
    assert!(head.contains("application/problem+json"));
    assert_eq!(json(&body)["status"], 404);
    let (status, _, body) = http(addr, "GET", "/api/v1/variables", b"");
    assert_eq!(status, 200);
    assert!(json(&body)["variables"].as_array().expect("list").len() > 150);
    let (status, _, body) = http(addr, "GET", "/api/v1/inputs", b"");
    assert_eq!(status, 200);
    assert_eq!(json(&body)["title"], "minsheng situation");
    assert_eq!(http(addr, "GET", "/api/v1/nothing", b"").0, 404);
    // The views name variables of the rule book, each with its headings in both languages.
    let (status, _, body) = http(addr, "GET", "/api/v1/views", b"");
    assert_eq!(status, 200);
    let views = json(&body);
    let book = RuleBook::embedded().expect("rule book");
    let months = views["months"].as_array().expect("months");
    assert!(months.iter().any(|c| c["variable"] == "iit.withholding.wage_tax" && c["always"] == true));
    for c in months {
        assert!(book.registry.get(c["variable"].as_str().expect("name")).is_some(), "{c}");
        assert!(c["heading"]["zh"].is_string() && c["heading"]["en"].is_string());
    }
    assert_eq!(views["statement"].as_array().map(Vec::len), Some(5));
}

#[test]
fn calculate_gives_the_figures_of_the_library_with_reforms_inline() {
    let addr = server(2);
    let reform = serde_json::json!({
        "name": "infant-3000",
        "label": {"zh": "婴幼儿照护3000元", "en": "Infant care 3,000"},
        "changes": [{"parameter": "iit.special_additional.infant_care_per_child", "from": "2023-01-01", "amount": 3000}],
    });
    let request = serde_json::json!({"situation": family(), "reforms": [reform], "outputs": ["iit.total", "iit.withholding.wage_tax"]});
    let (status, _, body) = http(addr, "POST", "/api/v1/calculate", request.to_string().as_bytes());
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let doc = json(&body);
    let mother = &doc["persons"]["mother"]["figures"];
    // The same figures as the library that `minsheng calc` uses.
    let book = RuleBook::embedded().expect("rule book");
    let sit = book.situation(&family().to_string(), minsheng_core::situation::Format::Json).expect("situation");
    let r = minsheng_core::Reform::from_yaml(&reform.to_string()).expect("reform");
    let params = r.apply(&book.baseline).expect("applies");
    let scenarios = [
        minsheng_calc::Scenario::baseline(&book.baseline),
        minsheng_calc::Scenario { id: r.name.clone(), label: r.label.clone(), params: &params },
    ];
    let mother_index = sit.person_index("mother").expect("mother");
    let mut expected = Vec::new();
    minsheng_calc::calculate(&book, sit, &scenarios, &minsheng_calc::Outputs::All, |part| {
        if let Some(p) = part.situation.person_index("mother") {
            let _ = mother_index;
            for f in &part.figures {
                let v = f.get(
                    &book.registry,
                    &minsheng_cn::iit::annual::TOTAL,
                    minsheng_core::Entity::Person(p),
                    minsheng_core::Period::Year(2023),
                );
                expected.push(v.to_string().replace(',', ""));
            }
        }
        Ok::<(), minsheng_core::EvalError>(())
    })
    .expect("computes");
    assert_eq!(mother["baseline"]["iit.total"]["2023"].as_str(), Some(expected[0].as_str()));
    assert_eq!(mother["infant-3000"]["iit.total"]["2023"].as_str(), Some(expected[1].as_str()));
    assert_ne!(expected[0], expected[1], "the reform changes the tax");
    assert!(mother["baseline"].get("iit.annual.tax").is_none(), "only the outputs asked for");
}

#[test]
fn bad_requests_are_problem_documents() {
    let addr = server(2);
    let cases: Vec<(Vec<u8>, u16, &str)> = vec![
        (b"{not json".to_vec(), 400, "not a calculation request"),
        (b"[1, 2]".to_vec(), 400, "not a calculation request"),
        (br#"{"situation": {"year": 2023}, "extra": 1}"#.to_vec(), 400, "unknown field"),
        (br#"{"situation": {"year": 2023, "persons": {"a": {"wage": {"2023-13": 1}}}}}"#.to_vec(), 422, "persons.a.wage.2023-13"),
        (br#"{"situation": {"year": 2023, "persons": {"a": {"wage": "lots"}}}}"#.to_vec(), 422, "persons.a.wage"),
        (br#"{"situation": {"year": 2023, "persons": {"a": {}}}, "outputs": ["iit.nope"]}"#.to_vec(), 422, "iit.nope"),
        (
            br#"{"situation": {"year": 2023, "persons": {"a": {}}}, "reforms": [{"name": "r", "label": {"zh": "r", "en": "r"}, "changes": [{"parameter": "iit.nope", "from": "2023-01-01", "amount": 1}]}]}"#.to_vec(),
            422,
            "iit.nope",
        ),
        (
            br#"{"situation": {"year": 2023, "persons": {"a": {}}}, "reforms": [{"name": "r", "label": {"zh": "r", "en": "r"}, "changes": [{"parameter": "social_insurance.contributions.pension_employee_rate", "from": "2023-01-01", "rate": 2}]}]}"#.to_vec(),
            422,
            "greatest value allowed",
        ),
    ];
    for (body, code, words) in cases {
        let (status, head, answer) = http(addr, "POST", "/api/v1/calculate", &body);
        assert_eq!(status, code, "{}", String::from_utf8_lossy(&answer));
        assert!(head.contains("application/problem+json"), "{head}");
        let text = String::from_utf8_lossy(&answer);
        assert!(text.contains(words), "{words} missing from {text}");
    }
    // An oversized body is refused before it is read whole.
    let huge = vec![b' '; minsheng_api::BODY_LIMIT + 10];
    assert_eq!(http(addr, "POST", "/api/v1/calculate", &huge).0, 413);
}

#[test]
fn random_bodies_never_give_a_5xx() {
    let addr = server(2);
    let valid = serde_json::json!({"situation": family(), "outputs": ["iit.total"]}).to_string();
    let mut mutator = minsheng_fuzz::Mutator::new(14);
    for _ in 0..120 {
        let body = mutator.mutate(valid.as_bytes());
        let (status, _, answer) = http(addr, "POST", "/api/v1/calculate", &body);
        assert!(status < 500, "{status}: {}", String::from_utf8_lossy(&answer));
    }
}

#[test]
fn no_free_slot_is_503_with_retry_after_at_once() {
    let addr = server(0);
    let request = serde_json::json!({"situation": family()}).to_string();
    let (status, head, _) = http(addr, "POST", "/api/v1/calculate", request.as_bytes());
    assert_eq!(status, 503);
    assert!(head.contains("retry-after: 1"), "{head}");
}

#[test]
fn parameters_with_history_values_on_a_date_as_known_and_changes() {
    let addr = server(2);
    let (status, _, body) = http(addr, "GET", "/api/v1/parameters", b"");
    assert_eq!(status, 200);
    assert!(json(&body)["parameters"].as_array().expect("list").len() > 80);
    let path = "/api/v1/parameters/iit.special_additional.infant_care_per_child";
    let (status, _, body) = http(addr, "GET", path, b"");
    assert_eq!(status, 200);
    assert!(json(&body)["entries"].as_array().expect("history").len() >= 3);
    // 2023's rise (国发〔2023〕13号) was announced in August: as known in March, the old 1,000 applied.
    let (_, _, body) = http(addr, "GET", &format!("{path}?at=2023-03-01&known_at=2023-03-31"), b"");
    assert_eq!(json(&body)["entry"]["value"], "1000.00", "{}", String::from_utf8_lossy(&body));
    let (_, _, body) = http(addr, "GET", &format!("{path}?at=2023-03-01"), b"");
    assert_eq!(json(&body)["entry"]["value"], "2000.00");
    assert_eq!(http(addr, "GET", &format!("{path}?at=2023-02-30"), b"").0, 422);
    assert_eq!(http(addr, "GET", "/api/v1/parameters/iit.nope", b"").0, 404);
    let (status, _, body) = http(addr, "GET", "/api/v1/parameters/diff?from=2022-06-30&to=2023-09-01", b"");
    assert_eq!(status, 200);
    let changes = json(&body)["changes"].as_array().expect("changes").clone();
    assert!(changes.iter().any(|c| c["path"] == "iit.special_additional.infant_care_per_child"));
}

#[test]
fn a_batch_answers_each_line_in_order_and_names_a_bad_one() {
    let addr = server(2);
    let good = serde_json::json!({"year": 2024, "persons": {"me": {"wage": {"2024-01..2024-12": 10000}, "insured": {"2024": false}}}}).to_string();
    let bad = r#"{"year": 2024, "persons": {"me": {"wage": {"2024-13": 1}}}}"#;
    let body = format!("{good}\n{bad}\n{good}\n");
    let (status, head, answer) = http(addr, "POST", "/api/v1/calculate/batch?outputs=iit.total", body.as_bytes());
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    assert!(head.contains("application/x-ndjson"));
    let lines: Vec<serde_json::Value> =
        String::from_utf8_lossy(&answer).lines().map(|l| serde_json::from_str(l).expect("a JSON line")).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["persons"]["me"]["figures"]["baseline"]["iit.total"]["2024"], "3480.00");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["errors"][0]["field"], "persons.me.wage.2024-13");
    assert_eq!(lines[2], lines[0]);
    assert_eq!(http(addr, "POST", "/api/v1/calculate/batch?outputs=iit.nope", body.as_bytes()).0, 422);
}

/// Resolves a local JSON pointer (`#/components/schemas/X/properties/y`) in `doc`.
fn resolve<'a>(doc: &'a serde_json::Value, pointer: &str) -> Option<&'a serde_json::Value> {
    doc.pointer(pointer.strip_prefix('#')?)
}

fn refs(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(r)) = map.get("$ref") {
                out.push(r.clone());
            }
            map.values().for_each(|v| refs(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

/// The OpenAPI description covers every endpoint, every `$ref` in it
/// resolves, and what the server answers validates against its components.
#[test]
fn openapi_describes_what_is_served() {
    let addr = server(2);
    let (status, _, body) = http(addr, "GET", "/api/v1/openapi.json", b"");
    assert_eq!(status, 200);
    let doc = json(&body);
    assert_eq!(doc["openapi"], "3.1.0");
    for path in [
        "/api/v1/meta",
        "/api/v1/variables",
        "/api/v1/variables/{name}",
        "/api/v1/inputs",
        "/api/v1/parameters",
        "/api/v1/parameters/{path}",
        "/api/v1/parameters/diff",
        "/api/v1/calculate",
        "/api/v1/calculate/batch",
        "/api/v1/pension/projection",
        "/api/v1/reforms",
        "/api/v1/simulations",
        "/api/v1/simulations/{id}",
        "/api/v1/openapi.json",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} is not described");
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(all.len() > 10);
    for r in &all {
        assert!(resolve(&doc, r).is_some(), "{r} does not resolve");
    }
    // A served calculation document and a served problem validate against the components.
    let against = |name: &str| {
        let wrapper = serde_json::json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$ref": format!("#/components/schemas/{name}"),
            "components": doc["components"],
        });
        jsonschema::validator_for(&wrapper).expect("a valid schema")
    };
    let request = serde_json::json!({"situation": family()});
    let (_, _, answer) = http(addr, "POST", "/api/v1/calculate", request.to_string().as_bytes());
    let calculation = against("Calculation");
    let served = json(&answer);
    let errors: Vec<String> = calculation.iter_errors(&served).take(3).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    let mut broken = served.clone();
    broken["persons"]["mother"]["figures"]["baseline"]["iit.total"]["2023"] = serde_json::json!(9840.0);
    assert!(!calculation.is_valid(&broken), "an amount as a number breaks the schema");
    assert!(against("Situation").is_valid(&family()));
    let (_, _, answer) = http(
        addr,
        "POST",
        "/api/v1/calculate",
        br#"{"situation": {"year": 2023, "persons": {"a": {"wage": {"2023-13": 1}}}}}"#,
    );
    assert!(against("Problem").is_valid(&json(&answer)), "{}", String::from_utf8_lossy(&answer));
}

#[test]
fn shipped_reforms_by_name_explanations_and_axes() {
    let addr = server(2);
    let (status, _, body) = http(addr, "GET", "/api/v1/reforms", b"");
    assert_eq!(status, 200);
    let shipped = json(&body)["reforms"].as_array().expect("list").clone();
    assert_eq!(shipped.len(), minsheng_cn::shipped_reforms().count(), "every shipped reform is listed");
    let named = shipped.iter().find(|r| r["name"] == "no-2023-infant-care-rise").expect("listed");
    // By name or inline, the same reform gives the same document.
    let outputs = ["iit.total", "income.disposable"];
    let by_name =
        serde_json::json!({"situation": family(), "outputs": outputs, "reforms": ["no-2023-infant-care-rise"]});
    let inline = serde_json::json!({"situation": family(), "outputs": outputs, "reforms": [named["reform"]]});
    let (_, _, a) = http(addr, "POST", "/api/v1/calculate", by_name.to_string().as_bytes());
    let (_, _, b) = http(addr, "POST", "/api/v1/calculate", inline.to_string().as_bytes());
    assert_eq!(json(&a), json(&b));
    let reform_id = named["reform"]["name"].as_str().expect("name");
    let doc = json(&a);
    let mother = &doc["persons"]["mother"]["figures"];
    assert_ne!(mother["baseline"]["iit.total"]["2023"], mother[reform_id]["iit.total"]["2023"]);
    // The difference is the reform's figure less the baseline's, exactly; unchanged figures are left out.
    let amount = |v: &serde_json::Value| v.as_str().expect("amount").parse::<rust_decimal::Decimal>().expect("decimal");
    let delta = &doc["differences"][reform_id]["persons"]["mother"]["iit.total"]["2023"];
    assert_eq!(
        amount(delta),
        amount(&mother[reform_id]["iit.total"]["2023"]) - amount(&mother["baseline"]["iit.total"]["2023"])
    );
    assert!(doc["differences"][reform_id]["persons"].get("toddler").is_none(), "the toddler's figures do not change");

    // An explanation under each scenario, its value the document's.
    let request = serde_json::json!({
        "situation": family(), "outputs": outputs, "reforms": ["no-2023-infant-care-rise"],
        "explain": [{"variable": "iit.total", "entity": "mother"}],
        "axes": {"person": "mother", "input": "wage", "from": 0, "to": "60000", "step": "5000"},
    });
    let (status, _, body) = http(addr, "POST", "/api/v1/calculate", request.to_string().as_bytes());
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    let doc = json(&body);
    let explained = &doc["explanations"][0]["scenarios"];
    for scenario in ["baseline", reform_id] {
        let figure = &doc["persons"]["mother"]["figures"][scenario]["iit.total"]["2023"];
        assert_eq!(&explained[scenario]["value"], figure, "{scenario}");
        assert!(explained[scenario]["sources"].as_array().is_some_and(|s| !s.is_empty()));
    }
    // The axis: 13 points, the tax rising with the wage, and at the mother's own wage the document's figure.
    let axis = &doc["axis"];
    let values = axis["values"].as_array().expect("values");
    assert_eq!(values.len(), 13);
    let tax: Vec<rust_decimal::Decimal> = axis["figures"]["baseline"]["iit.total"]["mother"]["2023"]
        .as_array()
        .expect("series")
        .iter()
        .map(|v| v.as_str().expect("amount").parse().expect("decimal"))
        .collect();
    assert!(tax.windows(2).all(|w| w[0] <= w[1]) && tax[0].is_zero() && tax[12] > tax[4], "{tax:?}");
    let own_wage =
        family()["persons"]["mother"]["wage"].as_object().expect("wage").values().next().cloned().expect("wage");
    let at = values
        .iter()
        .position(|v| v.as_str().and_then(|s| s.parse::<f64>().ok()) == own_wage.as_f64())
        .expect("own wage");
    assert_eq!(
        axis["figures"]["baseline"]["iit.total"]["mother"]["2023"][at],
        doc["persons"]["mother"]["figures"]["baseline"]["iit.total"]["2023"]
    );
    // Its slopes are marginal rates of the rule book's brackets, and each kink names the rules causing it.
    let slopes = axis["slopes"]["baseline"]["iit.total"]["mother"]["2023"].as_array().expect("slopes");
    assert_eq!(slopes.len(), 12);
    let rates = ["0", "0.03", "0.1", "0.2", "0.25", "0.3", "0.35", "0.45"];
    assert!(slopes.iter().any(|r| r.as_str().is_some_and(|r| r != "0" && rates.contains(&r))), "{slopes:?}");
    let kinks = axis["kinks"]["baseline"].as_array().expect("kinks");
    assert!(kinks.iter().any(|k| k["figure"] == "iit.total"), "{kinks:?}");
    for k in kinks {
        assert!(k["causes"].as_array().is_some_and(|c| !c.is_empty()), "a kink without a cause: {k}");
    }
    // The document with both validates against the OpenAPI description.
    let (_, _, spec) = http(addr, "GET", "/api/v1/openapi.json", b"");
    let spec = json(&spec);
    let wrapper = serde_json::json!({"$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": "#/components/schemas/Calculation", "components": spec["components"]});
    let validator = jsonschema::validator_for(&wrapper).expect("schema");
    let errors: Vec<String> = validator.iter_errors(&doc).take(3).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");

    // Bad asks name their field.
    let situation = family();
    for (extra, field) in [
        (serde_json::json!({"explain": [{"variable": "iit.nope"}]}), "explain[0].variable"),
        (serde_json::json!({"explain": [{"variable": "iit.total", "entity": "nobody"}]}), "explain[0].entity"),
        (serde_json::json!({"explain": [{"variable": "iit.withholding.wage_tax"}]}), "explain[0].period"),
        (serde_json::json!({"axes": {"input": "wage", "from": 0, "to": 1000, "step": 100}}), "outputs"),
        (
            serde_json::json!({"outputs": ["iit.total"], "axes": {"input": "wage", "from": 0, "to": 100000, "step": 1}}),
            "axes.step",
        ),
        (
            serde_json::json!({"outputs": ["iit.total"], "axes": {"input": "wage", "from": 0, "to": 1000, "step": "0.001"}}),
            "axes.step",
        ),
        (
            serde_json::json!({"outputs": ["iit.total"], "axes": {"input": "birth_date", "from": 0, "to": 1, "step": 1}}),
            "axes.input",
        ),
        (serde_json::json!({"reforms": ["no-such-reform"]}), "reforms[0]"),
    ] {
        let mut request = extra.clone();
        request["situation"] = situation.clone();
        let (status, _, body) = http(addr, "POST", "/api/v1/calculate", request.to_string().as_bytes());
        assert_eq!(status, 422, "{extra}: {}", String::from_utf8_lossy(&body));
        assert_eq!(json(&body)["errors"][0]["field"], field, "{extra}");
    }
}
