//! The pension projection: a hand-checked case, and the properties a person
//! planning with it relies on (a later retirement, a higher wage, today's money).

use minsheng_calc::projection::{Options, Projection, ProjectionError, Scheme, project};
use minsheng_cn::RuleBook;
use minsheng_core::situation::Format;
use minsheng_core::{Money, Month};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn book() -> &'static RuleBook {
    static BOOK: std::sync::OnceLock<RuleBook> = std::sync::OnceLock::new();
    BOOK.get_or_init(|| RuleBook::embedded().expect("rule book"))
}

fn situation(text: &str) -> minsheng_core::Situation {
    book().situation(text, Format::Yaml).expect("valid situation")
}

fn yuan(n: i64) -> Option<Money> {
    Some(Money::from_yuan(n))
}

fn flat(options: Options) -> Options {
    Options {
        average_wage_growth: Some(Decimal::ZERO),
        crediting_rate: Some(Decimal::ZERO),
        price_growth: Some(Decimal::ZERO),
        pension_rise: Some(Decimal::ZERO),
        monthly_base: yuan(10_000),
        average_wage: yuan(10_000),
        pension_base: yuan(10_000),
        ..options
    }
}

const TOTALS: &str = "year: 2026\npersons:\n  wang:\n    birth_date: 1966-03-10\n    retirement_group: male\n    contribution_months: 360\n    average_contribution_index: 1\n    personal_account_balance: 100000\n";

fn point(p: &Projection, month: &str) -> minsheng_calc::projection::Point {
    let m: Month = month.parse().expect("month");
    p.points.iter().find(|pt| pt.retirement_month == m).cloned().unwrap_or_else(|| panic!("no point for {month}"))
}

/// Hand-checked: a man born in March 1966 reaches 60 years and 4 months in July 2026 (a delay of
/// 4 months for his cohort). With no growth and no interest, six more months at a base of 10,000
/// credit 800 × 6 = 4,800 (account 104,800) and make 366 months at an index of 1: basic 10,000 ×
/// 2 ÷ 2 × 1% × 366/12 = 3,050; divisor at 60 years 4 months 139 − 7 × 4/12 = 136.7, account
/// 104,800 ÷ 136.7 = 766.64; 3,816.64 a month, 236 months to 80 (July 2026 to February 2046):
/// 900,727.04.
#[test]
fn a_hand_checked_projection_from_totals() {
    let p = project(book(), &situation(TOTALS), &flat(Options::default())).expect("projects");
    assert_eq!(p.statutory_month, "2026-07".parse().expect("month"));
    assert_eq!(p.window, Some(("2026-03".parse().expect("m"), "2029-07".parse().expect("m"))));
    let s = point(&p, "2026-07");
    assert!(s.statutory && s.eligible);
    assert_eq!(s.contribution_months, 366);
    assert_eq!(s.account_balance, Money::from_yuan(104_800));
    assert_eq!(s.basic, Money::from_yuan(3_050));
    assert_eq!(s.account, Money::from_fen(76_664));
    assert_eq!(s.monthly, Money::from_fen(381_664));
    assert_eq!(s.monthly_today, s.monthly);
    assert_eq!(s.cumulative, Money::from_fen(381_664 * 236));
    // The early months of the window: 362 months in March 2026, still above the minimum.
    assert_eq!(point(&p, "2026-03").contribution_months, 362);
    assert!(p.assumptions.iter().any(|a| a.name == "crediting_rate" && a.source == "given"));
    assert!(p.assumptions.iter().any(|a| a.name == "to_age" && a.source.starts_with("default")));
}

