//! The population run end to end on small samples.

use std::path::Path;

use minsheng_cn::RuleBook;
use minsheng_core::{ParamSet, Reform};
use minsheng_sim::calibrate::Count;
use minsheng_sim::generate::{Amounts, partition};
use minsheng_sim::report::Method;
use minsheng_sim::run::{self, Programme};
use minsheng_sim::targets::Targets;
use minsheng_sim::{Config, Engine, Outcome, Population, simulate};

fn book() -> RuleBook {
    RuleBook::embedded().expect("rule book")
}

fn reform(book: &RuleBook, file: &str) -> (String, ParamSet) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../reforms").join(file);
    let r = Reform::from_yaml(&std::fs::read_to_string(path).expect("reform file")).expect("valid reform");
    let params = r.apply(&book.baseline).expect("applies");
    (r.name, params)
}

fn config(year: i32, persons: usize) -> Config {
    Config { seed: 7, partition_size: 64, keep_results: true, ..Config::new(year, persons) }
}

fn run(book: &RuleBook, config: &Config, reforms: &[(String, ParamSet)]) -> Outcome {
    simulate(book, config, Population::Synthetic, reforms, &|_| {}).expect("runs")
}

#[test]
fn generation_is_deterministic_and_calibration_exact() {
    let targets = Targets::builtin().expect("targets");
    let t = targets.year(2022).expect("year");
    assert_eq!(partition(7, 3, 50, &targets, t, &Amounts::DRAWN), partition(7, 3, 50, &targets, t, &Amounts::DRAWN));
    assert_ne!(
        partition(7, 3, 50, &targets, t, &Amounts::DRAWN),
        partition(8, 3, 50, &targets, t, &Amounts::DRAWN),
        "another seed"
    );
    assert_ne!(
        partition(7, 3, 50, &targets, t, &Amounts::DRAWN),
        partition(7, 4, 50, &targets, t, &Amounts::DRAWN),
        "another stream"
    );
    let book = book();
    let outcome = run(&book, &config(2022, 800), &[]);
    let methods: Vec<Method> = outcome.report.calibration.iter().map(|c| c.method).collect();
    assert!(
        [Method::Weights, Method::Factor, Method::TakeUp, Method::Imputed].iter().all(|m| methods.contains(m)),
        "{methods:?}"
    );
    for c in &outcome.report.calibration {
        // Weights meet their margins exactly; factors but for each amount's rounding to the fen.
        let tolerance = match c.method {
            Method::Weights => 1e-6,
            Method::Factor => 1e-4,
            // Sampling error, and fitting on a sample (tested at size below).
            Method::TakeUp | Method::Imputed => continue,
        };
        assert!(c.gap_percent.abs() < tolerance, "{}: {} against {}", c.name, c.achieved, c.target);
    }
    let again = run(&book, &config(2022, 800), &[]);
    assert_eq!(outcome.households, again.households);
    assert_eq!(outcome.aggregates, again.aggregates);
}

#[test]
fn a_reform_that_changes_nothing_costs_exactly_zero() {
    let book = book();
    let same = ("same".to_string(), book.baseline.clone());
    let outcome = run(&book, &config(2022, 400), &[same]);
    for b in &outcome.report.budget {
        assert_eq!(b.changes_yi[0], 0.0, "{}", b.programme_en);
    }
    assert_eq!(
        (outcome.report.taxpayers[1].paying_less, outcome.report.taxpayers[1].paying_more),
        (Some(0.0), Some(0.0))
    );
    assert!(outcome.households.expect("kept").iter().all(|r| r.outcomes[0] == r.outcomes[1]));
}

/// Undoing the 2023 rise of three deductions raises tax for some and lowers
/// it for none; those paying more are each counted, as the weighted number
/// of persons whose own tax rose.
#[test]
fn undoing_the_2023_rise_raises_tax_for_some_and_lowers_it_for_none() {
    let book = book();
    let reforms = [reform(&book, "no-2023-deduction-rise.yaml")];
    let outcome = run(&book, &config(2023, 1500), &reforms);
    let row = &outcome.report.taxpayers[1];
    assert_eq!(row.paying_less, Some(0.0));
    let households = outcome.households.expect("kept");
    let expected: f64 = households
        .iter()
        .map(|h| {
            let rose = h.outcomes[1].taxes.iter().zip(&h.outcomes[0].taxes).filter(|(r, b)| *r - *b > 100).count();
            h.weight * rose as f64
        })
        .sum();
    assert!(expected > 0.0);
    assert!((row.paying_more.expect("a reform") - expected).abs() <= 1e-6 * expected);
    assert!(row.paying_more.expect("a reform") <= row.taxpayers);
}

