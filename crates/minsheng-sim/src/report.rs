//! The report of a population run: calibration, budget by programme, the
//! distribution of gains and losses, poverty and inequality, and a validation
//! table against official aggregates, each gap stated.

use crate::aggregate::{Aggregates, Bin, points};
use crate::calibrate::Margin;
use crate::run::Programme;
use crate::targets::YearTargets;

/// A calibration margin: target, achieved, gap, and how it is met.
#[derive(Clone, Debug, serde::Serialize)]
pub struct CalibrationRow {
    pub name: String,
    pub target: f64,
    pub achieved: f64,
    pub gap_percent: f64,
    pub source: String,
    pub method: Method,
}

/// How the synthetic population meets a calibration target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// By the household weights: exactly, over the households counted.
    Weights,
    /// By a factor on a generated amount: exactly, but for rounding to the fen.
    Factor,
    /// By a take-up rate: in expectation, with the sampling error of the draws.
    TakeUp,
    /// By imputed transfers ([`crate::impute`]): within the error of fitting
    /// on a sample.
    Imputed,
}

impl Method {
    /// The method in both languages.
    pub fn label(self) -> &'static str {
        match self {
            Method::Weights => "weights 权重",
            Method::Factor => "factor 比例系数",
            Method::TakeUp => "take-up 领取率",
            Method::Imputed => "imputed transfers 估算转移",
        }
    }
}

/// A reform whose changes all lie outside the year run.
#[derive(Clone, Debug, serde::Serialize)]
pub struct OutsideYear {
    pub reform: String,
    /// The years of the rule book in which it changes a parameter in force.
    pub years_changed: Vec<i32>,
}

impl CalibrationRow {
    /// A target the population is calibrated to, from its comparison row.
    fn met_by(r: ValidationRow, method: Method) -> CalibrationRow {
        CalibrationRow {
            name: r.item,
            target: r.official,
            achieved: r.simulated,
            gap_percent: r.gap_percent,
            source: r.source,
            method,
        }
    }
}

/// A programme's totals (亿元, 10^8 yuan) by scenario and changes from the baseline.
#[derive(Clone, Debug, serde::Serialize)]
pub struct BudgetRow {
    pub programme_zh: String,
    pub programme_en: String,
    pub revenue: bool,
    /// Whether the totals are computed, or why they are not (then they are 0 and mean nothing).
    pub status: BudgetStatus,
    /// The baseline total is set by calibration (a factor brings it to the
    /// official figure), so it has no sampling error of its own.
    pub calibrated: bool,
    pub totals_yi: Vec<f64>,
    pub changes_yi: Vec<f64>,
    /// The standard errors of the totals and the changes (亿元), where estimated ([`crate::sampling`]).
    pub totals_se_yi: Option<Vec<f64>>,
    pub changes_se_yi: Option<Vec<f64>>,
}

/// Whether a programme's totals are computed for the year's population.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BudgetStatus {
    /// Computed (a zero is a real zero: the programme is not in force, say).
    Computed,
    /// Not assessed this year (低保 where the year's national average standards are not known).
    NotAssessed,
    /// Not in the population: no person of it draws the programme (the
    /// unemployment benefit in a year without a benefit level, or in microdata
    /// without spells).
    NotModelled,
}

impl BudgetStatus {
    /// What a table shows instead of the totals, in Chinese and English; `None` when computed.
    pub fn shown(self) -> Option<&'static str> {
        match self {
            BudgetStatus::Computed => None,
            BudgetStatus::NotAssessed => Some("not assessed 未评估"),
            BudgetStatus::NotModelled => Some("not modelled 未模拟"),
        }
    }
}

/// A parameter carried forward into a projection year.
#[derive(Clone, Debug, serde::Serialize)]
pub struct CarriedLaw {
    pub parameter: String,
    /// The value now in force, as text (`127833.00`).
    pub value: String,
    /// From when to when in the year.
    pub from: String,
    pub until: String,
    /// The day the value carried took effect.
    pub known_since: String,
    /// For an indexed parameter, how it was raised (`+3% a year × 1`).
    pub raised: Option<String>,
}

