//! Individual income tax (个人所得税) of resident individuals, 2019–2026.
//!
//! - [`inputs`]: what a situation gives for a person;
//! - [`sad`]: the special additional deductions (专项附加扣除), month by month;
//! - [`withholding`]: cumulative withholding on wages (累计预扣法) by employer;
//! - [`payments`]: prepayment on labour remuneration, author remuneration and
//!   royalties, the separately taxed annual bonus, and private pension withdrawals;
//! - [`annual`]: the year's tax on comprehensive income and the annual
//!   settlement (汇算清缴).

pub mod annual;
pub mod inputs;
pub mod payments;
pub mod sad;
pub mod withholding;

use minsheng_core::{Money, Variable};

pub(crate) use crate::define::{formula, input};

/// 应纳税所得额: income less the deductions, never below zero: the year's
/// comprehensive income (个人所得税法 第六条第一款第（一）项) and, cumulated from
/// January, the wages withheld on (国家税务总局公告2018年第61号 第六条).
#[inline]
pub(crate) fn taxable(income: Money, deductions: Money) -> Money {
    (income - deductions).max_zero()
}

/// Every computed IIT variable.
pub static VARIABLES: &[&Variable] = &[
    &sad::CHILD_EDUCATION_PER_CHILD,
    &sad::INFANT_CARE_PER_CHILD,
    &sad::CHILD_EDUCATION,
    &sad::INFANT_CARE,
    &sad::CONTINUING_EDUCATION,
    &sad::HOUSING_LOAN,
    &sad::HOUSING_RENT,
    &sad::ELDERLY_SUPPORT,
    &sad::MONTHLY_TOTAL,
    &sad::SERIOUS_ILLNESS,
    &withholding::EMPLOYEE_DEDUCTIBLE,
    &withholding::SPECIAL_DEDUCTION_MONTH,
    &withholding::ANNUITY_DEDUCTIBLE,
    &withholding::PAYER,
    &withholding::MONTHS_EMPLOYED,
    &withholding::DEDUCTION_MONTHS,
    &withholding::CUMULATIVE_INCOME,
    &withholding::CUMULATIVE_BASIC_DEDUCTION,
    &withholding::CUMULATIVE_SPECIAL_DEDUCTION,
    &withholding::CUMULATIVE_SAD,
    &withholding::CUMULATIVE_OTHER_DEDUCTION,
    &withholding::CUMULATIVE_TAXABLE,
    &withholding::CUMULATIVE_TAX,
    &withholding::WAGE_TAX_WITHHELD,
    &payments::BONUS_TAX_SEPARATE,
    &payments::BONUS_TAX_WITHHELD,
    &payments::LABOUR_PREPAID,
    &payments::AUTHOR_PREPAID,
    &payments::ROYALTY_PREPAID,
    &payments::MONTHLY_PREPAID,
    &payments::PENSION_WITHDRAWAL_TAX,
    &annual::WAGES,
    &annual::LABOUR_INCOME_AMOUNT,
    &annual::AUTHOR_INCOME_AMOUNT,
    &annual::ROYALTY_INCOME_AMOUNT,
    &annual::BONUS,
    &annual::INCOME_AMOUNT,
    &annual::BASIC_DEDUCTION,
    &annual::SPECIAL_DEDUCTION,
    &annual::SAD_TOTAL,
    &annual::OTHER_DEDUCTION,
    &annual::TAXABLE_EXCLUDING_BONUS,
    &annual::TAXABLE_INCLUDING_BONUS,
    &annual::TAX_BONUS_SEPARATE,
    &annual::TAX_BONUS_COMBINED,
    &annual::BONUS_METHOD_CHOSEN,
    &annual::TAX,
    &annual::GROSS_COMPREHENSIVE_INCOME,
    &annual::PREPAID,
    &annual::BALANCE,
    &annual::EXEMPT,
    &annual::AMOUNT_DUE,
    &annual::REFUND,
    &annual::FINAL_TAX,
    &annual::PENSION_WITHDRAWAL_TAX,
    &annual::TOTAL,
];
