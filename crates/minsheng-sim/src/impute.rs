//! Net transfers the rules do not compute (未模拟的转移净收入), imputed so
//! that the synthetic population's five household quintiles have NBS's
//! disposable income per person.
//!
//! NBS counts in households' net transfers (转移净收入) more than the rule
//! book computes for the population: medical expenses reimbursed (报销医疗费),
//! support between households (赡养收入) and what members working elsewhere
//! send home (寄回带回收入), local and policy subsidies; less support paid to
//! others. Without them the population's lowest quintile has about a quarter
//! of NBS's income (2024: 2,604 against 9,542 yuan a person), and every
//! distributional figure (deciles, poverty, the Gini) is off.
//!
//! The imputation is a yuan amount per person that depends on the
//! household's rank by baseline disposable income per person (households
//! ranked as NBS ranks them: each household counts once): linear between
//! five knots at the quintiles' middle ranks (0.1, 0.3, …, 0.9) and flat
//! beyond, the knots solved so that each quintile's mean income per person,
//! with the amount added, is NBS's. The amount is the same in every scenario
//! (a reform changes what the rules compute, not these transfers), is not
//! counted by the 低保 means test, and is reported apart: the per-household
//! results give it in its own column.
//!
//! The knots are the only thing fitted; the amounts they imply can be checked
//! against NBS's net transfers less the simulated ones (the report's
//! validation table does), which they should roughly equal if the population
//! lacks nothing else.

/// Household ranks kept to map an income to its rank: the income at ranks
/// 0, 1/RANKS, …, 1.
const RANKS: usize = 1000;

/// The quintiles' middle ranks, where the knots are.
const KNOTS: [f64; 5] = [0.1, 0.3, 0.5, 0.7, 0.9];

/// A household of the sample the imputation is fitted on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sampled {
    /// Baseline disposable income per person (yuan, a year), as the rules compute it.
    pub income: f64,
    /// Its calibration weight.
    pub weight: f64,
    /// Its members.
    pub size: f64,
}

/// The fitted imputation.
#[derive(Clone, Debug, PartialEq)]
pub struct Imputation {
    /// Baseline income per person at household ranks `i / RANKS` (ascending).
    incomes: Vec<f64>,
    /// Yuan per person a year at the knots.
    pub knots: [f64; 5],
}

impl Imputation {
    /// Fits the knots on `sample` (sorted in place) so that each household quintile's mean
    /// income per person is `quintile_means`; `None` for an empty sample or
    /// one that cannot be split into quintiles.
    pub fn fit(mut sample: Vec<Sampled>, quintile_means: &[f64; 5]) -> Option<Imputation> {
        sample.retain(|s| s.weight > 0.0 && s.size > 0.0);
        sample.sort_by(|a, b| a.income.total_cmp(&b.income));
        let total: f64 = sample.iter().map(|s| s.weight).sum();
        if total <= 0.0 {
            return None;
        }
        // Each household's middle rank.
        let mut below = 0.0;
        let ranks: Vec<f64> = sample
            .iter()
            .map(|s| {
                let rank = (below + s.weight / 2.0) / total;
                below += s.weight;
                rank
            })
            .collect();
        let incomes = (0..=RANKS)
            .map(|i| {
                let rank = i as f64 / RANKS as f64;
                let at = ranks.partition_point(|r| *r < rank);
                match (at.checked_sub(1), sample.get(at)) {
                    (Some(j), Some(b)) if ranks[at] > ranks[j] => {
                        let a = sample[j];
                        a.income + (b.income - a.income) * (rank - ranks[j]) / (ranks[at] - ranks[j])
                    }
                    (_, Some(b)) => b.income,
                    (Some(j), None) => sample[j].income,
                    (None, None) => 0.0,
                }
            })
            .collect();
        // Per quintile: persons, their income, and how much of each knot's amount reaches them.
        let mut persons = [0.0; 5];
        let mut income = [0.0; 5];
        let mut reach = [[0.0; 5]; 5];
        for (rank, s) in ranks.iter().zip(&sample) {
            let q = ((rank * 5.0) as usize).min(4);
            let p = s.weight * s.size;
            persons[q] += p;
            income[q] += p * s.income;
            for (j, share) in hats(*rank).iter().enumerate() {
                reach[q][j] += p * share;
            }
        }
        if persons.contains(&0.0) {
            return None;
        }
        let a: Vec<Vec<f64>> = (0..5).map(|q| reach[q].iter().map(|r| r / persons[q]).collect()).collect();
        let b: Vec<f64> = (0..5).map(|q| quintile_means[q] - income[q] / persons[q]).collect();
        let knots = crate::calibrate::solve_linear(a, b)?;
        Some(Imputation { incomes, knots: [knots[0], knots[1], knots[2], knots[3], knots[4]] })
    }

    /// The household rank (0 to 1) of a baseline income per person.
    fn rank(&self, income: f64) -> f64 {
        let n = self.incomes.len();
        if n < 2 {
            return 0.5;
        }
        let last = n - 1;
        // Ranks where the income is held by many households (0 say): their middle.
        let first_at = self.incomes.partition_point(|x| *x < income);
        if self.incomes.get(first_at) == Some(&income) {
            let after = first_at + self.incomes[first_at..].partition_point(|x| *x <= income);
            return (first_at + after - 1) as f64 / 2.0 / last as f64;
        }
        match first_at {
            0 => 0.0,
            i if i > last => 1.0,
            i => {
                let (lo, hi) = (self.incomes[i - 1], self.incomes[i]);
                ((i - 1) as f64 + (income - lo) / (hi - lo)) / last as f64
            }
        }
    }

