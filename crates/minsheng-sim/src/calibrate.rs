//! Calibration weights (raking): household weights such that the weighted
//! sample matches each official margin exactly.

use crate::generate::Counts;
use crate::targets::{Targets, YearTargets};

/// What a margin counts, household by household.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Count {
    /// Persons (人口).
    Persons,
    /// Men (男性).
    Men,
    /// Children under 3 (三岁以下婴幼儿).
    Under3,
    /// Children under 16 (0–15岁).
    Under16,
    /// Children aged 5 (the year before primary school in the autumn semester).
    Aged5,
    /// Persons aged 60 and over (60岁及以上).
    Over60,
    /// Persons aged 65 and over (65岁及以上).
    Over65,
    /// Urban residents (城镇常住人口).
    Urban,
    /// Urban workers, insured or not (城镇就业人员).
    UrbanEmployed,
    /// Contributors to the employee pension scheme (参保职工).
    InsuredEmployees,
    /// Employee pension retirees (离退休人员).
    Retirees,
    /// Residents' pension beneficiaries (城乡居民养老保险待遇领取人员).
    ResidentPensioners,
    /// Households (家庭户) of `size` persons, or of `size` or more when `or_more`.
    Households { size: u8, or_more: bool },
}

impl Count {
    /// How many a household with these counts adds to the margin.
    fn of(self, c: &Counts) -> f64 {
        match self {
            Count::Persons => c.persons,
            Count::Men => c.men,
            Count::Under3 => c.under_3,
            Count::Under16 => c.under_16,
            Count::Aged5 => c.aged_5,
            Count::Over60 => c.over_60,
            Count::Over65 => c.over_65,
            Count::Urban => c.urban,
            Count::UrbanEmployed => c.urban_employed,
            Count::InsuredEmployees => c.insured_employees,
            Count::Retirees => c.retirees,
            Count::ResidentPensioners => c.resident_pensioners,
            Count::Households { size, or_more } => {
                let size = f64::from(size);
                f64::from(u8::from(c.persons == size || (or_more && c.persons > size)))
            }
        }
    }

    /// The margin's name in English and 中文.
    pub fn label(self) -> String {
        match self {
            Count::Persons => "persons 人口".into(),
            Count::Men => "men 男性".into(),
            Count::Under3 => "children under 3 三岁以下婴幼儿".into(),
            Count::Under16 => "children under 16 0–15岁人口".into(),
            Count::Aged5 => "children aged 5 5岁儿童".into(),
            Count::Over60 => "persons 60 and over 60岁及以上人口".into(),
            Count::Over65 => "persons 65 and over 65岁及以上人口".into(),
            Count::Urban => "urban residents 城镇常住人口".into(),
            Count::UrbanEmployed => "urban employed 城镇就业人员".into(),
            Count::InsuredEmployees => "insured employees (pension contributors) 职工养老保险参保职工".into(),
            Count::Retirees => "employee pension retirees 职工养老保险离退休人员".into(),
            Count::ResidentPensioners => "residents' pension beneficiaries 城乡居民养老保险领取人员".into(),
            Count::Households { size: 1, or_more: false } => "one-person households 一人户".into(),
            Count::Households { size, or_more: false } => format!("households of {size} persons {size}人户"),
            Count::Households { size, or_more: true } => {
                format!("households of {size} or more persons {size}人及以上户")
            }
        }
    }
}

/// One margin: what it counts, the official total and where it comes from.
#[derive(Clone, Debug)]
pub struct Margin {
    /// What is counted.
    pub count: Count,
    /// The official total (persons, or households for household margins).
    pub target: f64,
    /// The source and confidence.
    pub source: String,
}

