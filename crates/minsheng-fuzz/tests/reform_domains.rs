//! Reforms over every numeric parameter of the rule book: a value at each
//! edge of its domain applies and computes (or is refused by a rule, with a
//! clear error); a value just outside the domain is refused when the reform
//! loads. Never a panic, never an internal error.

use std::panic::{AssertUnwindSafe, catch_unwind};

use minsheng_core::params::ParamKind;
use minsheng_fuzz::{Outcome, book, reform};
use rust_decimal::Decimal;

/// The reform file setting `path` (of `kind`) to `value` from 2024.
fn reform_text(path: &str, kind: ParamKind, value: Decimal) -> Option<String> {
    let key = match kind {
        ParamKind::Amount => "amount",
        ParamKind::Rate => "rate",
        ParamKind::Count => "count",
        _ => return None,
    };
    Some(format!(
        "name: edge\nlabel: {{zh: 边界, en: edge}}\nchanges:\n  - {{parameter: {path}, from: 2024-01-01, {key}: {value}}}\n"
    ))
}

fn outcome(text: &str) -> Result<Outcome, String> {
    match catch_unwind(AssertUnwindSafe(|| reform(text.as_bytes()))) {
        Ok(Outcome::Internal(e)) => Err(format!("internal error: {e}")),
        Ok(o) => Ok(o),
        Err(_) => Err("panic".into()),
    }
}

#[test]
fn every_parameter_at_and_beyond_the_edges_of_its_domain() {
    std::panic::set_hook(Box::new(|_| {}));
    let mut bugs = Vec::new();
    let (mut inside, mut refused_outside) = (0, 0);
    for p in book().baseline.iter() {
        let (Some(min), Some(max)) = (p.domain.min, p.domain.max) else { continue };
        let whole = matches!(p.kind, ParamKind::Count);
        let step = if whole { Decimal::ONE } else { Decimal::new(1, 2) };
        let middle =
            if whole { ((min + max) / Decimal::TWO).floor() } else { ((min + max) / Decimal::TWO).round_dp(2) };
        for value in [min, middle, max] {
            let Some(text) = reform_text(&p.path, p.kind, value) else { continue };
            match outcome(&text) {
                Ok(_) => inside += 1,
                Err(bug) => bugs.push(format!("{} = {value}: {bug}", p.path)),
            }
        }
        for value in [min - step, max + step] {
            let Some(text) = reform_text(&p.path, p.kind, value) else { continue };
            match outcome(&text) {
                Ok(Outcome::Refused(_)) => refused_outside += 1,
                Ok(Outcome::Computed) => bugs.push(format!("{} = {value}: outside the domain, yet applied", p.path)),
                Ok(Outcome::Internal(_)) | Err(_) => bugs.push(format!("{} = {value}: a bug", p.path)),
            }
        }
    }
    assert!(bugs.is_empty(), "{} problems:\n{}", bugs.len(), bugs.join("\n"));
    assert!(inside > 100 && refused_outside > 60, "{inside} inside, {refused_outside} refused outside");
}
