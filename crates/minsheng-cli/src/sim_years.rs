//! `minsheng sim --years FROM..TO`: one population run a year, and the budget
//! and each reform's net effect year by year (亿元, each ± its standard
//! error): a table in the terminal; with `--out`, `years.md`, `years.json`
//! (every year's report) and `years.svg` (each reform's net effect by year,
//! or the baseline's revenue and spending).

use std::fmt::Write;

use minsheng_cn::RuleBook;
use minsheng_core::{Lang, ParamSet};
use minsheng_sim::report::{BudgetStatus, Report};
use minsheng_sim::sampling::shown;
use minsheng_sim::{Population, chart};

use crate::error::CliError;
use crate::sim_cmd::SimArgs;
use crate::table;

/// The most years one call runs.
const MOST_YEARS: i32 = 12;

/// The years of `FROM..TO`, checked against what the population covers.
fn years(range: &str) -> Result<Vec<i32>, CliError> {
    let bad = |why: &str| CliError::Input(format!("--years {range}: {why}"));
    let (from, to) = range
        .split_once("..")
        .ok_or_else(|| bad("give FROM..TO, e.g. 2025..2030 请写作 起始年..结束年，如 2025..2030"))?;
    let (from, to): (i32, i32) = (
        from.trim().parse().map_err(|_| bad("FROM is not a year 起始年不是年份"))?,
        to.trim().parse().map_err(|_| bad("TO is not a year 结束年不是年份"))?,
    );
    if to < from || to - from >= MOST_YEARS {
        return Err(bad(&format!(
            "give FROM no later than TO, at most {MOST_YEARS} years 起始年不得晚于结束年，最多 {MOST_YEARS} 年"
        )));
    }
    let covered = minsheng_sim::targets::Targets::builtin().map_err(|e| CliError::Internal(e.to_string()))?;
    if let Some(y) = (from..=to).find(|y| covered.year(*y).is_err()) {
        let available: Vec<String> = covered.years.keys().map(i32::to_string).collect();
        return Err(bad(&format!(
            "no population for {y}; the built-in population covers {} 内置人口无 {y} 年",
            available.join(", ")
        )));
    }
    Ok((from..=to).collect())
}

/// Runs the years of `range` under the baseline and `reforms`.
pub fn run(
    book: &RuleBook,
    args: &SimArgs,
    range: &str,
    reforms: &[(String, ParamSet)],
    lang: Lang,
) -> Result<String, CliError> {
    let years = years(range)?;
    if args.microdata.is_some() || crate::sim_cmd::outputs(args).next().is_some() {
        return Err(CliError::Input(format!(
            "--years {range}: --microdata, --households-out and --persons-out need a single --year 这些选项只能用于单一年度（--year）"
        )));
    }
    let bar =
        if args.json { indicatif::ProgressBar::hidden() } else { indicatif::ProgressBar::new(years.len() as u64) };
    let mut reports = Vec::with_capacity(years.len());
    for &year in &years {
        bar.set_message(format!("{year}"));
        let config = crate::sim_cmd::config(args, year);
        let outcome = minsheng_sim::simulate(book, &config, Population::Synthetic, reforms, &|_| {})
            .map_err(|e| CliError::Internal(e.to_string()))?;
        reports.push(outcome.report);
        bar.inc(1);
    }
    bar.finish_and_clear();
    let json = serde_json::to_string_pretty(&serde_json::json!({ "years": years, "reports": reports }))?;
    let text = tables(&reports, lang);
    if let Some(dir) = &args.out {
        std::fs::create_dir_all(dir).map_err(|e| CliError::Input(format!("{}: {e}", dir.display())))?;
        let svg = chart_of(&reports);
        for (name, content) in [("years.json", json.as_str()), ("years.md", text.as_str()), ("years.svg", svg.as_str())]
        {
            let path = dir.join(name);
            std::fs::write(&path, content).map_err(|e| CliError::Input(format!("{}: {e}", path.display())))?;
        }
    }
    if args.json {
        return Ok(json + "\n");
    }
    let mut out = text;
    if let Some(dir) = &args.out {
        let _ = writeln!(out, "written 已写入 years.json, years.md, years.svg → {}", dir.display());
    }
    Ok(out)
}

