//! Sampling errors by random groups (Wolter, *Introduction to Variance
//! Estimation*, ch. 2): the households of a run are independent draws, so
//! they can be dealt into G replicate groups; each group's aggregates,
//! raised to the whole population's persons, give a report of their own, and
//! the spread of the groups' figures about their mean gives each
//! figure's standard error, `sqrt(Σ (θ_g − θ̄)² / (G (G − 1)))`.
//!
//! A run of at least G partitions deals whole partitions (partition `i` to
//! group `i mod G`: each partition is its own random stream), which costs one
//! more merge per partition; a smaller run deals its households one by one
//! (household `n` of partition `i` to group `(i + n) mod G`), which costs an
//! addition per household and G sets of aggregates per partition, nothing
//! for a run that small.
//!
//! The weights and calibrated amounts are the whole run's in every group, so
//! the error is that of the sample given the calibration, and it is not the
//! model's (a wrong assumption is not a sampling error). A figure the
//! calibration pins for the whole run is not pinned in a group: the employee
//! pension bill (set by a factor) has no error, and figures the imputed
//! transfers shape through the quintiles they are fitted to (the Gini, the
//! deciles' incomes) get an upper bound: across seeds, which refit the
//! calibration, the Gini spreads about a fifth of its stated error, the
//! income tax about as much as stated (`tests/run.rs`). Microdata partitions are slices of the file in
//! order: a file sorted by region or income gives groups that are not random
//! samples, and errors that mean little; shuffle it first.

use crate::aggregate::Aggregates;
use crate::report::Report;

/// Replicate groups: enough for a stable error (the estimate of a standard
/// error from G groups has a relative error of about 1/√(2(G−1)), 18% for 16),
/// few enough for each group to hold partitions in a run of 200,000 persons.
pub const GROUPS: usize = 16;

/// How the standard errors of a report were estimated.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Method {
    /// Replicate groups used (those holding a household).
    pub groups: usize,
    /// The method, in a sentence.
    pub note: String,
}

/// The replicate groups' aggregates, filled as partitions finish.
#[derive(Clone, Debug)]
pub struct Replicates {
    groups: Vec<Aggregates>,
    /// Households are dealt one by one (the run has fewer than [`GROUPS`] partitions).
    by_household: bool,
}

impl Replicates {
    /// Groups for a run of `partitions` partitions and `scenarios` scenarios.
    pub fn new(partitions: usize, scenarios: usize) -> Replicates {
        Replicates { groups: vec![Aggregates::new(scenarios); GROUPS], by_household: partitions < GROUPS }
    }

    /// A partition's own groups, where households are dealt one by one: add
    /// household `n` of partition `index` with [`Replicates::deal`].
    pub fn local(&self) -> Option<Vec<Aggregates>> {
        self.by_household.then(|| vec![Aggregates::new(self.groups[0].scenarios); GROUPS])
    }

    /// Deals household `n` of partition `index` (`r`) into its group of `local`.
    pub fn deal(local: &mut [Aggregates], (index, n): (usize, usize), r: &crate::run::HouseholdResult) {
        local[(index + n) % local.len()].add(r);
    }

    /// Adds partition `index`: its aggregates, or the groups it dealt its households into.
    pub fn add(&mut self, index: usize, partition: &Aggregates, local: Option<Vec<Aggregates>>) {
        match local {
            Some(local) => self.groups.iter_mut().zip(&local).for_each(|(g, l)| g.merge(l)),
            None => self.groups[index % GROUPS].merge(partition),
        }
    }

    /// Each group's report, the group raised to the persons of `whole`, built by `build`.
    pub fn reports(&self, whole: &Aggregates, build: impl Fn(&Aggregates) -> Report) -> Vec<Report> {
        self.groups.iter().filter(|g| g.persons > 0.0).map(|g| build(&g.scaled(whole.persons / g.persons))).collect()
    }
}

/// The random-group standard error from the groups' `estimates`: their
/// spread about their mean, `sqrt(Σ (θ_g − θ̄)² / (G (G − 1)))` (Wolter 2.2.1),
/// taken for the whole run's estimate too. About their mean, not the whole
/// run's: a statistic estimated with a bias in a small group (the Gini, a
/// median) would otherwise add the bias to every deviation.
pub fn standard_error(estimates: impl ExactSizeIterator<Item = f64> + Clone) -> Option<f64> {
    let g = estimates.len();
    (g >= 2).then(|| {
        let mean = estimates.clone().sum::<f64>() / g as f64;
        let sum: f64 = estimates.map(|e| (e - mean).powi(2)).sum();
        (sum / (g * (g - 1)) as f64).sqrt()
    })
}

