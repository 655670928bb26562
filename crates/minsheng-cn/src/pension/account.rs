//! The personal account (个人账户) of the employee basic pension, built from a
//! contribution history: each year's credit (8% of the contribution base,
//! 国发〔2005〕38号 第五条) and the interest at the year's crediting rate
//! (记账利率), and the average contribution index (平均缴费指数) over the same
//! history.
//!
//! The interest of a year (劳办发〔1997〕116号, 年度计息):
//!
//! ```text
//! interest = opening balance × rate + the year's credits × rate × in-year factor
//! ```
//!
//! the in-year factor (`pension.account.in_year_factor`) standing for the
//! months this year's contributions earn on average. A balance read before the
//! year ends (at retirement) earns `k/12` of both terms after `k` months.

use minsheng_core::money::Money;
use minsheng_core::{Month, Rate};
use rust_decimal::Decimal;

/// One year of a contribution history, as the account credits it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CreditYear {
    /// The calendar year.
    pub year: i32,
    /// Months contributed, from January (at most 12).
    pub months: u32,
    /// What the year's contributions credit to the account, for the months contributed.
    pub credited: Money,
    /// The year's crediting rate.
    pub rate: Rate,
}

/// The balance after the first `through` months of `year` (12: the year's
/// end), from `opening` at the start of the first year: each year's interest
/// (see the module) rounded half away from zero to the fen when the year is
/// closed. Years after `through` are not read; a year's credits are taken to
/// fall evenly on its first months, so after `k` months the year has credited
/// `credited × min(k, months) ÷ months`. `None` where the balance would leave
/// the amounts money holds (±1,000,000,000,000 yuan).
///
/// # Examples
///
/// ```
/// # use minsheng_core::{Money, Month, Rate};
/// # use minsheng_cn::pension::account::{balance_after, CreditYear};
/// let year = |year, yuan: i64, rate| CreditYear { year, months: 12, credited: Money::from_yuan(yuan), rate };
/// let history = [year(2023, 9_600, Rate::from_decimal("0.0397".parse().unwrap()).unwrap())];
/// // 9,600 + 9,600 × 3.97% × 0.5415 = 9,806.38
/// let factor = Rate::from_decimal("0.5415".parse().unwrap()).unwrap();
/// let through = Month::new(2023, 12).unwrap();
/// assert_eq!(balance_after(Money::ZERO, &history, through, factor), Some(Money::from_fen(980_638)));
/// ```
pub fn balance_after(opening: Money, history: &[CreditYear], through: Month, in_year_factor: Rate) -> Option<Money> {
    let mut balance = opening;
    for y in history.iter().take_while(|y| y.year <= through.year()) {
        let elapsed = if y.year < through.year() { 12 } else { through.number() };
        let credited = credited_after(y, elapsed)?;
        let share = Decimal::from(elapsed) / Decimal::from(12);
        let rate = y.rate.to_decimal();
        let interest = (balance.to_decimal() + credited.to_decimal() * in_year_factor.to_decimal())
            .checked_mul(rate)?
            .checked_mul(share)?;
        let total = balance.to_decimal() + credited.to_decimal() + interest;
        balance = balance + credited + Money::round_from_decimal(interest).ok()?;
        Money::round_from_decimal(total).ok()?;
    }
    Some(balance)
}

/// What year `y` has credited after its first `elapsed` months.
fn credited_after(y: &CreditYear, elapsed: u32) -> Option<Money> {
    if y.months == 0 || elapsed >= y.months {
        return Some(y.credited);
    }
    Money::round_from_decimal(y.credited.to_decimal() * Decimal::from(elapsed) / Decimal::from(y.months)).ok()
}