impl CarriedLaw {
    /// The line a report prints.
    pub fn line(&self) -> String {
        format!(
            "{} = {} ({}..{}), as known since {}{}",
            self.parameter,
            self.value,
            self.from,
            self.until,
            self.known_since,
            self.raised.as_ref().map_or(String::new(), |r| format!(", raised {r}"))
        )
    }
}

/// One income decile (persons ranked by baseline household disposable income per person).
#[derive(Clone, Debug, serde::Serialize)]
pub struct DecileRow {
    pub decile: usize,
    pub mean_income_per_person: f64,
    /// Per reform: mean change of disposable income per person (yuan a year).
    pub mean_change_per_person: Vec<f64>,
    /// Per reform: the mean change as a share of the decile's mean baseline income.
    pub relative_change: Vec<f64>,
    /// Per reform: share of the decile's persons who gain more than 1 yuan.
    pub winners_share: Vec<f64>,
    /// Per reform: share who lose more than 1 yuan.
    pub losers_share: Vec<f64>,
    /// Standard errors of the mean changes, the relative changes and the
    /// winners' and losers' shares, per reform, where estimated.
    pub mean_change_se: Option<Vec<f64>>,
    pub relative_change_se: Option<Vec<f64>>,
    pub winners_share_se: Option<Vec<f64>>,
    pub losers_share_se: Option<Vec<f64>>,
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
    /// Standard errors, where estimated.
    pub below_dibao_line_se: Option<f64>,
    pub below_relative_line_se: Option<f64>,
    pub gini_se: Option<f64>,
}

/// Who pays income tax under one scenario, and whose tax a reform changes.
#[derive(Clone, Debug, serde::Serialize)]
pub struct TaxpayerRow {
    pub scenario: String,
    /// Persons paying some income tax.
    pub taxpayers: f64,
    /// Persons whose tax is more than 1 yuan lower than in the baseline (reforms only).
    pub paying_less: Option<f64>,
    /// Persons whose tax is more than 1 yuan higher than in the baseline (reforms only).
    pub paying_more: Option<f64>,
    /// Standard errors, where estimated.
    pub taxpayers_se: Option<f64>,
    pub paying_less_se: Option<f64>,
    pub paying_more_se: Option<f64>,
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
    /// The simulated figure's standard error, where estimated.
    pub simulated_se: Option<f64>,
    /// The band the simulated figure should fall in to count as validated:
    /// ±10% for amounts, ±15% for counts, ±0.02 for the Gini.
    pub band: String,
    /// Whether it does.
    pub within_band: bool,
    /// For a row outside its band: what is missing and how much it explains,
    /// as measured (`data/china.yaml`, `validation_gaps`), or that it is not explained yet.
    pub explanation: Option<String>,
}

impl ValidationRow {
    /// Decimals to show: three for a ratio without unit (the Gini), two for amounts and counts.
    pub fn decimals(&self) -> usize {
        if self.unit.is_empty() { 3 } else { 2 }
    }
}

/// The whole report.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Report {
    pub year: i32,
    pub seed: u64,
    pub households_sampled: usize,
    /// Of those, the households the year kernel computed (the formulas computed the rest).
    pub households_by_kernel: usize,
    /// Why the year kernel could not stand for the formulas in this run, if so
    /// (the formulas then computed every household).
    pub kernel_refused: Option<String>,
    /// The reforms that change no parameter in force in the year, so that
    /// they change nothing in this run.
    pub reforms_outside_year: Vec<OutsideYear>,
    pub persons_sampled: u64,
    pub persons_represented: f64,
    pub scenarios: Vec<String>,
    pub dibao_assessed: bool,
    /// Where 低保 was assessed at standards the run assumed (the rule book not
    /// knowing the year's national averages): what they are and whence.
    pub dibao_standards_assumed: Option<String>,
    /// A projection year: how its targets were projected from the last year of
    /// data (they are not official, so nothing is validated against them).
    pub projected: Option<String>,
    /// In a projection year, every parameter the rule book does not know for
    /// the year and the run carried forward from the last value it knows.
    pub law_carried_forward: Vec<CarriedLaw>,
    /// The net transfers the rules do not compute, imputed per person (yuan a
    /// year), if the run imputes them ([`crate::impute`]).
    pub imputed_transfers_per_person: Option<f64>,
    pub calibration: Vec<CalibrationRow>,
    pub budget: Vec<BudgetRow>,
    /// Per reform: change of the net budget balance (revenue less spending), 亿元.
    pub net_budget_change_yi: Vec<f64>,
    /// The standard errors of the net budget effects, where estimated.
    pub net_budget_change_se_yi: Option<Vec<f64>>,
    /// How the standard errors were estimated, if they were.
    pub sampling: Option<crate::sampling::Method>,
    pub deciles: Vec<DecileRow>,
    pub distribution: Vec<Distribution>,
    pub taxpayers: Vec<TaxpayerRow>,
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
    let (mut cum_x, mut area) = (0.0, 0.0);
    for (x, w) in points {
        let next_x = cum_x + x * w;
        area += w / total_w * (cum_x + next_x) / total_x;
        cum_x = next_x;
    }
    1.0 - area
}