#[test]
fn a_career_is_carried_forward_from_the_january_after_it() {
    let text = "year: 2026\npersons:\n  li:\n    birth_date: 1968-06-15\n    retirement_group: male\n    locality: beijing\n    prior_contribution_months: 300\n    prior_contribution_index: 1.05\n    pension_career:\n      2023: {base: 12000, opening_balance: 96000}\n      2024: {base: 12500}\n      2025: {base: 13000}\n";
    let p = project(book(), &situation(text), &Options { pension_base: yuan(12_049), ..Options::default() })
        .expect("projects");
    assert_eq!(p.record.from, "2026-01".parse().expect("m"));
    assert_eq!(p.record.monthly_base, Money::from_yuan(13_000));
    // Beijing's average wage of December 2025 carried forward.
    assert_eq!(p.record.average_wage, Money::from_yuan(11_937));
    assert_eq!(p.record.contribution_months, 336);
    assert!(p.uncertain.iter().any(|u| u.parameter == "pension.account.crediting_rate"));
    assert!(p.notices.iter().any(|n| n.en.contains("local.beijing.contribution_index_decimals")));
    assert_eq!(p.points.len(), 48, "2028-06 to 2032-05");
}

#[test]
fn an_early_month_short_of_the_minimum_is_left_out() {
    let text = "year: 2026\npersons:\n  short:\n    birth_date: 1966-03-10\n    retirement_group: male\n    contribution_months: 170\n    average_contribution_index: 1\n    personal_account_balance: 50000\n";
    let p = project(book(), &situation(text), &flat(Options::default())).expect("projects");
    // 170 + the months of 2026 before the pension reach 180 only for a pension from November.
    let first = p.points.first().expect("points").retirement_month;
    assert!(first >= "2026-07".parse().expect("m"), "{first}");
    assert!(p.points.iter().any(|pt| !pt.eligible), "the statutory month is short too");
}

#[test]
fn bad_options_and_records_are_input_errors_naming_the_field() {
    let sit = situation(TOTALS);
    let err = |o: Options| match project(book(), &sit, &o) {
        Err(ProjectionError::Input(e)) => e[0].field.clone(),
        other => panic!("expected an input error, got {other:?}"),
    };
    assert_eq!(err(Options { wage_growth: Some(Decimal::ONE), ..flat(Options::default()) }), "projection.wage_growth");
    assert_eq!(err(Options { to_age: Some(30), ..flat(Options::default()) }), "projection.to_age");
    assert_eq!(err(Options { person: Some("nobody".into()), ..flat(Options::default()) }), "projection.person");
    assert_eq!(err(Options { pension_base: None, ..flat(Options::default()) }), "projection.pension_base");
    let no_group = situation(
        "year: 2026\npersons:\n  x:\n    birth_date: 1970-01-01\n    contribution_months: 100\n    average_contribution_index: 1\n",
    );
    match project(book(), &no_group, &flat(Options::default())) {
        Err(ProjectionError::Input(e)) => assert_eq!(e[0].field, "persons.x"),
        other => panic!("{other:?}"),
    }
}

/// Residents: 180 months at 60 in 2030 from 96 today, 2,000 a year and a 60 subsidy at no
/// interest: 50,000 + 4 × 2,060 = 58,240, ÷ 139 = 418.99, with the rule book's last central minimum.
#[test]
fn the_residents_projection_starts_at_sixty() {
    let text = "year: 2026\npersons:\n  zhao:\n    birth_date: 1970-05-01\n    resident_contribution_months: 132\n    resident_account_balance: 50000\n";
    let options = Options {
        scheme: Scheme::Resident,
        crediting_rate: Some(Decimal::ZERO),
        resident_contribution: yuan(2_000),
        resident_subsidy: yuan(60),
        price_growth: Some(Decimal::ZERO),
        ..Options::default()
    };
    let p = project(book(), &situation(text), &options).expect("projects");
    let pt = &p.points[0];
    assert_eq!(pt.retirement_month, "2030-05".parse().expect("m"));
    assert_eq!(pt.contribution_months, 180);
    assert_eq!(pt.account_balance, Money::from_yuan(58_240));
    assert_eq!(pt.account, Money::from_fen(41_899));
    assert!(pt.eligible);
    assert_eq!(pt.monthly, pt.basic + pt.account);
    // 2030 is within the rule book's years: its central minimum is the law's, without a notice.
    assert!(!p.notices.iter().any(|n| n.en.contains("central minimum")));
    // Starting after them (born 1975, 60 in 2035), the last year's minimum is used, and said so.
    let later = text.replace("1970-05-01", "1975-05-01");
    let p = project(book(), &situation(&later), &options).expect("projects");
    assert!(p.notices.iter().any(|n| n.en.contains("central minimum after 2030-12-31")), "{:?}", p.notices);
}

