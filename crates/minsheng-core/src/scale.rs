//! Rate scales with quick deductions (税率表与速算扣除数).
//!
//! Chinese tax tables are published as brackets, each with an upper bound, a
//! rate and a quick deduction (速算扣除数): tax = amount × rate − quick
//! deduction, with the bracket chosen by the amount. The scale kind is
//! explicit — there is no inference from field names — and the quick
//! deductions are checked at load to make the scale continuous, that is, equal
//! to the marginal computation bracket by bracket.

use std::fmt;

use crate::money::Money;
use crate::rate::Rate;

/// One bracket: amounts up to and including `up_to` (none for the top
/// bracket) are taxed at `rate` less `quick_deduction`.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Bracket {
    /// The inclusive upper bound (不超过), `None` for the open top bracket.
    pub up_to: Option<Money>,
    /// The rate of the bracket.
    pub rate: Rate,
    /// The quick deduction (速算扣除数).
    pub quick_deduction: Money,
}

/// A scale of brackets with quick deductions, ascending.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Scale {
    brackets: Vec<Bracket>,
}

/// What is wrong with a scale.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScaleError {
    /// No brackets.
    #[error("a scale needs at least one bracket")]
    Empty,
    /// Only the last bracket may be open.
    #[error("bracket {0}: only the last bracket may leave out `up_to`, and it must leave it out")]
    OpenBracket(usize),
    /// Bounds must rise.
    #[error("bracket {0}: `up_to` must be above the previous bracket's")]
    BoundsNotRising(usize),
    /// Rates must rise for a progressive scale.
    #[error("bracket {0}: the rate must be above the previous bracket's")]
    RatesNotRising(usize),
    /// The quick deduction does not match the marginal computation.
    #[error("bracket {index}: quick deduction {given} makes the scale jump at {at}; continuity requires {expected}")]
    Discontinuous {
        /// The bracket (1-based).
        index: usize,
        /// The quick deduction given.
        given: Money,
        /// The one continuity requires.
        expected: Money,
        /// The bound at which the jump happens.
        at: Money,
    },
}

impl Scale {
    /// Builds a scale, checking that bounds and rates rise and that the quick
    /// deductions are those of the marginal computation.
    pub fn new(brackets: Vec<Bracket>) -> Result<Scale, ScaleError> {
        if brackets.is_empty() {
            return Err(ScaleError::Empty);
        }
        let last = brackets.len() - 1;
        for (i, b) in brackets.iter().enumerate() {
            if (i == last) != b.up_to.is_none() {
                return Err(ScaleError::OpenBracket(i + 1));
            }
        }
        if !brackets[0].quick_deduction.is_zero() {
            return Err(ScaleError::Discontinuous {
                index: 1,
                given: brackets[0].quick_deduction,
                expected: Money::ZERO,
                at: Money::ZERO,
            });
        }
        for i in 1..brackets.len() {
            let (prev, cur) = (&brackets[i - 1], &brackets[i]);
            let bound = prev.up_to.unwrap_or_default();
            if let (Some(p), Some(c)) = (prev.up_to, cur.up_to)
                && c <= p
            {
                return Err(ScaleError::BoundsNotRising(i + 1));
            }
            if !prev.rate.lt(cur.rate) {
                return Err(ScaleError::RatesNotRising(i + 1));
            }
            // Continuity at `bound`: bound × r_prev − q_prev = bound × r_cur − q_cur.
            let expected = bound.mul_rate(cur.rate) - bound.mul_rate(prev.rate) + prev.quick_deduction;
            if expected != cur.quick_deduction {
                return Err(ScaleError::Discontinuous {
                    index: i + 1,
                    given: cur.quick_deduction,
                    expected,
                    at: bound,
                });
            }
        }
        Ok(Scale { brackets })
    }

    /// The brackets, ascending.
    pub fn brackets(&self) -> &[Bracket] {
        &self.brackets
    }

    /// The bracket that applies to `amount` (the first whose bound is not
    /// exceeded), and its 1-based number.
    pub fn bracket_for(&self, amount: Money) -> (usize, &Bracket) {
        let i =
            self.brackets.iter().position(|b| b.up_to.is_none_or(|u| amount <= u)).unwrap_or(self.brackets.len() - 1);
        (i + 1, &self.brackets[i])
    }

    /// The bracket chosen by `amount / parts` without dividing: the first
    /// whose bound times `parts` is not exceeded. The annual bonus picks its
    /// rate by the bonus divided by 12 (财税〔2018〕164号 第一条第（一）项).
    pub fn bracket_for_share(&self, amount: Money, parts: i64) -> (usize, &Bracket) {
        let i = self
            .brackets
            .iter()
            .position(|b| b.up_to.is_none_or(|u| amount <= u.times(parts)))
            .unwrap_or(self.brackets.len() - 1);
        (i + 1, &self.brackets[i])
    }

    /// Tax on `amount`: amount × rate − quick deduction of its bracket,
    /// rounded to the fen; zero for amounts of zero or less.
    pub fn tax(&self, amount: Money) -> Money {
        if amount <= Money::ZERO {
            return Money::ZERO;
        }
        let (_, b) = self.bracket_for(amount);
        (amount.mul_rate(b.rate) - b.quick_deduction).max_zero()
    }

    /// Tax on `amount` computed bracket by bracket (the marginal method),
    /// which the quick-deduction method must equal. Used to check scales.
    pub fn marginal_tax(&self, amount: Money) -> Money {
        let mut tax = Money::ZERO;
        let mut lower = Money::ZERO;
        for b in &self.brackets {
            if amount <= lower {
                break;
            }
            let upper = b.up_to.map_or(amount, |u| u.min(amount));
            tax += (upper - lower).mul_rate(b.rate);
            lower = upper;
        }
        tax
    }
}

impl fmt::Display for Scale {
    /// One line per bracket: `≤36,000.00: 3% − 0.00`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, b) in self.brackets.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            match b.up_to {
                Some(u) => write!(f, "≤{}: {}", u.grouped(), b.rate)?,
                None => write!(f, "above: {}", b.rate)?,
            }
            if !b.quick_deduction.is_zero() {
                write!(f, " − {}", b.quick_deduction.grouped())?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bracket(up_to: Option<i64>, percent: i64, qd: i64) -> Bracket {
        Bracket {
            up_to: up_to.map(Money::from_yuan),
            rate: Rate::from_percent(percent),
            quick_deduction: Money::from_yuan(qd),
        }
    }

    #[test]
    fn refuses_a_discontinuous_scale() {
        let err = Scale::new(vec![bracket(Some(36_000), 3, 0), bracket(None, 10, 2_000)]).unwrap_err();
        assert_eq!(
            err,
            ScaleError::Discontinuous {
                index: 2,
                given: Money::from_yuan(2_000),
                expected: Money::from_yuan(2_520),
                at: Money::from_yuan(36_000)
            }
        );
    }

    #[test]
    fn quick_deduction_equals_marginal() {
        let s = Scale::new(vec![bracket(Some(36_000), 3, 0), bracket(None, 10, 2_520)]).unwrap();
        for yuan in [0, 1, 35_999, 36_000, 36_001, 100_000] {
            let m = Money::from_yuan(yuan);
            assert_eq!(s.tax(m), s.marginal_tax(m), "{yuan}");
        }
        assert_eq!(s.bracket_for(Money::from_yuan(36_000)).0, 1);
        assert_eq!(s.bracket_for(Money::from_fen(3_600_001)).0, 2);
    }
}