/// Fills in the standard errors of `report` from the groups' reports
/// (built the same way, so their rows match the report's one for one).
pub fn attach(report: &mut Report, groups: &[Report]) {
    if groups.len() < 2 {
        return;
    }
    let se = |read: &dyn Fn(&Report) -> f64| standard_error(groups.iter().map(read));
    let all = |values: &[f64], read: &dyn Fn(&Report, usize) -> f64| -> Option<Vec<f64>> {
        (0..values.len()).map(|i| se(&|r| read(r, i))).collect()
    };
    for (b, row) in report.budget.iter_mut().enumerate() {
        // A total set by calibration is the official figure in every group: not an estimate.
        row.totals_se_yi = all(&row.totals_yi, &|r, s| r.budget[b].totals_yi[s]).filter(|_| !row.calibrated);
        row.changes_se_yi = all(&row.changes_yi, &|r, s| r.budget[b].changes_yi[s]);
    }
    report.net_budget_change_se_yi = all(&report.net_budget_change_yi, &|r, s| r.net_budget_change_yi[s]);
    for (d, row) in report.deciles.iter_mut().enumerate() {
        row.mean_change_se = all(&row.mean_change_per_person, &|r, s| r.deciles[d].mean_change_per_person[s]);
        row.relative_change_se = all(&row.relative_change, &|r, s| r.deciles[d].relative_change[s]);
        row.winners_share_se = all(&row.winners_share, &|r, s| r.deciles[d].winners_share[s]);
        row.losers_share_se = all(&row.losers_share, &|r, s| r.deciles[d].losers_share[s]);
    }
    for (s, row) in report.distribution.iter_mut().enumerate() {
        row.below_dibao_line_se =
            row.below_dibao_line.and_then(|_| se(&|r| r.distribution[s].below_dibao_line.unwrap_or(0.0)));
        row.below_relative_line_se = se(&|r| r.distribution[s].below_relative_line);
        row.gini_se = se(&|r| r.distribution[s].gini);
    }
    for (s, row) in report.taxpayers.iter_mut().enumerate() {
        row.taxpayers_se = se(&|r| r.taxpayers[s].taxpayers);
        row.paying_less_se = row.paying_less.and_then(|_| se(&|r| r.taxpayers[s].paying_less.unwrap_or(0.0)));
        row.paying_more_se = row.paying_more.and_then(|_| se(&|r| r.taxpayers[s].paying_more.unwrap_or(0.0)));
    }
    for (i, row) in report.validation.iter_mut().enumerate() {
        row.simulated_se = se(&|r| r.validation[i].simulated);
    }
    report.sampling = Some(Method {
        groups: groups.len(),
        note: format!(
            "random groups: the run's households (independent draws) dealt into {} groups, each raised to the \
             population and reported alone; standard error √(Σ(θg − θ̄)² / (G(G − 1))), given the calibration",
            groups.len()
        ),
    });
}

/// A figure rounded to what its error supports: the error to two
/// significant digits, the value to the same place, at most `max_decimals`
/// (without an error, or with one that rounds to nothing there, the value to
/// `max_decimals`). Gives the rounded value, the rounded error, and the
/// decimals to print them with.
pub fn rounded(value: f64, error: Option<f64>, max_decimals: usize) -> (f64, Option<f64>, usize) {
    let negligible = 0.5 * 10f64.powi(-(max_decimals as i32));
    match error.filter(|e| *e >= negligible && e.is_finite()) {
        None => (value, None, max_decimals),
        Some(e) => {
            let place = 1 - e.log10().floor() as i32;
            if place >= 0 {
                (value, Some(e), (place as usize).min(max_decimals))
            } else {
                let unit = 10f64.powi(-place);
                ((value / unit).round() * unit, Some((e / unit).round() * unit), 0)
            }
        }
    }
}

/// `value ±error` as [`rounded`] rounds them.
pub fn shown(value: f64, error: Option<f64>, max_decimals: usize) -> String {
    match rounded(value, error, max_decimals) {
        (v, Some(e), d) => format!("{v:.d$} ±{e:.d$}"),
        (v, None, d) => format!("{v:.d$}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_random_group_error_of_equal_estimates_is_zero_and_grows_with_their_spread() {
        assert_eq!(standard_error([10.0, 10.0, 10.0].into_iter()), Some(0.0));
        // Four groups at 8, 12, 8, 12 about their mean 10: √(16 / 12).
        let e = standard_error([8.0, 12.0, 8.0, 12.0].into_iter()).expect("four groups");
        assert!((e - (16.0f64 / 12.0).sqrt()).abs() < 1e-12);
        assert_eq!(standard_error([9.0].into_iter()), None, "one group tells nothing");
    }

    #[test]
    fn figures_are_rounded_to_what_their_error_supports() {
        assert_eq!(shown(10029.62, Some(85.3), 2), "10030 ±85");
        assert_eq!(shown(10029.62, Some(3.21), 2), "10029.6 ±3.2");
        assert_eq!(shown(10029.62, Some(0.0123), 2), "10029.62 ±0.01");
        assert_eq!(shown(10029.62, Some(851.0), 2), "10030 ±850");
        assert_eq!(shown(10029.62, None, 2), "10029.62");
        assert_eq!(shown(1254.61, Some(5e-13), 2), "1254.61", "an error below the last place shown is none");
        assert_eq!(shown(0.4033, Some(0.0021), 4), "0.4033 ±0.0021");
    }
}
