//! Calibration targets and generation assumptions (`data/china.yaml`), each
//! with its source and confidence.

use std::collections::BTreeMap;

/// One official figure with its source.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// The value.
    pub value: f64,
    /// Where it comes from.
    pub source: String,
    /// H, M or L.
    pub confidence: String,
}

impl Figure {
    /// The source with its confidence, as the report cites it: `source [H]`.
    pub fn cite(&self) -> String {
        format!("{} [{}]", self.source, self.confidence)
    }
}

/// The targets of one year.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct YearTargets {
    /// The year (the key in the file, filled in when loaded).
    #[serde(skip)]
    pub year: i32,
    pub population_wan: Figure,
    /// Men at the end of the year.
    pub men_wan: Figure,
    pub share_0_15: Figure,
    pub share_60_plus: Figure,
    /// Persons aged 65 and over (万).
    pub persons_65_plus_wan: Figure,
    pub urban_share: Figure,
    pub births_last_three_years_wan: Figure,
    /// Children aged 5 on 1 July (万), where a programme needs them (free preschool).
    #[serde(default)]
    pub persons_aged_5_wan: Option<Figure>,
    pub average_wage_non_private: Figure,
    pub average_wage_private: Figure,
    pub urban_employed_wan: Figure,
    /// Contributors to the employee pension scheme (参保职工), where published.
    #[serde(default)]
    pub insured_employees_wan: Option<Figure>,
    pub employee_retirees_wan: Figure,
    pub resident_pension_beneficiaries_wan: Figure,
    pub resident_medical_wan: Figure,
    pub dibao_recipients_wan: Figure,
    pub disposable_income_mean: Figure,
    pub disposable_income_median: Figure,
    pub gini: Figure,
    pub iit_revenue_yi: Figure,
    /// Persons paying IIT (万人): no count for the year is sourced, so each
    /// year cites the figure it has and says what it is.
    pub iit_payers_wan: Figure,
    pub average_employee_pension: Figure,
    /// The employee pension scheme's expenditure (亿元), where published.
    #[serde(default)]
    pub employee_pension_spending_yi: Option<Figure>,
    /// Disposable income per person by source.
    pub income_sources: IncomeSources,
    /// Mean disposable income per person of the five household quintiles, where published.
    #[serde(default)]
    pub quintile_means: Option<Quintiles>,
    /// Spending on the childcare subsidy (亿元), from 2025.
    #[serde(default)]
    pub childcare_subsidy_yi: Option<Figure>,
    /// The average monthly unemployment benefit (元), the amount synthetic recipients draw.
    #[serde(default)]
    pub unemployment_benefit_monthly: Option<Figure>,
    /// Persons drawing the unemployment benefit at the year's end (万人).
    #[serde(default)]
    pub unemployment_recipients_year_end_wan: Option<Figure>,
    /// The unemployment benefit paid in the year (亿元), where published.
    #[serde(default)]
    pub unemployment_benefit_spending_yi: Option<Figure>,
    /// The public kindergarten fee per child and semester (元) that free
    /// preschool waives, the national average a run gives every enrolled child.
    #[serde(default)]
    pub preschool_fee_per_semester: Option<Figure>,
    /// Spending on free preschool in the year (亿元), where reported.
    #[serde(default)]
    pub preschool_spending_yi: Option<Figure>,
    /// Set for a year projected from the last year of data ([`Projection`]):
    /// what it was projected from and how. Its figures are then projections,
    /// not official, and no validation compares with them.
    #[serde(default)]
    pub projected: Option<String>,
    /// The 低保 standards a run assumes where the rule book does not know the
    /// year's national averages (they are then not a rule, but an input of
    /// the population, marked as such in the report).
    #[serde(default)]
    pub dibao_standards_assumed: Option<DibaoStandards>,
}

/// 低保 standards per person and month (元), urban and rural, with their source.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct DibaoStandards {
    pub urban_monthly: f64,
    pub rural_monthly: f64,
    pub source: String,
    pub confidence: String,
}

impl DibaoStandards {
    /// The source with its confidence: `source [L]`.
    pub fn cite(&self) -> String {
        format!("{} [{}]", self.source, self.confidence)
    }
}

/// NBS per-capita disposable income by source (元): 工资性收入, 经营净收入,
/// 财产净收入 and 转移净收入 (transfers received less taxes and contributions paid).
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct IncomeSources {
    pub wages: f64,
    pub business: f64,
    pub property: f64,
    pub net_transfers: f64,
    pub source: String,
    pub confidence: String,
}

/// NBS income quintiles (全国居民五等份收入分组): households ranked by income
/// per person and split into five groups of equal numbers of households.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Quintiles {
    pub values: [f64; 5],
    pub source: String,
    pub confidence: String,
}

