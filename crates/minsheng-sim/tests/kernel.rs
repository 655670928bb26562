//! The year kernel against the formulas: every household the kernel computes
//! must have, to the fen, the outcome the formulas give it, under the baseline
//! and every reform file, in every year of the built-in population and on
//! households drawn at random well beyond it.

use std::path::Path;

use minsheng_cn::RuleBook;
use minsheng_cn::kernel::{self, YearLaw};
use minsheng_core::{ParamSet, Reform};
use minsheng_sim::generate::{Amounts, Claimants, ElderlyParent, Spell, SynthHousehold, SynthPerson, partition};
use minsheng_sim::run::{self, Outcomes, Scenarios, Scratch, run_partition};
use minsheng_sim::targets::Targets;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn book() -> RuleBook {
    RuleBook::embedded().expect("rule book")
}

/// The year as a population run of it fixes it: 低保 at the standards the
/// built-in data assumes where the rule book has none, the unemployment
/// benefit at the year's average (1,500 a month in a year without targets),
/// and a preschool fee of 1,667 a semester in every year.
fn run_year(book: &RuleBook, year: i32) -> run::RunYear {
    let targets = Targets::builtin().expect("targets");
    let t = targets.year(year).ok();
    let ry = run::RunYear::of(&book.baseline, year).assuming(t.and_then(|t| t.dibao_standards_assumed.as_ref()));
    let ry = match t {
        Some(t) => ry.paying_unemployment(t.unemployment_benefit_monthly.as_ref()),
        None => run::RunYear { unemployment_benefit: Some(minsheng_core::Money::from_fen(150_000)), ..ry },
    };
    // Every year's kindergarten children have a fee, so that the waiver is compared wherever in force.
    run::RunYear { preschool_fee: Some(minsheng_core::Money::from_fen(166_700)), ..ry }
}

/// Every reform file of the repository, applied to the baseline.
fn all_reforms(book: &RuleBook) -> Vec<(String, ParamSet)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../reforms");
    let mut files: Vec<_> = std::fs::read_dir(dir).expect("reforms folder").map(|e| e.expect("entry").path()).collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let r = Reform::from_yaml(&std::fs::read_to_string(path).expect("reform file")).expect("valid reform");
            let params = r.apply(&book.baseline).expect("applies");
            (r.name, params)
        })
        .collect()
}

/// A reform for the tests only: the annual basic deduction is 72,000 until
/// 30 December of each year and 60,000 on the 31st, so withholding (which
/// reads it on the first of each month) deducts 6,000 a month while the
/// settlement (which reads it at the year's end) keeps 60,000: what was
/// withheld, and the settlement's exemptions, decide the tax.
fn withholding_apart(book: &RuleBook) -> (String, ParamSet) {
    let mut text = String::from(
        "name: withholding-apart\nlabel: {zh: 预扣与汇算不一致（测试）, en: Withholding apart from the settlement (test)}\nchanges:\n",
    );
    for year in 2019..=2030 {
        text.push_str(&format!(
            "  - {{parameter: iit.comprehensive.basic_deduction_annual, from: {year}-01-01, until: {year}-12-30, amount: 72000}}\n"
        ));
    }
    let r = Reform::from_yaml(&text).expect("valid reform");
    let params = r.apply(&book.baseline).expect("applies");
    (r.name, params)
}

/// Person by person and figure by figure: the kernel's year against the
/// formulas' reading of the same year (every field of every member and of
/// the household), and what the kernel withheld against `iit.annual.prepaid`,
/// under each scenario.
fn compare_persons(book: &RuleBook, reforms: &[(String, ParamSet)], year: i32, households: &[SynthHousehold]) {
    use minsheng_core::{Entity, Eval, Period};
    let ry = run_year(book, year);
    let baseline = ("baseline".to_string(), book.baseline.clone());
    for (name, params) in std::iter::once(&baseline).chain(reforms) {
        let law = YearLaw::read(params, year, run::LOCALITY).expect("the law of the year");
        for (i, h) in households.iter().enumerate() {
            let mut members = Vec::new();
            run::kernel_members(h, &ry, &mut members);
            let mut persons = Vec::new();
            let household = run::kernel_household(h, &members, &ry);
            let Ok(got) = kernel::household_year(&law, &household, &mut persons, None) else { continue };
            let sit = run::situation(h, &ry);
            let mut ev = Eval::without_trace(&book.registry, params, &sit);
            let mut want_persons = Vec::new();
            let want = kernel::household_year_by_formulas(&mut ev, &mut want_persons).expect("the formulas compute");
            let at = format!("{year}, {name}, household {i}: {h:#?}");
            assert_eq!(got, want, "{at}");
            for (p, (got, want)) in persons.iter().zip(&want_persons).enumerate() {
                if let Some(withheld) = got.withheld {
                    let prepaid = ev.money(&minsheng_cn::iit::annual::PREPAID, Entity::Person(p), Period::Year(year));
                    assert_eq!(withheld, prepaid.expect("the formulas compute"), "person {p}, {at}");
                }
                let got = kernel::PersonYear { withheld: None, ..got.clone() };
                assert_eq!(&got, want, "person {p}, {at}");
            }
        }
    }
}

