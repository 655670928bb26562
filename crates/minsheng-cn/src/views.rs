//! What a household's tables show (展示定义): the columns of the month table,
//! the rows of the year, the lines of the statement and of retirement, each
//! with its short heading in Chinese and English. The command line's tables,
//! the API (`GET /api/v1/views`) and the web page all show these, so a figure
//! added here appears in all three.

use minsheng_core::{Lang, Variable};

use crate::iit::{annual, inputs, payments, sad, withholding};
use crate::pension::{career, employee, resident, retirement};
use crate::social_insurance::contributions;
use crate::{childcare, destitute, household, preschool, reimbursement, statement, unemployment};

/// A short heading in Chinese and English (the variable's own label is the long one).
#[derive(Copy, Clone, Debug)]
pub struct Heading {
    /// 中文.
    pub zh: &'static str,
    /// English.
    pub en: &'static str,
}

impl Heading {
    /// The heading in `lang`, both languages joined by `sep`.
    pub fn show(self, lang: Lang, sep: &str) -> String {
        lang.pick(self.zh, self.en, sep)
    }
}

/// A column of the month table.
#[derive(Copy, Clone, Debug)]
pub struct Column {
    /// The figure.
    pub var: &'static Variable,
    /// Its short heading.
    pub heading: Heading,
    /// Shown even when zero all year.
    pub always: bool,
    /// A level (a base, a running total), not a flow: its months are not added up for the year.
    pub stock: bool,
}

const fn col(var: &'static Variable, zh: &'static str, en: &'static str, always: bool, stock: bool) -> Column {
    Column { var, heading: Heading { zh, en }, always, stock }
}

/// The month table's columns, in order; a column not marked `always` is shown
/// only where it is not zero all year.
pub static MONTHS: [Column; 26] = [
    col(&crate::person::WAGE, "工资薪金", "Wages", true, false),
    col(&inputs::ANNUAL_BONUS, "年终奖", "Bonus", false, false),
    col(&inputs::LABOUR_REMUNERATION, "劳务报酬", "Labour", false, false),
    col(&inputs::AUTHOR_REMUNERATION, "稿酬", "Author", false, false),
    col(&inputs::ROYALTIES, "特许权", "Royalties", false, false),
    col(&contributions::BASE, "缴费基数", "SI base", false, true),
    col(&contributions::EMPLOYEE_TOTAL, "个人三险一金", "Employee SI+HF", false, false),
    col(&contributions::EMPLOYER_TOTAL, "单位五险一金", "Employer SI+HF", false, false),
    col(&withholding::SPECIAL_DEDUCTION_MONTH, "专项扣除", "Special ded.", false, false),
    col(&sad::MONTHLY_TOTAL, "专项附加扣除", "Additional ded.", false, false),
    col(&withholding::CUMULATIVE_TAXABLE, "累计应纳税所得额", "Cum. taxable", false, true),
    col(&withholding::WAGE_TAX_WITHHELD, "工资预扣税", "Wage tax", true, false),
    col(&payments::BONUS_TAX_WITHHELD, "奖金税", "Bonus tax", false, false),
    col(&payments::LABOUR_PREPAID, "劳务预缴", "Labour tax", false, false),
    col(&payments::AUTHOR_PREPAID, "稿酬预缴", "Author tax", false, false),
    col(&payments::ROYALTY_PREPAID, "特许权预缴", "Royalty tax", false, false),
    col(&payments::MONTHLY_PREPAID, "预扣预缴合计", "Total withheld", true, false),
    col(&statement::TAKE_HOME, "到手工资", "Take-home", false, false),
    col(&statement::EMPLOYER_COST, "用工成本", "Employer cost", false, false),
    col(&employee::MONTHLY, "职工养老金", "Pension", false, false),
    col(&resident::MONTHLY, "居民养老金", "Resident pension", false, false),
    col(&unemployment::BENEFIT, "失业保险金", "Unemployment", false, false),
    col(&childcare::MONTHLY, "育儿补贴", "Childcare subsidy", false, false),
    col(&destitute::DESTITUTE, "特困供养", "Destitute support", false, false),
    col(&reimbursement::COST, "住院费用", "Inpatient cost", false, false),
    col(&reimbursement::FUND_PAYS, "医保支付", "Fund pays", false, false),
];

