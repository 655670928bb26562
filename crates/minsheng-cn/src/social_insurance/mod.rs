//! Employee social insurance and the housing provident fund (五险一金), month
//! by month: the contribution base within the local bounds, each scheme's
//! employee and employer contributions, the employer's cost of employment, and
//! take-home pay. Maternity insurance is merged into medical insurance.
//!
//! Contributions are computed for persons whose situation names a `locality`:
//! a file under `rules/params/local/` (the national default is illustrative).
//! Their employee contributions then become the IIT special deduction.

pub mod contributions;
pub mod inputs;

use minsheng_core::Variable;

/// Every computed social insurance variable.
pub static VARIABLES: &[&Variable] = &[
    &contributions::INSURED,
    &contributions::AVERAGE_WAGE,
    &contributions::BASE,
    &contributions::PENSION_EMPLOYEE,
    &contributions::PENSION_EMPLOYER,
    &contributions::MEDICAL_EMPLOYEE,
    &contributions::MEDICAL_EMPLOYER,
    &contributions::UNEMPLOYMENT_EMPLOYEE,
    &contributions::UNEMPLOYMENT_EMPLOYER,
    &contributions::WORK_INJURY_EMPLOYER,
    &contributions::HOUSING_FUND_BASE,
    &contributions::HOUSING_FUND_EMPLOYEE,
    &contributions::HOUSING_FUND_EMPLOYER,
    &contributions::EMPLOYEE_TOTAL,
    &contributions::EMPLOYER_TOTAL,
];
