//! The report of a population run: calibration, budget by programme, the
//! distribution of gains and losses, poverty and inequality, and a validation
//! table against official aggregates, each gap stated.

use crate::calibrate::Margin;
use crate::run::{HouseholdResult, Programme};
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

/// The weighted median of values with weights.
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

/// Builds the report from the run's results.
#[allow(clippy::too_many_arguments)]
pub fn build(
    year: i32,
    seed: u64,
    scenarios: &[String],
    results: &[HouseholdResult],
    margins: &[(Margin, f64)],
    t: &YearTargets,
    dibao_assessed: bool,
    seconds: f64,
    threads: usize,
) -> Report {
    let yi = 1e8;
    let persons_w = |r: &HouseholdResult| r.weight * f64::from(r.size);
    let per_person = |r: &HouseholdResult, s: usize| r.outcomes[s].disposable as f64 / 100.0 / f64::from(r.size.max(1));

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
            let totals: Vec<f64> = (0..scenarios.len())
                .map(|s| {
                    results.iter().map(|r| r.weight * r.outcomes[s].programmes[i] as f64 / 100.0).sum::<f64>() / yi
                })
                .collect();
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

    // Deciles of persons by baseline disposable income per person.
    let mut order: Vec<usize> = (0..results.len()).collect();
    order.sort_by(|&a, &b| per_person(&results[a], 0).total_cmp(&per_person(&results[b], 0)));
    let total_persons: f64 = results.iter().map(persons_w).sum();
    let reforms = scenarios.len().saturating_sub(1);
    let mut deciles: Vec<DecileRow> = (1..=10)
        .map(|d| DecileRow {
            decile: d,
            mean_income_per_person: 0.0,
            mean_change_per_person: vec![0.0; reforms],
            winners_share: vec![0.0; reforms],
            losers_share: vec![0.0; reforms],
        })
        .collect();
    let mut decile_weight = [0.0f64; 10];
    let mut acc = 0.0;
    for &i in &order {
        let r = &results[i];
        let w = persons_w(r);
        let d = (((acc + w / 2.0) / total_persons.max(1.0)) * 10.0).floor().clamp(0.0, 9.0) as usize;
        acc += w;
        decile_weight[d] += w;
        let row = &mut deciles[d];
        row.mean_income_per_person += w * per_person(r, 0);
        for s in 0..reforms {
            let change = per_person(r, s + 1) - per_person(r, 0);
            row.mean_change_per_person[s] += w * change;
            if change > 1.0 {
                row.winners_share[s] += w;
            } else if change < -1.0 {
                row.losers_share[s] += w;
            }
        }
    }
    for (row, w) in deciles.iter_mut().zip(decile_weight) {
        if w > 0.0 {
            row.mean_income_per_person /= w;
            row.mean_change_per_person.iter_mut().for_each(|v| *v /= w);
            row.winners_share.iter_mut().for_each(|v| *v /= w);
            row.losers_share.iter_mut().for_each(|v| *v /= w);
        }
    }

    let baseline_points: Vec<(f64, f64)> = results.iter().map(|r| (per_person(r, 0), persons_w(r))).collect();
    let relative_line = median(baseline_points) / 2.0;
    let distribution = scenarios
        .iter()
        .enumerate()
        .map(|(s, name)| {
            let points: Vec<(f64, f64)> = results.iter().map(|r| (per_person(r, s), persons_w(r))).collect();
            Distribution {
                scenario: name.clone(),
                below_dibao_line: dibao_assessed.then(|| {
                    results
                        .iter()
                        .filter(|r| r.dibao_line.is_some_and(|line| per_person(r, s) < line as f64 / 100.0))
                        .map(persons_w)
                        .sum()
                }),
                below_relative_line: points.iter().filter(|(x, _)| *x < relative_line).map(|(_, w)| w).sum(),
                gini: gini(points),
            }
        })
        .collect();

    let sum = |f: &dyn Fn(&HouseholdResult) -> f64| results.iter().map(|r| r.weight * f(r)).sum::<f64>();
    let iit = sum(&|r| r.outcomes[0].programmes[0] as f64 / 100.0) / yi;
    let payers = sum(&|r| f64::from(r.outcomes[0].taxpayers)) / 1e4;
    let mean_income = sum(&|r| r.outcomes[0].disposable as f64 / 100.0) / total_persons.max(1.0);
    let dibao_persons = sum(&|r| f64::from(r.outcomes[0].dibao_members)) / 1e4;
    let pension_spending = sum(&|r| r.outcomes[0].programmes[3] as f64 / 100.0) / yi;
    let official_pension = t.employee_retirees_wan.value * 1e4 * t.average_employee_pension.value * 12.0 / yi;
    let src = |f: &crate::targets::Figure| format!("{} [{}]", f.source, f.confidence);
    let mut validation = vec![
        ValidationRow {
            item: "IIT revenue 个人所得税收入".into(),
            unit: "亿元".into(),
            simulated: iit,
            official: t.iit_revenue_yi.value,
            gap_percent: gap(iit, t.iit_revenue_yi.value),
            source: src(&t.iit_revenue_yi),
        },
        ValidationRow {
            item: "IIT payers 个税纳税人数".into(),
            unit: "万人".into(),
            simulated: payers,
            official: 6400.0,
            gap_percent: gap(payers, 6400.0),
            source: "MOF estimate after the 2018 reform, about 64 million (The Economist, Dec 2018) [M]".into(),
        },
        ValidationRow {
            item: "Disposable income per person 人均可支配收入".into(),
            unit: "元".into(),
            simulated: mean_income,
            official: t.disposable_income_mean.value,
            gap_percent: gap(mean_income, t.disposable_income_mean.value),
            source: src(&t.disposable_income_mean),
        },
        ValidationRow {
            item: "Gini 基尼系数".into(),
            unit: "".into(),
            simulated: gini(results.iter().map(|r| (per_person(r, 0), persons_w(r))).collect()),
            official: t.gini.value,
            gap_percent: 0.0,
            source: src(&t.gini),
        },
        ValidationRow {
            item: "Employee pension spending 职工养老金支出".into(),
            unit: "亿元".into(),
            simulated: pension_spending,
            official: official_pension,
            gap_percent: gap(pension_spending, official_pension),
            source: format!(
                "retirees × average pension × 12: {} and {}",
                src(&t.employee_retirees_wan),
                src(&t.average_employee_pension)
            ),
        },
    ];
    if let Some(v) = validation.get_mut(3) {
        v.gap_percent = gap(v.simulated, v.official);
    }
    if dibao_assessed {
        validation.push(ValidationRow {
            item: "低保 recipients 低保人数".into(),
            unit: "万人".into(),
            simulated: dibao_persons,
            official: t.dibao_recipients_wan.value,
            gap_percent: gap(dibao_persons, t.dibao_recipients_wan.value),
            source: src(&t.dibao_recipients_wan),
        });
    }

    Report {
        year,
        seed,
        households_sampled: results.len(),
        persons_sampled: results.iter().map(|r| u64::from(r.size)).sum(),
        persons_represented: total_persons,
        scenarios: scenarios.to_vec(),
        dibao_assessed,
        calibration,
        budget,
        net_budget_change_yi,
        deciles,
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
