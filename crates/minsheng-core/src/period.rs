//! The calendar (日历): months, tax years, periods and ages.
//!
//! Chinese individual income tax runs on the calendar year (纳税年度, IIT Law
//! art. 2) with monthly withholding. A [`Period`] is the span a figure belongs
//! to: one month, one year, or no span at all for timeless facts such as a
//! date of birth.

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, date};

/// A calendar month, e.g. 2023-09.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i16,
    month: i8,
}

/// Why a period could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a valid {expected}")]
pub struct PeriodError {
    /// What was given.
    pub text: String,
    /// What was expected, in words.
    pub expected: &'static str,
}

impl Month {
    /// The month `month` (1–12) of `year`; `None` if out of range.
    pub fn new(year: i32, month: u32) -> Option<Month> {
        if !(1..=12).contains(&month) || !(1900..=2200).contains(&year) {
            return None;
        }
        Some(Month { year: year as i16, month: month as i8 })
    }

    /// The month containing `d`.
    pub fn of(d: Date) -> Month {
        Month { year: d.year(), month: d.month() }
    }

    /// The year.
    pub fn year(self) -> i32 {
        i32::from(self.year)
    }

    /// The month number, 1 to 12.
    pub fn number(self) -> u32 {
        self.month as u32
    }

    /// The first day of the month.
    pub fn first_day(self) -> Date {
        date(self.year, self.month, 1)
    }

    /// The last day of the month.
    pub fn last_day(self) -> Date {
        self.first_day().last_of_month()
    }

    /// The next month.
    pub fn next(self) -> Month {
        self.plus(1)
    }

    /// This month moved by `n` months (negative to go back).
    pub fn plus(self, n: i32) -> Month {
        let index = self.index() + n;
        Month { year: index.div_euclid(12) as i16, month: (index.rem_euclid(12) + 1) as i8 }
    }

    /// Whole months from `self` to `later` (0 if the same month).
    pub fn months_until(self, later: Month) -> i32 {
        later.index() - self.index()
    }

    /// The twelve months of `year`.
    pub fn of_year(year: i32) -> impl Iterator<Item = Month> {
        (1..=12).map(move |m| Month { year: year as i16, month: m })
    }

    fn index(self) -> i32 {
        i32::from(self.year) * 12 + i32::from(self.month) - 1
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = PeriodError;

    /// Reads `YYYY-MM`.
    fn from_str(s: &str) -> Result<Month, PeriodError> {
        let err = || PeriodError { text: s.to_string(), expected: "month (YYYY-MM)" };
        let (y, m) = s.split_once('-').ok_or_else(err)?;
        if y.len() != 4 || m.len() != 2 {
            return Err(err());
        }
        let year: i32 = y.parse().map_err(|_| err())?;
        let month: u32 = m.parse().map_err(|_| err())?;
        Month::new(year, month).ok_or_else(err)
    }
}

impl serde::Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The span a figure belongs to.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Period {
    /// No span: a timeless fact (出生日期).
    Eternity,
    /// A calendar (tax) year.
    Year(i32),
    /// A calendar month.
    Month(Month),
}

/// Which kind of period a variable is defined for.
#[derive(Copy, Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PeriodKind {
    /// Timeless.
    Eternity,
    /// Per calendar year.
    Year,
    /// Per calendar month.
    Month,
}

impl Period {
    /// The kind of this period.
    pub fn kind(self) -> PeriodKind {
        match self {
            Period::Eternity => PeriodKind::Eternity,
            Period::Year(_) => PeriodKind::Year,
            Period::Month(_) => PeriodKind::Month,
        }
    }

    /// The last day of the period, `None` for eternity.
    pub fn last_day(self) -> Option<Date> {
        match self {
            Period::Eternity => None,
            Period::Year(y) => Some(date(y as i16, 12, 31)),
            Period::Month(m) => Some(m.last_day()),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Eternity => f.write_str("-"),
            Period::Year(y) => write!(f, "{y}"),
            Period::Month(m) => m.fmt(f),
        }
    }
}

