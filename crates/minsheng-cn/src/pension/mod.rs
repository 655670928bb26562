//! Retirement and pensions (养老保险待遇).
//!
//! - [`inputs`]: what a situation gives: the retirement group, contribution record, account;
//! - [`career`]: a working life year by year, and the contribution months, personal account and
//!   average contribution index that follow from it; [`account`]: the account's arithmetic;
//! - [`retirement`]: the statutory retirement age with the gradual increase from 2025, elastic
//!   retirement and the minimum contribution years;
//! - [`employee`]: the enterprise employee basic pension at retirement (国发〔2005〕38号) and in
//!   payment, with the annual rises;
//! - [`resident`]: the urban and rural residents' basic pension (国发〔2014〕8号).

pub mod account;
pub mod career;
pub mod employee;
pub mod inputs;
pub mod resident;
pub mod retirement;

use minsheng_core::Variable;

/// Every computed pension variable.
pub static VARIABLES: &[&Variable] = &[
    &retirement::STATUTORY_AGE,
    &retirement::STATUTORY_MONTH,
    &retirement::EARLIEST_MONTH,
    &retirement::LATEST_MONTH,
    &retirement::RETIREMENT_MONTH,
    &retirement::AGE_AT_RETIREMENT,
    &retirement::MINIMUM_CONTRIBUTION,
    &retirement::ELIGIBLE,
    &career::MONTHS,
    &career::BALANCE,
    &career::BALANCE_AT_RETIREMENT,
    &career::INDEX,
    &employee::BASIC,
    &employee::DIVISOR,
    &employee::ACCOUNT,
    &employee::INITIAL,
    &employee::MONTHLY,
    &resident::MONTHLY,
    &employee::ANNUAL,
];
