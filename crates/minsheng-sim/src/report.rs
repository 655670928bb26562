//! The report of a population run: calibration, budget by programme, the
//! distribution of gains and losses, poverty and inequality, and a validation
//! table against official aggregates, each gap stated.

use crate::aggregate::{Aggregates, points};
use crate::calibrate::Margin;
use crate::run::Programme;
use crate::targets::YearTargets;

/// A calibration margin: target, achieved, gap.
#[derive(Clone, Debug, serde::Serialize)]
pub struct CalibrationRow {
    pub name: String,
    pub target: f64,
    pub achieved: f64,
    pub gap_percent: f64,
    pub source: String,
}

/// A programme's totals (亿元, 10^8 yuan) by scenario and changes from the baseline.
#[derive(Clone, Debug, serde::Serialize)]
pub struct BudgetRow {
    pub programme_zh: String,
    pub programme_en: String,
    pub revenue: bool,
    pub totals_yi: Vec<f64>,
    pub changes_yi: Vec<f64>,
}

/// One income decile (persons ranked by baseline household disposable income per person).
#[derive(Clone, Debug, serde::Serialize)]
pub struct DecileRow {
    pub decile: usize,
    pub mean_income_per_person: f64,
    /// Per reform: mean change of disposable income per person (yuan a year).
    pub mean_change_per_person: Vec<f64>,
    /// Per reform: share of the decile's persons who gain more than 1 yuan.
    pub winners_share: Vec<f64>,
    /// Per reform: share who lose more than 1 yuan.
    pub losers_share: Vec<f64>,
}

/// Poverty and inequality under one scenario.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Distribution {
    pub scenario: String,
    /// Persons in households whose disposable income per person is below the 低保 line (where known).
    pub below_dibao_line: Option<f64>,
    /// Persons below half the baseline median disposable income per person.
    pub below_relative_line: f64,
    pub gini: f64,
}

/// Simulated against official aggregates.
#[derive(Clone, Debug, serde::Serialize)]
pub struct ValidationRow {
    pub item: String,
    pub unit: String,
    pub simulated: f64,
    pub official: f64,
    pub gap_percent: f64,
    pub source: String,
}

/// The whole report.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Report {
    pub year: i32,
    pub seed: u64,
    pub households_sampled: usize,
    pub persons_sampled: u64,
    pub persons_represented: f64,
    pub scenarios: Vec<String>,
    pub dibao_assessed: bool,
    pub calibration: Vec<CalibrationRow>,
    pub budget: Vec<BudgetRow>,
    /// Per reform: change of the net budget balance (revenue less spending), 亿元.
    pub net_budget_change_yi: Vec<f64>,
    pub deciles: Vec<DecileRow>,
    pub distribution: Vec<Distribution>,
    pub validation: Vec<ValidationRow>,
    pub seconds: f64,
    pub threads: usize,
}

fn gap(simulated: f64, official: f64) -> f64 {
    if official == 0.0 { 0.0 } else { (simulated - official) / official * 100.0 }
}

/// Weighted Gini of values with person weights.
pub fn gini(mut points: Vec<(f64, f64)>) -> f64 {
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total_w: f64 = points.iter().map(|p| p.1).sum();
    let total_x: f64 = points.iter().map(|p| p.0 * p.1).sum();
    if total_w <= 0.0 || total_x == 0.0 {
        return 0.0;
    }
    let (mut cum_w, mut cum_x, mut area) = (0.0, 0.0, 0.0);
    for (x, w) in points {
        let next_x = cum_x + x * w;
        area += w / total_w * (cum_x + next_x) / total_x;
        cum_w += w;
        cum_x = next_x;
    }
    let _ = cum_w;
    1.0 - area
}

/// The weighted median of points (value, weight).
fn median(mut points: Vec<(f64, f64)>) -> f64 {
    points.sort_by(|a, b| a.0.total_cmp(&b.0));
    let half = points.iter().map(|p| p.1).sum::<f64>() / 2.0;
    let mut acc = 0.0;
    for (x, w) in &points {
        acc += w;
        if acc >= half {
            return *x;
        }
    }
    0.0
}

/// Deciles of persons by baseline income, read off the baseline histogram;
/// a bin that straddles a decile boundary is shared in proportion.
fn deciles(a: &Aggregates) -> Vec<DecileRow> {
    let reforms = a.scenarios.saturating_sub(1);
    let mut rows: Vec<DecileRow> = (1..=10)
        .map(|d| DecileRow {
            decile: d,
            mean_income_per_person: 0.0,
            mean_change_per_person: vec![0.0; reforms],
            winners_share: vec![0.0; reforms],
            losers_share: vec![0.0; reforms],
        })
        .collect();
    let total: f64 = a.histograms[0].iter().map(|b| b.persons).sum();
    if total <= 0.0 {
        return rows;
    }
    let mut weights = [0.0f64; 10];
    let mut cum = 0.0;
    for (i, b) in a.histograms[0].iter().enumerate() {
        if b.persons <= 0.0 {
            continue;
        }
        let (start, end) = (cum, cum + b.persons);
        cum = end;
        for (d, row) in rows.iter_mut().enumerate() {
            let (lo, hi) = (total * d as f64 / 10.0, total * (d + 1) as f64 / 10.0);
            let overlap = (end.min(hi) - start.max(lo)).max(0.0);
            if overlap <= 0.0 {
                continue;
            }
            let f = overlap / b.persons;
            weights[d] += overlap;
            row.mean_income_per_person += f * b.income;
            for r in 0..reforms {
                row.mean_change_per_person[r] += f * a.changes[r][i];
                row.winners_share[r] += f * a.winners[r][i];
                row.losers_share[r] += f * a.losers[r][i];
            }
        }
    }
    for (row, w) in rows.iter_mut().zip(weights) {
        if w > 0.0 {
            row.mean_income_per_person /= w;
            row.mean_change_per_person.iter_mut().for_each(|v| *v /= w);
            row.winners_share.iter_mut().for_each(|v| *v /= w);
            row.losers_share.iter_mut().for_each(|v| *v /= w);
        }
    }
    rows
}