/// Compares the kernel with the formulas household by household; returns how
/// many households the kernel covered.
fn compare(book: &RuleBook, reforms: &[(String, ParamSet)], year: i32, households: &[SynthHousehold]) -> usize {
    let formulas = Scenarios::new(book, reforms);
    let kernel = Scenarios::new(book, reforms).with_kernel(year);
    assert_eq!(kernel.laws.len(), reforms.len() + 1, "the kernel reads the law of {year}");
    let ry = run_year(book, year);
    let mut covered = 0;
    for (i, h) in households.iter().enumerate() {
        let mut outcomes = Outcomes::new();
        let Some(line) = kernel.by_kernel(h, (&ry, true), &mut Scratch::default(), &mut outcomes) else {
            continue;
        };
        covered += 1;
        let mut results = Vec::new();
        let household = (0, std::slice::from_ref(h), &[1.0][..]);
        if let Err(e) = run_partition(book, &formulas, &ry, household, true, |r| results.push(r.clone())) {
            panic!("{year}, household {i}: the kernel computes what the formulas refuse ({e}): {h:#?}");
        }
        let want = results.remove(0);
        for (s, (got, want)) in outcomes.iter().zip(&want.outcomes).enumerate() {
            assert_eq!(got, want, "{year}, household {i}, scenario {}: {h:#?}", kernel.sets[s].0);
        }
        assert_eq!(line, want.dibao_line, "{year}, household {i}: the 低保 line");
    }
    covered
}

/// The built-in population of every year, under the baseline and every reform
/// file at once: the kernel covers every household and agrees with the
/// formulas on each.
#[test]
fn the_kernel_equals_the_formulas_on_the_built_in_population() {
    let book = book();
    let mut reforms = all_reforms(&book);
    reforms.push(withholding_apart(&book));
    let targets = Targets::builtin().expect("targets");
    for year in 2021..=2025 {
        let households = partition(11, 3, 300, &targets, targets.year(year).expect("year"), &Amounts::DRAWN);
        let covered = compare(&book, &reforms, year, &households);
        assert_eq!(covered, households.len(), "{year}: the kernel covers the built-in population");
        compare_persons(&book, &reforms, year, &households);
    }
}

fn person() -> impl Strategy<Value = SynthPerson> {
    (
        (0u8..=100, any::<bool>(), prop::option::of(0i64..20_000_000), any::<bool>()),
        (
            prop::option::of(prop::sample::select(vec![
                Decimal::new(6, 1),
                Decimal::ONE,
                Decimal::new(15, 1),
                Decimal::from(3),
                Decimal::new(35, 1),
            ])),
            prop::option::of(0i64..2_000_000),
            prop::option::of(0i64..20_000_000),
            prop::option::of((55u8..=90, 1u8..=4)),
        ),
        // Spells starting from 2016 to 2027 with records of none to 12 years.
        prop::option::of((0i32..144, 0i64..150)),
    )
        .prop_map(
            |((age, male, wage_fen, insured), (flexible, pension_fen, resident_account_fen, parent), spell)| {
                SynthPerson {
                    age,
                    male,
                    wage_fen,
                    insured,
                    flexible,
                    informal: false,
                    earnings_fen: 0,
                    pension_fen,
                    resident_account_fen,
                    claimants: Claimants::new(),
                    elderly_parent: parent.map(|(age, children)| ElderlyParent { age, children }),
                    kindergarten: (3..=7).contains(&age),
                    unemployment: spell.and_then(|(k, contribution_months)| {
                        let start = minsheng_core::Month::new(2016, 1)?.plus(k);
                        Some(Spell { start, contribution_months })
                    }),
                }
            },
        )
}

