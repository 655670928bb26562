//! The user's own microdata: one row per person (CSV here, Parquet in
//! `parquet_io` with the feature `parquet`), grouped into households
//! by `household_id`, with household weights. Every value is checked; an
//! error names the row, the column, the value and the rule, and nothing is
//! computed until the whole file has been read.
//!
//! | column | meaning |
//! |---|---|
//! | `household_id` | the household (rows of a household need not be adjacent) |
//! | `person_id` | the person, unique within the household |
//! | `age` | completed years on 1 July of the year, 0 to 120 |
//! | `sex` | `M` or `F` |
//! | `urban` | `1` urban, `0` rural; the same for the whole household |
//! | `wage_monthly` | monthly wage in yuan (0 or empty: none), at most two decimals |
//! | `insured` | `1` if insured as an employee (under the national default locality) |
//! | `pension_last_december` | employee pension received last December, yuan (empty: none) |
//! | `resident_pension_account` | residents' pension account, yuan (empty: not a residents' pensioner; a pensioner is taken to have contributed the minimum months the rule book sets) |
//! | `claimed_by` | for a child: the `person_id`s of the parents claiming it, separated by `;` |
//! | `weight` | households represented; the same for the whole household, above 0 |
//!
//! Optional columns (absent or empty: none):
//!
//! | column | meaning |
//! |---|---|
//! | `other_income` | yearly income outside wages and pensions, yuan: farm, business, informal work, property, private transfers; added up per household, counted in disposable income and the 低保 means test, not taxed |
//! | `elderly_parent_age` | age on 1 July of the elder living parent the person supports (赡养老人) |
//! | `elderly_parent_children` | the parent's children sharing that deduction equally, the person included (1: an only child); needs `elderly_parent_age` |
//! | `unemployment_start` | `YYYY-MM`: the first month of the unemployment benefit, for a person not insured as an employee in the year; paid the year's average benefit (`data/china.yaml`) for the months the rule entitles |
//! | `unemployment_contribution_months` | months of unemployment insurance contribution before it, 0 to 600; needs `unemployment_start` |
//! | `kindergarten` | `1` for a child of 2 to 7 in a public or approved private kindergarten (free preschool in the year before primary school, at the year's average fee) |

use std::collections::BTreeMap;
use std::str::FromStr;

use minsheng_core::money::Money;
use rust_decimal::Decimal;

use crate::generate::{Claimants, ElderlyParent, SynthHousehold, SynthPerson};

/// Bad microdata: where and why.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("row {row}, column {column}: {value:?} — {rule}")]
pub struct MicrodataError {
    /// The row (1 is the first data row after the header).
    pub row: usize,
    /// The column.
    pub column: String,
    /// The value found.
    pub value: String,
    /// What is required.
    pub rule: String,
}

/// The schema's optional columns.
pub(crate) const OPTIONAL: [&str; 6] = [
    "other_income",
    "elderly_parent_age",
    "elderly_parent_children",
    "unemployment_start",
    "unemployment_contribution_months",
    "kindergarten",
];

/// The schema's required columns.
pub(crate) const COLUMNS: [&str; 11] = [
    "household_id",
    "person_id",
    "age",
    "sex",
    "urban",
    "wage_monthly",
    "insured",
    "pension_last_december",
    "resident_pension_account",
    "claimed_by",
    "weight",
];

/// One person's row, parsed.
pub(crate) struct Row {
    household: String,
    person: String,
    person_row: usize,
    claimed_by: Vec<String>,
    other_income_fen: i64,
    urban: bool,
    weight: f64,
    p: SynthPerson,
}

/// Reads CSV microdata into households and their weights.
pub fn read_csv(text: &str) -> Result<(Vec<SynthHousehold>, Vec<f64>), MicrodataError> {
    let mut reader = csv::ReaderBuilder::new().trim(csv::Trim::All).from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| MicrodataError { row: 0, column: "(header)".into(), value: String::new(), rule: e.to_string() })?
        .clone();
    let columns: Vec<&str> = headers.iter().collect();
    check_header(&columns)?;
    let index = |c: &str| headers.iter().position(|h| h == c);
    let mut rows = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let row = i + 1;
        let record = record.map_err(|e| MicrodataError {
            row,
            column: "(row)".into(),
            value: String::new(),
            rule: e.to_string(),
        })?;
        rows.push(parse_row(row, &|c: &str| index(c).and_then(|i| record.get(i)).unwrap_or("").to_string())?);
    }
    assemble(rows)
}