#[test]
fn the_2022_subsidy_reform_costs_enrolment_times_30() {
    let book = book();
    let outcome = run(&book, &config(2021, 500), &[reform(&book, "gwr-2022-medical-subsidy.yaml")]);
    let (report, results) = (outcome.report, outcome.households.expect("kept"));
    let subsidy = Programme::ResidentMedicalSubsidy;
    let i = Programme::ALL.iter().position(|p| *p == subsidy).expect("programme");
    // Each enrolled resident's subsidy rises from 580 to 610: the cost is enrolment × 30.
    let enrolled: f64 = results.iter().map(|r| r.weight * (r.outcomes[0].programmes[subsidy] as f64 / 58_000.0)).sum();
    let cost = report.budget[i].changes_yi[0] * 1e8;
    assert!(cost > 0.0);
    assert!((cost - enrolled * 30.0).abs() < 1e-6 * cost, "{cost} against {}", enrolled * 30.0);
    // Nothing else changes, and the net budget effect is minus the cost.
    assert!((report.net_budget_change_yi[0] * 1e8 + cost).abs() < 1e-6 * cost);
}

#[test]
fn the_budget_effect_is_the_weighted_sum_of_household_changes() {
    let book = book();
    let outcome = run(&book, &config(2023, 500), &[reform(&book, "no-2023-deduction-rise.yaml")]);
    let (report, results) = (outcome.report, outcome.households.expect("kept"));
    for (&p, b) in Programme::ALL.iter().zip(&report.budget) {
        let sum: f64 = results
            .iter()
            .map(|r| r.weight * (r.outcomes[1].programmes[p] - r.outcomes[0].programmes[p]) as f64 / 100.0)
            .sum::<f64>()
            / 1e8;
        assert!((b.changes_yi[0] - sum).abs() < 1e-9, "{}", b.programme_en);
    }
    assert!(report.budget[0].changes_yi[0] > 0.0, "without the rise, more tax is collected");
}

#[test]
fn results_do_not_depend_on_the_number_of_threads() {
    let book = book();
    let reforms = [reform(&book, "gwr-2022-medical-subsidy.yaml")];
    let on = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new().num_threads(threads).build().expect("pool");
        pool.install(|| run(&book, &config(2021, 400), &reforms))
    };
    let (one, two) = (on(1), on(2));
    assert_eq!(one.households, two.households);
    assert_eq!(one.aggregates, two.aggregates);
}

#[test]
fn deciles_and_gini_from_the_histograms_match_the_households() {
    let book = book();
    let outcome = run(&book, &config(2022, 600), &[]);
    let households = outcome.households.expect("kept");
    let exact = minsheng_sim::report::gini(
        households
            .iter()
            .map(|r| {
                let income = (r.outcomes[0].disposable + r.imputed_transfers) as f64 / 100.0;
                (income / f64::from(r.size), r.weight * f64::from(r.size))
            })
            .collect(),
    );
    let binned = outcome.report.distribution[0].gini;
    assert!((exact - binned).abs() < 0.002, "exact {exact}, from histograms {binned}");
    let means: Vec<f64> = outcome.report.deciles.iter().map(|d| d.mean_income_per_person).collect();
    assert!(means.windows(2).all(|w| w[0] <= w[1]), "deciles ascend: {means:?}");
}

