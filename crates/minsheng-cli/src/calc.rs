//! `minsheng calc`: compute a situation, month by month and for the year,
//! optionally beside a reform, and explain any figure.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;

use minsheng_cn::RuleBook;
use minsheng_cn::iit::{annual, inputs, payments, sad, withholding};
use minsheng_cn::pension::{employee, resident, retirement};
use minsheng_cn::social_insurance::contributions;
use minsheng_cn::unemployment;
use minsheng_cn::{assistance, reimbursement, statement};
use minsheng_core::explain::{explain, render};
use minsheng_core::situation::Format;
use minsheng_core::{
    Entity, EntityKind, Eval, Lang, Month, ParamSet, Period, PeriodKind, Reform, Situation, Value, Variable,
};

use crate::error::{CliError, read_file};
use crate::table;

/// Arguments of `minsheng calc`.
#[derive(clap::Args)]
pub struct CalcArgs {
    /// The situation: a .json, .yaml or .yml file in the OpenFisca-like format of the README.
    file: PathBuf,
    /// Print machine-readable JSON instead of tables.
    #[arg(long)]
    json: bool,
    /// Explain this variable: the tree of figures and parameters it came from.
    #[arg(long, value_name = "VARIABLE")]
    explain: Option<String>,
    /// With --explain: the person or household id (default: the first person).
    #[arg(long, value_name = "ID")]
    entity: Option<String>,
    /// With --explain: the period, YYYY-MM for monthly variables (default: the year).
    #[arg(long, value_name = "PERIOD")]
    period: Option<String>,
    /// With --explain: how many levels of the tree to expand.
    #[arg(long, default_value_t = 6)]
    depth: usize,
    /// A reform file: compute it beside the baseline and show the difference.
    #[arg(long, value_name = "FILE")]
    reform: Option<PathBuf>,
}

/// The figures of one scenario (baseline or reform).
struct Results {
    /// Per person: timeless variable → value (retirement facts).
    timeless: Vec<BTreeMap<&'static str, Value>>,
    /// Per person: variable → 12 monthly values.
    monthly: Vec<BTreeMap<&'static str, Vec<Value>>>,
    /// Per person: variable → the year's value.
    annual: Vec<BTreeMap<&'static str, Value>>,
    /// Per household: variable → the year's value.
    households: Vec<BTreeMap<&'static str, Value>>,
}

fn compute_all(ev: &mut Eval<'_>, book: &RuleBook, sit: &Situation) -> Result<Results, CliError> {
    let year = sit.year;
    let mut results = Results { timeless: Vec::new(), monthly: Vec::new(), annual: Vec::new(), households: Vec::new() };
    for p in 0..sit.persons.len() {
        let mut monthly = BTreeMap::new();
        let mut yearly = BTreeMap::new();
        let mut timeless = BTreeMap::new();
        for var in book.registry.iter().filter(|v| v.entity == EntityKind::Person) {
            match var.period {
                PeriodKind::Month => {
                    let mut values = Vec::with_capacity(12);
                    for m in Month::of_year(year) {
                        values.push(ev.compute(var.name, Entity::Person(p), Period::Month(m))?.1);
                    }
                    monthly.insert(var.name, values);
                }
                PeriodKind::Year => {
                    yearly.insert(var.name, ev.compute(var.name, Entity::Person(p), Period::Year(year))?.1);
                }
                PeriodKind::Eternity if !var.is_input() => {
                    timeless.insert(var.name, ev.compute(var.name, Entity::Person(p), Period::Eternity)?.1);
                }
                PeriodKind::Eternity => {}
            }
        }
        results.timeless.push(timeless);
        results.monthly.push(monthly);
        results.annual.push(yearly);
    }
    for h in 0..sit.households.len() {
        let mut values = BTreeMap::new();
        for var in book
            .registry
            .iter()
            .filter(|v| !v.is_input() && v.entity == EntityKind::Household && v.period == PeriodKind::Year)
        {
            values.insert(var.name, ev.compute(var.name, Entity::Household(h), Period::Year(year))?.1);
        }
        results.households.push(values);
    }
    Ok(results)
}

