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

/// All calibration data.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Targets {
    pub years: BTreeMap<i32, YearTargets>,
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
