//! The inputs of individual income tax: what a situation gives for a person.

use minsheng_core::money::Money;
use minsheng_core::{PeriodKind, Value, ValueType, Variable};

use super::input;

const ZERO: Value = Value::Money(Money::ZERO);

/// 子女扣除申报人: on a child, the parents who claim the child education and
/// infant-care deductions, with their shares (100, or 50 each).
pub static CLAIMANTS: Variable = input("claimants")
    .label("子女扣除申报人及比例", "Parents claiming this child's deductions, with shares")
    .value(ValueType::Shares, PeriodKind::Eternity)
    .reference("国发〔2018〕41号 第六条；国发〔2022〕8号 第二条")
    .otherwise(Value::Absent);

/// 全日制学历教育结束月份: on a child, the month full-time education ends.
/// Not given: the child is taken to be in education (preschool from age 3).
pub static EDUCATION_END: Variable = input("full_time_education_end")
    .label("全日制学历教育结束月份", "Month full-time education ends")
    .value(ValueType::Month, PeriodKind::Eternity)
    .reference("国发〔2018〕41号 第五条")
    .otherwise(Value::Absent);

/// 扣缴义务人: the employer withholding the month's wages. Not given: one
/// employer throughout. A change of employer restarts the cumulation.
pub static EMPLOYER: Variable = input("employer")
    .label("扣缴义务人（任职受雇单位）", "Employer withholding the wages")
    .value(ValueType::Text, PeriodKind::Month)
    .reference("国家税务总局公告2018年第61号 第六条")
    .otherwise(Value::Absent);

/// The items of [`DECLARED`], as the 个税 App names them.
pub const DECLARED_ITEMS: &[&str] =
    &["child_education", "infant_care", "continuing_education", "housing_loan", "housing_rent", "elderly_support"];

/// 专项附加扣除（按申报金额）: the special additional deductions as the taxpayer
/// declared them to the employer, per item and month (the monthly amounts of
/// the 个税 App), e.g. `{2027-01..2027-12: {child_education: 2000, housing_rent: 1500}}`.
/// An item declared for a month replaces the amount computed from children,
/// parents and housing; each is checked against the year's standard.
pub static DECLARED: Variable = input("declared_deductions")
    .label("专项附加扣除（按纳税人申报金额）", "Special additional deductions as declared to the employer")
    .value(ValueType::AmountsBy(DECLARED_ITEMS), PeriodKind::Month)
    .reference("国家税务总局公告2018年第60号 第四条、第五条")
    .otherwise(Value::Absent);

/// 全年一次性奖金: the annual one-time bonus, in the month it is paid.
pub static ANNUAL_BONUS: Variable = input("annual_bonus")
    .label("全年一次性奖金", "Annual one-time bonus")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("财税〔2018〕164号 第一条第（一）项")
    .otherwise(ZERO);

/// The choices of [`BONUS_METHOD`].
pub const BONUS_METHODS: &[&str] = &["best", "separate", "combined"];

/// 全年一次性奖金计税方式: `separate` (apart from comprehensive income),
/// `combined` (added to it) or `best` (whichever leaves less tax, the
/// default). The employer withholds separately unless `combined` is chosen.
pub static BONUS_METHOD: Variable = input("bonus_method")
    .label("全年一次性奖金计税方式", "How the annual bonus is taxed")
    .value(ValueType::Choice(BONUS_METHODS), PeriodKind::Year)
    .reference("财政部 税务总局公告2023年第30号 第一条")
    .otherwise(Value::Choice("best"));

/// 劳务报酬: labour remuneration received in the month, as one payment (次).
pub static LABOUR_REMUNERATION: Variable = input("labour_remuneration")
    .label("劳务报酬所得", "Labour remuneration")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("个人所得税法 第二条第一款第（二）项")
    .otherwise(ZERO);

/// 稿酬: author remuneration received in the month, as one payment.
pub static AUTHOR_REMUNERATION: Variable = input("author_remuneration")
    .label("稿酬所得", "Author remuneration")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("个人所得税法 第二条第一款第（三）项")
    .otherwise(ZERO);

/// 特许权使用费: royalties received in the month, as one payment.
pub static ROYALTIES: Variable = input("royalties")
    .label("特许权使用费所得", "Royalties")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("个人所得税法 第二条第一款第（四）项")
    .otherwise(ZERO);

