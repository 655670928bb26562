//! The population run end to end on small samples.

use std::path::Path;

use minsheng_cn::RuleBook;
use minsheng_core::Reform;
use minsheng_sim::run::{Programme, run};
use minsheng_sim::targets::Targets;
use minsheng_sim::{Config, sample, simulate};

fn book() -> RuleBook {
    RuleBook::embedded().expect("rule book")
}

fn reform(book: &RuleBook, file: &str) -> (String, minsheng_core::ParamSet) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../reforms").join(file);
    let r = Reform::from_yaml(&std::fs::read_to_string(path).expect("reform file")).expect("valid reform");
    let params = r.apply(&book.baseline).expect("applies");
    (r.name, params)
}

fn config(year: i32, persons: usize) -> Config {
    Config { year, seed: 7, persons, partition_size: 64 }
}

#[test]
fn generation_is_deterministic_and_calibrated() {
    let targets = Targets::builtin().expect("targets");
    let a = sample(&config(2022, 800), &targets).expect("sample");
    let b = sample(&config(2022, 800), &targets).expect("sample");
    assert_eq!(a.partitions.len(), b.partitions.len());
    for ((ha, wa), (hb, wb)) in a.partitions.iter().zip(&b.partitions) {
        assert_eq!(ha, hb);
        assert_eq!(wa, wb);
    }
    let other = sample(&Config { seed: 8, ..config(2022, 800) }, &targets).expect("sample");
    assert_ne!(a.partitions[0].0, other.partitions[0].0, "another seed, another population");
    for (margin, achieved) in &a.margins {
        assert!(
            (achieved - margin.target).abs() / margin.target < 1e-6,
            "{}: {achieved} against {}",
            margin.name,
            margin.target
        );
    }
}

#[test]
fn a_reform_that_changes_nothing_costs_exactly_zero() {
    let book = book();
    let same = ("same".to_string(), book.baseline.clone());
    let (report, results) = simulate(&book, &config(2022, 400), &[same], &|| {}).expect("runs");
    for b in &report.budget {
        assert_eq!(b.changes_yi[0], 0.0, "{}", b.programme_en);
    }
    assert!(results.iter().all(|r| r.outcomes[0] == r.outcomes[1]));
}

#[test]
fn the_2022_subsidy_reform_costs_enrolment_times_30() {
    let book = book();
    let (report, results) =
        simulate(&book, &config(2021, 500), &[reform(&book, "gwr-2022-medical-subsidy.yaml")], &|| {}).expect("runs");
    let i = Programme::ALL.iter().position(|p| *p == Programme::ResidentMedicalSubsidy).expect("programme");
    // Each enrolled resident's subsidy rises from 580 to 610: the cost is enrolment × 30.
    let enrolled: f64 = results.iter().map(|r| r.weight * (r.outcomes[0].programmes[i] as f64 / 58_000.0)).sum();
    let cost = report.budget[i].changes_yi[0] * 1e8;
    assert!((cost - enrolled * 30.0).abs() < 1e-3 * cost.abs().max(1.0), "{cost} against {}", enrolled * 30.0);
    assert!(cost > 0.0);
    // Nothing else changes, and the net budget effect is minus the cost.
    assert!((report.net_budget_change_yi[0] * 1e8 + cost).abs() < 1e-3 * cost);
}

#[test]
fn the_budget_effect_is_the_weighted_sum_of_household_changes() {
    let book = book();
    let (report, results) =
        simulate(&book, &config(2023, 500), &[reform(&book, "no-2023-deduction-rise.yaml")], &|| {}).expect("runs");
    for (i, b) in report.budget.iter().enumerate() {
        let sum: f64 = results
            .iter()
            .map(|r| r.weight * (r.outcomes[1].programmes[i] - r.outcomes[0].programmes[i]) as f64 / 100.0)
            .sum::<f64>()
            / 1e8;
        assert!((b.changes_yi[0] - sum).abs() < 1e-9, "{}", b.programme_en);
    }
    let tax = &report.budget[0];
    assert!(tax.changes_yi[0] > 0.0, "without the rise, more tax is collected");
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let book = book();
    let targets = Targets::builtin().expect("targets");
    let s = sample(&config(2022, 400), &targets).expect("sample");
    let scenarios = vec![("baseline".to_string(), book.baseline.clone())];
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        pool.install(|| run(&book, &scenarios, 2022, &s.partitions, &|| {}).expect("runs"))
    };
    assert_eq!(on(1), on(2));
}