fn growth() -> impl Strategy<Value = Decimal> {
    (0i64..=80).prop_map(|n| Decimal::new(n, 3))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// With growth and interest not negative, retiring later never lowers the monthly pension,
    /// and today's money is never above nominal when prices rise.
    #[test]
    fn a_later_retirement_never_pays_less_a_month(
        wage in growth(), average in growth(), crediting in growth(), prices in (1i64..=60).prop_map(|n| Decimal::new(n, 3)),
        months in 180i64..420, index in (60i64..=300).prop_map(|n| Decimal::new(n, 2)), base in 5_000i64..40_000,
    ) {
        let text = format!("year: 2026\npersons:\n  p:\n    birth_date: 1972-08-01\n    retirement_group: male\n    contribution_months: {months}\n    average_contribution_index: {index}\n    personal_account_balance: 80000\n");
        let options = Options {
            wage_growth: Some(wage), average_wage_growth: Some(average), crediting_rate: Some(crediting),
            price_growth: Some(prices), monthly_base: yuan(base), average_wage: yuan(12_000), pension_base: yuan(11_000),
            ..Options::default()
        };
        let p = project(book(), &situation(&text), &options).expect("projects");
        for pair in p.points.windows(2) {
            prop_assert!(pair[1].monthly >= pair[0].monthly, "{} then {}", pair[0].monthly, pair[1].monthly);
        }
        for pt in &p.points {
            prop_assert!(pt.monthly_today <= pt.monthly && pt.cumulative_today <= pt.cumulative);
        }
    }

    /// A higher wage path never gives a lower pension in any month of the window.
    #[test]
    fn a_higher_wage_never_pays_less(base in 4_000i64..30_000, more in 1i64..20_000, wage in growth()) {
        let run = |b: i64| {
            let options = Options {
                wage_growth: Some(wage), monthly_base: yuan(b), average_wage: yuan(12_000), pension_base: yuan(11_000),
                ..Options::default()
            };
            project(book(), &situation(TOTALS), &options).expect("projects")
        };
        let (low, high) = (run(base), run(base + more));
        prop_assert_eq!(low.points.len(), high.points.len());
        for (l, h) in low.points.iter().zip(&high.points) {
            prop_assert!(h.monthly >= l.monthly, "{}: {} < {}", l.retirement_month, h.monthly, l.monthly);
        }
    }
}

/// Found by a probe: growth, falling prices or a long horizon that carry an amount beyond what
/// money holds are input errors, never a panic or a figure computed from a fallback.
#[test]
fn assumptions_beyond_what_money_holds_are_input_errors() {
    let young = situation("year: 2026\npersons:\n  p:\n    birth_date: 2010-03-01\n");
    let options = Options {
        scheme: Scheme::Resident,
        resident_contribution: yuan(1_000),
        price_growth: Some(Decimal::new(-5, 1)),
        to_age: Some(110),
        ..Options::default()
    };
    assert!(matches!(project(book(), &young, &options), Err(ProjectionError::Input(e)) if e[0].field == "projection"));
    let text = "year: 2026\npersons:\n  p:\n    birth_date: 2020-01-01\n    retirement_group: male\n    contribution_months: 12\n    average_contribution_index: 1\n    personal_account_balance: 1000\n";
    let options = Options { crediting_rate: Some(Decimal::new(5, 1)), ..flat(Options::default()) };
    match project(book(), &situation(text), &options) {
        Err(ProjectionError::Input(e)) => {
            assert!(e[0].field.starts_with("persons.p") || e[0].field == "projection", "{e:?}")
        }
        other => panic!("expected an input error, got {other:?}"),
    }
}
