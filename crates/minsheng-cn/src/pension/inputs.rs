//! The inputs of pensions. Local parameters not yet shipped as locality files
//! (the pension base 计发基数, the transitional pension 过渡性养老金, the residents'
//! local top-up) are inputs, and the figures that need them say so.

use minsheng_core::money::Money;
use minsheng_core::{Column, ColumnKind, PeriodKind, Value, ValueType, Variable};

use crate::define::input;

/// The choices of [`RETIREMENT_GROUP`].
pub const GROUPS: &[&str] = &["male", "female_55", "female_50"];

/// 退休年龄类别: men (old age 60), women originally retiring at 55 (cadres and
/// managerial or technical posts), women originally retiring at 50 (workers).
pub static RETIREMENT_GROUP: Variable = input("retirement_group")
    .label(
        "退休年龄类别（男职工／原55岁女职工／原50岁女职工）",
        "Retirement group (men / women originally at 55 / women originally at 50)",
    )
    .value(ValueType::Choice(GROUPS), PeriodKind::Eternity)
    .reference("全国人大常委会关于实施渐进式延迟法定退休年龄的决定")
    .otherwise(Value::Absent);

/// 计划退休月份: an elastic retirement month chosen within the allowed span.
/// Not given: the statutory month.
pub static PLANNED_RETIREMENT: Variable = input("planned_retirement")
    .label("弹性退休选择的退休月份", "Retirement month chosen (elastic retirement)")
    .value(ValueType::Month, PeriodKind::Eternity)
    .reference("人社部发〔2024〕94号")
    .otherwise(Value::Absent);

/// 累计缴费年限（月）: months of contribution (including deemed contribution) at retirement.
pub static CONTRIBUTION_MONTHS: Variable = input("contribution_months")
    .label("累计缴费年限（含视同缴费，月）", "Months of pension contribution at retirement (including deemed)")
    .value(ValueType::Count, PeriodKind::Eternity)
    .reference("社会保险法 第十六条")
    .otherwise(Value::Absent);

/// 平均缴费指数: the person's average contribution index (own base ÷ local average wage).
pub static CONTRIBUTION_INDEX: Variable = input("average_contribution_index")
    .label("本人平均缴费指数", "Average contribution index")
    .value(ValueType::Number, PeriodKind::Eternity)
    .reference("国发〔2005〕38号 第六条")
    .otherwise(Value::Absent);

/// 个人账户储存额: the personal account balance at retirement.
pub static ACCOUNT_BALANCE: Variable = input("personal_account_balance")
    .label("退休时个人账户储存额", "Personal account balance at retirement")
    .value(ValueType::Money, PeriodKind::Eternity)
    .reference("国发〔2005〕38号 第六条")
    .otherwise(Value::Absent);

/// 计发基数: the locality's pension base for the retirement year (local parameter, an input
/// until locality files carry it).
pub static PENSION_BASE: Variable = input("pension_base")
    .label("退休地养老金计发基数（上年度在岗职工月平均工资）", "Local pension base for the retirement year")
    .value(ValueType::Money, PeriodKind::Eternity)
    .reference("国发〔2005〕38号 第六条")
    .otherwise(Value::Absent);

/// 过渡性养老金: the transitional pension for contributions before the personal
/// accounts (中人), set by provincial formulas: an input.
pub static TRANSITIONAL: Variable = input("transitional_pension")
    .label("过渡性养老金（按省级办法）", "Transitional pension (provincial formula)")
    .value(ValueType::Money, PeriodKind::Eternity)
    .reference("国发〔2005〕38号 第六条")
    .otherwise(Value::Money(Money::ZERO));

/// The monthly basic pension received in December of the previous year, for
/// people already retired: this year's rise applies to it.
pub static LAST_DECEMBER: Variable = input("pension_last_december")
    .label("上年12月基本养老金", "Basic pension received last December")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("人力资源社会保障部 财政部 调整退休人员基本养老金的通知")
    .otherwise(Value::Absent);