/// Mean disposable income per person of the five household quintiles (NBS's
/// 五等份: households ranked by income per person, equal numbers of households
/// per group), from a histogram; a bin split between groups is shared in
/// proportion to its households.
pub fn household_quintiles(histogram: &[Bin]) -> [f64; 5] {
    let total: f64 = histogram.iter().map(|b| b.households).sum();
    let mut groups = [(0.0f64, 0.0f64); 5];
    let mut cum = 0.0;
    for b in histogram.iter().filter(|b| b.households > 0.0) {
        let (start, end) = (cum, cum + b.households);
        cum = end;
        for (q, (persons, income)) in groups.iter_mut().enumerate() {
            let (lo, hi) = (total * q as f64 / 5.0, total * (q + 1) as f64 / 5.0);
            let share = (end.min(hi) - start.max(lo)).max(0.0) / b.households;
            *persons += share * b.persons;
            *income += share * b.income;
        }
    }
    groups.map(|(persons, income)| if persons > 0.0 { income / persons } else { 0.0 })
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
            relative_change: vec![0.0; reforms],
            winners_share: vec![0.0; reforms],
            losers_share: vec![0.0; reforms],
            mean_change_se: None,
            relative_change_se: None,
            winners_share_se: None,
            losers_share_se: None,
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
        let income = row.mean_income_per_person;
        row.relative_change =
            row.mean_change_per_person.iter().map(|c| if income > 0.0 { c / income } else { 0.0 }).collect();
    }
    rows
}

/// Employee pension spending in the year (亿元) and its source: the scheme's
/// expenditure where sourced, else what the retirees and the average pension
/// imply.
pub fn pension_spending(t: &YearTargets) -> (f64, String) {
    match &t.employee_pension_spending_yi {
        Some(spent) => (
            spent.value,
            format!(
                "{}; the scheme pays public-sector pensions too, above the enterprise average: {}",
                spent.cite(),
                t.average_employee_pension.cite()
            ),
        ),
        None => (
            t.employee_retirees_wan.value * 1e4 * t.average_employee_pension.value * 12.0 / 1e8,
            format!(
                "derived (the scheme's expenditure is not sourced for the year): retirees × average pension × 12: \
                 {} and {}",
                t.employee_retirees_wan.cite(),
                t.average_employee_pension.cite()
            ),
        ),
    }
}

/// What a run was, beside its aggregates: what the report states of it.
pub struct RunFacts<'a> {
    /// The year.
    pub year: i32,
    /// The seed of the synthetic population.
    pub seed: u64,
    /// The scenarios' names, baseline first.
    pub scenarios: &'a [String],
    /// Whether 低保 was assessed.
    pub dibao_assessed: bool,
    /// Whether the population has persons drawing the unemployment benefit.
    pub unemployment_modelled: bool,
    /// The 低保 standards the run assumed, if it did: their citation.
    pub dibao_standards_assumed: Option<String>,
    /// For a projection year: how its targets were projected, and the law carried forward.
    pub projection: Option<(String, Vec<CarriedLaw>)>,
    /// The amounts the synthetic population was calibrated with (`None`: the user's microdata).
    pub calibrated: Option<&'a crate::generate::Amounts>,
    /// The imputed transfers fitted, if any.
    pub imputation: Option<&'a crate::impute::Imputation>,
    /// How long the run took.
    pub seconds: f64,
    /// Worker threads.
    pub threads: usize,
}