/// Urban workers split into insured wage earners, insured flexible workers
/// and informal workers; flexible workers pay 20% alone on the assumed 60%
/// tier (the golden case `contributions-flexible-share`: 1,140.29 in March
/// 2024 on the national default) and have no wage to withhold on.
#[test]
fn flexible_workers_contribute_on_their_tier_and_informal_workers_are_not_insured() {
    use minsheng_core::{Entity, Eval, Month, Period, Value};
    let targets = Targets::builtin().expect("targets");
    let t = targets.year(2024).expect("year");
    let households = partition(7, 0, 400, &targets, t, &Amounts::DRAWN);
    let book = book();
    let march = Period::Month(Month::new(2024, 3).expect("month"));
    let (mut flexible, mut informal) = (0, 0);
    for h in &households {
        let ry = run::RunYear { assess_dibao: false, ..run::RunYear::of(&book.baseline, 2024) };
        let sit = minsheng_sim::run::situation(h, &ry);
        let mut ev = Eval::without_trace(&book.registry, &book.baseline, &sit);
        for (i, m) in h.members.iter().enumerate() {
            let paid = ev.compute("social_insurance.pension_employee", Entity::Person(i), march).expect("computes").1;
            if m.flexible.is_some() {
                flexible += 1;
                assert!(m.insured && m.wage_fen.is_none());
                assert_eq!(paid, Value::Money(minsheng_core::Money::from_fen(114_029)));
            } else if m.informal {
                informal += 1;
                assert!(!m.insured && m.wage_fen.is_none());
                assert_eq!(paid, Value::Money(minsheng_core::Money::ZERO));
            }
        }
    }
    assert!(flexible > 0 && informal > 0, "{flexible} flexible, {informal} informal");
}

/// Per-person results add up to their household's: members' disposable
/// income plus the household's other income and 低保 is the household's, and
/// members' income tax is the household's, under every scenario.
#[test]
fn person_results_add_up_to_their_household() {
    let book = book();
    let reforms = [reform(&book, "no-2023-deduction-rise.yaml")];
    let outcome = run(&book, &config(2023, 600), &reforms);
    let households = outcome.households.expect("kept");
    let persons =
        minsheng_sim::table::persons(&minsheng_sim::table::Spec::new(2023, &outcome.report.scenarios), &households);
    assert_eq!(persons.rows, households.iter().map(|h| h.size as usize).sum::<usize>());
    // The household table carries what adds the persons up to the household: its other income and 低保.
    let table =
        minsheng_sim::table::households(&minsheng_sim::table::Spec::new(2023, &outcome.report.scenarios), &households);
    let header = table.csv_header();
    for column in ["disposable_income[baseline]", "other_income[baseline]", "dibao[baseline]"] {
        assert!(header.split(',').any(|c| c == column), "{column} in {header}");
    }
    for h in &households {
        assert_eq!(h.members.len(), h.size as usize);
        for o in &h.outcomes {
            assert_eq!(o.persons.len(), h.size as usize);
            let disposable: i64 = o.persons.iter().map(|p| p.disposable).sum();
            assert_eq!(disposable + o.other + o.programmes[Programme::Dibao], o.disposable);
            assert_eq!(o.persons.iter().map(|p| p.income_tax).sum::<i64>(), o.programmes[Programme::IncomeTax]);
        }
    }
}

/// A reform reads what it cannot change from the baseline's figures; that
/// gives exactly what computing it from scratch gives, for reforms touching
/// deductions, subsidies and pensions.
#[test]
fn reforms_sharing_the_baseline_figures_equal_reforms_computed_alone() {
    use minsheng_core::Eval;
    use minsheng_sim::run::{Scenarios, outcome, run_partition, situation};
    let book = book();
    for (year, file) in [
        (2023, "no-2023-deduction-rise.yaml"),
        (2021, "gwr-2022-medical-subsidy.yaml"),
        (2022, "no-pension-rise-2022.yaml"),
    ] {
        let reforms = [reform(&book, file)];
        let scenarios = Scenarios::new(&book, &reforms);
        assert!(scenarios.affected[1].iter().any(|a| *a), "{file} changes something");
        assert!(!scenarios.affected[1].iter().all(|a| *a), "{file} leaves something unchanged");
        let targets = Targets::builtin().expect("targets");
        let households = partition(7, 1, 120, &targets, targets.year(year).expect("year"), &Amounts::DRAWN);
        let weights = vec![1.0; households.len()];
        let mut shared = Vec::new();
        let ry = run::RunYear::of(&book.baseline, year);
        run_partition(&book, &scenarios, &ry, (1, &households, &weights), true, |r| shared.push(r.clone()))
            .expect("runs");
        for (h, result) in households.iter().zip(&shared) {
            let sit = situation(h, &ry);
            let mut alone = Eval::without_trace(&book.registry, &reforms[0].1, &sit);
            assert_eq!(outcome(&mut alone, true).expect("computes"), result.outcomes[1], "{file}");
        }
    }
}

