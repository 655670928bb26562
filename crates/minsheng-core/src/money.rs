//! Exact money (金额) in integer fen (分).
//!
//! Every amount in minsheng is a whole number of fen held in an `i64`. Amounts
//! are never floating point; multiplying by a [`Rate`] rounds once, half away
//! from zero (四舍五入), to the fen. Chinese tax amounts are stated in yuan to
//! two decimals and rounded to the fen (税款计算到分，分以下四舍五入), so the fen
//! is the natural unit.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::rate::Rate;

/// The largest absolute amount accepted from outside (data files, situations):
/// one trillion yuan. Sums of a few thousand such amounts stay far from `i64`
/// overflow, so arithmetic inside the rules never wraps.
pub const MAX_INPUT_YUAN: i64 = 1_000_000_000_000;

/// An exact amount of money in fen (分, 0.01 yuan).
#[derive(Copy, Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

/// Why a decimal could not become [`Money`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// More than two decimal places: money is exact to the fen.
    #[error("{0} has more than two decimal places; amounts are exact to the fen (0.01 yuan)")]
    SubFen(Decimal),
    /// Outside ±[`MAX_INPUT_YUAN`].
    #[error("{0} is outside the accepted range of ±1,000,000,000,000 yuan")]
    OutOfRange(Decimal),
}

impl Money {
    /// Zero yuan.
    pub const ZERO: Money = Money(0);

    /// An amount of whole fen.
    #[inline]
    pub const fn from_fen(fen: i64) -> Money {
        Money(fen)
    }

    /// An amount of whole yuan.
    pub const fn from_yuan(yuan: i64) -> Money {
        Money(yuan * 100)
    }

    /// The amount in fen.
    #[inline]
    pub const fn fen(self) -> i64 {
        self.0
    }

    /// Converts an exact decimal number of yuan, refusing sub-fen precision
    /// and amounts beyond [`MAX_INPUT_YUAN`].
    pub fn from_decimal(yuan: Decimal) -> Result<Money, MoneyError> {
        if yuan.abs() > Decimal::from(MAX_INPUT_YUAN) {
            return Err(MoneyError::OutOfRange(yuan));
        }
        let fen = yuan * Decimal::ONE_HUNDRED;
        if fen.fract() != Decimal::ZERO {
            return Err(MoneyError::SubFen(yuan));
        }
        fen.to_i64().map(Money).ok_or(MoneyError::OutOfRange(yuan))
    }

    /// Rounds an exact decimal number of yuan half away from zero to the fen
    /// (四舍五入): for amounts a rule computes by division or by non-money
    /// factors (a pension divided by months, an index).
    pub fn round_from_decimal(yuan: Decimal) -> Result<Money, MoneyError> {
        Money::from_decimal(yuan.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::MidpointAwayFromZero))
    }

    /// The amount as an exact decimal number of yuan.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// The amount in yuan as `f64`, for statistics and charts only.
    pub fn to_f64(self) -> f64 {
        self.0 as f64 / 100.0
    }

    /// `self × rate`, rounded half away from zero to the fen.
    #[inline]
    pub fn mul_rate(self, rate: Rate) -> Money {
        Money(rate.apply_to_fen(self.0))
    }

    /// `self × n` for a whole number `n` (months, persons).
    #[inline]
    pub fn times(self, n: i64) -> Money {
        Money(self.0 * n)
    }

    /// `self ÷ n` for a whole number `n > 0` (a twelfth, a divisor of months,
    /// siblings), rounded half away from zero to the fen (四舍五入): the same
    /// figure as [`Money::round_from_decimal`] of the exact quotient, in integers.
    /// `None` when `n` is not positive.
    #[inline]
    pub fn div_round(self, n: i64) -> Option<Money> {
        if n <= 0 {
            return None;
        }
        // In 64 bits where it fits (every amount within MAX_INPUT_YUAN), else in 128.
        let a = self.0.unsigned_abs();
        let q = match (a.checked_mul(2).and_then(|x| x.checked_add(n as u64)), (n as u64).checked_mul(2)) {
            (Some(num), Some(den)) => (num / den) as i64,
            _ => ((2 * u128::from(a) + n as u128) / (2 * n as u128)) as i64,
        };
        Some(Money(if self.0 < 0 { -q } else { q }))
    }

    /// The larger of `self` and zero.
    #[inline]
    pub fn max_zero(self) -> Money {
        Money(self.0.max(0))
    }

    /// Whether the amount is below zero.
    #[inline]
    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// Whether the amount is zero.
    #[inline]
    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// The amount with thousands separators, e.g. `-12,345.60`.
    pub fn grouped(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let yuan = (abs / 100).to_string();
        let mut grouped = String::with_capacity(yuan.len() + yuan.len() / 3);
        for (i, c) in yuan.chars().enumerate() {
            if i > 0 && (yuan.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("{sign}{grouped}.{:02}", abs % 100)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0 + rhs.0)
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        self.0 += rhs.0;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0 - rhs.0)
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        self.0 -= rhs.0;
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(-self.0)
    }
}