/// Runs `minsheng calc`.
pub fn run(book: &RuleBook, args: &CalcArgs, lang: Lang) -> Result<String, CliError> {
    let text = read_file(&args.file)?;
    let format = match args.file.extension().and_then(|e| e.to_str()) {
        Some("json") => Format::Json,
        Some("yaml" | "yml") => Format::Yaml,
        _ => return Err(CliError::Input(format!("{}: give a .json, .yaml or .yml file", args.file.display()))),
    };
    let sit = book.situation(&text, format).map_err(|e| CliError::Input(format!("{}: {e}", args.file.display())))?;
    let reform = match &args.reform {
        Some(path) => {
            let r = Reform::from_yaml(&read_file(path)?)
                .map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
            let params = r.apply(&book.baseline).map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
            Some((r, params))
        }
        None => None,
    };

    if let Some(name) = &args.explain {
        let mut out = explain_one(book, &book.baseline, &sit, args, name, lang)?;
        if let Some((r, params)) = &reform {
            let tree = explain_one(book, params, &sit, args, name, lang)?;
            if args.json {
                out = format!("{{\"baseline\": {out}, \"reform\": {tree}}}\n");
            } else {
                let _ = write!(out, "\n── reform 改革方案: {} ({}) ──\n{tree}", r.name, r.label);
            }
        }
        return Ok(out);
    }

    let mut base_ev = Eval::new(&book.registry, &book.baseline, &sit);
    let base = compute_all(&mut base_ev, book, &sit)?;
    let reformed = match &reform {
        Some((r, params)) => {
            let mut ev = Eval::new(&book.registry, params, &sit);
            Some((r, compute_all(&mut ev, book, &sit)?))
        }
        None => None,
    };
    if args.json {
        return json_output(&sit, &base, reformed.as_ref().map(|(r, res)| (r.name.as_str(), res)));
    }
    Ok(text_output(&sit, &base, reformed.as_ref().map(|(r, res)| (*r, res)), lang))
}

fn explain_one(
    book: &RuleBook,
    params: &ParamSet,
    sit: &Situation,
    args: &CalcArgs,
    name: &str,
    lang: Lang,
) -> Result<String, CliError> {
    let var = book
        .registry
        .get(name)
        .ok_or_else(|| CliError::Input(format!("--explain {name}: no such variable; `minsheng vars` lists them")))?;
    let entity = match &args.entity {
        None => match var.entity {
            EntityKind::Person => Entity::Person(0),
            EntityKind::Household => Entity::Household(0),
        },
        Some(id) => match var.entity {
            EntityKind::Person => Entity::Person(
                sit.person_index(id)
                    .ok_or_else(|| CliError::Input(format!("--entity {id}: no such person in the situation")))?,
            ),
            EntityKind::Household => Entity::Household(
                sit.households
                    .iter()
                    .position(|h| h.id == *id)
                    .ok_or_else(|| CliError::Input(format!("--entity {id}: no such household in the situation")))?,
            ),
        },
    };
    let period = explain_period(var, sit.year, args.period.as_deref())?;
    let mut ev = Eval::new(&book.registry, params, sit);
    let (key, _) = ev.compute(name, entity, period)?;
    let tree =
        explain(&ev, &key, args.depth).ok_or_else(|| CliError::Internal(format!("no trace recorded for {name}")))?;
    if args.json {
        return Ok(serde_json::to_string_pretty(&tree)? + "\n");
    }
    Ok(render(&tree, lang))
}

fn explain_period(var: &Variable, year: i32, given: Option<&str>) -> Result<Period, CliError> {
    match (var.period, given) {
        (PeriodKind::Eternity, _) => Ok(Period::Eternity),
        (PeriodKind::Year, None) => Ok(Period::Year(year)),
        (PeriodKind::Year, Some(p)) if p == year.to_string() => Ok(Period::Year(year)),
        (PeriodKind::Year, Some(p)) => {
            Err(CliError::Input(format!("--period {p}: `{}` is yearly; give {year}", var.name)))
        }
        (PeriodKind::Month, None) => {
            Err(CliError::Input(format!("--explain {}: this variable is monthly; add --period {year}-MM", var.name)))
        }
        (PeriodKind::Month, Some(p)) => match p.parse::<Month>() {
            Ok(m) if m.year() == year => Ok(Period::Month(m)),
            _ => Err(CliError::Input(format!("--period {p}: give a month of {year}, YYYY-MM"))),
        },
    }
}

/// A column of the monthly table: the variable, a short header (zh, en), and
/// whether it is shown when all zero.
struct Column {
    var: &'static Variable,
    zh: &'static str,
    en: &'static str,
    always: bool,
}

const fn column(var: &'static Variable, zh: &'static str, en: &'static str, always: bool) -> Column {
    Column { var, zh, en, always }
}