/// The margins of a year: the year's official counts, and the census shares
/// of households by size applied to the year's population.
pub fn margins(targets: &Targets, t: &YearTargets) -> Vec<Margin> {
    let wan = 10_000.0;
    let pop = t.population_wan.value * wan;
    let margin = |count, target, source| Margin { count, target, source };
    let mut margins = vec![
        margin(Count::Persons, pop, t.population_wan.cite()),
        margin(Count::Men, t.men_wan.value * wan, t.men_wan.cite()),
        margin(Count::Under3, t.births_last_three_years_wan.value * wan, t.births_last_three_years_wan.cite()),
        margin(Count::Under16, t.share_0_15.value * pop, t.share_0_15.cite()),
        margin(Count::Over60, t.share_60_plus.value * pop, t.share_60_plus.cite()),
        margin(Count::Over65, t.persons_65_plus_wan.value * wan, t.persons_65_plus_wan.cite()),
        margin(Count::Urban, t.urban_share.value * pop, t.urban_share.cite()),
        margin(Count::UrbanEmployed, t.urban_employed_wan.value * wan, t.urban_employed_wan.cite()),
        margin(Count::Retirees, t.employee_retirees_wan.value * wan, t.employee_retirees_wan.cite()),
        margin(
            Count::ResidentPensioners,
            t.resident_pension_beneficiaries_wan.value * wan,
            t.resident_pension_beneficiaries_wan.cite(),
        ),
    ];
    if let Some(aged_5) = &t.persons_aged_5_wan {
        margins.push(margin(Count::Aged5, aged_5.value * wan, aged_5.cite()));
    }
    if let Some(insured) = &t.insured_employees_wan {
        margins.push(margin(Count::InsuredEmployees, insured.value * wan, insured.cite()));
    }
    // Every person lives in a household of the generator's sizes (the last share is the
    // last size or more, generated at that size), so the shares and the population fix
    // the number of households.
    let shares = &targets.household_size_shares;
    let mean_size: f64 = shares.values.iter().enumerate().map(|(i, s)| (i + 1) as f64 * s).sum();
    if mean_size > 0.0 {
        let households = pop / mean_size;
        let largest = shares.values.len();
        for (i, share) in shares.values.iter().enumerate() {
            let count = Count::Households { size: (i + 1) as u8, or_more: i + 1 == largest };
            let source = format!(
                "{} [{}], times the year's persons over {mean_size:.4} persons a household",
                shares.source, shares.confidence
            );
            margins.push(margin(count, share * households, source));
        }
    }
    margins
}

/// The solution of a calibration: household weights are `design · exp(x · λ)`
/// for a household whose margin counts are `x`, so that households with the
/// same counts share a weight and the weights can be recomputed partition by
/// partition from λ alone.
#[derive(Clone, Debug, PartialEq)]
pub struct Calibration {
    design: f64,
    margins: Vec<Count>,
    lambda: Vec<f64>,
}

impl Calibration {
    /// The weight of a household with these counts.
    pub fn weight(&self, c: &Counts) -> f64 {
        let z: f64 = self.margins.iter().zip(&self.lambda).map(|(m, l)| m.of(c) * l).sum();
        self.design * z.clamp(-30.0, 30.0).exp()
    }
}

/// Raking calibration (Deville and Särndal's exponential distance) over
/// distinct count vectors with their multiplicities: λ found by Newton's
/// method, starting from equal design weights that make the sample stand for
/// the population total. Weights stay positive. A margin the sample cannot
/// reach (no household counts towards it) is left out.
pub fn solve(groups: &[(Counts, f64)], margins: &[Margin], rounds: usize) -> Calibration {
    let persons: f64 = groups.iter().map(|(c, n)| c.persons * n).sum::<f64>().max(1.0);
    let design = margins.first().map_or(1.0, |m| m.target / persons);
    let usable: Vec<&Margin> =
        margins.iter().filter(|m| groups.iter().any(|(c, _)| m.count.of(c) > 0.0) && m.target > 0.0).collect();
    let k = usable.len();
    // Counts per household are small numbers and targets are in sample units,
    // so that λ stays of order one and Newton's steps are well conditioned.
    let x: Vec<(Vec<f64>, f64)> =
        groups.iter().map(|(c, n)| (usable.iter().map(|m| m.count.of(c)).collect(), *n)).collect();
    let target: Vec<f64> = usable.iter().map(|m| m.target / design).collect();
    let mut lambda = vec![0.0; k];
    for _ in 0..rounds {
        let mut f = vec![0.0; k];
        let mut jac = vec![vec![0.0; k]; k];
        for (xi, n) in &x {
            let w = n * xi.iter().zip(&lambda).map(|(a, l)| a * l).sum::<f64>().clamp(-30.0, 30.0).exp();
            for a in 0..k {
                f[a] += xi[a] * w;
                for b in 0..k {
                    jac[a][b] += xi[a] * xi[b] * w;
                }
            }
        }
        for a in 0..k {
            f[a] -= target[a];
        }
        if f.iter().zip(&target).all(|(r, t)| r.abs() <= 1e-9 * t.abs().max(1.0)) {
            break;
        }
        // A ridge keeps nearly dependent margins solvable; steps are capped to keep Newton stable.
        let trace: f64 = (0..k).map(|a| jac[a][a]).sum::<f64>() / k.max(1) as f64;
        for (a, row) in jac.iter_mut().enumerate() {
            row[a] += 1e-9 * trace.max(1e-12);
        }
        match solve_linear(jac, f) {
            Some(step) => {
                let largest = step.iter().fold(0.0f64, |m, s| m.max(s.abs()));
                let damp = if largest > 1.0 { 1.0 / largest } else { 1.0 };
                lambda.iter_mut().zip(step).for_each(|(l, s)| *l -= s * damp);
            }
            None => break,
        }
    }
    Calibration { design, margins: usable.iter().map(|m| m.count).collect(), lambda }
}