/// 亿元: a hundred million yuan, the unit of budgets.
const YI: f64 = 1e8;

/// Builds the report from the run's aggregates: each table by a step of its own.
pub fn build(run: &RunFacts<'_>, a: &Aggregates, margins: &[(Margin, f64)], t: &YearTargets) -> Report {
    let (budget, net_budget_change_yi) = budget(a, run);
    let median_income = median(points(&a.histograms[0]));
    let mut calibration = margin_rows(margins);
    let mut validation = headline_validation(a, t, median_income);
    let (calibrated_rows, compared_rows) = income_sources(a, t, run);
    calibration.extend(calibrated_rows);
    validation.extend(compared_rows);
    if t.projected.is_some() {
        // A projection's "official" figures are its own projections: nothing to validate against.
        validation.clear();
    }
    Report {
        year: run.year,
        seed: run.seed,
        households_sampled: a.households_sampled as usize,
        households_by_kernel: a.households_by_kernel as usize,
        kernel_refused: None,
        reforms_outside_year: Vec::new(),
        persons_sampled: a.persons_sampled,
        persons_represented: a.persons,
        scenarios: run.scenarios.to_vec(),
        dibao_assessed: run.dibao_assessed,
        dibao_standards_assumed: run.dibao_standards_assumed.clone(),
        projected: run.projection.as_ref().map(|(how, _)| how.clone()),
        law_carried_forward: run.projection.as_ref().map(|(_, c)| c.clone()).unwrap_or_default(),
        imputed_transfers_per_person: run.imputation.map(|_| a.imputed_transfers / a.persons.max(1.0)),
        calibration,
        budget,
        net_budget_change_yi,
        net_budget_change_se_yi: None,
        sampling: None,
        deciles: deciles(a),
        distribution: distribution(a, run.scenarios, run.dibao_assessed, median_income),
        taxpayers: taxpayers(a, run.scenarios),
        validation,
        seconds: run.seconds,
        threads: run.threads,
    }
}

/// The margins the weights meet, as rows of the calibration table.
fn margin_rows(margins: &[(Margin, f64)]) -> Vec<CalibrationRow> {
    margins
        .iter()
        .map(|(m, achieved)| CalibrationRow {
            name: m.count.label(),
            target: m.target,
            achieved: *achieved,
            gap_percent: gap(*achieved, m.target),
            source: m.source.clone(),
            method: Method::Weights,
        })
        .collect()
}

/// The budget by programme under each scenario, and each reform's net effect on it.
fn budget(a: &Aggregates, run: &RunFacts<'_>) -> (Vec<BudgetRow>, Vec<f64>) {
    let scenarios = run.scenarios;
    let budget: Vec<BudgetRow> = Programme::ALL
        .iter()
        .map(|&p| {
            let totals: Vec<f64> = (0..scenarios.len()).map(|s| a.programmes[s][p] / YI).collect();
            let changes = totals.iter().skip(1).map(|v| v - totals[0]).collect();
            let status = match p {
                Programme::Dibao if !run.dibao_assessed => BudgetStatus::NotAssessed,
                Programme::UnemploymentBenefits if !run.unemployment_modelled => BudgetStatus::NotModelled,
                _ => BudgetStatus::Computed,
            };
            BudgetRow {
                calibrated: p == Programme::EmployeePensions && run.calibrated.is_some(),
                programme_zh: p.label().0.into(),
                programme_en: p.label().1.into(),
                revenue: p.is_revenue(),
                status,
                totals_yi: totals,
                changes_yi: changes,
                totals_se_yi: None,
                changes_se_yi: None,
            }
        })
        .collect();
    let net = (1..scenarios.len())
        .map(|s| budget.iter().map(|b| if b.revenue { b.changes_yi[s - 1] } else { -b.changes_yi[s - 1] }).sum())
        .collect();
    (budget, net)
}