/// Without the 2025 childcare subsidy, that programme's spending falls to
/// zero and nothing else changes: the subsidy is neither taxed nor counted
/// by 低保's means test.
#[test]
fn the_2025_childcare_counterfactual_removes_exactly_the_subsidy() {
    let book = book();
    let reforms = [reform(&book, "no-childcare-subsidy-2025.yaml")];
    let outcome = run(&book, &config(2025, 1500), &reforms);
    for (programme, b) in Programme::ALL.iter().zip(&outcome.report.budget) {
        if *programme == Programme::ChildcareSubsidy {
            assert!(b.totals_yi[0] > 0.0 && b.totals_yi[1] == 0.0, "{:?}", b.totals_yi);
            assert_eq!(b.changes_yi[0], -b.totals_yi[0]);
        } else {
            assert_eq!(b.changes_yi[0], 0.0, "{}", b.programme_en);
        }
    }
    assert!(outcome.report.validation.iter().any(|v| v.item.starts_with("Childcare subsidy spending")));
}

/// A run larger than its calibration sample calibrates on its first
/// partitions and reports the margins it achieves over all its households.
#[test]
fn a_run_calibrated_on_its_first_partitions_measures_the_margins_over_all() {
    let book = book();
    let sampled = Config { calibration_households: 1000, ..config(2022, 6000) };
    let outcome = run(&book, &sampled, &[]);
    let households = outcome.households.as_ref().expect("kept");
    let persons: f64 = households.iter().map(|h| h.weight * f64::from(h.size)).sum();
    let row = outcome.report.calibration.iter().find(|c| c.name == Count::Persons.label()).expect("persons margin");
    assert!((row.achieved - persons).abs() < 1e-6 * persons, "{} against {persons}", row.achieved);
    assert!(row.gap_percent.abs() < 8.0, "sampling error only: {}%", row.gap_percent);
    assert!(
        outcome.report.calibration.iter().any(|c| c.gap_percent.abs() > 1e-6),
        "margins over the whole are measured, not met by construction"
    );
    let full = run(&book, &config(2022, 6000), &[]);
    assert!(
        full.report.calibration.iter().filter(|c| c.method == Method::Weights).all(|c| c.gap_percent.abs() < 1e-6),
        "a full first pass meets every margin"
    );
}

/// End to end, the kernel and the formulas give the same run: every kept
/// household's outcomes and every aggregate (all but which engine computed).
#[test]
fn the_kernel_and_the_formulas_give_the_same_run() {
    let book = book();
    for (year, file) in [(2022, "no-pension-rise-2022.yaml"), (2024, "no-2024-rises.yaml")] {
        let reforms = [reform(&book, file)];
        let kernel = run(&book, &config(year, 3000), &reforms);
        let formulas = run(&book, &Config { engine: Engine::Formulas, ..config(year, 3000) }, &reforms);
        assert_eq!(kernel.aggregates.households_by_kernel, kernel.aggregates.households_sampled, "{year}");
        assert_eq!(formulas.aggregates.households_by_kernel, 0, "{year}");
        let (mut k, mut f) = (kernel.aggregates.clone(), formulas.aggregates.clone());
        (k.households_by_kernel, f.households_by_kernel) = (0, 0);
        assert_eq!(k, f, "{year}: the aggregates");
        let outcomes = |o: &Outcome| -> Vec<_> {
            o.households.iter().flatten().map(|h| (h.outcomes.clone(), h.dibao_line)).collect()
        };
        assert_eq!(outcomes(&kernel), outcomes(&formulas), "{year}: every household");
    }
}

/// The 低保 take-up brings the persons in households receiving it to the
/// official count, within the sampling error of the draws; the factors bring
/// business and property income per person to NBS's, which the validation
/// then leaves to the calibration table.
#[test]
fn take_up_and_income_factors_meet_their_targets() {
    let book = book();
    let outcome = run(&book, &Config { keep_results: false, ..config(2024, 200_000) }, &[]);
    let report = &outcome.report;
    let row = |name: &str| report.calibration.iter().find(|c| c.name.starts_with(name)).expect("a calibration row");
    let dibao = row("低保 recipients");
    assert_eq!(dibao.method, Method::TakeUp);
    assert!(dibao.gap_percent.abs() < 6.0, "{} against {}", dibao.achieved, dibao.target);
    assert!(dibao.source.contains("% of households qualifying by income"), "{}", dibao.source);
    for name in ["Business income", "Property income"] {
        assert_eq!(row(name).method, Method::Factor);
        assert!(row(name).gap_percent.abs() < 1e-4, "{name}: {}", row(name).gap_percent);
        assert!(!report.validation.iter().any(|v| v.item.starts_with(name)), "{name} is calibrated, not validated");
    }
    assert!(!report.validation.iter().any(|v| v.item.starts_with("低保 recipients")));
}

