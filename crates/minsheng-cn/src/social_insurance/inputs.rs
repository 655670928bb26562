//! The inputs of social insurance and the housing fund.

use minsheng_core::{PeriodKind, Value, ValueType, Variable};

use crate::define::input;

/// 参保地: the locality whose rates and bounds apply (a file under
/// `rules/params/local/`, e.g. `national`). Not given for an insured person:
/// the contributions are unknown, and the IIT special deduction is the
/// `special_deduction` input (or, without it, taken as 0, and the result says so).
pub static LOCALITY: Variable = input("locality")
    .label("参保地", "Locality of insurance")
    .value(ValueType::Text, PeriodKind::Eternity)
    .reference("社会保险法 第五十七条至第六十条")
    .otherwise(Value::Absent);

/// 是否参加职工社会保险: whether this employee is insured in the year. Not
/// given: an employee with wages is (社会保险法 第五十八条); give `false` for
/// one who is not (informal work, a retiree re-employed).
pub static INSURED: Variable = input("insured")
    .label("是否参加职工社会保险", "Insured as an employee")
    .value(ValueType::Bool, PeriodKind::Year)
    .reference("社会保险法 第五十八条")
    .otherwise(Value::Absent);

/// 申报缴费工资: the wage declared as contribution base (usually last year's
/// average monthly wage). Not given: the month's wage.
pub static DECLARED_BASE: Variable = input("contribution_wage")
    .label("申报的缴费工资", "Wage declared as contribution base")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("国办发〔2019〕13号 四")
    .otherwise(Value::Absent);

/// 工伤保险行业类别: the employer's industry class, 1 to 8.
pub static WORK_INJURY_CLASS: Variable = input("work_injury_class")
    .label("工伤保险行业类别（一至八类）", "Work-injury industry class (1 to 8)")
    .value(ValueType::Count, PeriodKind::Eternity)
    .reference("人社部发〔2015〕71号 一")
    .otherwise(Value::Absent);

/// 工伤保险浮动档次: the float applied to the base rate (1 for none).
pub static WORK_INJURY_FLOAT: Variable = input("work_injury_float")
    .label("工伤保险费率浮动档次", "Work-injury rate float")
    .value(ValueType::Number, PeriodKind::Eternity)
    .reference("人社部发〔2015〕71号 二")
    .otherwise(Value::Absent);

/// 住房公积金缴存比例: the rate each side contributes, 5% to 12%. Not given: no housing fund.
pub static HOUSING_FUND_RATE: Variable = input("housing_fund_rate")
    .label("住房公积金缴存比例", "Housing fund rate (each side)")
    .value(ValueType::Number, PeriodKind::Year)
    .reference("住房公积金管理条例 第十八条")
    .otherwise(Value::Absent);

/// 灵活就业人员: contributes to the pension on their own, on a base they choose.
pub static FLEXIBLE: Variable = input("flexible_worker")
    .label("灵活就业人员（自行缴纳养老保险）", "Flexible worker contributing on their own")
    .value(ValueType::Bool, PeriodKind::Year)
    .reference("国办发〔2019〕13号 四")
    .otherwise(Value::Bool(false));

/// The monthly base a flexible worker chooses, between 60% and 300% of the local average wage.
pub static FLEXIBLE_BASE: Variable = input("flexible_base")
    .label("灵活就业人员选择的缴费基数", "Base chosen by a flexible worker")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("国办发〔2019〕13号 四")
    .otherwise(Value::Absent);

/// The base a flexible worker chooses, given as a share of the locality's
/// average wage (the tiers 60%, 100%, … 300% that localities offer), in place
/// of an amount.
pub static FLEXIBLE_BASE_SHARE: Variable = input("flexible_base_share")
    .label(
        "灵活就业人员选择的缴费档次（占当地平均工资的比例）",
        "Base chosen by a flexible worker, as a share of the local average wage",
    )
    .value(ValueType::Number, PeriodKind::Year)
    .reference("国办发〔2019〕13号 四")
    .otherwise(Value::Absent);

/// 专项扣除（三险一金）: the employee's social insurance and housing fund contributions
/// (三险一金) for the month, as given. Not given: computed from the
/// contributions when a `locality` is given, otherwise zero. The income tax deducts it (个人所得税法 第六条).
pub static DECLARED_CONTRIBUTIONS: Variable = input("special_deduction")
    .label("专项扣除（三险一金，输入）", "Special deduction (employee social insurance and housing fund), as given")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("个人所得税法 第六条第四款")
    .otherwise(Value::Absent);

/// Every social insurance input.
pub static ALL: &[&Variable] = &[
    &LOCALITY,
    &DECLARED_CONTRIBUTIONS,
    &INSURED,
    &DECLARED_BASE,
    &WORK_INJURY_CLASS,
    &WORK_INJURY_FLOAT,
    &HOUSING_FUND_RATE,
    &FLEXIBLE,
    &FLEXIBLE_BASE,
    &FLEXIBLE_BASE_SHARE,
];
