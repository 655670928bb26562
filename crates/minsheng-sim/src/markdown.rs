//! The report as Markdown, in Chinese and English.

use std::fmt::Write;

use crate::report::Report;

fn num(v: f64) -> String {
    num_to(v, 2)
}

/// `v` with thousands grouped and `decimals` decimals.
fn num_to(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let point = if frac.is_empty() { "" } else { "." };
    format!("{}{grouped}{point}{frac}", if v < 0.0 { "-" } else { "" })
}

/// Writes a section: its heading, then a table of `header` and `rows`.
fn section<S: AsRef<str>>(out: &mut String, heading: &str, header: &[S], rows: impl IntoIterator<Item = Vec<String>>) {
    let header: Vec<&str> = header.iter().map(AsRef::as_ref).collect();
    let _ = writeln!(out, "\n## {heading}\n\n| {} |\n|{}", header.join(" | "), "---|".repeat(header.len()));
    for row in rows {
        let _ = writeln!(out, "| {} |", row.join(" | "));
    }
}

/// Renders the report.
pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# minsheng population run 人口模拟 · {}\n", r.year);
    let _ = writeln!(
        out,
        "Sample 样本: {} households, {} persons, standing for {} persons (seed {}). Scenarios 方案: {}. {:.1} s on {} threads.",
        r.households_sampled,
        r.persons_sampled,
        num(r.persons_represented),
        r.seed,
        r.scenarios.join(", "),
        r.seconds,
        r.threads
    );
    let _ = writeln!(
        out,
        "Computed by the year kernel 年度核算内核: {} of {} households.{}\n",
        r.households_by_kernel,
        r.households_sampled,
        r.kernel_refused.as_ref().map_or(String::new(), |why| format!(" The formulas computed all: {why}."))
    );
    for o in &r.reforms_outside_year {
        let _ = writeln!(out, "**Note 注意:** {}\n", outside_year(o, r.year));
    }
    if let Some(line) = imputed_line(r) {
        let _ = writeln!(out, "{line}.\n");
    }
    if let Some(how) = &r.projected {
        let _ = writeln!(
            out,
            "**Projection 预测年度:** the targets are {how} (L); no official figure exists to validate against. \
             The law as last known, carried forward 沿用最新已知政策, where the rule book does not know the year:\n"
        );
        for c in &r.law_carried_forward {
            let _ = writeln!(out, "- {}", c.line());
        }
        let _ = writeln!(out);
    }
    if let Some(line) = &r.dibao_standards_assumed {
        let _ = writeln!(
            out,
            "**Note 注意:** {line}. A reform of the national average standards does not reach this year.\n"
        );
    }
    let mut header = vec!["programme 项目".to_string(), "revenue?".to_string()];
    header.extend(r.scenarios.iter().cloned());
    header.extend(r.scenarios.iter().skip(1).map(|s| format!("Δ {s}")));
    let rows = r.budget.iter().map(|b| {
        let kind = if b.revenue { "revenue 收入" } else { "spending 支出" };
        let mut row = vec![format!("{} {}", b.programme_zh, b.programme_en), kind.to_string()];
        let totals = b.totals_yi.iter().enumerate().map(|(i, v)| (*v, nth(&b.totals_se_yi, i)));
        let changes = b.changes_yi.iter().enumerate().map(|(i, v)| (*v, nth(&b.changes_se_yi, i)));
        row.extend(
            totals.chain(changes).map(|(v, se)| b.status.shown().map_or_else(|| with_error(v, se, 2), String::from)),
        );
        row
    });
    section(&mut out, "Budget by programme 各项目收支（亿元）", &header, rows);
    for (i, (s, v)) in r.scenarios.iter().skip(1).zip(&r.net_budget_change_yi).enumerate() {
        let shown = with_error(*v, nth(&r.net_budget_change_se_yi, i), 2);
        let _ = writeln!(out, "\nNet budget effect of `{s}` 净财政影响: **{shown}** 亿元 (revenue less spending).");
    }
    if let Some(m) = &r.sampling {
        let _ = writeln!(
            out,
            "\n± one standard error 标准误 ({}); each figure is rounded to what its error supports.",
            m.note
        );
    }
    if r.scenarios.len() > 1 {
        let rows = r.deciles.iter().map(|d| {
            vec![
                d.decile.to_string(),
                num(d.mean_income_per_person),
                with_error(d.mean_change_per_person[0], nth(&d.mean_change_se, 0), 2),
                percent(d.winners_share[0], nth(&d.winners_share_se, 0)),
                percent(d.losers_share[0], nth(&d.losers_share_se, 0)),
            ]
        });
        let header =
            ["decile 组", "income per person 人均可支配收入", "Δ per person 人均变化", "winners 受益", "losers 受损"];
        section(&mut out, &format!("Change by income decile 按收入十等分组的变化 ({})", r.scenarios[1]), &header, rows);
    }
    let rows = r.distribution.iter().map(|d| {
        vec![
            d.scenario.clone(),
            d.below_dibao_line
                .map_or("not assessed 未评估".to_string(), |v| with_error(v, d.below_dibao_line_se, 0)),
            with_error(d.below_relative_line, d.below_relative_line_se, 0),
            with_error(d.gini, d.gini_se, 4),
        ]
    });
    let header =
        ["scenario 方案", "below 低保 line 低于低保线", "below half the median 低于中位数一半", "Gini 基尼系数"];
    section(&mut out, "Poverty and inequality 贫困与不平等", &header, rows);
    let change = |v: Option<f64>, se: Option<f64>| v.map_or("—".to_string(), |v| with_error(v, se, 0));
    let rows = r.taxpayers.iter().map(|t| {
        vec![
            t.scenario.clone(),
            with_error(t.taxpayers, t.taxpayers_se, 0),
            change(t.paying_less, t.paying_less_se),
            change(t.paying_more, t.paying_more_se),
        ]
    });
    let header = ["scenario 方案", "taxpayers 纳税人", "paying less 减税", "paying more 增税"];
    section(&mut out, "Income tax payers 个税纳税人", &header, rows);
    let rows = r.calibration.iter().map(|c| {
        vec![
            c.name.to_string(),
            num(c.target),
            num(c.achieved),
            format!("{:+.2}%", c.gap_percent),
            c.method.label().to_string(),
            c.source.clone(),
        ]
    });
    let header = ["margin 指标", "target 目标", "achieved 实现", "gap 差距", "met by 方法", "source 来源"];
    section(&mut out, "Calibration 校准", &header, rows);
    let rows = r.validation.iter().map(|v| {
        vec![
            v.item.clone(),
            v.unit.clone(),
            with_error(v.simulated, v.simulated_se, v.decimals()),
            num_to(v.official, v.decimals()),
            format!("{:+.1}%", v.gap_percent),
            format!("{} {}", v.band, if v.within_band { "✓" } else { "✗" }),
            v.source.clone(),
        ]
    });
    let header = ["item 项目", "unit 单位", "simulated 模拟", "official 官方", "gap 差距", "band 容差", "source 来源"];
    section(&mut out, "Validation 验证（simulated against official 模拟值与官方数据）", &header, rows);
    let outside: Vec<&crate::report::ValidationRow> = r.validation.iter().filter(|v| !v.within_band).collect();
    if !outside.is_empty() {
        let _ = writeln!(out, "\nOutside the band, and why 超出容差的原因:\n");
        for v in outside {
            let _ =
                writeln!(out, "- **{}** ({:+.1}%): {}", v.item, v.gap_percent, v.explanation.as_deref().unwrap_or(""));
        }
    }
    let _ = writeln!(
        out,
        "\nThe gaps are reported as they are. The rules compute wages, farm, business and informal earnings, property \
         income, pensions and benefits, taxes and contributions; medical reimbursements, transfers between households \
         (support from family members living elsewhere) and local subsidies they do not, so {}",
        if r.imputed_transfers_per_person.is_some() {
            "they are imputed to meet NBS's quintiles, and the net transfers row compares what that implies with NBS's."
        } else {
            "net transfers, disposable income and above all the low quintile fall short of the survey."
        }
    );
    out
}