/// Poverty and inequality under each scenario, against the baseline's median.
fn distribution(a: &Aggregates, scenarios: &[String], dibao_assessed: bool, median_income: f64) -> Vec<Distribution> {
    let relative_line = median_income / 2.0;
    scenarios
        .iter()
        .enumerate()
        .map(|(s, name)| {
            let pts = points(&a.histograms[s]);
            Distribution {
                scenario: name.clone(),
                below_dibao_line: dibao_assessed.then_some(a.below_dibao_line[s]),
                below_relative_line: pts.iter().filter(|(x, _)| *x < relative_line).map(|(_, w)| w).sum(),
                gini: gini(pts),
                below_dibao_line_se: None,
                below_relative_line_se: None,
                gini_se: None,
            }
        })
        .collect()
}

/// Who pays income tax under each scenario, and who pays less or more under each reform.
fn taxpayers(a: &Aggregates, scenarios: &[String]) -> Vec<TaxpayerRow> {
    scenarios
        .iter()
        .enumerate()
        .map(|(s, name)| TaxpayerRow {
            scenario: name.clone(),
            taxpayers: a.taxpayers[s],
            paying_less: s.checked_sub(1).map(|r| a.tax_changes[r][0]),
            paying_more: s.checked_sub(1).map(|r| a.tax_changes[r][1]),
            taxpayers_se: None,
            paying_less_se: None,
            paying_more_se: None,
        })
        .collect()
}

fn row(item: &str, unit: &str, simulated: f64, official: f64, source: String) -> ValidationRow {
    ValidationRow {
        item: item.into(),
        unit: unit.into(),
        simulated,
        official,
        gap_percent: gap(simulated, official),
        source,
        simulated_se: None,
        band: String::new(),
        within_band: false,
        explanation: None,
    }
}

/// Sets each validation row's band and whether it is within it, and explains
/// the rows outside it from `explained` (by the row's English name, the
/// item's text before its Chinese), or says they are not explained yet.
pub fn judge(rows: &mut [ValidationRow], explained: &std::collections::BTreeMap<String, String>) {
    for v in rows {
        let (band, within) = match v.unit.as_str() {
            "" => ("±0.02".to_string(), (v.simulated - v.official).abs() <= 0.02),
            "万人" => ("±15%".to_string(), v.gap_percent.abs() <= 15.0),
            _ => ("±10%".to_string(), v.gap_percent.abs() <= 10.0),
        };
        (v.band, v.within_band) = (band, within);
        let name = v.item.split(|c: char| !c.is_ascii()).next().unwrap_or(&v.item).trim();
        v.explanation = (!within).then(|| {
            explained
                .get(name)
                .cloned()
                .unwrap_or_else(|| "outside its band, not explained yet 超出容差，尚未解释".into())
        });
    }
}

/// The headline comparisons with official figures: tax, taxpayers, income, the Gini, childcare.
fn headline_validation(a: &Aggregates, t: &YearTargets, median_income: f64) -> Vec<ValidationRow> {
    let iit = a.programmes[0][Programme::IncomeTax] / YI;
    let payers = a.taxpayers[0] / 1e4;
    let mean_income = a.histograms[0].iter().map(|b| b.income).sum::<f64>() / a.persons.max(1.0);
    let simulated_gini = gini(points(&a.histograms[0]));
    let mut validation = vec![
        row(
            "IIT revenue 个人所得税收入",
            "亿元",
            iit,
            t.iit_revenue_yi.value,
            format!(
                "{}; all IIT, including tax on business, capital and property income, which the population lacks",
                t.iit_revenue_yi.cite()
            ),
        ),
        row("IIT payers 个税纳税人数", "万人", payers, t.iit_payers_wan.value, t.iit_payers_wan.cite()),
        row(
            "Disposable income per person 人均可支配收入",
            "元",
            mean_income,
            t.disposable_income_mean.value,
            t.disposable_income_mean.cite(),
        ),
        row(
            "Median disposable income per person 人均可支配收入中位数",
            "元",
            median_income,
            t.disposable_income_median.value,
            format!("{}; persons ranked by their household's income per person", t.disposable_income_median.cite()),
        ),
        row("Gini 基尼系数", "", simulated_gini, t.gini.value, t.gini.cite()),
    ];
    if let Some(childcare) = &t.childcare_subsidy_yi {
        validation.push(row(
            "Childcare subsidy spending 育儿补贴支出",
            "亿元",
            a.programmes[0][Programme::ChildcareSubsidy] / YI,
            childcare.value,
            childcare.cite(),
        ));
    }
    if let Some(spent) = &t.preschool_spending_yi {
        validation.push(row(
            "Free preschool spending 学前一年免保育教育费",
            "亿元",
            a.programmes[0][Programme::FreePreschool] / YI,
            spent.value,
            format!(
                "{}; simulated: children in the year before primary school (aged 5 on 1 July) in a kindergarten, \
                 at the data's average fee",
                spent.cite()
            ),
        ));
    }
    if let Some(paid) = &t.unemployment_benefit_spending_yi {
        validation.push(row(
            "Unemployment benefit paid 失业保险金支出",
            "亿元",
            a.programmes[0][Programme::UnemploymentBenefits] / YI,
            paid.value,
            format!(
                "{}; simulated: spells of 12 months starting evenly over the 23 months that pay in the year, \
                 recipients set by the year-end count, at the year's average benefit",
                paid.cite()
            ),
        ));
    }
    validation
}

