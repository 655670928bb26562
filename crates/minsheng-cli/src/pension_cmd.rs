//! `minsheng pension`: a person's pension projected to retirement, every
//! month of the elastic window side by side (or the residents' pension).

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use minsheng_calc::projection::{Options, Point, Projection, ProjectionError, Scheme, project};
use minsheng_cn::RuleBook;
use minsheng_core::situation::Format;
use minsheng_core::{Lang, Money};
use rust_decimal::Decimal;

use crate::error::CliError;
use crate::table;

/// Arguments of `minsheng pension`.
#[derive(Args)]
pub struct PensionArgs {
    /// The situation (JSON or YAML) holding the person and their record: `pension_career`, or
    /// `contribution_months`, `personal_account_balance` and `average_contribution_index`.
    file: PathBuf,
    /// The person projected (default: the first).
    #[arg(long, value_name = "ID")]
    person: Option<String>,
    /// The scheme: the enterprise employees' pension or the residents'.
    #[arg(long, value_enum, default_value_t = SchemeArg::Employee)]
    scheme: SchemeArg,
    /// Growth of the person's contribution base a year (default: the average wage's).
    #[arg(long, value_name = "RATE", allow_hyphen_values = true)]
    wage_growth: Option<Decimal>,
    /// Growth of the local average wage a year.
    #[arg(long, value_name = "RATE", allow_hyphen_values = true)]
    average_wage_growth: Option<Decimal>,
    /// Growth of the pension base (计发基数) a year (default: the average wage's).
    #[arg(long, value_name = "RATE", allow_hyphen_values = true)]
    pension_base_growth: Option<Decimal>,
    /// Crediting rate of the years not yet published (default: the last published).
    #[arg(long, value_name = "RATE", allow_hyphen_values = true)]
    crediting_rate: Option<Decimal>,
    /// Growth of prices a year, for today's money.
    #[arg(long, value_name = "RATE", allow_hyphen_values = true)]
    price_growth: Option<Decimal>,
    /// Rise of the pension in payment a year (default: the last national average rise).
    #[arg(long, value_name = "RATE", allow_hyphen_values = true)]
    pension_rise: Option<Decimal>,
    /// Count the cumulative pension to this age.
    #[arg(long, value_name = "YEARS")]
    to_age: Option<u32>,
    /// The monthly contribution base today (default: the career's last).
    #[arg(long, value_name = "YUAN")]
    monthly_base: Option<Decimal>,
    /// The local monthly average wage today (default: the career's last, or the locality's).
    #[arg(long, value_name = "YUAN")]
    average_wage: Option<Decimal>,
    /// The pension base of this year (default: the person's `pension_base`, or the locality's).
    #[arg(long, value_name = "YUAN")]
    pension_base: Option<Decimal>,
    /// Residents: the contribution paid each year until the pension age.
    #[arg(long, value_name = "YUAN")]
    resident_contribution: Option<Decimal>,
    /// Residents: the government subsidy credited with it each year.
    #[arg(long, value_name = "YUAN")]
    resident_subsidy: Option<Decimal>,
    /// Residents: the local top-up of the basic pension, monthly.
    #[arg(long, value_name = "YUAN")]
    resident_top_up: Option<Decimal>,
    /// Show every Nth month of the window (the statutory month is always shown).
    #[arg(long, value_name = "N", default_value_t = 1)]
    every: u32,
    /// Show every column of the table: the months, index and account at retirement, and the
    /// cumulative pension in today's money (the default fits 100 columns).
    #[arg(long)]
    wide: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Table)]
    format: OutputFormat,
}

#[derive(Copy, Clone, ValueEnum)]
enum SchemeArg {
    /// 企业职工基本养老保险.
    Employee,
    /// 城乡居民基本养老保险.
    Resident,
}

#[derive(Copy, Clone, ValueEnum)]
enum OutputFormat {
    /// Aligned tables.
    Table,
    /// The projection as JSON.
    Json,
}