impl Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

impl serde::Serialize for Money {
    /// Serialised as an exact decimal string of yuan with two decimals
    /// (`"1234.50"`), the schema's money type: a JSON number would reach
    /// most readers as a binary float.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    proptest::proptest! {
        #[test]
        fn div_round_equals_rounding_the_exact_quotient(fen in -100_000_000_000_000i64..100_000_000_000_000, n in 1i64..1000) {
            let m = Money::from_fen(fen);
            let exact = Money::round_from_decimal(m.to_decimal() / Decimal::from(n)).unwrap();
            proptest::prop_assert_eq!(m.div_round(n), Some(exact));
        }
    }

    #[test]
    fn div_round_rounds_halves_away_from_zero() {
        assert_eq!(Money::from_fen(5).div_round(2), Some(Money::from_fen(3)));
        assert_eq!(Money::from_fen(-5).div_round(2), Some(Money::from_fen(-3)));
        assert_eq!(Money::from_fen(4).div_round(3), Some(Money::from_fen(1)));
        assert_eq!(Money::from_fen(1).div_round(0), None);
    }

    #[test]
    fn parses_exact_decimals_and_refuses_sub_fen() {
        let d = |s| Decimal::from_str(s).unwrap();
        assert_eq!(Money::from_decimal(d("1234.56")), Ok(Money::from_fen(123_456)));
        assert_eq!(Money::from_decimal(d("-0.01")), Ok(Money::from_fen(-1)));
        assert!(matches!(Money::from_decimal(d("0.001")), Err(MoneyError::SubFen(_))));
        assert!(matches!(Money::from_decimal(d("1000000000000.01")), Err(MoneyError::OutOfRange(_))));
    }

    #[test]
    fn displays_with_and_without_grouping() {
        assert_eq!(Money::from_fen(-123_456_789).to_string(), "-1234567.89");
        assert_eq!(Money::from_fen(-123_456_789).grouped(), "-1,234,567.89");
        assert_eq!(Money::from_fen(5).grouped(), "0.05");
        assert_eq!(Money::from_yuan(100_000).grouped(), "100,000.00");
    }

    #[test]
    fn rate_multiplication_rounds_half_away_from_zero() {
        let three_percent = Rate::from_decimal(Decimal::from_str("0.03").unwrap()).unwrap();
        // 0.50 × 3% = 0.015 → 0.02; −0.50 × 3% → −0.02
        assert_eq!(Money::from_fen(50).mul_rate(three_percent), Money::from_fen(2));
        assert_eq!(Money::from_fen(-50).mul_rate(three_percent), Money::from_fen(-2));
        // 0.49 × 3% = 0.0147 → 0.01
        assert_eq!(Money::from_fen(49).mul_rate(three_percent), Money::from_fen(1));
    }
}