/// Shares of households by size (1 to 6).
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct SizeShares {
    pub values: Vec<f64>,
    pub source: String,
    pub confidence: String,
}

/// A modelling assumption (not an official figure).
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Assumption {
    pub value: f64,
    pub note: String,
}

/// The assumptions the generator needs.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Assumptions {
    pub wage_cv: Assumption,
    pub private_wage_share: Assumption,
    pub urban_employment_share: Assumption,
    pub urban_insured_share: Assumption,
    pub flexible_share_of_insured: Assumption,
    pub flexible_base_share: Assumption,
    pub informal_income_ratio: Assumption,
    pub informal_income_cv: Assumption,
    pub rural_wage_share: Assumption,
    pub rural_wage_ratio: Assumption,
    pub rural_other_income: Assumption,
    pub rural_other_income_cv: Assumption,
    pub pension_cv: Assumption,
    pub resident_account_balance: Assumption,
    pub resident_account_cv: Assumption,
    pub single_elderly_share: Assumption,
    pub single_elderly_male_share: Assumption,
    pub couple_elderly_share: Assumption,
    pub grandparent_in_four_share: Assumption,
    pub grandparent_male_share: Assumption,
    pub child_male_share: Assumption,
    pub urban_early_retired_women_share: Assumption,
    pub urban_elderly_employee_pension_share: Assumption,
    pub urban_elderly_resident_pension_share: Assumption,
    pub rural_elderly_employee_pension_share: Assumption,
    pub rural_elderly_resident_pension_share: Assumption,
    pub property_income_cv: Assumption,
    pub parent_age_gap: Assumption,
    pub oldest_living_parent: Assumption,
    pub living_parent_share: Assumption,
    pub only_child_share_urban_from_1980: Assumption,
    pub only_child_share_other: Assumption,
    pub three_children_share: Assumption,
    pub kindergarten_enrolment_share: Assumption,
}

/// How the years after the last year of data are projected (each an
/// assumption with its basis; PolicyEngine's uprating is the model: every
/// amount grows with the index it follows).
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Projection {
    /// The last year projected.
    pub until: i32,
    /// Growth of wages and incomes a year (average wages, income by source, the
    /// unemployment benefit; the average wage behind contribution bounds).
    pub wage_growth: Assumption,
    /// Growth of prices a year (the 低保 line, the preschool fee).
    pub price_growth: Assumption,
    /// The rise of employee pensions a year.
    pub pension_rise: Assumption,
    /// Growth of the population a year.
    pub population_growth: Assumption,
    /// Births by year (万), for the children under 3 and aged 5 of each year.
    pub births_wan: BTreeMap<i32, f64>,
    /// Births a year after the last known (万).
    pub births_after: Assumption,
}

impl Projection {
    /// The wage growth as an exact rate (to a millionth), for the law's indexed amounts.
    pub fn wage_growth_rate(&self) -> Result<minsheng_core::Rate, String> {
        let d = rust_decimal::Decimal::from_f64_retain(self.wage_growth.value).unwrap_or_default().round_dp(6);
        minsheng_core::Rate::from_decimal(d).map_err(|e| format!("projection.wage_growth: {e}"))
    }

    fn births(&self, year: i32) -> f64 {
        match self.births_wan.get(&year) {
            Some(b) => *b,
            None => self.births_after.value,
        }
    }

