//! The rule book carried forward into 2026: every value it does not know for
//! the year takes the last it knows, the average wage (which sets contribution
//! bounds) raised by a growth a year, each marked; beyond the span nothing
//! changes, and a household of 2026 computes where it was unknown.

use jiff::civil::date;
use minsheng_cn::RuleBook;
use minsheng_core::params::{Origin, ParamValue};
use minsheng_core::situation::Format;
use minsheng_core::{Entity, Eval, Money, Period, Rate, Value};

#[test]
fn the_2026_law_as_last_known_fills_every_unknown_and_says_so() {
    let book = RuleBook::embedded().expect("rule book");
    let (first, last) = (date(2026, 1, 1), date(2026, 12, 31));
    let growth = Rate::from_percent(3);
    let (carried, list) = book.baseline.carried_forward(first, last, &[("local.*.average_wage_annual", growth)]);
    // The national average wage of July 2026 on: 124,110 (2024's, in force from July 2025) × 1.03.
    let wage = carried.lookup("local.national.average_wage_annual", date(2026, 7, 1), None).expect("covered");
    assert_eq!(wage.entry.value, Some(ParamValue::Amount(Money::from_yuan(127_833))));
    assert_eq!(wage.entry.origin, Origin::CarriedForward(date(2025, 7, 1)));
    // Public health funding: 2025's 99 yuan, as it is.
    let health = carried.lookup("medical.public_health.funding_per_capita", date(2026, 6, 1), None).expect("covered");
    assert_eq!(health.entry.value, Some(ParamValue::Amount(Money::from_yuan(99))));
    // Nothing of 2026 is left unknown that had a known value before, and each carried value is listed.
    for p in carried.iter() {
        for (i, e) in p.entries.iter().enumerate() {
            let overlaps = e.from <= last && p.effective_end(i).is_none_or(|end| end >= first);
            if e.unknown && overlaps {
                assert!(
                    book.baseline
                        .get(&p.path)
                        .expect("same")
                        .entries
                        .iter()
                        .all(|b| b.value.is_none() || b.from >= e.from),
                    "{} stays unknown though a value was known before",
                    p.path
                );
            }
            if let Origin::CarriedForward(_) = e.origin {
                assert!(list.iter().any(|c| c.path == p.path && c.from == e.from), "{} listed", p.path);
            }
        }
    }
    // Beyond the span the law is as it was: 2027 is still unknown.
    let after = carried.lookup("medical.public_health.funding_per_capita", date(2027, 6, 1), None).expect("covered");
    assert!(after.entry.unknown);
    // A household of 2026 whose July contributions were unknown now computes them.
    let sit = minsheng_core::Situation::read(
        "year: 2026\npersons:\n  p: {locality: national, wage: {2026-01..2026-12: 10000}}\n",
        Format::Yaml,
        &book.registry,
        book.baseline.model(),
    )
    .expect("situation");
    let base = &minsheng_cn::social_insurance::contributions::BASE;
    let july = Period::Month(minsheng_core::Month::new(2026, 7).expect("month"));
    assert!(Eval::new(&book.registry, &book.baseline, &sit).get(base, Entity::Person(0), july).is_err());
    let value = Eval::new(&book.registry, &carried, &sit).get(base, Entity::Person(0), july).expect("computes");
    assert_eq!(value, Value::Money(Money::from_yuan(10_000)));
}