fn household() -> impl Strategy<Value = SynthHousehold> {
    (prop::collection::vec(person(), 1..6), any::<bool>(), -5_000_000i64..50_000_000, any::<bool>(), any::<u64>())
        .prop_map(|(mut members, urban, other_income_fen, dibao_conditions, picks)| {
            // Children (under 25) are claimed by one or two other members.
            let n = members.len();
            for (c, child) in members.iter_mut().enumerate() {
                if child.age < 25 && n > 1 {
                    let first = (c + 1 + (picks as usize >> c) % (n - 1)) % n;
                    let second = (first + 1) % n;
                    child.claimants = if (picks >> (8 + c)) & 1 == 1 && second != c {
                        Claimants::from_slice(&[first, second])
                    } else {
                        Claimants::from_slice(&[first])
                    };
                }
            }
            SynthHousehold { urban, members, other_income_fen, property_income_fen: 0, dibao_conditions }
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Households far from the built-in population (wages up to 200,000 a
    /// month, flexible tiers out of bounds, parents turning 60 in the year,
    /// negative other income), in every year of the model: whatever the kernel
    /// computes equals the formulas.
    #[test]
    fn the_kernel_equals_the_formulas_on_random_households(
        households in prop::collection::vec(household(), 8),
        year in 2019i32..=2030,
    ) {
        let book = book();
        let mut reforms = all_reforms(&book);
        reforms.push(withholding_apart(&book));
        compare(&book, &reforms, year, &households);
        compare_persons(&book, &reforms, year, &households);
    }
}

/// A reform of a parameter the kernel does not read (here the serious-illness
/// threshold, which could reach the population through a formula the kernel
/// takes as adding nothing) sends every household to the formulas; a reform
/// of parameters it reads keeps the kernel.
#[test]
fn a_reform_outside_the_kernel_sends_households_to_the_formulas() {
    let book = book();
    let outside = Reform::from_yaml(
        "name: illness-threshold\n\
         label: {zh: 大病医疗扣除起付线（测试）, en: Serious-illness threshold (test)}\n\
         changes:\n  \
         - {parameter: iit.special_additional.serious_illness_threshold, from: 2024-01-01, until: 2024-12-31, amount: 10000}\n",
    )
    .expect("valid reform");
    let outside = vec![(outside.name.clone(), outside.apply(&book.baseline).expect("applies"))];
    let refused = Scenarios::new(&book, &outside).with_kernel(2024);
    assert!(refused.laws.is_empty());
    let why = refused.kernel_refused.expect("a reason");
    assert!(why.contains("iit.special_additional.serious_illness_threshold"), "{why}");
    let inside = all_reforms(&book);
    let kept = Scenarios::new(&book, &inside).with_kernel(2024);
    assert_eq!((kept.laws.len(), kept.kernel_refused), (inside.len() + 1, None));
}

/// A parameter cannot be left out of the kernel: every parameter the formulas
/// read for a household the kernel covers (their traced reads, under the
/// baseline, in every year of the built-in population) is one the kernel
/// reads, by the path the formulas declare. A formula given a new parameter
/// that reaches the kernel's inputs fails here until the kernel reads it too.
#[test]
fn the_kernel_reads_every_parameter_the_formulas_read_for_its_households() {
    use minsheng_core::Eval;
    use minsheng_core::variable::matches_path;
    use std::collections::BTreeSet;
    let book = book();
    let targets = Targets::builtin().expect("targets");
    let mut inert_read = BTreeSet::new();
    for year in 2021..=2025 {
        let ry = run_year(&book, year);
        let law = YearLaw::read(&book.baseline, year, run::LOCALITY).expect("the law of the year");
        let kernel_reads: Vec<&str> = law.parameters_read().collect();
        let households = partition(5, 3, 200, &targets, targets.year(year).expect("year"), &Amounts::DRAWN);
        let (mut missing, mut inert_seen) = (BTreeSet::new(), BTreeSet::new());
        for h in &households {
            let mut members = Vec::new();
            run::kernel_members(h, &ry, &mut members);
            let household = run::kernel_household(h, &members, &ry);
            if kernel::household_year(&law, &household, &mut Vec::new(), None).is_err() {
                continue;
            }
            let sit = run::situation(h, &ry);
            let mut ev = Eval::new(&book.registry, &book.baseline, &sit);
            kernel::household_year_by_formulas(&mut ev, &mut Vec::new()).expect("the formulas compute");
            for path in ev.parameters_read() {
                if kernel::INERT_FOR_ITS_INPUTS.iter().any(|(inert, _)| *inert == path) {
                    inert_seen.insert(path.to_string());
                } else if !kernel_reads.iter().any(|pattern| matches_path(pattern, path)) {
                    missing.insert(path.to_string());
                }
            }
        }
        assert!(missing.is_empty(), "{year}: the formulas read, and the kernel does not: {missing:#?}");
        for (path, _) in kernel::INERT_FOR_ITS_INPUTS {
            assert!(!kernel_reads.contains(path), "{year}: `{path}` is listed as inert, and the kernel reads it");
        }
        inert_read.extend(inert_seen);
    }
    for (path, input) in kernel::INERT_FOR_ITS_INPUTS {
        assert!(inert_read.contains(*path), "`{path}` (on `{}`) is listed as inert and never read", input.name);
    }
}

/// The projection years: the built-in rule book carried forward into each of
/// 2026–2030 (the average wage raised by the projection's growth), the
/// kernel against the formulas on the projected population, field by field.
#[test]
fn the_kernel_equals_the_formulas_on_the_law_carried_into_the_projection_years() {
    let book = book();
    let targets = Targets::builtin().expect("targets");
    let growth = targets.projection.wage_growth_rate().expect("growth");
    for year in 2026..=2030 {
        let (carried, list) = minsheng_sim::carry_year(&book.baseline, year, growth);
        assert!(!list.is_empty(), "{year}: something is carried");
        let projected = book.with_baseline(carried).expect("book");
        let households = partition(13, 3, 300, &targets, targets.year(year).expect("projected"), &Amounts::DRAWN);
        compare_persons(&projected, &[], year, &households);
    }
}
