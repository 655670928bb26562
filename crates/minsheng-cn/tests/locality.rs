//! A locality added as a file, without touching code: its published bounds,
//! pension base, minimum wage and 低保 standard take effect, and a file that
//! leaves out a key is refused at load, naming the file and the key.

use std::path::{Path, PathBuf};

use minsheng_cn::RuleBook;
use minsheng_core::situation::Format;
use minsheng_core::{Entity, Eval, Month, Period, Value};

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_dir(&path, &target);
        } else {
            std::fs::copy(&path, &target).expect("copy");
        }
    }
}

fn rules_with(name: &str, locality: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = std::env::temp_dir().join(format!("minsheng-locality-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(&manifest.join("../../rules"), &dir);
    std::fs::write(dir.join("params/local/testville.yaml"), locality).expect("write");
    dir
}

fn fen(v: Value) -> i64 {
    match v {
        Value::Money(m) => m.fen(),
        other => panic!("not an amount: {other}"),
    }
}

#[test]
fn a_locality_file_sets_bounds_pension_base_and_standards() {
    let fixture = include_str!("fixtures/testville.yaml");
    let book = RuleBook::from_dir(&rules_with("ok", fixture)).expect("loads with the new locality");
    let text = "year: 2024\npersons:\n  low: {locality: testville, wage: {2024-01..2024-12: 3000}}\n  high: {locality: testville, wage: {2024-01..2024-12: 50000}}\n  retiree:\n    locality: testville\n    birth_date: 1964-03-01\n    retirement_group: male\n    contribution_months: 360\n    average_contribution_index: 1\n  jobless:\n    locality: testville\n    unemployment_start: 2024-02\n    unemployment_contribution_months: 60\n    unemployment_benefit_amount: {2024: 1800}\nhouseholds:\n  poor: {members: [low]}\n";
    let sit = book.situation(text, Format::Yaml).expect("valid");
    let mut ev = Eval::new(&book.registry, &book.baseline, &sit);
    let june = Period::Month(Month::new(2024, 6).expect("month"));
    let mut get = |name: &str, e: Entity, p: Period| ev.compute(name, e, p).expect("computes").1;
    // Published floor and ceiling, not 60%/300% of the average wage (6,000 and 30,000).
    assert_eq!(fen(get("social_insurance.base", Entity::Person(0), june)), 580_000);
    assert_eq!(fen(get("social_insurance.base", Entity::Person(1), june)), 3_000_000);
    assert_eq!(fen(get("social_insurance.medical_employer", Entity::Person(0), june)), 46_400);
    // The locality's pension base: 10,000 × (1 + 1) / 2 × 1% × 30 = 3,000.
    assert_eq!(fen(get("pension.basic_at_retirement", Entity::Person(2), Period::Eternity)), 300_000);
    // The benefit lies between the locality's 低保 standard (1,000) and minimum wage (2,400).
    assert_eq!(fen(get("unemployment.benefit", Entity::Person(3), june)), 180_000);
    // The household's 低保 standard is its locality's.
    assert_eq!(fen(get("assistance.dibao_standard", Entity::Household(0), june)), 100_000);
}

#[test]
fn a_locality_file_missing_a_key_is_refused() {
    let fixture = include_str!("fixtures/testville.yaml");
    let cut = fixture.split("minimum_wage_monthly:").next().expect("part");
    let err = RuleBook::from_dir(&rules_with("missing", cut)).err().expect("refused").to_string();
    assert!(err.contains("params/local/testville.yaml") && err.contains("a locality sets every key"), "{err}");
    assert!(err.contains("dibao_standard_monthly") || err.contains("minimum_wage_monthly"), "{err}");
}

#[test]
fn a_benefit_outside_the_locality_bounds_is_refused() {
    let book = RuleBook::from_dir(&rules_with("bounds", include_str!("fixtures/testville.yaml"))).expect("loads");
    let text = "year: 2024\npersons:\n  jobless:\n    locality: testville\n    unemployment_start: 2024-02\n    unemployment_contribution_months: 60\n    unemployment_benefit_amount: {2024: 2500}\n";
    let sit = book.situation(text, Format::Yaml).expect("valid");
    let mut ev = Eval::new(&book.registry, &book.baseline, &sit);
    let err = ev
        .compute("unemployment.benefit", Entity::Person(0), Period::Month(Month::new(2024, 3).expect("month")))
        .expect_err("refused");
    assert!(err.to_string().contains("below the minimum wage (2,400.00)"), "{err}");
}

/// A locality that publishes only its floor: the floor applies, and the
/// ceiling is 300% of its average wage (国办发〔2019〕13号 四), rather than both
/// bounds falling back to the average wage.
#[test]
fn a_published_floor_alone_applies() {
    let fixture = include_str!("fixtures/testville.yaml").replace(
        "    - {from: 2019-01-01, amount: 30000, source: {document: gbf-2019-13, note: test figure}}",
        "    - {from: 2019-01-01, in_force: false, source: {document: gbf-2019-13, note: not published}}",
    );
    let book = RuleBook::from_dir(&rules_with("floor-only", &fixture)).expect("loads");
    let text = "year: 2024\npersons:\n  low: {locality: testville, wage: {2024-01..2024-12: 3000}}\n  high: {locality: testville, wage: {2024-01..2024-12: 50000}}\n";
    let sit = book.situation(text, Format::Yaml).expect("valid");
    let mut ev = Eval::new(&book.registry, &book.baseline, &sit);
    let june = Period::Month(Month::new(2024, 6).expect("month"));
    let mut get = |name: &str, e: Entity| fen(ev.compute(name, e, june).expect("computes").1);
    // The published 5,800, not 60% of 10,000.
    assert_eq!(get("social_insurance.base", Entity::Person(0)), 580_000);
    // 300% of 120,000 / 12 = 30,000.
    assert_eq!(get("social_insurance.base", Entity::Person(1)), 3_000_000);
}

/// The year kernel reads only parameters that formulas declare (by the same
/// paths, `*` for the locality), in every year the rule book covers: a
/// parameter read by the kernel alone would be a rule the formulas, and so
/// the explanations, do not know.
#[test]
fn the_kernel_reads_only_what_the_formulas_declare() {
    let book = minsheng_cn::RuleBook::embedded().expect("rule book");
    let declared: Vec<&str> = book.registry.iter().flat_map(|v| v.params().iter().copied()).collect();
    for year in 2019..=2027 {
        let law = minsheng_cn::kernel::YearLaw::read(&book.baseline, year, "national").expect("a year");
        let read: Vec<&str> = law.parameters_read().collect();
        assert!(read.len() > 20, "{year}: {} parameters read", read.len());
        for path in read {
            assert!(declared.contains(&path), "{year}: the kernel reads `{path}`, which no formula declares");
        }
    }
}
