//! Exact rates (比例、税率): a decimal fraction held as an integer over a power of ten.

use std::fmt;

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

/// An exact rate such as 3% (`0.03`) or 70% (`0.7`), stored as
/// `numerator / 10^scale`. Rates from data files keep the precision they were
/// written with; products of rates stay exact.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub struct Rate {
    numerator: i64,
    scale: u32,
}

/// The most decimal places a rate may have.
const MAX_SCALE: u32 = 12;

/// `10^scale` for every scale a rate may have.
const POWERS_OF_TEN: [i64; MAX_SCALE as usize + 1] = {
    let mut powers = [1i64; MAX_SCALE as usize + 1];
    let mut i = 1;
    while i < powers.len() {
        powers[i] = powers[i - 1] * 10;
        i += 1;
    }
    powers
};

/// Why a decimal could not become a [`Rate`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0} is not a usable rate: it must lie between -10 and 10 with at most 12 decimal places")]
pub struct RateError(pub Decimal);

impl Rate {
    /// 0%.
    pub const ZERO: Rate = Rate { numerator: 0, scale: 0 };
    /// 100%.
    pub const ONE: Rate = Rate { numerator: 1, scale: 0 };

    /// Converts an exact decimal fraction (0.03 for 3%).
    pub fn from_decimal(d: Decimal) -> Result<Rate, RateError> {
        let d = d.normalize();
        if d.scale() > MAX_SCALE || d.abs() > Decimal::TEN {
            return Err(RateError(d));
        }
        let numerator = d.mantissa().to_i64().ok_or(RateError(d))?;
        Ok(Rate { numerator, scale: d.scale() })
    }

    /// A whole number of percent (50 → 0.5).
    pub fn from_percent(percent: i64) -> Rate {
        Rate { numerator: percent, scale: 2 }.normalized()
    }

    /// The rate as an exact decimal fraction.
    pub fn to_decimal(self) -> Decimal {
        Decimal::new(self.numerator, self.scale)
    }

    /// The product of two rates, exact. Falls back to rounding only if the
    /// product would need more than 12 decimal places.
    pub fn times(self, other: Rate) -> Rate {
        let mut numerator = i128::from(self.numerator) * i128::from(other.numerator);
        let mut scale = self.scale + other.scale;
        while scale > MAX_SCALE {
            numerator = div_round_half_away(numerator, 10);
            scale -= 1;
        }
        Rate { numerator: numerator as i64, scale }.normalized()
    }

    /// `self + other`.
    pub fn plus(self, other: Rate) -> Rate {
        let scale = self.scale.max(other.scale);
        let widen = |r: Rate| r.numerator * 10_i64.pow(scale - r.scale);
        Rate { numerator: widen(self) + widen(other), scale }.normalized()
    }

    /// `self − other`.
    pub fn minus(self, other: Rate) -> Rate {
        self.plus(Rate { numerator: -other.numerator, scale: other.scale })
    }

    /// `1 − self`.
    pub fn complement(self) -> Rate {
        Rate { numerator: 10_i64.pow(self.scale) - self.numerator, scale: self.scale }.normalized()
    }

    /// Whether this rate is strictly below `other`.
    pub fn lt(self, other: Rate) -> bool {
        self.to_decimal() < other.to_decimal()
    }

    /// `fen × self`, rounded half away from zero to the fen.
    #[inline]
    pub(crate) fn apply_to_fen(self, fen: i64) -> i64 {
        /// `product / divisor` rounded half away from zero, for `divisor` at most 10^12.
        #[inline(always)]
        fn rounded(product: i64, divisor: i64) -> i64 {
            let (q, r) = (product / divisor, product % divisor);
            if 2 * r.abs() >= divisor { q + product.signum() } else { q }
        }
        /// The same for `10^S`, a constant, so that the division compiles to a
        /// multiplication (rates have a few decimals).
        #[inline(always)]
        fn scaled<const S: u32>(product: i64) -> i64 {
            rounded(product, 10_i64.pow(S))
        }
        // In 64 bits where the product fits (every amount a rule meets), else in 128.
        match fen.checked_mul(self.numerator) {
            Some(product) => match self.scale {
                0 => product,
                1 => scaled::<1>(product),
                2 => scaled::<2>(product),
                3 => scaled::<3>(product),
                4 => scaled::<4>(product),
                5 => scaled::<5>(product),
                6 => scaled::<6>(product),
                _ => match POWERS_OF_TEN.get(self.scale as usize) {
                    Some(&divisor) => rounded(product, divisor),
                    None => div_round_half_away(i128::from(product), 10_i128.pow(self.scale)) as i64,
                },
            },
            None => div_round_half_away(i128::from(fen) * i128::from(self.numerator), 10_i128.pow(self.scale)) as i64,
        }
    }

    fn normalized(self) -> Rate {
        let mut r = self;
        while r.scale > 0 && r.numerator % 10 == 0 {
            r.numerator /= 10;
            r.scale -= 1;
        }
        r
    }
}

/// Integer division rounding half away from zero (四舍五入).
fn div_round_half_away(n: i128, d: i128) -> i128 {
    let q = n / d;
    let r = n % d;
    if 2 * r.abs() >= d { q + n.signum() } else { q }
}

impl fmt::Display for Rate {
    /// Shown as a percentage: `3%`, `12.5%`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}%", (self.to_decimal() * Decimal::ONE_HUNDRED).normalize())
    }
}

impl serde::Serialize for Rate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_decimal().normalize().to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    proptest::proptest! {
        /// The 64-bit path gives what exact 128-bit arithmetic gives.
        #[test]
        fn applying_a_rate_in_64_bits_equals_exact_arithmetic(
            fen in -100_000_000_000_000i64..100_000_000_000_000,
            numerator in -10_000_000_000_000i64..10_000_000_000_000,
            scale in 0u32..=12,
        ) {
            let r = Rate { numerator, scale };
            let exact = div_round_half_away(i128::from(fen) * i128::from(numerator), 10_i128.pow(scale)) as i64;
            proptest::prop_assert_eq!(r.apply_to_fen(fen), exact);
        }
    }

    fn rate(s: &str) -> Rate {
        Rate::from_decimal(Decimal::from_str(s).unwrap()).unwrap()
    }

    #[test]
    fn products_and_complements_are_exact() {
        assert_eq!(rate("0.8").times(rate("0.7")), rate("0.56"));
        assert_eq!(rate("0.2").complement(), rate("0.8"));
        assert_eq!(Rate::ONE.plus(rate("0.038")), rate("1.038"));
        assert_eq!(rate("0.85").minus(rate("0.1")), rate("0.75"));
        assert_eq!(Rate::from_percent(50), rate("0.5"));
        assert_eq!(rate("0.125").to_string(), "12.5%");
    }

    #[test]
    fn refuses_unusable_rates() {
        assert!(Rate::from_decimal(Decimal::from_str("11").unwrap()).is_err());
        assert!(Rate::from_decimal(Decimal::from_str("0.0000000000001").unwrap()).is_err());
    }
}