/// The average contribution index: each month's base over the average wage it
/// is indexed by, averaged over the months contributed (国发〔2005〕38号 第六条:
/// 本人指数化月平均缴费工资 = 计发基数 × 平均缴费指数). `months` gives, per
/// month contributed, its base and the average wage; `None` for no months.
pub fn average_index(months: impl IntoIterator<Item = (Money, Money)>) -> Option<Decimal> {
    let (mut sum, mut n) = (Decimal::ZERO, 0u32);
    for (base, average) in months {
        if average.is_zero() {
            return None;
        }
        sum += base.to_decimal() / average.to_decimal();
        n += 1;
    }
    (n > 0).then(|| sum / Decimal::from(n))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(s: &str) -> Rate {
        Rate::from_decimal(s.parse().unwrap()).unwrap()
    }

    fn year(year: i32, months: u32, yuan: i64, r: &str) -> CreditYear {
        CreditYear { year, months, credited: Money::from_yuan(yuan), rate: rate(r) }
    }

    /// Hand-checked: 2021–2023 at a base of 10,000 (8%: 800 a month, 9,600 a year).
    /// 2021: 9,600 + 9,600 × 6.69% × 0.5415 = 9,600 + 347.77 = 9,947.77
    /// 2022: 9,947.77 × 6.12% = 608.8035, 9,600 × 6.12% × 0.5415 = 318.1421; 9,947.77 + 9,600 + 926.95 = 20,474.72
    /// 2023: 20,474.72 × 3.97% = 812.8464, 9,600 × 3.97% × 0.5415 = 206.3765; 20,474.72 + 9,600 + 1,019.22 = 31,093.94
    #[test]
    fn a_three_year_history_is_credited_year_by_year() {
        let history =
            [year(2021, 12, 9_600, "0.0669"), year(2022, 12, 9_600, "0.0612"), year(2023, 12, 9_600, "0.0397")];
        let factor = rate("0.5415");
        assert_eq!(
            balance_after(Money::ZERO, &history, Month::new(2021, 12).unwrap(), factor),
            Some(Money::from_fen(994_777))
        );
        assert_eq!(
            balance_after(Money::ZERO, &history, Month::new(2022, 12).unwrap(), factor),
            Some(Money::from_fen(2_047_472))
        );
        assert_eq!(
            balance_after(Money::ZERO, &history, Month::new(2023, 12).unwrap(), factor),
            Some(Money::from_fen(3_109_394))
        );
    }

    /// Closed after six months of 2023: 20,474.72 + 4,800 + (20,474.72 + 4,800 × 0.5415) × 3.97% × 6/12
    /// = 25,274.72 + 458.02 (458.0173) = 25,732.74.
    #[test]
    fn a_year_closed_early_earns_its_share_of_the_interest() {
        let history =
            [year(2021, 12, 9_600, "0.0669"), year(2022, 12, 9_600, "0.0612"), year(2023, 12, 9_600, "0.0397")];
        let got = balance_after(Money::ZERO, &history, Month::new(2023, 6).unwrap(), rate("0.5415"));
        assert_eq!(got, Some(Money::from_fen(2_573_274)));
    }

    #[test]
    fn no_in_year_factor_credits_this_years_contributions_without_interest() {
        let history = [year(2023, 12, 9_600, "0.0397")];
        assert_eq!(
            balance_after(Money::ZERO, &history, Month::new(2023, 12).unwrap(), Rate::ZERO),
            Some(Money::from_yuan(9_600))
        );
    }

    #[test]
    fn a_balance_beyond_what_money_holds_is_none_not_a_wrong_figure() {
        let history: Vec<CreditYear> = (2000..2100).map(|y| year(y, 12, 900_000_000_000, "1")).collect();
        assert_eq!(balance_after(Money::ZERO, &history, Month::new(2099, 12).unwrap(), rate("0.5415")), None);
    }

    #[test]
    fn the_index_averages_each_months_ratio() {
        let months = [(Money::from_yuan(6_000), Money::from_yuan(12_000)); 6]
            .into_iter()
            .chain([(Money::from_yuan(12_000), Money::from_yuan(12_000)); 6]);
        assert_eq!(average_index(months), Some("0.75".parse().unwrap()));
        assert_eq!(average_index([]), None);
    }
}
