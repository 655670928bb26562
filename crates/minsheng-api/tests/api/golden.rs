//! The golden cases of the rule book (`minsheng-cn/tests/cases`) through
//! `POST calculate`: one suite, two interfaces. Every expected figure must
//! come back to the fen in the calculation document, under the case's reform
//! (given inline) where it has one; an expected input error must come back
//! as a 422 naming the same field.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde_json::{Value as Json, json};

use super::{http, json, server};

#[derive(serde::Deserialize)]
struct Case {
    name: String,
    #[serde(default)]
    reform: Option<String>,
    #[serde(default)]
    expect: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
    #[serde(default)]
    error: Option<Expected>,
}

#[derive(serde::Deserialize)]
struct Expected {
    field: String,
    contains: String,
}

/// Whether a value of the document is the expected one (as the case writes it).
fn same(got: &Json, expected: &str) -> bool {
    match got {
        Json::Null => expected == "unknown",
        Json::String(s) => match (Decimal::from_str(s), Decimal::from_str(expected)) {
            (Ok(a), Ok(b)) => a == b,
            _ => s == expected,
        },
        Json::Number(n) => Decimal::from_str(&n.to_string()).ok() == Decimal::from_str(expected).ok(),
        Json::Bool(b) => expected == if *b { "yes" } else { "no" },
        _ => false,
    }
}

fn check(addr: std::net::SocketAddr, path: &Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let (situation, case) = text.split_once("\n---\n").ok_or("no `---`")?;
    let case: Case = serde_saphyr::from_str(case).map_err(|e| e.to_string())?;
    let situation: Json = serde_saphyr::from_str(situation).map_err(|e| e.to_string())?;
    let reform: Option<Json> =
        case.reform.as_deref().map(serde_saphyr::from_str).transpose().map_err(|e| format!("reform: {e}"))?;
    let mut outputs: Vec<&str> = case.expect.values().flat_map(|vars| vars.keys().map(String::as_str)).collect();
    outputs.sort_unstable();
    outputs.dedup();
    let request = json!({"situation": situation, "outputs": outputs, "reforms": reform.iter().collect::<Vec<_>>()});
    let (status, _, body) = http(addr, "POST", "/api/v1/calculate", request.to_string().as_bytes());
    let doc = json(&body);
    if let Some(expected) = &case.error {
        let found = doc["errors"].as_array().into_iter().flatten().any(|e| {
            e["field"] == expected.field.as_str()
                && e["message"]["en"].as_str().is_some_and(|m| m.contains(&expected.contains))
        });
        return if status == 422 && found {
            Ok(1)
        } else {
            Err(format!(
                "{}: expected 422 on {} ({}), got {status}: {doc}",
                case.name, expected.field, expected.contains
            ))
        };
    }
    if status != 200 {
        return Err(format!("{}: {status} {doc}", case.name));
    }
    let scenario = match &reform {
        Some(r) => r["name"].as_str().unwrap_or_default().to_string(),
        None => "baseline".to_string(),
    };
    let mut checked = 0;
    let mut failures = Vec::new();
    for (entity, vars) in &case.expect {
        let figures = if doc["persons"].get(entity).is_some() {
            &doc["persons"][entity]["figures"][&scenario]
        } else {
            &doc["households"][entity]["figures"][&scenario]
        };
        for (var, periods) in vars {
            for (period, expected) in periods {
                let key = if period == "-" { "eternity" } else { period.as_str() };
                let got = &figures[var][key];
                if !same(got, expected) {
                    failures.push(format!("  {entity} {var} {period}: got {got}, expected {expected}"));
                }
                checked += 1;
            }
        }
    }
    if failures.is_empty() { Ok(checked) } else { Err(format!("{}:\n{}", case.name, failures.join("\n"))) }
}

#[test]
fn the_golden_cases_through_the_api() {
    let addr = server(2);
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../minsheng-cn/tests/cases");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).expect("cases").map(|e| e.expect("entry").path()).collect();
    paths.sort();
    let (mut checked, mut failures) = (0, Vec::new());
    for path in &paths {
        match check(addr, path) {
            Ok(n) => checked += n,
            Err(e) => failures.push(format!("{}: {e}", path.display())),
        }
    }
    assert!(failures.is_empty(), "{} of {} cases differ:\n{}", failures.len(), paths.len(), failures.join("\n"));
    assert!(paths.len() >= 80 && checked >= 450, "{} cases, {checked} figures", paths.len());
}
