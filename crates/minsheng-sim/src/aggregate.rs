//! Mergeable aggregates: what a partition contributes to the report, added up
//! across partitions in order, so that a run never holds its households and
//! any engine that can run partitions and add their aggregates can run it.
//!
//! Distributions are kept as weighted histograms of disposable income per
//! person on an asinh scale (fine near zero, wide at the top, negatives
//! allowed): 4,096 bins from −100,000 to 100 million yuan. Deciles, the
//! median and the Gini are read off the histograms; each bin is taken at the
//! mean of its members, which loses only the inequality within a bin.

use crate::run::{ByProgramme, HouseholdResult};

/// Bins of the income histograms.
pub const BINS: usize = 4096;
const LOW: f64 = -100_000.0;
const HIGH: f64 = 100_000_000.0;
const SCALE: f64 = 100.0;

/// `asinh` as `ln(|x| + √(x² + 1))` with the sign of `x`: a few ulps from the
/// library's (which guards against overflow and cancellation that incomes
/// never reach) and about twice as fast, for a function called for every
/// household. Only the bins depend on it, and they are the same on every run.
fn asinh(x: f64) -> f64 {
    let a = x.abs();
    (a + (a * a + 1.0).sqrt()).ln().copysign(x)
}

/// The ends of the binned range on the asinh scale (computed once: not `const`).
static RANGE: std::sync::LazyLock<(f64, f64)> = std::sync::LazyLock::new(|| (asinh(LOW / SCALE), asinh(HIGH / SCALE)));

fn bin(x: f64) -> usize {
    let (lo, hi) = *RANGE;
    let t = (asinh(x / SCALE) - lo) / (hi - lo);
    ((t * BINS as f64).floor().max(0.0) as usize).min(BINS - 1)
}

/// One histogram bin: households, persons and their income.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Bin {
    /// Households (weighted).
    pub households: f64,
    /// Persons (weighted).
    pub persons: f64,
    /// Their disposable income (weighted, yuan).
    pub income: f64,
}

/// What a set of households adds to the report.
#[derive(Clone, Debug, PartialEq)]
pub struct Aggregates {
    /// Scenarios (baseline first).
    pub scenarios: usize,
    /// Households represented.
    pub households: f64,
    /// Households sampled.
    pub households_sampled: u64,
    /// Of those, the households the year kernel computed (the formulas computed the rest).
    pub households_by_kernel: u64,
    /// Persons represented.
    pub persons: f64,
    /// Persons sampled.
    pub persons_sampled: u64,
    /// By scenario and programme: weighted totals in yuan.
    pub programmes: Vec<ByProgramme<f64>>,
    /// By scenario: weighted totals in yuan of market income and of other
    /// income (business and property).
    pub sources: Vec<[f64; 2]>,
    /// The weighted total of property income in yuan (part of other income, the same in every scenario).
    pub property_income: f64,
    /// The weighted total of imputed transfers in yuan (in the histograms, the same in every scenario).
    pub imputed_transfers: f64,
    /// By scenario: weighted taxpayers.
    pub taxpayers: Vec<f64>,
    /// By reform: weighted persons whose income tax is more than 1 yuan lower, and higher, than in the baseline.
    pub tax_changes: Vec<[f64; 2]>,
    /// By scenario: weighted persons in households receiving 低保.
    pub dibao_members: Vec<f64>,
    /// By scenario: weighted persons in the residents' medical insurance scheme.
    pub resident_medical: Vec<f64>,
    /// By scenario: weighted persons below their household's 低保 line (where known).
    pub below_dibao_line: Vec<f64>,
    /// By scenario: the histogram of disposable income per person.
    pub histograms: Vec<Vec<Bin>>,
    /// By reform, over the baseline histogram's bins: the weighted change of income per person.
    pub changes: Vec<Vec<f64>>,
    /// By reform, over the baseline bins: persons who gain more than 1 yuan.
    pub winners: Vec<Vec<f64>>,
    /// By reform, over the baseline bins: persons who lose more than 1 yuan.
    pub losers: Vec<Vec<f64>>,
}

impl Aggregates {
    /// Empty aggregates for `scenarios` scenarios.
    pub fn new(scenarios: usize) -> Aggregates {
        let reforms = scenarios.saturating_sub(1);
        Aggregates {
            scenarios,
            households: 0.0,
            households_sampled: 0,
            households_by_kernel: 0,
            persons: 0.0,
            persons_sampled: 0,
            programmes: vec![ByProgramme::default(); scenarios],
            sources: vec![[0.0; 2]; scenarios],
            property_income: 0.0,
            imputed_transfers: 0.0,
            taxpayers: vec![0.0; scenarios],
            tax_changes: vec![[0.0; 2]; reforms],
            dibao_members: vec![0.0; scenarios],
            resident_medical: vec![0.0; scenarios],
            below_dibao_line: vec![0.0; scenarios],
            histograms: vec![vec![Bin::default(); BINS]; scenarios],
            changes: vec![vec![0.0; BINS]; reforms],
            winners: vec![vec![0.0; BINS]; reforms],
            losers: vec![vec![0.0; BINS]; reforms],
        }
    }

