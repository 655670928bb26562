//! # minsheng-fuzz
//!
//! The fuzz targets of minsheng: each takes arbitrary bytes as a user could
//! give them (a situation in JSON or YAML, a reform file, a parameter file of
//! a rules folder, microdata rows) and runs them through the reader and, where
//! they read, through the calculation. The only outcomes allowed are a result
//! or a clear input error ([`Outcome`]); a panic or an internal error is a bug.
//!
//! The same targets serve the stable test harness (`tests/fuzz.rs`: the seed
//! corpus in `fuzz/corpus/`, replayed, and seeded random mutations of it,
//! bounded in CI, or for a chosen time with `MINSHENG_FUZZ_SECONDS`) and
//! cargo-fuzz on nightly (`fuzz/`, coverage-guided).

mod mutate;

use std::sync::OnceLock;

use minsheng_calc::{Outputs, Part, Scenario};
use minsheng_cn::RuleBook;
use minsheng_core::params::RuleFile;
use minsheng_core::situation::Format;
use minsheng_core::{EvalError, Reform, Situation};

pub use mutate::Mutator;

/// How one input ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Read and computed.
    Computed,
    /// Refused with a clear input error (the message names what is wrong).
    Refused(String),
    /// A bug: an internal error on user input (a panic is caught by the harness).
    Internal(String),
}

/// The embedded rule book, loaded once.
pub fn book() -> &'static RuleBook {
    static BOOK: OnceLock<RuleBook> = OnceLock::new();
    BOOK.get_or_init(|| RuleBook::embedded().expect("the embedded rule book loads"))
}

/// The outcome of computing `situation` under `scenarios` (every figure).
fn compute(book: &RuleBook, situation: Situation, scenarios: &[Scenario<'_>]) -> Outcome {
    // Cap the work a fuzzed input can ask for, as the CLI's input limit does.
    if situation.persons.len() > 200 {
        return Outcome::Refused("too many persons for a fuzz case".into());
    }
    for part in situation.into_components() {
        match Part::compute(book, part, scenarios, &Outputs::All) {
            Ok(_) => {}
            Err(EvalError::Input(e)) => return Outcome::Refused(e.to_string()),
            Err(e) => return Outcome::Internal(e.to_string()),
        }
    }
    Outcome::Computed
}

/// A situation, read as JSON and as YAML, then computed.
pub fn situation(bytes: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(bytes);
    let book = book();
    let mut last = Outcome::Refused(String::new());
    for format in [Format::Json, Format::Yaml] {
        last = match book.read_situation(&text, format) {
            Ok(sit) => compute(book, sit, &[Scenario::baseline(&book.baseline)]),
            Err(errors) => {
                if errors.is_empty() {
                    return Outcome::Internal("a refusal with no error".into());
                }
                Outcome::Refused(errors[0].to_string())
            }
        };
        if matches!(last, Outcome::Internal(_)) {
            return last;
        }
    }
    last
}

/// A reform file, applied to the baseline, and a family computed under it.
pub fn reform(bytes: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(bytes);
    let book = book();
    let reform = match Reform::from_yaml(&text) {
        Ok(r) => r,
        Err(e) => return Outcome::Refused(e.to_string()),
    };
    let params = match reform.apply(&book.baseline) {
        Ok(p) => p,
        Err(e) => return Outcome::Refused(e.to_string()),
    };
    let family = "year: 2024\npersons:\n  a: {birth_date: 1985-03-01, locality: national, wage: {2024-01..2024-12: 15000}, \
                  annual_bonus: {2024-12: 30000}, rent_city: {2024-01..2024-12: over_1m}}\n  b: {birth_date: 1960-02-01, \
                  retirement_group: female_50, contribution_months: 300, average_contribution_index: 1, pension_base: 9000, \
                  personal_account_balance: 80000}\n  c: {birth_date: 2022-05-01, claimants: {a: 100}}\nhouseholds:\n  h: {members: [a, b, c], area: urban}\n";
    let sit = match book.read_situation(family, Format::Yaml) {
        Ok(s) => s,
        Err(e) => return Outcome::Internal(format!("the fixed family does not read: {e:?}")),
    };
    let scenarios =
        [Scenario::baseline(&book.baseline), Scenario { id: "r".into(), label: reform.label.clone(), params: &params }];
    compute(book, sit, &scenarios)
}

/// A parameter file of a rules folder: the embedded folder with `bytes` in
/// place of one file, chosen by the first byte; loaded and, where it loads,
/// a wage earner computed with it.
pub fn rules(bytes: &[u8]) -> Outcome {
    let files = minsheng_cn::embedded_files();
    let params: Vec<usize> = (0..files.len()).filter(|&i| files[i].path.starts_with("params/")).collect();
    let Some((&first, rest)) = bytes.split_first() else { return Outcome::Refused("empty".into()) };
    let target = params[usize::from(first) % params.len()];
    let mut folder: Vec<RuleFile> = files.to_vec();
    folder[target].text = String::from_utf8_lossy(rest).into_owned();
    let book = match RuleBook::from_folder_files(&folder) {
        Ok(b) => b,
        Err(e) => return Outcome::Refused(e.to_string()),
    };
    let text = "year: 2024\npersons:\n  a: {locality: national, wage: {2024-01..2024-12: 12000}, birth_date: 1980-01-01}\n  c: {birth_date: 2020-01-01, claimants: {a: 100}}\n";
    match book.read_situation(text, Format::Yaml) {
        Ok(sit) => compute(&book, sit, &[Scenario::baseline(&book.baseline)]),
        Err(e) => Outcome::Refused(format!("{e:?}")),
    }
}

/// Microdata rows (CSV), read and assembled into households.
pub fn microdata(bytes: &[u8]) -> Outcome {
    let text = String::from_utf8_lossy(bytes);
    match minsheng_sim::read_csv(&text) {
        Ok(_) => Outcome::Computed,
        Err(e) => Outcome::Refused(e.to_string()),
    }
}

/// A fuzz target: bytes in, an outcome out.
pub type Target = fn(&[u8]) -> Outcome;

/// The targets by name, as the harness and the corpus folders name them.
pub const TARGETS: &[(&str, Target)] =
    &[("situation", situation), ("reform", reform), ("rules", rules), ("microdata", microdata)];