/// A reform whose changes lie in another year is named in the report with
/// the years it changes, and changes nothing; one in force in the year is not.
#[test]
fn a_reform_of_another_year_is_named_and_changes_nothing() {
    let book = book();
    let reforms = [reform(&book, "gwr-2022-medical-subsidy.yaml"), reform(&book, "no-pension-rise-2022.yaml")];
    let outcome = run(&book, &Config { keep_results: false, ..config(2022, 3000) }, &reforms);
    let report = &outcome.report;
    assert_eq!(report.reforms_outside_year.len(), 1, "{:?}", report.reforms_outside_year);
    let outside = &report.reforms_outside_year[0];
    assert_eq!(outside.reform, reforms[0].0);
    assert_eq!(outside.years_changed, vec![2021]);
    assert!(report.budget.iter().all(|b| b.changes_yi[0] == 0.0), "nothing changes in 2022");
    assert!(report.budget.iter().any(|b| b.changes_yi[1] != 0.0), "the 2022 reform changes the budget");
    // Each decile's relative change is its mean change over its mean income: none for the
    // reform of another year, a loss for undoing the pension rise.
    for d in &report.deciles {
        assert_eq!(d.relative_change[0], 0.0);
        let expected = d.mean_change_per_person[1] / d.mean_income_per_person;
        assert!((d.relative_change[1] - expected).abs() < 1e-12 && d.relative_change[1] <= 0.0, "{d:?}");
    }
}

/// The 2022 report's measures together cost what they cost one by one: they
/// touch different programmes (the subsidy, public health funding, the tax).
#[test]
fn the_2022_measures_together_cost_the_sum_of_their_parts() {
    let book = book();
    let files =
        ["gwr-2022.yaml", "gwr-2022-medical-subsidy.yaml", "gwr-2022-public-health.yaml", "gwr-2022-infant-care.yaml"];
    let reforms: Vec<_> = files.iter().map(|f| reform(&book, f)).collect();
    let outcome = run(&book, &Config { keep_results: false, ..config(2021, 20_000) }, &reforms);
    let net = &outcome.report.net_budget_change_yi;
    assert!(net.iter().all(|n| *n < 0.0), "each measure costs money: {net:?}");
    let parts: f64 = net[1..].iter().sum();
    assert!((net[0] - parts).abs() < 1e-9 * parts.abs(), "{} against {parts}", net[0]);
}

/// The imputed transfers bring the five household quintiles to NBS's, are the
/// same in every scenario (so a reform's budget effect does not depend on
/// them) and can be left out, which leaves the quintiles to the validation.
#[test]
fn imputed_transfers_meet_the_quintiles_and_leave_reforms_alone() {
    let book = book();
    let reforms = [reform(&book, "no-2024-rises.yaml")];
    let with = run(&book, &config(2024, 100_000), &reforms);
    let without = run(&book, &Config { impute_transfers: false, ..config(2024, 100_000) }, &reforms);
    let quintiles: Vec<_> = with.report.calibration.iter().filter(|c| c.method == Method::Imputed).collect();
    assert_eq!(quintiles.len(), 5);
    for q in &quintiles {
        assert!(q.gap_percent.abs() < 1.5, "{}: {} against {}", q.name, q.achieved, q.target);
    }
    assert!(without.report.calibration.iter().all(|c| c.method != Method::Imputed));
    assert_eq!(without.report.validation.iter().filter(|v| v.item.contains("quintile")).count(), 5);
    for (a, b) in with.report.budget.iter().zip(&without.report.budget) {
        assert_eq!(a.totals_yi, b.totals_yi, "{}", a.programme_en);
    }
    let (kept, kept_without) = (with.households.as_ref().expect("kept"), without.households.as_ref().expect("kept"));
    assert!(kept_without.iter().all(|h| h.imputed_transfers == 0));
    assert!(kept.iter().any(|h| h.imputed_transfers > 0));
    let total: f64 = kept.iter().map(|h| h.weight * h.imputed_transfers as f64 / 100.0).sum();
    assert!((total - with.aggregates.imputed_transfers).abs() < 1e-6 * total.abs(), "{total}");
    // The rules' outcomes do not change; the imputed amount is added beside them.
    for (a, b) in kept.iter().zip(kept_without) {
        assert_eq!(a.outcomes, b.outcomes);
    }
}