/// The monthly table's columns; `--explain NAME --period YYYY-MM` gives the full story of each.
fn monthly_columns() -> [Column; 26] {
    [
        column(&inputs::WAGE, "工资薪金", "Wages", true),
        column(&inputs::ANNUAL_BONUS, "年终奖", "Bonus", false),
        column(&inputs::LABOUR_REMUNERATION, "劳务报酬", "Labour", false),
        column(&inputs::AUTHOR_REMUNERATION, "稿酬", "Author", false),
        column(&inputs::ROYALTIES, "特许权", "Royalties", false),
        column(&contributions::BASE, "缴费基数", "SI base", false),
        column(&contributions::EMPLOYEE_TOTAL, "个人三险一金", "Employee SI+HF", false),
        column(&contributions::EMPLOYER_TOTAL, "单位五险一金", "Employer SI+HF", false),
        column(&withholding::SPECIAL_DEDUCTION_MONTH, "专项扣除", "Special ded.", false),
        column(&sad::MONTHLY_TOTAL, "专项附加扣除", "Additional ded.", false),
        column(&withholding::CUMULATIVE_TAXABLE, "累计应纳税所得额", "Cum. taxable", false),
        column(&withholding::WAGE_TAX_WITHHELD, "工资预扣税", "Wage tax", true),
        column(&payments::BONUS_TAX_WITHHELD, "奖金税", "Bonus tax", false),
        column(&payments::LABOUR_PREPAID, "劳务预缴", "Labour tax", false),
        column(&payments::AUTHOR_PREPAID, "稿酬预缴", "Author tax", false),
        column(&payments::ROYALTY_PREPAID, "特许权预缴", "Royalty tax", false),
        column(&payments::MONTHLY_PREPAID, "预扣预缴合计", "Total withheld", true),
        column(&contributions::TAKE_HOME, "到手工资", "Take-home", false),
        column(&contributions::EMPLOYER_COST, "用工成本", "Employer cost", false),
        column(&employee::MONTHLY, "职工养老金", "Pension", false),
        column(&resident::MONTHLY, "居民养老金", "Resident pension", false),
        column(&unemployment::BENEFIT, "失业保险金", "Unemployment", false),
        column(&minsheng_cn::childcare::MONTHLY, "育儿补贴", "Childcare subsidy", false),
        column(&assistance::DESTITUTE, "特困供养", "Destitute support", false),
        column(&reimbursement::COST, "住院费用", "Inpatient cost", false),
        column(&reimbursement::FUND_PAYS, "医保支付", "Fund pays", false),
    ]
}

fn header(c: &Column, lang: Lang) -> String {
    match lang {
        Lang::Both => format!("{}\n{}", c.zh, c.en),
        Lang::Zh => c.zh.to_string(),
        Lang::En => c.en.to_string(),
    }
}