impl fmt::Display for PeriodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PeriodKind::Eternity => "eternity",
            PeriodKind::Year => "year",
            PeriodKind::Month => "month",
        })
    }
}

/// Reads a period key of a situation for a variable of `kind`:
/// `YYYY-MM` or `YYYY-MM..YYYY-MM` (inclusive) for monthly variables, `YYYY`
/// for yearly ones. A year key for a monthly variable is refused rather than
/// silently divided or repeated: say which months.
pub fn parse_period_key(key: &str, kind: PeriodKind) -> Result<Vec<Period>, PeriodError> {
    match kind {
        PeriodKind::Eternity => Err(PeriodError {
            text: key.to_string(),
            expected: "value: this input is timeless, give the value without a period",
        }),
        PeriodKind::Year => {
            let year: i32 = key
                .parse()
                .ok()
                .filter(|y| (1900..=2200).contains(y) && key.len() == 4)
                .ok_or_else(|| PeriodError { text: key.to_string(), expected: "year (YYYY)" })?;
            Ok(vec![Period::Year(year)])
        }
        PeriodKind::Month => {
            let expected = "month (YYYY-MM) or inclusive month range (YYYY-MM..YYYY-MM)";
            let err = || PeriodError { text: key.to_string(), expected };
            let (first, last) = match key.split_once("..") {
                Some((a, b)) => (a.parse::<Month>().map_err(|_| err())?, b.parse::<Month>().map_err(|_| err())?),
                None => {
                    let m = key.parse::<Month>().map_err(|_| err())?;
                    (m, m)
                }
            };
            if last < first {
                return Err(err());
            }
            let n = first.months_until(last);
            Ok((0..=n).map(|i| Period::Month(first.plus(i))).collect())
        }
    }
}

/// Age in completed years on `on` for a person born on `birth` (周岁).
pub fn age_on(birth: Date, on: Date) -> i32 {
    let mut age = i32::from(on.year()) - i32::from(birth.year());
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

/// The month in which a person born on `birth` reaches `years` of age
/// (年满N周岁的当月).
pub fn month_reaching_age(birth: Date, years: i32) -> Month {
    Month::of(birth).plus(years * 12)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_arithmetic_crosses_years() {
        let m: Month = "2023-11".parse().unwrap();
        assert_eq!(m.plus(3).to_string(), "2024-02");
        assert_eq!(m.plus(-11).to_string(), "2022-12");
        assert_eq!(m.months_until("2024-02".parse().unwrap()), 3);
        assert_eq!(Month::of_year(2023).count(), 12);
        assert_eq!("2024-02".parse::<Month>().unwrap().last_day(), date(2024, 2, 29));
    }

    #[test]
    fn rejects_impossible_months() {
        for bad in ["2023-13", "2023-00", "23-01", "2023-1", "2023/01", "abcd-ef"] {
            assert!(bad.parse::<Month>().is_err(), "{bad}");
        }
    }

    #[test]
    fn period_keys_follow_the_variable_kind() {
        assert_eq!(parse_period_key("2023-01..2023-03", PeriodKind::Month).unwrap().len(), 3);
        assert!(parse_period_key("2023", PeriodKind::Month).is_err());
        assert!(parse_period_key("2023-03..2023-01", PeriodKind::Month).is_err());
        assert_eq!(parse_period_key("2023", PeriodKind::Year).unwrap(), vec![Period::Year(2023)]);
        assert!(parse_period_key("2023-01", PeriodKind::Year).is_err());
    }

    #[test]
    fn ages_count_completed_years() {
        assert_eq!(age_on(date(1963, 5, 10), date(2023, 5, 9)), 59);
        assert_eq!(age_on(date(1963, 5, 10), date(2023, 5, 10)), 60);
        assert_eq!(month_reaching_age(date(2020, 8, 31), 3).to_string(), "2023-08");
    }
}