/// The categories of [`RENT_CITY`], the rows of the rent table.
pub const RENT_CITIES: &[&str] = &["municipality_capital", "over_1m", "up_to_1m"];

/// 住房租金城市类别: the category of the main work city where the taxpayer
/// rents, for months in which the rent deduction is claimed.
pub static RENT_CITY: Variable = input("rent_city")
    .label("住房租金（主要工作城市类别）", "Housing rent claimed (category of the main work city)")
    .value(ValueType::Choice(RENT_CITIES), PeriodKind::Month)
    .reference("国发〔2018〕41号 第十七条")
    .otherwise(Value::Absent);

/// 首套住房贷款利息: whether first-home mortgage interest is claimed this month.
pub static MORTGAGE: Variable = input("first_home_mortgage")
    .label("首套住房贷款利息", "First-home mortgage interest claimed")
    .value(ValueType::Bool, PeriodKind::Month)
    .reference("国发〔2018〕41号 第十四条")
    .otherwise(Value::Bool(false));

/// Months of mortgage interest already deducted before this year (for the 240-month limit).
pub static MORTGAGE_PRIOR_MONTHS: Variable = input("mortgage_prior_months")
    .label("以前年度已扣除住房贷款利息月数", "Months of mortgage interest deducted before this year")
    .value(ValueType::Count, PeriodKind::Year)
    .reference("国发〔2018〕41号 第十四条")
    .otherwise(Value::Count(0));

/// 学历（学位）继续教育: whether the person is in degree education in China this month.
pub static DEGREE_EDUCATION: Variable = input("degree_education")
    .label("学历（学位）继续教育", "In degree continuing education")
    .value(ValueType::Bool, PeriodKind::Month)
    .reference("国发〔2018〕41号 第八条")
    .otherwise(Value::Bool(false));

/// Months of degree education already deducted before this year (for the 48-month limit).
pub static DEGREE_PRIOR_MONTHS: Variable = input("degree_education_prior_months")
    .label("以前年度已扣除学历继续教育月数", "Months of degree education deducted before this year")
    .value(ValueType::Count, PeriodKind::Year)
    .reference("国发〔2018〕41号 第八条")
    .otherwise(Value::Count(0));

/// 取得职业资格证书: whether a vocational or professional qualification
/// certificate was obtained this month.
pub static CERTIFICATE: Variable = input("professional_certificate")
    .label("取得职业（专业技术）资格证书", "Obtained a vocational or professional certificate")
    .value(ValueType::Bool, PeriodKind::Month)
    .reference("国发〔2018〕41号 第八条")
    .otherwise(Value::Bool(false));

/// The choices of [`ELDERLY_SUPPORT`].
pub const ELDERLY_MODES: &[&str] = &["only_child", "shared", "shared_equally"];

/// 赡养老人: `only_child` (独生子女); `shared` with siblings by an agreed or
/// designated share (约定分摊、指定分摊); or `shared_equally` among the
/// siblings (均摊), whose number is [`ELDERLY_SIBLINGS`].
pub static ELDERLY_SUPPORT: Variable = input("elderly_support")
    .label("赡养老人（独生子女或分摊）", "Elderly support (only child or shared)")
    .value(ValueType::Choice(ELDERLY_MODES), PeriodKind::Year)
    .reference("国发〔2018〕41号 第二十二条")
    .otherwise(Value::Absent);

/// The monthly amount a sibling deducts for elderly support, as agreed or designated.
pub static ELDERLY_SHARE: Variable = input("elderly_support_share")
    .label("赡养老人每月分摊额", "Monthly elderly support share")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("国发〔2018〕41号 第二十二条")
    .otherwise(ZERO);

/// The number of children sharing elderly support equally (均摊), the person included.
pub static ELDERLY_SIBLINGS: Variable = input("elderly_support_siblings")
    .label("均摊赡养老人扣除的兄弟姐妹人数（含本人）", "Children sharing elderly support equally (self included)")
    .value(ValueType::Count, PeriodKind::Year)
    .reference("国发〔2018〕41号 第二十二条")
    .otherwise(Value::Count(0));