/// The `i`-th standard error, where estimated.
fn nth(errors: &Option<Vec<f64>>, i: usize) -> Option<f64> {
    errors.as_ref().and_then(|e| e.get(i).copied())
}

/// A figure and its standard error, grouped by thousands and rounded to what the error supports.
fn with_error(value: f64, error: Option<f64>, max_decimals: usize) -> String {
    match crate::sampling::rounded(value, error, max_decimals) {
        (v, Some(e), d) => format!("{} ±{}", num_to(v, d), num_to(e, d)),
        (v, None, d) => num_to(v, d),
    }
}

/// A share as a percentage with its standard error.
fn percent(share: f64, error: Option<f64>) -> String {
    format!("{}%", with_error(share * 100.0, error.map(|e| e * 100.0), 1))
}

/// The line that says how much the run imputes, if anything.
pub fn imputed_line(r: &Report) -> Option<String> {
    r.imputed_transfers_per_person.map(|yuan| {
        format!(
            "imputed transfers 估算的未模拟转移净收入: {yuan:.0} yuan a person, fitted so that the five income quintiles \
             are NBS's (medical reimbursements, transfers between households, local subsidies: counted by NBS, not \
             computed by the rules); the same in every scenario; --no-imputed-transfers leaves them out"
        )
    })
}

/// Why a reform changes nothing in the year run, and what to do.
pub fn outside_year(o: &crate::report::OutsideYear, year: i32) -> String {
    let years: Vec<String> = o.years_changed.iter().map(i32::to_string).collect();
    let hint = match o.years_changed.first() {
        Some(first) => format!("it changes parameters in {}: run it with --year {first}", years.join(", ")),
        None => "it changes no parameter in force in any year".to_string(),
    };
    format!(
        "`{}` changes no parameter in force in {year}, so it changes nothing in this run (本年度无参数变化); {hint}",
        o.reform
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands_to_the_decimals_asked() {
        assert_eq!(num(1_234_567.891), "1,234,567.89");
        assert_eq!(num(-999.5), "-999.50");
        assert_eq!(num_to(0.46534, 3), "0.465");
        assert_eq!(num_to(-1234.4, 0), "-1,234");
    }
}