/// Income by source, pensions, 低保 recipients, the quintiles and enrolment
/// against NBS's and the schemes' figures: for the synthetic population, the
/// amounts it is calibrated to are rows of the calibration table (first of
/// the pair), the rest rows of the validation table (second).
fn income_sources(a: &Aggregates, t: &YearTargets, run: &RunFacts<'_>) -> (Vec<CalibrationRow>, Vec<ValidationRow>) {
    let (calibrated, imputation) = (run.calibrated, run.imputation);
    let (mut calibration, mut validation) = (Vec::new(), Vec::new());
    let sources = &t.income_sources;
    let cite = format!("{} [{}]", sources.source, sources.confidence);
    let persons = a.persons.max(1.0);
    let [market, other] = a.sources[0];
    let disposable: f64 = a.histograms[0].iter().map(|b| b.income).sum();
    validation.push(row("Wage income per person 人均工资性收入", "元", market / persons, sources.wages, cite.clone()));
    // What the synthetic population is calibrated to, and the user's microdata only compared with;
    // the calibrated factors and take-up, stated with the source.
    let how = |what: String| calibrated.map(|_| what).unwrap_or_default();
    let [business_factor, property_factor, pension_factor, take_up] =
        calibrated.map_or([1.0; 4], |c| [c.business, c.property, c.pension, c.dibao_take_up]);
    let (official_pension, pension_source) = pension_spending(t);
    let mut amounts = vec![
        (
            Method::Factor,
            row(
                "Employee pension spending 职工养老金支出",
                "亿元",
                a.programmes[0][Programme::EmployeePensions] / YI,
                official_pension,
                format!(
                    "{pension_source}{}",
                    how(format!(
                        "; simulated: pensions drawn around the year's average times {pension_factor:.4}, as last \
                         December's, raised by the year's rise"
                    ))
                ),
            ),
        ),
        (
            Method::Factor,
            row(
                "Business income per person 人均经营净收入",
                "元",
                (other - a.property_income) / persons,
                sources.business,
                format!(
                    "{cite}; simulated: farm, informal and flexible workers' earnings{}",
                    how(format!(", their drawn amounts times {business_factor:.4}"))
                ),
            ),
        ),
        (
            Method::Factor,
            row(
                "Property income per person 人均财产净收入",
                "元",
                a.property_income / persons,
                sources.property,
                format!(
                    "{cite}; simulated: the synthetic households' property income (none in microdata){}",
                    how(format!(", their wages and pensions times {property_factor:.4} times a drawn factor"))
                ),
            ),
        ),
    ];
    if run.dibao_assessed {
        amounts.push((
            Method::TakeUp,
            row(
                "低保 recipients 低保人数",
                "万人",
                a.dibao_members[0] / 1e4,
                t.dibao_recipients_wan.value,
                format!(
                    "{}; persons in households receiving 低保{}",
                    t.dibao_recipients_wan.cite(),
                    how(format!(", {:.1}% of households qualifying by income taking it up", take_up * 100.0))
                ),
            ),
        ));
    }
    if calibrated.is_some() {
        calibration.extend(amounts.into_iter().map(|(method, r)| CalibrationRow::met_by(r, method)));
    } else {
        validation.extend(amounts.into_iter().map(|(_, r)| r));
    }
    let imputed = a.imputed_transfers / persons;
    validation.push(row(
        "Net transfers per person 人均转移净收入",
        "元",
        (disposable - market - other) / persons,
        sources.net_transfers,
        if imputation.is_some() {
            format!(
                "{cite}; simulated: benefits less income tax and contributions paid, {:.0}, plus the imputed transfers \
                 the rules do not compute (medical reimbursements, transfers between households, local subsidies), {imputed:.0}",
                (disposable - market - other) / persons - imputed
            )
        } else {
            format!(
                "{cite}; simulated: benefits less income tax and contributions paid (medical reimbursements and transfers \
                 between households are not computed)"
            )
        },
    ));
    if let Some(q) = &t.quintile_means {
        let cite = format!(
            "{} [{}]; households ranked by income per person, five groups of equal numbers of households{}",
            q.source,
            q.confidence,
            imputation.map_or(String::new(), |f| format!(
                "; met by imputed transfers of {} yuan a person at the quintiles' middle ranks",
                f.knots.iter().map(|k| format!("{k:.0}")).collect::<Vec<_>>().join(", ")
            ))
        );
        let names = [
            "Low quintile 低收入组",
            "Lower-middle quintile 中间偏下收入组",
            "Middle quintile 中间收入组",
            "Upper-middle quintile 中间偏上收入组",
            "High quintile 高收入组",
        ];
        for ((name, simulated), official) in names.iter().zip(household_quintiles(&a.histograms[0])).zip(q.values) {
            let r = row(&format!("{name} 人均可支配收入"), "元", simulated, official, cite.clone());
            if imputation.is_some() {
                calibration.push(CalibrationRow::met_by(r, Method::Imputed));
            } else {
                validation.push(r);
            }
        }
    }
    validation.push(row(
        "Residents' medical insurance enrolees 居民医保参保人数",
        "万人",
        a.resident_medical[0] / 1e4,
        t.resident_medical_wan.value,
        format!("{}; the fiscal subsidy is this count times the subsidy per person", t.resident_medical_wan.cite()),
    ));
    (calibration, validation)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quintiles_split_households_equally_and_average_per_person() {
        // Ten households of 1 or 3 persons, income per person 1..=10; each group holds two households.
        let mut histogram = vec![Bin::default(); 10];
        for (i, b) in histogram.iter_mut().enumerate() {
            let size = if i % 2 == 0 { 1.0 } else { 3.0 };
            let per_person = (i + 1) as f64;
            *b = Bin { households: 1.0, persons: size, income: size * per_person };
        }
        // Low group: incomes 1 (1 person) and 2 (3 persons): (1 + 6) / 4.
        let q = household_quintiles(&histogram);
        assert!((q[0] - 7.0 / 4.0).abs() < 1e-12, "{q:?}");
        assert!((q[4] - (9.0 + 30.0) / 4.0).abs() < 1e-12, "{q:?}");
        // Half a bin each way: one household of 2 persons split across two groups of 0.5 households.
        let half = household_quintiles(&[Bin { households: 0.5, persons: 1.0, income: 10.0 }; 10]);
        assert!(half.iter().all(|m| (m - 10.0).abs() < 1e-12), "{half:?}");
    }

    #[test]
    fn gini_of_equal_incomes_is_zero_and_of_one_holder_near_one() {
        assert!(gini(vec![(5.0, 1.0), (5.0, 3.0)]).abs() < 1e-12);
        let g = gini((0..1000).map(|i| (if i == 999 { 1000.0 } else { 0.0 }, 1.0)).collect());
        assert!(g > 0.99, "{g}");
        // Two persons, incomes 1 and 3: Gini = 0.25.
        assert!((gini(vec![(1.0, 1.0), (3.0, 1.0)]) - 0.25).abs() < 1e-12);
    }
}