/// Annual rows: (variable, shown only if some scenario has it non-zero). The
/// rows comparing the two ways of taxing the bonus show only with a bonus.
fn annual_rows() -> [(&'static Variable, bool); 24] {
    [
        (&annual::INCOME_AMOUNT, false),
        (&annual::BONUS, true),
        (&annual::BASIC_DEDUCTION, false),
        (&annual::SPECIAL_DEDUCTION, false),
        (&annual::SAD_TOTAL, false),
        (&annual::OTHER_DEDUCTION, true),
        (&annual::TAXABLE_EXCLUDING_BONUS, false),
        (&annual::TAX_BONUS_SEPARATE, true),
        (&annual::TAX_BONUS_COMBINED, true),
        (&annual::BONUS_METHOD_CHOSEN, true),
        (&annual::TAX, false),
        (&annual::PREPAID, false),
        (&annual::BALANCE, false),
        (&annual::EXEMPT, true),
        (&annual::AMOUNT_DUE, false),
        (&annual::REFUND, false),
        (&annual::FINAL_TAX, false),
        (&annual::PENSION_WITHDRAWAL_TAX, true),
        (&annual::TOTAL, false),
        (&employee::ANNUAL, true),
        (&unemployment::ANNUAL, true),
        (&reimbursement::CRITICAL_PAYS, true),
        (&reimbursement::ASSISTANCE_PAYS, true),
        (&reimbursement::OUT_OF_POCKET, true),
    ]
}

fn label(var: &Variable, lang: Lang) -> String {
    match lang {
        Lang::Both => format!("{}\n{}", var.label_zh, var.label_en),
        Lang::Zh => var.label_zh.to_string(),
        Lang::En => var.label_en.to_string(),
    }
}

fn inline_label(var: &Variable, lang: Lang) -> String {
    label(var, lang).replace('\n', " ")
}

fn is_blank(v: &Value) -> bool {
    matches!(v, Value::Money(m) if m.is_zero())
        || matches!(v, Value::Bool(false) | Value::Absent | Value::Count(0))
        || *v == Value::Choice("no_bonus")
}

/// The value of a monthly variable in month `i` (0-based); blank if absent.
fn month_value<'a>(map: &'a BTreeMap<&'static str, Vec<Value>>, name: &str, i: usize) -> &'a Value {
    map.get(name).and_then(|v| v.get(i)).unwrap_or(&Value::Absent)
}

/// The value of a yearly variable; blank if absent.
fn year_value<'a>(map: &'a BTreeMap<&'static str, Value>, name: &str) -> &'a Value {
    map.get(name).unwrap_or(&Value::Absent)
}

fn money_of(v: &Value) -> minsheng_core::Money {
    match v {
        Value::Money(m) => *m,
        _ => minsheng_core::Money::ZERO,
    }
}

fn text_output(sit: &Situation, base: &Results, reform: Option<(&Reform, &Results)>, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "minsheng · {} · {}",
        sit.year,
        match reform {
            Some((r, _)) => format!("baseline 现行政策 vs reform 改革方案 `{}`: {}", r.name, r.label),
            None => "baseline 现行政策".to_string(),
        }
    );
    for (p, person) in sit.persons.iter().enumerate() {
        let scenarios: Vec<&Results> = std::iter::once(base).chain(reform.map(|(_, r)| r)).collect();
        let has_flows = scenarios.iter().any(|r| {
            monthly_columns().iter().any(|c| (0..12).any(|i| !is_blank(month_value(&r.monthly[p], c.var.name, i))))
        });
        let _ = writeln!(out, "\n■ {}", person.id);
        out.push_str(&retirement_table(&base.timeless[p], lang));
        if !has_flows {
            let _ = writeln!(out, "  no income, tax or benefit in {} 本年无收入、税款或待遇", sit.year);
            continue;
        }
        match reform {
            None => {
                out.push_str(&monthly_table(&base.monthly[p], sit.year, lang));
                out.push('\n');
                out.push_str(&annual_table(&[&base.annual[p]], lang));
            }
            Some((_, r)) => {
                out.push_str(&monthly_comparison(&base.monthly[p], &r.monthly[p], sit.year, lang));
                out.push('\n');
                out.push_str(&annual_table(&[&base.annual[p], &r.annual[p]], lang));
            }
        }
        out.push('\n');
    }
    for h in 0..sit.households.len() {
        out.push_str(&household_statement(sit, h, base, reform.map(|(_, r)| r), lang));
    }
    out
}

/// The household statement: each member's income lines, the household's 低保,
/// totals and the amount per person; beside a reform, the change in the totals.
fn household_statement(sit: &Situation, h: usize, base: &Results, reform: Option<&Results>, lang: Lang) -> String {
    let household = &sit.households[h];
    let columns: [&Variable; 5] = [
        &statement::MARKET_INCOME,
        &statement::BENEFITS,
        &annual::TOTAL,
        &statement::CONTRIBUTIONS,
        &statement::DISPOSABLE,
    ];
    let totals: [&Variable; 5] = [
        &statement::HOUSEHOLD_MARKET,
        &statement::HOUSEHOLD_BENEFITS,
        &minsheng_cn::household::IIT,
        &statement::HOUSEHOLD_CONTRIBUTIONS,
        &statement::HOUSEHOLD_DISPOSABLE,
    ];
    let short = |zh: &str, en: &str| match lang {
        Lang::Both => format!("{zh}\n{en}"),
        Lang::Zh => zh.to_string(),
        Lang::En => en.to_string(),
    };
    let mut headers = vec![short("成员", "Member")];
    headers.extend([
        short("市场收入", "Market income"),
        short("转移收入", "Benefits"),
        short("个人所得税", "Income tax"),
        short("社保缴费", "Contributions"),
        short("可支配收入", "Disposable"),
    ]);
    let mut t = table::new(headers, 1);
    for &m in &household.members {
        let mut row = vec![sit.persons[m].id.clone()];
        row.extend(columns.iter().map(|v| year_value(&base.annual[m], v.name).to_string()));
        t.add_row(row);
    }
    let dibao = year_value(&base.households[h], assistance::DIBAO_ANNUAL.name);
    if !is_blank(dibao) {
        t.add_row(vec![
            short("低保（家庭）", "Dibao (household)").replace('\n', " "),
            String::new(),
            dibao.to_string(),
            String::new(),
            String::new(),
            dibao.to_string(),
        ]);
    }
    let mut total = vec![short("家庭合计", "Household").replace('\n', " ")];
    total.extend(totals.iter().map(|v| year_value(&base.households[h], v.name).to_string()));
    t.add_row(total);
    let per_person = year_value(&base.households[h], statement::HOUSEHOLD_PER_PERSON.name);
    t.add_row(vec![
        short("人均", "Per person").replace('\n', " "),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
        per_person.to_string(),
    ]);
    let mut out = format!("\n▲ household 家庭 {} · {} statement 收支表\n{t}\n", household.id, sit.year);
    if let Some(r) = reform {
        for v in [&minsheng_cn::household::IIT, &statement::HOUSEHOLD_DISPOSABLE] {
            let (before, after) = (year_value(&base.households[h], v.name), year_value(&r.households[h], v.name));
            let _ = writeln!(
                out,
                "  {}: {before} → {after} (Δ {})",
                inline_label(v, lang),
                (money_of(after) - money_of(before)).grouped()
            );
        }
    }
    out
}