    /// Adds one household.
    pub fn add(&mut self, r: &HouseholdResult) {
        let size = f64::from(r.size.max(1));
        let persons = r.weight * size;
        self.households += r.weight;
        self.households_sampled += 1;
        self.households_by_kernel += u64::from(r.by_kernel);
        self.persons += persons;
        self.persons_sampled += u64::from(r.size);
        self.property_income += r.weight * r.property_income as f64 / 100.0;
        self.imputed_transfers += r.weight * r.imputed_transfers as f64 / 100.0;
        // Disposable income per person with the imputed transfers, which rank and place the household.
        let per_person = |s: usize| (r.outcomes[s].disposable + r.imputed_transfers) as f64 / 100.0 / size;
        let base_bin = bin(per_person(0));
        for (s, o) in r.outcomes.iter().enumerate().take(self.scenarios) {
            for (total, v) in self.programmes[s].0.iter_mut().zip(o.programmes.0) {
                *total += r.weight * v as f64 / 100.0;
            }
            self.sources[s][0] += r.weight * o.market as f64 / 100.0;
            self.sources[s][1] += r.weight * o.other as f64 / 100.0;
            self.taxpayers[s] += r.weight * f64::from(o.taxpayers);
            self.dibao_members[s] += r.weight * f64::from(o.dibao_members);
            self.resident_medical[s] += r.weight * f64::from(o.resident_medical);
            let income = per_person(s);
            if r.dibao_line.is_some_and(|line| income < line as f64 / 100.0) {
                self.below_dibao_line[s] += persons;
            }
            let b = &mut self.histograms[s][if s == 0 || income == per_person(0) { base_bin } else { bin(income) }];
            b.households += r.weight;
            b.persons += persons;
            b.income += persons * income;
            if s > 0 {
                for (tax, base) in o.taxes.iter().zip(&r.outcomes[0].taxes) {
                    if tax - base < -100 {
                        self.tax_changes[s - 1][0] += r.weight;
                    } else if tax - base > 100 {
                        self.tax_changes[s - 1][1] += r.weight;
                    }
                }
                let change = income - per_person(0);
                self.changes[s - 1][base_bin] += persons * change;
                if change > 1.0 {
                    self.winners[s - 1][base_bin] += persons;
                } else if change < -1.0 {
                    self.losers[s - 1][base_bin] += persons;
                }
            }
        }
    }

    /// The aggregates with every weighted figure times `f` (the households and
    /// persons sampled, counts of the sample, stay): a replicate's aggregates
    /// raised to stand for the whole population.
    pub fn scaled(&self, f: f64) -> Aggregates {
        let mut a = self.clone();
        let scale = |v: &mut [f64]| v.iter_mut().for_each(|x| *x *= f);
        a.households *= f;
        a.persons *= f;
        a.property_income *= f;
        a.imputed_transfers *= f;
        for s in 0..a.scenarios {
            scale(&mut a.programmes[s].0);
            scale(&mut a.sources[s]);
            for b in &mut a.histograms[s] {
                b.households *= f;
                b.persons *= f;
                b.income *= f;
            }
        }
        for v in [&mut a.taxpayers, &mut a.dibao_members, &mut a.resident_medical, &mut a.below_dibao_line] {
            scale(v);
        }
        for r in 0..a.changes.len() {
            scale(&mut a.tax_changes[r]);
            scale(&mut a.changes[r]);
            scale(&mut a.winners[r]);
            scale(&mut a.losers[r]);
        }
        a
    }

    /// Adds another partition's aggregates.
    pub fn merge(&mut self, other: &Aggregates) {
        self.households += other.households;
        self.households_sampled += other.households_sampled;
        self.households_by_kernel += other.households_by_kernel;
        self.persons += other.persons;
        self.persons_sampled += other.persons_sampled;
        self.property_income += other.property_income;
        self.imputed_transfers += other.imputed_transfers;
        let add = |a: &mut [f64], b: &[f64]| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        for s in 0..self.scenarios {
            add(&mut self.programmes[s].0, &other.programmes[s].0);
            add(&mut self.sources[s], &other.sources[s]);
            for (a, b) in self.histograms[s].iter_mut().zip(&other.histograms[s]) {
                a.households += b.households;
                a.persons += b.persons;
                a.income += b.income;
            }
        }
        add(&mut self.taxpayers, &other.taxpayers);
        add(&mut self.dibao_members, &other.dibao_members);
        add(&mut self.resident_medical, &other.resident_medical);
        add(&mut self.below_dibao_line, &other.below_dibao_line);
        for r in 0..self.changes.len() {
            add(&mut self.tax_changes[r], &other.tax_changes[r]);
            add(&mut self.changes[r], &other.changes[r]);
            add(&mut self.winners[r], &other.winners[r]);
            add(&mut self.losers[r], &other.losers[r]);
        }
    }
}

/// Points (bin mean income, persons) of a histogram, for the Gini and the median.
pub fn points(histogram: &[Bin]) -> Vec<(f64, f64)> {
    histogram.iter().filter(|b| b.persons > 0.0).map(|b| (b.income / b.persons, b.persons)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_ordered_and_cover_negatives_and_large_incomes() {
        assert!(bin(-500.0) < bin(0.0) && bin(0.0) < bin(1.0) && bin(1.0) < bin(30_000.0) && bin(30_000.0) < bin(1e7));
        assert_eq!(bin(-1e9), 0);
        assert_eq!(bin(1e12), BINS - 1);
        // About 1% wide around 30,000 yuan.
        let (a, b) = (bin(30_000.0), bin(30_300.0));
        assert!(b > a && b - a <= 3, "{a} {b}");
    }
}