    /// The targets of `year`, projected `n` years on from `base`.
    fn project(&self, base: &YearTargets, year: i32) -> YearTargets {
        let n = year - base.year;
        let grow = |g: &Assumption| (1.0 + g.value).powi(n);
        let (wages, prices, pensions, people) = (
            grow(&self.wage_growth),
            grow(&self.price_growth),
            grow(&self.pension_rise),
            grow(&self.population_growth),
        );
        let how = format!(
            "projected from {} (wages and incomes +{:.1}% a year, prices +{:.1}%, pensions +{:.1}%, population {:+.2}%, shares and counts held)",
            base.year,
            self.wage_growth.value * 100.0,
            self.price_growth.value * 100.0,
            self.pension_rise.value * 100.0,
            self.population_growth.value * 100.0
        );
        let f = |x: &Figure, factor: f64| Figure {
            value: x.value * factor,
            source: format!("{how}: {} × {factor:.4}", x.source),
            confidence: "L".into(),
        };
        let births = |years: std::ops::RangeInclusive<i32>| years.map(|y| self.births(y)).sum::<f64>();
        let births_figure = |value: f64, what: &str| Figure {
            value,
            source: format!(
                "{what}: births by year (data/china.yaml, projection.births_wan; after the last known, births_after)"
            ),
            confidence: "L".into(),
        };
        let s = &base.income_sources;
        YearTargets {
            year,
            population_wan: f(&base.population_wan, people),
            men_wan: f(&base.men_wan, people),
            share_0_15: f(&base.share_0_15, 1.0),
            share_60_plus: f(&base.share_60_plus, 1.0),
            persons_65_plus_wan: f(&base.persons_65_plus_wan, people),
            urban_share: f(&base.urban_share, 1.0),
            births_last_three_years_wan: births_figure(
                births(year - 2..=year),
                "births of the three years to this one",
            ),
            persons_aged_5_wan: Some(births_figure(
                (self.births(year - 6) + self.births(year - 5)) / 2.0,
                "half the births of each of the two years a child aged 5 on 1 July was born in",
            )),
            average_wage_non_private: f(&base.average_wage_non_private, wages),
            average_wage_private: f(&base.average_wage_private, wages),
            urban_employed_wan: f(&base.urban_employed_wan, 1.0),
            insured_employees_wan: base.insured_employees_wan.as_ref().map(|x| f(x, 1.0)),
            employee_retirees_wan: f(&base.employee_retirees_wan, 1.0),
            resident_pension_beneficiaries_wan: f(&base.resident_pension_beneficiaries_wan, 1.0),
            resident_medical_wan: f(&base.resident_medical_wan, people),
            dibao_recipients_wan: f(&base.dibao_recipients_wan, 1.0),
            disposable_income_mean: f(&base.disposable_income_mean, wages),
            disposable_income_median: f(&base.disposable_income_median, wages),
            gini: f(&base.gini, 1.0),
            iit_revenue_yi: f(&base.iit_revenue_yi, wages * people),
            iit_payers_wan: f(&base.iit_payers_wan, 1.0),
            average_employee_pension: f(&base.average_employee_pension, pensions),
            employee_pension_spending_yi: base.employee_pension_spending_yi.as_ref().map(|x| f(x, pensions)),
            income_sources: IncomeSources {
                wages: s.wages * wages,
                business: s.business * wages,
                property: s.property * wages,
                net_transfers: s.net_transfers * wages,
                source: format!("{how}: {}", s.source),
                confidence: "L".into(),
            },
            quintile_means: base.quintile_means.as_ref().map(|q| Quintiles {
                values: q.values.map(|v| v * wages),
                source: format!("{how}: {}", q.source),
                confidence: "L".into(),
            }),
            childcare_subsidy_yi: None,
            unemployment_benefit_monthly: base.unemployment_benefit_monthly.as_ref().map(|x| f(x, wages)),
            unemployment_recipients_year_end_wan: base.unemployment_recipients_year_end_wan.as_ref().map(|x| f(x, 1.0)),
            unemployment_benefit_spending_yi: None,
            preschool_fee_per_semester: base.preschool_fee_per_semester.as_ref().map(|x| f(x, prices)),
            preschool_spending_yi: None,
            projected: Some(how),
            // The law carried forward has 低保 standards of its own (the last the rule book knows).
            dibao_standards_assumed: None,
        }
    }
}

/// All calibration data.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    pub years: BTreeMap<i32, YearTargets>,
    /// How the years after the data are projected.
    pub projection: Projection,
    pub household_size_shares: SizeShares,
    pub assumptions: Assumptions,
    /// Why a validation row falls outside its band, measured: by the row's English name.
    #[serde(default)]
    pub validation_gaps: BTreeMap<String, String>,
}

/// Why the targets could not be used.
#[derive(Debug, thiserror::Error)]
pub enum TargetsError {
    /// The data file does not parse.
    #[error("data/china.yaml: {0}")]
    Parse(String),
    /// No targets for the year asked.
    #[error("no calibration targets for {year}; the built-in population covers {available}")]
    Year {
        /// The year asked for.
        year: i32,
        /// The years available.
        available: String,
    },
}

impl Targets {
    /// The built-in targets.
    pub fn builtin() -> Result<Targets, TargetsError> {
        let mut targets: Targets = serde_saphyr::from_str(include_str!("../data/china.yaml"))
            .map_err(|e| TargetsError::Parse(e.to_string()))?;
        for (year, t) in &mut targets.years {
            t.year = *year;
        }
        if let Some(last) = targets.years.values().next_back().cloned() {
            for year in last.year + 1..=targets.projection.until {
                targets.years.insert(year, targets.projection.project(&last, year));
            }
        }
        Ok(targets)
    }

    /// The targets of `year`.
    pub fn year(&self, year: i32) -> Result<&YearTargets, TargetsError> {
        self.years.get(&year).ok_or_else(|| TargetsError::Year {
            year,
            available: self.years.keys().map(i32::to_string).collect::<Vec<_>>().join(", "),
        })
    }
}