/// Rows of the retirement table, shown when the retirement month is known.
fn retirement_rows() -> [&'static Variable; 10] {
    [
        &retirement::STATUTORY_MONTH,
        &retirement::RETIREMENT_MONTH,
        &retirement::AGE_AT_RETIREMENT,
        &retirement::MINIMUM_CONTRIBUTION,
        &retirement::ELIGIBLE,
        &employee::BASIC,
        &employee::DIVISOR,
        &employee::ACCOUNT,
        &employee::INITIAL,
        &unemployment::ENTITLED_MONTHS,
    ]
}

fn retirement_table(timeless: &BTreeMap<&'static str, Value>, lang: Lang) -> String {
    let rows: Vec<&Variable> =
        retirement_rows().into_iter().filter(|v| !is_blank(year_value(timeless, v.name))).collect();
    if rows.is_empty() {
        return String::new();
    }
    let headers = match lang {
        Lang::En => vec!["Retirement and benefits".to_string(), "Value".to_string()],
        Lang::Zh => vec!["退休与待遇".to_string(), "数值".to_string()],
        Lang::Both => vec!["退休与待遇 Retirement and benefits".to_string(), "数值 Value".to_string()],
    };
    let mut t = table::new(headers, 1);
    for v in rows {
        t.add_row(vec![inline_label(v, lang), year_value(timeless, v.name).to_string()]);
    }
    format!("{t}\n")
}

fn monthly_table(monthly: &BTreeMap<&'static str, Vec<Value>>, year: i32, lang: Lang) -> String {
    let columns: Vec<Column> = monthly_columns()
        .into_iter()
        .filter(|c| c.always || (0..12).any(|i| !is_blank(month_value(monthly, c.var.name, i))))
        .collect();
    let mut headers = vec![match lang {
        Lang::En => "Month".to_string(),
        Lang::Zh => "月份".to_string(),
        Lang::Both => "月份\nMonth".to_string(),
    }];
    headers.extend(columns.iter().map(|c| header(c, lang)));
    let mut t = table::new(headers, 1);
    for (i, m) in Month::of_year(year).enumerate() {
        let mut row = vec![m.to_string()];
        row.extend(columns.iter().map(|c| month_value(monthly, c.var.name, i).to_string()));
        t.add_row(row);
    }
    let mut total = vec![match lang {
        Lang::En => "Year".to_string(),
        Lang::Zh => "全年".to_string(),
        Lang::Both => "全年 Year".to_string(),
    }];
    for c in &columns {
        // Stocks, not flows: a year's total of them means nothing.
        let cumulative =
            std::ptr::eq(c.var, &withholding::CUMULATIVE_TAXABLE) || std::ptr::eq(c.var, &contributions::BASE);
        let sum: minsheng_core::Money = (0..12).map(|i| money_of(month_value(monthly, c.var.name, i))).sum();
        total.push(if cumulative { String::new() } else { sum.grouped() });
    }
    t.add_row(total);
    t.to_string()
}

