//! Golden cases: each `cases/*.yaml` file holds a situation (the format of
//! `minsheng calc`), a line `---`, and what must come out: exact values by
//! entity, variable and period (`unknown` for a figure that cannot be known),
//! or the input error expected. Official worked
//! examples and hand-checked cases live here; each names its source.

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;

use minsheng_cn::RuleBook;
use minsheng_core::situation::Format;
use minsheng_core::{Entity, Eval, EvalError, Month, Period, Reform, Value};
use rust_decimal::Decimal;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    source: String,
    /// A reform (inline YAML) applied before computing.
    #[serde(default)]
    reform: Option<String>,
    /// entity id → variable → period → expected value.
    #[serde(default)]
    expect: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
    /// The input error expected instead: the field it names and words of its rule.
    #[serde(default)]
    error: Option<ExpectedError>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectedError {
    field: String,
    contains: String,
}

fn matches(value: &Value, expected: &str) -> bool {
    match value {
        Value::Unknown(_) => expected == "unknown",
        Value::Money(m) => Decimal::from_str(expected).is_ok_and(|d| d == m.to_decimal()),
        Value::Count(n) => expected.parse::<i64>().is_ok_and(|e| e == *n),
        Value::Number(d) => Decimal::from_str(expected).is_ok_and(|e| e == *d),
        other => other.to_string() == expected,
    }
}

/// A computed figure, an unknown one as `Value::Unknown` (a case may expect `unknown`).
fn figure(computed: Result<(minsheng_core::Key, Value), EvalError>) -> Result<Value, EvalError> {
    match computed {
        Ok((_, v)) => Ok(v),
        Err(EvalError::Unknown(u)) => Ok(Value::Unknown(u)),
        Err(e) => Err(e),
    }
}

fn run_case(book: &RuleBook, path: &Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let (situation_text, case_text) =
        text.split_once("\n---\n").ok_or("a case is a situation, a line `---`, then the expectations")?;
    let case: Case = serde_saphyr::from_str(case_text).map_err(|e| format!("expectations: {e}"))?;
    if case.source.trim().is_empty() {
        return Err(format!("{}: every case names its source", case.name));
    }
    let params = match &case.reform {
        Some(yaml) => Reform::from_yaml(yaml).and_then(|r| r.apply(&book.baseline)).map_err(|e| e.to_string())?,
        None => book.baseline.clone(),
    };
    let outcome = book.situation(situation_text, Format::Yaml).map_err(EvalError::from).and_then(|sit| {
        let mut ev = Eval::new(&book.registry, &params, &sit);
        // The population run's evaluator (no trace, knowledge dates merged
        // into their states, dense memo) must give the same figures.
        let mut quick = Eval::without_trace(&book.registry, &params, &sit);
        let mut checks = Vec::new();
        for (entity_id, vars) in &case.expect {
            let entity = match sit.person_index(entity_id) {
                Some(p) => Entity::Person(p),
                None => Entity::Household(sit.households.iter().position(|h| h.id == *entity_id).unwrap_or(usize::MAX)),
            };
            for (var, periods) in vars {
                for (period, expected) in periods {
                    let p = match period.parse::<Month>() {
                        Ok(m) => Period::Month(m),
                        Err(_) if period == "-" => Period::Eternity,
                        Err(_) => Period::Year(period.parse().unwrap_or_default()),
                    };
                    let value = figure(ev.compute(var, entity, p))?;
                    let untraced = figure(quick.compute(var, entity, p))?;
                    checks.push((format!("{entity_id} {var} {period}"), value, untraced, expected.clone()));
                }
            }
        }
        if case.error.is_some() {
            // An expected error may come from any figure: compute them all, as `minsheng calc` does.
            ev.compute_all()?;
        }
        Ok(checks)
    });
    match (outcome, &case.error) {
        (Ok(checks), None) => {
            let failures: Vec<String> = checks
                .iter()
                .filter(|(_, value, untraced, expected)| !matches(value, expected) || value != untraced)
                .map(|(what, value, untraced, expected)| {
                    format!("  {what}: got {value} (untraced {untraced}), expected {expected}")
                })
                .collect();
            if failures.is_empty() { Ok(checks.len()) } else { Err(format!("{}:\n{}", case.name, failures.join("\n"))) }
        }
        (Err(EvalError::Input(e)), Some(expected)) => {
            if e.field == expected.field && e.to_string().contains(&expected.contains) {
                Ok(1)
            } else {
                Err(format!(
                    "{}: got error `{e}`, expected field {} containing `{}`",
                    case.name, expected.field, expected.contains
                ))
            }
        }
        (Ok(_), Some(expected)) => Err(format!("{}: expected an error on {}, got none", case.name, expected.field)),
        (Err(e), _) => Err(format!("{}: {e}", case.name)),
    }
}

#[test]
fn golden_cases() {
    let book = RuleBook::embedded().expect("the embedded rule book loads");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut paths: Vec<_> = std::fs::read_dir(&dir).expect("cases folder").map(|e| e.expect("entry").path()).collect();
    paths.sort();
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in &paths {
        match run_case(&book, path) {
            Ok(n) => checked += n,
            Err(e) => failures.push(format!("{}: {e}", path.file_name().unwrap_or_default().to_string_lossy())),
        }
    }
    assert!(failures.is_empty(), "{} of {} cases failed:\n{}", failures.len(), paths.len(), failures.join("\n"));
    assert!(paths.len() >= 10 && checked >= 100, "too few cases ran: {} files, {checked} checks", paths.len());
}

/// An amount out of range and one finer than the fen are refused with the
/// reason in both languages, each its own (the web page shows the Chinese).
#[test]
fn amounts_out_of_range_or_below_the_fen_say_which_in_chinese_too() {
    let book = RuleBook::embedded().expect("rule book");
    let errors = |wage: &str| {
        let text = format!("{{\"year\": 2025, \"persons\": {{\"me\": {{\"wage\": {{\"2025-01\": {wage}}}}}}}}}");
        book.read_situation(&text, Format::Json).expect_err("refused")
    };
    let huge = &errors("1000000000000000")[0];
    assert!(huge.rule.contains("outside") && huge.rule_zh.as_deref().is_some_and(|z| z.contains("范围")), "{huge:?}");
    let fine = &errors("\"12.345\"")[0];
    assert!(
        fine.rule.contains("two decimal") && fine.rule_zh.as_deref().is_some_and(|z| z.contains("两位小数")),
        "{fine:?}"
    );
}