/// A run asked to stop (an API job cancelled, a server shutting down) ends
/// with `Cancelled` within a batch of partitions, in any pass, and hands on
/// no results after it stopped.
#[test]
fn a_cancelled_run_stops_within_a_batch_of_partitions() {
    let book = book();
    for stop_in in ["calibrating", "simulating"] {
        let config = config(2022, 200_000);
        let cancel = config.cancel.clone();
        let seen = std::sync::atomic::AtomicUsize::new(0);
        let progress = |stage: minsheng_sim::Stage| {
            let now = matches!(
                (stop_in, stage),
                ("calibrating", minsheng_sim::Stage::Calibrating(_))
                    | ("simulating", minsheng_sim::Stage::Simulating(_))
            );
            if now && seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed) == 3 {
                cancel.set();
            }
        };
        let mut handed = 0;
        let outcome =
            minsheng_sim::simulate_with(&book, &config, Population::Synthetic, &[], &progress, &mut |_, r| {
                handed += r.len();
                Ok(())
            });
        assert!(matches!(outcome, Err(minsheng_sim::SimError::Cancelled)), "{stop_in}: the run went on");
        let partitions = 200_000 / 64 / 3; // far fewer than the run's partitions
        let batch = rayon::current_num_threads() * 8 * 2;
        assert!(seen.into_inner() < 4 + batch, "{stop_in}: partitions went on after the stop");
        assert!(handed < partitions * 64, "{stop_in}: {handed} results handed on after the stop");
    }
}

/// Where the rule book has no national average 低保 standards (2023, 2025),
/// the run assesses 低保 at the standards the built-in data assumes, and the
/// report says so with their confidence; where it has them (2024), it uses
/// the rule book's and says nothing.
#[test]
fn dibao_is_assessed_every_year_at_assumed_standards_where_the_rule_book_has_none() {
    let book = book();
    for (year, assumed) in [(2023, true), (2024, false), (2025, true)] {
        let outcome = run(&book, &config(year, 1500), &[]);
        let report = &outcome.report;
        let dibao = report.budget.iter().find(|b| b.programme_en.contains("dibao")).expect("row");
        assert_eq!(dibao.status, minsheng_sim::report::BudgetStatus::Computed, "{year}");
        assert!(dibao.totals_yi[0] > 0.0, "{year}: {:?}", dibao.totals_yi);
        match &report.dibao_standards_assumed {
            Some(note) => assert!(assumed && note.ends_with("[L]"), "{year}: {note}"),
            None => assert!(!assumed, "{year}: the assumption is stated"),
        }
    }
}

/// The unemployment benefit reaches the population: recipients drawn from the
/// urban adults out of work, paid by the rule; a reform that lengthens the
/// benefit to 24 months for every record raises what is paid; the total is
/// the validation row's, against the 729亿 paid in 2023.
#[test]
fn the_unemployment_benefit_reaches_the_population_by_the_rule() {
    let book = book();
    let longer = Reform::from_yaml(
        "name: longer-benefit\nlabel: {zh: 延长领取期限（测试）, en: Longer benefit (test)}\nchanges:\n  \
         - {parameter: unemployment.benefit.duration_by_contribution, from: 2019-01-01, counts: {12: 24}}\n",
    )
    .expect("valid reform");
    let longer = (longer.name.clone(), longer.apply(&book.baseline).expect("applies"));
    let outcome = run(&book, &config(2023, 3000), &[longer]);
    let row = outcome.report.budget.iter().find(|b| b.programme_en == "Unemployment benefits").expect("row");
    assert_eq!(row.status, minsheng_sim::report::BudgetStatus::Computed);
    assert!(row.totals_yi[0] > 0.0 && row.totals_yi[1] > row.totals_yi[0], "{:?}", row.totals_yi);
    let paid = outcome.report.validation.iter().find(|v| v.item.starts_with("Unemployment benefit paid")).expect("row");
    assert_eq!(paid.official, 729.0);
    assert_eq!(paid.simulated, row.totals_yi[0]);
}

