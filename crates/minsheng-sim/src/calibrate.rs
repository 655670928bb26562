//! Calibration weights (raking): household weights such that the weighted
//! sample matches each official margin exactly.

use crate::generate::Counts;
use crate::targets::YearTargets;

/// One margin: its name, the official total and where it comes from.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Margin {
    /// What is counted.
    pub name: &'static str,
    /// The official total (persons).
    pub target: f64,
    /// The source and confidence.
    pub source: String,
}

fn get(c: &Counts, name: &str) -> f64 {
    match name {
        "persons" => c.persons,
        "men" => c.men,
        "children under 3" => c.under_3,
        "children under 16" => c.under_16,
        "persons 60 and over" => c.over_60,
        "urban residents" => c.urban,
        "urban employed" => c.urban_employed,
        "insured employees (pension contributors)" => c.insured_employees,
        "employee pension retirees" => c.retirees,
        "residents' pension beneficiaries" => c.resident_pensioners,
        _ => 0.0,
    }
}

/// The margins of a year.
pub fn margins(t: &YearTargets) -> Vec<Margin> {
    let wan = 10_000.0;
    let pop = t.population_wan.value * wan;
    let src = |f: &crate::targets::Figure| format!("{} [{}]", f.source, f.confidence);
    let mut margins = vec![
        Margin { name: "persons", target: pop, source: src(&t.population_wan) },
        Margin { name: "men", target: t.men_wan.value * wan, source: src(&t.men_wan) },
        Margin {
            name: "children under 3",
            target: t.births_last_three_years_wan.value * wan,
            source: src(&t.births_last_three_years_wan),
        },
        Margin { name: "children under 16", target: t.share_0_15.value * pop, source: src(&t.share_0_15) },
        Margin { name: "persons 60 and over", target: t.share_60_plus.value * pop, source: src(&t.share_60_plus) },
        Margin { name: "urban residents", target: t.urban_share.value * pop, source: src(&t.urban_share) },
        Margin { name: "urban employed", target: t.urban_employed_wan.value * wan, source: src(&t.urban_employed_wan) },
        Margin {
            name: "employee pension retirees",
            target: t.employee_retirees_wan.value * wan,
            source: src(&t.employee_retirees_wan),
        },
        Margin {
            name: "residents' pension beneficiaries",
            target: t.resident_pension_beneficiaries_wan.value * wan,
            source: src(&t.resident_pension_beneficiaries_wan),
        },
    ];
    if let Some(insured) = &t.insured_employees_wan {
        margins.push(Margin {
            name: "insured employees (pension contributors)",
            target: insured.value * wan,
            source: src(insured),
        });
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
    margins: Vec<&'static str>,
    lambda: Vec<f64>,
}

impl Calibration {
    /// The weight of a household with these counts.
    pub fn weight(&self, c: &Counts) -> f64 {
        let z: f64 = self.margins.iter().zip(&self.lambda).map(|(m, l)| get(c, m) * l).sum();
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
        margins.iter().filter(|m| groups.iter().any(|(c, _)| get(c, m.name) > 0.0) && m.target > 0.0).collect();
    let k = usable.len();
    // Counts per household are small numbers and targets are in sample units,
    // so that λ stays of order one and Newton's steps are well conditioned.
    let x: Vec<(Vec<f64>, f64)> =
        groups.iter().map(|(c, n)| (usable.iter().map(|m| get(c, m.name)).collect(), *n)).collect();
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
    Calibration { design, margins: usable.iter().map(|m| m.name).collect(), lambda }
}

/// Household weights matching the margins, for households held in memory.
pub fn rake(counts: &[Counts], margins: &[Margin], rounds: usize) -> Vec<f64> {
    let groups: Vec<(Counts, f64)> = counts.iter().map(|c| (*c, 1.0)).collect();
    let calibration = solve(&groups, margins, rounds);
    counts.iter().map(|c| calibration.weight(c)).collect()
}

/// Solves `a · s = b` by Gaussian elimination with partial pivoting; `None` if singular.
fn solve_linear(mut a: Vec<Vec<f64>>, mut b: Vec<f64>) -> Option<Vec<f64>> {
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
    counts.iter().zip(weights).map(|(c, w)| get(c, margin.name) * w).sum()
}

/// The weighted total of a margin over distinct count vectors with multiplicities.
pub fn achieved_grouped(groups: &[(Counts, f64)], calibration: &Calibration, margin: &Margin) -> f64 {
    groups.iter().map(|(c, n)| get(c, margin.name) * n * calibration.weight(c)).sum()
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
            Margin { name: "persons", target: 1_000_000.0, source: String::new() },
            Margin { name: "children under 3", target: 90_000.0, source: String::new() },
            Margin { name: "persons 60 and over", target: 150_000.0, source: String::new() },
            Margin { name: "urban residents", target: 600_000.0, source: String::new() },
        ];
        let w = rake(&counts, &margins, 100);
        assert!(w.iter().all(|w| *w > 0.0));
        for m in &margins {
            let got = achieved(&counts, &w, m);
            assert!((got - m.target).abs() / m.target < 1e-6, "{}: {got} vs {}", m.name, m.target);
        }
    }
}
