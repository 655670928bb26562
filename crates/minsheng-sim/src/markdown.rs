//! The report as Markdown, in Chinese and English.

use std::fmt::Write;

use crate::report::Report;

fn num(v: f64) -> String {
    let s = format!("{:.2}", v.abs());
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{}{grouped}.{frac}", if v < 0.0 { "-" } else { "" })
}

/// Renders the report.
pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# minsheng population run 人口模拟 · {}\n", r.year);
    let _ = writeln!(
        out,
        "Sample 样本: {} households, {} persons, standing for {} persons (seed {}). Scenarios 方案: {}. {:.1} s on {} threads.\n",
        r.households_sampled,
        r.persons_sampled,
        num(r.persons_represented),
        r.seed,
        r.scenarios.join(", "),
        r.seconds,
        r.threads
    );
    let _ = writeln!(out, "## Budget by programme 各项目收支（亿元）\n");
    let mut header = "| programme 项目 | revenue? |".to_string();
    for s in &r.scenarios {
        let _ = write!(header, " {s} |");
    }
    for s in r.scenarios.iter().skip(1) {
        let _ = write!(header, " Δ {s} |");
    }
    let _ = writeln!(out, "{header}\n|{}", "---|".repeat(2 + r.scenarios.len() * 2 - 1));
    for b in &r.budget {
        let mut row = format!(
            "| {} {} | {} |",
            b.programme_zh,
            b.programme_en,
            if b.revenue { "revenue 收入" } else { "spending 支出" }
        );
        for v in &b.totals_yi {
            let _ = write!(row, " {} |", num(*v));
        }
        for v in &b.changes_yi {
            let _ = write!(row, " {} |", num(*v));
        }
        let _ = writeln!(out, "{row}");
    }
    for (s, v) in r.scenarios.iter().skip(1).zip(&r.net_budget_change_yi) {
        let _ = writeln!(out, "\nNet budget effect of `{s}` 净财政影响: **{}** 亿元 (revenue less spending).", num(*v));
    }
    if r.scenarios.len() > 1 {
        let _ = writeln!(out, "\n## Change by income decile 按收入十等分组的变化\n");
        let _ = writeln!(
            out,
            "| decile 组 | income per person 人均可支配收入 | Δ per person 人均变化 | winners 受益 | losers 受损 |\n|---|---|---|---|---|"
        );
        for d in &r.deciles {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.1}% | {:.1}% |",
                d.decile,
                num(d.mean_income_per_person),
                num(d.mean_change_per_person[0]),
                d.winners_share[0] * 100.0,
                d.losers_share[0] * 100.0
            );
        }
    }
    let _ = writeln!(out, "\n## Poverty and inequality 贫困与不平等\n");
    let _ = writeln!(
        out,
        "| scenario 方案 | below 低保 line 低于低保线 | below half the median 低于中位数一半 | Gini 基尼系数 |\n|---|---|---|---|"
    );
    for d in &r.distribution {
        let dibao = d.below_dibao_line.map_or("not assessed 未评估".to_string(), num);
        let _ = writeln!(out, "| {} | {} | {} | {:.4} |", d.scenario, dibao, num(d.below_relative_line), d.gini);
    }
    let _ = writeln!(
        out,
        "\n## Income tax payers 个税纳税人\n\n| scenario 方案 | taxpayers 纳税人 | paying less 减税 | paying more 增税 |\n|---|---|---|---|"
    );
    let change = |v: Option<f64>| v.map_or("—".to_string(), num);
    for t in &r.taxpayers {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            t.scenario,
            num(t.taxpayers),
            change(t.paying_less),
            change(t.paying_more)
        );
    }
    let _ = writeln!(
        out,
        "\n## Calibration 校准\n\n| margin 指标 | target 目标 | achieved 实现 | gap 差距 | source 来源 |\n|---|---|---|---|---|"
    );
    for c in &r.calibration {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {:+.2}% | {} |",
            c.name,
            num(c.target),
            num(c.achieved),
            c.gap_percent,
            c.source
        );
    }
    let _ = writeln!(
        out,
        "\n## Validation 验证（simulated against official 模拟值与官方数据）\n\n| item 项目 | unit 单位 | simulated 模拟 | official 官方 | gap 差距 | source 来源 |\n|---|---|---|---|---|---|"
    );
    for v in &r.validation {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {:+.1}% | {} |",
            v.item,
            v.unit,
            num(v.simulated),
            num(v.official),
            v.gap_percent,
            v.source
        );
    }
    let _ = writeln!(
        out,
        "\nThe gaps are reported as they are. The synthetic population models wages, pensions and benefits; business, property and transfer income other than pensions is not modelled, so disposable income and the tax base fall short of the survey aggregates."
    );
    out
}