fn yuan(flag: &str, value: Option<Decimal>) -> Result<Option<Money>, CliError> {
    value
        .map(|d| {
            Money::from_decimal(d).ok().filter(|m| !m.is_negative()).ok_or_else(|| {
                CliError::Input(format!(
                    "--{flag} {d}: 金额须为非负且精确到分 / an amount in yuan, not negative, to the fen"
                ))
            })
        })
        .transpose()
}

/// Runs `minsheng pension`.
pub fn run(book: &RuleBook, args: &PensionArgs, lang: Lang) -> Result<String, CliError> {
    if args.every == 0 {
        return Err(CliError::Input("--every 0: 至少为 1 / at least 1".into()));
    }
    let source = args.file.display().to_string();
    let text = crate::error::read_file(&args.file)?;
    let format = match args.file.extension().and_then(|e| e.to_str()) {
        Some("json") => Format::Json,
        _ => Format::Yaml,
    };
    let situation =
        book.read_situation(&text, format).map_err(|errors| CliError::Invalid { source: source.clone(), errors })?;
    let options = Options {
        person: args.person.clone(),
        scheme: match args.scheme {
            SchemeArg::Employee => Scheme::Employee,
            SchemeArg::Resident => Scheme::Resident,
        },
        wage_growth: args.wage_growth,
        average_wage_growth: args.average_wage_growth,
        pension_base_growth: args.pension_base_growth,
        crediting_rate: args.crediting_rate,
        price_growth: args.price_growth,
        pension_rise: args.pension_rise,
        to_age: args.to_age,
        monthly_base: yuan("monthly-base", args.monthly_base)?,
        average_wage: yuan("average-wage", args.average_wage)?,
        pension_base: yuan("pension-base", args.pension_base)?,
        resident_contribution: yuan("resident-contribution", args.resident_contribution)?,
        resident_subsidy: yuan("resident-subsidy", args.resident_subsidy)?,
        resident_top_up: yuan("resident-top-up", args.resident_top_up)?,
    };
    let projection = project(book, &situation, &options).map_err(|e| match e {
        ProjectionError::Input(errors) => CliError::Invalid { source, errors },
        ProjectionError::Unknown(u) => {
            CliError::Input(format!("{}；{} / {}; {}", u.reason.zh, u.remedy_zh(), u.reason.en, u.remedy_en()))
        }
        ProjectionError::Rules(e) => CliError::Internal(e),
    })?;
    match args.format {
        OutputFormat::Json => {
            let mut doc = serde_json::to_value(&projection).map_err(|e| CliError::Internal(e.to_string()))?;
            doc["minsheng_projection"] = serde_json::Value::String("1.0".into());
            Ok(format!("{doc}\n"))
        }
        OutputFormat::Table => Ok(render(&projection, args.every, args.wide, lang)),
    }
}

/// An amount of a point, or a dash where the record falls short of a monthly pension.
fn eligible(point: &Point, amount: Money) -> String {
    if point.eligible { amount.grouped() } else { "—".into() }
}

fn pick(lang: Lang, zh: &str, en: &str) -> String {
    lang.pick(zh, en, " ")
}

