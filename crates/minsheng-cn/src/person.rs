//! What every programme reads of a person (人员基本信息): the date of birth
//! and the wages paid. Beside the programmes, so that none reads another's
//! inputs for them.

use minsheng_core::money::Money;
use minsheng_core::{PeriodKind, Value, ValueType, Variable};

use crate::define::input;

/// 出生日期: date of birth. Needed for a child whose deductions are claimed.
pub static BIRTH_DATE: Variable = input("birth_date")
    .label("出生日期", "Date of birth")
    .value(ValueType::Date, PeriodKind::Eternity)
    .otherwise(Value::Absent);

/// 工资薪金: wages and salaries paid in the month (excluding the annual bonus).
pub static WAGE: Variable = input("wage")
    .label("工资薪金", "Wages and salaries")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("个人所得税法 第二条第一款第（一）项")
    .otherwise(Value::Money(Money::ZERO));

/// The inputs of every programme.
pub static INPUTS: &[&Variable] = &[&BIRTH_DATE, &WAGE];