    /// Yuan per person a year for a household whose baseline disposable
    /// income per person is `income`.
    pub fn per_person(&self, income: f64) -> f64 {
        hats(self.rank(income)).iter().zip(&self.knots).map(|(h, k)| h * k).sum()
    }

    /// The household's imputed transfers in fen, from its baseline disposable
    /// income and members.
    pub fn household_fen(&self, disposable_fen: i64, size: u32) -> i64 {
        let size = f64::from(size.max(1));
        (self.per_person(disposable_fen as f64 / 100.0 / size) * size * 100.0).round() as i64
    }
}

/// The weights of the knots at `rank`: linear between neighbouring knots,
/// all on the nearest knot beyond the first and the last.
fn hats(rank: f64) -> [f64; 5] {
    let mut w = [0.0; 5];
    if rank <= KNOTS[0] {
        w[0] = 1.0;
    } else if rank >= KNOTS[4] {
        w[4] = 1.0;
    } else {
        let j = KNOTS.iter().rposition(|k| *k <= rank).unwrap_or(0).min(3);
        let t = (rank - KNOTS[j]) / (KNOTS[j + 1] - KNOTS[j]);
        w[j] = 1.0 - t;
        w[j + 1] = t;
    }
    w
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Households of one to three persons, incomes spread from 0 to about 100,000.
    fn sample() -> Vec<Sampled> {
        (0..5000)
            .map(|i| Sampled {
                income: if i % 10 == 0 { 0.0 } else { (f64::from(i) / 50.0).powi(2) * 10.0 },
                weight: 1.0 + f64::from(i % 7),
                size: f64::from(1 + i % 3),
            })
            .collect()
    }

    /// The quintile means of incomes with the imputation added, households
    /// ranked by their income after it (as the report ranks them).
    fn quintile_means(sample: &[Sampled], imputation: &Imputation) -> [f64; 5] {
        let mut after: Vec<(f64, f64, f64)> =
            sample.iter().map(|s| (s.income + imputation.per_person(s.income), s.weight, s.size)).collect();
        after.sort_by(|a, b| a.0.total_cmp(&b.0));
        let total: f64 = after.iter().map(|a| a.1).sum();
        let (mut below, mut persons, mut income) = (0.0, [0.0; 5], [0.0; 5]);
        for (x, w, n) in after {
            let q = (((below + w / 2.0) / total * 5.0) as usize).min(4);
            below += w;
            persons[q] += w * n;
            income[q] += w * n * x;
        }
        [0, 1, 2, 3, 4].map(|q| income[q] / persons[q])
    }

    #[test]
    fn the_fitted_transfers_bring_each_quintile_to_its_target() {
        let sample = sample();
        let targets = [9_000.0, 21_000.0, 33_000.0, 52_000.0, 98_000.0];
        let imputation = Imputation::fit(sample.clone(), &targets).expect("fits");
        let got = quintile_means(&sample, &imputation);
        for (q, (g, t)) in got.iter().zip(targets).enumerate() {
            assert!((g - t).abs() < 0.01 * t, "quintile {q}: {g} against {t} ({:?})", imputation.knots);
        }
    }

    #[test]
    fn targets_the_sample_already_meets_impute_nothing() {
        let sample = sample();
        let none = Imputation::fit(sample.clone(), &[0.0; 5]).expect("fits");
        let own = quintile_means(&sample, &Imputation { knots: [0.0; 5], ..none });
        let imputation = Imputation::fit(sample.clone(), &own).expect("fits");
        assert!(imputation.knots.iter().all(|k| k.abs() < 0.02 * own[4]), "{:?}", imputation.knots);
    }

    #[test]
    fn ranks_rise_with_income_and_ties_take_their_middle() {
        let imputation = Imputation::fit(sample(), &[0.0; 5]).expect("fits");
        let ranks: Vec<f64> = [-10.0, 0.0, 1.0, 500.0, 20_000.0, 1e9].map(|x| imputation.rank(x)).to_vec();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "{ranks:?}");
        assert_eq!(ranks[0], 0.0);
        assert_eq!(ranks[5], 1.0);
        // A tenth of the households have no income (of weights 1 to 7, about a tenth of the weight).
        assert!(ranks[1] > 0.0 && ranks[1] < 0.1, "{}", ranks[1]);
        assert_eq!(hats(0.05), [1.0, 0.0, 0.0, 0.0, 0.0]);
        assert_eq!(hats(0.5), [0.0, 0.0, 1.0, 0.0, 0.0]);
        assert_eq!(hats(0.95), [0.0, 0.0, 0.0, 0.0, 1.0]);
        let between = hats(0.4);
        assert!((between[1] - 0.5).abs() < 1e-12 && (between[2] - 0.5).abs() < 1e-12, "{between:?}");
        assert!((between.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn an_empty_sample_fits_nothing() {
        assert!(Imputation::fit(Vec::new(), &[1.0; 5]).is_none());
    }
}