fn monthly_comparison(
    base: &BTreeMap<&'static str, Vec<Value>>,
    reform: &BTreeMap<&'static str, Vec<Value>>,
    year: i32,
    lang: Lang,
) -> String {
    let var = &payments::MONTHLY_PREPAID;
    let name = inline_label(var, lang);
    let headers = vec![
        "月份 Month".to_string(),
        format!("{name}\nbaseline 现行"),
        format!("{name}\nreform 改革"),
        "Δ".to_string(),
    ];
    let mut t = table::new(headers, 1);
    for (i, m) in Month::of_year(year).enumerate() {
        let (b, r) = (money_of(month_value(base, var.name, i)), money_of(month_value(reform, var.name, i)));
        t.add_row(vec![m.to_string(), b.grouped(), r.grouped(), (r - b).grouped()]);
    }
    t.to_string()
}

fn annual_table(scenarios: &[&BTreeMap<&'static str, Value>], lang: Lang) -> String {
    let mut headers = vec![match lang {
        Lang::En => "Year".to_string(),
        Lang::Zh => "全年".to_string(),
        Lang::Both => "全年 Year".to_string(),
    }];
    if scenarios.len() == 1 {
        headers.push(match lang {
            Lang::En => "Amount".into(),
            Lang::Zh => "金额".into(),
            Lang::Both => "金额 Amount".into(),
        });
    } else {
        headers.extend(["baseline 现行".to_string(), "reform 改革".to_string(), "Δ".to_string()]);
    }
    let mut t = table::new(headers, 1);
    let has_iit = [&annual::INCOME_AMOUNT, &annual::BONUS, &annual::PREPAID, &annual::TOTAL]
        .iter()
        .any(|v| scenarios.iter().any(|s| !is_blank(year_value(s, v.name))));
    for (var, optional) in annual_rows() {
        let iit_row = var.name.starts_with("iit.");
        if iit_row && !has_iit {
            continue;
        }
        let values: Vec<&Value> = scenarios.iter().map(|s| year_value(s, var.name)).collect();
        if optional && values.iter().all(|v| is_blank(v)) {
            continue;
        }
        let bonus_row =
            [&annual::TAX_BONUS_SEPARATE, &annual::TAX_BONUS_COMBINED].iter().any(|b| std::ptr::eq(*b, var));
        if bonus_row && scenarios.iter().all(|s| is_blank(year_value(s, annual::BONUS.name))) {
            continue;
        }
        let mut row = vec![inline_label(var, lang)];
        row.extend(values.iter().map(|v| v.to_string()));
        if let [b, r] = values.as_slice() {
            row.push(match (b, r) {
                (Value::Money(b), Value::Money(r)) => (*r - *b).grouped(),
                _ => String::new(),
            });
        }
        t.add_row(row);
    }
    t.to_string()
}

fn scenario_json(sit: &Situation, res: &Results) -> serde_json::Value {
    let mut persons = serde_json::Map::new();
    for (p, person) in sit.persons.iter().enumerate() {
        let mut monthly = serde_json::Map::new();
        for (name, values) in &res.monthly[p] {
            let by_month: serde_json::Map<String, serde_json::Value> = Month::of_year(sit.year)
                .zip(values)
                .map(|(m, v)| (m.to_string(), serde_json::to_value(v).unwrap_or_default()))
                .collect();
            monthly.insert(name.to_string(), serde_json::Value::Object(by_month));
        }
        let annual: serde_json::Map<String, serde_json::Value> =
            res.annual[p].iter().map(|(k, v)| (k.to_string(), serde_json::to_value(v).unwrap_or_default())).collect();
        let timeless: serde_json::Map<String, serde_json::Value> =
            res.timeless[p].iter().map(|(k, v)| (k.to_string(), serde_json::to_value(v).unwrap_or_default())).collect();
        persons.insert(
            person.id.clone(),
            serde_json::json!({ "timeless": timeless, "monthly": monthly, "annual": annual }),
        );
    }
    let households: serde_json::Map<String, serde_json::Value> = sit
        .households
        .iter()
        .zip(&res.households)
        .map(|(h, values)| (h.id.clone(), serde_json::to_value(values).unwrap_or_default()))
        .collect();
    serde_json::json!({ "persons": persons, "households": households })
}

fn json_output(sit: &Situation, base: &Results, reform: Option<(&str, &Results)>) -> Result<String, CliError> {
    let mut doc = serde_json::json!({ "year": sit.year, "baseline": scenario_json(sit, base) });
    if let Some((name, r)) = reform {
        doc["reform"] = serde_json::json!({ "name": name, "results": scenario_json(sit, r) });
    }
    Ok(serde_json::to_string_pretty(&doc)? + "\n")
}