/// 定额调整: the fixed monthly amount of this year's local pension rise.
pub static RISE_FIXED: Variable = input("pension_rise_fixed")
    .label("本年养老金调整：定额调整（每月）", "This year's local pension rise: fixed amount (monthly)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("省级调整基本养老金实施方案")
    .otherwise(Value::Absent);

/// 挂钩调整（缴费年限）: the monthly amount per full year of contribution.
pub static RISE_PER_YEAR: Variable = input("pension_rise_per_year")
    .label(
        "本年养老金调整：每满一年缴费年限增加（每月）",
        "This year's local pension rise: per full year of contribution (monthly)",
    )
    .value(ValueType::Money, PeriodKind::Year)
    .reference("省级调整基本养老金实施方案")
    .otherwise(Value::Absent);

/// 挂钩调整（养老金水平）: the share of last December's pension added.
pub static RISE_RATE: Variable = input("pension_rise_rate")
    .label("本年养老金调整：按本人基本养老金的比例", "This year's local pension rise: share of the pension")
    .value(ValueType::Number, PeriodKind::Year)
    .reference("省级调整基本养老金实施方案")
    .otherwise(Value::Absent);

/// 倾斜调整: the top-ups that apply to this person (older ages, other groups).
pub static RISE_TOP_UP: Variable = input("pension_rise_top_up")
    .label("本年养老金调整：倾斜调整（每月）", "This year's local pension rise: top-ups for this person (monthly)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("省级调整基本养老金实施方案")
    .otherwise(Value::Absent);

/// Enrolled in the urban and rural residents' basic pension.
pub static RESIDENT_ENROLLED: Variable = input("resident_pension_enrolled")
    .label("参加城乡居民基本养老保险", "Enrolled in the residents' basic pension")
    .value(ValueType::Bool, PeriodKind::Eternity)
    .reference("国发〔2014〕8号")
    .otherwise(Value::Bool(false));

/// Months of contribution to the residents' pension.
pub static RESIDENT_MONTHS: Variable = input("resident_contribution_months")
    .label("城乡居民养老保险累计缴费（月）", "Months of contribution to the residents' pension")
    .value(ValueType::Count, PeriodKind::Eternity)
    .reference("国发〔2014〕8号 第七条")
    .otherwise(Value::Count(0));

/// The resident's personal account balance when the pension starts.
pub static RESIDENT_ACCOUNT: Variable = input("resident_account_balance")
    .label("城乡居民养老保险个人账户储存额", "Residents' pension personal account balance")
    .value(ValueType::Money, PeriodKind::Eternity)
    .reference("国发〔2014〕8号 第六条")
    .otherwise(Value::Money(Money::ZERO));

/// The local top-up of the residents' basic pension above the central minimum (local parameter).
pub static RESIDENT_TOP_UP: Variable = input("resident_local_top_up")
    .label("地方提高的城乡居民基础养老金（每月）", "Local top-up of the residents' basic pension (monthly)")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("国发〔2014〕8号 第六条")
    .otherwise(Value::Money(Money::ZERO));

/// The columns of a career.
pub static COLUMNS: &[Column] = &[
    Column {
        name: "base", kind: ColumnKind::Money, label_zh: "月缴费基数", label_en: "Monthly contribution base"
    },
    Column {
        name: "wage",
        kind: ColumnKind::Money,
        label_zh: "月工资（未给出缴费基数时，按参保地当月上下限确定基数）",
        label_en: "Monthly wage (where no base is given: the base is it within the locality's bounds of each month)",
    },
    Column {
        name: "months",
        kind: ColumnKind::Months,
        label_zh: "缴费月数（自1月起，默认12）",
        label_en: "Months contributed, from January (12 if not given)",
    },
    Column {
        name: "average_wage",
        kind: ColumnKind::Money,
        label_zh: "计算缴费指数的当地月平均工资（未给出时取参保地文件）",
        label_en: "Local monthly average wage the index divides by (else the locality file's)",
    },
    Column {
        name: "credited",
        kind: ColumnKind::Money,
        label_zh: "当年记入个人账户的金额（未给出时为缴费基数×8%×月数）",
        label_en: "Credited to the personal account in the year (else 8% of the base times the months)",
    },
    Column {
        name: "crediting_rate",
        kind: ColumnKind::Rate,
        label_zh: "当年记账利率（未公布的年份须给出）",
        label_en: "The year's crediting rate (needed for years with no published rate)",
    },
    Column {
        name: "opening_balance",
        kind: ColumnKind::Money,
        label_zh: "年初个人账户储存额（仅第一年）",
        label_en: "Personal account balance at the start of the year (first year only)",
    },
];

/// 缴费记录: the contribution base and months of each year of a working life.
pub static CAREER: Variable = input("pension_career")
    .label("养老保险缴费记录（按年）", "Pension contribution record, by year")
    .value(ValueType::ByYear(COLUMNS), PeriodKind::Eternity)
    .reference("国发〔2005〕38号 第五条、第六条")
    .otherwise(Value::Absent);

/// 缴费记录之前的缴费月数: months of contribution before the career's first
/// year (deemed contribution, 视同缴费, and years not itemised), added to the career's.
pub static PRIOR_MONTHS: Variable = input("prior_contribution_months")
    .label(
        "缴费记录首年之前的累计缴费月数（含视同缴费）",
        "Months of contribution before the career's first year (including deemed)",
    )
    .value(ValueType::Count, PeriodKind::Eternity)
    .reference("国发〔1997〕26号；社会保险法 第十六条")
    .otherwise(Value::Count(0));

/// The average contribution index of [`PRIOR_MONTHS`] (视同缴费指数 for deemed
/// months), weighted with the career's months in the average index.
pub static PRIOR_INDEX: Variable = input("prior_contribution_index")
    .label(
        "缴费记录首年之前各月的平均缴费指数（含视同缴费指数）",
        "Average contribution index of the months before the career",
    )
    .value(ValueType::Number, PeriodKind::Eternity)
    .reference("国发〔2005〕38号 第六条；省级基本养老金计发办法")
    .otherwise(Value::Absent);

/// Every pension input.
pub static ALL: &[&Variable] = &[
    &RETIREMENT_GROUP,
    &PLANNED_RETIREMENT,
    &CAREER,
    &PRIOR_MONTHS,
    &PRIOR_INDEX,
    &CONTRIBUTION_MONTHS,
    &CONTRIBUTION_INDEX,
    &ACCOUNT_BALANCE,
    &PENSION_BASE,
    &TRANSITIONAL,
    &LAST_DECEMBER,
    &RISE_FIXED,
    &RISE_PER_YEAR,
    &RISE_RATE,
    &RISE_TOP_UP,
    &RESIDENT_ENROLLED,
    &RESIDENT_MONTHS,
    &RESIDENT_ACCOUNT,
    &RESIDENT_TOP_UP,
];