/// The projection as text: what it starts from, its assumptions, the table of
/// retirement months, then the notices and the confidence of what it rests on.
fn render(p: &Projection, every: u32, wide: bool, lang: Lang) -> String {
    let mut out = String::new();
    let scheme = match p.scheme {
        Scheme::Employee => pick(lang, "企业职工基本养老金测算", "Employee basic pension projection"),
        Scheme::Resident => pick(lang, "城乡居民基本养老金测算", "Residents' basic pension projection"),
    };
    out.push_str(&format!("{scheme}: {}\n", p.person));
    match p.window {
        Some((earliest, latest)) => out.push_str(&format!(
            "{} {} · {} {earliest} – {latest}\n",
            pick(lang, "法定退休时间", "Statutory retirement"),
            p.statutory_month,
            pick(lang, "弹性退休区间", "elastic window"),
        )),
        None => out.push_str(&format!("{} {}\n", pick(lang, "领取起始", "Pension from"), p.statutory_month)),
    }
    let r = &p.record;
    let balance = r.account_balance.map_or_else(|| pick(lang, "未知", "unknown"), |m| m.grouped());
    out.push_str(&format!(
        "{} {}: {} {} · {} {balance}\n\n",
        pick(lang, "记录截至", "Record to"),
        r.from.plus(-1),
        pick(lang, "缴费月数", "months"),
        r.contribution_months,
        pick(lang, "个人账户", "account"),
    ));
    let mut t = table::new(
        vec![pick(lang, "假设", "Assumption"), pick(lang, "取值", "Value"), pick(lang, "来源", "Source")],
        1,
    );
    for a in &p.assumptions {
        let source = if a.source == "given" { pick(lang, "给定", "given") } else { pick(lang, "默认", "default") };
        t.add_row(vec![lang.pick(&a.label.zh, &a.label.en, "\n"), a.value.clone(), source]);
    }
    out.push_str(&format!("{t}\n\n"));
    // Each column: its heading (zh, en; the table stacks them), whether only `--wide` shows it,
    // and the point's cell. The default fits a terminal of 100 columns.
    type Cell = fn(&Point) -> String;
    let to_age = format!("累计至{}岁", p.to_age);
    let to_age_en = format!("Total to\nage {}", p.to_age);
    let any_transitional = p.points.iter().any(|pt| !pt.transitional.is_zero());
    let columns: Vec<(&str, &str, bool, Cell)> = vec![
        ("缴费月数", "Months", true, |pt| pt.contribution_months.to_string()),
        ("平均指数", "Index", true, |pt| pt.average_index.map_or_else(String::new, |d| format!("{d:.4}"))),
        ("账户储存额", "Account\nbalance", true, |pt| pt.account_balance.grouped()),
        ("基础养老金", "Basic", false, |pt| eligible(pt, pt.basic)),
        ("个人账户养老金", "Account\npension", false, |pt| eligible(pt, pt.account)),
        ("过渡性", "Transitional", !any_transitional, |pt| eligible(pt, pt.transitional)),
        ("月养老金", "Monthly", false, |pt| eligible(pt, pt.monthly)),
        ("今日购买力", "Today's\nmoney", false, |pt| eligible(pt, pt.monthly_today)),
        (&to_age, &to_age_en, false, |pt| eligible(pt, pt.cumulative)),
        ("今日购买力", "Today's\nmoney", true, |pt| eligible(pt, pt.cumulative_today)),
    ];
    let shown: Vec<_> = columns.into_iter().filter(|c| wide || !c.2).collect();
    let mut headers = vec![lang.pick("退休时间", "Retires", "\n"), lang.pick("年龄", "Age", "\n")];
    headers.extend(shown.iter().map(|(zh, en, ..)| lang.pick(zh, en, "\n")));
    let mut t = table::new(headers, 2);
    for (i, point) in p.points.iter().enumerate() {
        if !point.statutory && i % every as usize != 0 && i + 1 != p.points.len() {
            continue;
        }
        // In both languages the mark goes under the month, so that the table keeps to 100 columns.
        let gap = if lang == Lang::Both { "\n" } else { " " };
        let mark =
            if point.statutory { format!("{gap}★{}", pick(lang, "法定", "statutory")) } else { String::new() };
        let mut row =
            vec![format!("{}{mark}", point.retirement_month), format!("{}y{}m", point.age.years, point.age.months)];
        row.extend(shown.iter().map(|(.., cell)| cell(point)));
        t.add_row(row);
    }
    out.push_str(&format!("{t}\n"));
    if p.points.iter().any(|pt| !pt.eligible) {
        out.push_str(&format!(
            "— {}\n",
            pick(lang, "未达按月领取的最低缴费年限", "short of the minimum contribution for a monthly pension")
        ));
    }
    for n in &p.notices {
        out.push_str(&format!("⚠ {}\n", lang.pick(&n.zh, &n.en, "\n  ")));
    }
    if !p.uncertain.is_empty() {
        let head = lang.pick(
            "以下参数取值尚未经官方原文核实，结果依赖于它们：",
            "these figures rest on values not confirmed by the official text:",
            "\n  ",
        );
        out.push_str(&format!("ⓘ {head}\n"));
        for u in &p.uncertain {
            out.push_str(&format!("    {} ({}, {}, {})\n", u.parameter, u.from, u.confidence, u.document));
        }
    }
    out
}