/// Builds the report from the run's aggregates.
#[allow(clippy::too_many_arguments)]
pub fn build(
    year: i32,
    seed: u64,
    scenarios: &[String],
    a: &Aggregates,
    margins: &[(Margin, f64)],
    t: &YearTargets,
    dibao_assessed: bool,
    seconds: f64,
    threads: usize,
) -> Report {
    let yi = 1e8;
    let calibration = margins
        .iter()
        .map(|(m, achieved)| CalibrationRow {
            name: m.name.to_string(),
            target: m.target,
            achieved: *achieved,
            gap_percent: gap(*achieved, m.target),
            source: m.source.clone(),
        })
        .collect();
    let budget: Vec<BudgetRow> = Programme::ALL
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let totals: Vec<f64> = (0..scenarios.len()).map(|s| a.programmes[s][i] / yi).collect();
            let changes = totals.iter().skip(1).map(|v| v - totals[0]).collect();
            BudgetRow {
                programme_zh: p.label().0.into(),
                programme_en: p.label().1.into(),
                revenue: p.is_revenue(),
                totals_yi: totals,
                changes_yi: changes,
            }
        })
        .collect();
    let net_budget_change_yi = (1..scenarios.len())
        .map(|s| budget.iter().map(|b| if b.revenue { b.changes_yi[s - 1] } else { -b.changes_yi[s - 1] }).sum())
        .collect();
    let relative_line = median(points(&a.histograms[0])) / 2.0;
    let distribution = scenarios
        .iter()
        .enumerate()
        .map(|(s, name)| {
            let pts = points(&a.histograms[s]);
            Distribution {
                scenario: name.clone(),
                below_dibao_line: dibao_assessed.then_some(a.below_dibao_line[s]),
                below_relative_line: pts.iter().filter(|(x, _)| *x < relative_line).map(|(_, w)| w).sum(),
                gini: gini(pts),
            }
        })
        .collect();
    let src = |f: &crate::targets::Figure| format!("{} [{}]", f.source, f.confidence);
    let iit = a.programmes[0][0] / yi;
    let payers = a.taxpayers[0] / 1e4;
    let mean_income = a.histograms[0].iter().map(|b| b.income).sum::<f64>() / a.persons.max(1.0);
    let pension_spending = a.programmes[0][3] / yi;
    let official_pension = t.employee_retirees_wan.value * 1e4 * t.average_employee_pension.value * 12.0 / yi;
    let simulated_gini = gini(points(&a.histograms[0]));
    let row = |item: &str, unit: &str, simulated: f64, official: f64, source: String| ValidationRow {
        item: item.into(),
        unit: unit.into(),
        simulated,
        official,
        gap_percent: gap(simulated, official),
        source,
    };
    let mut validation = vec![
        row("IIT revenue 个人所得税收入", "亿元", iit, t.iit_revenue_yi.value, src(&t.iit_revenue_yi)),
        row(
            "IIT payers 个税纳税人数",
            "万人",
            payers,
            6400.0,
            "MOF estimate after the 2018 reform, about 64 million (The Economist, Dec 2018) [M]".into(),
        ),
        row(
            "Disposable income per person 人均可支配收入",
            "元",
            mean_income,
            t.disposable_income_mean.value,
            src(&t.disposable_income_mean),
        ),
        row("Gini 基尼系数", "", simulated_gini, t.gini.value, src(&t.gini)),
        row(
            "Employee pension spending 职工养老金支出",
            "亿元",
            pension_spending,
            official_pension,
            format!(
                "retirees × average pension × 12: {} and {}",
                src(&t.employee_retirees_wan),
                src(&t.average_employee_pension)
            ),
        ),
    ];
    if dibao_assessed {
        validation.push(row(
            "低保 recipients 低保人数",
            "万人",
            a.dibao_members[0] / 1e4,
            t.dibao_recipients_wan.value,
            src(&t.dibao_recipients_wan),
        ));
    }
    Report {
        year,
        seed,
        households_sampled: a.households_sampled as usize,
        persons_sampled: a.persons_sampled,
        persons_represented: a.persons,
        scenarios: scenarios.to_vec(),
        dibao_assessed,
        calibration,
        budget,
        net_budget_change_yi,
        deciles: deciles(a),
        distribution,
        validation,
        seconds,
        threads,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gini_of_equal_incomes_is_zero_and_of_one_holder_near_one() {
        assert!(gini(vec![(5.0, 1.0), (5.0, 3.0)]).abs() < 1e-12);
        let g = gini((0..1000).map(|i| (if i == 999 { 1000.0 } else { 0.0 }, 1.0)).collect());
        assert!(g > 0.99, "{g}");
        // Two persons, incomes 1 and 3: Gini = 0.25.
        assert!((gini(vec![(1.0, 1.0), (3.0, 1.0)]) - 0.25).abs() < 1e-12);
    }
}