/// Household weights matching the margins, for households held in memory.
pub fn rake(counts: &[Counts], margins: &[Margin], rounds: usize) -> Vec<f64> {
    let groups: Vec<(Counts, f64)> = counts.iter().map(|c| (*c, 1.0)).collect();
    let calibration = solve(&groups, margins, rounds);
    counts.iter().map(|c| calibration.weight(c)).collect()
}

/// Solves `a · s = b` by Gaussian elimination with partial pivoting; `None` if singular.
pub(crate) fn solve_linear(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
    let n = b.len();
    for col in 0..n {
        let pivot = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
        if a[pivot][col].abs() < 1e-12 {
            return None;
        }
        a.swap(col, pivot);
        b.swap(col, pivot);
        let (upper, lower) = a.split_at_mut(col + 1);
        let pivot_row = &upper[col];
        for (offset, row) in lower.iter_mut().enumerate() {
            let factor = row[col] / pivot_row[col];
            for (x, p) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= factor * p;
            }
            b[col + 1 + offset] -= factor * b[col];
        }
    }
    let mut s = vec![0.0; n];
    for row in (0..n).rev() {
        let sum: f64 = (row + 1..n).map(|c| a[row][c] * s[c]).sum();
        s[row] = (b[row] - sum) / a[row][row];
    }
    Some(s)
}

/// The weighted total of a margin.
pub fn achieved(counts: &[Counts], weights: &[f64], margin: &Margin) -> f64 {
    counts.iter().zip(weights).map(|(c, w)| margin.count.of(c) * w).sum()
}

/// The weighted total of a margin over distinct count vectors with multiplicities.
pub fn achieved_grouped(groups: &[(Counts, f64)], calibration: &Calibration, margin: &Margin) -> f64 {
    groups.iter().map(|(c, n)| margin.count.of(c) * n * calibration.weight(c)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn household(persons: f64, under_3: f64, over_60: f64, urban: bool) -> Counts {
        Counts {
            persons,
            under_3,
            under_16: under_3,
            over_60,
            urban: if urban { persons } else { 0.0 },
            ..Counts::default()
        }
    }

    #[test]
    fn raking_meets_feasible_margins_exactly_with_positive_weights() {
        let counts: Vec<Counts> = (0..400)
            .map(|i| household(1.0 + (i % 4) as f64, f64::from(i % 5 == 0), f64::from(i % 3 == 0), i % 2 == 0))
            .collect();
        let margins = vec![
            Margin { count: Count::Persons, target: 1_000_000.0, source: String::new() },
            Margin { count: Count::Under3, target: 90_000.0, source: String::new() },
            Margin { count: Count::Over60, target: 150_000.0, source: String::new() },
            Margin { count: Count::Urban, target: 600_000.0, source: String::new() },
        ];
        let w = rake(&counts, &margins, 100);
        assert!(w.iter().all(|w| *w > 0.0));
        for m in &margins {
            let got = achieved(&counts, &w, m);
            assert!((got - m.target).abs() / m.target < 1e-6, "{}: {got} vs {}", m.count.label(), m.target);
        }
    }

    #[test]
    fn household_margins_count_each_household_once_and_hold_the_population() {
        let targets = Targets::builtin().expect("built-in targets");
        let t = targets.year(2024).expect("2024");
        let all = margins(&targets, t);
        let households: Vec<&Margin> = all.iter().filter(|m| matches!(m.count, Count::Households { .. })).collect();
        assert_eq!(households.len(), targets.household_size_shares.values.len());
        let persons: f64 = households
            .iter()
            .map(|m| match m.count {
                Count::Households { size, .. } => f64::from(size) * m.target,
                _ => unreachable!("filtered"),
            })
            .sum();
        let population = t.population_wan.value * 10_000.0;
        assert!((persons - population).abs() < 1e-6 * population, "{persons} against {population}");
        for size in 1..=9 {
            let c = household(f64::from(size), 0.0, 0.0, true);
            let counted: f64 = households.iter().map(|m| m.count.of(&c)).sum();
            assert_eq!(counted, 1.0, "a household of {size} falls in exactly one size margin");
        }
    }
}