/// A row of the year table: the figure, and whether it is shown only where not zero.
#[derive(Copy, Clone, Debug)]
pub struct Row {
    /// The figure.
    pub var: &'static Variable,
    /// Shown only where some scenario has it.
    pub optional: bool,
}

const fn row(var: &'static Variable, optional: bool) -> Row {
    Row { var, optional }
}

/// The year table's rows: the tax on comprehensive income step by step, the
/// settlement, then the year's benefits. The rows comparing the two ways of
/// taxing the bonus show only with a bonus.
pub static YEAR: [Row; 25] = [
    row(&annual::INCOME_AMOUNT, false),
    row(&annual::BONUS, true),
    row(&annual::BASIC_DEDUCTION, false),
    row(&annual::SPECIAL_DEDUCTION, false),
    row(&annual::SAD_TOTAL, false),
    row(&annual::OTHER_DEDUCTION, true),
    row(&annual::TAXABLE_EXCLUDING_BONUS, false),
    row(&annual::TAX_BONUS_SEPARATE, true),
    row(&annual::TAX_BONUS_COMBINED, true),
    row(&annual::BONUS_METHOD_CHOSEN, true),
    row(&annual::TAX, false),
    row(&annual::PREPAID, false),
    row(&annual::BALANCE, false),
    row(&annual::EXEMPT, true),
    row(&annual::AMOUNT_DUE, false),
    row(&annual::REFUND, false),
    row(&annual::FINAL_TAX, false),
    row(&annual::PENSION_WITHDRAWAL_TAX, true),
    row(&annual::TOTAL, false),
    row(&employee::ANNUAL, true),
    row(&unemployment::ANNUAL, true),
    row(&preschool::FEE_WAIVED, true),
    row(&reimbursement::CRITICAL_PAYS, true),
    row(&reimbursement::ASSISTANCE_PAYS, true),
    row(&reimbursement::OUT_OF_POCKET, true),
];

/// A line of the household statement: a member's figure, the household's total, and the heading.
#[derive(Copy, Clone, Debug)]
pub struct StatementLine {
    /// The member's figure.
    pub person: &'static Variable,
    /// The household's total of it.
    pub household: &'static Variable,
    /// The short heading.
    pub heading: Heading,
}

/// The household statement's lines (家庭收支表): market income, benefits, income tax,
/// contributions and disposable income, per member and for the household.
pub static STATEMENT: [StatementLine; 5] = [
    StatementLine {
        person: &statement::MARKET_INCOME,
        household: &household::HOUSEHOLD_MARKET,
        heading: Heading { zh: "市场收入", en: "Market income" },
    },
    StatementLine {
        person: &statement::BENEFITS,
        household: &household::HOUSEHOLD_BENEFITS,
        heading: Heading { zh: "转移收入", en: "Benefits" },
    },
    StatementLine {
        person: &annual::TOTAL,
        household: &household::IIT,
        heading: Heading { zh: "个人所得税", en: "Income tax" },
    },
    StatementLine {
        person: &statement::CONTRIBUTIONS,
        household: &household::HOUSEHOLD_CONTRIBUTIONS,
        heading: Heading { zh: "社保缴费", en: "Contributions" },
    },
    StatementLine {
        person: &statement::DISPOSABLE,
        household: &household::HOUSEHOLD_DISPOSABLE,
        heading: Heading { zh: "可支配收入", en: "Disposable" },
    },
];

/// The retirement table's rows, shown where the retirement month is known.
pub static RETIREMENT: [&Variable; 15] = [
    &retirement::STATUTORY_MONTH,
    &retirement::EARLIEST_MONTH,
    &retirement::LATEST_MONTH,
    &retirement::RETIREMENT_MONTH,
    &retirement::AGE_AT_RETIREMENT,
    &retirement::MINIMUM_CONTRIBUTION,
    &retirement::ELIGIBLE,
    &career::MONTHS,
    &career::INDEX,
    &career::BALANCE_AT_RETIREMENT,
    &employee::BASIC,
    &employee::DIVISOR,
    &employee::ACCOUNT,
    &employee::INITIAL,
    &unemployment::ENTITLED_MONTHS,
];