/// The long (tidy) layout holds the wide one's figures, a row per household
/// and scenario, the scenario named in its column; households are numbered
/// on from the batches before.
#[test]
fn the_long_table_holds_the_wide_tables_figures_a_row_per_scenario() {
    use minsheng_sim::table::{self, Column, Shape, Spec};
    let book = book();
    let reforms = [reform(&book, "no-2023-deduction-rise.yaml")];
    let outcome = run(&book, &config(2023, 300), &reforms);
    let households = outcome.households.expect("kept");
    let scenarios = &outcome.report.scenarios;
    let wide = table::households(&Spec::new(2023, scenarios), &households);
    let long = table::households(
        &Spec { shape: Shape::Long, first_household: 1000, ..Spec::new(2023, scenarios) },
        &households,
    );
    let column = |t: &table::Table, name: &str| t.columns.iter().find(|c| c.name == name).expect(name).column.clone();
    let n = households.len();
    assert_eq!(long.rows, n * scenarios.len());
    let (Column::Text(named), Column::Count(ids)) = (column(&long, "scenario"), column(&long, "household")) else {
        panic!("column types")
    };
    for (s, scenario) in scenarios.iter().enumerate() {
        let (Column::Amount(w), Column::Amount(l)) =
            (column(&wide, &format!("income_tax[{scenario}]")), column(&long, "income_tax"))
        else {
            panic!("amounts")
        };
        assert_eq!(w[..], l[s * n..(s + 1) * n]);
        assert!(named[s * n..(s + 1) * n].iter().all(|x| &**x == scenario));
        assert_eq!(ids[s * n], 1000);
    }
    assert!(long.columns.iter().all(|c| c.meta.scenario.is_none()), "a long table's scenario is in its rows");
    assert!(
        wide.columns
            .iter()
            .filter(|c| c.name.ends_with(']'))
            .all(|c| c.meta.unit == "yuan" && c.meta.scenario.is_some())
    );
}

/// The standard errors mean what they say: across runs with other seeds, the
/// income tax total spreads about as much as each run's standard error says
/// (within a factor of three, the precision of an error estimated from 16
/// groups and of a spread from 8 seeds); the Gini, which the imputed
/// transfers' fit to the quintiles pins for the whole run but not for a
/// group, spreads less than its error, an upper bound; the pension bill set
/// by calibration has none; and every other headline carries one.
#[test]
fn standard_errors_match_the_spread_across_seeds() {
    let book = book();
    let runs: Vec<Outcome> =
        (1..=8).map(|seed| run(&book, &Config { seed, keep_results: false, ..config(2023, 4000) }, &[])).collect();
    let spread = |values: Vec<f64>| {
        let mean = values.iter().sum::<f64>() / values.len() as f64;
        (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (values.len() - 1) as f64).sqrt()
    };
    fn tax(o: &Outcome) -> &minsheng_sim::report::BudgetRow {
        &o.report.budget[0]
    }
    let figures: [(&str, Vec<f64>, Vec<f64>); 2] = [
        (
            "income tax",
            runs.iter().map(|o| tax(o).totals_yi[0]).collect(),
            runs.iter().map(|o| tax(o).totals_se_yi.as_ref().expect("an error")[0]).collect(),
        ),
        (
            "Gini",
            runs.iter().map(|o| o.report.distribution[0].gini).collect(),
            runs.iter().map(|o| o.report.distribution[0].gini_se.expect("an error")).collect(),
        ),
    ];
    for (what, values, errors) in figures {
        let (observed, stated) = (spread(values), errors.iter().sum::<f64>() / errors.len() as f64);
        assert!(stated > 0.0 && observed / stated < 3.0, "{what}: spread {observed}, error {stated}");
        if what == "income tax" {
            assert!(stated / observed < 3.0, "{what}: spread {observed}, error {stated}");
        }
    }
    let pensions = runs[0].report.budget.iter().find(|b| b.programme_en == "Employee pensions").expect("row");
    assert!(pensions.calibrated && pensions.totals_se_yi.is_none());
    let report = &runs[0].report;
    assert_eq!(report.sampling.as_ref().map(|m| m.groups), Some(minsheng_sim::sampling::GROUPS));
    assert!(report.validation.iter().all(|v| v.simulated_se.is_some()));
    assert!(report.taxpayers.iter().all(|t| t.taxpayers_se.is_some()));
}