/// Years a table shows side by side: three, so that the programme's
/// bilingual name and three `143870 ±670` columns keep to 100 columns.
const YEARS_A_TABLE: usize = 3;

/// The budget and the net effects, a column a year (three years a table).
fn tables(reports: &[Report], lang: Lang) -> String {
    let mut out = String::new();
    let Some(first) = reports.first() else { return out };
    let _ = writeln!(
        out,
        "minsheng sim · {}–{} · each year run alone · 亿元 ± one standard error 标准误",
        first.year,
        reports.last().map_or(first.year, |r| r.year)
    );
    for chunk in reports.chunks(YEARS_A_TABLE) {
        let headers = |first: &str| {
            let mut h = vec![first.to_string()];
            h.extend(chunk.iter().map(|r| {
                if r.projected.is_some() { format!("{} 预测\nprojected", r.year) } else { r.year.to_string() }
            }));
            h
        };
        for (s, reform) in first.scenarios.iter().enumerate().skip(1) {
            let mut t = table::new(headers(&format!("net budget effect 净财政影响\n{reform}")), 1);
            let cells = chunk.iter().map(|r| {
                let se = r.net_budget_change_se_yi.as_ref().and_then(|e| e.get(s - 1).copied());
                r.net_budget_change_yi.get(s - 1).map_or("—".to_string(), |v| shown(*v, se, 2))
            });
            t.add_row(std::iter::once("revenue less spending 收入减支出".to_string()).chain(cells).collect::<Vec<_>>());
            let _ = writeln!(out, "{t}");
        }
        let mut t = table::new(headers("programme 项目 (baseline 现行政策)"), 1);
        for (p, row) in first.budget.iter().enumerate() {
            // Chinese over English, so that three years keep to 100 columns.
            let name = lang.pick(&row.programme_zh, &row.programme_en, "\n");
            let cells = chunk.iter().map(|r| {
                let b = &r.budget[p];
                match b.status {
                    BudgetStatus::Computed => {
                        shown(b.totals_yi[0], b.totals_se_yi.as_ref().and_then(|e| e.first().copied()), 2)
                    }
                    status => status.shown().unwrap_or("").to_string(),
                }
            });
            t.add_row(std::iter::once(name).chain(cells).collect::<Vec<_>>());
        }
        let _ = writeln!(out, "{t}");
    }
    if let Some(how) = reports.iter().find_map(|r| r.projected.as_ref()) {
        let _ = writeln!(
            out,
            "projected years 预测年度: {how}; the law as last known, carried forward (each year's report lists it)"
        );
    }
    out
}

/// Each reform's net effect by year, or, without a reform, the baseline's revenue and spending.
fn chart_of(reports: &[Report]) -> String {
    let years: Vec<String> = reports.iter().map(|r| r.year.to_string()).collect();
    let scenarios = reports.first().map_or(&[][..], |r| r.scenarios.as_slice());
    if scenarios.len() > 1 {
        let series: Vec<(String, Vec<f64>)> = scenarios
            .iter()
            .skip(1)
            .enumerate()
            .map(|(i, name)| {
                (name.clone(), reports.iter().map(|r| r.net_budget_change_yi.get(i).copied().unwrap_or(0.0)).collect())
            })
            .collect();
        // One reform has no legend: its name is the title's last line.
        let title = match series.as_slice() {
            [(name, _)] => format!("{}\n{name}", chart::text::NET_BY_YEAR),
            _ => chart::text::NET_BY_YEAR.to_string(),
        };
        return chart::grouped(&title, chart::text::YI, &years, &series);
    }
    let total = |revenue: bool| -> Vec<f64> {
        reports
            .iter()
            .map(|r| {
                r.budget
                    .iter()
                    .filter(|b| b.revenue == revenue && b.status == BudgetStatus::Computed)
                    .map(|b| b.totals_yi[0])
                    .sum()
            })
            .collect()
    };
    let series =
        vec![(chart::text::REVENUE.to_string(), total(true)), (chart::text::SPENDING.to_string(), total(false))];
    chart::grouped(chart::text::BUDGET_BY_YEAR, chart::text::YI, &years, &series)
}