/// The date of birth of the (elder) supported parent.
pub static PARENT_BIRTH_DATE: Variable = input("elderly_parent_birth_date")
    .label("被赡养人出生日期", "Date of birth of the supported parent")
    .value(ValueType::Date, PeriodKind::Eternity)
    .reference("国发〔2018〕41号 第二十三条")
    .otherwise(Value::Absent);

/// 大病医疗自付: out-of-pocket medical costs within the insurance catalogue,
/// after reimbursement, in the year. Not given: computed from the claims
/// (`inpatient_cost`) under the insured place's plan.
pub static ILLNESS_COSTS: Variable = input("serious_illness_costs")
    .label("医保目录范围内个人自付医药费用", "Out-of-pocket costs within the medical insurance catalogue")
    .value(ValueType::Money, PeriodKind::Year)
    .reference("国发〔2018〕41号 第十一条")
    .otherwise(Value::Absent);

/// 商业健康保险: qualifying commercial health insurance premium paid in the month.
pub static HEALTH_INSURANCE: Variable = input("commercial_health_insurance")
    .label("符合规定的商业健康保险保费", "Qualifying commercial health insurance premium")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("财税〔2017〕39号 第一条")
    .otherwise(ZERO);

/// 年金个人缴费: the employee's enterprise or occupational annuity contribution in the month.
pub static ANNUITY: Variable = input("annuity_contribution")
    .label("企业年金、职业年金个人缴费", "Enterprise or occupational annuity contribution (employee)")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("财税〔2013〕103号 一")
    .otherwise(ZERO);

/// 个人养老金缴费: private pension contributions paid in the month.
pub static PENSION_CONTRIBUTION: Variable = input("private_pension_contribution")
    .label("个人养老金缴费", "Private pension contribution")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("财政部 税务总局公告2022年第34号 第一条")
    .otherwise(ZERO);

/// Whether the person lived in a pilot city of the private pension scheme
/// (needed before the policy went nationwide).
pub static PENSION_PILOT: Variable = input("private_pension_pilot_city")
    .label("个人养老金先行城市", "Lives in a private pension pilot city")
    .value(ValueType::Bool, PeriodKind::Year)
    .reference("财政部 税务总局公告2022年第34号 第五条")
    .otherwise(Value::Bool(false));

/// 个人养老金领取: private pension withdrawn in the month.
pub static PENSION_WITHDRAWAL: Variable = input("private_pension_withdrawal")
    .label("个人养老金领取", "Private pension withdrawn")
    .value(ValueType::Money, PeriodKind::Month)
    .reference("财政部 税务总局公告2022年第34号 第一条")
    .otherwise(ZERO);

/// Whether last year this person was withheld every month by the January
/// employer with wages of at most 60,000 (STA 2020 No. 19).
pub static LOW_EARNER_LAST_YEAR: Variable = input("low_earner_last_year")
    .label(
        "上年各月均由本单位预扣且收入不超过6万元",
        "Withheld all last year by this employer with wages of at most 60,000",
    )
    .value(ValueType::Bool, PeriodKind::Year)
    .reference("国家税务总局公告2020年第19号 第一条")
    .otherwise(Value::Bool(false));

/// Every input, in the order `minsheng vars` lists them.
pub static ALL: &[&Variable] = &[
    &CLAIMANTS,
    &EDUCATION_END,
    &EMPLOYER,
    &ANNUAL_BONUS,
    &BONUS_METHOD,
    &LABOUR_REMUNERATION,
    &AUTHOR_REMUNERATION,
    &ROYALTIES,
    &RENT_CITY,
    &MORTGAGE,
    &MORTGAGE_PRIOR_MONTHS,
    &DEGREE_EDUCATION,
    &DEGREE_PRIOR_MONTHS,
    &CERTIFICATE,
    &ELDERLY_SUPPORT,
    &ELDERLY_SHARE,
    &ELDERLY_SIBLINGS,
    &PARENT_BIRTH_DATE,
    &ILLNESS_COSTS,
    &HEALTH_INSURANCE,
    &ANNUITY,
    &PENSION_CONTRIBUTION,
    &PENSION_PILOT,
    &PENSION_WITHDRAWAL,
    &LOW_EARNER_LAST_YEAR,
    &DECLARED,
];