/// Every validation row states its band and whether it is within it; every
/// row outside it is explained, and in the built-in population of 2023 none
/// is left unexplained.
#[test]
fn every_validation_row_outside_its_band_is_explained() {
    let book = book();
    let outcome = run(&book, &Config { keep_results: false, ..config(2023, 60_000) }, &[]);
    for v in &outcome.report.validation {
        assert!(!v.band.is_empty(), "{}", v.item);
        assert_eq!(v.explanation.is_some(), !v.within_band, "{}", v.item);
        if let Some(why) = &v.explanation {
            assert!(!why.contains("not explained yet"), "{} ({:+.1}%) needs an explanation", v.item, v.gap_percent);
        }
    }
    let gini = outcome.report.validation.iter().find(|v| v.item.starts_with("Gini")).expect("row");
    assert_eq!(gini.within_band, (gini.simulated - gini.official).abs() <= 0.02);
}

/// A projection year runs: its targets projected from the last year of data
/// and marked so, the law as last known carried forward and listed (the
/// average wage behind contribution bounds raised by the projected growth),
/// the kernel still computing every household, and nothing validated against
/// figures that are not official.
#[test]
fn a_projection_year_runs_the_law_carried_forward_and_says_so() {
    let book = book();
    let higher = Reform::from_yaml(
        "name: higher-deduction\nlabel: {zh: 提高基本减除费用（测试）, en: Higher basic deduction (test)}\nchanges:\n  \
         - {parameter: iit.comprehensive.basic_deduction_annual, from: 2027-01-01, amount: 72000}\n",
    )
    .expect("valid reform");
    let higher = (higher.name.clone(), higher.apply(&book.baseline).expect("applies"));
    let outcome = run(&book, &Config { keep_results: false, ..config(2027, 3000) }, &[higher]);
    let r = &outcome.report;
    assert!(r.projected.as_deref().is_some_and(|how| how.starts_with("projected from 2025")));
    // The average wage rises each contribution year (July): 124,110 (in force from July 2025)
    // × 1.03 to June 2027, × 1.03² from July 2027.
    let wage: Vec<(&str, &str, Option<&str>)> = r
        .law_carried_forward
        .iter()
        .filter(|c| c.parameter == "local.national.average_wage_annual")
        .map(|c| (c.from.as_str(), c.value.as_str(), c.raised.as_deref()))
        .collect();
    assert_eq!(
        wage,
        [("2027-01-01", "127833.00", Some("+3% a year × 1")), ("2027-07-01", "131668.00", Some("+3% a year × 2"))]
    );
    assert!(r.law_carried_forward.iter().any(|c| c.parameter == "medical.public_health.funding_per_capita"));
    assert_eq!(r.households_by_kernel, r.households_sampled);
    assert!(r.validation.is_empty());
    let tax = &r.budget[0];
    assert!(tax.changes_yi[0] < 0.0, "the reform, carried forward with the law, lowers the tax: {:?}", tax.changes_yi);
}

/// Microdata with an unemployment spell: the benefit is paid by the rule at
/// the year's average, and the budget row is computed, not "not modelled".
#[test]
fn microdata_spells_draw_the_unemployment_benefit() {
    let book = book();
    let text = "household_id,person_id,age,sex,urban,wage_monthly,insured,pension_last_december,resident_pension_account,claimed_by,weight,unemployment_start,unemployment_contribution_months\n\
                h1,a,40,M,1,,0,,,,1000,2023-03,30\nh2,b,35,F,1,8000,1,,,,1000,,\n";
    let (households, weights) = minsheng_sim::read_csv(text).expect("reads");
    let config = Config { seed: 1, partition_size: 64, keep_results: false, ..Config::new(2023, 2) };
    let outcome = simulate(&book, &config, Population::Microdata(households, weights), &[], &|_| {}).expect("runs");
    let row = outcome.report.budget.iter().find(|b| b.programme_en == "Unemployment benefits").expect("row");
    assert_eq!(row.status, minsheng_sim::report::BudgetStatus::Computed);
    // March to December 2023: 10 of the 12 entitled months, at 1,814 a month, for 1,000 households.
    assert!((row.totals_yi[0] * 1e8 - 1000.0 * 10.0 * 1814.0).abs() < 1.0, "{:?}", row.totals_yi);
}
