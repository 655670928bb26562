//! Property tests: invariants that must hold for every input, not just the
//! worked examples.

use minsheng_cn::RuleBook;
use minsheng_core::params::ParamValue;
use minsheng_core::situation::Format;
use minsheng_core::{Entity, Eval, Money, Month, Period, Value};
use proptest::prelude::*;
use std::sync::OnceLock;

fn book() -> &'static RuleBook {
    static BOOK: OnceLock<RuleBook> = OnceLock::new();
    BOOK.get_or_init(|| RuleBook::embedded().expect("embedded rule book"))
}

fn fen(v: &Value) -> i64 {
    match v {
        Value::Money(m) => m.fen(),
        other => panic!("expected an amount, got {other}"),
    }
}

/// Yuan with fen, as situation text.
fn yuan(fen: i64) -> String {
    Money::from_fen(fen).to_string()
}

/// The year's total IIT and the list of monthly wage withholdings for one
/// employee with a constant wage, special deduction and one claimed child.
fn employee(year: i32, wage_fen: i64, special_fen: i64, child_birth: &str) -> (i64, Vec<i64>) {
    let text = format!(
        "year: {year}\npersons:\n  e:\n    wage: {{{year}-01..{year}-12: {}}}\n    special_deduction: {{{year}-01..{year}-12: {}}}\n  c:\n    birth_date: {child_birth}\n    claimants: {{e: 100}}\n",
        yuan(wage_fen),
        yuan(special_fen)
    );
    let sit = book().situation(&text, Format::Yaml).expect("valid situation");
    let mut ev = Eval::new(&book().registry, &book().baseline, &sit);
    let total = fen(&ev.compute("iit.total", Entity::Person(0), Period::Year(year)).expect("computes").1);
    let monthly = Month::of_year(year)
        .map(|m| fen(&ev.compute("iit.withholding.wage_tax", Entity::Person(0), Period::Month(m)).expect("computes").1))
        .collect();
    (total, monthly)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The annual scale: quick deductions equal the marginal computation, tax
    /// never falls as taxable income rises, and never exceeds it.
    #[test]
    fn annual_scale_is_continuous_monotone_and_below_income(a in 0i64..300_000_000, b in 0i64..300_000_000, year in 2019i16..=2026) {
        let found = book().baseline.lookup("iit.comprehensive.annual_scale", jiff::civil::date(year, 6, 30), None).unwrap();
        let Some(ParamValue::Scale(scale)) = &found.entry.value else { panic!("a scale") };
        let (lo, hi) = (Money::from_fen(a.min(b)), Money::from_fen(a.max(b)));
        prop_assert_eq!(scale.tax(lo), scale.marginal_tax(lo));
        prop_assert!(scale.tax(lo) <= scale.tax(hi));
        prop_assert!(scale.tax(hi) <= hi);
    }

    /// More pay never means less take-home pay, and tax never exceeds income;
    /// no month withholds more than that month's wage.
    #[test]
    fn more_pay_never_less_take_home(
        year in 2019i32..=2026,
        wage in 0i64..20_000_000,
        raise in 1i64..2_000_000,
        special_share in 0i64..=20,
        birth_year in 2000i32..2026,
    ) {
        let birth = format!("{birth_year}-07-15");
        let special = wage * special_share / 100;
        let (tax_low, monthly) = employee(year, wage, special, &birth);
        let (tax_high, _) = employee(year, wage + raise, special, &birth);
        prop_assert!(12 * (wage + raise) - tax_high >= 12 * wage - tax_low, "take-home fell: {tax_low} -> {tax_high}");
        prop_assert!(tax_low <= 12 * wage);
        for m in monthly {
            prop_assert!(m <= wage);
        }
    }

    /// Parents splitting a child 50/50 deduct together exactly what one parent
    /// deducts at 100%, every month.
    #[test]
    fn shared_child_deductions_add_up_to_the_whole(year in 2019i32..=2026, birth_year in 2010i32..=2026, birth_month in 1u32..=12) {
        let birth = format!("{birth_year}-{birth_month:02}-10");
        let text = format!(
            "year: {year}\npersons:\n  a: {{wage: {{{year}-01: 1}}}}\n  b: {{wage: {{{year}-01: 1}}}}\n  solo: {{wage: {{{year}-01: 1}}}}\n  shared_child:\n    birth_date: {birth}\n    claimants: {{a: 50, b: 50}}\n  solo_child:\n    birth_date: {birth}\n    claimants: {{solo: 100}}\n"
        );
        let sit = book().situation(&text, Format::Yaml).expect("valid situation");
        let mut ev = Eval::new(&book().registry, &book().baseline, &sit);
        for m in Month::of_year(year) {
            for var in ["iit.sad.child_education", "iit.sad.infant_care"] {
                let mut get = |p| fen(&ev.compute(var, Entity::Person(p), Period::Month(m)).expect("computes").1);
                prop_assert_eq!(get(0) + get(1), get(2), "{} in {}", var, m);
            }
        }
    }

    /// The statutory retirement age is never below the old age, never above it
    /// by more than the largest delay, and never falls for a later birth.
    #[test]
    fn retirement_age_between_old_and_new(group in 0usize..3, months_after in 0i32..400) {
        let (name, old, first, max) = [("male", 60, 1959, 36), ("female_55", 55, 1964, 36), ("female_50", 50, 1969, 60)][group];
        let birth = Month::new(first, 1).expect("month").plus(months_after);
        let next = birth.next();
        let age = |b: Month| {
            let text = format!("year: 2025\npersons:\n  p: {{birth_date: {b}-15, retirement_group: {name}}}\n");
            let sit = book().situation(&text, Format::Yaml).expect("valid");
            let mut ev = Eval::new(&book().registry, &book().baseline, &sit);
            match ev.compute("pension.statutory_retirement_age", Entity::Person(0), Period::Eternity).expect("computes").1 {
                Value::Count(n) => n,
                other => panic!("{other}"),
            }
        };
        let (a, b) = (age(birth), age(next));
        prop_assert!(a >= old * 12 && a <= old * 12 + max, "{a} months for {name} born {birth}");
        prop_assert!(b >= a, "a later birth ({next}) retires younger: {b} < {a}");
    }

    /// The pension at retirement never falls as contribution years or the
    /// contribution index rise.
    #[test]
    fn pension_rises_with_years_and_index(
        months in 180i64..540, more_months in 0i64..60,
        index_pct in 60i64..300, more_index_pct in 0i64..50,
        base in 500_000i64..3_000_000, balance in 0i64..50_000_000,
    ) {
        let initial = |m: i64, idx: i64| {
            let text = format!(
                "year: 2025\npersons:\n  p:\n    birth_date: 1963-05-10\n    retirement_group: male\n    contribution_months: {m}\n    average_contribution_index: {}\n    pension_base: {}\n    personal_account_balance: {}\n",
                rust_decimal::Decimal::new(idx, 2), yuan(base), yuan(balance)
            );
            let sit = book().situation(&text, Format::Yaml).expect("valid");
            let mut ev = Eval::new(&book().registry, &book().baseline, &sit);
            fen(&ev.compute("pension.initial_monthly", Entity::Person(0), Period::Eternity).expect("computes").1)
        };
        prop_assert!(initial(months + more_months, index_pct + more_index_pct) >= initial(months, index_pct));
    }

    /// Contributions never leave the bounds: the base lies between 60% and 300%
    /// of the local average wage, so the employee's pension contribution lies
    /// between 8% of each (in the years whose average wage is known).
    #[test]
    fn contributions_stay_within_the_base_bounds(wage in 1i64..10_000_000, month in 1u32..=12, year in 2021i32..=2025) {
        let text = format!("year: {year}\npersons:\n  p: {{locality: national, wage: {{{year}-{month:02}: {}}}}}\n", yuan(wage));
        let sit = book().situation(&text, Format::Yaml).expect("valid");
        let mut ev = Eval::new(&book().registry, &book().baseline, &sit);
        let m = Period::Month(Month::new(year, month).expect("month"));
        let mut get = |v| fen(&ev.compute(v, Entity::Person(0), m).expect("computes").1);
        let (average, base, pension) = (get("social_insurance.average_wage"), get("social_insurance.base"), get("social_insurance.pension_employee"));
        let floor = Money::from_fen(average).mul_rate(minsheng_core::Rate::from_percent(60)).fen();
        let ceiling = Money::from_fen(average).mul_rate(minsheng_core::Rate::from_percent(300)).fen();
        prop_assert!(base >= floor && base <= ceiling, "base {base} outside [{floor}, {ceiling}]");
        let eight = minsheng_core::Rate::from_percent(8);
        prop_assert!(pension >= Money::from_fen(floor).mul_rate(eight).fen());
        prop_assert!(pension <= Money::from_fen(ceiling).mul_rate(eight).fen());
    }

    /// The household statement adds up: household disposable income is the
    /// members' disposable income plus the household's other income and 低保; the top-up never
    /// lifts counted income above the standard, and fills the gap exactly.
    #[test]
    fn household_statement_identity_and_dibao_top_up(
        wages in proptest::collection::vec(0i64..1_000_000, 1..4),
        standard in 50_000i64..150_000,
        other in 0i64..5_000_000,
        year in 2019i32..=2026,
    ) {
        let mut text = format!("year: {year}\npersons:\n");
        for (i, w) in wages.iter().enumerate() {
            text.push_str(&format!("  p{i}: {{wage: {{{year}-01..{year}-12: {}}}, insured: {{{year}: false}}, resident_medical_contribution: {{{year}: 400}}}}\n", yuan(*w)));
        }
        let members: Vec<String> = (0..wages.len()).map(|i| format!("p{i}")).collect();
        text.push_str(&format!(
            "households:\n  h:\n    members: [{}]\n    dibao_standard: {{{year}: {}}}\n    other_counted_income: {{{year}: {}}}\n",
            members.join(", "), yuan(standard), yuan(other)
        ));
        let sit = book().situation(&text, Format::Yaml).expect("valid");
        let mut ev = Eval::new(&book().registry, &book().baseline, &sit);
        let y = Period::Year(year);
        let household = Entity::Household(0);
        let mut members_disposable = 0;
        for i in 0..wages.len() {
            members_disposable += fen(&ev.compute("income.disposable", Entity::Person(i), y).expect("computes").1);
        }
        let dibao = fen(&ev.compute("assistance.dibao_annual", household, y).expect("computes").1);
        let total = fen(&ev.compute("household.disposable_income", household, y).expect("computes").1);
        prop_assert_eq!(total, members_disposable + other + dibao);
        let counted = fen(&ev.compute("assistance.dibao_counted_income", household, y).expect("computes").1);
        let monthly_counted = Money::round_from_decimal(Money::from_fen(counted).to_decimal() / rust_decimal::Decimal::from(12)).expect("fits").fen();
        let top_up = fen(&ev.compute("assistance.dibao", household, Period::Month(Month::new(year, 6).expect("month"))).expect("computes").1);
        let line = standard * wages.len() as i64;
        prop_assert!(top_up >= 0);
        if top_up > 0 {
            prop_assert_eq!(monthly_counted + top_up, line);
        } else {
            prop_assert!(monthly_counted >= line);
        }
    }

    /// The basic fund never pays more than the bill nor, over the year, more than its cap.
    #[test]
    fn reimbursement_within_bill_and_cap(
        bills in proptest::collection::vec(0i64..50_000_000, 12),
        deductible in 0i64..300_000, rate_pct in 0i64..=100, cap in 0i64..100_000_000,
    ) {
        let mut text = format!(
            "year: 2024\npersons:\n  p:\n    medical_plan_deductible: {{2024: {{tertiary: {}}}}}\n    medical_plan_rate: {{2024: {{tertiary: {}}}}}\n    medical_plan_cap: {{2024: {}}}\n    hospital_level: {{2024-01..2024-12: tertiary}}\n    inpatient_cost:\n",
            yuan(deductible), rust_decimal::Decimal::new(rate_pct, 2), yuan(cap)
        );
        for (i, b) in bills.iter().enumerate() {
            text.push_str(&format!("      2024-{:02}: {}\n", i + 1, yuan(*b)));
        }
        let sit = book().situation(&text, Format::Yaml).expect("valid");
        let mut ev = Eval::new(&book().registry, &book().baseline, &sit);
        let mut total = 0;
        for (i, m) in Month::of_year(2024).enumerate() {
            let paid = fen(&ev.compute("medical.fund_pays", Entity::Person(0), Period::Month(m)).expect("computes").1);
            prop_assert!(paid >= 0 && paid <= bills[i], "{m}: paid {paid} on a bill of {}", bills[i]);
            total += paid;
        }
        prop_assert!(total <= cap);
    }

    /// No text, however malformed, makes reading a situation panic.
    #[test]
    fn reading_any_text_never_panics(text in ".{0,200}") {
        let _ = book().situation(&text, Format::Yaml);
        let _ = book().situation(&text, Format::Json);
    }

    /// Nor do structurally plausible situations with wild values.
    #[test]
    fn reading_plausible_situations_never_panics(
        year in prop::sample::select(vec!["2023", "1899", "99999999999", "-1", "2023.5", "x"]),
        key in prop::sample::select(vec!["wage", "birth_date", "claimants", "employer", "rent_city", "bonus_method", "nope"]),
        period in prop::sample::select(vec!["2023-01", "2023-01..2023-12", "2023", "2023-12..2023-01", "", "9999-99"]),
        value in prop::sample::select(vec!["1e400", "-0", "0.001", "true", "[1, 2]", "{a: 1}", "null", "\"\"", "1e18", "2023-02-29"]),
    ) {
        let text = format!("year: {year}\npersons:\n  p:\n    {key}: {{{period}: {value}}}\n  q:\n    {key}: {value}\n");
        if let Ok(sit) = book().situation(&text, Format::Yaml) {
            let mut ev = Eval::new(&book().registry, &book().baseline, &sit);
            let _ = ev.compute("iit.total", Entity::Person(0), Period::Year(sit.year));
        }
    }
}