/// The most households one row may stand for: more than the world has, so a
/// real weight passes and an overflowing one (1e308) cannot make a total infinite.
const MAX_WEIGHT: f64 = 1e10;

/// Checks that `columns` hold every required column once and no unknown one, in any order.
pub(crate) fn check_header(columns: &[&str]) -> Result<(), MicrodataError> {
    for c in COLUMNS {
        if !columns.contains(&c) {
            return Err(MicrodataError {
                row: 0,
                column: c.into(),
                value: "(missing)".into(),
                rule: format!("the header needs the columns {}", COLUMNS.join(", ")),
            });
        }
    }
    if let Some((i, twice)) = columns.iter().enumerate().find(|(i, c)| columns[..*i].contains(c)) {
        return Err(MicrodataError {
            row: 0,
            column: (*twice).into(),
            value: format!("(column {})", i + 1),
            rule: "a column appears once in the header".into(),
        });
    }
    if let Some(extra) = columns.iter().find(|h| !COLUMNS.contains(h) && !OPTIONAL.contains(h)) {
        return Err(MicrodataError {
            row: 0,
            column: (*extra).into(),
            value: "(column)".into(),
            rule: format!(
                "unknown column; the columns are {}, and optionally {}",
                COLUMNS.join(", "),
                OPTIONAL.join(", ")
            ),
        });
    }
    Ok(())
}

/// Parses data row `row` (1-based), whose fields `field` gives as text
/// (empty for a missing value).
pub(crate) fn parse_row(row: usize, field: &dyn Fn(&str) -> String) -> Result<Row, MicrodataError> {
    let bad = |c: &str, rule: &str| MicrodataError { row, column: c.into(), value: field(c), rule: rule.into() };
    let amount = |c: &str| -> Result<Option<i64>, MicrodataError> {
        let v = field(c);
        if v.is_empty() {
            return Ok(None);
        }
        let d = Decimal::from_str(&v).map_err(|_| bad(c, "an amount in yuan"))?;
        if d.is_sign_negative() {
            return Err(bad(c, "an amount cannot be negative"));
        }
        Money::from_decimal(d).map(|m| Some(m.fen())).map_err(|e| bad(c, &e.to_string()))
    };
    let flag = |c: &str| match field(c).as_str() {
        "1" => Ok(true),
        "0" | "" => Ok(false),
        _ => Err(bad(c, "1 or 0")),
    };
    let household = field("household_id");
    if household.is_empty() {
        return Err(bad("household_id", "every row names its household"));
    }
    let person = field("person_id");
    if person.is_empty() {
        return Err(bad("person_id", "every row names its person"));
    }
    let age: u8 = field("age")
        .parse()
        .ok()
        .filter(|a| *a <= 120)
        .ok_or_else(|| bad("age", "a whole number of years from 0 to 120"))?;
    let male = match field("sex").as_str() {
        "M" | "m" => true,
        "F" | "f" => false,
        _ => return Err(bad("sex", "M or F")),
    };
    let weight: f64 = field("weight")
        .parse()
        .ok()
        .filter(|w: &f64| w.is_finite() && *w > 0.0 && *w <= MAX_WEIGHT)
        .ok_or_else(|| bad("weight", "a number above 0 and at most 10,000,000,000 (households represented)"))?;
    let wage = amount("wage_monthly")?.filter(|w| *w > 0);
    let insured = flag("insured")?;
    if insured && wage.is_none() {
        return Err(bad("insured", "an insured employee has a wage"));
    }
    let claimed_by: Vec<String> =
        field("claimed_by").split(';').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
    let whole = |c: &str, max: u8, rule: &str| -> Result<Option<u8>, MicrodataError> {
        let v = field(c);
        if v.is_empty() {
            return Ok(None);
        }
        v.parse().ok().filter(|n| *n <= max).map(Some).ok_or_else(|| bad(c, rule))
    };
    let parent_age = whole("elderly_parent_age", 120, "a whole number of years from 0 to 120")?;
    let children = whole("elderly_parent_children", 20, "a whole number of children from 1 to 20")?;
    let elderly_parent = match (parent_age, children) {
        (_, Some(0)) => return Err(bad("elderly_parent_children", "a whole number of children from 1 to 20")),
        (Some(age), children) => Some(ElderlyParent { age, children: children.unwrap_or(1) }),
        (None, Some(_)) => return Err(bad("elderly_parent_children", "given with elderly_parent_age")),
        (None, None) => None,
    };
    let months = match field("unemployment_contribution_months").as_str() {
        "" => None,
        v => Some(
            v.parse::<i64>()
                .ok()
                .filter(|m| (0..=600).contains(m))
                .ok_or_else(|| bad("unemployment_contribution_months", "a whole number of months from 0 to 600"))?,
        ),
    };
    let unemployment = match field("unemployment_start").as_str() {
        "" if months.is_some() => {
            return Err(bad("unemployment_contribution_months", "given with unemployment_start"));
        }
        "" => None,
        v => {
            let start = minsheng_core::Month::from_str(v).map_err(|_| bad("unemployment_start", "a month, YYYY-MM"))?;
            if insured {
                return Err(bad(
                    "unemployment_start",
                    "a person drawing the benefit is not an insured employee that year",
                ));
            }
            Some(crate::generate::Spell { start, contribution_months: months.unwrap_or(0) })
        }
    };
    let kindergarten = flag("kindergarten")?;
    if kindergarten && !(2..=7).contains(&age) {
        return Err(bad("kindergarten", "a child of 2 to 7"));
    }
    Ok(Row {
        household,
        person,
        person_row: row,
        claimed_by,
        other_income_fen: amount("other_income")?.unwrap_or(0),
        urban: flag("urban")?,
        weight,
        p: SynthPerson {
            age,
            male,
            wage_fen: wage,
            insured,
            flexible: None,
            informal: false,
            earnings_fen: 0,
            pension_fen: amount("pension_last_december")?,
            resident_account_fen: amount("resident_pension_account")?,
            claimants: Claimants::new(),
            elderly_parent,
            unemployment,
            kindergarten,
        },
    })
}

/// Groups parsed rows into households, checking what holds per household.
pub(crate) fn assemble(rows: Vec<Row>) -> Result<(Vec<SynthHousehold>, Vec<f64>), MicrodataError> {
    if rows.is_empty() {
        return Err(MicrodataError {
            row: 1,
            column: "(row)".into(),
            value: String::new(),
            rule: "the file has no person".into(),
        });
    }
    // Group into households in order of first appearance.
    let mut order: Vec<String> = Vec::new();
    let mut groups: BTreeMap<String, Vec<Row>> = BTreeMap::new();
    for r in rows {
        if !groups.contains_key(&r.household) {
            order.push(r.household.clone());
        }
        groups.entry(r.household.clone()).or_default().push(r);
    }
    let mut households = Vec::with_capacity(order.len());
    let mut weights = Vec::with_capacity(order.len());
    for id in order {
        let members = groups.remove(&id).unwrap_or_default();
        let first = &members[0];
        for m in &members[1..] {
            if m.urban != first.urban {
                return Err(MicrodataError {
                    row: m.person_row,
                    column: "urban".into(),
                    value: (u8::from(m.urban)).to_string(),
                    rule: format!("household {id} is urban or rural as a whole"),
                });
            }
            if (m.weight - first.weight).abs() > f64::EPSILON * first.weight.abs().max(1.0) {
                return Err(MicrodataError {
                    row: m.person_row,
                    column: "weight".into(),
                    value: m.weight.to_string(),
                    rule: format!("every row of household {id} carries the household's weight {}", first.weight),
                });
            }
        }
        let ids: Vec<&str> = members.iter().map(|m| m.person.as_str()).collect();
        let mut other_income_fen = 0i64;
        for m in &members {
            other_income_fen = other_income_fen.checked_add(m.other_income_fen).ok_or_else(|| MicrodataError {
                row: m.person_row,
                column: "other_income".into(),
                value: Money::from_fen(m.other_income_fen).to_string(),
                rule: format!("household {id}'s other income adds up beyond what an amount can hold"),
            })?;
        }
        let mut persons = Vec::with_capacity(members.len());
        for (i, m) in members.iter().enumerate() {
            if ids[..i].contains(&m.person.as_str()) {
                return Err(MicrodataError {
                    row: m.person_row,
                    column: "person_id".into(),
                    value: m.person.clone(),
                    rule: format!("appears twice in household {id}"),
                });
            }
            let mut p = m.p.clone();
            if let Some(twice) = m.claimed_by.iter().enumerate().find(|(k, c)| m.claimed_by[..*k].contains(c)) {
                return Err(MicrodataError {
                    row: m.person_row,
                    column: "claimed_by".into(),
                    value: m.claimed_by.join(";"),
                    rule: format!("names {} twice: each parent claims once", twice.1),
                });
            }
            for c in &m.claimed_by {
                let at = ids.iter().position(|x| x == c).filter(|&j| j != i).ok_or_else(|| MicrodataError {
                    row: m.person_row,
                    column: "claimed_by".into(),
                    value: c.clone(),
                    rule: format!("names another person of household {id}"),
                })?;
                p.claimants.push(at);
            }
            if p.claimants.len() > 2 {
                return Err(MicrodataError {
                    row: m.person_row,
                    column: "claimed_by".into(),
                    value: m.claimed_by.join(";"),
                    rule: "at most two parents claim a child".into(),
                });
            }
            persons.push(p);
        }
        weights.push(first.weight);
        households.push(SynthHousehold {
            urban: first.urban,
            members: persons,
            other_income_fen,
            property_income_fen: 0,
            dibao_conditions: true,
        });
    }
    Ok((households, weights))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "household_id,person_id,age,sex,urban,wage_monthly,insured,pension_last_december,resident_pension_account,claimed_by,weight\n";

    #[test]
    fn reads_households_with_their_weights_and_claims() {
        let text = format!(
            "{HEADER}h1,a,35,M,1,12000.50,1,,,,250.5\nh2,x,70,F,0,,0,,5000,,90\nh1,b,33,F,1,9000,1,,,,250.5\nh1,c,4,F,1,,0,,,a;b,250.5\n"
        );
        let (hs, ws) = read_csv(&text).unwrap();
        assert_eq!(ws, vec![250.5, 90.0]);
        assert_eq!(hs[0].members.len(), 3);
        assert_eq!(hs[0].members[0].wage_fen, Some(1_200_050));
        assert_eq!(hs[0].members[2].claimants.as_slice(), [0, 1]);
        assert_eq!(hs[1].members[0].resident_account_fen, Some(500_000));
    }

    #[test]
    fn optional_columns_add_other_income_and_elderly_parents() {
        let header = HEADER.trim_end().to_string() + ",other_income,elderly_parent_children,elderly_parent_age\n";
        let text = format!(
            "{header}h1,a,35,M,1,12000,1,,,,2,1500.50,,62\nh1,b,33,F,1,,0,,,,2,3000,3,66\nh2,x,70,F,0,,0,,5000,,1,,,\n"
        );
        let (hs, _) = read_csv(&text).unwrap();
        assert_eq!(hs[0].other_income_fen, 450_050);
        assert_eq!(hs[0].members[0].elderly_parent, Some(ElderlyParent { age: 62, children: 1 }));
        assert_eq!(hs[0].members[1].elderly_parent, Some(ElderlyParent { age: 66, children: 3 }));
        assert_eq!((hs[1].other_income_fen, hs[1].members[0].elderly_parent), (0, None));
        let bad = [
            (format!("{header}h1,a,35,M,1,12000,1,,,,2,-1,,\n"), "other_income", "negative"),
            (format!("{header}h1,a,35,M,1,12000,1,,,,2,,2,\n"), "elderly_parent_children", "elderly_parent_age"),
            (format!("{header}h1,a,35,M,1,12000,1,,,,2,,0,70\n"), "elderly_parent_children", "1 to 20"),
            (format!("{header}h1,a,35,M,1,12000,1,,,,2,,,200\n"), "elderly_parent_age", "0 to 120"),
        ];
        for (text, column, words) in bad {
            let e = read_csv(&text).unwrap_err();
            assert_eq!((e.row, e.column.as_str()), (1, column), "{e}");
            assert!(e.to_string().contains(words), "{e} lacks {words}");
        }
    }

    #[test]
    fn optional_columns_add_unemployment_spells_and_kindergarten() {
        let header =
            HEADER.trim_end().to_string() + ",unemployment_start,unemployment_contribution_months,kindergarten\n";
        let text = format!("{header}h1,a,40,M,1,,0,,,,2,2023-04,30,\nh1,k,5,F,1,,0,,,a,2,,,1\n");
        let (hs, _) = read_csv(&text).unwrap();
        let spell = hs[0].members[0].unemployment.expect("a spell");
        assert_eq!((spell.start, spell.contribution_months), ("2023-04".parse().unwrap(), 30));
        assert!(hs[0].members[1].kindergarten && hs[0].members[0].activity() == "unemployed");
        let bad = [
            (format!("{header}h1,a,40,M,1,,0,,,,2,April,,\n"), "unemployment_start", "YYYY-MM"),
            (format!("{header}h1,a,40,M,1,5000,1,,,,2,2023-04,,\n"), "unemployment_start", "not an insured employee"),
            (format!("{header}h1,a,40,M,1,,0,,,,2,,12,\n"), "unemployment_contribution_months", "unemployment_start"),
            (format!("{header}h1,a,40,M,1,,0,,,,2,2023-04,700,\n"), "unemployment_contribution_months", "0 to 600"),
            (format!("{header}h1,a,40,M,1,,0,,,,2,,,1\n"), "kindergarten", "2 to 7"),
        ];
        for (text, column, words) in bad {
            let e = read_csv(&text).unwrap_err();
            assert_eq!((e.row, e.column.as_str()), (1, column), "{e}");
            assert!(e.to_string().contains(words), "{e} lacks {words}");
        }
    }

    #[test]
    fn errors_name_row_column_and_rule() {
        let cases = [
            (format!("{HEADER}h1,a,35,M,1,-5,1,,,,1\n"), 1, "wage_monthly", "cannot be negative"),
            (format!("{HEADER}h1,a,35,M,1,5000,1,,,,1\nh1,b,200,F,1,,0,,,,1\n"), 2, "age", "0 to 120"),
            (format!("{HEADER}h1,a,35,X,1,5000,1,,,,1\n"), 1, "sex", "M or F"),
            (format!("{HEADER}h1,a,35,M,1,5000,1,,,,1\nh1,b,30,F,0,,0,,,,1\n"), 2, "urban", "as a whole"),
            (format!("{HEADER}h1,a,35,M,1,5000,1,,,,1\nh1,c,3,F,1,,0,,,zed,1\n"), 2, "claimed_by", "another person"),
            (format!("{HEADER}h1,a,35,M,1,5000.001,1,,,,1\n"), 1, "wage_monthly", "two decimal places"),
            (format!("{HEADER}h1,a,35,M,1,5000,1,,,,0\n"), 1, "weight", "above 0"),
            ("household_id,person_id\nh1,a\n".to_string(), 0, "age", "the header needs"),
            // A weight that would make totals infinite, a parent named twice, a column given twice.
            (format!("{HEADER}h1,a,35,M,1,5000,1,,,,1e308\n"), 1, "weight", "at most 10,000,000,000"),
            (format!("{HEADER}h1,a,35,M,1,5000,1,,,,1\nh1,c,3,F,1,,0,,,a;a,1\n"), 2, "claimed_by", "names a twice"),
            (
                format!("{}weight\nh1,a,35,M,1,5000,1,,,,1,1\n", HEADER.trim_end().to_string() + ","),
                0,
                "weight",
                "appears once",
            ),
        ];
        for (text, row, column, words) in cases {
            let e = read_csv(&text).unwrap_err();
            assert_eq!((e.row, e.column.as_str()), (row, column), "{e}");
            assert!(e.to_string().contains(words), "{e} lacks {words}");
        }
    }
}
